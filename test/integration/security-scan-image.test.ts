import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

import tar from 'tar-stream';

import { OsvClient } from '../../actions/security-scan/src/scanners/dependencies/osv.js';
import { scanImage } from '../../actions/security-scan/src/scanners/image/index.js';
import { dockerCli, pushImage as dockerPush } from '../helpers/docker.js';
import { type OsvRecord, startOsvStandIn } from '../helpers/osv-stand-in.js';
import { REPO_ROOT, runAction } from '../helpers/run-action.js';
import { readStackEnv, requireStack } from '../helpers/stack.js';

/**
 * A gzipped layer tar of `files` (path -> content; a `null` content is an empty whiteout marker; a Buffer is
 * an executable).
 */
async function layer(files: Record<string, string | Buffer | null>): Promise<Buffer> {
  const pack = tar.pack();
  for (const [name, content] of Object.entries(files)) {
    const mode = Buffer.isBuffer(content) ? 0o755 : 0o644;
    pack.entry({ name, mode, size: Buffer.byteLength(content ?? '') }, content ?? '');
  }
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of pack) chunks.push(chunk as Buffer);
  return gzipSync(Buffer.concat(chunks));
}

const sha256 = (bytes: Buffer): string => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

/** Pushes an image made of `layers` to the local registry through the distribution API; returns name@digest. */
async function pushImage(
  registry: string,
  repository: string,
  auth: string,
  layers: Buffer[],
): Promise<string> {
  const base = `http://${registry}/v2/${repository}`;
  const headers = { authorization: auth };
  const upload = async (bytes: Buffer): Promise<string> => {
    const digest = sha256(bytes);
    const started = await fetch(`${base}/blobs/uploads/`, { method: 'POST', headers });
    expect(started.status).toBe(202);
    const location = new URL(started.headers.get('location')!, `http://${registry}`);
    location.searchParams.set('digest', digest);
    const put = await fetch(location, {
      method: 'PUT',
      headers: { ...headers, 'content-type': 'application/octet-stream' },
      body: bytes,
    });
    expect(put.status).toBe(201);
    return digest;
  };
  const config = Buffer.from(
    JSON.stringify({
      architecture: 'amd64',
      os: 'linux',
      rootfs: { type: 'layers', diff_ids: layers.map(() => sha256(Buffer.alloc(0))) },
    }),
  );
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: {
        mediaType: 'application/vnd.oci.image.config.v1+json',
        digest: await upload(config),
        size: config.length,
      },
      layers: await Promise.all(
        layers.map(async (bytes) => ({
          mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip',
          digest: await upload(bytes),
          size: bytes.length,
        })),
      ),
    }),
  );
  const put = await fetch(`${base}/manifests/v1`, {
    method: 'PUT',
    headers: { ...headers, 'content-type': 'application/vnd.oci.image.manifest.v1+json' },
    body: manifest,
  });
  expect(put.status).toBe(201);
  return `${registry}/${repository}@${sha256(manifest)}`;
}

/** The version of a binary package in a dpkg status file, read independently of the scanner's parser. */
function dpkgVersion(status: string, name: string): string {
  const paragraph = status.split('\n\n').find((block) => block.startsWith(`Package: ${name}\n`))!;
  return /^Version: (.+)$/m.exec(paragraph)![1]!;
}

describe('security-scan image reader against the local registry', () => {
  it("reads layers with whiteouts, lists dpkg, npm and Python packages and a Go binary's standard library, and reports OSV findings", async () => {
    const env = readStackEnv();
    const registry = env['SHIPKIT_REGISTRY']!;
    const username = env['SHIPKIT_REGISTRY_USERNAME']!;
    const password = env['SHIPKIT_REGISTRY_PASSWORD']!;
    const auth = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
    // A real Debian 12 package database: this machine's.
    const status = readFileSync('/var/lib/dpkg/status', 'utf8');
    const osRelease = readFileSync('/etc/os-release', 'utf8');
    // A real Go binary (the registry the stack runs) and the Go it was built with, as its package records.
    const goBinary = readFileSync('/usr/bin/docker-registry');
    const builtWith = execFileSync('dpkg-query', ['-W', '-f', '${Built-Using}', 'docker-registry'], {
      encoding: 'utf8',
    });
    const stdlib = /\bgolang-1\.\d+ \(= ([\d.]+)-/.exec(builtWith)![1]!;
    const sitePackages = 'usr/lib/python3/dist-packages';
    const image = await pushImage(registry, `shipkit-test/scan-image-${Date.now().toString(36)}`, auth, [
      await layer({
        'etc/os-release': osRelease,
        'var/lib/dpkg/status': status,
        'usr/bin/registry': goBinary,
        './usr/local/lib/node_modules/left-pad/package.json': JSON.stringify({
          name: 'left-pad',
          version: '1.1.0',
        }),
        'opt/old/node_modules/lodash/package.json': JSON.stringify({ name: 'lodash', version: '4.17.20' }),
        [`${sitePackages}/requests-2.25.0.dist-info/METADATA`]:
          'Metadata-Version: 2.1\nName: requests\nVersion: 2.25.0\n',
      }),
      await layer({
        'opt/.wh.old': null, // deletes opt/old and the lodash under it
        [`${sitePackages}/.wh..wh..opq`]: null, // hides requests from the layer below...
        [`${sitePackages}/urllib3-1.26.4.dist-info/METADATA`]:
          'Metadata-Version: 2.1\nName: urllib3\nVersion: 1.26.4\n\nbody\n', // ...not this
      }),
    ]);
    const openssl = dpkgVersion(status, 'libssl3');
    const records: OsvRecord[] = [
      {
        id: 'SHIPKIT-TEST-DEB-1',
        summary: 'openssl flaw',
        severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N' }],
        affected: [
          {
            package: { ecosystem: 'Debian:12', name: 'openssl' },
            versions: [openssl],
            ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '99:0' }] }],
          },
        ],
      },
      {
        id: 'SHIPKIT-TEST-GO-STDLIB',
        summary: 'net/http flaw',
        affected: [
          {
            package: { ecosystem: 'Go', name: 'stdlib' },
            versions: [stdlib],
            ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '99.0.0' }] }],
            ecosystem_specific: { imports: [{ path: 'net/http' }] },
          },
        ],
        database_specific: { severity: 'HIGH' },
      },
      {
        id: 'SHIPKIT-TEST-NPM-LP',
        summary: 'left-pad flaw',
        affected: [{ package: { ecosystem: 'npm', name: 'left-pad' }, versions: ['1.1.0'] }],
        database_specific: { severity: 'LOW' },
      },
      {
        id: 'SHIPKIT-TEST-NPM-LO',
        summary: 'deleted by a whiteout',
        affected: [{ package: { ecosystem: 'npm', name: 'lodash' }, versions: ['4.17.20'] }],
      },
      {
        id: 'SHIPKIT-TEST-PY-RQ',
        summary: 'hidden by an opaque directory',
        affected: [{ package: { ecosystem: 'PyPI', name: 'requests' }, versions: ['2.25.0'] }],
      },
      {
        id: 'SHIPKIT-TEST-PY-U3',
        summary: 'urllib3 flaw',
        affected: [{ package: { ecosystem: 'PyPI', name: 'urllib3' }, versions: ['1.26.4'] }],
        database_specific: { severity: 'HIGH' },
      },
    ];
    const osv = await startOsvStandIn(records);
    try {
      const result = await scanImage({ image, username, password }, new OsvClient({ url: osv.url }), {
        path: 'Dockerfile',
        line: 1,
      });
      expect(result.unreachable).toEqual([]);
      expect(result).toMatchObject({ os: 'Debian:12', layers: 2 });
      const debian = result.packages.filter((pkg) => pkg.ecosystem === 'Debian:12');
      expect(debian.length).toBeGreaterThan(50);
      expect(debian).toContainEqual({
        ecosystem: 'Debian:12',
        name: 'openssl',
        version: openssl,
        file: 'var/lib/dpkg/status',
        line: 1,
      });
      expect(
        result.packages
          .filter((pkg) => pkg.ecosystem !== 'Debian:12')
          .map((pkg) => `${pkg.name}@${pkg.version}`)
          .sort(),
      ).toEqual(['left-pad@1.1.0', `stdlib@${stdlib}`, 'urllib3@1.26.4']);
      expect(result.packages).toContainEqual({
        ecosystem: 'Go',
        name: 'stdlib',
        version: stdlib,
        file: 'usr/bin/registry',
        line: 1,
      });
      expect(
        result.findings
          .map(
            (finding) =>
              `${finding.file}:${finding.line} ${finding.ruleId} ${finding.severity} ${finding.aliases![0]}`,
          )
          .sort(),
      ).toEqual([
        'Dockerfile:1 dep-image-package high SHIPKIT-TEST-DEB-1',
        'Dockerfile:1 dep-image-package high SHIPKIT-TEST-GO-STDLIB',
        'Dockerfile:1 dep-image-package high SHIPKIT-TEST-PY-U3',
        'Dockerfile:1 dep-image-package low SHIPKIT-TEST-NPM-LP',
      ]);
      const deb = result.findings.find((finding) => finding.aliases![0] === 'SHIPKIT-TEST-DEB-1')!;
      expect(deb.message).toBe(
        `Image ${image}, /var/lib/dpkg/status: openssl@${openssl} (Debian:12): openssl flaw (SHIPKIT-TEST-DEB-1; CVSS 7.5). Fixed in 99:0.`,
      );
      expect(JSON.stringify(result)).not.toContain(password);
    } finally {
      await osv.close();
    }
  });

  it('reports refused credentials and an unreachable registry as unreachable, never the password', async () => {
    const env = readStackEnv();
    const client = new OsvClient({ url: 'http://127.0.0.1:9' });
    const refused = await scanImage(
      { image: env['SHIPKIT_BASE_IMAGE']!, username: 'nobody', password: 'wrong-password-123' },
      client,
      { path: 'Dockerfile', line: 1 },
    );
    expect(refused.unreachable).toEqual([
      {
        file: env['SHIPKIT_BASE_IMAGE'],
        reason: `the registry http://${env['SHIPKIT_REGISTRY']} refused the credentials for shipkit/node (HTTP 401)`,
      },
    ]);
    const gone = await scanImage({ image: '127.0.0.1:9/none/such:1' }, client, {
      path: 'Dockerfile',
      line: 1,
    });
    expect(gone.unreachable[0]!.reason).toMatch(/^the registry at http:\/\/127\.0\.0\.1:9 is unreachable/);
  });
});

/** `<source package>@<source version>` of binary packages, as this host's dpkg has them. */
function hostSources(...binaries: string[]): string[] {
  return execFileSync('dpkg-query', ['-W', '-f', '${source:Package}@${source:Version}\\n', ...binaries], {
    encoding: 'utf8',
  })
    .trim()
    .split('\n');
}

/** Deletes a manifest from the local registry (its storage allows deletes), so a test leaves no image there. */
async function deleteManifest(registry: string, repository: string, digest: string, auth: string) {
  const response = await fetch(`http://${registry}/v2/${repository}/manifests/${digest}`, {
    method: 'DELETE',
    headers: { authorization: auth },
  });
  expect(response.status).toBe(202);
}

describe('the local base image rootfs (scripts/make-base-rootfs.sh)', () => {
  it('has a dpkg database naming exactly the Debian packages of the files copied in, at their versions', () => {
    const work = mkdtempSync(join(tmpdir(), 'shipkit-rootfs-it-'));
    try {
      const rootfs = join(work, 'rootfs');
      execFileSync('bash', [join(REPO_ROOT, 'scripts/make-base-rootfs.sh'), rootfs], { stdio: 'ignore' });
      const status = readFileSync(join(rootfs, 'var/lib/dpkg/status'), 'utf8');
      const listed = status
        .split('\n\n')
        .filter((paragraph) => paragraph.trim() !== '')
        .map((paragraph) => /^Package: (.+)$/m.exec(paragraph)![1]!);
      const lists = readdirSync(join(rootfs, 'var/lib/dpkg/info')).filter((file) => file.endsWith('.list'));
      // One info list per package in status, named as dpkg names it (libc6:amd64 for Multi-Arch: same).
      expect(lists.map((file) => file.replace(/(:[a-z0-9]+)?\.list$/, '')).sort()).toEqual(
        [...listed].sort(),
      );
      for (const list of lists) {
        const owner = list.replace(/\.list$/, '');
        const [name] = owner.split(':');
        // Each paragraph is the host's own, so the version is the installed one.
        const paragraph = status.split('\n\n').find((block) => block.startsWith(`Package: ${name}\n`))!;
        expect(/^Version: (.+)$/m.exec(paragraph)![1]).toBe(
          execFileSync('dpkg-query', ['-W', '-f', '${Version}', owner], { encoding: 'utf8' }),
        );
        for (const path of readFileSync(join(rootfs, 'var/lib/dpkg/info', list), 'utf8')
          .trim()
          .split('\n')) {
          expect(
            lstatSync(join(rootfs, path)).isFile() || lstatSync(join(rootfs, path)).isSymbolicLink(),
          ).toBe(true);
          // The CA bundle is generated by ca-certificates, not shipped in it: dpkg names no owner.
          if (path === '/etc/ssl/certs/ca-certificates.crt') continue;
          const candidates = [path, `/usr${path}`];
          const owners = candidates
            .map((candidate) => {
              try {
                return execFileSync('dpkg-query', ['-S', candidate], { encoding: 'utf8', stdio: 'pipe' });
              } catch {
                return '';
              }
            })
            .join('');
          expect(owners).toContain(`${owner}: `);
        }
      }
      // What is copied in is there: libc, busybox, os-release (which says Debian).
      expect(listed).toEqual(expect.arrayContaining(['libc6', 'busybox-static', 'base-files']));
      expect(readFileSync(join(rootfs, 'etc/os-release'), 'utf8')).toBe(
        readFileSync('/etc/os-release', 'utf8'),
      );
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
    expect(existsSync(work)).toBe(false);
  });
});

describe("security-scan image reader on sample-app's image", () => {
  it("lists the base image's Debian packages at their versions and reports a Debian advisory with its fix", async () => {
    const stack = requireStack();
    const auth = `Basic ${Buffer.from(`${stack.registryUsername}:${stack.registryPassword}`).toString('base64')}`;
    const runId = `${Date.now().toString(36)}${process.pid.toString(36)}`;
    // A base image of the test's own (the shared stack's one may predate the dpkg database), made as stack-up makes it.
    const baseRepository = `shipkit-test/node-base-${runId}`;
    const appRepository = `shipkit-test/sample-app-scan-${runId}`;
    const base = `${stack.registry}/${baseRepository}:24-slim`;
    const app = `${stack.registry}/${appRepository}:scan`;
    const docker = dockerCli(stack, { name: 'scan-image-it' });
    const pushed: [string, string][] = [];
    try {
      execFileSync('bash', [join(REPO_ROOT, 'scripts/make-base-rootfs.sh'), '--import', base], {
        env: { ...process.env, DOCKER: join(stack.dockerBinDir, 'docker') },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      await docker.login(stack.registry, stack.registryUsername, stack.registryPassword);
      pushed.push([baseRepository, await dockerPush(docker, base)]);
      await docker.run(
        ['build', '--network', 'host', '--build-arg', `BASE_IMAGE=${base}`, '--tag', app, 'sample-app'],
        { timeoutMs: 240_000 },
      );
      const digest = await dockerPush(docker, app);
      pushed.push([appRepository, digest]);

      const [glibc] = hostSources('libc6');
      const [name, version] = [glibc!.split('@')[0]!, glibc!.split('@')[1]!];
      // A later Debian revision (…+deb12u14 -> …+deb12u15), the way a security update fixes it.
      const fixed = version.replace(/\d+$/, (last) => String(Number(last) + 1));
      // In OSV's schema as Debian's records are: the source package, the release as ecosystem, an
      // ECOSYSTEM range closed by the fixing version, the affected versions enumerated, the urgency.
      const records: OsvRecord[] = [
        {
          id: 'SHIPKIT-TEST-DEBIAN-GLIBC',
          summary: 'glibc flaw in the stand-in',
          modified: '2026-01-01T00:00:00Z',
          affected: [
            {
              package: { ecosystem: 'Debian:12', name },
              ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed }] }],
              versions: [version],
              ecosystem_specific: { urgency: 'high' },
            },
          ],
        },
      ];
      const osv = await startOsvStandIn(records);
      try {
        const image = `${stack.registry}/${appRepository}@${digest}`;
        const result = await scanImage(
          { image, username: stack.registryUsername, password: stack.registryPassword },
          new OsvClient({ url: osv.url }),
          { path: 'sample-app/Dockerfile', line: 1 },
        );
        expect(result.unreachable).toEqual([]);
        expect(result).toMatchObject({ os: 'Debian:12', digest });
        const debian = result.packages.filter((pkg) => pkg.ecosystem === 'Debian:12');
        expect(debian.map((pkg) => `${pkg.name}@${pkg.version}`).sort()).toEqual(
          [
            ...new Set(
              hostSources(
                'libc6',
                'libstdc++6',
                'libgcc-s1',
                'busybox-static',
                'base-files',
                'ca-certificates',
              ),
            ),
          ].sort(),
        );
        const pg = JSON.parse(readFileSync(join(REPO_ROOT, 'sample-app/vendor/pg/package.json'), 'utf8')) as {
          version: string;
        };
        expect(result.packages).toContainEqual({
          ecosystem: 'npm',
          name: 'pg',
          version: pg.version,
          file: 'app/node_modules/pg/package.json',
          line: 1,
        });
        expect(result.findings.map((finding) => [finding.ruleId, finding.severity, finding.message])).toEqual(
          [
            [
              'dep-image-package',
              'high',
              `Image ${image}, /var/lib/dpkg/status: ${name}@${version} (Debian:12): glibc flaw in the stand-in (SHIPKIT-TEST-DEBIAN-GLIBC; rated high). Fixed in ${fixed}.`,
            ],
          ],
        );

        // The same scan through the action, as a workflow step after build-push runs it.
        const run = await runAction('security-scan', {
          inputs: {
            path: 'sample-app',
            scanners: 'image',
            image,
            'registry-username': stack.registryUsername,
            'registry-password': stack.registryPassword,
            'osv-url': osv.url,
            'fail-on': 'high',
          },
        });
        expect(run.exitCode).toBe(1);
        expect(run.outputs).toMatchObject({ high: '1', total: '1', failed: 'true' });
        const packageList = [
          ...new Set(
            hostSources(
              'libc6',
              'libstdc++6',
              'libgcc-s1',
              'busybox-static',
              'base-files',
              'ca-certificates',
            ),
          ),
        ]
          .map((source) => source.replace('@', ' '))
          .sort();
        expect(run.stdout).toContain(
          `Debian:12: ${packageList.length} OS package(s): ${packageList.join(', ')}.`,
        );
        expect(run.stdout).toMatch(/^Language packages: \d+ npm\.$/m);
        const annotation = run.stdout
          .split('\n')
          .find((line) =>
            line.startsWith('::error title=dep-image-package (high),file=sample-app/Dockerfile,line=1::'),
          );
        expect(annotation).toContain(`/var/lib/dpkg/status: ${name}@${version} (Debian:12)`);
        expect(annotation).toContain(`Fixed in ${fixed}.`);
        expect(run.summary).toContain('SHIPKIT-TEST-DEBIAN-GLIBC');
        // The password reaches the log only in the command that masks it.
        expect(run.log.split('\n').filter((line) => line.includes(stack.registryPassword))).toEqual([
          `::add-mask::${stack.registryPassword}`,
        ]);
      } finally {
        await osv.close();
      }
    } finally {
      for (const [repository, digest] of pushed)
        await deleteManifest(stack.registry, repository, digest, auth);
      await docker.run(['rmi', app, base]).catch(() => undefined);
      docker.dispose();
    }
  }, 360_000);
});
