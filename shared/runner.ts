import * as core from '@actions/core';

import { ConfigurationError, errorMessage } from './errors.js';

const POST_STATE = 'shipkit-is-post';

export interface ActionSteps {
  main: () => Promise<void>;
  /** Runs in the `post:` step when action.yml declares one (e.g. docker logout). */
  post?: () => Promise<void>;
}

/**
 * The one place that turns errors into a failed step. User mistakes (ConfigurationError) and
 * runtime failures both become a single `::error::` line; the stack goes to the debug log only.
 * Exits explicitly so a dangling socket cannot keep the step alive.
 */
export async function runAction(steps: ActionSteps): Promise<never> {
  const isPost = core.getState(POST_STATE) === 'true';
  try {
    if (isPost) {
      await steps.post?.();
    } else {
      core.saveState(POST_STATE, 'true');
      await steps.main();
    }
  } catch (error: unknown) {
    if (!(error instanceof ConfigurationError) && error instanceof Error && error.stack) {
      core.debug(error.stack);
    }
    core.setFailed(errorMessage(error));
  }
  return process.exit(process.exitCode ?? 0);
}
