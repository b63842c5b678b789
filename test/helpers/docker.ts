// The docker CLI as tests and benchmarks drive it: the stack's client, a temporary DOCKER_CONFIG of
// their own (never ~/.docker), and test images built from the stack's base image.
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { LocalStack } from './stack.js';

export interface DockerRunOptions {
  /** Written to the command's stdin (a password for --password-stdin, a Dockerfile for `build -`). */
  input?: string;
  /** Extra environment for this command only (e.g. secrets passed by name with `--env NAME`). */
  env?: Record<string, string>;
  /** Kills the command after this long (default: the CLI's timeout, 0 = none). */
  timeoutMs?: number;
}

export interface DockerCli {
  /** Runs `docker <args>`; resolves to its trimmed stdout, rejects with its stderr in the message. */
  run: (args: string[], options?: DockerRunOptions) => Promise<string>;
  /** Logs in to `registry`, the password on stdin (never on the command line); resolves to the output. */
  login: (registry: string, username: string, password: string) => Promise<string>;
  /** The temporary DOCKER_CONFIG this CLI logs in to. */
  configDir: string;
  /**
   * Removes the image references this CLI made (`tag`, `build -t`, `pull`; never the stack's base image) and
   * the temporary DOCKER_CONFIG (and the credentials in it): a test run leaves no images behind.
   */
  dispose: () => void;
}

/** A docker CLI on the stack's client (Debian's 20.10, BuildKit on) with its own temporary DOCKER_CONFIG. */
export function dockerCli(stack: LocalStack, options: { name: string; timeoutMs?: number }): DockerCli {
  const configDir = mkdtempSync(join(tmpdir(), `${options.name}-docker-`));
  const binary = join(stack.dockerBinDir, 'docker');
  const madeReferences = new Set<string>();
  const run = (args: string[], runOptions: DockerRunOptions = {}): Promise<string> =>
    new Promise((resolve, reject) => {
      for (const reference of referencesMadeBy(args))
        if (reference !== stack.baseImage) madeReferences.add(reference);
      const child = execFile(
        binary,
        args,
        {
          env: { ...process.env, ...stack.env, DOCKER_CONFIG: configDir, ...runOptions.env },
          timeout: runOptions.timeoutMs ?? options.timeoutMs ?? 0,
          maxBuffer: 16 * 1024 * 1024,
        },
        (error, stdout, stderr) =>
          error
            ? reject(new Error(`docker ${args[0]} failed: ${error.message}\n${stderr}`))
            : resolve(stdout.trim()),
      );
      if (runOptions.input !== undefined) child.stdin?.end(runOptions.input);
    });
  return {
    run,
    login: (registry, username, password) =>
      run(['login', '--username', username, '--password-stdin', registry], { input: password }),
    configDir,
    dispose: () => {
      if (madeReferences.size > 0) {
        try {
          // --force untags an image that other tags still name; a reference already gone is not an error.
          execFileSync(binary, ['rmi', '--force', ...madeReferences], {
            env: { ...process.env, ...stack.env, DOCKER_CONFIG: configDir },
            stdio: 'ignore',
          });
        } catch {
          // Some were already removed by the test itself: the rest were removed all the same.
        }
        madeReferences.clear();
      }
      rmSync(configDir, { recursive: true, force: true });
    },
  };
}

/** The image references a docker command creates: `tag <src> <ref>`, `build -t/--tag <ref>`, `pull <ref>`. */
function referencesMadeBy(args: readonly string[]): string[] {
  const [command, ...rest] = args;
  if (command === 'tag' && rest.length >= 2) return [rest[rest.length - 1]!];
  if (command === 'pull' && rest.length >= 1) return [rest[rest.length - 1]!];
  if (command !== 'build') return [];
  const references: string[] = [];
  rest.forEach((arg, index) => {
    if ((arg === '-t' || arg === '--tag') && rest[index + 1]) references.push(rest[index + 1]!);
    else if (arg.startsWith('--tag=')) references.push(arg.slice('--tag='.length));
  });
  return references;
}

export interface TestImageBuild {
  /** The build context: a folder with a Dockerfile taking BASE_IMAGE and APP_VERSION build args. */
  context: string;
  tag: string;
  /** Baked into the image as APP_VERSION (what the app answers as its version). */
  appVersion: string;
  timeoutMs?: number;
}

/** Builds a test image from the stack's base image (--network host, as every build here). */
export async function buildTestImage(
  docker: DockerCli,
  stack: LocalStack,
  build: TestImageBuild,
): Promise<void> {
  await docker.run(
    [
      'build',
      '--network',
      'host',
      '--build-arg',
      `BASE_IMAGE=${stack.baseImage}`,
      '--build-arg',
      `APP_VERSION=${build.appVersion}`,
      '--tag',
      build.tag,
      build.context,
    ],
    build.timeoutMs !== undefined ? { timeoutMs: build.timeoutMs } : {},
  );
}

/** Pushes `tag` and returns the digest the registry stored (from `docker push`'s last line). */
export async function pushImage(docker: DockerCli, tag: string): Promise<string> {
  const pushed = await docker.run(['push', tag]);
  const digest = /digest: (sha256:[0-9a-f]{64})/.exec(pushed)?.[1];
  if (!digest) throw new Error(`docker push printed no digest for ${tag}: ${pushed.slice(-300)}`);
  return digest;
}
