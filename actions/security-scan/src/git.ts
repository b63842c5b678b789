import { spawn, spawnSync } from 'node:child_process';
import { existsSync, lstatSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';

/**
 * Git run on content we do not trust. A repository's own config (or a committed directory laid out like a
 * bare repository) can name programs git runs by itself: core.fsmonitor on every index read, hooks, filter
 * and textconv drivers, gpg.program for signed commits, an ssh command. Every run here pins those off on
 * the command line (which outranks repository config), ignores the system and global config, never lets
 * git discover a repository (GIT_DIR is always explicit), and never runs a shell.
 */

/** A git repository found from a `.git` entry (never from a bare-looking directory). */
export interface Repository {
  gitDir: string;
  workTree: string;
}

export class GitError extends Error {
  readonly exitCode: number | null;

  constructor(message: string, exitCode: number | null) {
    super(message);
    this.name = 'GitError';
    this.exitCode = exitCode;
  }
}

/** Long enough for `ls-files` on a huge monorepo under load; a stuck git is killed, never waited on forever. */
export const GIT_TIMEOUT_MS = 300_000;

const SAFE_CONFIG = [
  'core.fsmonitor=false',
  'core.hooksPath=/dev/null',
  'core.sshCommand=false',
  'core.askPass=false',
  'core.pager=cat',
  'core.editor=false',
  'core.untrackedCache=false',
  'core.attributesFile=/dev/null',
  'core.quotePath=true',
  'credential.helper=',
  'protocol.allow=never',
  'safe.bareRepository=explicit',
  'diff.external=',
  'diff.noprefix=false',
  'diff.mnemonicPrefix=false',
  'diff.relative=false',
  'diff.renames=false',
  'log.showSignature=false',
  'gpg.program=false',
  'gpg.ssh.program=false',
  'gpg.x509.program=false',
  'color.ui=false',
];

/** Keys of filter and diff drivers, which name programs to run; neutralised for every driver the config defines. */
const DRIVER_KEY = /^(filter|diff|merge)\.(.+)\.(clean|smudge|process|textconv|command|driver)$/i;

/** The environment of every git run: no inherited GIT_* (GIT_CONFIG_PARAMETERS, GIT_EXTERNAL_DIFF...), no system/global config. */
function gitEnvironment(repository: Repository): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith('GIT_') && key !== 'PAGER') env[key] = value;
  }
  return {
    ...env,
    GIT_DIR: repository.gitDir,
    GIT_WORK_TREE: repository.workTree,
    GIT_CEILING_DIRECTORIES: dirname(repository.workTree),
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_ATTR_NOSYSTEM: '1',
    GIT_TERMINAL_PROMPT: '0',
    GIT_OPTIONAL_LOCKS: '0',
    GIT_LITERAL_PATHSPECS: '1',
    GIT_NO_REPLACE_OBJECTS: '1',
    GIT_PAGER: 'cat',
    LC_ALL: 'C',
  };
}

const driverOverrides = new Map<string, string[]>();

/**
 * `-c` pairs that empty every filter/diff/merge driver command the repository's config defines, so even a
 * code path that would convert content cannot run them: git then fails ("unable to read files to diff")
 * rather than run anything. Read once per git directory.
 */
function neutralisedDrivers(repository: Repository): string[] {
  const cached = driverOverrides.get(repository.gitDir);
  if (cached) return cached;
  const listed = spawnSync('git', [...baseArguments([]), 'config', '--name-only', '--list'], {
    cwd: repository.workTree,
    env: gitEnvironment(repository),
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
    timeout: 30_000,
    maxBuffer: 16 * 1024 * 1024,
  });
  const overrides = (listed.stdout ?? '')
    .split('\n')
    .filter((key) => DRIVER_KEY.test(key))
    .flatMap((key) => ['-c', `${key}=`]);
  driverOverrides.set(repository.gitDir, overrides);
  return overrides;
}

function baseArguments(drivers: readonly string[]): string[] {
  return [...SAFE_CONFIG.flatMap((pair) => ['-c', pair]), ...drivers];
}

function safeArguments(repository: Repository, args: readonly string[]): string[] {
  return [...baseArguments(neutralisedDrivers(repository)), ...args];
}

/** Runs git to completion and returns stdout; a non-zero exit, a timeout or a missing git throw GitError. */
export function runGit(
  repository: Repository,
  args: readonly string[],
  options: { timeoutMs?: number } = {},
): string {
  const result = spawnSync('git', safeArguments(repository, args), {
    cwd: repository.workTree,
    env: gitEnvironment(repository),
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: options.timeoutMs ?? GIT_TIMEOUT_MS,
    killSignal: 'SIGKILL',
    maxBuffer: 512 * 1024 * 1024,
  });
  if (result.error) throw new GitError(`git ${args[0] ?? ''} did not run: ${result.error.message}`, null);
  if (result.status !== 0) {
    const reason = (result.stderr ?? '').trim().split('\n').at(-1) ?? '';
    throw new GitError(`git ${args[0] ?? ''} exited with ${String(result.status)}: ${reason}`, result.status);
  }
  return result.stdout;
}

/** True when git answers with exit 0 (e.g. `cat-file -e`); false on any failure. */
export function gitSucceeds(repository: Repository, args: readonly string[]): boolean {
  try {
    runGit(repository, args, { timeoutMs: 60_000 });
    return true;
  } catch {
    return false;
  }
}

/** Runs git and hands stdout to `onLine` one line at a time (for output too large to hold, e.g. `log -p`). */
export async function streamGit(
  repository: Repository,
  args: readonly string[],
  onLine: (line: string) => void,
  options: { timeoutMs?: number } = {},
): Promise<void> {
  const child = spawn('git', safeArguments(repository, args), {
    cwd: repository.workTree,
    env: gitEnvironment(repository),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    if (stderr.length < 64 * 1024) stderr += chunk.toString();
  });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, options.timeoutMs ?? GIT_TIMEOUT_MS);
  const exited = new Promise<number | null>((done, fail) => {
    child.on('error', fail);
    child.on('close', (code) => done(code));
  });
  try {
    // Split on \n only: readline would also end a line at a lone \r, which diff content may hold.
    child.stdout.setEncoding('utf8');
    let pending = '';
    for await (const chunk of child.stdout as AsyncIterable<string>) {
      const lines = (pending + chunk).split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) onLine(line);
    }
    if (pending !== '') onLine(pending);
    const code = await exited;
    if (timedOut)
      throw new GitError(
        `git ${args[0] ?? ''} was stopped after ${options.timeoutMs ?? GIT_TIMEOUT_MS} ms`,
        null,
      );
    if (code !== 0) {
      throw new GitError(
        `git ${args[0] ?? ''} exited with ${String(code)}: ${stderr.trim().split('\n').at(-1) ?? ''}`,
        code,
      );
    }
  } catch (error) {
    if (error instanceof GitError) throw error;
    throw new GitError(`git ${args[0] ?? ''} did not run: ${(error as Error).message}`, null);
  } finally {
    clearTimeout(timer);
  }
}

/** The git directory a `.git` entry stands for: the directory itself, or the one a `gitdir:` file points at. */
function gitDirOf(dotGit: string): string | undefined {
  try {
    const stats = lstatSync(dotGit);
    if (stats.isDirectory()) return dotGit;
    if (!stats.isFile()) return undefined;
    const pointer = /^gitdir:\s*(.+?)\s*$/m.exec(readFileSync(dotGit, 'utf8'))?.[1];
    if (!pointer) return undefined;
    const target = isAbsolute(pointer) ? pointer : resolve(dirname(dotGit), pointer);
    return existsSync(target) ? target : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The repository holding `root`, found from `.git` entries only (a directory, or a `gitdir:` file): first
 * `root`'s own (a second checkout or a submodule there), then the one at `trustedTop` (the workspace) or
 * above it. A `.git` cannot be committed, so none of these come from the repository's content, and git
 * runs pinned safe on whichever it is; a committed bare-repository layout (`app/HEAD`, `app/config`,
 * `app/objects/`) is never taken for a repository: git is never left to discover one.
 */
export function findRepository(root: string, trustedTop: string = root): Repository | undefined {
  const own = gitDirOf(join(resolve(root), '.git'));
  if (own) return { gitDir: own, workTree: resolve(root) };
  for (let directory = resolve(trustedTop); ; directory = dirname(directory)) {
    const gitDir = gitDirOf(join(directory, '.git'));
    if (gitDir) return { gitDir, workTree: directory };
    if (dirname(directory) === directory) return undefined;
  }
}
