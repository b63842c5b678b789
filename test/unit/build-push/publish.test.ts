import type { BuildPlan } from '../../../actions/build-push/src/docker-args.js';
import type { CommandOptions, CommandResult } from '../../../actions/build-push/src/docker.js';
import {
  buildAndPush,
  buildImage,
  publishImage,
  pushedDigest,
  type Logger,
  type PublishDeps,
  type PublishOptions,
  type RegistryReader,
} from '../../../actions/build-push/src/publish.js';
import {
  RegistryError,
  type ManifestInfo,
  type ManifestWrite,
} from '../../../actions/build-push/src/registry.js';
import { ConfigurationError } from '../../../shared/errors.js';

const IMAGE = '127.0.0.1:5000/shop';
const SHA = 'abcdef0123456789abcdef0123456789abcdef01';
const NEW_ID = 'sha256:newconfig';
const NEW_DIGEST = `sha256:${'e'.repeat(64)}`;

/** An in-memory registry: `docker push` of image:tag stores the manifest of whatever the local build made. */
class FakeRegistry implements RegistryReader {
  readonly tags = new Map<string, ManifestInfo>();
  labelsByDigest = new Map<string, Record<string, string>>();
  configsByDigest = new Map<string, string[]>();
  imageConfigs(_repository: string, reference: string): Promise<string[] | undefined> {
    return Promise.resolve(this.configsByDigest.get(reference));
  }
  manifest(_repository: string, reference: string): Promise<ManifestInfo | undefined> {
    const byDigest = [...this.tags.values()].find((info) => info.digest === reference);
    return Promise.resolve(this.tags.get(reference) ?? byDigest);
  }
  labels(_repository: string, reference: string): Promise<Record<string, string>> {
    return Promise.resolve(this.labelsByDigest.get(reference) ?? {});
  }
  /** The bytes of a manifest are its digest here, so a PUT can say which manifest it writes. */
  async rawManifest(
    repository: string,
    reference: string,
  ): Promise<{ info: ManifestInfo; bytes: Buffer } | undefined> {
    this.reads.push(reference);
    const info = await this.manifest(repository, reference);
    return info && { info, bytes: Buffer.from(info.digest) };
  }
  readonly reads: string[] = [];
  readonly puts: string[] = [];
  /** Answers for the next PUTs: an HTTP status to fail with, or a digest to claim was stored. */
  putAnswers: (number | string)[] = [];
  putManifest(_repository: string, tag: string, manifest: ManifestWrite): Promise<string> {
    this.puts.push(tag);
    const answer = this.putAnswers.shift();
    if (typeof answer === 'number') return Promise.reject(new RegistryError(`HTTP ${answer}`, answer));
    const digest = manifest.bytes.toString();
    const info = [...this.tags.values()].find((entry) => entry.digest === digest)!;
    this.tags.set(tag, info);
    return Promise.resolve(answer ?? digest);
  }
}

interface Scripted {
  calls: string[][];
  pushFailures: string[];
  buildOutput: string;
  buildExit: number;
}

function setup(overrides: { options?: Partial<PublishOptions>; plan?: Partial<BuildPlan> } = {}) {
  const registry = new FakeRegistry();
  const script: Scripted = {
    calls: [],
    pushFailures: [],
    buildOutput: '#6 [1/2] FROM base\n#7 [2/2] RUN x\n#7 CACHED\n',
    buildExit: 0,
  };
  const log = { info: [] as string[], warning: [] as string[] };
  const sleeps: number[] = [];
  const logger: Logger = {
    info: (message) => log.info.push(message),
    warning: (message) => log.warning.push(message),
    group: (_name, run) => run(),
  };
  let clock = 0;
  const docker = (
    _command: string,
    args: readonly string[],
    _options?: CommandOptions,
  ): Promise<CommandResult> => {
    script.calls.push([...args]);
    if (args[0] === 'build' || args[1] === 'build') {
      return Promise.resolve({
        exitCode: script.buildExit,
        stdout: script.buildOutput,
        stderr: script.buildExit ? script.buildOutput : '',
      });
    }
    if (args[0] === 'push') {
      const failure = script.pushFailures.shift();
      if (failure) return Promise.resolve({ exitCode: 1, stdout: '', stderr: failure });
      const tag = args[1]!.split(':').pop()!;
      registry.tags.set(tag, {
        digest: NEW_DIGEST,
        mediaType: 'm',
        configDigest: NEW_ID,
        size: 1234,
      });
      return Promise.resolve({
        exitCode: 0,
        stdout: `aaaaaaaaaaaa: Pushed\nbbbbbbbbbbbb: Layer already exists\n${tag}: digest: ${NEW_DIGEST} size: 1`,
        stderr: '',
      });
    }
    if (args[0] === 'tag') return Promise.resolve({ exitCode: 0, stdout: '', stderr: '' });
    return Promise.resolve({ exitCode: 1, stdout: '', stderr: 'unexpected' });
  };
  const plan: BuildPlan = {
    context: '/ws',
    file: '/ws/Dockerfile',
    platforms: [],
    buildArgs: new Map(),
    secrets: [],
    labels: {},
    tags: [`${IMAGE}:${SHA}`, `${IMAGE}:main`],
    image: IMAGE,
    cacheFrom: [],
    cacheTo: [],
    network: 'default',
    pull: false,
    noCache: false,
    singleManifest: false,
    push: true,
    iidFile: '/tmp/iid',
    metadataFile: '/tmp/metadata.json',
    isEcr: false,
    ...overrides.plan,
  };
  const options: PublishOptions = {
    plan,
    repositoryPath: 'shop',
    tagNames: [SHA, 'main'],
    builder: 'docker',
    immutable: false,
    skipExisting: false,
    revision: SHA,
    pushAttempts: 3,
    hostPlatform: 'linux/amd64',
    ...overrides.options,
  };
  const deps: PublishDeps = {
    docker,
    registry,
    log: logger,
    readFile: (path) =>
      path.endsWith('iid')
        ? `${NEW_ID}\n`
        : JSON.stringify({
            'containerimage.digest': 'sha256:buildxdigest',
            'containerimage.config.digest': 'sha256:cfg',
          }),
    now: () => (clock += 100),
    sleep: (ms) => {
      sleeps.push(ms);
      return Promise.resolve();
    },
    buildEnv: {},
  };
  const pushes = (): string[][] => script.calls.filter((args) => args[0] === 'push');
  return { registry, script, log, sleeps, options, deps, pushes };
}

describe('buildAndPush with docker build', () => {
  it('pushes the first tag with docker, reads it back once, and PUTs the manifest under the others', async () => {
    const { options, deps, pushes, registry } = setup();
    const result = await buildAndPush(options, deps);
    expect(pushes()).toEqual([['push', `${IMAGE}:${SHA}`]]);
    expect(registry.reads).toEqual([SHA]);
    expect(registry.puts).toEqual(['main']);
    expect(result).toMatchObject({
      digest: NEW_DIGEST,
      imageId: NEW_ID,
      tags: [
        { name: SHA, state: 'pushed' },
        { name: 'main', state: 'pushed' },
      ],
      sizeBytes: 1234,
      cacheHits: { cached: 1, total: 2 },
      layers: { pushed: 1, existing: 1 },
      skipped: false,
    });
    expect(registry.tags.size).toBe(2);
  });

  it('leaves tags that already hold this image alone and pushes nothing', async () => {
    const { options, deps, pushes, registry, log } = setup();
    const same = { digest: 'sha256:old', mediaType: 'm', configDigest: NEW_ID, size: 10 };
    registry.tags.set(SHA, same).set('main', same);
    const result = await buildAndPush({ ...options, immutable: true }, deps);
    expect(pushes()).toEqual([]);
    expect(result.digest).toBe('sha256:old');
    expect(result.tags.map((tag) => tag.state)).toEqual(['unchanged', 'unchanged']);
    expect(log.info).toContain('Every tag already holds this image: nothing was pushed.');
  });

  it('fails an immutable tag that holds another image before pushing anything, naming tag and digests', async () => {
    const { options, deps, pushes, registry } = setup();
    registry.tags.set('main', {
      digest: 'sha256:olddigest',
      mediaType: 'm',
      configDigest: 'sha256:other',
      size: 1,
    });
    await expect(buildAndPush({ ...options, immutable: true }, deps)).rejects.toThrow(
      `Tag "main" already exists in the IMMUTABLE repository ${IMAGE} as sha256:olddigest, and this build is a different image (image id ${NEW_ID})`,
    );
    expect(pushes()).toEqual([]);
  });

  it('moves a tag of a mutable repository and says so in the state', async () => {
    const { options, deps, registry } = setup();
    registry.tags.set('main', {
      digest: 'sha256:olddigest',
      mediaType: 'm',
      configDigest: 'sha256:other',
      size: 1,
    });
    const result = await buildAndPush(options, deps);
    expect(result.tags).toEqual([
      { name: SHA, state: 'pushed' },
      { name: 'main', state: 'moved' },
    ]);
  });

  it('retries a push on 5xx and 429 with backoff, then succeeds', async () => {
    const { options, deps, pushes, script, sleeps, log } = setup();
    script.pushFailures.push(
      'received unexpected HTTP status: 503 Service Unavailable',
      'toomanyrequests: Rate exceeded',
    );
    const result = await buildAndPush(options, deps);
    expect(pushes()).toHaveLength(3);
    expect(sleeps).toHaveLength(2);
    expect(log.warning[0]).toMatch(/503 Service Unavailable; retrying in \d+ s \(attempt 2 of 3\)/);
    expect(result.digest).toBe(NEW_DIGEST);
  });

  it('gives up after push-attempts', async () => {
    const { options, deps, pushes, script } = setup();
    script.pushFailures.push('502 Bad Gateway', '502 Bad Gateway', '502 Bad Gateway');
    await expect(buildAndPush(options, deps)).rejects.toThrow(/failed \(attempt 3\): 502 Bad Gateway/);
    expect(pushes()).toHaveLength(3);
  });

  it('does not retry an auth error', async () => {
    const { options, deps, pushes, script, sleeps } = setup();
    script.pushFailures.push('unauthorized: authentication required');
    await expect(buildAndPush(options, deps)).rejects.toThrow(
      `The registry refused the push of ${IMAGE}:${SHA} (unauthorized: authentication required): check the credentials and push permission.`,
    );
    expect(pushes()).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it('turns exec format error into the QEMU fix', async () => {
    const { options, deps, script } = setup({ plan: { platforms: ['linux/arm64'] } });
    script.buildExit = 1;
    script.buildOutput = '#7 0.1 exec /bin/sh: exec format error\nERROR: failed to solve';
    const error = await buildAndPush(options, deps).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).toMatch(/docker\/setup-qemu-action/);
  });

  it("reports other build failures with docker's last lines", async () => {
    const { options, deps, script } = setup();
    script.buildExit = 1;
    script.buildOutput = 'step 1\nnpm ERR! missing script: build\nfailed to solve: exit code 1';
    await expect(buildAndPush(options, deps)).rejects.toThrow(
      'docker build failed: step 1 | npm ERR! missing script: build | failed to solve: exit code 1',
    );
  });

  it('fails when the registry stores another digest under a tag it was given', async () => {
    const { options, deps, registry } = setup();
    registry.putAnswers.push('sha256:racing');
    await expect(buildAndPush(options, deps)).rejects.toThrow(
      `The registry stored sha256:racing for ${IMAGE}:main, not ${NEW_DIGEST}.`,
    );
  });

  it('fails when the pushed tag reads back as another digest than docker reported', async () => {
    const { options, deps, registry } = setup();
    const original = registry.manifest.bind(registry);
    registry.manifest = async (repository, reference) => {
      const info = await original(repository, reference);
      return reference === SHA && info ? { ...info, digest: 'sha256:racing' } : info;
    };
    await expect(buildAndPush(options, deps)).rejects.toThrow(
      `After the push, tag "${SHA}" resolves to sha256:racing in the registry, not the pushed ${NEW_DIGEST}`,
    );
    expect(registry.puts).toEqual([]);
  });

  it('retries a tag PUT the registry answers 503 to, but not one it refuses', async () => {
    const retried = setup();
    retried.registry.putAnswers.push(503);
    const result = await buildAndPush(retried.options, retried.deps);
    expect(retried.registry.puts).toEqual(['main', 'main']);
    expect(retried.sleeps).toHaveLength(1);
    expect(result.digest).toBe(NEW_DIGEST);

    const refused = setup();
    refused.registry.putAnswers.push(403);
    await expect(buildAndPush(refused.options, refused.deps)).rejects.toThrow('HTTP 403');
    expect(refused.registry.puts).toEqual(['main']);
  });

  it('tags the image under the repository name first when the build could not (ECR, built early)', async () => {
    const { options, deps, script, registry } = setup();
    const built = await buildImage(
      { plan: { ...options.plan, tags: [] }, builder: 'docker', hostPlatform: 'linux/amd64' },
      deps,
    );
    const result = await publishImage(options, built, { ...deps, registry });
    expect(script.calls.slice(1, 3)).toEqual([
      ['tag', NEW_ID, `${IMAGE}:${SHA}`],
      ['push', `${IMAGE}:${SHA}`],
    ]);
    expect(result.digest).toBe(NEW_DIGEST);
  });

  it('waits for the push target found alongside the build (ECR) and honours its immutability', async () => {
    const { options, deps, pushes, registry } = setup();
    registry.tags.set('main', { digest: 'sha256:old', mediaType: 'm', configDigest: 'sha256:x', size: 1 });
    const target = Promise.resolve({ image: IMAGE, immutable: true });
    await expect(buildAndPush(options, { ...deps, target })).rejects.toThrow(
      /Tag "main" already exists in the IMMUTABLE repository/,
    );
    expect(pushes()).toEqual([]);
  });

  it('builds again, logged in, when a build that started before the login failed on credentials', async () => {
    const { options, deps, script, log } = setup();
    let loggedIn = false;
    const done = Promise.resolve().then(() => {
      loggedIn = true;
    });
    const docker = deps.docker;
    let builds = 0;
    deps.docker = (command, args, commandOptions) => {
      if (args[0] === 'build' && ++builds === 1) {
        expect(loggedIn).toBe(false);
        return Promise.resolve({ exitCode: 1, stdout: '', stderr: 'failed to authorize: 401 Unauthorized' });
      }
      return docker(command, args, commandOptions);
    };
    const result = await buildAndPush(options, { ...deps, login: { done, settled: () => false } });
    expect(builds).toBe(2);
    expect(loggedIn).toBe(true);
    expect(log.info.join('\n')).toMatch(/building again, logged in/);
    expect(result.digest).toBe(NEW_DIGEST);
    expect(script.calls.filter((args) => args[0] === 'push')).toHaveLength(1);
  });

  it('reports a failed login rather than the build that ran alongside it', async () => {
    const { options, deps, script } = setup();
    script.buildExit = 1;
    const done = Promise.reject(new Error('docker login 127.0.0.1:5000 failed: denied'));
    done.catch(() => undefined);
    await expect(buildAndPush(options, { ...deps, login: { done, settled: () => true } })).rejects.toThrow(
      'docker login 127.0.0.1:5000 failed: denied',
    );
  });

  it('builds only when push is false', async () => {
    const { options, deps, pushes } = setup({ plan: { push: false } });
    const result = await buildAndPush(options, deps);
    expect(pushes()).toEqual([]);
    expect(result.digest).toBeUndefined();
    expect(result.imageId).toBe(NEW_ID);
  });
});

describe('skip-existing', () => {
  it('skips build and push when every tag holds one image built from this commit', async () => {
    const { options, deps, script, registry } = setup({ options: { skipExisting: true } });
    const existing = { digest: 'sha256:done', mediaType: 'm', configDigest: 'sha256:c', size: 5 };
    registry.tags.set(SHA, existing).set('main', existing);
    registry.labelsByDigest.set('sha256:done', { 'org.opencontainers.image.revision': SHA });
    const result = await buildAndPush(options, deps);
    expect(script.calls).toEqual([]);
    expect(result).toMatchObject({ skipped: true, digest: 'sha256:done', sizeBytes: 5 });
  });

  it('builds when the existing image comes from another commit', async () => {
    const { options, deps, script, registry, log } = setup({ options: { skipExisting: true } });
    const existing = { digest: 'sha256:done', mediaType: 'm', configDigest: 'sha256:c', size: 5 };
    registry.tags.set(SHA, existing).set('main', existing);
    registry.labelsByDigest.set('sha256:done', { 'org.opencontainers.image.revision': 'f00' });
    const result = await buildAndPush(options, deps);
    expect(result.skipped).toBe(false);
    expect(script.calls[0]![0]).toBe('build');
    expect(log.info.join('\n')).toMatch(/built from f00, not abcdef/);
  });

  it('builds when a tag is missing', async () => {
    const { options, deps, registry } = setup({ options: { skipExisting: true } });
    registry.tags.set(SHA, { digest: 'sha256:done', mediaType: 'm', size: 5 });
    expect((await buildAndPush(options, deps)).skipped).toBe(false);
  });
});

describe('buildAndPush with buildx', () => {
  it('takes the digest from the metadata file and PUTs it under the tags, skipping identical tags', async () => {
    const { options, deps, script, registry } = setup({ options: { builder: 'buildx' } });
    registry.tags.set('sha256:buildxdigest', { digest: 'sha256:buildxdigest', mediaType: 'index', size: 99 });
    registry.tags.set(SHA, { digest: 'sha256:buildxdigest', mediaType: 'index', size: 99 });
    const result = await buildAndPush(options, deps);
    expect(script.calls.map((args) => args[1])).toEqual(['build']);
    expect(registry.reads).toEqual(['sha256:buildxdigest']);
    expect(registry.puts).toEqual(['main']);
    expect(result.digest).toBe('sha256:buildxdigest');
    expect(result.tags.map((tag) => tag.state)).toEqual(['unchanged', 'pushed']);
  });

  it('treats a re-run with fresh provenance as the same image, and tags new names with the existing digest', async () => {
    const { options, deps, script, registry, log } = setup({
      options: { builder: 'buildx', immutable: true },
    });
    registry.tags.set(SHA, { digest: 'sha256:firstrun', mediaType: 'index', size: 99 });
    registry.tags.set('sha256:buildxdigest', { digest: 'sha256:buildxdigest', mediaType: 'index', size: 99 });
    const configs = ['linux/amd64=sha256:cfg', 'linux/arm64=sha256:cfg2'];
    registry.configsByDigest.set('sha256:firstrun', configs).set('sha256:buildxdigest', [...configs]);
    const original = registry.manifest.bind(registry);
    registry.manifest = async (repository, reference) =>
      reference === 'sha256:firstrun' ? registry.tags.get(SHA) : original(repository, reference);
    const result = await buildAndPush(options, deps);
    expect(script.calls.map((args) => args[1])).toEqual(['build']);
    expect(registry.reads).toEqual(['sha256:firstrun']);
    expect(registry.puts).toEqual(['main']);
    expect(registry.tags.get('main')?.digest).toBe('sha256:firstrun');
    expect(result.tags.map((tag) => tag.state)).toEqual(['unchanged', 'pushed']);
    expect(log.info.join('\n')).toMatch(/same image with other attestations; tags use sha256:firstrun/);
  });

  it('still refuses an immutable tag whose image differs, not just its attestations', async () => {
    const { options, deps, registry } = setup({ options: { builder: 'buildx', immutable: true } });
    registry.tags.set('main', { digest: 'sha256:older', mediaType: 'index', size: 1 });
    registry.configsByDigest
      .set('sha256:older', ['linux/amd64=sha256:a'])
      .set('sha256:buildxdigest', ['linux/amd64=sha256:b']);
    await expect(buildAndPush(options, deps)).rejects.toThrow(
      /Tag "main" already exists in the IMMUTABLE repository/,
    );
  });

  it('refuses to move an immutable tag to a new digest', async () => {
    const { options, deps, registry } = setup({ options: { builder: 'buildx', immutable: true } });
    registry.tags.set('main', { digest: 'sha256:older', mediaType: 'index', size: 1 });
    await expect(buildAndPush(options, deps)).rejects.toThrow(
      /Tag "main" already exists in the IMMUTABLE repository .* as sha256:older, .*\(digest sha256:buildxdigest\)/,
    );
  });
});

describe('pushedDigest', () => {
  it("reads the digest from docker push's last line", () => {
    expect(pushedDigest(`abc: Pushed\nv1: digest: ${NEW_DIGEST} size: 1573\n`)).toBe(NEW_DIGEST);
    expect(pushedDigest('v1: digest: sha256:short size: 1')).toBeUndefined();
  });
});
