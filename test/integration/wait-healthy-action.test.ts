import { rmSync } from 'node:fs';

import { runAction, type ActionRun, type RunActionOptions } from '../helpers/run-action.js';
import { json, makeCertificates, serveClosingAfterEach } from './wait-healthy-fixtures.js';

/** The shipped bundle (actions/wait-healthy/dist) run as the runner runs it, against real local servers. */

const SHA = '0123456789abcdef0123456789abcdef01234567';

const serve = serveClosingAfterEach();

/** Runs the bundle and removes the run's folder (RUNNER_TEMP, output files) from the temp dir. */
async function runOnce(options: RunActionOptions): Promise<ActionRun> {
  const run = await runAction('wait-healthy', options);
  rmSync(run.workDir, { recursive: true, force: true });
  return run;
}

/** What every refused input must look like: one short error line, exit 1, nothing else said. */
function expectOneShortError(run: ActionRun): void {
  expect(run.exitCode).toBe(1);
  expect(run.errors).toHaveLength(1);
  expect(run.errors[0]!.length).toBeLessThan(300);
  expect(run.log.length).toBeLessThan(400);
  expect(run.log).not.toMatch(/^\s+at |Invalid character|node:internal/m);
}

describe('wait-healthy bundle', () => {
  it('passes on a healthy service and sets every output and the summary', async () => {
    const server = await serve((_, response) => json(response, 200, { success: true, ver: SHA }));
    const run = await runOnce({
      inputs: { urls: `${server.url}/health`, 'json-path': 'ver', 'expect-value': SHA },
    });
    expect(run.exitCode).toBe(0);
    expect(run.errors).toEqual([]);
    expect(run.outputs).toMatchObject({ healthy: 'true', attempts: '2', 'last-status': '200', version: SHA });
    expect(Number(run.outputs['time-to-healthy'])).toBeGreaterThanOrEqual(0);
    expect(run.summary).toContain(`| ${server.url}/health | ✅ healthy |`);
    expect(run.log).toContain('All healthy after');
  });

  it('waits for the new version (old first, then new), as with ${{ github.sha }}', async () => {
    // The new version answers from 1.5 s after the first request: the step's clock starts about then,
    // whereas the test's starts before Node has even loaded the bundle (slow on a loaded machine).
    let firstRequest: number | undefined;
    const server = await serve((_, response) => {
      firstRequest ??= Date.now();
      json(response, 200, { success: true, ver: Date.now() - firstRequest < 1500 ? 'previous-sha' : SHA });
    });
    const run = await runOnce({
      inputs: {
        urls: `${server.url}/health`,
        'json-path': 'ver',
        'expect-value': SHA,
        'min-interval': '100ms',
      },
    });
    expect(run.exitCode).toBe(0);
    expect(run.outputs.version).toBe(SHA);
    expect(Number(run.outputs['time-to-healthy'])).toBeGreaterThanOrEqual(1000);
    expect(run.log).toContain(`ver is "previous-sha", expected "${SHA}"`);
  });

  it('fails at the timeout with one error line naming status, version seen vs expected, body and attempts', async () => {
    const server = await serve((_, response) => json(response, 503, { success: false, ver: 'previous-sha' }));
    const run = await runOnce({
      inputs: { urls: `${server.url}/health`, timeout: '2s', 'json-path': 'ver', 'expect-value': SHA },
    });
    expect(run.exitCode).toBe(1);
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toMatch(
      /^http:\/\/127\.0\.0\.1:\d+\/health not healthy within the 2\.0 s timeout \(\d+ attempts\); last answer: 503 Service Unavailable \(expected 200-399\); ver seen: "previous-sha", expected "0123/,
    );
    expect(run.errors[0]).toContain('body: {"success":false,"ver":"previous-sha"}');
    expect(run.outputs).toMatchObject({ healthy: 'false', 'last-status': '503', version: 'previous-sha' });
    expect(run.summary).toContain('❌ timed out');
    expect(run.log).not.toMatch(/at .*\.js:\d+/);
  });

  it('exits promptly when the runner cancels, with the outputs and summary written', async () => {
    const server = await serve((_, response) => json(response, 503, {}));
    const run = await runOnce({
      inputs: { urls: `${server.url}/health`, timeout: '5m' },
      cancelAfterMs: 1500,
    });
    expect(run.exitCode).toBe(1);
    expect(run.durationMs).toBeLessThan(8000);
    expect(run.errors[0]).toMatch(/^Cancelled: .* cancelled \(\d+ attempts?\); last answer: 503/);
    expect(run.outputs.healthy).toBe('false');
    expect(run.summary).toContain('cancelled');
  });

  it('ends at once on fail-if', async () => {
    const server = await serve((_, response) => json(response, 500, { status: 'failed' }));
    const run = await runOnce({
      inputs: { urls: `${server.url}/health`, timeout: '5m', 'fail-if': '"status": "failed"' },
    });
    expect(run.exitCode).toBe(1);
    expect(run.durationMs).toBeLessThan(10_000);
    expect(run.errors[0]).toContain('failed at once: 500 Internal Server Error: the answer matches fail-if');
  });

  it('masks the token in the error even when the server echoes it', async () => {
    // A fake value for the test.
    // shipkit-ignore: secret-generic-api-key
    const token = 'tok-s3cr3t-value';
    const server = await serve((request, response) =>
      json(response, 401, { error: `rejected ${request.headers.authorization ?? ''}` }),
    );
    const run = await runOnce({
      inputs: { urls: `${server.url}/health`, timeout: '1s', token },
    });
    expect(server.lastHeaders.authorization).toBe(`Bearer ${token}`);
    expect(run.exitCode).toBe(1);
    expect(run.errors[0]).toContain('rejected Bearer ***');
    expect(run.log.replace(`::add-mask::${token}`, '')).not.toContain(token);
    expect(run.summary).not.toContain(token);
  });

  it('warns about insecure and accepts a self-signed certificate with it', async () => {
    const server = await serve((_, response) => json(response, 200, {}), {
      tls: makeCertificates().selfSigned,
    });
    const refused = await runOnce({
      inputs: { urls: `${server.url}/health`, timeout: '1s' },
    });
    expect(refused.errors[0]).toContain('certificate is self-signed');
    const run = await runOnce({ inputs: { urls: `${server.url}/health`, insecure: true } });
    expect(run.exitCode).toBe(0);
    expect(run.warnings[0]).toMatch(/insecure: true: TLS certificates are not verified/);
  });

  it('refuses a bad input with one line naming it', async () => {
    const run = await runOnce({ inputs: { urls: 'http://a/', 'expect-value': 'x' } });
    expect(run.exitCode).toBe(1);
    expect(run.errors).toEqual([
      'Input "expect-value" needs "json-path" naming the field to compare (e.g. ver).',
    ]);
  });

  it.each([
    ['a CR', 'X-Api-Key: s3cr3t-h3ader\rX-Injected: 1', 'contains a line break (CR or LF)'],
    // (A NUL cannot reach an action at all: environment variables cannot hold one.)
    [
      'an escape character',
      'X-Api-Key: s3cr3t-h3ader\u001b[0m',
      'contains a control character (only tab may appear)',
    ],
  ])(
    'refuses a header value with %s in one line naming the header, not the value',
    async (_, headers, problem) => {
      const run = await runOnce({ inputs: { urls: 'http://127.0.0.1:9/health', headers } });
      expectOneShortError(run);
      expect(run.errors[0]).toBe(
        `Input "headers": the value of header "X-Api-Key" (line 1) ${problem}; it is not shown here as it may be a secret.`,
      );
      expect(run.log).not.toContain('s3cr3t-h3ader');
    },
  );

  it('refuses a header value broken by a LF, naming the header', async () => {
    const run = await runOnce({
      inputs: { urls: 'http://127.0.0.1:9/health', headers: 'Authorization: Bearer s3cr3t\n  c0ntinued' },
    });
    expectOneShortError(run);
    expect(run.errors[0]).toBe(
      'Input "headers": the value of header "Authorization" (line 1) goes on over line 2; a header value cannot contain a line break (CR or LF).',
    );
    expect(run.log).not.toMatch(/s3cr3t|c0ntinued/);
  });

  it.each([
    ['timeout', { urls: 'http://127.0.0.1:9/health', timeout: 'x'.repeat(100 * 1024) }],
    ['urls', { urls: `ftp://${'x'.repeat(100 * 1024)}` }],
    [
      'expect-body-regex',
      { urls: 'http://127.0.0.1:9/health', 'expect-body-regex': `(${'x'.repeat(100 * 1024)}` },
    ],
  ])('quotes only an excerpt of a 100 KB %s input', async (name, inputs) => {
    const run = await runOnce({ inputs });
    expectOneShortError(run);
    expect(run.errors[0]).toMatch(new RegExp(`^Input "${name}" .*x{40}\\.\\.\\." \\(\\d{6} characters\\)`));
  });

  it('shows a URL with a space, a %20 and unicode encoded once in the log, the error and the summary', async () => {
    const server = await serve((_, response) => json(response, 503, {}));
    const run = await runOnce({
      inputs: { urls: `${server.url}/my health/%20/é?q=a b`, timeout: '1s' },
    });
    const shown = `${server.url}/my%20health/%20/%C3%A9?q=a%20b`;
    expect(run.exitCode).toBe(1);
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toMatch(new RegExp(`^${shown.replace(/[.?]/g, '\\$&')} not healthy within`));
    expect(run.summary).toContain(`| ${shown} | ❌ timed out |`);
    expect(run.stdout).toContain(`${shown}: not healthy: 503 Service Unavailable`);
    expect(run.summary + run.errors[0]).not.toContain('%25');
  });
});
