// The stand-in's front door as a load balancer the sample app can trust as one hop: X-Forwarded-* written
// by the door alone, the task's answer relayed (a 413 to a 10 MB body too), connections to tasks reused.
import { once } from 'node:events';
import {
  createServer,
  request,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { connect, type AddressInfo } from 'node:net';

import { FrontDoor } from '../../../tools/local-aws/front-door.js';
import { ADMIN_PASSWORD, Browser, startTestServer, type TestServer } from '../sample-app/app-client.js';

interface Seen {
  headers: IncomingHttpHeaders;
  remotePort: number | undefined;
}

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

async function echoTask(): Promise<{ port: number; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server: Server = createServer((req, res) => {
    seen.push({ headers: req.headers, remotePort: req.socket.remotePort });
    req.resume();
    req.on('end', () => res.end('ok'));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  closers.push(
    () =>
      new Promise((resolve) => {
        server.close(resolve);
        server.closeAllConnections();
      }),
  );
  return { port: (server.address() as AddressInfo).port, seen };
}

const servers: Server[] = [];

async function serveTask(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<number> {
  const server: Server = createServer(handler);
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  closers.push(
    () =>
      new Promise((resolve) => {
        server.close(resolve);
        server.closeAllConnections();
      }),
  );
  return (server.address() as AddressInfo).port;
}

async function door(ports: () => number[]): Promise<string> {
  const opened = await FrontDoor.open('127.0.0.1', 0, ports);
  closers.push(() => opened.close());
  return `http://127.0.0.1:${opened.port}`;
}

/** A raw request (fetch cannot send a body it is told is too large to read back). */
function send(
  url: string,
  options: { method?: string; headers?: Record<string, string | number>; body?: Buffer } = {},
): Promise<{ status: number; body: string; headers: IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? 'GET', headers: options.headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

describe('front door', () => {
  it('replaces the client X-Forwarded-For/-Proto/-Host with what it saw', async () => {
    const task = await echoTask();
    const url = await door(() => [task.port]);
    const response = await send(`${url}/`, {
      headers: {
        'x-forwarded-for': '203.0.113.66',
        'x-forwarded-proto': 'https',
        'x-forwarded-host': 'evil.example',
        'x-forwarded-port': '443',
        host: 'shop.example:8080',
      },
    });
    expect(response.status).toBe(200);
    const headers = task.seen[0]!.headers;
    expect(headers['x-forwarded-for']).toBe('127.0.0.1');
    expect(headers['x-forwarded-proto']).toBe('http');
    expect(headers['x-forwarded-host']).toBe('shop.example:8080');
    expect(headers['x-forwarded-port']).toBeUndefined();
    expect(headers.host).toBe('shop.example:8080');
  });

  it('reuses its connections to a task between requests', async () => {
    const task = await echoTask();
    const url = await door(() => [task.port]);
    for (let n = 0; n < 3; n++) expect((await send(`${url}/health`)).status).toBe(200);
    expect(task.seen).toHaveLength(3);
    expect(new Set(task.seen.map((seen) => seen.remotePort)).size).toBe(1);
  });

  it('does not reuse a connection whose task hints a keep-alive too short to reuse it safely', async () => {
    const ports: number[] = [];
    const task = await serveTask((req, res) => {
      ports.push(req.socket.remotePort!);
      res.end('ok');
    });
    const url = await door(() => [task]);
    // Node's server sends `Keep-Alive: timeout=5` by default; this task's 1 s, less the 1 s margin, leaves none.
    servers.at(-1)!.keepAliveTimeout = 1000;
    for (let n = 0; n < 3; n++) expect((await send(`${url}/health`)).status).toBe(200);
    expect(new Set(ports).size).toBe(3);
  });

  it('relays the sample app 413 to a 10 MB form instead of a 502', async () => {
    const app: TestServer = await startTestServer({ TRUST_PROXY: '1' });
    closers.push(() => app.stop());
    const url = await door(() => [app.port]);
    const body = Buffer.alloc(10 * 1024 * 1024, 'x');
    for (let n = 0; n < 3; n++) {
      const response = await send(`${url}/add`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': body.length },
        body,
      });
      expect(response.status).toBe(413);
      expect(response.body).toContain('The form is too large.');
    }
    // The door is still good for the next request.
    expect((await send(`${url}/api/health-check`)).status).toBe(200);
  });

  it('keeps the sample app login limit per client: a new X-Forwarded-For per attempt does not reset it', async () => {
    const app: TestServer = await startTestServer({ TRUST_PROXY: '1', LOGIN_MAX_FAILURES: '2' });
    closers.push(() => app.stop());
    const url = await door(() => [app.port]);
    const attempt = async (n: number, password: string): Promise<number> => {
      const visitor = new Browser(url);
      const csrf_token = await visitor.csrfToken('/login');
      const response = await visitor.request('/login', {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'x-forwarded-for': `203.0.113.${n}`,
        },
        body: new URLSearchParams({ csrf_token, username: 'admin', password }).toString(),
      });
      return response.status;
    };
    expect(await attempt(1, 'wrong')).toBe(401);
    expect(await attempt(2, 'wrong')).toBe(401);
    // The door wrote the address it saw (127.0.0.1): the client's own header counts for nothing.
    expect(await attempt(3, ADMIN_PASSWORD)).toBe(429);
  });

  it('forwards request bodies, chunked or sized, and relays repeated and large answers whole', async () => {
    const seen: { method: string; body: string; headers: IncomingHttpHeaders }[] = [];
    const big = Buffer.alloc(4 * 1024 * 1024, 'y');
    const task = await serveTask((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => (body += chunk));
      req.on('end', () => {
        seen.push({ method: req.method!, body, headers: req.headers });
        if (req.url === '/big') {
          res.writeHead(200, { 'Content-Length': big.length });
          res.end(big);
          return;
        }
        res.setHeader('Set-Cookie', ['a=1', 'b=2']);
        res.setHeader('Keep-Alive', 'timeout=5');
        res.end(`got ${body.length}`);
      });
    });
    const url = await door(() => [task]);
    const sized = await send(`${url}/form`, {
      method: 'POST',
      headers: { 'content-length': 5 },
      body: Buffer.from('hello'),
    });
    expect(sized.status).toBe(200);
    expect(sized.body).toBe('got 5');
    // Set-Cookie twice, as the task sent it; its Keep-Alive describes the task's connection, not the client's.
    expect(sized.headers['set-cookie']).toEqual(['a=1', 'b=2']);
    expect(sized.headers['keep-alive']).not.toBe('timeout=5');
    const chunked = await send(`${url}/form`, {
      method: 'PUT',
      headers: { 'transfer-encoding': 'chunked' },
      body: Buffer.from('x'.repeat(100_000)),
    });
    expect(chunked.body).toBe('got 100000');
    expect(seen.map(({ method, body }) => [method, body.length])).toEqual([
      ['POST', 5],
      ['PUT', 100_000],
    ]);
    const whole = await send(`${url}/big`);
    expect(whole.body.length).toBe(big.length);
    const head = await send(`${url}/form`, { method: 'HEAD' });
    expect([head.status, head.body]).toEqual([200, '']);
  });

  it('sends the task the address it dialled as Host for an HTTP/1.0 request without one', async () => {
    const task = await echoTask();
    const url = new URL(await door(() => [task.port]));
    const socket = connect(Number(url.port), '127.0.0.1');
    // HTTP/1.0 without keep-alive: the door closes the connection after its answer.
    socket.write('GET /old HTTP/1.0\r\n\r\n');
    let answer = '';
    socket.setEncoding('utf8');
    for await (const chunk of socket) answer += chunk as string;
    expect(answer).toMatch(/^HTTP\/1\.1 200 /);
    expect(task.seen[0]!.headers.host).toBe(`127.0.0.1:${task.port}`);
    expect(task.seen[0]!.headers['x-forwarded-host']).toBeUndefined();
    expect(task.seen[0]!.headers['x-forwarded-for']).toBe('127.0.0.1');
  });

  it('tells the client the connection closes when the task closes it, and cuts it when the task dies mid-body', async () => {
    const task = await serveTask((req, res) => {
      if (req.url === '/close') {
        res.writeHead(200, { Connection: 'close', 'Content-Length': 2 });
        res.end('ok');
        return;
      }
      res.writeHead(200, { 'Content-Length': 1000 });
      res.write('partial');
      setImmediate(() => res.socket?.destroy());
    });
    const url = await door(() => [task]);
    const closing = await send(`${url}/close`);
    expect(closing.headers.connection).toBe('close');
    await expect(send(`${url}/dies`)).rejects.toThrow();
  });

  it('answers 503 without targets and 502 when the task does not answer', async () => {
    expect((await send(`${await door(() => [])}/`)).status).toBe(503);
    const task = await echoTask();
    const gone = task.port;
    await closers.pop()!();
    expect((await send(`${await door(() => [gone])}/`)).status).toBe(502);
  });
});
