import { fixedVersions } from '../../../actions/security-scan/src/scanners/dependencies/advisory.js';
import {
  cvssBaseScore,
  vulnerabilitySeverity,
} from '../../../actions/security-scan/src/scanners/dependencies/severity.js';
import {
  alpineOrder,
  debianOrder,
  mavenOrder,
  orderFor,
  pep440Order,
  rubyGemsOrder,
  semverOrder,
  type VersionOrder,
} from '../../../actions/security-scan/src/scanners/dependencies/versions.js';

/** Each list is in ascending order; every pair must compare that way and each version equal to itself. */
function expectAscending(order: VersionOrder, versions: string[]): void {
  for (let i = 0; i < versions.length; i++) {
    expect([versions[i], order(versions[i]!, versions[i]!)]).toEqual([versions[i], 0]);
    for (let j = i + 1; j < versions.length; j++) {
      expect([versions[i], versions[j], Math.sign(order(versions[i]!, versions[j]!)!)]).toEqual([
        versions[i],
        versions[j],
        -1,
      ]);
      expect([versions[j], versions[i], Math.sign(order(versions[j]!, versions[i]!)!)]).toEqual([
        versions[j],
        versions[i],
        1,
      ]);
    }
  }
}

describe('version orders', () => {
  it('semver (npm, Go, crates.io, Packagist)', () => {
    expectAscending(semverOrder, ['0.9.0', '1.0.0-alpha', '1.0.0-rc.1', '1.0.0', 'v1.0.1', '1.10.0']);
  });
  it('PEP 440', () => {
    expectAscending(pep440Order, [
      '1.0.dev1',
      '1.0a1',
      '1.0b2',
      '1.0rc1',
      '1.0',
      '1.0.post1',
      '1.1',
      '1!0.5',
    ]);
    expect(pep440Order('not a version', '1.0')).toBeUndefined();
  });
  it('Debian (dpkg): epochs, tildes, revisions', () => {
    expectAscending(debianOrder, [
      '1.0~rc1-1',
      '1.0-1',
      '1.0-1+deb12u1',
      '1.0-2',
      '1.0a-1',
      '1.0.1-1',
      '1:0.9-1',
    ]);
    expect(debianOrder('3.0.11-1~deb12u2', '3.0.11-1~deb12u2')).toBe(0);
    expectAscending(debianOrder, [
      '3.0.11-1~deb12u2',
      '3.0.11-1~deb12u3',
      '3.0.13-1~deb12u1',
      '3.0.15-1~deb12u1',
    ]);
  });
  it('Alpine (apk): letters, suffixes, revisions', () => {
    expectAscending(alpineOrder, [
      '1.2',
      '1.2.1_alpha1',
      '1.2.1_rc2',
      '1.2.1',
      '1.2.1-r1',
      '1.2.1_p1',
      '1.10',
    ]);
    expectAscending(alpineOrder, ['1.2.1', '1.2.1a', '1.2.1b', '1.2.2']);
    expectAscending(alpineOrder, ['3.1.4-r5', '3.1.4-r6', '3.1.7-r0']);
    expect(alpineOrder('1.2.1-r1', 'garbage')).toBeUndefined();
  });
  it('Maven: qualifiers in release order', () => {
    expectAscending(mavenOrder, [
      '2.0-alpha1',
      '2.0-beta9',
      '2.0-rc1',
      '2.0-SNAPSHOT',
      '2.0',
      '2.0-sp1',
      '2.0.1',
      '2.14.1',
      '2.15.0',
    ]);
  });
  it('RubyGems: prereleases before releases, four parts', () => {
    expectAscending(rubyGemsOrder, ['2.2.0', '2.2.3', '2.2.3.1', '2.3.0.rc1', '2.3.0', '10.0']);
  });
  it('picks the order by ecosystem family', () => {
    expect(orderFor('Debian:12')).toBe(debianOrder);
    expect(orderFor('Alpine:v3.20')).toBe(alpineOrder);
    expect(orderFor('Hex')).toBeUndefined();
  });
});

describe('fixed versions', () => {
  const record = {
    id: 'X',
    affected: [
      {
        package: { ecosystem: 'Debian:12', name: 'openssl' },
        ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '3.0.13-1~deb12u1' }] }],
      },
      {
        package: { ecosystem: 'npm', name: 'x' },
        ranges: [
          { type: 'SEMVER', events: [{ introduced: '2.0.0' }, { fixed: '2.4.1' }] },
          { type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '1.9.9' }] },
        ],
      },
      {
        package: { ecosystem: 'Hex', name: 'y' },
        ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: 'a' }, { fixed: 'b' }] }],
      },
    ],
  };
  const pkg = (ecosystem: string, name: string, version: string) =>
    ({ ecosystem, name, version, file: 'f', line: 1 }) as Parameters<typeof fixedVersions>[1];

  it('names the fix of the range the installed version is in', () => {
    expect(fixedVersions(record, pkg('Debian:12', 'openssl', '3.0.11-1~deb12u2'))).toEqual([
      '3.0.13-1~deb12u1',
    ]);
    expect(fixedVersions(record, pkg('npm', 'x', '2.3.0'))).toEqual(['2.4.1']);
    expect(fixedVersions(record, pkg('npm', 'x', '1.0.0'))).toEqual(['1.9.9']);
  });
  it('lists every fix when the ecosystem has no known order', () => {
    expect(fixedVersions(record, pkg('Hex', 'y', '1'))).toEqual(['a', 'b']);
  });
});

describe('CVSS', () => {
  // Base scores computed by hand from the CVSS v3.1 specification's equations (section 7.1) for vectors of
  // FIRST's v3.1 examples document; the library computes them independently.
  it.each([
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N', 7.5],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 9.8],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N', 6.1],
    ['CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:L/I:L/A:N', 6.4],
    ['CVSS:3.1/AV:L/AC:H/PR:N/UI:N/S:U/C:N/I:N/A:H', 5.1],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H', 10],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N', 0],
  ])('%s scores %d', (vector, score) => {
    expect(cvssBaseScore(vector)).toBe(score);
  });
  it('rejects a broken vector and falls back to a rating in words', () => {
    expect(cvssBaseScore('CVSS:3.1/AV:X')).toBeUndefined();
    expect(vulnerabilitySeverity([{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:X' }], ['MODERATE'])).toEqual({
      severity: 'medium',
    });
    expect(vulnerabilitySeverity([], [undefined, 'unimportant'])).toEqual({ severity: 'low' });
    expect(vulnerabilitySeverity(undefined, [])).toBeUndefined();
  });
  it('rates by the highest score of the newest CVSS version present', () => {
    const rated = vulnerabilitySeverity(
      [
        { type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N' },
        { type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' },
      ],
      ['LOW'],
    );
    expect(rated).toEqual({ severity: 'critical', score: 9.8 });
  });
});
