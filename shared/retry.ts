/**
 * One retry helper for every action: exponential backoff with full jitter between a minimum and a
 * maximum delay, a bounded number of attempts, and a predicate saying which errors are worth retrying.
 * Sleep and randomness are injectable so tests check the schedule without waiting.
 */
export interface RetryOptions {
  attempts: number;
  minDelayMs: number;
  maxDelayMs: number;
  isRetryable: (error: unknown) => boolean;
  onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** Delay before retry number `attempt` (1-based): full jitter over min..min*2^(attempt-1), capped. */
export function backoffDelay(
  attempt: number,
  minDelayMs: number,
  maxDelayMs: number,
  random = Math.random,
): number {
  const ceiling = Math.min(maxDelayMs, minDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(minDelayMs + random() * Math.max(0, ceiling - minDelayMs));
}

export async function retry<T>(
  operation: (attempt: number) => Promise<T>,
  options: RetryOptions,
): Promise<T> {
  const wait = options.sleep ?? sleep;
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation(attempt);
    } catch (error: unknown) {
      if (attempt >= options.attempts || !options.isRetryable(error)) throw error;
      const delayMs = backoffDelay(attempt, options.minDelayMs, options.maxDelayMs, options.random);
      options.onRetry?.(error, attempt, delayMs);
      await wait(delayMs);
    }
  }
}
