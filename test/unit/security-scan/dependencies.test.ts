import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

import type { SourceFile } from '../../../actions/security-scan/src/findings.js';
import {
  isLockfile,
  lockedPackages,
  OsvClient,
  scanDependencies,
} from '../../../actions/security-scan/src/scanners/dependencies/index.js';
import { type OsvRecord, startOsvStandIn } from '../../helpers/osv-stand-in.js';

const WORKSPACE = join(
  resolve(import.meta.dirname, '..', '..', '..'),
  'test/fixtures/security-scan/ecosystems',
);
const RECORDS = JSON.parse(readFileSync(join(WORKSPACE, 'osv-records.json'), 'utf8')) as OsvRecord[];
const noSleep = (): Promise<void> => Promise.resolve();

function workspaceFiles(): SourceFile[] {
  return readdirSync(WORKSPACE)
    .filter((name) => name !== 'osv-records.json')
    .map((name) => ({ path: `ecosystems/${name}`, text: readFileSync(join(WORKSPACE, name), 'utf8') }));
}

const LOCK_V3 = JSON.stringify({
  lockfileVersion: 3,
  packages: {
    '': { name: 'app', version: '1.0.0' },
    'node_modules/lodash': { version: '4.17.20' },
    'node_modules/@scope/pkg': { version: '2.0.0' },
    'node_modules/a/node_modules/lodash': { version: '4.17.21' },
    'node_modules/aliased': { name: 'real-name', version: '1.0.0' },
    'node_modules/linked': { link: true },
    'node_modules/from-git': { version: 'git+https://example.com/x.git' },
    'packages/workspace': { version: '0.0.1' },
  },
});

describe('lockfiles', () => {
  it('recognises every supported lockfile, not vendored copies', () => {
    for (const path of ['package-lock.json', 'web/npm-shrinkwrap.json', 'pnpm-lock.yaml', 'yarn.lock']) {
      expect(isLockfile(path)).toBe(true);
    }
    for (const path of [
      'requirements-dev.txt',
      'poetry.lock',
      'uv.lock',
      'Pipfile.lock',
      'go.mod',
      'go.sum',
    ]) {
      expect(isLockfile(path)).toBe(true);
    }
    for (const path of ['Cargo.lock', 'pom.xml', 'gradle.lockfile', 'composer.lock', 'Gemfile.lock']) {
      expect(isLockfile(path)).toBe(true);
    }
    for (const path of [
      'node_modules/x/package-lock.json',
      'vendor/a/composer.lock',
      'package.json',
      'Pipfile',
    ]) {
      expect(isLockfile(path)).toBe(false);
    }
  });

  it('reads npm v3 lockfiles: nested, scoped and aliased packages; no links, git deps or workspaces', () => {
    const { packages } = lockedPackages([{ path: 'package-lock.json', text: LOCK_V3 }]);
    expect(packages.map((pkg) => `${pkg.name}@${pkg.version}`).sort()).toEqual([
      '@scope/pkg@2.0.0',
      'lodash@4.17.20',
      'lodash@4.17.21',
      'real-name@1.0.0',
    ]);
  });

  it('reads one lockfile of each kind: registry packages with their line, local and unpinned ones left out', () => {
    const { packages, unreadable } = lockedPackages(workspaceFiles());
    expect(unreadable).toEqual([]);
    const seen = packages.map(
      (pkg) => `${pkg.file.slice(11)}:${pkg.line} ${pkg.ecosystem} ${pkg.name}@${pkg.version}`,
    );
    expect(seen.sort()).toEqual(
      [
        'Cargo.lock:10 crates.io time@0.1.43',
        'Gemfile.lock:10 RubyGems nokogiri@1.13.9',
        'Gemfile.lock:12 RubyGems racc@1.7.3',
        'Gemfile.lock:13 RubyGems rack@2.2.3',
        'Pipfile.lock:4 PyPI pyyaml@5.3.1',
        'Pipfile.lock:7 PyPI pytest@8.0.0',
        'composer.lock:5 Packagist symfony/http-kernel@4.4.0',
        'composer.lock:9 Packagist phpunit/phpunit@10.5.0',
        'go.mod:6 Go golang.org/x/net@0.7.0',
        'go.mod:7 Go github.com/google/uuid@1.6.0',
        'go.mod:10 Go golang.org/x/text@0.14.0',
        'gradle.lockfile:4 Maven com.fasterxml.jackson.core:jackson-databind@2.9.8',
        'gradle.lockfile:5 Maven org.slf4j:slf4j-api@2.0.12',
        'package-lock.json:8 npm lodash@4.17.20',
        'package-lock.json:9 npm ms@2.1.3',
        'pnpm-lock.yaml:11 npm minimist@1.2.5',
        'pnpm-lock.yaml:13 npm @scope/tool@2.0.0',
        'poetry.lock:2 PyPI jinja2@2.11.2',
        'poetry.lock:9 PyPI markupsafe@2.1.5',
        'pom.xml:13 Maven org.apache.logging.log4j:log4j-core@2.14.1',
        'requirements.txt:2 PyPI flask@2.0.0',
        'requirements.txt:5 PyPI gunicorn@21.2.0',
        'uv.lock:11 PyPI urllib3@1.26.4',
        'yarn.lock:5 npm qs@6.5.2',
        'yarn.lock:9 npm @scope/tool@2.0.0',
      ].sort(),
    );
  });

  it('reads go.sum only where no go.mod stands beside it', () => {
    const sum = { path: 'svc/go.sum', text: readFileSync(join(WORKSPACE, 'go.sum'), 'utf8') };
    expect(lockedPackages([sum]).packages.map((pkg) => `${pkg.name}@${pkg.version}`)).toEqual([
      'golang.org/x/net@0.1.0',
    ]);
    expect(lockedPackages([sum, { path: 'svc/go.mod', text: 'module x\n' }]).packages).toEqual([]);
  });

  it('names a lockfile it cannot parse instead of throwing', () => {
    const { unreadable } = lockedPackages([
      { path: 'Cargo.lock', text: '[[package]\nname = ' },
      { path: 'package-lock.json', text: '{ not json' },
    ]);
    expect(unreadable.map((entry) => entry.file)).toEqual(['Cargo.lock', 'package-lock.json']);
    expect(unreadable[0]!.reason).toMatch(/^the cargo lockfile could not be parsed/);
  });
});

describe('dependency scanner against the OSV stand-in', () => {
  it('finds the vulnerable package of each ecosystem, rated by CVSS, with the fixing version', async () => {
    const osv = await startOsvStandIn(RECORDS);
    try {
      const result = await scanDependencies(workspaceFiles(), { osvUrl: osv.url });
      expect(result.unreachable).toEqual([]);
      expect(result.packagesChecked).toBe(24); // @scope/tool@2.0.0 is in two lockfiles, asked once
      const seen = result.findings.map(
        (finding) =>
          `${finding.file.slice(11)}:${finding.line} ${finding.severity} ${finding.aliases![0]} ${/Fixed in ([^.]+(?:\.[^.\s]+)*)\./.exec(finding.message)?.[1] ?? 'no fix'}`,
      );
      expect(seen.sort()).toEqual(
        [
          'Cargo.lock:10 medium SHIPKIT-TEST-CRATES-1 0.2.23', // CVSS 5.1
          'Gemfile.lock:10 high SHIPKIT-TEST-RUBYGEMS-1 1.13.10', // rated HIGH in words
          'Gemfile.lock:13 critical SHIPKIT-TEST-RUBYGEMS-2 2.2.3.1', // second range applies
          'Pipfile.lock:4 medium SHIPKIT-TEST-PYPI-4 5.4', // unrated
          'composer.lock:5 medium SHIPKIT-TEST-PACKAGIST-1 4.4.13', // CVSS 5.9
          'go.mod:6 high SHIPKIT-TEST-GO-1 0.17.0',
          'gradle.lockfile:4 high SHIPKIT-TEST-MAVEN-2 2.9.9',
          'package-lock.json:8 critical SHIPKIT-TEST-NPM-1 4.17.21',
          'pnpm-lock.yaml:11 medium SHIPKIT-TEST-NPM-2 1.2.6', // MODERATE; 1.x range, not 0.2.4
          'poetry.lock:2 medium SHIPKIT-TEST-PYPI-2 2.11.3', // CVSS 6.1
          'pom.xml:13 critical SHIPKIT-TEST-MAVEN-1 2.15.0', // from 2.0-beta9
          'requirements.txt:2 high SHIPKIT-TEST-PYPI-1 2.2.5',
          'uv.lock:11 critical SHIPKIT-TEST-PYPI-3 1.26.5', // CVSS v4 9.3
          'yarn.lock:5 high SHIPKIT-TEST-NPM-3 6.5.3',
        ].sort(),
      );
      const log4j = result.findings.find((finding) => finding.aliases?.[0] === 'SHIPKIT-TEST-MAVEN-1')!;
      expect(log4j).toMatchObject({ ruleId: 'dep-advisory', category: 'dependencies' });
      expect(log4j.message).toBe(
        'org.apache.logging.log4j:log4j-core@2.14.1 (Maven): Remote code execution through JNDI lookups (SHIPKIT-TEST-MAVEN-1, CVE-0000-5001; CVSS 10.0). Fixed in 2.15.0.',
      );
      expect(log4j.fix).toBe(
        'Upgrade org.apache.logging.log4j:log4j-core to 2.15.0 (or later) and regenerate pom.xml.',
      );
      expect(log4j.aliases).toEqual(['SHIPKIT-TEST-MAVEN-1', 'CVE-0000-5001']);
      // One batch, each record fetched once.
      expect(osv.batches).toHaveLength(1);
      expect(osv.vulnsAsked.sort()).toEqual(RECORDS.map((record) => record.id).sort());
    } finally {
      await osv.close();
    }
  });

  it('sends at most 1,000 queries a batch, follows pages, and fetches a record once per run', async () => {
    const text = Array.from({ length: 2500 }, (_, index) => `pkg-${index}==1.0.${index}`).join('\n');
    const records: OsvRecord[] = ['A', 'B', 'C'].map((letter) => ({
      id: `SHIPKIT-TEST-${letter}`,
      affected: [{ package: { ecosystem: 'PyPI', name: 'pkg-7' }, versions: ['1.0.7'] }],
    }));
    records.push({
      id: 'SHIPKIT-TEST-D',
      affected: [{ package: { ecosystem: 'PyPI', name: 'pkg-2400' }, versions: ['1.0.2400'] }],
    });
    const osv = await startOsvStandIn(records, { pageSize: 2 });
    try {
      const client = new OsvClient({ url: osv.url });
      const files = [
        { path: 'requirements.txt', text },
        { path: 'requirements-copy.txt', text },
      ];
      const result = await scanDependencies(files, { client });
      expect(osv.batches.map((batch) => batch.queries.length)).toEqual([1000, 1000, 500, 1]);
      expect(osv.batches[3]!.queries[0]).toMatchObject({ package: { name: 'pkg-7' }, page_token: '2' });
      expect(result.findings.map((finding) => `${finding.file} ${finding.aliases![0]}`).sort()).toEqual([
        'requirements-copy.txt SHIPKIT-TEST-A',
        'requirements-copy.txt SHIPKIT-TEST-B',
        'requirements-copy.txt SHIPKIT-TEST-C',
        'requirements-copy.txt SHIPKIT-TEST-D',
        'requirements.txt SHIPKIT-TEST-A',
        'requirements.txt SHIPKIT-TEST-B',
        'requirements.txt SHIPKIT-TEST-C',
        'requirements.txt SHIPKIT-TEST-D',
      ]);
      expect(osv.vulnsAsked.sort()).toEqual([
        'SHIPKIT-TEST-A',
        'SHIPKIT-TEST-B',
        'SHIPKIT-TEST-C',
        'SHIPKIT-TEST-D',
      ]);
      await scanDependencies(files.slice(0, 1), { client });
      expect(osv.vulnsAsked).toHaveLength(4); // cached for the run
    } finally {
      await osv.close();
    }
  });

  it('retries an OSV outage, then names every lockfile it could not check', async () => {
    const osv = await startOsvStandIn(RECORDS, { failWith: 503 });
    try {
      const result = await scanDependencies(workspaceFiles(), { osvUrl: osv.url, sleep: noSleep });
      expect(result.findings).toEqual([]);
      expect(result.unreachable.map((entry) => entry.file.slice(11)).sort()).toEqual(
        [
          'Cargo.lock',
          'Gemfile.lock',
          'Pipfile.lock',
          'composer.lock',
          'go.mod',
          'gradle.lockfile',
          'package-lock.json',
          'pnpm-lock.yaml',
          'poetry.lock',
          'pom.xml',
          'requirements.txt',
          'uv.lock',
          'yarn.lock',
        ].sort(),
      );
      expect(result.unreachable[0]!.reason).toBe(`OSV at ${osv.url} answered HTTP 503 to /v1/querybatch`);
    } finally {
      await osv.close();
    }
  });

  it('does not retry a 4xx; an unreachable OSV says so', async () => {
    let calls = 0;
    const result = await scanDependencies([{ path: 'requirements.txt', text: 'flask==2.0.0\n' }], {
      osvUrl: 'http://osv.invalid',
      fetch: () => {
        calls++;
        return Promise.resolve(new Response('{}', { status: 400 }));
      },
    });
    expect(calls).toBe(1);
    expect(result.unreachable).toEqual([
      { file: 'requirements.txt', reason: 'OSV at http://osv.invalid answered HTTP 400 to /v1/querybatch' },
    ]);
    const closed = await startOsvStandIn([]);
    await closed.close();
    const refused = await scanDependencies([{ path: 'requirements.txt', text: 'flask==2.0.0\n' }], {
      osvUrl: closed.url,
      sleep: noSleep,
    });
    expect(refused.unreachable[0]!.reason).toBe(`OSV at ${closed.url} is unreachable (ECONNREFUSED)`);
  });
});
