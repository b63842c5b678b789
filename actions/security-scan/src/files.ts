import {
  closeSync,
  constants,
  lstatSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  realpathSync,
} from 'node:fs';
import { isAbsolute, join, relative, sep } from 'node:path';

import ignore, { type Ignore } from 'ignore';

import type { SourceFile } from './findings.js';
import { findRepository, runGit } from './git.js';

export const MAX_FILE_BYTES = 1024 * 1024;
const ALWAYS_SKIPPED = ['.git/', 'node_modules/'];

/**
 * The bytes of files whose `text` nobody has asked for yet: the secrets scanner searches these directly,
 * so a file without any rule keyword is never decoded. Dropped once the text is decoded.
 */
const pendingBytes = new WeakMap<SourceFile, Uint8Array>();

/** The file's UTF-8 bytes while its text is still undecoded (files from collectFiles only). */
export function undecodedBytes(file: SourceFile): Uint8Array | undefined {
  return pendingBytes.get(file);
}

/** A file whose text is decoded from `bytes` on first use. */
function lazyFile(path: string, bytes: Buffer): SourceFile {
  let text: string | undefined;
  const file: SourceFile = {
    path,
    get text(): string {
      if (text === undefined) {
        text = bytes.toString('utf8');
        pendingBytes.delete(file);
      }
      return text;
    },
  };
  pendingBytes.set(file, bytes);
  return file;
}

/**
 * Files are read straight into large shared blocks rather than one buffer per file: thousands of small
 * external buffers cost the garbage collector more than the reads, and nothing is copied. A block is
 * replaced when less than a largest file (plus the byte that tells a larger one) is left in it.
 */
class ByteArena {
  private static readonly BLOCK_BYTES = 8 * 1024 * 1024;
  private static readonly ROOM = MAX_FILE_BYTES + 1;
  private block = Buffer.allocUnsafeSlow(0);
  private used = 0;

  /** Free space for the next file: at least MAX_FILE_BYTES + 1 bytes. */
  room(): Buffer {
    if (this.block.length - this.used < ByteArena.ROOM) {
      this.block = Buffer.allocUnsafeSlow(ByteArena.BLOCK_BYTES);
      this.used = 0;
    }
    return this.block.subarray(this.used, this.used + ByteArena.ROOM);
  }

  /** Keeps the first `length` bytes of the last room() as a file's contents. */
  keep(length: number): Buffer {
    const kept = this.block.subarray(this.used, this.used + length);
    this.used += length;
    return kept;
  }
}

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

/** A directory walk that honours every .gitignore on the way, as git would. Lists regular files only. */
function walkFiles(root: string): string[] {
  const result: string[] = [];
  const visit = (relative: string, rules: { base: string; matcher: Ignore }[]): void => {
    const directory = join(root, relative);
    const entries = readdirSync(directory, { withFileTypes: true });
    let active = rules;
    // Only a regular file, as git does: a committed symlink could point at a pipe (a hang) or /dev/zero.
    // Looked up in the listing (not by a failing lstat per directory: an exception each costs more than the read).
    const gitignore = entries.find((entry) => entry.name === '.gitignore' && entry.isFile());
    if (gitignore) {
      const gitignorePath = join(directory, '.gitignore');
      if (lstatSync(gitignorePath).isFile() && lstatSync(gitignorePath).size <= MAX_FILE_BYTES) {
        active = [...rules, { base: relative, matcher: ignore().add(readFileSync(gitignorePath, 'utf8')) }];
      }
    }
    const ignored = (path: string, isDirectory: boolean): boolean =>
      active.some(({ base, matcher }) => {
        const inner = base === '' ? path : path.slice(base.length + 1);
        return matcher.ignores(isDirectory ? `${inner}/` : inner);
      });
    for (const entry of entries) {
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

/** No symlink at the last step, and a pipe or device swapped in since the listing cannot block the open. */
const READ_FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;

/**
 * Reads `path` into `target`: the byte count (target.length when the file is at least that long), or
 * undefined when it is not a regular file any more (gone, replaced by a link or a pipe).
 */
function readBounded(path: string, target: Buffer): number | undefined {
  let descriptor: number;
  try {
    descriptor = openSync(path, READ_FLAGS);
  } catch {
    return undefined;
  }
  try {
    let length = 0;
    for (;;) {
      const count = readSync(descriptor, target, length, target.length - length, null);
      if (count === 0) return length;
      length += count;
      if (length === target.length) return length;
    }
  } catch {
    return undefined; // EISDIR, EAGAIN on a pipe: not a regular file
  } finally {
    closeSync(descriptor);
  }
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
  const userIgnores = ignorePaths.length > 0 ? ignore().add([...ignorePaths]) : undefined;
  const files: SourceFile[] = [];
  const skipped: string[] = [];
  const arena = new ByteArena();
  for (const path of paths.sort()) {
    if (ALWAYS_SKIPPED.some((prefix) => path.startsWith(prefix) || path.includes(`/${prefix}`))) continue;
    if (userIgnores?.ignores(path)) continue;
    const absolute = join(root, path);
    // A listed path may be a symlink (outside the repository, or at a device): only regular files are
    // read. The walk lists regular files only; git lists links too.
    if (listed) {
      try {
        if (!lstatSync(absolute).isFile()) continue;
      } catch {
        continue; // deleted in the work tree but still in the index
      }
    }
    const room = arena.room();
    const length = readBounded(absolute, room);
    if (length === undefined) continue;
    if (length > MAX_FILE_BYTES || room.subarray(0, Math.min(length, 8000)).includes(0)) {
      skipped.push(path);
      continue;
    }
    files.push(lazyFile(path, arena.keep(length)));
  }
  return { files, skipped, source: listed ? 'git' : 'walk' };
}
