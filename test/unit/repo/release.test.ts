// npm run release on temporary clones of this repository: the checks stubbed through package.json (so a
// failing one can be staged), no network (a bare repository in the temp folder is the remote).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { jest } from '@jest/globals';

import { ownRefs } from '../../../scripts/release-lib.js';
import { REPO_ROOT } from '../../helpers/run-action.js';
import { pinProblems, repositoryUses } from './uses-refs.js';

// Child processes (git, npm, node) on a machine other tests load too: a ceiling, not a timing assertion.
jest.setTimeout(120_000);

const CHECKS = ['check-dist', 'lint', 'typecheck', 'test'] as const;
const IDENTITY = {
  GIT_AUTHOR_NAME: 'release test',
  GIT_AUTHOR_EMAIL: 'release@test.invalid',
  GIT_COMMITTER_NAME: 'release test',
  GIT_COMMITTER_EMAIL: 'release@test.invalid',
};
const CHANGELOG = `# Changelog

## [Unreleased]

### Fixed

- deploy-ecs waits for the right deployment.
`;

let tempRoot: string;
beforeAll(() => {
  tempRoot = mkdtempSync(join(tmpdir(), 'shipkit-release-test-'));
});
afterAll(() => rmSync(tempRoot, { recursive: true, force: true }));

let cloneCount = 0;
function git(cwd: string, args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, ...IDENTITY } }).trim();
}

/** A clone of HEAD whose checks are stubs that log their name, and `failing` one that exits 1. */
function cloneRepo(options: { failing?: (typeof CHECKS)[number]; changelog?: string } = {}): string {
  const dir = join(tempRoot, `clone-${++cloneCount}`);
  execFileSync('git', ['clone', '-q', REPO_ROOT, dir]);
  const packageJson = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  };
  for (const name of CHECKS) {
    packageJson.scripts[name] =
      name === options.failing ? `echo ${name} >> checks.log; exit 1` : `echo ${name} >> checks.log`;
  }
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify(packageJson, null, 2)}\n`);
  writeFileSync(join(dir, 'CHANGELOG.md'), options.changelog ?? CHANGELOG);
  writeFileSync(join(dir, '.git', 'info', 'exclude'), 'checks.log\n');
  git(dir, ['commit', '-q', '-am', 'test: stub checks']);
  return dir;
}

interface Run {
  status: number | null;
  output: string;
  errors: string[];
}

function release(cwd: string, ...args: string[]): Run {
  const env: Record<string, string | undefined> = { ...process.env, ...IDENTITY };
  delete env['GITHUB_TOKEN'];
  delete env['GH_TOKEN'];
  const result = spawnSync(
    process.execPath,
    [
      '--import',
      join(REPO_ROOT, 'scripts', 'ts-register.mjs'),
      join(REPO_ROOT, 'scripts', 'release.ts'),
      ...args,
    ],
    { cwd, env, encoding: 'utf8' },
  );
  const output = `${result.stdout}${result.stderr}`;
  return {
    status: result.status,
    output,
    errors: output.split('\n').filter((line) => line.startsWith('::error::')),
  };
}

const tagTarget = (cwd: string, tag: string): string => git(cwd, ['rev-parse', `${tag}^{commit}`]);
const checksRun = (cwd: string): string[] => readFileSync(join(cwd, 'checks.log'), 'utf8').trim().split('\n');
const read = (cwd: string, file: string): string => readFileSync(join(cwd, file), 'utf8');

describe('npm run release', () => {
  it('runs the checks, writes the changelog section, pins pipeline.yml to the tag, tags and moves v1, v1.2', () => {
    const dir = cloneRepo();
    const run = release(dir, '1.2.3', '--date', '2026-11-29');
    expect(run.errors).toEqual([]);
    expect(run.status).toBe(0);
    expect(checksRun(dir)).toEqual(['check-dist', 'lint', 'typecheck', 'test']);

    const head = git(dir, ['rev-parse', 'HEAD']);
    expect(git(dir, ['log', '-1', '--format=%s'])).toBe('Release v1.2.3');
    expect(tagTarget(dir, 'v1.2.3')).toBe(head);
    expect(tagTarget(dir, 'v1')).toBe(head);
    expect(tagTarget(dir, 'v1.2')).toBe(head);
    expect(git(dir, ['status', '--porcelain'])).toBe('');

    const changelog = read(dir, 'CHANGELOG.md');
    expect(changelog).toContain(
      '## [Unreleased]\n\n## [1.2.3] - 2026-11-29\n\n### Fixed\n\n- deploy-ecs waits for the right deployment.\n',
    );
    expect(changelog).toContain('[Unreleased]: https://github.com/shipkit/shipkit/compare/v1.2.3...HEAD');
    expect(changelog).toContain('[1.2.3]: https://github.com/shipkit/shipkit/releases/tag/v1.2.3');

    const pipeline = read(dir, '.github/workflows/pipeline.yml');
    const ownRefsInPipeline = [...pipeline.matchAll(/uses: shipkit\/shipkit\/actions\/([a-z-]+)@(\S+)/g)];
    // Each action once or more (deploy-ecs deploys and rolls back, security-scan scans the repo and the live app).
    expect([...new Set(ownRefsInPipeline.map((match) => match[1]))].sort()).toEqual([
      'build-push',
      'deploy-ecs',
      'security-scan',
      'wait-healthy',
    ]);
    expect(new Set(ownRefsInPipeline.map((match) => match[2]))).toEqual(new Set(['v1.2.3']));
    // The released tree passes the pin check that the repository's own test applies.
    expect(pinProblems(repositoryUses(dir), ownRefs(changelog))).toEqual([]);
    expect(run.output).toMatch(/GitHub release skipped/);
  });

  it('moves v1 to the next minor release, adds v1.3, leaves v1.2; a major release moves the README examples', () => {
    const dir = cloneRepo();
    expect(release(dir, '1.2.3', '--skip-tests').status).toBe(0);
    const first = git(dir, ['rev-parse', 'HEAD']);
    writeFileSync(
      join(dir, 'CHANGELOG.md'),
      read(dir, 'CHANGELOG.md').replace('## [Unreleased]\n', '## [Unreleased]\n\n### Added\n\n- more\n'),
    );
    git(dir, ['commit', '-q', '-am', 'notes']);

    const run = release(dir, '1.3.0', '--skip-tests', '--date', '2026-12-01');
    expect(run.errors).toEqual([]);
    const second = git(dir, ['rev-parse', 'HEAD']);
    expect(tagTarget(dir, 'v1')).toBe(second);
    expect(tagTarget(dir, 'v1.3')).toBe(second);
    expect(tagTarget(dir, 'v1.2')).toBe(first);
    expect(checksRun(dir)).not.toContain('test');
    const changelog = read(dir, 'CHANGELOG.md');
    expect(changelog).toContain('## [1.3.0] - 2026-12-01\n\n### Added\n\n- more\n\n## [1.2.3]');
    expect(changelog).toContain('[1.3.0]: https://github.com/shipkit/shipkit/compare/v1.2.3...v1.3.0');

    writeFileSync(
      join(dir, 'CHANGELOG.md'),
      read(dir, 'CHANGELOG.md').replace(
        '## [Unreleased]\n',
        '## [Unreleased]\n\n### Changed\n\n- breaking\n',
      ),
    );
    git(dir, ['commit', '-q', '-am', 'notes']);
    expect(release(dir, '2.0.0', '--skip-tests').status).toBe(0);
    expect(read(dir, 'README.md')).toMatch(/uses: shipkit\/shipkit\/\.github\/workflows\/pipeline\.yml@v2\n/);
    expect(read(dir, 'actions/deploy-ecs/README.md')).not.toMatch(
      /shipkit\/shipkit\/actions\/deploy-ecs@v1\b/,
    );
    expect(pinProblems(repositoryUses(dir), ownRefs(read(dir, 'CHANGELOG.md')))).toEqual([]);
  });

  it('with --push sends the branch, the tag and the moved tags to origin', () => {
    const remote = join(tempRoot, `remote-${++cloneCount}.git`);
    execFileSync('git', ['init', '-q', '--bare', remote]);
    const dir = cloneRepo();
    git(dir, ['remote', 'set-url', 'origin', remote]);
    const run = release(dir, '1.2.3', '--skip-tests', '--push');
    expect(run.errors).toEqual([]);
    const head = git(dir, ['rev-parse', 'HEAD']);
    const branch = git(dir, ['rev-parse', '--abbrev-ref', 'HEAD']);
    for (const ref of [
      `refs/heads/${branch}`,
      'refs/tags/v1.2.3^{commit}',
      'refs/tags/v1^{commit}',
      'refs/tags/v1.2^{commit}',
    ]) {
      expect(git(remote, ['rev-parse', ref])).toBe(head);
    }
    expect(run.output).toMatch(/GitHub release skipped: (`gh` is not installed|no GITHUB_TOKEN or GH_TOKEN)/);
  });

  describe('refuses, with one error line, tagging nothing', () => {
    function expectRefused(dir: string, run: Run, reason: RegExp): void {
      expect(run.status).toBe(1);
      expect(run.errors).toHaveLength(1);
      expect(run.errors[0]).toMatch(/^::error::release refused: /);
      expect(run.errors[0]).toMatch(reason);
      expect(run.output).not.toMatch(/\n\s+at /);
      expect(git(dir, ['tag', '--list'])).toBe('');
      expect(git(dir, ['log', '-1', '--format=%s'])).toBe('test: stub checks');
    }

    it('a dirty working tree', () => {
      const dir = cloneRepo();
      writeFileSync(join(dir, 'stray.txt'), 'not committed');
      expectRefused(dir, release(dir, '1.2.3'), /working tree is not clean \(stray\.txt\)/);
    });

    it('stale bundles, before running any other check', () => {
      const dir = cloneRepo({ failing: 'check-dist' });
      expectRefused(dir, release(dir, '1.2.3'), /bundles are stale.*npm run build/);
      expect(checksRun(dir)).toEqual(['check-dist']);
    });

    it('failing tests', () => {
      const dir = cloneRepo({ failing: 'test' });
      expectRefused(dir, release(dir, '1.2.3'), /the tests fail/);
      expect(read(dir, 'CHANGELOG.md')).toBe(CHANGELOG);
    });

    it('a version that is not one, or not after the last release', () => {
      const dir = cloneRepo({ changelog: `${CHANGELOG}\n## [1.4.0] - 2026-11-01\n\n- old\n` });
      expectRefused(dir, release(dir, '1.2'), /"1\.2" is not a version/);
      expectRefused(dir, release(dir, '1.3.9'), /1\.3\.9 is not after 1\.4\.0/);
    });

    it('an existing tag', () => {
      const dir = cloneRepo();
      git(dir, ['tag', 'v1.2.3']);
      const run = release(dir, '1.2.3');
      expect(run.status).toBe(1);
      expect(run.errors).toEqual(['::error::release refused: tag v1.2.3 exists already']);
    });

    it('nothing under [Unreleased]', () => {
      const dir = cloneRepo({
        changelog: '# Changelog\n\n## [Unreleased]\n\n## [1.0.0] - 2026-11-01\n\n- first\n',
      });
      expectRefused(dir, release(dir, '1.2.3'), /nothing under \[Unreleased\]/);
      expect(() => readFileSync(join(dir, 'checks.log'))).toThrow();
    });
  });
});
