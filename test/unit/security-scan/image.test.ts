import { parseImage } from '../../../actions/security-scan/src/inputs.js';
import {
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
    expect(osEcosystem('ID=fedora\nVERSION_ID=40\n')).toBeUndefined();
    expect(osEcosystem(undefined)).toBeUndefined();
  });

  it('lists Debian packages by source, Alpine ones by origin, node_modules and dist-info', () => {
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
    const { packages, os } = imagePackages(files);
    expect(os).toBe('Debian:12');
    expect(packages.map((pkg) => `${pkg.ecosystem} ${pkg.name}@${pkg.version}`)).toEqual([
      'Debian:12 openssl@3.0.11-1~deb12u2',
      'Debian:12 glibc@2.36-9+deb12u4',
      'Debian:12 bash@5.2.15-2+b2',
      'npm @scope/pkg@2.0.0',
      'PyPI foo-bar@1.0',
    ]);
    const alpine = imagePackages(
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
