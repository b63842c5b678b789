import {
  parseFailCondition,
  parseJsonPath,
  type Expectations,
} from '../../../actions/wait-healthy/src/checks.js';
import {
  decidingUrl,
  describeExpectations,
  displayUrl,
  failureMessage,
  maskSecrets,
  summaryMarkdown,
} from '../../../actions/wait-healthy/src/report.js';
import { waitForHealthy, type WaitSettings } from '../../../actions/wait-healthy/src/wait.js';
import type { HttpProbeResult } from '../../../shared/http-probe.js';
import { answer, FakeClock, failure } from './fake-clock.js';

const versionCheck: Expectations = {
  statuses: [{ from: 200, to: 399 }],
  failIf: [],
  jsonPath: parseJsonPath('ver')!,
  jsonPathText: 'ver',
  expectValue: 'new',
};

function settings(urls: string[], overrides: Partial<WaitSettings> = {}): WaitSettings {
  return {
    urls: urls.map((url) => new URL(url)),
    timeoutMs: 30_000,
    requestTimeoutMs: 5000,
    minIntervalMs: 400,
    maxIntervalMs: 1200,
    consecutiveSuccesses: 2,
    expectations: versionCheck,
    secrets: [],
    ...overrides,
  };
}

async function run(
  config: WaitSettings,
  server: (url: string, time: number) => HttpProbeResult,
  signal?: AbortSignal,
) {
  const clock = new FakeClock();
  const log: string[] = [];
  const report = await waitForHealthy(config, {
    now: clock.now,
    sleep: clock.sleep,
    random: () => 0.5,
    log: (line) => log.push(line),
    ...(signal ? { signal } : {}),
    probe: (url) => {
      const result = server(url.href, clock.time);
      clock.time += 2;
      return Promise.resolve(result);
    },
  });
  return { report, log };
}

const version = (ver: string): HttpProbeResult => answer(200, JSON.stringify({ success: true, ver }));

describe('waitForHealthy', () => {
  it('waits for the new version and logs changes, not polls', async () => {
    const { report, log } = await run(settings(['http://app.test/health']), (_, time) =>
      time < 1000
        ? failure('ECONNREFUSED', 'connection refused')
        : time < 8000
          ? version('old')
          : version('new'),
    );
    expect(report.healthy).toBe(true);
    expect(report.attempts).toBeGreaterThan(8);
    expect(log).toHaveLength(4);
    expect(log[0]).toMatch(/not healthy: connection refused \(attempt 1, 0 ms in\)/);
    expect(log[1]).toMatch(/200 OK but ver is "old", expected "new"/);
    expect(log[2]).toMatch(/healthy answer: 200 OK, ver "new"/);
    expect(log[3]).toMatch(/healthy 2 times in a row/);
    const deciding = decidingUrl(report)!;
    expect(deciding.result.lastAnswer).toMatchObject({ status: 200, version: 'new' });
  });

  it('fails on the deadline with the last status, version seen vs expected, body and attempts', async () => {
    const config = settings(['http://app.test/health'], { timeoutMs: 10_000 });
    const { report } = await run(config, () => version('old'));
    expect(report.healthy).toBe(false);
    const message = failureMessage(report, config.expectations, []);
    expect(message).toMatch(
      /^http:\/\/app\.test\/health not healthy within the 10\.0 s timeout \(\d+ attempts\)/,
    );
    expect(message).toContain('last answer: 200 OK but ver is "old", expected "new"');
    expect(message).toContain('ver seen: "old", expected "new"');
    expect(message).toContain('body: {"success":true,"ver":"old"}');
  });

  it('names the last HTTP status even when the last probes could not connect', async () => {
    const config = settings(['http://app.test/health'], { timeoutMs: 10_000 });
    const { report } = await run(config, (_, time) =>
      time < 4000 ? answer(502, 'Bad Gateway') : failure('ECONNREFUSED', 'connection refused'),
    );
    const message = failureMessage(report, config.expectations, []);
    expect(message).toContain('last error: connection refused; last status before that: 502');
    expect(message).toContain('body: Bad Gateway');
  });

  it('needs every URL healthy, and reports per URL', async () => {
    const config = settings(['http://a.test/health', 'http://b.test/health'], { timeoutMs: 5000 });
    const { report } = await run(config, (url) =>
      url.startsWith('http://a') ? version('new') : answer(503),
    );
    expect(report.healthy).toBe(false);
    expect(report.urls.map((entry) => entry.result.outcome)).toEqual(['healthy', 'timeout']);
    const message = failureMessage(report, config.expectations, []);
    expect(message).toMatch(/^http:\/\/b\.test\/health not healthy/);
    expect(message).toMatch(/\(1 of 2 URLs healthy\)$/);
    const summary = summaryMarkdown(report, config.expectations, []);
    expect(summary).toContain('| http://a.test/health | ✅ healthy |');
    expect(summary).toContain('| http://b.test/health | ❌ timed out |');
    expect(decidingUrl(report)!.url).toBe('http://b.test/health');
  });

  it('stops every URL when one matches fail-if', async () => {
    const config = settings(['http://a.test/health', 'http://b.test/health'], {
      expectations: { ...versionCheck, failIf: [parseFailCondition('"status": "failed"')!] },
    });
    const { report } = await run(config, (url, time) =>
      url.startsWith('http://a') && time > 2000 ? answer(500, '{"status": "failed"}') : answer(503),
    );
    expect(report.healthy).toBe(false);
    expect(report.elapsedMs).toBeLessThan(4000);
    expect(report.urls[0]!.result.outcome).toBe('fatal');
    expect(report.urls[1]!.stoppedBy).toBe('http://a.test/health');
    expect(failureMessage(report, config.expectations, [])).toMatch(
      /^http:\/\/a\.test\/health failed at once: 500: the answer matches fail-if "status": "failed" \(\d+ attempts\); ver seen: none, expected "new"; body: \{"status": "failed"\} \(0 of 2 URLs healthy\)$/,
    );
  });

  it('logs a flapping answer a few times, then stops repeating it', async () => {
    let probes = 0;
    const config = settings(['http://app.test/health'], { timeoutMs: 20_000 });
    const { log } = await run(config, () => (++probes % 2 === 0 ? version('old') : version('new')));
    expect(probes).toBeGreaterThan(20);
    expect(log.length).toBeLessThan(10);
    expect(log.some((line) => line.includes('keeps flipping'))).toBe(true);
  });

  it('masks secrets in log lines, errors and the summary', async () => {
    const config = settings(['http://user:hunter22@app.test/health'], {
      timeoutMs: 3000,
      secrets: ['tok-123456', 'hunter22'],
    });
    const { report, log } = await run(config, () =>
      answer(401, '{"error": "bad token tok-123456", "password": "x"}'),
    );
    const text = [
      ...log,
      failureMessage(report, config.expectations, config.secrets),
      summaryMarkdown(report, config.expectations, config.secrets),
    ].join('\n');
    expect(text).not.toContain('tok-123456');
    expect(text).not.toContain('hunter22');
    expect(text).toContain('bad token ***');
    expect(text).toContain('"password": "***"');
  });

  it('reports a cancelled wait', async () => {
    const controller = new AbortController();
    const { report } = await run(
      settings(['http://app.test/health']),
      (_, time) => {
        if (time > 1500) controller.abort();
        return answer(503);
      },
      controller.signal,
    );
    expect(report.cancelled).toBe(true);
    expect(report.healthy).toBe(false);
    expect(report.urls[0]!.result.outcome).toBe('cancelled');
  });
});

describe('describeExpectations', () => {
  it('says in one line what counts as healthy', () => {
    expect(
      describeExpectations({
        ...versionCheck,
        bodyIncludes: 'ok',
        failIf: [parseFailCondition('"status": "failed"')!],
      }),
    ).toBe('status 200-399, body contains "ok", ver = "new", fail-if "status": "failed"');
  });
});

describe('displayUrl', () => {
  it('hides credentials and secret-looking query values', () => {
    expect(displayUrl(new URL('https://u:p@app.test/health?api_key=k1&env=prod&X-Amz-Signature=s'))).toBe(
      'https://app.test/health?api_key=***&env=prod&X-Amz-Signature=***',
    );
    expect(displayUrl(new URL('http://app.test/health'))).toBe('http://app.test/health');
  });

  it.each([
    ['a space', 'http://app.test/my health?q=a b', 'http://app.test/my%20health?q=a%20b'],
    ['%20 already', 'http://app.test/my%20health?q=a%20b', 'http://app.test/my%20health?q=a%20b'],
    ['unicode', 'http://app.test/santé?q=é', 'http://app.test/sant%C3%A9?q=%C3%A9'],
    ['a unicode host', 'http://bücher.test/', 'http://xn--bcher-kva.test/'],
  ])('shows a URL with %s encoded once', (_, given, shown) => {
    expect(displayUrl(new URL(given))).toBe(shown);
  });

  it('masks a secret query value without re-encoding the rest of the query', () => {
    expect(displayUrl(new URL('http://app.test/a b?q=a b&r=%20&sig=x y&plus=a+b&flag'))).toBe(
      'http://app.test/a%20b?q=a%20b&r=%20&sig=***&plus=a+b&flag',
    );
    // The name is compared decoded: an encoded "token" is still masked.
    expect(displayUrl(new URL('http://app.test/?%74oken=t1'))).toBe('http://app.test/?%74oken=***');
  });

  it('shows the URL encoded once in the log, the error and the summary', async () => {
    const config = settings(['http://app.test/my health/%20/é?q=a b'], {
      timeoutMs: 3000,
      expectations: { statuses: [{ from: 200, to: 299 }], failIf: [] },
    });
    const { report, log } = await run(config, () => answer(503, 'down'));
    const shown = 'http://app.test/my%20health/%20/%C3%A9?q=a%20b';
    const texts = [
      log.join('\n'),
      failureMessage(report, config.expectations, []),
      summaryMarkdown(report, config.expectations, []),
    ];
    for (const text of texts) {
      expect(text).toContain(shown);
      expect(text).not.toMatch(/%25|%2520/);
    }
  });
});

describe('100 KB expectations', () => {
  it('are shown as excerpts in the log, the error and the summary', async () => {
    const long = 'v'.repeat(100 * 1024);
    // A regular expression this long cannot compile (refused as an input); 20 KB can.
    const longPattern = 'v'.repeat(20 * 1024);
    const expectations: Expectations = {
      statuses: [{ from: 200, to: 299 }],
      bodyIncludes: long,
      bodyRegex: new RegExp(longPattern),
      jsonPath: parseJsonPath(`a${long}`)!,
      jsonPathText: `a${long}`,
      expectValue: long,
      failIf: [parseFailCondition(`x${longPattern}`)!],
    };
    const config = settings(['http://app.test/health'], { timeoutMs: 3000, expectations });
    const { report, log } = await run(config, () => answer(200, '{}'));
    const texts = {
      describe: describeExpectations(expectations),
      log: log.join('\n'),
      error: failureMessage(report, expectations, []),
      summary: summaryMarkdown(report, expectations, []),
    };
    for (const [where, text] of Object.entries(texts)) {
      expect([where, text.length < 2000]).toEqual([where, true]);
      expect(text).toMatch(/\(10240[01] characters\)/);
    }
    expect(texts.describe).toContain(`body matches /${'v'.repeat(80)}... (20480 characters)/`);
    expect(texts.describe).toContain(`fail-if x${'v'.repeat(79)}... (20481 characters)`);
    expect(texts.describe).toContain(`body contains "${'v'.repeat(80)}..." (102400 characters)`);
  });
});

describe('maskSecrets', () => {
  it('replaces known secrets and secret-looking JSON fields', () => {
    expect(maskSecrets('a abcdef b', ['abcdef'])).toBe('a *** b');
    expect(maskSecrets('{"api_key":"k","name":"n","db_password": "p\\"q"}', [])).toBe(
      '{"api_key":"***","name":"n","db_password": "***"}',
    );
  });
});
