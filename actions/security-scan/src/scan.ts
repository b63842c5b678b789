import { type Finding, type SourceFile, sortFindings } from './findings.js';
import type { UnparsableFile } from './scanners/code.js';
import type { DependencyScanOptions } from './scanners/dependencies/index.js';
import { OsvClient } from './scanners/dependencies/osv.js';
import type { ImageScanOptions } from './scanners/image/index.js';
import type { LiveScanOptions } from './scanners/live/index.js';
import { scanSecrets } from './scanners/secrets.js';
import type { WorkflowScanOptions } from './scanners/workflows.js';
import { applySuppressions } from './suppress.js';

export const SCANNERS = [
  'secrets',
  'dockerfile',
  'workflows',
  'dependencies',
  'code',
  'python',
  'image',
  'live',
] as const;
export type Scanner = (typeof SCANNERS)[number];

export interface ScanOptions {
  scanners: readonly Scanner[];
  ignore: readonly string[];
  dependencies: DependencyScanOptions;
  workflows: WorkflowScanOptions;
  /** The built image to read through the registry API (the `image` scanner runs only with one). */
  image?: ImageScanOptions;
  /** Deployed URLs for the `live` scanner (it runs only with some). */
  live?: LiveScanOptions & { urls: readonly string[] };
}

export interface ScanResult {
  findings: Finding[];
  suppressed: Finding[];
  /** Why some dependency checks could not run (registry unreachable, bad lockfile). */
  unreachable: { file: string; reason: string }[];
  packagesChecked: number;
  /** What the image scan read (digest, OS and its packages), for the log. */
  imageReport?: string[];
  /** JS/TS files the code scanner could not parse (for the summary and SARIF notifications). */
  unparsable: UnparsableFile[];
  /** JS/TS files the code scanner did not read on purpose (minified, bundles, > 512 KiB), with the reason. */
  codeSkipped: UnparsableFile[];
  /** Live URLs that did not answer at all. */
  liveUnreachable: { url: string; reason: string }[];
}

/** Runs the selected scanners over the files and applies suppressions; most severe findings first. */
export async function scan(files: readonly SourceFile[], options: ScanOptions): Promise<ScanResult> {
  const selected = new Set(options.scanners);
  const findings: Finding[] = [];
  let unreachable: ScanResult['unreachable'] = [];
  let packagesChecked = 0;
  let imageReport: string[] | undefined;
  // One OSV client for lockfiles and image: each vulnerability record is fetched once per run.
  const osv =
    options.dependencies.client ??
    new OsvClient({
      ...(options.dependencies.osvUrl ? { url: options.dependencies.osvUrl } : {}),
      ...(options.dependencies.fetch ? { fetch: options.dependencies.fetch } : {}),
    });
  if (selected.has('secrets')) findings.push(...(await scanSecrets(files)));
  // Each scanner's module (and its parsers: Babel, YAML, tree-sitter, lockfile formats) is loaded only when
  // selected: loading them all costs a secrets-only run more than a quarter of a second.
  if (selected.has('dockerfile')) {
    const { scanDockerfiles } = await import('./scanners/dockerfile.js');
    findings.push(...scanDockerfiles(files));
  }
  if (selected.has('workflows')) {
    const { scanWorkflows } = await import('./scanners/workflows.js');
    findings.push(...scanWorkflows(files, options.workflows));
  }
  let unparsable: UnparsableFile[] = [];
  let codeSkipped: UnparsableFile[] = [];
  if (selected.has('code')) {
    const { scanCodeFiles } = await import('./scanners/code.js');
    const code = scanCodeFiles(files);
    findings.push(...code.findings);
    unparsable = code.unparsable;
    codeSkipped = code.skipped;
  }
  if (selected.has('python')) {
    const { scanPython } = await import('./scanners/python/index.js');
    findings.push(...(await scanPython(files)));
  }
  if (selected.has('dependencies')) {
    const { scanDependencies } = await import('./scanners/dependencies/index.js');
    const result = await scanDependencies(files, { ...options.dependencies, client: osv });
    findings.push(...result.findings);
    unreachable = result.unreachable;
    packagesChecked = result.packagesChecked;
  }
  if (selected.has('image') && options.image?.image) {
    const { describeImageScan, scanImage } = await import('./scanners/image/index.js');
    const dockerfile = files.find((file) => /(^|\/)Dockerfile$/.test(file.path));
    const result = await scanImage(options.image, osv, { path: dockerfile?.path ?? 'Dockerfile', line: 1 });
    findings.push(...result.findings);
    unreachable = [...unreachable, ...result.unreachable];
    packagesChecked += result.packages.length;
    imageReport = describeImageScan(options.image.image, result);
  }
  let liveUnreachable: ScanResult['liveUnreachable'] = [];
  if (selected.has('live') && options.live && options.live.urls.length > 0) {
    const { scanLive } = await import('./scanners/live/index.js');
    const result = await scanLive(options.live.urls, options.live);
    findings.push(...result.findings);
    liveUnreachable = result.unreachable;
  }
  const { kept, suppressed } = applySuppressions(findings, files, options.ignore);
  return {
    findings: sortFindings(kept),
    suppressed,
    unreachable,
    packagesChecked,
    ...(imageReport ? { imageReport } : {}),
    unparsable,
    codeSkipped,
    liveUnreachable,
  };
}
