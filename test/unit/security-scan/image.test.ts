import { parseImage } from '../../../actions/security-scan/src/inputs.js';
import {
  describeImageScan,
  imagePackages,
  parseImageReference,
} from '../../../actions/security-scan/src/scanners/image/index.js';
import { osEcosystem } from '../../../actions/security-scan/src/scanners/image/packages.js';

describe('image references', () => {
  it('splits registry, repository and tag or digest as Docker does', () => {
    const digest = `sha256:${'a'.repeat(64)}`;
    expect(parseImageReference('127.0.0.1:5000/shipkit/node:24-slim')).toEqual({
      registry: '127.0.0.1:5000',
      repository: 'shipkit/node',
      reference: '24-slim',
    });
    expect(parseImageReference(`123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1@${digest}`)).toEqual({
      registry: '123456789012.dkr.ecr.us-east-1.amazonaws.com',
      repository: 'app',
      reference: digest,
    });
    expect(parseImageReference('node')).toEqual({
      registry: 'docker.io',
      repository: 'library/node',
      reference: 'latest',
    });
    expect(parseImageReference('localhost/team/app')).toMatchObject({
      registry: 'localhost',
      repository: 'team/app',
    });
    for (const bad of ['', 'Upper/Case', 'app@sha256:short', 'a b', 'app:bad tag'])
      expect(parseImageReference(bad)).toBeUndefined();
  });

  it('rejects a bad image input naming it; empty means no image scan', () => {
    expect(parseImage('')).toBe('');
    expect(parseImage(' 127.0.0.1:5000/app:1 ')).toBe('127.0.0.1:5000/app:1');
    expect(() => parseImage('not an image')).toThrow(
      /^Input "image" must be an image reference like .*, got "not an image"\.$/,
    );
  });
});

describe('package databases', () => {
  it('maps os-release to OSV ecosystems', () => {
    expect(osEcosystem('ID=debian\nVERSION_ID="12"\n')).toBe('Debian:12');
    expect(osEcosystem('NAME="Alpine Linux"\nID=alpine\nVERSION_ID=3.20.3\n')).toBe('Alpine:v3.20');
    // Ubuntu's os-release (24.04 and 24.10 as shipped): LTS releases are named so in VERSION.
    expect(
      osEcosystem(
        'NAME="Ubuntu"\nVERSION_ID="24.04"\nVERSION="24.04.1 LTS (Noble Numbat)"\nID=ubuntu\nID_LIKE=debian\n',
      ),
    ).toBe('Ubuntu:24.04:LTS');
    expect(osEcosystem('ID=ubuntu\nVERSION_ID="24.10"\nVERSION="24.10 (Oracular Oriole)"\n')).toBe(
      'Ubuntu:24.10',
    );
    expect(osEcosystem('ID=ubuntu\nVERSION="24.10 (Oracular Oriole)"\n')).toBeUndefined();
    expect(osEcosystem('ID=fedora\nVERSION_ID=40\n')).toBeUndefined();
    expect(osEcosystem(undefined)).toBeUndefined();
  });

  it('lists Debian packages by source, Alpine ones by origin, node_modules and dist-info', async () => {
    const files = new Map([
      ['etc/os-release', 'ID=debian\nVERSION_ID="12"\n'],
      [
        'var/lib/dpkg/status',
        [
          'Package: libssl3\nStatus: install ok installed\nSource: openssl\nVersion: 3.0.11-1~deb12u2\nDescription: x\n more',
          'Package: libc6\nStatus: install ok installed\nSource: glibc (2.36-9+deb12u4)\nVersion: 2.36-9+deb12u4',
          'Package: removed\nStatus: deinstall ok config-files\nVersion: 1.0',
          'Package: bash\nStatus: install ok installed\nVersion: 5.2.15-2+b2',
        ].join('\n\n'),
      ],
      ['app/node_modules/@scope/pkg/package.json', '{"name":"@scope/pkg","version":"2.0.0"}'],
      ['app/node_modules/broken/package.json', '{ not json'],
      [
        'usr/lib/python3/site-packages/Foo_Bar-1.0.dist-info/METADATA',
        'Metadata-Version: 2.1\nName: Foo_Bar\nVersion: 1.0\n\nName: not-a-header\n',
      ],
    ]);
    const { packages, os } = await imagePackages(files);
    expect(os).toBe('Debian:12');
    expect(packages.map((pkg) => `${pkg.ecosystem} ${pkg.name}@${pkg.version}`)).toEqual([
      'Debian:12 openssl@3.0.11-1~deb12u2',
      'Debian:12 glibc@2.36-9+deb12u4',
      'Debian:12 bash@5.2.15-2+b2',
      'npm @scope/pkg@2.0.0',
      'PyPI foo-bar@1.0',
    ]);
    const alpine = await imagePackages(
      new Map([
        ['etc/os-release', 'ID=alpine\nVERSION_ID=3.20.3\n'],
        ['lib/apk/db/installed', 'C:Q1abc=\nP:libcrypto3\nV:3.3.2-r0\no:openssl\n\nP:musl\nV:1.2.5-r0\n'],
      ]),
    );
    expect(alpine.packages.map((pkg) => `${pkg.ecosystem} ${pkg.name}@${pkg.version}`)).toEqual([
      'Alpine:v3.20 openssl@3.3.2-r0',
      'Alpine:v3.20 musl@1.2.5-r0',
    ]);
  });
});

describe('Ubuntu images and the image log', () => {
  const ubuntu = new Map([
    ['usr/lib/os-release', 'ID=ubuntu\nVERSION_ID="22.04"\nVERSION="22.04.5 LTS (Jammy Jellyfish)"\n'],
    [
      'var/lib/dpkg/status',
      'Package: libssl3\nStatus: install ok installed\nSource: openssl\nVersion: 3.0.2-0ubuntu1.18\n\n' +
        'Package: zlib1g\nStatus: install ok installed\nSource: zlib\nVersion: 1:1.2.11.dfsg-2ubuntu9.2\n',
    ],
    ['app/node_modules/a/package.json', '{"name":"a","version":"1.0.0"}'],
    ['app/node_modules/b/package.json', '{"name":"b","version":"2.0.0"}'],
  ]);

  it("lists an Ubuntu image's dpkg packages by source under its release", async () => {
    const { packages, os } = await imagePackages(ubuntu);
    expect(os).toBe('Ubuntu:22.04:LTS');
    expect(packages.map((pkg) => `${pkg.ecosystem} ${pkg.name}@${pkg.version}`)).toEqual([
      'Ubuntu:22.04:LTS openssl@3.0.2-0ubuntu1.18',
      'Ubuntu:22.04:LTS zlib@1:1.2.11.dfsg-2ubuntu9.2',
      'npm a@1.0.0',
      'npm b@2.0.0',
    ]);
  });

  it('logs what was read, each OS package with its version, and language packages per ecosystem', async () => {
    const { packages, os } = await imagePackages(ubuntu);
    const result = {
      findings: [],
      unreachable: [],
      packages,
      os: os!,
      digest: `sha256:${'b'.repeat(64)}`,
      layers: 3,
      bytesRead: 3 * 1024 * 1024 + 100_000,
    };
    expect(describeImageScan('r/app:1', result)).toEqual([
      `Image r/app:1: sha256:${'b'.repeat(64)}, 3 layer(s), 3.1 MB read.`,
      'Ubuntu:22.04:LTS: 2 OS package(s): openssl 3.0.2-0ubuntu1.18, zlib 1:1.2.11.dfsg-2ubuntu9.2.',
      'Language packages: 2 npm.',
    ]);
    const bare = { ...result, packages: [], os: undefined };
    expect(describeImageScan('r/app:1', { ...bare, os: 'Debian:12' })[1]).toBe(
      'Debian:12: 0 OS package(s) (no package database).',
    );
    const { os: _none, ...noOs } = bare;
    expect(describeImageScan('r/app:1', noOs).slice(1)).toEqual([
      'No os-release of a known distribution (Debian, Ubuntu, Alpine, AlmaLinux, Rocky Linux): OS packages not checked.',
      'Language packages: none.',
    ]);
    expect(
      describeImageScan('r/app:1', { findings: [], unreachable: [], packages: [], layers: 0, bytesRead: 0 }),
    ).toEqual(['Image r/app:1: not read.']);
  });
});
