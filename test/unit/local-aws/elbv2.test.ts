// ELBv2 target groups through the real SDK client over the Query protocol, with real local HTTP servers as
// targets (no containers): the health checks that decide when a load-balanced task counts as healthy.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import {
  CreateTargetGroupCommand,
  type CreateTargetGroupCommandInput,
  DeleteTargetGroupCommand,
  DeregisterTargetsCommand,
  DescribeTargetGroupAttributesCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
  DuplicateTargetGroupNameException,
  ElasticLoadBalancingV2Client,
  InvalidConfigurationRequestException,
  ModifyTargetGroupAttributesCommand,
  ModifyTargetGroupCommand,
  paginateDescribeTargetGroups,
  RegisterTargetsCommand,
  TargetGroupNotFoundException,
  type TargetGroup,
  type TargetHealth,
} from '@aws-sdk/client-elastic-load-balancing-v2';

import { startLocalAws, type LocalAws } from '../../../tools/local-aws/index.js';
import type { TaskRuntime } from '../../../tools/local-aws/task-runtime.js';

const INTERVAL_MS = 100;
const DRAIN_MS = 300;
const good = { accessKeyId: 'AKIDELBV2TEST', secretAccessKey: 'the-elbv2-secret' };

/** These tests start no task: any container call is a bug. */
const noContainers = (): Promise<never> => Promise.reject(new Error('no containers in the ELBv2 tests'));
const runtime: TaskRuntime = {
  pull: noContainers,
  run: noContainers,
  inspect: noContainers,
  imageDigest: noContainers,
  stop: noContainers,
  kill: noContainers,
  remove: noContainers,
  logs: noContainers,
};

let local: LocalAws;
let elb: ElasticLoadBalancingV2Client;
const servers: Server[] = [];

beforeAll(async () => {
  local = await startLocalAws(
    {
      port: 0,
      firstFrontDoorPort: 0,
      credentials: { [good.accessKeyId]: good.secretAccessKey },
      targetHealthCheckIntervalMs: INTERVAL_MS,
      deregistrationDelayMs: DRAIN_MS,
    },
    { runtime },
  );
  elb = client();
});
afterAll(async () => {
  await Promise.all(
    servers.map(
      (server) =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    ),
  );
  await local.close();
});

function client(credentials = good): ElasticLoadBalancingV2Client {
  return new ElasticLoadBalancingV2Client({
    endpoint: local.url,
    region: 'us-east-1',
    credentials,
    maxAttempts: 1,
  });
}

let groupCount = 0;
async function createGroup(input: Partial<CreateTargetGroupCommandInput> = {}): Promise<TargetGroup> {
  const answer = await elb.send(
    new CreateTargetGroupCommand({
      Name: `tg-${(groupCount += 1)}`,
      Protocol: 'HTTP',
      Port: 80,
      VpcId: 'vpc-local',
      TargetType: 'ip',
      ...input,
    }),
  );
  return answer.TargetGroups![0]!;
}

/** A target on 127.0.0.1 answering with `handler`; records when each request came and its path. */
async function target(
  handler: (request: IncomingMessage, response: ServerResponse) => void,
): Promise<{ port: number; hits: { at: number; path: string }[] }> {
  const hits: { at: number; path: string }[] = [];
  const server = createServer((request, response) => {
    hits.push({ at: Date.now(), path: request.url ?? '' });
    handler(request, response);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as AddressInfo).port, hits };
}

const answering = (status: number) => (_request: IncomingMessage, response: ServerResponse) => {
  response.writeHead(status);
  response.end('ok');
};

async function health(arn: string, port: number): Promise<TargetHealth> {
  const answer = await elb.send(
    new DescribeTargetHealthCommand({ TargetGroupArn: arn, Targets: [{ Id: '127.0.0.1', Port: port }] }),
  );
  return answer.TargetHealthDescriptions![0]!.TargetHealth!;
}

/**
 * Polls the target's health until `done`; returns every state seen on the way (no wall-clock deadline).
 * `beforeEach` runs before each request (to note what the target had received by then).
 */
async function healthUntil(
  arn: string,
  port: number,
  done: (seen: TargetHealth) => boolean,
  beforeEach: () => void = () => undefined,
): Promise<TargetHealth[]> {
  const seen: TargetHealth[] = [];
  for (;;) {
    beforeEach();
    const now = await health(arn, port);
    seen.push(now);
    if (done(now)) return seen;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('target groups', () => {
  it('creates a group with ELB defaults: HTTP, traffic port, /, 30 s, 5 s, 5/2, 200, 300 s drain', async () => {
    const group = await createGroup({ Name: 'defaults', TargetType: undefined });
    expect(group).toMatchObject({
      TargetGroupName: 'defaults',
      Protocol: 'HTTP',
      Port: 80,
      VpcId: 'vpc-local',
      TargetType: 'instance',
      HealthCheckProtocol: 'HTTP',
      HealthCheckPort: 'traffic-port',
      HealthCheckPath: '/',
      HealthCheckEnabled: true,
      HealthCheckIntervalSeconds: 30,
      HealthCheckTimeoutSeconds: 5,
      HealthyThresholdCount: 5,
      UnhealthyThresholdCount: 2,
      Matcher: { HttpCode: '200' },
    });
    expect(group.TargetGroupArn).toMatch(
      /^arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup\/defaults\/[0-9a-f]{16}$/,
    );
    const attributes = await elb.send(
      new DescribeTargetGroupAttributesCommand({ TargetGroupArn: group.TargetGroupArn }),
    );
    expect(attributes.Attributes).toEqual([{ Key: 'deregistration_delay.timeout_seconds', Value: '300' }]);
  });

  it('keeps custom health-check settings and tags', async () => {
    const group = await createGroup({
      Name: 'custom',
      HealthCheckProtocol: 'HTTP',
      HealthCheckPort: '8081',
      HealthCheckPath: '/healthz?deep=1',
      HealthCheckIntervalSeconds: 10,
      HealthCheckTimeoutSeconds: 3,
      HealthyThresholdCount: 2,
      UnhealthyThresholdCount: 4,
      Matcher: { HttpCode: '200-299,302' },
      Tags: [{ Key: 'team', Value: 'web & api' }],
    });
    expect(group).toMatchObject({
      TargetType: 'ip',
      HealthCheckPort: '8081',
      HealthCheckPath: '/healthz?deep=1',
      HealthCheckIntervalSeconds: 10,
      HealthCheckTimeoutSeconds: 3,
      HealthyThresholdCount: 2,
      UnhealthyThresholdCount: 4,
      Matcher: { HttpCode: '200-299,302' },
    });
    expect(local.targetGroups.byArn(group.TargetGroupArn!)?.tags).toEqual([
      { key: 'team', value: 'web & api' },
    ]);
  });

  it.each([
    ['HealthCheckIntervalSeconds', { HealthCheckIntervalSeconds: 4 }, /greater than or equal to 5/],
    ['HealthCheckIntervalSeconds', { HealthCheckIntervalSeconds: 301 }, /less than or equal to 300/],
    ['HealthCheckTimeoutSeconds', { HealthCheckTimeoutSeconds: 1 }, /greater than or equal to 2/],
    ['HealthCheckTimeoutSeconds', { HealthCheckTimeoutSeconds: 121 }, /less than or equal to 120/],
    ['HealthyThresholdCount', { HealthyThresholdCount: 1 }, /greater than or equal to 2/],
    ['UnhealthyThresholdCount', { UnhealthyThresholdCount: 11 }, /less than or equal to 10/],
    ['Name', { Name: 'bad_name' }, /alphanumeric characters or hyphens/],
    ['Name', { Name: '-leading' }, /must not begin or end with a hyphen/],
  ])('refuses an out-of-range %s with ValidationError', async (_member, input, message) => {
    await expect(createGroup(input)).rejects.toMatchObject({
      name: 'ValidationError',
      $metadata: { httpStatusCode: 400 },
      message: expect.stringMatching(message) as unknown,
    });
  });

  it.each(['100', '200-500', '299-200', 'ok'])(
    'refuses the matcher %s with InvalidConfigurationRequest',
    async (httpCode) => {
      const error: unknown = await createGroup({ Matcher: { HttpCode: httpCode } }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InvalidConfigurationRequestException);
    },
  );

  it('answers the same group to an identical create and DuplicateTargetGroupName to different settings', async () => {
    const first = await createGroup({ Name: 'twice' });
    const again = await createGroup({ Name: 'twice' });
    expect(again.TargetGroupArn).toBe(first.TargetGroupArn);
    const error: unknown = await createGroup({ Name: 'twice', Port: 8080 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DuplicateTargetGroupNameException);
    expect((error as Error).message).toBe(
      "A target group with the same name 'twice' exists, but with different settings",
    );
  });

  it('answers TargetGroupNotFound for unknown names and ARNs, and after DeleteTargetGroup', async () => {
    await expect(elb.send(new DescribeTargetGroupsCommand({ Names: ['nope'] }))).rejects.toBeInstanceOf(
      TargetGroupNotFoundException,
    );
    const group = await createGroup();
    await elb.send(new DeleteTargetGroupCommand({ TargetGroupArn: group.TargetGroupArn }));
    await expect(
      elb.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [group.TargetGroupArn!] })),
    ).rejects.toBeInstanceOf(TargetGroupNotFoundException);
    await expect(
      elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: group.TargetGroupArn })),
    ).rejects.toMatchObject({
      name: 'TargetGroupNotFoundException',
      message: 'One or more target groups not found',
    });
  });

  it('describes by name and by ARN, and pages with Marker/PageSize (the SDK paginator)', async () => {
    const made = [await createGroup({ Name: 'page-a' }), await createGroup({ Name: 'page-b' })];
    const byName = await elb.send(new DescribeTargetGroupsCommand({ Names: ['page-b', 'page-a'] }));
    expect(byName.TargetGroups!.map((group) => group.TargetGroupName)).toEqual(['page-b', 'page-a']);
    const byArn = await elb.send(
      new DescribeTargetGroupsCommand({ TargetGroupArns: [made[0]!.TargetGroupArn!] }),
    );
    expect(byArn.TargetGroups!.map((group) => group.TargetGroupName)).toEqual(['page-a']);

    const all = (await elb.send(new DescribeTargetGroupsCommand({}))).TargetGroups!;
    expect(all.length).toBeGreaterThanOrEqual(3);
    const pages: string[][] = [];
    for await (const page of paginateDescribeTargetGroups({ client: elb }, { PageSize: 2 })) {
      pages.push(page.TargetGroups!.map((group) => group.TargetGroupName!));
    }
    expect(pages.every((page) => page.length <= 2)).toBe(true);
    expect(pages.length).toBe(Math.ceil(all.length / 2));
    expect(pages.flat()).toEqual(all.map((group) => group.TargetGroupName));
  });

  it('modifies health-check settings and the deregistration delay (0-3600 s)', async () => {
    const group = await createGroup();
    const modified = await elb.send(
      new ModifyTargetGroupCommand({
        TargetGroupArn: group.TargetGroupArn,
        HealthCheckPath: '/ready',
        HealthCheckIntervalSeconds: 15,
        HealthyThresholdCount: 3,
        Matcher: { HttpCode: '204' },
      }),
    );
    expect(modified.TargetGroups![0]).toMatchObject({
      HealthCheckPath: '/ready',
      HealthCheckIntervalSeconds: 15,
      HealthyThresholdCount: 3,
      HealthCheckTimeoutSeconds: 5,
      Matcher: { HttpCode: '204' },
    });
    const described = await elb.send(
      new DescribeTargetGroupsCommand({ TargetGroupArns: [group.TargetGroupArn!] }),
    );
    expect(described.TargetGroups![0]!.HealthCheckPath).toBe('/ready');

    const attributes = await elb.send(
      new ModifyTargetGroupAttributesCommand({
        TargetGroupArn: group.TargetGroupArn,
        Attributes: [{ Key: 'deregistration_delay.timeout_seconds', Value: '30' }],
      }),
    );
    expect(attributes.Attributes).toContainEqual({
      Key: 'deregistration_delay.timeout_seconds',
      Value: '30',
    });
    await expect(
      elb.send(
        new ModifyTargetGroupAttributesCommand({
          TargetGroupArn: group.TargetGroupArn,
          Attributes: [{ Key: 'deregistration_delay.timeout_seconds', Value: '3601' }],
        }),
      ),
    ).rejects.toBeInstanceOf(InvalidConfigurationRequestException);
  });
});

describe('target health', () => {
  it('turns a target healthy after HealthyThresholdCount passes, probed on the interval knob', async () => {
    const app = await target(answering(200));
    const group = await createGroup({
      Port: app.port,
      HealthyThresholdCount: 3,
      HealthCheckPath: '/healthz',
    });
    await elb.send(
      new RegisterTargetsCommand({ TargetGroupArn: group.TargetGroupArn, Targets: [{ Id: '127.0.0.1' }] }),
    );

    const hitsWhenSeen: number[] = [];
    const seen = await healthUntil(
      group.TargetGroupArn!,
      app.port,
      (now) => now.State === 'healthy',
      () => hitsWhenSeen.push(app.hits.length),
    );
    // Every observation before the last was initial, asked when at most the 3rd check had reached the app.
    for (const [index, state] of seen.slice(0, -1).entries()) {
      expect(state.State).toBe('initial');
      expect(['Elb.RegistrationInProgress', 'Elb.InitialHealthChecking']).toContain(state.Reason);
      expect(hitsWhenSeen[index]).toBeLessThanOrEqual(3);
    }
    expect(seen.at(-1)).toEqual({ State: 'healthy' });
    expect(app.hits.length).toBeGreaterThanOrEqual(3);
    expect(app.hits.every((hit) => hit.path === '/healthz')).toBe(true);
    // Checks start on the knob's interval, not faster (timers only fire late; slack for the first connection).
    const span = app.hits[2]!.at - app.hits[0]!.at;
    expect(span).toBeGreaterThanOrEqual(2 * INTERVAL_MS - 50);

    const described = await elb.send(
      new DescribeTargetHealthCommand({ TargetGroupArn: group.TargetGroupArn }),
    );
    expect(described.TargetHealthDescriptions).toEqual([
      {
        Target: { Id: '127.0.0.1', Port: app.port },
        HealthCheckPort: String(app.port),
        TargetHealth: { State: 'healthy' },
      },
    ]);
  }, 20_000);

  it('marks a target answering 500 unhealthy: Target.ResponseCodeMismatch with the code', async () => {
    const app = await target(answering(500));
    const group = await createGroup({ Port: app.port, UnhealthyThresholdCount: 3 });
    await elb.send(
      new RegisterTargetsCommand({ TargetGroupArn: group.TargetGroupArn, Targets: [{ Id: '127.0.0.1' }] }),
    );
    const seen = await healthUntil(group.TargetGroupArn!, app.port, (now) => now.State !== 'initial');
    expect(seen.at(-1)).toEqual({
      State: 'unhealthy',
      Reason: 'Target.ResponseCodeMismatch',
      Description: 'Health checks failed with these codes: [500]',
    });
    expect(app.hits.length).toBeGreaterThanOrEqual(3);
  }, 20_000);

  it('marks a target that answers after the timeout unhealthy: Target.Timeout', async () => {
    // Never answers; 2 s is ELB's smallest timeout, and 2 failures (the smallest threshold) are needed.
    const app = await target(() => undefined);
    const group = await createGroup({
      Port: app.port,
      HealthCheckTimeoutSeconds: 2,
      UnhealthyThresholdCount: 2,
    });
    await elb.send(
      new RegisterTargetsCommand({ TargetGroupArn: group.TargetGroupArn, Targets: [{ Id: '127.0.0.1' }] }),
    );
    const started = Date.now();
    const seen = await healthUntil(group.TargetGroupArn!, app.port, (now) => now.State !== 'initial');
    expect(seen.at(-1)).toEqual({
      State: 'unhealthy',
      Reason: 'Target.Timeout',
      Description: 'Request timed out',
    });
    // Two timed-out checks of 2 s each: not before 4 s.
    expect(Date.now() - started).toBeGreaterThanOrEqual(4000 - 50);
    expect(app.hits.length).toBeGreaterThanOrEqual(2);
  }, 20_000);

  it('marks a target whose port refuses connections unhealthy: Target.FailedHealthChecks', async () => {
    const closed = await target(answering(200));
    const server = servers.pop()!;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const group = await createGroup({ Port: closed.port });
    await elb.send(
      new RegisterTargetsCommand({ TargetGroupArn: group.TargetGroupArn, Targets: [{ Id: '127.0.0.1' }] }),
    );
    const seen = await healthUntil(group.TargetGroupArn!, closed.port, (now) => now.State !== 'initial');
    expect(seen.at(-1)).toMatchObject({ State: 'unhealthy', Reason: 'Target.FailedHealthChecks' });
  }, 20_000);

  it('drains a deregistered target for the delay knob, then reports it unused (Target.NotRegistered)', async () => {
    const app = await target(answering(200));
    const group = await createGroup({ Port: app.port, HealthyThresholdCount: 2 });
    const arn = group.TargetGroupArn!;
    await elb.send(new RegisterTargetsCommand({ TargetGroupArn: arn, Targets: [{ Id: '127.0.0.1' }] }));
    await healthUntil(arn, app.port, (now) => now.State === 'healthy');

    await elb.send(new DeregisterTargetsCommand({ TargetGroupArn: arn, Targets: [{ Id: '127.0.0.1' }] }));
    const drainedAt = Date.now();
    const seen = await healthUntil(arn, app.port, (now) => now.State !== 'draining');
    expect(seen[0]).toEqual({
      State: 'draining',
      Reason: 'Target.DeregistrationInProgress',
      Description: 'Target deregistration is in progress',
    });
    expect(seen.at(-1)).toMatchObject({ State: 'unused', Reason: 'Target.NotRegistered' });
    expect(Date.now() - drainedAt).toBeGreaterThanOrEqual(DRAIN_MS - 50);
    const listed = await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: arn }));
    expect(listed.TargetHealthDescriptions).toEqual([]);
  }, 20_000);

  it('routes only to healthy targets: not initial, unhealthy or draining ones', async () => {
    const good = await target(answering(200));
    const bad = await target(answering(503));
    const group = await createGroup({ Port: good.port, HealthyThresholdCount: 2 });
    const arn = group.TargetGroupArn!;
    expect(local.targetGroups.routable(arn)).toEqual([]);
    await elb.send(
      new RegisterTargetsCommand({
        TargetGroupArn: arn,
        Targets: [{ Id: '127.0.0.1' }, { Id: '127.0.0.1', Port: bad.port }],
      }),
    );
    expect(local.targetGroups.routable(arn)).toEqual([]);
    await healthUntil(arn, good.port, (now) => now.State === 'healthy');
    await healthUntil(arn, bad.port, (now) => now.State === 'unhealthy');
    expect(local.targetGroups.routable(arn)).toEqual([{ id: '127.0.0.1', port: good.port }]);

    local.targetGroups.deregister(arn, { id: '127.0.0.1', port: good.port });
    expect(local.targetGroups.health(arn, { id: '127.0.0.1', port: good.port }).state).toBe('draining');
    expect(local.targetGroups.routable(arn)).toEqual([]);
  }, 20_000);
});

describe('the Query protocol path', () => {
  it('answers an unsigned form POST MissingAuthenticationToken, in XML', async () => {
    const answer = await fetch(local.url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'Action=DescribeTargetGroups&Version=2015-12-01',
    });
    expect(answer.status).toBe(400);
    const text = await answer.text();
    expect(text).toContain(
      '<ErrorResponse xmlns="http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/">',
    );
    expect(text).toContain('<Type>Sender</Type><Code>MissingAuthenticationTokenException</Code>');
  });

  it('counts calls under the Action name and injects faults there', async () => {
    const admin = (path: string, body?: unknown) =>
      fetch(`${local.url}${path}`, {
        method: body === undefined ? 'GET' : 'POST',
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      }).then((answer) => answer.json() as Promise<Record<string, unknown>>);
    const before =
      ((await admin('/_local/calls'))['byOperation'] as Record<string, number>)['DescribeTargetGroups'] ?? 0;
    await admin('/_local/faults', { failNextCalls: 1, operations: ['DescribeTargetGroups'] });
    await expect(elb.send(new DescribeTargetGroupsCommand({}))).rejects.toMatchObject({
      $metadata: { httpStatusCode: 500 },
    });
    await elb.send(new DescribeTargetGroupsCommand({}));
    const after = ((await admin('/_local/calls'))['byOperation'] as Record<string, number>)[
      'DescribeTargetGroups'
    ];
    expect(after).toBe(before + 2);
  });
});

describe('SigV4 on the Query protocol', () => {
  it('refuses a wrong secret and an unknown access key the way AWS does', async () => {
    await expect(
      client({ ...good, secretAccessKey: 'not-it' }).send(new DescribeTargetGroupsCommand({})),
    ).rejects.toMatchObject({
      name: 'InvalidSignatureException',
      $metadata: { httpStatusCode: 400 },
      message: expect.stringMatching(/^The request signature we calculated does not match/) as unknown,
    });
    await expect(
      client({ accessKeyId: 'AKIDSOMEONEELSE', secretAccessKey: 'x' }).send(
        new DescribeTargetGroupsCommand({}),
      ),
    ).rejects.toMatchObject({ name: 'UnrecognizedClientException' });
  });
});
