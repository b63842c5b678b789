import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

import { sleep } from '../../shared/retry.js';
import { REPO_ROOT, runAction } from '../helpers/run-action.js';

/**
 * A rolling deploy of the real sample app behind a round-robin load balancer: the old task alone, then
 * old and new side by side, then the new one alone. The wait-healthy bundle must pass only once the new
 * version answers every time, although the new version answers every other request well before that.
 */

interface Task {
  version: string;
  port: number;
  process: ChildProcess;
}

const tasks: Task[] = [];

async function startTask(version: string): Promise<Task> {
  const child = spawn(
    process.execPath,
    ['--import', './scripts/ts-register.mjs', join('sample-app', 'src', 'server.ts')],
    {
      cwd: REPO_ROOT,
      env: {
        PATH: process.env['PATH'] ?? '',
        HOST: '127.0.0.1',
        PORT: '0',
        APP_VERSION: version,
        DATABASE_PATH: ':memory:',
        SESSION_SECRET: 'rollout-test-session-secret-0123456789abcdef',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`sample app ${version} did not start: ${output}`)),
      20_000,
    );
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('exit', () => reject(new Error(`sample app ${version} exited: ${output}`)));
  });
  const task = { version, port, process: child };
  tasks.push(task);
  return task;
}

async function stopTask(task: Task): Promise<void> {
  if (task.process.exitCode !== null || task.process.signalCode !== null) return;
  const exited = new Promise((resolve) => task.process.once('exit', resolve));
  task.process.kill('SIGTERM');
  await exited;
}

afterAll(async () => {
  await Promise.all(tasks.map(stopTask));
});

describe('wait-healthy during a rolling deploy of the sample app', () => {
  it('waits until only the new version answers', async () => {
    const oldTask = await startTask('v1');
    let targets: Task[] = [oldTask];
    let next = 0;
    const served: { version: string; at: number }[] = [];
    const balancer = http.createServer((request, response) => {
      if (targets.length === 0) return void response.writeHead(503).end();
      const target = targets[next++ % targets.length]!;
      served.push({ version: target.version, at: Date.now() });
      const upstream = http.request(
        {
          host: '127.0.0.1',
          port: target.port,
          path: request.url,
          method: request.method,
          headers: request.headers,
        },
        (answer) => {
          response.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(response);
        },
      );
      upstream.on('error', () => response.writeHead(502).end());
      request.pipe(upstream);
    });
    await new Promise<void>((resolve) => balancer.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(balancer.address() as AddressInfo).port}/api/health-check`;

    try {
      const run = runAction('wait-healthy', {
        inputs: { urls: url, 'json-path': 'ver', 'expect-value': 'v2', timeout: '60s' },
      });
      const newTask = await startTask('v2');
      targets = [oldTask, newTask];
      await sleep(2000);
      const newOnlySince = Date.now();
      targets = [newTask];
      await stopTask(oldTask);
      const result = await run;
      rmSync(result.workDir, { recursive: true, force: true });

      expect(result.exitCode).toBe(0);
      expect(result.outputs).toMatchObject({ healthy: 'true', version: 'v2', 'last-status': '200' });
      // The new version answered during the mixed phase, but never twice in a row: not enough.
      expect(served.some((entry) => entry.version === 'v2' && entry.at < newOnlySince)).toBe(true);
      // The streak that passed: the last two answers, both new, the last one after the old task left.
      expect(served.slice(-2).map((entry) => entry.version)).toEqual(['v2', 'v2']);
      expect(served.at(-1)!.at).toBeGreaterThanOrEqual(newOnlySince);
      expect(result.log).toContain('ver is "v1", expected "v2"');
    } finally {
      balancer.closeAllConnections();
      balancer.close();
    }
  });
});
