// TLS of an HTTPS URL, read from the handshake itself: the certificate (trusted, covers the host, days left) and
// whether the server still accepts TLS 1.0/1.1 (PCI DSS and NIST SP 800-52r2 require 1.2 or newer).
import { type PeerCertificate, type TLSSocket, checkServerIdentity, connect } from 'node:tls';

import type { LiveHit } from './headers.js';

export interface TlsOptions {
  timeoutMs: number;
  /** Findings when the certificate has fewer days left than this. */
  certificateExpiryDays: number;
  /** Extra trusted CAs (PEM); the system's are used otherwise. */
  ca?: string;
  now?: () => Date;
}

function handshake(
  host: string,
  port: number,
  options: TlsOptions,
  versions?: { minVersion: 'TLSv1'; maxVersion: 'TLSv1.1' },
): Promise<TLSSocket> {
  return new Promise((resolve, reject) => {
    const socket = connect({
      host,
      port,
      servername: /^[\d.]+$|:/.test(host) ? undefined : host,
      // The probe reads the certificate to judge it (socket.authorized below); it sends nothing over the socket.
      // shipkit-ignore: code-tls-disabled
      rejectUnauthorized: false,
      ...(options.ca ? { ca: options.ca } : {}),
      // OpenSSL 3 refuses TLS < 1.2 at its default security level even to ask; level 0 lets the probe ask.
      ...(versions ? { ...versions, ciphers: 'DEFAULT@SECLEVEL=0' } : {}),
    });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no TLS handshake within ${options.timeoutMs} ms`));
    }, options.timeoutMs);
    socket.once('secureConnect', () => {
      clearTimeout(timer);
      resolve(socket);
    });
    socket.once('error', (error: Error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

export async function checkTls(url: URL, options: TlsOptions): Promise<{ hits: LiveHit[]; error?: string }> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const port = Number(url.port || 443);
  const hits: LiveHit[] = [];
  let certificate: PeerCertificate;
  let socket: TLSSocket;
  try {
    socket = await handshake(host, port, options);
  } catch (error) {
    return { hits, error: `TLS handshake with ${url.host} failed: ${(error as Error).message}` };
  }
  try {
    certificate = socket.getPeerCertificate();
    const trustError = socket.authorized ? undefined : String(socket.authorizationError);
    const nameError = checkServerIdentity(host, certificate);
    if (trustError || nameError) {
      hits.push({
        ruleId: 'live-tls-certificate-invalid',
        message: `${url.host}: the certificate (${String(certificate.subject?.CN ?? 'no CN')}) is not valid: ${[trustError, nameError?.message].filter(Boolean).join('; ')}.`,
      });
    }
    const validTo = new Date(certificate.valid_to);
    const daysLeft = Math.floor((validTo.getTime() - (options.now?.() ?? new Date()).getTime()) / 86_400_000);
    if (daysLeft < options.certificateExpiryDays) {
      hits.push({
        ruleId: 'live-tls-certificate-expiring',
        message:
          daysLeft < 0
            ? `${url.host}: the certificate expired on ${validTo.toISOString().slice(0, 10)}.`
            : `${url.host}: the certificate expires on ${validTo.toISOString().slice(0, 10)}, in ${daysLeft} day(s) (threshold ${options.certificateExpiryDays}).`,
      });
    }
  } finally {
    socket.destroy();
  }
  try {
    // Asking for TLS 1.0/1.1 is the check itself: a server that completes the handshake is the finding.
    // shipkit-ignore: code-weak-tls
    const old = await handshake(host, port, options, { minVersion: 'TLSv1', maxVersion: 'TLSv1.1' });
    const protocol = old.getProtocol();
    old.destroy();
    hits.push({ ruleId: 'live-tls-old-protocol', message: `${url.host} completes a ${protocol} handshake.` });
  } catch {
    // Refused: what we want.
  }
  return { hits };
}
