export const id = 631;
export const ids = [631];
export const modules = {

/***/ 3631:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  describeImageScan: () => (/* binding */ describeImageScan),
  scanImage: () => (/* binding */ scanImage)
});

// UNUSED EXPORTS: imagePackages, parseImageReference

// EXTERNAL MODULE: ./.build/security-scan/actions/security-scan/src/scanners/dependencies/index.js + 9 modules
var dependencies = __webpack_require__(8718);
;// CONCATENATED MODULE: ./.build/security-scan/actions/security-scan/src/scanners/image/go-binary.js
const MAGIC = Buffer.from('\xff Go buildinf:', 'latin1');
const ALIGN = 16;
const HEADER_SIZE = 32;
const MAX_BLOB = 1024 * 1024;
const ELF_MAGIC = Buffer.from([0x7f, 0x45, 0x4c, 0x46]);
function uvarint(bytes, at) {
    let value = 0;
    for (let index = 0; index < 5 && at + index < bytes.length; index++) {
        const byte = bytes[at + index];
        value += (byte & 0x7f) * 2 ** (7 * index);
        if (byte < 0x80)
            return { value, size: index + 1 };
    }
    return undefined;
}
function parseModuleInfo(info) {
    const result = { deps: [] };
    let last;
    for (const line of info.split('\n')) {
        const [kind, path, version] = line.split('\t');
        if (!path)
            continue;
        if (kind === 'mod') {
            last = result.main = { path, version: version ?? '' };
        }
        else if (kind === 'dep') {
            last = { path, version: version ?? '' };
            result.deps.push(last);
        }
        else if (kind === '=>' && last) {
            last.path = path;
            last.version = version ?? '';
        }
    }
    return result;
}
function parseBuildInfoBlob(blob) {
    if (blob.length < HEADER_SIZE || !blob.subarray(0, MAGIC.length).equals(MAGIC))
        return undefined;
    if ((blob[15] & 2) === 0)
        return undefined;
    const strings = [];
    let at = HEADER_SIZE;
    for (let index = 0; index < 2; index++) {
        const length = uvarint(blob, at);
        if (!length || at + length.size + length.value > blob.length)
            return undefined;
        strings.push(blob.toString('utf8', at + length.size, at + length.size + length.value));
        at += length.size + length.value;
    }
    const [goVersion, framed] = strings;
    const modules = framed.length >= 33 && framed[framed.length - 17] === '\n' ? framed.slice(16, -16) : '';
    return { goVersion, ...parseModuleInfo(modules) };
}
const PROBE_BYTES = HEADER_SIZE + 3;
function plausibleHeader(probe) {
    const [pointerSize, flags] = [probe[14], probe[15]];
    if ((pointerSize !== 4 && pointerSize !== 8) || (flags & ~3) !== 0 || (flags & 2) === 0)
        return false;
    const length = probe[HEADER_SIZE];
    const start = probe.toString('latin1', HEADER_SIZE + 1, HEADER_SIZE + 3);
    return length >= 2 && length < 0x80 && (start === 'go' || start === 'de');
}
class GoBuildInfoScanner {
    offset = 0;
    tail = Buffer.alloc(0);
    blob;
    blobLength = 0;
    notElf = false;
    push(chunk) {
        if (this.notElf || this.blobLength >= MAX_BLOB)
            return false;
        if (this.offset === 0 && this.tail.length === 0 && !this.blob) {
            if (chunk.length >= 4 && !chunk.subarray(0, 4).equals(ELF_MAGIC)) {
                this.notElf = true;
                return false;
            }
        }
        if (this.blob) {
            this.blob.push(chunk);
            this.blobLength += chunk.length;
            return this.blobLength < MAX_BLOB;
        }
        const window = this.tail.length > 0 ? Buffer.concat([this.tail, chunk]) : chunk;
        const windowStart = this.offset - this.tail.length;
        this.offset += chunk.length;
        let from = 0;
        for (;;) {
            const at = window.indexOf(MAGIC, from);
            if (at < 0)
                break;
            if ((windowStart + at) % ALIGN === 0) {
                if (window.length - at < PROBE_BYTES) {
                    this.tail = Buffer.from(window.subarray(at));
                    return true;
                }
                if (plausibleHeader(window.subarray(at, at + PROBE_BYTES))) {
                    this.blob = [window.subarray(at)];
                    this.blobLength = window.length - at;
                    return this.blobLength < MAX_BLOB;
                }
            }
            from = at + 1;
        }
        this.tail = Buffer.from(window.subarray(Math.max(0, window.length - (MAGIC.length - 1))));
        return true;
    }
    result() {
        if (!this.blob)
            return undefined;
        return parseBuildInfoBlob(Buffer.concat(this.blob).subarray(0, MAX_BLOB));
    }
}
function goToolchainVersion(goVersion) {
    const match = /^go(\d+)\.(\d+)(?:\.(\d+))?(?:(beta|rc)(\d+))?(?:\s|$)/.exec(goVersion);
    if (!match)
        return undefined;
    const [, major, minor, patch, pre, preNumber] = match;
    return `${major}.${minor}.${patch ?? '0'}${pre ? `-${pre}.${preNumber}` : ''}`;
}
function goBinaryPackages(info, file) {
    const found = [];
    const add = (name, version) => {
        if (version && version !== '(devel)')
            found.push({ ecosystem: 'Go', name, version, file, line: 1 });
    };
    if (info.main)
        add(info.main.path, info.main.version);
    for (const dep of info.deps)
        add(dep.path, dep.version);
    const stdlib = goToolchainVersion(info.goVersion);
    if (stdlib)
        add('stdlib', stdlib);
    return found;
}

// EXTERNAL MODULE: external "node:stream/promises"
var promises_ = __webpack_require__(6466);
// EXTERNAL MODULE: external "node:zlib"
var external_node_zlib_ = __webpack_require__(8522);
// EXTERNAL MODULE: ./node_modules/tar-stream/index.js
var tar_stream = __webpack_require__(6118);
;// CONCATENATED MODULE: ./.build/security-scan/actions/security-scan/src/scanners/image/layers.js




const RPM_DATABASES = ['var/lib/rpm/rpmdb.sqlite', 'usr/lib/sysimage/rpm/rpmdb.sqlite'];
function isPackageDatabase(path) {
    return (path === 'var/lib/dpkg/status' ||
        /^var\/lib\/dpkg\/status\.d\/[^/]+$/.test(path) ||
        path === 'lib/apk/db/installed' ||
        RPM_DATABASES.includes(path) ||
        path === 'etc/os-release' ||
        path === 'usr/lib/os-release' ||
        /(^|\/)node_modules\/(@[^/]+\/)?[^/@.][^/]*\/package\.json$/.test(path) ||
        /\.dist-info\/METADATA$/.test(path));
}
const MAX_FILE_BYTES = 64 * 1024 * 1024;
const MIN_GO_BINARY_BYTES = 512 * 1024;
class LayeredFiles {
    files = new Map();
    bytesRead = 0;
    async addLayer(layer, source, mediaType) {
        const extract = tar_stream.extract();
        const counted = source.on('data', (chunk) => (this.bytesRead += chunk.length));
        const stages = [];
        if (/gzip/.test(mediaType))
            stages.push(external_node_zlib_.createGunzip());
        else if (/zstd/.test(mediaType)) {
            const zstd = external_node_zlib_.createZstdDecompress;
            if (!zstd)
                throw new Error(`layer compression ${mediaType} needs a newer Node.js`);
            stages.push(zstd());
        }
        const piping = (0,promises_.pipeline)([counted, ...stages, extract]);
        const reading = (async () => {
            for await (const entry of extract) {
                const path = entry.header.name.replace(/^(\.\/|\/)+/, '').replace(/\/+$/, '');
                const slash = path.lastIndexOf('/');
                const base = path.slice(slash + 1);
                const dir = slash >= 0 ? path.slice(0, slash) : '';
                if (base === '.wh..wh..opq') {
                    this.removeUnder(dir, (file) => file.layer < layer);
                }
                else if (base.startsWith('.wh.')) {
                    const target = `${dir ? `${dir}/` : ''}${base.slice(4)}`;
                    this.files.delete(target);
                    this.removeUnder(target, () => true);
                }
                else {
                    this.files.delete(path);
                    const size = entry.header.size ?? 0;
                    if (entry.header.type === 'file' && isPackageDatabase(path) && size <= MAX_FILE_BYTES) {
                        const chunks = [];
                        for await (const chunk of entry)
                            chunks.push(chunk);
                        this.files.set(path, { layer, bytes: Buffer.concat(chunks) });
                        continue;
                    }
                    if (entry.header.type === 'file' &&
                        ((entry.header.mode ?? 0) & 0o111) !== 0 &&
                        size >= MIN_GO_BINARY_BYTES) {
                        const scanner = new GoBuildInfoScanner();
                        let searching = true;
                        for await (const chunk of entry)
                            if (searching)
                                searching = scanner.push(chunk);
                        const go = scanner.result();
                        if (go)
                            this.files.set(path, { layer, go });
                        continue;
                    }
                }
                entry.resume();
            }
        })();
        await Promise.all([piping, reading]);
    }
    removeUnder(dir, when) {
        const prefix = dir === '' ? '' : `${dir}/`;
        for (const [path, file] of this.files)
            if (path.startsWith(prefix) && when(file))
                this.files.delete(path);
    }
    contents() {
        const databases = new Map();
        for (const [path, file] of this.files)
            if ('bytes' in file)
                databases.set(path, file.bytes);
        return databases;
    }
    goBinaries() {
        const binaries = new Map();
        for (const [path, file] of this.files)
            if ('go' in file)
                binaries.set(path, file.go);
        return binaries;
    }
}

;// CONCATENATED MODULE: ./.build/security-scan/actions/security-scan/src/scanners/image/packages.js
function paragraphs(text) {
    return text
        .split(/\n\s*\n/)
        .map((block) => {
        const fields = new Map();
        let last = '';
        for (const line of block.split('\n')) {
            if (/^\s/.test(line) && last)
                continue;
            const colon = line.indexOf(':');
            if (colon <= 0)
                continue;
            last = line.slice(0, colon);
            fields.set(last, line.slice(colon + 1).trim());
        }
        return fields;
    })
        .filter((fields) => fields.size > 0);
}
function osEcosystem(osRelease) {
    if (!osRelease)
        return undefined;
    const fields = new Map(osRelease
        .split('\n')
        .map((line) => /^([A-Z_]+)=(.*)$/.exec(line.trim()))
        .filter((match) => match !== null)
        .map((match) => [match[1], match[2].replace(/^["']|["']$/g, '')]));
    const version = fields.get('VERSION_ID');
    if (fields.get('ID') === 'debian' && version)
        return `Debian:${version.split('.')[0]}`;
    if (fields.get('ID') === 'ubuntu' && version)
        return `Ubuntu:${version}${/\bLTS\b/.test(fields.get('VERSION') ?? '') ? ':LTS' : ''}`;
    if (fields.get('ID') === 'almalinux' && version)
        return `AlmaLinux:${version.split('.')[0]}`;
    if (fields.get('ID') === 'rocky' && version)
        return `Rocky Linux:${version.split('.')[0]}`;
    if (fields.get('ID') === 'alpine' && version)
        return `Alpine:v${version.split('.').slice(0, 2).join('.')}`;
    return undefined;
}
function dpkgPackages(text, ecosystem, file) {
    const found = new Map();
    for (const fields of paragraphs(text)) {
        const name = fields.get('Package');
        const version = fields.get('Version');
        const status = fields.get('Status');
        if (!name || !version || (status !== undefined && !status.endsWith(' installed')))
            continue;
        const source = /^(\S+)(?:\s+\(([^)]+)\))?$/.exec(fields.get('Source') ?? '');
        const packageName = source?.[1] ?? name;
        const packageVersion = source?.[2] ?? version;
        found.set(`${packageName}@${packageVersion}`, {
            ecosystem,
            name: packageName,
            version: packageVersion,
            file,
            line: 1,
        });
    }
    return [...found.values()];
}
function apkPackages(text, ecosystem, file) {
    const found = new Map();
    for (const block of text.split(/\n\s*\n/)) {
        const fields = new Map();
        for (const line of block.split('\n'))
            if (/^[A-Za-z]:/.test(line))
                fields.set(line[0], line.slice(2));
        const name = fields.get('o') ?? fields.get('P');
        const version = fields.get('V');
        if (name && version)
            found.set(`${name}@${version}`, { ecosystem, name, version, file, line: 1 });
    }
    return [...found.values()];
}
function nodePackage(text, file) {
    try {
        const manifest = JSON.parse(text);
        if (typeof manifest.name !== 'string' || typeof manifest.version !== 'string')
            return undefined;
        return { ecosystem: 'npm', name: manifest.name, version: manifest.version, file, line: 1 };
    }
    catch {
        return undefined;
    }
}
function pythonDistribution(text, file) {
    const headers = paragraphs(text.split(/\n\s*\n/)[0] ?? '')[0];
    const name = headers?.get('Name');
    const version = headers?.get('Version');
    if (!name || !version)
        return undefined;
    return { ecosystem: 'PyPI', name: name.toLowerCase().replace(/[-_.]+/g, '-'), version, file, line: 1 };
}

// EXTERNAL MODULE: ./.build/security-scan/actions/security-scan/src/scanners/image/reference.js
var image_reference = __webpack_require__(2344);
// EXTERNAL MODULE: external "node:stream"
var external_node_stream_ = __webpack_require__(7075);
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
;// CONCATENATED MODULE: ./.build/security-scan/actions/build-push/src/registry.js

const MANIFEST_TYPES = (/* unused pure expression or super */ null && ([
    'application/vnd.oci.image.index.v1+json',
    'application/vnd.docker.distribution.manifest.list.v2+json',
    'application/vnd.oci.image.manifest.v1+json',
    'application/vnd.docker.distribution.manifest.v2+json',
]));
class RegistryError extends Error {
    name = 'RegistryError';
    status;
    constructor(message, status) {
        super(message);
        this.status = status;
    }
}
function registryBaseUrl(registry) {
    if (/^https?:\/\//.test(registry))
        return registry.replace(/\/+$/, '');
    if (['docker.io', 'index.docker.io', 'registry-1.docker.io'].includes(registry)) {
        return 'https://registry-1.docker.io';
    }
    const host = registry.replace(/:\d+$/, '');
    const loopback = host === 'localhost' || host.startsWith('127.') || host === '[::1]';
    return `${loopback ? 'http' : 'https'}://${registry}`;
}
function parseChallenge(header) {
    const scheme = header.split(' ', 1)[0].toLowerCase();
    const params = {};
    for (const match of header.slice(scheme.length).matchAll(/([a-zA-Z]+)="([^"]*)"/g)) {
        params[match[1].toLowerCase()] = match[2];
    }
    return { scheme, params };
}
function networkReason(error) {
    const cause = error.cause;
    return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}
class RegistryClient {
    baseUrl;
    credentials;
    fetchImpl;
    bearer;
    bearerScopes = new Set();
    tokenRequests = new Map();
    constructor(options) {
        this.baseUrl = registryBaseUrl(options.registry);
        this.credentials = options.credentials;
        this.fetchImpl = options.fetch ?? ((url, init) => fetch(url, init));
    }
    basicHeader() {
        if (!this.credentials)
            return undefined;
        const token = Buffer.from(`${this.credentials.username}:${this.credentials.password}`).toString('base64');
        return `Basic ${token}`;
    }
    async send(url, accept, write) {
        const headers = this.headers(accept);
        const init = { method: 'GET', headers, redirect: 'follow' };
        if (write) {
            headers['Content-Type'] = write.mediaType;
            Object.assign(init, { method: 'PUT', body: write.bytes });
        }
        try {
            return await this.fetchImpl(url, init);
        }
        catch (error) {
            throw new RegistryError(`Cannot reach the registry at ${this.baseUrl}: ${networkReason(error)}.`);
        }
    }
    headers(accept) {
        const headers = { Accept: accept };
        const authorization = this.bearer ? `Bearer ${this.bearer}` : this.basicHeader();
        if (authorization)
            headers['Authorization'] = authorization;
        return headers;
    }
    async authenticate(challenge, repository, write) {
        const { scheme, params } = parseChallenge(challenge);
        const scope = params['scope'] ?? `repository:${repository}:${write ? 'pull,push' : 'pull'}`;
        if (scheme !== 'bearer' || !params['realm'] || this.bearerScopes.has(scope))
            return false;
        this.bearerScopes.add(scope);
        const url = new URL(params['realm']);
        if (params['service'])
            url.searchParams.set('service', params['service']);
        url.searchParams.set('scope', scope);
        const headers = {};
        const basic = this.basicHeader();
        if (basic)
            headers['Authorization'] = basic;
        let response;
        try {
            response = await this.fetchImpl(url.toString(), { headers });
        }
        catch (error) {
            throw new RegistryError(`Cannot reach the registry's token service ${url.origin}: ${networkReason(error)}.`);
        }
        if (!response.ok)
            return false;
        const body = (await response.json());
        const token = body.token ?? body.access_token;
        if (token !== undefined)
            this.bearer = token;
        return token !== undefined;
    }
    async get(repository, path, accept, write) {
        const url = `${this.baseUrl}/v2/${repository}/${path}`;
        const bearerUsed = this.bearer;
        let response = await this.send(url, accept, write);
        if (response.status === 401) {
            const challenge = response.headers.get('www-authenticate') ?? '';
            const key = `${repository} ${write ? 'write' : 'read'}`;
            let tokenRequest = this.tokenRequests.get(key);
            if (!tokenRequest) {
                tokenRequest = this.authenticate(challenge, repository, write !== undefined);
                this.tokenRequests.set(key, tokenRequest);
            }
            const retry = (this.bearer !== undefined && this.bearer !== bearerUsed) || (await tokenRequest);
            if (retry)
                response = await this.send(url, accept, write);
        }
        if (response.status === 401 || response.status === 403) {
            throw new RegistryError(`The registry ${this.baseUrl} refused the credentials for ${repository} (HTTP ${response.status}).`, response.status);
        }
        return response;
    }
    async readManifest(repository, reference) {
        const response = await this.get(repository, `manifests/${reference}`, MANIFEST_TYPES.join(', '));
        if (response.status === 404)
            return undefined;
        if (!response.ok) {
            throw new RegistryError(`The registry answered HTTP ${response.status} for ${repository}:${reference}.`, response.status);
        }
        const bytes = Buffer.from(await response.arrayBuffer());
        const computed = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
        const digest = response.headers.get('docker-content-digest') ?? computed;
        if (digest !== computed) {
            throw new RegistryError(`The registry's digest for ${repository}:${reference} (${digest}) does not match the manifest it sent (${computed}).`);
        }
        const body = JSON.parse(bytes.toString('utf8'));
        const mediaType = body.mediaType ?? response.headers.get('content-type') ?? MANIFEST_TYPES[2];
        return { digest, body, bytes, mediaType };
    }
    async manifest(repository, reference) {
        const read = await this.readManifest(repository, reference);
        return read && describeManifest(read);
    }
    async rawManifest(repository, reference) {
        const read = await this.readManifest(repository, reference);
        return read && { info: describeManifest(read), bytes: read.bytes };
    }
    async imageConfigs(repository, reference) {
        const read = await this.readManifest(repository, reference);
        if (!read)
            return undefined;
        if (!read.body.manifests)
            return read.body.config?.digest ? [read.body.config.digest] : undefined;
        const configs = [];
        for (const entry of read.body.manifests) {
            if (!entry.digest || entry.platform?.os === 'unknown')
                continue;
            const child = await this.readManifest(repository, entry.digest);
            const platform = [entry.platform?.os, entry.platform?.architecture, entry.platform?.variant]
                .filter(Boolean)
                .join('/');
            if (child?.body.config?.digest)
                configs.push(`${platform}=${child.body.config.digest}`);
        }
        return configs.sort();
    }
    async labels(repository, reference) {
        const read = await this.readManifest(repository, reference);
        if (!read)
            return {};
        let body = read.body;
        if (body.manifests) {
            const first = body.manifests.find((entry) => entry.platform?.os !== 'unknown');
            const child = first?.digest ? await this.readManifest(repository, first.digest) : undefined;
            if (!child)
                return {};
            body = child.body;
        }
        if (!body.config?.digest)
            return {};
        const response = await this.get(repository, `blobs/${body.config.digest}`, '*/*');
        if (!response.ok)
            return {};
        const config = (await response.json());
        return config.config?.Labels ?? {};
    }
    async ping() {
        const response = await this.send(`${this.baseUrl}/v2/`, 'application/json');
        if (response.status === 401) {
            const challenge = response.headers.get('www-authenticate') ?? '';
            if (parseChallenge(challenge).scheme === 'bearer')
                return;
            throw new RegistryError(`The registry ${this.baseUrl} refused the credentials (HTTP 401).`, 401);
        }
        if (!response.ok) {
            throw new RegistryError(`The registry ${this.baseUrl} answered HTTP ${response.status} on /v2/.`, response.status);
        }
    }
    async putManifest(repository, tag, manifest) {
        const response = await this.get(repository, `manifests/${tag}`, '*/*', manifest);
        if (response.status !== 201 && response.status !== 200) {
            const text = (await response.text().catch(() => '')).slice(0, 300);
            throw new RegistryError(`The registry answered HTTP ${response.status} to the tag ${repository}:${tag}${text ? `: ${text}` : ''}.`, response.status);
        }
        await response.arrayBuffer().catch(() => undefined);
        const computed = `sha256:${createHash('sha256').update(manifest.bytes).digest('hex')}`;
        const stored = response.headers.get('docker-content-digest') ?? computed;
        if (stored !== computed) {
            throw new RegistryError(`The registry stored ${stored} for ${repository}:${tag}, not the manifest sent (${computed}).`);
        }
        return stored;
    }
}
function describeManifest({ digest, body, bytes, mediaType }) {
    if (body.manifests) {
        const platforms = body.manifests
            .filter((entry) => entry.platform?.os && entry.platform.os !== 'unknown')
            .map(({ platform }) => [platform.os, platform.architecture, platform.variant].filter(Boolean).join('/'));
        const size = bytes.length + body.manifests.reduce((total, entry) => total + (entry.size ?? 0), 0);
        return { digest, mediaType, size, platforms };
    }
    const size = bytes.length +
        (body.config?.size ?? 0) +
        (body.layers ?? []).reduce((sum, layer) => sum + (layer.size ?? 0), 0);
    const info = { digest, mediaType, size };
    if (body.config?.digest)
        info.configDigest = body.config.digest;
    return info;
}

;// CONCATENATED MODULE: ./.build/security-scan/actions/security-scan/src/scanners/image/registry.js


const registry_MANIFEST_TYPES = [
    'application/vnd.oci.image.index.v1+json',
    'application/vnd.docker.distribution.manifest.list.v2+json',
    'application/vnd.oci.image.manifest.v1+json',
    'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');
class ImageRegistryError extends Error {
    name = 'ImageRegistryError';
}
function registry_networkReason(error) {
    const cause = error.cause;
    return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}
class ImageRegistryClient {
    baseUrl;
    bearer;
    image;
    credentials;
    fetcher;
    constructor(image, credentials, fetcher = (url, init) => fetch(url, init)) {
        this.image = image;
        this.credentials = credentials;
        this.fetcher = fetcher;
        this.baseUrl = registryBaseUrl(image.registry);
    }
    authorization() {
        if (this.bearer)
            return `Bearer ${this.bearer}`;
        if (!this.credentials)
            return undefined;
        return `Basic ${Buffer.from(`${this.credentials.username}:${this.credentials.password}`).toString('base64')}`;
    }
    async send(url, accept) {
        const headers = { accept };
        const authorization = this.authorization();
        if (authorization)
            headers['authorization'] = authorization;
        try {
            return await this.fetcher(url, { headers, redirect: 'follow' });
        }
        catch (error) {
            throw new ImageRegistryError(`the registry at ${this.baseUrl} is unreachable (${registry_networkReason(error)})`);
        }
    }
    async token(challenge) {
        const { scheme, params } = parseChallenge(challenge);
        if (scheme !== 'bearer' || !params['realm'] || this.bearer)
            return false;
        const url = new URL(params['realm']);
        if (params['service'])
            url.searchParams.set('service', params['service']);
        url.searchParams.set('scope', params['scope'] ?? `repository:${this.image.repository}:pull`);
        const response = await this.send(url.toString(), 'application/json');
        if (!response.ok)
            return false;
        const body = (await response.json());
        this.bearer = body.token ?? body.access_token;
        return this.bearer !== undefined;
    }
    async get(path, accept) {
        const url = `${this.baseUrl}/v2/${this.image.repository}/${path}`;
        let response = await this.send(url, accept);
        if (response.status === 401 && (await this.token(response.headers.get('www-authenticate') ?? ''))) {
            response = await this.send(url, accept);
        }
        if (response.status === 401 || response.status === 403) {
            throw new ImageRegistryError(`the registry ${this.baseUrl} refused the credentials for ${this.image.repository} (HTTP ${response.status})`);
        }
        if (!response.ok) {
            throw new ImageRegistryError(`the registry ${this.baseUrl} answered HTTP ${response.status} for ${this.image.repository}/${path.split('/')[0]} ${path.split('/')[1]}`);
        }
        return response;
    }
    async layers() {
        let response = await this.get(`manifests/${this.image.reference}`, registry_MANIFEST_TYPES);
        let digest = response.headers.get('docker-content-digest') ?? this.image.reference;
        let body = (await response.json());
        if (body.manifests) {
            const runnable = body.manifests.filter((entry) => entry.platform?.os !== 'unknown');
            const chosen = runnable.find((entry) => entry.platform?.os === 'linux' && entry.platform.architecture === 'amd64') ??
                runnable[0];
            if (!chosen)
                throw new ImageRegistryError(`the image index ${digest} lists no runnable image`);
            response = await this.get(`manifests/${chosen.digest}`, registry_MANIFEST_TYPES);
            digest = chosen.digest;
            body = (await response.json());
        }
        return { digest, layers: body.layers ?? [] };
    }
    async blob(digest) {
        const response = await this.get(`blobs/${digest}`, '*/*');
        if (!response.body)
            throw new ImageRegistryError(`the registry sent no body for ${digest}`);
        return external_node_stream_.Readable.fromWeb(response.body);
    }
}

;// CONCATENATED MODULE: ./.build/security-scan/actions/security-scan/src/scanners/image/rpm.js
const TAG = { name: 1000, version: 1001, release: 1002, epoch: 1003, arch: 1022, sourceRpm: 1044 };
const TYPE_INT32 = 4;
const TYPE_STRING = 6;
const MAX_ENTRIES = 0xffff;
function parseRpmHeader(blob) {
    if (blob.length < 8)
        return undefined;
    const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
    const entries = view.getUint32(0);
    const dataLength = view.getUint32(4);
    const dataStart = 8 + entries * 16;
    if (entries > MAX_ENTRIES || dataStart + dataLength > blob.length)
        return undefined;
    const strings = new Map();
    const numbers = new Map();
    for (let index = 0; index < entries; index++) {
        const at = 8 + index * 16;
        const tag = view.getInt32(at);
        const type = view.getUint32(at + 4);
        const offset = view.getInt32(at + 8);
        if (offset < 0 || offset >= dataLength || strings.has(tag) || numbers.has(tag))
            continue;
        if (type === TYPE_STRING) {
            const end = blob.indexOf(0, dataStart + offset);
            if (end < 0 || end >= dataStart + dataLength)
                return undefined;
            strings.set(tag, Buffer.from(blob.subarray(dataStart + offset, end)).toString('utf8'));
        }
        else if (type === TYPE_INT32 && offset + 4 <= dataLength) {
            numbers.set(tag, view.getInt32(dataStart + offset));
        }
    }
    const name = strings.get(TAG.name);
    const version = strings.get(TAG.version);
    const release = strings.get(TAG.release);
    if (!name || !version || !release)
        return undefined;
    const header = { name, version, release };
    const epoch = numbers.get(TAG.epoch);
    if (epoch !== undefined)
        header.epoch = epoch;
    const arch = strings.get(TAG.arch);
    if (arch)
        header.arch = arch;
    const sourceRpm = strings.get(TAG.sourceRpm);
    if (sourceRpm)
        header.sourceRpm = sourceRpm;
    return header;
}
function rpmVersion(header) {
    return `${header.epoch !== undefined ? `${header.epoch}:` : ''}${header.version}-${header.release}`;
}
async function rpmPackages(database, ecosystem, file) {
    const { DatabaseSync } = await Promise.resolve(/* import() */).then(__webpack_require__.t.bind(__webpack_require__, 99, 19));
    const db = new DatabaseSync(':memory:');
    try {
        const copy = Buffer.from(database);
        if (copy.length >= 20 && copy[18] === 2 && copy[19] === 2)
            copy[18] = copy[19] = 1;
        db.deserialize(copy);
        const found = new Map();
        for (const row of db.prepare('SELECT blob FROM Packages ORDER BY hnum').all()) {
            const header = parseRpmHeader(row['blob']);
            if (!header || header.name === 'gpg-pubkey')
                continue;
            const version = rpmVersion(header);
            found.set(`${header.name}@${version}`, { ecosystem, name: header.name, version, file, line: 1 });
        }
        return [...found.values()];
    }
    finally {
        db.close();
    }
}

;// CONCATENATED MODULE: ./.build/security-scan/actions/security-scan/src/scanners/image/index.js








const RPM_DISTRIBUTIONS = ['AlmaLinux:', 'Rocky Linux:'];
async function imagePackages(files, goBinaries = new Map()) {
    const asText = (content) => content === undefined || typeof content === 'string' ? content : Buffer.from(content).toString('utf8');
    const ecosystem = osEcosystem(asText(files.get('etc/os-release') ?? files.get('usr/lib/os-release')));
    const packages = [];
    const unreadable = [];
    for (const [path, content] of files) {
        if (RPM_DATABASES.includes(path)) {
            if (!ecosystem || !RPM_DISTRIBUTIONS.some((prefix) => ecosystem.startsWith(prefix)))
                continue;
            try {
                packages.push(...(await rpmPackages(Buffer.from(content), ecosystem, path)));
            }
            catch (error) {
                const reason = error instanceof Error ? error.message : String(error);
                unreadable.push({ file: path, reason: `not a readable rpm database (${reason})` });
            }
            continue;
        }
        const text = asText(content);
        if ((ecosystem?.startsWith('Debian:') || ecosystem?.startsWith('Ubuntu:')) &&
            (path === 'var/lib/dpkg/status' || path.startsWith('var/lib/dpkg/status.d/'))) {
            packages.push(...dpkgPackages(text, ecosystem, path));
        }
        else if (ecosystem?.startsWith('Alpine') && path === 'lib/apk/db/installed') {
            packages.push(...apkPackages(text, ecosystem, path));
        }
        else if (path.endsWith('/package.json')) {
            const found = nodePackage(text, path);
            if (found)
                packages.push(found);
        }
        else if (path.endsWith('.dist-info/METADATA')) {
            const found = pythonDistribution(text, path);
            if (found)
                packages.push(found);
        }
    }
    for (const [path, info] of goBinaries)
        packages.push(...goBinaryPackages(info, path));
    return ecosystem ? { packages, os: ecosystem, unreadable } : { packages, unreadable };
}
function describeImageScan(image, result) {
    if (!result.digest)
        return [`Image ${image}: not read.`];
    const megabytes = (result.bytesRead / 1024 / 1024).toFixed(1);
    const lines = [`Image ${image}: ${result.digest}, ${result.layers} layer(s), ${megabytes} MB read.`];
    const os = result.packages.filter((pkg) => pkg.ecosystem === result.os);
    if (!result.os) {
        lines.push('No os-release of a known distribution (Debian, Ubuntu, Alpine, AlmaLinux, Rocky Linux): OS packages not checked.');
    }
    else {
        const listed = os.map((pkg) => `${pkg.name} ${pkg.version}`).sort();
        lines.push(`${result.os}: ${os.length} OS package(s)${listed.length > 0 ? `: ${listed.join(', ')}` : ' (no package database)'}.`);
    }
    const others = new Map();
    for (const pkg of result.packages)
        if (pkg.ecosystem !== result.os)
            others.set(pkg.ecosystem, (others.get(pkg.ecosystem) ?? 0) + 1);
    const counts = [...others].map(([ecosystem, count]) => `${count} ${ecosystem}`).join(', ');
    lines.push(`Language packages: ${counts || 'none'}.`);
    return lines;
}
async function scanImage(options, client, reportFile) {
    const result = { findings: [], unreachable: [], packages: [], layers: 0, bytesRead: 0 };
    const reference = (0,image_reference/* parseImageReference */.o)(options.image);
    const credentials = options.username && options.password
        ? { username: options.username, password: options.password }
        : undefined;
    const registry = new ImageRegistryClient(reference, credentials, options.fetch);
    const union = new LayeredFiles();
    try {
        const { digest, layers } = await registry.layers();
        result.digest = digest;
        result.layers = layers.length;
        for (const [index, layer] of layers.entries()) {
            await union.addLayer(index, await registry.blob(layer.digest), layer.mediaType);
        }
    }
    catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        result.unreachable.push({ file: options.image, reason });
        return result;
    }
    finally {
        result.bytesRead = union.bytesRead;
    }
    const { packages, os, unreadable } = await imagePackages(union.contents(), union.goBinaries());
    if (os)
        result.os = os;
    result.packages = packages;
    for (const { file, reason } of unreadable)
        result.unreachable.push({ file: options.image, reason: `/${file}: ${reason}` });
    try {
        const findings = await (0,dependencies/* osvFindings */.XZ)(packages, client, 'dep-image-package');
        result.findings = findings.map((finding) => ({
            ...finding,
            file: reportFile.path,
            line: reportFile.line,
            message: `Image ${options.image}, /${finding.file}: ${finding.message}`,
        }));
    }
    catch (error) {
        result.unreachable.push({
            file: options.image,
            reason: error instanceof Error ? error.message : String(error),
        });
    }
    return result;
}


/***/ })

};
