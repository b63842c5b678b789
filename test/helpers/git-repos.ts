import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** Temporary git repositories for the security-scan tests; `removeAll()` in afterAll leaves nothing behind. */

const created: string[] = [];

// Built at run time so no secret-shaped literal is committed in this repository.
export const AWS_KEY_ID = ['AKIA', 'J7RWXKQ3ZT5VNPLM'].join('');
export const OTHER_AWS_KEY_ID = ['AKIA', 'Q4MZ7TXW2RBN6KPD'].join('');

export function temporaryDirectory(prefix: string): string {
  const directory = mkdtempSync(join(tmpdir(), prefix));
  created.push(directory);
  return directory;
}

export function removeAll(): void {
  for (const directory of created.splice(0)) rmSync(directory, { recursive: true, force: true });
}

/** Plain git for setting repositories up (the code under test runs its own, pinned-safe git). */
export function git(cwd: string, ...args: string[]): string {
  return execFileSync(
    'git',
    ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', '-c', 'commit.gpgsign=false', ...args],
    {
      cwd,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' },
    },
  );
}

export function writeFiles(root: string, files: Record<string, string>): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
}

/** A new repository with `main` checked out. */
export function newRepository(prefix = 'shipkit-scan-git-'): string {
  const root = temporaryDirectory(prefix);
  git(root, 'init', '-q', '-b', 'main');
  return root;
}

/** Writes (or, for `null`, deletes) files, commits everything, and returns the commit's SHA. */
export function commit(root: string, message: string, files: Record<string, string | null>): string {
  for (const [path, content] of Object.entries(files)) {
    if (content === null) rmSync(join(root, path));
    else writeFiles(root, { [path]: content });
  }
  git(root, 'add', '-A');
  git(root, 'commit', '-q', '--allow-empty', '-m', message);
  return git(root, 'rev-parse', 'HEAD').trim();
}
