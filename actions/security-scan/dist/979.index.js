export const id = 979;
export const ids = [979];
export const modules = {

/***/ 5979:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  scanLive: () => (/* binding */ scanLive)
});

// UNUSED EXPORTS: REQUESTS_PER_URL, toFinding

;// CONCATENATED MODULE: ./.build/security-scan/actions/security-scan/src/scanners/live/http.js
const MAX_BODY_BYTES = 512 * 1024;
async function readCapped(response) {
    if (!response.body)
        return '';
    const reader = response.body.getReader();
    const chunks = [];
    let size = 0;
    while (size < MAX_BODY_BYTES) {
        const { done, value } = await reader.read();
        if (done)
            break;
        chunks.push(value);
        size += value.byteLength;
    }
    await reader.cancel().catch(() => undefined);
    return Buffer.concat(chunks).subarray(0, MAX_BODY_BYTES).toString('utf8');
}
async function get(url, budget, headers = {}) {
    if (budget.used >= budget.limit)
        throw new Error(`request budget of ${budget.limit} spent`);
    budget.used++;
    const response = await fetch(url, {
        redirect: 'manual',
        headers: { 'user-agent': 'shipkit-security-scan (passive)', ...headers },
        signal: AbortSignal.timeout(budget.timeoutMs),
    });
    return {
        url,
        status: response.status,
        headers: response.headers,
        setCookies: response.headers.getSetCookie(),
        body: await readCapped(response),
    };
}
async function tryGet(url, budget, headers = {}) {
    try {
        return await get(url, budget, headers);
    }
    catch {
        return undefined;
    }
}
function isHtml(response) {
    return /\btext\/html\b/i.test(response.headers.get('content-type') ?? '');
}

;// CONCATENATED MODULE: ./.build/security-scan/actions/security-scan/src/scanners/live/headers.js

function parseCsp(header) {
    return header
        .split(',')
        .map((policy) => policy.trim())
        .filter(Boolean)
        .map((policy) => {
        const directives = new Map();
        for (const part of policy.split(';')) {
            const [name, ...sources] = part.trim().split(/\s+/);
            if (name && !directives.has(name.toLowerCase()))
                directives.set(name.toLowerCase(), sources);
        }
        return directives;
    });
}
function allowsInlineScript(policy) {
    const sources = policy.get('script-src-elem') ?? policy.get('script-src') ?? policy.get('default-src');
    if (!sources)
        return true;
    const lowered = sources.map((source) => source.toLowerCase());
    if (!lowered.includes("'unsafe-inline'"))
        return false;
    return !lowered.some((source) => /^'(nonce-|sha256-|sha384-|sha512-)/.test(source));
}
function checkHeaders(response, https) {
    const hits = [];
    const header = (name) => response.headers.get(name);
    const html = isHtml(response);
    const csp = header('content-security-policy');
    const policies = csp ? parseCsp(csp) : [];
    if (html && !csp) {
        hits.push({
            ruleId: 'live-csp-missing',
            message: `${response.url} answers HTML without a Content-Security-Policy.`,
        });
    }
    if (html && policies.length > 0 && policies.every(allowsInlineScript)) {
        hits.push({
            ruleId: 'live-csp-unsafe-inline',
            message: `${response.url}: Content-Security-Policy "${csp}" lets inline scripts run.`,
        });
    }
    const hsts = header('strict-transport-security');
    if (https && (!hsts || /max-age\s*=\s*"?0"?(\s|;|$)/i.test(hsts))) {
        hits.push({
            ruleId: 'live-hsts-missing',
            message: `${response.url} is HTTPS but sends ${hsts ? `"Strict-Transport-Security: ${hsts}"` : 'no Strict-Transport-Security'}.`,
        });
    }
    if ((header('x-content-type-options') ?? '').trim().toLowerCase() !== 'nosniff') {
        hits.push({
            ruleId: 'live-nosniff-missing',
            message: `${response.url} does not send X-Content-Type-Options: nosniff.`,
        });
    }
    const framedBy = policies.some((policy) => policy.has('frame-ancestors'));
    const xfo = (header('x-frame-options') ?? '').trim().toLowerCase();
    if (html && !framedBy && xfo !== 'deny' && xfo !== 'sameorigin') {
        hits.push({
            ruleId: 'live-clickjacking',
            message: `${response.url} can be framed by any site: no CSP frame-ancestors and ${xfo ? `X-Frame-Options "${xfo}"` : 'no X-Frame-Options'}.`,
        });
    }
    const referrer = (header('referrer-policy') ?? '').trim().toLowerCase();
    if (html && (referrer === '' || referrer === 'unsafe-url')) {
        hits.push({
            ruleId: 'live-referrer-policy-missing',
            message: `${response.url} sends ${referrer ? 'Referrer-Policy: unsafe-url' : 'no Referrer-Policy'}: full URLs leak to other sites.`,
        });
    }
    const poweredBy = header('x-powered-by');
    const server = header('server');
    if (poweredBy) {
        hits.push({
            ruleId: 'live-version-banner',
            message: `${response.url} sends X-Powered-By: ${poweredBy}.`,
        });
    }
    else if (server && /\d/.test(server)) {
        hits.push({
            ruleId: 'live-version-banner',
            message: `${response.url} sends Server: ${server} (a version).`,
        });
    }
    return hits;
}
function parseSetCookie(header) {
    const [pair = '', ...rest] = header.split(';');
    const name = pair.split('=')[0].trim();
    const attributes = new Map();
    for (const attribute of rest) {
        const eq = attribute.indexOf('=');
        const key = (eq === -1 ? attribute : attribute.slice(0, eq)).trim().toLowerCase();
        if (key)
            attributes.set(key, eq === -1 ? '' : attribute.slice(eq + 1).trim());
    }
    return { name, attributes };
}
const SESSION_COOKIE = /sess|sid|auth|token|jwt|login|remember/i;
function checkCookies(response, https) {
    const hits = [];
    for (const header of response.setCookies) {
        const cookie = parseSetCookie(header);
        if (/^(0|-\d+)$/.test(cookie.attributes.get('max-age') ?? ''))
            continue;
        if (https && !cookie.attributes.has('secure')) {
            hits.push({
                ruleId: 'live-cookie-not-secure',
                message: `${response.url} sets cookie "${cookie.name}" without Secure.`,
            });
        }
        if (!SESSION_COOKIE.test(cookie.name))
            continue;
        if (!cookie.attributes.has('httponly')) {
            hits.push({
                ruleId: 'live-cookie-not-httponly',
                message: `${response.url} sets session cookie "${cookie.name}" without HttpOnly.`,
            });
        }
        const sameSite = cookie.attributes.get('samesite')?.toLowerCase();
        if (!sameSite || sameSite === 'none') {
            hits.push({
                ruleId: 'live-cookie-no-samesite',
                message: `${response.url} sets session cookie "${cookie.name}" with ${sameSite ? 'SameSite=None' : 'no SameSite'}.`,
            });
        }
    }
    return hits;
}

;// CONCATENATED MODULE: ./.build/security-scan/actions/security-scan/src/scanners/live/exposure.js

const MAX_SOURCE_MAPS = 3;
const PROBE_ORIGIN = 'https://shipkit-cors-probe.invalid';
function scriptSources(page, limit) {
    const base = new URL(page.url);
    const found = [];
    for (const match of page.body.matchAll(/<script\b[^>]*\bsrc\s*=\s*["']?([^"'\s>]+)/gi)) {
        let url;
        try {
            url = new URL(match[1], base);
        }
        catch {
            continue;
        }
        if (url.origin !== base.origin || found.includes(url.href))
            continue;
        found.push(url.href);
        if (found.length === limit)
            break;
    }
    return found;
}
function isDirectoryListing(response) {
    return (response.status === 200 &&
        isHtml(response) &&
        /<title>\s*(Index of \/|Directory listing for \/)/i.test(response.body));
}
async function checkExposure(page, budget) {
    const hits = [];
    const at = (path) => new URL(path, page.url).href;
    const git = await tryGet(at('/.git/HEAD'), budget);
    if (git?.status === 200 && /^(ref: refs\/|[0-9a-f]{40}\s*$)/.test(git.body)) {
        hits.push({
            ruleId: 'live-exposed-git',
            message: `${git.url} is served: the repository can be downloaded.`,
        });
    }
    const env = await tryGet(at('/.env'), budget);
    if (env?.status === 200 && !isHtml(env) && /^\s*(export\s+)?[A-Za-z_][A-Za-z0-9_]*\s*=/m.test(env.body)) {
        hits.push({ ruleId: 'live-exposed-env', message: `${env.url} is served with KEY=value lines.` });
    }
    if (isDirectoryListing(page)) {
        hits.push({ ruleId: 'live-directory-listing', message: `${page.url} is a directory listing.` });
    }
    const scripts = isHtml(page) ? scriptSources(page, MAX_SOURCE_MAPS) : [];
    for (const script of scripts) {
        const map = await tryGet(`${script}.map`, budget);
        if (map?.status === 200 && /^\s*\{/.test(map.body) && map.body.includes('"mappings"')) {
            hits.push({
                ruleId: 'live-exposed-source-map',
                message: `${map.url} is served: the original source can be read.`,
            });
        }
    }
    if (scripts[0]) {
        const folder = new URL('./', scripts[0]).href;
        if (folder !== page.url) {
            const listing = await tryGet(folder, budget);
            if (listing && isDirectoryListing(listing)) {
                hits.push({ ruleId: 'live-directory-listing', message: `${listing.url} is a directory listing.` });
            }
        }
    }
    return hits;
}
async function checkCors(page, budget) {
    const probe = await tryGet(page.url, budget, { origin: PROBE_ORIGIN });
    if (!probe)
        return [];
    const allowOrigin = probe.headers.get('access-control-allow-origin')?.trim();
    const credentials = probe.headers.get('access-control-allow-credentials')?.trim().toLowerCase() === 'true';
    if (!credentials || !allowOrigin)
        return [];
    if (allowOrigin === PROBE_ORIGIN) {
        return [
            {
                ruleId: 'live-cors-credentials',
                message: `${page.url} reflects any Origin (${PROBE_ORIGIN}) with Access-Control-Allow-Credentials: true: any site can read the user's responses.`,
            },
        ];
    }
    if (allowOrigin === '*') {
        return [
            {
                ruleId: 'live-cors-credentials',
                message: `${page.url} sends Access-Control-Allow-Origin: * with Access-Control-Allow-Credentials: true.`,
            },
        ];
    }
    return [];
}
function plainHttpUrl(url) {
    const parsed = new URL(url);
    if (parsed.protocol !== 'https:' || parsed.port !== '')
        return undefined;
    parsed.protocol = 'http:';
    return parsed.href;
}
async function checkHttpRedirect(page, budget, plainUrl = plainHttpUrl(page.url)) {
    if (!plainUrl)
        return [];
    const plain = await tryGet(plainUrl, budget);
    if (!plain)
        return [];
    const location = plain.headers.get('location') ?? '';
    if (plain.status >= 300 && plain.status < 400 && /^https:\/\//i.test(location))
        return [];
    return [
        {
            ruleId: 'live-http-not-redirected',
            message: `${plainUrl} answers ${plain.status}${location ? ` (Location: ${location})` : ''} instead of redirecting to HTTPS.`,
        },
    ];
}

// EXTERNAL MODULE: ./.build/security-scan/actions/security-scan/src/scanners/live/live-rules.js
var live_rules = __webpack_require__(2204);
// EXTERNAL MODULE: external "node:tls"
var external_node_tls_ = __webpack_require__(1692);
;// CONCATENATED MODULE: ./.build/security-scan/actions/security-scan/src/scanners/live/tls.js

function handshake(host, port, options, versions) {
    return new Promise((resolve, reject) => {
        const socket = (0,external_node_tls_.connect)({
            host,
            port,
            servername: /^[\d.]+$|:/.test(host) ? undefined : host,
            rejectUnauthorized: false,
            ...(options.ca ? { ca: options.ca } : {}),
            ...(versions ? { ...versions, ciphers: 'DEFAULT@SECLEVEL=0' } : {}),
        });
        const timer = setTimeout(() => {
            socket.destroy();
            reject(new Error(`no TLS handshake within ${options.timeoutMs} ms`));
        }, options.timeoutMs);
        socket.once('secureConnect', () => {
            clearTimeout(timer);
            resolve(socket);
        });
        socket.once('error', (error) => {
            clearTimeout(timer);
            reject(error);
        });
    });
}
async function checkTls(url, options) {
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const port = Number(url.port || 443);
    const hits = [];
    let certificate;
    let socket;
    try {
        socket = await handshake(host, port, options);
    }
    catch (error) {
        return { hits, error: `TLS handshake with ${url.host} failed: ${error.message}` };
    }
    try {
        certificate = socket.getPeerCertificate();
        const trustError = socket.authorized ? undefined : String(socket.authorizationError);
        const nameError = (0,external_node_tls_.checkServerIdentity)(host, certificate);
        if (trustError || nameError) {
            hits.push({
                ruleId: 'live-tls-certificate-invalid',
                message: `${url.host}: the certificate (${String(certificate.subject?.CN ?? 'no CN')}) is not valid: ${[trustError, nameError?.message].filter(Boolean).join('; ')}.`,
            });
        }
        const validTo = new Date(certificate.valid_to);
        const daysLeft = Math.floor((validTo.getTime() - (options.now?.() ?? new Date()).getTime()) / 86_400_000);
        if (daysLeft < options.certificateExpiryDays) {
            hits.push({
                ruleId: 'live-tls-certificate-expiring',
                message: daysLeft < 0
                    ? `${url.host}: the certificate expired on ${validTo.toISOString().slice(0, 10)}.`
                    : `${url.host}: the certificate expires on ${validTo.toISOString().slice(0, 10)}, in ${daysLeft} day(s) (threshold ${options.certificateExpiryDays}).`,
            });
        }
    }
    finally {
        socket.destroy();
    }
    try {
        const old = await handshake(host, port, options, { minVersion: 'TLSv1', maxVersion: 'TLSv1.1' });
        const protocol = old.getProtocol();
        old.destroy();
        hits.push({ ruleId: 'live-tls-old-protocol', message: `${url.host} completes a ${protocol} handshake.` });
    }
    catch {
    }
    return { hits };
}

;// CONCATENATED MODULE: ./.build/security-scan/actions/security-scan/src/scanners/live/index.js





const REQUESTS_PER_URL = 10;
function toFinding(url, hit) {
    const rule = (0,live_rules/* liveRule */.h)(hit.ruleId);
    return {
        ruleId: rule.id,
        severity: rule.severity,
        category: 'live',
        file: url,
        line: 1,
        message: `${hit.message} (${rule.owasp})`,
        fix: rule.fix,
    };
}
async function scanUrl(url, options) {
    const budget = { timeoutMs: options.timeoutMs, used: 0, limit: REQUESTS_PER_URL };
    const page = await get(url, budget);
    const https = new URL(url).protocol === 'https:';
    const hits = [...checkHeaders(page, https), ...checkCookies(page, https)];
    hits.push(...(await checkExposure(page, budget)));
    hits.push(...(await checkCors(page, budget)));
    hits.push(...(await checkHttpRedirect(page, budget)));
    if (https) {
        const tls = await checkTls(new URL(url), {
            timeoutMs: options.timeoutMs,
            certificateExpiryDays: options.certificateExpiryDays,
            ...(options.ca ? { ca: options.ca } : {}),
            ...(options.now ? { now: options.now } : {}),
        });
        hits.push(...tls.hits);
    }
    const seen = new Set();
    return {
        hits: hits.filter((hit) => !seen.has(hit.ruleId + hit.message) && seen.add(hit.ruleId + hit.message)),
        requests: budget.used,
    };
}
async function scanLive(urls, options) {
    const result = { findings: [], unreachable: [], requests: 0 };
    for (const url of urls) {
        options.onProgress?.(`live: checking ${url}`);
        try {
            const { hits, requests } = await scanUrl(url, options);
            result.requests += requests;
            result.findings.push(...hits.map((hit) => toFinding(url, hit)));
            options.onProgress?.(`live: ${url}: ${hits.length} finding(s) from ${requests} request(s)`);
        }
        catch (error) {
            const cause = error.cause;
            result.unreachable.push({
                url,
                reason: cause?.code ?? cause?.message ?? error.message,
            });
        }
    }
    return result;
}


/***/ })

};
