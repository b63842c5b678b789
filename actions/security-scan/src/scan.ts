import { type Finding, type SourceFile, sortFindings } from './findings.js';
import { scanCodeFiles, type UnparsableFile } from './scanners/code.js';
import { type DependencyScanOptions, scanDependencies } from './scanners/dependencies/index.js';
import { scanDockerfiles } from './scanners/dockerfile.js';
import { scanPython } from './scanners/python/index.js';
import { scanSecrets } from './scanners/secrets.js';
import { scanWorkflows, type WorkflowScanOptions } from './scanners/workflows.js';
import { applySuppressions } from './suppress.js';

export const SCANNERS = ['secrets', 'dockerfile', 'workflows', 'dependencies', 'code', 'python'] as const;
export type Scanner = (typeof SCANNERS)[number];

export interface ScanOptions {
  scanners: readonly Scanner[];
  ignore: readonly string[];
  dependencies: DependencyScanOptions;
  workflows: WorkflowScanOptions;
}

export interface ScanResult {
  findings: Finding[];
  suppressed: Finding[];
  /** Why some dependency checks could not run (registry unreachable, bad lockfile). */
  unreachable: { file: string; reason: string }[];
  packagesChecked: number;
  /** JS/TS files the code scanner could not parse (for the summary and SARIF notifications). */
  unparsable: UnparsableFile[];
}

/** Runs the selected scanners over the files and applies suppressions; most severe findings first. */
export async function scan(files: readonly SourceFile[], options: ScanOptions): Promise<ScanResult> {
  const selected = new Set(options.scanners);
  const findings: Finding[] = [];
  let unreachable: ScanResult['unreachable'] = [];
  let packagesChecked = 0;
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
    const result = await scanDependencies(files, options.dependencies);
    findings.push(...result.findings);
    unreachable = result.unreachable;
    packagesChecked = result.packagesChecked;
  }
  const { kept, suppressed } = applySuppressions(findings, files, options.ignore);
  return { findings: sortFindings(kept), suppressed, unreachable, packagesChecked, unparsable };
}
