import type { Service, Task } from '@aws-sdk/client-ecs';

import { revisionOf } from './judge.js';

/** What was already said about one service, so each poll prints only what changed. */
export interface ProgressMemory {
  deployments: Map<string, string>;
  seenEvents: Set<string>;
  seenStoppedTasks: Set<string>;
  /** The last target-health line per target group ARN. */
  targetHealth: Map<string, string>;
}

export function newProgressMemory(): ProgressMemory {
  return {
    deployments: new Map(),
    seenEvents: new Set(),
    seenStoppedTasks: new Set(),
    targetHealth: new Map(),
  };
}

/** At most this many new service events a poll; the rest is counted, not printed. */
export const MAX_EVENTS_PER_POLL = 5;

/**
 * Lines worth printing for a new DescribeServices snapshot: deployments whose counts or state changed
 * (a deployment that did not change prints nothing), and service events newer than `since` not yet
 * shown, oldest first. Mutates `memory`.
 */
export function progressLines(
  label: string,
  service: Service,
  since: Date,
  memory: ProgressMemory,
): string[] {
  const lines: string[] = [];
  for (const deployment of service.deployments ?? []) {
    const id = deployment.id ?? '?';
    const state = [
      `${deployment.status ?? '?'} ${revisionOf(deployment.taskDefinition)}:`,
      `${deployment.runningCount ?? 0}/${deployment.desiredCount ?? 0} running,`,
      `${deployment.pendingCount ?? 0} pending,`,
      `${deployment.failedTasks ?? 0} failed`,
      deployment.rolloutState ? `[${deployment.rolloutState}]` : '',
    ]
      .filter(Boolean)
      .join(' ');
    if (memory.deployments.get(id) !== state) {
      memory.deployments.set(id, state);
      lines.push(`${label}: ${id} ${state}`);
    }
  }
  const fresh = (service.events ?? [])
    .filter((event) => event.id && !memory.seenEvents.has(event.id))
    .filter((event) => !event.createdAt || event.createdAt.getTime() >= since.getTime())
    .reverse();
  for (const event of service.events ?? []) if (event.id) memory.seenEvents.add(event.id);
  for (const event of fresh.slice(0, MAX_EVENTS_PER_POLL))
    lines.push(`${label}: event: ${event.message ?? ''}`);
  if (fresh.length > MAX_EVENTS_PER_POLL) {
    lines.push(`${label}: (${fresh.length - MAX_EVENTS_PER_POLL} more events not shown)`);
  }
  return lines;
}

/** A stopped task in one line: its reason and each container's exit code and reason. */
export function describeStoppedTask(task: Task): string {
  const id = (task.taskArn ?? '?').split('/').pop();
  const containers = (task.containers ?? [])
    .filter((container) => container.exitCode !== undefined || container.reason)
    .map((container) => {
      const code = container.exitCode !== undefined ? ` exit code ${container.exitCode}` : '';
      const reason = container.reason ? ` (${container.reason})` : '';
      return `container ${container.name ?? '?'}${code}${reason}`;
    });
  const reason = task.stoppedReason ?? task.stopCode ?? 'no reason given';
  return [`task ${id} stopped: ${reason}`, ...containers].join('; ');
}

/** The exit code that explains a stopped task: the first essential container that exited non-zero. */
export function stoppedExitCode(task: Task): number | undefined {
  const codes = (task.containers ?? [])
    .map((container) => container.exitCode)
    .filter((code): code is number => code !== undefined);
  return codes.find((code) => code !== 0) ?? codes[0];
}
