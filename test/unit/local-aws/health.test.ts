// What the stand-in vouches for: RUNNING, healthy and COMPLETED only as observed (containers, target health,
// container checks with the task definition's timings), through the real SDK on a fake runtime.
import {
  CreateServiceCommand,
  type CreateServiceCommandInput,
  DescribeTasksCommand,
  type ECSClient,
  InvalidParameterException,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  UpdateServiceCommand,
  waitUntilServicesStable,
  type Task,
} from '@aws-sdk/client-ecs';

import { jest } from '@jest/globals';

import type { LocalAws } from '../../../tools/local-aws/index.js';
import type { FakeRuntime } from './fake-runtime.js';
import * as h from './stand-in-harness.js';
import { cluster, until } from './stand-in-harness.js';

jest.setTimeout(30_000);

const TARGET_GROUP = 'arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/web/1';
const loadBalancers = [{ targetGroupArn: TARGET_GROUP, containerName: 'web', containerPort: 8080 }];
const network = { awsvpcConfiguration: { subnets: ['subnet-1'] } };

// No secrets: the stand-in's default, as these tests register none.
const harness = h.useFakeStandIn({ secrets: {} });
let runtime: FakeRuntime;
let localAws: LocalAws;
let ecs: ECSClient;
beforeEach(() => ({ runtime, localAws, ecs } = harness));
const { describeService } = h.bindHelpers(harness);

async function register(
  tag: string,
  extra: Record<string, unknown> = {},
  networkMode?: 'awsvpc',
): Promise<void> {
  await ecs.send(
    new RegisterTaskDefinitionCommand({
      family: 'web',
      ...(networkMode ? { networkMode } : {}),
      containerDefinitions: [
        {
          name: 'web',
          image: `127.0.0.1:5000/app:${tag}`,
          portMappings: [{ containerPort: 8080 }],
          environment: [{ name: 'MODE', value: tag }],
          ...extra,
        },
      ],
      tags: [{ key: 'from', value: 'task-definition' }],
    }),
  );
}

async function tasksOf(name: string, desiredStatus: 'RUNNING' | 'STOPPED'): Promise<Task[]> {
  const arns = (await ecs.send(new ListTasksCommand({ cluster, serviceName: name, desiredStatus })))
    .taskArns!;
  if (arns.length === 0) return [];
  return (await ecs.send(new DescribeTasksCommand({ cluster, tasks: arns, include: ['TAGS'] }))).tasks!;
}

async function createStable(
  input: Omit<CreateServiceCommandInput, 'cluster'> & { serviceName: string },
): Promise<void> {
  await ecs.send(new CreateServiceCommand({ cluster, ...input }));
  await until(async () => {
    const service = await describeService(input.serviceName);
    return service.deployments?.length === 1 && service.deployments[0]!.rolloutState === 'COMPLETED'
      ? true
      : undefined;
  }, 'COMPLETED');
}

async function frontDoor(name: string): Promise<string> {
  const listed = (await (await fetch(`${localAws.url}/_local/services`)).json()) as {
    services: { serviceName: string; frontDoorUrl?: string }[];
  };
  return listed.services.find((service) => service.serviceName === name)!.frontDoorUrl!;
}

/** The MODE of the container that answered, or the status when none did. */
async function answer(url: string): Promise<string> {
  const response = await fetch(url);
  if (response.status !== 200) return String(response.status);
  return ((await response.json()) as { mode: string }).mode;
}

describe('the stand-in vouches only for what it observed', () => {
  it('never shows RUNNING for a task whose essential container exited first, and counts it failed', async () => {
    await register('exits');
    await ecs.send(
      new CreateServiceCommand({ cluster, serviceName: 'api', taskDefinition: 'web', desiredCount: 1 }),
    );
    const stopped = await until(async () => {
      const tasks = await tasksOf('api', 'STOPPED');
      return tasks.filter((task) => task.lastStatus === 'STOPPED').length >= 2 ? tasks : undefined;
    }, 'two stopped tasks');
    for (const task of stopped.filter((candidate) => candidate.lastStatus === 'STOPPED')) {
      expect(task).toMatchObject({
        stopCode: 'EssentialContainerExited',
        stoppedReason: 'Essential container in task exited',
      });
      expect(task.containers![0]!.exitCode).toBe(2);
      // startedAt is set when a task turns RUNNING: these never did.
      expect(task.startedAt).toBeUndefined();
    }
    const service = await describeService('api');
    expect(service.deployments![0]!.failedTasks).toBeGreaterThanOrEqual(2);
    expect(service.deployments![0]!.rolloutState).toBe('IN_PROGRESS');
  });

  it('keeps the old version behind the load balancer while the new one never answers its health path, then fails and rolls back', async () => {
    await register('1');
    await createStable({
      serviceName: 'api',
      taskDefinition: 'web:1',
      desiredCount: 2,
      loadBalancers,
      deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: true } },
    });
    const door = await frontDoor('api');
    expect(await answer(door)).toBe('1');
    const oldTasks = (await tasksOf('api', 'RUNNING')).map((task) => task.taskArn!);
    await register('silent');
    await ecs.send(new UpdateServiceCommand({ cluster, service: 'api', taskDefinition: 'web:2' }));

    const answers = new Set<string>();
    const failed = await until(async () => {
      answers.add(await answer(door));
      const service = await describeService('api');
      return service.events!.some((event) => event.message!.includes('rolling back')) ? service : undefined;
    }, 'the circuit breaker');
    // Old tasks were never drained: the new ones never counted healthy. The door kept the old version.
    expect((await tasksOf('api', 'RUNNING')).map((task) => task.taskArn!)).toEqual(
      expect.arrayContaining(oldTasks),
    );
    expect([...answers]).toEqual(['1']);
    const messages = failed.events!.map((event) => event.message!);
    expect(messages).toContainEqual(expect.stringMatching(/deployment failed: tasks failed to start\.$/));
    expect(messages).toContainEqual(
      expect.stringMatching(
        /^\(service api\) \(task [0-9a-f]{32}\) \(port \d+\) is unhealthy in \(target-group web\) due to \(reason .+\)\.$/,
      ),
    );
    const unhealthy = (await tasksOf('api', 'STOPPED')).filter((task) =>
      task.taskDefinitionArn!.endsWith(':2'),
    );
    expect(unhealthy.length).toBeGreaterThanOrEqual(2);
    expect(unhealthy[0]!.stoppedReason).toBe(
      `Task failed ELB health checks in (target-group ${TARGET_GROUP})`,
    );
    expect(failed.taskDefinition).toMatch(/web:1$/);
  });

  it('never completes a load-balanced deployment whose task crashes 1.5 s after RUNNING', async () => {
    await register('1');
    await createStable({
      serviceName: 'api',
      taskDefinition: 'web:1',
      desiredCount: 1,
      loadBalancers,
      // The targets' unhealthy state is ignored for 30 s: only the crash can fail these tasks.
      healthCheckGracePeriodSeconds: 30,
      deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: false } },
    });
    await register('crash1500');
    const update = await ecs.send(
      new UpdateServiceCommand({ cluster, service: 'api', taskDefinition: 'web:2' }),
    );
    const deploymentId = update.service!.deployments![0]!.id!;
    const seen = new Set<string>();
    const failed = await until(async () => {
      const deployment = (await describeService('api')).deployments!.find((d) => d.id === deploymentId)!;
      seen.add(deployment.rolloutState!);
      return deployment.rolloutState === 'FAILED' ? deployment : undefined;
    }, 'FAILED');
    expect(seen).not.toContain('COMPLETED');
    expect(failed.failedTasks).toBeGreaterThanOrEqual(2);
    const crashed = (await tasksOf('api', 'STOPPED')).filter((task) =>
      task.taskDefinitionArn!.endsWith(':2'),
    );
    expect(crashed.some((task) => task.containers![0]!.exitCode === 3 && task.startedAt !== undefined)).toBe(
      true,
    );
    expect(await answer(await frontDoor('api'))).toBe('1');
  });

  it('registers targets, drains the old task before stopping it, and deregisters', async () => {
    await register('1');
    await createStable({ serviceName: 'api', taskDefinition: 'web:1', desiredCount: 1, loadBalancers });
    const [old] = await tasksOf('api', 'RUNNING');
    await fetch(`${localAws.url}/_local/knobs`, {
      method: 'POST',
      body: JSON.stringify({ deregistrationDelayMs: 400 }),
    });
    await register('2');
    await ecs.send(new UpdateServiceCommand({ cluster, service: 'api', taskDefinition: 'web:2' }));
    const draining = await until(async () => {
      const [task] = (await ecs.send(new DescribeTasksCommand({ cluster, tasks: [old!.taskArn!] }))).tasks!;
      return task!.lastStatus === 'DEACTIVATING' ? task : undefined;
    }, 'the old task draining');
    expect(draining.desiredStatus).toBe('STOPPED');
    // Its container still runs while its target drains.
    expect(runtime.containers.get(draining.containers![0]!.runtimeId!)?.state.running).toBe(true);
    await waitUntilServicesStable(
      { client: ecs, maxWaitTime: 20, minDelay: 0.05, maxDelay: 0.1 },
      { cluster, services: ['api'] },
    );
    await until(async () => {
      const [task] = (await ecs.send(new DescribeTasksCommand({ cluster, tasks: [old!.taskArn!] }))).tasks!;
      return task!.lastStatus === 'STOPPED' ? true : undefined;
    }, 'the old task stopped');
    const messages = (await describeService('api')).events!.map((event) => event.message!);
    expect(messages).toContain(`(service api) registered 1 targets in (target-group ${TARGET_GROUP})`);
    expect(messages).toContain('(service api) has begun draining connections on 1 tasks.');
    expect(messages).toContain(`(service api) deregistered 1 targets in (target-group ${TARGET_GROUP})`);
    const order = ['deregistered 1 targets', 'has begun draining', 'registered 1 targets'].map((text) =>
      messages.findIndex((message) => message.includes(`) ${text}`)),
    );
    expect(order).toEqual([...order].sort((a, b) => a - b)); // newest first
  });

  it('gives Docker the task definition health check timings as they are', async () => {
    await register('1', {
      healthCheck: {
        command: ['CMD', 'node', 'healthcheck.js'],
        interval: 10,
        timeout: 7,
        retries: 2,
        startPeriod: 40,
      },
    });
    const run = await ecs.send(new RunTaskCommand({ cluster, taskDefinition: 'web' }));
    await until(() => Promise.resolve(runtime.started.length > 0 ? true : undefined), 'the container');
    expect(runtime.started[0]!.healthcheck).toEqual({
      Test: ['CMD', 'node', 'healthcheck.js'],
      Interval: 10_000_000_000,
      Timeout: 7_000_000_000,
      Retries: 2,
      StartPeriod: 40_000_000_000,
    });
    expect(run.tasks).toHaveLength(1);
  });

  it('refuses an awsvpc service or task without a network configuration', async () => {
    await register('1', {}, 'awsvpc');
    const message = "Network Configuration must be provided when networkMode 'awsvpc' is specified.";
    await expect(
      ecs.send(
        new CreateServiceCommand({ cluster, serviceName: 'api', taskDefinition: 'web', desiredCount: 1 }),
      ),
    ).rejects.toMatchObject({ name: InvalidParameterException.name, message });
    await expect(ecs.send(new RunTaskCommand({ cluster, taskDefinition: 'web' }))).rejects.toMatchObject({
      name: InvalidParameterException.name,
      message,
    });
    const created = await ecs.send(
      new CreateServiceCommand({
        cluster,
        serviceName: 'api',
        taskDefinition: 'web',
        desiredCount: 0,
        networkConfiguration: network,
      }),
    );
    expect(created.service!.networkConfiguration).toEqual(network);
  });

  it('propagates tags to tasks at creation, with ECS managed tags when asked', async () => {
    await register('1');
    await createStable({
      serviceName: 'tagged',
      taskDefinition: 'web',
      desiredCount: 1,
      tags: [{ key: 'team', value: 'shipkit' }],
      propagateTags: 'SERVICE',
      enableECSManagedTags: true,
    });
    expect((await describeService('tagged')).enableECSManagedTags).toBe(true);
    const [fromService] = await tasksOf('tagged', 'RUNNING');
    expect(fromService!.tags).toEqual([
      { key: 'team', value: 'shipkit' },
      { key: 'aws:ecs:clusterName', value: cluster },
      { key: 'aws:ecs:serviceName', value: 'tagged' },
    ]);
    await createStable({
      serviceName: 'plain',
      taskDefinition: 'web',
      desiredCount: 1,
      propagateTags: 'TASK_DEFINITION',
    });
    const [fromDefinition] = await tasksOf('plain', 'RUNNING');
    expect(fromDefinition!.tags).toEqual([{ key: 'from', value: 'task-definition' }]);
    expect((await describeService('plain')).enableECSManagedTags).toBe(false);
    await expect(
      ecs.send(
        new CreateServiceCommand({
          cluster,
          serviceName: 'bad',
          taskDefinition: 'web',
          propagateTags: 'EVERYWHERE' as 'SERVICE',
        }),
      ),
    ).rejects.toBeInstanceOf(InvalidParameterException);
  });
});
