// deploy-ecs through its built bundle, with the real AWS SDK against the local ECS stand-in, which runs
// the tasks as Docker containers and serves load-balanced services on a front door.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import {
  CreateClusterCommand,
  DescribeServicesCommand,
  ECSClient,
  ListTaskDefinitionsCommand,
  RegisterTaskDefinitionCommand,
  waitUntilServicesStable,
} from '@aws-sdk/client-ecs';

import { jest } from '@jest/globals';

import type { LocalAws } from '../../tools/local-aws/index.js';
import { FAST_ROLLOUTS, startTestLocalAws } from '../helpers/local-aws.js';
import { runAction, type ActionRun } from '../helpers/run-action.js';
import { requireStack, type LocalStack } from '../helpers/stack.js';
import {
  buildTestImages,
  createService,
  frontDoorBody,
  localAdmin,
  type TestImages,
} from '../fixtures/deploy-ecs/helpers.js';

jest.setTimeout(90_000);

let stack: LocalStack;
let local: LocalAws;
let ecs: ECSClient;
let images: TestImages;
let workDir: string;
let taskDefinitionFile: string;

beforeAll(async () => {
  stack = requireStack();
  images = await buildTestImages(stack);
  local = await startTestLocalAws(stack, FAST_ROLLOUTS);
  ecs = new ECSClient({
    region: 'us-east-1',
    endpoint: local.url,
    credentials: {
      accessKeyId: stack.env['AWS_ACCESS_KEY_ID']!,
      secretAccessKey: stack.env['AWS_SECRET_ACCESS_KEY']!,
    },
  });
  await ecs.send(new CreateClusterCommand({ clusterName: 'it' }));
  workDir = mkdtempSync(join(tmpdir(), 'deploy-ecs-it-'));
  taskDefinitionFile = join(workDir, 'task-definition.json');
  writeFileSync(
    taskDefinitionFile,
    JSON.stringify({
      family: 'it-app',
      networkMode: 'awsvpc',
      requiresCompatibilities: ['FARGATE'],
      cpu: '256',
      memory: '512',
      containerDefinitions: [
        { name: 'app', image: 'placeholder', essential: true, portMappings: [{ containerPort: 3000 }] },
      ],
    }),
  );
}, 180_000);

afterAll(async () => {
  ecs?.destroy();
  await local?.close();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

/** The stand-in answers ECS and ELBv2 (target health) alike; nothing may reach real AWS. */
function localEnv(): Record<string, string> {
  return {
    ...stack.env,
    AWS_ENDPOINT_URL_ECS: local.url,
    AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2: local.url,
  };
}

/** Runs the bundle; tests that are not about the bake set none, to stay quick (bake-time: 0). */
function deployEcs(inputs: Record<string, string>, timeoutMs = 60_000): Promise<ActionRun> {
  return runAction('deploy-ecs', {
    inputs: { 'task-definition': taskDefinitionFile, cluster: 'it', 'bake-time': '0', ...inputs },
    env: localEnv(),
    timeoutMs,
  });
}

describe('deploy-ecs against the local ECS stand-in', () => {
  it('rolls out a new version, follows it to COMPLETED, and the front door serves it', async () => {
    const before = await createService(ecs, 'it', 'rollout', images.v1, {
      desiredCount: 2,
      loadBalanced: true,
    });
    expect(await frontDoorBody(local, 'rollout')).toBe('v1');

    const run = await deployEcs({
      services: 'rollout',
      container: 'app',
      image: images.v2,
    });

    expect(run.errors).toEqual([]);
    expect(run.exitCode).toBe(0);
    expect(await frontDoorBody(local, 'rollout')).toBe('v2');
    expect(run.outputs['previous-task-definition-arn']).toBe(before);
    expect(run.outputs['task-definition-arn']).toMatch(/task-definition\/it-app:\d+$/);
    expect(run.outputs['deployment-id']).toMatch(/^ecs-svc\/\d+$/);
    expect(run.outputs['rolled-back']).toBe('false');
    expect(Number(run.outputs['time-to-stable'])).toBeGreaterThan(0);
    expect(JSON.parse(run.outputs['imagedefinitions']!)).toEqual([{ name: 'app', imageUri: images.v2 }]);
    const [service] = JSON.parse(run.outputs['services']!) as { result: string; deploymentId: string }[];
    expect(service).toMatchObject({ result: 'completed', deploymentId: run.outputs['deployment-id'] });
    expect(run.summary).toMatch(
      /\| it\/rollout \| it-app:\d+ \| it-app:\d+ \| app: sha256:[0-9a-f]{12} \| [\d.]+ s \| deployed \|/,
    );
    // Progress is printed as it changes: our deployment's counts, and the stand-in's service events.
    expect(run.log).toMatch(
      /it\/rollout: ecs-svc\/\d+ PRIMARY it-app:\d+: 2\/2 running, 0 pending, 0 failed \[COMPLETED\]/,
    );
    expect(run.log).toMatch(/it\/rollout: event: .*has started 2 tasks/);
    // The load balancer's view, from DescribeTargetHealth on the stand-in's target group.
    expect(run.log).toMatch(/it\/rollout: \d\/\d healthy in rollout/);
    expect(run.warnings.filter((warning) => /target health/i.test(warning))).toEqual([]);
  });

  it('bakes a healthy release after steady state, showing target health, and keeps it', async () => {
    await createService(ecs, 'it', 'baked', images.v1, { desiredCount: 2, loadBalanced: true });

    const run = await deployEcs({ services: 'baked', container: 'app', image: images.v2, 'bake-time': '4s' });

    expect(run.errors).toEqual([]);
    expect(run.exitCode).toBe(0);
    expect(run.log).toMatch(/it\/baked: baking it-app:\d+ for 4\.0 s: watching the tasks of ecs-svc\/\d+\./);
    expect(run.log).toMatch(/it\/baked: baking, \d s left, 2\/2 running, 2\/2 healthy in baked/);
    expect(run.log).toMatch(
      /it\/baked: baked [\d.]+ s after steady state: no task of ecs-svc\/\d+ stopped; 2\/2 running, 2\/2 healthy in baked\./,
    );
    const [service] = JSON.parse(run.outputs['services']!) as { bake: string; bakeSeconds: number }[];
    expect(service).toMatchObject({ bake: 'passed' });
    expect(service!.bakeSeconds).toBeGreaterThanOrEqual(4);
    expect(run.summary).toMatch(/\| bake \| result \|[\s\S]*\| passed \([\d.]+ s\) \| deployed \|/);
    expect(await frontDoorBody(local, 'baked')).toBe('v2');
  });

  it('catches a release that crashes after it turned healthy, during the bake, and rolls back', async () => {
    const before = await createService(ecs, 'it', 'late', images.v1, { desiredCount: 1, loadBalanced: true });

    // Serves, passes its checks, reaches COMPLETED (about 2 s after listening here), then exits with 7
    // 15 s after listening: well inside the 45 s bake, which counts from steady state.
    const run = await deployEcs(
      {
        services: 'late',
        container: 'app',
        image: images.v2,
        'environment-variables': 'CRASH_AFTER_MS=15000\nCRASH_WITH=7',
        'bake-time': '45s',
      },
      85_000,
    );

    expect(run.exitCode).toBe(1);
    expect(run.errors).toHaveLength(1);
    expect(run.log).toMatch(/it\/late: it-app:\d+ is stable after/);
    expect(run.log).toMatch(/it\/late: baking it-app:\d+ for 45\.0 s/);
    expect(run.errors[0]).toMatch(
      /it\/late: (\d+ tasks? of deployment ecs-svc\/\d+ (stopped|failed)|deployment ecs-svc\/\d+ runs 0\/1 tasks|targets unhealthy in late: .*) during the bake/,
    );
    expect(run.errors[0]).toMatch(/exit code 7/);
    expect(run.errors[0]).toMatch(/rolled back to it-app:\d+$/);
    expect(run.outputs['rolled-back']).toBe('true');
    const [result] = JSON.parse(run.outputs['services']!) as { result: string; bake: string }[];
    expect(result).toMatchObject({ result: 'rolled-back', bake: 'failed' });
    expect(run.summary).toMatch(/\| FAILED after [\d.]+ s \| FAILED, rolled back \|/);
    const services = await ecs.send(new DescribeServicesCommand({ cluster: 'it', services: ['late'] }));
    expect(services.services?.[0]?.taskDefinition).toBe(before);
    expect(await frontDoorBody(local, 'late')).toBe('v1');
  });

  it('fails a release whose tasks crash with the exit code, rolls back, and the old version serves again', async () => {
    await createService(ecs, 'it', 'crashing', images.v1, {
      desiredCount: 1,
      loadBalanced: true,
      circuitBreaker: false,
    });

    const run = await deployEcs({
      services: 'crashing',
      container: 'app',
      image: images.v2,
      'environment-variables': 'CRASH_WITH=3',
    });

    expect(run.exitCode).toBe(1);
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toMatch(
      /\d+ tasks of deployment ecs-svc\/\d+ failed to start or stopped \(threshold 3\)/,
    );
    expect(run.errors[0]).toMatch(/container app exit code 3/);
    expect(run.errors[0]).toMatch(/rolled back to it-app:\d+/);
    expect(run.outputs['rolled-back']).toBe('true');
    expect(await frontDoorBody(local, 'crashing')).toBe('v1');
    expect(run.summary).toMatch(/FAILED, rolled back/);
  });

  it('follows the circuit breaker rollback and fails, where the SDK waiter would report success', async () => {
    const before = await createService(ecs, 'it', 'breaker', images.v1, {
      desiredCount: 1,
      loadBalanced: true,
    });
    await localAdmin(local, 'DELETE', '/_local/calls');

    const run = await deployEcs({
      services: 'breaker',
      container: 'app',
      image: images.v2,
      'environment-variables': 'CRASH_WITH=5',
    });

    expect(run.exitCode).toBe(1);
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toMatch(
      /it\/breaker: (the deployment circuit breaker marked deployment ecs-svc\/\d+ FAILED|deployment ecs-svc\/\d+ failed and ECS started rollback deployment ecs-svc\/\d+)/,
    );
    expect(run.errors[0]).toMatch(/exit code 5/);
    expect(run.outputs['rolled-back']).toBe('true');
    expect(run.log).toMatch(/ECS is rolling back to it-app:\d+ \(ecs-svc\/\d+\); waiting for it/);
    const { byOperation: calls } = (await localAdmin(local, 'GET', '/_local/calls')) as {
      byOperation: Record<string, number>;
    };
    // ECS rolled back by itself: the step followed that rollback instead of starting a second one.
    expect(calls['UpdateService']).toBe(1);
    const services = await ecs.send(new DescribeServicesCommand({ cluster: 'it', services: ['breaker'] }));
    expect(services.services?.[0]?.taskDefinition).toBe(before);
    expect(await frontDoorBody(local, 'breaker')).toBe('v1');
    // What the SDK's services-stable waiter (behind amazon-ecs-deploy-task-definition) says now: success.
    const waiter = await waitUntilServicesStable(
      { client: ecs, maxWaitTime: 30, minDelay: 1 },
      { cluster: 'it', services: ['breaker'] },
    );
    expect(waiter.state).toBe('SUCCESS');
  });

  it('runs the migration task first; when it fails, the step fails with its exit code and deploys nothing', async () => {
    const before = await createService(ecs, 'it', 'migrated', images.v1, { desiredCount: 1 });

    const run = await deployEcs({
      services: 'migrated',
      container: 'app',
      image: images.v2,
      'migration-command': 'echo "relation users already exists" >&2; exit 4',
    });

    expect(run.exitCode).toBe(1);
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toMatch(
      /^The migration task failed with exit code 4 .*container app exit code 4.*Nothing was deployed\. No service took it-app:\d+, so it was deregistered\.$/,
    );
    expect(run.log).toMatch(/Migration task [0-9a-f]+ started: sh -c echo/);
    const services = await ecs.send(new DescribeServicesCommand({ cluster: 'it', services: ['migrated'] }));
    expect(services.services?.[0]?.taskDefinition).toBe(before);
    // The revision the migration ran is not left ACTIVE for a later scale-out or rollback to pick.
    const unused = /No service took (it-app:\d+)/.exec(run.errors[0]!)![1]!;
    const active = await ecs.send(
      new ListTaskDefinitionsCommand({ familyPrefix: 'it-app', status: 'ACTIVE' }),
    );
    expect(active.taskDefinitionArns?.length).toBeGreaterThan(0);
    expect(active.taskDefinitionArns?.map((arn) => arn.split('/').pop())).not.toContain(unused);
  });

  it('starts from the running service, runs a passing migration, deploys and prunes old revisions', async () => {
    await createService(ecs, 'it', 'solo', images.v1, { desiredCount: 1, family: 'it-solo' });
    // Three idle older revisions of the family, of which keep-revisions: 1 keeps the newest.
    const idle: string[] = [];
    for (let index = 0; index < 3; index++) {
      const registered = await ecs.send(
        new RegisterTaskDefinitionCommand({
          family: 'it-solo',
          containerDefinitions: [{ name: 'app', image: images.v1 }],
        }),
      );
      idle.push(registered.taskDefinition!.taskDefinitionArn!);
    }

    const run = await deployEcs({
      'task-definition': '',
      'from-service': 'it/solo',
      services: 'solo',
      container: 'app',
      image: images.v2,
      'migration-command': '["node", "-e", "console.log(\\"migrated\\")"]',
      'keep-revisions': '1',
    });

    expect(run.errors).toEqual([]);
    expect(run.exitCode).toBe(0);
    expect(run.log).toMatch(/Migration task succeeded/);
    expect(run.outputs['task-definition-arn']).toMatch(/task-definition\/it-solo:5$/);
    const active = await ecs.send(
      new ListTaskDefinitionsCommand({ familyPrefix: 'it-solo', status: 'ACTIVE' }),
    );
    // it-solo:1 (ran before), :4 (newest idle, kept) and :5 (now running) stay; :2 and :3 go.
    expect(active.taskDefinitionArns?.map((arn) => arn.split(':').pop())).toEqual(['1', '4', '5']);
    expect(run.summary).toMatch(/Deregistered old revisions: it-solo:3, it-solo:2\./);
  });

  it('deploys an existing task-definition ARN as is, registering nothing', async () => {
    const v1 = await createService(ecs, 'it', 'promoted', images.v1, { desiredCount: 1 });
    const first = await deployEcs({ services: 'promoted', container: 'app', image: images.v2 });
    expect(first.exitCode).toBe(0);
    await localAdmin(local, 'DELETE', '/_local/calls');

    const run = await deployEcs({ 'task-definition': '', 'task-definition-arn': v1, services: 'promoted' });

    expect(run.errors).toEqual([]);
    expect(run.outputs['task-definition-arn']).toBe(v1);
    expect(run.outputs['previous-task-definition-arn']).toBe(first.outputs['task-definition-arn']);
    const { byOperation: calls } = (await localAdmin(local, 'GET', '/_local/calls')) as {
      byOperation: Record<string, number>;
    };
    expect(calls['RegisterTaskDefinition']).toBeUndefined();
  });

  it('still succeeds when every 3rd API call is throttled', async () => {
    await createService(ecs, 'it', 'throttled', images.v1, { desiredCount: 1 });
    await localAdmin(local, 'POST', '/_local/faults', { throttleEveryNth: 3 });
    let run: ActionRun;
    try {
      run = await deployEcs({ services: 'throttled', container: 'app', image: images.v2 });
    } finally {
      await localAdmin(local, 'DELETE', '/_local/faults');
    }
    expect(run.errors).toEqual([]);
    expect(run.exitCode).toBe(0);
    const services = await ecs.send(new DescribeServicesCommand({ cluster: 'it', services: ['throttled'] }));
    expect(services.services?.[0]?.taskDefinition).toBe(run.outputs['task-definition-arn']);
  });

  it('times out naming what is still pending', async () => {
    await createService(ecs, 'it', 'slow', images.v1, { desiredCount: 1 });
    const knobs = (await localAdmin(local, 'GET', '/_local/knobs')) as Record<string, number>;
    await localAdmin(local, 'POST', '/_local/knobs', { taskStartDelayMs: 60_000 });
    let run: ActionRun;
    try {
      run = await deployEcs({
        services: 'slow',
        container: 'app',
        image: images.v2,
        timeout: '3s',
        rollback: 'false',
      });
    } finally {
      await localAdmin(local, 'POST', '/_local/knobs', knobs);
    }
    expect(run.exitCode).toBe(1);
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toMatch(
      /it\/slow: timed out; still pending: deployment ecs-svc\/\d+ \(it-app:\d+\) 0\/1 running, 1 pending, 0 failed, rollout IN_PROGRESS.*older deployment ecs-svc\/\d+ \(it-app:\d+\) still runs 1 task/,
    );
    expect(run.errors[0]).toMatch(
      /NOT rolled back: the service points at it-app:\d+, which never became healthy/,
    );
    expect(run.durationMs).toBeLessThan(30_000);
  });

  it('on cancel stops at once and says which service is left mid-rollout', async () => {
    await createService(ecs, 'it', 'cancelled', images.v1, { desiredCount: 1 });
    const knobs = (await localAdmin(local, 'GET', '/_local/knobs')) as Record<string, number>;
    await localAdmin(local, 'POST', '/_local/knobs', { taskStartDelayMs: 60_000 });
    let run: ActionRun;
    try {
      run = await runAction('deploy-ecs', {
        inputs: {
          'task-definition': taskDefinitionFile,
          cluster: 'it',
          services: 'cancelled',
          container: 'app',
          image: images.v2,
          'bake-time': '0',
        },
        env: localEnv(),
        cancelAfterMs: 2500,
      });
    } finally {
      await localAdmin(local, 'POST', '/_local/knobs', knobs);
    }
    expect(run.exitCode).toBe(1);
    expect(run.warnings).toContain('Received SIGINT: stopping the rollout watch.');
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toMatch(
      /^Cancelled before the deploy of it-app:\d+ finished, not rolled back\. it\/cancelled is still rolling out it-app:\d+ \(ecs-svc\/\d+\), which is not healthy yet; it ran it-app:\d+ before\.$/,
    );
    // Stopped within a poll of the signal, long before the 10 minute timeout.
    expect(run.durationMs).toBeLessThan(10_000);
  });

  it('deploys 10 services in two clusters in one step', async () => {
    await ecs.send(new CreateClusterCommand({ clusterName: 'it2' }));
    const targets = Array.from({ length: 10 }, (_, index) => ({
      cluster: index < 4 ? 'it2' : 'it',
      service: `fleet-${index}`,
    }));
    await Promise.all(
      targets.map(({ cluster, service }) =>
        createService(ecs, cluster, service, images.v1, { desiredCount: 1 }),
      ),
    );
    await localAdmin(local, 'DELETE', '/_local/calls');

    const run = await deployEcs({
      services: targets
        .map(({ cluster, service }) => (cluster === 'it' ? service : `${cluster}/${service}`))
        .join('\n'),
      container: 'app',
      image: images.v2,
    });

    expect(run.errors).toEqual([]);
    expect(run.exitCode).toBe(0);
    const results = JSON.parse(run.outputs['services']!) as {
      cluster: string;
      service: string;
      result: string;
    }[];
    expect(results.map(({ cluster, service, result }) => ({ cluster, service, result }))).toEqual(
      targets.map((target) => ({ ...target, result: 'completed' })),
    );
    expect(run.outputs['deployment-id']!.split(',')).toHaveLength(10);
    const { byOperation: calls } = (await localAdmin(local, 'GET', '/_local/calls')) as {
      byOperation: Record<string, number>;
    };
    expect(calls['RegisterTaskDefinition']).toBe(1);
    expect(calls['UpdateService']).toBe(10);
    // One DescribeServices per cluster per poll (not one per service): 2 before the update, then <= 2 a poll.
    expect(calls['DescribeServices']).toBeLessThan(25);
  });

  it('refuses bad input with one ::error:: naming the input, registering nothing', async () => {
    const listRevisions = async (): Promise<number> =>
      (await ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: 'it-app' }))).taskDefinitionArns
        ?.length ?? 0;
    const revisions = await listRevisions();

    const missing = await deployEcs({ services: 'no-such-service', container: 'app', image: images.v2 });
    expect(missing.exitCode).toBe(1);
    expect(missing.errors).toEqual([
      'Input "services" names it/no-such-service, which does not exist: check the names and clusters, or set create-service-if-missing: true.',
    ]);

    const mutable = await deployEcs({
      services: 'rollout',
      container: 'app',
      image: `${stack.registry}/x:latest`,
    });
    expect(mutable.exitCode).toBe(1);
    expect(mutable.errors).toHaveLength(1);
    expect(mutable.errors[0]).toMatch(
      /^Input "allow-mutable-image" is false and app \(.*x:latest\) is not pinned/,
    );

    const badTimeout = await deployEcs({ services: 'rollout', timeout: 'soon' });
    expect(badTimeout.errors).toEqual([
      'Input "timeout" must be a duration like 500ms, 30s or 5m, got "soon".',
    ]);
    // awsvpc (the file's networkMode) without network-configuration: ECS would refuse the CreateService.
    const noNetwork = await deployEcs({
      services: 'brand-new',
      container: 'app',
      image: images.v2,
      'create-service-if-missing': 'true',
    });
    expect(noNetwork.exitCode).toBe(1);
    expect(noNetwork.errors).toHaveLength(1);
    expect(noNetwork.errors[0]).toMatch(
      /^Input "network-configuration" is empty, but create-service-if-missing would create it\/brand-new from it-app, whose networkMode is awsvpc/,
    );
    for (const run of [missing, mutable, badTimeout, noNetwork]) expect(run.log).not.toMatch(/at .*\.js:\d+/);
    expect(await listRevisions()).toBe(revisions);
  });
});
