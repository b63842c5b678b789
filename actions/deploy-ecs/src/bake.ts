import type { Service } from '@aws-sdk/client-ecs';

import { ConfigurationError } from '../../../shared/errors.js';
import { formatDuration } from '../../../shared/summary.js';
import { label, type DeployDeps } from './context.js';
import { describeServices, reportNewStoppedTasks, reportTargetHealth, type Rollout } from './follow.js';
import { judgeBake, revisionOf } from './judge.js';
import { progressLines } from './progress.js';
import type { TargetHealthWatch } from './target-health.js';

/**
 * The default `bake-time` (action.yml says the same); the README argues for it: the slower of the two
 * default detection paths (ELB: 2 failed checks 30 s apart; container check: 3 retries 30 s apart, the documented
 * defaults) sees a task that fails right after steady state within 90 s, plus a poll margin.
 */
export const DEFAULT_BAKE_TIME_MS = 120_000;

/** Time between bake polls: a task that goes away is noticed within about this long. */
export const BAKE_POLL_MS = 2000;

export interface BakeOptions {
  /** The `bake-time` input: how long after steady state each service is watched. */
  bakeMs: number;
  /**
   * The window that confirms a rollout ECS marked COMPLETED while tasks of it had failed, used when
   * `bakeMs` is 0: such a COMPLETED is never taken on trust (see judge.ts).
   */
  confirmMs: number;
  /** Time between polls. */
  pollMs: number;
  targetHealth?: TargetHealthWatch;
}

/** How long this rollout is baked: the bake, or the confirmation window of a COMPLETED after failures. */
export function bakeWindow(rollout: Rollout, options: Pick<BakeOptions, 'bakeMs' | 'confirmMs'>): number {
  const suspicious = rollout.verdict?.state === 'completed' && (rollout.verdict.afterFailedTasks ?? 0) > 0;
  return options.bakeMs > 0 ? options.bakeMs : suspicious ? options.confirmMs : 0;
}

/** A bake line every fifth of the window, at least every 5 s and at most every minute. */
function lineInterval(windowMs: number): number {
  return Math.min(60_000, Math.max(5_000, windowMs / 5));
}

/**
 * Keeps watching completed rollouts for their bake window, counted from when each reached steady state.
 * Fails one (its verdict becomes `failed`, for the rollback) on the first sign a task of its deployment
 * went away (see judgeBake). Prints what it watches now and then, and every change of counts, events and
 * target health. Returns when every window has passed or failed, or on cancel.
 */
export async function bakeRollouts(
  deps: DeployDeps,
  rollouts: Rollout[],
  options: BakeOptions,
): Promise<void> {
  const windows = new Map<Rollout, { endsAt: number; nextLineAt: number; windowMs: number }>();
  for (const rollout of rollouts) {
    const windowMs = bakeWindow(rollout, options);
    const completedAt = rollout.finishedAt ?? deps.now();
    windows.set(rollout, { endsAt: completedAt + windowMs, nextLineAt: deps.now(), windowMs });
    const afterFailures =
      rollout.verdict?.state === 'completed' && rollout.verdict.afterFailedTasks
        ? ` (ECS marked it COMPLETED after ${rollout.verdict.afterFailedTasks} of its tasks failed or stopped: the bake must confirm it)`
        : '';
    deps.log.info(
      `${label(rollout.target)}: baking ${revisionOf(rollout.judge.taskDefinitionArn)} for ${formatDuration(windowMs)}: watching the tasks of ${rollout.judge.deploymentId}${afterFailures}.`,
    );
  }
  for (;;) {
    const open = rollouts.filter((rollout) => !rollout.bake);
    if (open.length === 0) return;
    if (deps.signal?.aborted) {
      for (const rollout of open) {
        rollout.bake = { state: 'cancelled', watchedMs: deps.now() - (rollout.finishedAt ?? deps.now()) };
      }
      return;
    }
    const snapshots = await describeServices(
      deps,
      open.map((rollout) => rollout.target),
    );
    for (const rollout of open) await bakePoll(deps, rollout, snapshots, windows.get(rollout)!, options);
    const next = Math.min(...open.filter((r) => !r.bake).map((r) => windows.get(r)!.endsAt));
    if (Number.isFinite(next)) await deps.sleep(Math.max(0, Math.min(options.pollMs, next - deps.now())));
  }
}

async function bakePoll(
  deps: DeployDeps,
  rollout: Rollout,
  snapshots: ReadonlyMap<string, Service>,
  window: { endsAt: number; nextLineAt: number; windowMs: number },
  options: BakeOptions,
): Promise<void> {
  const name = label(rollout.target);
  const service = snapshots.get(name);
  if (!service) {
    throw new ConfigurationError(
      `Input "services" names ${name}, which disappeared during the deploy: check who deleted it.`,
    );
  }
  rollout.lastService = service;
  for (const line of progressLines(name, service, new Date(rollout.startedAt - 1000), rollout.memory)) {
    deps.log.info(line);
  }
  const health = await reportTargetHealth(deps, options.targetHealth, rollout, service);
  await reportNewStoppedTasks(deps, rollout);
  const now = deps.now();
  const completedAt = rollout.finishedAt ?? now;
  const verdict = judgeBake(service, rollout.judge, rollout.completedWith!, {
    stoppedTasks: rollout.stoppedOfOurs,
    ...(health.unhealthy ? { unhealthyTargets: health.unhealthy } : {}),
  });
  const ours = service.deployments?.find((deployment) => deployment.id === rollout.judge.deploymentId);
  const counts = `${ours?.runningCount ?? 0}/${ours?.desiredCount ?? 0} running`;
  const watching = [counts, ...health.lines].join(', ');
  if (verdict.state === 'failed') {
    rollout.verdict = {
      ...verdict,
      reason: `${verdict.reason}, ${formatDuration(now - completedAt)} after it completed`,
    };
    rollout.bake = { state: 'failed', watchedMs: now - completedAt };
    deps.log.warning(`${name}: the bake failed: ${verdict.reason}.`);
    return;
  }
  if (now >= window.endsAt) {
    rollout.bake = { state: 'passed', watchedMs: now - completedAt };
    deps.log.info(
      `${name}: baked ${formatDuration(now - completedAt)} after steady state: no task of ${rollout.judge.deploymentId} stopped; ${watching}.`,
    );
    return;
  }
  if (now >= window.nextLineAt) {
    window.nextLineAt = now + lineInterval(window.windowMs);
    const left = Math.ceil((window.endsAt - now) / 1000);
    deps.log.info(
      `${name}: baking, ${left < 60 ? `${left} s` : formatDuration(left * 1000)} left, ${watching}`,
    );
  }
}
