// The system tests' browser stand-in: plain fetch with a cookie jar, no redirects followed, and a record of
// each exchange so a failing check can show what it sent and what came back (secrets left out).

/** Request headers and form fields whose values never reach a report. */
const SECRET_FIELDS = new Set(['password']);
/** Response headers a failure report shows (the rest is noise for a reader). */
const REPORTED_RESPONSE_HEADERS = [
  'location',
  'content-type',
  'content-length',
  'set-cookie',
  'retry-after',
  'allow',
  'www-authenticate',
];
const BODY_EXCERPT_CHARS = 500;

export interface Exchange {
  method: string;
  url: string;
  /** Request headers as sent, cookie values replaced by `<redacted>`. */
  requestHeaders: [string, string][];
  /** The request body, password fields replaced by `<redacted>`. */
  requestBody: string | undefined;
  /** Undefined when no answer came (refused, timed out). */
  status: number | undefined;
  statusText: string;
  responseHeaders: [string, string][];
  /** The whole response body (failure reports show an excerpt). */
  responseBody: string;
  /** Why no answer came. */
  error: string | undefined;
}

/** A check's failure: what was wrong, and the exchange that showed it. */
export class CheckFailure extends Error {
  readonly exchange: Exchange | undefined;
  constructor(message: string, exchange: Exchange | undefined) {
    super(message);
    this.exchange = exchange;
  }
}

export class SystemTestClient {
  readonly baseUrl: string;
  private readonly timeoutMs: number;
  private readonly cookies = new Map<string, string>();

  constructor(baseUrl: string, timeoutMs: number) {
    this.baseUrl = baseUrl;
    this.timeoutMs = timeoutMs;
  }

  /** The jar's cookies as a `Cookie` header value, e.g. to replay a session later. */
  cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  get(path: string): Promise<Exchange> {
    return this.send('GET', path, undefined);
  }

  /** POSTs a urlencoded form, as the app's pages do. */
  postForm(path: string, form: Record<string, string>): Promise<Exchange> {
    return this.send('POST', path, new URLSearchParams(form));
  }

  private async send(method: string, path: string, form: URLSearchParams | undefined): Promise<Exchange> {
    const url = new URL(path, this.baseUrl).href;
    const headers: [string, string][] = [];
    if (form !== undefined) headers.push(['content-type', 'application/x-www-form-urlencoded']);
    if (this.cookies.size > 0) headers.push(['cookie', this.cookieHeader()]);
    const exchange: Exchange = {
      method,
      url,
      requestHeaders: headers.map(([name, value]) => [
        name,
        name === 'cookie' ? redactCookies(value) : value,
      ]),
      requestBody: form === undefined ? undefined : redactForm(form),
      status: undefined,
      statusText: '',
      responseHeaders: [],
      responseBody: '',
      error: undefined,
    };
    try {
      const response = await fetch(url, {
        method,
        headers,
        body: form?.toString(),
        redirect: 'manual',
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      exchange.status = response.status;
      exchange.statusText = response.statusText;
      exchange.responseBody = await response.text();
      for (const name of REPORTED_RESPONSE_HEADERS) {
        if (name === 'set-cookie') {
          for (const cookie of response.headers.getSetCookie())
            exchange.responseHeaders.push([name, redactSetCookie(cookie)]);
        } else {
          const value = response.headers.get(name);
          if (value !== null) exchange.responseHeaders.push([name, value]);
        }
      }
      this.store(response.headers.getSetCookie());
    } catch (error) {
      const cause = (error as Error & { cause?: { code?: string; message?: string } }).cause;
      exchange.error =
        (error as Error).name === 'TimeoutError'
          ? `no answer within ${this.timeoutMs} ms`
          : (cause?.code ?? cause?.message ?? (error as Error).message);
    }
    return exchange;
  }

  private store(setCookies: string[]): void {
    for (const line of setCookies) {
      const [pair = '', ...attributes] = line.split(';');
      const eq = pair.indexOf('=');
      if (eq <= 0) continue;
      const name = pair.slice(0, eq).trim();
      const expired = attributes.some((attribute) => /^\s*max-age\s*=\s*(0|-\d+)\s*$/i.test(attribute));
      if (expired) this.cookies.delete(name);
      else this.cookies.set(name, pair.slice(eq + 1).trim());
    }
  }
}

function redactCookies(header: string): string {
  return header
    .split(';')
    .map((pair) => `${pair.split('=')[0]!.trim()}=<redacted>`)
    .join('; ');
}

function redactSetCookie(line: string): string {
  const [pair = '', ...attributes] = line.split(';');
  return [`${pair.split('=')[0]!.trim()}=<redacted>`, ...attributes.map((part) => part.trim())].join('; ');
}

function redactForm(form: URLSearchParams): string {
  const shown = new URLSearchParams();
  for (const [name, value] of form) shown.append(name, SECRET_FIELDS.has(name) ? '<redacted>' : value);
  return shown.toString().replace(/%3Credacted%3E/g, '<redacted>');
}

/** The start of a body; for an HTML page, of its <body> (the <head> says nothing about what went wrong). */
export function bodyExcerpt(body: string): string {
  const start = /<body[^>]*>/i.exec(body);
  const text = (start === null ? body : body.slice(start.index + start[0].length)).trim();
  return text.length > BODY_EXCERPT_CHARS ? `${text.slice(0, BODY_EXCERPT_CHARS)}...` : text;
}

/** The block a failing check prints: its name, why, the request and the answer. */
export function formatFailure(check: string, failure: CheckFailure): string {
  const lines = [`FAILED ${check}: ${failure.message}`];
  const exchange = failure.exchange;
  if (exchange !== undefined) {
    lines.push(`  request:  ${exchange.method} ${exchange.url}`);
    for (const [name, value] of exchange.requestHeaders) lines.push(`            ${name}: ${value}`);
    if (exchange.requestBody !== undefined) lines.push(`            body: ${exchange.requestBody}`);
    if (exchange.status === undefined) {
      lines.push(`  response: none (${exchange.error ?? 'no answer'})`);
    } else {
      lines.push(`  response: ${exchange.status} ${exchange.statusText}`.trimEnd());
      for (const [name, value] of exchange.responseHeaders) lines.push(`            ${name}: ${value}`);
      const excerpt = bodyExcerpt(exchange.responseBody);
      if (excerpt !== '') {
        lines.push('            body:');
        for (const line of excerpt.split('\n')) lines.push(`              ${line}`);
      }
    }
  }
  return lines.join('\n');
}
