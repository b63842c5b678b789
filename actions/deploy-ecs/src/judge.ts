import type { Deployment, Service } from '@aws-sdk/client-ecs';

/**
 * The rollout judge: given one DescribeServices snapshot and the id of the deployment OUR update
 * created, says where that deployment stands. It never asks "does the service look stable", because a
 * service the circuit breaker rolled back is stable too, on the old version.
 */
export type Verdict =
  | { state: 'in-progress'; nearDone: boolean; pending: string }
  | { state: 'completed' }
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

export function judgeRollout(service: Service, context: JudgeContext): Verdict {
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
  if (ours.rolloutState === 'COMPLETED') return { state: 'completed' };

  const desired = ours.desiredCount ?? 0;
  const breakerOn = service.deploymentConfiguration?.deploymentCircuitBreaker?.enable === true;
  const failed = ours.failedTasks ?? 0;
  // Without the circuit breaker ECS retries crashing tasks forever; stop at the breaker's own threshold.
  if (!breakerOn && failed >= failedTaskThreshold(desired)) {
    return {
      state: 'failed',
      reason: `${failed} tasks of deployment ${ours.id} failed to start or stopped (threshold ${failedTaskThreshold(desired)})`,
    };
  }
  const others = deployments.filter((deployment) => deployment.id !== ours.id);
  const othersDrained = others.every((deployment) => (deployment.runningCount ?? 0) === 0);
  const oursUp = (ours.runningCount ?? 0) >= desired && (ours.pendingCount ?? 0) === 0;
  // Deployment controllers without rolloutState: done when ours alone runs the desired count.
  if (ours.rolloutState === undefined && oursUp && othersDrained && ours.status === 'PRIMARY') {
    return { state: 'completed' };
  }
  return { state: 'in-progress', nearDone: oursUp, pending: describePending(service, ours) };
}
