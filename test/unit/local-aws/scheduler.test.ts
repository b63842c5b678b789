// The ECS control plane without Docker: a fake container runtime under the real SDK client, fast knobs.
import {
  CreateClusterCommand,
  CreateServiceCommand,
  type CreateServiceCommandInput,
  DeleteServiceCommand,
  DeregisterTaskDefinitionCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ECSClient,
  InvalidParameterException,
  ListTaskDefinitionsCommand,
  paginateListTaskDefinitions,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  StopTaskCommand,
  UpdateServiceCommand,
  waitUntilServicesInactive,
  waitUntilServicesStable,
  waitUntilTasksStopped,
  type Service,
} from '@aws-sdk/client-ecs';

import {
  CloudWatchLogsClient,
  GetLogEventsCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-cloudwatch-logs';

import { startLocalAws, type LocalAws } from '../../../tools/local-aws/index.js';
import { FakeRuntime } from './fake-runtime.js';

let runtime: FakeRuntime;
let localAws: LocalAws;
let ecs: ECSClient;
const cluster = 'unit';
const waiter = (): { client: ECSClient; maxWaitTime: number; minDelay: number; maxDelay: number } => ({
  client: ecs,
  maxWaitTime: 20,
  // The SDK's waiter takes fractions of a second; ECS's default 15 s would only slow the test.
  minDelay: 0.05,
  maxDelay: 0.1,
});

async function describeService(name: string): Promise<Service> {
  return (await ecs.send(new DescribeServicesCommand({ cluster, services: [name] }))).services![0]!;
}

async function until<T>(probe: () => Promise<T | undefined>, what: string): Promise<T> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function register(tag: string, extra: Record<string, unknown> = {}): Promise<unknown> {
  return ecs.send(
    new RegisterTaskDefinitionCommand({
      family: 'svc',
      containerDefinitions: [
        {
          name: 'web',
          image: `127.0.0.1:5000/app:${tag}`,
          portMappings: [{ containerPort: 8080 }],
          healthCheck: { command: ['CMD', 'node', 'healthcheck.js'] },
          environment: [{ name: 'MODE', value: tag }],
          secrets: [
            { name: 'DB_PASSWORD', valueFrom: 'arn:aws:secretsmanager:us-east-1:000000000000:secret:db' },
            { name: 'API_KEY', valueFrom: 'arn:aws:ssm:us-east-1:000000000000:parameter/api' },
          ],
          ...extra,
        },
      ],
      tags: [{ key: 'team', value: 'shipkit' }],
    }),
  );
}

/** Creates a service in the test cluster and waits (with the SDK's own waiter) until it is stable. */
async function createStableService(
  input: Omit<CreateServiceCommandInput, 'cluster'> & { serviceName: string },
): Promise<void> {
  await ecs.send(new CreateServiceCommand({ cluster, ...input }));
  await waitUntilServicesStable(waiter(), { cluster, services: [input.serviceName] });
}

async function admin(path: string, body: unknown): Promise<void> {
  const response = await fetch(`${localAws.url}/_local/${path}`, {
    method: 'POST',
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(200);
}

beforeEach(async () => {
  runtime = new FakeRuntime();
  localAws = await startLocalAws(
    {
      port: 0,
      firstFrontDoorPort: 0,
      taskStartDelayMs: 0,
      healthyAfterMs: 0,
      deploymentTickMs: 10,
      stopTimeoutSeconds: 0,
      targetHealthCheckIntervalMs: 20,
      deregistrationDelayMs: 20,
      circuitBreakerThreshold: 2,
      secrets: { 'arn:aws:secretsmanager:us-east-1:000000000000:secret:db': 's3cret' },
    },
    { runtime },
  );
  ecs = new ECSClient({
    endpoint: localAws.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDUNIT', secretAccessKey: 'unit' },
  });
  await ecs.send(new CreateClusterCommand({ clusterName: cluster }));
});

afterEach(async () => {
  ecs.destroy();
  await localAws.close();
  expect(runtime.alive()).toBe(0);
});

describe('ECS scheduler (fake runtime)', () => {
  it('starts a service to a steady state and gives containers PORT, environment and secrets', async () => {
    await register('1');
    const created = await ecs.send(
      new CreateServiceCommand({ cluster, serviceName: 'api', taskDefinition: 'svc', desiredCount: 2 }),
    );
    expect(created.service).toMatchObject({
      status: 'ACTIVE',
      desiredCount: 2,
      deploymentConfiguration: {
        maximumPercent: 200,
        minimumHealthyPercent: 100,
        deploymentCircuitBreaker: { enable: false, rollback: false },
      },
      deployments: [{ status: 'PRIMARY', rolloutState: 'IN_PROGRESS', desiredCount: 2, runningCount: 0 }],
    });
    await waitUntilServicesStable(waiter(), { cluster, services: ['api'] });
    const service = await describeService('api');
    expect(service).toMatchObject({
      runningCount: 2,
      pendingCount: 0,
      deployments: [{ rolloutState: 'COMPLETED', runningCount: 2 }],
    });
    expect(service.events![0]!.message).toBe('(service api) has reached a steady state.');

    const env = runtime.started[0]!.env;
    expect(env).toMatchObject({ MODE: '1', DB_PASSWORD: 's3cret' });
    expect(env).not.toHaveProperty('API_KEY');
    expect(Number(env['PORT'])).toBeGreaterThan(0);
    expect(runtime.started[0]!.labels['shipkit.local-aws']).toBe(localAws.instanceId);
    expect(runtime.started[0]!.healthcheck?.Test).toEqual(['CMD', 'node', 'healthcheck.js']);
    expect(new Set(runtime.started.map((spec) => spec.env['PORT'])).size).toBe(2);

    const arns = (await ecs.send(new ListTasksCommand({ cluster, serviceName: 'api' }))).taskArns!;
    const tasks = (await ecs.send(new DescribeTasksCommand({ cluster, tasks: arns }))).tasks!;
    for (const task of tasks) {
      expect(task).toMatchObject({
        lastStatus: 'RUNNING',
        desiredStatus: 'RUNNING',
        healthStatus: 'HEALTHY',
        group: 'service:api',
      });
      expect(task.startedBy).toBe(service.deployments![0]!.id);
      expect(task.startedAt).toBeInstanceOf(Date);
    }
  });

  it('rolls out within maximumPercent and never below minimumHealthyPercent', async () => {
    await register('1');
    await createStableService({
      serviceName: 'api',
      taskDefinition: 'svc',
      desiredCount: 4,
      deploymentConfiguration: {
        maximumPercent: 150,
        minimumHealthyPercent: 75,
        alarms: { alarmNames: ['api-5xx'], enable: true, rollback: true },
      },
    });
    expect((await describeService('api')).deploymentConfiguration!.alarms).toEqual({
      alarmNames: ['api-5xx'],
      enable: true,
      rollback: true,
    });
    runtime.maxAlive = 0;
    await register('2');
    const update = await ecs.send(
      new UpdateServiceCommand({ cluster, service: 'api', taskDefinition: 'svc' }),
    );
    expect(
      update.service!.deployments!.map((deployment) => [deployment.status, deployment.taskDefinition]),
    ).toEqual([
      ['PRIMARY', expect.stringMatching(/svc:2$/)],
      ['ACTIVE', expect.stringMatching(/svc:1$/)],
    ]);
    let minAlive = Infinity;
    const watch = setInterval(() => (minAlive = Math.min(minAlive, runtime.alive())), 2);
    await waitUntilServicesStable(waiter(), { cluster, services: ['api'] });
    clearInterval(watch);
    expect(runtime.maxAlive).toBeLessThanOrEqual(6);
    expect(minAlive).toBeGreaterThanOrEqual(3);
    const service = await describeService('api');
    expect(service.taskDefinition).toMatch(/svc:2$/);
    expect(service.deployments).toHaveLength(1);
  });

  it('marks a rollout FAILED with the circuit breaker and, without rollback, keeps the old tasks', async () => {
    await register('1');
    await createStableService({
      serviceName: 'api',
      taskDefinition: 'svc',
      desiredCount: 2,
      deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: false } },
    });
    await register('exits');
    await ecs.send(new UpdateServiceCommand({ cluster, service: 'api', taskDefinition: 'svc' }));
    const service = await until(async () => {
      const current = await describeService('api');
      return current.deployments![0]!.rolloutState === 'FAILED' ? current : undefined;
    }, 'FAILED');
    expect(service.deployments![0]).toMatchObject({
      status: 'PRIMARY',
      rolloutState: 'FAILED',
      rolloutStateReason: 'ECS deployment circuit breaker: tasks failed to start.',
    });
    expect(service.deployments![0]!.failedTasks).toBeGreaterThanOrEqual(2);
    expect(service.deployments![1]).toMatchObject({ status: 'ACTIVE', runningCount: 2 });
    // Nothing more is launched for the failed deployment; the old tasks keep serving.
    const launched = runtime.started.length;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(runtime.started.length).toBe(launched);
    expect((await describeService('api')).runningCount).toBe(2);
  });

  it('rolls back to the last completed deployment when rollback is on', async () => {
    await register('1');
    await createStableService({
      serviceName: 'api',
      taskDefinition: 'svc:1',
      desiredCount: 1,
      deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: true } },
    });
    const completedId = (await describeService('api')).deployments![0]!.id!;
    await register('missing');
    await ecs.send(new UpdateServiceCommand({ cluster, service: 'api', taskDefinition: 'svc:2' }));
    const rolledBack = await until(async () => {
      const current = await describeService('api');
      return current.events!.some((event) => event.message!.includes('rolling back')) ? current : undefined;
    }, 'the rollback');
    expect(rolledBack.taskDefinition).toMatch(/svc:1$/);
    expect(rolledBack.deployments![0]!.rolloutStateReason).toBe(
      `ECS deployment circuit breaker: rolling back to deploymentId ${completedId}.`,
    );
    expect(rolledBack.deployments![0]!.id).not.toBe(completedId);
    expect(rolledBack.events!.map((event) => event.message)).toContain(
      `(service api) rolling back to deployment ${completedId}.`,
    );
    await waitUntilServicesStable(waiter(), { cluster, services: ['api'] });
    const stopped = (
      await ecs.send(new ListTasksCommand({ cluster, serviceName: 'api', desiredStatus: 'STOPPED' }))
    ).taskArns!;
    const failures = (await ecs.send(new DescribeTasksCommand({ cluster, tasks: stopped }))).tasks!.filter(
      (task) => task.stopCode === 'TaskFailedToStart',
    );
    expect(failures.length).toBeGreaterThanOrEqual(2);
    expect(failures[0]!.stoppedReason).toBe(
      'CannotPullContainerError: manifest for 127.0.0.1:5000/app:missing not found: manifest unknown',
    );
  });

  it('does not roll a failed rollback back again', async () => {
    await register('1');
    await createStableService({
      serviceName: 'api',
      taskDefinition: 'svc:1',
      desiredCount: 1,
      deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: true } },
    });
    await register('exits');
    // The good revision breaks too (its next tasks fail to start), so the rollback itself fails.
    await admin(`services/${cluster}/api/faults`, { failToStart: 100 });
    await ecs.send(new UpdateServiceCommand({ cluster, service: 'api', taskDefinition: 'svc:2' }));
    const service = await until(async () => {
      const current = await describeService('api');
      return current.deployments![0]!.rolloutState === 'FAILED' &&
        current.deployments![0]!.taskDefinition!.endsWith(':1')
        ? current
        : undefined;
    }, 'the rollback to fail');
    const rollbacks = service.events!.filter((event) => event.message!.includes('rolling back'));
    expect(rollbacks).toHaveLength(1);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await describeService('api')).deployments![0]!.id).toBe(service.deployments![0]!.id);
    await fetch(`${localAws.url}/_local/services/${cluster}/api/faults`, { method: 'DELETE' });
  });

  it('replaces tasks that fail health checks, and fail-to-start faults count as failures', async () => {
    await register('1');
    await createStableService({
      serviceName: 'api',
      taskDefinition: 'svc',
      desiredCount: 1,
      loadBalancers: [
        {
          targetGroupArn: 'arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/tg/1',
          containerName: 'web',
          containerPort: 8080,
        },
      ],
    });
    await admin(`services/${cluster}/api/faults`, { failHealthCheck: true });
    const replaced = await until(async () => {
      const arns = (
        await ecs.send(new ListTasksCommand({ cluster, serviceName: 'api', desiredStatus: 'STOPPED' }))
      ).taskArns!;
      return arns.length > 0 ? arns : undefined;
    }, 'an unhealthy task stopped');
    const [task] = (await ecs.send(new DescribeTasksCommand({ cluster, tasks: replaced }))).tasks!;
    expect(task!.stoppedReason).toBe(
      'Task failed ELB health checks in (target-group arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/tg/1)',
    );
    const events = (await describeService('api')).events!.map((event) => event.message);
    expect(events).toContain(
      `(service api) (task ${task!.taskArn!.split('/').at(-1)!}) failed ELB health checks in (target-group arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/tg/1).`,
    );
    await admin(`services/${cluster}/api/faults`, { failHealthCheck: false, failToStart: 1 });
    await ecs.send(new UpdateServiceCommand({ cluster, service: 'api', forceNewDeployment: true }));
    await waitUntilServicesStable(waiter(), { cluster, services: ['api'] });
    const service = await describeService('api');
    expect(service.deployments![0]!.failedTasks).toBe(1);
  });

  it('runs and stops standalone tasks, and drains a deleted service to INACTIVE', async () => {
    await register('1');
    const run = await ecs.send(
      new RunTaskCommand({ cluster, taskDefinition: 'svc', count: 2, startedBy: 'unit-test' }),
    );
    expect(run.tasks).toHaveLength(2);
    expect(run.tasks![0]).toMatchObject({
      lastStatus: 'PROVISIONING',
      desiredStatus: 'RUNNING',
      group: 'family:svc',
      startedBy: 'unit-test',
    });
    const arns = run.tasks!.map((task) => task.taskArn!);
    await until(async () => {
      const tasks = (await ecs.send(new DescribeTasksCommand({ cluster, tasks: arns }))).tasks!;
      return tasks.every((task) => task.lastStatus === 'RUNNING') ? true : undefined;
    }, 'RUNNING');
    await ecs.send(new StopTaskCommand({ cluster, task: arns[0], reason: 'done here' }));
    await waitUntilTasksStopped(waiter(), { cluster, tasks: [arns[0]!] });
    const [stopped] = (await ecs.send(new DescribeTasksCommand({ cluster, tasks: [arns[0]!] }))).tasks!;
    expect(stopped).toMatchObject({
      lastStatus: 'STOPPED',
      stopCode: 'UserInitiated',
      stoppedReason: 'done here',
    });
    expect(stopped!.containers![0]!.exitCode).toBe(0);
    expect((await ecs.send(new ListTasksCommand({ cluster, startedBy: 'unit-test' }))).taskArns).toEqual([
      arns[1],
    ]);
    await ecs.send(new StopTaskCommand({ cluster, task: arns[1] }));

    await ecs.send(
      new CreateServiceCommand({ cluster, serviceName: 'gone', taskDefinition: 'svc', desiredCount: 1 }),
    );
    await waitUntilServicesStable(waiter(), { cluster, services: ['gone'] });
    await expect(ecs.send(new DeleteServiceCommand({ cluster, service: 'gone' }))).rejects.toBeInstanceOf(
      InvalidParameterException,
    );
    const deleted = await ecs.send(new DeleteServiceCommand({ cluster, service: 'gone', force: true }));
    expect(deleted.service!.status).toBe('DRAINING');
    await waitUntilServicesInactive(waiter(), { cluster, services: ['gone'] });
  });

  it('publishes awslogs containers to CloudWatch Logs, live and after the task stopped', async () => {
    await register('exits', {
      logConfiguration: {
        logDriver: 'awslogs',
        options: { 'awslogs-group': '/ecs/unit', 'awslogs-stream-prefix': 'app' },
      },
    });
    const run = await ecs.send(new RunTaskCommand({ cluster, taskDefinition: 'svc' }));
    const taskArn = run.tasks![0]!.taskArn!;
    await waitUntilTasksStopped(waiter(), { cluster, tasks: [taskArn] });
    const [task] = (await ecs.send(new DescribeTasksCommand({ cluster, tasks: [taskArn] }))).tasks!;
    expect(task).toMatchObject({
      stopCode: 'EssentialContainerExited',
      stoppedReason: 'Essential container in task exited',
    });
    expect(task!.containers![0]!.exitCode).toBe(2);

    const logs = new CloudWatchLogsClient({
      endpoint: localAws.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIDUNIT', secretAccessKey: 'unit' },
    });
    const stream = `app/web/${taskArn.split('/').at(-1)!}`;
    const tail = await logs.send(
      new GetLogEventsCommand({ logGroupName: '/ecs/unit', logStreamName: stream, limit: 1 }),
    );
    expect(tail.events!.map((event) => event.message)).toEqual(['exit 2']);
    const head = await logs.send(
      new GetLogEventsCommand({ logGroupName: '/ecs/unit', logStreamName: stream, startFromHead: true }),
    );
    expect(head.events).toEqual([
      {
        timestamp: 1_700_000_000_000,
        message: 'starting 127.0.0.1:5000/app:exits',
        ingestionTime: 1_700_000_000_000,
      },
      { timestamp: 1_700_000_001_000, message: 'exit 2', ingestionTime: 1_700_000_001_000 },
    ]);
    await expect(
      logs.send(new GetLogEventsCommand({ logGroupName: '/ecs/unit', logStreamName: 'app/web/nope' })),
    ).rejects.toBeInstanceOf(ResourceNotFoundException);
    logs.destroy();
  });

  it('balances the front door over healthy tasks only, moves it on request, and resets', async () => {
    await register('1');
    const loadBalancers = [
      {
        targetGroupArn: 'arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/tg/1',
        containerName: 'web',
        containerPort: 8080,
      },
    ];
    await expect(
      ecs.send(
        new CreateServiceCommand({
          cluster,
          serviceName: 'bad',
          taskDefinition: 'svc',
          loadBalancers: [{ ...loadBalancers[0]!, containerPort: 9999 }],
        }),
      ),
    ).rejects.toThrow('The container web did not have a container port 9999 defined.');
    await createStableService({
      serviceName: 'api',
      taskDefinition: 'svc',
      desiredCount: 2,
      loadBalancers,
    });
    const listed = (await (await fetch(`${localAws.url}/_local/services`)).json()) as {
      services: { serviceName: string; frontDoorUrl: string; healthyTargets: number }[];
    };
    const door = listed.services.find((service) => service.serviceName === 'api')!;
    expect(door.frontDoorUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const answers = await until(async () => {
      const bodies = new Set<string>();
      for (let call = 0; call < 4; call += 1) {
        const response = await fetch(door.frontDoorUrl);
        if (response.status !== 200) return undefined;
        bodies.add(((await response.json()) as { container: string }).container);
      }
      return bodies;
    }, 'both targets');
    expect(answers.size).toBe(2); // round robin over both tasks

    // Every task failing its health check: the door has no target while replacements come up.
    await admin(`services/${cluster}/api/faults`, { failHealthCheck: true });
    await until(async () => ((await fetch(door.frontDoorUrl)).status === 503 ? true : undefined), '503');
    await admin(`services/${cluster}/api/faults`, { failHealthCheck: false });
    await waitUntilServicesStable(waiter(), { cluster, services: ['api'] });

    const port = Number(new URL(door.frontDoorUrl).port) + 1;
    const moved = await fetch(`${localAws.url}/_local/services/${cluster}/api/front-door`, {
      method: 'POST',
      body: JSON.stringify({ port }),
    });
    expect(((await moved.json()) as { frontDoorUrl: string }).frontDoorUrl).toBe(`http://127.0.0.1:${port}`);
    await until(
      async () => ((await fetch(`http://127.0.0.1:${port}`)).status === 200 ? true : undefined),
      'the moved door',
    );
    await expect(fetch(door.frontDoorUrl)).rejects.toThrow();

    const knobs = await fetch(`${localAws.url}/_local/knobs`, {
      method: 'POST',
      body: JSON.stringify({ healthyAfterMs: 5 }),
    });
    expect(await knobs.json()).toMatchObject({ healthyAfterMs: 5, deploymentTickMs: 10 });
    expect(
      (
        await fetch(`${localAws.url}/_local/knobs`, {
          method: 'POST',
          body: JSON.stringify({ healthyAfterMs: -1 }),
        })
      ).status,
    ).toBe(400);
    expect((await fetch(`${localAws.url}/_local/nope`)).status).toBe(404);
    expect(
      (
        await fetch(`${localAws.url}/_local/services/${cluster}/missing/faults`, {
          method: 'POST',
          body: '{}',
        })
      ).status,
    ).toBe(404);

    // A tag pins the door's port at creation.
    const pinned = port + 1;
    await ecs.send(
      new CreateServiceCommand({
        cluster,
        serviceName: 'pinned',
        taskDefinition: 'svc',
        desiredCount: 0,
        // Its own target group: a group shared with api would route to api's healthy targets, as an ALB does.
        loadBalancers: [
          {
            ...loadBalancers[0]!,
            targetGroupArn: loadBalancers[0]!.targetGroupArn.replace('/tg/1', '/pinned/2'),
          },
        ],
        tags: [{ key: 'local-aws:front-door-port', value: String(pinned) }],
      }),
    );
    await until(async () => {
      const response = await fetch(`http://127.0.0.1:${pinned}`).catch(() => undefined);
      return response?.status === 503 ? true : undefined;
    }, 'the pinned door');
    const withPinned = (await (await fetch(`${localAws.url}/_local/services`)).json()) as {
      services: { serviceName: string; frontDoorPort?: number }[];
    };
    expect(withPinned.services.find((service) => service.serviceName === 'pinned')?.frontDoorPort).toBe(
      pinned,
    );

    const calls = (await (await fetch(`${localAws.url}/_local/calls`)).json()) as {
      byOperation: Record<string, number>;
    };
    expect(calls.byOperation['CreateService']).toBe(3);
    expect((await fetch(`${localAws.url}/_local/reset`, { method: 'POST' })).status).toBe(200);
    expect(runtime.alive()).toBe(0);
    await expect(ecs.send(new DescribeServicesCommand({ cluster, services: ['api'] }))).rejects.toMatchObject(
      { name: 'ClusterNotFoundException' },
    );
    await expect(fetch(`http://127.0.0.1:${port}`)).rejects.toThrow();
    await ecs.send(new CreateClusterCommand({ clusterName: cluster }));
  });

  it('removes a container whose start was still running when everything was reset', async () => {
    await register('1');
    runtime.runDelayMs = 150;
    const run = await ecs.send(new RunTaskCommand({ cluster, taskDefinition: 'svc' }));
    await until(async () => {
      const [task] = (await ecs.send(new DescribeTasksCommand({ cluster, tasks: [run.tasks![0]!.taskArn!] })))
        .tasks!;
      return task!.lastStatus === 'PENDING' ? true : undefined;
    }, 'PENDING');
    expect((await fetch(`${localAws.url}/_local/reset`, { method: 'POST' })).status).toBe(200);
    await until(
      () => Promise.resolve(runtime.started.length === 1 && runtime.containers.size === 0 ? true : undefined),
      'the late container removed',
    );
    await ecs.send(new CreateClusterCommand({ clusterName: cluster }));
  });

  it('keeps task definition revisions, tags and status as ECS does', async () => {
    await register('1');
    await register('2');
    const latest = await ecs.send(
      new DescribeTaskDefinitionCommand({ taskDefinition: 'svc', include: ['TAGS'] }),
    );
    expect(latest.taskDefinition).toMatchObject({ family: 'svc', revision: 2, status: 'ACTIVE' });
    expect(latest.taskDefinition!.containerDefinitions![0]).toMatchObject({
      essential: true,
      portMappings: [{ containerPort: 8080, protocol: 'tcp' }],
    });
    expect(latest.tags).toEqual([{ key: 'team', value: 'shipkit' }]);
    const pages: string[][] = [];
    for await (const page of paginateListTaskDefinitions(
      { client: ecs, pageSize: 1 },
      { familyPrefix: 'svc', sort: 'DESC' },
    )) {
      pages.push(page.taskDefinitionArns!.map((arn) => arn.split('/')[1]!));
    }
    expect(pages).toEqual([['svc:2'], ['svc:1']]);
    await ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: 'svc:2' }));
    expect(
      (await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'svc' }))).taskDefinition!.revision,
    ).toBe(1);
    const list = await ecs.send(
      new ListTaskDefinitionsCommand({ familyPrefix: 'svc', sort: 'DESC', status: 'ACTIVE' }),
    );
    expect(list.taskDefinitionArns).toEqual(['arn:aws:ecs:us-east-1:000000000000:task-definition/svc:1']);
    await expect(
      ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'nope' })),
    ).rejects.toMatchObject({
      name: 'ClientException',
      message: 'Unable to describe task definition.',
    });
    await expect(
      ecs.send(
        new RegisterTaskDefinitionCommand({
          family: 'bad',
          containerDefinitions: [{ name: 'x', image: 'y', healthCheck: { command: ['curl'] } }],
        }),
      ),
    ).rejects.toBeInstanceOf(InvalidParameterException);
  });
});
