import type { Verdict } from './checks.js';

/**
 * The poll loop for one URL, with the clock, sleep, randomness and the probe injected so tests drive
 * the schedule without waiting.
 *
 * Schedule: the first probe goes out at once. After an unhealthy answer the wait grows exponentially
 * from `minIntervalMs` to `maxIntervalMs` (each wait drawn from the top 40% below its ceiling, never
 * under the minimum), restarting from the minimum whenever the answer changes. After a healthy answer
 * that does not yet complete the streak, the confirming probe follows after `minIntervalMs`.
 * `Retry-After` on 429/503 stretches the wait. The last probe is placed so that it ends by the deadline.
 */
export interface PollOptions {
  minIntervalMs: number;
  maxIntervalMs: number;
  consecutiveSuccesses: number;
  requestTimeoutMs: number;
  /** Absolute time on `now()`'s clock after which no probe starts. */
  deadline: number;
}

export interface ProbeOutcome {
  verdict: Verdict;
  /** How long the probe took, for the log. */
  durationMs: number;
}

export interface PollDependencies {
  now: () => number;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  random: () => number;
  /** Sends one probe with this timeout and judges the answer. Must not throw. */
  probe: (timeoutMs: number, signal?: AbortSignal) => Promise<ProbeOutcome>;
  signal?: AbortSignal;
  /** Called for each probe, in order, with its number and the time it started (after `start`). */
  onProbe?: (event: ProbeEvent) => void;
}

export interface ProbeEvent {
  attempt: number;
  atMs: number;
  verdict: Verdict;
  durationMs: number;
  successStreak: number;
  /** The wait chosen before the next probe, or undefined when the loop ends here. */
  nextDelayMs?: number;
}

export type PollOutcome = 'healthy' | 'timeout' | 'fatal' | 'cancelled';

export interface PollResult {
  outcome: PollOutcome;
  attempts: number;
  /** Time from the start to the probe that completed the streak. */
  timeToHealthyMs?: number;
  /** Time from the start to the first probe that got any HTTP answer. */
  firstAnswerMs?: number;
  last?: Verdict;
  /** The most recent verdict that was an HTTP answer (a later timeout does not hide the last status). */
  lastAnswer?: Verdict;
  elapsedMs: number;
}

/** Share of the ceiling that jitter may take off a wait: waits are drawn from [0.6, 1] x ceiling. */
export const JITTER = 0.4;

/** Wait after the `streak`-th unhealthy answer in a row (1-based): exponential, jittered, in [min, max]. */
export function backoffWait(streak: number, minMs: number, maxMs: number, random: () => number): number {
  const ceiling = Math.min(maxMs, minMs * 2 ** Math.max(0, streak - 1));
  return Math.round(Math.max(minMs, ceiling * (1 - JITTER * random())));
}

/**
 * The default `max-interval`: three times the minimum. A service turning healthy waits on average about
 * 0.4 x max for the next probe (half a mean wait of 0.8 x max), then `min` for the confirming one: about
 * 0.9 s with the 400 ms default at ~1 request/s, about 0.22 s with 100 ms.
 */
export function defaultMaxInterval(minIntervalMs: number): number {
  return 3 * minIntervalMs;
}

/** A probe squeezed in before the deadline gets at least this long. */
const MIN_PROBE_MS = 100;

/** How long the final probe is given: it starts this long before the deadline at the latest. */
export function finalProbeWindow(requestTimeoutMs: number): number {
  return Math.min(requestTimeoutMs, 1000);
}

export async function pollUntilHealthy(options: PollOptions, deps: PollDependencies): Promise<PollResult> {
  const start = deps.now();
  const window = Math.min(finalProbeWindow(options.requestTimeoutMs), (options.deadline - start) / 4);
  let attempts = 0;
  let successStreak = 0;
  let failureStreak = 0;
  let previousState: string | undefined;
  let last: Verdict | undefined;
  let lastAnswer: Verdict | undefined;
  let firstAnswerMs: number | undefined;
  const result = (outcome: PollOutcome, extra: Partial<PollResult> = {}): PollResult => ({
    outcome,
    attempts,
    elapsedMs: deps.now() - start,
    ...(last ? { last } : {}),
    ...(lastAnswer ? { lastAnswer } : {}),
    ...(firstAnswerMs === undefined ? {} : { firstAnswerMs }),
    ...extra,
  });

  for (;;) {
    if (deps.signal?.aborted) return result('cancelled');
    const probeStart = deps.now();
    const timeoutMs = Math.max(
      1,
      Math.round(Math.min(options.requestTimeoutMs, options.deadline - probeStart)),
    );
    const { verdict, durationMs } = await deps.probe(timeoutMs, deps.signal);
    if (deps.signal?.aborted) return result('cancelled');
    attempts++;
    last = verdict;
    if (verdict.status !== undefined) {
      lastAnswer = verdict;
      firstAnswerMs ??= probeStart - start;
    }
    const event: ProbeEvent = {
      attempt: attempts,
      atMs: probeStart - start,
      verdict,
      durationMs,
      successStreak: 0,
    };

    if (verdict.outcome === 'fatal') {
      deps.onProbe?.(event);
      return result('fatal');
    }
    let delay: number;
    if (verdict.outcome === 'healthy') {
      successStreak++;
      failureStreak = 0;
      event.successStreak = successStreak;
      if (successStreak >= options.consecutiveSuccesses) {
        deps.onProbe?.(event);
        return result('healthy', { timeToHealthyMs: deps.now() - start });
      }
      delay = options.minIntervalMs;
    } else {
      successStreak = 0;
      failureStreak = verdict.state === previousState ? failureStreak + 1 : 1;
      delay = backoffWait(failureStreak, options.minIntervalMs, options.maxIntervalMs, deps.random);
      if (verdict.retryAfterMs !== undefined) delay = Math.max(delay, verdict.retryAfterMs);
    }
    previousState = verdict.state;

    // The deadline comes first. A wait that runs past the final window is cut to end at it, leaving the
    // last probe its window; past that point a probe goes out only if it can still start in time.
    const now = deps.now();
    const latestStart = options.deadline - window;
    if (now + delay > latestStart) {
      if (latestStart >= now + options.minIntervalMs) delay = latestStart - now;
      else if (now + delay > options.deadline - MIN_PROBE_MS) {
        deps.onProbe?.(event);
        return result('timeout');
      }
    }
    event.nextDelayMs = delay;
    deps.onProbe?.(event);
    await deps.sleep(delay, deps.signal);
  }
}
