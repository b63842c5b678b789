import { parse as parseToml } from 'smol-toml';

import type { SourceFile } from '../../../findings.js';
import { type LockedPackage, lineOfText } from '../types.js';

/** PEP 503 normalised name: how PyPI (and OSV) key packages. */
export function normalisePythonName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

function pypi(file: SourceFile, name: string, version: string, line?: number): LockedPackage {
  return {
    ecosystem: 'PyPI',
    name: normalisePythonName(name),
    version,
    file: file.path,
    line: line ?? lineOfText(file.text, `\nname = "${name}"`, `"${name}"`, name),
  };
}

/**
 * requirements*.txt: one requirement per logical line (pip's format). Only exact pins (`==`, `===`) name
 * an installed version; ranges, URLs, editables and options (-r, -c, --hash) are skipped.
 */
export function requirementsTxt(file: SourceFile): LockedPackage[] {
  const found: LockedPackage[] = [];
  const lines = file.text.split(/\r?\n/);
  for (let index = 0; index < lines.length; index++) {
    const lineNumber = index + 1;
    let logical = lines[index]!;
    while (logical.endsWith('\\') && index + 1 < lines.length)
      logical = logical.slice(0, -1) + lines[++index];
    const requirement = logical
      .replace(/(^|\s)#.*$/, '')
      .split(';')[0]!
      .trim();
    if (requirement === '' || requirement.startsWith('-')) continue;
    // name[extras] == version [--hash=...]
    const match = /^([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*===?\s*([^\s,;]+)\s*(?:--.*)?$/.exec(
      requirement,
    );
    if (match && !match[2]!.includes('*')) found.push(pypi(file, match[1]!, match[2]!, lineNumber));
  }
  return found;
}

interface TomlPackage {
  name?: unknown;
  version?: unknown;
  source?: unknown;
}

function tomlPackages(file: SourceFile): TomlPackage[] {
  const document = parseToml(file.text) as { package?: TomlPackage[] };
  return Array.isArray(document.package) ? document.package : [];
}

/** poetry.lock: `[[package]]` tables with name and version. */
export function poetryLock(file: SourceFile): LockedPackage[] {
  return tomlPackages(file)
    .filter((entry) => typeof entry.name === 'string' && typeof entry.version === 'string')
    .filter((entry) => {
      const source = entry.source as { type?: string } | undefined;
      return !source?.type || source.type === 'legacy'; // directory/git/url sources are not on PyPI
    })
    .map((entry) => pypi(file, entry.name as string, entry.version as string));
}

/** uv.lock: `[[package]]` tables; the project itself and local sources are not on PyPI. */
export function uvLock(file: SourceFile): LockedPackage[] {
  return tomlPackages(file)
    .filter((entry) => typeof entry.name === 'string' && typeof entry.version === 'string')
    .filter((entry) => {
      const source = entry.source as Record<string, unknown> | undefined;
      return source === undefined || 'registry' in source;
    })
    .map((entry) => pypi(file, entry.name as string, entry.version as string));
}

/** Pipfile.lock: `default` and `develop` maps of name to `{ version: "==1.2.3" }`. */
export function pipfileLock(file: SourceFile): LockedPackage[] {
  const lock = JSON.parse(file.text) as Record<string, Record<string, { version?: string }> | undefined>;
  const found: LockedPackage[] = [];
  for (const section of ['default', 'develop']) {
    for (const [name, entry] of Object.entries(lock[section] ?? {})) {
      const version = entry.version?.replace(/^===?/, '');
      if (version && entry.version!.startsWith('==')) found.push(pypi(file, name, version));
    }
  }
  return found;
}
