// local-aws: what the stand-in costs and how fast it moves. API round trip through the real SDK, and a
// rolling update of real containers (the stack's base image running a tiny HTTP server) with the speed-ups
// the stack's CLI instance runs with (the stand-in's own defaults are AWS's: minutes per rollout).
import {
  CreateClusterCommand,
  CreateServiceCommand,
  DescribeServicesCommand,
  ECSClient,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
  waitUntilServicesStable,
} from '@aws-sdk/client-ecs';

import { STACK_SPEEDUPS, startTestLocalAws } from '../test/helpers/local-aws.js';
import { requireStack } from '../test/helpers/stack.js';
import { median, type BenchRow } from './bench-row.js';

const ROUND_TRIPS = 300;
const ROLLOUTS = 3;

const SERVER = `require('node:http').createServer((q, s) => s.end(JSON.stringify({ success: true, ver: process.env.VER })))
  .listen(Number(process.env.PORT), '127.0.0.1'); process.on('SIGTERM', () => process.exit(0));`;
const PROBE = `fetch('http://127.0.0.1:' + process.env.PORT).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))`;

/** Until the service's only deployment is COMPLETED: what the stand-in observed, not the SDK waiter's count. */
async function completed(ecs: ECSClient): Promise<void> {
  for (;;) {
    const { services } = await ecs.send(new DescribeServicesCommand({ cluster: 'bench', services: ['web'] }));
    const deployments = services?.[0]?.deployments ?? [];
    if (deployments.length === 1 && deployments[0]!.rolloutState === 'COMPLETED') return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const percentile = (values: number[], p: number): number =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((values.length * p) / 100))]!;

export default async function bench(): Promise<BenchRow[]> {
  const stack = requireStack();
  // The knobs of the stack's CLI instance (scripts/stack-up.sh).
  const local = await startTestLocalAws(stack, STACK_SPEEDUPS);
  const ecs = new ECSClient({
    region: 'us-east-1',
    endpoint: local.url,
    credentials: { accessKeyId: 'AKIDBENCH', secretAccessKey: 'bench' },
  });
  const rows: BenchRow[] = [];
  try {
    await ecs.send(new CreateClusterCommand({ clusterName: 'bench' }));
    const register = (ver: string): Promise<unknown> =>
      ecs.send(
        new RegisterTaskDefinitionCommand({
          family: 'bench',
          containerDefinitions: [
            {
              name: 'web',
              image: stack.baseImage,
              command: ['node', '-e', SERVER],
              environment: [{ name: 'VER', value: ver }],
              portMappings: [{ containerPort: 8080 }],
              healthCheck: { command: ['CMD', 'node', '-e', PROBE] },
            },
          ],
        }),
      );
    await register('0');
    const created = Date.now();
    await ecs.send(
      new CreateServiceCommand({
        cluster: 'bench',
        serviceName: 'web',
        taskDefinition: 'bench',
        desiredCount: 2,
        loadBalancers: [
          {
            targetGroupArn: 'arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/b/1',
            containerName: 'web',
            containerPort: 8080,
          },
        ],
      }),
    );
    await waitUntilServicesStable(
      { client: ecs, maxWaitTime: 120, minDelay: 0.1, maxDelay: 0.1 },
      { cluster: 'bench', services: ['web'] },
    );
    const firstRunning = Date.now() - created;
    await completed(ecs);

    const latencies: number[] = [];
    for (let call = 0; call < ROUND_TRIPS; call += 1) {
      const started = performance.now();
      await ecs.send(new DescribeServicesCommand({ cluster: 'bench', services: ['web'] }));
      latencies.push(performance.now() - started);
    }
    rows.push({
      area: 'local-aws',
      metric: `DescribeServices round trip via SDK (median / p95 of ${ROUND_TRIPS})`,
      value: `${median(latencies).toFixed(2)} / ${percentile(latencies, 95).toFixed(2)} ms`,
      target: 'target <= 5 ms median; AWS ECS ~30-80 ms',
    });
    rows.push({
      area: 'local-aws',
      metric: 'CreateService -> 2 tasks RUNNING (pull + start, stack speed-ups)',
      value: `${(firstRunning / 1000).toFixed(2)} s`,
      target: 'Fargate ~30-60 s',
    });

    const rollouts: number[] = [];
    for (let run = 1; run <= ROLLOUTS; run += 1) {
      await register(String(run));
      const started = Date.now();
      await ecs.send(new UpdateServiceCommand({ cluster: 'bench', service: 'web', taskDefinition: 'bench' }));
      await completed(ecs);
      rollouts.push(Date.now() - started);
    }
    rows.push({
      area: 'local-aws',
      metric: `rolling update to COMPLETED, 2 tasks, health-checked behind a target group, old drained (median of ${ROLLOUTS})`,
      value: `${(median(rollouts) / 1000).toFixed(2)} s`,
      target:
        'target <= 15 s with stack speed-ups (5 s container checks); ECS ~3-6 min; moto / client mocks never move',
    });

    await ecs.send(new UpdateServiceCommand({ cluster: 'bench', service: 'web', desiredCount: 0 }));
    await waitUntilServicesStable(
      { client: ecs, maxWaitTime: 60, minDelay: 0.1, maxDelay: 0.1 },
      { cluster: 'bench', services: ['web'] },
    );
  } finally {
    ecs.destroy();
    const closing = Date.now();
    await local.close();
    rows.push({
      area: 'local-aws',
      metric: 'close(): stop and remove everything',
      value: `${Date.now() - closing} ms`,
    });
  }
  return rows;
}
