import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { withChecksum } from '../../actions/security-scan/src/secrets/fake.js';
import { type OsvRecord, type OsvStandIn, startOsvStandIn } from '../helpers/osv-stand-in.js';
import { REPO_ROOT, runAction } from '../helpers/run-action.js';

const FIXTURES = join(REPO_ROOT, 'test', 'fixtures', 'security-scan');
// Built at run time so no secret-shaped literal is committed anywhere in this repository; with a valid
// checksum, as GitHub issues them (a token failing it is reported low, as fake or altered).
const GITHUB_TOKEN = `ghp_${withChecksum(36)}`;
const AWS_KEY_ID = ['AKIA', 'J7RWXKQ3ZT5VNPLM'].join('');

interface SarifLog {
  version: string;
  $schema: string;
  runs: {
    tool: { driver: { name: string; rules: { id: string; shortDescription: { text: string } }[] } };
    results: {
      ruleId: string;
      ruleIndex: number;
      level: string;
      message: { text: string };
      locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[];
    }[];
  }[];
}

/** The fixture repository in a fresh git work tree, plus committed-looking secrets and a gitignored file. */
function fixtureRepo(): string {
  const root = mkdtempSync(join(tmpdir(), 'shipkit-scan-repo-'));
  cpSync(join(FIXTURES, 'repo'), root, { recursive: true });
  mkdirSync(join(root, 'config'));
  writeFileSync(
    join(root, 'config', 'settings.js'),
    `export const github = '${GITHUB_TOKEN}';\nexport const aws = '${AWS_KEY_ID}';\n`,
  );
  writeFileSync(join(root, '.env'), `NODE_ENV=production\nSESSION_SECRET=${GITHUB_TOKEN.slice(4, 24)}\n`);
  mkdirSync(join(root, 'build'));
  writeFileSync(join(root, 'build', 'bundle.js'), `eval(input); const k = '${AWS_KEY_ID}';\n`);
  execFileSync('git', ['init', '-q'], { cwd: root });
  execFileSync('git', ['add', '-A'], { cwd: root });
  return root;
}

describe('security-scan bundle', () => {
  let osv: OsvStandIn;
  let repo: string;

  beforeAll(async () => {
    osv = await startOsvStandIn(
      JSON.parse(readFileSync(join(FIXTURES, 'osv-records.json'), 'utf8')) as OsvRecord[],
    );
    repo = fixtureRepo();
  });
  afterAll(async () => {
    await osv.close();
    rmSync(repo, { recursive: true, force: true });
  });

  it('fails at fail-on high with annotations, outputs, a valid SARIF file and a summary; never prints a secret', async () => {
    const run = await runAction('security-scan', {
      cwd: repo,
      inputs: { path: '.', 'fail-on': 'high', 'osv-url': osv.url, 'sarif-file': 'reports/scan.sarif' },
    });
    expect(run.exitCode).toBe(1);
    expect(run.outputs).toMatchObject({
      critical: '3',
      high: '15',
      medium: '16',
      low: '4',
      total: '38',
      failed: 'true',
    });
    expect(run.outputs['sarif-file']).toBe(join(repo, 'reports', 'scan.sarif'));

    // Annotations carry file and line; severities map to error / warning / notice.
    expect(run.log).toContain('::error title=code-eval (high),file=src/app.js,line=7,col=18::');
    expect(run.log).toContain(
      '::error title=gha-untrusted-checkout (critical),file=.github/workflows/pr-target.yml,line=11::',
    );
    expect(run.log).toContain('::warning title=docker-unpinned-base (medium),file=Dockerfile,line=2::');
    expect(run.log).toContain('::notice title=docker-no-healthcheck (low),file=Dockerfile,line=10::');
    expect(run.log).toMatch(
      /::error title=secret-github \(critical\),file=config\/settings.js,line=1,col=\d+::.*ghp_\*\*\*/,
    );
    expect(run.errors.at(-1)).toMatch(
      /^38 finding\(s\): 3 critical, 15 high, 16 medium, 4 low \(1 suppressed\)\. Failing/,
    );

    // The dependency scanner asked OSV about the locked packages, and qs/lodash matched.
    expect(osv.batches[0]!.queries.map((query) => query.package.name).sort()).toEqual([
      'express',
      'lodash',
      'minimist',
      'qs',
    ]);
    expect(run.log).toContain(
      'file=package-lock.json,line=17::lodash@4.17.20 (npm): Command Injection in lodash (GHSA-35jh-r3h4-6jhm; rated high). Fixed in 4.17.21.',
    );

    const sarif = JSON.parse(readFileSync(run.outputs['sarif-file']!, 'utf8')) as SarifLog;
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.$schema).toMatch(/sarif-2\.1\.0/);
    const [sarifRun] = sarif.runs;
    expect(sarifRun!.results).toHaveLength(38);
    for (const result of sarifRun!.results) {
      expect(sarifRun!.tool.driver.rules[result.ruleIndex]!.id).toBe(result.ruleId);
      const location = result.locations[0]!.physicalLocation;
      expect(location.artifactLocation.uri).toMatch(/^[^/]/);
      expect(location.region.startLine).toBeGreaterThanOrEqual(1);
      expect(['error', 'warning', 'note']).toContain(result.level);
    }
    // The gitignored build output was not scanned.
    expect(
      sarifRun!.results.some((result) =>
        result.locations[0]!.physicalLocation.artifactLocation.uri.startsWith('build/'),
      ),
    ).toBe(false);

    expect(run.summary).toContain('## Security scan');
    expect(run.summary).toContain('❌ **Failed**');
    expect(run.summary).toContain('| 3 | 15 | 16 | 4 |');
    expect(run.summary).toMatch(/\| dependencies \| 0 \| 2 \| 1 \| 0 \|/);

    for (const text of [run.log, run.summary, readFileSync(run.outputs['sarif-file']!, 'utf8')]) {
      expect(text).not.toContain(GITHUB_TOKEN);
      expect(text).not.toContain(AWS_KEY_ID);
      expect(text).not.toContain(GITHUB_TOKEN.slice(4, 24));
    }
  });

  it('passes with fail-on none, and runs only the selected scanners', async () => {
    const before = osv.batches.length;
    const run = await runAction('security-scan', {
      cwd: repo,
      inputs: { scanners: 'dockerfile', 'fail-on': 'none', 'osv-url': osv.url, annotations: false },
    });
    expect(run.exitCode).toBe(0);
    expect(run.outputs).toMatchObject({
      critical: '0',
      high: '3',
      medium: '4',
      low: '3',
      total: '10',
      failed: 'false',
    });
    expect(run.log).not.toContain('::error title=');
    expect(run.log).toContain('[high] docker-root-user Dockerfile:10 The final stage sets no USER');
    expect(run.summary).toContain('✅ **Passed**');
    expect(osv.batches.length).toBe(before);
  });

  it('scans a sub-directory, reporting paths from the repository root', async () => {
    const run = await runAction('security-scan', {
      cwd: repo,
      inputs: { path: 'src', scanners: 'code', 'fail-on': 'critical' },
      // The SARIF file defaults to RUNNER_TEMP, inside the run's folder: keep it to read it.
      keepWorkDir: true,
    });
    let sarif: SarifLog;
    try {
      sarif = JSON.parse(readFileSync(run.outputs['sarif-file']!, 'utf8')) as SarifLog;
    } finally {
      rmSync(run.workDir, { recursive: true, force: true });
    }
    expect(run.exitCode).toBe(0);
    expect(run.outputs).toMatchObject({ high: '5', medium: '2', failed: 'false' });
    expect(run.log).toContain('::error title=code-eval (high),file=src/app.js,line=7,col=18::');
    expect(sarif.runs[0]!.results[0]!.locations[0]!.physicalLocation.artifactLocation.uri).toBe('src/app.js');
    expect(run.summary).toContain('`src/app.js:7`');
  });

  it('honours ignore entries (paths and rule ids) and the threshold', async () => {
    const run = await runAction('security-scan', {
      cwd: repo,
      inputs: {
        scanners: 'code,dockerfile',
        'fail-on': 'medium',
        ignore: 'src/app.js\ndocker-root-user, docker-secret-in-env\ndocker-curl-pipe-shell',
      },
    });
    expect(run.outputs).toMatchObject({ critical: '0', high: '0', medium: '3', low: '3', failed: 'true' });
    expect(run.exitCode).toBe(1);
    const passing = await runAction('security-scan', {
      cwd: repo,
      inputs: {
        scanners: 'code,dockerfile',
        'fail-on': 'high',
        ignore: 'src/app.js\ndocker-root-user, docker-secret-in-env\ndocker-curl-pipe-shell',
      },
    });
    expect(passing.exitCode).toBe(0);
  });

  it('warns and continues when OSV is unreachable, or fails when told to', async () => {
    const closed = createServer();
    await new Promise<void>((done) => closed.listen(0, '127.0.0.1', done));
    const deadUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise((done) => closed.close(done));

    const warned = await runAction('security-scan', {
      cwd: repo,
      inputs: { scanners: 'dependencies', 'osv-url': deadUrl },
    });
    expect(warned.exitCode).toBe(0);
    expect(warned.warnings.join('\n')).toMatch(
      /advisories for package-lock\.json were not checked: .*unreachable \(ECONNREFUSED\)/,
    );
    expect(warned.summary).toContain('were not checked');

    const failed = await runAction('security-scan', {
      cwd: repo,
      inputs: { scanners: 'dependencies', 'osv-url': deadUrl, 'on-registry-error': 'fail' },
    });
    expect(failed.exitCode).toBe(1);
    expect(failed.errors).toHaveLength(1);
    expect(failed.errors[0]).toMatch(/on-registry-error: fail/);
  }, 30_000);

  it('rejects a bad input with one ::error:: line naming it, and no stack trace', async () => {
    const run = await runAction('security-scan', { cwd: repo, inputs: { scanners: 'secrets,sast' } });
    expect(run.exitCode).toBe(1);
    expect(run.errors).toEqual([
      'Input "scanners" lists "sast"; use any of secrets, dockerfile, workflows, dependencies, code, python, image, live (or all).',
    ]);
    expect(run.log).not.toMatch(/at .*\.js:\d+/);
    const missing = await runAction('security-scan', { cwd: repo, inputs: { path: 'no/such/dir' } });
    expect(missing.errors).toEqual([
      'Input "path" must be a directory in the workspace, but "no/such/dir" is not one.',
    ]);
  });

  it('finds no critical or high issue in this repository (fixtures of known findings excluded)', async () => {
    const empty = await startOsvStandIn([]);
    try {
      const run = await runAction('security-scan', {
        inputs: {
          'fail-on': 'high',
          'osv-url': empty.url,
          ignore: 'test/fixtures/security-scan/**,actions/*/dist/**',
        },
      });
      const serious = run.log.split('\n').filter((line) => /^::error title=.*\((critical|high)\)/.test(line));
      expect(serious).toEqual([]);
      expect(run.outputs).toMatchObject({ critical: '0', high: '0', failed: 'false' });
      expect(run.exitCode).toBe(0);
    } finally {
      await empty.close();
    }
  });
});
