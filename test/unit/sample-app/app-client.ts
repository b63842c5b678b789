// Test-side helpers for the sample app: an in-process server on 127.0.0.1:0 and a tiny cookie-keeping client.
import { hashPassword } from '../../../sample-app/src/auth.js';
import { startServer, type RunningServer } from '../../../sample-app/src/app.js';
import { loadConfig, type AppConfig } from '../../../sample-app/src/config.js';

export const ADMIN_PASSWORD = 'correct horse battery staple';
export const SESSION_SECRET = 'test-secret-test-secret-test-secret';
// A low scrypt cost keeps each login test fast; the format and code path are the production ones.
export const ADMIN_PASSWORD_HASH = await hashPassword(ADMIN_PASSWORD, { N: 1024, r: 8, p: 1 });

export function testConfig(env: Record<string, string> = {}): AppConfig {
  return loadConfig({
    HOST: '127.0.0.1',
    PORT: '0',
    DATABASE_PATH: ':memory:',
    APP_VERSION: 'test-1.2.3',
    ADMIN_PASSWORD_HASH,
    SESSION_SECRET,
    ...env,
  }).config;
}

export interface TestServer extends RunningServer {
  logLines: string[];
  clock: { now: number };
}

export async function startTestServer(env: Record<string, string> = {}): Promise<TestServer> {
  const logLines: string[] = [];
  const clock = { now: Date.UTC(2026, 0, 1) };
  const running = await startServer(testConfig(env), {
    log: (line) => logLines.push(line),
    now: () => clock.now,
  });
  return { ...running, logLines, clock };
}

/** Keeps the session cookie between requests like a browser; never follows redirects. */
export class Browser {
  readonly baseUrl: string;
  cookie: string | undefined;

  constructor(baseUrl: string) {
    this.baseUrl = baseUrl;
  }

  async request(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookie !== undefined) headers.set('cookie', this.cookie);
    const response = await fetch(new URL(path, this.baseUrl), { ...init, headers, redirect: 'manual' });
    const setCookie = response.headers.get('set-cookie');
    if (setCookie !== null) this.cookie = setCookie.split(';')[0];
    return response;
  }

  get(path: string): Promise<Response> {
    return this.request(path);
  }

  post(path: string, form: Record<string, string>): Promise<Response> {
    return this.request(path, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
    });
  }

  /** The CSRF token in the page's forms (loads `path` first). */
  async csrfToken(path = '/login'): Promise<string> {
    const html = await (await this.get(path)).text();
    const match = /name="csrf_token" value="([^"]+)"/.exec(html);
    if (!match) throw new Error(`no csrf_token on ${path}`);
    return match[1]!;
  }

  async logIn(password = ADMIN_PASSWORD, username = 'admin'): Promise<Response> {
    const csrf_token = await this.csrfToken('/login');
    return this.post('/login', { csrf_token, username, password });
  }

  async postEntry(title: string, text: string): Promise<Response> {
    const csrf_token = await this.csrfToken('/');
    return this.post('/add', { csrf_token, title, text });
  }
}
