import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import http, { type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import https from 'node:https';
import { rootCertificates } from 'node:tls';

/**
 * One HTTP(S) request with full control of what a health probe needs: a hard timeout over the whole
 * exchange (redirects included), cancellation by AbortSignal, no keep-alive pool left behind, a bounded
 * body, bounded redirects, a private CA or no verification at all, and `localhost` that works whether
 * the server listens on 127.0.0.1 or ::1. It never throws: every failure comes back as a value.
 */
/** Header names whose values are credentials: masked in logs, and never sent on to another origin. */
export const SENSITIVE_HEADER_NAME =
  /^(authorization|proxy-authorization|cookie)$|key|token|secret|password|auth/i;

export interface HttpProbeRequest {
  url: URL;
  method: 'GET' | 'HEAD';
  headers?: Record<string, string>;
  /** Whole exchange, redirects included. */
  timeoutMs: number;
  /** PEM of extra trusted CAs (added to the public roots, not replacing them). */
  ca?: string;
  /** Skip certificate verification (self-signed test certificates). */
  insecure?: boolean;
  followRedirects?: boolean;
  maxRedirects?: number;
  /** Read at most this much of the body; the rest is dropped. Default 64 KiB. */
  maxBodyBytes?: number;
  /** HTTP_PROXY / HTTPS_PROXY / NO_PROXY (e.g. process.env), for runners behind a proxy. */
  proxyEnv?: http.ProxyEnv;
  signal?: AbortSignal;
}

export interface HttpProbeResponse {
  kind: 'response';
  status: number;
  statusText: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** The URL that answered (after redirects). */
  url: URL;
  redirects: number;
  durationMs: number;
}

export interface HttpProbeError {
  kind: 'error';
  /** A Node error code (ECONNREFUSED, DEPTH_ZERO_SELF_SIGNED_CERT...), or TIMEOUT, ABORTED, TOO_MANY_REDIRECTS. */
  code: string;
  /** One line people can act on. */
  message: string;
  url: URL;
  redirects: number;
  durationMs: number;
}

export type HttpProbeResult = HttpProbeResponse | HttpProbeError;

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const DEFAULT_MAX_BODY_BYTES = 64 * 1024;

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/**
 * `localhost` is loopback on both families (RFC 6761), but /etc/hosts often lists only 127.0.0.1 and
 * Node's resolver then never tries ::1 (or the reverse). We answer both and let happy eyeballs pick.
 */
export function loopbackAwareLookup(
  hostname: string,
  options: LookupOptions,
  callback: LookupCallback,
): void {
  const name = hostname.toLowerCase().replace(/\.$/, '');
  if (name === 'localhost' || name.endsWith('.localhost')) {
    const all: LookupAddress[] = [
      { address: '127.0.0.1', family: 4 },
      { address: '::1', family: 6 },
    ].filter((entry) => !options.family || entry.family === options.family);
    if (options.all) callback(null, all);
    else callback(null, all[0]!.address, all[0]!.family);
    return;
  }
  dnsLookup(
    hostname,
    { ...options, all: options.all === true } as LookupOptions & { all: boolean },
    callback,
  );
}

const ERROR_DESCRIPTIONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset by the server',
  ENOTFOUND: 'host name not found',
  EAI_AGAIN: 'host name lookup failed (temporary)',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ETIMEDOUT: 'connection timed out',
  EPIPE: 'connection closed while sending',
  DEPTH_ZERO_SELF_SIGNED_CERT:
    'certificate is self-signed (set ca-file, or insecure: true for test certificates)',
  SELF_SIGNED_CERT_IN_CHAIN: 'certificate chain ends in an untrusted self-signed CA (set ca-file)',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'certificate is not signed by a trusted CA (set ca-file)',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'certificate is not signed by a trusted CA (set ca-file)',
  CERT_HAS_EXPIRED: 'certificate has expired',
  ERR_TLS_CERT_ALTNAME_INVALID: 'certificate does not name this host',
  EPROTO: 'TLS handshake failed (is this an http:// server?)',
  ERR_SSL_WRONG_VERSION_NUMBER: 'TLS handshake failed (is this an http:// server?)',
  HPE_INVALID_CONSTANT: 'not an HTTP answer (is this an https:// server?)',
};

export function describeProbeError(code: string, fallback = ''): string {
  return ERROR_DESCRIPTIONS[code] ?? (fallback || code);
}

interface NodeLikeError {
  code?: string;
  message?: string;
  errors?: NodeLikeError[];
}

function errorCode(error: unknown): { code: string; message: string } {
  const err = (error ?? {}) as NodeLikeError;
  // Happy eyeballs fails with an AggregateError holding one error per address tried.
  const inner = err.code === undefined ? err.errors?.[0] : undefined;
  const code = err.code ?? inner?.code ?? 'ERROR';
  return { code, message: describeProbeError(code, inner?.message ?? err.message) };
}

/** A one-request agent that goes through the proxy the environment names (Node honours NO_PROXY). */
function proxyFor(proxyEnv: http.ProxyEnv | undefined, isHttps: boolean): http.Agent | undefined {
  if (!proxyEnv) return undefined;
  const proxy = isHttps
    ? (proxyEnv.HTTPS_PROXY ?? proxyEnv.https_proxy)
    : (proxyEnv.HTTP_PROXY ?? proxyEnv.http_proxy);
  if (!proxy) return undefined;
  return isHttps
    ? new https.Agent({ keepAlive: false, proxyEnv })
    : new http.Agent({ keepAlive: false, proxyEnv });
}

function sameOrigin(a: URL, b: URL): boolean {
  return a.protocol === b.protocol && a.host === b.host;
}

interface SingleExchange {
  response?: IncomingMessage;
  body?: string;
  error?: unknown;
}

function exchange(
  url: URL,
  method: string,
  headers: Record<string, string>,
  request: HttpProbeRequest,
  signal: AbortSignal,
  readBody: boolean,
): Promise<SingleExchange> {
  return new Promise((settle) => {
    const isHttps = url.protocol === 'https:';
    const agent = proxyFor(request.proxyEnv, isHttps);
    const resolve = (outcome: SingleExchange): void => {
      // A proxy agent of our own per request: closing it leaves no socket behind.
      if (agent) agent.destroy();
      settle(outcome);
    };
    const auth =
      url.username || url.password
        ? `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`
        : undefined;
    const options: https.RequestOptions & { autoSelectFamily?: boolean } = {
      method,
      headers: { 'user-agent': 'shipkit-wait-healthy', accept: '*/*', connection: 'close', ...headers },
      // A fresh connection per probe: nothing pooled outlives the step, and a load balancer spreads
      // consecutive probes over its targets as it would spread users.
      agent: agent ?? false,
      signal,
      lookup: loopbackAwareLookup,
      autoSelectFamily: true,
      ...(auth ? { auth } : {}),
    };
    if (isHttps) {
      options.rejectUnauthorized = request.insecure !== true;
      if (request.ca) options.ca = [...rootCertificates, request.ca];
    }
    const target = new URL(url);
    target.username = '';
    target.password = '';
    const client = (isHttps ? https : http).request(target, options, (response) => {
      if (!readBody) {
        response.resume();
        response.on('end', () => resolve({ response, body: '' }));
        response.on('error', (error) => resolve({ error }));
        return;
      }
      const limit = request.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
      const chunks: Buffer[] = [];
      let size = 0;
      let done = false;
      const finish = (): void => {
        if (done) return;
        done = true;
        resolve({ response, body: Buffer.concat(chunks).toString('utf8') });
      };
      response.on('data', (chunk: Buffer) => {
        if (size >= limit) return;
        chunks.push(chunk.subarray(0, limit - size));
        size += chunk.length;
        if (size >= limit) {
          // Enough to judge; drop the rest and the connection with it.
          finish();
          response.destroy();
        }
      });
      response.on('end', finish);
      response.on('error', (error) => {
        if (!done) {
          done = true;
          resolve({ error });
        }
      });
    });
    client.on('error', (error) => resolve({ error }));
    client.end();
  });
}

/** Sends one probe, following redirects if asked, and reports the answer or the failure as a value. */
export async function httpProbe(request: HttpProbeRequest): Promise<HttpProbeResult> {
  const started = performance.now();
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, request.timeoutMs);
  const onAbort = (): void => controller.abort();
  request.signal?.addEventListener('abort', onAbort, { once: true });
  if (request.signal?.aborted) controller.abort();

  let url = request.url;
  let method: string = request.method;
  let headers = { ...request.headers };
  let redirects = 0;
  const maxRedirects = request.maxRedirects ?? 5;
  const elapsed = (): number => Math.round(performance.now() - started);
  try {
    for (;;) {
      const result = await exchange(url, method, headers, request, controller.signal, method !== 'HEAD');
      if (result.error !== undefined || !result.response) {
        if (timedOut) {
          return {
            kind: 'error',
            code: 'TIMEOUT',
            message: `no answer within ${Math.round(request.timeoutMs)} ms`,
            url,
            redirects,
            durationMs: elapsed(),
          };
        }
        if (controller.signal.aborted) {
          return {
            kind: 'error',
            code: 'ABORTED',
            message: 'cancelled',
            url,
            redirects,
            durationMs: elapsed(),
          };
        }
        const { code, message } = errorCode(result.error);
        return { kind: 'error', code, message, url, redirects, durationMs: elapsed() };
      }
      const { response } = result;
      const status = response.statusCode ?? 0;
      const location = response.headers.location;
      if (request.followRedirects !== false && REDIRECT_STATUSES.has(status) && location) {
        if (redirects >= maxRedirects) {
          return {
            kind: 'error',
            code: 'TOO_MANY_REDIRECTS',
            message: `more than ${maxRedirects} redirects (a redirect loop?), last to ${location}`,
            url,
            redirects,
            durationMs: elapsed(),
          };
        }
        const next = new URL(location, url);
        if (next.protocol !== 'http:' && next.protocol !== 'https:') {
          return {
            kind: 'error',
            code: 'BAD_REDIRECT',
            message: `redirected to ${next.protocol} URL, which cannot be checked`,
            url,
            redirects,
            durationMs: elapsed(),
          };
        }
        // Credentials go only where the user sent them, never to another origin.
        if (!sameOrigin(next, url)) {
          headers = Object.fromEntries(
            Object.entries(headers).filter(([name]) => !SENSITIVE_HEADER_NAME.test(name)),
          );
        }
        if (status === 303 || ((status === 301 || status === 302) && method !== 'HEAD')) method = 'GET';
        url = next;
        redirects++;
        continue;
      }
      return {
        kind: 'response',
        status,
        statusText: response.statusMessage ?? '',
        headers: response.headers,
        body: result.body ?? '',
        url,
        redirects,
        durationMs: elapsed(),
      };
    }
  } finally {
    clearTimeout(timer);
    request.signal?.removeEventListener('abort', onAbort);
  }
}
