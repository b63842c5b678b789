import {
  CreateServiceCommand,
  DeregisterTaskDefinitionCommand,
  DescribeTaskDefinitionCommand,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
  type NetworkConfiguration,
  type Service,
} from '@aws-sdk/client-ecs';

import { ConfigurationError, errorMessage } from '../../../shared/errors.js';
import { formatDuration } from '../../../shared/summary.js';
import { aws, label, mapWithConcurrency, type DeployDeps, type ServiceTarget } from './context.js';
import { describeServices, failureReason, followRollouts, newRollout, type Rollout } from './follow.js';
import { revisionOf } from './judge.js';
import { runMigration, type MigrationResult } from './migration.js';
import {
  normaliseTaskDefinition,
  refuseMutableImages,
  renderTaskDefinition,
  type RenderOptions,
  type TaskDefinitionInput,
} from './render.js';
import { pruneRevisions } from './revisions.js';
import type { PollScheduleOptions } from './schedule.js';

export type TaskDefinitionSource =
  | { kind: 'file'; path: string; taskDefinition: TaskDefinitionInput }
  | { kind: 'from-service'; target: ServiceTarget }
  | { kind: 'arn'; arn: string };

export interface MigrationOptions {
  command: string[];
  container?: string;
  timeoutMs: number;
}

export interface DeployRequest {
  source: TaskDefinitionSource;
  /** The `cluster` input: where the migration task runs when no service is named. */
  cluster: string;
  render: RenderOptions;
  allowMutableImage: boolean;
  targets: ServiceTarget[];
  maxConcurrency: number;
  forceNewDeployment: boolean;
  desiredCount?: number;
  createIfMissing: boolean;
  networkConfiguration?: NetworkConfiguration;
  enableExecuteCommand: boolean;
  waitForStability: boolean;
  timeoutMs: number;
  rollback: boolean;
  migration?: MigrationOptions;
  keepRevisions: number;
  schedule?: PollScheduleOptions;
}

export interface ResolvedTaskDefinition {
  /** What will be registered; for `arn` the definition as it is. */
  taskDefinition: TaskDefinitionInput;
  /** Set when deploying an existing ARN as is: nothing is registered. */
  existingArn?: string;
}

export type ServiceOutcome =
  | 'completed'
  | 'updated'
  | 'created'
  | 'failed'
  | 'rolled-back'
  | 'rollback-failed'
  | 'superseded'
  | 'cancelled'
  | 'not-started';

export interface ServiceResult {
  cluster: string;
  service: string;
  before?: string;
  after: string;
  deploymentId?: string;
  outcome: ServiceOutcome;
  timeToStableMs?: number;
  reason?: string;
  rollbackDeploymentId?: string;
}

export interface DeployResult {
  taskDefinitionArn: string;
  previousTaskDefinitionArn?: string;
  services: ServiceResult[];
  /** Update to the last service reaching steady state; undefined when not waited for or failed. */
  timeToStableMs?: number;
  rolledBack: boolean;
  migration?: MigrationResult;
  deregistered: string[];
  /** Set when the step must fail: one sentence per failed service. */
  failure?: string;
}

/** Where the task definition comes from, rendered and checked, before anything is changed in AWS. */
export async function resolveTaskDefinition(
  deps: DeployDeps,
  request: Pick<DeployRequest, 'source' | 'render' | 'allowMutableImage'>,
): Promise<ResolvedTaskDefinition> {
  const { source } = request;
  let base: TaskDefinitionInput;
  let existingArn: string | undefined;
  if (source.kind === 'file') {
    base = source.taskDefinition;
  } else {
    let arn: string;
    if (source.kind === 'arn') {
      arn = source.arn;
    } else {
      const services = await describeServices(deps, [source.target]);
      const service = services.get(label(source.target));
      if (!service?.taskDefinition) {
        throw new ConfigurationError(
          `Input "from-service" names ${label(source.target)}, which does not exist or is inactive: name a running service.`,
        );
      }
      arn = service.taskDefinition;
    }
    const described = await aws(deps, 'ecs:DescribeTaskDefinition', `task definition ${arn}`, () =>
      deps.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: arn, include: ['TAGS'] })),
    );
    if (!described.taskDefinition) throw new Error(`DescribeTaskDefinition returned nothing for ${arn}.`);
    base = normaliseTaskDefinition(described, arn);
    if (source.kind === 'arn') existingArn = described.taskDefinition.taskDefinitionArn ?? arn;
  }
  const taskDefinition = existingArn ? base : renderTaskDefinition(base, request.render);
  if (!request.allowMutableImage) refuseMutableImages(taskDefinition);
  return { taskDefinition, ...(existingArn ? { existingArn } : {}) };
}

function primaryFor(service: Service | undefined, taskDefinitionArn: string): string | undefined {
  return service?.deployments?.find(
    (deployment) => deployment.status === 'PRIMARY' && deployment.taskDefinition === taskDefinitionArn,
  )?.id;
}

/**
 * Register (unless deploying an existing ARN), optionally run the migration task, update every service,
 * follow OUR deployments, roll back the ones that fail, prune old revisions. Returns what happened;
 * the caller fails the step when `failure` is set.
 */
export async function deploy(
  deps: DeployDeps,
  request: DeployRequest,
  resolved: ResolvedTaskDefinition,
): Promise<DeployResult> {
  const { log } = deps;
  // Check every service exists before registering anything, so a typo changes nothing.
  const current: Map<string, Service> =
    request.targets.length > 0 ? await describeServices(deps, request.targets) : new Map<string, Service>();
  const missing = request.targets.filter((target) => !current.has(label(target)));
  if (missing.length > 0 && !request.createIfMissing) {
    throw new ConfigurationError(
      `Input "services" names ${missing.map(label).join(', ')}, which ${missing.length === 1 ? 'does' : 'do'} not exist: check the names and clusters, or set create-service-if-missing: true.`,
    );
  }

  for (const target of request.targets) {
    const controller = current.get(label(target))?.deploymentController?.type;
    if (controller && controller !== 'ECS') {
      throw new ConfigurationError(
        `Input "services" names ${label(target)}, which uses the ${controller} deployment controller: this step rolls services of the ECS (rolling update) controller; deploy that one with CodeDeploy or your controller.`,
      );
    }
  }

  const containers = resolved.taskDefinition.containerDefinitions;
  const migrationName = request.migration?.container ?? containers[0]?.name;
  const migrationContainer = containers.find((candidate) => candidate.name === migrationName);
  if (request.migration && !migrationContainer) {
    throw new ConfigurationError(
      `Input "migration-container" names "${migrationName}", which is not a container of ${resolved.taskDefinition.family}: use one of ${containers.map((c) => c.name).join(', ')}.`,
    );
  }

  let taskDefinitionArn = resolved.existingArn;
  if (!taskDefinitionArn) {
    const family = resolved.taskDefinition.family;
    const registered = await aws(deps, 'ecs:RegisterTaskDefinition', `family ${family}`, () =>
      deps.ecs.send(new RegisterTaskDefinitionCommand(resolved.taskDefinition)),
    );
    taskDefinitionArn = registered.taskDefinition?.taskDefinitionArn;
    if (!taskDefinitionArn) throw new Error(`RegisterTaskDefinition returned no ARN for family ${family}.`);
    log.info(`Registered ${revisionOf(taskDefinitionArn)} (${taskDefinitionArn})`);
  } else {
    log.info(`Deploying the existing task definition ${taskDefinitionArn} as is.`);
  }
  const newArn = taskDefinitionArn;
  const results: ServiceResult[] = request.targets.map((target) => {
    const before = current.get(label(target))?.taskDefinition;
    return {
      ...target,
      ...(before ? { before } : {}),
      after: newArn,
      outcome: 'not-started' as const,
    };
  });
  const previousTaskDefinitionArn = results[0]?.before;
  const base: Omit<DeployResult, 'services' | 'rolledBack'> = {
    taskDefinitionArn: newArn,
    ...(previousTaskDefinitionArn ? { previousTaskDefinitionArn } : {}),
    deregistered: [],
  };

  let migration: MigrationResult | undefined;
  if (request.migration && migrationContainer) {
    const container = migrationContainer;
    const first = request.targets[0];
    const template = first ? current.get(label(first)) : undefined;
    const cluster = first?.cluster ?? request.cluster;
    const networkConfiguration = request.networkConfiguration ?? template?.networkConfiguration;
    const migrationRequest = {
      cluster,
      taskDefinitionArn: newArn,
      container,
      command: request.migration.command,
      timeoutMs: request.migration.timeoutMs,
      ...(template?.launchType ? { launchType: template.launchType } : {}),
      ...(template?.capacityProviderStrategy
        ? { capacityProviderStrategy: template.capacityProviderStrategy }
        : {}),
      ...(template?.platformVersion ? { platformVersion: template.platformVersion } : {}),
      ...(networkConfiguration ? { networkConfiguration } : {}),
    };
    try {
      migration = await runMigration(deps, migrationRequest);
    } catch (error: unknown) {
      // No service runs the new revision: leave none behind for a later scale-out or rollback to pick.
      if (resolved.existingArn || deps.signal?.aborted) throw error;
      throw new Error(`${errorMessage(error)} ${await deregisterUnused(deps, newArn)}`, { cause: error });
    }
    log.info(`Migration task succeeded in ${formatDuration(migration.durationMs)}.`);
  }

  const updateStarted = deps.now();
  /** Services the update or create call reached: they run the new revision, healthy or not. */
  const took = new Set<ServiceResult>();
  async function updateOne(target: ServiceTarget, result: ServiceResult): Promise<Rollout> {
    const subject = `service ${target.service} in cluster ${target.cluster}`;
    let service: Service | undefined;
    if (!current.has(label(target))) {
      const compatibilities = resolved.taskDefinition.requiresCompatibilities ?? [];
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
      service = response.service;
      result.outcome = 'created';
      took.add(result);
      log.info(`${label(target)}: created with ${revisionOf(newArn)}`);
    } else {
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
      service = response.service;
      result.outcome = 'updated';
      took.add(result);
      log.info(`${label(target)}: ${revisionOf(result.before)} -> ${revisionOf(newArn)}`);
    }
    const deploymentId = primaryFor(service, newArn);
    if (!deploymentId) {
      throw new Error(`ECS reported no PRIMARY deployment of ${revisionOf(newArn)} after the update.`);
    }
    result.deploymentId = deploymentId;
    return newRollout(
      target,
      {
        deploymentId,
        taskDefinitionArn: newArn,
        ...(result.before ? { previousTaskDefinitionArn: result.before } : {}),
      },
      deps.now(),
      service,
    );
  }

  const rollouts: (Rollout | undefined)[] = await mapWithConcurrency(
    request.targets,
    request.maxConcurrency,
    async (target, index) => {
      const result = results[index]!;
      try {
        return await updateOne(target, result);
      } catch (error: unknown) {
        // One service refusing (a bad parameter, a denied cluster) must not orphan the others mid-rollout.
        result.outcome = 'failed';
        result.reason = errorMessage(error);
        log.warning(`${label(target)}: ${result.reason}`);
        return undefined;
      }
    },
  );
  // Services whose update or create call failed: they still run what they ran before.
  const updateFailures = results
    .filter((result) => result.outcome === 'failed')
    .map((result) =>
      took.has(result)
        ? `${label(result)}: ${result.reason ?? 'failed'}; it points at ${revisionOf(newArn)}, not followed.`
        : `${label(result)}: the update failed: ${result.reason ?? 'unknown'}; ${result.before ? `it still runs ${revisionOf(result.before)}` : 'it was not created'}.`,
    );
  if (updateFailures.length > 0 && took.size === 0 && !resolved.existingArn) {
    updateFailures.push(await deregisterUnused(deps, newArn));
  }

  if (!request.waitForStability) {
    return {
      ...base,
      services: results,
      rolledBack: false,
      ...(migration ? { migration } : {}),
      ...(updateFailures.length > 0
        ? { failure: `Deploy of ${revisionOf(newArn)} failed. ${updateFailures.join(' ')}` }
        : {}),
    };
  }

  const deadline = updateStarted + request.timeoutMs;
  const followed = rollouts.filter((rollout): rollout is Rollout => rollout !== undefined);
  await followRollouts(deps, followed, {
    deadline,
    ...(request.schedule ? { schedule: request.schedule } : {}),
  });

  if (deps.signal?.aborted) {
    // Cancelled (a newer run, or by hand): no rollback, which could undo that newer run; say what is left.
    const pending = rollouts.flatMap((rollout, index) => {
      const result = results[index]!;
      if (!rollout) return [];
      if (rollout.verdict?.state === 'completed') {
        result.outcome = 'completed';
        return [];
      }
      result.outcome = 'cancelled';
      result.reason = 'cancelled while the rollout was in progress';
      return [
        `${label(result)} is still rolling out ${revisionOf(newArn)} (${rollout.judge.deploymentId}), which is not healthy yet; it ran ${revisionOf(result.before)} before`,
      ];
    });
    return {
      ...base,
      services: results,
      rolledBack: false,
      deregistered: [],
      ...(migration ? { migration } : {}),
      failure: `Cancelled before the deploy of ${revisionOf(newArn)} finished, not rolled back. ${pending.join('; ') || 'All services had finished'}.${updateFailures.length > 0 ? ` ${updateFailures.join(' ')}` : ''}`,
    };
  }

  const failures: string[] = [...updateFailures];
  const rollbacks: { result: ServiceResult; rollout: Rollout }[] = [];
  for (const [index, rollout] of rollouts.entries()) {
    const result = results[index]!;
    if (!rollout) continue;
    if (rollout.verdict?.state === 'completed') {
      result.outcome = 'completed';
      result.timeToStableMs = (rollout.finishedAt ?? deps.now()) - updateStarted;
      log.info(
        `${label(rollout.target)}: ${revisionOf(newArn)} is stable after ${formatDuration(result.timeToStableMs)}.`,
      );
      continue;
    }
    result.reason = failureReason(rollout);
    log.warning(`${label(rollout.target)}: ${result.reason}`);
    const supersededBy = rollout.verdict?.state === 'failed' ? rollout.verdict.supersededBy : undefined;
    if (supersededBy) {
      // A newer deploy took over: rolling back to `before` would overwrite it, as cancelling would.
      result.outcome = 'superseded';
      failures.push(
        `${label(result)}: superseded: ${result.reason}; NOT rolled back, so that newer deploy stays`,
      );
      continue;
    }
    result.outcome = 'failed';
    rollbacks.push({ result, rollout });
  }

  let rolledBack = false;
  if (rollbacks.length > 0) {
    rolledBack = await rollBack(deps, request, rollbacks);
    for (const { result } of rollbacks) {
      const outcome =
        result.outcome === 'rolled-back'
          ? `rolled back to ${revisionOf(result.before)}`
          : result.outcome === 'rollback-failed'
            ? `ROLLBACK FAILED, the service still points at ${revisionOf(newArn)}, which never became healthy`
            : `NOT rolled back: the service points at ${revisionOf(newArn)}, which never became healthy`;
      failures.push(`${label(result)}: ${result.reason ?? 'failed'}; ${outcome}`);
    }
  }

  const deregistered =
    failures.length === 0 && request.keepRevisions > 0
      ? await pruneRevisions(deps, {
          family: resolved.taskDefinition.family,
          keep: request.keepRevisions,
          inUse: new Set([newArn, ...results.flatMap((result) => (result.before ? [result.before] : []))]),
        })
      : [];
  const stableTimes = results.map((result) => result.timeToStableMs);
  const allStable = stableTimes.every((time) => time !== undefined);
  return {
    ...base,
    services: results,
    rolledBack,
    deregistered,
    ...(migration ? { migration } : {}),
    ...(allStable && stableTimes.length > 0 ? { timeToStableMs: Math.max(...stableTimes) } : {}),
    ...(failures.length > 0
      ? { failure: `Deploy of ${revisionOf(newArn)} failed. ${failures.join(' ')}` }
      : {}),
  };
}

/**
 * Puts failed services back on the task definition they ran before and waits for that deployment to
 * settle. When the circuit breaker already rolls back, follows ECS's rollback instead of starting one.
 */
async function rollBack(
  deps: DeployDeps,
  request: DeployRequest,
  failed: { result: ServiceResult; rollout: Rollout }[],
): Promise<boolean> {
  const { log } = deps;
  const followed: { result: ServiceResult; rollout: Rollout }[] = [];
  for (const { result, rollout } of failed) {
    const verdict = rollout.verdict;
    const autoRollback = verdict?.state === 'failed' ? verdict.autoRollbackDeploymentId : undefined;
    if (!result.before) {
      log.warning(
        `${label(result)}: no previous task definition to roll back to (the service was created now).`,
      );
      continue;
    }
    if (result.before === result.after && !autoRollback) {
      log.warning(
        `${label(result)}: it ran ${revisionOf(result.before)} before too, so there is nothing to roll back to.`,
      );
      continue;
    }
    if (autoRollback) {
      log.warning(
        `${label(result)}: ECS is rolling back to ${revisionOf(result.before)} (${autoRollback}); waiting for it.`,
      );
      result.rollbackDeploymentId = autoRollback;
    } else if (request.rollback) {
      log.warning(`${label(result)}: rolling back to ${revisionOf(result.before)}.`);
      const before = result.before;
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
        result.rollbackDeploymentId = primaryFor(response.service, before);
      } catch (error: unknown) {
        result.outcome = 'rollback-failed';
        log.warning(`${label(result)}: the rollback could not start: ${(error as Error).message}`);
        continue;
      }
    } else {
      continue;
    }
    if (!result.rollbackDeploymentId) {
      result.outcome = 'rollback-failed';
      continue;
    }
    followed.push({
      result,
      rollout: newRollout(
        rollout.target,
        { deploymentId: result.rollbackDeploymentId, taskDefinitionArn: result.before },
        deps.now(),
        undefined,
        rollout.memory,
      ),
    });
  }
  if (followed.length === 0) return false;
  await followRollouts(
    deps,
    followed.map(({ rollout }) => rollout),
    { deadline: deps.now() + request.timeoutMs, ...(request.schedule ? { schedule: request.schedule } : {}) },
  );
  let any = false;
  for (const { result, rollout } of followed) {
    if (rollout.verdict?.state === 'completed') {
      result.outcome = 'rolled-back';
      any = true;
      log.warning(`${label(result)}: rolled back; ${revisionOf(result.before)} is serving again.`);
    } else {
      result.outcome = 'rollback-failed';
      log.warning(`${label(result)}: the rollback did not settle: ${failureReason(rollout)}`);
    }
  }
  return any;
}

/** Deregisters a revision no service took, and says so in one sentence for the failure message. */
async function deregisterUnused(deps: DeployDeps, arn: string): Promise<string> {
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
