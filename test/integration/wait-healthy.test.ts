import {
  parseFailCondition,
  parseJsonPath,
  type Expectations,
} from '../../actions/wait-healthy/src/checks.js';
import { failureMessage } from '../../actions/wait-healthy/src/report.js';
import { waitForHealthy, type WaitReport, type WaitSettings } from '../../actions/wait-healthy/src/wait.js';
import { httpProbe, type HttpProbeRequest } from '../../shared/http-probe.js';
import { sleep } from '../../shared/retry.js';
import {
  freePort,
  json,
  makeCertificates,
  serveClosingAfterEach,
  type Certificates,
} from './wait-healthy-fixtures.js';

/**
 * The wait against real local HTTP(S) servers, real sockets and the real clock (short intervals keep it
 * quick). Assertions are about outcomes and messages, never about exact timings.
 */

const anyStatus: Expectations = { statuses: [{ from: 200, to: 399 }], failIf: [] };
const newVersion: Expectations = {
  ...anyStatus,
  jsonPath: parseJsonPath('ver')!,
  jsonPathText: 'ver',
  expectValue: 'new',
};

interface WaitOptions extends Partial<WaitSettings> {
  probe?: Partial<HttpProbeRequest>;
  signal?: AbortSignal;
}

async function wait(
  urls: string[],
  options: WaitOptions = {},
): Promise<{ report: WaitReport; log: string[]; message: string }> {
  const { probe, signal, ...overrides } = options;
  const settings: WaitSettings = {
    urls: urls.map((url) => new URL(url)),
    timeoutMs: 5000,
    requestTimeoutMs: 2000,
    minIntervalMs: 50,
    maxIntervalMs: 150,
    consecutiveSuccesses: 2,
    expectations: anyStatus,
    secrets: [],
    ...overrides,
  };
  const log: string[] = [];
  const report = await waitForHealthy(settings, {
    now: () => performance.now(),
    sleep,
    random: Math.random,
    log: (line) => log.push(line),
    ...(signal ? { signal } : {}),
    probe: (url, timeoutMs, probeSignal) =>
      httpProbe({ url, method: 'GET', timeoutMs, ...(probeSignal ? { signal: probeSignal } : {}), ...probe }),
  });
  return {
    report,
    log,
    message: report.healthy ? '' : failureMessage(report, settings.expectations, settings.secrets),
  };
}

const serve = serveClosingAfterEach();

describe('wait-healthy against real servers', () => {
  it('is healthy at once', async () => {
    const server = await serve((_, response) => json(response, 200, { success: true, ver: 'new' }));
    const { report } = await wait([`${server.url}/health`], { expectations: newVersion });
    expect(report.healthy).toBe(true);
    expect(report.attempts).toBe(2);
    expect(report.urls[0]!.result.lastAnswer).toMatchObject({ status: 200, version: 'new' });
  });

  it('waits for a service that becomes healthy after a while', async () => {
    const started = Date.now();
    const server = await serve((_, response) =>
      Date.now() - started < 700
        ? json(response, 503, { success: false })
        : json(response, 200, { success: true }),
    );
    const { report, log } = await wait([`${server.url}/health`]);
    expect(report.healthy).toBe(true);
    expect(report.urls[0]!.result.timeToHealthyMs).toBeGreaterThanOrEqual(600);
    expect(log[0]).toMatch(
      /not healthy: 503 Service Unavailable \(expected 200-399\) — body: \{"success":false\}/,
    );
  });

  it('times out on a service that never turns healthy, naming the last status', async () => {
    const server = await serve((_, response) => json(response, 500, { error: 'database unreachable' }));
    const { report, message } = await wait([`${server.url}/health`], { timeoutMs: 1200 });
    expect(report.healthy).toBe(false);
    expect(report.elapsedMs).toBeLessThan(5000);
    expect(message).toMatch(
      /not healthy within the 1\.2 s timeout \(\d+ attempts\); last answer: 500 Internal Server Error/,
    );
    expect(message).toContain('body: {"error":"database unreachable"}');
  });

  it('waits for the new version while the old one still answers 200', async () => {
    const started = Date.now();
    const server = await serve((_, response) =>
      json(response, 200, { success: true, ver: Date.now() - started < 600 ? 'old' : 'new' }),
    );
    const { report, log } = await wait([`${server.url}/health`], { expectations: newVersion });
    expect(report.healthy).toBe(true);
    expect(report.urls[0]!.result.timeToHealthyMs).toBeGreaterThanOrEqual(500);
    expect(log[0]).toContain('200 OK but ver is "old", expected "new"');
  });

  it('does not settle while old and new tasks answer in turn, only once the old ones are gone', async () => {
    const started = Date.now();
    let count = 0;
    const server = await serve((_, response) => {
      const rollout = Date.now() - started < 800;
      json(response, 200, { ver: rollout && ++count % 2 === 0 ? 'old' : 'new' });
    });
    const { report, log } = await wait([`${server.url}/health`], { expectations: newVersion });
    expect(report.healthy).toBe(true);
    expect(report.urls[0]!.result.timeToHealthyMs).toBeGreaterThanOrEqual(700);
    expect(log.filter((line) => line.includes('healthy answer')).length).toBeGreaterThan(1);
  });

  it('accepts one lucky answer when consecutive-successes is 1 (the flapping case needs 2)', async () => {
    let count = 0;
    const server = await serve((_, response) =>
      json(response, 200, { ver: ++count % 2 === 0 ? 'old' : 'new' }),
    );
    const { report } = await wait([`${server.url}/health`], {
      expectations: newVersion,
      consecutiveSuccesses: 1,
    });
    expect(report.healthy).toBe(true);
    expect(report.attempts).toBe(1);
  });

  it('rides out 500s, then passes on 200', async () => {
    let count = 0;
    const server = await serve((_, response) =>
      ++count <= 3 ? json(response, 500, {}) : json(response, 200, {}),
    );
    const { report } = await wait([`${server.url}/health`]);
    expect(report.healthy).toBe(true);
    expect(report.attempts).toBe(5);
  });

  it('rides out connection refused until the server comes up', async () => {
    const port = await freePort();
    setTimeout(() => void serve((_, response) => json(response, 200, {}), { port }), 500);
    const { report, log } = await wait([`http://127.0.0.1:${port}/health`]);
    expect(report.healthy).toBe(true);
    expect(log[0]).toMatch(/not healthy: connection refused/);
    expect(report.urls[0]!.result.firstAnswerMs).toBeGreaterThanOrEqual(400);
  });

  it('gives up on slow answers at the per-request timeout', async () => {
    const server = await serve((_, response) => {
      setTimeout(() => json(response, 200, {}), 1500).unref();
    });
    const { report, message } = await wait([`${server.url}/health`], {
      timeoutMs: 1500,
      requestTimeoutMs: 300,
    });
    expect(report.healthy).toBe(false);
    expect(report.urls[0]!.result.attempts).toBeGreaterThanOrEqual(2);
    expect(message).toMatch(/last error: no answer within [1-3]\d\d ms; no HTTP answer at all/);
  });

  it('reaches localhost whether the server listens on 127.0.0.1 or ::1', async () => {
    for (const host of ['127.0.0.1', '::1']) {
      const server = await serve((_, response) => json(response, 200, {}), { host });
      const { report } = await wait([`http://localhost:${server.port}/health`]);
      expect(report.healthy).toBe(true);
    }
  });

  it('follows redirects, or judges the redirect itself when told not to', async () => {
    const server = await serve((request, response) => {
      if (request.url === '/health') response.writeHead(302, { location: '/ready' }).end();
      else json(response, 200, { ver: 'new' });
    });
    expect((await wait([`${server.url}/health`], { expectations: newVersion })).report.healthy).toBe(true);
    const { message } = await wait([`${server.url}/health`], {
      timeoutMs: 1000,
      expectations: { ...anyStatus, statuses: [{ from: 200, to: 299 }] },
      probe: { followRedirects: false },
    });
    expect(message).toContain('last answer: 302 Found (expected 200-299)');
  });

  it('reports a redirect loop instead of following it forever', async () => {
    const server = await serve((request, response) => {
      response.writeHead(302, { location: request.url === '/a' ? '/b' : '/a' }).end();
    });
    const { report, message } = await wait([`${server.url}/a`], {
      timeoutMs: 1000,
      probe: { maxRedirects: 3 },
    });
    expect(report.healthy).toBe(false);
    expect(message).toMatch(/last error: more than 3 redirects \(a redirect loop\?\)/);
  });

  it('says the body is not JSON when a json-path is checked', async () => {
    const server = await serve((_, response) =>
      response.writeHead(200, { 'content-type': 'text/html' }).end('<h1>old</h1>'),
    );
    const { message } = await wait([`${server.url}/health`], { expectations: newVersion, timeoutMs: 1000 });
    expect(message).toContain('200 OK but the body is not JSON, so ver cannot be read');
    expect(message).toContain('ver seen: none, expected "new"');
    expect(message).toContain('body: <h1>old</h1>');
  });

  it('ends at once on fail-if instead of burning the timeout', async () => {
    const server = await serve((_, response) =>
      json(response, 200, { status: 'failed', reason: 'migration 42' }),
    );
    const { report, message } = await wait([`${server.url}/health`], {
      timeoutMs: 60_000,
      expectations: { ...anyStatus, failIf: [parseFailCondition('"status": "failed"')!] },
    });
    expect(report.healthy).toBe(false);
    expect(report.elapsedMs).toBeLessThan(10_000);
    expect(message).toMatch(
      /failed at once: 200 OK: the answer matches fail-if "status": "failed" \(1 attempt\)/,
    );
  });

  it('honours Retry-After on 503', async () => {
    const times: number[] = [];
    const server = await serve((_, response) => {
      times.push(Date.now());
      if (times.length === 1) response.writeHead(503, { 'retry-after': '1' }).end();
      else json(response, 200, {});
    });
    const { report, log } = await wait([`${server.url}/health`]);
    expect(report.healthy).toBe(true);
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(950);
    expect(log[0]).toContain('server asks to retry after 1.0 s');
  });

  it('sends the headers and HEAD when asked, without a body', async () => {
    let method = '';
    const server = await serve((request, response) => {
      method = request.method ?? '';
      response.writeHead(request.headers.authorization === 'Bearer t0ken' ? 204 : 401).end();
    });
    const { report } = await wait([`${server.url}/health`], {
      probe: { method: 'HEAD', headers: { authorization: 'Bearer t0ken' } },
    });
    expect(report.healthy).toBe(true);
    expect(method).toBe('HEAD');
  });

  it('stops promptly when cancelled, leaving no request open', async () => {
    const server = await serve(() => undefined); // never answers
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 300);
    const started = Date.now();
    const { report } = await wait([`${server.url}/health`], {
      signal: controller.signal,
      requestTimeoutMs: 10_000,
    });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(report.cancelled).toBe(true);
    expect(server.requests).toBe(1);
    // The aborted request's socket is closed, not left for the server to time out.
    let open = await server.openConnections();
    for (let tries = 0; open > 0 && tries < 50; tries++) {
      await sleep(20);
      open = await server.openConnections();
    }
    expect(open).toBe(0);
  });

  describe('HTTPS', () => {
    let certs: Certificates;
    beforeAll(() => {
      certs = makeCertificates();
    });

    it('refuses a self-signed certificate by default and accepts it with insecure', async () => {
      const server = await serve((_, response) => json(response, 200, {}), { tls: certs.selfSigned });
      const refused = await wait([`${server.url}/health`], { timeoutMs: 1000 });
      expect(refused.report.healthy).toBe(false);
      expect(refused.message).toContain('certificate is self-signed (set ca-file, or insecure: true');
      expect((await wait([`${server.url}/health`], { probe: { insecure: true } })).report.healthy).toBe(true);
    });

    it('trusts a private CA from ca-file, and refuses the wrong CA', async () => {
      const server = await serve((_, response) => json(response, 200, {}), { tls: certs.signed });
      const url = `https://localhost:${server.port}/health`;
      const trusted = await wait([url], { probe: { ca: certs.caPem } });
      expect(trusted.report.healthy).toBe(true);
      const wrong = await wait([url], {
        timeoutMs: 1000,
        probe: { ca: certs.otherCaPem },
      });
      expect(wrong.report.healthy).toBe(false);
      expect(wrong.message).toMatch(/certificate is not signed by a trusted CA \(set ca-file\)/);
    });
  });
});
