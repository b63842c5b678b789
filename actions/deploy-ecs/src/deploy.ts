import {
  DescribeTaskDefinitionCommand,
  RegisterTaskDefinitionCommand,
  type ContainerDefinition,
  type NetworkConfiguration,
  type Service,
} from '@aws-sdk/client-ecs';

import { quoteInput } from '../../../shared/inputs.js';
import { ConfigurationError, errorMessage } from '../../../shared/errors.js';
import { formatDuration } from '../../../shared/summary.js';
import { BAKE_POLL_MS, bakeRollouts, bakeWindow, DEFAULT_BAKE_TIME_MS } from './bake.js';
import { aws, label, type DeployDeps, type ServiceTarget } from './context.js';
import { describeServices, failureReason, followRollouts } from './follow.js';
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
import { deregisterUnused, rollBackFailed } from './rollback.js';
import type { PollScheduleOptions } from './schedule.js';
import { TargetHealthWatch } from './target-health.js';
import { updateServices, type Followed, type UpdatePhase } from './update.js';

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
  /** Watch each service this long after steady state (the `bake-time` input); 0 or unset = no bake. */
  bakeTimeMs?: number;
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
  /** What the bake after steady state did; unset when no bake ran. */
  bake?: { state: 'passed' | 'failed' | 'cancelled'; watchedMs: number };
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

/**
 * Register (unless deploying an existing ARN), optionally run the migration task, update every service,
 * follow OUR deployments, bake the ones that completed, roll back the ones that fail, prune old
 * revisions. Returns what happened; the caller fails the step when `failure` is set.
 */
export async function deploy(
  deps: DeployDeps,
  request: DeployRequest,
  resolved: ResolvedTaskDefinition,
): Promise<DeployResult> {
  const { current, migrationContainer } = await preflight(deps, request, resolved);
  const newArn = await register(deps, resolved);
  const results = request.targets.map((target): ServiceResult => {
    const before = current.get(label(target))?.taskDefinition;
    return { ...target, ...(before ? { before } : {}), after: newArn, outcome: 'not-started' };
  });
  const migration = migrationContainer
    ? await migrate(deps, request, resolved, current, migrationContainer, newArn)
    : undefined;
  const finish = (rest: Pick<DeployResult, 'rolledBack'> & Partial<DeployResult>): DeployResult => ({
    taskDefinitionArn: newArn,
    ...(results[0]?.before ? { previousTaskDefinitionArn: results[0].before } : {}),
    services: results,
    deregistered: [],
    ...(migration ? { migration } : {}),
    ...rest,
  });

  const update = await updateServices(deps, request, resolved.taskDefinition, current, results, newArn);
  const failures = [...update.failures];
  if (failures.length > 0 && update.took === 0 && !resolved.existingArn) {
    failures.push(await deregisterUnused(deps, newArn));
  }
  if (!request.waitForStability) return finish({ rolledBack: false, ...failureOf(newArn, failures) });

  const targetHealth = new TargetHealthWatch(deps);
  await follow(deps, request, update, targetHealth);
  if (deps.signal?.aborted) return finish(cancelled(update, failures, newArn));
  const failedRollouts = settle(deps, update.followed, update.startedAt, failures);
  const early = await rollBackFailed(deps, request, failedRollouts, targetHealth);
  failures.push(...early.failures);
  const failedBakes = await bake(deps, request, update.followed, targetHealth, failures);
  if (deps.signal?.aborted) return finish(cancelled(update, failures, newArn));
  const late = await rollBackFailed(deps, request, failedBakes, targetHealth);
  failures.push(...late.failures);

  const deregistered = failures.length === 0 ? await prune(deps, request, resolved, results, newArn) : [];
  const stableTimes = results.map((result) => result.timeToStableMs);
  const allStable = failures.length === 0 && stableTimes.every((time) => time !== undefined);
  return finish({
    rolledBack: early.rolledBack || late.rolledBack,
    deregistered,
    ...(allStable && stableTimes.length > 0 ? { timeToStableMs: Math.max(...stableTimes) } : {}),
    ...failureOf(newArn, failures),
  });
}

function failureOf(newArn: string, failures: string[]): { failure?: string } {
  return failures.length > 0
    ? { failure: `Deploy of ${revisionOf(newArn)} failed. ${failures.join(' ')}` }
    : {};
}

interface Preflight {
  current: Map<string, Service>;
  migrationContainer?: ContainerDefinition;
}

/** Every check that can be made before anything changes in AWS, so a typo changes nothing. */
async function preflight(
  deps: DeployDeps,
  request: DeployRequest,
  resolved: ResolvedTaskDefinition,
): Promise<Preflight> {
  const current =
    request.targets.length > 0 ? await describeServices(deps, request.targets) : new Map<string, Service>();
  const missing = request.targets.filter((target) => !current.has(label(target)));
  if (missing.length > 0 && !request.createIfMissing) {
    throw new ConfigurationError(
      `Input "services" names ${missing.map(label).join(', ')}, which ${missing.length === 1 ? 'does' : 'do'} not exist: check the names and clusters, or set create-service-if-missing: true.`,
    );
  }
  const { taskDefinition } = resolved;
  if (missing.length > 0 && taskDefinition.networkMode === 'awsvpc' && !request.networkConfiguration) {
    // ECS refuses it at CreateService (reported as "Network Configuration must be provided..."); by then the revision would be registered.
    throw new ConfigurationError(
      `Input "network-configuration" is empty, but create-service-if-missing would create ${missing.map(label).join(', ')} from ${taskDefinition.family}, whose networkMode is awsvpc, and ECS refuses that ("Network Configuration must be provided when networkMode 'awsvpc' is specified"): give network-configuration with the subnets and security groups.`,
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
  if (!request.migration) return { current };
  const containers = taskDefinition.containerDefinitions;
  const name = request.migration.container ?? containers[0]?.name;
  const migrationContainer = containers.find((candidate) => candidate.name === name);
  if (!migrationContainer) {
    throw new ConfigurationError(
      `Input "migration-container" names ${quoteInput(name ?? '')}, which is not a container of ${taskDefinition.family}: use one of ${containers.map((c) => c.name).join(', ')}.`,
    );
  }
  return { current, migrationContainer };
}

/** Registers the rendered revision, or takes the existing ARN as is; returns the ARN to deploy. */
async function register(deps: DeployDeps, resolved: ResolvedTaskDefinition): Promise<string> {
  if (resolved.existingArn) {
    deps.log.info(`Deploying the existing task definition ${resolved.existingArn} as is.`);
    return resolved.existingArn;
  }
  const family = resolved.taskDefinition.family;
  const registered = await aws(deps, 'ecs:RegisterTaskDefinition', `family ${family}`, () =>
    deps.ecs.send(new RegisterTaskDefinitionCommand(resolved.taskDefinition)),
  );
  const arn = registered.taskDefinition?.taskDefinitionArn;
  if (!arn) throw new Error(`RegisterTaskDefinition returned no ARN for family ${family}.`);
  deps.log.info(`Registered ${revisionOf(arn)} (${arn})`);
  return arn;
}

/** Runs the migration task from the new revision, placed like the first service; deregisters it on failure. */
async function migrate(
  deps: DeployDeps,
  request: DeployRequest,
  resolved: ResolvedTaskDefinition,
  current: ReadonlyMap<string, Service>,
  container: ContainerDefinition,
  newArn: string,
): Promise<MigrationResult> {
  const first = request.targets[0];
  const template = first ? current.get(label(first)) : undefined;
  const networkConfiguration = request.networkConfiguration ?? template?.networkConfiguration;
  try {
    const migration = await runMigration(deps, {
      cluster: first?.cluster ?? request.cluster,
      taskDefinitionArn: newArn,
      container,
      command: request.migration!.command,
      timeoutMs: request.migration!.timeoutMs,
      ...(template?.launchType ? { launchType: template.launchType } : {}),
      ...(template?.capacityProviderStrategy
        ? { capacityProviderStrategy: template.capacityProviderStrategy }
        : {}),
      ...(template?.platformVersion ? { platformVersion: template.platformVersion } : {}),
      ...(networkConfiguration ? { networkConfiguration } : {}),
    });
    deps.log.info(`Migration task succeeded in ${formatDuration(migration.durationMs)}.`);
    return migration;
  } catch (error: unknown) {
    // No service runs the new revision: leave none behind for a later scale-out or rollback to pick.
    if (resolved.existingArn || deps.signal?.aborted) throw error;
    throw new Error(`${errorMessage(error)} ${await deregisterUnused(deps, newArn)}`, { cause: error });
  }
}

/** Follows every deployment the update created until it completes, fails or the timeout passes. */
async function follow(
  deps: DeployDeps,
  request: DeployRequest,
  update: UpdatePhase,
  targetHealth: TargetHealthWatch,
): Promise<void> {
  await followRollouts(
    deps,
    update.followed.map(({ rollout }) => rollout),
    {
      deadline: update.startedAt + request.timeoutMs,
      baseline: true,
      targetHealth,
      ...(request.schedule ? { schedule: request.schedule } : {}),
    },
  );
}

/**
 * Gives each followed service its outcome: completed (with its time to stable), superseded (a failure
 * that is not rolled back over), or failed. Returns the failed ones, to roll back.
 */
function settle(
  deps: DeployDeps,
  followed: Followed[],
  updateStarted: number,
  failures: string[],
): Followed[] {
  const toRollBack: Followed[] = [];
  for (const entry of followed) {
    const { result, rollout } = entry;
    if (rollout.verdict?.state === 'completed') {
      if (result.outcome === 'completed') continue;
      result.outcome = 'completed';
      result.timeToStableMs = (rollout.finishedAt ?? deps.now()) - updateStarted;
      deps.log.info(
        `${label(result)}: ${revisionOf(result.after)} is stable after ${formatDuration(result.timeToStableMs)}.`,
      );
      continue;
    }
    result.reason = failureReason(rollout);
    deps.log.warning(`${label(result)}: ${result.reason}`);
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
    toRollBack.push(entry);
  }
  return toRollBack;
}

/**
 * Watches the completed services for the bake window (and always confirms a COMPLETED that came after
 * failed tasks); returns the ones whose bake failed, to roll back.
 */
async function bake(
  deps: DeployDeps,
  request: DeployRequest,
  followed: Followed[],
  targetHealth: TargetHealthWatch,
  failures: string[],
): Promise<Followed[]> {
  const windows = { bakeMs: request.bakeTimeMs ?? 0, confirmMs: DEFAULT_BAKE_TIME_MS };
  const baking = followed.filter(
    ({ result, rollout }) =>
      result.outcome === 'completed' && rollout.completedWith && bakeWindow(rollout, windows) > 0,
  );
  if (baking.length === 0) return [];
  await bakeRollouts(
    deps,
    baking.map(({ rollout }) => rollout),
    {
      ...windows,
      pollMs: request.schedule?.bakePollMs ?? BAKE_POLL_MS,
      targetHealth,
    },
  );
  for (const { result, rollout } of baking) if (rollout.bake) result.bake = rollout.bake;
  if (deps.signal?.aborted) return [];
  return settle(
    deps,
    baking.filter(({ rollout }) => rollout.bake?.state === 'failed'),
    0,
    failures,
  );
}

/** Deregisters old revisions after a successful deploy (`keep-revisions`). */
async function prune(
  deps: DeployDeps,
  request: DeployRequest,
  resolved: ResolvedTaskDefinition,
  results: ServiceResult[],
  newArn: string,
): Promise<string[]> {
  if (request.keepRevisions <= 0) return [];
  return pruneRevisions(deps, {
    family: resolved.taskDefinition.family,
    keep: request.keepRevisions,
    inUse: new Set([newArn, ...results.flatMap((result) => (result.before ? [result.before] : []))]),
  });
}

/**
 * Cancelled (a newer run, or by hand): no rollback, which could undo that newer run; says what is left,
 * per service still rolling out or cut short in its bake.
 */
function cancelled(
  update: UpdatePhase,
  failures: string[],
  newArn: string,
): Pick<DeployResult, 'rolledBack' | 'failure'> {
  const pending = update.followed.flatMap(({ result, rollout }) => {
    if (rollout.bake?.state === 'cancelled') {
      result.outcome = 'cancelled';
      result.reason = 'cancelled during the bake';
      return [
        `${label(result)} reached steady state on ${revisionOf(newArn)} (${rollout.judge.deploymentId}), but its bake was cut short after ${formatDuration(rollout.bake.watchedMs)}; it ran ${revisionOf(result.before)} before`,
      ];
    }
    if (rollout.verdict?.state === 'completed') {
      result.outcome = 'completed';
      return [];
    }
    // Settled before the cancel (failed, rolled back, superseded): its sentence is among the failures.
    if (result.outcome !== 'updated' && result.outcome !== 'created') return [];
    result.outcome = 'cancelled';
    result.reason = 'cancelled while the rollout was in progress';
    return [
      `${label(result)} is still rolling out ${revisionOf(newArn)} (${rollout.judge.deploymentId}), which is not healthy yet; it ran ${revisionOf(result.before)} before`,
    ];
  });
  return {
    rolledBack: false,
    failure: `Cancelled before the deploy of ${revisionOf(newArn)} finished, not rolled back. ${pending.join('; ') || 'All services had finished'}.${failures.length > 0 ? ` ${failures.join(' ')}` : ''}`,
  };
}
