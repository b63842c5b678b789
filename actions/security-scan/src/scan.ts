import { type Finding, type SourceFile, sortFindings } from './findings.js';
import { scanCodeFiles, type UnparsableFile } from './scanners/code.js';
import { type DependencyScanOptions, OsvClient, scanDependencies } from './scanners/dependencies/index.js';
import { scanDockerfiles } from './scanners/dockerfile.js';
import { describeImageScan, type ImageScanOptions, scanImage } from './scanners/image/index.js';
import { type LiveScanOptions, scanLive } from './scanners/live/index.js';
import { scanPython } from './scanners/python/index.js';
import { scanSecrets } from './scanners/secrets.js';
import { scanWorkflows, type WorkflowScanOptions } from './scanners/workflows.js';
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
  if (selected.has('dockerfile')) findings.push(...scanDockerfiles(files));
  if (selected.has('workflows')) findings.push(...scanWorkflows(files, options.workflows));
  let unparsable: UnparsableFile[] = [];
  if (selected.has('code')) {
    const code = scanCodeFiles(files);
    findings.push(...code.findings);
    unparsable = code.unparsable;
  }
  if (selected.has('python')) findings.push(...(await scanPython(files)));
  if (selected.has('dependencies')) {
    const result = await scanDependencies(files, { ...options.dependencies, client: osv });
    findings.push(...result.findings);
    unreachable = result.unreachable;
    packagesChecked = result.packagesChecked;
  }
  if (selected.has('image') && options.image?.image) {
    const dockerfile = files.find((file) => /(^|\/)Dockerfile$/.test(file.path));
    const result = await scanImage(options.image, osv, { path: dockerfile?.path ?? 'Dockerfile', line: 1 });
    findings.push(...result.findings);
    unreachable = [...unreachable, ...result.unreachable];
    packagesChecked += result.packages.length;
    imageReport = describeImageScan(options.image.image, result);
  }
  let liveUnreachable: ScanResult['liveUnreachable'] = [];
  if (selected.has('live') && options.live && options.live.urls.length > 0) {
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
    liveUnreachable,
  };
}
