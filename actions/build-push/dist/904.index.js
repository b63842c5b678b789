export const id = 904;
export const ids = [904];
export const modules = {

/***/ 6904:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   awsRequestHandler: () => (/* binding */ awsRequestHandler),
/* harmony export */   installProxySupport: () => (/* binding */ installProxySupport),
/* harmony export */   proxyEnvOf: () => (/* binding */ proxyEnvOf)
/* harmony export */ });
/* harmony import */ var node_http__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7067);
/* harmony import */ var node_https__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(4708);
// Proxy support for runners behind a forward proxy: every outbound request of an action honours
// HTTPS_PROXY / HTTP_PROXY / NO_PROXY (and their lower-case forms), as curl and the runner itself do.
// - global fetch (registry API, npm advisories...): undici's EnvHttpProxyAgent as the global dispatcher;
// - the AWS SDK's clients: Node agents with `proxyEnv` (awsRequestHandler, used by shared/aws.ts);
// - health probes (shared/http-probe.ts): the same agents, per request, from `proxyEnv`.


const PROXY_VARIABLES = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy'];
/** The proxy variables of `env`, as Node's agents take them; undefined when no proxy is set. */
function proxyEnvOf(env = process.env) {
    if (!PROXY_VARIABLES.some((name) => env[name]))
        return undefined;
    const picked = {};
    for (const name of [...PROXY_VARIABLES, 'NO_PROXY', 'no_proxy']) {
        const value = env[name];
        if (value)
            picked[name] = value;
    }
    return picked;
}
/**
 * Routes global fetch through the proxy the environment names (NO_PROXY honoured). Does nothing without a
 * proxy, so that the default dispatcher stays; undici is loaded only then (it is a large part of a step's
 * start-up). Returns whether it installed one.
 */
async function installProxySupport(env = process.env) {
    const proxyEnv = proxyEnvOf(env);
    if (!proxyEnv)
        return false;
    const { EnvHttpProxyAgent, setGlobalDispatcher } = await __webpack_require__.e(/* import() */ 752).then(__webpack_require__.t.bind(__webpack_require__, 6752, 19));
    setGlobalDispatcher(new EnvHttpProxyAgent({
        httpProxy: proxyEnv.HTTP_PROXY ?? proxyEnv.http_proxy,
        httpsProxy: proxyEnv.HTTPS_PROXY ?? proxyEnv.https_proxy ?? proxyEnv.HTTP_PROXY ?? proxyEnv.http_proxy,
        noProxy: proxyEnv.NO_PROXY ?? proxyEnv.no_proxy ?? '',
    }));
    return true;
}
/**
 * The AWS SDK's request handler options when a proxy is set: keep-alive agents that go through it (Node's
 * agents read HTTP(S)_PROXY and NO_PROXY from `proxyEnv`). Undefined without a proxy: the SDK's default.
 */
function awsRequestHandler(env = process.env) {
    const proxyEnv = proxyEnvOf(env);
    if (!proxyEnv)
        return undefined;
    return {
        httpAgent: new node_http__WEBPACK_IMPORTED_MODULE_0__.Agent({ keepAlive: true, proxyEnv }),
        httpsAgent: new node_https__WEBPACK_IMPORTED_MODULE_1__.Agent({ keepAlive: true, proxyEnv }),
    };
}


/***/ })

};
