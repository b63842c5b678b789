// The stand-in's API surfaces on a fake runtime: task definitions, CloudWatch Logs, front doors and the admin routes.
import {
  CloudWatchLogsClient,
  GetLogEventsCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-cloudwatch-logs';
import {
  CreateClusterCommand,
  CreateServiceCommand,
  DeregisterTaskDefinitionCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  InvalidParameterException,
  ListTaskDefinitionsCommand,
  paginateListTaskDefinitions,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  waitUntilServicesStable,
  waitUntilTasksStopped,
  type ECSClient,
} from '@aws-sdk/client-ecs';

import type { LocalAws } from '../../../tools/local-aws/index.js';
import type { FakeRuntime } from './fake-runtime.js';
import * as h from './stand-in-harness.js';
import { cluster, until } from './stand-in-harness.js';
import { allocatePort } from '../../../tools/local-aws/ports.js';

const harness = h.useFakeStandIn();
let runtime: FakeRuntime;
let localAws: LocalAws;
let ecs: ECSClient;
beforeEach(() => ({ runtime, localAws, ecs } = harness));

const { waiter, register, createStableService, admin } = h.bindHelpers(harness);

describe('ECS API and admin routes (fake runtime)', () => {
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

    // Free ports, not the door's port + 1, which another process on a busy machine may hold.
    const port = await allocatePort();
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
    const pinned = await allocatePort();
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
