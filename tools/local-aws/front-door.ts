import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

/**
 * A service's load balancer: an HTTP reverse proxy on 127.0.0.1 forwarding, round robin, to the
 * service's healthy running tasks (asked afresh on every request), 503 when there are none,
 * 502 when the chosen task does not answer.
 */
export class FrontDoor {
  readonly port: number;
  private readonly server: Server;
  private next = 0;

  private constructor(server: Server, port: number) {
    this.server = server;
    this.port = port;
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
    const door = new FrontDoor(server, typeof address === 'object' && address ? address.port : port);
    holder.door = door;
    return door;
  }

  private forward(incoming: IncomingMessage, outgoing: ServerResponse, ports: number[]): void {
    if (ports.length === 0) {
      const body = '503 Service Temporarily Unavailable: no healthy targets\n';
      outgoing.writeHead(503, { 'Content-Type': 'text/plain', 'Content-Length': Buffer.byteLength(body) });
      outgoing.end(body);
      return;
    }
    const port = ports[this.next++ % ports.length]!;
    const upstream = request(
      {
        host: '127.0.0.1',
        port,
        method: incoming.method,
        path: incoming.url,
        headers: {
          ...incoming.headers,
          'x-forwarded-for': incoming.socket.remoteAddress ?? '127.0.0.1',
          connection: 'close',
        },
      },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      },
    );
    upstream.setTimeout(30_000, () => upstream.destroy(new Error('upstream timeout')));
    upstream.on('error', () => {
      if (outgoing.headersSent) {
        outgoing.destroy();
        return;
      }
      const body = '502 Bad Gateway\n';
      outgoing.writeHead(502, { 'Content-Type': 'text/plain', 'Content-Length': Buffer.byteLength(body) });
      outgoing.end(body);
    });
    incoming.pipe(upstream);
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }
}
