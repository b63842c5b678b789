// A forward proxy on 127.0.0.1 for tests of proxy support: CONNECT tunnels (https, and undici's way for any
// target) and absolute-form HTTP requests (Node's agents for http targets). It records every request, and
// only reaches loopback targets: anything else is answered 403, so a test can never send traffic off the machine.
import { createServer, request as httpRequest, type Server } from 'node:http';
import { connect, isIP, type Socket } from 'node:net';

export interface CountingProxy {
  /** http://127.0.0.1:<port> */
  url: string;
  /** "CONNECT host:port" or "GET http://host:port/path", in arrival order. */
  requests: string[];
  close(): Promise<void>;
}

function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '');
  if (bare === 'localhost') return true;
  if (isIP(bare) === 4) return bare.startsWith('127.');
  return bare === '::1';
}

export async function startCountingProxy(): Promise<CountingProxy> {
  const requests: string[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((request, response) => {
    const target = new URL(request.url ?? '/');
    requests.push(`${request.method} ${target.href}`);
    if (!isLoopback(target.hostname)) {
      response.writeHead(403).end('loopback only');
      return;
    }
    const upstream = httpRequest(
      target,
      { method: request.method, headers: { ...request.headers, host: target.host } },
      (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      },
    );
    upstream.on('error', () => response.writeHead(502).end());
    request.pipe(upstream);
  });
  server.on('connect', (request, client: Socket, head: Buffer) => {
    const authority = request.url ?? '';
    requests.push(`CONNECT ${authority}`);
    const separator = authority.lastIndexOf(':');
    const host = authority.slice(0, separator);
    const port = Number(authority.slice(separator + 1));
    if (!isLoopback(host)) {
      client.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    const upstream = connect(port, host.replace(/^\[|\]$/g, ''), () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
