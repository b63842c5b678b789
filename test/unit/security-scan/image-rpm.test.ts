import { readFileSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { gunzipSync } from 'node:zlib';

import { orderFor, rpmOrder } from '../../../actions/security-scan/src/scanners/dependencies/versions.js';
import { imagePackages } from '../../../actions/security-scan/src/scanners/image/index.js';
import { osEcosystem } from '../../../actions/security-scan/src/scanners/image/packages.js';
import { parseRpmHeader, rpmPackages } from '../../../actions/security-scan/src/scanners/image/rpm.js';

/** A database rpm 4.18 wrote (test/fixtures/security-scan/rpm/make-rpmdb.sh says how). */
const RPMDB = gunzipSync(readFileSync('test/fixtures/security-scan/rpm/rpmdb.sqlite.gz'));

/** The header blobs of the fixture, read with SQLite directly (rollback-journal bytes so memory can hold it). */
function headerBlobs(): Uint8Array[] {
  const copy = Buffer.from(RPMDB);
  copy[18] = copy[19] = 1;
  const db = new DatabaseSync(':memory:');
  db.deserialize(copy);
  const rows = db.prepare('SELECT blob FROM Packages ORDER BY hnum').all();
  db.close();
  return rows.map((row) => row['blob'] as Uint8Array);
}

const ROCKY =
  'NAME="Rocky Linux"\nVERSION="9.4 (Blue Onyx)"\nID="rocky"\nID_LIKE="rhel centos fedora"\nVERSION_ID="9.4"\n';

describe('rpm databases', () => {
  it('reads every header rpm wrote: name, epoch, version, release, arch, source package', () => {
    const headers = headerBlobs().map((blob) => parseRpmHeader(blob));
    expect(headers).toContainEqual({
      name: 'openssl-libs',
      epoch: 1,
      version: '3.0.7',
      release: '27.el9',
      arch: 'x86_64',
      sourceRpm: 'openssl-3.0.7-27.el9.src.rpm',
    });
    expect(headers).toContainEqual({
      name: 'bash',
      version: '5.1.8',
      release: '9.el9',
      arch: 'x86_64',
      sourceRpm: 'bash-5.1.8-9.el9.src.rpm',
    });
    // The imported key is a header too.
    expect(headers.filter((header) => header?.name === 'gpg-pubkey')).toHaveLength(1);
    expect(headers).toHaveLength(3);
  });

  it('refuses malformed headers instead of reading past them', () => {
    const blob = headerBlobs()[0]!;
    expect(parseRpmHeader(blob)?.name).toBeDefined();
    expect(parseRpmHeader(blob.subarray(0, 7))).toBeUndefined();
    expect(parseRpmHeader(blob.subarray(0, blob.length - 1))).toBeUndefined(); // data shorter than declared
    const huge = Buffer.from(blob);
    huge.writeUInt32BE(0x10000, 0); // more entries than rpm allows
    expect(parseRpmHeader(huge)).toBeUndefined();
    // Every NUL in the data replaced: strings would run past the data.
    const unterminated = Buffer.from(blob);
    const dataStart = 8 + unterminated.readUInt32BE(0) * 16;
    for (let at = dataStart; at < unterminated.length; at++)
      if (unterminated[at] === 0) unterminated[at] = 0x41;
    expect(parseRpmHeader(unterminated)).toBeUndefined();
    expect(parseRpmHeader(new Uint8Array(8))).toBeUndefined(); // no entries: no name
  });

  it('lists installed packages by binary name at epoch:version-release, keys left out', async () => {
    const packages = await rpmPackages(RPMDB, 'Rocky Linux:9', 'var/lib/rpm/rpmdb.sqlite');
    expect(packages.map((pkg) => `${pkg.ecosystem} ${pkg.name}@${pkg.version}`).sort()).toEqual([
      'Rocky Linux:9 bash@5.1.8-9.el9',
      'Rocky Linux:9 openssl-libs@1:3.0.7-27.el9',
    ]);
    await expect(rpmPackages(Buffer.from('not a database'.repeat(64)), 'AlmaLinux:9', 'x')).rejects.toThrow();
  });

  it('reads the rpm database of AlmaLinux and Rocky Linux images; a broken one is reported, not fatal', async () => {
    expect(osEcosystem(ROCKY)).toBe('Rocky Linux:9');
    expect(osEcosystem('ID="almalinux"\nVERSION_ID="9.4"\n')).toBe('AlmaLinux:9');
    const rocky = await imagePackages(
      new Map<string, string | Uint8Array>([
        ['etc/os-release', ROCKY],
        ['usr/lib/sysimage/rpm/rpmdb.sqlite', RPMDB],
        ['usr/lib/node_modules/npm/node_modules/abbrev/package.json', '{"name":"abbrev","version":"2.0.0"}'],
      ]),
    );
    expect(rocky.os).toBe('Rocky Linux:9');
    expect(rocky.unreadable).toEqual([]);
    expect(
      rocky.packages.map((pkg) => `${pkg.ecosystem} ${pkg.name}@${pkg.version} ${pkg.file}`).sort(),
    ).toEqual([
      'Rocky Linux:9 bash@5.1.8-9.el9 usr/lib/sysimage/rpm/rpmdb.sqlite',
      'Rocky Linux:9 openssl-libs@1:3.0.7-27.el9 usr/lib/sysimage/rpm/rpmdb.sqlite',
      'npm abbrev@2.0.0 usr/lib/node_modules/npm/node_modules/abbrev/package.json',
    ]);
    const broken = await imagePackages(
      new Map<string, string | Uint8Array>([
        ['etc/os-release', ROCKY],
        ['var/lib/rpm/rpmdb.sqlite', Buffer.from('truncated')],
      ]),
    );
    expect(broken.packages).toEqual([]);
    expect(broken.unreadable.map((entry) => entry.file)).toEqual(['var/lib/rpm/rpmdb.sqlite']);
    expect(broken.unreadable[0]!.reason).toMatch(/^not a readable rpm database \(.+\)$/);
    // A distribution OSV has no ecosystem for: its database is not read at all.
    const fedora = await imagePackages(
      new Map<string, string | Uint8Array>([
        ['etc/os-release', 'ID=fedora\nVERSION_ID=40\n'],
        ['var/lib/rpm/rpmdb.sqlite', RPMDB],
      ]),
    );
    expect(fedora).toEqual({ packages: [], unreadable: [] });
  });
});

describe('rpm version order', () => {
  // Each pair with the sign rpm 4.18's own comparison gives (rpm --eval '%{lua: print(rpm.vercmp(a, b))}').
  const RPM_VERCMP: [string, string, number][] = [
    ['1.0', '1.0', 0],
    ['1.0', '2.0', -1],
    ['2.0', '1.0', 1],
    ['2.0.1', '2.0.1', 0],
    ['2.0', '2.0.1', -1],
    ['2.0.1a', '2.0.1', 1],
    ['5.5p1', '5.5p2', -1],
    ['5.5p10', '5.5p1', 1],
    ['10xyz', '10.1xyz', -1],
    ['xyz10', 'xyz10.1', -1],
    ['xyz.4', '8', -1],
    ['xyz.4', '2', -1],
    ['5.5p2', '5.6p1', -1],
    ['5.6p1', '6.5p1', -1],
    ['6.0.rc1', '6.0', 1],
    ['10b2', '10a1', 1],
    ['10a2', '10b2', -1],
    ['1.0aa', '1.0a', 1],
    ['1.0a', '1.0aa', -1],
    ['10.0001', '10.1', 0],
    ['10.0001', '10.0039', -1],
    ['4.999.9', '5.0', -1],
    ['20101121', '20101122', -1],
    ['1.0~rc1', '1.0', -1],
    ['1.0~rc1', '1.0~rc2', -1],
    ['1.0~rc1~git123', '1.0~rc1', -1],
    ['1.0^', '1.0', 1],
    ['1.0^git1', '1.0', 1],
    ['1.0^git1', '1.01', -1],
    ['1.0^git1~pre', '1.0^git1', -1],
    ['1.0', '1.0.', 0],
    ['a+', 'a_', 0],
    ['+a', '_a', 0],
    ['1:1.0-1', '2.0-1', 1],
    ['1.0-2', '1.0-10', -1],
    ['1:3.0.7-27.el9', '1:3.0.7-27.el9_2', -1],
    ['3.0.7-27.el9_2', '3.0.7-27.el9_10', -1],
    ['1.0-1', '1.0', 1],
    ['0:1.0-1', '1.0-1', 0],
    ['005', '5', 0],
    ['1.0-1.fc39', '1.0-1.fc40', -1],
    ['2.36-9', '2.36-10', -1],
  ];

  it.each(RPM_VERCMP)('%s vs %s: %i, as rpm.vercmp', (a, b, expected) => {
    expect(Math.sign(rpmOrder(a, b)!)).toBe(expected);
  });

  it('is the order of AlmaLinux and Rocky Linux', () => {
    expect(orderFor('AlmaLinux:9')).toBe(rpmOrder);
    expect(orderFor('Rocky Linux:8')).toBe(rpmOrder);
  });
});
