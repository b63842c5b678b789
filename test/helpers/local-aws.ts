// The ECS/ECR stand-in started in-process for one test file or benchmark, on the stack's registry.
import { startLocalAws, type LocalAws, type LocalAwsOptions } from '../../tools/local-aws/index.js';
import type { LocalStack } from './stack.js';

/**
 * Speed-ups tests opt into (the stand-in's defaults are AWS's): tasks start, turn healthy and stop within
 * about a second. Health is still observed: a task without checks counts healthy healthyAfterMs after it was
 * seen RUNNING, a load-balanced one only once its target passed the target group's checks (every 200 ms
 * here, instead of the group's 30 s), and a stopped target drains for 200 ms instead of 300 s.
 */
export const FAST_ROLLOUTS: Partial<LocalAwsOptions> = {
  taskStartDelayMs: 200,
  healthyAfterMs: 300,
  deploymentTickMs: 100,
  stopTimeoutSeconds: 1,
  targetHealthCheckIntervalMs: 200,
  deregistrationDelayMs: 200,
};

/**
 * The speed-ups scripts/stack-up.sh gives the CLI instance the demo uses (keep the two in step): container
 * checks every 5 s (ECS's shortest interval), target checks every 500 ms, a one-second drain instead of 300 s.
 */
export const STACK_SPEEDUPS: Partial<LocalAwsOptions> = {
  healthyAfterMs: 1000,
  healthCheckIntervalMs: 5000,
  targetHealthCheckIntervalMs: 500,
  deregistrationDelayMs: 1000,
};

/**
 * Starts the stand-in on free ports (API and front doors), pushing to and pulling from the stack's registry
 * with its credentials; `overrides` adds knobs (e.g. FAST_ROLLOUTS). The caller closes it.
 */
export function startTestLocalAws(
  stack: LocalStack,
  overrides: Partial<LocalAwsOptions> = {},
): Promise<LocalAws> {
  return startLocalAws({
    port: 0,
    firstFrontDoorPort: 0,
    registry: stack.registry,
    registryUsername: stack.registryUsername,
    registryPassword: stack.registryPassword,
    ...overrides,
  });
}
