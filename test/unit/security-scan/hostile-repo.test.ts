import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, lstatSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { collectFiles } from '../../../actions/security-scan/src/files.js';
import { findRepository, runGit } from '../../../actions/security-scan/src/git.js';
import { scanHistory } from '../../../actions/security-scan/src/history.js';
import { scanSecrets } from '../../../actions/security-scan/src/scanners/secrets.js';
import {
  AWS_KEY_ID,
  commit,
  git,
  hostileRepository,
  newRepository,
  removeAll,
} from '../../helpers/git-repos.js';

afterAll(removeAll);

/** git as a careless tool would run it: the repository's own config honoured. */
function plainGit(cwd: string, ...args: string[]): void {
  const identity = { GIT_AUTHOR_NAME: 'Test', GIT_AUTHOR_EMAIL: 'test@example.com' };
  spawnSync('git', args, {
    cwd,
    stdio: 'ignore',
    timeout: 30_000,
    env: { ...process.env, ...identity, GIT_COMMITTER_NAME: 'Test', GIT_COMMITTER_EMAIL: 'test@example.com' },
  });
}

describe('the planted programs are live (so the test below can fail)', () => {
  it('plain git runs each of them', () => {
    const { workspace, markers } = hostileRepository();
    plainGit(workspace, 'ls-files');
    plainGit(join(workspace, 'app'), 'ls-files');
    plainGit(workspace, 'log', '-p', '-1');
    plainGit(workspace, 'log', '-p', '--ext-diff', '-1');
    plainGit(workspace, 'ls-remote', 'ssh://git.invalid/repository');
    plainGit(workspace, 'commit', '-q', '--allow-empty', '-m', 'x');
    expect(readdirSync(markers).sort()).toEqual(
      expect.arrayContaining([
        'external-diff',
        'fsmonitor',
        'hook-pre-commit',
        'nested-fsmonitor',
        'smudge',
        'ssh',
        'textconv',
      ]),
    );
  });
});

describe('a hostile repository runs nothing, and its findings are still reported', () => {
  const hostile = hostileRepository();
  const { workspace, markers } = hostile;
  afterEach(() => {
    const ran = readdirSync(markers);
    for (const marker of ran) rmSync(join(markers, marker)); // each test stands on its own
    expect(ran).toEqual([]);
  });

  it('lists the whole workspace with git, without running anything', async () => {
    const collected = collectFiles(workspace);
    expect(collected.source).toBe('git');
    expect(collected.files.map((file) => file.path)).toEqual(
      expect.arrayContaining(['.gitattributes', 'README.md', 'app/HEAD', 'app/config', 'app/settings.js']),
    );
    const findings = await scanSecrets(collected.files);
    expect(findings.filter((finding) => finding.file === 'app/settings.js')).toHaveLength(1);
  });

  it('lists `path: app` (laid out as a repository) with the workspace repository, not as one of its own', async () => {
    const collected = collectFiles(join(workspace, 'app'), [], workspace);
    expect(collected.source).toBe('git');
    expect(collected.files.map((file) => file.path).sort()).toEqual([
      'HEAD',
      'config',
      'objects/info/.keep',
      'refs/heads/.keep',
      'settings.js',
    ]);
    const findings = await scanSecrets(collected.files);
    expect(findings.map((finding) => [finding.file, finding.line])).toEqual([['settings.js', 1]]);
  });

  it('finds the repository from .git entries only: app/ is never taken for one', () => {
    expect(findRepository(join(workspace, 'app'), workspace)).toEqual({
      gitDir: join(workspace, '.git'),
      workTree: workspace,
    });
    // Even asked from app/ itself with no trusted top above it, the lookup walks to the real .git.
    expect(findRepository(join(workspace, 'app'))?.workTree).toBe(workspace);
  });

  it('reads the history (log -p, rev-list, cat-file, config) without running anything', async () => {
    const repository = findRepository(workspace)!;
    const result = await scanHistory({
      repository,
      root: workspace,
      range: { event: 'push', include: [hostile.head], exclude: [hostile.base], noWalk: false },
      scanner: scanSecrets,
      ignore: [],
    });
    expect(result.warnings).toEqual([]);
    expect(result.findings.map((finding) => [finding.file, finding.line, finding.commit])).toEqual([
      ['app/settings.js', 1, hostile.head],
    ]);
    expect(runGit(repository, ['log', '-p', '-1', '--no-textconv', '--no-ext-diff'])).toContain(AWS_KEY_ID);
  });

  it('ignores git variables of the calling environment (GIT_DIR, GIT_CONFIG_PARAMETERS, GIT_EXTERNAL_DIFF)', () => {
    const saved = { ...process.env };
    try {
      process.env['GIT_DIR'] = join(workspace, 'app');
      process.env['GIT_EXTERNAL_DIFF'] = join(markers, 'never');
      process.env['GIT_CONFIG_PARAMETERS'] = `'core.fsmonitor'='touch ${join(markers, 'env-fsmonitor')}'`;
      expect(collectFiles(workspace).files.map((file) => file.path)).toContain('app/settings.js');
    } finally {
      for (const key of ['GIT_DIR', 'GIT_EXTERNAL_DIFF', 'GIT_CONFIG_PARAMETERS']) {
        if (saved[key] === undefined) delete process.env[key];
        else process.env[key] = saved[key];
      }
    }
  });

  it('plain git with GIT_CONFIG_PARAMETERS does honour it (the variable test above can fail)', () => {
    const other = hostileRepository();
    execFileSync('git', ['ls-files'], {
      cwd: other.workspace,
      stdio: 'ignore',
      env: {
        ...process.env,
        GIT_CONFIG_PARAMETERS: `'core.fsmonitor'='touch ${join(other.markers, 'env-fsmonitor')}'`,
      },
    });
    expect(readdirSync(other.markers)).toContain('env-fsmonitor');
  });
});

describe('a workspace owned by another user (a container job)', () => {
  // Without the global config (where actions/checkout records safe.directory), git's ownership check
  // would refuse the repository when found by discovery; naming GIT_DIR explicitly is not subject to it.
  const asRoot = process.getuid?.() === 0 ? it : it.skip;
  asRoot('is still listed with git', () => {
    const workspace = newRepository('shipkit-scan-owner-');
    commit(workspace, 'one', { 'a.js': 'export {};\n' });
    chownRecursive(workspace, 4321);
    const plain = spawnSync('git', ['ls-files'], {
      cwd: workspace,
      encoding: 'utf8',
      env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' },
    });
    expect(plain.stderr).toContain('dubious ownership');
    const collected = collectFiles(workspace);
    expect(collected.source).toBe('git');
    expect(collected.files.map((file) => file.path)).toEqual(['a.js']);
  });
});

function chownRecursive(path: string, uid: number): void {
  chownSync(path, uid, uid);
  if (!lstatSync(path).isDirectory()) return;
  for (const entry of readdirSync(path)) chownRecursive(join(path, entry), uid);
}

describe('a second checkout inside the workspace (actions/checkout with `path:`)', () => {
  it('is listed with its own repository, found from its .git directory or gitdir file', () => {
    const workspace = newRepository('shipkit-scan-outer-');
    commit(workspace, 'outer', { '.gitignore': 'other/\nlinked/\n', 'outer.js': 'export {};\n' });
    const other = join(workspace, 'other');
    git(workspace, 'init', '-q', 'other');
    commit(other, 'inner', { 'inner.js': 'export {};\n', 'lib/deep.js': 'export {};\n' });
    expect(collectFiles(other, [], workspace)).toMatchObject({ source: 'git' });
    expect(
      collectFiles(other, [], workspace)
        .files.map((file) => file.path)
        .sort(),
    ).toEqual(['inner.js', 'lib/deep.js']);

    // A submodule's checkout has a `.git` file pointing at the repository elsewhere.
    const linked = join(workspace, 'linked');
    mkdirSync(linked);
    writeFileSync(join(linked, '.git'), `gitdir: ${join(other, '.git')}\n`);
    writeFileSync(join(linked, 'inner.js'), 'export {};\n');
    expect(findRepository(linked, workspace)).toEqual({ gitDir: join(other, '.git'), workTree: linked });
    expect(collectFiles(linked, [], workspace).files.map((file) => file.path)).toEqual(['inner.js']);
  });
});
