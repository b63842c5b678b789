export const id = 718;
export const ids = [718];
export const modules = {

/***/ 8718:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  XZ: () => (/* binding */ osvFindings),
  scanDependencies: () => (/* binding */ scanDependencies)
});

// UNUSED EXPORTS: DEFAULT_OSV_URL, OsvClient, isLockfile, lockedPackages

// EXTERNAL MODULE: ./.build/security-scan/actions/security-scan/src/rules.js + 4 modules
var rules = __webpack_require__(9849);
// EXTERNAL MODULE: ./node_modules/ae-cvss-calculator/dist/ae-cvss-calculator.js
var ae_cvss_calculator = __webpack_require__(4353);
;// CONCATENATED MODULE: ./.build/security-scan/actions/security-scan/src/scanners/dependencies/severity.js

const { Cvss2, Cvss3P0, Cvss3P1, Cvss4P0 } = ae_cvss_calculator;
function cvssBaseScore(vector) {
    try {
        if (vector.startsWith('CVSS:4.0/'))
            return new Cvss4P0(vector).calculateScores().base;
        if (vector.startsWith('CVSS:3.1/'))
            return new Cvss3P1(vector).calculateScores().base;
        if (vector.startsWith('CVSS:3.0/'))
            return new Cvss3P0(vector).calculateScores().base;
        if (/^(\(?AV:)/.test(vector))
            return new Cvss2(vector.replace(/^\(|\)$/g, '')).calculateScores().base;
    }
    catch {
        return undefined;
    }
    return undefined;
}
function severityOfScore(score) {
    if (score >= 9)
        return 'critical';
    if (score >= 7)
        return 'high';
    if (score >= 4)
        return 'medium';
    return 'low';
}
const NAMED = {
    critical: 'critical',
    high: 'high',
    important: 'high',
    moderate: 'medium',
    medium: 'medium',
    low: 'low',
    negligible: 'low',
    unimportant: 'low',
};
function vulnerabilitySeverity(severities, ratedInWords) {
    for (const type of ['CVSS_V4', 'CVSS_V3', 'CVSS_V2']) {
        const scores = (severities ?? [])
            .filter((entry) => entry.type === type && entry.score)
            .map((entry) => cvssBaseScore(entry.score))
            .filter((score) => score !== undefined);
        if (scores.length > 0) {
            const score = Math.max(...scores);
            return { severity: severityOfScore(score), score };
        }
    }
    for (const word of ratedInWords) {
        if (typeof word === 'string' && NAMED[word.toLowerCase()])
            return { severity: NAMED[word.toLowerCase()] };
    }
    return undefined;
}

// EXTERNAL MODULE: ./node_modules/@renovatebot/pep440/index.js + 4 modules
var pep440 = __webpack_require__(9687);
// EXTERNAL MODULE: ./node_modules/semver/index.js
var semver = __webpack_require__(2088);
;// CONCATENATED MODULE: ./.build/security-scan/actions/security-scan/src/scanners/dependencies/versions.js


function semverLike(version) {
    const bare = version.replace(/^v/, '');
    return (0,semver.valid)(bare) ?? (0,semver.coerce)(bare, { includePrerelease: true })?.version ?? undefined;
}
const semverOrder = (a, b) => {
    const left = semverLike(a);
    const right = semverLike(b);
    return left && right ? (0,semver.compare)(left, right) : undefined;
};
const pep440Order = (a, b) => (0,pep440/* valid */.rZ)(a) && (0,pep440/* valid */.rZ)(b) ? (0,pep440/* compare */.UD)(a, b) : undefined;
function dpkgPart(a, b) {
    const weight = (char) => {
        if (char === undefined)
            return 0;
        if (char === '~')
            return -1;
        if (/[A-Za-z]/.test(char))
            return char.charCodeAt(0);
        return char.charCodeAt(0) + 256;
    };
    let i = 0;
    let j = 0;
    while (i < a.length || j < b.length) {
        while ((i < a.length && !/\d/.test(a[i])) || (j < b.length && !/\d/.test(b[j]))) {
            const left = i < a.length && !/\d/.test(a[i]) ? weight(a[i]) : 0;
            const right = j < b.length && !/\d/.test(b[j]) ? weight(b[j]) : 0;
            if (left !== right)
                return left - right;
            i++;
            j++;
        }
        let leftDigits = '';
        let rightDigits = '';
        while (i < a.length && /\d/.test(a[i]))
            leftDigits += a[i++];
        while (j < b.length && /\d/.test(b[j]))
            rightDigits += b[j++];
        const difference = Number(leftDigits || '0') - Number(rightDigits || '0');
        if (difference !== 0)
            return difference;
    }
    return 0;
}
function dpkgSplit(version) {
    const colon = version.indexOf(':');
    const epoch = colon > 0 ? Number(version.slice(0, colon)) : 0;
    const rest = colon > 0 ? version.slice(colon + 1) : version;
    const dash = rest.lastIndexOf('-');
    return dash > 0 ? [epoch, rest.slice(0, dash), rest.slice(dash + 1)] : [epoch, rest, ''];
}
const debianOrder = (a, b) => {
    const [epochA, upstreamA, revisionA] = dpkgSplit(a);
    const [epochB, upstreamB, revisionB] = dpkgSplit(b);
    if (Number.isNaN(epochA) || Number.isNaN(epochB))
        return undefined;
    return epochA - epochB || dpkgPart(upstreamA, upstreamB) || dpkgPart(revisionA, revisionB);
};
const ALPINE_PRE = ['alpha', 'beta', 'pre', 'rc'];
const ALPINE_POST = ['cvs', 'svn', 'git', 'hg', 'p'];
function alpineParse(version) {
    const match = /^(\d+(?:\.\d+)*)([a-z]?)((?:_(?:alpha|beta|pre|rc|cvs|svn|git|hg|p)\d*)*)(?:~[0-9a-f]+)?(?:-r(\d+))?$/.exec(version);
    if (!match)
        return undefined;
    const suffixes = match[3]
        .split('_')
        .filter(Boolean)
        .map((suffix) => {
        const [, name, number] = /^([a-z]+)(\d*)$/.exec(suffix);
        const pre = ALPINE_PRE.indexOf(name);
        return [pre >= 0 ? pre - ALPINE_PRE.length : ALPINE_POST.indexOf(name) + 1, Number(number || '0')];
    });
    return {
        dotted: match[1].split('.').map(Number),
        letter: match[2] ? match[2].charCodeAt(0) : 0,
        suffixes,
        revision: Number(match[4] ?? '0'),
    };
}
const alpineOrder = (a, b) => {
    const left = alpineParse(a);
    const right = alpineParse(b);
    if (!left || !right)
        return undefined;
    for (let index = 0; index < Math.max(left.dotted.length, right.dotted.length); index++) {
        const difference = (left.dotted[index] ?? -1) - (right.dotted[index] ?? -1);
        if (difference !== 0)
            return difference;
    }
    if (left.letter !== right.letter)
        return left.letter - right.letter;
    for (let index = 0; index < Math.max(left.suffixes.length, right.suffixes.length); index++) {
        const [kindA, numberA] = left.suffixes[index] ?? [0, 0];
        const [kindB, numberB] = right.suffixes[index] ?? [0, 0];
        if (kindA !== kindB)
            return kindA - kindB;
        if (numberA !== numberB)
            return numberA - numberB;
    }
    return left.revision - right.revision;
};
const MAVEN_QUALIFIERS = ['alpha', 'beta', 'milestone', 'rc', 'snapshot', '', 'sp'];
function mavenItems(version) {
    return version
        .toLowerCase()
        .split(/[.-]|(?<=\d)(?=[a-z])|(?<=[a-z])(?=\d)/)
        .map((item) => {
        if (/^\d+$/.test(item))
            return Number(item);
        const aliases = {
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
const mavenOrder = (a, b) => {
    const left = mavenItems(a);
    const right = mavenItems(b);
    const rank = (item) => {
        if (item === undefined)
            return [1, 0];
        if (typeof item === 'number')
            return [2, item];
        const known = MAVEN_QUALIFIERS.indexOf(item);
        return known >= 0 ? [known < 5 ? 0 : 1, known] : [0.5, item];
    };
    for (let index = 0; index < Math.max(left.length, right.length); index++) {
        const [kindA, valueA] = rank(left[index]);
        const [kindB, valueB] = rank(right[index]);
        if (kindA !== kindB)
            return kindA - kindB;
        if (valueA !== valueB)
            return valueA < valueB ? -1 : 1;
    }
    return 0;
};
const rubyGemsOrder = (a, b) => {
    const segments = (version) => /^[0-9]+(?:\.[0-9a-zA-Z]+)*$/.test(version)
        ? version
            .split(/\.|(?<=\d)(?=[a-z])|(?<=[a-z])(?=\d)/i)
            .map((part) => (/^\d+$/.test(part) ? Number(part) : part))
        : undefined;
    const left = segments(a);
    const right = segments(b);
    if (!left || !right)
        return undefined;
    for (let index = 0; index < Math.max(left.length, right.length); index++) {
        const x = left[index] ?? 0;
        const y = right[index] ?? 0;
        if (x === y)
            continue;
        if (typeof x === 'string' && typeof y === 'number')
            return -1;
        if (typeof x === 'number' && typeof y === 'string')
            return 1;
        return x < y ? -1 : 1;
    }
    return 0;
};
function rpmSegmentsCompare(a, b) {
    if (a === b)
        return 0;
    const separator = /[^A-Za-z0-9~^]/;
    let i = 0;
    let j = 0;
    for (;;) {
        while (i < a.length && separator.test(a[i]))
            i++;
        while (j < b.length && separator.test(b[j]))
            j++;
        const [x, y] = [a[i], b[j]];
        if (x === '~' || y === '~') {
            if (x !== '~')
                return 1;
            if (y !== '~')
                return -1;
            i++;
            j++;
            continue;
        }
        if (x === '^' || y === '^') {
            if (x === undefined)
                return -1;
            if (y === undefined)
                return 1;
            if (x !== '^')
                return 1;
            if (y !== '^')
                return -1;
            i++;
            j++;
            continue;
        }
        if (x === undefined || y === undefined)
            break;
        const numeric = /\d/.test(x);
        const segment = numeric ? /^\d+/ : /^[A-Za-z]+/;
        const left = segment.exec(a.slice(i))?.[0] ?? '';
        const right = segment.exec(b.slice(j))?.[0] ?? '';
        if (right === '')
            return numeric ? 1 : -1;
        i += left.length;
        j += right.length;
        if (numeric) {
            const [l, r] = [left.replace(/^0+/, ''), right.replace(/^0+/, '')];
            if (l.length !== r.length)
                return l.length > r.length ? 1 : -1;
            if (l !== r)
                return l > r ? 1 : -1;
        }
        else if (left !== right) {
            return left > right ? 1 : -1;
        }
    }
    if (i >= a.length && j >= b.length)
        return 0;
    return i >= a.length ? -1 : 1;
}
function rpmSplit(evr) {
    const epoch = /^(\d+):/.exec(evr);
    const rest = epoch ? evr.slice(epoch[0].length) : evr;
    const dash = rest.lastIndexOf('-');
    return [
        epoch ? Number(epoch[1]) : 0,
        dash >= 0 ? rest.slice(0, dash) : rest,
        dash >= 0 ? rest.slice(dash + 1) : undefined,
    ];
}
const rpmOrder = (a, b) => {
    const [epochA, versionA, releaseA] = rpmSplit(a);
    const [epochB, versionB, releaseB] = rpmSplit(b);
    if (epochA !== epochB)
        return epochA - epochB;
    const byVersion = rpmSegmentsCompare(versionA, versionB);
    return byVersion !== 0 ? byVersion : rpmSegmentsCompare(releaseA ?? '', releaseB ?? '');
};
function orderFor(ecosystem) {
    const family = ecosystem.split(':')[0];
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

;// CONCATENATED MODULE: ./.build/security-scan/actions/security-scan/src/scanners/dependencies/advisory.js



const UNRATED = 'medium';
function samePackage(affected, ecosystem, name) {
    const listed = affected.package;
    if (!listed?.name || !listed.ecosystem)
        return false;
    const sameEcosystem = listed.ecosystem === ecosystem || listed.ecosystem.split(':')[0] === ecosystem.split(':')[0];
    const sameName = ecosystem === 'PyPI' ? listed.name.toLowerCase().replace(/[-_.]+/g, '-') === name : listed.name === name;
    return sameEcosystem && sameName;
}
function fixOfRange(events, version, order) {
    const point = (event) => event.introduced ?? event.fixed ?? event.last_affected ?? event.limit ?? '0';
    const sorted = [...events].sort((a, b) => {
        const [x, y] = [point(a), point(b)];
        if (x === y)
            return 0;
        if (x === '0')
            return -1;
        if (y === '0')
            return 1;
        return order(x, y) ?? 0;
    });
    let inside = false;
    for (const event of sorted) {
        if (event.introduced !== undefined) {
            if (event.introduced === '0' || (order(event.introduced, version) ?? 1) <= 0)
                inside = true;
            else
                return undefined;
        }
        else if (event.fixed !== undefined) {
            if ((order(version, event.fixed) ?? 1) < 0)
                return inside ? event.fixed : undefined;
            inside = false;
        }
        else if (event.last_affected !== undefined && (order(version, event.last_affected) ?? 1) > 0) {
            inside = false;
        }
    }
    return undefined;
}
function fixedVersions(vulnerability, pkg) {
    const order = orderFor(pkg.ecosystem);
    const fixes = new Set();
    const listed = new Set();
    for (const affected of vulnerability.affected ?? []) {
        if (!samePackage(affected, pkg.ecosystem, pkg.name))
            continue;
        for (const range of affected.ranges ?? []) {
            if (range.type === 'GIT')
                continue;
            const events = range.events ?? [];
            for (const event of events)
                if (event.fixed)
                    listed.add(event.fixed);
            const fix = order ? fixOfRange(events, pkg.version, order) : undefined;
            if (fix)
                fixes.add(fix);
        }
    }
    return [...(fixes.size > 0 ? fixes : listed)];
}
function severityOf(vulnerability, pkg) {
    const related = (vulnerability.affected ?? []).filter((affected) => samePackage(affected, pkg.ecosystem, pkg.name));
    const vectors = [
        ...(vulnerability.severity ?? []),
        ...related.flatMap((affected) => affected.severity ?? []),
    ];
    const words = [
        vulnerability.database_specific?.['severity'],
        ...related.flatMap((affected) => [
            affected.ecosystem_specific?.['severity'],
            affected.ecosystem_specific?.['urgency'],
            affected.database_specific?.['severity'],
        ]),
    ];
    return vulnerabilitySeverity(vectors, words) ?? { severity: UNRATED };
}
function vulnerabilityFinding(ruleId, pkg, vulnerability) {
    const { severity, score } = severityOf(vulnerability, pkg);
    const aliases = (vulnerability.aliases ?? []).filter((alias) => alias !== vulnerability.id);
    const fixed = fixedVersions(vulnerability, pkg);
    const title = vulnerability.summary ?? vulnerability.details?.split('\n')[0]?.slice(0, 200) ?? 'known vulnerability';
    const rating = score !== undefined
        ? `CVSS ${score.toFixed(1)}`
        : severity === UNRATED && !vulnerability.severity
            ? 'severity not rated'
            : `rated ${severity}`;
    const ids = [vulnerability.id, ...aliases.slice(0, 3)].join(', ');
    const fixText = fixed.length > 0 ? `Fixed in ${fixed.join(', ')}.` : 'No fixed version is published.';
    const message = `${pkg.name}@${pkg.version} (${pkg.ecosystem}): ${title} (${ids}; ${rating}). ${fixText}`;
    const upgrade = ruleId === 'dep-image-package'
        ? 'by rebuilding on a patched base image or upgrading it in the Dockerfile'
        : `and regenerate ${pkg.file.slice(pkg.file.lastIndexOf('/') + 1)}`;
    const fix = fixed.length > 0
        ? `Upgrade ${pkg.name} to ${fixed.join(' or ')} (or later) ${upgrade}.`
        : `No release fixes it yet: replace or remove ${pkg.name}, or ignore ${vulnerability.id} with a reason.`;
    return (0,rules/* makeFinding */.MH)(ruleId, pkg.file, pkg.line, message, {
        severity,
        fix,
        aliases: [vulnerability.id, ...aliases],
    });
}

;// CONCATENATED MODULE: ./.build/security-scan/actions/security-scan/src/scanners/dependencies/lockfiles/go.js
function goPackage(file, module, version, line) {
    return { ecosystem: 'Go', name: module, version: version.replace(/^v/, ''), file: file.path, line };
}
function tokens(line) {
    const withoutComment = line.replace(/\/\/.*$/, '');
    return [...withoutComment.matchAll(/"((?:[^"\\]|\\.)*)"|`([^`]*)`|(\S+)/g)].map((match) => match[1] ?? match[2] ?? match[3]);
}
function goMod(file) {
    const required = [];
    const replaced = new Map();
    let block;
    file.text.split(/\r?\n/).forEach((text, index) => {
        const words = tokens(text);
        if (words.length === 0)
            return;
        if (block) {
            if (words[0] === ')')
                block = undefined;
            else if (block === 'require' && words.length >= 2) {
                required.push({ module: words[0], version: words[1], line: index + 1 });
            }
            else if (block === 'replace')
                readReplace(words, replaced);
            return;
        }
        if (words[1] === '(') {
            block = words[0];
            return;
        }
        if (words[0] === 'require' && words.length >= 3) {
            required.push({ module: words[1], version: words[2], line: index + 1 });
        }
        if (words[0] === 'replace')
            readReplace(words.slice(1), replaced);
    });
    const found = [];
    for (const { module, version, line } of required) {
        if (replaced.has(module)) {
            const replacement = replaced.get(module);
            if (replacement === undefined)
                continue;
            found.push(goPackage(file, replacement.split('@')[0], replacement.split('@')[1], line));
        }
        else {
            found.push(goPackage(file, module, version, line));
        }
    }
    return found;
}
function readReplace(words, replaced) {
    const arrow = words.indexOf('=>');
    if (arrow < 1)
        return;
    const target = words.slice(arrow + 1);
    replaced.set(words[0], target.length >= 2 ? `${target[0]}@${target[1]}` : undefined);
}
function goSum(file) {
    const found = [];
    file.text.split(/\r?\n/).forEach((text, index) => {
        const [module, version] = text.trim().split(/\s+/);
        if (!module || !version || version.endsWith('/go.mod'))
            return;
        found.push(goPackage(file, module, version, index + 1));
    });
    return found;
}

// EXTERNAL MODULE: ./node_modules/@yarnpkg/parsers/lib/index.js
var lib = __webpack_require__(7823);
// EXTERNAL MODULE: ./node_modules/yaml/dist/index.js
var dist = __webpack_require__(8815);
;// CONCATENATED MODULE: ./.build/security-scan/actions/security-scan/src/scanners/dependencies/types.js
function lineOfText(text, ...needles) {
    let index = -1;
    for (const needle of needles) {
        const at = text.indexOf(needle);
        if (at >= 0) {
            index = needle.startsWith('\n') ? at + 1 : at;
            break;
        }
    }
    if (index < 0)
        return 1;
    let line = 1;
    for (let at = text.indexOf('\n'); at !== -1 && at < index; at = text.indexOf('\n', at + 1))
        line++;
    return line;
}

;// CONCATENATED MODULE: ./.build/security-scan/actions/security-scan/src/scanners/dependencies/lockfiles/npm.js




function npmPackage(file, name, version) {
    if (!name || !version || !(0,semver.valid)(version))
        return [];
    const line = lineOfText(file.text, `node_modules/${name}"`, `"${name}"`, `${name}@`, `/${name}/`);
    return [{ ecosystem: 'npm', name, version, file: file.path, line }];
}
function packageLock(file) {
    const lock = JSON.parse(file.text);
    const found = [];
    if (lock.packages) {
        for (const [key, entry] of Object.entries(lock.packages)) {
            if (key === '' || entry.link || !key.includes('node_modules/'))
                continue;
            const name = entry.name ?? key.slice(key.lastIndexOf('node_modules/') + 'node_modules/'.length);
            found.push(...npmPackage(file, name, entry.version));
        }
    }
    else if (lock.dependencies) {
        const walk = (dependencies) => {
            for (const [name, entry] of Object.entries(dependencies)) {
                found.push(...npmPackage(file, name, entry.version));
                if (entry.dependencies)
                    walk(entry.dependencies);
            }
        };
        walk(lock.dependencies);
    }
    return found;
}
function pnpmKey(key) {
    const bare = key.replace(/^\//, '').replace(/\(.*$/, '');
    const at = bare.lastIndexOf('@');
    if (at > 0)
        return { name: bare.slice(0, at), version: bare.slice(at + 1).replace(/_.*$/, '') };
    const slash = bare.lastIndexOf('/');
    if (slash > 0)
        return { name: bare.slice(0, slash), version: bare.slice(slash + 1).replace(/_.*$/, '') };
    return undefined;
}
function pnpmLock(file) {
    const lock = (0,dist/* parse */.qg)(file.text);
    const found = [];
    for (const [key, entry] of Object.entries(lock.packages ?? {})) {
        const parsed = pnpmKey(key);
        const name = entry?.name ?? parsed?.name;
        const version = entry?.version ?? parsed?.version;
        if (name)
            found.push(...npmPackage(file, name, version));
    }
    return found;
}
function yarnName(descriptor) {
    const at = descriptor.indexOf('@', 1);
    return at > 0 ? descriptor.slice(0, at) : descriptor;
}
function yarnLock(file) {
    const lock = (0,lib/* parseSyml */["do"])(file.text);
    const seen = new Set();
    const found = [];
    for (const [key, entry] of Object.entries(lock)) {
        if (key === '__metadata' || typeof entry !== 'object')
            continue;
        const descriptor = key.split(',')[0].trim();
        if (/@(workspace|link|portal|file|patch):/.test(entry.resolution ?? descriptor))
            continue;
        const name = yarnName(descriptor);
        const id = `${name}@${entry.version}`;
        if (seen.has(id))
            continue;
        seen.add(id);
        found.push(...npmPackage(file, name, entry.version));
    }
    return found;
}

// EXTERNAL MODULE: ./node_modules/fast-xml-parser/src/xmlparser/XMLParser.js + 28 modules
var XMLParser = __webpack_require__(8879);
// EXTERNAL MODULE: ./node_modules/smol-toml/dist/index.js + 8 modules
var smol_toml_dist = __webpack_require__(3292);
;// CONCATENATED MODULE: ./.build/security-scan/actions/security-scan/src/scanners/dependencies/lockfiles/others.js



function cargoLock(file) {
    const document = (0,smol_toml_dist/* parse */.qg)(file.text);
    return (document.package ?? [])
        .filter((entry) => typeof entry.name === 'string' &&
        typeof entry.version === 'string' &&
        typeof entry.source === 'string' &&
        entry.source.startsWith('registry+'))
        .map((entry) => ({
        ecosystem: 'crates.io',
        name: entry.name,
        version: entry.version,
        file: file.path,
        line: lineOfText(file.text, `\nname = "${entry.name}"`),
    }));
}
function composerVersion(version) {
    return /^v\d/.test(version) ? version.slice(1) : version;
}
function composerLock(file) {
    const lock = JSON.parse(file.text);
    return [...(lock['packages'] ?? []), ...(lock['packages-dev'] ?? [])]
        .filter((entry) => entry.name && entry.version && !entry.version.startsWith('dev-'))
        .map((entry) => ({
        ecosystem: 'Packagist',
        name: entry.name,
        version: composerVersion(entry.version),
        file: file.path,
        line: lineOfText(file.text, `"name": "${entry.name}"`),
    }));
}
function gemfileLock(file) {
    const found = [];
    let section = '';
    file.text.split(/\r?\n/).forEach((text, index) => {
        if (/^\S/.test(text)) {
            section = text.trim();
            return;
        }
        if (section !== 'GEM')
            return;
        const gem = /^ {4}([^\s(]+) \(([^)]+)\)$/.exec(text);
        if (!gem)
            return;
        const version = gem[2].split('-')[0];
        found.push({ ecosystem: 'RubyGems', name: gem[1], version, file: file.path, line: index + 1 });
    });
    return found;
}
function gradleLockfile(file) {
    const found = [];
    file.text.split(/\r?\n/).forEach((text, index) => {
        const coordinates = text.trim().split('=')[0];
        if (coordinates === '' || coordinates.startsWith('#') || coordinates === 'empty')
            return;
        const [group, artifact, version] = coordinates.split(':');
        if (!group || !artifact || !version)
            return;
        found.push({
            ecosystem: 'Maven',
            name: `${group}:${artifact}`,
            version,
            file: file.path,
            line: index + 1,
        });
    });
    return found;
}
const pomParser = new XMLParser/* default */.A({
    ignoreAttributes: true,
    parseTagValue: false,
    isArray: (name) => name === 'dependency',
});
function pomXml(file) {
    const document = pomParser.parse(file.text);
    const project = document.project;
    if (!project)
        return [];
    const properties = {};
    for (const [key, value] of Object.entries(project.properties ?? {})) {
        if (typeof value === 'string' || typeof value === 'number')
            properties[key] = String(value);
    }
    if (typeof project.version === 'string')
        properties['project.version'] = project.version;
    const resolve = (value) => value.replace(/\$\{([^}]+)\}/g, (whole, key) => properties[key] ?? whole);
    const dependencies = [
        ...(project.dependencies?.dependency ?? []),
        ...(project.dependencyManagement?.dependencies?.dependency ?? []),
    ];
    const found = [];
    for (const dependency of dependencies) {
        if (typeof dependency.groupId !== 'string' || typeof dependency.artifactId !== 'string')
            continue;
        if (typeof dependency.version !== 'string')
            continue;
        const version = resolve(dependency.version.trim());
        if (version.includes('${') || /^[[(]/.test(version))
            continue;
        found.push({
            ecosystem: 'Maven',
            name: `${resolve(dependency.groupId.trim())}:${resolve(dependency.artifactId.trim())}`,
            version,
            file: file.path,
            line: lineOfText(file.text, `<artifactId>${dependency.artifactId}</artifactId>`),
        });
    }
    return found;
}

;// CONCATENATED MODULE: ./.build/security-scan/actions/security-scan/src/scanners/dependencies/lockfiles/python.js


function normalisePythonName(name) {
    return name.toLowerCase().replace(/[-_.]+/g, '-');
}
function pypi(file, name, version, line) {
    return {
        ecosystem: 'PyPI',
        name: normalisePythonName(name),
        version,
        file: file.path,
        line: line ?? lineOfText(file.text, `\nname = "${name}"`, `"${name}"`, name),
    };
}
function requirementsTxt(file) {
    const found = [];
    const lines = file.text.split(/\r?\n/);
    for (let index = 0; index < lines.length; index++) {
        const lineNumber = index + 1;
        let logical = lines[index];
        while (logical.endsWith('\\') && index + 1 < lines.length)
            logical = logical.slice(0, -1) + lines[++index];
        const requirement = logical
            .replace(/(^|\s)#.*$/, '')
            .split(';')[0]
            .trim();
        if (requirement === '' || requirement.startsWith('-'))
            continue;
        const match = /^([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*===?\s*([^\s,;]+)\s*(?:--.*)?$/.exec(requirement);
        if (match && !match[2].includes('*'))
            found.push(pypi(file, match[1], match[2], lineNumber));
    }
    return found;
}
function tomlPackages(file) {
    const document = (0,smol_toml_dist/* parse */.qg)(file.text);
    return Array.isArray(document.package) ? document.package : [];
}
function poetryLock(file) {
    return tomlPackages(file)
        .filter((entry) => typeof entry.name === 'string' && typeof entry.version === 'string')
        .filter((entry) => {
        const source = entry.source;
        return !source?.type || source.type === 'legacy';
    })
        .map((entry) => pypi(file, entry.name, entry.version));
}
function uvLock(file) {
    return tomlPackages(file)
        .filter((entry) => typeof entry.name === 'string' && typeof entry.version === 'string')
        .filter((entry) => {
        const source = entry.source;
        return source === undefined || 'registry' in source;
    })
        .map((entry) => pypi(file, entry.name, entry.version));
}
function pipfileLock(file) {
    const lock = JSON.parse(file.text);
    const found = [];
    for (const section of ['default', 'develop']) {
        for (const [name, entry] of Object.entries(lock[section] ?? {})) {
            const version = entry.version?.replace(/^===?/, '');
            if (version && entry.version.startsWith('=='))
                found.push(pypi(file, name, version));
        }
    }
    return found;
}

;// CONCATENATED MODULE: ./.build/security-scan/actions/security-scan/src/scanners/dependencies/lockfiles/index.js




const PARSERS = [
    {
        kind: 'npm',
        matches: (name) => name === 'package-lock.json' || name === 'npm-shrinkwrap.json',
        parse: packageLock,
    },
    { kind: 'pnpm', matches: (name) => name === 'pnpm-lock.yaml', parse: pnpmLock },
    { kind: 'yarn', matches: (name) => name === 'yarn.lock', parse: yarnLock },
    { kind: 'pip', matches: (name) => /^requirements.*\.txt$/.test(name), parse: requirementsTxt },
    { kind: 'poetry', matches: (name) => name === 'poetry.lock', parse: poetryLock },
    { kind: 'uv', matches: (name) => name === 'uv.lock', parse: uvLock },
    { kind: 'pipenv', matches: (name) => name === 'Pipfile.lock', parse: pipfileLock },
    { kind: 'go', matches: (name) => name === 'go.mod', parse: goMod },
    { kind: 'go', matches: (name) => name === 'go.sum', parse: goSum },
    { kind: 'cargo', matches: (name) => name === 'Cargo.lock', parse: cargoLock },
    { kind: 'maven', matches: (name) => name === 'pom.xml', parse: pomXml },
    { kind: 'gradle', matches: (name) => name === 'gradle.lockfile', parse: gradleLockfile },
    { kind: 'composer', matches: (name) => name === 'composer.lock', parse: composerLock },
    { kind: 'bundler', matches: (name) => name === 'Gemfile.lock', parse: gemfileLock },
];
function baseName(path) {
    return path.slice(path.lastIndexOf('/') + 1);
}
function parserFor(path) {
    if (/(^|\/)(node_modules|vendor|\.venv|venv)\//.test(path))
        return undefined;
    return PARSERS.find((parser) => parser.matches(baseName(path)));
}
function isLockfile(path) {
    return parserFor(path) !== undefined;
}
function lockedPackages(files) {
    const paths = new Set(files.map((file) => file.path));
    const packages = [];
    const lockfiles = [];
    const unreadable = [];
    for (const file of files) {
        const parser = parserFor(file.path);
        if (!parser)
            continue;
        if (baseName(file.path) === 'go.sum' && paths.has(file.path.replace(/go\.sum$/, 'go.mod')))
            continue;
        lockfiles.push(file.path);
        try {
            packages.push(...parser.parse(file));
        }
        catch (error) {
            const detail = error instanceof Error ? error.message.split('\n')[0] : String(error);
            unreadable.push({
                file: file.path,
                reason: `the ${parser.kind} lockfile could not be parsed (${detail})`,
            });
        }
    }
    return { packages, lockfiles, unreadable };
}

// EXTERNAL MODULE: ./.build/security-scan/actions/security-scan/src/scanners/dependencies/osv.js + 1 modules
var osv = __webpack_require__(2582);
;// CONCATENATED MODULE: ./.build/security-scan/actions/security-scan/src/scanners/dependencies/index.js





function packageKey(pkg) {
    return `${pkg.ecosystem}\0${pkg.name}\0${pkg.version}`;
}
async function osvFindings(packages, client, ruleId) {
    const distinct = new Map();
    for (const pkg of packages)
        if (!distinct.has(packageKey(pkg)))
            distinct.set(packageKey(pkg), pkg);
    const queries = [...distinct.values()];
    const ids = await client.queryBatch(queries);
    const idsByPackage = new Map(queries.map((pkg, index) => [packageKey(pkg), ids[index]]));
    const records = await client.vulnerabilities(ids.flat());
    const findings = [];
    const reported = new Set();
    for (const pkg of packages) {
        for (const id of idsByPackage.get(packageKey(pkg)) ?? []) {
            const once = `${pkg.file}\0${packageKey(pkg)}\0${id}`;
            if (reported.has(once))
                continue;
            reported.add(once);
            findings.push(vulnerabilityFinding(ruleId, pkg, records.get(id)));
        }
    }
    return findings;
}
async function scanDependencies(files, options = {}) {
    const { packages, lockfiles, unreadable } = lockedPackages(files);
    const result = { findings: [], unreachable: [...unreadable], packagesChecked: 0 };
    if (packages.length === 0)
        return result;
    result.packagesChecked = new Set(packages.map(packageKey)).size;
    const client = options.client ??
        new osv/* OsvClient */.KK({
            url: options.osvUrl ?? osv/* DEFAULT_OSV_URL */.ju,
            ...(options.fetch ? { fetch: options.fetch } : {}),
            ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
            ...(options.sleep ? { sleep: options.sleep } : {}),
        });
    try {
        result.findings = await osvFindings(packages, client, 'dep-advisory');
    }
    catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        const checked = new Set(packages.map((pkg) => pkg.file));
        for (const file of lockfiles.filter((path) => checked.has(path)))
            result.unreachable.push({ file, reason });
    }
    return result;
}


/***/ })

};
