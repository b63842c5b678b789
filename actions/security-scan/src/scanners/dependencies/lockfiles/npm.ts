import { parseSyml } from '@yarnpkg/parsers';
import { valid } from 'semver';
import { parse as parseYaml } from 'yaml';

import type { SourceFile } from '../../../findings.js';
import { type LockedPackage, lineOfText } from '../types.js';

interface LockEntry {
  version?: string;
  name?: string;
  link?: boolean;
  dependencies?: Record<string, LockEntry>;
}

function npmPackage(file: SourceFile, name: string, version: string | undefined): LockedPackage[] {
  // git/file/link dependencies have no registry version to look up.
  if (!name || !version || !valid(version)) return [];
  const line = lineOfText(file.text, `node_modules/${name}"`, `"${name}"`, `${name}@`, `/${name}/`);
  return [{ ecosystem: 'npm', name, version, file: file.path, line }];
}

/** package-lock.json / npm-shrinkwrap.json, v2/v3 (`packages`) or v1 (`dependencies` tree). */
export function packageLock(file: SourceFile): LockedPackage[] {
  const lock = JSON.parse(file.text) as {
    packages?: Record<string, LockEntry>;
    dependencies?: Record<string, LockEntry>;
  };
  const found: LockedPackage[] = [];
  if (lock.packages) {
    for (const [key, entry] of Object.entries(lock.packages)) {
      if (key === '' || entry.link || !key.includes('node_modules/')) continue;
      const name = entry.name ?? key.slice(key.lastIndexOf('node_modules/') + 'node_modules/'.length);
      found.push(...npmPackage(file, name, entry.version));
    }
  } else if (lock.dependencies) {
    const walk = (dependencies: Record<string, LockEntry>): void => {
      for (const [name, entry] of Object.entries(dependencies)) {
        found.push(...npmPackage(file, name, entry.version));
        if (entry.dependencies) walk(entry.dependencies);
      }
    };
    walk(lock.dependencies);
  }
  return found;
}

/** `name@version` with an optional leading `/`, peer suffix `(...)` (v6, v9) or `_peer` (v5: `/name/version`). */
function pnpmKey(key: string): { name: string; version: string } | undefined {
  const bare = key.replace(/^\//, '').replace(/\(.*$/, '');
  const at = bare.lastIndexOf('@');
  if (at > 0) return { name: bare.slice(0, at), version: bare.slice(at + 1).replace(/_.*$/, '') };
  const slash = bare.lastIndexOf('/');
  if (slash > 0) return { name: bare.slice(0, slash), version: bare.slice(slash + 1).replace(/_.*$/, '') };
  return undefined;
}

/** pnpm-lock.yaml, lockfile versions 5 to 9. */
export function pnpmLock(file: SourceFile): LockedPackage[] {
  const lock = parseYaml(file.text) as { packages?: Record<string, { name?: string; version?: string }> };
  const found: LockedPackage[] = [];
  for (const [key, entry] of Object.entries(lock.packages ?? {})) {
    const parsed = pnpmKey(key);
    const name = entry?.name ?? parsed?.name;
    const version = entry?.version ?? parsed?.version;
    if (name) found.push(...npmPackage(file, name, version));
  }
  return found;
}

/** The package name of a yarn descriptor: `lodash@^4`, `@scope/x@npm:^1`, `x@workspace:.`. */
function yarnName(descriptor: string): string {
  const at = descriptor.indexOf('@', 1);
  return at > 0 ? descriptor.slice(0, at) : descriptor;
}

/** yarn.lock, classic (v1) or berry (YAML), both read by yarn's own parser. */
export function yarnLock(file: SourceFile): LockedPackage[] {
  const lock = parseSyml(file.text) as Record<string, { version?: string; resolution?: string }>;
  const seen = new Set<string>();
  const found: LockedPackage[] = [];
  for (const [key, entry] of Object.entries(lock)) {
    if (key === '__metadata' || typeof entry !== 'object') continue;
    // Keys list every descriptor resolved to the same version: "a@^1, a@^1.2".
    const descriptor = key.split(',')[0]!.trim();
    if (/@(workspace|link|portal|file|patch):/.test(entry.resolution ?? descriptor)) continue;
    const name = yarnName(descriptor);
    const id = `${name}@${entry.version}`;
    if (seen.has(id)) continue;
    seen.add(id);
    found.push(...npmPackage(file, name, entry.version));
  }
  return found;
}
