/**
 * Adaptive polling. The SDK's services-stable waiter sleeps at least 15 s between polls (and backs off
 * to minutes), so a finished deploy is noticed late. We poll every second while the rollout is moving
 * or about to finish (our tasks are all up, the old ones draining), and back off only while nothing
 * changes, so a long quiet rollout costs few API calls.
 */
export interface PollScheduleOptions {
  /** The fast interval: how late a completed rollout is noticed at worst (plus one call). */
  minMs: number;
  /** The slowest interval on a long rollout where nothing changes. */
  maxMs: number;
  /** How long after the last change polling stays fast. */
  fastWindowMs: number;
  /** Time between polls during the bake (default BAKE_POLL_MS). */
  bakePollMs?: number;
}

export const DEFAULT_POLL_SCHEDULE: PollScheduleOptions = {
  minMs: 1000,
  maxMs: 15_000,
  fastWindowMs: 30_000,
};

export interface PollState {
  /** Time since the last poll that changed anything (counts, states, events). */
  sinceChangeMs: number;
  /** Our deployment runs its desired count: completion can come any second. */
  nearDone: boolean;
  /** Time left before the timeout; never sleep past it. */
  remainingMs: number;
}

export function nextPollDelay(
  state: PollState,
  options: PollScheduleOptions = DEFAULT_POLL_SCHEDULE,
): number {
  let delay = options.minMs;
  if (!state.nearDone && state.sinceChangeMs > options.fastWindowMs) {
    // Grows by one second for every ten quiet seconds past the window, up to the maximum.
    delay = Math.min(options.maxMs, options.minMs + (state.sinceChangeMs - options.fastWindowMs) / 10);
  }
  return Math.max(0, Math.round(Math.min(delay, state.remainingMs)));
}
