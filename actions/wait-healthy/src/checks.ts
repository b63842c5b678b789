import type { HttpProbeResult } from '../../../shared/http-probe.js';
import { inputExcerpt, quoteInput } from '../../../shared/inputs.js';

/**
 * What "healthy" means for one answer, and the judgement of an answer against it. Pure: the poll loop
 * and the tests feed answers in and get verdicts out.
 */

export interface StatusRange {
  from: number;
  to: number;
}

/** A `fail-if` condition: a regular expression over the body, or a JSON field equal to a value. */
export type FailCondition =
  | { kind: 'regex'; source: string; pattern: RegExp }
  | { kind: 'json'; source: string; path: PathSegment[]; value: unknown };

export interface Expectations {
  statuses: StatusRange[];
  bodyIncludes?: string;
  bodyRegex?: RegExp;
  /** Field whose value is the version seen; with `expectValue` it must equal it. */
  jsonPath?: PathSegment[];
  jsonPathText?: string;
  expectValue?: string;
  failIf: FailCondition[];
}

export type PathSegment = string | number;

export interface Verdict {
  outcome: 'healthy' | 'unhealthy' | 'fatal';
  /** Stable key of the situation (e.g. `status:503`, `version:1`), so the log shows changes, not polls. */
  state: string;
  /** One line: what was seen and, if unhealthy, why that is not healthy. */
  reason: string;
  status?: number;
  /** Value at json-path, when there is one. */
  version?: string;
  /** Milliseconds the server asked us to wait (Retry-After on 429/503). */
  retryAfterMs?: number;
  /** The body as one short line, for answers that are not healthy. */
  excerpt?: string;
}

/** `200-399`, `200,204`, `2xx`, one per item. */
export function parseStatusRanges(items: readonly string[]): StatusRange[] | undefined {
  const ranges: StatusRange[] = [];
  for (const item of items) {
    const text = item.trim().toLowerCase();
    let match: RegExpExecArray | null;
    if ((match = /^([1-5])xx$/.exec(text))) {
      const hundred = Number(match[1]) * 100;
      ranges.push({ from: hundred, to: hundred + 99 });
    } else if ((match = /^(\d{3})\s*-\s*(\d{3})$/.exec(text))) {
      const from = Number(match[1]);
      const to = Number(match[2]);
      if (from > to) return undefined;
      ranges.push({ from, to });
    } else if (/^\d{3}$/.test(text)) {
      ranges.push({ from: Number(text), to: Number(text) });
    } else {
      return undefined;
    }
  }
  return ranges.every((range) => range.from >= 100 && range.to <= 599) ? ranges : undefined;
}

export function formatStatusRanges(ranges: readonly StatusRange[]): string {
  return ranges
    .map((range) => (range.from === range.to ? `${range.from}` : `${range.from}-${range.to}`))
    .join(', ');
}

/** `ver`, `$.ver`, `data.build.sha`, `items[0].ver`, `checks["db-main"].ok`. */
export function parseJsonPath(text: string): PathSegment[] | undefined {
  let rest = text.trim().replace(/^\$\.?/, '');
  const segments: PathSegment[] = [];
  while (rest !== '') {
    let match: RegExpExecArray | null;
    if ((match = /^\[(\d+)\]/.exec(rest))) segments.push(Number(match[1]));
    else if ((match = /^\[(["'])(.*?)\1\]/.exec(rest))) segments.push(match[2]!);
    else if ((match = /^\.?([^.[\]]+)/.exec(rest)) && (segments.length > 0 || !rest.startsWith('.')))
      segments.push(match[1]!);
    else return undefined;
    rest = rest.slice(match[0].length);
  }
  return segments.length > 0 ? segments : undefined;
}

export function readJsonPath(
  document: unknown,
  path: readonly PathSegment[],
): { found: boolean; value?: unknown } {
  let current: unknown = document;
  for (const segment of path) {
    if (typeof segment === 'number') {
      if (!Array.isArray(current) || segment >= current.length) return { found: false };
      current = current[segment] as unknown;
    } else {
      if (typeof current !== 'object' || current === null || !Object.hasOwn(current, segment)) {
        return { found: false };
      }
      current = (current as Record<string, unknown>)[segment];
    }
  }
  return { found: true, value: current };
}

/** How a JSON value compares with a text input: `1` equals "1", `true` equals "true", strings as they are. */
export function jsonValueText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined) return '';
  return JSON.stringify(value);
}

/**
 * One `fail-if` line. `"status": "failed"` (a JSON member; the key may be a path like `"deploy.state"`)
 * compares the parsed body; anything else is a regular expression over the raw body.
 */
export function parseFailCondition(line: string): FailCondition | undefined {
  const text = line.trim();
  if (text.startsWith('"')) {
    try {
      const member = JSON.parse(`{${text}}`) as Record<string, unknown>;
      const entries = Object.entries(member);
      if (entries.length === 1) {
        const [key, value] = entries[0]!;
        const path = parseJsonPath(key);
        if (path) return { kind: 'json', source: text, path, value };
      }
    } catch {
      // Not a JSON member: read it as a regular expression below.
    }
  }
  try {
    const pattern = new RegExp(text);
    pattern.test(''); // compiled on first use: a pattern too large to compile fails here, not mid-wait
    return { kind: 'regex', source: text, pattern };
  } catch {
    return undefined;
  }
}

function parseJson(body: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(body) as unknown };
  } catch {
    return { ok: false };
  }
}

function matchesFailCondition(
  condition: FailCondition,
  body: string,
  json: () => ReturnType<typeof parseJson>,
): boolean {
  if (condition.kind === 'regex') return condition.pattern.test(body);
  const parsed = json();
  if (!parsed.ok) return false;
  const { found, value } = readJsonPath(parsed.value, condition.path);
  return found && JSON.stringify(value) === JSON.stringify(condition.value);
}

/** Seconds or an HTTP date, as milliseconds from `nowEpochMs`; undefined when absent or unreadable. */
export function parseRetryAfter(header: string | undefined, nowEpochMs: number): number | undefined {
  if (!header) return undefined;
  const text = header.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowEpochMs);
}

/** A body as one short line for logs and errors: whitespace squeezed, cut at `max` characters. */
export function bodyExcerpt(body: string, max = 200): string {
  const line = body.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/** Judges one probe result against the expectations. */
export function judge(result: HttpProbeResult, expectations: Expectations, nowEpochMs = Date.now()): Verdict {
  if (result.kind === 'error') {
    return { outcome: 'unhealthy', state: `error:${result.code}`, reason: result.message };
  }
  const { status, body } = result;
  const statusLine = `${status}${result.statusText ? ` ${result.statusText}` : ''}`;
  let cachedJson: ReturnType<typeof parseJson> | undefined;
  const json = (): ReturnType<typeof parseJson> => (cachedJson ??= parseJson(body));

  for (const condition of expectations.failIf) {
    if (matchesFailCondition(condition, body, json)) {
      return {
        outcome: 'fatal',
        state: `fail-if:${condition.source}`,
        reason: `${statusLine}: the answer matches fail-if ${inputExcerpt(condition.source)}`,
        status,
        excerpt: bodyExcerpt(body),
      };
    }
  }

  let version: string | undefined;
  let versionProblem: string | undefined;
  if (expectations.jsonPath) {
    const pathText = inputExcerpt(expectations.jsonPathText ?? '');
    const parsed = json();
    if (!parsed.ok) {
      versionProblem = `the body is not JSON, so ${pathText} cannot be read`;
    } else {
      const { found, value } = readJsonPath(parsed.value, expectations.jsonPath);
      if (!found) versionProblem = `the JSON has no ${pathText}`;
      else {
        version = jsonValueText(value);
        if (expectations.expectValue !== undefined && version !== expectations.expectValue) {
          versionProblem = `${pathText} is ${quoteInput(version)}, expected ${quoteInput(expectations.expectValue)}`;
        } else if (expectations.expectValue === undefined && (value === false || value === null)) {
          versionProblem = `${pathText} is ${jsonValueText(value)}`;
        }
      }
    }
  }
  const base = { status, excerpt: bodyExcerpt(body), ...(version === undefined ? {} : { version }) };

  if (!expectations.statuses.some((range) => status >= range.from && status <= range.to)) {
    const retryAfterMs =
      status === 429 || status === 503
        ? parseRetryAfter(headerText(result.headers['retry-after']), nowEpochMs)
        : undefined;
    return {
      outcome: 'unhealthy',
      state: `status:${status}`,
      reason: `${statusLine} (expected ${formatStatusRanges(expectations.statuses)})`,
      ...base,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    };
  }
  if (expectations.bodyIncludes !== undefined && !body.includes(expectations.bodyIncludes)) {
    return {
      outcome: 'unhealthy',
      state: `body-missing:${status}`,
      reason: `${statusLine} but the body does not contain ${quoteInput(expectations.bodyIncludes)}`,
      ...base,
    };
  }
  if (expectations.bodyRegex && !expectations.bodyRegex.test(body)) {
    return {
      outcome: 'unhealthy',
      state: `body-regex:${status}`,
      reason: `${statusLine} but the body does not match /${inputExcerpt(expectations.bodyRegex.source)}/`,
      ...base,
    };
  }
  if (versionProblem !== undefined) {
    return {
      outcome: 'unhealthy',
      state: version === undefined ? `json:${versionProblem}` : `version:${version}`,
      reason: `${statusLine} but ${versionProblem}`,
      ...base,
    };
  }
  const seen =
    version === undefined ? '' : `, ${inputExcerpt(expectations.jsonPathText ?? '')} ${quoteInput(version)}`;
  return {
    outcome: 'healthy',
    state: `healthy:${version ?? ''}`,
    reason: `${statusLine}${seen}`,
    status,
    ...(version === undefined ? {} : { version }),
  };
}

function headerText(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
