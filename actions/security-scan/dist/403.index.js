export const id = 403;
export const ids = [403];
export const modules = {

/***/ 3403:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  scanWorkflows: () => (/* binding */ scanWorkflows)
});

// UNUSED EXPORTS: isActionMetadata, isWorkflow

// EXTERNAL MODULE: ./node_modules/yaml/dist/index.js
var dist = __webpack_require__(8815);
// EXTERNAL MODULE: ./.build/security-scan/actions/security-scan/src/rules.js + 4 modules
var rules = __webpack_require__(9849);
;// CONCATENATED MODULE: ./.build/security-scan/actions/security-scan/src/scanners/workflows/actions.js
const CODE_INPUTS = new Map([
    ['actions/github-script', ['script']],
    ['azure/cli', ['inlinescript']],
    ['azure/powershell', ['inlinescript']],
    ['amadevus/pwsh-script', ['script']],
    ['jannekem/run-python-script-action', ['script']],
    ['cardinalby/js-eval-action', ['expression']],
    ['mikefarah/yq', ['cmd']],
    ['addnab/docker-run-action', ['run']],
    ['appleboy/ssh-action', ['script']],
    ['uraimo/run-on-arch-action', ['run']],
    ['cross-platform-actions/action', ['run']],
    ['nick-fields/retry', ['command']],
    ['wandalen/wretry.action', ['command']],
    ['garygrossgarten/github-action-ssh', ['command']],
]);
const FALSE = ['false', ''];
const CACHING_ACTIONS = new Map([
    ['actions/cache', { kind: 'always' }],
    ['actions/cache/restore', { kind: 'always' }],
    ['actions/setup-node', { kind: 'opt-in', input: 'cache' }],
    ['actions/setup-python', { kind: 'opt-in', input: 'cache' }],
    ['actions/setup-java', { kind: 'opt-in', input: 'cache' }],
    ['actions/setup-dotnet', { kind: 'opt-in', input: 'cache', offValues: FALSE }],
    ['actions/setup-go', { kind: 'opt-out', input: 'cache', offValues: FALSE }],
    ['astral-sh/setup-uv', { kind: 'opt-out', input: 'enable-cache', offValues: FALSE }],
    ['ruby/setup-ruby', { kind: 'opt-in', input: 'bundler-cache', offValues: FALSE }],
    ['swatinem/rust-cache', { kind: 'always' }],
    ['actions-rust-lang/setup-rust-toolchain', { kind: 'opt-out', input: 'cache', offValues: FALSE }],
    ['gradle/actions/setup-gradle', { kind: 'opt-out', input: 'cache-disabled', offValues: ['true'] }],
    ['gradle/gradle-build-action', { kind: 'opt-out', input: 'cache-disabled', offValues: ['true'] }],
    ['oven-sh/setup-bun', { kind: 'opt-out', input: 'no-cache', offValues: ['true'] }],
    ['jdx/mise-action', { kind: 'opt-out', input: 'cache', offValues: FALSE }],
    ['pnpm/action-setup', { kind: 'opt-in', input: 'cache', offValues: FALSE }],
    ['prefix-dev/setup-pixi', { kind: 'opt-in', input: 'cache', offValues: FALSE }],
    ['graalvm/setup-graalvm', { kind: 'opt-in', input: 'cache' }],
    ['mozilla-actions/sccache-action', { kind: 'always' }],
    ['hendrikmuhs/ccache-action', { kind: 'always' }],
    ['determinatesystems/magic-nix-cache-action', { kind: 'always' }],
    ['nix-community/cache-nix-action', { kind: 'always' }],
    ['coursier/cache-action', { kind: 'always' }],
    ['shivammathur/cache-extensions', { kind: 'always' }],
    ['bahmutov/npm-install', { kind: 'opt-out', input: 'usecache', offValues: FALSE }],
    ['cypress-io/github-action', { kind: 'always' }],
    ['docker/build-push-action', { kind: 'opt-in', input: 'cache-from' }],
]);
const PUBLISHING_ACTIONS = new Set([
    'pypa/gh-action-pypi-publish',
    'softprops/action-gh-release',
    'ncipollo/release-action',
    'goreleaser/goreleaser-action',
    'rubygems/release-gem',
    'changesets/action',
    'js-devtools/npm-publish',
    'jreleaser/release-action',
    'actions/create-release',
    'actions/upload-release-asset',
    'svenstaro/upload-release-action',
]);
const TRUSTED_OUTPUTS = new Set([
    'actions/cache',
    'actions/cache/restore',
    'actions/checkout',
    'actions/setup-node',
    'actions/setup-python',
    'actions/setup-go',
    'actions/setup-java',
    'actions/upload-artifact',
    'actions/create-github-app-token',
    'aws-actions/configure-aws-credentials',
    'aws-actions/amazon-ecr-login',
    'docker/setup-buildx-action',
    'docker/build-push-action',
    'dorny/paths-filter',
]);
function actionName(uses) {
    if (uses === '' || uses.startsWith('./') || uses.startsWith('docker://'))
        return undefined;
    return uses.split('@')[0].toLowerCase();
}
function restoresCache(action, inputs) {
    const mode = CACHING_ACTIONS.get(action);
    if (!mode)
        return false;
    if (mode.kind === 'always')
        return true;
    const value = inputs.get(mode.input);
    const off = (mode.offValues ?? ['']).includes((value ?? '').trim().toLowerCase());
    if (mode.kind === 'opt-in') {
        if (value === undefined || off)
            return false;
        return action !== 'docker/build-push-action' || /type=gha/.test(value);
    }
    return value === undefined || !off;
}

;// CONCATENATED MODULE: ./.build/security-scan/actions/security-scan/src/scanners/workflows/yaml.js

function child(node, key) {
    if (!(0,dist/* isMap */.jh)(node))
        return undefined;
    const value = node.get(key, true);
    return value === null || value === undefined ? undefined : value;
}
function childIgnoringCase(node, key) {
    if (!(0,dist/* isMap */.jh)(node))
        return undefined;
    const pair = node.items.find((item) => keyOf(item).toLowerCase() === key.toLowerCase());
    return (pair?.value ?? undefined);
}
function yaml_text(node) {
    if (!(0,dist/* isScalar */.jn)(node))
        return undefined;
    const value = node.value;
    return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
        ? String(value)
        : undefined;
}
function keyOf(pair) {
    return (0,dist/* isScalar */.jn)(pair.key) ? String(pair.key.value) : '';
}
function textEntries(node, lowerKeys = false) {
    const entries = new Map();
    if (!(0,dist/* isMap */.jh)(node))
        return entries;
    for (const pair of node.items) {
        const value = yaml_text(pair.value);
        if (value !== undefined)
            entries.set(lowerKeys ? keyOf(pair).toLowerCase() : keyOf(pair), value);
    }
    return entries;
}
function lineOfNode(lines, node) {
    return node?.range ? lines.linePos(node.range[0]).line : 1;
}
function valueLineMapper(source, lines, node, value) {
    const lineStarts = [];
    let cursor = node.range?.[0] ?? 0;
    for (const valueLine of value.split('\n')) {
        const trimmed = valueLine.trim();
        const found = trimmed === '' ? -1 : source.indexOf(trimmed, cursor);
        if (found !== -1)
            cursor = found + trimmed.length;
        lineStarts.push(lines.linePos(found === -1 ? cursor : found).line);
    }
    const newlines = [];
    for (let at = value.indexOf('\n'); at !== -1; at = value.indexOf('\n', at + 1))
        newlines.push(at);
    return (offset) => {
        let low = 0;
        let high = newlines.length;
        while (low < high) {
            const middle = (low + high) >> 1;
            if (newlines[middle] < offset)
                low = middle + 1;
            else
                high = middle;
        }
        return lineStarts[low] ?? lineStarts.at(-1) ?? 1;
    };
}

;// CONCATENATED MODULE: ./.build/security-scan/actions/security-scan/src/scanners/workflows/context.js


const PRIVILEGED_TRIGGERS = new Set(['pull_request_target', 'workflow_run', 'issue_comment']);
const OUTSIDER_TRIGGERS = new Set([
    ...PRIVILEGED_TRIGGERS,
    'issues',
    'discussion',
    'discussion_comment',
    'pull_request_review',
    'pull_request_review_comment',
]);
const TAINT_SEVERITY = {
    attacker: 'high',
    indirect: 'medium',
    unknown: 'low',
};
function isPrivileged(context) {
    return [...context.triggers].some((trigger) => PRIVILEGED_TRIGGERS.has(trigger));
}
function report(context, ruleId, at, message, severity) {
    const line = typeof at === 'number' ? at : lineOfNode(context.lines, at);
    context.findings.push((0,rules/* makeFinding */.MH)(ruleId, context.file.path, line, message, severity ? { severity } : {}));
}
function describeTaint(taint) {
    if (taint.level === 'attacker')
        return `an outsider writes ${taint.origin}`;
    if (taint.level === 'indirect')
        return `${taint.origin} is not a fixed value`;
    return `${taint.origin} is not known to be safe`;
}

// EXTERNAL MODULE: ./node_modules/@actions/expressions/dist/index.js + 27 modules
var expressions_dist = __webpack_require__(2506);
// EXTERNAL MODULE: ./node_modules/@actions/expressions/dist/ast.js
var ast = __webpack_require__(2049);
;// CONCATENATED MODULE: ./.build/security-scan/actions/security-scan/src/scanners/workflows/expressions.js


const CONTEXTS = [
    'github',
    'env',
    'vars',
    'job',
    'jobs',
    'steps',
    'runner',
    'secrets',
    'strategy',
    'matrix',
    'needs',
    'inputs',
];
const HOST_FUNCTIONS = [
    { name: 'success', minArgs: 0, maxArgs: 0 },
    { name: 'always', minArgs: 0, maxArgs: 0 },
    { name: 'failure', minArgs: 0, maxArgs: 255 },
    { name: 'cancelled', minArgs: 0, maxArgs: 0 },
    { name: 'hashFiles', minArgs: 1, maxArgs: 255 },
];
const PASSING_FUNCTIONS = new Set(['format', 'join', 'tojson', 'fromjson', 'case']);
function embeddedExpressions(text) {
    const found = [];
    let from = 0;
    for (;;) {
        const start = text.indexOf('${{', from);
        if (start === -1)
            return found;
        let index = start + 3;
        let end = -1;
        while (index < text.length) {
            if (text[index] === "'") {
                const close = text.indexOf("'", index + 1);
                index = close === -1 ? text.length : close + 1;
            }
            else if (text.startsWith('}}', index)) {
                end = index + 2;
                break;
            }
            else
                index++;
        }
        if (end === -1)
            return found;
        found.push({ source: text.slice(start + 3, end - 2).trim(), start, end });
        from = end;
    }
}
const parsed = new Map();
const PARSED_KEPT = 5000;
function parseExpression(source) {
    if (parsed.has(source))
        return parsed.get(source);
    let expr;
    try {
        const { tokens } = new expressions_dist/* Lexer */.JG(source).lex();
        expr = new expressions_dist/* Parser */.iX(tokens, CONTEXTS, HOST_FUNCTIONS).parse();
    }
    catch {
        expr = undefined;
    }
    if (parsed.size >= PARSED_KEPT)
        parsed.clear();
    parsed.set(source, expr);
    return expr;
}
function pathOf(expr) {
    if (expr instanceof ast/* ContextAccess */.QC)
        return expr.name.lexeme.toLowerCase();
    if (expr instanceof ast/* IndexAccess */.p_) {
        const base = pathOf(expr.expr);
        if (base === undefined)
            return undefined;
        const key = expr.index instanceof ast/* Literal */.uS && typeof expr.index.literal.coerceString === 'function'
            ? expr.index.literal.coerceString()
            : '*';
        return `${base}.${expr.index instanceof ast/* Star */.FE ? '*' : key.toLowerCase()}`;
    }
    return undefined;
}
function valuePaths(expr) {
    const path = pathOf(expr);
    if (path !== undefined)
        return [path];
    if (expr instanceof ast/* Grouping */.aU)
        return valuePaths(expr.group);
    if (expr instanceof ast/* Logical */.oD) {
        return expr.args.flatMap(valuePaths);
    }
    if (expr instanceof ast/* FunctionCall */.R6) {
        const name = expr.functionName.lexeme.toLowerCase();
        if (!PASSING_FUNCTIONS.has(name))
            return [];
        const args = name === 'case'
            ? expr.args.filter((_arg, index) => index % 2 === 1 || index === expr.args.length - 1)
            : expr.args;
        return args.flatMap(valuePaths);
    }
    if (expr instanceof ast/* IndexAccess */.p_)
        return valuePaths(expr.expr);
    return [];
}
function callsOf(expr, name) {
    const calls = [];
    walk(expr, (node) => {
        if (node instanceof ast/* FunctionCall */.R6 && node.functionName.lexeme.toLowerCase() === name.toLowerCase())
            calls.push(node);
    });
    return calls;
}
function comparisonsOf(expr) {
    const found = [];
    walk(expr, (node) => {
        if (node instanceof ast/* Binary */.yI && (node.operator.lexeme === '==' || node.operator.lexeme === '!='))
            found.push({ left: node.left, right: node.right, operator: node.operator.lexeme });
    });
    return found;
}
function accessPath(expr) {
    return pathOf(expr instanceof ast/* Grouping */.aU ? expr.group : expr);
}
function stringLiteral(expr) {
    if (!(expr instanceof ast/* Literal */.uS))
        return undefined;
    const value = expr.token.value;
    return typeof value === 'string' ? value : undefined;
}
function readsSecretJsonField(expr) {
    let found = false;
    walk(expr, (node) => {
        if (!(node instanceof ast/* IndexAccess */.p_) || !(node.expr instanceof ast/* FunctionCall */.R6))
            return;
        const call = node.expr;
        const arg = call.args[0];
        if (call.functionName.lexeme.toLowerCase() === 'fromjson' && arg && pathOf(arg)?.startsWith('secrets.'))
            found = true;
    });
    return found;
}
function containsOnLiteralString(expr) {
    return callsOf(expr, 'contains').some((call) => {
        const [haystack, needle] = call.args;
        return (haystack !== undefined &&
            needle !== undefined &&
            stringLiteral(haystack) !== undefined &&
            pathOf(needle) !== undefined);
    });
}
function allPaths(expr) {
    const path = pathOf(expr);
    if (path === undefined)
        return children(expr).flatMap(allPaths);
    const computedKeys = [];
    for (let node = expr; node instanceof IndexAccess; node = node.expr) {
        if (!(node.index instanceof Literal))
            computedKeys.push(...allPaths(node.index));
    }
    return [path, ...computedKeys];
}
function children(expr) {
    if (expr instanceof ast/* Grouping */.aU)
        return [expr.group];
    if (expr instanceof ast/* Unary */._c)
        return [expr.expr];
    if (expr instanceof ast/* Binary */.yI)
        return [expr.left, expr.right];
    if (expr instanceof ast/* Logical */.oD || expr instanceof ast/* FunctionCall */.R6)
        return expr.args;
    if (expr instanceof ast/* IndexAccess */.p_)
        return [expr.expr, expr.index];
    return [];
}
function walk(expr, visit) {
    visit(expr);
    for (const child of children(expr))
        walk(child, visit);
}

// EXTERNAL MODULE: ./.build/security-scan/actions/security-scan/src/scanners/workflows/shell.js
var shell = __webpack_require__(2184);
;// CONCATENATED MODULE: ./.build/security-scan/actions/security-scan/src/scanners/workflows/taint.js



const RANK = { attacker: 3, indirect: 2, unknown: 1 };
function worst(taints) {
    let result;
    for (const taint of taints)
        if (taint && (!result || RANK[taint.level] > RANK[result.level]))
            result = taint;
    return result;
}
const ATTACKER_PATHS = [
    'github.head_ref',
    'github.event.issue.title',
    'github.event.issue.body',
    'github.event.pull_request.title',
    'github.event.pull_request.body',
    'github.event.pull_request.head.ref',
    'github.event.pull_request.head.label',
    'github.event.pull_request.head.repo.default_branch',
    'github.event.pull_request.head.repo.description',
    'github.event.pull_request.head.repo.homepage',
    'github.event.comment.body',
    'github.event.review.body',
    'github.event.review_comment.body',
    'github.event.pages.*.page_name',
    'github.event.commits.*.message',
    'github.event.commits.*.author.email',
    'github.event.commits.*.author.name',
    'github.event.head_commit.message',
    'github.event.head_commit.author.email',
    'github.event.head_commit.author.name',
    'github.event.head_commit.committer.email',
    'github.event.head_commit.committer.name',
    'github.event.discussion.title',
    'github.event.discussion.body',
    'github.event.workflow_run.head_branch',
    'github.event.workflow_run.display_title',
    'github.event.workflow_run.head_commit.message',
    'github.event.workflow_run.head_commit.author.email',
    'github.event.workflow_run.head_commit.author.name',
    'github.event.workflow_run.pull_requests.*.head.ref',
    'github.event.workflow_run.head_repository.description',
    'github.event.check_suite.head_branch',
    'github.event.check_run.check_suite.head_branch',
    'github.event.merge_group.head_commit.message',
].map((path) => path.split('.'));
function segmentsMatch(path, pattern) {
    return path.every((segment, index) => {
        const expected = pattern[index];
        return segment === expected || expected === '*' || segment === '*';
    });
}
function isAttackerPath(path) {
    const segments = path.toLowerCase().split('.');
    return ATTACKER_PATHS.some((pattern) => segments.length <= pattern.length && segmentsMatch(segments, pattern));
}
function matrixTaint(key, scope) {
    const { matrix } = scope;
    const origin = `matrix.${key}`;
    if (matrix === undefined)
        return undefined;
    const computed = (what, source) => {
        const taint = textTaint(source, scope);
        return taint?.level === 'attacker'
            ? { level: 'attacker', origin: `${origin} (from ${taint.origin})` }
            : { level: 'indirect', origin: `${origin} (${what} computed at run time)` };
    };
    if (!(0,dist/* isMap */.jh)(matrix))
        return computed('matrix', yaml_text(matrix) ?? '');
    const values = [];
    if (key === '*')
        values.push(matrix);
    const declared = childIgnoringCase(matrix, key);
    if (declared)
        values.push(declared);
    const include = child(matrix, 'include');
    if (include && !(0,dist/* isSeq */.oP)(include))
        return computed('include', yaml_text(include) ?? '');
    if ((0,dist/* isSeq */.oP)(include)) {
        for (const entry of include.items) {
            const value = childIgnoringCase(entry, key);
            if (value)
                values.push(value);
        }
    }
    const dynamic = values
        .map((value) => JSON.stringify(value.toJSON()))
        .filter((json) => json.includes('${{'));
    return dynamic.length > 0 ? computed('value', dynamic.join(' ')) : undefined;
}
function envTaint(name, scope) {
    for (const env of scope.envs) {
        if (!(0,dist/* isMap */.jh)(env))
            continue;
        const pair = env.items.find((item) => keyOf(item).toLowerCase() === name.toLowerCase());
        if (!pair)
            continue;
        const value = yaml_text(pair.value) ?? '';
        const taint = textTaint(value, { ...scope, envs: scope.envs.slice(scope.envs.indexOf(env) + 1) });
        return taint && { level: taint.level, origin: `env.${name} (from ${taint.origin})` };
    }
    return undefined;
}
function pathTaint(path, scope) {
    if ((scope.depth ?? 0) > 8)
        return undefined;
    const deeper = { ...scope, depth: (scope.depth ?? 0) + 1 };
    const segments = path.split('.');
    const [root, second, third, fourth] = segments;
    switch (root) {
        case 'github': {
            if (second === 'event' && third === 'inputs' && fourth)
                return inputTaint(fourth, scope, path);
            if (second === 'event' && third === 'client_payload')
                return { level: 'indirect', origin: `${path} (repository_dispatch payload)` };
            return isAttackerPath(path) ? { level: 'attacker', origin: path } : undefined;
        }
        case 'inputs':
            return second ? inputTaint(second, scope, path) : { level: 'indirect', origin: path };
        case 'matrix':
            return matrixTaint(second ?? '*', deeper);
        case 'env':
            return second ? envTaint(second, deeper) : undefined;
        case 'steps': {
            if (third !== 'outputs' || !second)
                return undefined;
            const step = scope.steps.get(second);
            if (!step)
                return undefined;
            if (step.outputTaint)
                return { level: step.outputTaint.level, origin: `${path} (from ${step.outputTaint.origin})` };
            if (step.uses === undefined || step.trustedOutputs)
                return undefined;
            return { level: 'unknown', origin: `${path} (output of ${step.uses})` };
        }
        case 'needs': {
            if (third !== 'outputs' || !second || !fourth)
                return undefined;
            const taint = scope.jobOutput?.(second, fourth);
            return taint && { level: taint.level, origin: `${path} (from ${taint.origin})` };
        }
        default:
            return undefined;
    }
}
function inputTaint(name, scope, path) {
    const type = scope.inputTypes?.get(name.toLowerCase()) ?? 'string';
    if (type !== 'string')
        return undefined;
    const who = scope.inputTypes ? 'whoever triggers or calls the workflow' : 'the calling workflow';
    return { level: 'indirect', origin: `${path} (free text ${who} passes)` };
}
function expressionTaint(source, scope) {
    const expr = parseExpression(source);
    if (!expr)
        return undefined;
    return worst(valuePaths(expr).map((path) => pathTaint(path, scope)));
}
function textTaint(value, scope) {
    return worst(embeddedExpressions(value).map((embedded) => expressionTaint(embedded.source, scope)));
}
function declaredInputTypes(on) {
    const types = new Map();
    for (const trigger of ['workflow_dispatch', 'workflow_call']) {
        const inputs = child(child(on, trigger), 'inputs');
        if (!(0,dist/* isMap */.jh)(inputs))
            continue;
        for (const pair of inputs.items) {
            const type = yaml_text(child(pair.value, 'type')) ?? 'string';
            const name = keyOf(pair).toLowerCase();
            if (types.get(name) !== 'string')
                types.set(name, type);
        }
    }
    return types;
}

;// CONCATENATED MODULE: ./.build/security-scan/actions/security-scan/src/scanners/workflows/steps.js







const UNTRUSTED_REF = /github\.event\.pull_request\.head\.(?:sha|ref)|github\.head_ref|github\.event\.workflow_run\.head_(?:sha|branch)|pull_request\.merge_commit_sha|refs\/pull\/|github\.event\.issue\.number|head\.repo\.full_name/;
const TRUSTED_OWNERS = new Set(['actions', 'github']);
const FULL_SHA = /^[0-9a-f]{40}$/;
const RUNNER_VARIABLE = /^(GITHUB_|RUNNER_|CI$|HOME$|PATH$|PWD$)/;
const INSECURE_COMMANDS = /ACTIONS_ALLOW_UNSECURE_COMMANDS\s*=\s*["']?(true|1)/i;
const PUBLISH_COMMANDS = [
    { command: /^(npm|pnpm|yarn) (npm )?publish\b/, tokens: /^(NODE_AUTH_TOKEN|NPM_TOKEN|NPM_AUTH_TOKEN)$/ },
    { command: /^twine upload\b/, tokens: /^(TWINE_PASSWORD|TWINE_TOKEN)$/ },
    { command: /^cargo publish\b/, tokens: /^CARGO_REGISTRY_TOKEN$/ },
    { command: /^gem push\b/, tokens: /^GEM_HOST_API_KEY$/ },
    { command: /^uv publish\b/, tokens: /^(UV_PUBLISH_TOKEN|UV_PUBLISH_PASSWORD)$/ },
    { command: /^poetry publish\b/, tokens: /^POETRY_(PYPI_TOKEN_\w+|HTTP_BASIC_\w+_PASSWORD)$/ },
];
const TOKEN_FLAG = /^--?(token|password|p|api-key)(=|$)/;
function checkImage(context, reference, at, where) {
    if (reference.includes('${{') || reference.includes('@sha256:'))
        return;
    const name = reference.slice(reference.lastIndexOf('/') + 1);
    const tag = name.includes(':') ? name.slice(name.indexOf(':') + 1) : undefined;
    if (tag === undefined || tag === 'latest') {
        const what = tag === undefined ? 'has no tag (means :latest)' : 'uses :latest';
        report(context, 'gha-unpinned-image', at, `${where} image ${reference} ${what}: whatever is pushed next runs.`);
    }
}
function checkUses(context, uses, where) {
    const reference = yaml_text(uses) ?? '';
    if (reference.startsWith('docker://')) {
        checkImage(context, reference.slice('docker://'.length), uses, where);
        return;
    }
    if (reference.startsWith('./'))
        return;
    const [path = '', ref] = reference.split('@');
    const owner = path.split('/')[0].toLowerCase();
    if (TRUSTED_OWNERS.has(owner))
        return;
    if (ref === undefined || !FULL_SHA.test(ref)) {
        const message = `${where} uses ${reference}, which is not pinned to a commit SHA: the tag can be moved to other code.`;
        report(context, 'gha-unpinned-action', uses, message);
    }
}
function stepScope(step, job) {
    return { ...job.scope, envs: [child(step, 'env'), ...job.scope.envs], steps: job.steps };
}
function expansionTaint(script, scope) {
    const taints = [];
    for (const match of script.matchAll(/\$\{?([A-Za-z_]\w*)/g)) {
        const name = match[1];
        if (!RUNNER_VARIABLE.test(name))
            taints.push(pathTaint(`env.${name}`, scope));
    }
    return worst(taints);
}
function checkCode(context, node, where, scope, isShell) {
    const source = yaml_text(node);
    if (source === undefined)
        return undefined;
    const lineAt = valueLineMapper(context.file.text, context.lines, node, source);
    const writes = isShell ? (0,shell/* githubFileWrites */.cn)(source) : [];
    const filesWrittenAt = (0,shell/* writtenFilesLocator */.NN)(writes);
    const outputTaints = [];
    for (const embedded of embeddedExpressions(source)) {
        const taint = expressionTaint(embedded.source, scope);
        if (!taint)
            continue;
        const files = filesWrittenAt(embedded.start);
        const envFile = files.find((file) => file !== 'GITHUB_OUTPUT');
        if (files.includes('GITHUB_OUTPUT'))
            outputTaints.push(taint);
        const line = lineAt(embedded.start);
        const severity = TAINT_SEVERITY[taint.level];
        if (envFile) {
            const message = `${where} writes \${{ ${embedded.source} }} to ${envFile} (${describeTaint(taint)}): it can set variables for later steps.`;
            report(context, 'gha-env-injection', line, message, severity);
        }
        else {
            const into = isShell ? 'the script' : 'code the action runs';
            const message = `${where} expands \${{ ${embedded.source} }} into ${into} (${describeTaint(taint)}): it can run commands.`;
            report(context, 'gha-script-injection', line, message, severity);
        }
    }
    const outsiders = [...context.triggers].some((trigger) => OUTSIDER_TRIGGERS.has(trigger));
    for (const write of writes) {
        const written = write.spans.map((span) => source.slice(span.start, span.end)).join('\n');
        if (write.file === 'GITHUB_OUTPUT') {
            outputTaints.push(expansionTaint(written, scope));
            continue;
        }
        if (write.file === 'GITHUB_ENV' && INSECURE_COMMANDS.test(written)) {
            report(context, 'gha-insecure-commands', lineAt(write.at), `${where} sets ACTIONS_ALLOW_UNSECURE_COMMANDS through GITHUB_ENV.`);
        }
        if (!outsiders)
            continue;
        const viaEnv = expansionTaint(written, scope);
        const computed = /\$\(|`|\bcat\s+(?!<)|\bjq\b|(?<!<)<(?![<(])\s*\S/.test(written.replace(/\$\{\{[\s\S]*?\}\}/g, ''));
        if (viaEnv?.level === 'attacker' || (computed && isPrivileged(context))) {
            const what = viaEnv?.level === 'attacker' ? describeTaint(viaEnv) : 'computed content';
            const message = `${where} writes ${what} to ${write.file} under ${[...context.triggers].join('/')}: an attacker can set variables for later steps.`;
            report(context, 'gha-env-injection', lineAt(write.at), message);
        }
    }
    return worst(outputTaints);
}
function checkCheckout(context, step, where, job) {
    const usesNode = child(step, 'uses');
    const withNode = child(step, 'with');
    const privileged = isPrivileged(context);
    const ref = `${yaml_text(child(withNode, 'ref')) ?? ''} ${yaml_text(child(withNode, 'repository')) ?? ''}`;
    if (privileged && UNTRUSTED_REF.test(ref)) {
        const triggers = [...context.triggers].filter((trigger) => PRIVILEGED_TRIGGERS.has(trigger));
        const message = `${where} checks out the pull request head under ${triggers.join('/')}: its code runs with secrets and a write token.`;
        report(context, 'gha-untrusted-checkout', usesNode, message);
    }
    if (yaml_text(child(withNode, 'persist-credentials')) === 'false')
        return;
    if (privileged || job.uploadsWorkspace) {
        const why = privileged
            ? 'the workflow runs on a privileged trigger'
            : 'the job uploads the workspace as an artifact';
        report(context, 'gha-persist-credentials', usesNode, `${where} keeps the token in .git/config and ${why}.`);
    }
    else {
        const message = `${where} keeps the token in .git/config, where every later step (and any action or script it runs) can read it.`;
        report(context, 'gha-persist-credentials', usesNode, message, 'low');
    }
}
function checkPublishing(context, step, where, scope) {
    const action = actionName(yaml_text(child(step, 'uses')) ?? '');
    const inputs = textEntries(child(step, 'with'), true);
    const tokenInput = (action === 'pypa/gh-action-pypi-publish' && inputs.get('password')) ||
        (action === 'js-devtools/npm-publish' && inputs.get('token'));
    if (tokenInput && /\bsecrets\./.test(tokenInput)) {
        report(context, 'gha-long-lived-publish-token', child(step, 'uses'), `${where} publishes with a stored registry token.`);
        return;
    }
    const run = child(step, 'run');
    const script = yaml_text(run);
    if (!run || script === undefined || !/\b(publish|upload|push)\b/.test(script))
        return;
    const envNames = new Set();
    for (const env of scope.envs) {
        for (const [name, value] of textEntries(env))
            if (/\bsecrets\./.test(value))
                envNames.add(name);
    }
    const lineAt = valueLineMapper(context.file.text, context.lines, run, script);
    for (const command of (0,shell/* parseShell */.aV)(script)) {
        const words = command.words.map((word) => (0,shell/* unquote */._n)(word.raw));
        const line = words.join(' ');
        const publisher = PUBLISH_COMMANDS.find((entry) => entry.command.test(line));
        if (!publisher)
            continue;
        const viaEnv = [...envNames].find((name) => publisher.tokens.test(name));
        const viaFlag = words.some((word) => TOKEN_FLAG.test(word));
        if (viaEnv || viaFlag) {
            const how = viaEnv ? `${viaEnv} from a secret` : 'a token on the command line';
            report(context, 'gha-long-lived-publish-token', lineAt(command.start), `${where} runs \`${words.slice(0, 2).join(' ')}\` with ${how}.`);
        }
    }
}
function checkAwsKeys(context, env, where) {
    if (!(0,dist/* isMap */.jh)(env))
        return;
    for (const pair of env.items) {
        const key = yaml_text(pair.key) ?? '';
        if (key === 'AWS_ACCESS_KEY_ID' && /\bsecrets\./.test(yaml_text(pair.value) ?? '')) {
            report(context, 'gha-long-lived-aws-keys', pair.key, `${where} sets ${key} from a stored secret.`);
        }
    }
}
function checkInsecureCommands(context, env, where) {
    if (!(0,dist/* isMap */.jh)(env))
        return;
    for (const pair of env.items) {
        if (yaml_text(pair.key) !== 'ACTIONS_ALLOW_UNSECURE_COMMANDS')
            continue;
        const value = (yaml_text(pair.value) ?? '').trim().toLowerCase();
        if (value === '' || value === 'false' || value === '0')
            continue;
        report(context, 'gha-insecure-commands', pair.key, `${where} enables the deprecated set-env/add-path commands, which any log line can trigger.`);
    }
}
function checkStep(context, step, job) {
    const name = yaml_text(child(step, 'name')) ?? yaml_text(child(step, 'uses')) ?? yaml_text(child(step, 'id')) ?? 'a step';
    const where = context.composite ? `Composite step "${name}"` : `Job "${job.name}" step "${name}"`;
    const usesNode = child(step, 'uses');
    const uses = yaml_text(usesNode) ?? '';
    const action = actionName(uses);
    const withNode = child(step, 'with');
    const scope = stepScope(step, job);
    if (usesNode)
        checkUses(context, usesNode, where);
    checkAwsKeys(context, child(step, 'env'), where);
    checkInsecureCommands(context, child(step, 'env'), where);
    let outputTaint;
    const run = child(step, 'run');
    if (run) {
        outputTaint = checkCode(context, run, where, scope, true);
        const script = yaml_text(run) ?? '';
        if (isPrivileged(context) &&
            /\b(gh\s+pr\s+checkout|git\s+(checkout|fetch|switch))\b/.test(script) &&
            UNTRUSTED_REF.test(script)) {
            const message = `${where} checks out pull request code under ${[...context.triggers].join('/')}, with secrets and a write token in reach.`;
            report(context, 'gha-untrusted-checkout', run, message);
        }
    }
    const codeInputs = action ? CODE_INPUTS.get(action) : undefined;
    if (codeInputs && (0,dist/* isMap */.jh)(withNode)) {
        for (const pair of withNode.items) {
            if (codeInputs.includes((yaml_text(pair.key) ?? '').toLowerCase()) && pair.value)
                checkCode(context, pair.value, where, scope, false);
        }
    }
    if (action === 'actions/checkout')
        checkCheckout(context, step, where, job);
    if (action === 'aws-actions/configure-aws-credentials' && child(withNode, 'aws-access-key-id')) {
        report(context, 'gha-long-lived-aws-keys', child(withNode, 'aws-access-key-id'), `${where} authenticates to AWS with stored access keys.`);
    }
    if (action &&
        (context.isRelease || job.isReleaseJob) &&
        restoresCache(action, textEntries(withNode, true))) {
        const what = context.isRelease ? 'a release workflow' : 'a job that publishes';
        report(context, 'gha-cache-in-release', usesNode, `${where} restores a cache in ${what}: a cache written by any branch or PR can end up in the release.`);
    }
    checkPublishing(context, step, where, scope);
    const id = yaml_text(child(step, 'id'));
    if (id) {
        job.steps.set(id.toLowerCase(), {
            uses: action ?? (uses || undefined),
            outputTaint,
            trustedOutputs: action !== undefined && TRUSTED_OUTPUTS.has(action),
        });
    }
}

;// CONCATENATED MODULE: ./.build/security-scan/actions/security-scan/src/scanners/workflows/audit.js








const PUSHES = /\bgit\s+push\b|\bgit\s+tag\b|\bgh\s+(release|pr\s+create|api)\b|semantic-release|changesets\/action|action-gh-release|create-release|release-please|create-pull-request|git-auto-commit|add-and-commit|\bnpm\s+(version|publish)\b|\b(npm|pnpm|yarn)\s+(run\s+)?release\b|\s--push\b|upload-release-asset/;
const PUBLISH_COMMAND = /\b(npm|pnpm|yarn)\s+(npm\s+)?publish\b|\btwine\s+upload\b|\bcargo\s+publish\b|\bgem\s+push\b|\bgh\s+release\s+(create|upload)\b|\b(poetry|uv)\s+publish\b|\bgoreleaser\b/;
const DANGEROUS_TRIGGERS = new Set(['pull_request_target', 'workflow_run']);
const ACTOR_PATHS = new Set(['github.actor', 'github.triggering_actor']);
function triggerNodes(on) {
    if ((0,dist/* isScalar */.jn)(on))
        return [{ name: String(on.value), node: on }];
    if ((0,dist/* isSeq */.oP)(on))
        return on.items.filter(dist/* isScalar */.jn).map((item) => ({ name: String(item.value), node: item }));
    if ((0,dist/* isMap */.jh)(on))
        return on.items.map((pair) => ({ name: keyOf(pair), node: pair.key }));
    return [];
}
function isReleaseWorkflow(path, on) {
    if (/release|publish/i.test(path.slice(path.lastIndexOf('/') + 1)))
        return true;
    if (triggerNodes(on).some((trigger) => trigger.name === 'release'))
        return true;
    const push = child(on, 'push');
    if (child(push, 'tags') !== undefined)
        return true;
    return /release/i.test(JSON.stringify(child(push, 'branches')?.toJSON() ?? ''));
}
function checkPermissions(context, permissions, where, pushes) {
    if (!permissions)
        return;
    if (yaml_text(permissions) === 'write-all') {
        report(context, 'gha-write-all', permissions, `${where} grants write-all permissions.`);
        return;
    }
    const contents = child(permissions, 'contents');
    if (yaml_text(contents) === 'write' && !pushes) {
        report(context, 'gha-contents-write', contents, `${where} grants contents: write but nothing in it pushes.`);
    }
}
function checkContainer(context, container, where) {
    if (!container)
        return;
    const image = (0,dist/* isMap */.jh)(container) ? child(container, 'image') : container;
    const reference = yaml_text(image);
    if (image && reference !== undefined)
        checkImage(context, reference, image, where);
    const password = child(child(container, 'credentials'), 'password');
    const value = yaml_text(password);
    if (value !== undefined && value !== '' && !value.includes('${{')) {
        report(context, 'gha-hardcoded-container-credentials', password, `${where} has its registry password written in the workflow.`);
    }
}
function checkCondition(context, condition, where) {
    const source = yaml_text(condition);
    if (source === undefined)
        return;
    const embedded = embeddedExpressions(source);
    if (embedded.length > 0 &&
        (embedded.length > 1 || embedded[0].start > 0 || embedded[0].end < source.length)) {
        const message = `${where} has a condition with text around \${{ }} (${JSON.stringify(source)}): it is always true.`;
        report(context, 'gha-unsound-condition', condition, message);
    }
    const sources = embedded.length > 0 ? embedded.map((found) => found.source) : [source];
    for (const expressionSource of sources) {
        const expr = parseExpression(expressionSource);
        if (!expr)
            continue;
        if (containsOnLiteralString(expr)) {
            const message = `${where} tests contains() on a string, not a list: any substring of it passes.`;
            report(context, 'gha-unsound-contains', condition, message);
        }
        const spoofable = comparisonsOf(expr).some(({ left, right, operator }) => {
            const pair = [left, right];
            const actor = pair.some((side) => ACTOR_PATHS.has(accessPath(side) ?? ''));
            const bot = pair.some((side) => /\[bot\]$/i.test(stringLiteral(side) ?? ''));
            return operator === '==' && actor && bot;
        }) ||
            ['contains', 'endswith', 'startswith'].some((name) => callsOf(expr, name).some((call) => ACTOR_PATHS.has(accessPath(call.args[0]) ?? '') &&
                /bot|\[bot\]/i.test(stringLiteral(call.args[1]) ?? '')));
        if (spoofable) {
            const message = `${where} runs when github.actor is a bot: the actor is whoever last acted (e.g. a bot rebasing an attacker's PR), not who wrote the code.`;
            report(context, 'gha-spoofable-bot-check', condition, message, isPrivileged(context) ? 'high' : 'medium');
            return;
        }
    }
}
function checkSecretsToJson(context, root) {
    (0,dist/* visit */.YR)(root, {
        Scalar(_key, node) {
            const value = yaml_text(node);
            if (value === undefined || !value.includes('${{'))
                return;
            const lineAt = valueLineMapper(context.file.text, context.lines, node, value);
            for (const embedded of embeddedExpressions(value)) {
                const expr = parseExpression(embedded.source);
                const dumps = expr &&
                    callsOf(expr, 'toJSON').some((call) => call.args[0] && accessPath(call.args[0]) === 'secrets');
                if (dumps)
                    report(context, 'gha-secrets-tojson', lineAt(embedded.start), 'toJSON(secrets) exposes every secret of the repository to one step.');
                if (expr && readsSecretJsonField(expr))
                    report(context, 'gha-unredacted-secrets', lineAt(embedded.start), `\${{ ${embedded.source} }} reads a field of a JSON secret, which is not masked in logs.`);
            }
        },
    });
}
function stepMapsOf(steps) {
    return (0,dist/* isSeq */.oP)(steps) ? steps.items.filter(dist/* isMap */.jh) : [];
}
function uploadsWorkspace(steps) {
    return steps.some((step) => actionName(yaml_text(child(step, 'uses')) ?? '') === 'actions/upload-artifact' &&
        /^(\.\/?|\$\{\{\s*github\.workspace\s*\}\}\/?)$/m.test(yaml_text(child(child(step, 'with'), 'path')) ?? ''));
}
function publishes(steps) {
    return steps.some((step) => PUBLISHING_ACTIONS.has(actionName(yaml_text(child(step, 'uses')) ?? '') ?? '') ||
        PUBLISH_COMMAND.test(yaml_text(child(step, 'run')) ?? ''));
}
function scanJobs(context, root, jobs, topPermissions) {
    const jobPairs = (0,dist/* isMap */.jh)(jobs) ? jobs.items : [];
    const jobPushes = (job) => PUSHES.test(JSON.stringify((0,dist/* isMap */.jh)(job) ? job.toJSON() : ''));
    const inputTypes = declaredInputTypes(child(root, 'on'));
    const facts = new Map();
    const outputCache = new Map();
    const jobOutput = (jobName, output) => {
        const key = `${jobName}.${output}`;
        if (outputCache.has(key))
            return outputCache.get(key);
        outputCache.set(key, undefined);
        const job = facts.get(jobName.toLowerCase());
        const value = yaml_text(childIgnoringCase(child(childIgnoringCase(jobs, jobName), 'outputs'), output));
        const taint = job && value !== undefined ? textTaint(value, job.scope) : undefined;
        outputCache.set(key, taint);
        return taint;
    };
    checkPermissions(context, topPermissions, 'The workflow', jobPairs.some((pair) => jobPushes(pair.value)));
    const unscoped = [];
    for (const pair of jobPairs) {
        const job = pair.value;
        if (!(0,dist/* isMap */.jh)(job))
            continue;
        const steps = new Map();
        const scope = {
            envs: [child(job, 'env'), child(root, 'env')],
            inputTypes,
            matrix: child(child(job, 'strategy'), 'matrix'),
            steps,
            jobOutput,
        };
        const stepMaps = stepMapsOf(child(job, 'steps'));
        facts.set(keyOf(pair).toLowerCase(), {
            name: keyOf(pair),
            uploadsWorkspace: uploadsWorkspace(stepMaps),
            isReleaseJob: publishes(stepMaps),
            scope,
            steps,
        });
    }
    for (const pair of jobPairs) {
        const jobName = keyOf(pair) || 'job';
        const job = pair.value;
        if (!(0,dist/* isMap */.jh)(job))
            continue;
        const where = `Job "${jobName}"`;
        const permissions = child(job, 'permissions');
        if (!permissions && !topPermissions)
            unscoped.push(jobName);
        checkPermissions(context, permissions, where, jobPushes(job) || child(job, 'uses') !== undefined);
        checkAwsKeys(context, child(job, 'env'), where);
        checkInsecureCommands(context, child(job, 'env'), where);
        checkCondition(context, child(job, 'if'), where);
        const runsOn = child(job, 'runs-on');
        const labels = JSON.stringify(runsOn?.toJSON() ?? '');
        const onPullRequests = context.triggers.has('pull_request') || context.triggers.has('pull_request_target');
        if (/self-hosted/.test(labels) && onPullRequests && context.options.repositoryPublic !== false) {
            report(context, 'gha-self-hosted-pr', runsOn, `${where} runs pull request code on a self-hosted runner (a risk in public repositories).`);
        }
        const reusable = child(job, 'uses');
        if (reusable)
            checkUses(context, reusable, where);
        const secrets = child(job, 'secrets');
        if (yaml_text(secrets) === 'inherit') {
            report(context, 'gha-secrets-inherit', secrets, `${where} passes all secrets to ${yaml_text(reusable) ?? 'a reusable workflow'}.`);
        }
        checkContainer(context, child(job, 'container'), `${where} container`);
        const services = child(job, 'services');
        if ((0,dist/* isMap */.jh)(services)) {
            for (const service of services.items)
                checkContainer(context, service.value, `${where} service "${keyOf(service)}"`);
        }
        const jobFacts = facts.get(keyOf(pair).toLowerCase());
        for (const step of stepMapsOf(child(job, 'steps'))) {
            checkCondition(context, child(step, 'if'), `${where} step "${yaml_text(child(step, 'name')) ?? yaml_text(child(step, 'uses')) ?? 'a step'}"`);
            checkStep(context, step, jobFacts);
        }
    }
    if (unscoped.length > 0) {
        const message = `No permissions block for job(s) ${unscoped.join(', ')}: GITHUB_TOKEN gets the repository default (possibly write to everything).`;
        report(context, 'gha-default-permissions', jobs, message);
    }
}
function parse(file) {
    const lines = new dist/* LineCounter */.HN();
    const document = (0,dist/* parseDocument */.Tp)(file.text, { lineCounter: lines, uniqueKeys: false });
    if (document.errors.length > 0) {
        const error = document.errors[0];
        const line = error.linePos?.[0]?.line ?? 1;
        const message = `Workflow YAML does not parse: ${error.message.split('\n')[0]}`;
        return { lines, error: (0,rules/* makeFinding */.MH)('gha-invalid-workflow', file.path, line, message) };
    }
    return { root: (0,dist/* isMap */.jh)(document.contents) ? document.contents : undefined, lines };
}
function scanWorkflow(file, options) {
    const { root, lines, error } = parse(file);
    if (error)
        return [error];
    if (!root)
        return [];
    const on = child(root, 'on');
    const triggers = triggerNodes(on);
    const context = {
        file,
        lines,
        triggers: new Set(triggers.map((trigger) => trigger.name)),
        findings: [],
        options,
        isRelease: isReleaseWorkflow(file.path, on),
        composite: false,
    };
    for (const trigger of triggers) {
        if (!DANGEROUS_TRIGGERS.has(trigger.name))
            continue;
        const message = `The workflow runs on ${trigger.name}: with secrets and a write token, on events anyone with a fork can cause.`;
        report(context, 'gha-dangerous-trigger', trigger.node, message);
    }
    checkAwsKeys(context, child(root, 'env'), 'The workflow');
    checkInsecureCommands(context, child(root, 'env'), 'The workflow');
    scanJobs(context, root, child(root, 'jobs'), child(root, 'permissions'));
    checkSecretsToJson(context, root);
    return context.findings;
}
function scanCompositeAction(file, options) {
    const { root, lines } = parse(file);
    if (!root)
        return [];
    const runs = child(root, 'runs');
    if (yaml_text(child(runs, 'using'))?.toLowerCase() !== 'composite')
        return [];
    const context = {
        file,
        lines,
        triggers: new Set(),
        findings: [],
        options,
        isRelease: false,
        composite: true,
    };
    const steps = new Map();
    const facts = {
        name: 'composite',
        uploadsWorkspace: false,
        isReleaseJob: false,
        scope: { envs: [], steps },
        steps,
    };
    for (const step of stepMapsOf(child(runs, 'steps'))) {
        const name = yaml_text(child(step, 'name')) ?? yaml_text(child(step, 'uses')) ?? 'a step';
        checkCondition(context, child(step, 'if'), `Composite step "${name}"`);
        checkStep(context, step, facts);
    }
    checkSecretsToJson(context, root);
    return context.findings;
}

;// CONCATENATED MODULE: ./.build/security-scan/actions/security-scan/src/scanners/workflows.js

function isWorkflow(path) {
    return /(^|\/)\.github\/workflows\/[^/]+\.ya?ml$/.test(path);
}
function isActionMetadata(path) {
    return /(^|\/)action\.ya?ml$/.test(path);
}
function scanWorkflows(files, options = {}) {
    return files.flatMap((file) => {
        if (isWorkflow(file.path))
            return scanWorkflow(file, options);
        if (isActionMetadata(file.path))
            return scanCompositeAction(file, options);
        return [];
    });
}


/***/ }),

/***/ 2184:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   NN: () => (/* binding */ writtenFilesLocator),
/* harmony export */   _n: () => (/* binding */ unquote),
/* harmony export */   aV: () => (/* binding */ parseShell),
/* harmony export */   cn: () => (/* binding */ githubFileWrites)
/* harmony export */ });
/* unused harmony export githubFileOf */
const OPERATORS = ['&&', '||', ';;', '|&', '&', '|', ';', '(', ')'];
const REDIRECTS = ['&>>', '<<<', '<<-', '>>', '&>', '>&', '<&', '>|', '<>', '<<', '>', '<'];
const OPENERS = new Set(['{', 'if', 'while', 'until', 'for', 'case', 'select']);
const CLOSERS = { '}': '{', fi: 'if', done: 'loop', esac: 'case' };
const CONTINUATIONS = new Set(['then', 'else', 'elif', 'do', '!', 'in']);
function skipParens(text, open) {
    let depth = 0;
    for (let index = open; index < text.length; index++) {
        const char = text[index];
        if (char === '\\')
            index++;
        else if (char === "'")
            index = skipSingle(text, index);
        else if (char === '"')
            index = skipDouble(text, index);
        else if (char === '(')
            depth++;
        else if (char === ')' && --depth === 0)
            return index;
    }
    return text.length - 1;
}
function skipSingle(text, open) {
    const close = text.indexOf("'", open + 1);
    return close === -1 ? text.length - 1 : close;
}
function skipExpression(text, open) {
    const close = text.indexOf('}}', open + 3);
    return close === -1 ? text.length - 1 : close + 1;
}
function skipDouble(text, open) {
    for (let index = open + 1; index < text.length; index++) {
        const char = text[index];
        if (char === '\\')
            index++;
        else if (char === '"')
            return index;
        else if (text.startsWith('${{', index))
            index = skipExpression(text, index);
        else if (char === '$' && text[index + 1] === '(')
            index = skipParens(text, index + 1);
        else if (char === '`')
            index = skipBacktick(text, index);
    }
    return text.length - 1;
}
function skipBacktick(text, open) {
    for (let index = open + 1; index < text.length; index++) {
        if (text[index] === '\\')
            index++;
        else if (text[index] === '`')
            return index;
    }
    return text.length - 1;
}
function skipBrace(text, open) {
    let depth = 0;
    for (let index = open; index < text.length; index++) {
        if (text[index] === '{')
            depth++;
        else if (text[index] === '}' && --depth === 0)
            return index;
    }
    return text.length - 1;
}
function readWord(text, start) {
    let index = start;
    while (index < text.length) {
        const char = text[index];
        if (/[\s;&|()<>]/.test(char))
            break;
        if (char === '\\')
            index += 2;
        else if (char === "'")
            index = skipSingle(text, index) + 1;
        else if (char === '"')
            index = skipDouble(text, index) + 1;
        else if (char === '`')
            index = skipBacktick(text, index) + 1;
        else if (text.startsWith('${{', index))
            index = skipExpression(text, index) + 1;
        else if (char === '$' && text[index + 1] === '(')
            index = skipParens(text, index + 1) + 1;
        else if (char === '$' && text[index + 1] === '{')
            index = skipBrace(text, index + 1) + 1;
        else
            index++;
    }
    return Math.min(index, text.length);
}
function unquote(raw) {
    return raw.replace(/\\(.)|'([^']*)'|"((?:\\.|[^"\\])*)"/gs, (_match, escaped, single, double) => escaped !== undefined
        ? String(escaped)
        : single !== undefined
            ? String(single)
            : String(double).replace(/\\([$`"\\])/g, '$1'));
}
function githubFileOf(raw) {
    const value = unquote(raw).trim();
    const match = /^(?:\$\{?|\$env:|%)(GITHUB_(?:ENV|PATH|OUTPUT))\b\}?%?$/i.exec(value);
    return match ? match[1].toUpperCase() : undefined;
}
function parseShell(text) {
    const commands = [];
    const groups = [];
    const pendingHeredocs = [];
    let current;
    let pipeline = 0;
    let lastClosed;
    const finish = () => {
        if (current && (current.words.length > 0 || current.redirects.length > 0)) {
            commands.push(current);
            for (const group of groups)
                group.commands.push(current);
        }
        current = undefined;
    };
    const start = (at) => (current ??= { words: [], redirects: [], heredocs: [], start: at, end: at, pipeline, inherited: [] });
    let index = 0;
    while (index < text.length) {
        const char = text[index];
        if (char === '\\' && text[index + 1] === '\n') {
            index += 2;
            continue;
        }
        if (char === '\n') {
            finish();
            pipeline++;
            lastClosed = undefined;
            index++;
            for (const heredoc of pendingHeredocs.splice(0))
                index = readHeredoc(text, index, heredoc);
            continue;
        }
        if (/\s/.test(char)) {
            index++;
            continue;
        }
        if (char === '#' && (index === 0 || /[\s;&|()]/.test(text[index - 1]))) {
            const newline = text.indexOf('\n', index);
            index = newline === -1 ? text.length : newline;
            continue;
        }
        const fd = /^\d*/.exec(text.slice(index, index + 4))[0];
        const redirect = REDIRECTS.find((operator) => text.startsWith(operator, index + fd.length));
        if (redirect) {
            let cursor = index + fd.length + redirect.length;
            while (text[cursor] === ' ' || text[cursor] === '\t')
                cursor++;
            const end = readWord(text, cursor);
            const target = { raw: text.slice(cursor, end), start: cursor, end };
            const entry = { operator: redirect, target };
            if (!current && lastClosed) {
                for (const command of lastClosed.commands)
                    command.inherited.push({ redirect: entry, start: lastClosed.start, end });
            }
            else {
                const command = start(index);
                command.redirects.push(entry);
                command.end = end;
                if (redirect === '<<' || redirect === '<<-') {
                    const delimiter = unquote(target.raw);
                    pendingHeredocs.push({
                        command,
                        delimiter,
                        strip: redirect === '<<-',
                        quoted: /['"\\]/.test(target.raw),
                    });
                }
            }
            index = end;
            continue;
        }
        const operator = OPERATORS.find((candidate) => text.startsWith(candidate, index));
        if (operator) {
            const openedWithCommand = current !== undefined;
            finish();
            if (operator !== '|' && operator !== '|&')
                pipeline++;
            lastClosed = undefined;
            if (operator === '(' && !openedWithCommand)
                groups.push({ kind: '(', start: index, commands: [] });
            if (operator === ')') {
                if (groups.at(-1)?.kind === '(')
                    lastClosed = groups.pop();
            }
            index += operator.length;
            continue;
        }
        const end = readWord(text, index);
        const raw = text.slice(index, end);
        if (!current && raw in CLOSERS) {
            const kind = CLOSERS[raw];
            const position = groups.findLastIndex((group) => group.kind === kind);
            if (position !== -1)
                lastClosed = groups.splice(position)[0];
            index = end;
            continue;
        }
        if (!current && OPENERS.has(raw)) {
            const kind = raw === '{' || raw === 'if' || raw === 'case' ? raw : 'loop';
            groups.push({ kind, start: index, commands: [] });
            if (raw === '{') {
                index = end;
                continue;
            }
        }
        if (!current && CONTINUATIONS.has(raw)) {
            index = end;
            continue;
        }
        lastClosed = undefined;
        const command = start(index);
        command.words.push({ raw, start: index, end });
        command.end = end;
        index = end;
    }
    finish();
    return commands;
}
function readHeredoc(text, from, heredoc) {
    let index = from;
    while (index < text.length) {
        const newline = text.indexOf('\n', index);
        const lineEnd = newline === -1 ? text.length : newline;
        const line = text.slice(index, lineEnd);
        if ((heredoc.strip ? line.replace(/^\t+/, '') : line).trim() === heredoc.delimiter) {
            heredoc.command.heredocs.push({ start: from, end: index, quoted: heredoc.quoted });
            return lineEnd;
        }
        index = lineEnd + 1;
    }
    heredoc.command.heredocs.push({ start: from, end: text.length, quoted: heredoc.quoted });
    return text.length;
}
const WRITING = new Set(['>', '>>', '>|', '&>', '&>>']);
const TEE_LIKE = /^(tee|add-content|out-file|set-content)$/i;
function githubFileWrites(text) {
    const commands = parseShell(text);
    const writes = [];
    for (const command of commands) {
        const own = (spans) => [
            ...spans,
            ...command.heredocs.map((heredoc) => ({ start: heredoc.start, end: heredoc.end })),
        ];
        for (const redirect of command.redirects) {
            const file = WRITING.has(redirect.operator) ? githubFileOf(redirect.target.raw) : undefined;
            if (file)
                writes.push({ file, spans: own([{ start: command.start, end: command.end }]), at: command.start });
        }
        for (const { redirect, start, end } of command.inherited) {
            const file = WRITING.has(redirect.operator) ? githubFileOf(redirect.target.raw) : undefined;
            if (file)
                writes.push({ file, spans: [{ start, end }], at: command.start });
        }
        const name = command.words[0] ? unquote(command.words[0].raw) : '';
        if (TEE_LIKE.test(name)) {
            const file = command.words
                .slice(1)
                .map((word) => githubFileOf(word.raw))
                .find((found) => found !== undefined);
            if (file) {
                const feeding = commands.filter((other) => other.pipeline === command.pipeline);
                writes.push({
                    file,
                    spans: feeding.flatMap((other) => [
                        { start: other.start, end: other.end },
                        ...other.heredocs.map((heredoc) => ({ start: heredoc.start, end: heredoc.end })),
                    ]),
                    at: command.start,
                });
            }
        }
    }
    const seen = new Set();
    return writes.filter((write) => {
        const key = `${write.file}:${write.at}`;
        if (seen.has(key))
            return false;
        seen.add(key);
        return true;
    });
}
function writtenFilesLocator(writes) {
    const spans = writes
        .flatMap((write) => write.spans.map((span) => ({ ...span, file: write.file })))
        .sort((a, b) => a.start - b.start);
    let next = 0;
    let active = [];
    return (offset) => {
        while (next < spans.length && spans[next].start <= offset)
            active.push(spans[next++]);
        active = active.filter((span) => span.end > offset);
        return [...new Set(active.map((span) => span.file))];
    };
}


/***/ })

};
