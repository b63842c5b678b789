import http from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';

import { httpProbe, loopbackAwareLookup, type HttpProbeResult } from '../../shared/http-probe.js';
import { json, makeCertificates, serveClosingAfterEach } from './wait-healthy-fixtures.js';

/** The HTTP probe wait-healthy uses (shared/http-probe.ts), against real local servers. */

const serve = serveClosingAfterEach();

function probe(url: string, extra: Partial<Parameters<typeof httpProbe>[0]> = {}): Promise<HttpProbeResult> {
  return httpProbe({ url: new URL(url), method: 'GET', timeoutMs: 2000, ...extra });
}

describe('httpProbe', () => {
  it('returns status, headers and body, closing the connection', async () => {
    const server = await serve((_, response) => json(response, 201, { ok: true }));
    const result = await probe(`${server.url}/x`);
    expect(result).toMatchObject({
      kind: 'response',
      status: 201,
      statusText: 'Created',
      body: '{"ok":true}',
      redirects: 0,
    });
    expect(server.lastHeaders.connection).toBe('close');
    expect(server.lastHeaders['user-agent']).toBe('shipkit-wait-healthy');
  });

  it('reads at most maxBodyBytes of a large body', async () => {
    const server = await serve((_, response) => response.end('x'.repeat(1_000_000)));
    const result = await probe(server.url, { maxBodyBytes: 1000 });
    expect(result.kind === 'response' && result.body.length).toBe(1000);
  });

  it('turns URL credentials into basic auth', async () => {
    const server = await serve((request, response) => response.end(request.headers.authorization ?? 'none'));
    const result = await probe(server.url.replace('http://', 'http://user:p%40ss@'));
    expect(result.kind === 'response' && result.body).toBe(
      `Basic ${Buffer.from('user:p@ss').toString('base64')}`,
    );
  });

  it('keeps credentials on same-origin redirects and drops them on cross-origin ones', async () => {
    const other = await serve((request, response) => response.end(request.headers.authorization ?? 'none'));
    const server = await serve((request, response) => {
      if (request.url === '/same') response.writeHead(307, { location: '/echo' }).end();
      else if (request.url === '/away') response.writeHead(302, { location: `${other.url}/echo` }).end();
      else response.end(request.headers.authorization ?? 'none');
    });
    const headers = { authorization: 'Bearer secret' };
    const same = await probe(`${server.url}/same`, { headers });
    expect(same).toMatchObject({ kind: 'response', body: 'Bearer secret', redirects: 1 });
    const away = await probe(`${server.url}/away`, { headers });
    expect(away).toMatchObject({ kind: 'response', body: 'none', redirects: 1 });
  });

  it('drops every credential-like header on a cross-origin redirect, and keeps the others', async () => {
    const other = await serve((request, response) =>
      response.end([request.headers['x-api-key'] ?? 'none', request.headers['x-trace'] ?? 'none'].join(' ')),
    );
    const server = await serve((_request, response) =>
      response.writeHead(302, { location: `${other.url}/echo` }).end(),
    );
    const away = await probe(`${server.url}/away`, { headers: { 'X-Api-Key': 'k-123', 'X-Trace': 'on' } });
    expect(away).toMatchObject({ kind: 'response', body: 'none on', redirects: 1 });
  });

  it('turns a 303 into a GET and keeps HEAD on a 302', async () => {
    const methods: string[] = [];
    const server = await serve((request, response) => {
      methods.push(`${request.method} ${request.url}`);
      if (request.url === '/start') response.writeHead(302, { location: '/end' }).end();
      else response.end();
    });
    await probe(`${server.url}/start`, { method: 'HEAD' });
    expect(methods).toEqual(['HEAD /start', 'HEAD /end']);
  });

  it('reports a timeout, a refused connection and a cancellation as values', async () => {
    const silent = await serve(() => undefined);
    expect(await probe(silent.url, { timeoutMs: 200 })).toMatchObject({ kind: 'error', code: 'TIMEOUT' });
    const port = silent.port;
    await silent.close();
    expect(await probe(`http://127.0.0.1:${port}/`)).toMatchObject({
      kind: 'error',
      code: 'ECONNREFUSED',
      message: 'connection refused',
    });
    const again = await serve(() => undefined);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    expect(await probe(again.url, { signal: controller.signal, timeoutMs: 5000 })).toMatchObject({
      kind: 'error',
      code: 'ABORTED',
    });
  });

  it('resolves localhost to both loopback addresses', () => {
    const all: unknown[] = [];
    loopbackAwareLookup('localhost', { all: true }, (_, addresses) => all.push(addresses));
    expect(all[0]).toEqual([
      { address: '127.0.0.1', family: 4 },
      { address: '::1', family: 6 },
    ]);
    loopbackAwareLookup('localhost', { family: 6 }, (_, address, family) => all.push([address, family]));
    expect(all[1]).toEqual(['::1', 6]);
  });
});

describe('httpProbe through a proxy', () => {
  it('goes through HTTP_PROXY, and not for hosts in NO_PROXY', async () => {
    const target = await serve((_, response) => response.end('direct'));
    const proxied: string[] = [];
    // A minimal forward proxy: requests arrive with the absolute URL.
    const proxy = await serve((request, response) => {
      proxied.push(request.url ?? '');
      response.end('via proxy');
    });
    const url = `${target.url}/health`;
    const viaProxy = await probe(url, { proxyEnv: { HTTP_PROXY: proxy.url } });
    expect(viaProxy).toMatchObject({ kind: 'response', body: 'via proxy' });
    expect(proxied).toEqual([url]);
    const bypass = await probe(url, { proxyEnv: { HTTP_PROXY: proxy.url, NO_PROXY: '127.0.0.1' } });
    expect(bypass).toMatchObject({ kind: 'response', body: 'direct' });
    const none = await probe(url, { proxyEnv: {} });
    expect(none).toMatchObject({ kind: 'response', body: 'direct' });
    expect(proxied).toHaveLength(1);
  });

  it('tunnels HTTPS through HTTPS_PROXY with CONNECT, certificate checks included', async () => {
    const target = await serve((_, response) => response.end('tls ok'), {
      tls: makeCertificates().selfSigned,
    });
    const tunnels: string[] = [];
    const proxy = http.createServer();
    proxy.on('connect', (request: http.IncomingMessage, client: Duplex) => {
      tunnels.push(request.url ?? '');
      const [host, port] = (request.url ?? '').split(':');
      const upstream = connect(Number(port), host, () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.pipe(client).pipe(upstream);
      });
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    try {
      const proxyEnv = { HTTPS_PROXY: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}` };
      const refused = await probe(`${target.url}/`, { proxyEnv });
      expect(refused).toMatchObject({ kind: 'error', code: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
      const accepted = await probe(`${target.url}/`, { proxyEnv, insecure: true });
      expect(accepted).toMatchObject({ kind: 'response', body: 'tls ok' });
      expect(tunnels).toEqual([`127.0.0.1:${target.port}`, `127.0.0.1:${target.port}`]);
    } finally {
      proxy.closeAllConnections();
      proxy.close();
    }
  });
});
