// The ECS control plane without Docker: a fake container runtime under the real SDK client, fast knobs.
import {
  CreateClusterCommand,
  CreateServiceCommand,
  DeleteServiceCommand,
  DescribeTasksCommand,
  InvalidParameterException,
  ListTasksCommand,
  RunTaskCommand,
  StopTaskCommand,
  UpdateServiceCommand,
  waitUntilServicesInactive,
  waitUntilServicesStable,
  waitUntilTasksStopped,
  type ECSClient,
} from '@aws-sdk/client-ecs';

import type { LocalAws } from '../../../tools/local-aws/index.js';
import type { FakeRuntime } from './fake-runtime.js';
import * as h from './stand-in-harness.js';
import { cluster, until } from './stand-in-harness.js';

const harness = h.useFakeStandIn();
let runtime: FakeRuntime;
let localAws: LocalAws;
let ecs: ECSClient;
beforeEach(() => ({ runtime, localAws, ecs } = harness));

const { waiter, describeService, register, createStableService, admin } = h.bindHelpers(harness);

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
    // A fake value for the test.
    // shipkit-ignore: secret-generic-password
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

  it('stops a task whose stop came while its start was being checked (it never stays RUNNING, unstopped)', async () => {
    await register('1');
    runtime.inspectDelayMs = 400;
    const run = await ecs.send(new RunTaskCommand({ cluster, taskDefinition: 'svc' }));
    const taskArn = run.tasks![0]!.taskArn!;
    // The container is up; the stand-in is reading its state back before it calls the task RUNNING.
    await until(
      () => Promise.resolve(runtime.started.length === 1 ? true : undefined),
      'the container started',
    );
    await ecs.send(new StopTaskCommand({ cluster, task: taskArn, reason: 'stopped mid-start' }));
    await until(async () => {
      const [task] = (await ecs.send(new DescribeTasksCommand({ cluster, tasks: [taskArn] }))).tasks!;
      return task!.lastStatus === 'STOPPED' ? true : undefined;
    }, 'STOPPED');
    await until(() => Promise.resolve(runtime.alive() === 0 ? true : undefined), 'its container stopped');
    runtime.inspectDelayMs = 0;
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
});
