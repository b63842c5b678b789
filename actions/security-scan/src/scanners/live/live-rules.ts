// The live scanner's rules: passive checks of a deployed URL, each mapped to the OWASP Top 10 (2021) category
// it belongs to (https://owasp.org/Top10/). Severity follows what an attacker gains: a readable .git or .env
// gives away source or secrets (high/critical); a missing hardening header widens other attacks (medium/low).

import type { Rule } from '../../rules.js';

/** A live rule: category `live`, `owasp` always set (an OWASP Top 10 (2021) id and name). */
export type LiveRule = Rule & { category: 'live'; owasp: string };

const A01 = 'A01:2021 Broken Access Control';
const A02 = 'A02:2021 Cryptographic Failures';
const A03 = 'A03:2021 Injection';
const A05 = 'A05:2021 Security Misconfiguration';

const LIVE_RULE_LIST: readonly Omit<LiveRule, 'category'>[] = [
  {
    id: 'live-csp-missing',
    severity: 'medium',
    owasp: A05,
    title: 'No Content-Security-Policy header',
    fix: "Send a Content-Security-Policy (start from `default-src 'self'; frame-ancestors 'none'`) on every HTML response.",
  },
  {
    id: 'live-csp-unsafe-inline',
    severity: 'medium',
    owasp: A03,
    title: "Content-Security-Policy allows inline scripts ('unsafe-inline')",
    fix: "Drop 'unsafe-inline' from script-src (or default-src); move inline scripts to files, or use nonces/hashes.",
  },
  {
    id: 'live-hsts-missing',
    severity: 'medium',
    owasp: A02,
    title: 'HTTPS response without Strict-Transport-Security',
    fix: 'Send `Strict-Transport-Security: max-age=31536000; includeSubDomains` on HTTPS responses.',
  },
  {
    id: 'live-nosniff-missing',
    severity: 'low',
    owasp: A05,
    title: 'No `X-Content-Type-Options: nosniff`',
    fix: 'Send `X-Content-Type-Options: nosniff` so browsers do not guess content types.',
  },
  {
    id: 'live-clickjacking',
    severity: 'medium',
    owasp: A05,
    title: 'Page can be framed (no CSP frame-ancestors, no X-Frame-Options)',
    fix: "Send `Content-Security-Policy: frame-ancestors 'none'` (or 'self'), or `X-Frame-Options: DENY`.",
  },
  {
    id: 'live-referrer-policy-missing',
    severity: 'low',
    owasp: A05,
    title: 'No Referrer-Policy header',
    fix: 'Send `Referrer-Policy: strict-origin-when-cross-origin` (or stricter) so URLs do not leak to other sites.',
  },
  {
    id: 'live-cookie-not-secure',
    severity: 'medium',
    owasp: A02,
    title: 'Cookie set over HTTPS without the Secure flag',
    fix: 'Add `Secure` to the cookie so it is never sent over cleartext HTTP.',
  },
  {
    id: 'live-cookie-not-httponly',
    severity: 'medium',
    owasp: A05,
    title: 'Session cookie readable by scripts (no HttpOnly)',
    fix: 'Add `HttpOnly` to session cookies so an XSS cannot read them.',
  },
  {
    id: 'live-cookie-no-samesite',
    severity: 'low',
    owasp: A01,
    title: 'Session cookie without SameSite',
    fix: 'Add `SameSite=Lax` (or Strict) to session cookies to blunt cross-site request forgery.',
  },
  {
    id: 'live-tls-old-protocol',
    severity: 'high',
    owasp: A02,
    title: 'Server accepts TLS older than 1.2',
    fix: 'Allow TLS 1.2 and 1.3 only (on an ALB: an `ELBSecurityPolicy-TLS13-1-2-*` policy).',
  },
  {
    id: 'live-tls-certificate-expiring',
    severity: 'medium',
    owasp: A02,
    title: 'TLS certificate expires soon (or has expired)',
    fix: 'Renew the certificate (ACM renews its own certificates when DNS validation stays in place).',
  },
  {
    id: 'live-tls-certificate-invalid',
    severity: 'high',
    owasp: A02,
    title: 'TLS certificate not valid for this host',
    fix: 'Serve a certificate from a trusted CA whose names cover the host (SAN), with its full chain.',
  },
  {
    id: 'live-version-banner',
    severity: 'low',
    owasp: A05,
    title: 'Response names the server software or its version',
    fix: 'Remove `X-Powered-By` (Express: `app.disable("x-powered-by")`) and version numbers from `Server`.',
  },
  {
    id: 'live-exposed-git',
    severity: 'high',
    owasp: A05,
    title: 'The .git folder is served',
    fix: 'Do not copy .git into the image (add it to .dockerignore) and never serve dot-folders.',
  },
  {
    id: 'live-exposed-env',
    severity: 'critical',
    owasp: A05,
    title: 'A .env file is served',
    fix: 'Remove the file from the image (add .env to .dockerignore), rotate every value in it, pass secrets as ECS `secrets`.',
  },
  {
    id: 'live-exposed-source-map',
    severity: 'low',
    owasp: A05,
    title: 'JavaScript source map is served',
    fix: 'Do not ship *.map files to production (or serve them only to your error tracker).',
  },
  {
    id: 'live-directory-listing',
    severity: 'medium',
    owasp: A01,
    title: 'Directory listing is on',
    fix: 'Turn off directory indexes in the web server or static file middleware.',
  },
  {
    id: 'live-cors-credentials',
    severity: 'high',
    owasp: A01,
    title: 'CORS allows any origin with credentials',
    fix: 'Answer Access-Control-Allow-Origin only for an allow-list of origins; never reflect the request Origin with credentials.',
  },
  {
    id: 'live-http-not-redirected',
    severity: 'medium',
    owasp: A02,
    title: 'Plain HTTP is served instead of redirecting to HTTPS',
    fix: 'Redirect port 80 to HTTPS (on an ALB: a listener rule `redirect` to HTTPS:443, status 301).',
  },
];

export const LIVE_RULES: readonly LiveRule[] = LIVE_RULE_LIST.map((rule) => ({ ...rule, category: 'live' }));

const BY_ID = new Map(LIVE_RULES.map((rule) => [rule.id, rule]));

export function liveRule(id: string): LiveRule {
  const rule = BY_ID.get(id);
  if (!rule) throw new Error(`Unknown live rule ${id}`);
  return rule;
}
