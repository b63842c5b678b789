// One pipeline step: an action's built bundle run the way the runner runs it (INPUT_* variables, the
// GITHUB_OUTPUT / GITHUB_STEP_SUMMARY files), judged ok or not, with a one-line detail for a results table.
// Shared by the demo and the verify stage (scripts/verify-release.ts).
import { runAction, type ActionRun } from '../tools/runner/run-action.js';

export interface ActionStepOptions {
  inputs: Record<string, string>;
  /** The step's environment on top of the runner's (AWS_* endpoints, GITHUB_SHA...). */
  env: Record<string, string>;
  /** The one-line detail of a step that passed; a failed step's is its first ::error:: line. */
  describe: (run: ActionRun) => string;
  /** The job's checkout, when not this repository. */
  workspace?: string;
  /** Print the step's log as it comes, each line with this prefix. */
  echoPrefix?: string;
  timeoutMs?: number;
}

export interface ActionStep {
  ok: boolean;
  ms: number;
  detail: string;
  run: ActionRun;
}

export async function runActionStep(action: string, options: ActionStepOptions): Promise<ActionStep> {
  const run = await runAction(action, {
    ...(options.workspace === undefined ? {} : { cwd: options.workspace }),
    ...(options.echoPrefix === undefined ? {} : { echoPrefix: options.echoPrefix }),
    inputs: options.inputs,
    env: options.env,
    timeoutMs: options.timeoutMs ?? 600_000,
  });
  const ok = run.exitCode === 0;
  return {
    ok,
    ms: run.durationMs,
    detail: ok ? options.describe(run) : (run.errors[0] ?? crashDetail(run)),
    run,
  };
}

/** A step that failed without an ::error:: line (a crash, a kill): its exit and the last line it printed. */
function crashDetail(run: ActionRun): string {
  const exit =
    run.exitCode === null ? `killed (${run.signal ?? 'no exit code'})` : `exit code ${run.exitCode}`;
  const last = run.log
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .at(-1);
  return last === undefined ? exit : `${exit}; last line: ${last.slice(0, 300)}`;
}
