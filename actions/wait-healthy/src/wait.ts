import type { HttpProbeResult } from '../../../shared/http-probe.js';
import { formatDuration } from '../../../shared/summary.js';
import { judge, type Expectations, type Verdict } from './checks.js';
import { pollUntilHealthy, type PollDependencies, type PollResult, type ProbeEvent } from './poll.js';
import { displayUrl, maskSecrets } from './report.js';

/** Everything the wait needs, as plain values (the inputs, minus how they were read). */
export interface WaitSettings {
  urls: URL[];
  timeoutMs: number;
  requestTimeoutMs: number;
  minIntervalMs: number;
  maxIntervalMs: number;
  consecutiveSuccesses: number;
  expectations: Expectations;
  secrets: string[];
}

export interface WaitDependencies {
  now: () => number;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  random: () => number;
  /** One HTTP probe of `url`; must not throw. */
  probe: (url: URL, timeoutMs: number, signal?: AbortSignal) => Promise<HttpProbeResult>;
  /** One line for the log (state changes only). */
  log: (line: string) => void;
  signal?: AbortSignal;
}

export interface UrlReport {
  url: string;
  result: PollResult;
  /** Set when this URL's wait was stopped because another URL hit fail-if. */
  stoppedBy?: string;
  /** How many times the answer changed. */
  changes: number;
}

export interface WaitReport {
  healthy: boolean;
  urls: UrlReport[];
  elapsedMs: number;
  timeoutMs: number;
  attempts: number;
  cancelled: boolean;
}

/** After this many returns to states already logged, the loop stops logging repeats (flapping). */
const FLAP_LOG_LIMIT = 4;

/** Logs what changed, not each poll: the first answer, each new state, Retry-After, the end. */
export class StateChangeLog {
  private previous: string | undefined;
  private readonly seen = new Set<string>();
  private returns = 0;
  changes = 0;
  private readonly url: string;
  private readonly write: (line: string) => void;

  constructor(url: string, write: (line: string) => void) {
    this.url = url;
    this.write = write;
  }

  record(event: ProbeEvent): void {
    const { verdict } = event;
    const at = `attempt ${event.attempt}, ${formatDuration(event.atMs)} in`;
    if (verdict.state !== this.previous) {
      if (this.previous !== undefined) this.changes++;
      const repeat = this.seen.has(verdict.state);
      if (repeat) this.returns++;
      if (!repeat || this.returns <= FLAP_LOG_LIMIT) {
        this.write(`${this.url}: ${describe(verdict)} (${at})`);
      }
      if (repeat && this.returns === FLAP_LOG_LIMIT) {
        this.write(
          `${this.url}: the answer keeps flipping between the states above; repeats are no longer logged.`,
        );
      }
      this.seen.add(verdict.state);
      this.previous = verdict.state;
    }
    if (verdict.outcome === 'healthy' && event.successStreak > 1) {
      this.write(`${this.url}: healthy ${event.successStreak} times in a row (${at}).`);
    }
  }
}

function describe(verdict: Verdict): string {
  const retry =
    verdict.retryAfterMs === undefined
      ? ''
      : `; server asks to retry after ${formatDuration(verdict.retryAfterMs)}`;
  const excerpt = verdict.excerpt ? ` — body: ${verdict.excerpt}` : '';
  const label =
    verdict.outcome === 'healthy' ? 'healthy answer' : verdict.outcome === 'fatal' ? 'FAILED' : 'not healthy';
  return `${label}: ${verdict.reason}${retry}${verdict.outcome === 'healthy' ? '' : excerpt}`;
}

/** Polls every URL at once until all are healthy, one fails (fail-if), the deadline passes, or the run is cancelled. */
export async function waitForHealthy(settings: WaitSettings, deps: WaitDependencies): Promise<WaitReport> {
  const start = deps.now();
  const deadline = start + settings.timeoutMs;
  const stopAll = new AbortController();
  const onCancel = (): void => stopAll.abort();
  deps.signal?.addEventListener('abort', onCancel, { once: true });
  if (deps.signal?.aborted) stopAll.abort();
  const write = (line: string): void => deps.log(maskSecrets(line, settings.secrets));
  let stoppedBy: string | undefined;

  const reports = await Promise.all(
    settings.urls.map(async (url): Promise<UrlReport> => {
      const shown = displayUrl(url);
      const log = new StateChangeLog(shown, write);
      const pollDeps: PollDependencies = {
        now: deps.now,
        sleep: deps.sleep,
        random: deps.random,
        signal: stopAll.signal,
        probe: async (timeoutMs, signal) => {
          const result = await deps.probe(url, timeoutMs, signal);
          return { verdict: judge(result, settings.expectations), durationMs: result.durationMs };
        },
        onProbe: (event) => log.record(event),
      };
      const result = await pollUntilHealthy(
        {
          minIntervalMs: settings.minIntervalMs,
          maxIntervalMs: settings.maxIntervalMs,
          consecutiveSuccesses: settings.consecutiveSuccesses,
          requestTimeoutMs: settings.requestTimeoutMs,
          deadline,
        },
        pollDeps,
      );
      if (result.outcome === 'fatal' && !stopAll.signal.aborted) {
        stoppedBy = shown;
        stopAll.abort();
      }
      return { url: shown, result, changes: log.changes };
    }),
  );
  deps.signal?.removeEventListener('abort', onCancel);

  const cancelled = deps.signal?.aborted === true;
  for (const report of reports) {
    if (report.result.outcome === 'cancelled' && !cancelled && stoppedBy) report.stoppedBy = stoppedBy;
  }
  return {
    healthy: reports.every((report) => report.result.outcome === 'healthy'),
    urls: reports,
    elapsedMs: deps.now() - start,
    timeoutMs: settings.timeoutMs,
    attempts: reports.reduce((total, report) => total + report.result.attempts, 0),
    cancelled,
  };
}
