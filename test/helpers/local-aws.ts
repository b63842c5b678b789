// The ECS/ECR stand-in started in-process for one test file or benchmark, on the stack's registry.
import { startLocalAws, type LocalAws, type LocalAwsOptions } from '../../tools/local-aws/index.js';
import type { LocalStack } from './stack.js';

/** Rollout timings short enough for tests: tasks start, turn healthy and stop within about a second. */
export const FAST_ROLLOUTS: Partial<LocalAwsOptions> = {
  taskStartDelayMs: 200,
  healthyAfterMs: 300,
  deploymentTickMs: 100,
  stopTimeoutSeconds: 1,
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
