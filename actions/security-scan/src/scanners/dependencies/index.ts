import type { Finding, SourceFile } from '../../findings.js';
import { vulnerabilityFinding } from './advisory.js';
import { lockedPackages } from './lockfiles/index.js';
import { DEFAULT_OSV_URL, type FetchLike, OsvClient } from './osv.js';
import type { LockedPackage } from './types.js';

export { isLockfile, lockedPackages } from './lockfiles/index.js';
export { DEFAULT_OSV_URL, OsvClient } from './osv.js';
export type { LockedPackage } from './types.js';

export interface DependencyScanOptions {
  /** OSV API base URL (default https://api.osv.dev). */
  osvUrl?: string;
  fetch?: FetchLike;
  timeoutMs?: number;
  sleep?: (ms: number) => Promise<void>;
  /** A client shared with the image scanner, so each vulnerability record is fetched once per run. */
  client?: OsvClient;
}

export interface DependencyScanResult {
  findings: Finding[];
  /** Lockfiles whose vulnerabilities could not be checked, with why. */
  unreachable: { file: string; reason: string }[];
  packagesChecked: number;
}

function packageKey(pkg: LockedPackage): string {
  return `${pkg.ecosystem}\0${pkg.name}\0${pkg.version}`;
}

/**
 * Findings for packages from OSV: one querybatch per 1,000 distinct packages, then each vulnerability's
 * record once. Throws when OSV cannot be reached or answers wrongly.
 */
export async function osvFindings(
  packages: readonly LockedPackage[],
  client: OsvClient,
  ruleId: 'dep-advisory' | 'dep-image-package',
): Promise<Finding[]> {
  const distinct = new Map<string, LockedPackage>();
  for (const pkg of packages) if (!distinct.has(packageKey(pkg))) distinct.set(packageKey(pkg), pkg);
  const queries = [...distinct.values()];
  const ids = await client.queryBatch(queries);
  const idsByPackage = new Map(queries.map((pkg, index) => [packageKey(pkg), ids[index]!]));
  const records = await client.vulnerabilities(ids.flat());
  const findings: Finding[] = [];
  const reported = new Set<string>();
  for (const pkg of packages) {
    for (const id of idsByPackage.get(packageKey(pkg)) ?? []) {
      const once = `${pkg.file}\0${packageKey(pkg)}\0${id}`;
      if (reported.has(once)) continue;
      reported.add(once);
      findings.push(vulnerabilityFinding(ruleId, pkg, records.get(id)!));
    }
  }
  return findings;
}

/** Known vulnerabilities of the packages every lockfile among `files` locks, from OSV. */
export async function scanDependencies(
  files: readonly SourceFile[],
  options: DependencyScanOptions = {},
): Promise<DependencyScanResult> {
  const { packages, lockfiles, unreadable } = lockedPackages(files);
  const result: DependencyScanResult = { findings: [], unreachable: [...unreadable], packagesChecked: 0 };
  if (packages.length === 0) return result;
  result.packagesChecked = new Set(packages.map(packageKey)).size;
  const client =
    options.client ??
    new OsvClient({
      url: options.osvUrl ?? DEFAULT_OSV_URL,
      ...(options.fetch ? { fetch: options.fetch } : {}),
      ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
      ...(options.sleep ? { sleep: options.sleep } : {}),
    });
  try {
    result.findings = await osvFindings(packages, client, 'dep-advisory');
  } catch (error: unknown) {
    const reason = error instanceof Error ? error.message : String(error);
    const checked = new Set(packages.map((pkg) => pkg.file));
    for (const file of lockfiles.filter((path) => checked.has(path)))
      result.unreachable.push({ file, reason });
  }
  return result;
}
