// deploy-ecs soak, small: 3 deploys each of a good release and releases crashing at once / after 2 s, with
// and without a load balancer (breaker on, no container health check), under two CPU burners. The full
// matrix is `npm run soak`.
import { median, type BenchRow } from './bench-row.js';
import { seconds, summarize, totals } from '../scripts/soak/report.js';
import { runSoak } from '../scripts/soak/run-soak.js';
import { selectScenarios } from '../scripts/soak/scenarios.js';

const RUNS = 3;
const SCENARIOS = '^(good|crash0|crash2s)-(lb|nolb)-nohc-cb$';

export default async function bench(): Promise<BenchRow[]> {
  const scenarios = selectScenarios(SCENARIOS);
  const soak = await runSoak({
    scenarios,
    runsPerScenario: RUNS,
    concurrency: scenarios.length * RUNS,
    burners: true,
    deployTimeout: '',
    log: () => undefined,
  });
  const summaries = summarize(scenarios, soak.results, soak.bakeTimeMs);
  const total = totals(summaries);
  const bake = soak.bakeTime ? `bake-time ${soak.bakeTime}` : 'no bake-time input';
  const rows: BenchRow[] = summaries.map((row) => ({
    area: 'deploy-ecs soak',
    metric: `${row.scenario.slug}: false successes / false failures (${row.runs} runs)`,
    value:
      `${row.falseSuccesses} / ${row.falseFailures}` +
      (row.lagsMs.length > 0
        ? `, lag ${seconds(median(row.lagsMs))} (max ${seconds(Math.max(...row.lagsMs))})`
        : '') +
      (row.deployTimesMs.length > 0 ? `, deploy ${seconds(median(row.deployTimesMs))}` : ''),
    target: `0 / 0; ${bake}`,
  }));
  rows.push({
    area: 'deploy-ecs soak',
    metric: `total: ${soak.results.length} deploys, 2 CPU burners, ${seconds(soak.wallTimeMs)}`,
    value: `${total.falseSuccesses} false successes, ${total.falseFailures} false failures`,
    target: `0 / 0 (full matrix: npm run soak)${total.setupErrors > 0 ? `; ${total.setupErrors} setup errors` : ''}`,
  });
  return rows;
}
