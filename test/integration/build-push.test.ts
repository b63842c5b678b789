import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, request as httpRequest, type Server } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { startTestLocalAws } from '../helpers/local-aws.js';
import { REPO_ROOT, runAction, type ActionRun } from '../helpers/run-action.js';
import { requireStack, type LocalStack } from '../helpers/stack.js';
import type { LocalAws } from '../../tools/local-aws/index.js';

// Real Docker (Debian's 20.10 client, BuildKit, no buildx), the stack's htpasswd registry and the local ECR
// stand-in, through the built bundle. Every run gets unique repository names; images are removed afterwards.

const RUN_ID = `${Date.now().toString(36)}${process.pid.toString(36)}`;
const SHA = createHash('sha1').update(RUN_ID).digest('hex');
const SAMPLE_APP = join(REPO_ROOT, 'sample-app', 'Dockerfile');
const FIXTURE = 'test/fixtures/build-push/app';
const SECRET_VALUE = `npm-token-${RUN_ID}`;

let stack: LocalStack;
let dockerConfig: string;
let workDir: string;
const titles: string[] = [];

/** The sample app once its Dockerfile is committed (a work-in-progress one is not used), else the tiny fixture. */
const useSampleApp = ((): boolean => {
  if (!existsSync(SAMPLE_APP)) return false;
  try {
    execFileSync('git', ['ls-files', '--error-unmatch', 'sample-app/Dockerfile'], {
      cwd: REPO_ROOT,
      stdio: 'ignore',
    });
    return true;
  } catch {
    return false;
  }
})();

function appInputs(): Record<string, string> {
  if (useSampleApp) {
    return {
      context: 'sample-app',
      file: 'sample-app/Dockerfile',
      'build-args': `BASE_IMAGE=${stack.baseImage}`,
    };
  }
  return { context: FIXTURE, 'build-args': `BASE_IMAGE=${stack.baseImage}` };
}

function registryInputs(repository: string, password = stack.registryPassword): Record<string, string> {
  titles.push(repository.split('/').pop()!);
  return {
    registry: stack.registry,
    repository,
    'registry-username': stack.registryUsername,
    'registry-password': password,
    network: 'host',
    secrets: `npm_token=${SECRET_VALUE}`,
    ...appInputs(),
  };
}

function env(extra: Record<string, string> = {}): Record<string, string> {
  return { ...stack.env, DOCKER_CONFIG: dockerConfig, GITHUB_SHA: SHA, ...extra };
}

/** What the registry itself says a tag is: Docker-Content-Digest, checked against the body's sha256. */
async function registryDigest(repository: string, tag: string): Promise<string | undefined> {
  const auth = Buffer.from(`${stack.registryUsername}:${stack.registryPassword}`).toString('base64');
  const response = await fetch(`http://${stack.registry}/v2/${repository}/manifests/${tag}`, {
    headers: {
      Authorization: `Basic ${auth}`,
      Accept: [
        'application/vnd.oci.image.index.v1+json',
        'application/vnd.oci.image.manifest.v1+json',
        'application/vnd.docker.distribution.manifest.v2+json',
      ].join(', '),
    },
  });
  if (response.status === 404) return undefined;
  const body = Buffer.from(await response.arrayBuffer());
  const digest = response.headers.get('docker-content-digest')!;
  expect(digest).toBe(`sha256:${createHash('sha256').update(body).digest('hex')}`);
  return digest;
}

function metadataOf(run: ActionRun): {
  tagStates: Record<string, string>;
  layers: { pushed: number; existing: number };
  imageId: string;
  sizeBytes: number;
} {
  return JSON.parse(run.outputs['metadata']!) as ReturnType<typeof metadataOf>;
}

/** The log without the ::add-mask:: commands (the runner consumes those; they must be the only place a secret is). */
function unmaskedLog(run: ActionRun): string {
  return run.log
    .split('\n')
    .filter((line) => !line.startsWith('::add-mask::'))
    .join('\n');
}

function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * A pass-through proxy in front of the registry that answers 503 to the first `failures` manifest PUTs,
 * as an overloaded registry does; everything else goes through unchanged.
 */
async function flakyRegistry(
  failures: number,
): Promise<{ server: Server; port: number; failed: () => number }> {
  let failed = 0;
  const [host, port] = stack.registry.split(':') as [string, string];
  const server = createHttpServer((incoming, outgoing) => {
    if (incoming.method === 'PUT' && incoming.url?.includes('/manifests/') && failed < failures) {
      failed++;
      incoming.resume();
      outgoing.writeHead(503, { 'Content-Type': 'text/plain' }).end('Service Unavailable');
      return;
    }
    const upstream = httpRequest(
      { host, port: Number(port), method: incoming.method, path: incoming.url, headers: incoming.headers },
      (response) => {
        outgoing.writeHead(response.statusCode ?? 502, response.headers);
        response.pipe(outgoing);
      },
    );
    upstream.on('error', () => outgoing.destroy());
    incoming.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as { port: number }).port, failed: () => failed };
}

beforeAll(() => {
  stack = requireStack();
  dockerConfig = mkdtempSync(join(tmpdir(), 'build-push-docker-'));
  workDir = mkdtempSync(join(tmpdir(), 'build-push-it-'));
});

afterAll(() => {
  // Every image these tests built carries its unique repository name as the OCI title label.
  const docker = join(stack.dockerBinDir, 'docker');
  for (const title of new Set(titles)) {
    const ids = execFileSync(
      docker,
      ['images', '-q', '--filter', `label=org.opencontainers.image.title=${title}`],
      {
        encoding: 'utf8',
      },
    )
      .split('\n')
      .filter(Boolean);
    if (ids.length > 0) {
      execFileSync(docker, ['image', 'rm', '-f', ...new Set(ids)], { stdio: 'ignore' });
    }
  }
  rmSync(dockerConfig, { recursive: true, force: true });
  rmSync(workDir, { recursive: true, force: true });
});

describe('build-push against the local registry', () => {
  const repository = `it/build-push-${RUN_ID}`;
  let first: ActionRun;

  it('builds, pushes, and outputs the digest the registry holds for every tag', async () => {
    const eventPath = join(workDir, 'event.json');
    writeFileSync(
      eventPath,
      JSON.stringify({
        repository: {
          default_branch: 'main',
          html_url: 'https://github.com/shipkit/shipkit',
          license: { spdx_id: 'MIT' },
        },
        head_commit: { timestamp: '2026-11-23T10:00:00Z' },
      }),
    );
    first = await runAction('build-push', {
      inputs: { ...registryInputs(repository), 'tag-latest': 'default-branch' },
      env: env({ GITHUB_EVENT_PATH: eventPath }),
    });
    expect(first.errors).toEqual([]);
    expect(first.exitCode).toBe(0);
    const digest = first.outputs['digest']!;
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(first.outputs['image']).toBe(`${stack.registry}/${repository}`);
    expect(first.outputs['image-uri']).toBe(`${stack.registry}/${repository}@${digest}`);
    const tags = [SHA, `sha-${SHA.slice(0, 7)}`, 'main', 'latest'];
    expect(first.outputs['tags']!.split('\n')).toEqual(
      tags.map((tag) => `${stack.registry}/${repository}:${tag}`),
    );
    for (const tag of tags) await expect(registryDigest(repository, tag)).resolves.toBe(digest);
    expect(first.outputs['labels']).toContain(`org.opencontainers.image.revision=${SHA}`);
    expect(first.outputs['labels']).toContain('org.opencontainers.image.created=2026-11-23T10:00:00.000Z');
    expect(first.outputs['labels']).toContain('org.opencontainers.image.licenses=MIT');
    const { layers } = metadataOf(first);
    expect(layers.pushed + layers.existing).toBeGreaterThan(0);
    expect(first.summary).toContain(digest);
    expect(first.summary).toMatch(/\| Build time \| [\d.]+ (ms|s) \|/);
    // The build secret reached the RUN step, and its value appears nowhere in the log.
    if (!useSampleApp) expect(first.log).toContain('secret present');
    expect(unmaskedLog(first)).not.toContain(SECRET_VALUE);
    expect(unmaskedLog(first)).not.toContain(stack.registryPassword);
  });

  it('logs docker out in the post step', async () => {
    const configFile = join(dockerConfig, 'config.json');
    expect(JSON.parse(readFileSync(configFile, 'utf8'))).toMatchObject({ auths: { [stack.registry]: {} } });
    const post = await runAction('build-push', { postOf: first, inputs: { logout: 'true' }, env: env() });
    expect(post.exitCode).toBe(0);
    expect(post.log).toContain(`Logged out of ${stack.registry}.`);
    const auths =
      (JSON.parse(readFileSync(configFile, 'utf8')) as { auths?: Record<string, unknown> }).auths ?? {};
    expect(auths[stack.registry]).toBeUndefined();
  });

  it('pushes the same build again without uploading anything', async () => {
    const again = await runAction('build-push', {
      inputs: { ...registryInputs(repository), 'tag-latest': 'default-branch' },
      env: env({ GITHUB_EVENT_PATH: join(workDir, 'event.json') }),
    });
    expect(again.exitCode).toBe(0);
    expect(again.outputs['digest']).toBe(first.outputs['digest']);
    const metadata = metadataOf(again);
    expect(metadata.imageId).toBe(metadataOf(first).imageId);
    expect(metadata.layers.pushed).toBe(0);
    expect(Object.values(metadata.tagStates)).toEqual(['unchanged', 'unchanged', 'unchanged', 'unchanged']);
    expect(again.log).toContain('Every tag already holds this image: nothing was pushed.');
    expect(again.summary).toContain('already there');
  });

  it('skips build and push with skip-existing when the tags hold an image of this commit', async () => {
    const skipped = await runAction('build-push', {
      inputs: { ...registryInputs(repository), 'tag-latest': 'default-branch', 'skip-existing': 'true' },
      env: env({ GITHUB_EVENT_PATH: join(workDir, 'event.json') }),
    });
    expect(skipped.exitCode).toBe(0);
    expect(skipped.outputs['skipped']).toBe('true');
    expect(skipped.outputs['digest']).toBe(first.outputs['digest']);
    expect(skipped.log).not.toMatch(/^#\d+ \[/m);
  });

  it('moves the branch tag of a mutable registry to a changed build, keeping other tags', async () => {
    const changed = await runAction('build-push', {
      inputs: { ...registryInputs(repository), 'tag-sha': 'none', labels: `rebuild=${RUN_ID}` },
      env: env({ GITHUB_EVENT_PATH: join(workDir, 'event.json') }),
    });
    expect(changed.exitCode).toBe(0);
    expect(changed.outputs['digest']).not.toBe(first.outputs['digest']);
    expect(metadataOf(changed).tagStates).toEqual({ main: 'moved' });
    await expect(registryDigest(repository, 'main')).resolves.toBe(changed.outputs['digest']);
    await expect(registryDigest(repository, SHA)).resolves.toBe(first.outputs['digest']);
  });

  it('retries a push the registry answers 503 to, then checks the digest', async () => {
    const proxy = await flakyRegistry(1);
    try {
      const proxied = `127.0.0.1:${proxy.port}`;
      const run = await runAction('build-push', {
        inputs: {
          ...registryInputs(repository),
          registry: proxied,
          'tag-sha': 'long',
          'tag-branch': 'false',
          tags: `retry-${RUN_ID}`,
        },
        env: env(),
      });
      expect(run.errors).toEqual([]);
      expect(run.exitCode).toBe(0);
      expect(proxy.failed()).toBe(1);
      expect(run.warnings).toEqual([
        expect.stringMatching(/503 Service Unavailable; retrying in \d+ s \(attempt 2 of 4\)/),
      ]);
      await expect(registryDigest(repository, `retry-${RUN_ID}`)).resolves.toBe(run.outputs['digest']);
    } finally {
      proxy.server.close();
    }
  });

  it('refuses a wrong password with one error naming the inputs', async () => {
    const run = await runAction('build-push', {
      inputs: registryInputs(repository, 'wrong-password'),
      env: env(),
    });
    expect(run.exitCode).toBe(1);
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toMatch(
      new RegExp(
        `registry http://${stack.registry} refused the credentials .*Check "registry-username" and "registry-password"`,
      ),
    );
    expect(unmaskedLog(run)).not.toContain('wrong-password');
    // The build ran alongside the login (and was stopped when it failed); nothing was pushed.
    expect(run.log).not.toMatch(/digest: sha256:/);
  });

  it('names an unreachable registry and the reason', async () => {
    const port = await closedPort();
    const run = await runAction('build-push', {
      inputs: { ...registryInputs(repository), registry: `127.0.0.1:${port}` },
      env: env(),
    });
    expect(run.exitCode).toBe(1);
    expect(run.errors).toEqual([`Cannot reach the registry at http://127.0.0.1:${port}: ECONNREFUSED.`]);
  });

  it('names a missing Dockerfile', async () => {
    const run = await runAction('build-push', {
      inputs: { ...registryInputs(repository), file: 'test/fixtures/build-push/missing/Dockerfile' },
      env: env(),
    });
    expect(run.exitCode).toBe(1);
    expect(run.errors).toEqual([
      'Input "file": no Dockerfile at "test/fixtures/build-push/missing/Dockerfile"; set "file" to its path relative to the workspace.',
    ]);
    expect(run.log).not.toMatch(/at .*\.js:\d+/);
  });

  it('refuses several platforms without buildx, with the fix', async () => {
    const run = await runAction('build-push', {
      inputs: { ...registryInputs(repository), platforms: 'linux/amd64,linux/arm64', builder: 'docker' },
      env: env(),
    });
    expect(run.exitCode).toBe(1);
    expect(run.errors[0]).toMatch(/multi-platform builds need buildx: add docker\/setup-buildx-action/);
  });

  it('refuses a foreign platform without QEMU before building, with the fix', async () => {
    const run = await runAction('build-push', {
      inputs: { ...registryInputs(repository), platforms: 'linux/arm64' },
      env: env(),
    });
    const hasQemu = existsSync('/proc/sys/fs/binfmt_misc/qemu-aarch64');
    if (hasQemu) return; // this machine can emulate arm64: nothing to refuse
    expect(run.exitCode).toBe(1);
    expect(run.errors).toEqual([
      'Input "platforms" asks for linux/arm64, but this linux/amd64 runner cannot run arm64 binaries: add docker/setup-qemu-action before this step, or build on a linux/arm64 runner.',
    ]);
    expect(run.log).not.toMatch(/^#\d+ \[/m);
  });

  it('reports features plain docker cannot do as warnings, not silently', async () => {
    const run = await runAction('build-push', {
      inputs: {
        ...registryInputs(repository),
        'cache-to': 'type=gha,mode=max',
        provenance: 'mode=max',
        'tag-branch': 'false',
      },
      env: env(),
    });
    expect(run.exitCode).toBe(0);
    expect(run.warnings).toEqual([
      expect.stringMatching(/cache-to "type=gha,mode=max" needs buildx/),
      expect.stringMatching(/provenance needs buildx/),
    ]);
  });
});

describe('build-push against the local ECR stand-in', () => {
  let localAws: LocalAws;
  const repository = `it-ecr-${RUN_ID}`;
  let first: ActionRun;

  beforeAll(async () => {
    localAws = await startTestLocalAws(stack);
  });
  afterAll(() => localAws.close());

  const ecrEnv = (): Record<string, string> =>
    env({ AWS_ENDPOINT_URL_ECR: localAws.url, AWS_ENDPOINT_URL: localAws.url });
  const ecrInputs = (extra: Record<string, string> = {}): Record<string, string> => {
    titles.push(repository);
    return {
      repository,
      'create-repository': 'true',
      network: 'host',
      secrets: `npm_token=${SECRET_VALUE}`,
      ...appInputs(),
      ...extra,
    };
  };

  it('logs in with GetAuthorizationToken, creates an IMMUTABLE repository, pushes and cross-checks DescribeImages', async () => {
    first = await runAction('build-push', { inputs: ecrInputs(), env: ecrEnv() });
    expect(first.errors).toEqual([]);
    expect(first.exitCode).toBe(0);
    expect(first.log).toContain(
      `Created the ECR repository ${stack.registry}/${repository} (IMMUTABLE, scan on push on).`,
    );
    expect(first.outputs['image']).toBe(`${stack.registry}/${repository}`);
    const digest = first.outputs['digest']!;
    await expect(registryDigest(repository, SHA)).resolves.toBe(digest);
    expect(first.state['login-registry']).toBe(stack.registry);
    // tag-branch: auto leaves out "main" in an IMMUTABLE repository: it could never move.
    expect(first.outputs['tags']!.split('\n')).toEqual([
      `${stack.registry}/${repository}:${SHA}`,
      `${stack.registry}/${repository}:sha-${SHA.slice(0, 7)}`,
    ]);
    expect(first.warnings).toEqual([]);
  });

  it('pushing the same image to the immutable tags again succeeds quietly', async () => {
    const again = await runAction('build-push', {
      inputs: ecrInputs(),
      env: ecrEnv(),
    });
    expect(again.exitCode).toBe(0);
    expect(again.warnings).toEqual([]);
    expect(again.outputs['digest']).toBe(first.outputs['digest']);
  });

  it('fails a different image on an existing immutable tag, naming tag, old digest and new image', async () => {
    const conflict = await runAction('build-push', {
      inputs: ecrInputs({ labels: `changed=${RUN_ID}` }),
      env: ecrEnv(),
    });
    expect(conflict.exitCode).toBe(1);
    expect(conflict.errors).toHaveLength(1);
    expect(conflict.errors[0]).toMatch(
      new RegExp(
        `^Tag "${SHA}" already exists in the IMMUTABLE repository ${stack.registry}/${repository} as ${first.outputs['digest']}, and this build is a different image \\(image id sha256:[0-9a-f]{64}\\)`,
      ),
    );
    await expect(registryDigest(repository, SHA)).resolves.toBe(first.outputs['digest']);
  });

  it('warns that a branch tag asked for explicitly cannot move in an immutable repository', async () => {
    const run = await runAction('build-push', {
      inputs: ecrInputs({ 'tag-sha': 'none', 'tag-branch': 'true' }),
      env: ecrEnv(),
    });
    expect(run.exitCode).toBe(0);
    expect(run.warnings[0]).toMatch(/IMMUTABLE, and main will point at another image on a later build/);
  });

  it('builds locally when push is false and ECR cannot be reached', async () => {
    const port = await closedPort();
    const run = await runAction('build-push', {
      inputs: ecrInputs({ push: 'false', 'tag-sha': 'long', 'tag-branch': 'false' }),
      env: env({ AWS_ENDPOINT_URL_ECR: `http://127.0.0.1:${port}` }),
    });
    expect(run.errors).toEqual([]);
    expect(run.exitCode).toBe(0);
    expect(run.warnings).toEqual([
      expect.stringMatching(/^push is false and ECR is not reachable .*building as it-ecr-/),
    ]);
    expect(run.outputs['image']).toBe(repository);
    expect(run.outputs['digest']).toBe('');
    expect(run.outputs['tags']).toBe(`${repository}:${SHA}`);
  });

  it('says how to fix a missing repository when create-repository is off', async () => {
    const run = await runAction('build-push', {
      inputs: ecrInputs({ repository: `missing-${RUN_ID}`, 'create-repository': 'false' }),
      env: ecrEnv(),
    });
    expect(run.exitCode).toBe(1);
    expect(run.errors).toEqual([
      `Input "repository": the ECR repository "missing-${RUN_ID}" does not exist; create it, or set create-repository: true.`,
    ]);
  });
});
