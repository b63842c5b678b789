import { existsSync, readFileSync } from 'node:fs';

import * as core from '@actions/core';

import { ConfigurationError } from '../../../shared/errors.js';
import { SENSITIVE_HEADER_NAME } from '../../../shared/http-probe.js';
import {
  getBoolean,
  getDuration,
  getInteger,
  getList,
  getOptionalString,
  getSecret,
  quoteInput,
} from '../../../shared/inputs.js';
import {
  parseFailCondition,
  parseJsonPath,
  parseStatusRanges,
  type Expectations,
  type FailCondition,
} from './checks.js';
import { defaultMaxInterval } from './poll.js';
import { SENSITIVE_PARAMETER } from './report.js';
import type { WaitSettings } from './wait.js';

/** The wait's own settings plus how each request is made. `secrets`: values never to print (the token,
 * sensitive header values, URL passwords). */
export interface WaitHealthyInputs extends WaitSettings {
  method: 'GET' | 'HEAD';
  headers: Record<string, string>;
  ca?: string;
  insecure: boolean;
  followRedirects: boolean;
  maxRedirects: number;
}

function parseUrls(): URL[] {
  const rawUrls = splitUrls(core.getInput('urls'));
  if (rawUrls.length === 0) throw new ConfigurationError('Input "urls" is required: give at least one URL.');
  return rawUrls.map((raw) => {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new ConfigurationError(
        `Input "urls" has ${quoteInput(raw)}, which is not a URL (e.g. https://app.example.com/health).`,
      );
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new ConfigurationError(
        `Input "urls" has ${quoteInput(raw)}: only http and https URLs can be checked.`,
      );
    }
    return url;
  });
}

/**
 * One URL a line, or several on a line separated by commas; a comma inside a URL (`?checks=db,cache`)
 * stays, since only a comma followed by another http(s) URL separates two.
 */
export function splitUrls(raw: string): string[] {
  return raw
    .split(/\r?\n/)
    .map((line) => line.replace(/(^|\s)#.*$/, '').trim())
    .flatMap((line) => line.split(/\s*,\s*(?=https?:\/\/)/i))
    .map((item) => item.trim().replace(/,$/, ''))
    .filter((item) => item !== '');
}

/** A header name as RFC 7230 defines it (a `token`), which is also what Node accepts. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/**
 * Why a header value cannot be sent, without showing it (it may be a secret); undefined when it can.
 * The same rules as RFC 7230 and Node's own check, which would otherwise fail every request with a bare
 * "Invalid character in header content": no CR/LF (they would end the header), no NUL or other control
 * character except tab, and nothing beyond Latin-1 (a header is bytes).
 */
export function headerValueProblem(value: string): string | undefined {
  if (/[\r\n]/.test(value)) return 'contains a line break (CR or LF)';
  if (value.includes('\0')) return 'contains a NUL character';
  // eslint-disable-next-line no-control-regex -- control characters are what this check refuses
  if (/[\x01-\x08\x0b-\x1f\x7f]/.test(value)) return 'contains a control character (only tab may appear)';
  if (/[^\t\x20-\xff]/.test(value)) return 'contains a character beyond Latin-1, which a header cannot carry';
  return undefined;
}

function indentation(line: string): number {
  return /^[ \t]*/.exec(line)![0].length;
}

/**
 * `Name: value` lines (`Name=value` also works); blank lines and `#` comments skipped. Errors name the
 * line and the header, never the value: it may be a token.
 */
export function parseHeaders(raw: string): Record<string, string> {
  const headers: Record<string, string> = {};
  let previous: { name: string; line: number; indent: number } | undefined;
  for (const [index, line] of raw.split(/\r?\n/).entries()) {
    const text = line.trim();
    if (text === '' || text.startsWith('#')) continue;
    const separator = text.search(/[:=]/);
    const name = separator > 0 ? text.slice(0, separator).trim() : '';
    if (!HEADER_NAME.test(name)) {
      // A more indented line after a header is the rest of its value, broken by a line break (e.g. a
      // multi-line secret pasted in): say so rather than call it a bad header.
      if (previous && indentation(line) > previous.indent) {
        throw new ConfigurationError(
          `Input "headers": the value of header "${previous.name}" (line ${previous.line}) goes on over line ${index + 1}; a header value cannot contain a line break (CR or LF).`,
        );
      }
      throw new ConfigurationError(
        separator > 0
          ? `Input "headers": line ${index + 1} has an invalid header name before "${text[separator]}" (letters, digits and !#$%&'*+-.^_\`|~ only).`
          : `Input "headers" must hold "Name: value" lines; line ${index + 1} has no "Name:" before its value.`,
      );
    }
    const value = text.slice(separator + 1).trim();
    const problem = headerValueProblem(value);
    if (problem) {
      throw new ConfigurationError(
        `Input "headers": the value of header "${name}" (line ${index + 1}) ${problem}; it is not shown here as it may be a secret.`,
      );
    }
    headers[name] = value;
    previous = { name, line: index + 1, indent: indentation(line) };
  }
  return headers;
}

function regexInput(name: string): RegExp | undefined {
  const source = getOptionalString(name);
  if (source === undefined) return undefined;
  try {
    const pattern = new RegExp(source);
    // V8 compiles on first use: a pattern too large to compile must fail here, not in the middle of the wait.
    pattern.test('');
    return pattern;
  } catch (error: unknown) {
    // V8 says "Invalid regular expression: /<the whole pattern>/: <reason>"; keep the reason only.
    const message = (error as Error).message;
    throw new ConfigurationError(
      `Input "${name}" is not a valid regular expression (${message.slice(message.lastIndexOf(': ') + 2)}), got ${quoteInput(source)}; fix or escape it.`,
    );
  }
}

function readExpectations(method: 'GET' | 'HEAD'): Expectations {
  const statusItems = getList('expect-status');
  const statuses = parseStatusRanges(statusItems.length > 0 ? statusItems : ['200-399']);
  if (!statuses) {
    throw new ConfigurationError(
      `Input "expect-status" must list status codes or ranges like 200, 200-299 or 2xx, got ${quoteInput(core.getInput('expect-status').trim())}.`,
    );
  }
  const bodyIncludes = getOptionalString('expect-body');
  const bodyRegex = regexInput('expect-body-regex');
  const jsonPathText = getOptionalString('json-path');
  const jsonPath = jsonPathText === undefined ? undefined : parseJsonPath(jsonPathText);
  if (jsonPathText !== undefined && !jsonPath) {
    throw new ConfigurationError(
      `Input "json-path" must be a field path like ver, $.build.sha or items[0].ver, got ${quoteInput(jsonPathText)}.`,
    );
  }
  const expectValue = getOptionalString('expect-value');
  if (expectValue !== undefined && !jsonPath) {
    throw new ConfigurationError(
      'Input "expect-value" needs "json-path" naming the field to compare (e.g. ver).',
    );
  }
  const failIf: FailCondition[] = [];
  for (const line of core.getInput('fail-if').split(/\r?\n/)) {
    if (line.trim() === '') continue;
    const condition = parseFailCondition(line);
    if (!condition) {
      throw new ConfigurationError(
        `Input "fail-if" has ${quoteInput(line.trim())}, which is neither a regular expression nor a JSON member like "status": "failed".`,
      );
    }
    failIf.push(condition);
  }
  const bodyChecks = [
    ['expect-body', bodyIncludes],
    ['expect-body-regex', bodyRegex],
    ['json-path', jsonPath],
    ['fail-if', failIf[0]],
  ] as const;
  const bodyCheck = bodyChecks.find(([, value]) => value !== undefined);
  if (method === 'HEAD' && bodyCheck) {
    throw new ConfigurationError(
      `Input "method" is HEAD, which returns no body for "${bodyCheck[0]}" to check: use GET (the default).`,
    );
  }
  return {
    statuses,
    failIf,
    ...(bodyIncludes === undefined ? {} : { bodyIncludes }),
    ...(bodyRegex ? { bodyRegex } : {}),
    ...(jsonPath ? { jsonPath, jsonPathText: jsonPathText! } : {}),
    ...(expectValue === undefined ? {} : { expectValue }),
  };
}

export function readInputs(): WaitHealthyInputs {
  const secrets: string[] = [];
  const token = getSecret('token');
  if (token) secrets.push(token);
  const tokenProblem = token === undefined ? undefined : headerValueProblem(token);
  if (tokenProblem) {
    throw new ConfigurationError(
      `Input "token" ${tokenProblem}, so it cannot be sent as "Authorization: Bearer <token>"; check the secret.`,
    );
  }
  const urls = parseUrls();
  for (const url of urls) {
    const urlSecrets = [...url.searchParams.entries()]
      .filter(([name, value]) => SENSITIVE_PARAMETER.test(name) && value !== '')
      .map(([, value]) => value);
    if (url.password) urlSecrets.push(decodeURIComponent(url.password));
    for (const secret of urlSecrets) {
      core.setSecret(secret);
      secrets.push(secret);
    }
  }
  const headers = parseHeaders(core.getInput('headers'));
  for (const [name, value] of Object.entries(headers)) {
    if (SENSITIVE_HEADER_NAME.test(name) && value !== '') {
      core.setSecret(value);
      secrets.push(value);
    }
  }
  if (token) headers['authorization'] = `Bearer ${token}`;

  const rawMethod = core.getInput('method').trim().toUpperCase();
  if (rawMethod !== '' && rawMethod !== 'GET' && rawMethod !== 'HEAD') {
    throw new ConfigurationError(
      `Input "method" must be GET or HEAD, got ${quoteInput(core.getInput('method').trim())}.`,
    );
  }
  const method = rawMethod === 'HEAD' ? 'HEAD' : 'GET';
  const timeoutMs = getDuration('timeout', 300_000, { minMs: 1000 });
  const minIntervalMs = getDuration('min-interval', 400, { minMs: 10, maxMs: 60_000 });
  const maxIntervalMs = getDuration('max-interval', defaultMaxInterval(minIntervalMs), { maxMs: 600_000 });
  if (maxIntervalMs < minIntervalMs) {
    throw new ConfigurationError(
      `Input "max-interval" (${maxIntervalMs} ms) must be at least "min-interval" (${minIntervalMs} ms).`,
    );
  }
  const caFile = getOptionalString('ca-file');
  let ca: string | undefined;
  if (caFile !== undefined) {
    if (!existsSync(caFile)) {
      throw new ConfigurationError(
        `Input "ca-file" names ${quoteInput(caFile)}, which does not exist: give a PEM file path.`,
      );
    }
    ca = readFileSync(caFile, 'utf8');
    if (!ca.includes('-----BEGIN CERTIFICATE-----')) {
      throw new ConfigurationError(
        `Input "ca-file" (${quoteInput(caFile)}) holds no PEM certificate (-----BEGIN CERTIFICATE-----).`,
      );
    }
  }
  return {
    urls,
    timeoutMs,
    requestTimeoutMs: getDuration('request-timeout', 10_000, { minMs: 100 }),
    minIntervalMs,
    maxIntervalMs,
    consecutiveSuccesses: getInteger('consecutive-successes', 2, { min: 1, max: 100 }),
    expectations: readExpectations(method),
    method,
    headers,
    secrets,
    ...(ca === undefined ? {} : { ca }),
    insecure: getBoolean('insecure', false),
    followRedirects: getBoolean('follow-redirects', true),
    maxRedirects: getInteger('max-redirects', 5, { min: 0, max: 50 }),
  };
}
