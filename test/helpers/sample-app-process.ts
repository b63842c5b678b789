// sample-app as a real process (the build.mjs output the image runs, on SQLite in a temp folder), and a
// proxy in front of it that breaks one thing: for the system tests' and the verify stage's tests.
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const REPO = resolve(import.meta.dirname, '..', '..');

export async function freePort(): Promise<number> {
  const server = createNetServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

export interface SampleAppProcess {
  /** http://127.0.0.1:<port> */
  url: string;
  /** SIGTERM, wait for the exit, remove the temp folder. */
  stop: () => Promise<void>;
}

/** Builds and starts the app on a free port with `env` (ADMIN_PASSWORD_HASH, APP_VERSION...). */
export async function startSampleAppProcess(env: Record<string, string>): Promise<SampleAppProcess> {
  const workDir = mkdtempSync(join(tmpdir(), 'sample-app-process-'));
  const buildDir = join(workDir, 'app');
  execFileSync(process.execPath, ['--no-warnings', join(REPO, 'sample-app', 'build.mjs'), buildDir]);
  const port = await freePort();
  const app = spawn(process.execPath, ['server.js'], {
    cwd: buildDir,
    env: {
      PATH: process.env['PATH'] ?? '',
      HOST: '127.0.0.1',
      PORT: String(port),
      DATABASE_PATH: join(workDir, 'flaskr.db'),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const stop = async (): Promise<void> => {
    if (app.exitCode === null && app.signalCode === null) {
      app.kill('SIGTERM');
      await once(app, 'exit');
    }
    rmSync(workDir, { recursive: true, force: true });
  };
  let output = '';
  app.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const deadline = Date.now() + 30_000;
  while (!output.includes('listening on')) {
    if (app.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`the app did not start: ${output}`);
    }
    await new Promise((done) => setTimeout(done, 20));
  }
  return { url: `http://127.0.0.1:${port}`, stop };
}

export interface Fault {
  /** Rewrites the request body before it reaches the app. */
  requestBody?: (request: IncomingMessage, body: string) => string;
  /** Changes the app's answer: status, headers, body. */
  response?: (
    request: IncomingMessage,
    answer: { status: number; headers: Record<string, string | string[]>; body: string },
  ) => void;
}

/** A proxy on 127.0.0.1 in front of `targetUrl` that applies `fault`; the caller closes it. */
export async function startFaultProxy(
  targetUrl: string,
  fault: Fault,
): Promise<{ url: string; close: () => Promise<void> }> {
  const target = new URL(targetUrl);
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      let body = Buffer.concat(chunks).toString();
      body = fault.requestBody?.(request, body) ?? body;
      const headers = {
        ...request.headers,
        host: target.host,
        'content-length': String(Buffer.byteLength(body)),
      };
      const upstream = httpRequest(
        { host: target.hostname, port: target.port, path: request.url, method: request.method, headers },
        (answer) => {
          const parts: Buffer[] = [];
          answer.on('data', (chunk: Buffer) => parts.push(chunk));
          answer.on('end', () => {
            const result = {
              status: answer.statusCode ?? 502,
              headers: { ...answer.headers } as Record<string, string | string[]>,
              body: Buffer.concat(parts).toString(),
            };
            fault.response?.(request, result);
            result.headers['content-length'] = String(Buffer.byteLength(result.body));
            delete result.headers['transfer-encoding'];
            response.writeHead(result.status, result.headers).end(result.body);
          });
        },
      );
      upstream.on('error', () => response.writeHead(502).end());
      upstream.end(body);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}
