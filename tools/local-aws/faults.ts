import { AwsError } from './protocol.js';

/** API-level faults, set through POST /_local/faults. Task-level faults live with the services. */
export interface ApiFaults {
  /** Every Nth matching call answers ThrottlingException (0 = off). */
  throttleEveryNth: number;
  /** Added to every matching call (ms). */
  latencyMs: number;
  /** Share of matching calls (0..1) answered with a 500 InternalFailure / ServerException. */
  errorRate: number;
  /** The next N matching calls answer 500. */
  failNextCalls: number;
  /** Operations the faults apply to (e.g. ["DescribeServices"]); empty = all. */
  operations: string[];
}

export const NO_FAULTS: ApiFaults = {
  throttleEveryNth: 0,
  latencyMs: 0,
  errorRate: 0,
  failNextCalls: 0,
  operations: [],
};

export function parseApiFaults(input: Record<string, unknown>, current: ApiFaults): ApiFaults {
  const next: ApiFaults = { ...current };
  const numberField = (key: 'throttleEveryNth' | 'latencyMs' | 'errorRate' | 'failNextCalls'): void => {
    const value = input[key];
    if (value === undefined) return;
    if (typeof value !== 'number' || value < 0 || (key === 'errorRate' && value > 1)) {
      throw new Error(`${key} must be a number >= 0${key === 'errorRate' ? ' and <= 1' : ''}`);
    }
    next[key] = value;
  };
  numberField('throttleEveryNth');
  numberField('latencyMs');
  numberField('errorRate');
  numberField('failNextCalls');
  if (input['operations'] !== undefined) {
    const operations = input['operations'];
    if (!Array.isArray(operations) || operations.some((item) => typeof item !== 'string')) {
      throw new Error('operations must be a list of operation names');
    }
    next.operations = operations as string[];
  }
  return next;
}

/** Counts API calls and decides, per call, which injected fault (if any) applies. */
export class FaultInjector {
  faults: ApiFaults = { ...NO_FAULTS };
  private matchingCalls = 0;
  readonly calls = new Map<string, number>();
  private readonly random: () => number;

  constructor(random: () => number = Math.random) {
    this.random = random;
  }

  set(faults: ApiFaults): void {
    this.faults = faults;
    this.matchingCalls = 0;
  }

  clear(): void {
    this.set({ ...NO_FAULTS });
  }

  /** Records the call; returns the latency to add and the error to answer instead, if any. */
  onCall(operation: string): { latencyMs: number; error?: AwsError } {
    this.calls.set(operation, (this.calls.get(operation) ?? 0) + 1);
    const faults = this.faults;
    if (faults.operations.length > 0 && !faults.operations.includes(operation)) return { latencyMs: 0 };
    this.matchingCalls += 1;
    const latencyMs = faults.latencyMs;
    if (faults.failNextCalls > 0) {
      faults.failNextCalls -= 1;
      return { latencyMs, error: serverError() };
    }
    if (faults.throttleEveryNth > 0 && this.matchingCalls % faults.throttleEveryNth === 0) {
      return { latencyMs, error: new AwsError('ThrottlingException', 'Rate exceeded', 400) };
    }
    if (faults.errorRate > 0 && this.random() < faults.errorRate) {
      return { latencyMs, error: serverError() };
    }
    return { latencyMs };
  }

  callCounts(): { total: number; byOperation: Record<string, number> } {
    const byOperation = Object.fromEntries([...this.calls.entries()].sort(([a], [b]) => a.localeCompare(b)));
    const total = [...this.calls.values()].reduce((sum, count) => sum + count, 0);
    return { total, byOperation };
  }
}

function serverError(): AwsError {
  return new AwsError('ServerException', 'Injected server error (local-aws fault)', 500);
}
