// The ECS/ECR stand-in end to end: real Docker, the local registry, the real AWS SDK clients.
// The sample app is built twice (1.0.0, 2.0.0) from the stack's base image and pushed with an ECR token.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { CloudWatchLogsClient, GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import {
  CreateClusterCommand,
  CreateServiceCommand,
  DescribeServicesCommand,
  DescribeTasksCommand,
  ECSClient,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
  waitUntilServicesStable,
  type RegisterTaskDefinitionCommandInput,
  type Service,
} from '@aws-sdk/client-ecs';
import {
  CreateRepositoryCommand,
  DescribeImagesCommand,
  ECRClient,
  GetAuthorizationTokenCommand,
} from '@aws-sdk/client-ecr';

import { buildTestImage, dockerCli, pushImage, type DockerCli } from '../helpers/docker.js';
import { FAST_ROLLOUTS, startTestLocalAws } from '../helpers/local-aws.js';
import { REPO_ROOT } from '../helpers/run-action.js';
import { requireStack, type LocalStack } from '../helpers/stack.js';
import type { LocalAws } from '../../tools/local-aws/index.js';

const credentials = { accessKeyId: 'AKIALOCALTEST', secretAccessKey: 'local-test-secret' };

// The real sample app (sample-app/Dockerfile) and its real task definition, made local.
const SAMPLE_APP = join(REPO_ROOT, 'sample-app');
const TASK_DEFINITION = JSON.parse(
  readFileSync(join(SAMPLE_APP, 'task-definition.json'), 'utf8'),
) as RegisterTaskDefinitionCommandInput;

let stack: LocalStack;
let localAws: LocalAws;
let ecs: ECSClient;
let ecr: ECRClient;
let docker: DockerCli;
let repositoryUri: string;
const cluster = 'itest';
const NETWORK = { awsvpcConfiguration: { subnets: ['subnet-local'] } };

async function admin(path: string, method = 'GET', body?: unknown): Promise<unknown> {
  const response = await fetch(`${localAws.url}/_local/${path}`, {
    method,
    ...(body === undefined
      ? {}
      : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
  });
  expect(response.ok).toBe(true);
  return response.json();
}

async function frontDoorUrl(service: string): Promise<string> {
  const { services } = (await admin('services')) as {
    services: { serviceName: string; frontDoorUrl?: string }[];
  };
  const url = services.find((entry) => entry.serviceName === service)?.frontDoorUrl;
  expect(url).toBeDefined();
  return url!;
}

async function describe1(service: string): Promise<Service> {
  const answer = await ecs.send(new DescribeServicesCommand({ cluster, services: [service] }));
  return answer.services![0]!;
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 45_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function ourContainers(): Promise<string[]> {
  const out = await docker.run([
    'ps',
    '-a',
    '--filter',
    `label=shipkit.local-aws=${localAws.instanceId}`,
    '--format',
    '{{.Label "shipkit.local-aws.task"}}',
  ]);
  return out.split('\n').filter(Boolean).sort();
}

function registerApp(version: string, command?: string[]): Promise<unknown> {
  const [web] = TASK_DEFINITION.containerDefinitions!;
  return ecs.send(
    new RegisterTaskDefinitionCommand({
      ...TASK_DEFINITION,
      family: 'itest-web',
      executionRoleArn: TASK_DEFINITION.executionRoleArn!.replace('ACCOUNT_ID', '000000000000'),
      taskRoleArn: TASK_DEFINITION.taskRoleArn!.replace('ACCOUNT_ID', '000000000000'),
      containerDefinitions: [
        { ...web!, image: `${repositoryUri}:${version}`, ...(command ? { command } : {}) },
      ],
    }),
  );
}

beforeAll(async () => {
  stack = requireStack();
  docker = dockerCli(stack, { name: 'local-aws-itest' });
  localAws = await startTestLocalAws(stack, {
    ...FAST_ROLLOUTS,
    healthCheckIntervalMs: 500,
    circuitBreakerThreshold: 2,
  });
  const config = { endpoint: localAws.url, region: 'us-east-1', credentials };
  ecs = new ECSClient(config);
  ecr = new ECRClient(config);

  // Log in with what GetAuthorizationToken hands out, as amazon-ecr-login does.
  const auth = (await ecr.send(new GetAuthorizationTokenCommand({}))).authorizationData![0]!;
  const [user, password] = Buffer.from(auth.authorizationToken!, 'base64').toString().split(':') as [
    string,
    string,
  ];
  const login = await docker.login(auth.proxyEndpoint!, user, password);
  expect(login).toMatch(/Login Succeeded/);

  const name = `local-aws-itest/web-${Date.now().toString(36)}`;
  repositoryUri = (await ecr.send(new CreateRepositoryCommand({ repositoryName: name }))).repository!
    .repositoryUri!;
  for (const version of ['1.0.0', '2.0.0']) {
    const tag = `${repositoryUri}:${version}`;
    await buildTestImage(docker, stack, { context: SAMPLE_APP, tag, appVersion: version });
    await pushImage(docker, tag);
  }
  await ecs.send(new CreateClusterCommand({ clusterName: cluster }));
}, 120_000);

afterAll(async () => {
  await localAws?.close();
  if (localAws) expect(await ourContainers()).toEqual([]);
  ecs?.destroy();
  ecr?.destroy();
  docker?.dispose();
}, 60_000);

describe('local-aws on Docker, through the AWS SDK', () => {
  it('lists the pushed images with their digests', async () => {
    const images = await ecr.send(
      new DescribeImagesCommand({ repositoryName: repositoryUri.split('/').slice(1).join('/') }),
    );
    const tags = images.imageDetails!.flatMap((detail) => detail.imageTags ?? []).sort();
    expect(tags).toEqual(['1.0.0', '2.0.0']);
    for (const detail of images.imageDetails!) {
      expect(detail.imageDigest).toMatch(/^sha256:[0-9a-f]{64}$/);
      expect(detail.imageSizeInBytes).toBeGreaterThan(1000);
      expect(detail.imagePushedAt).toBeInstanceOf(Date);
    }
  });

  it('deploys v1 behind a front door, rolls to v2, and removes the old containers', async () => {
    await registerApp('1.0.0');
    await ecs.send(
      new CreateServiceCommand({
        cluster,
        serviceName: 'web',
        taskDefinition: 'itest-web',
        desiredCount: 2,
        launchType: 'FARGATE',
        networkConfiguration: NETWORK,
        // Target checks run every 200 ms here: the grace period lets the app start on a busy machine.
        healthCheckGracePeriodSeconds: 30,
        loadBalancers: [
          {
            targetGroupArn:
              'arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/web/0123456789abcdef',
            containerName: 'web',
            containerPort: 8080,
          },
        ],
        deploymentConfiguration: {
          deploymentCircuitBreaker: { enable: true, rollback: true },
          maximumPercent: 200,
          minimumHealthyPercent: 100,
        },
      }),
    );
    await waitUntilServicesStable(
      { client: ecs, maxWaitTime: 90, minDelay: 1, maxDelay: 1 },
      { cluster, services: ['web'] },
    );
    // As on ECS, the first deployment is "stable" once its tasks RUN; the load balancer waits for HEALTHY.
    const door = await frontDoorUrl('web');
    await until('both targets healthy', async () => {
      const { services } = (await admin('services')) as {
        services: { serviceName: string; healthyTargets: number }[];
      };
      return services.find((entry) => entry.serviceName === 'web')?.healthyTargets === 2 ? true : undefined;
    });
    const first = await until('the front door', async () => {
      const response = await fetch(`${door}/api/health-check`);
      if (response.status !== 200) {
        expect(response.status).toBe(503);
        return undefined;
      }
      return response.json();
    });
    expect(first).toEqual({ success: true, ver: '1.0.0' });
    const v1Tasks = (await ecs.send(new ListTasksCommand({ cluster, serviceName: 'web' }))).taskArns!.sort();
    expect(v1Tasks).toHaveLength(2);
    expect(await ourContainers()).toEqual(v1Tasks);

    const described = await ecs.send(new DescribeTasksCommand({ cluster, tasks: v1Tasks }));
    for (const task of described.tasks!) {
      expect(task.lastStatus).toBe('RUNNING');
      expect(task.healthStatus).toBe('HEALTHY');
      expect(task.containers![0]!.imageDigest).toMatch(/^sha256:/);
      expect(task.containers![0]!.networkBindings![0]!.containerPort).toBe(8080);
    }

    await registerApp('2.0.0');
    const updated = await ecs.send(
      new UpdateServiceCommand({ cluster, service: 'web', taskDefinition: 'itest-web' }),
    );
    expect(updated.service!.deployments!.map((deployment) => deployment.status)).toEqual([
      'PRIMARY',
      'ACTIVE',
    ]);
    expect(updated.service!.deployments![0]!.rolloutState).toBe('IN_PROGRESS');
    // While the rollout runs, the front door keeps answering (v1, then v1 and v2, then v2).
    await waitUntilServicesStable(
      { client: ecs, maxWaitTime: 90, minDelay: 1, maxDelay: 1 },
      { cluster, services: ['web'] },
    );
    expect(await (await fetch(`${door}/api/health-check`)).json()).toEqual({ success: true, ver: '2.0.0' });

    const service = await describe1('web');
    expect(service.deployments).toHaveLength(1);
    expect(service.deployments![0]!.rolloutState).toBe('COMPLETED');
    expect(service.taskDefinition).toMatch(/itest-web:2$/);
    expect(service.events!.map((event) => event.message)[0]).toBe(
      '(service web) has reached a steady state.',
    );
    const v2Tasks = (await ecs.send(new ListTasksCommand({ cluster, serviceName: 'web' }))).taskArns!.sort();
    expect(v2Tasks.some((arn) => v1Tasks.includes(arn))).toBe(false);
    expect(await ourContainers()).toEqual(v2Tasks);
    const stopped = await ecs.send(new DescribeTasksCommand({ cluster, tasks: v1Tasks }));
    for (const task of stopped.tasks!) {
      expect(task.lastStatus).toBe('STOPPED');
      expect(task.stopCode).toBe('ServiceSchedulerInitiated');
      expect(task.stoppedReason).toMatch(/^Scaling activity initiated by \(deployment ecs-svc\/\d+\)$/);
      expect(task.containers![0]!.exitCode).toBe(0);
    }
    // The task definition's awslogs configuration: the stopped container's lines stay readable.
    const logs = new CloudWatchLogsClient({ endpoint: localAws.url, region: 'us-east-1', credentials });
    const stream = `web/web/${v1Tasks[0]!.split('/').at(-1)!}`;
    const events = await logs.send(
      new GetLogEventsCommand({
        logGroupName: '/ecs/shipkit-sample-app',
        logStreamName: stream,
        startFromHead: true,
      }),
    );
    const lines = events.events!.map((event) => event.message!);
    expect(lines.some((line) => line.includes('SIGTERM: finishing in-flight requests'))).toBe(true);
    expect(lines.at(-1)).toMatch(/stopped/);
    logs.destroy();
  }, 150_000);

  it('never completes a release that crashes 1.5 s after start behind the load balancer: FAILED, back to v2', async () => {
    // Never listens, exits 1.5 s in: RUNNING for a while, its target never healthy.
    await registerApp('1.0.0', ['node', '-e', 'setTimeout(() => process.exit(3), 1500)']);
    const update = await ecs.send(
      new UpdateServiceCommand({ cluster, service: 'web', taskDefinition: 'itest-web' }),
    );
    const crashingId = update.service!.deployments![0]!.id!;
    const states = new Set<string>();
    // The FAILED deployment leaves the list as soon as its tasks are gone (as on ECS), so follow the events.
    const failed = await until('the circuit breaker', async () => {
      const service = await describe1('web');
      const crashing = service.deployments!.find((deployment) => deployment.id === crashingId);
      if (crashing) states.add(crashing.rolloutState!);
      return service.events!.some((event) => event.message!.includes('rolling back')) ? service : undefined;
    });
    expect(states).not.toContain('COMPLETED');
    expect(
      failed.events!.some((event) =>
        event.message!.includes(`(deployment ${crashingId}) deployment completed`),
      ),
    ).toBe(false);
    const messages = failed.events!.map((event) => event.message!);
    const failedEvent = messages.find((message) =>
      message.endsWith('deployment failed: tasks failed to start.'),
    );
    expect(failedEvent).toMatch(/^\(service web\) \(deployment ecs-svc\/\d+\) deployment failed/);
    expect(
      messages.some((message) => /^\(service web\) rolling back to deployment ecs-svc\/\d+\.$/.test(message)),
    ).toBe(true);
    expect(failed.deployments![0]!.status).toBe('PRIMARY');
    expect(failed.deployments![0]!.taskDefinition).toMatch(/itest-web:2$/);
    const failedDeployment = failed.deployments!.find((deployment) => deployment.rolloutState === 'FAILED');
    if (failedDeployment) {
      expect(failedDeployment.taskDefinition).toMatch(/itest-web:3$/);
      expect(failedDeployment.rolloutStateReason).toBe(
        'ECS deployment circuit breaker: tasks failed to start.',
      );
    }

    await waitUntilServicesStable(
      { client: ecs, maxWaitTime: 90, minDelay: 1, maxDelay: 1 },
      { cluster, services: ['web'] },
    );
    const service = await describe1('web');
    expect(service.taskDefinition).toMatch(/itest-web:2$/);
    expect(service.deployments![0]!.rolloutState).toBe('COMPLETED');
    expect(await (await fetch(`${await frontDoorUrl('web')}/api/health-check`)).json()).toEqual({
      success: true,
      ver: '2.0.0',
    });

    const stoppedArns = (
      await ecs.send(new ListTasksCommand({ cluster, serviceName: 'web', desiredStatus: 'STOPPED' }))
    ).taskArns!;
    const stopped = (await ecs.send(new DescribeTasksCommand({ cluster, tasks: stoppedArns }))).tasks!;
    // Tasks of the failed revision either crashed (exit 3) or were still starting when the rollback stopped them.
    const ofFailed = stopped.filter((task) => task.taskDefinitionArn!.endsWith(':3'));
    const crashed = ofFailed.filter((task) => task.stopCode === 'EssentialContainerExited');
    expect(crashed.length).toBeGreaterThanOrEqual(2);
    for (const task of crashed) {
      expect(task.stoppedReason).toBe('Essential container in task exited');
      expect(task.containers![0]!.exitCode).toBe(3);
    }
    for (const task of ofFailed.filter((candidate) => !crashed.includes(candidate))) {
      expect(task.stoppedReason).toMatch(/^Scaling activity initiated by \(deployment ecs-svc\/\d+\)$/);
    }
  }, 150_000);

  it('replaces a task that an injected fault crashes, and answers 503 when nothing is healthy', async () => {
    await admin(`services/${cluster}/web/faults`, 'POST', { crash: 1, crashAfterSeconds: 0 });
    const before = (await ecs.send(new ListTasksCommand({ cluster, serviceName: 'web' }))).taskArns!;
    await ecs.send(new UpdateServiceCommand({ cluster, service: 'web', forceNewDeployment: true }));
    await waitUntilServicesStable(
      { client: ecs, maxWaitTime: 90, minDelay: 1, maxDelay: 1 },
      { cluster, services: ['web'] },
    );
    const after = (await ecs.send(new ListTasksCommand({ cluster, serviceName: 'web' }))).taskArns!;
    expect(after.some((arn) => before.includes(arn))).toBe(false);
    const stopped = (
      await ecs.send(new ListTasksCommand({ cluster, serviceName: 'web', desiredStatus: 'STOPPED' }))
    ).taskArns!;
    const tasks = (await ecs.send(new DescribeTasksCommand({ cluster, tasks: stopped }))).tasks!;
    expect(
      tasks.some((task) => task.taskDefinitionArn!.endsWith(':2') && task.containers![0]!.exitCode === 137),
    ).toBe(true);

    await ecs.send(new UpdateServiceCommand({ cluster, service: 'web', desiredCount: 0 }));
    const door = await frontDoorUrl('web');
    await until('no healthy targets', async () =>
      (await fetch(`${door}/api/health-check`)).status === 503 ? true : undefined,
    );
    await waitUntilServicesStable(
      { client: ecs, maxWaitTime: 30, minDelay: 1, maxDelay: 1 },
      { cluster, services: ['web'] },
    );
    // runningCount drops as tasks leave RUNNING; their containers go once the graceful stop ends.
    await until('the containers removed', async () =>
      (await ourContainers()).length === 0 ? true : undefined,
    );
  }, 150_000);
  it('keeps a slow but healthy container whose check takes 2 s under the task definition timeout of 5 s', async () => {
    const [web] = TASK_DEFINITION.containerDefinitions!;
    await ecs.send(
      new RegisterTaskDefinitionCommand({
        ...TASK_DEFINITION,
        family: 'itest-slow',
        executionRoleArn: TASK_DEFINITION.executionRoleArn!.replace('ACCOUNT_ID', '000000000000'),
        taskRoleArn: TASK_DEFINITION.taskRoleArn!.replace('ACCOUNT_ID', '000000000000'),
        containerDefinitions: [
          {
            ...web!,
            image: `${repositoryUri}:1.0.0`,
            // Every check takes 2 s: longer than the 1 s the stand-in used to impose, within ECS's 5 s.
            healthCheck: { command: ['CMD-SHELL', 'sleep 2'], interval: 5, timeout: 5, retries: 2 },
          },
        ],
      }),
    );
    await ecs.send(
      new CreateServiceCommand({
        cluster,
        serviceName: 'slow',
        taskDefinition: 'itest-slow',
        desiredCount: 1,
        launchType: 'FARGATE',
        networkConfiguration: NETWORK,
      }),
    );
    const task = await until('the slow task HEALTHY', async () => {
      const arns = (await ecs.send(new ListTasksCommand({ cluster, serviceName: 'slow' }))).taskArns!;
      if (arns.length === 0) return undefined;
      const [described] = (await ecs.send(new DescribeTasksCommand({ cluster, tasks: arns }))).tasks!;
      return described?.healthStatus === 'HEALTHY' ? described : undefined;
    });
    // Docker keeps the last 5 results: wait until it ran 4 checks (each 2 s long), all passed.
    const runtimeId = task.containers![0]!.runtimeId!;
    const results = await until('four health checks', async () => {
      const health = JSON.parse(
        await docker.run(['inspect', '--format', '{{json .State.Health}}', runtimeId]),
      ) as {
        FailingStreak: number;
        Log: { ExitCode: number }[];
      };
      return health.Log.length >= 4 ? health : undefined;
    });
    expect(results.FailingStreak).toBe(0);
    expect(results.Log.map((entry) => entry.ExitCode)).toEqual(results.Log.map(() => 0));
    // The same task still serves; nothing was stopped for failed container health checks.
    expect((await ecs.send(new ListTasksCommand({ cluster, serviceName: 'slow' }))).taskArns).toEqual([
      task.taskArn,
    ]);
    expect(
      (await ecs.send(new ListTasksCommand({ cluster, serviceName: 'slow', desiredStatus: 'STOPPED' })))
        .taskArns,
    ).toEqual([]);
    await ecs.send(new UpdateServiceCommand({ cluster, service: 'slow', desiredCount: 0 }));
  }, 150_000);
});
