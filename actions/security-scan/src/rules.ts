import type { Category, Finding, Severity } from './findings.js';
import { DOCKERFILE_RULES } from './scanners/dockerfile-rules.js';
import { WORKFLOW_RULES } from './scanners/workflows/rules.js';

/** A rule as documented in the README and described to code scanning in SARIF. */
export interface Rule {
  id: string;
  severity: Severity;
  category: Category;
  title: string;
  fix: string;
  /** OWASP Top 10 CI/CD Security Risks id (e.g. CICD-SEC-4), where the rule maps to one. */
  owasp?: string;
}

const RULE_LIST: readonly Rule[] = [
  // Secrets (secretlint's recommended preset reports as secret-<provider>, see secretRule()).
  {
    id: 'secret-aws-access-key-id',
    severity: 'critical',
    category: 'secrets',
    title: 'AWS access key id committed',
    fix: 'Deactivate the key in IAM, purge it from history, and use OIDC (role-to-assume) instead of stored keys.',
  },
  {
    id: 'secret-private-key',
    severity: 'critical',
    category: 'secrets',
    title: 'Private key committed',
    fix: 'Revoke the key pair, purge it from history, and load keys from a secret store at run time.',
  },
  {
    id: 'secret-env-file',
    severity: 'high',
    category: 'secrets',
    title: 'Environment file with secret values committed',
    fix: 'Remove the file from git (`git rm --cached`), add it to .gitignore, rotate the values, and commit a `.env.example` with placeholders.',
  },
  ...DOCKERFILE_RULES,
  ...WORKFLOW_RULES,
  // Dependencies
  {
    id: 'dep-advisory',
    severity: 'high',
    category: 'dependencies',
    title: 'Dependency with a known vulnerability (npm advisory database)',
    fix: 'Upgrade to a version outside the vulnerable range (`npm audit fix` or an override).',
  },
  // Code
  {
    id: 'code-eval',
    severity: 'high',
    category: 'code',
    title: '`eval` / `new Function` on a non-constant string',
    fix: 'Parse data with JSON.parse or a lookup table; never evaluate strings built at run time.',
  },
  {
    id: 'code-command-injection',
    severity: 'high',
    category: 'code',
    title: 'Shell command built from a template or concatenation',
    fix: 'Use execFile/spawn with an argument array (no shell) instead of exec with interpolated strings.',
  },
  {
    id: 'code-sql-injection',
    severity: 'high',
    category: 'code',
    title: 'SQL built by string concatenation or template',
    fix: 'Use placeholders (`?` / `$1`) and pass values as parameters.',
  },
  {
    id: 'code-tls-disabled',
    severity: 'high',
    category: 'code',
    title: 'TLS certificate verification disabled',
    fix: 'Remove `rejectUnauthorized: false` / NODE_TLS_REJECT_UNAUTHORIZED=0; trust a CA with `ca:` instead.',
  },
  {
    id: 'code-insecure-random',
    severity: 'medium',
    category: 'code',
    title: '`Math.random()` used for a token or secret',
    fix: 'Use crypto.randomBytes / crypto.randomUUID / crypto.getRandomValues.',
  },
  {
    id: 'code-csrf-disabled',
    severity: 'medium',
    category: 'code',
    title: 'CSRF protection disabled',
    fix: 'Keep CSRF protection on for cookie-authenticated state-changing routes.',
  },
  {
    id: 'code-jwt-none',
    severity: 'high',
    category: 'code',
    title: 'JWT `none` algorithm accepted',
    fix: 'Pin `algorithms` to the signing algorithm you use, e.g. `["HS256"]`.',
  },
];

export const RULES: ReadonlyMap<string, Rule> = new Map(RULE_LIST.map((rule) => [rule.id, rule]));

/** The rule for a secretlint detector, e.g. `@secretlint/secretlint-rule-github` -> `secret-github`. */
export function secretRule(secretlintRuleId: string): Rule {
  const name = secretlintRuleId.replace(/^.*secretlint-rule-/, '');
  const id = `secret-${name}`;
  return (
    RULES.get(id) ?? {
      id,
      severity: 'critical',
      category: 'secrets',
      title: `${name} credential committed (secretlint)`,
      fix: 'Revoke the credential at its provider, purge it from history, and read it from a secret store.',
    }
  );
}

export function ruleById(id: string): Rule {
  const rule = RULES.get(id) ?? (id.startsWith('secret-') ? secretRule(id) : undefined);
  if (!rule) throw new Error(`Unknown rule ${id}`);
  return rule;
}

/** A finding of `ruleId` with the rule's severity, category and fix unless overridden. */
export function makeFinding(
  ruleId: string,
  file: string,
  line: number,
  message: string,
  extra: Partial<Omit<Finding, 'ruleId' | 'file' | 'line' | 'message'>> = {},
): Finding {
  const rule = ruleById(ruleId);
  return {
    ruleId,
    severity: rule.severity,
    category: rule.category,
    file,
    line,
    message,
    fix: rule.fix,
    ...extra,
  };
}
