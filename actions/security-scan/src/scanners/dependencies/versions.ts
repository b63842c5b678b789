import { compare as comparePep440, valid as validPep440 } from '@renovatebot/pep440';
import { coerce, compare as compareSemver, valid as validSemver } from 'semver';

/** Negative when a < b, 0 when equal, positive when a > b; undefined when either is not a version of the scheme. */
export type VersionOrder = (a: string, b: string) => number | undefined;

function semverLike(version: string): string | undefined {
  const bare = version.replace(/^v/, '');
  return validSemver(bare) ?? coerce(bare, { includePrerelease: true })?.version ?? undefined;
}

/** npm, Go, crates.io and Packagist: semantic versioning (Packagist's four-part tags coerced). */
export const semverOrder: VersionOrder = (a, b) => {
  const left = semverLike(a);
  const right = semverLike(b);
  return left && right ? compareSemver(left, right) : undefined;
};

/** PyPI: PEP 440 (epochs, pre/post/dev releases, local versions). */
export const pep440Order: VersionOrder = (a, b) =>
  validPep440(a) && validPep440(b) ? comparePep440(a, b) : undefined;

/** dpkg's comparison of one part: runs of non-digits (letters before others, `~` before all) then digits. */
function dpkgPart(a: string, b: string): number {
  const weight = (char: string | undefined): number => {
    if (char === undefined) return 0;
    if (char === '~') return -1;
    if (/[A-Za-z]/.test(char)) return char.charCodeAt(0);
    return char.charCodeAt(0) + 256;
  };
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    while ((i < a.length && !/\d/.test(a[i]!)) || (j < b.length && !/\d/.test(b[j]!))) {
      const left = i < a.length && !/\d/.test(a[i]!) ? weight(a[i]) : 0;
      const right = j < b.length && !/\d/.test(b[j]!) ? weight(b[j]) : 0;
      if (left !== right) return left - right;
      i++;
      j++;
    }
    let leftDigits = '';
    let rightDigits = '';
    while (i < a.length && /\d/.test(a[i]!)) leftDigits += a[i++];
    while (j < b.length && /\d/.test(b[j]!)) rightDigits += b[j++];
    const difference = Number(leftDigits || '0') - Number(rightDigits || '0');
    if (difference !== 0) return difference;
  }
  return 0;
}

function dpkgSplit(version: string): [number, string, string] {
  const colon = version.indexOf(':');
  const epoch = colon > 0 ? Number(version.slice(0, colon)) : 0;
  const rest = colon > 0 ? version.slice(colon + 1) : version;
  const dash = rest.lastIndexOf('-');
  return dash > 0 ? [epoch, rest.slice(0, dash), rest.slice(dash + 1)] : [epoch, rest, ''];
}

/** Debian (and Ubuntu): dpkg's order, `epoch:upstream-revision` (deb-version(7)). */
export const debianOrder: VersionOrder = (a, b) => {
  const [epochA, upstreamA, revisionA] = dpkgSplit(a);
  const [epochB, upstreamB, revisionB] = dpkgSplit(b);
  if (Number.isNaN(epochA) || Number.isNaN(epochB)) return undefined;
  return epochA - epochB || dpkgPart(upstreamA, upstreamB) || dpkgPart(revisionA, revisionB);
};

const ALPINE_PRE = ['alpha', 'beta', 'pre', 'rc'];
const ALPINE_POST = ['cvs', 'svn', 'git', 'hg', 'p'];

interface AlpineVersion {
  dotted: number[];
  letter: number;
  /** [kind, number] pairs: pre-release kinds below 0 ("no suffix"), post-release ones above. */
  suffixes: [number, number][];
  revision: number;
}

function alpineParse(version: string): AlpineVersion | undefined {
  const match =
    /^(\d+(?:\.\d+)*)([a-z]?)((?:_(?:alpha|beta|pre|rc|cvs|svn|git|hg|p)\d*)*)(?:~[0-9a-f]+)?(?:-r(\d+))?$/.exec(
      version,
    );
  if (!match) return undefined;
  const suffixes = match[3]!
    .split('_')
    .filter(Boolean)
    .map((suffix): [number, number] => {
      const [, name, number] = /^([a-z]+)(\d*)$/.exec(suffix)!;
      const pre = ALPINE_PRE.indexOf(name!);
      return [pre >= 0 ? pre - ALPINE_PRE.length : ALPINE_POST.indexOf(name!) + 1, Number(number || '0')];
    });
  return {
    dotted: match[1]!.split('.').map(Number),
    letter: match[2] ? match[2].charCodeAt(0) : 0,
    suffixes,
    revision: Number(match[4] ?? '0'),
  };
}

/** Alpine: apk's order (`1.2.3a_rc1-r2`): dotted numbers, letter, suffixes, then the package revision. */
export const alpineOrder: VersionOrder = (a, b) => {
  const left = alpineParse(a);
  const right = alpineParse(b);
  if (!left || !right) return undefined;
  for (let index = 0; index < Math.max(left.dotted.length, right.dotted.length); index++) {
    const difference = (left.dotted[index] ?? -1) - (right.dotted[index] ?? -1);
    if (difference !== 0) return difference;
  }
  if (left.letter !== right.letter) return left.letter - right.letter;
  for (let index = 0; index < Math.max(left.suffixes.length, right.suffixes.length); index++) {
    const [kindA, numberA] = left.suffixes[index] ?? [0, 0];
    const [kindB, numberB] = right.suffixes[index] ?? [0, 0];
    if (kindA !== kindB) return kindA - kindB;
    if (numberA !== numberB) return numberA - numberB;
  }
  return left.revision - right.revision;
};

/** Maven's ComparableVersion, simplified: numbers numerically, known qualifiers in their release order. */
const MAVEN_QUALIFIERS = ['alpha', 'beta', 'milestone', 'rc', 'snapshot', '', 'sp'];
function mavenItems(version: string): (number | string)[] {
  return version
    .toLowerCase()
    .split(/[.-]|(?<=\d)(?=[a-z])|(?<=[a-z])(?=\d)/)
    .map((item) => {
      if (/^\d+$/.test(item)) return Number(item);
      const aliases: Record<string, string> = {
        a: 'alpha',
        b: 'beta',
        m: 'milestone',
        cr: 'rc',
        ga: '',
        final: '',
        release: '',
      };
      return aliases[item] ?? item;
    });
}
export const mavenOrder: VersionOrder = (a, b) => {
  const left = mavenItems(a);
  const right = mavenItems(b);
  const rank = (item: number | string | undefined): [number, number | string] => {
    if (item === undefined) return [1, 0];
    if (typeof item === 'number') return [2, item];
    const known = MAVEN_QUALIFIERS.indexOf(item);
    return known >= 0 ? [known < 5 ? 0 : 1, known] : [0.5, item];
  };
  for (let index = 0; index < Math.max(left.length, right.length); index++) {
    const [kindA, valueA] = rank(left[index]);
    const [kindB, valueB] = rank(right[index]);
    if (kindA !== kindB) return kindA - kindB;
    if (valueA !== valueB) return valueA < valueB ? -1 : 1;
  }
  return 0;
};

/** RubyGems: dot-separated segments; a letter makes a prerelease, which sorts before the release. */
export const rubyGemsOrder: VersionOrder = (a, b) => {
  const segments = (version: string): (number | string)[] | undefined =>
    /^[0-9]+(?:\.[0-9a-zA-Z]+)*$/.test(version)
      ? version
          .split(/\.|(?<=\d)(?=[a-z])|(?<=[a-z])(?=\d)/i)
          .map((part) => (/^\d+$/.test(part) ? Number(part) : part))
      : undefined;
  const left = segments(a);
  const right = segments(b);
  if (!left || !right) return undefined;
  for (let index = 0; index < Math.max(left.length, right.length); index++) {
    const x = left[index] ?? 0;
    const y = right[index] ?? 0;
    if (x === y) continue;
    if (typeof x === 'string' && typeof y === 'number') return -1;
    if (typeof x === 'number' && typeof y === 'string') return 1;
    return x < y ? -1 : 1;
  }
  return 0;
};

/**
 * rpm's comparison of one version or release string (rpmvercmp): alphanumeric segments, separators ignored,
 * `~` before everything (even the end), `^` after the end but before anything else, numeric segments above
 * alphabetic ones, numbers by value.
 */
function rpmSegmentsCompare(a: string, b: string): number {
  if (a === b) return 0;
  const separator = /[^A-Za-z0-9~^]/;
  let i = 0;
  let j = 0;
  for (;;) {
    while (i < a.length && separator.test(a[i]!)) i++;
    while (j < b.length && separator.test(b[j]!)) j++;
    const [x, y] = [a[i], b[j]];
    if (x === '~' || y === '~') {
      if (x !== '~') return 1;
      if (y !== '~') return -1;
      i++;
      j++;
      continue;
    }
    if (x === '^' || y === '^') {
      if (x === undefined) return -1;
      if (y === undefined) return 1;
      if (x !== '^') return 1;
      if (y !== '^') return -1;
      i++;
      j++;
      continue;
    }
    if (x === undefined || y === undefined) break;
    const numeric = /\d/.test(x);
    const segment = numeric ? /^\d+/ : /^[A-Za-z]+/;
    const left = segment.exec(a.slice(i))?.[0] ?? '';
    const right = segment.exec(b.slice(j))?.[0] ?? '';
    // A numeric segment against an alphabetic one: the numeric one is newer.
    if (right === '') return numeric ? 1 : -1;
    i += left.length;
    j += right.length;
    if (numeric) {
      const [l, r] = [left.replace(/^0+/, ''), right.replace(/^0+/, '')];
      if (l.length !== r.length) return l.length > r.length ? 1 : -1;
      if (l !== r) return l > r ? 1 : -1;
    } else if (left !== right) {
      return left > right ? 1 : -1;
    }
  }
  if (i >= a.length && j >= b.length) return 0;
  return i >= a.length ? -1 : 1;
}

function rpmSplit(evr: string): [number, string, string | undefined] {
  const epoch = /^(\d+):/.exec(evr);
  const rest = epoch ? evr.slice(epoch[0].length) : evr;
  const dash = rest.lastIndexOf('-');
  return [
    epoch ? Number(epoch[1]) : 0,
    dash >= 0 ? rest.slice(0, dash) : rest,
    dash >= 0 ? rest.slice(dash + 1) : undefined,
  ];
}

/** RPM distributions (AlmaLinux, Rocky Linux): `epoch:version-release`, each part by rpmvercmp. */
export const rpmOrder: VersionOrder = (a, b) => {
  const [epochA, versionA, releaseA] = rpmSplit(a);
  const [epochB, versionB, releaseB] = rpmSplit(b);
  if (epochA !== epochB) return epochA - epochB;
  const byVersion = rpmSegmentsCompare(versionA, versionB);
  // As rpm.vercmp does: no release sorts before any release (1.0 < 1.0-1).
  return byVersion !== 0 ? byVersion : rpmSegmentsCompare(releaseA ?? '', releaseB ?? '');
};

/** The order of an OSV ecosystem (`Debian:12` and `Alpine:v3.20` by their prefix). */
export function orderFor(ecosystem: string): VersionOrder | undefined {
  const family = ecosystem.split(':')[0]!;
  switch (family) {
    case 'npm':
    case 'Go':
    case 'crates.io':
    case 'Packagist':
      return semverOrder;
    case 'PyPI':
      return pep440Order;
    case 'Debian':
    case 'Ubuntu':
      return debianOrder;
    case 'Alpine':
      return alpineOrder;
    case 'AlmaLinux':
    case 'Rocky Linux':
      return rpmOrder;
    case 'Maven':
      return mavenOrder;
    case 'RubyGems':
      return rubyGemsOrder;
    default:
      return undefined;
  }
}
