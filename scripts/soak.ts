// npm run soak: proves deploy-ecs tells the truth. N deploys per scenario (good and crashing releases,
// with and without a load balancer, a container health check and the circuit breaker) through the built
// bundle against a private stand-in, under two CPU burners; prints one markdown table row per scenario.
//   --runs N (30)  --only <regexp on the scenario slug>  --concurrency K (12)  --no-burners
//   --timeout <deploy-ecs timeout input, e.g. 3m; default action.yml's>  --out <file for the table>
//   --logs <folder>: every step's log as <service>.log (false results are printed either way)
// Exits 1 on a false failure, a false success the bake time should have caught, a run that could not be
// judged (its v1 service did not settle) or a container of the soak's stand-in left after it closed.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';

import { LB_GRACE_PERIOD_SECONDS } from './soak/deploy-once.js';
import { formatTable, isFalseResult, seconds, summarize, totals, totalsLine } from './soak/report.js';
import { runSoak } from './soak/run-soak.js';
import { selectScenarios } from './soak/scenarios.js';

function wholeNumber(raw: string, name: string): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) {
    console.error(`::error::--${name} must be a whole number >= 1, got "${raw}"`);
    process.exit(1);
  }
  return value;
}

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '30' },
    only: { type: 'string' },
    // 48 at once drove a 2-core machine to a load average of ~75: node-spawning container health checks then
    // missed their 5 s timeout and good releases failed for the soak's own load, not the burners'.
    concurrency: { type: 'string', default: '12' },
    'no-burners': { type: 'boolean', default: false },
    timeout: { type: 'string', default: '' },
    out: { type: 'string' },
    logs: { type: 'string' },
  },
});
const runs = wholeNumber(values.runs, 'runs');
const concurrency = wholeNumber(values.concurrency, 'concurrency');
const scenarios = selectScenarios(values.only);
if (scenarios.length === 0) {
  console.error(`::error::--only "${values.only}" matches no scenario`);
  process.exit(1);
}

const soak = await runSoak({
  scenarios,
  runsPerScenario: runs,
  concurrency,
  burners: !values['no-burners'],
  deployTimeout: values.timeout,
  onResult: (result, done, total) => {
    if (values.logs) {
      mkdirSync(values.logs, { recursive: true });
      writeFileSync(join(values.logs, `${result.service}.log`), result.log);
    }
    const verdict = result.setupError ? `setup error: ${result.setupError}` : `exit ${result.exitCode}`;
    const flag = isFalseResult(result) ? ` ** ${isFalseResult(result)} **` : '';
    const lag = result.detectionLagMs !== undefined ? `, lag ${seconds(result.detectionLagMs)}` : '';
    console.error(
      `[${done}/${total}] ${result.service}: ${verdict} in ${seconds(result.durationMs)}${lag}${flag}`,
    );
  },
});

const summaries = summarize(scenarios, soak.results, soak.bakeTimeMs);
const total = totals(summaries);
const falseResults = soak.results.filter((result) => isFalseResult(result) !== undefined);
const lines = [
  `deploy-ecs soak: ${soak.results.length} deploys, ${runs} per scenario, concurrency ${concurrency}, ` +
    `${values['no-burners'] ? 'no' : '2'} CPU burners, ${seconds(soak.wallTimeMs)} wall time`,
  `bake-time: ${soak.bakeTime ? `${soak.bakeTime} (action.yml default)` : 'none (action.yml has no bake-time input)'}; ` +
    `timeout: ${values.timeout || 'action.yml default'}`,
  `stand-in speed-ups (explicit knobs): ${JSON.stringify(soak.knobs)}; load-balanced services: ` +
    `healthCheckGracePeriodSeconds ${LB_GRACE_PERIOD_SECONDS}`,
  '',
  formatTable(summaries, soak.bakeTimeMs),
  '',
  totalsLine(total),
];
if (total.setupErrors > 0) lines.push(`setup errors (runs not judged): ${total.setupErrors}`);
lines.push(
  `left behind: ${soak.leftContainers} containers of the soak's stand-in (services deleted, temp folder removed)`,
);
console.log(lines.join('\n'));

for (const result of falseResults) {
  console.log(
    `\n### ${isFalseResult(result)}: ${result.service} (exit ${result.exitCode}, ${seconds(result.durationMs)})`,
  );
  console.log(result.log.trimEnd().split('\n').slice(-40).join('\n'));
}
for (const result of soak.results.filter((each) => each.setupError !== undefined))
  console.log(`\nsetup error: ${result.service}: ${result.setupError}`);

if (values.out) {
  mkdirSync(dirname(values.out), { recursive: true });
  writeFileSync(values.out, `${lines.join('\n')}\n`);
  console.error(`soak: table written to ${values.out}`);
}
const failed =
  total.falseFailures > 0 ||
  total.coveredFalseSuccesses > 0 ||
  total.setupErrors > 0 ||
  soak.leftContainers > 0;
process.exit(failed ? 1 : 0);
