import type { Category, Finding, Severity } from './findings.js';

/** A rule as documented in the README and described to code scanning in SARIF. */
export interface Rule {
  id: string;
  severity: Severity;
  category: Category;
  title: string;
  fix: string;
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
  // Dockerfiles
  {
    id: 'docker-root-user',
    severity: 'high',
    category: 'dockerfile',
    title: 'Container runs as root',
    fix: 'Add `USER <non-root>` (e.g. `USER node`) after the last step that needs root in the final stage.',
  },
  {
    id: 'docker-unpinned-base',
    severity: 'medium',
    category: 'dockerfile',
    title: 'Base image is `:latest` or untagged',
    fix: 'Pin the base image to a version tag, ideally with a digest (`image:1.2@sha256:...`).',
  },
  {
    id: 'docker-add-remote',
    severity: 'medium',
    category: 'dockerfile',
    title: '`ADD` of a remote URL',
    fix: 'Download with `RUN curl -fsSLo` and verify a checksum, or use `ADD --checksum=sha256:...`.',
  },
  {
    id: 'docker-secret-in-env',
    severity: 'high',
    category: 'dockerfile',
    title: 'Secret-looking name in `ENV`/`ARG`',
    fix: 'Pass secrets with `RUN --mount=type=secret` or at run time (ECS secrets), never ENV/ARG: both stay in the image history.',
  },
  {
    id: 'docker-curl-pipe-shell',
    severity: 'high',
    category: 'dockerfile',
    title: 'Remote script piped into a shell',
    fix: 'Download the script to a file, verify its checksum or signature, then run it.',
  },
  {
    id: 'docker-sudo',
    severity: 'medium',
    category: 'dockerfile',
    title: '`sudo` in a build step',
    fix: 'Build steps already run as the current USER; switch with `USER root` ... `USER app` instead of sudo.',
  },
  {
    id: 'docker-apt-recommends',
    severity: 'low',
    category: 'dockerfile',
    title: '`apt-get install` without `--no-install-recommends`',
    fix: 'Add `--no-install-recommends` to keep optional packages (and their CVEs) out of the image.',
  },
  {
    id: 'docker-apt-cleanup',
    severity: 'low',
    category: 'dockerfile',
    title: '`apt-get install` without removing package lists',
    fix: 'End the same RUN with `&& rm -rf /var/lib/apt/lists/*`.',
  },
  {
    id: 'docker-no-dockerignore',
    severity: 'low',
    category: 'dockerfile',
    title: '`COPY .` without a .dockerignore',
    fix: 'Add a .dockerignore next to the Dockerfile excluding .git, .env*, node_modules and secrets.',
  },
  {
    id: 'docker-no-healthcheck',
    severity: 'low',
    category: 'dockerfile',
    title: 'No `HEALTHCHECK` in the final stage',
    fix: 'Add `HEALTHCHECK CMD ...` or define healthCheck in the ECS task definition.',
  },
  // Workflows
  {
    id: 'gha-untrusted-checkout',
    severity: 'critical',
    category: 'workflows',
    title: 'Privileged trigger checks out untrusted code (poisoned pipeline execution)',
    fix: 'Use `pull_request` for building PR code, or never check out/run the PR head under pull_request_target/workflow_run.',
  },
  {
    id: 'gha-script-injection',
    severity: 'high',
    category: 'workflows',
    title: 'Attacker-controlled expression inside a script',
    fix: 'Pass the value through `env:` (e.g. `TITLE: ${{ github.event.issue.title }}`) and use "$TITLE" in the script.',
  },
  {
    id: 'gha-env-injection',
    severity: 'high',
    category: 'workflows',
    title: 'Untrusted input written to GITHUB_ENV / GITHUB_PATH',
    fix: 'Never write attacker-controlled values to GITHUB_ENV/GITHUB_PATH; validate them or use step outputs.',
  },
  {
    id: 'gha-unpinned-action',
    severity: 'medium',
    category: 'workflows',
    title: 'Third-party action not pinned to a full commit SHA',
    fix: 'Pin to the 40-character commit SHA with the version in a comment: `uses: owner/repo@<sha> # v1.2.3`.',
  },
  {
    id: 'gha-write-all',
    severity: 'high',
    category: 'workflows',
    title: '`permissions: write-all`',
    fix: 'List only the scopes the job needs, e.g. `permissions: { contents: read, id-token: write }`.',
  },
  {
    id: 'gha-default-permissions',
    severity: 'medium',
    category: 'workflows',
    title: 'No `permissions` block: the token gets the repository default',
    fix: 'Add a top-level `permissions: { contents: read }` and widen per job only where needed.',
  },
  {
    id: 'gha-contents-write',
    severity: 'low',
    category: 'workflows',
    title: '`contents: write` in a job that does not appear to push',
    fix: 'Use `contents: read` unless the job pushes commits, tags or releases.',
  },
  {
    id: 'gha-secrets-inherit',
    severity: 'medium',
    category: 'workflows',
    title: '`secrets: inherit` passes every secret to a reusable workflow',
    fix: 'Pass only the secrets the called workflow needs, by name.',
  },
  {
    id: 'gha-persist-credentials',
    severity: 'medium',
    category: 'workflows',
    title: 'Checkout leaves the token in .git/config where untrusted code or artifacts can reach it',
    fix: 'Add `with: { persist-credentials: false }` to actions/checkout.',
  },
  {
    id: 'gha-self-hosted-pr',
    severity: 'high',
    category: 'workflows',
    title: 'Self-hosted runner on pull requests',
    fix: 'Run PR jobs on GitHub-hosted or ephemeral runners; fork PRs can run code on a self-hosted machine.',
  },
  {
    id: 'gha-cache-in-release',
    severity: 'medium',
    category: 'workflows',
    title: 'Cache restored in a release/publish workflow (cache poisoning)',
    fix: 'Do not restore caches in workflows that publish artifacts; build releases from a clean state.',
  },
  {
    id: 'gha-long-lived-aws-keys',
    severity: 'medium',
    category: 'workflows',
    title: 'Long-lived AWS access keys instead of OIDC',
    fix: 'Use aws-actions/configure-aws-credentials with `role-to-assume` and `permissions: id-token: write`.',
  },
  {
    id: 'gha-invalid-workflow',
    severity: 'low',
    category: 'workflows',
    title: 'Workflow file could not be parsed',
    fix: 'Fix the YAML syntax; GitHub will not run this workflow either.',
  },
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
