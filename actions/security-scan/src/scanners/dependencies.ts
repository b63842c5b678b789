import { satisfies, valid } from 'semver';

import { retry } from '../../../../shared/retry.js';
import type { Finding, Severity, SourceFile } from '../findings.js';
import { makeFinding } from '../rules.js';

export const DEFAULT_REGISTRY = 'https://registry.npmjs.org';

/** One advisory as the registry's bulk endpoint returns it (the shape `npm audit` consumes). */
export interface BulkAdvisory {
  id: number | string;
  url?: string;
  title?: string;
  severity?: string;
  vulnerable_versions?: string;
  cwe?: string[];
}
export type BulkResponse = Record<string, BulkAdvisory[] | undefined>;

export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

export interface DependencyScanOptions {
  registry?: string;
  /** Bearer token for a private registry; never logged. */
  token?: string;
  fetch?: FetchLike;
  timeoutMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

export interface DependencyScanResult {
  findings: Finding[];
  /** Lockfiles whose advisories could not be fetched, with why. */
  unreachable: { file: string; reason: string }[];
  packagesChecked: number;
}

export function isLockfile(path: string): boolean {
  return /(^|\/)(package-lock\.json|npm-shrinkwrap\.json)$/.test(path) && !/(^|\/)node_modules\//.test(path);
}

interface LockEntry {
  version?: string;
  name?: string;
  link?: boolean;
  dependencies?: Record<string, LockEntry>;
}

/** name -> installed versions, from a lockfile v2/v3 (`packages`) or v1 (`dependencies` tree). */
export function lockfilePackages(text: string): Map<string, Set<string>> {
  const lock = JSON.parse(text) as {
    packages?: Record<string, LockEntry>;
    dependencies?: Record<string, LockEntry>;
  };
  const packages = new Map<string, Set<string>>();
  const add = (name: string, version: string | undefined): void => {
    if (!name || !version || !valid(version)) return; // git/file/link deps have no registry version
    if (!packages.has(name)) packages.set(name, new Set());
    packages.get(name)!.add(version);
  };
  if (lock.packages) {
    for (const [key, entry] of Object.entries(lock.packages)) {
      if (key === '' || entry.link || !key.includes('node_modules/')) continue;
      add(entry.name ?? key.slice(key.lastIndexOf('node_modules/') + 'node_modules/'.length), entry.version);
    }
  } else if (lock.dependencies) {
    const walk = (dependencies: Record<string, LockEntry>): void => {
      for (const [name, entry] of Object.entries(dependencies)) {
        add(name, entry.version);
        if (entry.dependencies) walk(entry.dependencies);
      }
    };
    walk(lock.dependencies);
  }
  return packages;
}

const SEVERITY: Record<string, Severity> = {
  critical: 'critical',
  high: 'high',
  moderate: 'medium',
  medium: 'medium',
  low: 'low',
  info: 'low',
};

function advisoryId(advisory: BulkAdvisory): string {
  return /GHSA-[\w-]+/.exec(advisory.url ?? '')?.[0] ?? String(advisory.id);
}

/** The line where the lockfile declares `name` (v2/v3 key, else v1 key), for the annotation. */
function declarationLine(text: string, name: string): number {
  const escaped = name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  const match = new RegExp(`"(?:[^"]*node_modules/)?${escaped}"\\s*:\\s*\\{`).exec(text);
  return match ? text.slice(0, match.index).split('\n').length : 1;
}

/** Turns a bulk response into findings, keeping only advisories whose range covers an installed version. */
export function advisoryFindings(
  file: SourceFile,
  packages: ReadonlyMap<string, ReadonlySet<string>>,
  response: BulkResponse,
): Finding[] {
  const findings: Finding[] = [];
  for (const [name, advisories] of Object.entries(response)) {
    const versions = [...(packages.get(name) ?? [])];
    for (const advisory of advisories ?? []) {
      const range = advisory.vulnerable_versions ?? '*';
      const affected = versions.filter((version) => satisfies(version, range, { includePrerelease: true }));
      if (affected.length === 0) continue;
      const id = advisoryId(advisory);
      const severity = SEVERITY[(advisory.severity ?? 'high').toLowerCase()] ?? 'high';
      const message = `${name}@${affected.join(', ')}: ${advisory.title ?? 'vulnerability'} (${id}; vulnerable ${range}).`;
      findings.push(
        makeFinding('dep-advisory', file.path, declarationLine(file.text, name), message, {
          severity,
          fix: `Upgrade ${name} to a version outside ${range} (npm audit fix, or an "overrides" entry).${advisory.url ? ` See ${advisory.url}` : ''}`,
          aliases: [id, String(advisory.id)],
        }),
      );
    }
  }
  return findings;
}

class RetryableError extends Error {}

async function fetchAdvisories(
  packages: ReadonlyMap<string, ReadonlySet<string>>,
  options: DependencyScanOptions,
): Promise<BulkResponse> {
  const registry = (options.registry ?? DEFAULT_REGISTRY).replace(/\/+$/, '');
  const body = JSON.stringify(
    Object.fromEntries([...packages].map(([name, versions]) => [name, [...versions]])),
  );
  const fetcher = options.fetch ?? fetch;
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
  if (options.token) headers['authorization'] = `Bearer ${options.token}`;
  return retry(
    async () => {
      let response: Response;
      try {
        response = await fetcher(`${registry}/-/npm/v1/security/advisories/bulk`, {
          method: 'POST',
          headers,
          body,
          signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
        });
      } catch (error: unknown) {
        const cause = (error as { cause?: { code?: string } }).cause?.code;
        throw new RetryableError(`${registry} is unreachable (${cause ?? (error as Error).message})`);
      }
      if (response.status >= 500 || response.status === 429) {
        throw new RetryableError(`${registry} answered HTTP ${response.status}`);
      }
      if (response.status === 404 || response.status === 405) {
        // Mirrors and proxies often serve packages but not the audit endpoint.
        throw new Error(
          `${registry} answered HTTP ${response.status}: it does not serve the bulk advisory endpoint (set "registry" to one that does)`,
        );
      }
      if (!response.ok) throw new Error(`${registry} answered HTTP ${response.status} to the advisory query`);
      return (await response.json()) as BulkResponse;
    },
    {
      attempts: 3,
      minDelayMs: 500,
      maxDelayMs: 4000,
      isRetryable: (error) => error instanceof RetryableError,
      ...(options.sleep ? { sleep: options.sleep } : {}),
    },
  );
}

/** Known vulnerabilities of locked npm packages, from the registry's bulk advisory endpoint (as npm audit). */
export async function scanDependencies(
  files: readonly SourceFile[],
  options: DependencyScanOptions = {},
): Promise<DependencyScanResult> {
  const result: DependencyScanResult = { findings: [], unreachable: [], packagesChecked: 0 };
  for (const file of files.filter((candidate) => isLockfile(candidate.path))) {
    let packages: Map<string, Set<string>>;
    try {
      packages = lockfilePackages(file.text);
    } catch {
      result.unreachable.push({ file: file.path, reason: 'the lockfile is not valid JSON' });
      continue;
    }
    if (packages.size === 0) continue;
    result.packagesChecked += packages.size;
    try {
      result.findings.push(...advisoryFindings(file, packages, await fetchAdvisories(packages, options)));
    } catch (error: unknown) {
      result.unreachable.push({
        file: file.path,
        reason: error instanceof Error ? error.message : String(error),
      });
    }
  }
  return result;
}
