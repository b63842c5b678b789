import type { Rule } from '../../rules.js';

/** A code rule with its OWASP Top 10 (2021) category and CWE, shown in the README and as SARIF tags. */
export interface CodeRule extends Rule {
  owasp: string;
  cwe: number;
}

const rule = (
  id: string,
  severity: Rule['severity'],
  owasp: string,
  cwe: number,
  title: string,
  fix: string,
): CodeRule => ({ id, severity, category: 'code', owasp, cwe, title, fix });

export const CODE_RULES: readonly CodeRule[] = [
  rule(
    'code-eval',
    'high',
    'A03:2021-Injection',
    95,
    'Code injection: `eval`, `Function`, `vm`/`vm2`, string timers or `require` run input or strings built at run time',
    'Parse data with JSON.parse or a lookup table; never evaluate strings built at run time or from input.',
  ),
  rule(
    'code-template-injection',
    'high',
    'A03:2021-Injection',
    1336,
    'Template compiled from user input (server-side template injection)',
    'Compile only templates from your code; pass user input as template data, never as template text.',
  ),
  rule(
    'code-command-injection',
    'high',
    'A03:2021-Injection',
    78,
    'OS command built from user input or a template/concatenation',
    'Use execFile/spawn with an argument array and no shell; never pass input to exec, `shell: true` or `sh -c`.',
  ),
  rule(
    'code-sql-injection',
    'high',
    'A03:2021-Injection',
    89,
    'SQL built from user input or by string concatenation',
    'Use placeholders (`?` / `$1`) and pass values as parameters.',
  ),
  rule(
    'code-nosql-injection',
    'high',
    'A03:2021-Injection',
    943,
    'NoSQL injection: request objects as Mongo filters, or `$where` code built from input',
    'Cast inputs to the type the query expects (`String(x)`), reject objects/`$` keys (mongo-sanitize), and never use `$where`.',
  ),
  rule(
    'code-xss',
    'high',
    'A03:2021-Injection',
    79,
    'Cross-site scripting: user input written as HTML (response, DOM, React, jQuery, unescaped template)',
    'Render with escaping templates or textContent; escape with a vetted helper or sanitise with DOMPurify before inserting HTML.',
  ),
  rule(
    'code-ssrf',
    'high',
    'A10:2021-Server-Side Request Forgery',
    918,
    'Server-side request forgery: an HTTP client or headless browser sent to a URL from user input',
    'Fix the scheme and host in code and let input choose only a path or an id; otherwise check the host against an allow-list.',
  ),
  rule(
    'code-path-traversal',
    'high',
    'A01:2021-Broken Access Control',
    22,
    'Path traversal: a file path from user input',
    'Keep only `path.basename(input)`, resolve it under a fixed root and check the result still starts with that root (or pass `{ root }` to sendFile).',
  ),
  rule(
    'code-open-redirect',
    'medium',
    'A01:2021-Broken Access Control',
    601,
    'Open redirect: the browser is sent to a URL from user input',
    'Redirect only to same-site paths (`/...`, not `//`) or to hosts on an allow-list.',
  ),
  rule(
    'code-xxe',
    'high',
    'A05:2021-Security Misconfiguration',
    611,
    'XML parsed with external entity expansion',
    'Leave entity expansion off (libxmljs `noent: false`, the default) and do not load external DTDs.',
  ),
  rule(
    'code-prototype-pollution',
    'high',
    'A08:2021-Software and Data Integrity Failures',
    1321,
    'Prototype pollution: user input deep-merged or used as nested property keys',
    'Merge only known keys, build objects with `Object.create(null)` or Map, or reject `__proto__`/`constructor`/`prototype` keys.',
  ),
  rule(
    'code-insecure-deserialization',
    'high',
    'A08:2021-Software and Data Integrity Failures',
    502,
    'Insecure deserialization: a format that can carry code (node-serialize, js-yaml unsafe load)',
    'Use JSON.parse, or js-yaml 4 `load` with the default schema; never node-serialize on untrusted data.',
  ),
  rule(
    'code-cors-misconfiguration',
    'high',
    'A05:2021-Security Misconfiguration',
    942,
    'CORS: any or a reflected origin allowed together with credentials',
    'List the allowed origins explicitly; never reflect the request Origin or use `*` with credentials.',
  ),
  rule(
    'code-postmessage-wildcard',
    'medium',
    'A08:2021-Software and Data Integrity Failures',
    201,
    "`postMessage` with target origin `'*'`",
    'Pass the exact origin of the receiving window as the second argument.',
  ),
  rule(
    'code-message-origin',
    'medium',
    'A08:2021-Software and Data Integrity Failures',
    346,
    'Message handler without an `event.origin` check',
    'Compare `event.origin` with the origins you expect before using `event.data`.',
  ),
  rule(
    'code-tls-disabled',
    'high',
    'A02:2021-Cryptographic Failures',
    295,
    'TLS certificate verification disabled',
    'Remove `rejectUnauthorized: false` / NODE_TLS_REJECT_UNAUTHORIZED=0; trust a CA with `ca:` instead.',
  ),
  rule(
    'code-weak-tls',
    'medium',
    'A02:2021-Cryptographic Failures',
    327,
    'Broken TLS/SSL protocol version allowed',
    "Use Node's defaults (TLS 1.2+) or set `minVersion: 'TLSv1.2'`.",
  ),
  rule(
    'code-cleartext-transport',
    'medium',
    'A02:2021-Cryptographic Failures',
    319,
    'Credentials sent over cleartext `http://` to a non-loopback host',
    'Use https:// for every request that carries credentials.',
  ),
  rule(
    'code-insecure-random',
    'medium',
    'A02:2021-Cryptographic Failures',
    338,
    '`Math.random()` used for a token or secret',
    'Use crypto.randomBytes / crypto.randomUUID / crypto.getRandomValues.',
  ),
  rule(
    'code-csrf-disabled',
    'medium',
    'A01:2021-Broken Access Control',
    352,
    'CSRF protection disabled',
    'Keep CSRF protection on for cookie-authenticated state-changing routes.',
  ),
  rule(
    'code-jwt-none',
    'high',
    'A02:2021-Cryptographic Failures',
    347,
    'JWT `none` algorithm accepted, or verified without a key',
    'Pin `algorithms` to the signing algorithm you use, e.g. `["HS256"]`, and always pass the key.',
  ),
];

const BY_ID = new Map(CODE_RULES.map((codeRule) => [codeRule.id, codeRule]));

/** SARIF tags for a code rule (`external/cwe/cwe-79`, `owasp-a03`), empty for other rules. */
export function codeRuleTags(id: string): string[] {
  const codeRule = BY_ID.get(id);
  if (!codeRule) return [];
  return [`external/cwe/cwe-${codeRule.cwe}`, `owasp-${codeRule.owasp.slice(0, 3).toLowerCase()}`];
}
