// Runs every bench/<area>.bench.ts (or only the areas named on the command line) and prints one table.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

import type { Bench, BenchRow } from './bench-row.js';

const only = process.argv.slice(2);
const files = readdirSync(import.meta.dirname)
  .filter((file) => file.endsWith('.bench.ts'))
  .filter((file) => only.length === 0 || only.includes(file.replace('.bench.ts', '')))
  .sort();

const rows: BenchRow[] = [];
let failed = 0;
for (const file of files) {
  console.error(`bench: running ${file}...`);
  try {
    const module = (await import(pathToFileURL(join(import.meta.dirname, file)).href)) as { default: Bench };
    rows.push(...(await module.default()));
  } catch (error: unknown) {
    failed++;
    rows.push({ area: file.replace('.bench.ts', ''), metric: 'FAILED', value: String(error).slice(0, 120) });
  }
}

const header: BenchRow = { area: 'area', metric: 'metric', value: 'value', target: 'target / comparison' };
const widths = (['area', 'metric', 'value', 'target'] as const).map((key) =>
  Math.max(...[header, ...rows].map((row) => (row[key] ?? '').length)),
);
const line = (row: BenchRow): string =>
  `| ${[row.area, row.metric, row.value, row.target ?? ''].map((cell, index) => cell.padEnd(widths[index]!)).join(' | ')} |`;
console.log(line(header));
console.log(`|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`);
for (const row of rows) console.log(line(row));
process.exit(failed > 0 ? 1 : 0);
