// Every outbound path of the actions through a forward proxy of our own on 127.0.0.1 that counts what it
// carries: global fetch (registry API, advisories), the AWS SDK, and health probes; over https (CONNECT)
// and http, NO_PROXY honoured, and a dead proxy failing the request rather than being bypassed.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { jest } from '@jest/globals';

import { startCountingProxy, type CountingProxy } from '../../helpers/counting-proxy.js';
import { REPO_ROOT } from '../../helpers/run-action.js';
import { awsRequestHandler, installProxySupport, proxyEnvOf } from '../../../shared/proxy.js';

// Child processes (git, npm, node) on a machine other tests load too: a ceiling, not a timing assertion.
jest.setTimeout(120_000);

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

/** Answers ECS ListClusters on POST, and `<name> ok` to anything else. */
function target(name: string): Handler {
  return (request, response) => {
    if (request.method === 'POST') {
      request.resume();
      response.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
      response.end(JSON.stringify({ clusterArns: [`arn:aws:ecs:us-east-1:000000000000:cluster/${name}`] }));
      return;
    }
    response.end(`${name} ok\n`);
  };
}

interface Targets {
  fetch: string;
  aws: string;
  probe: string;
}

let folder: string;
let certFile: string;
const servers: Server[] = [];
let https: Targets;
let http: Targets;
let proxy: CountingProxy;

async function listen(server: Server, scheme: string): Promise<string> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `${scheme}://127.0.0.1:${(server.address() as { port: number }).port}`;
}

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'shipkit-proxy-test-'));
  certFile = join(folder, 'cert.pem');
  const keyFile = join(folder, 'key.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-keyout',
      keyFile,
      '-out',
      certFile,
    ],
    { stdio: 'ignore' },
  );
  const tls = { cert: readFileSync(certFile), key: readFileSync(keyFile) };
  const names = ['fetch', 'aws', 'probe'] as const;
  https = Object.fromEntries(
    await Promise.all(
      names.map(async (name) => [name, await listen(createHttpsServer(tls, target(name)), 'https')]),
    ),
  ) as Targets;
  http = Object.fromEntries(
    await Promise.all(
      names.map(async (name) => [name, await listen(createHttpServer(target(name)), 'http')]),
    ),
  ) as Targets;
  proxy = await startCountingProxy();
});

afterAll(async () => {
  await proxy?.close();
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  rmSync(folder, { recursive: true, force: true });
});

beforeEach(() => proxy.requests.splice(0));

interface Outcome {
  installed: boolean;
  fetched: string;
  aws: string;
  probe: string;
}

/**
 * Runs the outbound paths in a fresh Node process, as an action step runs, with `env` added (async: the
 * targets and the proxy answer from this process).
 */
async function outbound(targets: Targets, env: Record<string, string>): Promise<Outcome> {
  const childEnv: Record<string, string | undefined> = { ...process.env };
  for (const name of ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'NO_PROXY', 'no_proxy']) {
    delete childEnv[name];
  }
  const child = spawn(
    process.execPath,
    [
      '--import',
      join(REPO_ROOT, 'scripts', 'ts-register.mjs'),
      join(REPO_ROOT, 'test', 'fixtures', 'proxy', 'outbound.ts'),
    ],
    {
      cwd: REPO_ROOT,
      env: {
        ...childEnv,
        NODE_EXTRA_CA_CERTS: certFile,
        FETCH_URL: `${targets.fetch}/registry`,
        AWS_ENDPOINT_URL_ECS: targets.aws,
        PROBE_URL: `${targets.probe}/health`,
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const line = output.split('\n').find((text) => text.startsWith('{')) ?? '';
  if (status !== 0 || !line) throw new Error(`outbound failed: ${output}`);
  return JSON.parse(line) as Outcome;
}

const authority = (url: string): string => new URL(url).host;
const ANSWERED = {
  fetched: '200 fetch ok',
  aws: 'arn:aws:ecs:us-east-1:000000000000:cluster/aws',
  probe: '200 probe ok',
};

describe('proxy support', () => {
  it('sends fetch, the AWS SDK and health probes to https targets through HTTPS_PROXY (CONNECT)', async () => {
    const outcome = await outbound(https, { HTTPS_PROXY: proxy.url });
    expect(outcome).toEqual({ installed: true, ...ANSWERED });
    for (const url of [https.fetch, https.aws, https.probe])
      expect(proxy.requests).toContain(`CONNECT ${authority(url)}`);
  });

  it('sends them to http targets through HTTP_PROXY', async () => {
    const outcome = await outbound(http, { HTTP_PROXY: proxy.url });
    expect(outcome).toEqual({ installed: true, ...ANSWERED });
    // Absolute-form requests, as both undici and Node's agents send them for http targets.
    expect([...proxy.requests].sort()).toEqual(
      [`GET ${http.fetch}/registry`, `GET ${http.probe}/health`, `POST ${http.aws}/`].sort(),
    );
  });

  it('goes direct to hosts NO_PROXY names', async () => {
    const outcome = await outbound(https, { HTTPS_PROXY: proxy.url, NO_PROXY: '127.0.0.1' });
    expect(outcome).toEqual({ installed: true, ...ANSWERED });
    expect(proxy.requests).toEqual([]);
  });

  it('fails every path when the proxy is down, instead of going around it', async () => {
    const dead = await startCountingProxy();
    await dead.close();
    const outcome = await outbound(https, { HTTPS_PROXY: dead.url });
    expect(outcome.installed).toBe(true);
    expect(outcome.fetched).toMatch(/^error: /);
    expect(outcome.aws).toMatch(/^error: /);
    expect(outcome.probe).toMatch(/^error: /);
  });

  it('changes nothing without a proxy variable', async () => {
    const outcome = await outbound(https, {});
    expect(outcome).toEqual({ installed: false, ...ANSWERED });
    expect(proxy.requests).toEqual([]);
    await expect(installProxySupport({ NO_PROXY: '*' })).resolves.toBe(false);
    expect(awsRequestHandler({})).toBeUndefined();
    expect(proxyEnvOf({ https_proxy: 'http://p:3128', no_proxy: 'internal', PATH: '/bin' })).toEqual({
      https_proxy: 'http://p:3128',
      no_proxy: 'internal',
    });
  });
});
