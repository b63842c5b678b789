import { XMLParser } from 'fast-xml-parser';
import { parse as parseToml } from 'smol-toml';

import type { SourceFile } from '../../../findings.js';
import { type LockedPackage, lineOfText } from '../types.js';

/** Cargo.lock: `[[package]]` tables; only crates from a registry (local workspace crates have no source). */
export function cargoLock(file: SourceFile): LockedPackage[] {
  const document = parseToml(file.text) as {
    package?: { name?: unknown; version?: unknown; source?: unknown }[];
  };
  return (document.package ?? [])
    .filter(
      (entry) =>
        typeof entry.name === 'string' &&
        typeof entry.version === 'string' &&
        typeof entry.source === 'string' &&
        entry.source.startsWith('registry+'),
    )
    .map((entry) => ({
      ecosystem: 'crates.io' as const,
      name: entry.name as string,
      version: entry.version as string,
      file: file.path,
      line: lineOfText(file.text, `\nname = "${entry.name as string}"`),
    }));
}

/** Composer versions are often tagged `v1.2.3`; Packagist's OSV records use `1.2.3`. */
function composerVersion(version: string): string {
  return /^v\d/.test(version) ? version.slice(1) : version;
}

/** composer.lock: `packages` and `packages-dev`; dev branches (`dev-main`) have no release to check. */
export function composerLock(file: SourceFile): LockedPackage[] {
  const lock = JSON.parse(file.text) as Record<string, { name?: string; version?: string }[] | undefined>;
  return [...(lock['packages'] ?? []), ...(lock['packages-dev'] ?? [])]
    .filter((entry) => entry.name && entry.version && !entry.version.startsWith('dev-'))
    .map((entry) => ({
      ecosystem: 'Packagist' as const,
      name: entry.name!,
      version: composerVersion(entry.version!),
      file: file.path,
      line: lineOfText(file.text, `"name": "${entry.name!}"`),
    }));
}

/**
 * Gemfile.lock: the `specs:` of GEM sections, gems at four spaces (`name (version[-platform])`), their
 * own dependencies at six. GIT and PATH sections are not on rubygems.org.
 */
export function gemfileLock(file: SourceFile): LockedPackage[] {
  const found: LockedPackage[] = [];
  let section = '';
  file.text.split(/\r?\n/).forEach((text, index) => {
    if (/^\S/.test(text)) {
      section = text.trim();
      return;
    }
    if (section !== 'GEM') return;
    const gem = /^ {4}([^\s(]+) \(([^)]+)\)$/.exec(text);
    if (!gem) return;
    // Platform gems: "nokogiri (1.16.2-x86_64-linux)"; a Gem version has no "-" otherwise.
    const version = gem[2]!.split('-')[0]!;
    found.push({ ecosystem: 'RubyGems', name: gem[1]!, version, file: file.path, line: index + 1 });
  });
  return found;
}

/** gradle.lockfile: `group:artifact:version=configurations`, one a line. */
export function gradleLockfile(file: SourceFile): LockedPackage[] {
  const found: LockedPackage[] = [];
  file.text.split(/\r?\n/).forEach((text, index) => {
    const coordinates = text.trim().split('=')[0]!;
    if (coordinates === '' || coordinates.startsWith('#') || coordinates === 'empty') return;
    const [group, artifact, version] = coordinates.split(':');
    if (!group || !artifact || !version) return;
    found.push({
      ecosystem: 'Maven',
      name: `${group}:${artifact}`,
      version,
      file: file.path,
      line: index + 1,
    });
  });
  return found;
}

interface PomDependency {
  groupId?: unknown;
  artifactId?: unknown;
  version?: unknown;
}

const pomParser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  isArray: (name) => name === 'dependency',
});

/**
 * pom.xml: dependencies (and dependencyManagement) with an explicit version, `${property}` resolved from the
 * pom's own properties. Ranges (`[1.0,2.0)`) and versions inherited from a parent pom are left out.
 */
export function pomXml(file: SourceFile): LockedPackage[] {
  const document = pomParser.parse(file.text) as {
    project?: {
      version?: unknown;
      properties?: Record<string, unknown>;
      dependencies?: { dependency?: PomDependency[] };
      dependencyManagement?: { dependencies?: { dependency?: PomDependency[] } };
    };
  };
  const project = document.project;
  if (!project) return [];
  const properties: Record<string, string> = {};
  for (const [key, value] of Object.entries(project.properties ?? {})) {
    if (typeof value === 'string' || typeof value === 'number') properties[key] = String(value);
  }
  if (typeof project.version === 'string') properties['project.version'] = project.version;
  const resolve = (value: string): string =>
    value.replace(/\$\{([^}]+)\}/g, (whole, key: string) => properties[key] ?? whole);
  const dependencies = [
    ...(project.dependencies?.dependency ?? []),
    ...(project.dependencyManagement?.dependencies?.dependency ?? []),
  ];
  const found: LockedPackage[] = [];
  for (const dependency of dependencies) {
    if (typeof dependency.groupId !== 'string' || typeof dependency.artifactId !== 'string') continue;
    if (typeof dependency.version !== 'string') continue;
    const version = resolve(dependency.version.trim());
    if (version.includes('${') || /^[[(]/.test(version)) continue;
    found.push({
      ecosystem: 'Maven',
      name: `${resolve(dependency.groupId.trim())}:${resolve(dependency.artifactId.trim())}`,
      version,
      file: file.path,
      line: lineOfText(file.text, `<artifactId>${dependency.artifactId}</artifactId>`),
    });
  }
  return found;
}
