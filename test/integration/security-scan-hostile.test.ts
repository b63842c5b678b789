import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import {
  AWS_KEY_ID,
  commit,
  git,
  hostileRepository,
  newRepository,
  removeAll,
  temporaryDirectory,
} from '../helpers/git-repos.js';
import { runAction } from '../helpers/run-action.js';

/**
 * The security-scan bundle as the runner runs it, on content that fights back: a repository whose config
 * and committed files try to run programs, a workspace with nothing checked out, inputs pointing out of
 * the workspace or at kernel files, and a pull request that added a key and removed it again.
 */

afterAll(removeAll);

interface SarifResult {
  message: { text: string };
  locations: {
    physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } };
    message?: { text: string };
    properties?: { commit?: string };
  }[];
}

function readSarif(path: string): SarifResult[] {
  return (JSON.parse(readFileSync(path, 'utf8')) as { runs: { results: SarifResult[] }[] }).runs[0]!.results;
}

function eventFile(payload: unknown): string {
  const path = join(temporaryDirectory('shipkit-scan-event-'), 'event.json');
  writeFileSync(path, JSON.stringify(payload));
  return path;
}

describe('security-scan bundle on hostile content', () => {
  it('scans `path: app` of a repository that plants fsmonitor, hooks, filters, textconv and ssh: nothing runs, the key is reported', async () => {
    const hostile = hostileRepository();
    const run = await runAction('security-scan', {
      cwd: hostile.workspace,
      inputs: { path: 'app', scanners: 'secrets', 'fail-on': 'critical', 'sarif-file': 'out/scan.sarif' },
      env: {
        GITHUB_EVENT_NAME: 'push',
        GITHUB_EVENT_PATH: eventFile({ before: hostile.base, after: hostile.head }),
      },
    });
    expect(readdirSync(hostile.markers)).toEqual([]);
    expect(run.log).toContain('file(s) from git ls-files');
    expect(run.exitCode).toBe(1);
    expect(run.outputs['critical']).toBe('1');
    expect(run.log).toMatch(/::error title=secret-[\w-]+ \(critical\),file=app\/settings\.js,line=1/);
    // The key is in the tree, so history does not report it a second time.
    expect(run.log).toContain('1 commit(s) scanned, 0 secret(s) found only in history.');
    const results = readSarif(join(hostile.workspace, 'out', 'scan.sarif'));
    expect(results.map((result) => result.locations[0]!.physicalLocation.artifactLocation.uri)).toEqual([
      'app/settings.js',
    ]);
    expect(run.log).not.toContain(AWS_KEY_ID);
  });

  it('fails a scan of nothing (a job without checkout) unless allow-empty is set', async () => {
    const empty = temporaryDirectory('shipkit-scan-empty-');
    const run = await runAction('security-scan', { cwd: empty });
    expect(run.exitCode).toBe(1);
    expect(run.errors).toEqual([
      'No files to scan in "." (input "path"): did the job check out the repository? Set allow-empty: true to accept an empty scan.',
    ]);
    const allowed = await runAction('security-scan', { cwd: empty, inputs: { 'allow-empty': true } });
    expect(allowed.exitCode).toBe(0);
    expect(allowed.outputs).toMatchObject({ total: '0', failed: 'false' });
    const badBoolean = await runAction('security-scan', { cwd: empty, inputs: { 'allow-empty': 'maybe' } });
    expect(badBoolean.errors).toEqual(['Input "allow-empty" must be true or false, got "maybe".']);
  });

  it('refuses path and sarif-file values that leave the workspace or point at kernel files, before scanning', async () => {
    const workspace = temporaryDirectory('shipkit-scan-inputs-');
    writeFileSync(join(workspace, 'a.js'), 'export {};\n');
    mkdirSync(join(workspace, 'reports'));
    const cases: [Record<string, string>, RegExp][] = [
      [
        { path: '/etc' },
        /^Input "path" must be a directory in the workspace \(.*\), but "\/etc" is \/etc, outside it\.$/,
      ],
      [{ path: '../..' }, /^Input "path" must be a directory in the workspace .*outside it\.$/],
      [{ 'sarif-file': 'reports' }, /^Input "sarif-file" "reports" is a directory/],
      [
        { 'sarif-file': 'a.js/scan.sarif' },
        /^Input "sarif-file" "a\.js\/scan\.sarif" cannot be created: .*a\.js is a file/,
      ],
      [{ 'sarif-file': '/proc/self/fd/1' }, /^Input "sarif-file" "\/proc\/self\/fd\/1" is under \/proc/],
      [{ 'sarif-file': '/sys/x.sarif' }, /^Input "sarif-file" "\/sys\/x\.sarif" is under \/sys/],
    ];
    for (const [inputs, message] of cases) {
      const run = await runAction('security-scan', { cwd: workspace, inputs, timeoutMs: 30_000 });
      expect(run.signal).toBeNull();
      expect(run.exitCode).toBe(1);
      expect(run.errors).toHaveLength(1);
      expect(run.errors[0]).toMatch(message);
      expect(run.log).not.toContain('Collect files'); // refused before any scanning
      expect(run.log).not.toMatch(/EEXIST|at .*\.js:\d+/);
    }
  }, 120_000);

  it('reports a key a pull request added and removed, naming the commit, path and line', async () => {
    const repo = newRepository('shipkit-scan-pr-');
    const base = commit(repo, 'base', { 'src/app.js': 'export const port = 3000;\n' });
    const added = commit(repo, 'config', {
      'src/app.js': `export const port = 3000;\nexport const awsKeyId = '${AWS_KEY_ID}';\n`,
    });
    const head = commit(repo, 'oops', { 'src/app.js': 'export const port = 3000;\n' });
    const payload = { pull_request: { base: { sha: base }, head: { sha: head } } };
    const run = await runAction('security-scan', {
      cwd: repo,
      inputs: { scanners: 'secrets', 'sarif-file': 'scan.sarif' },
      env: { GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: eventFile(payload) },
    });
    expect(run.exitCode).toBe(1);
    expect(run.log).toContain('2 commit(s) scanned, 1 secret(s) found only in history.');
    expect(run.log).toMatch(
      new RegExp(
        `::error title=secret-[\\w-]+ \\(critical\\),file=src/app\\.js::.*added in commit ${added.slice(0, 12)}, src/app\\.js:2 there`,
      ),
    );
    const [result] = readSarif(join(repo, 'scan.sarif'));
    expect(result!.locations[0]!.physicalLocation.region.startLine).toBe(2);
    expect(result!.locations[0]!.message?.text).toBe(`In commit ${added}`);
    expect(result!.locations[0]!.properties?.commit).toBe(added);
    expect(run.log).not.toContain(AWS_KEY_ID);

    const off = await runAction('security-scan', {
      cwd: repo,
      inputs: { scanners: 'secrets', history: false },
      env: { GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: eventFile(payload) },
    });
    expect(off.exitCode).toBe(0);
    expect(off.outputs['total']).toBe('0');

    // A shallow checkout (actions/checkout's default fetch-depth: 1) lacks the base: a warning says what to set.
    const shallowParent = temporaryDirectory('shipkit-scan-shallow-');
    git(shallowParent, 'clone', '-q', '--depth', '1', `file://${repo}`, 'work');
    const shallow = await runAction('security-scan', {
      cwd: join(shallowParent, 'work'),
      inputs: { scanners: 'secrets' },
      env: { GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: eventFile(payload) },
    });
    expect(shallow.exitCode).toBe(0);
    expect(shallow.warnings).toEqual([
      `History not scanned: commit ${base.slice(0, 12)} of this pull request is not in the clone (a shallow checkout). Set fetch-depth: 0 on actions/checkout to scan the commits the pull request adds.`,
    ]);
  }, 120_000);
});
