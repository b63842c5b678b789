import {
  adjustCacheTo,
  buildxBuildArgs,
  loginArgs,
  plainBuildArgs,
  tagArgs,
  type BuildPlan,
} from '../../../actions/build-push/src/docker-args.js';
import { ConfigurationError } from '../../../shared/errors.js';

const IMAGE = '123456789012.dkr.ecr.us-east-1.amazonaws.com/shop';

function plan(overrides: Partial<BuildPlan> = {}): BuildPlan {
  return {
    context: '/ws/app',
    file: '/ws/app/Dockerfile',
    platforms: [],
    buildArgs: new Map(),
    secrets: [],
    labels: {},
    tags: [`${IMAGE}:abc`, `${IMAGE}:main`],
    image: IMAGE,
    cacheFrom: [],
    cacheTo: [],
    network: 'default',
    pull: false,
    noCache: false,
    singleManifest: false,
    push: true,
    iidFile: '/tmp/x/iid',
    metadataFile: '/tmp/x/metadata.json',
    isEcr: true,
    ...overrides,
  };
}

/** The value following each occurrence of a flag. */
function values(args: readonly string[], flag: string): string[] {
  return args.flatMap((arg, index) => (arg === flag ? [args[index + 1]!] : []));
}

describe('buildxBuildArgs', () => {
  it('passes platforms, build args, target, labels, network, pull and no-cache', () => {
    const { args } = buildxBuildArgs(
      plan({
        platforms: ['linux/amd64', 'linux/arm64'],
        buildArgs: new Map([
          ['NODE_ENV', 'production'],
          ['EMPTY', ''],
        ]),
        target: 'runtime',
        labels: { 'org.opencontainers.image.revision': 'abc' },
        network: 'host',
        pull: true,
        noCache: true,
      }),
    );
    expect(args.slice(0, 2)).toEqual(['buildx', 'build']);
    expect(values(args, '--platform')).toEqual(['linux/amd64,linux/arm64']);
    expect(values(args, '--build-arg')).toEqual(['NODE_ENV=production', 'EMPTY=']);
    expect(values(args, '--target')).toEqual(['runtime']);
    expect(values(args, '--label')).toEqual(['org.opencontainers.image.revision=abc']);
    expect(values(args, '--network')).toEqual(['host']);
    expect(args).toContain('--pull');
    expect(args).toContain('--no-cache');
    expect(values(args, '--file')).toEqual(['/ws/app/Dockerfile']);
    expect(args.at(-1)).toBe('/ws/app');
  });

  it('passes secrets as --secret by env name or file, never as build args and never their value', () => {
    const { args } = buildxBuildArgs(
      plan({
        secrets: [
          { id: 'npm', env: 'SHIPKIT_BUILD_SECRET_0' },
          { id: 'netrc', src: '/home/r/.netrc' },
        ],
      }),
    );
    expect(values(args, '--secret')).toEqual([
      'id=npm,env=SHIPKIT_BUILD_SECRET_0',
      'id=netrc,src=/home/r/.netrc',
    ]);
    expect(values(args, '--build-arg')).toEqual([]);
  });

  it('pushes by digest only, so no tag is written before existing tags are checked', () => {
    const { args } = buildxBuildArgs(plan());
    expect(values(args, '--output')).toEqual([
      `type=image,name=${IMAGE},push-by-digest=true,name-canonical=true,push=true`,
    ]);
    expect(values(args, '--tag')).toEqual([]);
    expect(values(args, '--iidfile')).toEqual(['/tmp/x/iid']);
    expect(values(args, '--metadata-file')).toEqual(['/tmp/x/metadata.json']);
  });

  it('loads into docker with the tags when not pushing', () => {
    const { args } = buildxBuildArgs(plan({ push: false }));
    expect(args).toContain('--load');
    expect(values(args, '--tag')).toEqual([`${IMAGE}:abc`, `${IMAGE}:main`]);
  });

  it('says where a multi-platform build without push goes', () => {
    const { args, notes } = buildxBuildArgs(plan({ push: false, platforms: ['linux/amd64', 'linux/arm64'] }));
    expect(args).not.toContain('--load');
    expect(notes.join()).toMatch(/build cache only/);
  });

  it('adds image-manifest=true,oci-mediatypes=true to an ECR registry cache, and says so', () => {
    const { args, notes } = buildxBuildArgs(
      plan({
        cacheFrom: [`${IMAGE}:cache`, 'type=gha'],
        cacheTo: [`type=registry,ref=${IMAGE}:cache,mode=max`, 'type=gha,mode=max'],
      }),
    );
    expect(values(args, '--cache-from')).toEqual([`type=registry,ref=${IMAGE}:cache`, 'type=gha']);
    expect(values(args, '--cache-to')).toEqual([
      `type=registry,ref=${IMAGE}:cache,mode=max,image-manifest=true,oci-mediatypes=true`,
      'type=gha,mode=max',
    ]);
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatch(/image-manifest=true,oci-mediatypes=true/);
  });

  it('keeps a user-set image-manifest and leaves other registries alone', () => {
    expect(adjustCacheTo('type=registry,ref=x/y:c,image-manifest=false', true).entry).toBe(
      'type=registry,ref=x/y:c,image-manifest=false,oci-mediatypes=true',
    );
    expect(adjustCacheTo('type=registry,ref=ghcr.io/a/b:c', false)).toEqual({
      entry: 'type=registry,ref=ghcr.io/a/b:c',
    });
  });

  it('passes provenance and sbom through, or turns both off for a single manifest', () => {
    const through = buildxBuildArgs(plan({ provenance: 'mode=max', sbom: 'true' })).args;
    expect(values(through, '--provenance')).toEqual(['mode=max']);
    expect(values(through, '--sbom')).toEqual(['true']);
    const single = buildxBuildArgs(plan({ singleManifest: true })).args;
    expect(values(single, '--provenance')).toEqual(['false']);
    expect(values(single, '--sbom')).toEqual(['false']);
    expect(values(single, '--output')[0]).toMatch(/oci-mediatypes=false/);
    const untouched = buildxBuildArgs(plan()).args;
    expect(untouched).not.toContain('--provenance');
  });
});

describe('plainBuildArgs', () => {
  it('builds one platform into the image store with every tag and the iid file', () => {
    const { args, warnings } = plainBuildArgs(plan({ platforms: ['linux/amd64'], network: 'host' }));
    expect(args[0]).toBe('build');
    expect(values(args, '--tag')).toEqual([`${IMAGE}:abc`, `${IMAGE}:main`]);
    expect(values(args, '--platform')).toEqual(['linux/amd64']);
    expect(values(args, '--network')).toEqual(['host']);
    expect(values(args, '--iidfile')).toEqual(['/tmp/x/iid']);
    expect(args).not.toContain('--metadata-file');
    expect(warnings).toEqual([]);
  });

  it('refuses several platforms with the fix', () => {
    expect(() => plainBuildArgs(plan({ platforms: ['linux/amd64', 'linux/arm64'] }))).toThrow(
      ConfigurationError,
    );
    expect(() => plainBuildArgs(plan({ platforms: ['linux/amd64', 'linux/arm64'] }))).toThrow(
      /docker\/setup-buildx-action/,
    );
  });

  it('uses registry caches as --cache-from refs and inline cache-to; warns about the rest', () => {
    const { args, warnings, notes } = plainBuildArgs(
      plan({
        cacheFrom: [`${IMAGE}:cache`, `type=registry,ref=${IMAGE}:main`, 'type=gha'],
        cacheTo: ['type=inline', 'type=gha,mode=max'],
      }),
    );
    expect(values(args, '--cache-from')).toEqual([`${IMAGE}:cache`, `${IMAGE}:main`]);
    expect(values(args, '--build-arg')).toEqual(['BUILDKIT_INLINE_CACHE=1']);
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(/cache-from "type=gha" needs buildx/);
    expect(warnings[1]).toMatch(/cache-to "type=gha,mode=max" needs buildx/);
    expect(notes[0]).toMatch(/inline/);
  });

  it('warns that provenance and sbom need buildx, but not when they are off', () => {
    expect(plainBuildArgs(plan({ provenance: 'mode=max', sbom: 'true' })).warnings).toEqual([
      expect.stringMatching(/provenance needs buildx/),
      expect.stringMatching(/sbom needs buildx/),
    ]);
    expect(plainBuildArgs(plan({ provenance: 'false', sbom: 'false' })).warnings).toEqual([]);
  });

  it('leaves --file out for a remote context with its own Dockerfile', () => {
    const { args } = plainBuildArgs(
      plan({ context: 'https://github.com/acme/shop.git#main', file: undefined }),
    );
    expect(args).not.toContain('--file');
    expect(args.at(-1)).toBe('https://github.com/acme/shop.git#main');
  });

  it('passes secrets the same way as buildx', () => {
    const { args } = plainBuildArgs(plan({ secrets: [{ id: 'npm', env: 'SHIPKIT_BUILD_SECRET_0' }] }));
    expect(values(args, '--secret')).toEqual(['id=npm,env=SHIPKIT_BUILD_SECRET_0']);
  });
});

describe('other docker commands', () => {
  it('logs in with the password on stdin only', () => {
    expect(loginArgs('127.0.0.1:5000', 'AWS')).toEqual([
      'login',
      '--username',
      'AWS',
      '--password-stdin',
      '127.0.0.1:5000',
    ]);
  });
  it('tags the built image id under a reference', () => {
    expect(tagArgs('sha256:abc', `${IMAGE}:v1`)).toEqual(['tag', 'sha256:abc', `${IMAGE}:v1`]);
  });
});
