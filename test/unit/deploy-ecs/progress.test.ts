import type { Service, ServiceEvent } from '@aws-sdk/client-ecs';

import {
  describeStoppedTask,
  MAX_EVENTS_PER_POLL,
  newProgressMemory,
  progressLines,
  stoppedExitCode,
} from '../../../actions/deploy-ecs/src/progress.js';
import { DEFAULT_POLL_SCHEDULE, nextPollDelay } from '../../../actions/deploy-ecs/src/schedule.js';

const since = new Date('2026-11-23T10:00:00Z');
const at = (seconds: number): Date => new Date(since.getTime() + seconds * 1000);

function snapshot(running: number, events: ServiceEvent[] = []): Service {
  return {
    deployments: [
      {
        id: 'ecs-svc/1',
        status: 'PRIMARY',
        taskDefinition: 'arn:aws:ecs:us-east-1:1:task-definition/web:5',
        desiredCount: 2,
        runningCount: running,
        pendingCount: 2 - running,
        failedTasks: 0,
        rolloutState: 'IN_PROGRESS',
      },
    ],
    events,
  };
}

describe('progressLines', () => {
  it('prints a deployment when its counts change, and nothing when nothing changed', () => {
    const memory = newProgressMemory();
    expect(progressLines('web', snapshot(0), since, memory)).toEqual([
      'web: ecs-svc/1 PRIMARY web:5: 0/2 running, 2 pending, 0 failed [IN_PROGRESS]',
    ]);
    expect(progressLines('web', snapshot(0), since, memory)).toEqual([]);
    expect(progressLines('web', snapshot(1), since, memory)).toEqual([
      'web: ecs-svc/1 PRIMARY web:5: 1/2 running, 1 pending, 0 failed [IN_PROGRESS]',
    ]);
  });

  it('prints new service events oldest first, once, and skips the ones from before the deploy', () => {
    const memory = newProgressMemory();
    const events: ServiceEvent[] = [
      { id: 'e3', createdAt: at(3), message: 'third' },
      { id: 'e2', createdAt: at(2), message: 'second' },
      { id: 'e0', createdAt: at(-60), message: 'an hour-old steady state' },
    ];
    expect(progressLines('web', snapshot(0, events), since, memory).slice(1)).toEqual([
      'web: event: second',
      'web: event: third',
    ]);
    expect(
      progressLines(
        'web',
        snapshot(0, [{ id: 'e4', createdAt: at(4), message: 'fourth' }, ...events]),
        since,
        memory,
      ),
    ).toEqual(['web: event: fourth']);
  });

  it('does not flood: at most a few events per poll, the rest counted', () => {
    const memory = newProgressMemory();
    const events = Array.from({ length: 12 }, (_, index) => ({
      id: `e${index}`,
      createdAt: at(index),
      message: `event ${index}`,
    })).reverse();
    const lines = progressLines('web', snapshot(0, events), since, memory);
    expect(lines.filter((line) => line.includes('event:'))).toHaveLength(MAX_EVENTS_PER_POLL);
    expect(lines.at(-1)).toBe(`web: (${12 - MAX_EVENTS_PER_POLL} more events not shown)`);
  });
});

describe('stopped tasks', () => {
  const task = {
    taskArn: 'arn:aws:ecs:us-east-1:1:task/prod/0123abcd',
    stoppedReason: 'Essential container in task exited',
    containers: [
      { name: 'log-router', exitCode: 0 },
      { name: 'web', exitCode: 3, reason: 'boom' },
    ],
  };

  it('says why a task stopped, with each container exit code', () => {
    expect(describeStoppedTask(task)).toBe(
      'task 0123abcd stopped: Essential container in task exited; container log-router exit code 0; container web exit code 3 (boom)',
    );
  });

  it('picks the non-zero exit code', () => {
    expect(stoppedExitCode(task)).toBe(3);
    expect(stoppedExitCode({ containers: [{ name: 'a' }] })).toBeUndefined();
  });
});

describe('nextPollDelay', () => {
  const poll = (sinceChangeMs: number, nearDone = false, remainingMs = 600_000): number =>
    nextPollDelay({ sinceChangeMs, nearDone, remainingMs });

  it('polls every second while things change, so completion is noticed within about 2 s', () => {
    expect(poll(0)).toBe(DEFAULT_POLL_SCHEDULE.minMs);
    expect(poll(29_000)).toBe(1000);
  });

  it('backs off on a long quiet rollout, up to the maximum', () => {
    expect(poll(60_000)).toBe(4000);
    expect(poll(100_000)).toBe(8000);
    expect(poll(3_600_000)).toBe(DEFAULT_POLL_SCHEDULE.maxMs);
    // Far below the SDK waiter, which never polls faster than every 15 s.
    expect(poll(60_000)).toBeLessThan(15_000);
  });

  it('polls fast when our deployment is up and only the old one drains, however quiet', () => {
    expect(poll(600_000, true)).toBe(1000);
  });

  it('never sleeps past the deadline', () => {
    expect(poll(600_000, false, 300)).toBe(300);
    expect(poll(0, false, -5)).toBe(0);
  });
});
