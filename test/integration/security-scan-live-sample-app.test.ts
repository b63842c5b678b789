// The live scanner against the real sample app (the built bundle its image runs, as a process on loopback), over
// HTTP and over HTTPS with a certificate this test makes, and security-scan's bundle run as pipeline.yml's verify
// job runs it: the app the pipeline ships must come out clean.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { scanLive } from '../../actions/security-scan/src/scanners/live/index.js';
import { scanLiveTrusting } from '../helpers/live-scan-child.js';
import { runAction } from '../helpers/run-action.js';
import { freePort } from '../helpers/sample-app-process.js';
import { makeTestCa, type TestCertificate } from '../helpers/test-certificates.js';
import { ADMIN_PASSWORD_HASH, SESSION_SECRET } from '../unit/sample-app/app-client.js';

const REPO = resolve(import.meta.dirname, '..', '..');
let workDir: string;
let buildDir: string;
const children: ChildProcess[] = [];

beforeAll(() => {
  workDir = mkdtempSync(join(tmpdir(), 'shipkit-live-sample-app-'));
  buildDir = join(workDir, 'app');
  execFileSync(process.execPath, ['--no-warnings', join(REPO, 'sample-app', 'build.mjs'), buildDir]);
}, 120_000);

afterAll(async () => {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  }
  rmSync(workDir, { recursive: true, force: true });
});

/** Starts the built app; resolves with its URL once it says where it listens (rejects if it exits first). */
async function startApp(env: Record<string, string>): Promise<string> {
  const port = await freePort();
  const child = spawn(process.execPath, ['server.js'], {
    cwd: buildDir,
    env: {
      PATH: process.env['PATH'] ?? '',
      HOST: '127.0.0.1',
      PORT: String(port),
      DATABASE_PATH: ':memory:',
      ADMIN_PASSWORD_HASH,
      SESSION_SECRET,
      APP_VERSION: 'live-scan-test',
      ...env,
    },
  });
  children.push(child);
  let output = '';
  return new Promise((ready, fail) => {
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const listening = /listening on (https?:\/\/\S+)/.exec(output);
      if (listening) ready(`${listening[1]!.replace(/\/$/, '')}/`);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => fail(new Error(`sample-app exited ${code}: ${output}`)));
  });
}

describe('the live scanner on sample-app', () => {
  it('finds nothing over HTTP', async () => {
    const url = await startApp({});
    const result = await scanLive([url], { timeoutMs: 10_000, certificateExpiryDays: 30 });
    expect(result.unreachable).toEqual([]);
    expect(result.findings.map((finding) => `${finding.ruleId}: ${finding.message}`)).toEqual([]);
    // It did look: the page, .git/HEAD, .env, the CORS probe at least.
    expect(result.requests).toBeGreaterThanOrEqual(4);
  }, 60_000);

  describe('over HTTPS', () => {
    let ca: { ca: string; leaf: (name: string, days: number, altNames: string) => TestCertificate };
    let url: string;
    beforeAll(async () => {
      ca = makeTestCa(workDir);
      const leaf = ca.leaf('sample-app', 400, 'IP:127.0.0.1');
      url = await startApp({ TLS_CERT_PATH: leaf.certPath, TLS_KEY_PATH: leaf.keyPath });
    }, 60_000);

    it('finds nothing: HSTS, Secure cookies, TLS 1.2+ only, a trusted certificate naming the host', async () => {
      expect(url).toMatch(/^https:\/\/127\.0\.0\.1:/);
      const result = await scanLiveTrusting([url], join(workDir, 'ca.crt'));
      expect(result.unreachable).toEqual([]);
      expect(result.findings.map((finding) => `${finding.ruleId}: ${finding.message}`)).toEqual([]);
    }, 60_000);

    it('passes the action as the verify job runs it (scanners: live, fail-on: low), with 0 findings', async () => {
      const workspace = join(workDir, 'workspace');
      mkdirSync(workspace, { recursive: true });
      const run = await runAction('security-scan', {
        cwd: workspace,
        inputs: { scanners: 'live', urls: url, 'fail-on': 'low' },
        env: { NODE_EXTRA_CA_CERTS: join(workDir, 'ca.crt') },
        timeoutMs: 60_000,
      });
      expect(run.errors).toEqual([]);
      expect(run.exitCode).toBe(0);
      expect(run.outputs).toMatchObject({ total: '0', failed: 'false' });
    }, 90_000);
  });
});
