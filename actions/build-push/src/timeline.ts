/**
 * Where a step's time goes: every spawned process, registry round trip and AWS call is recorded with its
 * start and duration (ms since the process started), and printed as debug lines (shown with
 * ACTIONS_STEP_DEBUG), so a slow step can be read phase by phase.
 */
export type PhaseKind = 'process' | 'registry' | 'aws' | 'step';

export interface Phase {
  kind: PhaseKind;
  label: string;
  startMs: number;
  durationMs: number;
}

export class Timeline {
  readonly phases: Phase[] = [];
  private readonly now: () => number;
  private readonly print: (line: string) => void;

  constructor(print: (line: string) => void, now: () => number = () => performance.now()) {
    this.print = print;
    this.now = now;
  }

  /** Runs `run` and records it, failed or not. */
  async track<T>(kind: PhaseKind, label: string, run: () => Promise<T>): Promise<T> {
    const startMs = this.now();
    try {
      return await run();
    } finally {
      const phase = { kind, label, startMs, durationMs: this.now() - startMs };
      this.phases.push(phase);
      this.print(
        `phase ${kind} ${label}: at ${Math.round(startMs)} ms, took ${Math.round(phase.durationMs)} ms`,
      );
    }
  }

  /** A fetch that records each request as `METHOD path`. */
  fetch(inner: (url: string, init?: RequestInit) => Promise<Response>) {
    return (url: string, init?: RequestInit): Promise<Response> =>
      this.track('registry', `${init?.method ?? 'GET'} ${new URL(url).pathname}`, () => inner(url, init));
  }

  /** One line per kind: how many and how long in total, then the step's own time. */
  summary(): string[] {
    const lines: string[] = [];
    for (const kind of ['process', 'registry', 'aws'] as const) {
      const phases = this.phases.filter((phase) => phase.kind === kind);
      if (phases.length === 0) continue;
      const total = phases.reduce((sum, phase) => sum + phase.durationMs, 0);
      lines.push(`${kind}: ${phases.length}, ${Math.round(total)} ms in all (overlapping)`);
    }
    lines.push(`step: ${Math.round(this.now())} ms since the process started`);
    return lines;
  }
}
