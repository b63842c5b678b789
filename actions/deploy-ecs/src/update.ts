import { CreateServiceCommand, UpdateServiceCommand, type Service } from '@aws-sdk/client-ecs';

import { errorMessage } from '../../../shared/errors.js';
import { aws, label, mapWithConcurrency, type DeployDeps, type ServiceTarget } from './context.js';
import type { DeployRequest, ServiceResult } from './deploy.js';
import { newRollout, type Rollout } from './follow.js';
import { revisionOf } from './judge.js';
import type { TaskDefinitionInput } from './render.js';

/** A service the step updated, and the rollout that follows the deployment the update created. */
export interface Followed {
  result: ServiceResult;
  rollout: Rollout;
}

export interface UpdatePhase {
  startedAt: number;
  followed: Followed[];
  /** One sentence per service whose update or create call failed. */
  failures: string[];
  /** How many services the update or create call reached (they run the new revision, healthy or not). */
  took: number;
}

export function primaryFor(service: Service | undefined, taskDefinitionArn: string): string | undefined {
  return service?.deployments?.find(
    (deployment) => deployment.status === 'PRIMARY' && deployment.taskDefinition === taskDefinitionArn,
  )?.id;
}

/**
 * Updates (or creates) every service, at most `maxConcurrency` at a time. One service refusing (a bad
 * parameter, a denied cluster) must not orphan the others mid-rollout: it fails alone, still running
 * what it ran before.
 */
export async function updateServices(
  deps: DeployDeps,
  request: DeployRequest,
  taskDefinition: TaskDefinitionInput,
  current: ReadonlyMap<string, Service>,
  results: ServiceResult[],
  newArn: string,
): Promise<UpdatePhase> {
  const startedAt = deps.now();
  const took = new Set<ServiceResult>();
  const rollouts = await mapWithConcurrency(
    request.targets,
    request.maxConcurrency,
    async (target, index) => {
      const result = results[index]!;
      try {
        const exists = current.has(label(target));
        const service = exists
          ? await updateOne(deps, request, target, newArn)
          : await createOne(deps, request, taskDefinition, target, newArn);
        result.outcome = exists ? 'updated' : 'created';
        took.add(result);
        deps.log.info(
          exists
            ? `${label(target)}: ${revisionOf(result.before)} -> ${revisionOf(newArn)}`
            : `${label(target)}: created with ${revisionOf(newArn)}`,
        );
        const deploymentId = primaryFor(service, newArn);
        if (!deploymentId) {
          throw new Error(`ECS reported no PRIMARY deployment of ${revisionOf(newArn)} after the update.`);
        }
        result.deploymentId = deploymentId;
        const judge = {
          deploymentId,
          taskDefinitionArn: newArn,
          ...(result.before ? { previousTaskDefinitionArn: result.before } : {}),
        };
        return { result, rollout: newRollout(target, judge, deps.now(), service) };
      } catch (error: unknown) {
        result.outcome = 'failed';
        result.reason = errorMessage(error);
        deps.log.warning(`${label(target)}: ${result.reason}`);
        return undefined;
      }
    },
  );
  const failures = results
    .filter((result) => result.outcome === 'failed')
    .map((result) =>
      took.has(result)
        ? `${label(result)}: ${result.reason ?? 'failed'}; it points at ${revisionOf(newArn)}, not followed.`
        : `${label(result)}: the update failed: ${result.reason ?? 'unknown'}; ${result.before ? `it still runs ${revisionOf(result.before)}` : 'it was not created'}.`,
    );
  return {
    startedAt,
    followed: rollouts.filter((entry): entry is Followed => entry !== undefined),
    failures,
    took: took.size,
  };
}

async function updateOne(
  deps: DeployDeps,
  request: DeployRequest,
  target: ServiceTarget,
  newArn: string,
): Promise<Service | undefined> {
  const subject = `service ${target.service} in cluster ${target.cluster}`;
  const response = await aws(deps, 'ecs:UpdateService', subject, () =>
    deps.ecs.send(
      new UpdateServiceCommand({
        cluster: target.cluster,
        service: target.service,
        taskDefinition: newArn,
        forceNewDeployment: request.forceNewDeployment,
        ...(request.desiredCount !== undefined ? { desiredCount: request.desiredCount } : {}),
        ...(request.enableExecuteCommand ? { enableExecuteCommand: true } : {}),
      }),
    ),
  );
  return response.service;
}

async function createOne(
  deps: DeployDeps,
  request: DeployRequest,
  taskDefinition: TaskDefinitionInput,
  target: ServiceTarget,
  newArn: string,
): Promise<Service | undefined> {
  const subject = `service ${target.service} in cluster ${target.cluster}`;
  const compatibilities = taskDefinition.requiresCompatibilities ?? [];
  const response = await aws(deps, 'ecs:CreateService', subject, () =>
    deps.ecs.send(
      new CreateServiceCommand({
        cluster: target.cluster,
        serviceName: target.service,
        taskDefinition: newArn,
        desiredCount: request.desiredCount ?? 1,
        ...(compatibilities.includes('FARGATE') ? { launchType: 'FARGATE' as const } : {}),
        ...(request.networkConfiguration ? { networkConfiguration: request.networkConfiguration } : {}),
        deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: false } },
        enableExecuteCommand: request.enableExecuteCommand,
        propagateTags: 'TASK_DEFINITION',
      }),
    ),
  );
  return response.service;
}
