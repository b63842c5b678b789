import { lstatSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import { isAbsolute, join, relative, sep } from 'node:path';

import ignore, { type Ignore } from 'ignore';

import type { SourceFile } from './findings.js';
import { findRepository, runGit } from './git.js';

export const MAX_FILE_BYTES = 1024 * 1024;
const ALWAYS_SKIPPED = ['.git/', 'node_modules/'];

export interface CollectedFiles {
  files: SourceFile[];
  /** Files left out as binary or larger than MAX_FILE_BYTES. */
  skipped: string[];
  /** How the list was made: `git` (tracked + untracked, not ignored) or `walk` (honouring .gitignore files). */
  source: 'git' | 'walk';
}

/**
 * Tracked and untracked (not ignored) files under `root`, relative to it, listed by the repository that
 * holds the workspace with git pinned safe (see git.ts); undefined when there is no repository or git fails.
 */
function gitFiles(linkedRoot: string, workspace: string): string[] | undefined {
  const root = realpathSync(linkedRoot);
  const repository = findRepository(root, realpathSync(workspace));
  if (!repository) return undefined;
  const inside = relative(repository.workTree, root).split(sep).join('/');
  if (inside.startsWith('..') || isAbsolute(inside)) return undefined;
  try {
    const output = runGit(repository, [
      'ls-files',
      '-z',
      '--cached',
      '--others',
      '--exclude-standard',
      '--',
      ...(inside === '' ? [] : [inside]),
    ]);
    const prefix = inside === '' ? '' : `${inside}/`;
    const paths = output
      .split('\0')
      .filter((path) => path !== '' && path.startsWith(prefix))
      .map((path) => path.slice(prefix.length));
    return [...new Set(paths)];
  } catch {
    return undefined; // not a usable repository, or no git: walk instead
  }
}

/** A directory walk that honours every .gitignore on the way, as git would. */
function walkFiles(root: string): string[] {
  const result: string[] = [];
  const visit = (relative: string, rules: { base: string; matcher: Ignore }[]): void => {
    const directory = join(root, relative);
    let active = rules;
    try {
      // Only a regular file, as git does: a committed symlink could point at a pipe (a hang) or /dev/zero.
      const gitignorePath = join(directory, '.gitignore');
      if (lstatSync(gitignorePath).isFile() && lstatSync(gitignorePath).size <= MAX_FILE_BYTES) {
        active = [...rules, { base: relative, matcher: ignore().add(readFileSync(gitignorePath, 'utf8')) }];
      }
    } catch {
      // no .gitignore here
    }
    const ignored = (path: string, isDirectory: boolean): boolean =>
      active.some(({ base, matcher }) => {
        const inner = base === '' ? path : path.slice(base.length + 1);
        return matcher.ignores(isDirectory ? `${inner}/` : inner);
      });
    for (const entry of readdirSync(directory, { withFileTypes: true })) {
      const path = relative === '' ? entry.name : `${relative}/${entry.name}`;
      if (entry.isDirectory()) {
        if (ALWAYS_SKIPPED.includes(`${entry.name}/`) || ignored(path, true)) continue;
        visit(path, active);
      } else if (entry.isFile() && !ignored(path, false)) {
        result.push(path);
      }
    }
  };
  visit('', []);
  return result;
}

/**
 * The files a scan looks at: what git tracks or would track under `root` (so build output and
 * dependencies are left out as the repository says), minus `ignorePaths` (gitignore syntax). The
 * repository is the one holding `workspace` (default: `root`), never one that `root`'s content makes up.
 */
export function collectFiles(
  root: string,
  ignorePaths: readonly string[] = [],
  workspace: string = root,
): CollectedFiles {
  const listed = gitFiles(root, workspace);
  const paths = listed ?? walkFiles(root);
  const userIgnores = ignore().add([...ignorePaths]);
  const files: SourceFile[] = [];
  const skipped: string[] = [];
  for (const path of paths.sort()) {
    if (ALWAYS_SKIPPED.some((prefix) => path.startsWith(prefix) || path.includes(`/${prefix}`))) continue;
    if (userIgnores.ignores(path)) continue;
    const absolute = join(root, path);
    let size: number;
    try {
      // lstat: a symlink may point outside the repository (or at a device); only regular files are read.
      const stats = lstatSync(absolute);
      if (!stats.isFile()) continue;
      size = stats.size;
    } catch {
      continue; // deleted in the work tree but still in the index
    }
    if (size > MAX_FILE_BYTES) {
      skipped.push(path);
      continue;
    }
    const bytes = readFileSync(absolute);
    if (bytes.subarray(0, 8000).includes(0)) {
      skipped.push(path);
      continue;
    }
    files.push({ path, text: bytes.toString('utf8') });
  }
  return { files, skipped, source: listed ? 'git' : 'walk' };
}
