import { isMap, isScalar, isSeq, LineCounter, type Node, parseDocument, visit, type YAMLMap } from 'yaml';

import type { Finding, SourceFile } from '../../findings.js';
import { makeFinding } from '../../rules.js';
import { actionName, PUBLISHING_ACTIONS } from './actions.js';
import { type AuditContext, isPrivileged, report, type WorkflowScanOptions } from './context.js';
import {
  accessPath,
  callsOf,
  comparisonsOf,
  embeddedExpressions,
  containsOnLiteralString,
  parseExpression,
  readsSecretJsonField,
  stringLiteral,
} from './expressions.js';
import {
  checkAwsKeys,
  checkImage,
  checkInsecureCommands,
  checkStep,
  checkUses,
  type JobFacts,
} from './steps.js';
import { declaredInputTypes, type Scope, type StepInfo, type Taint, textTaint } from './taint.js';
import { child, childIgnoringCase, keyOf, text, valueLineMapper } from './yaml.js';

const PUSHES =
  /\bgit\s+push\b|\bgit\s+tag\b|\bgh\s+(release|pr\s+create|api)\b|semantic-release|changesets\/action|action-gh-release|create-release|release-please|create-pull-request|git-auto-commit|add-and-commit|\bnpm\s+(version|publish)\b|\b(npm|pnpm|yarn)\s+(run\s+)?release\b|\s--push\b|upload-release-asset/;
const PUBLISH_COMMAND =
  /\b(npm|pnpm|yarn)\s+(npm\s+)?publish\b|\btwine\s+upload\b|\bcargo\s+publish\b|\bgem\s+push\b|\bgh\s+release\s+(create|upload)\b|\b(poetry|uv)\s+publish\b|\bgoreleaser\b/;
const DANGEROUS_TRIGGERS = new Set(['pull_request_target', 'workflow_run']);
const ACTOR_PATHS = new Set(['github.actor', 'github.triggering_actor']);

function triggerNodes(on: unknown): { name: string; node: Node }[] {
  if (isScalar(on)) return [{ name: String(on.value), node: on }];
  if (isSeq(on)) return on.items.filter(isScalar).map((item) => ({ name: String(item.value), node: item }));
  if (isMap(on)) return on.items.map((pair) => ({ name: keyOf(pair), node: pair.key as Node }));
  return [];
}

function isReleaseWorkflow(path: string, on: unknown): boolean {
  if (/release|publish/i.test(path.slice(path.lastIndexOf('/') + 1))) return true;
  if (triggerNodes(on).some((trigger) => trigger.name === 'release')) return true;
  const push = child(on, 'push');
  if (child(push, 'tags') !== undefined) return true;
  // Pushes to release branches (`release/*`, `releases/**`) publish too.
  return /release/i.test(JSON.stringify(child(push, 'branches')?.toJSON() ?? ''));
}

function checkPermissions(
  context: AuditContext,
  permissions: Node | undefined,
  where: string,
  pushes: boolean,
): void {
  if (!permissions) return;
  if (text(permissions) === 'write-all') {
    report(context, 'gha-write-all', permissions, `${where} grants write-all permissions.`);
    return;
  }
  const contents = child(permissions, 'contents');
  if (text(contents) === 'write' && !pushes) {
    report(
      context,
      'gha-contents-write',
      contents,
      `${where} grants contents: write but nothing in it pushes.`,
    );
  }
}

function checkContainer(context: AuditContext, container: Node | undefined, where: string): void {
  if (!container) return;
  const image = isMap(container) ? child(container, 'image') : container;
  const reference = text(image);
  if (image && reference !== undefined) checkImage(context, reference, image, where);
  const password = child(child(container, 'credentials'), 'password');
  const value = text(password);
  if (value !== undefined && value !== '' && !value.includes('${{')) {
    report(
      context,
      'gha-hardcoded-container-credentials',
      password,
      `${where} has its registry password written in the workflow.`,
    );
  }
}

/** `if:` conditions that trust github.actor to be a bot (anyone can make a bot act on their PR). */
function checkCondition(context: AuditContext, condition: Node | undefined, where: string): void {
  const source = text(condition);
  if (source === undefined) return;
  const embedded = embeddedExpressions(source);
  if (
    embedded.length > 0 &&
    (embedded.length > 1 || embedded[0]!.start > 0 || embedded[0]!.end < source.length)
  ) {
    // GitHub evaluates `if:` as an expression only when it is one; text around ${{ }} makes a non-empty string.
    const message = `${where} has a condition with text around \${{ }} (${JSON.stringify(source)}): it is always true.`;
    report(context, 'gha-unsound-condition', condition, message);
  }
  const sources = embedded.length > 0 ? embedded.map((found) => found.source) : [source];
  for (const expressionSource of sources) {
    const expr = parseExpression(expressionSource);
    if (!expr) continue;
    if (containsOnLiteralString(expr)) {
      const message = `${where} tests contains() on a string, not a list: any substring of it passes.`;
      report(context, 'gha-unsound-contains', condition, message);
    }
    const spoofable =
      comparisonsOf(expr).some(({ left, right, operator }) => {
        const pair = [left, right];
        const actor = pair.some((side) => ACTOR_PATHS.has(accessPath(side) ?? ''));
        const bot = pair.some((side) => /\[bot\]$/i.test(stringLiteral(side) ?? ''));
        return operator === '==' && actor && bot;
      }) ||
      ['contains', 'endswith', 'startswith'].some((name) =>
        callsOf(expr, name).some(
          (call) =>
            ACTOR_PATHS.has(accessPath(call.args[0]!) ?? '') &&
            /bot|\[bot\]/i.test(stringLiteral(call.args[1]!) ?? ''),
        ),
      );
    if (spoofable) {
      const message = `${where} runs when github.actor is a bot: the actor is whoever last acted (e.g. a bot rebasing an attacker's PR), not who wrote the code.`;
      report(
        context,
        'gha-spoofable-bot-check',
        condition,
        message,
        isPrivileged(context) ? 'high' : 'medium',
      );
      return;
    }
  }
}

/** `toJSON(secrets)` and `fromJSON(secrets.X).y` anywhere in the file. */
function checkSecretsToJson(context: AuditContext, root: Node): void {
  visit(root, {
    Scalar(_key, node) {
      const value = text(node);
      if (value === undefined || !value.includes('${{')) return;
      const lineAt = valueLineMapper(context.file.text, context.lines, node, value);
      for (const embedded of embeddedExpressions(value)) {
        const expr = parseExpression(embedded.source);
        const dumps =
          expr &&
          callsOf(expr, 'toJSON').some((call) => call.args[0] && accessPath(call.args[0]) === 'secrets');
        if (dumps)
          report(
            context,
            'gha-secrets-tojson',
            lineAt(embedded.start),
            'toJSON(secrets) exposes every secret of the repository to one step.',
          );
        if (expr && readsSecretJsonField(expr))
          report(
            context,
            'gha-unredacted-secrets',
            lineAt(embedded.start),
            `\${{ ${embedded.source} }} reads a field of a JSON secret, which is not masked in logs.`,
          );
      }
    },
  });
}

function stepMapsOf(steps: Node | undefined): YAMLMap[] {
  return isSeq(steps) ? steps.items.filter(isMap) : [];
}

function uploadsWorkspace(steps: YAMLMap[]): boolean {
  return steps.some(
    (step) =>
      actionName(text(child(step, 'uses')) ?? '') === 'actions/upload-artifact' &&
      /^(\.\/?|\$\{\{\s*github\.workspace\s*\}\}\/?)$/m.test(text(child(child(step, 'with'), 'path')) ?? ''),
  );
}

function publishes(steps: YAMLMap[]): boolean {
  return steps.some(
    (step) =>
      PUBLISHING_ACTIONS.has(actionName(text(child(step, 'uses')) ?? '') ?? '') ||
      PUBLISH_COMMAND.test(text(child(step, 'run')) ?? ''),
  );
}

function scanJobs(
  context: AuditContext,
  root: YAMLMap,
  jobs: Node | undefined,
  topPermissions: Node | undefined,
): void {
  const jobPairs = isMap(jobs) ? jobs.items : [];
  const jobPushes = (job: unknown): boolean => PUSHES.test(JSON.stringify(isMap(job) ? job.toJSON() : ''));
  const inputTypes = declaredInputTypes(child(root, 'on'));
  const facts = new Map<string, JobFacts>();
  const outputCache = new Map<string, Taint | undefined>();
  const jobOutput = (jobName: string, output: string): Taint | undefined => {
    const key = `${jobName}.${output}`;
    if (outputCache.has(key)) return outputCache.get(key);
    outputCache.set(key, undefined); // cycles resolve to clean
    const job = facts.get(jobName.toLowerCase());
    const value = text(childIgnoringCase(child(childIgnoringCase(jobs, jobName), 'outputs'), output));
    const taint = job && value !== undefined ? textTaint(value, job.scope) : undefined;
    outputCache.set(key, taint);
    return taint;
  };
  checkPermissions(
    context,
    topPermissions,
    'The workflow',
    jobPairs.some((pair) => jobPushes(pair.value)),
  );
  const unscoped: string[] = [];
  // First pass: every job's scope, so needs.<job>.outputs resolve whatever the order of the file.
  for (const pair of jobPairs) {
    const job = pair.value;
    if (!isMap(job)) continue;
    const steps = new Map<string, StepInfo>();
    const scope: Scope = {
      envs: [child(job, 'env'), child(root, 'env')],
      inputTypes,
      matrix: child(child(job, 'strategy'), 'matrix'),
      steps,
      jobOutput,
    };
    const stepMaps = stepMapsOf(child(job, 'steps'));
    facts.set(keyOf(pair).toLowerCase(), {
      name: keyOf(pair),
      uploadsWorkspace: uploadsWorkspace(stepMaps),
      isReleaseJob: publishes(stepMaps),
      scope,
      steps,
    });
  }
  for (const pair of jobPairs) {
    const jobName = keyOf(pair) || 'job';
    const job = pair.value;
    if (!isMap(job)) continue;
    const where = `Job "${jobName}"`;
    const permissions = child(job, 'permissions');
    if (!permissions && !topPermissions) unscoped.push(jobName);
    // A job calling a reusable workflow may push there, out of sight: give it the benefit of the doubt.
    checkPermissions(context, permissions, where, jobPushes(job) || child(job, 'uses') !== undefined);
    checkAwsKeys(context, child(job, 'env'), where);
    checkInsecureCommands(context, child(job, 'env'), where);
    checkCondition(context, child(job, 'if'), where);
    const runsOn = child(job, 'runs-on');
    const labels = JSON.stringify(runsOn?.toJSON() ?? '');
    const onPullRequests =
      context.triggers.has('pull_request') || context.triggers.has('pull_request_target');
    if (/self-hosted/.test(labels) && onPullRequests && context.options.repositoryPublic !== false) {
      report(
        context,
        'gha-self-hosted-pr',
        runsOn,
        `${where} runs pull request code on a self-hosted runner (a risk in public repositories).`,
      );
    }
    const reusable = child(job, 'uses');
    if (reusable) checkUses(context, reusable, where);
    const secrets = child(job, 'secrets');
    if (text(secrets) === 'inherit') {
      report(
        context,
        'gha-secrets-inherit',
        secrets,
        `${where} passes all secrets to ${text(reusable) ?? 'a reusable workflow'}.`,
      );
    }
    checkContainer(context, child(job, 'container'), `${where} container`);
    const services = child(job, 'services');
    if (isMap(services)) {
      for (const service of services.items)
        checkContainer(context, service.value as Node, `${where} service "${keyOf(service)}"`);
    }
    const jobFacts = facts.get(keyOf(pair).toLowerCase())!;
    for (const step of stepMapsOf(child(job, 'steps'))) {
      checkCondition(
        context,
        child(step, 'if'),
        `${where} step "${text(child(step, 'name')) ?? text(child(step, 'uses')) ?? 'a step'}"`,
      );
      checkStep(context, step, jobFacts);
    }
  }
  if (unscoped.length > 0) {
    const message = `No permissions block for job(s) ${unscoped.join(', ')}: GITHUB_TOKEN gets the repository default (possibly write to everything).`;
    report(context, 'gha-default-permissions', jobs, message);
  }
}

function parse(file: SourceFile): { root?: YAMLMap; lines: LineCounter; error?: Finding } {
  const lines = new LineCounter();
  const document = parseDocument(file.text, { lineCounter: lines, uniqueKeys: false });
  if (document.errors.length > 0) {
    const error = document.errors[0]!;
    const line = error.linePos?.[0]?.line ?? 1;
    const message = `Workflow YAML does not parse: ${error.message.split('\n')[0]!}`;
    return { lines, error: makeFinding('gha-invalid-workflow', file.path, line, message) };
  }
  return { root: isMap(document.contents) ? document.contents : undefined, lines };
}

export function scanWorkflow(file: SourceFile, options: WorkflowScanOptions): Finding[] {
  const { root, lines, error } = parse(file);
  if (error) return [error];
  if (!root) return [];
  const on = child(root, 'on');
  const triggers = triggerNodes(on);
  const context: AuditContext = {
    file,
    lines,
    triggers: new Set(triggers.map((trigger) => trigger.name)),
    findings: [],
    options,
    isRelease: isReleaseWorkflow(file.path, on),
    composite: false,
  };
  for (const trigger of triggers) {
    if (!DANGEROUS_TRIGGERS.has(trigger.name)) continue;
    const message = `The workflow runs on ${trigger.name}: with secrets and a write token, on events anyone with a fork can cause.`;
    report(context, 'gha-dangerous-trigger', trigger.node, message);
  }
  checkAwsKeys(context, child(root, 'env'), 'The workflow');
  checkInsecureCommands(context, child(root, 'env'), 'The workflow');
  scanJobs(context, root, child(root, 'jobs'), child(root, 'permissions'));
  checkSecretsToJson(context, root);
  return context.findings;
}

/** A composite action's steps get the step rules; its inputs are free text from whichever workflow calls it. */
export function scanCompositeAction(file: SourceFile, options: WorkflowScanOptions): Finding[] {
  const { root, lines } = parse(file);
  // An action.yml that does not parse is GitHub's to report when a workflow uses it: skip, not our rule.
  if (!root) return [];
  const runs = child(root, 'runs');
  if (text(child(runs, 'using'))?.toLowerCase() !== 'composite') return [];
  const context: AuditContext = {
    file,
    lines,
    triggers: new Set(),
    findings: [],
    options,
    isRelease: false,
    composite: true,
  };
  const steps = new Map<string, StepInfo>();
  const facts: JobFacts = {
    name: 'composite',
    uploadsWorkspace: false,
    isReleaseJob: false,
    scope: { envs: [], steps },
    steps,
  };
  for (const step of stepMapsOf(child(runs, 'steps'))) {
    const name = text(child(step, 'name')) ?? text(child(step, 'uses')) ?? 'a step';
    checkCondition(context, child(step, 'if'), `Composite step "${name}"`);
    checkStep(context, step, facts);
  }
  checkSecretsToJson(context, root);
  return context.findings;
}
