export const id = 553;
export const ids = [553];
export const modules = {

/***/ 2553:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   crossCheckEcr: () => (/* binding */ crossCheckEcr),
/* harmony export */   describeTags: () => (/* binding */ describeTags),
/* harmony export */   ecrLogin: () => (/* binding */ ecrLogin),
/* harmony export */   ensureRepository: () => (/* binding */ ensureRepository)
/* harmony export */ });
/* harmony import */ var _aws_sdk_client_ecr__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(8249);
/* harmony import */ var _shared_aws_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(601);
/* harmony import */ var _shared_errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(9033);



function explainAwsError(action, error) {
    const kind = (0,_shared_aws_js__WEBPACK_IMPORTED_MODULE_0__/* .classifyAwsError */ .u3)(error);
    if (kind === 'auth') {
        return new _shared_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .ConfigurationError */ .j(`ECR ${action} was denied (${(0,_shared_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .errorMessage */ .g)(error)}): give the role the IAM permissions listed in the build-push README, or check the credentials step (aws-actions/configure-aws-credentials).`);
    }
    return new Error(`ECR ${action} failed: ${(0,_shared_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .errorMessage */ .g)(error)}`);
}
/** GetAuthorizationToken, decoded: the token is base64 "AWS:<password>". */
async function ecrLogin(client) {
    let data;
    try {
        data = (await client.send(new _aws_sdk_client_ecr__WEBPACK_IMPORTED_MODULE_2__.GetAuthorizationTokenCommand({}))).authorizationData?.[0];
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
/** Finds the repository (for its URI and tag mutability), creating it when allowed. */
async function ensureRepository(client, name, options) {
    try {
        const found = await client.send(new _aws_sdk_client_ecr__WEBPACK_IMPORTED_MODULE_2__.DescribeRepositoriesCommand({ repositoryNames: [name] }));
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
        if ((0,_shared_aws_js__WEBPACK_IMPORTED_MODULE_0__/* .classifyAwsError */ .u3)(error) !== 'not-found')
            throw explainAwsError('DescribeRepositories', error);
    }
    if (!options.create) {
        throw new _shared_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .ConfigurationError */ .j(`Input "repository": the ECR repository "${name}" does not exist; create it, or set create-repository: true.`);
    }
    try {
        const created = await client.send(new _aws_sdk_client_ecr__WEBPACK_IMPORTED_MODULE_2__.CreateRepositoryCommand({
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
/** What ECR itself records for the tags (digest and size), as a cross-check of the registry's answer. */
async function describeTags(client, repository, tags) {
    const result = new Map();
    for (let start = 0; start < tags.length; start += 100) {
        const imageIds = tags.slice(start, start + 100).map((imageTag) => ({ imageTag }));
        const found = await client
            .send(new _aws_sdk_client_ecr__WEBPACK_IMPORTED_MODULE_2__.DescribeImagesCommand({ repositoryName: repository, imageIds }))
            .catch((error) => {
            // ImageNotFound for any id fails the whole call; ask one by one then.
            if ((0,_shared_aws_js__WEBPACK_IMPORTED_MODULE_0__/* .classifyAwsError */ .u3)(error) === 'not-found' && imageIds.length > 1)
                return undefined;
            if ((0,_shared_aws_js__WEBPACK_IMPORTED_MODULE_0__/* .classifyAwsError */ .u3)(error) === 'not-found')
                return { imageDetails: [] };
            throw explainAwsError('DescribeImages', error);
        });
        if (found === undefined) {
            for (const tag of tags.slice(start, start + 100)) {
                for (const [key, value] of await describeTags(client, repository, [tag]))
                    result.set(key, value);
            }
            continue;
        }
        for (const detail of found.imageDetails ?? []) {
            for (const tag of detail.imageTags ?? [])
                if (tags.includes(tag))
                    result.set(tag, detail);
        }
    }
    return result;
}
/** ECR's own record must agree with the registry API: same digest under every tag. */
async function crossCheckEcr(client, repository, result) {
    const names = result.tags.map((tag) => tag.name);
    const details = await describeTags(client, repository, names);
    for (const name of names) {
        const detail = details.get(name);
        if (!detail)
            throw new Error(`ECR DescribeImages does not list tag "${name}" in ${repository} after the push.`);
        if (detail.imageDigest !== result.digest) {
            throw new Error(`ECR DescribeImages has ${detail.imageDigest} for tag "${name}", but the registry served ${result.digest}.`);
        }
    }
    const size = details.get(names[0])?.imageSizeInBytes;
    if (size !== undefined && result.sizeBytes === undefined)
        result.sizeBytes = size;
}


/***/ })

};
