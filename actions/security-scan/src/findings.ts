/** What every scanner returns and everything downstream (suppression, SARIF, summary, threshold) consumes. */

export const SEVERITIES = ['critical', 'high', 'medium', 'low'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const CATEGORIES = ['secrets', 'dockerfile', 'workflows', 'dependencies', 'code', 'live'] as const;
export type Category = (typeof CATEGORIES)[number];

export interface Finding {
  ruleId: string;
  severity: Severity;
  category: Category;
  /** Path relative to the scanned root, with forward slashes. */
  file: string;
  /** 1-based. */
  line: number;
  column?: number;
  message: string;
  fix: string;
  /** Other names this finding answers to in `ignore` (e.g. a GHSA id for a dependency advisory). */
  aliases?: string[];
  /** How attacker-controlled data reaches the finding, source first, sink last (SARIF codeFlows). */
  flow?: FlowStep[];
  /** Set when found in history: the commit that added the line (`file` and `line` are as of that commit). */
  commit?: string;
}

/** One step of a finding's data flow. */
export interface FlowStep {
  file: string;
  line: number;
  column?: number;
  message: string;
}

/** One file handed to a scanner: its path relative to the scanned root and its text. */
export interface SourceFile {
  path: string;
  text: string;
}

const RANK: Record<Severity, number> = { critical: 4, high: 3, medium: 2, low: 1 };

export function severityRank(severity: Severity): number {
  return RANK[severity];
}

/** True when a finding of `severity` should fail a step whose `fail-on` is `threshold`. */
export function meetsThreshold(severity: Severity, threshold: Severity | 'none'): boolean {
  return threshold !== 'none' && RANK[severity] >= RANK[threshold];
}

/** Most severe first, then by file and line, so reports read top-down. */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      RANK[b.severity] - RANK[a.severity] ||
      a.file.localeCompare(b.file) ||
      a.line - b.line ||
      a.ruleId.localeCompare(b.ruleId),
  );
}

/** A found secret as it may appear in a log: the first 4 characters, then `***`. */
export function maskSecret(secret: string): string {
  return `${secret.slice(0, 4)}***`;
}

/** 1-based line number of a character offset in `text`. */
export function lineOf(text: string, offset: number): number {
  let line = 1;
  for (
    let index = text.indexOf('\n');
    index !== -1 && index < offset;
    index = text.indexOf('\n', index + 1)
  ) {
    line++;
  }
  return line;
}

export function countBySeverity(findings: readonly Finding[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { critical: 0, high: 0, medium: 0, low: 0 };
  for (const finding of findings) counts[finding.severity]++;
  return counts;
}
