// The soak's scenarios: a release (good, or crashing at once / after 2 s / after 20 s) deployed with and
// without a load balancer, a container health check and the circuit breaker.

export type Release = 'good' | 'crash0' | 'crash2s' | 'crash20s';

export interface Scenario {
  /** Short id, also the prefix of the services it creates, e.g. "crash2s-lb-nohc-cb". */
  slug: string;
  release: Release;
  /** ms after the app starts listening that it exits; 0 = before listening; undefined = never. */
  crashAfterMs?: number;
  loadBalancer: boolean;
  healthCheck: boolean;
  circuitBreaker: boolean;
}

const CRASH_AFTER_MS: Record<Release, number | undefined> = {
  good: undefined,
  crash0: 0,
  crash2s: 2_000,
  crash20s: 20_000,
};

/** Every combination, crashing releases first (the point of the soak), good releases last. */
export function allScenarios(): Scenario[] {
  const scenarios: Scenario[] = [];
  for (const release of ['crash0', 'crash2s', 'crash20s', 'good'] as const) {
    for (const loadBalancer of [false, true]) {
      for (const healthCheck of [false, true]) {
        for (const circuitBreaker of [true, false]) {
          const crashAfterMs = CRASH_AFTER_MS[release];
          scenarios.push({
            slug: `${release}-${loadBalancer ? 'lb' : 'nolb'}-${healthCheck ? 'hc' : 'nohc'}-${circuitBreaker ? 'cb' : 'nocb'}`,
            release,
            ...(crashAfterMs !== undefined ? { crashAfterMs } : {}),
            loadBalancer,
            healthCheck,
            circuitBreaker,
          });
        }
      }
    }
  }
  return scenarios;
}

/** Scenarios whose slug matches `pattern` (a regular expression), all when it is undefined. */
export function selectScenarios(pattern: string | undefined): Scenario[] {
  const scenarios = allScenarios();
  if (pattern === undefined) return scenarios;
  const matcher = new RegExp(pattern);
  return scenarios.filter((scenario) => matcher.test(scenario.slug));
}

/** The container's extra environment for this release, as deploy-ecs's environment-variables input. */
export function crashEnvironment(scenario: Scenario): string {
  if (scenario.crashAfterMs === undefined) return '';
  if (scenario.crashAfterMs === 0) return 'CRASH_WITH=1';
  return `CRASH_WITH=1\nCRASH_AFTER_MS=${scenario.crashAfterMs}`;
}

/**
 * Whether the bake time covers the crash: the app crashes `crashAfterMs` after it starts listening, which
 * is before steady state, so a bake of at least that long is still watching when it crashes.
 */
export function bakeCovers(scenario: Scenario, bakeTimeMs: number | undefined): boolean {
  if (scenario.crashAfterMs === undefined) return false;
  if (scenario.crashAfterMs === 0) return true;
  return bakeTimeMs !== undefined && bakeTimeMs >= scenario.crashAfterMs;
}

export const CRASH_EXIT_CODE = 1;
