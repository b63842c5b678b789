// The soak's verdicts per scenario and the markdown table the soak prints.
import { median } from '../../bench/bench-row.js';
import type { DeployResult } from './deploy-once.js';
import { bakeCovers, type Scenario } from './scenarios.js';

export interface ScenarioSummary {
  scenario: Scenario;
  runs: number;
  falseSuccesses: number;
  /** False successes although the bake time covered the crash: the ones that fail the soak. */
  coveredFalseSuccesses: number;
  falseFailures: number;
  /** Runs that could not be judged (the v1 service did not settle, tasks unreadable). */
  setupErrors: number;
  lagsMs: number[];
  deployTimesMs: number[];
}

export interface SoakTotals {
  falseSuccesses: number;
  coveredFalseSuccesses: number;
  falseFailures: number;
  setupErrors: number;
}

/** A crashing release the step called deployed, or a good release it called failed. */
export function isFalseResult(result: DeployResult): 'false-success' | 'false-failure' | undefined {
  if (result.setupError !== undefined && result.exitCode === null) return undefined;
  const crashing = result.scenario.crashAfterMs !== undefined;
  if (crashing && result.exitCode === 0) return 'false-success';
  if (!crashing && result.exitCode !== 0) return 'false-failure';
  return undefined;
}

export function summarize(
  scenarios: readonly Scenario[],
  results: readonly DeployResult[],
  bakeTimeMs: number | undefined,
): ScenarioSummary[] {
  return scenarios.map((scenario) => {
    const mine = results.filter((result) => result.scenario.slug === scenario.slug);
    const falseSuccesses = mine.filter((result) => isFalseResult(result) === 'false-success').length;
    return {
      scenario,
      runs: mine.length,
      falseSuccesses,
      coveredFalseSuccesses: bakeCovers(scenario, bakeTimeMs) ? falseSuccesses : 0,
      falseFailures: mine.filter((result) => isFalseResult(result) === 'false-failure').length,
      setupErrors: mine.filter((result) => result.setupError !== undefined).length,
      lagsMs: mine.flatMap((result) => (result.detectionLagMs !== undefined ? [result.detectionLagMs] : [])),
      deployTimesMs: mine.flatMap((result) => (result.durationMs > 0 ? [result.durationMs] : [])),
    };
  });
}

export function totals(summaries: readonly ScenarioSummary[]): SoakTotals {
  const sum = (key: keyof SoakTotals): number => summaries.reduce((total, row) => total + row[key], 0);
  return {
    falseSuccesses: sum('falseSuccesses'),
    coveredFalseSuccesses: sum('coveredFalseSuccesses'),
    falseFailures: sum('falseFailures'),
    setupErrors: sum('setupErrors'),
  };
}

export function seconds(ms: number | undefined): string {
  return ms === undefined ? '-' : `${(ms / 1000).toFixed(1)} s`;
}

export function formatTable(summaries: readonly ScenarioSummary[], bakeTimeMs: number | undefined): string {
  const header = [
    'scenario',
    'crash',
    'LB',
    'HC',
    'breaker',
    'bake covers',
    'runs',
    'false successes',
    'false failures',
    'setup errors',
    'lag median',
    'lag max',
    'deploy median',
  ];
  const rows = summaries.map((row) => [
    row.scenario.slug,
    row.scenario.crashAfterMs === undefined ? 'none' : `${row.scenario.crashAfterMs / 1000} s`,
    row.scenario.loadBalancer ? 'yes' : 'no',
    row.scenario.healthCheck ? 'yes' : 'no',
    row.scenario.circuitBreaker ? 'on' : 'off',
    row.scenario.crashAfterMs === undefined ? '-' : bakeCovers(row.scenario, bakeTimeMs) ? 'yes' : 'no',
    String(row.runs),
    String(row.falseSuccesses),
    String(row.falseFailures),
    String(row.setupErrors),
    row.lagsMs.length > 0 ? seconds(median(row.lagsMs)) : '-',
    row.lagsMs.length > 0 ? seconds(Math.max(...row.lagsMs)) : '-',
    row.deployTimesMs.length > 0 ? seconds(median(row.deployTimesMs)) : '-',
  ]);
  const widths = header.map((cell, index) => Math.max(cell.length, ...rows.map((row) => row[index]!.length)));
  const line = (cells: string[]): string =>
    `| ${cells.map((cell, index) => cell.padEnd(widths[index]!)).join(' | ')} |`;
  return [
    line(header),
    `|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`,
    ...rows.map(line),
  ].join('\n');
}

export function totalsLine(total: SoakTotals): string {
  return (
    `false successes: ${total.falseSuccesses} (${total.coveredFalseSuccesses} where bake-time covers the crash time), ` +
    `false failures: ${total.falseFailures}`
  );
}
