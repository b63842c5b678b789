export const id = 237;
export const ids = [237,904];
export const modules = {

/***/ 9237:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  awsClientConfig: () => (/* reexport */ awsClientConfig),
  crossCheckEcr: () => (/* binding */ crossCheckEcr),
  ecrLogin: () => (/* binding */ ecrLogin),
  ensureRepository: () => (/* binding */ ensureRepository)
});

// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-ecr/dist-cjs/index.js
var dist_cjs = __webpack_require__(8249);
// EXTERNAL MODULE: ./.build/build-push/shared/errors.js
var errors = __webpack_require__(9033);
// EXTERNAL MODULE: ./.build/build-push/shared/proxy.js
var proxy = __webpack_require__(6904);
;// CONCATENATED MODULE: ./.build/build-push/shared/aws.js


function awsClientConfig(region, maxAttempts = 6) {
    const resolved = region || process.env['AWS_REGION'] || process.env['AWS_DEFAULT_REGION'];
    if (!resolved) {
        throw new errors/* ConfigurationError */.j('No AWS region: set the "aws-region" input, or AWS_REGION (aws-actions/configure-aws-credentials sets it).');
    }
    const requestHandler = (0,proxy.awsRequestHandler)();
    return {
        region: resolved,
        maxAttempts,
        retryMode: 'adaptive',
        ...(requestHandler ? { requestHandler } : {}),
    };
}
const AUTH_ERRORS = new Set([
    'AccessDeniedException',
    'AccessDenied',
    'UnauthorizedOperation',
    'UnrecognizedClientException',
    'InvalidSignatureException',
    'SignatureDoesNotMatch',
    'ExpiredToken',
    'ExpiredTokenException',
    'InvalidClientTokenId',
    'MissingAuthenticationToken',
    'MissingAuthenticationTokenException',
    'IncompleteSignature',
    'CredentialsProviderError',
]);
const THROTTLE_ERRORS = new Set([
    'ThrottlingException',
    'Throttling',
    'TooManyRequestsException',
    'RequestLimitExceeded',
    'ProvisionedThroughputExceededException',
]);
const NOT_FOUND_ERRORS = new Set([
    'ClusterNotFoundException',
    'ServiceNotFoundException',
    'ServiceNotActiveException',
    'RepositoryNotFoundException',
    'ImageNotFoundException',
    'ResourceNotFoundException',
]);
function classifyAwsError(error) {
    if (typeof error !== 'object' || error === null)
        return 'other';
    const { name = '', $metadata, code } = error;
    if (AUTH_ERRORS.has(name))
        return 'auth';
    if (THROTTLE_ERRORS.has(name))
        return 'throttle';
    if (NOT_FOUND_ERRORS.has(name))
        return 'not-found';
    if (name === 'InvalidParameterException' || name === 'ClientException' || name === 'ValidationException') {
        return 'invalid';
    }
    const status = $metadata?.httpStatusCode;
    if (status === 403 || status === 401)
        return 'auth';
    if (status === 429)
        return 'throttle';
    if (status !== undefined && status >= 500)
        return 'server';
    if (code && ['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN'].includes(code))
        return 'network';
    return 'other';
}
function accountFromArn(arn) {
    return arn.split(':')[4] || undefined;
}
const REFUSED_CREDENTIALS = new Set([
    'UnrecognizedClientException',
    'InvalidSignatureException',
    'SignatureDoesNotMatch',
    'InvalidClientTokenId',
    'IncompleteSignature',
    'MissingAuthenticationToken',
    'MissingAuthenticationTokenException',
]);
function credentialProblem(error) {
    if (typeof error !== 'object' || error === null)
        return undefined;
    const { name = '', message = '' } = error;
    if (name === 'CredentialsProviderError')
        return 'missing';
    if (name === 'ExpiredToken' || name === 'ExpiredTokenException')
        return 'expired';
    if (REFUSED_CREDENTIALS.has(name))
        return /expired/i.test(message) ? 'expired' : 'refused';
    return undefined;
}
function refusedCredentialsAdvice(operation, region, errorName) {
    return `AWS refused the credentials for ${operation} in ${region} (${errorName}): the request was not signed by a key AWS accepts, so no IAM permission would help. Check that aws-actions/configure-aws-credentials ran before this step in the same job, that it assumed the role you meant (of the account that owns the resources), that the region is right ("aws-region" or AWS_REGION), and that no stale AWS_ACCESS_KEY_ID / AWS_SESSION_TOKEN overrides it.`;
}
const REGION_SHAPE = /^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d+$/;

;// CONCATENATED MODULE: ./.build/build-push/actions/build-push/src/ecr.js




function explainAwsError(action, error) {
    const kind = classifyAwsError(error);
    if (kind === 'auth') {
        return new errors/* ConfigurationError */.j(`ECR ${action} was denied (${(0,errors/* errorMessage */.g)(error)}): give the role the IAM permissions listed in the build-push README, or check the credentials step (aws-actions/configure-aws-credentials).`);
    }
    return new Error(`ECR ${action} failed: ${(0,errors/* errorMessage */.g)(error)}`);
}
async function ecrLogin(client) {
    let data;
    try {
        data = (await client.send(new dist_cjs.GetAuthorizationTokenCommand({}))).authorizationData?.[0];
    }
    catch (error) {
        throw explainAwsError('GetAuthorizationToken', error);
    }
    if (!data?.authorizationToken || !data.proxyEndpoint) {
        throw new Error('ECR GetAuthorizationToken returned no token.');
    }
    const decoded = Buffer.from(data.authorizationToken, 'base64').toString('utf8');
    const separator = decoded.indexOf(':');
    if (separator <= 0)
        throw new Error('ECR GetAuthorizationToken returned a token that is not "user:password".');
    return {
        registry: new URL(data.proxyEndpoint).host,
        endpoint: data.proxyEndpoint.replace(/\/+$/, ''),
        username: decoded.slice(0, separator),
        password: decoded.slice(separator + 1),
    };
}
async function ensureRepository(client, name, options) {
    try {
        const found = await client.send(new dist_cjs.DescribeRepositoriesCommand({ repositoryNames: [name] }));
        const repository = found.repositories?.[0];
        if (repository?.repositoryUri) {
            return {
                uri: repository.repositoryUri,
                immutable: repository.imageTagMutability?.startsWith('IMMUTABLE') ?? false,
                created: false,
            };
        }
    }
    catch (error) {
        if (classifyAwsError(error) !== 'not-found')
            throw explainAwsError('DescribeRepositories', error);
    }
    if (!options.create) {
        throw new errors/* ConfigurationError */.j(`Input "repository": the ECR repository "${name}" does not exist; create it, or set create-repository: true.`);
    }
    try {
        const created = await client.send(new dist_cjs.CreateRepositoryCommand({
            repositoryName: name,
            imageTagMutability: options.mutability,
            imageScanningConfiguration: { scanOnPush: options.scanOnPush },
        }));
        const uri = created.repository?.repositoryUri;
        if (!uri)
            throw new Error('ECR CreateRepository returned no repository URI.');
        return { uri, immutable: options.mutability === 'IMMUTABLE', created: true };
    }
    catch (error) {
        if (error.name === 'RepositoryAlreadyExistsException') {
            return ensureRepository(client, name, { ...options, create: false });
        }
        throw explainAwsError('CreateRepository', error);
    }
}
async function crossCheckEcr(client, repository, result) {
    let detail;
    try {
        const found = await client.send(new dist_cjs.DescribeImagesCommand({ repositoryName: repository, imageIds: [{ imageDigest: result.digest }] }));
        detail = found.imageDetails?.[0];
    }
    catch (error) {
        if (classifyAwsError(error) !== 'not-found')
            throw explainAwsError('DescribeImages', error);
    }
    if (!detail) {
        throw new Error(`ECR DescribeImages does not list ${result.digest} in ${repository} after the push.`);
    }
    const tags = new Set(detail.imageTags ?? []);
    for (const { name } of result.tags) {
        if (!tags.has(name)) {
            throw new Error(`ECR DescribeImages does not list tag "${name}" on ${result.digest} in ${repository} after the push (it lists ${[...tags].join(', ') || 'no tags'}).`);
        }
    }
    if (detail.imageSizeInBytes !== undefined && result.sizeBytes === undefined) {
        result.sizeBytes = detail.imageSizeInBytes;
    }
}


/***/ }),

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
