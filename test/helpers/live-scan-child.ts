// The live scanner in a child Node process that trusts a test CA: jest runs tests in a VM realm whose global
// dispatcher is not the one Node's fetch reads, and NODE_EXTRA_CA_CERTS is read only when a process starts.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';

import type { LiveScanResult } from '../../actions/security-scan/src/scanners/live/index.js';
import { REPO_ROOT } from './run-action.js';

export async function scanLiveTrusting(urls: string[], caFile: string): Promise<LiveScanResult> {
  const env: Record<string, string | undefined> = { ...process.env };
  // Straight to the test's own servers: no proxy of the environment in between.
  for (const name of ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy']) delete env[name];
  const child = spawn(
    process.execPath,
    [
      '--import',
      join(REPO_ROOT, 'scripts', 'ts-register.mjs'),
      join(REPO_ROOT, 'test', 'fixtures', 'live-scan', 'scan.ts'),
    ],
    {
      cwd: REPO_ROOT,
      env: { ...env, NODE_EXTRA_CA_CERTS: caFile, LIVE_URLS: urls.join('\n') },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`live scan child exited ${code}: ${stderr}`);
  return JSON.parse(stdout.trim().split('\n').pop()!) as LiveScanResult;
}
