import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import type { Finding, SourceFile } from '../../../actions/security-scan/src/findings.js';
import { findRepository, type Repository } from '../../../actions/security-scan/src/git.js';
import {
  AddedLinesParser,
  currentEventRange,
  type EventRange,
  eventRange,
  scanHistory,
  unquoteGitPath,
} from '../../../actions/security-scan/src/history.js';
import { toSarif } from '../../../actions/security-scan/src/sarif.js';
import { scanSecrets } from '../../../actions/security-scan/src/scanners/secrets.js';
import {
  AWS_KEY_ID,
  OTHER_AWS_KEY_ID,
  commit,
  git,
  newRepository,
  removeAll,
  temporaryDirectory,
} from '../../helpers/git-repos.js';

afterAll(removeAll);

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);
const C = 'c'.repeat(40);

/** A stand-in scanner: one finding per line holding TOKEN, so these tests do not depend on the secret rules. */
async function tokenLines(files: readonly SourceFile[]): Promise<Finding[]> {
  return Promise.resolve(
    files.flatMap((file) =>
      file.text.split('\n').flatMap((text, index) =>
        text.includes('TOKEN')
          ? [
              {
                ruleId: 'secret-test-token',
                severity: 'high' as const,
                category: 'secrets' as const,
                file: file.path,
                line: index + 1,
                message: `token: ${text.trim()}`,
                fix: 'rotate it',
              },
            ]
          : [],
      ),
    ),
  );
}

function range(base: string, head: string): EventRange {
  return { event: 'pull_request', include: [head], exclude: [base], noWalk: false };
}

describe('eventRange', () => {
  it('takes base..head of a pull request and before..after of a push', () => {
    expect(eventRange('pull_request', { pull_request: { base: { sha: A }, head: { sha: B } } })).toEqual({
      event: 'pull_request',
      include: [B],
      exclude: [A],
      noWalk: false,
    });
    expect(eventRange('push', { before: A, after: B })).toEqual({
      event: 'push',
      include: [B],
      exclude: [A],
      noWalk: false,
    });
  });

  it("takes a new branch's listed commits one by one, and nothing from a deleted branch", () => {
    const zero = '0'.repeat(40);
    expect(eventRange('push', { before: zero, after: C, commits: [{ id: A }, { id: C }] })).toEqual({
      event: 'push',
      include: [A, C],
      exclude: [],
      noWalk: true,
    });
    expect(eventRange('push', { before: zero, after: C, commits: [] })?.include).toEqual([C]);
    expect(eventRange('push', { before: A, after: zero, deleted: true })).toBeUndefined();
  });

  it('passes nothing but full hex SHAs to git, and ignores other events', () => {
    expect(eventRange('push', { before: '--output=/tmp/x', after: B })).toMatchObject({ exclude: [] });
    expect(eventRange('pull_request', { pull_request: { base: { sha: '-p' }, head: { sha: B } } })).toBe(
      undefined,
    );
    expect(eventRange('pull_request', { pull_request: { base: { sha: A }, head: { sha: 'HEAD' } } })).toBe(
      undefined,
    );
    expect(eventRange('workflow_dispatch', { before: A, after: B })).toBeUndefined();
    expect(eventRange('push', null)).toBeUndefined();
  });

  it('reads the payload GITHUB_EVENT_PATH names', () => {
    const directory = temporaryDirectory('shipkit-scan-event-');
    const path = join(directory, 'event.json');
    writeFileSync(path, JSON.stringify({ before: A, after: B }));
    expect(currentEventRange({ GITHUB_EVENT_NAME: 'push', GITHUB_EVENT_PATH: path })?.include).toEqual([B]);
    expect(currentEventRange({ GITHUB_EVENT_NAME: 'push' })).toBeUndefined();
    writeFileSync(path, '{not json');
    expect(currentEventRange({ GITHUB_EVENT_NAME: 'push', GITHUB_EVENT_PATH: path })).toBeUndefined();
  });
});

describe('AddedLinesParser', () => {
  it('counts lines from hunk headers, so content that looks like a header is still content', () => {
    const parser = new AddedLinesParser();
    const diff = [
      `\0${A}`,
      '',
      'diff --git a/x.txt b/x.txt',
      'index 1..2 100644',
      '--- a/x.txt',
      '+++ b/x.txt',
      '@@ -2,2 +2,3 @@ context',
      '--- a/not-a-header',
      '-old',
      '+++ b/not-a-header',
      '+@@ -1 +1 @@',
      '+line\rwith a carriage return',
      '\\ No newline at end of file',
      'diff --git a/gone.txt b/gone.txt',
      'deleted file mode 100644',
      '--- a/gone.txt',
      '+++ /dev/null',
      '@@ -1 +0,0 @@',
      '-bye',
      'diff --git "a/t\\303\\251st\\tfile" "b/t\\303\\251st\\tfile"',
      '--- /dev/null',
      '+++ "b/t\\303\\251st\\tfile"',
      '@@ -0,0 +7 @@',
      '+quoted',
      `\0${B}`,
      'diff --git a/x.txt b/x.txt',
      '--- a/x.txt',
      '+++ b/x.txt',
      '@@ -10,0 +11,1 @@',
      '+later',
    ];
    for (const line of diff) parser.push(line);
    expect(parser.added).toEqual([
      {
        commit: A,
        path: 'x.txt',
        lines: ['++ b/not-a-header', '@@ -1 +1 @@', 'line\rwith a carriage return'],
        lineNumbers: [2, 3, 4],
      },
      { commit: A, path: 'tést\tfile', lines: ['quoted'], lineNumbers: [7] },
      { commit: B, path: 'x.txt', lines: ['later'], lineNumbers: [11] },
    ]);
  });

  it('stops keeping lines past its byte limit', () => {
    const parser = new AddedLinesParser(10);
    for (const line of [`\0${A}`, '+++ b/f', '@@ -0,0 +1,3 @@', '+123456', '+123456', '+123456']) {
      parser.push(line);
    }
    expect(parser.truncated).toBe(true);
    expect(parser.added[0]!.lines).toEqual(['123456', '123456']);
  });

  it('unquotes git paths', () => {
    expect(unquoteGitPath('"a\\\\b\\"c\\n"')).toBe('a\\b"c\n');
    expect(unquoteGitPath('plain name')).toBe('plain name');
  });
});

describe('scanHistory', () => {
  let repo: string;
  let repository: Repository;
  let base: string;
  let added: string;
  let removed: string;

  beforeAll(() => {
    repo = newRepository('shipkit-scan-history-');
    base = commit(repo, 'base', {
      'src/config.js': 'export const region = "eu-west-1";\n',
      'services/api/app.js': 'export {};\n',
    });
    added = commit(repo, 'add a key', {
      'src/config.js': `export const region = "eu-west-1";\n\nexport const awsKeyId = '${AWS_KEY_ID}';\n`,
      'services/api/app.js': 'export const TOKEN = 1;\n',
    });
    removed = commit(repo, 'remove it again', {
      'src/config.js': 'export const region = "eu-west-1";\n',
    });
    repository = findRepository(repo)!;
  });

  it('reports a secret added then removed inside a pull request, at the commit, path and line that added it', async () => {
    const tree = await scanSecrets([{ path: 'src/config.js', text: 'export const region = "eu-west-1";\n' }]);
    expect(tree).toEqual([]);
    const result = await scanHistory({
      repository,
      root: repo,
      range: range(base, removed),
      scanner: scanSecrets,
      ignore: [],
    });
    expect(result.warnings).toEqual([]);
    expect(result.commitsScanned).toBe(2);
    expect(result.findings).toHaveLength(1);
    const [finding] = result.findings;
    expect(finding).toMatchObject({ file: 'src/config.js', line: 3, commit: added, category: 'secrets' });
    expect(finding!.message).toContain(`added in commit ${added.slice(0, 12)}, src/config.js:3 there`);
    expect(finding!.message).not.toContain(AWS_KEY_ID);

    const sarif = toSarif(result.findings, { toolVersion: '0', pathPrefix: '' }) as {
      runs: { results: { locations: { message?: { text: string }; properties?: { commit: string } }[] }[] }[];
    };
    const location = sarif.runs[0]!.results[0]!.locations[0]!;
    expect(location.message?.text).toBe(`In commit ${added}`);
    expect(location.properties?.commit).toBe(added);
  });

  it('reports paths relative to the scanned directory and leaves other directories out', async () => {
    const result = await scanHistory({
      repository,
      root: join(repo, 'services', 'api'),
      range: range(base, removed),
      scanner: tokenLines,
      ignore: [],
    });
    expect(result.findings.map((finding) => [finding.file, finding.line, finding.commit])).toEqual([
      ['app.js', 1, added],
    ]);
  });

  it('does not report again what the tree scan reported', async () => {
    const tree: Finding = {
      ruleId: 'secret-test-token',
      severity: 'high',
      category: 'secrets',
      file: 'services/api/app.js',
      line: 1,
      message: 'token: export const TOKEN = 1;',
      fix: 'rotate it',
    };
    const options = { repository, root: repo, range: range(base, removed), scanner: tokenLines, ignore: [] };
    expect((await scanHistory(options)).findings).toHaveLength(1);
    expect((await scanHistory({ ...options, treeFindings: [tree] })).findings).toEqual([]);
  });

  it('honours ignore entries (rule ids and paths) and inline shipkit-ignore comments', async () => {
    const options = { repository, root: repo, range: range(base, removed), scanner: tokenLines };
    const byRule = await scanHistory({ ...options, ignore: ['secret-test-token'] });
    expect(byRule.findings).toEqual([]);
    expect(byRule.suppressed.map((finding) => finding.line)).toEqual([1]);
    expect((await scanHistory({ ...options, ignore: ['services/**'] })).findings).toEqual([]);

    const commented = newRepository();
    const first = commit(commented, 'one', { 'a.js': '1\n' });
    const second = commit(commented, 'two', {
      'a.js': '1\n// shipkit-ignore: secret-test-token -- a test value\nconst TOKEN = 2;\nconst TOKEN = 3;\n',
    });
    const result = await scanHistory({
      repository: findRepository(commented)!,
      root: commented,
      range: range(first, second),
      scanner: tokenLines,
      ignore: [],
    });
    expect(result.findings.map((finding) => finding.line)).toEqual([4]);
    expect(result.suppressed.map((finding) => finding.line)).toEqual([3]);
  });

  it("scans a new branch's pushed commits one by one, oldest first", async () => {
    const result = await scanHistory({
      repository,
      root: repo,
      range: { event: 'push', include: [removed, added], exclude: [], noWalk: true },
      scanner: tokenLines,
      ignore: [],
    });
    expect(result.commitsScanned).toBe(2);
    expect(result.findings.map((finding) => finding.commit)).toEqual([added]);
  });

  it('says when it scanned only part of a long range', async () => {
    const result = await scanHistory({
      repository,
      root: repo,
      range: range(base, removed),
      scanner: tokenLines,
      ignore: [],
      maxCommits: 1,
    });
    expect(result.commitsScanned).toBe(1);
    expect(result.warnings).toEqual([
      'History scanned in part: this pull request has more than 1 commits; only the newest 1 were scanned.',
    ]);
  });

  describe('in a shallow clone', () => {
    let upstream: string;
    let tip: string;
    let start: string;

    beforeAll(() => {
      upstream = newRepository('shipkit-scan-upstream-');
      start = commit(upstream, 'start', { 'a.txt': 'a\n' });
      git(upstream, 'branch', 'start-branch');
      commit(upstream, 'key', { 'b.txt': `${OTHER_AWS_KEY_ID}\n` });
      tip = commit(upstream, 'no key', { 'b.txt': 'nothing\n' });
    });

    function clone(...args: string[]): Repository {
      const directory = temporaryDirectory('shipkit-scan-clone-');
      git(directory, 'clone', '-q', ...args, `file://${upstream}`, 'work');
      return findRepository(join(directory, 'work'))!;
    }

    it('says the base commit is missing and names fetch-depth: 0, finding nothing', async () => {
      const shallow = clone('--depth', '1');
      const result = await scanHistory({
        repository: shallow,
        root: shallow.workTree,
        range: range(start, tip),
        scanner: scanSecrets,
        ignore: [],
      });
      expect(result.findings).toEqual([]);
      expect(result.commitsScanned).toBe(0);
      expect(result.warnings).toEqual([
        `History not scanned: commit ${start.slice(0, 12)} of this pull request is not in the clone (a shallow checkout). Set fetch-depth: 0 on actions/checkout to scan the commits the pull request adds.`,
      ]);
    });

    it('names a force push as the other reason a push is missing its old tip', async () => {
      const shallow = clone('--depth', '1');
      const result = await scanHistory({
        repository: shallow,
        root: shallow.workTree,
        range: { event: 'push', include: [tip], exclude: [start], noWalk: false },
        scanner: scanSecrets,
        ignore: [],
      });
      expect(result.warnings).toEqual([
        `History not scanned: commit ${start.slice(0, 12)} of this push is not in the clone (a shallow checkout, or the old tip of a force push). Set fetch-depth: 0 on actions/checkout to scan the commits the push adds.`,
      ]);
    });

    it('says the range is cut at the shallow boundary when both ends are there but the commits between are not', async () => {
      const shallow = clone('--depth', '1', '--no-single-branch');
      const result = await scanHistory({
        repository: shallow,
        root: shallow.workTree,
        range: range(start, tip),
        scanner: scanSecrets,
        ignore: [],
      });
      expect(result.findings).toEqual([]);
      expect(result.warnings).toEqual([
        `History scanned in part: the clone is shallow and ends at commit ${tip.slice(0, 12)}; commits of this pull request before it were not scanned. Set fetch-depth: 0 on actions/checkout.`,
      ]);
    });

    it('finds the removed key with the full history (fetch-depth: 0)', async () => {
      const full = clone();
      const result = await scanHistory({
        repository: full,
        root: full.workTree,
        range: range(start, tip),
        scanner: scanSecrets,
        ignore: [],
      });
      expect(result.warnings).toEqual([]);
      expect(result.findings.map((finding) => [finding.file, finding.line])).toEqual([['b.txt', 1]]);
    });
  });
});
