// build-push on a real rebuild: sample-app with one changed source line per run (so every run has a new
// digest), interleaved with the raw `docker build && docker push` of the same image, and the per-phase
// timings build-push prints as debug lines.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';

import { REPO_ROOT, runAction, type ActionRun } from '../tools/runner/run-action.js';
import type { LocalStack } from '../tools/runner/stack.js';
import { median } from './bench-row.js';

/** A temporary copy of sample-app whose one bench line changes before each build. */
export class SampleAppCopy {
  readonly dir: string;
  private readonly source: string;
  private readonly file: string;

  constructor() {
    this.dir = mkdtempSync(join(tmpdir(), 'bench-build-push-sample-'));
    // The committed sample-app, not the working tree (which someone may be editing).
    const archive = spawnSync('git', ['archive', '--format=tar', 'HEAD', 'sample-app'], { cwd: REPO_ROOT });
    const unpack = spawnSync('tar', ['-x', '-C', this.dir, '--strip-components=1'], {
      input: archive.stdout,
    });
    if (archive.status !== 0 || unpack.status !== 0) throw new Error('cannot copy sample-app from HEAD');
    this.file = join(this.dir, 'src', 'config.ts');
    this.source = readFileSync(this.file, 'utf8');
  }

  /** Changes the one bench line: the next build's source layer (and so its digest) is new. */
  change(label: string): void {
    writeFileSync(this.file, `${this.source}\nexport const BENCH_ROUND = '${label}';\n`);
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** docker with the bench's own DOCKER_CONFIG; a failed command fails the bench. */
export class Docker {
  private readonly binary: string;
  readonly env: NodeJS.ProcessEnv;

  constructor(stack: LocalStack, dockerConfig: string) {
    this.binary = join(stack.dockerBinDir, 'docker');
    this.env = { ...process.env, ...stack.env, DOCKER_CONFIG: dockerConfig };
  }

  run(args: string[], input?: string): string {
    const result = spawnSync(this.binary, args, { env: this.env, encoding: 'utf8', input });
    if (result.status !== 0) throw new Error(`docker ${args[0]} failed: ${result.stderr.slice(-300)}`);
    return result.stdout;
  }

  login(host: string, username: string, password: string): void {
    this.run(['login', '--username', username, '--password-stdin', host], password);
  }

  /** What a workflow writes by hand: build with every tag, then push them one after the other. */
  buildAndPush(context: string, image: string, tags: readonly string[], buildArgs: string[]): number {
    const started = performance.now();
    this.run([
      'build',
      '--network',
      'host',
      ...buildArgs,
      ...tags.flatMap((tag) => ['-t', `${image}:${tag}`]),
      context,
    ]);
    for (const tag of tags) this.run(['push', `${image}:${tag}`]);
    return performance.now() - started;
  }

  /** Removes every image carrying this OCI title label. */
  removeImages(title: string): void {
    const ids = this.run(['images', '-q', '--filter', `label=org.opencontainers.image.title=${title}`])
      .split('\n')
      .filter(Boolean);
    if (ids.length > 0) spawnSync(this.binary, ['image', 'rm', '-f', ...new Set(ids)], { env: this.env });
  }
}

/** A 40-hex sha unique to this bench run and `n` (its first 7 characters too: the sha-short tag). */
export function fakeSha(id: string, n: number): string {
  return createHash('sha1').update(`${id}-${n}`).digest('hex');
}

/** The phases build-push printed (`::debug::phase <kind> <label>: at X ms, took Y ms`). */
export function parsePhases(log: string): { label: string; atMs: number; tookMs: number }[] {
  const phases: { label: string; atMs: number; tookMs: number }[] = [];
  const seen = new Map<string, number>();
  for (const match of log.matchAll(/^::debug::phase (\w+ [^:]+): at (\d+) ms, took (\d+) ms$/gm)) {
    // Requests read alike whatever the repository and tag; repeated ones are numbered in order.
    const generic = match[1]!.replace(/\/v2\/.+\/(manifests|blobs|tags)\/.*$/, '/v2/<repo>/$1/<ref>');
    const count = (seen.get(generic) ?? 0) + 1;
    seen.set(generic, count);
    phases.push({ label: `${generic} #${count}`, atMs: Number(match[2]), tookMs: Number(match[3]) });
  }
  const start = /^::debug::phase step start: node and the bundle loaded in (\d+) ms$/m.exec(log);
  if (start) phases.unshift({ label: 'step start (node + bundle)', atMs: 0, tookMs: Number(start[1]) });
  const end = /^::debug::step: (\d+) ms since the process started$/m.exec(log);
  if (end) phases.push({ label: 'step end', atMs: Number(end[1]), tookMs: 0 });
  return phases;
}

/** Median start and duration per phase label over several runs, with how many times it ran per run. */
export function phaseTable(runs: readonly ActionRun[]): string[] {
  const byLabel = new Map<string, { at: number[]; took: number[]; count: number }>();
  for (const run of runs) {
    for (const phase of parsePhases(run.log)) {
      const entry = byLabel.get(phase.label) ?? { at: [], took: [], count: 0 };
      entry.at.push(phase.atMs);
      entry.took.push(phase.tookMs);
      entry.count++;
      byLabel.set(phase.label, entry);
    }
  }
  return [...byLabel]
    .sort((a, b) => median(a[1].at) - median(b[1].at))
    .map(
      ([label, entry]) =>
        `${label.padEnd(48)} x${(entry.count / runs.length).toFixed(1).padEnd(4)} at ${String(Math.round(median(entry.at))).padStart(5)} ms  took ${String(Math.round(median(entry.took))).padStart(5)} ms`,
    );
}

export interface ActionCall {
  inputs: Record<string, string>;
  env: Record<string, string>;
}

/**
 * runAction runs actions/<name>/dist/index.js and makes its folder with the name in the prefix: another
 * bundle is named by a path relative to actions/, whose folder part must exist under the temp folder.
 */
function otherBundleAction(bundle: string): string {
  const action = relative(join(REPO_ROOT, 'actions'), resolve(bundle, '..'));
  mkdirSync(join(tmpdir(), `shipkit-run-${dirname(action)}`), { recursive: true });
  return action;
}

/** Removes what otherBundleAction made in the temp folder. */
export function removeOtherBundleFolders(bundle: string | undefined): void {
  if (!bundle) return;
  const action = relative(join(REPO_ROOT, 'actions'), resolve(bundle, '..'));
  rmSync(join(tmpdir(), `shipkit-run-${action.split('/')[0]}`), { recursive: true, force: true });
}

/** One build-push run through the built bundle, as the runner runs it; a failure fails the bench. */
export async function timedAction(
  call: ActionCall,
  bundle?: string,
): Promise<{ ms: number; run: ActionRun }> {
  const action = bundle ? otherBundleAction(bundle) : 'build-push';
  const started = performance.now();
  const run = await runAction(action, { inputs: call.inputs, env: call.env });
  const ms = performance.now() - started;
  if (run.exitCode !== 0) throw new Error(`build-push failed: ${run.errors.join('; ')}`);
  return { ms, run };
}

/** A push event payload with the commit time, as the runner gives it (no `git show` needed). */
export function writeEventPayload(dir: string): string {
  const path = join(dir, 'event.json');
  writeFileSync(
    path,
    JSON.stringify({
      head_commit: { timestamp: '2026-11-29T08:00:00Z' },
      repository: { default_branch: 'main', html_url: 'https://github.com/shipkit/bench' },
    }),
  );
  return path;
}

/**
 * The ECS/ECR stand-in of this working tree as its own process (as the stack runs it, so its timers do not
 * share the bench's event loop, which spawnSync blocks), on the stack's registry; the shared stack's
 * instance runs whatever code it was started with.
 */
export async function startStandIn(stack: LocalStack): Promise<{ url: string; stop: () => Promise<void> }> {
  const child = spawn(
    process.execPath,
    ['--import', './scripts/ts-register.mjs', 'tools/local-aws/main.ts'],
    {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        LOCAL_AWS_PORT: '0',
        LOCAL_AWS_REGISTRY: stack.registry,
        LOCAL_AWS_REGISTRY_USERNAME: stack.registryUsername,
        LOCAL_AWS_REGISTRY_PASSWORD: stack.registryPassword,
        LOCAL_AWS_LOG: '0',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const match = /listening on (http:\/\/\S+)/.exec(out);
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`the stand-in exited (${code}) before listening`)));
  });
  return {
    url,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}
