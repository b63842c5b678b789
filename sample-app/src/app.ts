import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';

import {
  csrfToken,
  deriveSessionKeys,
  newSession,
  readSession,
  safeEqual,
  signSession,
  verifyCsrfToken,
  verifyPassword,
  type Session,
} from './auth.js';
import type { AppConfig } from './config.js';
import { openEntryStore, type EntryStore } from './db.js';
import { LoginRateLimiter } from './rate-limit.js';
import { drainServer, type DrainResult } from './shutdown.js';
import {
  renderEntries,
  renderError,
  renderLogin,
  TEXT_MAX_LENGTH,
  TITLE_MAX_LENGTH,
  type EntriesPage,
  type PageContext,
} from './views.js';

export interface AppOptions {
  /** Clock for sessions and the rate limit (ms since the epoch). */
  now?: () => number;
  /** Where the one-line-per-request log goes; stdout by default. */
  log?: (line: string) => void;
  /** An already open store; by default startServer opens the one the config names. */
  store?: EntryStore;
}

export interface App {
  /** The request listener for node:http / node:https. */
  handle: (request: IncomingMessage, response: ServerResponse) => void;
  store: EntryStore;
  /** From now on every response asks the client to close its connection. */
  beginShutdown: () => void;
  /** Closes the database. */
  close: () => Promise<void>;
}

/** Entries per page of the list; older ones are one "older posts" link away. */
export const ENTRIES_PER_PAGE = 50;
const MAX_BODY_BYTES = 64 * 1024;
/** A too-large body up to this size is read and dropped after the 413; a larger one closes the connection. */
const DISCARD_LIMIT_BYTES = 16 * 1024 * 1024;
const MAX_PASSWORD_LENGTH = 1024;
const STATIC_FILES: Record<string, { file: string; type: string }> = {
  '/static/style.css': { file: 'style.css', type: 'text/css; charset=utf-8' },
};
/** Allowed methods per route, for 405 answers. */
const ROUTES: Record<string, string> = {
  '/': 'GET, HEAD',
  '/login': 'GET, HEAD, POST',
  '/logout': 'POST',
  '/add': 'POST',
  '/api/health-check': 'GET, HEAD',
};

/** A response the handlers decide on; `respond` writes it. */
class HttpError extends Error {
  readonly status: number;
  readonly headers: Record<string, string>;
  constructor(status: number, message: string, headers: Record<string, string> = {}) {
    super(message);
    this.status = status;
    this.headers = headers;
  }
}

interface RequestState {
  request: IncomingMessage;
  response: ServerResponse;
  method: string;
  path: string;
  query: URLSearchParams;
  /** The valid session the request came with, if any. */
  incoming: Session | undefined;
  /** The session the response carries: the incoming one, or a fresh visitor session. */
  session: Session;
  /** Set when `session` must be (re)sent as a cookie. */
  sessionChanged: boolean;
}

export function createApp(config: AppConfig, store: EntryStore, options: AppOptions = {}): App {
  const now = options.now ?? Date.now;
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const keys = deriveSessionKeys(config.sessionSecret);
  const limiter = new LoginRateLimiter(config.loginRateLimit);
  const staticFiles = loadStaticFiles();
  const secureTransport = config.tls !== undefined;
  // The __Host- prefix makes browsers refuse the cookie unless it is Secure, host-only and Path=/.
  const cookieName = secureTransport ? '__Host-session' : 'session';
  const inFlight = new Set<ServerResponse>();
  let shuttingDown = false;

  const isSecure = (request: IncomingMessage): boolean =>
    secureTransport || (config.trustProxy > 0 && request.headers['x-forwarded-proto'] === 'https');

  const clientAddress = (request: IncomingMessage): string =>
    forwardedClient(request.headers['x-forwarded-for'], config.trustProxy) ??
    request.socket.remoteAddress ??
    'unknown';

  const pageContext = (state: RequestState): PageContext => {
    const flash = state.session.flash;
    if (flash !== undefined) {
      delete state.session.flash;
      state.sessionChanged = true;
    }
    return { user: state.session.user, csrfToken: csrfToken(state.session, keys), flash };
  };

  const replaceSession = (state: RequestState, user: string | undefined, flash: string): void => {
    // A new session id at every login and logout: a fixated or leaked visitor id (and its CSRF token) dies.
    state.session = newSession(config.sessionMaxAgeSeconds, now(), user);
    state.session.flash = flash;
    state.sessionChanged = true;
  };

  const setSessionCookie = (state: RequestState): void => {
    if (!state.sessionChanged) return;
    const attributes = [
      `${cookieName}=${signSession(state.session, keys)}`,
      'Path=/',
      `Max-Age=${config.sessionMaxAgeSeconds}`,
      'HttpOnly',
      'SameSite=Lax',
    ];
    if (isSecure(state.request)) attributes.push('Secure');
    state.response.setHeader('Set-Cookie', attributes.join('; '));
  };

  const sendHtml = (
    state: RequestState,
    status: number,
    html: string,
    headers: Record<string, string> = {},
  ): void => {
    setSessionCookie(state);
    state.response.writeHead(status, {
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Length': Buffer.byteLength(html),
      'Cache-Control': 'no-store',
      ...headers,
    });
    state.response.end(html);
  };

  const redirect = (state: RequestState, location: string): void => {
    setSessionCookie(state);
    // 303: the browser follows with a GET, so a reload does not post the form again.
    state.response.writeHead(303, { Location: location, 'Cache-Control': 'no-store' });
    state.response.end();
  };

  const requireCsrf = (state: RequestState, form: URLSearchParams): void => {
    const header = state.request.headers['x-csrf-token'];
    const token = form.get('csrf_token') ?? (typeof header === 'string' ? header : undefined);
    // Checked against the session the request brought, never the fresh one made for this response.
    if (!verifyCsrfToken(token, state.incoming, keys)) {
      throw new HttpError(
        403,
        'The form has expired or did not come from this site. Reload the page and try again.',
      );
    }
  };

  /** One page, newest first; one extra row tells whether an older page exists. */
  const entriesPage = async (before: number | undefined): Promise<EntriesPage> => {
    const rows = await store.listEntries(ENTRIES_PER_PAGE + 1, before);
    const entries = rows.slice(0, ENTRIES_PER_PAGE);
    return { entries, olderBefore: rows.length > ENTRIES_PER_PAGE ? entries.at(-1)!.id : undefined };
  };

  const showEntries = async (state: RequestState): Promise<void> => {
    const raw = state.query.get('before');
    // A cursor is an entry id; anything else is a link nobody made here.
    if (raw !== null && !/^[1-9]\d{0,15}$/.test(raw)) throw new HttpError(400, 'That page does not exist.');
    const page = await entriesPage(raw === null ? undefined : Number(raw));
    sendHtml(state, 200, renderEntries(page, pageContext(state)));
  };

  const addEntry = async (state: RequestState): Promise<void> => {
    const form = await readForm(state.request);
    requireCsrf(state, form);
    if (state.session.user === undefined) throw new HttpError(401, 'Log in to post an entry.');
    const values = { title: (form.get('title') ?? '').trim(), text: (form.get('text') ?? '').trim() };
    const problem =
      values.title === ''
        ? 'The title is empty.'
        : values.title.length > TITLE_MAX_LENGTH
          ? `The title is longer than ${TITLE_MAX_LENGTH} characters.`
          : values.text.length > TEXT_MAX_LENGTH
            ? `The text is longer than ${TEXT_MAX_LENGTH} characters.`
            : undefined;
    if (problem !== undefined) {
      const html = renderEntries(await entriesPage(undefined), pageContext(state), {
        values,
        error: problem,
      });
      sendHtml(state, 400, html);
      return;
    }
    await store.addEntry(values.title, values.text);
    state.session.flash = 'New entry was successfully posted';
    state.sessionChanged = true;
    redirect(state, '/');
  };

  const showLogin = (state: RequestState): void => {
    sendHtml(state, 200, renderLogin(pageContext(state), '', undefined));
  };

  const login = async (state: RequestState): Promise<void> => {
    const form = await readForm(state.request);
    requireCsrf(state, form);
    const client = clientAddress(state.request);
    const username = (form.get('username') ?? '').trim();
    const password = form.get('password') ?? '';

    const waitMs = limiter.retryAfterMs(client, now());
    if (waitMs > 0) {
      const seconds = Math.ceil(waitMs / 1000);
      const html = renderLogin(
        pageContext(state),
        username,
        `Too many failed logins. Try again in ${seconds} s.`,
      );
      sendHtml(state, 429, html, { 'Retry-After': String(seconds) });
      return;
    }

    // The password is checked even for a wrong username, so timing does not tell which one was wrong.
    const hash = config.adminPasswordHash;
    const passwordOk =
      hash !== undefined && password.length <= MAX_PASSWORD_LENGTH && (await verifyPassword(password, hash));
    if (!(safeEqual(username, config.adminUsername) && passwordOk)) {
      limiter.recordFailure(client, now());
      sendHtml(state, 401, renderLogin(pageContext(state), username, 'Invalid username or password.'));
      return;
    }
    limiter.recordSuccess(client);
    replaceSession(state, config.adminUsername, 'You were logged in');
    redirect(state, '/');
  };

  const logout = async (state: RequestState): Promise<void> => {
    requireCsrf(state, await readForm(state.request));
    replaceSession(state, undefined, 'You were logged out');
    redirect(state, '/');
  };

  const healthCheck = async (state: RequestState): Promise<void> => {
    let body: Record<string, unknown>;
    let status = 200;
    try {
      await store.ping();
      body = { success: true, ver: config.appVersion };
    } catch {
      status = 503;
      body = { success: false, ver: config.appVersion, error: 'database unreachable' };
    }
    const json = JSON.stringify(body);
    state.response.writeHead(status, {
      'Content-Type': 'application/json',
      'Content-Length': Buffer.byteLength(json),
      'Cache-Control': 'no-store',
    });
    state.response.end(json);
  };

  const serveStatic = (state: RequestState): boolean => {
    const file = staticFiles.get(state.path);
    if (file === undefined || (state.method !== 'GET' && state.method !== 'HEAD')) return false;
    if (state.request.headers['if-none-match'] === file.etag) {
      state.response.writeHead(304, { ETag: file.etag });
      state.response.end();
      return true;
    }
    state.response.writeHead(200, {
      'Content-Type': file.type,
      'Content-Length': file.body.length,
      'Cache-Control': 'public, max-age=3600',
      ETag: file.etag,
    });
    state.response.end(file.body);
    return true;
  };

  const route = async (state: RequestState): Promise<void> => {
    const { method, path } = state;
    const read = method === 'GET' || method === 'HEAD';
    if (path === '/api/health-check' && read) return healthCheck(state);
    if (serveStatic(state)) return;
    if (path === '/' && read) return showEntries(state);
    if (path === '/login' && read) return showLogin(state);
    if (path === '/login' && method === 'POST') return login(state);
    if (path === '/logout' && method === 'POST') return logout(state);
    if (path === '/add' && method === 'POST') return addEntry(state);
    const allowed = ROUTES[path];
    if (allowed !== undefined)
      throw new HttpError(405, 'That method is not allowed here.', { Allow: allowed });
    throw new HttpError(404, 'Nothing here.');
  };

  const handle = (request: IncomingMessage, response: ServerResponse): void => {
    const started = performance.now();
    const method = request.method ?? 'GET';
    // Only the path is logged and routed: query strings can carry things that do not belong in logs.
    const url = request.url ?? '/';
    const queryAt = url.indexOf('?');
    const path = queryAt === -1 ? url : url.slice(0, queryAt);
    inFlight.add(response);
    response.on('close', () => {
      inFlight.delete(response);
      const ms = (performance.now() - started).toFixed(1);
      const aborted = response.writableFinished ? '' : ' aborted';
      log(`${method} ${printable(path)} ${response.statusCode} ${ms}ms${aborted}`);
    });
    setSecurityHeaders(response, isSecure(request));
    if (shuttingDown) response.setHeader('Connection', 'close');

    const signed = readSession(readCookie(request, cookieName), keys, now());
    // A session for a user who is no longer the admin (ADMIN_USERNAME changed) counts as no session.
    const incoming = signed?.user === undefined || signed.user === config.adminUsername ? signed : undefined;
    const state: RequestState = {
      request,
      response,
      method,
      path,
      query: new URLSearchParams(queryAt === -1 ? '' : url.slice(queryAt + 1)),
      incoming,
      session: incoming ?? newSession(config.sessionMaxAgeSeconds, now()),
      sessionChanged: incoming === undefined,
    };
    route(state).catch((error: unknown) => {
      if (response.headersSent) {
        response.destroy();
        return;
      }
      if (error instanceof HttpError) {
        // A visitor without a valid session gets a fresh one here, so reloading the form is enough to recover.
        sendHtml(
          state,
          error.status,
          renderError(error.status, error.message, pageContext(state)),
          error.headers,
        );
        return;
      }
      log(
        `error on ${method} ${printable(path)}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
      sendHtml(state, 500, renderError(500, 'Something went wrong on our side.', pageContext(state)));
    });
  };

  return {
    handle,
    store,
    beginShutdown: () => {
      shuttingDown = true;
      for (const response of inFlight) if (!response.headersSent) response.setHeader('Connection', 'close');
    },
    close: () => store.close(),
  };
}

/**
 * The client's address as `hops` trusted proxies saw it: the hops-th address from the right of
 * X-Forwarded-For (each proxy appends the address it received from), as Express' `trust proxy` hop count.
 * Addresses further left are whatever the client wrote. Undefined when no proxy is trusted or none wrote.
 */
export function forwardedClient(header: string | string[] | undefined, hops: number): string | undefined {
  if (hops === 0 || header === undefined) return undefined;
  const addresses = (Array.isArray(header) ? header.join(',') : header)
    .split(',')
    .map((address) => address.trim())
    .filter((address) => address !== '');
  if (addresses.length === 0) return undefined;
  // Fewer entries than trusted hops: the left-most is as far as the chain goes.
  return addresses[Math.max(0, addresses.length - hops)];
}

function setSecurityHeaders(response: ServerResponse, secure: boolean): void {
  response.setHeader(
    'Content-Security-Policy',
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  );
  response.setHeader('X-Content-Type-Options', 'nosniff');
  response.setHeader('Referrer-Policy', 'same-origin');
  response.setHeader('X-Frame-Options', 'DENY');
  response.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  response.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
  if (secure) response.setHeader('Strict-Transport-Security', 'max-age=31536000');
}

function readCookie(request: IncomingMessage, name: string): string | undefined {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** The urlencoded form in the request body; 413 when too large, 415 when not a form. */
async function readForm(request: IncomingMessage): Promise<URLSearchParams> {
  const type = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') {
    throw new HttpError(415, 'Send the form as application/x-www-form-urlencoded.');
  }
  const declared = Number(request.headers['content-length'] ?? 0);
  if (declared > MAX_BODY_BYTES) {
    // Up to a bound, the connection stays open and node discards the unread body: closing a socket with
    // unread data sends a reset, which can destroy the 413 before a proxy in front has read it (a 502 there).
    const close: Record<string, string> = declared > DISCARD_LIMIT_BYTES ? { Connection: 'close' } : {};
    throw new HttpError(413, 'The form is too large.', close);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, 'The form is too large.', { Connection: 'close' });
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

function printable(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.slice(0, 200).replace(/[\u0000-\u001f\u007f]/g, '?');
}

interface StaticFile {
  body: Buffer;
  type: string;
  etag: string;
}

function loadStaticFiles(): Map<string, StaticFile> {
  const files = new Map<string, StaticFile>();
  for (const [path, { file, type }] of Object.entries(STATIC_FILES)) {
    const body = readFileSync(new URL(`./static/${file}`, import.meta.url));
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 16)}"`;
    files.set(path, { body, type, etag });
  }
  return files;
}

export interface RunningServer {
  server: Server;
  app: App;
  /** e.g. http://127.0.0.1:41234 */
  url: string;
  port: number;
  /** Graceful: stop accepting, finish in-flight requests (up to config.shutdownTimeoutMs), close the DB. */
  stop: () => Promise<DrainResult>;
}

/** Creates the app and listens on config.host:config.port (0 picks a free port), over HTTPS when TLS is set. */
export async function startServer(config: AppConfig, options: AppOptions = {}): Promise<RunningServer> {
  const app = createApp(config, options.store ?? (await openEntryStore(config)), options);
  let server: Server;
  try {
    server =
      config.tls === undefined
        ? createHttpServer(app.handle)
        : createHttpsServer(
            { cert: readFileSync(config.tls.certPath), key: readFileSync(config.tls.keyPath) },
            app.handle,
          );
    // Longer than a load balancer's idle timeout (ALB: 60 s), so the balancer, not us, closes idle connections.
    server.keepAliveTimeout = 65_000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.port, config.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    await app.close();
    throw error;
  }
  const { port } = server.address() as AddressInfo;
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  const url = `${config.tls === undefined ? 'http' : 'https'}://${host.includes(':') ? `[${host}]` : host}:${port}`;
  let stopping: Promise<DrainResult> | undefined;
  return {
    server,
    app,
    url,
    port,
    stop: () => {
      stopping ??= (async () => {
        app.beginShutdown();
        const result = await drainServer(server, config.shutdownTimeoutMs);
        await app.close();
        return result;
      })();
      return stopping;
    },
  };
}
