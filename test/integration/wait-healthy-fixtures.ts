import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http, { type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Real local HTTP(S) servers for the wait-healthy integration tests. */
export type Handler = (request: IncomingMessage, response: ServerResponse) => void;

export interface TestServer {
  url: string;
  port: number;
  /** Requests served so far. */
  requests: number;
  /** The headers of the last request. */
  lastHeaders: IncomingMessage['headers'];
  /** Connections open on the server side right now. */
  openConnections: () => Promise<number>;
  close: () => Promise<void>;
}

export async function startServer(
  handler: Handler,
  options: { host?: string; port?: number; tls?: { key: string; cert: string } } = {},
): Promise<TestServer> {
  const host = options.host ?? '127.0.0.1';
  const state = { requests: 0, lastHeaders: {} as IncomingMessage['headers'] };
  const wrapped: Handler = (request, response) => {
    state.requests++;
    state.lastHeaders = request.headers;
    handler(request, response);
  };
  const server: Server = options.tls ? https.createServer(options.tls, wrapped) : http.createServer(wrapped);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `${options.tls ? 'https' : 'http'}://${shownHost}:${port}`,
    port,
    get requests() {
      return state.requests;
    },
    get lastHeaders() {
      return state.lastHeaders;
    },
    openConnections: () =>
      new Promise<number>((resolve, reject) =>
        server.getConnections((error, count) => (error ? reject(error) : resolve(count))),
      ),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * `startServer` for a test file: every server it starts is closed after the test that started it.
 * Call it once at the top level of the file (it registers an afterEach hook).
 */
export function serveClosingAfterEach(): typeof startServer {
  const servers: TestServer[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => server.close()));
  });
  return async (...args) => {
    const server = await startServer(...args);
    servers.push(server);
    return server;
  };
}

/** A port nothing listens on right now (taken and released), for "connection refused, then up". */
export async function freePort(): Promise<number> {
  const server = await startServer(() => undefined);
  await server.close();
  return server.port;
}

export function json(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

export interface Certificates {
  /** Self-signed leaf for localhost / 127.0.0.1. */
  selfSigned: { key: string; cert: string };
  /** A CA (PEM), and a leaf it signed. */
  caPem: string;
  signed: { key: string; cert: string };
  /** Another CA that signed nothing here (PEM). */
  otherCaPem: string;
}

/** Generates test certificates with openssl in a temp dir (EC keys: fast), read back, the dir removed. */
export function makeCertificates(): Certificates {
  const dir = mkdtempSync(join(tmpdir(), 'wait-healthy-certs-'));
  try {
    return generateCertificates(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function generateCertificates(dir: string): Certificates {
  const run = (args: string[]): void => {
    execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  };
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  const san = 'subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1';
  run([
    'req',
    '-x509',
    ...ec,
    '-keyout',
    'self.key',
    '-out',
    'self.crt',
    '-days',
    '2',
    '-subj',
    '/CN=localhost',
    '-addext',
    san,
  ]);
  for (const name of ['ca', 'other-ca']) {
    run([
      'req',
      '-x509',
      ...ec,
      '-keyout',
      `${name}.key`,
      '-out',
      `${name}.crt`,
      '-days',
      '2',
      '-subj',
      `/CN=shipkit test ${name}`,
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    ]);
  }
  run(['req', ...ec, '-keyout', 'leaf.key', '-out', 'leaf.csr', '-subj', '/CN=localhost']);
  writeFileSync(join(dir, 'leaf.ext'), `${san}\nbasicConstraints=CA:FALSE\n`);
  run([
    'x509',
    '-req',
    '-in',
    'leaf.csr',
    '-CA',
    'ca.crt',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-out',
    'leaf.crt',
    '-days',
    '2',
    '-extfile',
    'leaf.ext',
  ]);
  const read = (file: string): string => readFileSync(join(dir, file), 'utf8');
  return {
    selfSigned: { key: read('self.key'), cert: read('self.crt') },
    caPem: read('ca.crt'),
    signed: { key: read('leaf.key'), cert: read('leaf.crt') },
    otherCaPem: read('other-ca.crt'),
  };
}
