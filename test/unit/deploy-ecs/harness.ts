// What the deploy() tests share: DeployDeps on a fake clock that records log lines, and a DeployRequest for the
// web.json fixture; the Deployment and Service answers DescribeServices gives. The AWS clients are the SDK's own (the tests mock them with aws-sdk-client-mock).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { ECSClient, type Deployment, type LoadBalancer, type Service } from '@aws-sdk/client-ecs';

import type { DeployDeps } from '../../../actions/deploy-ecs/src/context.js';
import { deploy, resolveTaskDefinition, type DeployRequest } from '../../../actions/deploy-ecs/src/deploy.js';
import { parseTaskDefinition } from '../../../actions/deploy-ecs/src/render.js';

export const DIGEST = `@sha256:${'b'.repeat(64)}`;
export const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures', 'deploy-ecs');

export interface Harness {
  deps: DeployDeps;
  lines: string[];
  clock: { now: number };
}

/** Deps whose sleep only moves the clock; `clients` adds the optional clients a test mocks (logs, elb). */
export function harness(clients: Pick<DeployDeps, 'logs' | 'elb'> = {}): Harness {
  const lines: string[] = [];
  const clock = { now: 1_000_000 };
  return {
    lines,
    clock,
    deps: {
      ecs: new ECSClient({ region: 'us-east-1' }),
      ...clients,
      region: 'us-east-1',
      log: { info: (line) => lines.push(line), warning: (line) => lines.push(`WARN ${line}`) },
      now: () => clock.now,
      sleep: (ms) => {
        clock.now += ms;
        return Promise.resolve();
      },
      random: () => 0,
    },
  };
}

/** One service, web, in cluster prod, from the web.json fixture with its image pinned by digest. */
export function request(overrides: Partial<DeployRequest> = {}): DeployRequest {
  return {
    source: {
      kind: 'file',
      path: 'web.json',
      taskDefinition: parseTaskDefinition(readFileSync(join(FIXTURES, 'web.json'), 'utf8'), 'web.json'),
    },
    cluster: 'prod',
    render: {
      images: new Map([['web', `registry/web${DIGEST}`]]),
      targetContainers: ['web'],
      environment: new Map(),
      secrets: new Map(),
      tags: new Map(),
    },
    allowMutableImage: false,
    targets: [{ cluster: 'prod', service: 'web' }],
    maxConcurrency: 5,
    forceNewDeployment: false,
    createIfMissing: false,
    enableExecuteCommand: false,
    waitForStability: true,
    timeoutMs: 600_000,
    rollback: true,
    keepRevisions: 0,
    ...overrides,
  };
}

export async function run(h: Harness, req: DeployRequest): ReturnType<typeof deploy> {
  return deploy(h.deps, req, await resolveTaskDefinition(h.deps, req));
}

/** A PRIMARY deployment of 2 tasks, settled (COMPLETED, all running) unless `overrides` says otherwise. */
export const deployment = (
  taskDefinition: string,
  id: string,
  overrides: Partial<Deployment> = {},
): Deployment => ({
  id,
  status: 'PRIMARY',
  taskDefinition,
  desiredCount: 2,
  runningCount: 2,
  pendingCount: 0,
  failedTasks: 0,
  rolloutState: 'COMPLETED',
  ...overrides,
});

/** Service web on the first deployment's revision, its circuit breaker on or off (never rolling back itself). */
export function service(
  deployments: Deployment[],
  options: { breaker: boolean; loadBalancers?: LoadBalancer[] },
): Service {
  return {
    serviceName: 'web',
    status: 'ACTIVE',
    taskDefinition: deployments[0]?.taskDefinition,
    deployments,
    deploymentConfiguration: { deploymentCircuitBreaker: { enable: options.breaker, rollback: false } },
    ...(options.loadBalancers ? { loadBalancers: options.loadBalancers } : {}),
    events: [],
  };
}
