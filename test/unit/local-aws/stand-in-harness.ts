// One stand-in per test on a fake runtime, reached through the real SDK client, with fast knobs the tests
// opt into; plus the helpers the scheduler, API and health tests share.
import {
  CreateClusterCommand,
  CreateServiceCommand,
  type CreateServiceCommandInput,
  DescribeServicesCommand,
  ECSClient,
  RegisterTaskDefinitionCommand,
  waitUntilServicesStable,
  type Service,
} from '@aws-sdk/client-ecs';

import { startLocalAws, type LocalAws, type LocalAwsOptions } from '../../../tools/local-aws/index.js';
import { FakeRuntime } from './fake-runtime.js';

export const cluster = 'unit';

export interface Harness {
  runtime: FakeRuntime;
  localAws: LocalAws;
  ecs: ECSClient;
}

/** Starts a fresh stand-in before each test (cluster "unit" created) and closes it after, leaving nothing. */
export function useFakeStandIn(options: Partial<LocalAwsOptions> = {}): Harness {
  const harness = {} as Harness;
  beforeEach(async () => {
    harness.runtime = new FakeRuntime();
    harness.localAws = await startLocalAws(
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
        ...options,
      },
      { runtime: harness.runtime },
    );
    harness.ecs = new ECSClient({
      endpoint: harness.localAws.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIDUNIT', secretAccessKey: 'unit' },
    });
    await harness.ecs.send(new CreateClusterCommand({ clusterName: cluster }));
  });
  afterEach(async () => {
    harness.ecs.destroy();
    await harness.localAws.close();
    expect(harness.runtime.alive()).toBe(0);
  });
  return harness;
}

export const waiter = (
  ecs: ECSClient,
): { client: ECSClient; maxWaitTime: number; minDelay: number; maxDelay: number } => ({
  client: ecs,
  maxWaitTime: 20,
  // The SDK's waiter takes fractions of a second; ECS's default 15 s would only slow the test.
  minDelay: 0.05,
  maxDelay: 0.1,
});

export async function describeService(ecs: ECSClient, name: string): Promise<Service> {
  return (await ecs.send(new DescribeServicesCommand({ cluster, services: [name] }))).services![0]!;
}

export async function until<T>(
  probe: () => Promise<T | undefined>,
  what: string,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Registers family "svc": one health-checked container "web" whose image tag steers the fake runtime. */
export function register(ecs: ECSClient, tag: string, extra: Record<string, unknown> = {}): Promise<unknown> {
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
export async function createStableService(
  ecs: ECSClient,
  input: Omit<CreateServiceCommandInput, 'cluster'> & { serviceName: string },
): Promise<void> {
  await ecs.send(new CreateServiceCommand({ cluster, ...input }));
  await waitUntilServicesStable(waiter(ecs), { cluster, services: [input.serviceName] });
}

export async function admin(localAws: LocalAws, path: string, body: unknown): Promise<void> {
  const response = await fetch(`${localAws.url}/_local/${path}`, {
    method: 'POST',
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(200);
}

export interface BoundHelpers {
  waiter: () => ReturnType<typeof waiter>;
  describeService: (name: string) => Promise<Service>;
  register: (tag: string, extra?: Record<string, unknown>) => Promise<unknown>;
  createStableService: (input: Parameters<typeof createStableService>[1]) => Promise<void>;
  admin: (path: string, body: unknown) => Promise<void>;
}

/** The helpers above on the harness's current stand-in (read at call time, so the one of the running test). */
export function bindHelpers(harness: Harness): BoundHelpers {
  return {
    waiter: () => waiter(harness.ecs),
    describeService: (name) => describeService(harness.ecs, name),
    register: (tag, extra = {}) => register(harness.ecs, tag, extra),
    createStableService: (input) => createStableService(harness.ecs, input),
    admin: (path, body) => admin(harness.localAws, path, body),
  };
}
