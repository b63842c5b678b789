/**
 * Counts failed logins per client in a sliding window. In memory, so the limit holds per task; with N tasks
 * behind a load balancer a client gets at most N times the limit, still enough to stop password guessing.
 */
export class LoginRateLimiter {
  readonly #maxFailures: number;
  readonly #windowMs: number;
  readonly #maxClients: number;
  /** Failure times per client, oldest first. Map order doubles as least-recently-failed order. */
  readonly #failures = new Map<string, number[]>();

  constructor(options: { maxFailures: number; windowMs: number; maxClients?: number }) {
    this.#maxFailures = options.maxFailures;
    this.#windowMs = options.windowMs;
    this.#maxClients = options.maxClients ?? 10_000;
  }

  /** Milliseconds until this client may try again, or 0 when it may try now. */
  retryAfterMs(client: string, nowMs: number): number {
    const times = this.#recent(client, nowMs);
    if (times.length < this.#maxFailures) return 0;
    // Blocked until enough old failures leave the window to let one more attempt in.
    const oldestThatMustExpire = times[times.length - this.#maxFailures]!;
    return Math.max(1, oldestThatMustExpire + this.#windowMs - nowMs);
  }

  recordFailure(client: string, nowMs: number): void {
    const times = this.#recent(client, nowMs);
    times.push(nowMs);
    this.#failures.delete(client);
    this.#failures.set(client, times);
    if (this.#failures.size > this.#maxClients) {
      // Forget the client that failed least recently, so a flood of addresses cannot grow memory without bound.
      const oldest = this.#failures.keys().next().value;
      if (oldest !== undefined) this.#failures.delete(oldest);
    }
  }

  recordSuccess(client: string): void {
    this.#failures.delete(client);
  }

  get trackedClients(): number {
    return this.#failures.size;
  }

  #recent(client: string, nowMs: number): number[] {
    const times = this.#failures.get(client);
    if (times === undefined) return [];
    const recent = times.filter((time) => time > nowMs - this.#windowMs);
    if (recent.length === 0) this.#failures.delete(client);
    else this.#failures.set(client, recent);
    return recent;
  }
}
