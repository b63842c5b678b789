// The system tests (sample-app/system-test) against the built app as a real process, directly and through a
// proxy that breaks one thing at a time: each break must fail the check named after it, with a report that
// shows the request and the answer and never the password or a cookie value.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join, resolve } from 'node:path';

import { runSystemTests, type SystemTestReport } from '../../../sample-app/system-test/system-tests.js';
import {
  freePort,
  startFaultProxy,
  startSampleAppProcess,
  type Fault,
  type SampleAppProcess,
} from '../../helpers/sample-app-process.js';
import { ADMIN_PASSWORD, ADMIN_PASSWORD_HASH, SESSION_SECRET } from './app-client.js';

const NODE = process.execPath;
const REPO = resolve(import.meta.dirname, '..', '..', '..');
const VERSION = 'st-4.5.6';
let app: SampleAppProcess | undefined;
let appUrl: string;

beforeAll(async () => {
  app = await startSampleAppProcess({ APP_VERSION: VERSION, ADMIN_PASSWORD_HASH, SESSION_SECRET });
  appUrl = app.url;
}, 60_000);

afterAll(async () => {
  await app?.stop();
});

async function throughProxy(fault: Fault): Promise<SystemTestReport> {
  const proxy = await startFaultProxy(appUrl, fault);
  try {
    return await runSystemTests(proxy.url, { username: 'admin', password: ADMIN_PASSWORD });
  } finally {
    await proxy.close();
  }
}

const statuses = (report: SystemTestReport): Record<string, string> =>
  Object.fromEntries(report.checks.map((check) => [check.name, check.status]));

interface CliRun {
  status: number | null;
  stdout: string;
}

async function runCli(args: string[], env: Record<string, string>): Promise<CliRun> {
  const child = spawn(
    NODE,
    [
      '--import',
      join(REPO, 'scripts', 'ts-register.mjs'),
      join(REPO, 'sample-app', 'system-test', 'cli.ts'),
      ...args,
    ],
    { env: { PATH: process.env['PATH'] ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const [status] = (await once(child, 'exit')) as [number | null];
  return { status, stdout };
}

describe('sample-app system tests', () => {
  it('pass every check against the app, with the version it reports', async () => {
    const report = await runSystemTests(appUrl, {
      username: 'admin',
      password: ADMIN_PASSWORD,
      expectVersion: VERSION,
    });
    expect(report.checks.map((check) => [check.name, check.status])).toEqual([
      ['health', 'passed'],
      ['login', 'passed'],
      ['post', 'passed'],
      ['listed', 'passed'],
      ['csrf-missing', 'passed'],
      ['csrf-wrong', 'passed'],
      ['logout', 'passed'],
    ]);
    expect(report).toMatchObject({ ok: true, passed: 7, firstFailure: undefined });
    expect(report.checks[0]!.detail).toBe(`ver ${VERSION}`);
    expect(report.checks[3]!.detail).toBe('listed on page 1');
    expect(report.checks[6]!.detail).toBe('logged out; a post after it got 401');
  });

  it('CLI: a summary line per check and exit 0, the URL from the argument and the version from a flag', async () => {
    const run = await runCli([appUrl, '--expect-version', VERSION], { SYSTEM_TEST_PASSWORD: ADMIN_PASSWORD });
    expect(run.status).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines).toHaveLength(8);
    expect(lines[0]).toMatch(new RegExp(`^ok +health +ver ${VERSION.replace(/\./g, '\\.')} \\(\\d+ ms\\)$`));
    expect(lines[6]).toMatch(/^ok +logout +/);
    expect(lines[7]).toBe(`7/7 passed against ${appUrl}`);
  });

  it('CLI: another version fails "health" and exits 1, showing the request and the answer (BASE_URL, EXPECT_VERSION)', async () => {
    const run = await runCli([], {
      BASE_URL: appUrl,
      EXPECT_VERSION: 'st-9.9.9',
      SYSTEM_TEST_PASSWORD: ADMIN_PASSWORD,
    });
    expect(run.status).toBe(1);
    expect(run.stdout).toContain(
      [
        `FAILED health: "ver" is "${VERSION}", expected "st-9.9.9"`,
        `  request:  GET ${appUrl}/api/health-check`,
        '  response: 200 OK',
        '            content-type: application/json',
      ].join('\n'),
    );
    expect(run.stdout).toContain(`{"success":true,"ver":"${VERSION}"}`);
    // The other checks still ran and passed.
    expect(run.stdout).toMatch(/^ok +logout/m);
    expect(run.stdout).toContain(`6/7 passed, "health" failed against ${appUrl}`);
  });

  it('a wrong password fails "login", skips what needs it, and the report hides the password and the cookie', async () => {
    const password = 'not-the-admin-password';
    const run = await runCli([appUrl], { SYSTEM_TEST_PASSWORD: password, GITHUB_ACTIONS: 'true' });
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(
      /^FAILED login: logging in: expected 303, got 401\n {2}request: {2}POST .*\/login$/m,
    );
    expect(run.stdout).toMatch(/body: csrf_token=[\w-]+&username=admin&password=<redacted>$/m);
    expect(run.stdout).toMatch(/^ {12}cookie: session=<redacted>$/m);
    expect(run.stdout).toContain('Invalid username or password.');
    expect(run.stdout).not.toContain(password);
    // No cookie value: every session= in the output is redacted.
    expect(run.stdout.match(/session=(?!<redacted>)/g)).toBeNull();
    expect(run.stdout).toMatch(/^skipped post +needs login$/m);
    expect(run.stdout).toMatch(/^skipped listed +needs post$/m);
    expect(run.stdout).toContain('::error::system test "login" failed: logging in: expected 303, got 401');
    expect(run.stdout).toContain('1/7 passed, "login" failed');
  });

  it('an app that drops posting fails "post" (and skips "listed"); the refusals and logout still pass', async () => {
    const report = await throughProxy({
      // Whatever is posted reaches the app without its title.
      requestBody: (request, body) =>
        request.url === '/add' ? body.replace(/(^|&)title=[^&]*/, '$1title=') : body,
    });
    expect(statuses(report)).toEqual({
      health: 'passed',
      login: 'passed',
      post: 'failed',
      listed: 'skipped',
      'csrf-missing': 'passed',
      'csrf-wrong': 'passed',
      logout: 'passed',
    });
    expect(report.ok).toBe(false);
    expect(report.firstFailure?.name).toBe('post');
    expect(report.firstFailure?.report).toMatch(
      /^FAILED post: posting an entry: expected 303, got 400\n {2}request: {2}POST http:\/\/127\.0\.0\.1:\d+\/add\n {12}content-type: application\/x-www-form-urlencoded\n {12}cookie: session=<redacted>\n {12}body: csrf_token=[\w-]+&title=system\+test\+.*&text=posted\+by\+the\+system\+tests\n {2}response: 400 Bad Request\n/,
    );
    expect(report.firstFailure?.report).toContain('The title is empty.');
  });

  it('an app that does not refuse a POST without a valid CSRF token fails "csrf-missing" and "csrf-wrong"', async () => {
    const report = await throughProxy({
      response: (request, answer) => {
        if (request.url === '/add' && answer.status === 403) {
          answer.status = 303;
          answer.headers['location'] = '/';
          answer.body = '';
        }
      },
    });
    expect(statuses(report)).toMatchObject({
      post: 'passed',
      'csrf-missing': 'failed',
      'csrf-wrong': 'failed',
    });
    const missing = report.checks.find((check) => check.name === 'csrf-missing')!;
    expect(missing.report).toMatch(
      /^FAILED csrf-missing: a POST \/add the app must refuse: expected 403, got 303\n/,
    );
    expect(missing.report).toMatch(
      /body: title=system\+test\+.*without\+a\+CSRF\+token&text=must\+be\+refused\n/,
    );
    expect(missing.report).toContain('            location: /');
    const wrong = report.checks.find((check) => check.name === 'csrf-wrong')!;
    expect(wrong.report).toMatch(/body: title=.*&text=must\+be\+refused&csrf_token=wrong-token\n/);
  });

  it('an app whose logout leaves the session in place fails "logout"', async () => {
    const report = await throughProxy({
      response: (request, answer) => {
        if (request.url === '/logout') delete answer.headers['set-cookie'];
      },
    });
    expect(statuses(report)).toMatchObject({ login: 'passed', logout: 'failed' });
    expect(report.firstFailure?.name).toBe('logout');
    expect(report.firstFailure?.detail).toBe('the list after logging out still shows the logged-in forms');
    expect(report.firstFailure?.report).toMatch(/request: {2}GET http:\/\/127\.0\.0\.1:\d+\/\n/);
  });

  it('a post that never shows up in the list fails "listed"', async () => {
    const report = await throughProxy({
      response: (request, answer) => {
        if (request.method === 'GET') answer.body = answer.body.replace(/<h2>system test [^<]*<\/h2>/g, '');
      },
    });
    expect(statuses(report)).toMatchObject({ post: 'passed', listed: 'failed' });
    expect(report.firstFailure?.detail).toMatch(
      /^"system test .*" is not on any of the 1 pages of the list$/,
    );
  });

  it('follows "older posts" links to find the post', async () => {
    const report = await throughProxy({
      // The first page lists nothing and links to an older page, which the app serves with every entry.
      response: (request, answer) => {
        if (request.method === 'GET' && request.url === '/') {
          answer.body = answer.body.replace(
            /<ul class="entries">[\s\S]*<\/ul>/,
            '<nav class="pages"><a href="/?before=9999999999" rel="next">older posts</a></nav>',
          );
        }
      },
    });
    expect(report.checks.find((check) => check.name === 'listed')).toMatchObject({
      status: 'passed',
      detail: 'listed on page 2',
    });
  });

  it('a URL nobody answers fails with the reason, not a crash', async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const report = await runSystemTests(url, { username: 'admin', password: 'x', requestTimeoutMs: 2000 });
    expect(statuses(report)).toMatchObject({ health: 'failed', login: 'failed', post: 'skipped' });
    expect(report.checks[0]!.report).toBe(
      [
        'FAILED health: GET /api/health-check: expected 200, got no answer (ECONNREFUSED)',
        `  request:  GET ${url}/api/health-check`,
        '  response: none (ECONNREFUSED)',
      ].join('\n'),
    );
  });

  it.each([
    [[], {}, '::error::system-test: no URL: give it as the argument or in BASE_URL'],
    [['not a url'], {}, '::error::system-test: the URL "not a url" is not a URL: give http(s)://host[:port]'],
    [['ftp://127.0.0.1/'], {}, '::error::system-test: the URL "ftp://127.0.0.1/" is not http or https'],
    [
      ['http://127.0.0.1:1'],
      { SYSTEM_TEST_PASSWORD: '' },
      '::error::system-test: SYSTEM_TEST_PASSWORD is not set: give the admin password in the environment',
    ],
  ])('CLI: bad input %j gives one ::error:: line and exit 1', async (args, env, message) => {
    const run = await runCli(args, { SYSTEM_TEST_PASSWORD: 'x', ...env });
    expect(run.status).toBe(1);
    expect(run.stdout.trim()).toBe(message);
  });
});
