import { createHash } from 'node:crypto';

import type { CodeFlow, Log, Notification, ReportingDescriptor, Result } from 'sarif';

import type { Finding, Severity } from './findings.js';
import { ruleById } from './rules.js';
import { codeRuleTags } from './scanners/code/rules.js';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
};
// GitHub code scanning maps security-severity >= 9 to critical, >= 7 high, >= 4 medium, else low.
const SECURITY_SEVERITY: Record<Severity, string> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '2.0',
};

export interface SarifOptions {
  toolVersion: string;
  /** Prefix from the repository root to the scanned root ('' when the whole repository was scanned). */
  pathPrefix: string;
  /** Source files the code scanner could not parse: reported as tool notifications, not results. */
  unparsable?: readonly { file: string; reason: string }[];
}

/** The taint path of a finding as a SARIF code flow (shown step by step in code scanning). */
function codeFlows(finding: Finding, pathPrefix: string): CodeFlow[] | undefined {
  if (!finding.flow || finding.flow.length === 0) return undefined;
  const locations = finding.flow.map((step, index) => ({
    location: {
      physicalLocation: {
        artifactLocation: { uri: `${pathPrefix}${step.file}`, uriBaseId: '%SRCROOT%' },
        region: { startLine: step.line, ...(step.column ? { startColumn: step.column } : {}) },
      },
      message: { text: step.message },
    },
    kinds: [index === 0 ? 'source' : index === finding.flow!.length - 1 ? 'sink' : 'pass-through'],
  }));
  return [{ threadFlows: [{ locations }] }];
}

function unparsableNotifications(options: SarifOptions): Notification[] {
  return (options.unparsable ?? []).map(({ file, reason }) => ({
    level: 'warning',
    descriptor: { id: 'code-unparsable-file' },
    message: {
      text: `${options.pathPrefix}${file} could not be parsed as JavaScript/TypeScript, so the code rules did not read it: ${reason}`,
    },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: `${options.pathPrefix}${file}`, uriBaseId: '%SRCROOT%' },
        },
      },
    ],
  }));
}

/**
 * A SARIF 2.1.0 log that github/codeql-action/upload-sarif accepts: one run, rules, results with locations,
 * code flows for taint findings, and a notification per file the code scanner could not parse.
 */
export function toSarif(findings: readonly Finding[], options: SarifOptions): Log & Record<string, unknown> {
  const ruleIds = [...new Set(findings.map((finding) => finding.ruleId))].sort();
  const rules = ruleIds.map((id): ReportingDescriptor => {
    const rule = ruleById(id);
    const severity = findings.find((finding) => finding.ruleId === id)?.severity ?? rule.severity;
    return {
      id,
      name: id.replace(/(^|-)([a-z])/g, (_match, _dash: string, letter: string) => letter.toUpperCase()),
      shortDescription: { text: rule.title },
      fullDescription: { text: `${rule.title}. ${rule.fix}` },
      help: { text: rule.fix, markdown: `**Fix:** ${rule.fix}` },
      defaultConfiguration: { level: LEVEL[rule.severity] },
      properties: {
        tags: ['security', rule.category, ...codeRuleTags(id)],
        'security-severity': SECURITY_SEVERITY[severity],
        precision: 'high',
      },
    };
  });
  const results = findings.map((finding): Result => {
    const uri = `${options.pathPrefix}${finding.file}`;
    const flows = codeFlows(finding, options.pathPrefix);
    return {
      ruleId: finding.ruleId,
      ruleIndex: ruleIds.indexOf(finding.ruleId),
      level: LEVEL[finding.severity],
      message: { text: `${finding.message} Fix: ${finding.fix}` },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri, uriBaseId: '%SRCROOT%' },
            region: { startLine: finding.line, ...(finding.column ? { startColumn: finding.column } : {}) },
          },
          // A finding from history is at this path and line in that commit (perhaps not in the tree any more).
          ...(finding.commit
            ? { message: { text: `In commit ${finding.commit}` }, properties: { commit: finding.commit } }
            : {}),
        },
      ],
      ...(flows ? { codeFlows: flows } : {}),
      partialFingerprints: {
        // Stable across unrelated edits: rule, file and message, not the line number.
        'shipkitFindingHash/v1': createHash('sha256')
          .update(`${finding.ruleId}\0${uri}\0${finding.message}`)
          .digest('hex')
          .slice(0, 32),
      },
      properties: {
        severity: finding.severity,
        category: finding.category,
        ...(finding.commit ? { commit: finding.commit } : {}),
      },
    };
  });
  const notifications = unparsableNotifications(options);
  const log: Log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'shipkit-security-scan',
            informationUri: 'https://github.com/shipkit/shipkit/tree/main/actions/security-scan',
            semanticVersion: options.toolVersion,
            version: options.toolVersion,
            rules,
          },
        },
        results,
        ...(notifications.length > 0
          ? { invocations: [{ executionSuccessful: true, toolExecutionNotifications: notifications }] }
          : {}),
      },
    ],
  };
  return { ...log };
}
