import { LineCounter, type Node, isMap, isScalar, isSeq, parseDocument, type YAMLMap } from 'yaml';

import type { Finding, SourceFile } from '../findings.js';
import { makeFinding } from '../rules.js';

export interface WorkflowScanOptions {
  /** false when the repository is known to be private (self-hosted runners on PRs are then a lesser risk). */
  repositoryPublic?: boolean;
}

export function isWorkflow(path: string): boolean {
  return /(^|\/)\.github\/workflows\/[^/]+\.ya?ml$/.test(path);
}

/** Contexts an outside contributor controls (GitHub Security Lab's list), as they appear inside ${{ }}. */
const UNTRUSTED_CONTEXT =
  /\bgithub\.head_ref\b|\bgithub\.event\.(?:issue\.(?:title|body)|pull_request\.(?:title|body|head\.(?:ref|label|repo\.default_branch))|comment\.body|review\.body|review_comment\.body|pages\S*?\.page_name|commits\S*?\.(?:message|author\.(?:email|name))|head_commit\.(?:message|author\.(?:email|name))|discussion\.(?:title|body)|workflow_run\.(?:head_branch|display_title|head_commit\.(?:message|author\.(?:email|name))))\b/;
const EXPRESSION = /\$\{\{([\s\S]*?)\}\}/g;
/** Refs that point at code from the pull request rather than the base repository. */
const UNTRUSTED_REF =
  /github\.event\.pull_request\.head\.(?:sha|ref)|github\.head_ref|github\.event\.workflow_run\.head_(?:sha|branch)|pull_request\.merge_commit_sha|refs\/pull\/|github\.event\.issue\.number|head\.repo\.full_name/;
const PRIVILEGED_TRIGGERS = new Set(['pull_request_target', 'workflow_run', 'issue_comment']);
const PUSHES =
  /\bgit\s+push\b|\bgit\s+tag\b|\bgh\s+(release|pr\s+create|api)\b|semantic-release|changesets\/action|action-gh-release|create-release|release-please|create-pull-request|git-auto-commit|add-and-commit|\bnpm\s+(version|publish)\b|upload-release-asset/;
const TRUSTED_OWNERS = new Set(['actions', 'github']);
const FULL_SHA = /^[0-9a-f]{40}$/;

interface Context {
  file: SourceFile;
  lines: LineCounter;
  triggers: Set<string>;
  findings: Finding[];
  options: WorkflowScanOptions;
  isRelease: boolean;
}

function lineOf(context: Context, node: Node | null | undefined): number {
  return node?.range ? context.lines.linePos(node.range[0]).line : 1;
}

function child(node: unknown, key: string): Node | undefined {
  if (!isMap(node)) return undefined;
  const value: unknown = node.get(key, true);
  return value === null || value === undefined ? undefined : (value as Node);
}

function text(node: unknown): string | undefined {
  if (!isScalar(node)) return undefined;
  const value: unknown = node.value;
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
    ? String(value)
    : undefined;
}

function triggersOf(on: unknown): Set<string> {
  if (isScalar(on)) return new Set([String(on.value)]);
  if (isSeq(on)) return new Set(on.items.map((item) => String(isScalar(item) ? item.value : item)));
  if (isMap(on))
    return new Set(on.items.map((pair) => String(isScalar(pair.key) ? pair.key.value : pair.key)));
  return new Set();
}

function isReleaseWorkflow(path: string, on: unknown): boolean {
  if (/release|publish/i.test(path.slice(path.lastIndexOf('/') + 1))) return true;
  if (triggersOf(on).has('release')) return true;
  const push = child(on, 'push');
  return child(push, 'tags') !== undefined;
}

function checkPermissions(
  context: Context,
  permissions: Node | undefined,
  where: string,
  pushes: boolean,
): void {
  if (!permissions) return;
  if (text(permissions) === 'write-all') {
    context.findings.push(
      makeFinding(
        'gha-write-all',
        context.file.path,
        lineOf(context, permissions),
        `${where} grants write-all permissions.`,
      ),
    );
    return;
  }
  const contents = child(permissions, 'contents');
  if (text(contents) === 'write' && !pushes) {
    context.findings.push(
      makeFinding(
        'gha-contents-write',
        context.file.path,
        lineOf(context, contents),
        `${where} grants contents: write but nothing in it pushes.`,
      ),
    );
  }
}

function checkExpressions(context: Context, script: Node, where: string): void {
  const source = text(script);
  if (source === undefined) return;
  // Walk the source alongside the script so each finding lands on its own line, even when repeated.
  let cursor = script.range?.[0] ?? 0;
  for (const scriptLine of source.split('\n')) {
    const trimmed = scriptLine.trim();
    const found = trimmed === '' ? -1 : context.file.text.indexOf(trimmed, cursor);
    if (found !== -1) cursor = found + trimmed.length;
    const line = context.lines.linePos(found === -1 ? cursor : found).line;
    const writesEnv = /GITHUB_(ENV|PATH)\b/.test(scriptLine);
    for (const match of scriptLine.matchAll(EXPRESSION)) {
      const expression = match[1]!.trim();
      if (!UNTRUSTED_CONTEXT.test(expression)) continue;
      const rule = writesEnv ? 'gha-env-injection' : 'gha-script-injection';
      const message = writesEnv
        ? `${where} writes \${{ ${expression} }} to ${/GITHUB_PATH/.test(scriptLine) ? 'GITHUB_PATH' : 'GITHUB_ENV'}: an attacker can set variables for later steps.`
        : `${where} interpolates \${{ ${expression} }} into the script: an attacker can run commands.`;
      context.findings.push(makeFinding(rule, context.file.path, line, message));
    }
    // Under privileged triggers, values read from artifacts or the PR are just as untrusted.
    const privileged = context.triggers.has('workflow_run') || context.triggers.has('pull_request_target');
    if (
      writesEnv &&
      privileged &&
      />>\s*"?\$\{?GITHUB_(ENV|PATH)/.test(scriptLine) &&
      /\$\(|`|\bcat\s/.test(scriptLine)
    ) {
      context.findings.push(
        makeFinding(
          'gha-env-injection',
          context.file.path,
          line,
          `${where} writes computed content to GITHUB_ENV/GITHUB_PATH under a privileged trigger.`,
        ),
      );
    }
  }
}

function checkAwsKeys(context: Context, env: Node | undefined, where: string): void {
  if (!isMap(env)) return;
  for (const pair of env.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    // The key id always travels with its secret key: one finding per pair, when it comes from a secret.
    if (key === 'AWS_ACCESS_KEY_ID' && /\bsecrets\./.test(text(pair.value) ?? '')) {
      context.findings.push(
        makeFinding(
          'gha-long-lived-aws-keys',
          context.file.path,
          lineOf(context, pair.key as Node),
          `${where} sets ${key} from a stored secret.`,
        ),
      );
    }
  }
}

function checkUses(context: Context, uses: Node, where: string): void {
  const reference = text(uses) ?? '';
  if (reference.startsWith('./') || reference.startsWith('docker://')) return;
  const [path = '', ref] = reference.split('@');
  const owner = path.split('/')[0]!.toLowerCase();
  if (TRUSTED_OWNERS.has(owner)) return;
  if (ref === undefined || !FULL_SHA.test(ref)) {
    const message = `${where} uses ${reference}, which is not pinned to a commit SHA: the tag can be moved to other code.`;
    context.findings.push(
      makeFinding('gha-unpinned-action', context.file.path, lineOf(context, uses), message),
    );
  }
}

function checkStep(context: Context, step: YAMLMap, jobName: string, uploadsWorkspace: boolean): void {
  const name = text(child(step, 'name')) ?? text(child(step, 'uses')) ?? 'a step';
  const where = `Job "${jobName}" step "${name}"`;
  const usesNode = child(step, 'uses');
  const uses = text(usesNode) ?? '';
  const withNode = child(step, 'with');
  const privileged = [...context.triggers].some((trigger) => PRIVILEGED_TRIGGERS.has(trigger));
  if (usesNode) checkUses(context, usesNode, where);
  checkAwsKeys(context, child(step, 'env'), where);
  const run = child(step, 'run');
  if (run) {
    checkExpressions(context, run, where);
    const script = text(run) ?? '';
    if (
      privileged &&
      /\b(gh\s+pr\s+checkout|git\s+(checkout|fetch|switch))\b/.test(script) &&
      UNTRUSTED_REF.test(script)
    ) {
      const message = `${where} checks out pull request code under ${[...context.triggers].join('/')}, with secrets and a write token in reach.`;
      context.findings.push(
        makeFinding('gha-untrusted-checkout', context.file.path, lineOf(context, run), message),
      );
    }
  }
  if (/^actions\/github-script@/.test(uses)) {
    const script = child(withNode, 'script');
    if (script) checkExpressions(context, script, where);
  }
  if (/^actions\/checkout@/.test(uses)) {
    const ref = `${text(child(withNode, 'ref')) ?? ''} ${text(child(withNode, 'repository')) ?? ''}`;
    if (privileged && UNTRUSTED_REF.test(ref)) {
      const message = `${where} checks out the pull request head under ${[...context.triggers].filter((t) => PRIVILEGED_TRIGGERS.has(t)).join('/')}: its code runs with secrets and a write token.`;
      context.findings.push(
        makeFinding('gha-untrusted-checkout', context.file.path, lineOf(context, usesNode), message),
      );
    }
    const persist = text(child(withNode, 'persist-credentials'));
    if (persist !== 'false' && (privileged || uploadsWorkspace)) {
      const why = privileged
        ? 'the workflow runs on a privileged trigger'
        : 'the job uploads the workspace as an artifact';
      context.findings.push(
        makeFinding(
          'gha-persist-credentials',
          context.file.path,
          lineOf(context, usesNode),
          `${where} keeps the token in .git/config and ${why}.`,
        ),
      );
    }
  }
  if (/^aws-actions\/configure-aws-credentials@/.test(uses) && child(withNode, 'aws-access-key-id')) {
    const message = `${where} authenticates to AWS with stored access keys.`;
    context.findings.push(
      makeFinding(
        'gha-long-lived-aws-keys',
        context.file.path,
        lineOf(context, child(withNode, 'aws-access-key-id')),
        message,
      ),
    );
  }
  const caches =
    /^actions\/cache(\/restore)?@/.test(uses) ||
    (/^actions\/setup-[a-z]+@/.test(uses) && text(child(withNode, 'cache')) !== undefined);
  if (context.isRelease && caches) {
    context.findings.push(
      makeFinding(
        'gha-cache-in-release',
        context.file.path,
        lineOf(context, usesNode),
        `${where} restores a cache in a release workflow.`,
      ),
    );
  }
}

function scanWorkflow(file: SourceFile, options: WorkflowScanOptions): Finding[] {
  const lines = new LineCounter();
  const document = parseDocument(file.text, { lineCounter: lines, uniqueKeys: false });
  if (document.errors.length > 0) {
    const error = document.errors[0]!;
    const line = error.linePos?.[0]?.line ?? 1;
    return [
      makeFinding(
        'gha-invalid-workflow',
        file.path,
        line,
        `Workflow YAML does not parse: ${error.message.split('\n')[0]!}`,
      ),
    ];
  }
  const root = document.contents;
  if (!isMap(root)) return [];
  const on = child(root, 'on');
  const context: Context = {
    file,
    lines,
    triggers: triggersOf(on),
    findings: [],
    options,
    isRelease: isReleaseWorkflow(file.path, on),
  };
  const topPermissions = child(root, 'permissions');
  const jobs = child(root, 'jobs');
  const jobPairs = isMap(jobs) ? jobs.items : [];
  const jobPushes = (job: unknown): boolean => PUSHES.test(JSON.stringify(isMap(job) ? job.toJSON() : ''));
  checkPermissions(
    context,
    topPermissions,
    'The workflow',
    jobPairs.some((pair) => jobPushes(pair.value)),
  );
  checkAwsKeys(context, child(root, 'env'), 'The workflow');
  const unscoped: string[] = [];
  for (const pair of jobPairs) {
    const jobName = isScalar(pair.key) ? String(pair.key.value) : 'job';
    const job = pair.value;
    if (!isMap(job)) continue;
    const permissions = child(job, 'permissions');
    if (!permissions && !topPermissions) unscoped.push(jobName);
    // A job calling a reusable workflow may push there, out of sight: give it the benefit of the doubt.
    const mayPush = jobPushes(job) || child(job, 'uses') !== undefined;
    checkPermissions(context, permissions, `Job "${jobName}"`, mayPush);
    checkAwsKeys(context, child(job, 'env'), `Job "${jobName}"`);
    const runsOn = child(job, 'runs-on');
    const labels = JSON.stringify(runsOn?.toJSON() ?? '');
    const onPullRequests =
      context.triggers.has('pull_request') || context.triggers.has('pull_request_target');
    if (/self-hosted/.test(labels) && onPullRequests && options.repositoryPublic !== false) {
      const message = `Job "${jobName}" runs pull request code on a self-hosted runner (a risk in public repositories).`;
      context.findings.push(makeFinding('gha-self-hosted-pr', file.path, lineOf(context, runsOn), message));
    }
    const reusable = child(job, 'uses');
    if (reusable) checkUses(context, reusable, `Job "${jobName}"`);
    const secrets = child(job, 'secrets');
    if (text(secrets) === 'inherit') {
      context.findings.push(
        makeFinding(
          'gha-secrets-inherit',
          file.path,
          lineOf(context, secrets),
          `Job "${jobName}" passes all secrets to ${text(reusable) ?? 'a reusable workflow'}.`,
        ),
      );
    }
    const steps = child(job, 'steps');
    const stepMaps = isSeq(steps) ? steps.items.filter(isMap) : [];
    const uploadsWorkspace = stepMaps.some(
      (step) =>
        /^actions\/upload-artifact@/.test(text(child(step, 'uses')) ?? '') &&
        /^(\.\/?|\$\{\{\s*github\.workspace\s*\}\}\/?)$/m.test(
          text(child(child(step, 'with'), 'path')) ?? '',
        ),
    );
    for (const step of stepMaps) checkStep(context, step, jobName, uploadsWorkspace);
  }
  if (unscoped.length > 0) {
    const message = `No permissions block for job(s) ${unscoped.join(', ')}: GITHUB_TOKEN gets the repository default (possibly write to everything).`;
    context.findings.push(makeFinding('gha-default-permissions', file.path, lineOf(context, jobs), message));
  }
  return context.findings;
}

/** GitHub Actions workflow rules (OWASP CI/CD Top 10: PPE, injection, pinning, permissions, credentials). */
export function scanWorkflows(files: readonly SourceFile[], options: WorkflowScanOptions = {}): Finding[] {
  return files.filter((file) => isWorkflow(file.path)).flatMap((file) => scanWorkflow(file, options));
}
