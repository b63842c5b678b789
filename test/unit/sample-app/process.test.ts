// The built app (sample-app/build.mjs output, what the image runs) as a real process: entry point, signals,
// exit codes, the hash-password CLI, the healthcheck probe, and HTTPS.
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { verifyPassword } from '../../../sample-app/src/auth.js';
import { freePort } from '../../helpers/sample-app-process.js';
import { ADMIN_PASSWORD_HASH, SESSION_SECRET } from './app-client.js';

const NODE = process.execPath;
const REPO = resolve(import.meta.dirname, '..', '..', '..');
let workDir: string;
let buildDir: string;
const children: ChildProcess[] = [];

beforeAll(() => {
  workDir = mkdtempSync(join(tmpdir(), 'sample-app-'));
  buildDir = join(workDir, 'app');
  execFileSync(NODE, ['--no-warnings', join(REPO, 'sample-app', 'build.mjs'), buildDir]);
});

afterAll(() => {
  for (const child of children)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  rmSync(workDir, { recursive: true, force: true });
});

interface AppProcess {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

async function startApp(env: Record<string, string>): Promise<AppProcess> {
  const child = spawn(NODE, ['server.js'], {
    cwd: buildDir,
    env: { PATH: process.env['PATH'] ?? '', HOST: '127.0.0.1', ADMIN_PASSWORD_HASH, SESSION_SECRET, ...env },
  });
  children.push(child);
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  // Ready once it says where it listens, or once it exits.
  let hasExited = false;
  void exited.then(() => (hasExited = true));
  await new Promise<void>((ready) => {
    const check = (): void => {
      if (hasExited || output.includes('listening on')) ready();
      else setTimeout(check, 20);
    };
    check();
  });
  return { child, output: () => output, exited };
}

describe('the built app as a process', () => {
  it('serves, logs each request, and exits 0 on SIGTERM after closing the database', async () => {
    const port = await freePort();
    const app = await startApp({ PORT: String(port), DATABASE_PATH: join(workDir, 'data', 'flaskr.db') });
    const health = await fetch(`http://127.0.0.1:${port}/api/health-check`);
    expect(await health.json()).toEqual({ success: true, ver: 'dev' });

    const probe = spawnSync(NODE, ['healthcheck.js'], { cwd: buildDir, env: { PORT: String(port) } });
    expect(probe.status).toBe(0);

    app.child.kill('SIGTERM');
    expect(await app.exited).toBe(0);
    const lines = app.output().trim().split('\n');
    expect(lines).toContainEqual(expect.stringMatching(/^GET \/api\/health-check 200 \d+\.\dms$/));
    expect(lines.slice(-2)).toEqual(['SIGTERM: finishing in-flight requests, then exiting', 'stopped']);
    expect(lines[0]).toBe(
      `flaskr dev listening on http://127.0.0.1:${port} (database ${join(workDir, 'data', 'flaskr.db')})`,
    );

    // Nothing listens any more: the probe fails.
    expect(spawnSync(NODE, ['healthcheck.js'], { cwd: buildDir, env: { PORT: String(port) } }).status).toBe(
      1,
    );
  });

  it('keeps entries in the database file across restarts', async () => {
    const port = await freePort();
    const databasePath = join(workDir, 'persist.db');
    const first = await startApp({ PORT: String(port), DATABASE_PATH: databasePath });
    first.child.kill('SIGINT');
    expect(await first.exited).toBe(0);
    const { openEntryStore } = await import('../../../sample-app/src/db.js');
    const store = await openEntryStore({ databasePath });
    await store.addEntry('kept', 'across restarts');
    await store.close();
    const second = await startApp({ PORT: String(port), DATABASE_PATH: databasePath });
    expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toContain('<h2>kept</h2>');
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  });

  it('exits 1 with one line naming the variable when the configuration is wrong', async () => {
    const app = await startApp({ PORT: 'eighty' });
    expect(await app.exited).toBe(1);
    expect(app.output()).toBe('error: PORT is "eighty": use a whole number from 0 to 65535.\n');
  });

  it('hash-password prints a hash of stdin that verifies, and refuses an empty password', async () => {
    const result = spawnSync(NODE, ['hash-password.js'], { cwd: buildDir, input: 'hunter2 hunter2\n' });
    expect(result.status).toBe(0);
    const hash = result.stdout.toString().trim();
    expect(hash).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(await verifyPassword('hunter2 hunter2', hash)).toBe(true);
    const empty = spawnSync(NODE, ['hash-password.js'], { cwd: buildDir, input: '\n' });
    expect(empty.status).toBe(1);
    expect(empty.stderr.toString()).toMatch(/no password on stdin/);
  });

  it('serves HTTPS with a Secure __Host- cookie and HSTS when TLS_CERT_PATH and TLS_KEY_PATH are set', async () => {
    const cert = join(workDir, 'cert.pem');
    const key = join(workDir, 'key.pem');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=localhost',
        '-keyout',
        key,
        '-out',
        cert,
      ],
      { stdio: 'ignore' },
    );
    const port = await freePort();
    const app = await startApp({
      PORT: String(port),
      DATABASE_PATH: ':memory:',
      TLS_CERT_PATH: cert,
      TLS_KEY_PATH: key,
    });
    expect(app.output()).toContain(`listening on https://127.0.0.1:${port}`);
    const headers = await new Promise<Record<string, string | string[] | undefined>>((done, fail) => {
      request(
        { host: '127.0.0.1', port, path: '/', ca: readFileSync(cert), servername: 'localhost' },
        (res) => {
          res.resume();
          done(res.headers);
        },
      )
        .on('error', fail)
        .end();
    });
    expect(String(headers['set-cookie'])).toMatch(
      /^__Host-session=.*; Path=\/; .*HttpOnly; SameSite=Lax; Secure$/,
    );
    expect(headers['strict-transport-security']).toBe('max-age=31536000');
    const probe = spawnSync(NODE, ['healthcheck.js'], {
      cwd: buildDir,
      env: { PORT: String(port), TLS_CERT_PATH: cert, TLS_KEY_PATH: key },
    });
    expect(probe.status).toBe(0);
    app.child.kill('SIGTERM');
    expect(await app.exited).toBe(0);
  });
});
