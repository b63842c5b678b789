import { isMap, type Node, type YAMLMap } from 'yaml';

import { actionName, CODE_INPUTS, restoresCache, TRUSTED_OUTPUTS } from './actions.js';
import {
  type AuditContext,
  describeTaint,
  isPrivileged,
  OUTSIDER_TRIGGERS,
  PRIVILEGED_TRIGGERS,
  report,
  TAINT_SEVERITY,
} from './context.js';
import { embeddedExpressions } from './expressions.js';
import { githubFileWrites, parseShell, unquote, writtenFilesLocator } from './shell.js';
import { expressionTaint, pathTaint, type Scope, type StepInfo, type Taint, worst } from './taint.js';
import { child, text, textEntries, valueLineMapper } from './yaml.js';

/** Refs that point at code from the pull request rather than the base repository. */
const UNTRUSTED_REF =
  /github\.event\.pull_request\.head\.(?:sha|ref)|github\.head_ref|github\.event\.workflow_run\.head_(?:sha|branch)|pull_request\.merge_commit_sha|refs\/pull\/|github\.event\.issue\.number|head\.repo\.full_name/;
const TRUSTED_OWNERS = new Set(['actions', 'github']);
const FULL_SHA = /^[0-9a-f]{40}$/;
/** Shell variables every runner sets to values of the base repository or the runner. */
const RUNNER_VARIABLE = /^(GITHUB_|RUNNER_|CI$|HOME$|PATH$|PWD$)/;
const INSECURE_COMMANDS = /ACTIONS_ALLOW_UNSECURE_COMMANDS\s*=\s*["']?(true|1)/i;
/** Registry token variables and flags of package publishing commands. */
const PUBLISH_COMMANDS: { command: RegExp; tokens: RegExp }[] = [
  { command: /^(npm|pnpm|yarn) (npm )?publish\b/, tokens: /^(NODE_AUTH_TOKEN|NPM_TOKEN|NPM_AUTH_TOKEN)$/ },
  { command: /^twine upload\b/, tokens: /^(TWINE_PASSWORD|TWINE_TOKEN)$/ },
  { command: /^cargo publish\b/, tokens: /^CARGO_REGISTRY_TOKEN$/ },
  { command: /^gem push\b/, tokens: /^GEM_HOST_API_KEY$/ },
  { command: /^uv publish\b/, tokens: /^(UV_PUBLISH_TOKEN|UV_PUBLISH_PASSWORD)$/ },
  { command: /^poetry publish\b/, tokens: /^POETRY_(PYPI_TOKEN_\w+|HTTP_BASIC_\w+_PASSWORD)$/ },
];
const TOKEN_FLAG = /^--?(token|password|p|api-key)(=|$)/;

/** What the checks of one step need to know about its job. */
export interface JobFacts {
  name: string;
  uploadsWorkspace: boolean;
  isReleaseJob: boolean;
  scope: Scope;
  /** Filled in step order, so `steps.<id>` only resolves to earlier steps. */
  steps: Map<string, StepInfo>;
}

/** `name`, `name:tag`, `name@sha256:...`: a finding when the image has no version (none, or `latest`). */
export function checkImage(context: AuditContext, reference: string, at: Node, where: string): void {
  if (reference.includes('${{') || reference.includes('@sha256:')) return;
  const name = reference.slice(reference.lastIndexOf('/') + 1);
  const tag = name.includes(':') ? name.slice(name.indexOf(':') + 1) : undefined;
  if (tag === undefined || tag === 'latest') {
    const what = tag === undefined ? 'has no tag (means :latest)' : 'uses :latest';
    report(
      context,
      'gha-unpinned-image',
      at,
      `${where} image ${reference} ${what}: whatever is pushed next runs.`,
    );
  }
}

export function checkUses(context: AuditContext, uses: Node, where: string): void {
  const reference = text(uses) ?? '';
  if (reference.startsWith('docker://')) {
    checkImage(context, reference.slice('docker://'.length), uses, where);
    return;
  }
  if (reference.startsWith('./')) return;
  const [path = '', ref] = reference.split('@');
  const owner = path.split('/')[0]!.toLowerCase();
  if (TRUSTED_OWNERS.has(owner)) return;
  if (ref === undefined || !FULL_SHA.test(ref)) {
    const message = `${where} uses ${reference}, which is not pinned to a commit SHA: the tag can be moved to other code.`;
    report(context, 'gha-unpinned-action', uses, message);
  }
}

/** Env maps from the step outwards, for `env.X` and `$X` lookups. */
function stepScope(step: YAMLMap, job: JobFacts): Scope {
  return { ...job.scope, envs: [child(step, 'env'), ...job.scope.envs], steps: job.steps };
}

/** `$NAME`/`${NAME}` expansions in a span of script whose env value is tainted. */
function expansionTaint(script: string, scope: Scope): Taint | undefined {
  const taints: (Taint | undefined)[] = [];
  for (const match of script.matchAll(/\$\{?([A-Za-z_]\w*)/g)) {
    const name = match[1]!;
    if (!RUNNER_VARIABLE.test(name)) taints.push(pathTaint(`env.${name}`, scope));
  }
  return worst(taints);
}

/** Template injection in a `run:` script or a code-running input, and GITHUB_ENV/PATH/OUTPUT writes. */
function checkCode(
  context: AuditContext,
  node: Node,
  where: string,
  scope: Scope,
  isShell: boolean,
): Taint | undefined {
  const source = text(node);
  if (source === undefined) return undefined;
  const lineAt = valueLineMapper(context.file.text, context.lines, node, source);
  const writes = isShell ? githubFileWrites(source) : [];
  const filesWrittenAt = writtenFilesLocator(writes);
  const outputTaints: (Taint | undefined)[] = [];
  for (const embedded of embeddedExpressions(source)) {
    const taint = expressionTaint(embedded.source, scope);
    if (!taint) continue;
    const files = filesWrittenAt(embedded.start);
    const envFile = files.find((file) => file !== 'GITHUB_OUTPUT');
    if (files.includes('GITHUB_OUTPUT')) outputTaints.push(taint);
    const line = lineAt(embedded.start);
    const severity = TAINT_SEVERITY[taint.level];
    if (envFile) {
      const message = `${where} writes \${{ ${embedded.source} }} to ${envFile} (${describeTaint(taint)}): it can set variables for later steps.`;
      report(context, 'gha-env-injection', line, message, severity);
    } else {
      const into = isShell ? 'the script' : 'code the action runs';
      const message = `${where} expands \${{ ${embedded.source} }} into ${into} (${describeTaint(taint)}): it can run commands.`;
      report(context, 'gha-script-injection', line, message, severity);
    }
  }
  const outsiders = [...context.triggers].some((trigger) => OUTSIDER_TRIGGERS.has(trigger));
  for (const write of writes) {
    const written = write.spans.map((span) => source.slice(span.start, span.end)).join('\n');
    if (write.file === 'GITHUB_OUTPUT') {
      outputTaints.push(expansionTaint(written, scope));
      continue;
    }
    if (write.file === 'GITHUB_ENV' && INSECURE_COMMANDS.test(written)) {
      report(
        context,
        'gha-insecure-commands',
        lineAt(write.at),
        `${where} sets ACTIONS_ALLOW_UNSECURE_COMMANDS through GITHUB_ENV.`,
      );
    }
    if (!outsiders) continue;
    // Under triggers outsiders fire, values read from artifacts, files or their text are theirs.
    const viaEnv = expansionTaint(written, scope);
    const computed = /\$\(|`|\bcat\s+(?!<)|\bjq\b|(?<!<)<(?![<(])\s*\S/.test(
      written.replace(/\$\{\{[\s\S]*?\}\}/g, ''),
    );
    if (viaEnv?.level === 'attacker' || (computed && isPrivileged(context))) {
      const what = viaEnv?.level === 'attacker' ? describeTaint(viaEnv) : 'computed content';
      const message = `${where} writes ${what} to ${write.file} under ${[...context.triggers].join('/')}: an attacker can set variables for later steps.`;
      report(context, 'gha-env-injection', lineAt(write.at), message);
    }
  }
  return worst(outputTaints);
}

function checkCheckout(context: AuditContext, step: YAMLMap, where: string, job: JobFacts): void {
  const usesNode = child(step, 'uses');
  const withNode = child(step, 'with');
  const privileged = isPrivileged(context);
  const ref = `${text(child(withNode, 'ref')) ?? ''} ${text(child(withNode, 'repository')) ?? ''}`;
  if (privileged && UNTRUSTED_REF.test(ref)) {
    const triggers = [...context.triggers].filter((trigger) => PRIVILEGED_TRIGGERS.has(trigger));
    const message = `${where} checks out the pull request head under ${triggers.join('/')}: its code runs with secrets and a write token.`;
    report(context, 'gha-untrusted-checkout', usesNode, message);
  }
  if (text(child(withNode, 'persist-credentials')) === 'false') return;
  if (privileged || job.uploadsWorkspace) {
    const why = privileged
      ? 'the workflow runs on a privileged trigger'
      : 'the job uploads the workspace as an artifact';
    report(
      context,
      'gha-persist-credentials',
      usesNode,
      `${where} keeps the token in .git/config and ${why}.`,
    );
  } else {
    const message = `${where} keeps the token in .git/config, where every later step (and any action or script it runs) can read it.`;
    report(context, 'gha-persist-credentials', usesNode, message, 'low');
  }
}

/** Long-lived registry tokens next to a publish command or action. */
function checkPublishing(context: AuditContext, step: YAMLMap, where: string, scope: Scope): void {
  const action = actionName(text(child(step, 'uses')) ?? '');
  const inputs = textEntries(child(step, 'with'), true);
  const tokenInput =
    (action === 'pypa/gh-action-pypi-publish' && inputs.get('password')) ||
    (action === 'js-devtools/npm-publish' && inputs.get('token'));
  if (tokenInput && /\bsecrets\./.test(tokenInput)) {
    report(
      context,
      'gha-long-lived-publish-token',
      child(step, 'uses'),
      `${where} publishes with a stored registry token.`,
    );
    return;
  }
  const run = child(step, 'run');
  const script = text(run);
  if (!run || script === undefined || !/\b(publish|upload|push)\b/.test(script)) return;
  const envNames = new Set<string>();
  for (const env of scope.envs) {
    for (const [name, value] of textEntries(env)) if (/\bsecrets\./.test(value)) envNames.add(name);
  }
  const lineAt = valueLineMapper(context.file.text, context.lines, run, script);
  for (const command of parseShell(script)) {
    const words = command.words.map((word) => unquote(word.raw));
    const line = words.join(' ');
    const publisher = PUBLISH_COMMANDS.find((entry) => entry.command.test(line));
    if (!publisher) continue;
    const viaEnv = [...envNames].find((name) => publisher.tokens.test(name));
    const viaFlag = words.some((word) => TOKEN_FLAG.test(word));
    if (viaEnv || viaFlag) {
      const how = viaEnv ? `${viaEnv} from a secret` : 'a token on the command line';
      report(
        context,
        'gha-long-lived-publish-token',
        lineAt(command.start),
        `${where} runs \`${words.slice(0, 2).join(' ')}\` with ${how}.`,
      );
    }
  }
}

export function checkAwsKeys(context: AuditContext, env: Node | undefined, where: string): void {
  if (!isMap(env)) return;
  for (const pair of env.items) {
    const key = text(pair.key) ?? '';
    // The key id always travels with its secret key: one finding per pair, when it comes from a secret.
    if (key === 'AWS_ACCESS_KEY_ID' && /\bsecrets\./.test(text(pair.value) ?? '')) {
      report(
        context,
        'gha-long-lived-aws-keys',
        pair.key as Node,
        `${where} sets ${key} from a stored secret.`,
      );
    }
  }
}

export function checkInsecureCommands(context: AuditContext, env: Node | undefined, where: string): void {
  if (!isMap(env)) return;
  for (const pair of env.items) {
    if (text(pair.key) !== 'ACTIONS_ALLOW_UNSECURE_COMMANDS') continue;
    const value = (text(pair.value) ?? '').trim().toLowerCase();
    if (value === '' || value === 'false' || value === '0') continue;
    report(
      context,
      'gha-insecure-commands',
      pair.key as Node,
      `${where} enables the deprecated set-env/add-path commands, which any log line can trigger.`,
    );
  }
}

/** Every step rule; records what the step outputs for later `steps.<id>.outputs` lookups. */
export function checkStep(context: AuditContext, step: YAMLMap, job: JobFacts): void {
  const name = text(child(step, 'name')) ?? text(child(step, 'uses')) ?? text(child(step, 'id')) ?? 'a step';
  const where = context.composite ? `Composite step "${name}"` : `Job "${job.name}" step "${name}"`;
  const usesNode = child(step, 'uses');
  const uses = text(usesNode) ?? '';
  const action = actionName(uses);
  const withNode = child(step, 'with');
  const scope = stepScope(step, job);
  if (usesNode) checkUses(context, usesNode, where);
  checkAwsKeys(context, child(step, 'env'), where);
  checkInsecureCommands(context, child(step, 'env'), where);
  let outputTaint: Taint | undefined;
  const run = child(step, 'run');
  if (run) {
    outputTaint = checkCode(context, run, where, scope, true);
    const script = text(run) ?? '';
    if (
      isPrivileged(context) &&
      /\b(gh\s+pr\s+checkout|git\s+(checkout|fetch|switch))\b/.test(script) &&
      UNTRUSTED_REF.test(script)
    ) {
      const message = `${where} checks out pull request code under ${[...context.triggers].join('/')}, with secrets and a write token in reach.`;
      report(context, 'gha-untrusted-checkout', run, message);
    }
  }
  const codeInputs = action ? CODE_INPUTS.get(action) : undefined;
  if (codeInputs && isMap(withNode)) {
    for (const pair of withNode.items) {
      if (codeInputs.includes((text(pair.key) ?? '').toLowerCase()) && pair.value)
        checkCode(context, pair.value as Node, where, scope, false);
    }
  }
  if (action === 'actions/checkout') checkCheckout(context, step, where, job);
  if (action === 'aws-actions/configure-aws-credentials' && child(withNode, 'aws-access-key-id')) {
    report(
      context,
      'gha-long-lived-aws-keys',
      child(withNode, 'aws-access-key-id'),
      `${where} authenticates to AWS with stored access keys.`,
    );
  }
  if (
    action &&
    (context.isRelease || job.isReleaseJob) &&
    restoresCache(action, textEntries(withNode, true))
  ) {
    const what = context.isRelease ? 'a release workflow' : 'a job that publishes';
    report(
      context,
      'gha-cache-in-release',
      usesNode,
      `${where} restores a cache in ${what}: a cache written by any branch or PR can end up in the release.`,
    );
  }
  checkPublishing(context, step, where, scope);
  const id = text(child(step, 'id'));
  if (id) {
    job.steps.set(id.toLowerCase(), {
      uses: action ?? (uses || undefined),
      outputTaint,
      trustedOutputs: action !== undefined && TRUSTED_OUTPUTS.has(action),
    });
  }
}
