import type { Deployment, Service } from '@aws-sdk/client-ecs';

/**
 * The rollout judge: given one DescribeServices snapshot and the id of the deployment OUR update
 * created, says where that deployment stands. It never asks "does the service look stable", because a
 * service the circuit breaker rolled back is stable too, on the old version.
 *
 * Nor does it take COMPLETED on trust. Traced failing runs showed rolloutState COMPLETED in the same
 * snapshot as our deployment's own failed task and 0 running; and ECS's circuit breaker may not act on a
 * task that starts, passes its checks and then stops
 * (https://repost.aws/knowledge-center/ecs-deployment-roll-back-failure). So:
 * - COMPLETED while our deployment runs fewer than desired or has tasks pending is "completed but
 *   unconfirmed": still in progress. It fails once its failed (or seen stopped) tasks reach the circuit
 *   breaker's own threshold, whether the breaker is on or not (after COMPLETED it no longer decides), and
 *   otherwise times out like any rollout.
 * - COMPLETED with the counts in agreement but failed tasks on record is completed with
 *   `afterFailedTasks`: the caller must confirm it with a bake window without new failures (judgeBake)
 *   before it calls the deploy a success, even when bake-time is 0.
 */
export type Verdict =
  | {
      state: 'in-progress';
      nearDone: boolean;
      pending: string;
      /** ECS says COMPLETED but our counts disagree: why it is not accepted yet. */
      unconfirmed?: string;
    }
  | {
      state: 'completed';
      /** Failed or stopped tasks of our deployment seen before it completed: a bake must confirm it. */
      afterFailedTasks?: number;
    }
  | {
      state: 'failed';
      reason: string;
      /** ECS itself is rolling back (circuit breaker): the deployment that puts the old version back. */
      autoRollbackDeploymentId?: string;
      /** Someone else's newer deployment replaced ours: rolling back would undo their deploy. */
      supersededBy?: string;
    };

export interface JudgeContext {
  deploymentId: string;
  taskDefinitionArn: string;
  previousTaskDefinitionArn?: string;
}

/** The circuit breaker's own threshold: half the desired count, at least 3, at most 200. */
export function failedTaskThreshold(desiredCount: number): number {
  return Math.min(200, Math.max(3, Math.ceil(desiredCount / 2)));
}

export function revisionOf(taskDefinitionArn: string | undefined): string {
  if (!taskDefinitionArn) return '?';
  return taskDefinitionArn.slice(taskDefinitionArn.lastIndexOf('/') + 1);
}

function counts(deployment: Deployment): string {
  return `${deployment.runningCount ?? 0}/${deployment.desiredCount ?? 0} running, ${deployment.pendingCount ?? 0} pending, ${deployment.failedTasks ?? 0} failed`;
}

/** What is still pending, in one sentence: the part a timeout message names. */
export function describePending(service: Service, ours: Deployment | undefined): string {
  const parts: string[] = [];
  if (ours) {
    const state = ours.rolloutState ? `, rollout ${ours.rolloutState}` : '';
    const reason = ours.rolloutStateReason ? ` (${ours.rolloutStateReason})` : '';
    parts.push(`deployment ${ours.id} (${revisionOf(ours.taskDefinition)}) ${counts(ours)}${state}${reason}`);
  }
  const others = (service.deployments ?? []).filter(
    (deployment) => deployment.id !== ours?.id && (deployment.runningCount ?? 0) > 0,
  );
  for (const other of others) {
    parts.push(
      `older deployment ${other.id} (${revisionOf(other.taskDefinition)}) still runs ${other.runningCount} task${other.runningCount === 1 ? '' : 's'}`,
    );
  }
  return parts.join('; ') || 'no deployment reported';
}

/** What the follower saw besides the snapshot: stopped tasks of our deployment (ListTasks). */
export interface Observed {
  stoppedTasks?: number;
}

export function judgeRollout(service: Service, context: JudgeContext, observed: Observed = {}): Verdict {
  const deployments = service.deployments ?? [];
  const ours = deployments.find((deployment) => deployment.id === context.deploymentId);
  const primary = deployments.find((deployment) => deployment.status === 'PRIMARY');

  if (!ours) {
    if (primary && primary.taskDefinition === context.previousTaskDefinitionArn) {
      return {
        state: 'failed',
        reason: `deployment ${context.deploymentId} failed and ECS started rollback deployment ${primary.id} (its circuit breaker)`,
        autoRollbackDeploymentId: primary.id,
      };
    }
    const replacement = primary?.id ?? 'another deployment';
    return {
      state: 'failed',
      reason: `deployment ${context.deploymentId} was replaced by ${replacement} (${revisionOf(primary?.taskDefinition)}) before it finished: another deploy ran at the same time`,
      supersededBy: replacement,
    };
  }

  if (ours.rolloutState === 'FAILED') {
    const rollback =
      primary && primary.id !== ours.id && primary.taskDefinition !== context.taskDefinitionArn
        ? primary.id
        : undefined;
    return {
      state: 'failed',
      reason: `the deployment circuit breaker marked deployment ${ours.id} FAILED${ours.rolloutStateReason ? `: ${ours.rolloutStateReason}` : ''}`,
      ...(rollback ? { autoRollbackDeploymentId: rollback } : {}),
    };
  }
  const desired = ours.desiredCount ?? 0;
  const failed = ours.failedTasks ?? 0;
  const oursUp = (ours.runningCount ?? 0) >= desired && (ours.pendingCount ?? 0) === 0;
  if (ours.rolloutState === 'COMPLETED') return judgeCompleted(service, ours, observed);

  const breakerOn = service.deploymentConfiguration?.deploymentCircuitBreaker?.enable === true;
  // Without the circuit breaker ECS retries crashing tasks forever; stop at the breaker's own threshold.
  if (!breakerOn && failed >= failedTaskThreshold(desired)) {
    return {
      state: 'failed',
      reason: `${failed} tasks of deployment ${ours.id} failed to start or stopped (threshold ${failedTaskThreshold(desired)})`,
    };
  }
  const others = deployments.filter((deployment) => deployment.id !== ours.id);
  const othersDrained = others.every((deployment) => (deployment.runningCount ?? 0) === 0);
  // Deployment controllers without rolloutState: done when ours alone runs the desired count.
  if (ours.rolloutState === undefined && oursUp && othersDrained && ours.status === 'PRIMARY') {
    return { state: 'completed', ...(failed > 0 ? { afterFailedTasks: failed } : {}) };
  }
  return { state: 'in-progress', nearDone: oursUp, pending: describePending(service, ours) };
}

/** COMPLETED, checked against our deployment's own counts (see Verdict). */
function judgeCompleted(service: Service, ours: Deployment, observed: Observed): Verdict {
  const desired = ours.desiredCount ?? 0;
  const failures = Math.max(ours.failedTasks ?? 0, observed.stoppedTasks ?? 0);
  const oursUp = (ours.runningCount ?? 0) >= desired && (ours.pendingCount ?? 0) === 0;
  if (oursUp) return { state: 'completed', ...(failures > 0 ? { afterFailedTasks: failures } : {}) };
  const threshold = failedTaskThreshold(desired);
  if (failures >= threshold) {
    return {
      state: 'failed',
      reason: `deployment ${ours.id} reported COMPLETED, but ${failures} of its tasks failed or stopped (threshold ${threshold}) and it runs ${ours.runningCount ?? 0}/${desired}: not accepted`,
    };
  }
  return {
    state: 'in-progress',
    nearDone: false,
    pending: describePending(service, ours),
    unconfirmed: `deployment ${ours.id} reports COMPLETED but ${counts(ours)}: not accepted until it runs ${desired}/${desired} with none pending`,
  };
}

/** Our deployment when it completed: what the bake compares each later snapshot with. */
export interface BakeBaseline {
  failedTasks: number;
  desiredCount: number;
  /** Stopped tasks of our deployment seen up to completion. */
  stoppedTasks: number;
}

export interface BakeObserved {
  /** Stopped tasks of our deployment seen so far (ListTasks), including the baseline's. */
  stoppedTasks: number;
  /** `targets unhealthy in tg-web: ...` when a target that is not draining is unhealthy now. */
  unhealthyTargets?: string;
}

export type BakeVerdict = { state: 'baking' } | Extract<Verdict, { state: 'failed' }>;

/**
 * The bake judge: after our deployment completed, any sign that one of its tasks went away fails it.
 * ECS's circuit breaker may not act any more (see Verdict), so this step does: failedTasks grew,
 * a task of ours stopped (beyond a scale-in), fewer run than desired (unless desired grew: a scale-out
 * is still starting), or a target of the service is unhealthy. A newer deployment ends the bake: someone
 * else's is "superseded" (not rolled back over); one that runs the previous revision is a rollback
 * already under way, followed instead of started again.
 */
export function judgeBake(
  service: Service,
  context: JudgeContext,
  baseline: BakeBaseline,
  observed: BakeObserved,
): BakeVerdict {
  const deployments = service.deployments ?? [];
  const ours = deployments.find((deployment) => deployment.id === context.deploymentId);
  const primary = deployments.find((deployment) => deployment.status === 'PRIMARY');
  if (primary && primary.id !== context.deploymentId) {
    const replacedBy = `deployment ${context.deploymentId} was replaced during the bake by ${primary.id} (${revisionOf(primary.taskDefinition)})`;
    return primary.taskDefinition === context.previousTaskDefinitionArn
      ? { state: 'failed', reason: `${replacedBy}, a rollback`, autoRollbackDeploymentId: primary.id! }
      : {
          state: 'failed',
          reason: `${replacedBy}: another deploy ran at the same time`,
          supersededBy: primary.id!,
        };
  }
  if (!ours)
    return { state: 'failed', reason: `deployment ${context.deploymentId} vanished during the bake` };
  const desired = ours.desiredCount ?? 0;
  const running = ours.runningCount ?? 0;
  const failed = (ours.failedTasks ?? 0) - baseline.failedTasks;
  const stopped = observed.stoppedTasks - baseline.stoppedTasks;
  const scaledIn = Math.max(0, baseline.desiredCount - desired);
  const problem =
    failed > 0
      ? `${failed} task${failed === 1 ? '' : 's'} of deployment ${ours.id} failed`
      : stopped > scaledIn
        ? `${stopped} task${stopped === 1 ? '' : 's'} of deployment ${ours.id} stopped`
        : running < desired && desired <= baseline.desiredCount
          ? `deployment ${ours.id} runs ${running}/${desired} tasks`
          : observed.unhealthyTargets;
  return problem ? { state: 'failed', reason: `${problem} during the bake` } : { state: 'baking' };
}
