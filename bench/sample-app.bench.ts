import autocannon from 'autocannon';

import { createPool, migratePostgres } from '../sample-app/src/db-postgres.js';
import { createTestDatabase } from '../test/integration/sample-app-postgres.js';
import { startSampleAppService } from '../test/integration/sample-app-service.js';
import { requireStack } from '../test/helpers/stack.js';
import type { BenchRow } from './bench-row.js';

/**
 * The sample app under load: one task (the real image, on PostgreSQL) on the stand-in, hit directly and
 * through its front door with autocannon (50 connections, 20 s each, loopback only, in a worker thread so
 * the load generator does not share the front door's event loop). `/` shows 20 posts. Targets on the
 * 2-core machine: 0 non-2xx, no task replaced, p99 <= 100 ms direct, the door adds <= 30% to p99.
 * The door runs on this process's main thread (the load generator does not), so that thread's CPU time
 * per request, less what it spent during the direct run (the stand-in's own work), is the door's cost:
 * a figure that stays meaningful when other work on the machine spoils wall-clock percentiles.
 */

const CONNECTIONS = 50;
const DURATION_S = Number(process.env['SAMPLE_APP_BENCH_SECONDS'] ?? 20);
const POSTS_SHOWN = 20;

interface Load {
  requests: number;
  /** CPU time of this thread (the stand-in and its front door) during the run, in microseconds. */
  threadCpuMicros: number;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
}

async function load(url: string): Promise<Load> {
  const before = process.threadCpuUsage();
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: DURATION_S,
    workers: 1,
  });
  const cpu = process.threadCpuUsage(before);
  return {
    requests: result.requests.total,
    threadCpuMicros: cpu.user + cpu.system,
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}

export default async function bench(): Promise<BenchRow[]> {
  const database = await createTestDatabase('shipkit_bench');
  const rows: BenchRow[] = [];
  try {
    const pool = createPool(database.url);
    try {
      await migratePostgres(pool);
      for (let n = 1; n <= POSTS_SHOWN; n++) {
        await pool.query('INSERT INTO entries (title, text) VALUES ($1, $2)', [
          `post ${n}`,
          'A few lines of text, as a post has. '.repeat(4),
        ]);
      }
    } finally {
      await pool.end();
    }
    const app = await startSampleAppService(requireStack(), { databaseUrl: database.url, desiredCount: 1 });
    try {
      const [port] = await app.taskPorts();
      const door = await app.frontDoor();
      const tasksBefore = await app.tasks();
      const results: Record<string, Load> = {};
      for (const path of ['/api/health-check', '/']) {
        results[`direct ${path}`] = await load(`http://127.0.0.1:${port}${path}`);
        results[`front door ${path}`] = await load(`${door}${path}`);
      }
      const replaced =
        (await app.tasks('STOPPED')).length > 0 || (await app.tasks()).join() !== tasksBefore.join();
      for (const [name, result] of Object.entries(results)) {
        const path = name.replace(/^(direct|front door) /, '');
        const direct = results[`direct ${path}`]!;
        const target = name.startsWith('direct')
          ? 'target p99 <= 100 ms, 0 non-2xx'
          : `target p99 <= ${(direct.p99 * 1.3).toFixed(0)} ms (direct +30%), 0 non-2xx`;
        rows.push({
          area: 'sample-app',
          metric: `${name} (${CONNECTIONS} conn, ${DURATION_S} s)`,
          value: `${Math.round(result.requestsPerSecond)} req/s, p50 ${result.p50} ms, p99 ${result.p99} ms, non-2xx ${result.non2xx}, errors ${result.errors}`,
          target,
        });
      }
      for (const path of ['/api/health-check', '/']) {
        const direct = results[`direct ${path}`]!;
        const door = results[`front door ${path}`]!;
        rows.push({
          area: 'sample-app',
          metric: `front door CPU per proxied request, ${path} (its thread, less the direct run's)`,
          value: `${((door.threadCpuMicros - direct.threadCpuMicros) / door.requests).toFixed(0)} us`,
          target: 'lower is better (see sample-app/README.md, Under load)',
        });
      }
      rows.push({
        area: 'sample-app',
        metric: 'task replaced during the load',
        value: replaced ? 'yes' : 'no',
        target: 'target no',
      });
    } finally {
      await app.close();
    }
  } finally {
    await database.drop();
  }
  return rows;
}
