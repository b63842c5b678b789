// npm run package on a temporary clone of HEAD: the trees come from committed files only (a bundle that exists
// only in a working tree would not reach a user), and a clone missing a bundle fails naming it.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { jest } from '@jest/globals';

import { REPO_ROOT } from '../../helpers/run-action.js';
import { listActions, packageProblems } from '../../../scripts/package-lib.js';

// git clone and a Node child on a loaded machine: a ceiling, not a timing assertion.
jest.setTimeout(120_000);

const IDENTITY = {
  GIT_AUTHOR_NAME: 'shipkit test',
  GIT_AUTHOR_EMAIL: 'test@shipkit.invalid',
  GIT_COMMITTER_NAME: 'shipkit test',
  GIT_COMMITTER_EMAIL: 'test@shipkit.invalid',
};
let tempRoot: string;

beforeAll(() => {
  tempRoot = mkdtempSync(join(tmpdir(), 'shipkit-package-clone-'));
});
afterAll(() => rmSync(tempRoot, { recursive: true, force: true }));

function clone(name: string): string {
  const dir = join(tempRoot, name);
  execFileSync('git', ['clone', '-q', REPO_ROOT, dir]);
  return dir;
}

/** The package script, run in `cwd` as `npm run package -- --out <out> --ref v9.9.9` runs it. */
function runPackage(cwd: string, out: string): { status: number | null; output: string } {
  const result = spawnSync(
    process.execPath,
    [
      '--import',
      join(REPO_ROOT, 'scripts', 'ts-register.mjs'),
      join(REPO_ROOT, 'scripts', 'package.ts'),
      '--out',
      out,
      '--ref',
      'v9.9.9',
    ],
    { cwd, encoding: 'utf8', env: { ...process.env, ...IDENTITY } },
  );
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe('npm run package on a temporary clone', () => {
  it('writes one listable tree per action from the committed files', () => {
    const dir = clone('clean');
    const out = join(tempRoot, 'out-clean');
    const run = runPackage(dir, out);
    expect(run.output).not.toContain('::error::');
    expect(run.status).toBe(0);
    const actions = listActions(dir);
    expect(actions.sort()).toEqual(['build-push', 'deploy-ecs', 'security-scan', 'wait-healthy']);
    for (const action of actions) {
      const tree = join(out, action);
      expect(packageProblems(tree)).toEqual([]);
      expect(readdirSync(tree)).toEqual(
        expect.arrayContaining(['action.yml', 'dist', 'README.md', 'LICENSE']),
      );
      expect(existsSync(join(tree, '.github'))).toBe(false);
      // The committed bundle, byte for byte.
      // (Buffer.equals: jest's deep equality walks a multi-megabyte bundle byte by byte for minutes.)
      const packaged = readFileSync(join(tree, 'dist', 'index.js'));
      expect(packaged.equals(readFileSync(join(dir, 'actions', action, 'dist', 'index.js')))).toBe(true);
    }
  });

  it('fails, naming the action, when a clone lacks a committed bundle', () => {
    const dir = clone('no-bundle');
    execFileSync('git', ['rm', '-q', 'actions/wait-healthy/dist/index.js'], { cwd: dir });
    execFileSync('git', ['commit', '-q', '-m', 'test: drop a bundle'], {
      cwd: dir,
      env: { ...process.env, ...IDENTITY },
    });
    const run = runPackage(dir, join(tempRoot, 'out-no-bundle'));
    expect(run.status).toBe(1);
    expect(run.output).toMatch(/::error::wait-healthy: /);
    expect(run.output).not.toMatch(/::error::(build-push|deploy-ecs|security-scan): /);
  });
});
