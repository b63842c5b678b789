import type { Finding, SourceFile } from '../findings.js';
import { scanCompositeAction, scanWorkflow } from './workflows/audit.js';
import type { WorkflowScanOptions } from './workflows/context.js';

export type { WorkflowScanOptions } from './workflows/context.js';

export function isWorkflow(path: string): boolean {
  return /(^|\/)\.github\/workflows\/[^/]+\.ya?ml$/.test(path);
}

/** action.yml / action.yaml anywhere: audited when `runs.using` is composite. */
export function isActionMetadata(path: string): boolean {
  return /(^|\/)action\.ya?ml$/.test(path);
}

/**
 * GitHub Actions rules for workflows and composite actions (OWASP CI/CD Top 10: poisoned pipeline execution,
 * dependency chain, access controls, credential hygiene, configuration, artifact integrity).
 */
export function scanWorkflows(files: readonly SourceFile[], options: WorkflowScanOptions = {}): Finding[] {
  return files.flatMap((file) => {
    if (isWorkflow(file.path)) return scanWorkflow(file, options);
    if (isActionMetadata(file.path)) return scanCompositeAction(file, options);
    return [];
  });
}
