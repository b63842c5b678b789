// Secrets recognisable only by the name they are assigned to: `password = ...`, `api_key: ...`,
// `"client_secret": "..."`, `TOKEN=...`. Low precision by nature, so: a value must look random enough
// (entropy, digits), must not be a placeholder (changeme, ${VAR}, xxxx, <token>), a reference (process.env.X,
// $VAR), a path or a URL, and names that describe a secret rather than hold one (token_type, password_field,
// tokenUrl, password_min_length) are skipped. These rules lose to every specific rule on the same text and
// are not run over minified code or lockfiles.
import { ALNUM, BASE64, DIGITS, HEX, rand } from '../fake.js';
import { entropy } from '../text.js';
import type { CheckResult } from '../types.js';
import type { SecretRule } from '../types.js';

/** Names that describe a secret (its type, length, field, URL...) rather than hold one. */
const DESCRIPTIVE_NAME =
  /(?:(?:next|page|continuation|pagination|sync|resume|cancel(?:lation)?|csrf|xsrf|idempotency|unexpected|invalid)[_-]?token|type|types|field|fields|name|names|label|placeholder|hint|url|uri|endpoint|path|file|policy|reset|confirm(?:ation)?|required|min|max|length|len|size|count|expires?(?:_?at|_?in)?|ttl|timeout|regex|pattern|prompt|mode|id|ids|header|param|prefix|suffix|format|env|var|key_?name|input|dir|class|style|ref|hash|store|provider|kind|option|options|enabled|visible|icon|index|position|sent|usage|location|validator|strength|rule|rules|error|message|text|title|column|attr|attribute|cookie_?name|version|lifetime|duration)["']?$/i;

/** Values that are code or references, not literals: env lookups, member expressions, calls, paths, URLs. */
const NOT_A_LITERAL =
  /^(?:\$|%|@|&|\*|#|\.{0,2}\/|~\/|[a-z][a-z0-9+.-]*:\/\/)|\(|\)|\{|\}|\[|\]|process\.env|os\.environ|getenv|env\.|secrets\.|vars\.|\bnull\b|\bundefined\b/i;

/**
 * An unquoted value that is code, not a literal: a bare word without digits (`password = userPassword`), a
 * member expression (`token: a.b.c`), or anything ended by `;`, `)` or `,` (configuration formats such as
 * .env, YAML and INI do not end values that way; code does).
 */
function isCode(value: string, match: RegExpExecArray): boolean {
  if (/^[A-Za-z_$][\w$]*$/.test(value) && !/\d/.test(value)) return true;
  if (/^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+$/.test(value)) return true;
  return /^[;),]/.test(match.input.slice(match.index + match[0].length));
}

function valueCheck(
  minLength: number,
  minEntropy: number,
): (secret: string, match: RegExpExecArray) => CheckResult {
  return (secret: string, match: RegExpExecArray): CheckResult => {
    const name = match.groups?.['name'] ?? '';
    if (DESCRIPTIVE_NAME.test(name)) return 'reject';
    if (secret.length < minLength || NOT_A_LITERAL.test(secret)) return 'reject';
    if (
      /^\d+$/.test(secret) ||
      /^(?:true|false|yes|no|on|off|none|nil|empty|required|optional|string|number|boolean|bearer|basic)$/i.test(
        secret,
      )
    )
      return 'reject';
    if (!match.groups?.['q'] && isCode(secret, match)) return 'reject';
    if (entropy(secret) < minEntropy) return 'reject';
    // A sentence or a word list, not a credential.
    if (/^[a-z]+(?:[ _-][a-z]+)+$/i.test(secret)) return 'reject';
    // A value that names what it stands for (`my-secret-token`, `test-password-1`), or an ARN.
    if (/pass(?:word|wd)|secret|token|credential|api[_-]?key|\barn:/i.test(secret)) return 'reject';
    // The stock example passwords of docs and tests.
    if (/^(?:hunter2|s3cr3t\w*|t0ps3cr3t|letmein|qwerty\w*)$/i.test(secret)) return 'reject';
    return 'ok';
  };
}

const ASSIGN = `["'\\]]?\\s*(?::=|=>|=(?!=)|:)\\s*(?<q>["'\`]?)`;
/**
 * The value runs to its closing quote, or (unquoted) to a terminator: it cannot stop early on a shorter
 * prefix. Backslashes (escapes), `&` (query strings) and `:` (ARNs, `a:b:c` chains) end an unquoted value.
 */
const VALUE_QUOTED = `(?<secret>[^\\s"'\`;,\\\\&]{1,200})\\k<q>(?=[\\s"'\`;,)}\\]>&\\\\]|$)`;
/** A name is not the middle of an `a:b:c` chain or a path. */
const NAME_START = `(?<![A-Za-z0-9:/])`;

export const GENERIC_RULES: SecretRule[] = [
  {
    id: 'generic-password',
    ruleId: 'secret-generic-password',
    description: 'Password assigned in code or configuration',
    keywords: ['password', 'passwd', 'passphrase', 'pwd'],
    pattern: new RegExp(
      `${NAME_START}(?<name>[\\w.-]*(?:password|passwd|passphrase|pwd)[\\w.-]*)${ASSIGN}${VALUE_QUOTED}`,
      'gi',
    ),
    generic: true,
    check: valueCheck(6, 2.5),
    examples: () => ({
      positive: [
        `db_password = "${rand(ALNUM, 10)}${rand(DIGITS, 2)}!"`,
        `  password: ${rand(ALNUM, 12)}${rand(DIGITS, 3)}`,
        `SMTP_PASSWORD=${rand(ALNUM, 14)}${rand(DIGITS, 2)}`,
        `{"adminPassword": "${rand(BASE64, 16)}"}`,
      ],
      negative: [
        'password: changeme',
        'DB_PASSWORD=${DB_PASSWORD}',
        'password = process.env.DB_PASSWORD',
        'password_min_length: 12',
        `if (password === confirmPassword) return;`,
        'password: <your password>',
        'passwordField: "user_password"',
        'ENV DATABASE_PASSWORD=hunter2',
      ],
    }),
  },
  {
    id: 'generic-api-key',
    ruleId: 'secret-generic-api-key',
    description: 'API key, token or secret assigned in code or configuration',
    keywords: [
      'secret',
      'token',
      'api_key',
      'apikey',
      'api-key',
      'access_key',
      'accesskey',
      'auth_key',
      'authkey',
      'credential',
    ],
    pattern: new RegExp(
      `${NAME_START}(?<name>[\\w.-]*(?:secret|token|api[_-]?key|access[_-]?key|auth[_-]?key|credentials?)[\\w.-]*)${ASSIGN}${VALUE_QUOTED}`,
      'gi',
    ),
    generic: true,
    check: (secret: string, match: RegExpExecArray): CheckResult => {
      const verdict = valueCheck(16, 3.3)(secret, match);
      if (verdict !== 'ok') return verdict;
      // Random keys mix character classes; a long lowercase word or a plain hex of a version hash is not one.
      return /\d/.test(secret) && /[A-Za-z]/.test(secret) ? 'ok' : 'reject';
    },
    examples: () => ({
      positive: [
        `api_key = "${rand(ALNUM, 30)}${rand(DIGITS, 2)}"`,
        `  clientSecret: '${rand(DIGITS, 2)}${rand(ALNUM, 38)}'`,
        `export SERVICE_TOKEN=${rand(HEX, 40)}`,
        `"webhook_secret": "${rand(BASE64, 42)}${rand(DIGITS, 2)}"`,
      ],
      negative: [
        'api_key: <token>',
        'API_KEY=xxxxxxxxxxxxxxxxxxxxxxxx',
        'token_type: "bearer"',
        'const token = getToken(request)',
        '  nextToken: "eyJlbmNyeXB0ZWREYXRhIjpbXX0=",',
        'exports.SignatureV4SignWithCredentials = SignatureV4SignWithCredentials;',
        'var message = this.lookahead.value ? Messages.UnexpectedToken : messages_1.Messages.MissingFromClause;',
        'secret: ${{ secrets.DEPLOY_KEY }}',
        'tokenUrl: "https://auth.acme-corp.io/oauth/token"',
        'accessKey: "my-access-key-goes-here"',
      ],
    }),
  },
];
