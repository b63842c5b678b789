import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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

const HOOKS = [
  'pre-commit',
  'post-commit',
  'post-checkout',
  'post-index-change',
  'reference-transaction',
  'pre-auto-gc',
  'post-rewrite',
  'pre-push',
  'fsmonitor-watchman',
];

export interface Hostile {
  workspace: string;
  markers: string;
  base: string;
  head: string;
}

/**
 * A repository that tries every way git runs programs on its own: in the workspace's config (fsmonitor,
 * hooks in .git/hooks and in a core.hooksPath, sshCommand, a clean/smudge filter and a textconv driver that
 * the committed .gitattributes selects, an external diff, gpg for signatures), and a committed `app/`
 * laid out as a repository whose config has its own fsmonitor. Each program touches a marker file.
 */
export function hostileRepository(): Hostile {
  const workspace = newRepository('shipkit-scan-hostile-');
  const markers = temporaryDirectory('shipkit-scan-markers-');
  const touch = (name: string): string => `touch ${join(markers, name)}`;
  const base = commit(workspace, 'base', { 'README.md': 'hello\n' });
  const head = commit(workspace, 'app', {
    '.gitattributes': '* filter=evil diff=evil\n',
    'app/HEAD': 'ref: refs/heads/main\n',
    'app/config': `[core]\n\tfsmonitor = "${touch('nested-fsmonitor')}"\n\tbare = false\n\tworktree = .\n\trepositoryformatversion = 0\n`,
    'app/objects/info/.keep': '',
    'app/refs/heads/.keep': '',
    'app/settings.js': `export const awsKeyId = '${AWS_KEY_ID}';\n`,
  });
  const config = (key: string, value: string): void => void git(workspace, 'config', key, value);
  config('core.fsmonitor', touch('fsmonitor'));
  config('core.sshCommand', `${touch('ssh')}; false`);
  config('filter.evil.clean', `${touch('clean')}; cat`);
  config('filter.evil.smudge', `${touch('smudge')}; cat`);
  config('diff.evil.textconv', `${touch('textconv')}; cat`);
  config('diff.external', `${touch('external-diff')}; true`);
  config('log.showSignature', 'true');
  config('gpg.program', touch('gpg'));
  const hooksPath = join(workspace, '.git', 'other-hooks');
  config('core.hooksPath', hooksPath);
  for (const directory of [join(workspace, '.git', 'hooks'), hooksPath]) {
    mkdirSync(directory, { recursive: true });
    for (const hook of HOOKS) {
      writeFileSync(join(directory, hook), `#!/bin/sh\n${touch(`hook-${hook}`)}\n`);
      chmodSync(join(directory, hook), 0o755);
    }
  }
  return { workspace, markers, base, head };
}
