// The live scanner against real local HTTP servers on 127.0.0.1 (TLS and HTTPS scans: live-https.test.ts): every
// check has a server that shows the problem and one that does not. The careless servers' CORS is the point.
// shipkit-ignore-file: code-cors-misconfiguration
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

import {
  allowsInlineScript,
  checkCookies,
  checkHeaders,
  parseCsp,
} from '../../../actions/security-scan/src/scanners/live/headers.js';
import {
  checkHttpRedirect,
  plainHttpUrl,
} from '../../../actions/security-scan/src/scanners/live/exposure.js';
import type { LiveResponse } from '../../../actions/security-scan/src/scanners/live/http.js';
import { LIVE_RULES } from '../../../actions/security-scan/src/scanners/live/live-rules.js';
import { REQUESTS_PER_URL, scanLive } from '../../../actions/security-scan/src/scanners/live/index.js';

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

const servers: Server[] = [];
async function serve(handler: Handler): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
}
afterAll(async () => {
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
});

const HARDENED: Record<string, string> = {
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy': "default-src 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
};

function response(url: string, headers: Record<string, string>, setCookies: string[] = []): LiveResponse {
  return { url, status: 200, headers: new Headers(headers), setCookies, body: '<html></html>' };
}
const ids = (hits: { ruleId: string }[]): string[] => hits.map((hit) => hit.ruleId).sort();

describe('header checks', () => {
  it('finds nothing on a hardened page, over HTTP and HTTPS (with HSTS)', () => {
    expect(checkHeaders(response('http://app/', HARDENED), false)).toEqual([]);
    expect(
      checkHeaders(
        response('https://app/', { ...HARDENED, 'strict-transport-security': 'max-age=31536000' }),
        true,
      ),
    ).toEqual([]);
  });

  it('names each missing header of a bare HTML page', () => {
    expect(ids(checkHeaders(response('https://app/', { 'content-type': 'text/html' }), true))).toEqual([
      'live-clickjacking',
      'live-csp-missing',
      'live-hsts-missing',
      'live-nosniff-missing',
      'live-referrer-policy-missing',
    ]);
  });

  it('asks HTML-only headers only of HTML (a JSON API needs nosniff, not a CSP)', () => {
    expect(
      ids(checkHeaders(response('http://app/api', { 'content-type': 'application/json' }), false)),
    ).toEqual(['live-nosniff-missing']);
  });

  it("flags 'unsafe-inline' scripts unless a nonce or hash disables it (CSP3), script-src before default-src", () => {
    const allows = (csp: string): boolean => parseCsp(csp).every(allowsInlineScript);
    expect(allows("default-src 'self' 'unsafe-inline'")).toBe(true);
    expect(allows("default-src 'self'; script-src 'self' 'unsafe-inline'")).toBe(true);
    expect(allows("default-src 'self'")).toBe(false);
    expect(allows("script-src 'self' 'unsafe-inline' 'nonce-abc'")).toBe(false);
    expect(allows("default-src 'unsafe-inline'; script-src 'self'")).toBe(false);
    // Two policies: a script runs only if both allow it.
    expect(allows("script-src 'unsafe-inline', script-src 'self'")).toBe(false);
    expect(
      ids(
        checkHeaders(
          response('http://app/', {
            ...HARDENED,
            'content-security-policy': "script-src 'unsafe-inline'; frame-ancestors 'none'",
          }),
          false,
        ),
      ),
    ).toEqual(['live-csp-unsafe-inline']);
  });

  it('takes X-Frame-Options DENY/SAMEORIGIN instead of frame-ancestors, not ALLOW-FROM', () => {
    const noAncestors = { ...HARDENED, 'content-security-policy': "default-src 'self'" };
    expect(
      checkHeaders(response('http://app/', { ...noAncestors, 'x-frame-options': 'SAMEORIGIN' }), false),
    ).toEqual([]);
    expect(
      ids(
        checkHeaders(
          response('http://app/', { ...noAncestors, 'x-frame-options': 'ALLOW-FROM https://x' }),
          false,
        ),
      ),
    ).toEqual(['live-clickjacking']);
  });

  it('flags HSTS with max-age=0 and a Referrer-Policy of unsafe-url', () => {
    const hits = checkHeaders(
      response('https://app/', {
        ...HARDENED,
        'strict-transport-security': 'max-age=0',
        'referrer-policy': 'unsafe-url',
      }),
      true,
    );
    expect(ids(hits)).toEqual(['live-hsts-missing', 'live-referrer-policy-missing']);
  });

  it('flags X-Powered-By and a Server header with a version, not a bare Server name', () => {
    expect(
      ids(checkHeaders(response('http://app/', { ...HARDENED, 'x-powered-by': 'Express' }), false)),
    ).toEqual(['live-version-banner']);
    expect(
      ids(checkHeaders(response('http://app/', { ...HARDENED, server: 'nginx/1.18.0' }), false)),
    ).toEqual(['live-version-banner']);
    expect(checkHeaders(response('http://app/', { ...HARDENED, server: 'nginx' }), false)).toEqual([]);
  });
});

describe('cookie checks', () => {
  it('asks Secure of every cookie over HTTPS, HttpOnly and SameSite of session cookies only', () => {
    const hits = checkCookies(
      response('https://app/', {}, [
        'session=abc; Path=/',
        'theme=dark; Path=/; Secure',
        'sid=1; Secure; HttpOnly; SameSite=None',
      ]),
      true,
    );
    expect(hits.map((hit) => `${hit.ruleId} ${hit.message.match(/"(\w+)"/)![1]}`).sort()).toEqual([
      'live-cookie-no-samesite session',
      'live-cookie-no-samesite sid',
      'live-cookie-not-httponly session',
      'live-cookie-not-secure session',
    ]);
  });

  it('finds nothing for a well-flagged session cookie, over HTTP without Secure, or for a deletion', () => {
    expect(
      checkCookies(response('https://app/', {}, ['session=a; Secure; HttpOnly; SameSite=Lax']), true),
    ).toEqual([]);
    expect(
      checkCookies(response('http://app/', {}, ['session=a; HttpOnly; SameSite=Strict']), false),
    ).toEqual([]);
    expect(checkCookies(response('https://app/', {}, ['session=; Max-Age=0']), true)).toEqual([]);
  });
});

/** A deliberately careless app: every exposure the scanner looks for. */
const careless: Handler = (request, res) => {
  const path = request.url ?? '/';
  if (path === '/') {
    res.setHeader('content-type', 'text/html');
    res.setHeader('x-powered-by', 'Express');
    res.setHeader('set-cookie', 'connect.sid=s%3Aabc; Path=/');
    if (request.headers.origin) {
      res.setHeader('access-control-allow-origin', request.headers.origin);
      res.setHeader('access-control-allow-credentials', 'true');
    }
    res.end(
      '<html><head><script src="/static/app.js"></script><script src="https://cdn.example/x.js"></script></head></html>',
    );
  } else if (path === '/.git/HEAD') {
    res.end('ref: refs/heads/main\n');
  } else if (path === '/.env') {
    res.setHeader('content-type', 'application/octet-stream');
    res.end('DATABASE_URL=postgres://u:p@db/app\nSECRET_KEY=abc\n');
  } else if (path === '/static/app.js.map') {
    res.setHeader('content-type', 'application/json');
    res.end('{"version":3,"sources":["app.ts"],"mappings":"AAAA"}');
  } else if (path === '/static/') {
    res.setHeader('content-type', 'text/html');
    res.end(
      '<html><head><title>Index of /static/</title></head><body><a href="app.js">app.js</a></body></html>',
    );
  } else {
    res.statusCode = 404;
    res.end('not found');
  }
};

/** The same app, careful: SPA-style catch-all pages (200 HTML for every path) must not read as exposures. */
const careful: Handler = (request, res) => {
  for (const [name, value] of Object.entries(HARDENED)) res.setHeader(name, value);
  res.setHeader('set-cookie', 'connect.sid=s%3Aabc; Path=/; HttpOnly; SameSite=Lax');
  if (request.url === '/static/app.js.map') {
    res.statusCode = 404;
    res.end();
    return;
  }
  res.end('<html><head><script src="/static/app.js"></script></head><body>Index of nothing</body></html>');
};

describe('scanLive against local servers', () => {
  it('finds every exposure of a careless app, each with its OWASP id, within the request budget', async () => {
    const url = await serve(careless);
    const result = await scanLive([url], { timeoutMs: 5000, certificateExpiryDays: 30 });
    expect(result.unreachable).toEqual([]);
    expect(result.findings.map((finding) => finding.ruleId).sort()).toEqual([
      'live-clickjacking',
      'live-cookie-no-samesite',
      'live-cookie-not-httponly',
      'live-cors-credentials',
      'live-csp-missing',
      'live-directory-listing',
      'live-exposed-env',
      'live-exposed-git',
      'live-exposed-source-map',
      'live-nosniff-missing',
      'live-referrer-policy-missing',
      'live-version-banner',
    ]);
    for (const finding of result.findings) {
      expect(finding.file).toBe(url);
      expect(finding.category).toBe('live');
      expect(finding.message).toMatch(/\(A0\d:2021 /);
    }
    expect(result.requests).toBeLessThanOrEqual(REQUESTS_PER_URL);
  }, 30_000);

  it('finds nothing on a careful app whose catch-all answers 200 HTML everywhere', async () => {
    const url = await serve(careful);
    const result = await scanLive([url], { timeoutMs: 5000, certificateExpiryDays: 30 });
    expect(result).toMatchObject({ findings: [], unreachable: [] });
  }, 30_000);

  it('reports a URL that does not answer as unreachable, not as clean', async () => {
    const url = await serve(careful);
    const closed = servers.pop()!;
    await new Promise((resolve) => closed.close(resolve));
    const result = await scanLive([url], { timeoutMs: 2000, certificateExpiryDays: 30 });
    expect(result.findings).toEqual([]);
    expect(result.unreachable).toEqual([{ url, reason: 'ECONNREFUSED' }]);
  }, 30_000);

  it('reads a reflected Origin without credentials as fine, and * with credentials as a finding', async () => {
    const withoutCredentials = await serve((request, res) => {
      res.setHeader('access-control-allow-origin', request.headers.origin ?? '*');
      careful(request, res);
    });
    const star = await serve((request, res) => {
      res.setHeader('access-control-allow-origin', '*');
      res.setHeader('access-control-allow-credentials', 'true');
      careful(request, res);
    });
    const options = { timeoutMs: 5000, certificateExpiryDays: 30 };
    expect((await scanLive([withoutCredentials], options)).findings).toEqual([]);
    expect((await scanLive([star], options)).findings.map((finding) => finding.ruleId)).toEqual([
      'live-cors-credentials',
    ]);
  }, 30_000);
});

describe('exposure and CORS edge cases', () => {
  const options = { timeoutMs: 5000, certificateExpiryDays: 30 };

  it('flags a page that is itself a directory listing', async () => {
    const url = await serve((request, res) => {
      for (const [name, value] of Object.entries(HARDENED)) res.setHeader(name, value);
      if (request.url !== '/') {
        res.statusCode = 404;
        res.end();
        return;
      }
      res.end(
        '<html><head><title>Index of /</title></head><body><a href="backup.sql">backup.sql</a></body></html>',
      );
    });
    const result = await scanLive([url], options);
    expect(result.findings.map((finding) => finding.ruleId)).toEqual(['live-directory-listing']);
  }, 30_000);

  it('reads a plain-text 200 for every path as no exposure (no ref in .git/HEAD, no KEY=value in .env)', async () => {
    const url = await serve((request, res) => {
      for (const [name, value] of Object.entries(HARDENED)) res.setHeader(name, value);
      if (request.url === '/') {
        res.end('<html><head><script src="/app.js"></script></head></html>');
        return;
      }
      res.setHeader('content-type', 'text/plain');
      res.end('OK');
    });
    const result = await scanLive([url], options);
    expect(result).toMatchObject({ findings: [], unreachable: [] });
  }, 30_000);

  it('passes credentials allowed for one fixed origin that is not the probe', async () => {
    const url = await serve((request, res) => {
      res.setHeader('access-control-allow-origin', 'https://app.example.com');
      res.setHeader('access-control-allow-credentials', 'true');
      careful(request, res);
    });
    expect((await scanLive([url], options)).findings).toEqual([]);
  }, 30_000);
});

describe('HTTP to HTTPS redirect', () => {
  const page = (url: string): LiveResponse => response(url, HARDENED);
  const budget = () => ({ timeoutMs: 2000, used: 0, limit: 5 });

  it('asks port 80 only for an HTTPS URL on the default port', () => {
    expect(plainHttpUrl('https://app.example/login')).toBe('http://app.example/login');
    expect(plainHttpUrl('https://app.example:8443/')).toBeUndefined();
    expect(plainHttpUrl('http://app.example/')).toBeUndefined();
  });

  it('passes a redirect to https and a port that does not answer; flags a page served over HTTP', async () => {
    const redirects = await serve((request, res) => {
      res.writeHead(301, { location: `https://app.example${request.url}` }).end();
    });
    const toHttp = await serve((_request, res) => {
      res.writeHead(302, { location: 'http://app.example/login' }).end();
    });
    const serves = await serve(careful); // last: closed below
    expect(await checkHttpRedirect(page('https://app.example/'), budget(), redirects)).toEqual([]);
    const staysPlain = await checkHttpRedirect(page('https://app.example/'), budget(), toHttp);
    expect(staysPlain.map((hit) => hit.message)).toEqual([
      expect.stringMatching(/answers 302 \(Location: http:\/\/app\.example\/login\)/),
    ]);
    const hits = await checkHttpRedirect(page('https://app.example/'), budget(), serves);
    expect(hits.map((hit) => hit.ruleId)).toEqual(['live-http-not-redirected']);
    expect(hits[0]!.message).toContain('answers 200');
    const closed = servers.pop()!;
    await new Promise((resolve) => closed.close(resolve));
    expect(await checkHttpRedirect(page('https://app.example/'), budget(), serves)).toEqual([]);
  });
});

describe('live rules', () => {
  it('each carries an OWASP Top 10 (2021) id, a title and a fix', () => {
    for (const rule of LIVE_RULES) {
      expect(rule.owasp).toMatch(/^A(0[1-9]|10):2021 /);
      expect(rule.title.length).toBeGreaterThan(10);
      expect(rule.fix.length).toBeGreaterThan(10);
    }
  });
});

describe('the live scanner in a scan', () => {
  it('runs with urls, reports findings against the URL with its rule, and names URLs that did not answer', async () => {
    const { scan } = await import('../../../actions/security-scan/src/scan.js');
    const { ruleById } = await import('../../../actions/security-scan/src/rules.js');
    const url = await serve(careless);
    const gone = await serve(careful);
    const closed = servers.pop()!;
    await new Promise((resolve) => closed.close(resolve));
    const result = await scan([], {
      scanners: ['live'],
      ignore: ['live-version-banner', 'test/fixtures/**'],
      dependencies: {},
      workflows: {},
      live: { urls: [url, gone], timeoutMs: 5000, certificateExpiryDays: 30 },
    });
    expect(result.findings.map((finding) => finding.ruleId)).toContain('live-exposed-env');
    expect(result.suppressed.map((finding) => finding.ruleId)).toEqual(['live-version-banner']);
    expect(result.liveUnreachable).toEqual([{ url: gone, reason: 'ECONNREFUSED' }]);
    for (const finding of result.findings) expect(ruleById(finding.ruleId).owasp).toMatch(/2021/);
  }, 30_000);

  it('refuses a urls entry that is not an http(s) URL, naming the input', async () => {
    const { parseUrls } = await import('../../../actions/security-scan/src/inputs.js');
    expect(parseUrls(['https://app.example.com', 'http://127.0.0.1:3000/x'])).toEqual([
      'https://app.example.com/',
      'http://127.0.0.1:3000/x',
    ]);
    expect(() => parseUrls(['ftp://app.example.com/'])).toThrow(
      /Input "urls" lists "ftp:\/\/app.example.com\/"/,
    );
    expect(() => parseUrls(['app.example.com'])).toThrow(/Input "urls"/);
  });
});
