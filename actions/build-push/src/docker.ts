import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

import { ConfigurationError } from '../../../shared/errors.js';

export interface CommandResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface CommandOptions {
  /** Written to stdin and closed (passwords go this way, never on the command line). */
  stdin?: string;
  /** Extra environment for this command (build secrets by env name). */
  env?: Record<string, string>;
  /** Each output line as it comes, for the live log. */
  onLine?: (line: string) => void;
  /** Stops the process (SIGTERM) when aborted; the promise then rejects. */
  signal?: AbortSignal;
}

/** Runs a program and collects its output; never throws for a non-zero exit (callers classify it). */
export type RunCommand = (
  command: string,
  args: readonly string[],
  options?: CommandOptions,
) => Promise<CommandResult>;

/** Passes each complete line to `onLine`; a partial last line waits for the next chunk (or flush). */
function lineSplitter(onLine: ((line: string) => void) | undefined): {
  push: (chunk: Buffer) => void;
  flush: () => void;
} {
  let pending = '';
  return {
    push: (chunk) => {
      if (!onLine) return;
      const lines = (pending + chunk.toString()).split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) onLine(line);
    },
    flush: () => {
      if (pending && onLine) onLine(pending);
      pending = '';
    },
  };
}

/**
 * Runs a program (no shell: the arguments go as they are) and collects its output; the step's log gets the
 * lines through `onLine` only. Not @actions/exec: it cannot stop a process, and a build started alongside
 * the login must stop when the login fails (`signal`), not run to its end first.
 */
export const spawnCommand: RunCommand = (command, args, options = {}) =>
  new Promise((resolve, reject) => {
    const child = spawn(command, [...args], {
      env: { ...process.env, ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
      ...(options.signal ? { signal: options.signal } : {}),
    });
    let stdout = '';
    let stderr = '';
    // One splitter for both streams: docker writes progress to stderr, results to stdout.
    const lines = lineSplitter(options.onLine);
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      lines.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      lines.push(chunk);
    });
    child.on('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'ENOENT' ? new Error(`${command} is not installed or not on PATH.`) : error),
    );
    child.on('close', (code) => {
      lines.flush();
      resolve({ exitCode: code ?? 1, stdout, stderr });
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.stdin ?? '');
  });

/** A failed docker command; `kind` says whether retrying can help. */
export class DockerError extends Error {
  override readonly name = 'DockerError';
  readonly kind: PushFailureKind;
  constructor(message: string, kind: PushFailureKind) {
    super(message);
    this.kind = kind;
  }
}

export type PushFailureKind = 'transient' | 'auth' | 'other';

/** Sorts a failed push by its output: registry 5xx, 429 and dropped connections are worth another try. */
export function classifyPushFailure(output: string): PushFailureKind {
  const text = output.toLowerCase();
  if (
    /unauthorized|authentication required|denied|no basic auth credentials|forbidden|\b401\b|\b403\b/.test(
      text,
    )
  ) {
    return 'auth';
  }
  if (
    /\b(500|502|503|504)\b|internal server error|bad gateway|service unavailable|gateway time-?out|429|too ?many ?requests|toomanyrequests|connection reset|broken pipe|unexpected eof|i\/o timeout|tls handshake timeout|connection refused|net\/http: request canceled/.test(
      text,
    )
  ) {
    return 'transient';
  }
  return 'other';
}

/** The last few meaningful lines of docker's output, for an error message. */
export function tail(output: string, lines = 3): string {
  return output
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .slice(-lines)
    .join(' | ');
}

/**
 * Turns the build failures people hit most into a sentence with the fix; undefined leaves docker's text.
 * `hostPlatform` is e.g. linux/amd64.
 */
export function explainBuildFailure(
  output: string,
  platforms: readonly string[],
  hostPlatform: string,
): string | undefined {
  const frontend = /resolve image config for ([^\s:]+\/dockerfile(?::[\w.-]+)?)/.exec(output);
  if (frontend && /no such host|dial tcp|i\/o timeout|connection refused|TLS handshake/i.test(output)) {
    return `The Dockerfile's "# syntax=" line needs ${frontend[1]} from a registry this runner cannot reach: remove the line (the built-in frontend is used) or point it at a mirror.`;
  }
  const foreign = platforms.filter((platform) => !platform.startsWith(hostPlatform));
  if (
    /exec format error|exec user process caused|qemu: uncaught target signal|no match for platform in manifest/i.test(
      output,
    )
  ) {
    const wanted = foreign.length > 0 ? foreign.join(', ') : 'the requested platform';
    if (/no match for platform in manifest/i.test(output)) {
      return `The base image has no ${wanted} variant: pick a base image published for it, or change "platforms".`;
    }
    return `Building ${wanted} on this ${hostPlatform} runner needs emulation: add docker/setup-qemu-action (and docker/setup-buildx-action) before this step, or build on a matching runner.`;
  }
  return undefined;
}

/** BuildKit's plain progress: counts `#N CACHED` steps against all numbered build steps. */
export function countCacheHits(progress: string): { cached: number; total: number } | undefined {
  const steps = new Set<string>();
  const cached = new Set<string>();
  for (const match of progress.matchAll(/^#(\d+) (\[[^\]]*\]|CACHED)/gm)) {
    if (match[2] === 'CACHED') cached.add(match[1]!);
    else if (/^\[(?:[\w-]+ )?\d+\/\d+\]/.test(match[2]!)) steps.add(match[1]!);
  }
  if (steps.size === 0) return undefined;
  return { cached: [...cached].filter((step) => steps.has(step)).length, total: steps.size };
}

const ARCH: Record<string, string> = {
  x64: 'amd64',
  arm64: 'arm64',
  arm: 'arm',
  ppc64: 'ppc64le',
  s390x: 's390x',
};

export function hostPlatform(arch: string = process.arch): string {
  return `linux/${ARCH[arch] ?? arch}`;
}

/** The qemu binfmt handler name for an architecture, as docker/setup-qemu-action registers it. */
const QEMU: Record<string, string> = {
  arm64: 'qemu-aarch64',
  amd64: 'qemu-x86_64',
  arm: 'qemu-arm',
  ppc64le: 'qemu-ppc64le',
  s390x: 'qemu-s390x',
  riscv64: 'qemu-riscv64',
  '386': 'qemu-i386',
};

/**
 * Before building a foreign platform, check that the kernel can run its binaries (binfmt_misc), so a
 * missing QEMU is a clear error up front instead of `exec format error` in the middle of the build.
 * Returns the error message, or undefined when fine.
 */
export function checkEmulation(
  platforms: readonly string[],
  host: string,
  handlerExists: (name: string) => boolean,
): string | undefined {
  const hostArch = host.split('/')[1];
  for (const platform of platforms) {
    const arch = platform.split('/')[1]!;
    if (arch === hostArch || (hostArch === 'amd64' && arch === '386')) continue;
    const handler = QEMU[arch];
    if (handler && !handlerExists(handler)) {
      return `Input "platforms" asks for ${platform}, but this ${host} runner cannot run ${arch} binaries: add docker/setup-qemu-action before this step, or build on a ${platform} runner.`;
    }
  }
  return undefined;
}

/**
 * Where the docker CLI looks for plugins on Linux: the user's ($DOCKER_CONFIG or ~/.docker)/cli-plugins,
 * then the system folders (docker/cli's defaultSystemPluginDirs).
 */
export function pluginDirs(env: NodeJS.ProcessEnv = process.env): string[] {
  return [
    join(env['DOCKER_CONFIG'] || join(homedir(), '.docker'), 'cli-plugins'),
    '/usr/local/lib/docker/cli-plugins',
    '/usr/local/libexec/docker/cli-plugins',
    '/usr/lib/docker/cli-plugins',
    '/usr/libexec/docker/cli-plugins',
  ];
}

/**
 * buildx when installed (or required), plain docker otherwise or when asked for. Installed means the
 * docker-buildx plugin file is where the CLI looks: no process to start. Only when buildx is required and
 * no file is found does `docker buildx version` get the last word (a plugin dir set in config.json).
 */
export async function detectBuilder(
  choice: 'auto' | 'buildx' | 'docker',
  run: RunCommand = spawnCommand,
  pluginExists: (path: string) => boolean = existsSync,
): Promise<'buildx' | 'docker'> {
  if (choice === 'docker') return 'docker';
  if (pluginDirs().some((dir) => pluginExists(join(dir, 'docker-buildx')))) return 'buildx';
  if (choice === 'auto') return 'docker';
  const probe = await run('docker', ['buildx', 'version']).catch(() => undefined);
  if (probe?.exitCode !== 0) {
    throw new ConfigurationError(
      'Input "builder" is buildx, but "docker buildx" is not installed: add docker/setup-buildx-action before this step, or set builder: auto.',
    );
  }
  return 'buildx';
}
