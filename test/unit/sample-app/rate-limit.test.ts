import { LoginRateLimiter } from '../../../sample-app/src/rate-limit.js';

describe('LoginRateLimiter', () => {
  const minute = 60_000;

  it('blocks after maxFailures within the window and says for how long', () => {
    const limiter = new LoginRateLimiter({ maxFailures: 3, windowMs: minute });
    limiter.recordFailure('a', 0);
    limiter.recordFailure('a', 10_000);
    expect(limiter.retryAfterMs('a', 20_000)).toBe(0);
    limiter.recordFailure('a', 20_000);
    expect(limiter.retryAfterMs('a', 20_000)).toBe(40_000);
    expect(limiter.retryAfterMs('b', 20_000)).toBe(0);
    // The window slides: once the first failure is a minute old, one more attempt is allowed.
    expect(limiter.retryAfterMs('a', minute - 1)).toBe(1);
    expect(limiter.retryAfterMs('a', minute)).toBe(0);
  });

  it('forgets a client after a success or once its failures age out', () => {
    const limiter = new LoginRateLimiter({ maxFailures: 2, windowMs: minute });
    limiter.recordFailure('a', 0);
    limiter.recordFailure('a', 1);
    limiter.recordSuccess('a');
    expect(limiter.retryAfterMs('a', 2)).toBe(0);
    limiter.recordFailure('b', 0);
    expect(limiter.trackedClients).toBe(1);
    expect(limiter.retryAfterMs('b', 2 * minute)).toBe(0);
    expect(limiter.trackedClients).toBe(0);
  });

  it('keeps memory bounded by dropping the client that failed least recently', () => {
    const limiter = new LoginRateLimiter({ maxFailures: 1, windowMs: minute, maxClients: 3 });
    for (const [index, client] of ['a', 'b', 'c'].entries()) limiter.recordFailure(client, index);
    limiter.recordFailure('a', 3); // 'a' is now the most recent
    limiter.recordFailure('d', 4);
    expect(limiter.trackedClients).toBe(3);
    expect(limiter.retryAfterMs('b', 5)).toBe(0);
    expect(limiter.retryAfterMs('a', 5)).toBeGreaterThan(0);
    expect(limiter.retryAfterMs('d', 5)).toBeGreaterThan(0);
  });
});
