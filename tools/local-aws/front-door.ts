import {
  Agent,
  createServer,
  request,
  type ClientRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { Socket } from 'node:net';

/** Headers that describe one connection, not the request: never forwarded (RFC 9110 section 7.6.1). */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authorization',
  'te',
  'trailer',
  'upgrade',
]);
/** Idle upstream connections close after this: well before an app's own keep-alive timeout (Node's is 5 s). */
const IDLE_UPSTREAM_MS = 4000;
/** A task's `Keep-Alive: timeout=<s>` hint is cut by this much, as Node's Agent does (its default buffer). */
const HINT_MARGIN_MS = 1000;
/** A reused upstream connection the task closed just as a request went out: safe to send these again. */
const RETRYABLE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * A service's load balancer: an HTTP reverse proxy on 127.0.0.1 forwarding, round robin, to the
 * service's healthy running tasks (asked afresh on every request), 503 when there are none,
 * 502 when the chosen task does not answer.
 *
 * As one trusted hop, it replaces X-Forwarded-For/-Proto/-Host with what it saw (the client's own values
 * are dropped, so an app trusting one hop cannot be fooled by them), and relays whatever the task answered,
 * a 413 sent before the body was read included. Connections to tasks are kept alive and reused.
 *
 * The hot path is written for CPU per request (measured with a profile, see the README): headers are copied
 * as flat raw arrays (no header objects, no `delete`), and a request without a body skips stream piping.
 */
export class FrontDoor {
  readonly port: number;
  private readonly server: Server;
  private readonly agent: TaskAgent;
  private next = 0;

  private constructor(server: Server, port: number, agent: TaskAgent) {
    this.server = server;
    this.port = port;
    this.agent = agent;
  }

  static async open(host: string, port: number, targets: () => number[]): Promise<FrontDoor> {
    const holder: { door?: FrontDoor } = {};
    // optimizeEmptyRequests: a request without Content-Length or Transfer-Encoding has no body
    // (RFC 9112 section 6.3), so Node skips its readable-stream events; such requests are ended at once below.
    const server = createServer({ optimizeEmptyRequests: true }, (incoming, outgoing) =>
      holder.door?.forward(incoming, outgoing, targets()),
    );
    server.keepAliveTimeout = 1000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    const address = server.address();
    // Idle upstream connections close first on the door's side, so the door, not the task, ends them (a task
    // closing one as a request goes out is the reset retried below).
    const agent = new TaskAgent({
      keepAlive: true,
      maxSockets: 256,
      maxFreeSockets: 64,
      timeout: IDLE_UPSTREAM_MS,
    });
    const door = new FrontDoor(server, typeof address === 'object' && address ? address.port : port, agent);
    holder.door = door;
    return door;
  }

  private forward(incoming: IncomingMessage, outgoing: ServerResponse, ports: number[]): void {
    if (ports.length === 0) {
      sendPlain(outgoing, 503, '503 Service Temporarily Unavailable: no healthy targets\n');
      return;
    }
    const port = ports[this.next++ % ports.length]!;
    this.send(incoming, outgoing, port, forwardedHeaders(incoming, port), true);
  }

  private send(
    incoming: IncomingMessage,
    outgoing: ServerResponse,
    port: number,
    headers: string[],
    mayRetry: boolean,
  ): void {
    let answered = false;
    const upstream: ClientRequest = request(
      { host: '127.0.0.1', port, method: incoming.method, path: incoming.url, agent: this.agent, headers },
      (answer) => {
        answered = true;
        outgoing.writeHead(answer.statusCode ?? 502, answerHeaders(answer, this.agent));
        relay(answer, outgoing);
      },
    );
    upstream.setTimeout(30_000, () => upstream.destroy(new Error('upstream timeout')));
    upstream.on('error', (error: NodeJS.ErrnoException) => {
      if (answered) {
        // The task answered, then stopped reading the body (a 413): the answer still goes to the client;
        // the rest of the client's body is read and dropped.
        incoming.unpipe(upstream);
        incoming.resume();
        return;
      }
      const idempotent = RETRYABLE_METHODS.has(incoming.method ?? 'GET');
      if (mayRetry && idempotent && upstream.reusedSocket && error.code === 'ECONNRESET') {
        this.send(incoming, outgoing, port, headers, false);
        return;
      }
      if (outgoing.headersSent) {
        outgoing.destroy();
        return;
      }
      sendPlain(outgoing, 502, '502 Bad Gateway\n');
    });
    // A request without a body, or a retry (which comes after the bodiless request was read): nothing to pipe.
    if (incoming.readableEnded) upstream.end();
    else incoming.pipe(upstream);
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
      this.agent.destroy();
    });
  }
}

/**
 * The client's headers (raw, as a flat name/value list) without hop-by-hop ones, and X-Forwarded-* set by
 * this hop alone: For is the address that connected here, Proto the scheme it used (this door serves plain
 * HTTP), Host what it asked for. Without a Host (HTTP/1.0), the task's address is sent, as Node would.
 */
function forwardedHeaders(incoming: IncomingMessage, port: number): string[] {
  const raw = incoming.rawHeaders;
  const headers: string[] = [];
  let host: string | undefined;
  for (let n = 0; n < raw.length; n += 2) {
    const name = raw[n]!.toLowerCase();
    if (HOP_BY_HOP.has(name) || name.startsWith('x-forwarded-')) continue;
    if (name === 'host') {
      // Node's parser keeps the first of repeated Host lines; so does the door.
      if (host !== undefined) continue;
      host = raw[n + 1]!;
    }
    headers.push(raw[n]!, raw[n + 1]!);
  }
  if (host === undefined) headers.push('Host', `127.0.0.1:${port}`);
  headers.push('X-Forwarded-For', incoming.socket.remoteAddress ?? '127.0.0.1', 'X-Forwarded-Proto', 'http');
  if (host !== undefined) headers.push('X-Forwarded-Host', host);
  return headers;
}

/**
 * The task's headers (raw) without hop-by-hop ones. The task may close its side (a 413 with
 * `Connection: close`, a draining task): the client is told so. Its Keep-Alive hint goes to the agent.
 */
function answerHeaders(answer: IncomingMessage, agent: TaskAgent): string[] {
  const raw = answer.rawHeaders;
  const headers: string[] = [];
  let close = false;
  let keepAlive: string | undefined;
  for (let n = 0; n < raw.length; n += 2) {
    const name = raw[n]!.toLowerCase();
    if (HOP_BY_HOP.has(name)) {
      if (name === 'connection' && raw[n + 1]!.toLowerCase() === 'close') close = true;
      if (name === 'keep-alive') keepAlive ??= raw[n + 1]!;
      continue;
    }
    headers.push(raw[n]!, raw[n + 1]!);
  }
  if (close) headers.push('Connection', 'close');
  agent.hint(answer.socket, keepAlive);
  return headers;
}

/**
 * Node's keep-alive Agent, told the task's `Keep-Alive: timeout=<s>` hint by the door (which reads the raw
 * headers anyway) instead of building the answer's header object to find it: a connection is kept for the
 * door's idle time, or the task's hint less a margin if that is shorter, and dropped if the hint is too short
 * to reuse it safely (Node's own rule).
 */
class TaskAgent extends Agent {
  private readonly hints = new WeakMap<Socket, number>();

  hint(socket: Socket, keepAlive: string | undefined): void {
    const seconds = keepAlive === undefined ? undefined : /^timeout=(\d+)/.exec(keepAlive)?.[1];
    if (seconds === undefined) {
      if (this.hints.has(socket)) this.hints.delete(socket);
      return;
    }
    const ms = Number(seconds) * 1000 - HINT_MARGIN_MS;
    if (this.hints.get(socket) !== ms) this.hints.set(socket, ms);
  }

  override keepSocketAlive(socket: Socket): boolean {
    socket.setKeepAlive(true, 1000);
    socket.unref();
    const hinted = this.hints.get(socket);
    if (hinted !== undefined && hinted <= 0) return false;
    const idleMs = hinted === undefined ? IDLE_UPSTREAM_MS : Math.min(hinted, IDLE_UPSTREAM_MS);
    if (socket.timeout !== idleMs) socket.setTimeout(idleMs);
    return true;
  }
}

/**
 * The task's body to the client, with backpressure; a task that goes away mid-body cuts the client's
 * connection too. (Listeners rather than `pipe`, which adds and removes a dozen per request.)
 */
function relay(answer: IncomingMessage, outgoing: ServerResponse): void {
  answer.on('data', (chunk: Buffer) => {
    if (outgoing.write(chunk)) return;
    answer.pause();
    outgoing.once('drain', () => answer.resume());
  });
  answer.on('end', () => outgoing.end());
  answer.on('close', () => {
    if (!answer.complete) outgoing.destroy();
  });
}

function sendPlain(outgoing: ServerResponse, status: number, body: string): void {
  outgoing.writeHead(status, { 'Content-Type': 'text/plain', 'Content-Length': Buffer.byteLength(body) });
  outgoing.end(body);
}
