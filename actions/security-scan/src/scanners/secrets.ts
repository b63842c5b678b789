import { lintSource } from '@secretlint/core';
import { secretLintProfiler } from '@secretlint/profiler';
import { creator as recommendedPreset } from '@secretlint/secretlint-rule-preset-recommend';

import { type Finding, type SourceFile, lineOf, maskSecret } from '../findings.js';
import { makeFinding, secretRule } from '../rules.js';

// On by default, the profiler keeps a performance mark per rule per file: memory grew ~70 KB a file.
secretLintProfiler.setEnabled(false);

const SECRETLINT_CONFIG = {
  rules: [{ id: '@secretlint/secretlint-rule-preset-recommend', rule: recommendedPreset }],
};

// AWS key ids have a fixed prefix and 16 base32 characters; AWS's documented examples contain EXAMPLE.
const AWS_KEY_ID = /\b((?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16})\b/g;
// A PEM header followed by key material (a real newline or an escaped one, as in JSON), not a mention in prose.
const PRIVATE_KEY =
  /-----BEGIN ((?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?)-----(?:\r?\n|\\n)(?:Proc-Type|[A-Za-z0-9+/=]{20,})/g;

/** Files whose content is hashes or generated data, where secret patterns only produce noise. */
function isSkipped(path: string): boolean {
  return /(^|\/)(package-lock\.json|npm-shrinkwrap\.json|yarn\.lock|pnpm-lock\.yaml)$/.test(path);
}

const ENV_FILE = /(^|\/)\.env(\.[\w-]+)?$/;
const ENV_TEMPLATE = /\.(example|sample|template|dist|defaults?|schema)$/i;
const ENV_SECRET_NAME =
  /(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|CREDENTIALS?|DATABASE_URL|DSN)$/i;
/** Values that are clearly not secrets: empty, placeholders, references, booleans. */
const PLACEHOLDER =
  /^(|changeme|change_me|xxx+|\*+|<.*>|\$\{.*\}|\$\w+|your[-_].*|example.*|dummy.*|test|true|false|none|null|todo)$/i;

/** A committed `.env` (not `.env.example`) whose secret-named keys hold real-looking values. */
function envFileFindings(file: SourceFile): Finding[] {
  if (!ENV_FILE.test(file.path) || ENV_TEMPLATE.test(file.path)) return [];
  const findings: Finding[] = [];
  file.text.split('\n').forEach((line, index) => {
    const match = /^\s*(?:export\s+)?([A-Za-z_][\w.]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (!match) return;
    const [, key = '', raw = ''] = match;
    const value = raw.replace(/^(['"])(.*)\1$/, '$2');
    if (!ENV_SECRET_NAME.test(key) || PLACEHOLDER.test(value) || value.length < 6) return;
    findings.push(
      makeFinding(
        'secret-env-file',
        file.path,
        index + 1,
        `${key} is set in a committed env file: ${maskSecret(value)}`,
      ),
    );
  });
  return findings;
}

/** Tests and fixtures hold fake credentials far more often than real ones: still reported, but not blocking. */
export function isTestPath(path: string): boolean {
  return (
    /(^|\/)(tests?|__tests__|spec|__mocks__|fixtures?)\//.test(path) ||
    /\.(test|spec)\.[cm]?[jt]sx?$/.test(path)
  );
}

/**
 * A credential URL whose host cannot be reached (loopback, or a name reserved for examples and tests by
 * RFC 2606/6761) protects nothing: `http://user:pass@app.test` is a test value, not a leak.
 */
function pointsNowhere(matched: string): boolean {
  const host = /^[a-z][\w+.-]*:\/\/[^/@\s]*@\[?([^/:?#\s\]"'`]+)/i.exec(matched)?.[1]?.toLowerCase();
  if (!host) return false;
  return (
    /^(localhost|127\.\d+\.\d+\.\d+|::1)$/.test(host) ||
    /\.(test|example|invalid|localhost)$/.test(host) ||
    /(^|\.)example\.(com|org|net)$/.test(host)
  );
}

function firstSecretValue(data: unknown): string {
  if (typeof data !== 'object' || data === null) return '';
  for (const [key, value] of Object.entries(data as Record<string, unknown>)) {
    if (key !== 'typeName' && typeof value === 'string') return value;
  }
  return '';
}

/**
 * Committed credentials: secretlint's recommended preset (GitHub, AWS secret keys, Slack, npm, GCP,
 * database URLs, private keys and more) plus AWS access key ids and PEM private keys, which it misses
 * outside quoted assignments. Messages carry only the first 4 characters of what was found.
 */
export async function scanSecrets(files: readonly SourceFile[]): Promise<Finding[]> {
  const findings: Finding[] = [];
  for (const file of files) {
    if (isSkipped(file.path)) continue;
    findings.push(...envFileFindings(file));
    const seenLines = new Set<number>();
    const result = await lintSource({
      source: { filePath: `/${file.path}`, content: file.text, contentType: 'text' },
      // Unmasked so we can show the first 4 characters; secretlint's own message (the full secret) is never used.
      options: { config: SECRETLINT_CONFIG, maskSecrets: false },
    });
    for (const message of result.messages) {
      const rule = secretRule(message.ruleId);
      const line = message.loc.start.line;
      const typeName: unknown = (message.data as Record<string, unknown> | undefined)?.['typeName'];
      const what = typeof typeName === 'string' ? typeName : message.messageId;
      const matched = file.text.slice(message.range[0], message.range[1]);
      const found = firstSecretValue(message.data) || matched;
      seenLines.add(line);
      if (pointsNowhere(matched)) continue;
      const inTest = isTestPath(file.path);
      const suffix = inTest ? ' (in a test file: lowered to medium; make sure it is fake)' : '';
      findings.push(
        makeFinding(rule.id, file.path, line, `${what} committed: ${maskSecret(found)}${suffix}`, {
          column: message.loc.start.column + 1,
          severity: inTest ? 'medium' : rule.severity,
          category: rule.category,
          fix: rule.fix,
        }),
      );
    }
    for (const match of file.text.matchAll(AWS_KEY_ID)) {
      const key = match[1]!;
      const line = lineOf(file.text, match.index);
      if (key.includes('EXAMPLE') || seenLines.has(line)) continue;
      seenLines.add(line);
      findings.push(
        makeFinding(
          'secret-aws-access-key-id',
          file.path,
          line,
          `AWS access key id committed: ${maskSecret(key)}`,
        ),
      );
    }
    for (const match of file.text.matchAll(PRIVATE_KEY)) {
      const line = lineOf(file.text, match.index);
      if (seenLines.has(line)) continue;
      findings.push(makeFinding('secret-private-key', file.path, line, `${match[1]!} committed: ----***`));
    }
  }
  return findings;
}
