import type { HttpProbeResult } from '../../../shared/http-probe.js';

/** A clock that only moves when the code under test sleeps or probes, so schedules are exact. */
export class FakeClock {
  time = 0;
  sleeps: number[] = [];
  now = (): number => this.time;
  sleep = (ms: number, signal?: AbortSignal): Promise<void> => {
    this.sleeps.push(ms);
    if (!signal?.aborted) this.time += ms;
    return Promise.resolve();
  };
}

export function answer(status: number, body = '', headers: Record<string, string> = {}): HttpProbeResult {
  return {
    kind: 'response',
    status,
    statusText: status === 200 ? 'OK' : '',
    headers,
    body,
    url: new URL('http://app.test/health'),
    redirects: 0,
    durationMs: 5,
  };
}

export function failure(code: string, message = code): HttpProbeResult {
  return {
    kind: 'error',
    code,
    message,
    url: new URL('http://app.test/health'),
    redirects: 0,
    durationMs: 5,
  };
}
