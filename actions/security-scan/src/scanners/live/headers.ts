// Header checks of the first page: CSP, HSTS, nosniff, framing, Referrer-Policy, version banners, and the
// flags of the cookies it sets. Each returns the rule ids it found with a message naming what was seen.
import { isHtml, type LiveResponse } from './http.js';

export interface LiveHit {
  ruleId: string;
  message: string;
}

/** Directive name -> its source list, from one or more policies (a comma joins several headers). */
export function parseCsp(header: string): Map<string, string[]>[] {
  return header
    .split(',')
    .map((policy) => policy.trim())
    .filter(Boolean)
    .map((policy) => {
      const directives = new Map<string, string[]>();
      for (const part of policy.split(';')) {
        const [name, ...sources] = part.trim().split(/\s+/);
        // The first occurrence of a directive wins (CSP3, 2.2.1 "parse a serialized CSP").
        if (name && !directives.has(name.toLowerCase())) directives.set(name.toLowerCase(), sources);
      }
      return directives;
    });
}

/**
 * True when a policy lets inline scripts run: 'unsafe-inline' in script-src (or default-src when script-src is
 * absent) and no nonce or hash beside it (CSP3 ignores 'unsafe-inline' when either is present).
 */
export function allowsInlineScript(policy: Map<string, string[]>): boolean {
  const sources = policy.get('script-src-elem') ?? policy.get('script-src') ?? policy.get('default-src');
  if (!sources) return true;
  const lowered = sources.map((source) => source.toLowerCase());
  if (!lowered.includes("'unsafe-inline'")) return false;
  return !lowered.some((source) => /^'(nonce-|sha256-|sha384-|sha512-)/.test(source));
}

export function checkHeaders(response: LiveResponse, https: boolean): LiveHit[] {
  const hits: LiveHit[] = [];
  const header = (name: string): string | null => response.headers.get(name);
  const html = isHtml(response);
  const csp = header('content-security-policy');
  const policies = csp ? parseCsp(csp) : [];
  if (html && !csp) {
    hits.push({
      ruleId: 'live-csp-missing',
      message: `${response.url} answers HTML without a Content-Security-Policy.`,
    });
  }
  // Every policy must allow a script for it to run, so inline scripts run only if all policies allow them.
  if (html && policies.length > 0 && policies.every(allowsInlineScript)) {
    hits.push({
      ruleId: 'live-csp-unsafe-inline',
      message: `${response.url}: Content-Security-Policy "${csp}" lets inline scripts run.`,
    });
  }
  const hsts = header('strict-transport-security');
  if (https && (!hsts || /max-age\s*=\s*"?0"?(\s|;|$)/i.test(hsts))) {
    hits.push({
      ruleId: 'live-hsts-missing',
      message: `${response.url} is HTTPS but sends ${hsts ? `"Strict-Transport-Security: ${hsts}"` : 'no Strict-Transport-Security'}.`,
    });
  }
  if ((header('x-content-type-options') ?? '').trim().toLowerCase() !== 'nosniff') {
    hits.push({
      ruleId: 'live-nosniff-missing',
      message: `${response.url} does not send X-Content-Type-Options: nosniff.`,
    });
  }
  const framedBy = policies.some((policy) => policy.has('frame-ancestors'));
  const xfo = (header('x-frame-options') ?? '').trim().toLowerCase();
  if (html && !framedBy && xfo !== 'deny' && xfo !== 'sameorigin') {
    hits.push({
      ruleId: 'live-clickjacking',
      message: `${response.url} can be framed by any site: no CSP frame-ancestors and ${xfo ? `X-Frame-Options "${xfo}"` : 'no X-Frame-Options'}.`,
    });
  }
  const referrer = (header('referrer-policy') ?? '').trim().toLowerCase();
  if (html && (referrer === '' || referrer === 'unsafe-url')) {
    hits.push({
      ruleId: 'live-referrer-policy-missing',
      message: `${response.url} sends ${referrer ? 'Referrer-Policy: unsafe-url' : 'no Referrer-Policy'}: full URLs leak to other sites.`,
    });
  }
  const poweredBy = header('x-powered-by');
  const server = header('server');
  if (poweredBy) {
    hits.push({
      ruleId: 'live-version-banner',
      message: `${response.url} sends X-Powered-By: ${poweredBy}.`,
    });
  } else if (server && /\d/.test(server)) {
    hits.push({
      ruleId: 'live-version-banner',
      message: `${response.url} sends Server: ${server} (a version).`,
    });
  }
  return hits;
}

interface Cookie {
  name: string;
  attributes: Map<string, string>;
}

export function parseSetCookie(header: string): Cookie {
  const [pair = '', ...rest] = header.split(';');
  const name = pair.split('=')[0]!.trim();
  const attributes = new Map<string, string>();
  for (const attribute of rest) {
    const eq = attribute.indexOf('=');
    const key = (eq === -1 ? attribute : attribute.slice(0, eq)).trim().toLowerCase();
    if (key) attributes.set(key, eq === -1 ? '' : attribute.slice(eq + 1).trim());
  }
  return { name, attributes };
}

/** Names web frameworks give session and auth cookies (express-session's connect.sid, Rails' _session...). */
const SESSION_COOKIE = /sess|sid|auth|token|jwt|login|remember/i;

export function checkCookies(response: LiveResponse, https: boolean): LiveHit[] {
  const hits: LiveHit[] = [];
  for (const header of response.setCookies) {
    const cookie = parseSetCookie(header);
    // An expired cookie is a deletion: its flags protect nothing.
    if (/^(0|-\d+)$/.test(cookie.attributes.get('max-age') ?? '')) continue;
    if (https && !cookie.attributes.has('secure')) {
      hits.push({
        ruleId: 'live-cookie-not-secure',
        message: `${response.url} sets cookie "${cookie.name}" without Secure.`,
      });
    }
    if (!SESSION_COOKIE.test(cookie.name)) continue;
    if (!cookie.attributes.has('httponly')) {
      hits.push({
        ruleId: 'live-cookie-not-httponly',
        message: `${response.url} sets session cookie "${cookie.name}" without HttpOnly.`,
      });
    }
    const sameSite = cookie.attributes.get('samesite')?.toLowerCase();
    if (!sameSite || sameSite === 'none') {
      hits.push({
        ruleId: 'live-cookie-no-samesite',
        message: `${response.url} sets session cookie "${cookie.name}" with ${sameSite ? 'SameSite=None' : 'no SameSite'}.`,
      });
    }
  }
  return hits;
}
