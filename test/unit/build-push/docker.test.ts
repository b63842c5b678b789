import {
  checkEmulation,
  classifyPushFailure,
  countCacheHits,
  explainBuildFailure,
  hostPlatform,
  spawnCommand,
  detectBuilder,
  pluginDirs,
} from '../../../actions/build-push/src/docker.js';
import { pushedLayers } from '../../../actions/build-push/src/publish.js';

describe('classifyPushFailure', () => {
  it.each([
    ['received unexpected HTTP status: 500 Internal Server Error', 'transient'],
    ['received unexpected HTTP status: 503 Service Unavailable', 'transient'],
    ['toomanyrequests: Rate exceeded', 'transient'],
    ['read tcp 127.0.0.1:1234->127.0.0.1:5000: read: connection reset by peer', 'transient'],
    ['Put "https://x/v2/": net/http: TLS handshake timeout', 'transient'],
    ['unauthorized: authentication required', 'auth'],
    [
      'denied: User: arn:aws:sts::1:assumed-role/x is not authorized to perform: ecr:InitiateLayerUpload',
      'auth',
    ],
    ['no basic auth credentials', 'auth'],
    ['tag invalid: The image tag already exists and cannot be overwritten', 'other'],
    ['An image does not exist locally with the tag: x', 'other'],
  ])('%p is %p', (output, kind) => expect(classifyPushFailure(output)).toBe(kind));
});

describe('explainBuildFailure', () => {
  it('turns exec format error on a foreign platform into the QEMU fix', () => {
    const message = explainBuildFailure(
      '#5 [2/3] RUN npm ci\n#5 0.101 exec /bin/sh: exec format error\nERROR: process "/bin/sh -c npm ci" did not complete',
      ['linux/arm64'],
      'linux/amd64',
    );
    expect(message).toMatch(/linux\/arm64 on this linux\/amd64 runner needs emulation/);
    expect(message).toMatch(/docker\/setup-qemu-action/);
  });
  it('explains a base image without the platform', () => {
    expect(
      explainBuildFailure(
        'no match for platform in manifest sha256:abc: not found',
        ['linux/s390x'],
        'linux/amd64',
      ),
    ).toMatch(/base image has no linux\/s390x variant/);
  });
  it('explains a # syntax= frontend that cannot be pulled', () => {
    const output =
      '> resolve image config for docker.io/docker/dockerfile:1:\n------\nfailed to solve with frontend dockerfile.v0: failed to do request: Head "https://registry-1.docker.io/v2/docker/dockerfile/manifests/1": dial tcp: lookup registry-1.docker.io: no such host';
    expect(explainBuildFailure(output, [], 'linux/amd64')).toBe(
      'The Dockerfile\'s "# syntax=" line needs docker.io/docker/dockerfile:1 from a registry this runner cannot reach: remove the line (the built-in frontend is used) or point it at a mirror.',
    );
  });
  it('leaves other failures to docker', () => {
    expect(explainBuildFailure('npm ERR! missing script: build', [], 'linux/amd64')).toBeUndefined();
  });
});

describe('checkEmulation', () => {
  it('passes the host platform and 386 on amd64 without QEMU', () => {
    expect(checkEmulation(['linux/amd64', 'linux/386'], 'linux/amd64', () => false)).toBeUndefined();
  });
  it('fails a foreign platform when its binfmt handler is missing, naming the fix', () => {
    const seen: string[] = [];
    const message = checkEmulation(['linux/arm64'], 'linux/amd64', (name) => {
      seen.push(name);
      return false;
    });
    expect(seen).toEqual(['qemu-aarch64']);
    expect(message).toMatch(/^Input "platforms" asks for linux\/arm64.*docker\/setup-qemu-action/);
  });
  it('accepts a foreign platform when QEMU is registered', () => {
    expect(checkEmulation(['linux/arm64', 'linux/amd64'], 'linux/arm64', () => true)).toBeUndefined();
  });
  it('maps node architectures to platforms', () => {
    expect(hostPlatform('x64')).toBe('linux/amd64');
    expect(hostPlatform('arm64')).toBe('linux/arm64');
  });
});

describe('countCacheHits', () => {
  it('counts CACHED build steps, not internal ones', () => {
    const progress = [
      '#1 [internal] load build definition from Dockerfile',
      '#5 [1/4] FROM 127.0.0.1:5000/shipkit/node:24-slim',
      '#6 [2/4] WORKDIR /app',
      '#6 CACHED',
      '#7 [3/4] COPY server.js ./',
      '#7 CACHED',
      '#8 [4/4] RUN true',
      '#9 [build 2/3] RUN npm ci',
      '#9 CACHED',
    ].join('\n');
    expect(countCacheHits(progress)).toEqual({ cached: 3, total: 5 });
  });
  it('knows nothing without BuildKit progress', () => {
    expect(countCacheHits('Step 1/3 : FROM node')).toBeUndefined();
  });
});

describe('pushedLayers', () => {
  it('separates uploaded layers from existing and mounted ones', () => {
    const output = [
      'The push refers to repository [127.0.0.1:5000/app]',
      '3e41a34c001f: Preparing',
      '3e41a34c001f: Pushed',
      '69bfd1f4c61f: Mounted from shipkit/node',
      'a3095bdcc11c: Layer already exists',
      'main: digest: sha256:99 size: 1149',
    ].join('\n');
    const layers = pushedLayers(output);
    expect([...layers.pushed]).toEqual(['3e41a34c001f']);
    expect([...layers.existing].sort()).toEqual(['69bfd1f4c61f', 'a3095bdcc11c']);
  });
});

describe('spawnCommand', () => {
  it('collects output and the exit code, feeding stdin', async () => {
    const lines: string[] = [];
    const result = await spawnCommand(
      process.execPath,
      ['-e', 'process.stdin.pipe(process.stdout); process.on("exit", () => { process.exitCode = 3; })'],
      { stdin: 'one\ntwo', onLine: (line) => lines.push(line) },
    );
    expect(result).toEqual({ exitCode: 3, stdout: 'one\ntwo', stderr: '' });
    expect(lines).toEqual(['one', 'two']);
  });

  it('says when the program is missing', async () => {
    await expect(spawnCommand('shipkit-no-such-docker', ['version'])).rejects.toThrow(
      'shipkit-no-such-docker is not installed or not on PATH.',
    );
  });
});

describe('detectBuilder', () => {
  const probe = (exitCode: number) => {
    const calls: string[][] = [];
    const run = (_command: string, args: readonly string[]) => {
      calls.push([...args]);
      return Promise.resolve({ exitCode, stdout: '', stderr: '' });
    };
    return { run, calls };
  };

  it('finds the buildx plugin where the docker CLI looks, without starting a process', async () => {
    const { run, calls } = probe(1);
    const seen: string[] = [];
    const exists = (path: string): boolean => {
      seen.push(path);
      return path === '/usr/libexec/docker/cli-plugins/docker-buildx';
    };
    await expect(detectBuilder('auto', run, exists)).resolves.toBe('buildx');
    expect(seen).toEqual(pluginDirs().map((dir) => `${dir}/docker-buildx`));
    expect(calls).toEqual([]);
  });

  it('uses plain docker when no plugin is installed, still without a process', async () => {
    const { run, calls } = probe(0);
    await expect(detectBuilder('auto', run, () => false)).resolves.toBe('docker');
    expect(calls).toEqual([]);
  });

  it('asks docker itself only when buildx is required and no plugin file was found', async () => {
    const found = probe(0);
    await expect(detectBuilder('buildx', found.run, () => false)).resolves.toBe('buildx');
    expect(found.calls).toEqual([['buildx', 'version']]);
    await expect(detectBuilder('buildx', probe(1).run, () => false)).rejects.toThrow(
      /"builder" is buildx, but "docker buildx" is not installed: add docker\/setup-buildx-action/,
    );
  });

  it('looks in DOCKER_CONFIG/cli-plugins first', () => {
    expect(pluginDirs({ DOCKER_CONFIG: '/cfg' })[0]).toBe('/cfg/cli-plugins');
  });
});
