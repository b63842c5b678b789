// security-scan's dependency and image scanners, run as the shipped bundle runs on a runner:
// - a 1,500-package lockfile set (this repository's package-lock.json plus generated requirements.txt,
//   Cargo.lock, go.mod and Gemfile.lock) checked against a local OSV stand-in (2 querybatch requests);
// - the sample app's image, built now on the stack's base image and pushed to the local registry under a bench
//   tag (removed after), read through the registry API, its packages checked against the same stand-in.
// Seconds (median of 3, including Node start-up) and peak RSS of the action's process.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { readStackEnv, requireStack } from '../tools/runner/stack.js';
import { type OsvRecord, type OsvStandIn, startOsvStandIn } from '../test/helpers/osv-stand-in.js';
import { type BenchRow, median } from './bench-row.js';
import { Docker } from './build-push-rebuild.js';

const ROOT = resolve(import.meta.dirname, '..');
const BUNDLE = join(ROOT, 'actions', 'security-scan', 'dist', 'index.js');
const ROUNDS = 3;
const TARGET_PACKAGES = 1500;

interface Run {
  seconds: number;
  /** User + system CPU of the action's process: the work's cost whatever else loads the machine. */
  cpuSeconds: number;
  rssMb: number;
  log: string;
}

/** Runs the bundle with a preload that records the process's own peak RSS when it exits. */
async function runBundle(cwd: string, inputs: Record<string, string>): Promise<Run> {
  const rssFile = join(cwd, `.rss-${Date.now()}`);
  const recorder = `data:text/javascript,process.on('exit',()=>{const u=process.resourceUsage();process.getBuiltinModule('node:fs').writeFileSync(${JSON.stringify(rssFile)},[u.maxRSS,u.userCPUTime+u.systemCPUTime].join(' '))})`;
  const env: NodeJS.ProcessEnv = { PATH: process.env['PATH'], GITHUB_WORKSPACE: cwd, RUNNER_TEMP: cwd };
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value;
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', recorder, BUNDLE], {
    cwd,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout.on('data', (chunk: Buffer) => (log += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (log += chunk.toString()));
  const status = await new Promise<number | null>((done) => child.on('close', done));
  const seconds = (performance.now() - started) / 1000;
  if (status !== 0) throw new Error(`the bundle exited ${String(status)}: ${log.slice(-400)}`);
  const [maxRss = 0, cpuMicros = 0] = readFileSync(rssFile, 'utf8').split(' ').map(Number);
  const rssMb = maxRss / 1024;
  const cpuSeconds = cpuMicros / 1e6;
  rmSync(rssFile, { force: true });
  return { seconds, cpuSeconds, rssMb, log };
}

async function rounds(run: () => Promise<Run>): Promise<Run> {
  const results: Run[] = [];
  for (let round = 0; round < ROUNDS; round++) results.push(await run());
  return {
    seconds: median(results.map((result) => result.seconds)),
    cpuSeconds: median(results.map((result) => result.cpuSeconds)),
    rssMb: Math.max(...results.map((result) => result.rssMb)),
    log: results.at(-1)!.log,
  };
}

/** Lockfiles of five kinds holding TARGET_PACKAGES distinct packages; returns how many of each. */
function writeLockfiles(root: string): Record<string, number> {
  const lock = readFileSync(join(ROOT, 'package-lock.json'), 'utf8');
  writeFileSync(join(root, 'package-lock.json'), lock);
  const npm = new Set(
    Object.entries((JSON.parse(lock) as { packages: Record<string, { version?: string }> }).packages)
      .filter(([key, entry]) => key.includes('node_modules/') && entry.version)
      .map(([key, entry]) => `${key.slice(key.lastIndexOf('node_modules/') + 13)}@${entry.version}`),
  ).size;
  const rest = TARGET_PACKAGES - npm;
  const share = Math.floor(rest / 4);
  const counts = { npm, pip: share, cargo: share, go: share, bundler: rest - 3 * share };
  const range = (count: number): number[] => Array.from({ length: count }, (_, index) => index);
  writeFileSync(
    join(root, 'requirements.txt'),
    range(counts.pip)
      .map((i) => `bench-py-${i}==1.0.${i}`)
      .join('\n'),
  );
  writeFileSync(
    join(root, 'Cargo.lock'),
    range(counts.cargo)
      .map(
        (i) =>
          `[[package]]\nname = "bench-crate-${i}"\nversion = "0.1.${i}"\nsource = "registry+https://github.com/rust-lang/crates.io-index"\n`,
      )
      .join('\n'),
  );
  writeFileSync(
    join(root, 'go.mod'),
    `module bench\n\ngo 1.22\n\nrequire (\n${range(counts.go)
      .map((i) => `\texample.com/bench/m${i} v1.0.${i}`)
      .join('\n')}\n)\n`,
  );
  writeFileSync(
    join(root, 'Gemfile.lock'),
    `GEM\n  remote: https://rubygems.org/\n  specs:\n${range(counts.bundler)
      .map((i) => `    bench-gem-${i} (1.0.${i})`)
      .join('\n')}\n\nPLATFORMS\n  ruby\n`,
  );
  return counts;
}

/** A vulnerability for every 50th generated Python package and for a few packages of this repository's lock. */
function records(): OsvRecord[] {
  const found: OsvRecord[] = Array.from({ length: 6 }, (_, k): OsvRecord => ({
    id: `BENCH-PY-${k}`,
    summary: 'bench record',
    severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N' }],
    affected: [
      {
        package: { ecosystem: 'PyPI', name: `bench-py-${k * 50}` },
        versions: [`1.0.${k * 50}`],
        ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '2.0' }] }],
      },
    ],
  }));
  return found;
}

/**
 * The sample app as it is now, built on the stack's current base (so its dpkg database is the one scanned)
 * and pushed under a bench tag; `remove` deletes the manifest and the local image afterwards.
 */
function buildSampleImage(work: string): { image: string; remove: () => Promise<void> } {
  const stack = requireStack();
  const docker = new Docker(stack, join(work, 'docker-config'));
  docker.login(stack.registry, stack.registryUsername, stack.registryPassword);
  const image = `${stack.registry}/shipkit-bench/sample-app:deps-${Date.now().toString(36)}`;
  docker.run([
    'build',
    '--network',
    'host',
    '--build-arg',
    `BASE_IMAGE=${stack.baseImage}`,
    '-t',
    image,
    join(ROOT, 'sample-app'),
  ]);
  docker.run(['push', image]);
  const remove = async (): Promise<void> => {
    const [repository, tag] = image.slice(stack.registry.length + 4).split(':') as [string, string];
    const auth = `Basic ${Buffer.from(`${stack.registryUsername}:${stack.registryPassword}`).toString('base64')}`;
    const manifests = `http://${stack.registry}/v2/${repository}/manifests`;
    const head = await fetch(`${manifests}/${tag}`, {
      method: 'HEAD',
      headers: { authorization: auth, accept: 'application/vnd.docker.distribution.manifest.v2+json' },
    });
    const digest = head.headers.get('docker-content-digest');
    if (digest) await fetch(`${manifests}/${digest}`, { method: 'DELETE', headers: { authorization: auth } });
    docker.run(['rmi', image]);
  };
  return { image, remove };
}

export default async function bench(): Promise<BenchRow[]> {
  const root = mkdtempSync(join(tmpdir(), 'shipkit-deps-bench-'));
  let osv: OsvStandIn | undefined;
  let removeImage: (() => Promise<void>) | undefined;
  try {
    const counts = writeLockfiles(root);
    osv = await startOsvStandIn(records());
    const lockfiles = await rounds(() =>
      runBundle(root, {
        scanners: 'dependencies',
        'fail-on': 'none',
        annotations: 'false',
        'osv-url': osv!.url,
      }),
    );
    const batches = osv.batches.length / ROUNDS;
    const rows: BenchRow[] = [
      {
        area: 'security-scan dependencies',
        metric: `lockfile set, ${TARGET_PACKAGES} packages (${Object.entries(counts)
          .map(([kind, n]) => `${kind} ${n}`)
          .join(', ')}), local OSV stand-in, ${batches} querybatch`,
        value: `${lockfiles.seconds.toFixed(2)} s (CPU ${lockfiles.cpuSeconds.toFixed(2)} s), peak RSS ${Math.round(lockfiles.rssMb)} MB`,
        target: 'one querybatch per 1,000 packages',
      },
    ];
    const env = readStackEnv();
    if (env['SHIPKIT_REGISTRY']) {
      const built = buildSampleImage(root);
      removeImage = built.remove;
      const { image } = built;
      const scanned = await rounds(() =>
        runBundle(root, {
          scanners: 'image',
          'fail-on': 'none',
          annotations: 'false',
          'osv-url': osv!.url,
          'allow-empty': 'true',
          image,
          'registry-username': env['SHIPKIT_REGISTRY_USERNAME']!,
          'registry-password': env['SHIPKIT_REGISTRY_PASSWORD']!,
        }),
      );
      const packages = /(\d+) package\(s\)/.exec(scanned.log)?.[1] ?? '?';
      const osPackages = /: (\d+) OS package\(s\)/.exec(scanned.log)?.[1] ?? '0';
      rows.push({
        area: 'security-scan image',
        metric: `sample-app image on the stack's base, read through the registry API (${packages} packages, ${osPackages} of them OS), local OSV stand-in`,
        value: `${scanned.seconds.toFixed(2)} s (CPU ${scanned.cpuSeconds.toFixed(2)} s), peak RSS ${Math.round(scanned.rssMb)} MB`,
        target: 'layers streamed, never written to disk',
      });
    }
    return rows;
  } finally {
    await removeImage?.();
    await osv?.close();
    rmSync(root, { recursive: true, force: true });
  }
}
