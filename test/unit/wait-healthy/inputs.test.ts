import { jest } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { validateHeaderName, validateHeaderValue } from 'node:http';

import {
  headerValueProblem,
  parseHeaders,
  readInputs,
  splitUrls,
} from '../../../actions/wait-healthy/src/inputs.js';
import { ConfigurationError } from '../../../shared/errors.js';

function setInputs(inputs: Record<string, string>): void {
  for (const key of Object.keys(process.env)) if (key.startsWith('INPUT_')) delete process.env[key];
  for (const [name, value] of Object.entries(inputs)) process.env[`INPUT_${name.toUpperCase()}`] = value;
}

function configurationError(inputs: Record<string, string>): string {
  setInputs(inputs);
  try {
    readInputs();
  } catch (error: unknown) {
    expect(error).toBeInstanceOf(ConfigurationError);
    return (error as Error).message;
  }
  throw new Error('readInputs accepted the inputs');
}

let written: string[] = [];
beforeEach(() => {
  written = [];
  // core.setSecret prints ::add-mask::; keep it to check masking and off the test log.
  jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    written.push(String(chunk));
    return true;
  });
});
afterEach(() => {
  jest.restoreAllMocks();
  setInputs({});
});

describe('readInputs', () => {
  it('reads the defaults', () => {
    setInputs({ urls: 'https://app.example.com/health' });
    const inputs = readInputs();
    expect(inputs).toMatchObject({
      timeoutMs: 300_000,
      requestTimeoutMs: 10_000,
      minIntervalMs: 400,
      maxIntervalMs: 1200,
      consecutiveSuccesses: 2,
      method: 'GET',
      insecure: false,
      followRedirects: true,
      maxRedirects: 5,
      expectations: { statuses: [{ from: 200, to: 399 }], failIf: [] },
    });
    expect(inputs.urls.map(String)).toEqual(['https://app.example.com/health']);
  });

  it('scales the default max-interval with min-interval', () => {
    setInputs({ urls: 'http://a/', 'min-interval': '100ms' });
    expect(readInputs()).toMatchObject({ minIntervalMs: 100, maxIntervalMs: 300 });
  });

  it('reads several URLs, a version check and fail-if lines', () => {
    setInputs({
      urls: 'https://a.example/health\nhttps://b.example/health',
      'json-path': 'build.sha',
      'expect-value': 'abc123',
      'fail-if': '"status": "failed"\ncrash, loop',
      'expect-status': '200, 204',
    });
    const inputs = readInputs();
    expect(inputs.urls).toHaveLength(2);
    expect(inputs.expectations).toMatchObject({
      jsonPath: ['build', 'sha'],
      expectValue: 'abc123',
      statuses: [
        { from: 200, to: 200 },
        { from: 204, to: 204 },
      ],
    });
    expect(inputs.expectations.failIf.map((condition) => condition.kind)).toEqual(['json', 'regex']);
    expect(inputs.expectations.failIf[1]!.source).toBe('crash, loop');
  });

  it('masks the token and sensitive headers and sends the token as a bearer', () => {
    setInputs({
      urls: 'http://a/',
      token: 's3cr3t-token',
      headers: 'X-Api-Key: k3y-value\nX-Trace: visible',
    });
    const inputs = readInputs();
    expect(inputs.headers).toEqual({
      'X-Api-Key': 'k3y-value',
      'X-Trace': 'visible',
      authorization: 'Bearer s3cr3t-token',
    });
    expect(inputs.secrets).toEqual(['s3cr3t-token', 'k3y-value']);
    expect(written.join('')).toContain('::add-mask::s3cr3t-token');
    expect(written.join('')).toContain('::add-mask::k3y-value');
    expect(written.join('')).not.toContain('add-mask::visible');
  });

  it('masks URL passwords and secret-looking query values', () => {
    setInputs({ urls: 'https://user:pa55word@a.example/health?token=qu3ry-t0ken&env=prod' });
    expect(readInputs().secrets).toEqual(['qu3ry-t0ken', 'pa55word']);
    expect(written.join('')).toContain('::add-mask::qu3ry-t0ken');
    expect(written.join('')).not.toContain('add-mask::prod');
  });

  it('reads a CA file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wait-healthy-ca-'));
    try {
      const pem = join(dir, 'ca.pem');
      writeFileSync(pem, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
      setInputs({ urls: 'https://a/', 'ca-file': pem });
      expect(readInputs().ca).toContain('BEGIN CERTIFICATE');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each([
    [{ urls: '' }, /Input "urls" is required/],
    [{ urls: 'ftp://a/' }, /Input "urls" has "ftp:\/\/a\/": only http and https/],
    [{ urls: 'http://a/', timeout: 'soon' }, /Input "timeout" must be a duration/],
    [
      { urls: 'http://a/', 'min-interval': '2s', 'max-interval': '1s' },
      /Input "max-interval" .* must be at least "min-interval"/,
    ],
    [{ urls: 'http://a/', 'consecutive-successes': '0' }, /Input "consecutive-successes" must be at least 1/],
    [{ urls: 'http://a/', 'expect-status': 'ok' }, /Input "expect-status" must list status codes/],
    [
      { urls: 'http://a/', 'expect-body-regex': '(' },
      /Input "expect-body-regex" is not a valid regular expression/,
    ],
    [{ urls: 'http://a/', 'json-path': 'a..b' }, /Input "json-path" must be a field path/],
    [{ urls: 'http://a/', 'expect-value': '1' }, /Input "expect-value" needs "json-path"/],
    [{ urls: 'http://a/', 'fail-if': '(' }, /Input "fail-if" has "\("/],
    [{ urls: 'http://a/', method: 'POST' }, /Input "method" must be GET or HEAD, got "POST"/],
    [{ urls: 'http://a/', method: 'HEAD', 'expect-body': 'ok' }, /Input "method" is HEAD, .*"expect-body"/],
    [{ urls: 'http://a/', headers: 'no separator' }, /Input "headers" must hold "Name: value" lines/],
    [
      { urls: 'http://a/', 'ca-file': '/nonexistent/ca.pem' },
      /Input "ca-file" names "\/nonexistent\/ca.pem", which does not exist/,
    ],
    [{ urls: 'http://a/', insecure: 'maybe' }, /Input "insecure" must be true or false/],
  ])('refuses %p with one sentence naming the input', (inputs, message) => {
    expect(configurationError(inputs as Record<string, string>)).toMatch(message);
  });
});

describe('parseHeaders', () => {
  it('reads Name: value and Name=value lines, keeping colons in values', () => {
    expect(parseHeaders('Accept: application/json\n# comment\n\nX-Url=http://a:1/')).toEqual({
      Accept: 'application/json',
      'X-Url': 'http://a:1/',
    });
  });
});

describe('splitUrls', () => {
  it('keeps commas inside a URL and splits only before another URL', () => {
    expect(
      splitUrls('https://a.example/health?checks=db,cache, http://b.example/\nhttps://c.example/#x'),
    ).toEqual(['https://a.example/health?checks=db,cache', 'http://b.example/', 'https://c.example/#x']);
  });

  it('skips blank lines and comments', () => {
    expect(splitUrls('\n# staging\nhttps://a.example/ # primary\n')).toEqual(['https://a.example/']);
  });
});

describe('bad header lines', () => {
  it('name the line, not its text, which may be a token', () => {
    expect(() => parseHeaders('X-Ok: 1\nAuthorization Bearer s3cr3t-t0ken')).toThrow(/line 2/);
    expect(() => parseHeaders('Authorization Bearer s3cr3t-t0ken')).not.toThrow(/s3cr3t/);
  });
});

describe('header values that cannot be sent', () => {
  const secret = 's3cr3t-t0ken';

  it.each([
    ['a lone CR', `X-Api-Key: ${secret}\rX-Injected: 1`, /contains a line break \(CR or LF\)/],
    ['a NUL', `X-Api-Key: ${secret}\0`, /contains a NUL character/],
    ['another control character', `X-Api-Key: ${secret}\x1b[0m`, /contains a control character/],
    ['DEL', `X-Api-Key: ${secret}\x7f`, /contains a control character/],
    ['a character beyond Latin-1', `X-Api-Key: ${secret}€`, /beyond Latin-1/],
  ])('refuse %s, naming the input and the header but not the value', (_, raw, problem) => {
    let message = '';
    try {
      parseHeaders(`Accept: */*\n${raw}`);
    } catch (error: unknown) {
      expect(error).toBeInstanceOf(ConfigurationError);
      message = (error as Error).message;
    }
    expect(message).toMatch(/^Input "headers": the value of header "X-Api-Key" \(line 2\) /);
    expect(message).toMatch(problem);
    expect(message).not.toContain(secret);
  });

  it('refuse a value broken over two lines (LF), naming the header, not the value', () => {
    const raw = `Accept: */*\nX-Api-Key: ${secret}\n  ${secret}-second-line`;
    expect(() => parseHeaders(raw)).toThrow(
      'Input "headers": the value of header "X-Api-Key" (line 2) goes on over line 3; a header value cannot contain a line break (CR or LF).',
    );
    expect(() => parseHeaders(raw)).not.toThrow(/s3cr3t/);
  });

  it('accept tabs, Latin-1 and CRLF line ends', () => {
    expect(parseHeaders('X-A: a\tb\r\nX-B: café\r\n')).toEqual({ 'X-A': 'a\tb', 'X-B': 'café' });
  });

  it('refuse a name that is not an RFC 7230 token without quoting the line', () => {
    expect(() => parseHeaders(`X Api Key: ${secret}`)).toThrow(
      /^Input "headers": line 1 has an invalid header name before ":"/,
    );
    expect(() => parseHeaders(`Authorization Bearer ${secret}==`)).not.toThrow(/s3cr3t/);
    expect(() => parseHeaders('X-Ä: 1')).toThrow(/line 1 has an invalid header name/);
  });

  it('agree with what Node refuses to send, for every character up to U+02FF', () => {
    for (let code = 0; code <= 0x2ff; code++) {
      const value = `a${String.fromCharCode(code)}b`;
      let nodeRefuses = false;
      try {
        validateHeaderValue('x-test', value);
      } catch {
        nodeRefuses = true;
      }
      expect([code, headerValueProblem(value) !== undefined]).toEqual([code, nodeRefuses]);
    }
  });

  it('accept only names Node accepts', () => {
    for (let code = 0; code <= 0xff; code++) {
      const name = `x${String.fromCharCode(code)}`;
      let nodeRefuses = false;
      try {
        validateHeaderName(name);
      } catch {
        nodeRefuses = true;
      }
      let weRefuse = false;
      try {
        parseHeaders(`${name}: 1`);
      } catch {
        weRefuse = true;
      }
      // ":" and "=" separate name and value, "#" starts a comment, whitespace around the name is trimmed.
      if (/[:=#\s]/.test(String.fromCharCode(code))) continue;
      expect([code, weRefuse]).toEqual([code, nodeRefuses]);
    }
  });

  it('refuse a token with a line break, without showing it', () => {
    const message = configurationError({ urls: 'http://a/', token: `${secret}\nmore` });
    expect(message).toBe(
      'Input "token" contains a line break (CR or LF), so it cannot be sent as "Authorization: Bearer <token>"; check the secret.',
    );
  });

  it('refuse a header line with CR read from the input', () => {
    expect(configurationError({ urls: 'http://a/', headers: `X-Api-Key: ${secret}\rx` })).toMatch(
      /^Input "headers": the value of header "X-Api-Key" \(line 1\) contains a line break/,
    );
  });
});

describe('a 100 KB input value', () => {
  const huge = 'x'.repeat(100 * 1024);

  it.each([
    ['urls', { urls: `http://[${huge}]/` }],
    ['urls', { urls: `ftp://${huge}` }],
    ['expect-status', { urls: 'http://a/', 'expect-status': huge }],
    ['json-path', { urls: 'http://a/', 'json-path': `a..${huge}` }],
    ['fail-if', { urls: 'http://a/', 'fail-if': `(${huge}` }],
    ['expect-body-regex', { urls: 'http://a/', 'expect-body-regex': `(${huge}` }],
    ['expect-body-regex', { urls: 'http://a/', 'expect-body-regex': huge }],
    ['fail-if', { urls: 'http://a/', 'fail-if': huge }],
    ['method', { urls: 'http://a/', method: huge }],
    ['ca-file', { urls: 'http://a/', 'ca-file': `/nonexistent/${huge}` }],
    ['timeout', { urls: 'http://a/', timeout: huge }],
    ['insecure', { urls: 'http://a/', insecure: huge }],
    ['max-redirects', { urls: 'http://a/', 'max-redirects': huge }],
  ])('in %s is quoted as an excerpt with its length', (name, inputs) => {
    const message = configurationError(inputs);
    expect(message).toMatch(new RegExp(`^Input "${name}" `));
    expect(message).toMatch(/\.\.\." \(\d{6} characters\)/);
    expect(message.length).toBeLessThan(300);
  });
});
