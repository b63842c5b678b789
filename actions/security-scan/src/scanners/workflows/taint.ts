import { isMap, isSeq, type Node } from 'yaml';

import { embeddedExpressions, parseExpression, valuePaths } from './expressions.js';
import { child, childIgnoringCase, keyOf, text } from './yaml.js';

/**
 * How far an outsider reaches a value: `attacker` (anyone who can open a PR, issue or comment), `indirect` (free
 * text whoever triggers or calls the workflow passes, computed matrices), `unknown` (outputs of actions we
 * cannot see into).
 */
export type TaintLevel = 'attacker' | 'indirect' | 'unknown';

export interface Taint {
  level: TaintLevel;
  /** The context path the value came from, e.g. `github.event.issue.title`, and how it got here. */
  origin: string;
}

const RANK: Record<TaintLevel, number> = { attacker: 3, indirect: 2, unknown: 1 };

export function worst(taints: readonly (Taint | undefined)[]): Taint | undefined {
  let result: Taint | undefined;
  for (const taint of taints)
    if (taint && (!result || RANK[taint.level] > RANK[result.level])) result = taint;
  return result;
}

/** Event fields an outsider writes (GitHub Security Lab's list, and the branch/commit fields of workflow_run). */
const ATTACKER_PATHS = [
  'github.head_ref',
  'github.event.issue.title',
  'github.event.issue.body',
  'github.event.pull_request.title',
  'github.event.pull_request.body',
  'github.event.pull_request.head.ref',
  'github.event.pull_request.head.label',
  'github.event.pull_request.head.repo.default_branch',
  'github.event.pull_request.head.repo.description',
  'github.event.pull_request.head.repo.homepage',
  'github.event.comment.body',
  'github.event.review.body',
  'github.event.review_comment.body',
  'github.event.pages.*.page_name',
  'github.event.commits.*.message',
  'github.event.commits.*.author.email',
  'github.event.commits.*.author.name',
  'github.event.head_commit.message',
  'github.event.head_commit.author.email',
  'github.event.head_commit.author.name',
  'github.event.head_commit.committer.email',
  'github.event.head_commit.committer.name',
  'github.event.discussion.title',
  'github.event.discussion.body',
  'github.event.workflow_run.head_branch',
  'github.event.workflow_run.display_title',
  'github.event.workflow_run.head_commit.message',
  'github.event.workflow_run.head_commit.author.email',
  'github.event.workflow_run.head_commit.author.name',
  'github.event.workflow_run.pull_requests.*.head.ref',
  'github.event.workflow_run.head_repository.description',
  'github.event.check_suite.head_branch',
  'github.event.check_run.check_suite.head_branch',
  'github.event.merge_group.head_commit.message',
].map((path) => path.split('.'));

function segmentsMatch(path: readonly string[], pattern: readonly string[]): boolean {
  return path.every((segment, index) => {
    const expected = pattern[index]!;
    return segment === expected || expected === '*' || segment === '*';
  });
}

/** Whether a `github.*` path reads (or holds, e.g. `toJSON(github.event)`) an attacker-written field. */
export function isAttackerPath(path: string): boolean {
  const segments = path.toLowerCase().split('.');
  return ATTACKER_PATHS.some(
    (pattern) => segments.length <= pattern.length && segmentsMatch(segments, pattern),
  );
}

/** What a step publishes through $GITHUB_OUTPUT (run steps) or which action it is. */
export interface StepInfo {
  uses?: string;
  outputTaint?: Taint;
  trustedOutputs: boolean;
}

/** Where an expression sits: the env maps around it, inputs, matrix, earlier steps and other jobs. */
export interface Scope {
  envs: (Node | undefined)[];
  /** Declared input types (workflow_dispatch/workflow_call); undefined in a composite action (all text). */
  inputTypes?: ReadonlyMap<string, string>;
  matrix?: Node;
  steps: ReadonlyMap<string, StepInfo>;
  /** Taint of `needs.<job>.outputs.<name>`, resolved lazily. */
  jobOutput?: (job: string, output: string) => Taint | undefined;
  depth?: number;
}

function matrixTaint(key: string, scope: Scope): Taint | undefined {
  const { matrix } = scope;
  const origin = `matrix.${key}`;
  if (matrix === undefined) return undefined;
  // `matrix: ${{ fromJSON(...) }}`: whatever produced the JSON decides.
  const computed = (what: string, source: string): Taint => {
    const taint = textTaint(source, scope);
    return taint?.level === 'attacker'
      ? { level: 'attacker', origin: `${origin} (from ${taint.origin})` }
      : { level: 'indirect', origin: `${origin} (${what} computed at run time)` };
  };
  if (!isMap(matrix)) return computed('matrix', text(matrix) ?? '');
  const values: Node[] = [];
  if (key === '*') values.push(matrix);
  const declared = childIgnoringCase(matrix, key);
  if (declared) values.push(declared);
  const include = child(matrix, 'include');
  if (include && !isSeq(include)) return computed('include', text(include) ?? '');
  if (isSeq(include)) {
    for (const entry of include.items) {
      const value = childIgnoringCase(entry, key);
      if (value) values.push(value);
    }
  }
  const dynamic = values
    .map((value) => JSON.stringify(value.toJSON()))
    .filter((json) => json.includes('${{'));
  return dynamic.length > 0 ? computed('value', dynamic.join(' ')) : undefined;
}

function envTaint(name: string, scope: Scope): Taint | undefined {
  for (const env of scope.envs) {
    if (!isMap(env)) continue;
    const pair = env.items.find((item) => keyOf(item).toLowerCase() === name.toLowerCase());
    if (!pair) continue;
    const value = text(pair.value) ?? '';
    const taint = textTaint(value, { ...scope, envs: scope.envs.slice(scope.envs.indexOf(env) + 1) });
    return taint && { level: taint.level, origin: `env.${name} (from ${taint.origin})` };
  }
  return undefined;
}

/** The taint of one context path in this scope. */
export function pathTaint(path: string, scope: Scope): Taint | undefined {
  if ((scope.depth ?? 0) > 8) return undefined;
  const deeper: Scope = { ...scope, depth: (scope.depth ?? 0) + 1 };
  const segments = path.split('.');
  const [root, second, third, fourth] = segments;
  switch (root) {
    case 'github': {
      if (second === 'event' && third === 'inputs' && fourth) return inputTaint(fourth, scope, path);
      if (second === 'event' && third === 'client_payload')
        return { level: 'indirect', origin: `${path} (repository_dispatch payload)` };
      return isAttackerPath(path) ? { level: 'attacker', origin: path } : undefined;
    }
    case 'inputs':
      return second ? inputTaint(second, scope, path) : { level: 'indirect', origin: path };
    case 'matrix':
      return matrixTaint(second ?? '*', deeper);
    case 'env':
      return second ? envTaint(second, deeper) : undefined;
    case 'steps': {
      if (third !== 'outputs' || !second) return undefined;
      const step = scope.steps.get(second);
      if (!step) return undefined;
      if (step.outputTaint)
        return { level: step.outputTaint.level, origin: `${path} (from ${step.outputTaint.origin})` };
      if (step.uses === undefined || step.trustedOutputs) return undefined;
      return { level: 'unknown', origin: `${path} (output of ${step.uses})` };
    }
    case 'needs': {
      if (third !== 'outputs' || !second || !fourth) return undefined;
      const taint = scope.jobOutput?.(second, fourth);
      return taint && { level: taint.level, origin: `${path} (from ${taint.origin})` };
    }
    default:
      return undefined;
  }
}

function inputTaint(name: string, scope: Scope, path: string): Taint | undefined {
  const type = scope.inputTypes?.get(name.toLowerCase()) ?? 'string';
  if (type !== 'string') return undefined;
  const who = scope.inputTypes ? 'whoever triggers or calls the workflow' : 'the calling workflow';
  return { level: 'indirect', origin: `${path} (free text ${who} passes)` };
}

/** The worst taint of the value of an expression's source (`github.event.issue.title || 'x'`). */
export function expressionTaint(source: string, scope: Scope): Taint | undefined {
  const expr = parseExpression(source);
  if (!expr) return undefined;
  return worst(valuePaths(expr).map((path) => pathTaint(path, scope)));
}

/** The worst taint among the `${{ }}` of a string (an env value, a job output). */
export function textTaint(value: string, scope: Scope): Taint | undefined {
  return worst(embeddedExpressions(value).map((embedded) => expressionTaint(embedded.source, scope)));
}

/** Declared input types of `on.workflow_dispatch` and `on.workflow_call` (lower-case names). */
export function declaredInputTypes(on: Node | undefined): Map<string, string> {
  const types = new Map<string, string>();
  for (const trigger of ['workflow_dispatch', 'workflow_call']) {
    const inputs = child(child(on, trigger), 'inputs');
    if (!isMap(inputs)) continue;
    for (const pair of inputs.items) {
      const type = text(child(pair.value, 'type')) ?? 'string';
      const name = keyOf(pair).toLowerCase();
      // An input declared twice counts as free text if either declaration is.
      if (types.get(name) !== 'string') types.set(name, type);
    }
  }
  return types;
}
