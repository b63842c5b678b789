// System test: the sample app's image, built with the local Docker from the local base image, run with
// --network host, and driven over HTTP like a browser and like ECS (health, login, post, CSRF, docker stop).
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { resolve } from 'node:path';

import { hashPassword } from '../../sample-app/src/auth.js';
import { buildTestImage, dockerCli } from '../helpers/docker.js';
import { requireStack } from '../helpers/stack.js';
import { Browser } from '../unit/sample-app/app-client.js';
import { createTestDatabase } from './sample-app-postgres.js';

const SAMPLE_APP_DIR = resolve(import.meta.dirname, '..', '..', 'sample-app');
const stack = requireStack();
const suffix = randomBytes(4).toString('hex');
const image = `shipkit-sample-app-itest:${suffix}`;
const container = `shipkit-sample-app-itest-${suffix}`;
const appVersion = `itest-${suffix}`;
const password = `pw-${randomBytes(6).toString('hex')}`;
// Own Docker config: nothing here may touch ~/.docker.
const docker = dockerCli(stack, { name: 'sample-app', timeoutMs: 60_000 });
let port: number;
let url: string;
let started = false;

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port: free } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return free;
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`timed out waiting for ${what}${last instanceof Error ? `: ${last.message}` : ''}`);
}

beforeAll(async () => {
  await buildTestImage(docker, stack, {
    context: SAMPLE_APP_DIR,
    tag: image,
    appVersion,
    timeoutMs: 120_000,
  });
  port = await freePort();
  url = `http://127.0.0.1:${port}`;
  // Secrets reach the container through the docker CLI's environment (`-e NAME`), never its command line.
  await docker.run(
    [
      'run',
      '--detach',
      '--network',
      'host',
      '--name',
      container,
      '--env',
      `PORT=${port}`,
      '--env',
      'ADMIN_PASSWORD_HASH',
      '--env',
      'SESSION_SECRET',
      // The image's HEALTHCHECK command, polled faster than its 15 s so the test need not wait.
      '--health-interval',
      '1s',
      image,
    ],
    {
      env: {
        ADMIN_PASSWORD_HASH: await hashPassword(password, { N: 1024, r: 8, p: 1 }),
        SESSION_SECRET: randomBytes(24).toString('base64url'),
      },
    },
  );
  started = true;
  await waitFor(
    'the health check',
    async () => ((await fetch(`${url}/api/health-check`)).ok ? true : undefined),
    30_000,
  );
}, 150_000);

afterAll(async () => {
  // Always clean up, whatever failed above.
  await docker.run(['rm', '--force', container]).catch(() => undefined);
  await docker.run(['rmi', '--force', image]).catch(() => undefined);
  docker.dispose();
}, 60_000);

describe('sample-app image', () => {
  it('runs as the non-root user with the version baked in', async () => {
    const config = JSON.parse(
      await docker.run(['image', 'inspect', '--format', '{{json .Config}}', image]),
    ) as {
      User: string;
      Env: string[];
      ExposedPorts: Record<string, unknown>;
      Healthcheck: { Test: string[] };
      Cmd: string[];
    };
    expect(config.User).toBe('node');
    expect(config.Env).toEqual(expect.arrayContaining([`APP_VERSION=${appVersion}`, 'NODE_ENV=production']));
    expect(Object.keys(config.ExposedPorts)).toEqual(['8080/tcp']);
    expect(config.Healthcheck.Test).toEqual(['CMD', 'node', 'healthcheck.js']);
    expect(config.Cmd).toEqual(['node', 'server.js']);
    // Only the built JavaScript ships: no TypeScript sources, no build script.
    const files = await docker.run(['run', '--rm', '--network', 'host', '--entrypoint', 'ls', image, '/app']);
    expect(files.split('\n')).not.toContain('src');
    expect(files.split('\n')).not.toContain('build.mjs');
    expect(files.split('\n')).toContain('server.js');
  });

  it('answers the health check with the baked-in version, and Docker sees it healthy', async () => {
    const response = await fetch(`${url}/api/health-check`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ success: true, ver: appVersion });
    const health = await waitFor(
      'docker health status',
      async () => {
        const status = await docker.run(['inspect', '--format', '{{.State.Health.Status}}', container]);
        return status === 'healthy' ? status : undefined;
      },
      30_000,
    );
    expect(health).toBe('healthy');
  });

  it('logs in, posts, lists newest first, and rejects posts without a valid CSRF token', async () => {
    const browser = new Browser(url);
    expect((await browser.logIn('not the password')).status).toBe(401);
    expect((await browser.logIn(password)).status).toBe(303);
    expect((await browser.postEntry('first <post>', 'hello from the system test')).status).toBe(303);
    expect((await browser.postEntry('second post', 'newer')).status).toBe(303);
    const page = await (await browser.get('/')).text();
    const titles = [...page.matchAll(/<h2>([^<]*)<\/h2>/g)].map((match) => match[1]);
    expect(titles).toEqual(['second post', 'first &lt;post&gt;']);

    const forged = await browser.post('/add', { csrf_token: 'forged', title: 'forged', text: '' });
    expect(forged.status).toBe(403);
    const missing = await browser.post('/add', { title: 'no token', text: '' });
    expect(missing.status).toBe(403);
    expect(await (await browser.get('/')).text()).not.toContain('forged');

    const css = await browser.get('/static/style.css');
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
  });

  it("applies its PostgreSQL migrations with node migrate.js (the deploy's one-off task), once", async () => {
    const database = await createTestDatabase('shipkit_itest_image');
    try {
      const migrate = (): Promise<string> =>
        docker.run(
          ['run', '--rm', '--network', 'host', '--env', 'DATABASE_URL', image, 'node', 'migrate.js'],
          {
            env: { DATABASE_URL: database.url },
          },
        );
      const where = `postgres ${new URL(database.url).host}/${database.name}`;
      expect(await migrate()).toBe(`migrated ${where}: 0001_create_entries`);
      expect(await migrate()).toBe(`migrated ${where}: nothing to apply`);
    } finally {
      await database.drop();
    }
  });

  it('stops gracefully on docker stop: exit code 0, and says so', async () => {
    expect(started).toBe(true);
    await docker.run(['stop', '--time', '10', container], { timeoutMs: 30_000 });
    expect(await docker.run(['inspect', '--format', '{{.State.ExitCode}}', container])).toBe('0');
    const logs = await docker.run(['logs', container]);
    expect(logs).toContain(`flaskr ${appVersion} listening on http://0.0.0.0:${port}`);
    expect(logs).toMatch(/^POST \/login 303 \d+\.\dms$/m);
    expect(logs).toMatch(/^POST \/add 403 \d+\.\dms$/m);
    expect(logs.trim().split('\n').slice(-2)).toEqual([
      'SIGTERM: finishing in-flight requests, then exiting',
      'stopped',
    ]);
    expect(logs).not.toContain(password);
  });
});
