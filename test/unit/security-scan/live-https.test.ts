// The live scanner over TLS, against real local servers with certificates openssl makes for this test (a CA of
// its own, removed afterwards): the handshake checks (trust, name, expiry, old protocols) and whole scans of an
// HTTPS app, careless and careful, run in a child process that trusts the CA as a runner with a private CA does.
import { mkdtempSync, rmSync } from 'node:fs';
import { type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createTlsServer, type SecureVersion } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';

import { checkTls } from '../../../actions/security-scan/src/scanners/live/tls.js';
import { scanLiveTrusting } from '../../helpers/live-scan-child.js';
import { makeTestCa, type TestCertificate } from '../../helpers/test-certificates.js';

let folder: string;
let ca: string;
let certificates: Record<'good' | 'other' | 'soon', TestCertificate>;
const servers: Server[] = [];

beforeAll(() => {
  folder = mkdtempSync(join(tmpdir(), 'shipkit-live-tls-'));
  const authority = makeTestCa(folder);
  ca = authority.ca;
  certificates = {
    good: authority.leaf('good', 400, 'IP:127.0.0.1'),
    other: authority.leaf('other', 400, 'DNS:other.example'),
    soon: authority.leaf('soon', 10, 'IP:127.0.0.1'),
  };
}, 60_000);
afterAll(async () => {
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  rmSync(folder, { recursive: true, force: true });
});

async function listen(server: Server): Promise<URL> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return new URL(`https://127.0.0.1:${(server.address() as AddressInfo).port}/`);
}

/** A TLS server that only shakes hands (the TLS checks read nothing else). */
const tlsServer = (credentials: TestCertificate, minVersion: SecureVersion = 'TLSv1.2'): Promise<URL> =>
  listen(
    createTlsServer(
      {
        key: credentials.key,
        cert: credentials.cert,
        minVersion,
        ...(minVersion === 'TLSv1' ? { ciphers: 'DEFAULT@SECLEVEL=0' } : {}),
      },
      (socket) => socket.end(),
    ) as unknown as Server,
  );

describe('TLS checks', () => {
  it('finds nothing for a trusted certificate that covers the address, far from expiry, TLS 1.2+ only', async () => {
    const url = await tlsServer(certificates.good);
    expect(await checkTls(url, { timeoutMs: 5000, certificateExpiryDays: 30, ca })).toEqual({ hits: [] });
  });

  it('flags a certificate not issued for the host, and one no trusted CA signed', async () => {
    const url = await tlsServer(certificates.other);
    const wrongName = await checkTls(url, { timeoutMs: 5000, certificateExpiryDays: 30, ca });
    expect(wrongName.hits.map((hit) => hit.ruleId)).toEqual(['live-tls-certificate-invalid']);
    expect(wrongName.hits[0]!.message).toMatch(/127\.0\.0\.1/);
    const good = await tlsServer(certificates.good);
    const untrusted = await checkTls(good, { timeoutMs: 5000, certificateExpiryDays: 30 });
    expect(untrusted.hits.map((hit) => hit.ruleId)).toEqual(['live-tls-certificate-invalid']);
  });

  it('flags a certificate inside the expiry threshold, and one that has expired', async () => {
    const url = await tlsServer(certificates.soon);
    const soon = await checkTls(url, { timeoutMs: 5000, certificateExpiryDays: 30, ca });
    expect(soon.hits.map((hit) => hit.ruleId)).toEqual(['live-tls-certificate-expiring']);
    expect(soon.hits[0]!.message).toMatch(/in (9|10) day\(s\)/);
    // The same certificate outside a threshold lower than its days left is fine.
    expect(await checkTls(url, { timeoutMs: 5000, certificateExpiryDays: 5, ca })).toEqual({ hits: [] });
    const later = () => new Date(Date.now() + 20 * 86_400_000);
    const expired = await checkTls(url, { timeoutMs: 5000, certificateExpiryDays: 30, ca, now: later });
    expect(expired.hits.map((hit) => hit.message)).toEqual([expect.stringMatching(/expired on/)]);
  });

  it('flags a server that still completes a TLS 1.0/1.1 handshake', async () => {
    const url = await tlsServer(certificates.good, 'TLSv1');
    const result = await checkTls(url, { timeoutMs: 5000, certificateExpiryDays: 30, ca });
    expect(result.hits.map((hit) => hit.ruleId)).toEqual(['live-tls-old-protocol']);
    expect(result.hits[0]!.message).toMatch(/TLSv1(\.1)? handshake/);
  });
});

type Handler = (request: IncomingMessage, response: ServerResponse) => void;
const httpsApp = (handler: Handler): Promise<URL> =>
  listen(createHttpsServer({ key: certificates.good.key, cert: certificates.good.cert }, handler));

const page = '<html><head><title>app</title></head><body>hello</body></html>';
const HARDENED: Record<string, string> = {
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy': "default-src 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
};

describe('a whole scan of an HTTPS app', () => {
  it('flags no HSTS, a session cookie without Secure, inline scripts allowed and a versioned Server', async () => {
    const url = await httpsApp((request, response) => {
      for (const [name, value] of Object.entries(HARDENED)) response.setHeader(name, value);
      response.setHeader(
        'content-security-policy',
        "script-src 'self' 'unsafe-inline'; frame-ancestors 'self'",
      );
      response.setHeader('server', 'nginx/1.25.3');
      response.setHeader('set-cookie', 'session=abc; Path=/; HttpOnly; SameSite=Lax');
      response.end(request.url === '/' ? page : 'nothing here');
    });
    const result = await scanLiveTrusting([url.href], join(folder, 'ca.crt'));
    expect(result.unreachable).toEqual([]);
    expect(result.findings.map((finding) => finding.ruleId).sort()).toEqual([
      'live-cookie-not-secure',
      'live-csp-unsafe-inline',
      'live-hsts-missing',
      'live-version-banner',
    ]);
    expect(result.findings.every((finding) => finding.file === url.href)).toBe(true);
  }, 60_000);

  it('finds nothing on a careful HTTPS app (HSTS, Secure session cookie, strict CSP, trusted certificate)', async () => {
    const url = await httpsApp((request, response) => {
      for (const [name, value] of Object.entries(HARDENED)) response.setHeader(name, value);
      response.setHeader('strict-transport-security', 'max-age=31536000; includeSubDomains');
      response.setHeader('server', 'nginx');
      response.setHeader('set-cookie', '__Host-session=abc; Path=/; Secure; HttpOnly; SameSite=Strict');
      response.end(request.url === '/' ? page : 'nothing here');
    });
    const result = await scanLiveTrusting([url.href], join(folder, 'ca.crt'));
    expect(result).toMatchObject({ findings: [], unreachable: [] });
  }, 60_000);
});
