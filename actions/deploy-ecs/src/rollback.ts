import { DeregisterTaskDefinitionCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs';

import { errorMessage } from '../../../shared/errors.js';
import { aws, label, type DeployDeps } from './context.js';
import type { DeployRequest, ServiceResult } from './deploy.js';
import { failureReason, followRollouts, newRollout } from './follow.js';
import { revisionOf } from './judge.js';
import type { TargetHealthWatch } from './target-health.js';
import { primaryFor, type Followed } from './update.js';

/**
 * Rolls the failed services back and returns one sentence per service for the step's failure: the
 * reason and what became of it (rolled back, rollback failed, not rolled back).
 */
export async function rollBackFailed(
  deps: DeployDeps,
  request: DeployRequest,
  failed: Followed[],
  targetHealth?: TargetHealthWatch,
): Promise<{ rolledBack: boolean; failures: string[] }> {
  if (failed.length === 0) return { rolledBack: false, failures: [] };
  const rolledBack = await rollBack(deps, request, failed, targetHealth);
  const failures = failed.map(({ result }) => {
    const newRevision = revisionOf(result.after);
    const why = result.bake?.state === 'failed' ? 'which failed its bake' : 'which never became healthy';
    const outcome =
      result.outcome === 'rolled-back'
        ? `rolled back to ${revisionOf(result.before)}`
        : result.outcome === 'rollback-failed' && result.rollbackDeploymentId
          ? `ROLLBACK DID NOT SETTLE: the service points at ${revisionOf(result.before)} again (deployment ${result.rollbackDeploymentId}), but it did not reach steady state in time; ${newRevision} ${why.replace('which ', '')}`
          : result.outcome === 'rollback-failed'
            ? `ROLLBACK FAILED, the service still points at ${newRevision}, ${why}`
            : `NOT rolled back: the service points at ${newRevision}, ${why}`;
    return `${label(result)}: ${result.reason ?? 'failed'}; ${outcome}`;
  });
  return { rolledBack, failures };
}

/**
 * Puts failed services back on the task definition they ran before and waits for that deployment to
 * settle. When ECS already rolls back (its circuit breaker), follows that rollback instead of starting one.
 */
async function rollBack(
  deps: DeployDeps,
  request: DeployRequest,
  failed: Followed[],
  targetHealth?: TargetHealthWatch,
): Promise<boolean> {
  const followed: Followed[] = [];
  for (const { result, rollout } of failed) {
    const verdict = rollout.verdict;
    const autoRollback = verdict?.state === 'failed' ? verdict.autoRollbackDeploymentId : undefined;
    const rollbackId = await startRollback(deps, request, result, autoRollback);
    if (rollbackId === undefined) continue;
    result.rollbackDeploymentId = rollbackId;
    const judge = { deploymentId: rollbackId, taskDefinitionArn: result.before! };
    followed.push({
      result,
      rollout: newRollout(rollout.target, judge, deps.now(), undefined, rollout.memory),
    });
  }
  if (followed.length === 0) return false;
  await followRollouts(
    deps,
    followed.map(({ rollout }) => rollout),
    {
      deadline: deps.now() + request.timeoutMs,
      ...(request.schedule ? { schedule: request.schedule } : {}),
      ...(targetHealth ? { targetHealth } : {}),
    },
  );
  let any = false;
  for (const { result, rollout } of followed) {
    if (rollout.verdict?.state === 'completed') {
      result.outcome = 'rolled-back';
      any = true;
      deps.log.warning(`${label(result)}: rolled back; ${revisionOf(result.before)} is serving again.`);
    } else {
      result.outcome = 'rollback-failed';
      deps.log.warning(`${label(result)}: the rollback did not settle: ${failureReason(rollout)}`);
    }
  }
  return any;
}

/** Starts (or adopts ECS's) rollback of one service; the deployment id to follow, or undefined. */
async function startRollback(
  deps: DeployDeps,
  request: DeployRequest,
  result: ServiceResult,
  autoRollback: string | undefined,
): Promise<string | undefined> {
  const { log } = deps;
  const before = result.before;
  if (!before) {
    log.warning(
      `${label(result)}: no previous task definition to roll back to (the service was created now).`,
    );
    return undefined;
  }
  if (before === result.after && !autoRollback) {
    log.warning(
      `${label(result)}: it ran ${revisionOf(before)} before too, so there is nothing to roll back to.`,
    );
    return undefined;
  }
  if (autoRollback) {
    log.warning(
      `${label(result)}: ECS is rolling back to ${revisionOf(before)} (${autoRollback}); waiting for it.`,
    );
    return autoRollback;
  }
  if (!request.rollback) return undefined;
  log.warning(`${label(result)}: rolling back to ${revisionOf(before)}.`);
  try {
    const response = await aws(
      deps,
      'ecs:UpdateService',
      `service ${result.service} in cluster ${result.cluster}`,
      () =>
        deps.ecs.send(
          new UpdateServiceCommand({
            cluster: result.cluster,
            service: result.service,
            taskDefinition: before,
          }),
        ),
    );
    const id = primaryFor(response.service, before);
    if (!id) result.outcome = 'rollback-failed';
    return id;
  } catch (error: unknown) {
    result.outcome = 'rollback-failed';
    log.warning(`${label(result)}: the rollback could not start: ${errorMessage(error)}`);
    return undefined;
  }
}

/** Deregisters a revision no service took, and says so in one sentence for the failure message. */
export async function deregisterUnused(deps: DeployDeps, arn: string): Promise<string> {
  try {
    await aws(deps, 'ecs:DeregisterTaskDefinition', `task definition ${arn}`, () =>
      deps.ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: arn })),
    );
    deps.log.info(`Deregistered ${revisionOf(arn)}: no service runs it.`);
    return `No service took ${revisionOf(arn)}, so it was deregistered.`;
  } catch (error: unknown) {
    return `No service took ${revisionOf(arn)}, and deregistering it failed too: ${errorMessage(error)}`;
  }
}
