import {
  DescribeServicesCommand,
  DescribeTasksCommand,
  ListTasksCommand,
  type Service,
  type Task,
} from '@aws-sdk/client-ecs';
import { ConfigurationError } from '../../../shared/errors.js';
import { formatDuration } from '../../../shared/summary.js';

import { aws, label, type DeployDeps, type ServiceTarget } from './context.js';
import {
  describePending,
  judgeRollout,
  type BakeBaseline,
  type JudgeContext,
  type Verdict,
} from './judge.js';
import {
  describeStoppedTask,
  newProgressMemory,
  progressLines,
  stoppedExitCode,
  type ProgressMemory,
} from './progress.js';
import { DEFAULT_POLL_SCHEDULE, nextPollDelay, type PollScheduleOptions } from './schedule.js';
import { targetHealthLine, unhealthyTargets, type TargetHealthWatch } from './target-health.js';

/** One deployment being followed until it completes, fails or times out. */
export interface Rollout {
  target: ServiceTarget;
  judge: JudgeContext;
  startedAt: number;
  memory: ProgressMemory;
  verdict?: Verdict | { state: 'timed-out'; pending: string };
  finishedAt?: number;
  /** The last stopped task of our deployment, for the failure message. */
  lastStopped?: { line: string; exitCode?: number };
  failedTasksSeen: number;
  /** Stopped tasks of our deployment seen through ListTasks, counted like failed tasks after COMPLETED. */
  stoppedOfOurs: number;
  lastService?: Service;
  /** Why a COMPLETED was not accepted yet (said once). */
  unconfirmed?: string;
  /** The last "targets unhealthy in tg: reason" seen, for the failure message. */
  unhealthyTargets?: string;
  /** Our deployment's counts when it completed: what the bake compares with. */
  completedWith?: BakeBaseline;
  /** What the bake did, once it ran. */
  bake?: { state: 'passed' | 'failed' | 'cancelled'; watchedMs: number };
}

/**
 * A rollout to follow. `before` is the service as the update returned it: its events are already
 * history, not news. A rollback passes the failed rollout's memory so nothing is printed twice.
 */
export function newRollout(
  target: ServiceTarget,
  judge: JudgeContext,
  startedAt: number,
  before?: Service,
  memory: ProgressMemory = newProgressMemory(),
): Rollout {
  for (const event of before?.events ?? []) if (event.id) memory.seenEvents.add(event.id);
  return { target, judge, startedAt, memory, failedTasksSeen: 0, stoppedOfOurs: 0 };
}

/** DescribeServices for many services: one call per cluster per 10 services (the API's limit). */
export async function describeServices(
  deps: DeployDeps,
  targets: readonly ServiceTarget[],
): Promise<Map<string, Service>> {
  const byCluster = new Map<string, string[]>();
  for (const target of targets)
    byCluster.set(target.cluster, [...(byCluster.get(target.cluster) ?? []), target.service]);
  const found = new Map<string, Service>();
  const calls: Promise<void>[] = [];
  for (const [cluster, services] of byCluster) {
    for (let start = 0; start < services.length; start += 10) {
      const batch = services.slice(start, start + 10);
      calls.push(
        aws(deps, 'ecs:DescribeServices', `services ${batch.join(', ')} in cluster ${cluster}`, () =>
          deps.ecs.send(new DescribeServicesCommand({ cluster, services: batch })),
        ).then((response) => {
          for (const service of response.services ?? []) {
            if (service.status === 'INACTIVE' || service.status === 'DRAINING') continue;
            found.set(label({ cluster, service: service.serviceName ?? '' }), service);
          }
        }),
      );
    }
  }
  await Promise.all(calls);
  return found;
}

/**
 * Stopped tasks of our deployment not seen yet. Listed by `startedBy` (ECS starts a service's tasks with
 * the deployment id), so another deployment's stopped tasks cannot crowd ours out of the page.
 */
async function fetchStoppedTasks(deps: DeployDeps, rollout: Rollout): Promise<Task[]> {
  const { cluster, service } = rollout.target;
  const { deploymentId } = rollout.judge;
  const subject = `service ${service} in cluster ${cluster}`;
  const listed = await aws(deps, 'ecs:ListTasks', subject, () =>
    deps.ecs.send(
      new ListTasksCommand({ cluster, startedBy: deploymentId, desiredStatus: 'STOPPED', maxResults: 100 }),
    ),
  );
  const fresh = (listed.taskArns ?? []).filter((arn) => !rollout.memory.seenStoppedTasks.has(arn));
  if (fresh.length === 0) return [];
  const described = await aws(deps, 'ecs:DescribeTasks', subject, () =>
    deps.ecs.send(new DescribeTasksCommand({ cluster, tasks: fresh.slice(0, 100) })),
  );
  for (const task of described.tasks ?? [])
    if (task.taskArn) rollout.memory.seenStoppedTasks.add(task.taskArn);
  return (described.tasks ?? [])
    .filter((task) => task.startedBy === undefined || task.startedBy === deploymentId)
    .sort((a, b) => (a.stoppedAt?.getTime() ?? 0) - (b.stoppedAt?.getTime() ?? 0));
}

/** Prints the stopped tasks of our deployment not shown yet; returns how many there were. */
export async function reportNewStoppedTasks(deps: DeployDeps, rollout: Rollout): Promise<number> {
  const tasks = await fetchStoppedTasks(deps, rollout);
  for (const task of tasks) {
    const line = describeStoppedTask(task);
    const exitCode = stoppedExitCode(task);
    rollout.lastStopped = { line, ...(exitCode !== undefined ? { exitCode } : {}) };
    deps.log.info(`${label(rollout.target)}: ${line}`);
  }
  rollout.stoppedOfOurs += tasks.length;
  return tasks.length;
}

async function reportStoppedTasks(deps: DeployDeps, rollout: Rollout, failedTasks: number): Promise<void> {
  if (failedTasks <= rollout.failedTasksSeen) return;
  rollout.failedTasksSeen = failedTasks;
  await reportNewStoppedTasks(deps, rollout);
}

/**
 * Reads the service's target health, prints each target group's line when it changed, and keeps the last
 * unhealthy reason for the failure message. Returns the lines (empty when nothing is load-balanced).
 */
export async function reportTargetHealth(
  deps: DeployDeps,
  watch: TargetHealthWatch | undefined,
  rollout: Rollout,
  service: Service,
): Promise<{ lines: string[]; changed: boolean; unhealthy?: string }> {
  const groups = watch ? await watch.read(service) : [];
  let changed = false;
  const lines = groups.map((group) => {
    const line = targetHealthLine(group);
    if (rollout.memory.targetHealth.get(group.arn) !== line) {
      rollout.memory.targetHealth.set(group.arn, line);
      deps.log.info(`${label(rollout.target)}: ${line}`);
      changed = true;
    }
    return line;
  });
  const unhealthy = unhealthyTargets(groups);
  if (unhealthy) rollout.unhealthyTargets = unhealthy;
  return { lines, changed, ...(unhealthy ? { unhealthy } : {}) };
}

/** How often a rollout where nothing changes says what it still waits for. */
export const HEARTBEAT_MS = 60_000;

export interface FollowOptions {
  deadline: number;
  schedule?: PollScheduleOptions;
  targetHealth?: TargetHealthWatch;
  /**
   * On completion, note the stopped tasks of our deployment so far (and their counts), so a bake counts
   * only what stops after. Off for rollbacks, which nothing bakes.
   */
  baseline?: boolean;
}

/**
 * Polls every unfinished rollout until each has a verdict or the deadline passes. Prints what changed,
 * stopped-task reasons when a deployment's failed count grows, and nothing when nothing changed.
 */
export async function followRollouts(
  deps: DeployDeps,
  rollouts: Rollout[],
  options: FollowOptions,
): Promise<void> {
  let lastChangeAt = deps.now();
  let lastPrintAt = lastChangeAt;
  const followStarted = lastChangeAt;
  for (;;) {
    const open = rollouts.filter((rollout) => !rollout.verdict);
    if (open.length === 0) return;
    const snapshots = await describeServices(
      deps,
      open.map((rollout) => rollout.target),
    );
    const now = deps.now();
    let nearDone = false;
    for (const rollout of open) {
      const service = snapshots.get(label(rollout.target));
      if (!service) {
        throw new ConfigurationError(
          `Input "services" names ${label(rollout.target)}, which disappeared during the deploy: check who deleted it.`,
        );
      }
      rollout.lastService = service;
      const lines = progressLines(
        label(rollout.target),
        service,
        new Date(rollout.startedAt - 1000),
        rollout.memory,
      );
      for (const line of lines) deps.log.info(line);
      const health = await reportTargetHealth(deps, options.targetHealth, rollout, service);
      if (lines.length > 0 || health.changed) lastChangeAt = lastPrintAt = now;
      const ours = service.deployments?.find((deployment) => deployment.id === rollout.judge.deploymentId);
      await reportStoppedTasks(deps, rollout, ours?.failedTasks ?? 0);
      // After an unaccepted COMPLETED every stop counts: ECS may no longer count them as failed tasks.
      if (rollout.unconfirmed) await reportNewStoppedTasks(deps, rollout);
      const verdict = judgeRollout(service, rollout.judge, { stoppedTasks: rollout.stoppedOfOurs });
      if (verdict.state === 'in-progress') {
        if (verdict.unconfirmed && !rollout.unconfirmed) {
          rollout.unconfirmed = verdict.unconfirmed;
          deps.log.warning(`${label(rollout.target)}: ${verdict.unconfirmed}`);
          await reportNewStoppedTasks(deps, rollout);
        }
        nearDone ||= verdict.nearDone;
        continue;
      }
      if (verdict.state === 'completed' && options.baseline && ours) {
        await reportNewStoppedTasks(deps, rollout);
        rollout.completedWith = {
          failedTasks: ours.failedTasks ?? 0,
          desiredCount: ours.desiredCount ?? 0,
          stoppedTasks: rollout.stoppedOfOurs,
        };
      }
      if (verdict.state === 'failed' && !rollout.lastStopped) {
        // The reason a user needs is the last stopped task: fetch it even if no count changed.
        rollout.failedTasksSeen = -1;
        await reportStoppedTasks(deps, rollout, 0);
      }
      rollout.verdict = verdict;
      rollout.finishedAt = now;
    }
    const remaining = rollouts.filter((rollout) => !rollout.verdict);
    if (remaining.length === 0) return;
    if (deps.signal?.aborted) return;
    if (now - lastPrintAt >= HEARTBEAT_MS) {
      // A quiet rollout still says it is alive, once a minute, with what it waits for.
      lastPrintAt = now;
      for (const rollout of remaining) {
        const service = rollout.lastService!;
        const ours = service.deployments?.find((deployment) => deployment.id === rollout.judge.deploymentId);
        deps.log.info(
          `${label(rollout.target)}: still waiting after ${formatDuration(now - followStarted)}: ${describePending(service, ours)}`,
        );
      }
    }
    const remainingMs = options.deadline - deps.now();
    if (remainingMs <= 0) {
      for (const rollout of remaining) {
        const service = rollout.lastService;
        const ours = service?.deployments?.find((deployment) => deployment.id === rollout.judge.deploymentId);
        rollout.verdict = {
          state: 'timed-out',
          pending: service ? describePending(service, ours) : 'no snapshot',
        };
        rollout.finishedAt = deps.now();
      }
      return;
    }
    await deps.sleep(
      nextPollDelay(
        { sinceChangeMs: deps.now() - lastChangeAt, nearDone, remainingMs },
        options.schedule ?? DEFAULT_POLL_SCHEDULE,
      ),
    );
  }
}

/** The reason a failed rollout gives, with the last stopped task's reason and exit code when known. */
export function failureReason(rollout: Rollout): string {
  const verdict = rollout.verdict;
  let reason = 'unknown';
  if (verdict?.state === 'failed') reason = verdict.reason;
  else if (verdict?.state === 'timed-out') reason = `timed out; still pending: ${verdict.pending}`;
  if (rollout.lastStopped) reason += `; last ${rollout.lastStopped.line}`;
  if (rollout.unhealthyTargets && !reason.includes(rollout.unhealthyTargets)) {
    reason += `; ${rollout.unhealthyTargets}`;
  }
  return reason;
}
