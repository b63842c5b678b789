// security-scan throughput: the shipped bundle, as the runner runs it, over a generated tree of ~2,000
// files (JS/TS sources, Dockerfiles, workflows, docs, a lockfile), all scanners on, advisories from a
// local stub registry. Reports files/second (median of 3, including Node start-up) and peak RSS.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { type BenchRow, median } from './bench-row.js';

const ROOT = resolve(import.meta.dirname, '..');
const BUNDLE = join(ROOT, 'actions', 'security-scan', 'dist', 'index.js');
const FILES = 2000;

function source(index: number): string {
  const lines = [
    `import { readFile } from 'node:fs/promises';`,
    `export async function handler${index}(request: { id: string }) {`,
  ];
  for (let line = 0; line < 60; line++) {
    lines.push(`  const value${line} = await readFile(\`/data/\${request.id}/${line}.json\`, 'utf8');`);
    if (line % 20 === 0) lines.push(`  await db.query('SELECT * FROM t WHERE id = $1', [request.id]);`);
  }
  lines.push('  return value0;', '}');
  return lines.join('\n');
}

const DOCKERFILE =
  'FROM node:24-slim\nWORKDIR /app\nCOPY . .\nRUN npm ci --omit=dev\nUSER node\nHEALTHCHECK CMD node hc.js\nCMD ["node", "server.js"]\n';
const WORKFLOW =
  'on: push\npermissions:\n  contents: read\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: npm ci && npm test\n';

function generateTree(): string {
  const root = mkdtempSync(join(tmpdir(), 'shipkit-scan-bench-'));
  const write = (path: string, text: string): void => {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  };
  const packages: Record<string, { version: string }> = {};
  for (let index = 0; index < 400; index++)
    packages[`node_modules/pkg-${index}`] = { version: `1.${index % 10}.0` };
  write(
    'package-lock.json',
    JSON.stringify({ name: 'bench', lockfileVersion: 3, packages: { '': {}, ...packages } }, null, 2),
  );
  for (let index = 1; index < FILES; index++) {
    const group = `service-${Math.floor(index / 40)}`;
    if (index % 40 === 1) write(`${group}/Dockerfile`, DOCKERFILE);
    else if (index % 20 === 2) write(`.github/workflows/w-${index}.yml`, WORKFLOW);
    else if (index % 4 === 3)
      write(
        `${group}/docs/page-${index}.md`,
        `# Page ${index}\n\n${'Some prose about the service. '.repeat(80)}\n`,
      );
    else write(`${group}/src/module-${index}.${index % 2 ? 'ts' : 'js'}`, source(index));
  }
  return root;
}

export default async function bench(): Promise<BenchRow[]> {
  const registry = createServer((request, response) => {
    request.resume();
    request.on('end', () => response.writeHead(200, { 'content-type': 'application/json' }).end('{}'));
  });
  await new Promise<void>((done) => registry.listen(0, '127.0.0.1', done));
  const registryUrl = `http://127.0.0.1:${(registry.address() as AddressInfo).port}`;
  const tree = generateTree();
  const rssFile = join(tree, '..', `${tree.split('/').pop()!}.rss`);
  // Preloaded into the bundle's process: records its own peak RSS when it exits.
  const recorder =
    `data:text/javascript,process.on('exit',()=>require('node:fs').writeFileSync(${JSON.stringify(rssFile)},String(process.resourceUsage().maxRSS)))`.replace(
      "require('node:fs')",
      'process.getBuiltinModule("node:fs")',
    );
  const durations: number[] = [];
  const rss: number[] = [];
  let scanned = 0;
  try {
    for (let round = 0; round < 3; round++) {
      const summary = join(tree, '..', `${tree.split('/').pop()!}-summary.md`);
      writeFileSync(summary, '');
      const started = performance.now();
      // Async: the stub registry lives in this process and must keep answering while the scan runs.
      const child = spawn(process.execPath, ['--import', recorder, BUNDLE], {
        cwd: tree,
        stdio: ['ignore', 'pipe', 'inherit'],
        env: {
          PATH: process.env['PATH'],
          GITHUB_WORKSPACE: tree,
          GITHUB_STEP_SUMMARY: summary,
          RUNNER_TEMP: tmpdir(),
          'INPUT_FAIL-ON': 'none',
          INPUT_REGISTRY: registryUrl,
          INPUT_ANNOTATIONS: 'false',
        },
      });
      let stdout = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      const status = await new Promise<number | null>((done) => child.on('close', done));
      durations.push(performance.now() - started);
      if (status !== 0) throw new Error(`scan failed: ${stdout.slice(-400)}`);
      scanned = Number(/(\d+) file\(s\) from/.exec(stdout)?.[1] ?? 0);
      rss.push(Number(readFileSync(rssFile, 'utf8')) / 1024);
      rmSync(summary, { force: true });
    }
  } finally {
    await new Promise((done) => registry.close(done));
    rmSync(tree, { recursive: true, force: true });
    rmSync(rssFile, { force: true });
  }
  const seconds = median(durations) / 1000;
  return [
    {
      area: 'security-scan',
      metric: `throughput, ${scanned} files, all scanners (median of 3, incl. start-up)`,
      value: `${Math.round(scanned / seconds)} files/s (${seconds.toFixed(2)} s)`,
      target: 'target >= 800 files/s',
    },
    {
      area: 'security-scan',
      metric: `peak RSS scanning ${scanned} files`,
      value: `${Math.round(Math.max(...rss))} MB`,
      target: 'target <= 200 MB',
    },
  ];
}
