import http from 'node:http';
import type { AddressInfo } from 'node:net';

import type { Verdict } from '../actions/wait-healthy/src/checks.js';
import { parseJsonPath } from '../actions/wait-healthy/src/checks.js';
import { defaultMaxInterval, pollUntilHealthy } from '../actions/wait-healthy/src/poll.js';
import { waitForHealthy } from '../actions/wait-healthy/src/wait.js';
import { httpProbe } from '../shared/http-probe.js';
import { sleep } from '../shared/retry.js';
import { median, type BenchRow } from './bench-row.js';

/**
 * Detection lag: the time from a local server turning healthy (answering the new version) to the wait
 * returning healthy, with consecutive-successes 2 as by default. Each run starts the wait against a server
 * that answers the old version, then flips at a random moment 3.5-8.5 s in (long enough for the backoff to
 * reach its cap, so this is the steady state of a long wait). Runs go in parallel, one server each.
 */

const RUNS = 80;
/** Requests before this are the backoff warming up; the rate is counted after it. */
const STEADY_AFTER_MS = 3000;
const DEFAULT_MIN_INTERVAL = 400;

interface RunResult {
  lagMs: number;
  requestsBeforeFlip: number;
  flipAtMs: number;
}

async function oneRun(minIntervalMs: number): Promise<RunResult> {
  const started = performance.now();
  const flipAtMs = STEADY_AFTER_MS + 500 + Math.random() * 5000;
  let requestsBeforeFlip = 0;
  const server = http.createServer((_, response) => {
    const elapsed = performance.now() - started;
    const flipped = elapsed >= flipAtMs;
    if (!flipped && elapsed >= STEADY_AFTER_MS) requestsBeforeFlip++;
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ success: true, ver: flipped ? 'new' : 'old' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  try {
    const report = await waitForHealthy(
      {
        urls: [new URL(`http://127.0.0.1:${port}/health`)],
        timeoutMs: 300_000,
        requestTimeoutMs: 10_000,
        minIntervalMs,
        maxIntervalMs: defaultMaxInterval(minIntervalMs),
        consecutiveSuccesses: 2,
        expectations: {
          statuses: [{ from: 200, to: 399 }],
          failIf: [],
          jsonPath: parseJsonPath('ver')!,
          jsonPathText: 'ver',
          expectValue: 'new',
        },
        secrets: [],
      },
      {
        now: () => performance.now(),
        sleep,
        random: Math.random,
        log: () => undefined,
        probe: (url, timeoutMs, signal) =>
          httpProbe({ url, method: 'GET', timeoutMs, ...(signal ? { signal } : {}) }),
      },
    );
    if (!report.healthy) throw new Error('the wait did not turn healthy');
    return { lagMs: performance.now() - started - flipAtMs, requestsBeforeFlip, flipAtMs };
  } finally {
    server.closeAllConnections();
    server.close();
  }
}

function percentile(values: readonly number[], share: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(share * sorted.length))]!;
}

/** The schedule alone on a fake clock: flips uniform over 5 minutes, 2 ms per request. */
async function simulate(
  minIntervalMs: number,
  runs: number,
): Promise<{ medianLagMs: number; perSecond: number }> {
  const lags: number[] = [];
  let requests = 0;
  let waited = 0;
  for (let run = 0; run < runs; run++) {
    let time = 0;
    const flipAt = Math.random() * 300_000;
    const old: Verdict = { outcome: 'unhealthy', state: 'version:old', reason: 'old', status: 200 };
    const fresh: Verdict = { outcome: 'healthy', state: 'healthy:new', reason: 'new', status: 200 };
    await pollUntilHealthy(
      {
        minIntervalMs,
        maxIntervalMs: defaultMaxInterval(minIntervalMs),
        consecutiveSuccesses: 2,
        requestTimeoutMs: 10_000,
        deadline: 400_000,
      },
      {
        now: () => time,
        sleep: (ms) => {
          time += ms;
          return Promise.resolve();
        },
        random: Math.random,
        probe: () => {
          const verdict = time >= flipAt ? fresh : old;
          if (time < flipAt) requests++;
          time += 2;
          return Promise.resolve({ verdict, durationMs: 2 });
        },
      },
    );
    lags.push(time - flipAt);
    waited += flipAt;
  }
  return { medianLagMs: median(lags), perSecond: requests / (waited / 1000) };
}

/** url-health-check-action's schedule: a fixed 3 s delay, one success is enough. */
function simulateFixedDelay(runs: number, delayMs = 3000): number {
  const lags: number[] = [];
  for (let run = 0; run < runs; run++) {
    const flipAt = Math.random() * 300_000;
    const firstAfter = Math.ceil(flipAt / (delayMs + 2)) * (delayMs + 2);
    lags.push(firstAfter + 2 - flipAt);
  }
  return median(lags);
}

export default async function bench(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const minIntervalMs of [DEFAULT_MIN_INTERVAL, 100]) {
    const results = await Promise.all(Array.from({ length: RUNS }, () => oneRun(minIntervalMs)));
    const lags = results.map((result) => result.lagMs);
    const label =
      minIntervalMs === DEFAULT_MIN_INTERVAL
        ? 'defaults: 400 ms-1.2 s, 2 in a row'
        : 'min-interval 100ms (max 300 ms)';
    rows.push({
      area: 'wait-healthy',
      metric: `detection lag, median of ${RUNS} real runs, ${label} (p90 ${Math.round(percentile(lags, 0.9))} ms)`,
      value: `${Math.round(median(lags))} ms`,
      target: minIntervalMs === DEFAULT_MIN_INTERVAL ? 'target <= 1 s' : 'target <= 250 ms',
    });
    if (minIntervalMs === DEFAULT_MIN_INTERVAL) {
      const requests = results.reduce((total, result) => total + result.requestsBeforeFlip, 0);
      const seconds = results.reduce((total, result) => total + result.flipAtMs - STEADY_AFTER_MS, 0) / 1000;
      rows.push({
        area: 'wait-healthy',
        metric: 'requests per second while waiting (steady state), defaults, real runs',
        value: `${(requests / seconds).toFixed(2)}/s`,
        target: 'target about 1/s',
      });
    }
  }
  const simulated = await simulate(DEFAULT_MIN_INTERVAL, 5000);
  rows.push({
    area: 'wait-healthy',
    metric: 'detection lag, schedule simulated, flip anywhere in 5 min, defaults (5000 runs)',
    value: `${Math.round(simulated.medianLagMs)} ms at ${simulated.perSecond.toFixed(2)}/s`,
    target: `target <= 1 s; url-health-check-action (3 s delay) ${(simulateFixedDelay(5000) / 1000).toFixed(1)} s`,
  });
  return rows;
}
