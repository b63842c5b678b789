import { once } from 'node:events';
import { Agent, request, type IncomingMessage } from 'node:http';

import { ENTRIES_PER_PAGE, forwardedClient } from '../../../sample-app/src/app.js';

import { ADMIN_PASSWORD, Browser, startTestServer, type TestServer } from './app-client.js';

let server: TestServer;
let browser: Browser;

beforeEach(async () => {
  server = await startTestServer();
  browser = new Browser(server.url);
});

afterEach(async () => {
  await server.stop();
});

describe('health check', () => {
  it('answers 200 with the version after running a query', async () => {
    const response = await browser.get('/api/health-check');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.json()).toEqual({ success: true, ver: 'test-1.2.3' });
    expect(response.headers.get('set-cookie')).toBeNull();
  });

  it('answers 503 when the database is unreachable', async () => {
    await server.app.store.close();
    const response = await browser.get('/api/health-check');
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({
      success: false,
      ver: 'test-1.2.3',
      error: 'database unreachable',
    });
  });
});

describe('login and logout', () => {
  it('logs the admin in with the right password and rotates the session id', async () => {
    const token = await browser.csrfToken('/login');
    const visitorCookie = browser.cookie;
    const response = await browser.post('/login', {
      csrf_token: token,
      username: 'admin',
      password: ADMIN_PASSWORD,
    });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/');
    expect(browser.cookie).not.toBe(visitorCookie);
    const page = await (await browser.get('/')).text();
    expect(page).toContain('You were logged in');
    expect(page).toContain('action="/add"');
    expect(page).toMatch(/<span>admin<\/span> <button type="submit" class="link">log out/);
    // The old visitor token no longer works: it belonged to the session before login.
    expect(await browser.csrfToken('/')).not.toBe(token);
  });

  it('refuses a wrong password and a wrong username with 401 and no login', async () => {
    for (const [username, password] of [
      ['admin', 'wrong'],
      ['root', ADMIN_PASSWORD],
      ['', ''],
    ] as const) {
      const response = await browser.logIn(password, username);
      expect(response.status).toBe(401);
      expect(await response.text()).toContain('Invalid username or password.');
    }
    const page = await (await browser.get('/')).text();
    expect(page).not.toContain('action="/add"');
    expect(page).toContain('href="/login"');
  });

  it('logs out with a POST that carries the CSRF token', async () => {
    await browser.logIn();
    const csrf_token = await browser.csrfToken('/');
    const response = await browser.post('/logout', { csrf_token });
    expect(response.status).toBe(303);
    const page = await (await browser.get('/')).text();
    expect(page).toContain('You were logged out');
    expect(page).not.toContain('action="/add"');
    // GET /logout would let any page log the visitor out, so it is not a route.
    const get = await browser.get('/logout');
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
  });

  it('drops a session whose user is no longer the admin', async () => {
    await browser.logIn();
    const renamed = await startTestServer({ ADMIN_USERNAME: 'boss' });
    try {
      const sameSecret = new Browser(renamed.url);
      sameSecret.cookie = browser.cookie;
      const page = await (await sameSecret.get('/')).text();
      expect(page).not.toContain('action="/add"');
      expect(page).toContain('href="/login"');
    } finally {
      await renamed.stop();
    }
  });

  it('refuses login when no password hash is configured', async () => {
    const noHash = await startTestServer({ ADMIN_PASSWORD_HASH: '' });
    try {
      const response = await new Browser(noHash.url).logIn();
      expect(response.status).toBe(401);
    } finally {
      await noHash.stop();
    }
  });
});

describe('posting entries', () => {
  it('requires a login', async () => {
    const csrf_token = await browser.csrfToken('/login');
    const response = await browser.post('/add', { csrf_token, title: 'hello', text: 'world' });
    expect(response.status).toBe(401);
    expect(await response.text()).toContain('Log in to post an entry.');
    expect(await server.app.store.listEntries(10)).toEqual([]);
  });

  it('posts and lists entries newest first', async () => {
    await browser.logIn();
    for (const title of ['first', 'second', 'third']) {
      const response = await browser.postEntry(title, `text of ${title}`);
      expect(response.status).toBe(303);
    }
    const page = await (await browser.get('/')).text();
    expect(page).toContain('New entry was successfully posted');
    const titles = [...page.matchAll(/<h2>([^<]*)<\/h2>/g)].map((match) => match[1]);
    expect(titles).toEqual(['third', 'second', 'first']);
    expect(page).toContain('text of second');
  });

  it('escapes what visitors wrote', async () => {
    await browser.logIn();
    await browser.postEntry('<script>alert(1)</script>', `"><img src=x onerror=alert('x')> & more`);
    const page = await (await browser.get('/')).text();
    expect(page).not.toContain('<script>alert');
    expect(page).not.toContain('<img src=x');
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page).toContain('&quot;&gt;&lt;img src=x onerror=alert(&#39;x&#39;)&gt; &amp; more');
  });

  it('refuses an empty or overlong title with 400 and keeps what was typed', async () => {
    await browser.logIn();
    const empty = await browser.postEntry('   ', 'some <b>text</b>');
    expect(empty.status).toBe(400);
    const html = await empty.text();
    expect(html).toContain('The title is empty.');
    expect(html).toContain('some &lt;b&gt;text&lt;/b&gt;</textarea>');
    expect((await browser.postEntry('x'.repeat(201), 'ok')).status).toBe(400);
    expect(await server.app.store.listEntries(10)).toEqual([]);
  });
});

describe('CSRF', () => {
  it('rejects posts without a token, with a wrong token, or with a token from another session', async () => {
    await browser.logIn();
    expect((await browser.post('/add', { title: 'no token', text: '' })).status).toBe(403);
    expect((await browser.post('/add', { csrf_token: 'forged', title: 'forged', text: '' })).status).toBe(
      403,
    );
    const other = new Browser(server.url);
    const otherToken = await other.csrfToken('/login');
    expect((await browser.post('/add', { csrf_token: otherToken, title: 'stolen', text: '' })).status).toBe(
      403,
    );
    expect(await server.app.store.listEntries(10)).toEqual([]);
  });

  it('rejects a login form posted without the session cookie it was made for', async () => {
    const csrf_token = await browser.csrfToken('/login');
    const cookieless = new Browser(server.url);
    const response = await cookieless.post('/login', {
      csrf_token,
      username: 'admin',
      password: ADMIN_PASSWORD,
    });
    expect(response.status).toBe(403);
    expect(await response.text()).toContain('Reload the page');
  });

  it('accepts the token on another task of the service (same SESSION_SECRET, own database)', async () => {
    const otherTask = await startTestServer();
    try {
      await browser.logIn();
      const csrf_token = await browser.csrfToken('/');
      const onOtherTask = new Browser(otherTask.url);
      onOtherTask.cookie = browser.cookie;
      const response = await onOtherTask.post('/add', { csrf_token, title: 'via task 2', text: '' });
      expect(response.status).toBe(303);
      expect((await otherTask.app.store.listEntries(10)).map((entry) => entry.title)).toEqual(['via task 2']);
    } finally {
      await otherTask.stop();
    }
  });

  it('ignores a session cookie signed with another secret', async () => {
    const otherService = await startTestServer({ SESSION_SECRET: 'another-secret-another-secret!!' });
    try {
      await browser.logIn();
      const csrf_token = await browser.csrfToken('/');
      const foreign = new Browser(otherService.url);
      foreign.cookie = browser.cookie;
      expect((await foreign.post('/add', { csrf_token, title: 'x', text: '' })).status).toBe(403);
    } finally {
      await otherService.stop();
    }
  });
});

describe('login rate limit', () => {
  it('answers 429 with Retry-After after 5 failures in a minute, even for the right password, then lets in', async () => {
    for (let attempt = 1; attempt <= 5; attempt++) {
      expect((await browser.logIn('wrong')).status).toBe(401);
      server.clock.now += 1000;
    }
    const limited = await browser.logIn(ADMIN_PASSWORD);
    expect(limited.status).toBe(429);
    // The first failure was 5 s ago, so it leaves the one-minute window in 55 s.
    expect(limited.headers.get('retry-after')).toBe('55');
    expect(await limited.text()).toContain('Too many failed logins');

    server.clock.now += 55_000;
    expect((await browser.logIn(ADMIN_PASSWORD)).status).toBe(303);
  });
});

describe('login rate limit per client', () => {
  it('ignores X-Forwarded-For unless TRUST_PROXY is set, so spoofing it does not reset the count', async () => {
    for (let attempt = 1; attempt <= 5; attempt++) {
      const csrf_token = await browser.csrfToken('/login');
      const response = await browser.request('/login', {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'x-forwarded-for': `203.0.113.${attempt}`,
        },
        body: new URLSearchParams({ csrf_token, username: 'admin', password: 'wrong' }).toString(),
      });
      expect(response.status).toBe(401);
    }
    expect((await browser.logIn()).status).toBe(429);
  });

  it('counts per forwarded client behind a trusted proxy', async () => {
    const proxied = await startTestServer({ TRUST_PROXY: '1', LOGIN_MAX_FAILURES: '2' });
    try {
      const attempt = async (client: string, password: string): Promise<number> => {
        const visitor = new Browser(proxied.url);
        const csrf_token = await visitor.csrfToken('/login');
        const response = await visitor.request('/login', {
          method: 'POST',
          headers: {
            'content-type': 'application/x-www-form-urlencoded',
            // The client may send its own X-Forwarded-For; the proxy appends the address it saw.
            'x-forwarded-for': `192.0.2.9, ${client}`,
          },
          body: new URLSearchParams({ csrf_token, username: 'admin', password }).toString(),
        });
        return response.status;
      };
      expect(await attempt('198.51.100.1', 'wrong')).toBe(401);
      expect(await attempt('198.51.100.1', 'wrong')).toBe(401);
      expect(await attempt('198.51.100.1', ADMIN_PASSWORD)).toBe(429);
      expect(await attempt('198.51.100.2', ADMIN_PASSWORD)).toBe(303);
    } finally {
      await proxied.stop();
    }
  });
});

describe('headers and cookies', () => {
  it('sends the security headers on pages, API answers and errors', async () => {
    for (const path of ['/', '/api/health-check', '/nope', '/static/style.css']) {
      const response = await browser.get(path);
      const csp = response.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("default-src 'none'");
      expect(csp).not.toContain('unsafe-inline');
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('referrer-policy')).toBe('same-origin');
      expect(response.headers.get('strict-transport-security')).toBeNull();
    }
  });

  it('sets the session cookie HttpOnly, SameSite=Lax, and not Secure over plain HTTP', async () => {
    const response = await browser.get('/');
    const cookie = response.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^session=[\w-]+\.[\w-]+; Path=\/; Max-Age=86400; HttpOnly; SameSite=Lax$/);
    expect(cookie).not.toContain('Secure');
  });

  it('marks the cookie Secure behind a trusted TLS-terminating proxy', async () => {
    const proxied = await startTestServer({ TRUST_PROXY: '1' });
    try {
      const response = await fetch(`${proxied.url}/`, { headers: { 'x-forwarded-proto': 'https' } });
      expect(response.headers.get('set-cookie')).toMatch(/; Secure$/);
      expect(response.headers.get('strict-transport-security')).toBe('max-age=31536000');
    } finally {
      await proxied.stop();
    }
  });

  it('serves the stylesheet with a content type, caching and 304 on a matching ETag', async () => {
    const response = await browser.get('/static/style.css');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect(await response.text()).toContain('.flash');
    const etag = response.headers.get('etag') ?? '';
    expect(etag).toMatch(/^"[\w-]+"$/);
    const again = await browser.request('/static/style.css', { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
  });
});

describe('paging', () => {
  const titlesOf = (html: string): string[] =>
    [...html.matchAll(/<h2>([^<]*)<\/h2>/g)].map((match) => match[1]!);
  const olderLink = (html: string): string | undefined =>
    /<a href="(\/\?before=\d+)" rel="next">older posts<\/a>/.exec(html)?.[1];

  it('lists every entry, newest first, one page at a time through the "older posts" links', async () => {
    const total = ENTRIES_PER_PAGE * 2 + 3;
    for (let n = 1; n <= total; n++) await server.app.store.addEntry(`post ${n}`, '');
    const seen: string[] = [];
    let next: string | undefined = '/';
    let pages = 0;
    while (next !== undefined) {
      const html = await (await browser.get(next)).text();
      seen.push(...titlesOf(html));
      next = olderLink(html);
      pages++;
    }
    expect(pages).toBe(3);
    expect(seen).toEqual(Array.from({ length: total }, (_, index) => `post ${total - index}`));
  });

  it('shows no "older posts" link when everything fits on one page', async () => {
    for (let n = 1; n <= ENTRIES_PER_PAGE; n++) await server.app.store.addEntry(`post ${n}`, '');
    const html = await (await browser.get('/')).text();
    expect(titlesOf(html)).toHaveLength(ENTRIES_PER_PAGE);
    expect(olderLink(html)).toBeUndefined();
  });

  it.each(['abc', '0', '-1', '1e3', '99999999999999999999'])(
    'answers 400 to the cursor %p',
    async (before) => {
      const response = await browser.get(`/?before=${encodeURIComponent(before)}`);
      expect(response.status).toBe(400);
    },
  );
});

describe('forwardedClient (TRUST_PROXY hop count)', () => {
  it.each([
    ['198.51.100.7', 1, '198.51.100.7'],
    ['203.0.113.66, 198.51.100.7', 1, '198.51.100.7'],
    ['203.0.113.66, 198.51.100.7, 10.0.0.2', 2, '198.51.100.7'],
    // Fewer entries than hops: the left-most is as far as the chain goes.
    ['198.51.100.7', 3, '198.51.100.7'],
  ])('takes %p with %p trusted hop(s) as %p', (header, hops, client) => {
    expect(forwardedClient(header, hops)).toBe(client);
  });

  it('ignores the header when no proxy is trusted, or when it is empty', () => {
    expect(forwardedClient('198.51.100.7', 0)).toBeUndefined();
    expect(forwardedClient(undefined, 1)).toBeUndefined();
    expect(forwardedClient(' , ', 1)).toBeUndefined();
  });
});

describe('other answers', () => {
  it('answers 404, 405 with Allow, 415 for non-form posts and 413 for huge forms', async () => {
    expect((await browser.get('/nope')).status).toBe(404);
    const put = await browser.request('/', { method: 'PUT' });
    expect(put.status).toBe(405);
    expect(put.headers.get('allow')).toBe('GET, HEAD');
    const json = await browser.request('/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(json.status).toBe(415);
    const huge = await browser.post('/add', { text: 'x'.repeat(70 * 1024) });
    expect(huge.status).toBe(413);
  });

  it('answers 413 to a 10 MB form and reads the rest, so the same connection serves the next request', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const send = (path: string, body?: Buffer): Promise<{ status: number; socket: unknown }> =>
        new Promise((resolve, reject) => {
          const req = request(
            {
              host: '127.0.0.1',
              port: server.port,
              path,
              agent,
              method: body === undefined ? 'GET' : 'POST',
              headers:
                body === undefined
                  ? {}
                  : { 'content-type': 'application/x-www-form-urlencoded', 'content-length': body.length },
            },
            (response) => {
              response.resume();
              response.on('end', () => resolve({ status: response.statusCode ?? 0, socket: req.socket }));
            },
          );
          req.on('error', reject);
          req.end(body);
        });
      const tooLarge = await send('/add', Buffer.alloc(10 * 1024 * 1024, 'x'));
      expect(tooLarge.status).toBe(413);
      const next = await send('/api/health-check');
      expect(next.status).toBe(200);
      expect(next.socket).toBe(tooLarge.socket);
    } finally {
      agent.destroy();
    }
  });

  it('logs one line per request with method, path (no query), status and duration', async () => {
    await browser.get('/api/health-check?token=secret');
    await browser.get('/nope');
    // A line is written when its response closes, just after the client has its answer: drain first.
    await server.stop();
    expect(server.logLines).toEqual([
      expect.stringMatching(/^GET \/api\/health-check 200 \d+\.\dms$/),
      expect.stringMatching(/^GET \/nope 404 \d+\.\dms$/),
    ]);
    expect(server.logLines.join('\n')).not.toContain('secret');
  });
});

describe('stop', () => {
  it('finishes a request in flight, refuses new connections, closes the database', async () => {
    const csrf_token = await browser.csrfToken('/login');
    const body = new URLSearchParams({ csrf_token, username: 'admin', password: ADMIN_PASSWORD }).toString();
    // A login whose body is still arriving when stop() begins.
    const arrived = once(server.server, 'request');
    const req = request({
      host: '127.0.0.1',
      port: server.port,
      method: 'POST',
      path: '/login',
      headers: {
        cookie: browser.cookie ?? '',
        'content-type': 'application/x-www-form-urlencoded',
        'content-length': Buffer.byteLength(body),
      },
    });
    const answered = once(req, 'response') as Promise<[IncomingMessage]>;
    req.write(body.slice(0, 10));
    await arrived;

    const stopped = server.stop();
    await expect(fetch(`${server.url}/api/health-check`)).rejects.toThrow();
    req.end(body.slice(10));
    const [response] = await answered;
    response.resume();
    expect(response.statusCode).toBe(303);
    expect(response.headers.connection).toBe('close');
    expect(await stopped).toEqual({ forced: false });
    expect(server.app.store.isOpen).toBe(false);
  });
});
