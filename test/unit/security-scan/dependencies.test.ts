import {
  type BulkResponse,
  advisoryFindings,
  isLockfile,
  lockfilePackages,
  scanDependencies,
} from '../../../actions/security-scan/src/scanners/dependencies.js';

const LOCK_V3 = JSON.stringify(
  {
    name: 'app',
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
  },
  null,
  2,
);
const LOCK_V1 = JSON.stringify({
  lockfileVersion: 1,
  dependencies: { minimist: { version: '1.2.5', dependencies: { inner: { version: '0.1.0' } } } },
});

const ADVISORIES: BulkResponse = {
  lodash: [
    {
      id: 1523,
      url: 'https://github.com/advisories/GHSA-35jh-r3h4-6jhm',
      title: 'Command Injection in lodash',
      severity: 'high',
      vulnerable_versions: '<4.17.21',
    },
  ],
  '@scope/pkg': [{ id: 9, title: 'Old bug', severity: 'moderate', vulnerable_versions: '<1.0.0' }],
};

function jsonResponse(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

describe('dependency scanner', () => {
  it('recognises lockfiles outside node_modules', () => {
    expect(isLockfile('package-lock.json') && isLockfile('web/npm-shrinkwrap.json')).toBe(true);
    expect(isLockfile('node_modules/x/package-lock.json') || isLockfile('yarn.lock')).toBe(false);
  });

  it('reads v2/v3 lockfiles: nested, scoped and aliased packages; no links, git deps or workspaces', () => {
    const packages = lockfilePackages(LOCK_V3);
    expect(Object.fromEntries([...packages].map(([name, versions]) => [name, [...versions]]))).toEqual({
      lodash: ['4.17.20', '4.17.21'],
      '@scope/pkg': ['2.0.0'],
      'real-name': ['1.0.0'],
    });
  });

  it('reads v1 lockfiles recursively', () => {
    expect([...lockfilePackages(LOCK_V1).keys()]).toEqual(['minimist', 'inner']);
  });

  it('keeps only advisories whose range covers an installed version, with severity mapped', () => {
    const file = { path: 'package-lock.json', text: LOCK_V3 };
    const findings = advisoryFindings(file, lockfilePackages(LOCK_V3), ADVISORIES);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      ruleId: 'dep-advisory',
      severity: 'high',
      line: 9,
      aliases: ['GHSA-35jh-r3h4-6jhm', '1523'],
    });
    expect(findings[0]!.message).toBe(
      'lodash@4.17.20: Command Injection in lodash (GHSA-35jh-r3h4-6jhm; vulnerable <4.17.21).',
    );
  });

  it('posts the locked packages to the bulk endpoint (with a bearer token when given)', async () => {
    const requests: { url: string; init: RequestInit }[] = [];
    const result = await scanDependencies([{ path: 'package-lock.json', text: LOCK_V3 }], {
      registry: 'http://registry.test/',
      token: 'tok',
      fetch: (url, init) => {
        requests.push({ url, init });
        return Promise.resolve(jsonResponse(ADVISORIES));
      },
    });
    expect(requests).toHaveLength(1);
    expect(requests[0]!.url).toBe('http://registry.test/-/npm/v1/security/advisories/bulk');
    expect(JSON.parse(requests[0]!.init.body as string)).toEqual({
      lodash: ['4.17.20', '4.17.21'],
      '@scope/pkg': ['2.0.0'],
      'real-name': ['1.0.0'],
    });
    expect((requests[0]!.init.headers as Record<string, string>)['authorization']).toBe('Bearer tok');
    expect(result.findings.map((finding) => finding.ruleId)).toEqual(['dep-advisory']);
    expect(result.packagesChecked).toBe(3);
  });

  it('retries 5xx and network errors, then reports the lockfile as unreachable', async () => {
    let calls = 0;
    const sleeps: number[] = [];
    const result = await scanDependencies([{ path: 'package-lock.json', text: LOCK_V3 }], {
      fetch: () => {
        calls++;
        return calls === 1
          ? Promise.resolve(jsonResponse({}, 503))
          : Promise.reject(new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } }));
      },
      sleep: (ms) => {
        sleeps.push(ms);
        return Promise.resolve();
      },
    });
    expect(calls).toBe(3);
    expect(sleeps).toHaveLength(2);
    expect(result.findings).toEqual([]);
    expect(result.unreachable).toEqual([
      { file: 'package-lock.json', reason: 'https://registry.npmjs.org is unreachable (ECONNREFUSED)' },
    ]);
  });

  it('does not retry a 4xx, and recovers when a retry succeeds', async () => {
    let calls = 0;
    const rejected = await scanDependencies([{ path: 'package-lock.json', text: LOCK_V3 }], {
      fetch: () => {
        calls++;
        return Promise.resolve(jsonResponse({}, 401));
      },
    });
    expect(calls).toBe(1);
    expect(rejected.unreachable[0]!.reason).toMatch(/HTTP 401/);

    let attempts = 0;
    const recovered = await scanDependencies([{ path: 'package-lock.json', text: LOCK_V3 }], {
      fetch: () => Promise.resolve(++attempts === 1 ? jsonResponse({}, 502) : jsonResponse(ADVISORIES)),
      sleep: () => Promise.resolve(),
    });
    expect(recovered.findings).toHaveLength(1);
    expect(recovered.unreachable).toEqual([]);
  });

  it('reports a lockfile that is not JSON instead of throwing', async () => {
    const result = await scanDependencies([{ path: 'package-lock.json', text: '{ nope' }], {
      fetch: () => Promise.reject(new Error('must not be called')),
    });
    expect(result.unreachable).toEqual([
      { file: 'package-lock.json', reason: 'the lockfile is not valid JSON' },
    ]);
  });
});
