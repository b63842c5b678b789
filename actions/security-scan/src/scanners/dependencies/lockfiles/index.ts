import type { SourceFile } from '../../../findings.js';
import type { LockedPackage } from '../types.js';
import { goMod, goSum } from './go.js';
import { packageLock, pnpmLock, yarnLock } from './npm.js';
import { cargoLock, composerLock, gemfileLock, gradleLockfile, pomXml } from './others.js';
import { pipfileLock, poetryLock, requirementsTxt, uvLock } from './python.js';

type LockfileParser = (file: SourceFile) => LockedPackage[];

/** File name (last path segment) to its parser, in the order the README lists them. */
const PARSERS: readonly { matches: (name: string) => boolean; kind: string; parse: LockfileParser }[] = [
  {
    kind: 'npm',
    matches: (name) => name === 'package-lock.json' || name === 'npm-shrinkwrap.json',
    parse: packageLock,
  },
  { kind: 'pnpm', matches: (name) => name === 'pnpm-lock.yaml', parse: pnpmLock },
  { kind: 'yarn', matches: (name) => name === 'yarn.lock', parse: yarnLock },
  { kind: 'pip', matches: (name) => /^requirements.*\.txt$/.test(name), parse: requirementsTxt },
  { kind: 'poetry', matches: (name) => name === 'poetry.lock', parse: poetryLock },
  { kind: 'uv', matches: (name) => name === 'uv.lock', parse: uvLock },
  { kind: 'pipenv', matches: (name) => name === 'Pipfile.lock', parse: pipfileLock },
  { kind: 'go', matches: (name) => name === 'go.mod', parse: goMod },
  { kind: 'go', matches: (name) => name === 'go.sum', parse: goSum },
  { kind: 'cargo', matches: (name) => name === 'Cargo.lock', parse: cargoLock },
  { kind: 'maven', matches: (name) => name === 'pom.xml', parse: pomXml },
  { kind: 'gradle', matches: (name) => name === 'gradle.lockfile', parse: gradleLockfile },
  { kind: 'composer', matches: (name) => name === 'composer.lock', parse: composerLock },
  { kind: 'bundler', matches: (name) => name === 'Gemfile.lock', parse: gemfileLock },
];

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

function parserFor(path: string): (typeof PARSERS)[number] | undefined {
  if (/(^|\/)(node_modules|vendor|\.venv|venv)\//.test(path)) return undefined;
  return PARSERS.find((parser) => parser.matches(baseName(path)));
}

export function isLockfile(path: string): boolean {
  return parserFor(path) !== undefined;
}

/**
 * Packages the lockfiles among `files` lock, plus the files that could not be read. A go.sum is read only
 * where no go.mod stands beside it (go.sum keeps versions the build no longer selects).
 */
export function lockedPackages(files: readonly SourceFile[]): {
  packages: LockedPackage[];
  lockfiles: string[];
  unreadable: { file: string; reason: string }[];
} {
  const paths = new Set(files.map((file) => file.path));
  const packages: LockedPackage[] = [];
  const lockfiles: string[] = [];
  const unreadable: { file: string; reason: string }[] = [];
  for (const file of files) {
    const parser = parserFor(file.path);
    if (!parser) continue;
    if (baseName(file.path) === 'go.sum' && paths.has(file.path.replace(/go\.sum$/, 'go.mod'))) continue;
    lockfiles.push(file.path);
    try {
      packages.push(...parser.parse(file));
    } catch (error: unknown) {
      const detail = error instanceof Error ? error.message.split('\n')[0] : String(error);
      unreadable.push({
        file: file.path,
        reason: `the ${parser.kind} lockfile could not be parsed (${detail})`,
      });
    }
  }
  return { packages, lockfiles, unreadable };
}
