import {
  bodyExcerpt,
  judge,
  parseFailCondition,
  parseJsonPath,
  parseRetryAfter,
  parseStatusRanges,
  readJsonPath,
  type Expectations,
  type FailCondition,
} from '../../../actions/wait-healthy/src/checks.js';
import { answer, failure } from './fake-clock.js';

const defaults: Expectations = { statuses: [{ from: 200, to: 399 }], failIf: [] };

function expectVersion(value: string, path = 'ver'): Expectations {
  return { ...defaults, jsonPath: parseJsonPath(path)!, jsonPathText: path, expectValue: value };
}

describe('parseStatusRanges', () => {
  it('reads codes, ranges and classes', () => {
    expect(parseStatusRanges(['200', '204-206', '3xx'])).toEqual([
      { from: 200, to: 200 },
      { from: 204, to: 206 },
      { from: 300, to: 399 },
    ]);
  });
  it.each([['abc'], ['300-200'], ['99'], ['600'], ['2x']])('refuses %p', (item) =>
    expect(parseStatusRanges([item])).toBeUndefined(),
  );
});

describe('json paths', () => {
  it.each([
    ['ver', ['ver']],
    ['$.ver', ['ver']],
    ['build.sha', ['build', 'sha']],
    ['items[1].ver', ['items', 1, 'ver']],
    ['checks["db-main"].ok', ['checks', 'db-main', 'ok']],
  ])('parses %s', (text, segments) => expect(parseJsonPath(text)).toEqual(segments));

  it.each(['', '$', 'a..b', '.a', 'a[x]'])('refuses %p', (text) =>
    expect(parseJsonPath(text)).toBeUndefined(),
  );

  it('reads values and tells a missing field from a null one', () => {
    const doc = { a: { b: [{ c: null }] } };
    expect(readJsonPath(doc, ['a', 'b', 0, 'c'])).toEqual({ found: true, value: null });
    expect(readJsonPath(doc, ['a', 'b', 1])).toEqual({ found: false });
    expect(readJsonPath(doc, ['a', 'x'])).toEqual({ found: false });
    expect(readJsonPath('text', ['length'])).toEqual({ found: false });
  });
});

describe('parseFailCondition', () => {
  it('reads a JSON member as a field comparison', () => {
    expect(parseFailCondition('"status": "failed"')).toMatchObject({
      kind: 'json',
      path: ['status'],
      value: 'failed',
    });
    expect(parseFailCondition('"deploy.ok": false')).toMatchObject({
      kind: 'json',
      path: ['deploy', 'ok'],
      value: false,
    });
  });
  it('reads anything else as a regular expression', () => {
    expect(parseFailCondition('crash(ed|loop)')).toMatchObject({ kind: 'regex' });
    expect(parseFailCondition('"unterminated')).toMatchObject({ kind: 'regex' });
  });
  it('refuses an invalid regular expression', () => expect(parseFailCondition('(')).toBeUndefined());
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('3', now)).toBe(3000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:05 GMT', now)).toBe(5000);
    expect(parseRetryAfter('Wed, 31 Dec 2025 00:00:05 GMT', now)).toBe(0);
  });
  it('ignores absent or unreadable values', () => {
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
  });
});

describe('judge', () => {
  it('passes a 200 with the defaults and fails a 500 naming the expected range', () => {
    expect(judge(answer(200), defaults)).toMatchObject({ outcome: 'healthy', status: 200 });
    expect(judge(answer(500, 'boom'), defaults)).toMatchObject({
      outcome: 'unhealthy',
      state: 'status:500',
      reason: expect.stringContaining('expected 200-399') as string,
      excerpt: 'boom',
    });
  });

  it('turns a network failure into an unhealthy verdict keyed by its code', () => {
    expect(judge(failure('ECONNREFUSED', 'connection refused'), defaults)).toEqual({
      outcome: 'unhealthy',
      state: 'error:ECONNREFUSED',
      reason: 'connection refused',
    });
  });

  it('waits for the expected version and reports the one seen', () => {
    const old = judge(answer(200, '{"success": true, "ver": 1}'), expectVersion('2'));
    expect(old).toMatchObject({ outcome: 'unhealthy', state: 'version:1', version: '1' });
    expect(old.reason).toContain('ver is "1", expected "2"');
    expect(judge(answer(200, '{"success": true, "ver": 2}'), expectVersion('2'))).toMatchObject({
      outcome: 'healthy',
      version: '2',
    });
  });

  it('says a body is not JSON when a json-path is asked for', () => {
    const verdict = judge(answer(200, '<html>old</html>'), expectVersion('abc'));
    expect(verdict.outcome).toBe('unhealthy');
    expect(verdict.reason).toContain('not JSON');
    expect(verdict.version).toBeUndefined();
  });

  it('without expect-value, needs the field present and not false or null', () => {
    const expectations: Expectations = { ...defaults, jsonPath: ['success'], jsonPathText: 'success' };
    expect(judge(answer(200, '{"success": true}'), expectations).outcome).toBe('healthy');
    expect(judge(answer(200, '{"success": false}'), expectations).outcome).toBe('unhealthy');
    expect(judge(answer(200, '{}'), expectations).reason).toContain('has no success');
  });

  it('checks a substring and a regular expression', () => {
    const expectations: Expectations = { ...defaults, bodyIncludes: 'ready', bodyRegex: /^ok\b/ };
    expect(judge(answer(200, 'ok ready'), expectations).outcome).toBe('healthy');
    expect(judge(answer(200, 'ok starting'), expectations).reason).toContain('does not contain "ready"');
    expect(judge(answer(200, 'not ready'), expectations).reason).toContain('does not match /^ok\\b/');
  });

  it('ends at once on fail-if, even on an error status', () => {
    const failIf: FailCondition[] = [parseFailCondition('"status": "failed"')!];
    const verdict = judge(answer(500, '{"status":"failed","error":"migration"}'), { ...defaults, failIf });
    expect(verdict).toMatchObject({ outcome: 'fatal', status: 500 });
    expect(verdict.reason).toContain('fail-if "status": "failed"');
    expect(judge(answer(200, '{"status":"starting"}'), { ...defaults, failIf }).outcome).toBe('healthy');
    expect(judge(answer(200, 'not json'), { ...defaults, failIf }).outcome).toBe('healthy');
  });

  it('reads Retry-After on 429 and 503 only', () => {
    expect(judge(answer(503, '', { 'retry-after': '2' }), defaults).retryAfterMs).toBe(2000);
    expect(judge(answer(429, '', { 'retry-after': '1' }), defaults).retryAfterMs).toBe(1000);
    expect(judge(answer(500, '', { 'retry-after': '2' }), defaults).retryAfterMs).toBeUndefined();
  });

  it('checks the status before the body', () => {
    expect(judge(answer(503, '{"ver": 2}'), expectVersion('2'))).toMatchObject({
      state: 'status:503',
      version: '2',
    });
  });
});

describe('bodyExcerpt', () => {
  it('squeezes whitespace and cuts long bodies', () => {
    expect(bodyExcerpt('  a\n\n  b  ')).toBe('a b');
    expect(bodyExcerpt('x'.repeat(500), 20)).toHaveLength(20);
  });
});
