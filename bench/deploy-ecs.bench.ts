// deploy-ecs: how late a finished rollout is noticed, how many API calls a deploy costs, and how the
// time grows from 1 to 20 services. Runs the built bundle against an in-process ECS stand-in.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import {
  CreateClusterCommand,
  DescribeServicesCommand,
  ECSClient,
  UpdateServiceCommand,
  waitUntilServicesStable,
} from '@aws-sdk/client-ecs';

import { buildTestImages, createService, localAdmin } from '../test/fixtures/deploy-ecs/helpers.js';
import { FAST_ROLLOUTS, startTestLocalAws } from '../test/helpers/local-aws.js';
import { runAction } from '../test/helpers/run-action.js';
import { requireStack } from '../test/helpers/stack.js';
import { median, type BenchRow } from './bench-row.js';

const LAG_RUNS = 7;
const WAITER_MIN_DELAY_S = 15;

/** When the stand-in marked the service's PRIMARY (or the given) deployment completed, from its event. */
async function completionTime(
  ecs: ECSClient,
  cluster: string,
  name: string,
  deploymentId?: string,
): Promise<number> {
  const { services } = await ecs.send(new DescribeServicesCommand({ cluster, services: [name] }));
  const id =
    deploymentId ?? services?.[0]?.deployments?.find((deployment) => deployment.status === 'PRIMARY')?.id;
  const completed = services?.[0]?.events?.find((event) =>
    event.message?.includes(`(deployment ${id}) deployment completed`),
  );
  if (!completed?.createdAt) throw new Error(`no "deployment completed" event for ${name}`);
  return completed.createdAt.getTime();
}

export default async function bench(): Promise<BenchRow[]> {
  const stack = requireStack();
  const images = await buildTestImages(stack);
  const local = await startTestLocalAws(stack, FAST_ROLLOUTS);
  const ecs = new ECSClient({
    region: 'us-east-1',
    endpoint: local.url,
    credentials: {
      accessKeyId: stack.env['AWS_ACCESS_KEY_ID']!,
      secretAccessKey: stack.env['AWS_SECRET_ACCESS_KEY']!,
    },
  });
  const workDir = mkdtempSync(join(tmpdir(), 'deploy-ecs-bench-'));
  const taskDefinitionFile = join(workDir, 'task-definition.json');
  writeFileSync(
    taskDefinitionFile,
    JSON.stringify({
      family: 'it-app',
      containerDefinitions: [
        { name: 'app', image: 'placeholder', essential: true, portMappings: [{ containerPort: 3000 }] },
      ],
    }),
  );
  const deploy = async (services: string[], image: string): Promise<number> => {
    const run = await runAction('deploy-ecs', {
      inputs: {
        'task-definition': taskDefinitionFile,
        cluster: 'bench',
        services: services.join('\n'),
        container: 'app',
        image,
        // The lag measured here is to steady state; a bake would add its whole window to it.
        'bake-time': '0',
      },
      env: {
        ...stack.env,
        AWS_ENDPOINT_URL_ECS: local.url,
        AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2: local.url,
      },
      timeoutMs: 120_000,
    });
    if (run.exitCode !== 0) throw new Error(`deploy failed: ${run.errors.join(' ')}`);
    return run.durationMs;
  };
  try {
    await ecs.send(new CreateClusterCommand({ clusterName: 'bench' }));

    // Detection lag: the stand-in's "deployment completed" event to the step's process exiting.
    await createService(ecs, 'bench', 'lag', images.v1, { desiredCount: 1 });
    const lags: number[] = [];
    const calls: number[] = [];
    for (let index = 0; index < LAG_RUNS; index++) {
      await localAdmin(local, 'DELETE', '/_local/calls');
      const image = index % 2 === 0 ? images.v2 : images.v1;
      await deploy(['lag'], image);
      const returnedAt = Date.now();
      const { byOperation } = (await localAdmin(local, 'GET', '/_local/calls')) as {
        byOperation: Record<string, number>;
      };
      calls.push(Object.values(byOperation).reduce((sum, count) => sum + count, 0));
      const { services } = await ecs.send(
        new DescribeServicesCommand({ cluster: 'bench', services: ['lag'] }),
      );
      const primary = services?.[0]?.deployments?.find((deployment) => deployment.status === 'PRIMARY');
      const completed = services?.[0]?.events?.find((event) =>
        event.message?.includes(`(deployment ${primary?.id}) deployment completed`),
      );
      if (!completed?.createdAt) throw new Error('no "deployment completed" event');
      lags.push(returnedAt - completed.createdAt.getTime());
    }

    // The SDK's services-stable waiter on the same kind of rollout, for comparison (one run: >= 15 s).
    const updated = await ecs.send(
      new UpdateServiceCommand({ cluster: 'bench', service: 'lag', forceNewDeployment: true }),
    );
    const waiterDeployment = updated.service?.deployments?.find(
      (deployment) => deployment.status === 'PRIMARY',
    )?.id;
    await waitUntilServicesStable(
      { client: ecs, maxWaitTime: 120, minDelay: WAITER_MIN_DELAY_S },
      { cluster: 'bench', services: ['lag'] },
    );
    const waiterReturnedAt = Date.now();
    const completedAt = await completionTime(ecs, 'bench', 'lag', waiterDeployment);
    const waiterLag = waiterReturnedAt - completedAt;

    // 1 vs 20 services, each a fresh rollout of one task.
    const fleet = Array.from({ length: 20 }, (_, index) => `fleet-${index}`);
    await Promise.all(fleet.map((name) => createService(ecs, 'bench', name, images.v1, { desiredCount: 1 })));
    const one = await deploy(fleet.slice(0, 1), images.v2);
    const twenty = await deploy(fleet, images.v2);
    const twentyReturnedAt = Date.now();
    const lastCompleted = Math.max(
      ...(await Promise.all(fleet.map((name) => completionTime(ecs, 'bench', name)))),
    );

    return [
      {
        area: 'deploy-ecs',
        metric: `detection lag: steady state -> step returns (median of ${LAG_RUNS})`,
        value: `${Math.round(median(lags))} ms`,
        target: `target <= 2 s`,
      },
      {
        area: 'deploy-ecs',
        metric: 'detection lag of the SDK services-stable waiter (same rollout, 1 run)',
        value: `${(waiterLag / 1000).toFixed(1)} s`,
        target: `its minimum delay is ${WAITER_MIN_DELAY_S} s (max 120 s, up to 600 s in current SDKs)`,
      },
      {
        area: 'deploy-ecs',
        metric: 'API calls per deploy (1 service, ~2 s rollout, median)',
        value: `${median(calls)}`,
        target: 'register 1 + update 1 + describe per poll',
      },
      {
        area: 'deploy-ecs',
        metric: 'step time, 1 service',
        value: `${(one / 1000).toFixed(1)} s`,
        target: 'stand-in rollout ~1-2 s + process start',
      },
      {
        area: 'deploy-ecs',
        metric: 'step time, 20 services in one step',
        value: `${(twenty / 1000).toFixed(1)} s (${(twenty / one).toFixed(2)}x)`,
        target: 'concurrent updates, one DescribeServices per 10 services',
      },
      {
        area: 'deploy-ecs',
        metric: 'detection lag, 20 services (last steady state -> step returns)',
        value: `${twentyReturnedAt - lastCompleted} ms`,
        target: 'target <= 2 s',
      },
    ];
  } finally {
    ecs.destroy();
    await local.close();
    rmSync(workDir, { recursive: true, force: true });
  }
}
