import {
  Agent,
  createServer,
  request,
  type ClientRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';

/** Headers that describe one connection, not the request: never forwarded (RFC 9110 section 7.6.1). */
const HOP_BY_HOP = [
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authorization',
  'te',
  'trailer',
  'upgrade',
];
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
 */
export class FrontDoor {
  readonly port: number;
  private readonly server: Server;
  private readonly agent: Agent;
  private next = 0;

  private constructor(server: Server, port: number, agent: Agent) {
    this.server = server;
    this.port = port;
    this.agent = agent;
  }

  static async open(host: string, port: number, targets: () => number[]): Promise<FrontDoor> {
    const holder: { door?: FrontDoor } = {};
    const server = createServer((incoming, outgoing) => holder.door?.forward(incoming, outgoing, targets()));
    server.keepAliveTimeout = 1000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    const address = server.address();
    // Idle upstream connections close after 4 s: well before an app's own keep-alive timeout, so the door,
    // not the task, ends them (a task closing one as a request goes out is the reset retried below).
    const agent = new Agent({ keepAlive: true, maxSockets: 256, maxFreeSockets: 64, timeout: 4000 });
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
    this.send(incoming, outgoing, port, true);
  }

  private send(incoming: IncomingMessage, outgoing: ServerResponse, port: number, mayRetry: boolean): void {
    let answered = false;
    const upstream: ClientRequest = request(
      {
        host: '127.0.0.1',
        port,
        method: incoming.method,
        path: incoming.url,
        agent: this.agent,
        headers: forwardedHeaders(incoming),
      },
      (answer) => {
        answered = true;
        const headers = { ...answer.headers };
        for (const name of HOP_BY_HOP) delete headers[name];
        // The task may close its side (a 413 with `Connection: close`, a draining task): tell the client so.
        if (answer.headers.connection === 'close') headers.connection = 'close';
        outgoing.writeHead(answer.statusCode ?? 502, headers);
        answer.pipe(outgoing);
        answer.on('error', () => outgoing.destroy());
        answer.on('aborted', () => outgoing.destroy());
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
        this.send(incoming, outgoing, port, false);
        return;
      }
      if (outgoing.headersSent) {
        outgoing.destroy();
        return;
      }
      sendPlain(outgoing, 502, '502 Bad Gateway\n');
    });
    // A retry comes after the (bodiless) request was read: nothing left to pipe.
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
 * The client's headers without hop-by-hop ones, and X-Forwarded-* set by this hop alone: For is the
 * address that connected here, Proto the scheme it used (this door serves plain HTTP), Host what it asked for.
 */
function forwardedHeaders(incoming: IncomingMessage): IncomingHttpHeaders {
  const headers: IncomingHttpHeaders = { ...incoming.headers };
  for (const name of HOP_BY_HOP) delete headers[name];
  for (const name of Object.keys(headers)) if (name.startsWith('x-forwarded-')) delete headers[name];
  headers['x-forwarded-for'] = incoming.socket.remoteAddress ?? '127.0.0.1';
  headers['x-forwarded-proto'] = 'http';
  if (incoming.headers.host !== undefined) headers['x-forwarded-host'] = incoming.headers.host;
  return headers;
}

function sendPlain(outgoing: ServerResponse, status: number, body: string): void {
  outgoing.writeHead(status, { 'Content-Type': 'text/plain', 'Content-Length': Buffer.byteLength(body) });
  outgoing.end(body);
}
