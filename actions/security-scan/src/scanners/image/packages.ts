import type { Ecosystem, LockedPackage } from '../dependencies/types.js';

/** RFC 822-style paragraphs (dpkg status, apk's installed database uses `K:value` lines instead). */
function paragraphs(text: string): Map<string, string>[] {
  return text
    .split(/\n\s*\n/)
    .map((block) => {
      const fields = new Map<string, string>();
      let last = '';
      for (const line of block.split('\n')) {
        if (/^\s/.test(line) && last) continue; // continuation lines (descriptions) are not needed
        const colon = line.indexOf(':');
        if (colon <= 0) continue;
        last = line.slice(0, colon);
        fields.set(last, line.slice(colon + 1).trim());
      }
      return fields;
    })
    .filter((fields) => fields.size > 0);
}

/**
 * `ID` and `VERSION_ID` of os-release(5) to OSV's ecosystem: `Debian:12`, `Alpine:v3.20`, `AlmaLinux:9`,
 * `Rocky Linux:9`, and for Ubuntu the release with `:LTS` when os-release's VERSION says it is one
 * (`Ubuntu:22.04:LTS`, `Ubuntu:24.10`).
 */
export function osEcosystem(osRelease: string | undefined): Ecosystem | undefined {
  if (!osRelease) return undefined;
  const fields = new Map(
    osRelease
      .split('\n')
      .map((line) => /^([A-Z_]+)=(.*)$/.exec(line.trim()))
      .filter((match): match is RegExpExecArray => match !== null)
      .map((match) => [match[1]!, match[2]!.replace(/^["']|["']$/g, '')]),
  );
  const version = fields.get('VERSION_ID');
  if (fields.get('ID') === 'debian' && version) return `Debian:${version.split('.')[0]}`;
  if (fields.get('ID') === 'ubuntu' && version)
    return `Ubuntu:${version}${/\bLTS\b/.test(fields.get('VERSION') ?? '') ? ':LTS' : ''}`;
  // RHEL rebuilds OSV covers, by major release.
  if (fields.get('ID') === 'almalinux' && version) return `AlmaLinux:${version.split('.')[0]}`;
  if (fields.get('ID') === 'rocky' && version) return `Rocky Linux:${version.split('.')[0]}`;
  if (fields.get('ID') === 'alpine' && version) return `Alpine:v${version.split('.').slice(0, 2).join('.')}`;
  return undefined;
}

/**
 * Installed Debian (and Ubuntu) packages, by source package (OSV's Debian and Ubuntu records name source
 * packages: libssl3 is `openssl`), with the binary package's version.
 */
export function dpkgPackages(text: string, ecosystem: Ecosystem, file: string): LockedPackage[] {
  const found = new Map<string, LockedPackage>();
  for (const fields of paragraphs(text)) {
    const name = fields.get('Package');
    const version = fields.get('Version');
    const status = fields.get('Status');
    if (!name || !version || (status !== undefined && !status.endsWith(' installed'))) continue;
    // "Source: openssl" or "Source: openssl (3.0.11-1~deb12u2)" when the source version differs.
    const source = /^(\S+)(?:\s+\(([^)]+)\))?$/.exec(fields.get('Source') ?? '');
    const packageName = source?.[1] ?? name;
    const packageVersion = source?.[2] ?? version;
    found.set(`${packageName}@${packageVersion}`, {
      ecosystem,
      name: packageName,
      version: packageVersion,
      file,
      line: 1,
    });
  }
  return [...found.values()];
}

/** Installed Alpine packages (`lib/apk/db/installed`), by origin (OSV's Alpine records name origins). */
export function apkPackages(text: string, ecosystem: Ecosystem, file: string): LockedPackage[] {
  const found = new Map<string, LockedPackage>();
  for (const block of text.split(/\n\s*\n/)) {
    const fields = new Map<string, string>();
    for (const line of block.split('\n')) if (/^[A-Za-z]:/.test(line)) fields.set(line[0]!, line.slice(2));
    const name = fields.get('o') ?? fields.get('P');
    const version = fields.get('V');
    if (name && version) found.set(`${name}@${version}`, { ecosystem, name, version, file, line: 1 });
  }
  return [...found.values()];
}

/** A `node_modules/<name>/package.json` as an npm package. */
export function nodePackage(text: string, file: string): LockedPackage | undefined {
  try {
    const manifest = JSON.parse(text) as { name?: unknown; version?: unknown };
    if (typeof manifest.name !== 'string' || typeof manifest.version !== 'string') return undefined;
    return { ecosystem: 'npm', name: manifest.name, version: manifest.version, file, line: 1 };
  } catch {
    return undefined;
  }
}

/** A `*.dist-info/METADATA` (core metadata: `Name:` and `Version:` headers) as a PyPI package. */
export function pythonDistribution(text: string, file: string): LockedPackage | undefined {
  const headers = paragraphs(text.split(/\n\s*\n/)[0] ?? '')[0];
  const name = headers?.get('Name');
  const version = headers?.get('Version');
  if (!name || !version) return undefined;
  return { ecosystem: 'PyPI', name: name.toLowerCase().replace(/[-_.]+/g, '-'), version, file, line: 1 };
}
