import type { LineCounter, Node } from 'yaml';

import type { Finding, Severity, SourceFile } from '../../findings.js';
import { makeFinding } from '../../rules.js';
import type { Taint, TaintLevel } from './taint.js';
import { lineOfNode } from './yaml.js';

export interface WorkflowScanOptions {
  /** false when the repository is known to be private (self-hosted runners on PRs are then a lesser risk). */
  repositoryPublic?: boolean;
}

/** Triggers that run with secrets and a write token on events outsiders cause. */
export const PRIVILEGED_TRIGGERS = new Set(['pull_request_target', 'workflow_run', 'issue_comment']);
/** Triggers whose jobs read outsiders' text with the base repository's token (for GITHUB_ENV writes). */
export const OUTSIDER_TRIGGERS = new Set([
  ...PRIVILEGED_TRIGGERS,
  'issues',
  'discussion',
  'discussion_comment',
  'pull_request_review',
  'pull_request_review_comment',
]);

/** One workflow or composite action being audited. */
export interface AuditContext {
  file: SourceFile;
  lines: LineCounter;
  /** Empty for a composite action (its caller's triggers are unknown). */
  triggers: Set<string>;
  findings: Finding[];
  options: WorkflowScanOptions;
  isRelease: boolean;
  composite: boolean;
}

export const TAINT_SEVERITY: Record<TaintLevel, Severity> = {
  attacker: 'high',
  indirect: 'medium',
  unknown: 'low',
};

export function isPrivileged(context: AuditContext): boolean {
  return [...context.triggers].some((trigger) => PRIVILEGED_TRIGGERS.has(trigger));
}

export function report(
  context: AuditContext,
  ruleId: string,
  at: Node | number | undefined,
  message: string,
  severity?: Severity,
): void {
  const line = typeof at === 'number' ? at : lineOfNode(context.lines, at);
  context.findings.push(makeFinding(ruleId, context.file.path, line, message, severity ? { severity } : {}));
}

/** Why a tainted value is dangerous, for messages. */
export function describeTaint(taint: Taint): string {
  if (taint.level === 'attacker') return `an outsider writes ${taint.origin}`;
  if (taint.level === 'indirect') return `${taint.origin} is not a fixed value`;
  return `${taint.origin} is not known to be safe`;
}
