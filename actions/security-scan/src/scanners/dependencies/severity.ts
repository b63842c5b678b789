import cvssCalculator from 'ae-cvss-calculator';

import type { Severity } from '../../findings.js';

const { Cvss2, Cvss3P0, Cvss3P1, Cvss4P0 } = cvssCalculator;

/** An OSV `severity[]` entry. */
export interface OsvSeverity {
  type?: string;
  score?: string;
}

/** CVSS base score of a vector (v2, v3.0, v3.1 or v4.0), undefined when it is not a valid vector. */
export function cvssBaseScore(vector: string): number | undefined {
  try {
    if (vector.startsWith('CVSS:4.0/')) return new Cvss4P0(vector).calculateScores().base;
    if (vector.startsWith('CVSS:3.1/')) return new Cvss3P1(vector).calculateScores().base;
    if (vector.startsWith('CVSS:3.0/')) return new Cvss3P0(vector).calculateScores().base;
    if (/^(\(?AV:)/.test(vector)) return new Cvss2(vector.replace(/^\(|\)$/g, '')).calculateScores().base;
  } catch {
    return undefined;
  }
  return undefined;
}

/** FIRST's qualitative rating (CVSS v3.1 spec, table 14); "None" (0.0) reported as low. */
export function severityOfScore(score: number): Severity {
  if (score >= 9) return 'critical';
  if (score >= 7) return 'high';
  if (score >= 4) return 'medium';
  return 'low';
}

const NAMED: Record<string, Severity> = {
  critical: 'critical',
  high: 'high',
  important: 'high',
  moderate: 'medium',
  medium: 'medium',
  low: 'low',
  negligible: 'low',
  unimportant: 'low',
};

/**
 * The severity of a vulnerability: the highest CVSS base score among its vectors (the newest CVSS version
 * present wins), else a rating the database gave in words (GitHub's `database_specific.severity`, a
 * distribution's urgency), else undefined.
 */
export function vulnerabilitySeverity(
  severities: readonly OsvSeverity[] | undefined,
  ratedInWords: readonly unknown[],
): { severity: Severity; score?: number } | undefined {
  for (const type of ['CVSS_V4', 'CVSS_V3', 'CVSS_V2']) {
    const scores = (severities ?? [])
      .filter((entry) => entry.type === type && entry.score)
      .map((entry) => cvssBaseScore(entry.score!))
      .filter((score): score is number => score !== undefined);
    if (scores.length > 0) {
      const score = Math.max(...scores);
      return { severity: severityOfScore(score), score };
    }
  }
  for (const word of ratedInWords) {
    if (typeof word === 'string' && NAMED[word.toLowerCase()])
      return { severity: NAMED[word.toLowerCase()]! };
  }
  return undefined;
}
