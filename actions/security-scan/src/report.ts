import { markdownTable } from '../../../shared/summary.js';
import { CATEGORIES, type Finding, SEVERITIES, type Severity, countBySeverity } from './findings.js';

export interface ReportInput {
  findings: readonly Finding[];
  suppressed: number;
  filesScanned: number;
  scanners: readonly string[];
  failOn: Severity | 'none';
  failed: boolean;
  durationMs: number;
  notes: readonly string[];
  pathPrefix: string;
  /** JS/TS files the code scanner could not parse (so its rules did not read them). */
  unparsable?: readonly { file: string; reason: string }[];
  /** JS/TS files the code scanner did not read on purpose (minified, bundled, too large). */
  codeSkipped?: readonly { file: string; reason: string }[];
  /** How many findings to list in the table. */
  top?: number;
}

const ICON: Record<Severity, string> = { critical: '🟥', high: '🟧', medium: '🟨', low: '⬜' };

/** The job summary: verdict, counts by severity and by category, then the most severe findings. */
export function summaryMarkdown(input: ReportInput): string {
  const counts = countBySeverity(input.findings);
  const verdict = input.failed
    ? `❌ **Failed**: findings at or above \`${input.failOn}\`.`
    : `✅ **Passed** (fail-on: \`${input.failOn}\`).`;
  const lines = [
    '## Security scan',
    '',
    `${verdict} ${input.findings.length} finding(s) in ${input.filesScanned} file(s) (${input.scanners.join(', ')}), ${input.suppressed} suppressed, ${(input.durationMs / 1000).toFixed(1)} s.`,
    '',
    markdownTable(
      SEVERITIES.map((severity) => `${ICON[severity]} ${severity}`),
      [SEVERITIES.map((severity) => String(counts[severity]))],
    ),
    '',
  ];
  const categories = CATEGORIES.filter((category) =>
    input.findings.some((finding) => finding.category === category),
  );
  if (categories.length > 0) {
    const rows = categories.map((category) => {
      const inCategory = countBySeverity(input.findings.filter((finding) => finding.category === category));
      return [category, ...SEVERITIES.map((severity) => String(inCategory[severity]))];
    });
    lines.push(markdownTable(['category', ...SEVERITIES], rows), '');
    const top = input.findings.slice(0, input.top ?? 25);
    lines.push(
      `### Top findings${top.length < input.findings.length ? ` (${top.length} of ${input.findings.length}; all in the SARIF file)` : ''}`,
      '',
      markdownTable(
        ['severity', 'rule', 'location', 'finding', 'fix'],
        top.map((finding) => [
          `${ICON[finding.severity]} ${finding.severity}`,
          `\`${finding.ruleId}\``,
          `\`${input.pathPrefix}${finding.file}:${finding.line}\``,
          finding.message,
          finding.fix,
        ]),
      ),
      '',
    );
  }
  const unparsable = input.unparsable ?? [];
  if (unparsable.length > 0) {
    lines.push(
      `### Files the code scanner could not parse (${unparsable.length})`,
      '',
      ...unparsable.map(({ file, reason }) => `- \`${input.pathPrefix}${file}\`: ${reason}`),
      '',
    );
  }
  lines.push(...skippedSection(input.codeSkipped ?? [], input.pathPrefix));
  for (const note of input.notes) lines.push(`> ${note}`, '');
  return lines.join('\n');
}

/** Files listed per reason, so a reviewer sees what the code rules did not read (and can fix a wrong skip). */
const SKIPPED_LISTED_PER_REASON = 10;

function skippedSection(skipped: readonly { file: string; reason: string }[], pathPrefix: string): string[] {
  if (skipped.length === 0) return [];
  const byReason = new Map<string, string[]>();
  // Grouped without the per-file figures in parentheses ("larger than 512 KiB (700 KiB)").
  for (const { file, reason } of skipped) {
    const group = reason.replace(/ \([^)]*\d[^)]*\)/g, '');
    byReason.set(group, [...(byReason.get(group) ?? []), file]);
  }
  const lines = [`### JS/TS files the code scanner did not read (${skipped.length})`, ''];
  for (const [reason, files] of byReason) {
    const listed = files.slice(0, SKIPPED_LISTED_PER_REASON).map((file) => `\`${pathPrefix}${file}\``);
    const more = files.length > listed.length ? ` and ${files.length - listed.length} more` : '';
    lines.push(`- ${reason} (${files.length}): ${listed.join(', ')}${more}`);
  }
  lines.push('');
  return lines;
}
