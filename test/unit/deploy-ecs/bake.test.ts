// deploy() after steady state: COMPLETED checked against our own counts, the bake window, target health.
import {
  DescribeServicesCommand,
  DescribeTasksCommand,
  ECSClient,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
  type Deployment,
  type Service,
} from '@aws-sdk/client-ecs';
import {
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client,
  type TargetHealthDescription,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { mockClient } from 'aws-sdk-client-mock';

import { resolveTaskDefinition, type DeployRequest } from '../../../actions/deploy-ecs/src/deploy.js';
import { servicesOutput, summaryMarkdown } from '../../../actions/deploy-ecs/src/report.js';
import {
  deployment,
  harness as deployHarness,
  request as deployRequest,
  run,
  service as serviceOf,
} from './harness.js';

const OLD = 'arn:aws:ecs:us-east-1:1:task-definition/web:4';
const NEW = 'arn:aws:ecs:us-east-1:1:task-definition/web:5';
const TG = 'arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/tg-web/73e2d6bc24d8a067';

const ecs = mockClient(ECSClient);
const elb = mockClient(ElasticLoadBalancingV2Client);

const harness = (): ReturnType<typeof deployHarness> =>
  deployHarness({ elb: new ElasticLoadBalancingV2Client({ region: 'us-east-1' }) });
/** The deploy request with a one-minute bake window. */
const request = (overrides: Partial<DeployRequest> = {}): DeployRequest =>
  deployRequest({ bakeTimeMs: 60_000, ...overrides });

function service(deployments: Deployment[], loadBalanced = false, breaker = true): Service {
  return serviceOf(deployments, {
    breaker,
    ...(loadBalanced
      ? { loadBalancers: [{ targetGroupArn: TG, containerName: 'web', containerPort: 80 }] }
      : {}),
  });
}

const OLD_STABLE = service([deployment(OLD, 'ecs-svc/old')]);
const ROLLBACK_DONE = service([deployment(OLD, 'ecs-svc/back')]);

/**
 * The service over time: before the update; after it, `afterUpdate(poll)` for each poll (1, 2, ...);
 * after our rollback UpdateService, the old revision settled.
 */
function scenario(afterUpdate: (poll: number) => Service): { polls: () => number } {
  let polls = 0;
  let rolledBack = false;
  ecs.on(UpdateServiceCommand, { taskDefinition: NEW }).resolves({
    service: service([deployment(NEW, 'ecs-svc/new', { runningCount: 0, rolloutState: 'IN_PROGRESS' })]),
  });
  ecs.on(UpdateServiceCommand, { taskDefinition: OLD }).callsFake(() => {
    rolledBack = true;
    return { service: service([deployment(OLD, 'ecs-svc/back', { rolloutState: 'IN_PROGRESS' })]) };
  });
  let described = 0;
  ecs.on(DescribeServicesCommand).callsFake(() => {
    const snapshot = described++ === 0 ? OLD_STABLE : rolledBack ? ROLLBACK_DONE : afterUpdate(++polls);
    return { services: [snapshot] };
  });
  return { polls: () => polls };
}

/** ListTasks STOPPED lists `stopped()` task ids; DescribeTasks says each was ours and exited with 3. */
function stoppedTasks(stopped: () => string[]): void {
  ecs.on(ListTasksCommand).callsFake(() => ({
    taskArns: stopped().map((id) => `arn:aws:ecs:us-east-1:1:task/prod/${id}`),
  }));
  ecs.on(DescribeTasksCommand).callsFake((input: { tasks: string[] }) => ({
    tasks: input.tasks.map((taskArn) => ({
      taskArn,
      startedBy: 'ecs-svc/new',
      taskDefinitionArn: NEW,
      stoppedReason: 'Essential container in task exited',
      containers: [{ name: 'web', exitCode: 3 }],
    })),
  }));
}

const target = (id: string, state: string, description?: string): TargetHealthDescription => ({
  Target: { Id: id, Port: 80 },
  TargetHealth: { State: state as 'healthy', ...(description ? { Description: description } : {}) },
});

beforeEach(() => {
  ecs.reset();
  elb.reset();
  ecs.on(RegisterTaskDefinitionCommand).resolves({ taskDefinition: { taskDefinitionArn: NEW } });
  ecs.on(ListTasksCommand).resolves({ taskArns: [] });
});

describe('COMPLETED is not taken on trust', () => {
  it('keeps following a COMPLETED that shows its own failed task and nothing running, and fails at the threshold', async () => {
    const h = harness();
    // The trace: desired 1, COMPLETED, failedTasks 1, runningCount 0; then replacements crash too.
    const trace = (failed: number, pending: number): Service =>
      service([
        deployment(NEW, 'ecs-svc/new', {
          desiredCount: 1,
          runningCount: 0,
          pendingCount: pending,
          failedTasks: failed,
        }),
      ]);
    scenario((poll) => (poll === 1 ? trace(1, 0) : poll === 2 ? trace(1, 1) : trace(poll >= 4 ? 3 : 2, 1)));
    const stopped = ['t1'];
    stoppedTasks(() => stopped);

    const result = await run(h, request({ bakeTimeMs: 0 }));

    expect(result.services[0]).toMatchObject({
      outcome: 'rolled-back',
      rollbackDeploymentId: 'ecs-svc/back',
    });
    expect(result.failure).toMatch(
      /^Deploy of web:5 failed\. prod\/web: deployment ecs-svc\/new reported COMPLETED, but 3 of its tasks failed or stopped \(threshold 3\) and it runs 0\/1: not accepted; last task t1 stopped: Essential container in task exited; container web exit code 3; rolled back to web:4$/,
    );
    expect(h.lines).toContain(
      'WARN prod/web: deployment ecs-svc/new reports COMPLETED but 0/1 running, 0 pending, 1 failed: not accepted until it runs 1/1 with none pending',
    );
    expect(h.lines.filter((line) => line.includes('is stable after'))).toEqual([]);
    expect(ecs.commandCalls(UpdateServiceCommand)[1]!.args[0].input).toEqual({
      cluster: 'prod',
      service: 'web',
      taskDefinition: OLD,
    });
  });

  it('confirms a COMPLETED after failed tasks with a bake even when bake-time is 0', async () => {
    const h = harness();
    scenario(() => service([deployment(NEW, 'ecs-svc/new', { failedTasks: 1 })]));
    const result = await run(h, request({ bakeTimeMs: 0 }));
    expect(result.failure).toBeUndefined();
    expect(result.services[0]!.bake).toEqual({ state: 'passed', watchedMs: 120_000 });
    expect(h.lines).toContain(
      'prod/web: baking web:5 for 2 m 00 s: watching the tasks of ecs-svc/new (ECS marked it COMPLETED after 1 of its tasks failed or stopped: the bake must confirm it).',
    );
  });
});

describe('bake-time', () => {
  it('catches a task that crashes after COMPLETED, fails the deploy and rolls back', async () => {
    const h = harness();
    let crashed = false;
    scenario((poll) => {
      crashed ||= poll >= 4;
      // ECS starts the replacement at once: the counts barely move, and failedTasks stays 0.
      return service([deployment(NEW, 'ecs-svc/new', crashed ? { runningCount: 1, pendingCount: 1 } : {})]);
    });
    stoppedTasks(() => (crashed ? ['t9'] : []));

    const result = await run(h, request());

    expect(result.rolledBack).toBe(true);
    expect(result.services[0]).toMatchObject({
      outcome: 'rolled-back',
      bake: { state: 'failed', watchedMs: 4000 },
    });
    expect(result.failure).toMatch(
      /prod\/web: 1 task of deployment ecs-svc\/new stopped during the bake, 4\.0 s after it completed; last task t9 stopped: Essential container in task exited; container web exit code 3; rolled back to web:4$/,
    );
    expect(result.timeToStableMs).toBeUndefined();
    expect(ecs.commandCalls(UpdateServiceCommand).map((call) => call.args[0].input.taskDefinition)).toEqual([
      NEW,
      OLD,
    ]);
    expect(h.lines).toContain(
      'prod/web: task t9 stopped: Essential container in task exited; container web exit code 3',
    );
    // Listed by our deployment id, so other deployments' stopped tasks cannot crowd ours off the page.
    expect(ecs.commandCalls(ListTasksCommand).map((call) => call.args[0].input)).toContainEqual({
      cluster: 'prod',
      startedBy: 'ecs-svc/new',
      desiredStatus: 'STOPPED',
      maxResults: 100,
    });
    const { taskDefinition } = await resolveTaskDefinition(h.deps, request());
    expect(summaryMarkdown(result, taskDefinition)).toMatch(
      /\| bake \| result \|[\s\S]*\| FAILED after 4\.0 s \| FAILED, rolled back \|/,
    );
  });

  it('says NOT rolled back, failed its bake, when rollback is off', async () => {
    const h = harness();
    scenario((poll) => service([deployment(NEW, 'ecs-svc/new', poll >= 3 ? { runningCount: 1 } : {})]));
    const result = await run(h, request({ rollback: false }));
    expect(result.failure).toMatch(
      /deployment ecs-svc\/new runs 1\/2 tasks during the bake.*NOT rolled back: the service points at web:5, which failed its bake$/,
    );
    expect(ecs.commandCalls(UpdateServiceCommand)).toHaveLength(1);
  });

  it('passes a quiet bake, prints how long is left, and reports it in the summary and outputs', async () => {
    const h = harness();
    scenario(() => service([deployment(NEW, 'ecs-svc/new')], true));
    elb.on(DescribeTargetHealthCommand).resolves({
      TargetHealthDescriptions: [target('10.0.0.1', 'healthy'), target('10.0.0.2', 'healthy')],
    });

    const result = await run(h, request({ bakeTimeMs: 30_000 }));

    expect(result.failure).toBeUndefined();
    expect(result.timeToStableMs).toBe(0);
    expect(result.services[0]!.bake).toEqual({ state: 'passed', watchedMs: 30_000 });
    expect(h.lines).toEqual(
      expect.arrayContaining([
        'prod/web: 2/2 healthy in tg-web',
        'prod/web: baking web:5 for 30.0 s: watching the tasks of ecs-svc/new.',
        'prod/web: baking, 30 s left, 2/2 running, 2/2 healthy in tg-web',
        'prod/web: baking, 24 s left, 2/2 running, 2/2 healthy in tg-web',
        'prod/web: baked 30.0 s after steady state: no task of ecs-svc/new stopped; 2/2 running, 2/2 healthy in tg-web.',
      ]),
    );
    const [entry] = JSON.parse(servicesOutput(result)) as Record<string, unknown>[];
    expect(entry).toMatchObject({ result: 'completed', bake: 'passed', bakeSeconds: 30 });
  });

  it('fails the bake when a target turns unhealthy, naming the target group and its reason', async () => {
    const h = harness();
    let polls = 0;
    scenario(() => service([deployment(NEW, 'ecs-svc/new')], true));
    elb.on(DescribeTargetHealthCommand).callsFake(() => ({
      TargetHealthDescriptions:
        ++polls < 3
          ? [target('10.0.0.1', 'healthy'), target('10.0.0.2', 'healthy'), target('10.0.0.9', 'draining')]
          : [
              target('10.0.0.1', 'healthy'),
              target('10.0.0.2', 'unhealthy', 'Health checks failed with these codes: [500]'),
            ],
    }));

    const result = await run(h, request());

    expect(h.lines).toContain('prod/web: 2/2 healthy in tg-web, 1 draining');
    expect(h.lines).toContain(
      'prod/web: 1/2 healthy in tg-web, 1 unhealthy (Health checks failed with these codes: [500])',
    );
    expect(result.services[0]!.outcome).toBe('rolled-back');
    expect(result.failure).toMatch(
      /prod\/web: targets unhealthy in tg-web: Health checks failed with these codes: \[500\] during the bake, [\d.]+ s after it completed; rolled back to web:4$/,
    );
  });

  it('names the target-group reason when a rollout fails', async () => {
    const h = harness();
    scenario(() =>
      service(
        [deployment(NEW, 'ecs-svc/new', { runningCount: 0, failedTasks: 3, rolloutState: 'IN_PROGRESS' })],
        true,
        false,
      ),
    );
    elb.on(DescribeTargetHealthCommand).resolves({
      TargetHealthDescriptions: [target('10.0.0.3', 'unhealthy', 'Request timed out')],
    });
    const result = await run(h, request());
    expect(result.failure).toMatch(
      /3 tasks of deployment ecs-svc\/new failed.*; targets unhealthy in tg-web: Request timed out; rolled back/,
    );
  });

  it('goes on without target health when DescribeTargetHealth is denied, warning once', async () => {
    const h = harness();
    scenario(() => service([deployment(NEW, 'ecs-svc/new')], true));
    elb.on(DescribeTargetHealthCommand).rejects(
      Object.assign(
        new Error('User is not authorized to perform: elasticloadbalancing:DescribeTargetHealth'),
        {
          name: 'AccessDenied',
          $metadata: { httpStatusCode: 403 },
        },
      ),
    );
    const result = await run(h, request({ bakeTimeMs: 10_000 }));
    expect(result.failure).toBeUndefined();
    expect(result.services[0]!.bake?.state).toBe('passed');
    const warnings = h.lines.filter((line) => line.startsWith('WARN'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(
      /^WARN Target health is not shown: AWS denied elasticloadbalancing:DescribeTargetHealth .*the deploy goes on without it\.$/,
    );
    expect(elb.commandCalls(DescribeTargetHealthCommand)).toHaveLength(1);
  });

  it('does not bake when bake-time is 0 or the step does not wait', async () => {
    for (const overrides of [{ bakeTimeMs: 0 }, { waitForStability: false }]) {
      ecs.reset();
      ecs.on(RegisterTaskDefinitionCommand).resolves({ taskDefinition: { taskDefinitionArn: NEW } });
      ecs.on(ListTasksCommand).resolves({ taskArns: [] });
      const h = harness();
      const { polls } = scenario(() => service([deployment(NEW, 'ecs-svc/new')]));
      const result = await run(h, request(overrides));
      expect(result.failure).toBeUndefined();
      expect(result.services[0]!.bake).toBeUndefined();
      expect(polls()).toBeLessThanOrEqual(1);
      expect(h.lines.filter((line) => line.includes('bak'))).toEqual([]);
    }
  });

  it('rolls back a service that failed its rollout first, then bakes the ones that completed', async () => {
    const h = harness();
    let rolledBack = false;
    ecs.on(UpdateServiceCommand, { taskDefinition: NEW }).callsFake((input: { cluster: string }) => ({
      service: service([
        deployment(NEW, `ecs-svc/${input.cluster}`, { runningCount: 0, rolloutState: 'IN_PROGRESS' }),
      ]),
    }));
    ecs.on(UpdateServiceCommand, { taskDefinition: OLD }).callsFake(() => {
      rolledBack = true;
      return { service: service([deployment(OLD, 'ecs-svc/back', { rolloutState: 'IN_PROGRESS' })]) };
    });
    const described = new Map<string, number>();
    ecs.on(DescribeServicesCommand).callsFake((input: { cluster: string }) => {
      const count = described.get(input.cluster) ?? 0;
      described.set(input.cluster, count + 1);
      if (count === 0) return { services: [OLD_STABLE] };
      if (input.cluster === 'eu') {
        // No breaker: tasks keep crashing until the step stops it at the threshold.
        const crashing = deployment(NEW, 'ecs-svc/eu', {
          runningCount: 0,
          failedTasks: 3,
          rolloutState: 'IN_PROGRESS',
        });
        return { services: [rolledBack ? ROLLBACK_DONE : service([crashing], false, false)] };
      }
      return { services: [service([deployment(NEW, 'ecs-svc/prod')])] };
    });

    const result = await run(
      h,
      request({
        targets: [
          { cluster: 'eu', service: 'web' },
          { cluster: 'prod', service: 'web' },
        ],
        bakeTimeMs: 20_000,
      }),
    );

    expect(result.services.map((entry) => [entry.outcome, entry.bake?.state])).toEqual([
      ['rolled-back', undefined],
      ['completed', 'passed'],
    ]);
    const rolledBackAt = h.lines.indexOf('WARN eu/web: rolled back; web:4 is serving again.');
    const bakeStartedAt = h.lines.findIndex((line) => line.startsWith('prod/web: baking web:5'));
    expect(rolledBackAt).toBeGreaterThan(-1);
    expect(bakeStartedAt).toBeGreaterThan(rolledBackAt);
    expect(result.failure).toMatch(/^Deploy of web:5 failed\. eu\/web: 3 tasks .*; rolled back to web:4$/);
  });

  it('does not roll back over a newer deploy that replaced ours during the bake', async () => {
    const h = harness();
    const NEWER = 'arn:aws:ecs:us-east-1:1:task-definition/web:6';
    scenario((poll) =>
      poll < 3
        ? service([deployment(NEW, 'ecs-svc/new')])
        : service([
            deployment(NEWER, 'ecs-svc/theirs', { runningCount: 0, rolloutState: 'IN_PROGRESS' }),
            deployment(NEW, 'ecs-svc/new', { status: 'ACTIVE' }),
          ]),
    );
    const result = await run(h, request());
    expect(result.services[0]!.outcome).toBe('superseded');
    expect(result.failure).toMatch(/replaced during the bake by ecs-svc\/theirs \(web:6\).*NOT rolled back/);
    expect(ecs.commandCalls(UpdateServiceCommand)).toHaveLength(1);
  });

  it('on cancel during the bake, stops and says the bake was cut short, without rolling back', async () => {
    const h = harness();
    const cancel = new AbortController();
    h.deps.signal = cancel.signal;
    scenario((poll) => {
      if (poll === 3) cancel.abort();
      return service([deployment(NEW, 'ecs-svc/new')]);
    });
    const result = await run(h, request());
    expect(result.failure).toMatch(
      /^Cancelled before the deploy of web:5 finished, not rolled back\. prod\/web reached steady state on web:5 \(ecs-svc\/new\), but its bake was cut short after [\d.]+ s; it ran web:4 before\.$/,
    );
    expect(result.services[0]!.outcome).toBe('cancelled');
    expect(ecs.commandCalls(UpdateServiceCommand)).toHaveLength(1);
  });
});
