// security-scan's code scanner alone, on real package sources: ~25 MB of .js copied from node_modules into a
// temp folder (removed after), scanned in a child process so its peak RSS is the scanner's own. Reports MB/s
// (median of 3 scans of the whole tree, file reading excluded; by CPU time and by wall time) and peak RSS.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { getHeapSpaceStatistics } from 'node:v8';

import type { BenchRow } from './bench-row.js';
import { median } from './bench-row.js';

const ROOT = resolve(import.meta.dirname, '..');
const TARGET_BYTES = 25 * 1024 * 1024;
const MAX_FILE_BYTES = 512 * 1024;

/** Copies .js files (not minified, not bundles over 512 KiB) from node_modules until ~25 MB, in a stable order. */
export function copyPackageSources(into: string): { files: number; bytes: number } {
  let bytes = 0;
  let files = 0;
  const visit = (directory: string): void => {
    for (const entry of readdirSync(directory, { withFileTypes: true }).sort((a, b) =>
      a.name.localeCompare(b.name),
    )) {
      if (bytes >= TARGET_BYTES) return;
      const path = join(directory, entry.name);
      if (entry.isDirectory()) visit(path);
      else if (entry.isFile() && entry.name.endsWith('.js') && !entry.name.endsWith('.min.js')) {
        const size = statSync(path).size;
        if (size > MAX_FILE_BYTES) continue;
        // Flattened out of node_modules/ (the scanner skips node_modules paths, as in a repository).
        const target = join(
          into,
          relative(join(ROOT, 'node_modules'), path).replaceAll('node_modules', 'nm'),
        );
        mkdirSync(join(target, '..'), { recursive: true });
        copyFileSync(path, target);
        bytes += size;
        files++;
      }
    }
  };
  visit(join(ROOT, 'node_modules'));
  return { files, bytes };
}

/** Child mode: read the tree, scan it three times, print figures as JSON. */
async function child(tree: string): Promise<void> {
  const { scanCodeFiles } = await import('../actions/security-scan/src/scanners/code.js');
  const files: { path: string; text: string }[] = [];
  const visit = (directory: string): void => {
    for (const entry of readdirSync(directory, { withFileTypes: true })) {
      const path = join(directory, entry.name);
      if (entry.isDirectory()) visit(path);
      else files.push({ path: relative(tree, path), text: readFileSync(path, 'utf8') });
    }
  };
  visit(tree);
  // What the process holds before the scanner runs: Node, the TypeScript loader, the input as strings.
  const rssBeforeScan = process.resourceUsage().maxRSS / 1024;
  const durations: number[] = [];
  const cpu: number[] = [];
  let result = scanCodeFiles([]);
  for (let round = 0; round < 3; round++) {
    const started = performance.now();
    const cpuStarted = process.cpuUsage();
    result = scanCodeFiles(files);
    const used = process.cpuUsage(cpuStarted);
    cpu.push((used.user + used.system) / 1000);
    durations.push(performance.now() - started);
  }
  const bytes = files.reduce((sum, file) => sum + Buffer.byteLength(file.text), 0);
  console.log(
    JSON.stringify({
      bytes,
      files: files.length,
      parsed: result.parsed,
      findings: result.findings.length,
      unparsable: result.unparsable.length,
      milliseconds: median(durations),
      cpuMilliseconds: median(cpu),
      rssMegabytes: process.resourceUsage().maxRSS / 1024,
      rssBeforeScanMegabytes: rssBeforeScan,
      // V8 grows its young generation with the survival rate (trees being built survive): up to 2 x 64 MB.
      youngGenerationMegabytes:
        (getHeapSpaceStatistics().find((space) => space.space_name === 'new_space')?.physical_space_size ??
          0) / 1e6,
      skipped: result.skipped.length,
    }),
  );
}

export default function bench(): Promise<BenchRow[]> {
  const tree = mkdtempSync(join(tmpdir(), 'shipkit-code-scan-bench-'));
  try {
    copyPackageSources(tree);
    const run = spawnSync(
      process.execPath,
      [
        '--import',
        join(ROOT, 'scripts', 'ts-register.mjs'),
        join(import.meta.dirname, 'code-scan.bench.ts'),
        tree,
      ],
      { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 },
    );
    if (run.status !== 0) throw new Error(`code scan bench child failed: ${run.stderr.slice(-400)}`);
    const figures = JSON.parse(run.stdout.trim().split('\n').at(-1)!) as {
      bytes: number;
      files: number;
      parsed: number;
      findings: number;
      unparsable: number;
      milliseconds: number;
      cpuMilliseconds: number;
      rssMegabytes: number;
      rssBeforeScanMegabytes: number;
      youngGenerationMegabytes: number;
      skipped: number;
    };
    const megabytes = figures.bytes / 1e6;
    return Promise.resolve([
      {
        area: 'security-scan',
        metric: `code scanner alone, ${megabytes.toFixed(1)} MB of package .js (${figures.files} files, ${figures.parsed} parsed, ${figures.skipped} skipped, median of 3)`,
        // CPU time is what the scanner costs; wall time also says how busy the machine was.
        value: `${(megabytes / (figures.cpuMilliseconds / 1000)).toFixed(1)} MB/s of CPU time, ${(megabytes / (figures.milliseconds / 1000)).toFixed(1)} MB/s wall (load average ${loadavg()[0]!.toFixed(1)})`,
        target: 'target >= 10 MB/s',
      },
      {
        area: 'security-scan',
        metric: `code scanner peak RSS (${figures.findings} findings, ${figures.unparsable} unparsable)`,
        value: `${Math.round(figures.rssMegabytes)} MB (${Math.round(figures.rssBeforeScanMegabytes)} MB before the scan: Node, TS loader, input as strings; V8 young generation ${Math.round(figures.youngGenerationMegabytes)} MB)`,
        target: 'target <= 200 MB',
      },
    ]);
  } finally {
    rmSync(tree, { recursive: true, force: true });
  }
}

if (import.meta.main && process.argv[2]) await child(process.argv[2]);
