import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import {
  CreateServiceCommand,
  DeregisterTaskDefinitionCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ECSClient,
  ListTaskDefinitionsCommand,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  UpdateServiceCommand,
  type Deployment,
  type Service,
} from '@aws-sdk/client-ecs';
import { CloudWatchLogsClient, GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { mockClient } from 'aws-sdk-client-mock';

import { deploy, resolveTaskDefinition } from '../../../actions/deploy-ecs/src/deploy.js';
import { servicesOutput, summaryMarkdown } from '../../../actions/deploy-ecs/src/report.js';
import { revisionsToDeregister } from '../../../actions/deploy-ecs/src/revisions.js';
import {
  deployment,
  DIGEST,
  FIXTURES,
  harness as deployHarness,
  request,
  run,
  service as serviceOf,
} from './harness.js';

const OLD = 'arn:aws:ecs:us-east-1:1:task-definition/web:4';
const NEW = 'arn:aws:ecs:us-east-1:1:task-definition/web:5';

const ecs = mockClient(ECSClient);
const logs = mockClient(CloudWatchLogsClient);

const harness = (): ReturnType<typeof deployHarness> =>
  deployHarness({ logs: new CloudWatchLogsClient({ region: 'us-east-1' }) });

const stable = (taskDefinition: string, id: string): Deployment => deployment(taskDefinition, id);
const service = (deployments: Deployment[]): Service => serviceOf(deployments, { breaker: false });

/** DescribeServices answers: the first before the update, then one per poll; the last repeats. */
function describeSequence(snapshots: Service[]): void {
  let call = 0;
  ecs.on(DescribeServicesCommand).callsFake(() => {
    const snapshot = snapshots[Math.min(call++, snapshots.length - 1)]!;
    return { services: [snapshot], failures: [] };
  });
}

beforeEach(() => {
  ecs.reset();
  logs.reset();
  ecs.on(RegisterTaskDefinitionCommand).resolves({ taskDefinition: { taskDefinitionArn: NEW } });
  ecs.on(ListTasksCommand).resolves({ taskArns: [] });
});

describe('deploy', () => {
  it('registers, updates, follows OUR deployment to COMPLETED and reports the time to stable', async () => {
    const h = harness();
    ecs.on(UpdateServiceCommand).resolves({
      service: service([
        { ...stable(NEW, 'ecs-svc/new'), runningCount: 0, rolloutState: 'IN_PROGRESS' },
        { ...stable(OLD, 'ecs-svc/old'), status: 'ACTIVE' },
      ]),
    });
    const starting = {
      ...stable(NEW, 'ecs-svc/new'),
      runningCount: 1,
      pendingCount: 1,
      rolloutState: 'IN_PROGRESS' as const,
    };
    describeSequence([
      service([stable(OLD, 'ecs-svc/old')]),
      service([starting, { ...stable(OLD, 'ecs-svc/old'), status: 'ACTIVE' }]),
      service([
        { ...starting, runningCount: 2, pendingCount: 0 },
        { ...stable(OLD, 'ecs-svc/old'), status: 'ACTIVE', runningCount: 1 },
      ]),
      service([stable(NEW, 'ecs-svc/new')]),
    ]);

    const result = await run(h, request());

    expect(result.failure).toBeUndefined();
    expect(result.taskDefinitionArn).toBe(NEW);
    expect(result.previousTaskDefinitionArn).toBe(OLD);
    expect(result.services[0]).toMatchObject({
      outcome: 'completed',
      deploymentId: 'ecs-svc/new',
      before: OLD,
      after: NEW,
    });
    // Three polls one second apart after the update.
    expect(result.timeToStableMs).toBe(2000);
    const registered = ecs.commandCalls(RegisterTaskDefinitionCommand)[0]!.args[0].input;
    expect(registered.containerDefinitions?.[0]?.image).toBe(`registry/web${DIGEST}`);
    expect(ecs.commandCalls(UpdateServiceCommand)[0]!.args[0].input).toEqual({
      cluster: 'prod',
      service: 'web',
      taskDefinition: NEW,
      forceNewDeployment: false,
    });
    expect(h.lines).toContain(
      'prod/web: ecs-svc/new PRIMARY web:5: 1/2 running, 1 pending, 0 failed [IN_PROGRESS]',
    );
  });

  it('registers nothing when a service does not exist', async () => {
    const h = harness();
    ecs.on(DescribeServicesCommand).resolves({ services: [], failures: [{ arn: 'web', reason: 'MISSING' }] });
    await expect(run(h, request())).rejects.toThrow(/Input "services" names prod\/web, which does not exist/);
    expect(ecs.commandCalls(RegisterTaskDefinitionCommand)).toHaveLength(0);
  });

  it('refuses a CodeDeploy (blue/green) service before registering', async () => {
    const h = harness();
    describeSequence([
      { ...service([stable(OLD, 'ecs-svc/old')]), deploymentController: { type: 'CODE_DEPLOY' } },
    ]);
    await expect(run(h, request())).rejects.toThrow(
      /prod\/web, which uses the CODE_DEPLOY deployment controller/,
    );
    expect(ecs.commandCalls(RegisterTaskDefinitionCommand)).toHaveLength(0);
  });

  it('refuses a migration container the task definition lacks, before registering', async () => {
    const h = harness();
    describeSequence([service([stable(OLD, 'ecs-svc/old')])]);
    await expect(
      run(h, request({ migration: { command: ['true'], container: 'db', timeoutMs: 1000 } })),
    ).rejects.toThrow(
      /^Input "migration-container" names "db", which is not a container of web: use one of web\.$/,
    );
    expect(ecs.commandCalls(RegisterTaskDefinitionCommand)).toHaveLength(0);
  });

  it('refuses a tag-only image before calling AWS', async () => {
    const h = harness();
    const req = request({
      render: { ...request().render, images: new Map([['web', 'registry/web:latest']]) },
    });
    await expect(resolveTaskDefinition(h.deps, req)).rejects.toThrow(/allow-mutable-image/);
    expect(ecs.calls()).toHaveLength(0);
  });

  it('fails fast on AccessDenied, naming the permission, without polling, and deregisters the unused revision', async () => {
    const h = harness();
    describeSequence([service([stable(OLD, 'ecs-svc/old')])]);
    ecs.on(UpdateServiceCommand).rejects(
      Object.assign(new Error('not authorized'), {
        name: 'AccessDeniedException',
        $metadata: { httpStatusCode: 400 },
      }),
    );
    const result = await run(h, request());
    expect(result.failure).toMatch(
      /^Deploy of web:5 failed\. prod\/web: the update failed: AWS denied ecs:UpdateService on service web in cluster prod in us-east-1 .*allow "ecs:UpdateService".*it still runs web:4\. No service took web:5, so it was deregistered\.$/,
    );
    expect(result.services[0]).toMatchObject({ outcome: 'failed' });
    expect(result.services[0]!.reason).toMatch(/AWS denied ecs:UpdateService/);
    expect(ecs.commandCalls(DeregisterTaskDefinitionCommand).map((call) => call.args[0].input)).toEqual([
      { taskDefinition: NEW },
    ]);
    expect(ecs.commandCalls(DescribeServicesCommand)).toHaveLength(1);
    expect(h.clock.now).toBe(1_000_000);
  });

  it('still follows the services it updated when another refuses the update, and keeps the revision', async () => {
    const h = harness();
    ecs.on(UpdateServiceCommand, { cluster: 'eu' }).rejects(
      Object.assign(new Error('Task definition does not support launch type FARGATE.'), {
        name: 'InvalidParameterException',
        $fault: 'client',
        $metadata: { httpStatusCode: 400 },
      }),
    );
    ecs.on(UpdateServiceCommand, { cluster: 'prod' }).resolves({
      service: service([{ ...stable(NEW, 'ecs-svc/new'), runningCount: 0, rolloutState: 'IN_PROGRESS' }]),
    });
    const polls = new Map<string, number>();
    ecs.on(DescribeServicesCommand).callsFake((input: { cluster: string }) => {
      const count = polls.get(input.cluster) ?? 0;
      polls.set(input.cluster, count + 1);
      const rolling = [
        { ...stable(NEW, 'ecs-svc/new'), runningCount: 1, rolloutState: 'IN_PROGRESS' as const },
        { ...stable(OLD, 'ecs-svc/old'), status: 'ACTIVE' },
      ];
      const snapshot =
        input.cluster !== 'prod' || count === 0
          ? [stable(OLD, 'ecs-svc/old')]
          : count === 1
            ? rolling
            : [stable(NEW, 'ecs-svc/new')];
      return { services: [service(snapshot)] };
    });
    const result = await run(
      h,
      request({
        targets: [
          { cluster: 'eu', service: 'web' },
          { cluster: 'prod', service: 'web' },
        ],
      }),
    );
    expect(result.services.map((entry) => entry.outcome)).toEqual(['failed', 'completed']);
    expect(result.services[0]!.reason).toMatch(
      /InvalidParameterException|does not support launch type FARGATE/,
    );
    expect(result.failure).toMatch(
      /^Deploy of web:5 failed\. eu\/web: the update failed: .*does not support launch type FARGATE.*; it still runs web:4\.$/,
    );
    // prod/web was followed to the end, not left rolling unwatched.
    expect(polls.get('prod')).toBeGreaterThanOrEqual(3);
    expect(ecs.commandCalls(DeregisterTaskDefinitionCommand)).toHaveLength(0);
  });

  it('fails crashing tasks with the stopped reason and exit code, rolls back and waits for the old version', async () => {
    const h = harness();
    ecs.on(UpdateServiceCommand, { taskDefinition: NEW }).resolves({
      service: service([
        { ...stable(NEW, 'ecs-svc/new'), runningCount: 0, rolloutState: 'IN_PROGRESS' },
        { ...stable(OLD, 'ecs-svc/old'), status: 'ACTIVE' },
      ]),
    });
    ecs.on(UpdateServiceCommand, { taskDefinition: OLD }).resolves({
      service: service([{ ...stable(OLD, 'ecs-svc/back'), runningCount: 0, rolloutState: 'IN_PROGRESS' }]),
    });
    const crashing = (failed: number): Deployment => ({
      ...stable(NEW, 'ecs-svc/new'),
      runningCount: 0,
      pendingCount: 1,
      failedTasks: failed,
      rolloutState: 'IN_PROGRESS',
    });
    describeSequence([
      service([stable(OLD, 'ecs-svc/old')]),
      service([crashing(1), { ...stable(OLD, 'ecs-svc/old'), status: 'ACTIVE' }]),
      service([crashing(3), { ...stable(OLD, 'ecs-svc/old'), status: 'ACTIVE' }]),
      service([{ ...stable(OLD, 'ecs-svc/back'), runningCount: 1, rolloutState: 'IN_PROGRESS' }]),
      service([stable(OLD, 'ecs-svc/back')]),
    ]);
    ecs.on(ListTasksCommand).resolves({ taskArns: ['arn:aws:ecs:us-east-1:1:task/prod/t1'] });
    ecs.on(DescribeTasksCommand).resolves({
      tasks: [
        {
          taskArn: 'arn:aws:ecs:us-east-1:1:task/prod/t1',
          startedBy: 'ecs-svc/new',
          taskDefinitionArn: NEW,
          stoppedReason: 'Essential container in task exited',
          containers: [{ name: 'web', exitCode: 3 }],
        },
      ],
    });

    const result = await run(h, request());

    expect(result.rolledBack).toBe(true);
    expect(result.services[0]).toMatchObject({
      outcome: 'rolled-back',
      rollbackDeploymentId: 'ecs-svc/back',
    });
    expect(result.failure).toMatch(
      /Deploy of web:5 failed\. prod\/web: 3 tasks of deployment ecs-svc\/new failed/,
    );
    expect(result.failure).toMatch(
      /last task t1 stopped: Essential container in task exited; container web exit code 3/,
    );
    expect(result.failure).toMatch(/rolled back to web:4/);
    expect(ecs.commandCalls(UpdateServiceCommand)[1]!.args[0].input).toEqual({
      cluster: 'prod',
      service: 'web',
      taskDefinition: OLD,
    });
    // The stopped task is printed once, though the failed count grew twice.
    expect(h.lines.filter((line) => line.startsWith('prod/web: task t1 stopped'))).toHaveLength(1);
  });

  it('follows the circuit breaker rollback instead of starting its own', async () => {
    const h = harness();
    ecs.on(UpdateServiceCommand).resolves({
      service: service([{ ...stable(NEW, 'ecs-svc/new'), runningCount: 0, rolloutState: 'IN_PROGRESS' }]),
    });
    describeSequence([
      service([stable(OLD, 'ecs-svc/old')]),
      service([
        { ...stable(OLD, 'ecs-svc/rb'), runningCount: 1, rolloutState: 'IN_PROGRESS' },
        {
          ...stable(NEW, 'ecs-svc/new'),
          status: 'ACTIVE',
          runningCount: 0,
          failedTasks: 3,
          rolloutState: 'FAILED',
          rolloutStateReason: 'circuit breaker tripped',
        },
      ]),
      service([stable(OLD, 'ecs-svc/rb')]),
    ]);
    const result = await run(h, request());
    expect(ecs.commandCalls(UpdateServiceCommand)).toHaveLength(1);
    expect(result.services[0]).toMatchObject({ outcome: 'rolled-back', rollbackDeploymentId: 'ecs-svc/rb' });
    expect(result.failure).toMatch(
      /circuit breaker marked deployment ecs-svc\/new FAILED: circuit breaker tripped/,
    );
  });

  it('says loudly that it did not roll back when rollback is off', async () => {
    const h = harness();
    ecs.on(UpdateServiceCommand).resolves({
      service: service([{ ...stable(NEW, 'ecs-svc/new'), runningCount: 0, rolloutState: 'IN_PROGRESS' }]),
    });
    describeSequence([
      service([stable(OLD, 'ecs-svc/old')]),
      service([
        { ...stable(NEW, 'ecs-svc/new'), runningCount: 0, failedTasks: 5, rolloutState: 'IN_PROGRESS' },
      ]),
    ]);
    const result = await run(h, request({ rollback: false }));
    expect(result.rolledBack).toBe(false);
    expect(result.failure).toMatch(
      /NOT rolled back: the service points at web:5, which never became healthy/,
    );
    expect(ecs.commandCalls(UpdateServiceCommand)).toHaveLength(1);
  });

  it('does not roll back over a newer deploy that replaced ours, and says which one', async () => {
    const h = harness();
    const NEWER = 'arn:aws:ecs:us-east-1:1:task-definition/web:6';
    ecs.on(UpdateServiceCommand).resolves({
      service: service([{ ...stable(NEW, 'ecs-svc/new'), runningCount: 0, rolloutState: 'IN_PROGRESS' }]),
    });
    describeSequence([
      service([stable(OLD, 'ecs-svc/old')]),
      service([
        { ...stable(NEWER, 'ecs-svc/theirs'), runningCount: 0, rolloutState: 'IN_PROGRESS' },
        { ...stable(OLD, 'ecs-svc/old'), status: 'ACTIVE' },
      ]),
    ]);
    const result = await run(h, request());
    expect(ecs.commandCalls(UpdateServiceCommand)).toHaveLength(1);
    expect(result.rolledBack).toBe(false);
    expect(result.services[0]).toMatchObject({ outcome: 'superseded' });
    expect(result.failure).toMatch(
      /prod\/web: superseded: deployment ecs-svc\/new was replaced by ecs-svc\/theirs \(web:6\).*NOT rolled back/,
    );
    expect(summaryMarkdown(result, (await resolveTaskDefinition(h.deps, request())).taskDefinition)).toMatch(
      /SUPERSEDED by a newer deploy, not rolled back/,
    );
  });

  it('times out naming what is pending, then rolls back', async () => {
    const h = harness();
    let rolledBack = false;
    ecs.on(UpdateServiceCommand, { taskDefinition: NEW }).resolves({
      service: service([{ ...stable(NEW, 'ecs-svc/new'), runningCount: 0, rolloutState: 'IN_PROGRESS' }]),
    });
    ecs.on(UpdateServiceCommand, { taskDefinition: OLD }).callsFake(() => {
      rolledBack = true;
      return { service: service([{ ...stable(OLD, 'ecs-svc/back'), rolloutState: 'IN_PROGRESS' }]) };
    });
    let calls = 0;
    ecs.on(DescribeServicesCommand).callsFake(() => ({
      services: [
        calls++ === 0
          ? service([stable(OLD, 'ecs-svc/old')])
          : rolledBack
            ? service([stable(OLD, 'ecs-svc/back')])
            : service([
                {
                  ...stable(NEW, 'ecs-svc/new'),
                  runningCount: 1,
                  pendingCount: 1,
                  rolloutState: 'IN_PROGRESS',
                },
                { ...stable(OLD, 'ecs-svc/old'), status: 'ACTIVE', runningCount: 1 },
              ]),
      ],
    }));
    const result = await run(h, request({ timeoutMs: 120_000 }));
    expect(result.failure).toMatch(
      /timed out; still pending: deployment ecs-svc\/new \(web:5\) 1\/2 running, 1 pending, 0 failed, rollout IN_PROGRESS; older deployment ecs-svc\/old \(web:4\) still runs 1 task/,
    );
    expect(result.services[0]!.outcome).toBe('rolled-back');
    // Quiet for two minutes: a heartbeat a minute says what is pending; nothing else repeats.
    expect(h.lines.filter((line) => line.includes('still waiting'))).toEqual([
      'prod/web: still waiting after 1 m 02 s: deployment ecs-svc/new (web:5) 1/2 running, 1 pending, 0 failed, rollout IN_PROGRESS; older deployment ecs-svc/old (web:4) still runs 1 task',
    ]);
    // Quiet for two minutes: the poll backs off instead of calling every second.
    expect(calls).toBeLessThan(70);
    expect(calls).toBeGreaterThan(30);
  });

  it('says the rollback did not settle (not that the service still runs the new revision) when it times out', async () => {
    const h = harness();
    let rolledBack = false;
    ecs.on(UpdateServiceCommand, { taskDefinition: NEW }).resolves({
      service: service([{ ...stable(NEW, 'ecs-svc/new'), runningCount: 0, rolloutState: 'IN_PROGRESS' }]),
    });
    const back = { ...stable(OLD, 'ecs-svc/back'), rolloutState: 'IN_PROGRESS' as const };
    ecs.on(UpdateServiceCommand, { taskDefinition: OLD }).callsFake(() => {
      rolledBack = true;
      return { service: service([back]) };
    });
    let calls = 0;
    ecs.on(DescribeServicesCommand).callsFake(() => ({
      services: [
        calls++ === 0
          ? service([stable(OLD, 'ecs-svc/old')])
          : rolledBack
            ? service([back]) // the rollback runs its tasks but never reaches steady state
            : service([{ ...stable(NEW, 'ecs-svc/new'), runningCount: 0, rolloutState: 'IN_PROGRESS' }]),
      ],
    }));
    const result = await run(h, request({ timeoutMs: 60_000 }));
    expect(result.services[0]!.outcome).toBe('rollback-failed');
    expect(result.failure).toMatch(
      /ROLLBACK DID NOT SETTLE: the service points at web:4 again \(deployment ecs-svc\/back\), but it did not reach steady state in time; web:5 never became healthy/,
    );
    expect(result.failure).not.toMatch(/still points at web:5/);
  });

  it('updates many services in several clusters with one DescribeServices per cluster and 10 services', async () => {
    const h = harness();
    const targets = [
      ...Array.from({ length: 12 }, (_, index) => ({ cluster: 'a', service: `s${index}` })),
      { cluster: 'b', service: 'web' },
    ];
    let inFlight = 0;
    let maxInFlight = 0;
    ecs.on(UpdateServiceCommand).callsFake(async (input: { service: string }) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((resolve) => setImmediate(resolve));
      inFlight--;
      return {
        service: {
          ...service([{ ...stable(NEW, `d-${input.service}`), rolloutState: 'IN_PROGRESS' }]),
          serviceName: input.service,
        },
      };
    });
    let polls = 0;
    ecs.on(DescribeServicesCommand).callsFake((input: { services: string[] }) => {
      polls++;
      return {
        services: input.services.map((name) => ({
          ...service([polls > 3 ? stable(NEW, `d-${name}`) : stable(OLD, 'old')]),
          serviceName: name,
        })),
      };
    });
    const result = await run(h, request({ targets, maxConcurrency: 4 }));
    expect(result.failure).toBeUndefined();
    expect(result.services.every((entry) => entry.outcome === 'completed')).toBe(true);
    expect(maxInFlight).toBe(4);
    const batches = ecs
      .commandCalls(DescribeServicesCommand)
      .map((call) => call.args[0].input.services?.length);
    expect(Math.max(...(batches as number[]))).toBe(10);
    // One poll round = 3 calls (a: 10 + 2, b: 1), however many services.
    expect(ecs.commandCalls(DescribeServicesCommand)).toHaveLength(6);
  });

  it('runs the migration task first and fails with its exit code and log tail, deploying nothing', async () => {
    const h = harness();
    describeSequence([
      {
        ...service([stable(OLD, 'ecs-svc/old')]),
        launchType: 'FARGATE',
        networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-1'] } },
      },
    ]);
    ecs.on(RunTaskCommand).resolves({ tasks: [{ taskArn: 'arn:aws:ecs:us-east-1:1:task/prod/mig1' }] });
    let described = 0;
    ecs.on(DescribeTasksCommand).callsFake(() => ({
      tasks: [
        described++ < 2
          ? { taskArn: 'arn:aws:ecs:us-east-1:1:task/prod/mig1', lastStatus: 'RUNNING' }
          : {
              taskArn: 'arn:aws:ecs:us-east-1:1:task/prod/mig1',
              lastStatus: 'STOPPED',
              stoppedReason: 'Essential container in task exited',
              containers: [{ name: 'web', exitCode: 2 }],
            },
      ],
    }));
    logs
      .on(GetLogEventsCommand)
      .resolves({ events: [{ message: 'migrating...' }, { message: 'relation "users" already exists' }] });

    await expect(
      run(h, request({ migration: { command: ['npm', 'run', 'migrate'], timeoutMs: 60_000 } })),
    ).rejects.toThrow(
      /migration task failed with exit code 2 .*last log line: relation "users" already exists\. Nothing was deployed\. No service took web:5, so it was deregistered\./,
    );
    expect(ecs.commandCalls(DeregisterTaskDefinitionCommand).map((call) => call.args[0].input)).toEqual([
      { taskDefinition: NEW },
    ]);
    const runTask = ecs.commandCalls(RunTaskCommand)[0]!.args[0].input;
    expect(runTask).toMatchObject({
      cluster: 'prod',
      taskDefinition: NEW,
      launchType: 'FARGATE',
      networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-1'] } },
      overrides: { containerOverrides: [{ name: 'web', command: ['npm', 'run', 'migrate'] }] },
    });
    expect(logs.commandCalls(GetLogEventsCommand)[0]!.args[0].input).toMatchObject({
      logGroupName: '/ecs/web',
      logStreamName: 'ecs/web/mig1',
    });
    expect(ecs.commandCalls(UpdateServiceCommand)).toHaveLength(0);
    expect(h.lines).toContain('  relation "users" already exists');
  });

  it('starts from the task definition a service runs (from-service), stripped for registration', async () => {
    const h = harness();
    describeSequence([service([stable(OLD, 'ecs-svc/old')])]);
    const described = JSON.parse(readFileSync(join(FIXTURES, 'described.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    ecs.on(DescribeTaskDefinitionCommand).resolves(described);
    const resolved = await resolveTaskDefinition(
      h.deps,
      request({ source: { kind: 'from-service', target: { cluster: 'prod', service: 'web' } } }),
    );
    expect(ecs.commandCalls(DescribeTaskDefinitionCommand)[0]!.args[0].input).toEqual({
      taskDefinition: OLD,
      include: ['TAGS'],
    });
    expect(resolved.taskDefinition).not.toHaveProperty('revision');
    expect(resolved.taskDefinition.containerDefinitions[0]!.image).toBe(`registry/web${DIGEST}`);
    expect(resolved.existingArn).toBeUndefined();
  });

  it('deploys an existing ARN as is, registering nothing, and prunes old revisions', async () => {
    const h = harness();
    ecs
      .on(DescribeTaskDefinitionCommand)
      .resolves(
        JSON.parse(readFileSync(join(FIXTURES, 'described.json'), 'utf8')) as Record<string, unknown>,
      );
    const existing = 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:41';
    ecs.on(UpdateServiceCommand).resolves({ service: service([stable(existing, 'ecs-svc/x')]) });
    describeSequence([service([stable(OLD, 'ecs-svc/old')]), service([stable(existing, 'ecs-svc/x')])]);
    ecs.on(ListTaskDefinitionsCommand).resolves({
      taskDefinitionArns: [
        existing,
        'web:40',
        OLD,
        'web:3',
        'web:2',
        'arn:aws:ecs:us-east-1:1:task-definition/web-worker:9',
      ],
    });
    ecs.on(DeregisterTaskDefinitionCommand).resolves({});
    const result = await run(h, request({ source: { kind: 'arn', arn: 'web:41' }, keepRevisions: 1 }));
    expect(ecs.commandCalls(RegisterTaskDefinitionCommand)).toHaveLength(0);
    expect(result.taskDefinitionArn).toBe(existing);
    expect(result.deregistered).toEqual(['web:3', 'web:2']);
  });
});

describe('options', () => {
  it('creates a missing service when asked, with the circuit breaker on, and follows its first deployment', async () => {
    const h = harness();
    let created = false;
    ecs.on(CreateServiceCommand).callsFake(() => {
      created = true;
      return {
        service: service([{ ...stable(NEW, 'ecs-svc/first'), runningCount: 0, rolloutState: 'IN_PROGRESS' }]),
      };
    });
    ecs
      .on(DescribeServicesCommand)
      .callsFake(() =>
        created
          ? { services: [service([stable(NEW, 'ecs-svc/first')])] }
          : { services: [], failures: [{ reason: 'MISSING' }] },
      );
    const network = { awsvpcConfiguration: { subnets: ['subnet-1'], securityGroups: ['sg-1'] } };
    const result = await run(
      h,
      request({
        createIfMissing: true,
        desiredCount: 3,
        networkConfiguration: network,
        enableExecuteCommand: true,
      }),
    );
    expect(result.failure).toBeUndefined();
    expect(result.services[0]).toMatchObject({ outcome: 'completed', deploymentId: 'ecs-svc/first' });
    expect(result.previousTaskDefinitionArn).toBeUndefined();
    expect(ecs.commandCalls(CreateServiceCommand)[0]!.args[0].input).toEqual({
      cluster: 'prod',
      serviceName: 'web',
      taskDefinition: NEW,
      desiredCount: 3,
      launchType: 'FARGATE',
      networkConfiguration: network,
      deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: false } },
      enableExecuteCommand: true,
      propagateTags: 'TASK_DEFINITION',
    });
  });

  it('refuses to create an awsvpc service without network-configuration, before registering anything', async () => {
    const h = harness();
    ecs.on(DescribeServicesCommand).resolves({ services: [], failures: [{ reason: 'MISSING' }] });
    const req = request({ createIfMissing: true });
    if (req.source.kind === 'file') req.source.taskDefinition.networkMode = 'awsvpc';
    await expect(run(h, req)).rejects.toThrow(
      /^Input "network-configuration" is empty, but create-service-if-missing would create prod\/web from web, whose networkMode is awsvpc, and ECS refuses that \("Network Configuration must be provided when networkMode 'awsvpc' is specified"\)/,
    );
    expect(ecs.commandCalls(RegisterTaskDefinitionCommand)).toHaveLength(0);
    expect(ecs.commandCalls(CreateServiceCommand)).toHaveLength(0);
  });

  it('passes force-new-deployment, desired count and ECS Exec to UpdateService, and can skip waiting', async () => {
    const h = harness();
    describeSequence([service([stable(OLD, 'ecs-svc/old')])]);
    ecs.on(UpdateServiceCommand).resolves({
      service: service([{ ...stable(NEW, 'ecs-svc/new'), rolloutState: 'IN_PROGRESS' }]),
    });
    const result = await run(
      h,
      request({
        forceNewDeployment: true,
        desiredCount: 4,
        enableExecuteCommand: true,
        waitForStability: false,
      }),
    );
    expect(ecs.commandCalls(UpdateServiceCommand)[0]!.args[0].input).toEqual({
      cluster: 'prod',
      service: 'web',
      taskDefinition: NEW,
      forceNewDeployment: true,
      desiredCount: 4,
      enableExecuteCommand: true,
    });
    expect(result.services[0]!.outcome).toBe('updated');
    expect(ecs.commandCalls(DescribeServicesCommand)).toHaveLength(1);
  });

  it('does not reprint service events the update response already showed', async () => {
    const h = harness();
    const old = {
      id: 'e-old',
      createdAt: new Date(h.clock.now + 500),
      message: '(service web) has reached a steady state.',
    };
    const fresh = {
      id: 'e-new',
      createdAt: new Date(h.clock.now + 1500),
      message: '(service web) has started 2 tasks.',
    };
    ecs.on(UpdateServiceCommand).resolves({
      service: {
        ...service([{ ...stable(NEW, 'ecs-svc/new'), rolloutState: 'IN_PROGRESS' }]),
        events: [old],
      },
    });
    describeSequence([
      service([stable(OLD, 'ecs-svc/old')]),
      { ...service([stable(NEW, 'ecs-svc/new')]), events: [fresh, old] },
    ]);
    await run(h, request());
    expect(h.lines.filter((line) => line.includes('event:'))).toEqual([
      'prod/web: event: (service web) has started 2 tasks.',
    ]);
  });
});

describe('report', () => {
  it('summarises each service with revisions, image digest, time and result, and writes JSON for later steps', async () => {
    const h = harness();
    ecs.on(UpdateServiceCommand).resolves({
      service: service([{ ...stable(NEW, 'ecs-svc/new'), rolloutState: 'IN_PROGRESS' }]),
    });
    describeSequence([service([stable(OLD, 'ecs-svc/old')]), service([stable(NEW, 'ecs-svc/new')])]);
    const req = request();
    const resolved = await resolveTaskDefinition(h.deps, req);
    const result = await deploy(h.deps, req, resolved);
    expect(summaryMarkdown(result, resolved.taskDefinition)).toBe(
      [
        '### deploy-ecs: web:5',
        '',
        '| service | before | after | image | time to stable | result |',
        '| --- | --- | --- | --- | --- | --- |',
        '| prod/web | web:4 | web:5 | web: sha256:bbbbbbbbbbbb | 0 ms | deployed |',
        '',
      ].join('\n'),
    );
    expect(JSON.parse(servicesOutput(result))).toEqual([
      {
        cluster: 'prod',
        service: 'web',
        before: OLD,
        after: NEW,
        deploymentId: 'ecs-svc/new',
        result: 'completed',
        timeToStableSeconds: 0,
        reason: null,
      },
    ]);
  });
});

describe('cancellation', () => {
  it('stops following when the runner cancels, says what is left mid-way, and does not roll back', async () => {
    const h = harness();
    const cancel = new AbortController();
    h.deps.signal = cancel.signal;
    let polls = 0;
    ecs.on(UpdateServiceCommand).resolves({
      service: service([{ ...stable(NEW, 'ecs-svc/new'), runningCount: 0, rolloutState: 'IN_PROGRESS' }]),
    });
    ecs.on(DescribeServicesCommand).callsFake(() => {
      if (++polls === 3) cancel.abort();
      return {
        services: [
          polls === 1
            ? service([stable(OLD, 'ecs-svc/old')])
            : service([
                {
                  ...stable(NEW, 'ecs-svc/new'),
                  runningCount: 0,
                  pendingCount: 2,
                  rolloutState: 'IN_PROGRESS',
                },
              ]),
        ],
      };
    });
    const result = await run(h, request());
    expect(result.failure).toBe(
      'Cancelled before the deploy of web:5 finished, not rolled back. prod/web is still rolling out web:5 (ecs-svc/new), which is not healthy yet; it ran web:4 before.',
    );
    expect(result.services[0]!.outcome).toBe('cancelled');
    expect(ecs.commandCalls(UpdateServiceCommand)).toHaveLength(1);
    expect(polls).toBe(3);
  });
});

describe('rollback edge cases', () => {
  it('does not "roll back" to the revision that just failed (a forced redeploy of the same one)', async () => {
    const h = harness();
    ecs.on(RegisterTaskDefinitionCommand).resolves({ taskDefinition: { taskDefinitionArn: OLD } });
    ecs.on(UpdateServiceCommand).resolves({
      service: service([{ ...stable(OLD, 'ecs-svc/forced'), runningCount: 0, rolloutState: 'IN_PROGRESS' }]),
    });
    describeSequence([
      service([stable(OLD, 'ecs-svc/old')]),
      service([
        { ...stable(OLD, 'ecs-svc/forced'), runningCount: 0, failedTasks: 3, rolloutState: 'IN_PROGRESS' },
      ]),
    ]);
    const result = await run(h, request({ forceNewDeployment: true }));
    expect(ecs.commandCalls(UpdateServiceCommand)).toHaveLength(1);
    expect(result.failure).toMatch(/NOT rolled back/);
    expect(h.lines).toContain('WARN prod/web: it ran web:4 before too, so there is nothing to roll back to.');
  });
});

describe('revisionsToDeregister', () => {
  it('keeps the newest N idle revisions and never touches one in use', () => {
    expect(revisionsToDeregister(['w:9', 'w:8', 'w:7', 'w:6', 'w:5'], 2, new Set(['w:9', 'w:7']))).toEqual([
      'w:5',
    ]);
    expect(revisionsToDeregister(['w:9'], 0, new Set(['w:9']))).toEqual([]);
  });

  it('counts only the services of this step as in use, and the README says so', () => {
    // w:6 runs in a service (or a scheduled task) this step does not name: it is not protected.
    expect(revisionsToDeregister(['w:9', 'w:8', 'w:7', 'w:6'], 1, new Set(['w:9']))).toContain('w:6');
    const readme = readFileSync(
      join(import.meta.dirname, '..', '..', '..', 'actions', 'deploy-ecs', 'README.md'),
      'utf8',
    );
    const row = readme.split('\n').find((line) => line.startsWith('| `keep-revisions`'))!;
    expect(row).toMatch(/Only the services named in this step count as "in use"/);
    expect(row).toMatch(/scheduled task/);
  });
});
