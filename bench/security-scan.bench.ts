// security-scan throughput on real code: a ~25 MB tree of package sources copied from this repository's
// node_modules (JS/TS/JSON/Markdown/YAML, as a repository would hold them) into a temporary folder that is
// removed afterwards. Runs the shipped bundle as the runner does, secrets only and all scanners (OSV
// answered by a local stub), and the secretlint CLI on the same tree when one is installed
// (node_modules/.bin/secretlint or $SECRETLINT_BIN). Reports MB/s (median of 3, including Node start-up
// and reading the files) by wall clock and per CPU-second (user + system of the scan process: what the
// work costs, whatever else the machine runs), and peak RSS. Two more rows say where the time goes: the
// start-up alone (an empty workspace) and the code scanner alone.
import { spawn } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';

import { type BenchRow, median } from './bench-row.js';

const ROOT = resolve(import.meta.dirname, '..');
const BUNDLE = join(ROOT, 'actions', 'security-scan', 'dist', 'index.js');
const TARGET_BYTES = 25 * 1024 * 1024;
const MAX_FILE_BYTES = 1024 * 1024;
const SOURCE_FILE = /\.(?:[cm]?js|[cm]?ts|jsx|tsx|json|md|ya?ml)$/;
const ROUNDS = 3;

interface Tree {
  root: string;
  /** Stands in for the runner's temp folder (SARIF file, step summary). */
  runnerTemp: string;
  files: number;
  bytes: number;
}

/**
 * Copies package sources in a fixed (sorted) order until TARGET_BYTES: the same tree on every run of the
 * same lockfile. Paths keep their package layout under `packages/` (the scanner skips `node_modules/`).
 */
function copyPackageSources(): Tree {
  const root = mkdtempSync(join(tmpdir(), 'shipkit-scan-bench-'));
  const runnerTemp = mkdtempSync(join(tmpdir(), 'shipkit-scan-bench-runner-'));
  const source = join(ROOT, 'node_modules');
  let files = 0;
  let bytes = 0;
  const visit = (directory: string): void => {
    for (const entry of readdirSync(directory, { withFileTypes: true }).sort((a, b) =>
      a.name.localeCompare(b.name),
    )) {
      if (bytes >= TARGET_BYTES) return;
      const path = join(directory, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== '.bin' && entry.name !== '.cache') visit(path);
        continue;
      }
      if (!entry.isFile() || !SOURCE_FILE.test(entry.name)) continue;
      const size = statSync(path).size;
      if (size === 0 || size > MAX_FILE_BYTES) continue;
      const target = join(root, 'packages', relative(source, path).replaceAll('node_modules', 'deps'));
      mkdirSync(dirname(target), { recursive: true });
      copyFileSync(path, target);
      files++;
      bytes += size;
    }
  };
  visit(source);
  return { root, runnerTemp, files, bytes };
}

interface Run {
  seconds: number;
  /** User + system CPU time of the process: what the work costs, whatever else the machine runs. */
  cpuSeconds: number;
  rssMb: number;
}

/** Runs `node <args>` in `cwd` with a preload that records the process's own peak RSS when it exits. */
async function timedNode(
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
  expectStatus: (status: number | null) => boolean,
): Promise<Run> {
  const rssFile = join(tmpdir(), `shipkit-scan-bench-rss-${process.pid}-${Date.now()}`);
  const recorder = `data:text/javascript,process.on('exit',()=>{const u=process.resourceUsage();process.getBuiltinModule('node:fs').writeFileSync(${JSON.stringify(rssFile)},[u.maxRSS,u.userCPUTime+u.systemCPUTime].join(' '))})`;
  const started = performance.now();
  // Async: the OSV stub lives in this process and must keep answering while the scan runs.
  const child = spawn(process.execPath, ['--import', recorder, ...args], {
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
    env,
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-2000)));
  child.stderr.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-2000)));
  const status = await new Promise<number | null>((done) => child.on('close', done));
  const seconds = (performance.now() - started) / 1000;
  try {
    if (!expectStatus(status)) {
      console.error(output);
      throw new Error(`node ${args.at(-1) ?? ''} exited ${String(status)}`);
    }
    const [maxRss = 0, cpuMicros = 0] = readFileSync(rssFile, 'utf8').split(' ').map(Number);
    return { seconds, cpuSeconds: cpuMicros / 1e6, rssMb: maxRss / 1024 };
  } finally {
    rmSync(rssFile, { force: true });
  }
}

async function rounds(run: () => Promise<Run>): Promise<Run> {
  const results: Run[] = [];
  for (let round = 0; round < ROUNDS; round++) results.push(await run());
  return {
    seconds: median(results.map((result) => result.seconds)),
    cpuSeconds: median(results.map((result) => result.cpuSeconds)),
    rssMb: Math.max(...results.map((result) => result.rssMb)),
  };
}

function scanEnv(tree: Tree, scanners: string, osvUrl: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env['PATH'],
    GITHUB_WORKSPACE: tree.root,
    GITHUB_STEP_SUMMARY: join(tree.runnerTemp, 'summary.md'),
    // The SARIF file goes to RUNNER_TEMP: a folder of the bench's own, removed with the tree.
    RUNNER_TEMP: tree.runnerTemp,
    INPUT_SCANNERS: scanners,
    'INPUT_FAIL-ON': 'none',
    'INPUT_OSV-URL': osvUrl,
    INPUT_ANNOTATIONS: 'false',
    INPUT_HISTORY: 'false',
  };
}

function secretlintBin(): string | undefined {
  const candidates = [
    process.env['SECRETLINT_BIN'],
    join(ROOT, 'node_modules', 'secretlint', 'bin', 'secretlint.js'),
  ];
  return candidates.find(
    (candidate): candidate is string => candidate !== undefined && candidate !== '' && existsSync(candidate),
  );
}

/** Wall-clock MB/s, then MB per CPU-second (the figure that does not depend on the machine's other load). */
function mbPerSecond(tree: Tree, run: Run): string {
  const mb = tree.bytes / 1024 / 1024;
  return `${(mb / run.seconds).toFixed(1)} MB/s wall (${run.seconds.toFixed(2)} s), ${(mb / run.cpuSeconds).toFixed(1)} MB/s of CPU (${run.cpuSeconds.toFixed(2)} s)`;
}

export default async function bench(): Promise<BenchRow[]> {
  const osv = createServer((request, response) => {
    request.resume();
    request.on('end', () =>
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"results":[]}'),
    );
  });
  await new Promise<void>((done) => osv.listen(0, '127.0.0.1', done));
  const osvUrl = `http://127.0.0.1:${(osv.address() as AddressInfo).port}`;
  const tree = copyPackageSources();
  const summary = scanEnv(tree, '', '')['GITHUB_STEP_SUMMARY']!;
  const size = `${(tree.bytes / 1024 / 1024).toFixed(1)} MB, ${tree.files} files`;
  try {
    writeFileSync(summary, '');
    const scan = (scanners: string, root = tree.root): Promise<Run> =>
      rounds(() =>
        timedNode(
          [BUNDLE],
          root,
          { ...scanEnv({ ...tree, root }, scanners, osvUrl), 'INPUT_ALLOW-EMPTY': 'true' },
          (status) => status === 0,
        ),
      );
    const loadBefore = loadavg()[0]!;
    const secrets = await scan('secrets');
    const all = await scan('all');
    const code = await scan('code');
    const empty = mkdtempSync(join(tmpdir(), 'shipkit-scan-bench-empty-'));
    let startup: Run;
    try {
      startup = await scan('secrets', empty);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
    const rows: BenchRow[] = [
      {
        area: 'security-scan',
        metric: `secrets only, ${size} of package sources (median of ${ROUNDS}, incl. start-up)`,
        value: `${mbPerSecond(tree, secrets)}, peak RSS ${Math.round(secrets.rssMb)} MB`,
        target: 'target >= 50 MB/s, <= 200 MB',
      },
      {
        area: 'security-scan',
        metric: `all scanners, same tree (median of ${ROUNDS}, incl. start-up)`,
        value: `${mbPerSecond(tree, all)}, peak RSS ${Math.round(all.rssMb)} MB`,
        target: 'target >= 15 MB/s, <= 200 MB',
      },
    ];
    rows.push(
      {
        area: 'security-scan',
        metric: 'of which: code scanner alone, same tree',
        value: `${mbPerSecond(tree, code)}, peak RSS ${Math.round(code.rssMb)} MB`,
        target: 'what the all-scanners row spends in the code scanner',
      },
      {
        area: 'security-scan',
        metric: 'of which: start-up alone (Node, bundle, inputs, empty workspace)',
        value: `${startup.seconds.toFixed(2)} s wall, ${startup.cpuSeconds.toFixed(2)} s CPU, peak RSS ${Math.round(startup.rssMb)} MB`,
        target: 'a fixed cost inside every row above',
      },
    );
    rows.push({
      area: 'security-scan',
      metric: 'machine load average (1 min) before / after the scans',
      value: `${loadBefore.toFixed(1)} / ${loadavg()[0]!.toFixed(1)} on ${String(availableParallelism())} cores`,
      target: 'wall-clock MB/s shrinks with load; MB/s of CPU does not',
    });
    const bin = secretlintBin();
    if (bin) {
      // secretlint exits 1 when it finds something: both 0 and 1 are a completed run.
      writeFileSync(
        join(tree.root, '.secretlintrc.json'),
        JSON.stringify({ rules: [{ id: '@secretlint/secretlint-rule-preset-recommend' }] }),
      );
      const cli = await rounds(() =>
        timedNode(
          [bin, '**/*', '--format', 'json', '--no-color'],
          tree.root,
          { PATH: process.env['PATH'], NODE_PATH: join(dirname(bin), '..', '..') },
          (status) => status === 0 || status === 1,
        ),
      );
      rows.push({
        area: 'security-scan',
        metric: 'secretlint CLI (preset-recommend), same tree',
        value: `${mbPerSecond(tree, cli)}, peak RSS ${Math.round(cli.rssMb)} MB`,
        target: `shipkit secrets: ${(cli.seconds / secrets.seconds).toFixed(1)}x faster wall, ${(cli.cpuSeconds / secrets.cpuSeconds).toFixed(1)}x less CPU`,
      });
    } else {
      rows.push({
        area: 'security-scan',
        metric: 'secretlint CLI, same tree',
        value: 'not run: not installed',
        target: 'set SECRETLINT_BIN to a secretlint.js to compare',
      });
    }
    return rows;
  } finally {
    await new Promise((done) => osv.close(done));
    rmSync(tree.root, { recursive: true, force: true });
    rmSync(tree.runnerTemp, { recursive: true, force: true });
  }
}
