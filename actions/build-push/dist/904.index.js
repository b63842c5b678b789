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


const PROXY_VARIABLES = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy'];
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
