import type { Verdict } from '../../../actions/wait-healthy/src/checks.js';
import {
  backoffWait,
  defaultMaxInterval,
  pollUntilHealthy,
  type PollOptions,
  type ProbeEvent,
} from '../../../actions/wait-healthy/src/poll.js';
import { FakeClock } from './fake-clock.js';

const healthy: Verdict = { outcome: 'healthy', state: 'healthy:', reason: '200 OK', status: 200 };
const down: Verdict = { outcome: 'unhealthy', state: 'error:ECONNREFUSED', reason: 'connection refused' };
const error500: Verdict = { outcome: 'unhealthy', state: 'status:500', reason: '500', status: 500 };
const oldVersion: Verdict = {
  outcome: 'unhealthy',
  state: 'version:1',
  reason: 'ver 1',
  status: 200,
  version: '1',
};
const fatal: Verdict = { outcome: 'fatal', state: 'fail-if:x', reason: 'failed', status: 200 };

const PROBE_MS = 5;

/** Runs the loop on a fake clock; `script(time, attempt)` says what the server answers. */
async function run(
  script: (time: number, attempt: number) => Verdict,
  overrides: Partial<PollOptions> = {},
  random = (): number => 0.5,
  signal?: AbortSignal,
) {
  const clock = new FakeClock();
  const events: ProbeEvent[] = [];
  const timeouts: number[] = [];
  let attempt = 0;
  const options: PollOptions = {
    minIntervalMs: 400,
    maxIntervalMs: 1200,
    consecutiveSuccesses: 2,
    requestTimeoutMs: 10_000,
    deadline: 300_000,
    ...overrides,
  };
  const result = await pollUntilHealthy(options, {
    now: clock.now,
    sleep: clock.sleep,
    random,
    ...(signal ? { signal } : {}),
    probe: (timeoutMs) => {
      timeouts.push(timeoutMs);
      const verdict = script(clock.time, ++attempt);
      clock.time += PROBE_MS;
      return Promise.resolve({ verdict, durationMs: PROBE_MS });
    },
    onProbe: (event) => events.push(event),
  });
  return { result, events, sleeps: clock.sleeps, timeouts, clock };
}

describe('backoffWait', () => {
  it('starts at the minimum, doubles its ceiling, and stays within [0.6 x ceiling, ceiling] under jitter', () => {
    expect(backoffWait(1, 400, 1200, () => 0.99)).toBe(400);
    expect(backoffWait(2, 400, 1200, () => 0)).toBe(800);
    expect(backoffWait(2, 400, 1200, () => 1)).toBe(480);
    expect(backoffWait(3, 400, 1200, () => 0)).toBe(1200);
    expect(backoffWait(30, 400, 1200, () => 1)).toBe(720);
  });
  it('never goes under the minimum or over the maximum', () => {
    for (let streak = 1; streak < 40; streak++) {
      for (const r of [0, 0.3, 0.7, 1]) {
        const wait = backoffWait(streak, 250, 900, () => r);
        expect(wait).toBeGreaterThanOrEqual(250);
        expect(wait).toBeLessThanOrEqual(900);
      }
    }
  });
  it('defaults the maximum to three times the minimum', () => expect(defaultMaxInterval(400)).toBe(1200));
});

describe('pollUntilHealthy', () => {
  it('probes at once and needs the configured number of healthy answers in a row', async () => {
    const { result, events, sleeps } = await run(() => healthy);
    expect(events[0]!.atMs).toBe(0);
    expect(result).toMatchObject({ outcome: 'healthy', attempts: 2, firstAnswerMs: 0 });
    expect(sleeps).toEqual([400]);
    expect(result.timeToHealthyMs).toBe(PROBE_MS + 400 + PROBE_MS);
  });

  it('declares healthy on the first answer with consecutive-successes 1', async () => {
    const { result } = await run(() => healthy, { consecutiveSuccesses: 1 });
    expect(result).toMatchObject({ outcome: 'healthy', attempts: 1 });
  });

  it('backs off exponentially while the answer stays the same, and restarts from the minimum when it changes', async () => {
    const { sleeps } = await run(
      (time) => (time < 3000 ? down : time < 6000 ? error500 : healthy),
      {},
      () => 0,
    );
    // down: 400, 800, 1200, 1200 ... then 500s: back to 400, 800 ...
    expect(sleeps.slice(0, 4)).toEqual([400, 800, 1200, 1200]);
    const firstAfterChange = sleeps.findIndex(
      (_, index) => index > 0 && sleeps[index - 1] === 1200 && sleeps[index] === 400,
    );
    expect(firstAfterChange).toBeGreaterThan(0);
    expect(sleeps[firstAfterChange + 1]).toBe(800);
  });

  it('needs a fresh streak when the version flips back (flapping old/new)', async () => {
    // Alternates new, old, new, old... for the first 20 probes, then settles on the new version.
    const { result, events } = await run((_, attempt) =>
      attempt <= 20 && attempt % 2 === 0 ? oldVersion : healthy,
    );
    expect(result.outcome).toBe('healthy');
    expect(result.attempts).toBe(22);
    expect(events.filter((event) => event.successStreak === 2)).toHaveLength(1);
    expect(events.at(-1)!.successStreak).toBe(2);
  });

  it('stops at once on a fatal answer (fail-if)', async () => {
    const { result, sleeps } = await run((_, attempt) => (attempt < 3 ? down : fatal));
    expect(result).toMatchObject({ outcome: 'fatal', attempts: 3 });
    expect(sleeps).toHaveLength(2);
  });

  it('honours Retry-After beyond the maximum interval', async () => {
    const throttled: Verdict = { ...error500, state: 'status:503', status: 503, retryAfterMs: 5000 };
    const { sleeps, result } = await run((_, attempt) => (attempt === 1 ? throttled : healthy));
    expect(sleeps[0]).toBe(5000);
    expect(result.outcome).toBe('healthy');
  });

  it('caps Retry-After at the deadline and still makes a last probe', async () => {
    const throttled: Verdict = { ...error500, state: 'status:503', status: 503, retryAfterMs: 60_000 };
    const { sleeps, result, events } = await run(() => throttled, { deadline: 10_000 });
    expect(result.outcome).toBe('timeout');
    expect(result.attempts).toBe(2);
    // The last probe starts one final window (1 s) before the deadline.
    expect(events[1]!.atMs).toBe(9000);
    expect(sleeps).toEqual([9000 - PROBE_MS]);
  });

  it('times out by the deadline with the last answer kept', async () => {
    const { result, events, timeouts } = await run(
      () => error500,
      { deadline: 20_000 },
      () => 0.5,
    );
    expect(result.outcome).toBe('timeout');
    expect(result.elapsedMs).toBeLessThanOrEqual(20_000);
    expect(events.at(-1)!.atMs).toBeLessThanOrEqual(19_000);
    expect(events.at(-1)!.atMs).toBeGreaterThan(19_000 - 1200);
    expect(result.last).toBe(error500);
    expect(result.lastAnswer).toBe(error500);
    expect(Math.max(...timeouts)).toBeLessThanOrEqual(10_000);
  });

  it('confirms a healthy answer that came with the last probe if the time left allows', async () => {
    // Probes at ... 7805 (unhealthy), 8770 (healthy), then the confirming one after the minimum interval,
    // past the final window (9000) but well inside the deadline.
    const { result, events } = await run((time) => (time >= 8000 ? healthy : error500), { deadline: 10_000 });
    expect(result.outcome).toBe('healthy');
    expect(events.at(-2)!.atMs).toBe(8770);
    expect(events.at(-1)!.atMs).toBe(8770 + PROBE_MS + 400);
  });

  it('never gives a probe more time than is left before the deadline', async () => {
    const { timeouts } = await run(() => down, { deadline: 3000, requestTimeoutMs: 10_000 });
    expect(timeouts[0]).toBe(3000);
    for (const timeout of timeouts) expect(timeout).toBeLessThanOrEqual(3000);
  });

  it('keeps the last HTTP answer when later probes fail to connect', async () => {
    const { result } = await run((_, attempt) => (attempt < 3 ? error500 : down), { deadline: 8000 });
    expect(result.last).toBe(down);
    expect(result.lastAnswer).toBe(error500);
  });

  it('stays near one request per second with the defaults while unhealthy', async () => {
    const { result } = await run(() => error500, { deadline: 300_000 }, Math.random);
    const perSecond = result.attempts / (result.elapsedMs / 1000);
    expect(perSecond).toBeGreaterThan(0.9);
    expect(perSecond).toBeLessThan(1.25);
  });

  it('returns cancelled when the signal fires, without another probe', async () => {
    const controller = new AbortController();
    const { result } = await run(
      (_, attempt) => {
        if (attempt === 3) controller.abort();
        return down;
      },
      {},
      () => 0.5,
      controller.signal,
    );
    expect(result).toMatchObject({ outcome: 'cancelled', attempts: 2 });
  });
});
