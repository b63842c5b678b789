import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const REPO_ROOT = resolve(import.meta.dirname, '..', '..');

export interface RunActionOptions {
  /** Inputs keyed as in action.yml; become INPUT_<NAME> variables the way the runner sets them. */
  inputs?: Record<string, string | number | boolean>;
  /** Extra environment (GITHUB_*, AWS_*...). The child does not inherit the test's INPUT_* variables. */
  env?: Record<string, string | undefined>;
  /** Run the `post:` step, with the state the main step saved (pass the main step's result). */
  postOf?: ActionRun;
  /** Kill the step after this long (ms) and report it; default 120 s. */
  timeoutMs?: number;
  /** Send SIGINT after this many ms, as the runner does on cancellation. */
  cancelAfterMs?: number;
  cwd?: string;
  /** Folder of the action (its action.yml and dist/), e.g. a packaged tree; default actions/<action>. */
  actionDir?: string;
  /** Also print the step's log as it comes, each line prefixed (the demo shows progress this way). */
  echoPrefix?: string;
  /** Keep the run's folder (GITHUB_OUTPUT, RUNNER_TEMP...) for the caller to read and remove; default: removed. */
  keepWorkDir?: boolean;
}

export interface ActionRun {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  outputs: Record<string, string>;
  state: Record<string, string>;
  /** Lines appended to GITHUB_ENV, parsed. */
  exportedEnv: Record<string, string>;
  summary: string;
  stdout: string;
  stderr: string;
  /** stdout and stderr interleaved as the runner shows them. */
  log: string;
  /** The `::error::` lines' messages, unescaped as the runner shows them. */
  errors: string[];
  warnings: string[];
  durationMs: number;
  /** The run's folder; already removed unless `keepWorkDir` was set. */
  workDir: string;
}

/** Reads the runner's `name<<DELIMITER ... DELIMITER` file-command format (also plain `name=value`). */
export function parseFileCommand(text: string): Record<string, string> {
  const result: Record<string, string> = {};
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const [, name, delimiter] = heredoc;
      const value: string[] = [];
      while (++index < lines.length && lines[index] !== delimiter) value.push(lines[index]!);
      result[name!] = value.join('\n');
    } else if (line.includes('=')) {
      const separator = line.indexOf('=');
      result[line.slice(0, separator)] = line.slice(separator + 1);
    }
  }
  return result;
}

/**
 * Undoes @actions/core's escaping of a workflow command's message (`%` as %25, CR as %0D, LF as %0A), as
 * the runner does before it shows the message: without this a URL's `%20` would read `%2520`. One pass,
 * so an escaped `%250A` comes back as the text `%0A`, not a line break.
 */
export function unescapeCommandData(text: string): string {
  return text.replace(/%(25|0D|0A)/g, (_, code: string) => ({ '25': '%', '0D': '\r', '0A': '\n' })[code]!);
}

function inputVariable(name: string): string {
  // The runner's rule: INPUT_ + name upper-cased with spaces as underscores (dashes are kept).
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
}

/**
 * Runs a built bundle as the GitHub runner does: a child `node actions/<name>/dist/index.js` with
 * INPUT_* variables and GITHUB_OUTPUT / GITHUB_ENV / GITHUB_STATE / GITHUB_STEP_SUMMARY files in a
 * fresh RUNNER_TEMP, on the same Node that runs the tests (Node 24, as `using: node24`).
 */
export async function runAction(action: string, options: RunActionOptions = {}): Promise<ActionRun> {
  const workDir = mkdtempSync(join(tmpdir(), `shipkit-run-${action}-`));
  const runnerTemp = join(workDir, 'runner-temp');
  mkdirSync(runnerTemp);
  const files = {
    GITHUB_OUTPUT: join(workDir, 'output'),
    GITHUB_ENV: join(workDir, 'env'),
    GITHUB_STATE: join(workDir, 'state'),
    GITHUB_STEP_SUMMARY: join(workDir, 'summary.md'),
    GITHUB_PATH: join(workDir, 'path'),
  };
  for (const file of Object.values(files)) writeFileSync(file, '');

  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (
      value !== undefined &&
      !key.startsWith('INPUT_') &&
      !key.startsWith('STATE_') &&
      !key.startsWith('GITHUB_')
    ) {
      env[key] = value;
    }
  }
  Object.assign(env, {
    GITHUB_ACTIONS: 'true',
    CI: 'true',
    RUNNER_TEMP: runnerTemp,
    RUNNER_OS: 'Linux',
    RUNNER_DEBUG: '',
    GITHUB_WORKSPACE: options.cwd ?? REPO_ROOT,
    GITHUB_REPOSITORY: 'shipkit/shipkit',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_RUN_ID: '1',
    GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
    GITHUB_REF: 'refs/heads/main',
    GITHUB_EVENT_NAME: 'push',
    ...files,
  });
  for (const [name, value] of Object.entries(options.inputs ?? {})) env[inputVariable(name)] = String(value);
  if (options.postOf) {
    for (const [name, value] of Object.entries(options.postOf.state)) env[`STATE_${name}`] = value;
  }
  for (const [key, value] of Object.entries(options.env ?? {})) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }

  const started = Date.now();
  const child = spawn(
    process.execPath,
    [join(options.actionDir ?? join(REPO_ROOT, 'actions', action), 'dist', 'index.js')],
    {
      cwd: options.cwd ?? REPO_ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  let log = '';
  const echo = (text: string): void => {
    if (options.echoPrefix === undefined) return;
    for (const line of text.split('\n'))
      if (line !== '') process.stdout.write(`${options.echoPrefix}${line}\n`);
  };
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    log += chunk.toString();
    echo(chunk.toString());
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    log += chunk.toString();
    echo(chunk.toString());
  });
  const timeoutMs = options.timeoutMs ?? 120_000;
  const killer = setTimeout(() => {
    log += `\n[run-action] killed after ${timeoutMs} ms\n`;
    child.kill('SIGKILL');
  }, timeoutMs);
  const canceller =
    options.cancelAfterMs === undefined
      ? undefined
      : setTimeout(() => child.kill('SIGINT'), options.cancelAfterMs);
  const [exitCode, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((done) =>
    child.on('close', (code, closeSignal) => done([code, closeSignal])),
  );
  clearTimeout(killer);
  if (canceller) clearTimeout(canceller);

  const commandMessages = (kind: string): string[] =>
    log
      .split('\n')
      .filter((line) => line.startsWith(`::${kind}`))
      .map((line) => unescapeCommandData(line.slice(line.indexOf('::', 2) + 2)));
  const read = (file: string): string => readFileSync(file, 'utf8');
  const fileCommands = {
    outputs: parseFileCommand(read(files.GITHUB_OUTPUT)),
    state: parseFileCommand(read(files.GITHUB_STATE)),
    exportedEnv: parseFileCommand(read(files.GITHUB_ENV)),
    summary: read(files.GITHUB_STEP_SUMMARY),
  };
  // Tests and the demo leave nothing in the system temp folder.
  if (!options.keepWorkDir) rmSync(workDir, { recursive: true, force: true });
  return {
    exitCode,
    signal,
    ...fileCommands,
    stdout,
    stderr,
    log,
    errors: commandMessages('error'),
    warnings: commandMessages('warning'),
    durationMs: Date.now() - started,
    workDir,
  };
}
