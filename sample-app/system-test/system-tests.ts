// sample-app's system tests against a deployed URL: what a user does (log in, post, see the post, log out)
// and what must be refused (a POST without or with a wrong CSRF token), over plain HTTP with a cookie jar.
// Each check gives a result; a failed one carries a block with the request it sent and what came back.
import { randomBytes } from 'node:crypto';

import { CheckFailure, formatFailure, SystemTestClient, type Exchange } from './http-client.js';

export const CHECK_NAMES = [
  'health',
  'login',
  'post',
  'listed',
  'csrf-missing',
  'csrf-wrong',
  'logout',
] as const;
export type CheckName = (typeof CHECK_NAMES)[number];

export interface SystemTestOptions {
  username: string;
  password: string;
  /** The version the health check must report (`ver`); without it any non-empty `ver` passes. */
  expectVersion?: string;
  /** Per request, default 10 s. */
  requestTimeoutMs?: number;
  /** Pages of the list followed (newest first) when looking for the new post; default 100. */
  maxPages?: number;
}

export interface CheckResult {
  name: CheckName;
  status: 'passed' | 'failed' | 'skipped';
  durationMs: number;
  /** What was seen (passed), why it failed, or what it waited on (skipped). */
  detail: string;
  /** The failure block: the check's name, the request and the answer. */
  report?: string;
}

export interface SystemTestReport {
  baseUrl: string;
  ok: boolean;
  passed: number;
  checks: CheckResult[];
  /** The first failed check, if any. */
  firstFailure: CheckResult | undefined;
}

const CSRF_FIELD = /name="csrf_token" value="([^"]+)"/;
const OLDER_LINK = /<a href="(\/\?before=\d+)" rel="next">older posts<\/a>/;

/** Which earlier check each one builds on: when that one did not pass, this one is skipped. */
const NEEDS: Partial<Record<CheckName, CheckName>> = {
  post: 'login',
  listed: 'post',
  'csrf-missing': 'login',
  'csrf-wrong': 'login',
  logout: 'login',
};

function expectStatus(exchange: Exchange, expected: number, what: string): void {
  if (exchange.status === expected) return;
  const got =
    exchange.status === undefined
      ? `got no answer (${exchange.error ?? 'unknown'})`
      : `got ${exchange.status}`;
  throw new CheckFailure(`${what}: expected ${expected}, ${got}`, exchange);
}

function csrfToken(exchange: Exchange, where: string): string {
  const token = CSRF_FIELD.exec(exchange.responseBody)?.[1];
  if (token === undefined) throw new CheckFailure(`${where} has no csrf_token field`, exchange);
  return token;
}

/** The entry titles on a list page, as shown (HTML entities decoded). */
export function entryTitles(html: string): string[] {
  return [...html.matchAll(/<h2>([^<]*)<\/h2>/g)].map((match) => unescapeHtml(match[1]!));
}

function unescapeHtml(text: string): string {
  const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" };
  return text.replace(/&(amp|lt|gt|quot|#39);/g, (_, name: string) => named[name]!);
}

const isLoggedIn = (html: string): boolean =>
  html.includes('action="/logout"') && html.includes('action="/add"');

/** Logs `client` in through the login form (its cookie jar keeps the session); a CheckFailure says why not. */
export async function logIn(client: SystemTestClient, username: string, password: string): Promise<void> {
  const form = await client.get('/login');
  expectStatus(form, 200, 'GET /login');
  const answer = await client.postForm('/login', {
    csrf_token: csrfToken(form, 'the login page'),
    username,
    password,
  });
  expectStatus(answer, 303, 'logging in');
  const page = await client.get('/');
  expectStatus(page, 200, 'the list after logging in');
  if (!isLoggedIn(page.responseBody)) {
    throw new CheckFailure('the list after logging in shows no logout and post forms', page);
  }
}

/** Posts an entry as the logged-in `client`, with the list page's CSRF token. */
export async function postEntry(client: SystemTestClient, title: string, text: string): Promise<void> {
  const page = await client.get('/');
  expectStatus(page, 200, 'GET /');
  const answer = await client.postForm('/add', { csrf_token: csrfToken(page, 'the list page'), title, text });
  expectStatus(answer, 303, 'posting an entry');
}

/** The list's pages, newest first, following "older posts" links (at most `maxPages`). */
export async function* listPages(client: SystemTestClient, maxPages: number): AsyncGenerator<Exchange> {
  let path: string | undefined = '/';
  for (let pages = 0; path !== undefined && pages < maxPages; pages++) {
    const page = await client.get(path);
    expectStatus(page, 200, `GET ${path}`);
    yield page;
    path = OLDER_LINK.exec(page.responseBody)?.[1];
  }
}

/** Runs every check in order against `baseUrl` (e.g. a load balancer's URL); never throws. */
export async function runSystemTests(baseUrl: string, options: SystemTestOptions): Promise<SystemTestReport> {
  const base = baseUrl.replace(/\/+$/, '');
  const client = new SystemTestClient(`${base}/`, options.requestTimeoutMs ?? 10_000);
  const stamp = `${new Date().toISOString()} ${randomBytes(4).toString('hex')}`;
  const title = `system test ${stamp}`;

  const checks: Record<CheckName, () => Promise<string>> = {
    health: async () => {
      const answer = await client.get('/api/health-check');
      expectStatus(answer, 200, 'GET /api/health-check');
      let ver: unknown;
      try {
        ver = (JSON.parse(answer.responseBody) as { ver?: unknown }).ver;
      } catch {
        throw new CheckFailure('the health check did not answer JSON', answer);
      }
      if (typeof ver !== 'string' || ver === '') throw new CheckFailure('the answer has no "ver"', answer);
      if (options.expectVersion !== undefined && ver !== options.expectVersion) {
        throw new CheckFailure(`"ver" is "${ver}", expected "${options.expectVersion}"`, answer);
      }
      return `ver ${ver}`;
    },
    login: async () => {
      await logIn(client, options.username, options.password);
      return `logged in as ${options.username}`;
    },
    post: async () => {
      await postEntry(client, title, 'posted by the system tests');
      return `posted "${title}"`;
    },
    listed: async () => {
      const maxPages = options.maxPages ?? 100;
      let pages = 0;
      let last: Exchange | undefined;
      for await (const page of listPages(client, maxPages)) {
        pages++;
        last = page;
        if (entryTitles(page.responseBody).includes(title)) return `listed on page ${pages}`;
      }
      const more = last !== undefined && OLDER_LINK.test(last.responseBody) && pages >= maxPages;
      const where = more ? `the first ${pages} pages (maxPages)` : `any of the ${pages} pages`;
      throw new CheckFailure(`"${title}" is not on ${where} of the list`, last);
    },
    'csrf-missing': async () => refusedPost(client, undefined, `${title} without a CSRF token`),
    'csrf-wrong': async () => refusedPost(client, 'wrong-token', `${title} with a wrong CSRF token`),
    logout: async () => {
      const page = await client.get('/');
      expectStatus(page, 200, 'GET /');
      const answer = await client.postForm('/logout', { csrf_token: csrfToken(page, 'the list page') });
      expectStatus(answer, 303, 'logging out');
      const after = await client.get('/');
      expectStatus(after, 200, 'the list after logging out');
      if (isLoggedIn(after.responseBody) || !after.responseBody.includes('href="/login"')) {
        throw new CheckFailure('the list after logging out still shows the logged-in forms', after);
      }
      // The browser's session is now a visitor's: a post with that session's own valid token (from the login
      // form, the one form a visitor gets) is refused as not logged in.
      const loginForm = await client.get('/login');
      expectStatus(loginForm, 200, 'GET /login after logging out');
      const attempt = await client.postForm('/add', {
        csrf_token: csrfToken(loginForm, 'the login page'),
        title: `${title} after logging out`,
        text: 'must be refused',
      });
      expectStatus(attempt, 401, 'posting after logging out');
      return 'logged out; a post after it got 401';
    },
  };

  const results: CheckResult[] = [];
  for (const name of CHECK_NAMES) {
    const needed = NEEDS[name];
    const blocker = results.find((result) => result.name === needed && result.status !== 'passed');
    if (blocker !== undefined) {
      results.push({ name, status: 'skipped', durationMs: 0, detail: `needs ${blocker.name}` });
      continue;
    }
    const started = performance.now();
    try {
      const detail = await checks[name]();
      results.push({ name, status: 'passed', durationMs: performance.now() - started, detail });
    } catch (error) {
      const failure =
        error instanceof CheckFailure ? error : new CheckFailure(`crashed: ${String(error)}`, undefined);
      results.push({
        name,
        status: 'failed',
        durationMs: performance.now() - started,
        detail: failure.message,
        report: formatFailure(name, failure),
      });
    }
  }
  const passed = results.filter((result) => result.status === 'passed').length;
  return {
    baseUrl: base,
    ok: passed === results.length,
    passed,
    checks: results,
    firstFailure: results.find((result) => result.status === 'failed'),
  };
}

/** A logged-in POST /add with no or a wrong CSRF token: refused with 403, and the entry is not listed. */
async function refusedPost(
  client: SystemTestClient,
  token: string | undefined,
  title: string,
): Promise<string> {
  const form: Record<string, string> = { title, text: 'must be refused' };
  if (token !== undefined) form['csrf_token'] = token;
  const answer = await client.postForm('/add', form);
  expectStatus(answer, 403, 'a POST /add the app must refuse');
  // Newest first: had it been stored, it would be on the first page.
  const page = await client.get('/');
  expectStatus(page, 200, 'GET /');
  if (entryTitles(page.responseBody).includes(title)) {
    throw new CheckFailure(`the app answered 403 but lists "${title}"`, page);
  }
  return 'refused with 403, not listed';
}

/** One line per check and a total, as the CLI prints them. */
export function formatReport(report: SystemTestReport): string {
  const width = Math.max(...report.checks.map((check) => check.name.length));
  const lines = report.checks.map((check) => {
    const status = { passed: 'ok     ', failed: 'FAILED ', skipped: 'skipped' }[check.status];
    const time = check.status === 'skipped' ? '' : ` (${Math.round(check.durationMs)} ms)`;
    return `${status} ${check.name.padEnd(width)}  ${check.detail}${time}`;
  });
  lines.push(`${summaryLine(report)} against ${report.baseUrl}`);
  return lines.join('\n');
}

/** `7/7 passed`, or `3/7 passed, "post" failed` (what a table row or an error line says). */
export function summaryLine(report: SystemTestReport): string {
  const total = `${report.passed}/${report.checks.length} passed`;
  return report.firstFailure === undefined ? total : `${total}, "${report.firstFailure.name}" failed`;
}
