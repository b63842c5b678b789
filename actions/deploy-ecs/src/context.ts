import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { ECSClient } from '@aws-sdk/client-ecs';
import type { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';

import { callAws, type CallContext, type EcsOperation } from './aws-call.js';

export interface Logger {
  info: (message: string) => void;
  warning: (message: string) => void;
}

/** Everything the deploy logic touches outside itself, injected so tests control clients and time. */
export interface DeployDeps {
  ecs: ECSClient;
  logs?: CloudWatchLogsClient;
  /** For target health of load-balanced services; without it the deploy shows none. */
  elb?: ElasticLoadBalancingV2Client;
  region: string;
  log: Logger;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  random?: () => number;
  /** Aborted when the runner cancels the job: polling stops and the step says what is left mid-way. */
  signal?: AbortSignal;
}

/** One ECS service to deploy, as named in the `services` input. */
export interface ServiceTarget {
  cluster: string;
  service: string;
}

export function label(target: ServiceTarget): string {
  return target.cluster === 'default' ? target.service : `${target.cluster}/${target.service}`;
}

/** Calls AWS through the retry-and-explain wrapper with this deploy's clock and logger. */
export function aws<T>(
  deps: DeployDeps,
  operation: EcsOperation,
  subject: string,
  call: () => Promise<T>,
): Promise<T> {
  const context: CallContext = { operation, subject, region: deps.region };
  return callAws(
    context,
    {
      sleep: deps.sleep,
      ...(deps.random ? { random: deps.random } : {}),
      onRetry: (message) => deps.log.info(`AWS throttled or failed transiently: ${message}`),
    },
    call,
  );
}

/** Runs `work` over `items` with at most `limit` in flight, keeping the order of results. */
export async function mapWithConcurrency<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!, index);
    }
  });
  await Promise.all(workers);
  return results;
}
