export const id = 186;
export const ids = [186];
export const modules = {

/***/ 6186:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  scanCodeFiles: () => (/* reexport */ scanCodeFiles)
});

// UNUSED EXPORTS: isScannableSource, scanCode

// EXTERNAL MODULE: ./node_modules/@babel/parser/lib/index.js
var lib = __webpack_require__(5429);
;// CONCATENATED MODULE: ./.build/security-scan/actions/security-scan/src/scanners/code/parse.js

const BASE = {
    sourceType: 'unambiguous',
    errorRecovery: true,
    allowReturnOutsideFunction: true,
    allowAwaitOutsideFunction: true,
    allowImportExportEverywhere: true,
    allowNewTargetOutsideFunction: true,
    allowSuperOutsideMethod: true,
    allowUndeclaredExports: true,
    attachComment: false,
};
const DECORATORS = ['decorators', { decoratorsBeforeExport: true }];
function attempts(path) {
    if (/\.tsx$/.test(path))
        return [
            ['typescript', 'jsx', DECORATORS],
            ['typescript', 'jsx', 'decorators-legacy'],
        ];
    if (/\.[cm]?ts$/.test(path))
        return [
            ['typescript', DECORATORS],
            ['typescript', 'decorators-legacy'],
            ['typescript', 'jsx', DECORATORS],
        ];
    return [
        ['jsx', DECORATORS],
        ['typescript', 'decorators-legacy'],
        ['typescript', 'jsx', 'decorators-legacy'],
        ['jsx', 'flow', 'decorators-legacy'],
    ];
}
function parseSource(path, text) {
    let firstError;
    let recovered;
    for (const plugins of attempts(path)) {
        try {
            const ast = (0,lib/* parse */.qg)(text, { ...BASE, plugins });
            if (!ast.errors || ast.errors.length === 0)
                return { program: ast.program };
            recovered ??= ast.program;
        }
        catch (error) {
            firstError ??= error instanceof Error ? error.message : String(error);
        }
    }
    return recovered ? { program: recovered } : { error: firstError ?? 'unknown parse error' };
}

// EXTERNAL MODULE: ./.build/security-scan/actions/security-scan/src/secrets/prefilter.js
var prefilter = __webpack_require__(9874);
;// CONCATENATED MODULE: ./.build/security-scan/actions/security-scan/src/scanners/code/prefilter.js

const escapeRegExp = (word) => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const exact = (word) => ({ at: new RegExp(escapeRegExp(word), 'y') });
const REQUEST_FIELDS = 'query|params|body|payload|headers|cookies|signedCookies|url|originalUrl|path|querystring|search|href|nextUrl|searchParams|files?|rawBody|get|header|param|json|text|formData|request|req|raw';
const DECORATOR = { at: /@(?:Query|Body|Param|Headers|Cookies|Req|Request|UploadedFiles?)\(/y };
const LAMBDA_EVENT = {
    at: /(?:event|evt)\.(?:body|queryStringParameters|pathParameters|multiValue|headers|rawPath|rawQueryString|cookies)/y,
};
const VM_MODULE = { at: /['"](?:node:)?vm2?['"]/y };
const STRING_TIMER = { at: /set(?:Timeout|Interval)\(\s*['"`]/y };
const SQL_TEXT = {
    at: /(?<=['"`]\s*)(?:select|insert\s+into|update|delete\s+from|replace\s+into|merge\s+into|with\s+\w+\s+as)\s/iy,
};
const SETTINGS_WORDS = [
    'rejectUnauthorized',
    'NODE_TLS',
    'strictSSL',
    'checkServerIdentity',
    'secureProtocol',
    'postMessage(',
    'noent',
    'dtdload',
    'resolveExternalEntities',
    'expandEntities',
    'node-serialize',
    'unserialize',
    'serialize-to-js',
    'funcster',
    'cryo',
    'unsafeLoad',
    'FULL_SCHEMA',
    'js-yaml',
    'jsonwebtoken',
    'jws',
];
const SETTINGS_VALUES = [
    ['minVersion', /minVersion\s*:\s*['"`](?:SSL|TLSv1['"`.])/],
    ['srf', /(?:csrf|xsrf|CSRF|XSRF)\w*['"]?\s*:\s*false/],
    ['credentials', /credentials\s*:\s*true/],
    ['autoescape', /autoescape\s*:\s*false/],
    ['noEscape', /noEscape\s*:\s*true/],
    ['lgorithm', /algorithms?['"]?\s*:[^\n]{0,80}['"`][Nn]one['"`]/],
];
const TOKEN_WORDS = /token|secret|passw|nonce|salt|session|key|otp|csrf|credential|code|verification|invite/i;
const CREDENTIAL_WORDS = /auth|passw|token|api_?key|secret|cookie|credential/i;
const carriesCredentials = (text) => CREDENTIAL_WORDS.test(text) || /:\/\/[^/\s'"@]+:[^/\s'"@]+@/.test(text);
const CLEARTEXT_URL = {
    at: /(?<=['"`])(?:http|ws):\/\/(?!localhost|127\.|\[::1\])/y,
    whole: carriesCredentials,
};
const HTTP_CALL = { at: /\bhttp\.(?:request|get)\(/y, whole: carriesCredentials };
const ANCHORS = [
    ['req.', { at: new RegExp(`req\\.(?:${REQUEST_FIELDS})\\b`, 'y') }],
    ['request.', { at: new RegExp(`(?:request|(?<=http)Request)\\.(?:${REQUEST_FIELDS})\\b`, 'y') }],
    ['ctx.', { at: new RegExp(`ctx\\.(?:${REQUEST_FIELDS})\\b`, 'y') }],
    ['context.', { at: new RegExp(`context\\.(?:${REQUEST_FIELDS})\\b`, 'y') }],
    ['req', { at: /(?<==\s*)(?:req|request)\s*[;,\n]/y }],
    ['ctx', { at: /(?<==\s*)ctx\s*[;,\n]/y }],
    [
        'location',
        { at: /location\.(?:hash|search|href|pathname)|(?<=[(+]\s*(?:window\.|document\.)?)location\s*[)+;,]/y },
    ],
    ['document.', { at: /document\.(?:URL|documentURI|baseURI|referrer|cookie)/y }],
    ['window.name', exact('window.name')],
    ['process.argv', exact('process.argv')],
    ['deno.args', exact('Deno.args')],
    ...['query', 'body', 'param', 'headers', 'cookies', 'req', 'request', 'uploadedfile'].map((word) => [`@${word}`, DECORATOR]),
    ['searchparams', exact('searchParams')],
    ['event.', LAMBDA_EVENT],
    ['evt.', LAMBDA_EVENT],
    ['addeventlistener(', { at: /addEventListener\(\s*['"`]message/y }],
    ['onmessage', exact('onmessage')],
    ['eval', { at: /\beval\s*[(),]/y }],
    ['function', { at: /\bFunction\s*\(/y }],
    ['child_process', exact('child_process')],
    ['shelljs', exact('shelljs')],
    ['execa', exact('execa')],
    ['deno.run', exact('Deno.run')],
    ['deno.command', exact('Deno.Command')],
    ...["'vm", '"vm', "'node:vm", '"node:vm'].map((word) => [word, VM_MODULE]),
    ['$where', exact('$where')],
    ['settimeout(', STRING_TIMER],
    ['setinterval(', STRING_TIMER],
    ...['select', 'insert', 'update', 'delete', 'replace', 'merge', 'with'].map((word) => [
        word,
        SQL_TEXT,
    ]),
    ['where', { at: /\bwhere\s+\w+\s*(?:=|like|in)\s*['"(]?['"`]\s*\+/iy }],
    ...SETTINGS_WORDS.map((word) => [word, exact(word)]),
    ['ccess-control-allow-origin', { at: /ccess-Control-Allow-Origin|ccess-control-allow-origin/y }],
    ...SETTINGS_VALUES.map(([word, pattern]) => [
        word,
        { at: exact(word).at, whole: (text) => pattern.test(text) },
    ]),
    ['math.random', { at: /Math\.random/y, whole: (text) => TOKEN_WORDS.test(text) }],
    ...["'http://", '"http://', '`http://', "'ws://", '"ws://', '`ws://'].map((word) => [
        word.slice(1),
        CLEARTEXT_URL,
    ]),
    ['http.request(', HTTP_CALL],
    ['http.get(', HTTP_CALL],
];
function buildMatcher() {
    const byWord = new Map();
    for (const [word, anchor] of ANCHORS) {
        const key = word.toLowerCase();
        const list = byWord.get(key) ?? [];
        if (!list.includes(anchor))
            list.push(anchor);
        byWord.set(key, list);
    }
    return new prefilter/* KeywordMatcher */.m(byWord);
}
const MATCHER = buildMatcher();
function mayHaveFindings(text) {
    let found = false;
    let checked;
    MATCHER.scan(text, (start, anchors) => {
        if (found)
            return;
        for (const anchor of anchors) {
            if (anchor.at) {
                anchor.at.lastIndex = start;
                if (!anchor.at.test(text))
                    continue;
            }
            if (anchor.whole) {
                checked ??= new Set();
                if (checked.has(anchor.whole))
                    continue;
                checked.add(anchor.whole);
                if (!anchor.whole(text))
                    continue;
            }
            found = true;
            return;
        }
    });
    return found;
}

;// CONCATENATED MODULE: ./.build/security-scan/actions/security-scan/src/scanners/code/ast.js
const SKIPPED_KEYS = new Set([
    'type',
    'loc',
    'start',
    'end',
    'range',
    'extra',
    'leadingComments',
    'trailingComments',
    'innerComments',
    'typeAnnotation',
    'returnType',
    'typeParameters',
    'superTypeParameters',
    'implements',
]);
function isNode(value) {
    return typeof value === 'object' && value !== null && typeof value.type === 'string';
}
const VISITOR_KEYS = {
    Program: ['body'],
    ExpressionStatement: ['expression'],
    BlockStatement: ['body'],
    ReturnStatement: ['argument'],
    IfStatement: ['test', 'consequent', 'alternate'],
    VariableDeclaration: ['declarations'],
    VariableDeclarator: ['id', 'init'],
    Identifier: [],
    StringLiteral: [],
    NumericLiteral: [],
    BooleanLiteral: [],
    NullLiteral: [],
    RegExpLiteral: [],
    BigIntLiteral: [],
    ThisExpression: [],
    Super: [],
    EmptyStatement: [],
    DebuggerStatement: [],
    TemplateElement: [],
    CallExpression: ['callee', 'arguments'],
    OptionalCallExpression: ['callee', 'arguments'],
    NewExpression: ['callee', 'arguments'],
    MemberExpression: ['object', 'property'],
    OptionalMemberExpression: ['object', 'property'],
    AssignmentExpression: ['left', 'right'],
    BinaryExpression: ['left', 'right'],
    LogicalExpression: ['left', 'right'],
    UnaryExpression: ['argument'],
    UpdateExpression: ['argument'],
    ConditionalExpression: ['test', 'consequent', 'alternate'],
    SequenceExpression: ['expressions'],
    ArrayExpression: ['elements'],
    ObjectExpression: ['properties'],
    ObjectProperty: ['key', 'value', 'decorators'],
    ObjectMethod: ['key', 'params', 'body', 'decorators'],
    SpreadElement: ['argument'],
    RestElement: ['argument', 'decorators'],
    FunctionDeclaration: ['id', 'params', 'body'],
    FunctionExpression: ['id', 'params', 'body'],
    ArrowFunctionExpression: ['params', 'body'],
    ClassDeclaration: ['id', 'superClass', 'body', 'decorators'],
    ClassExpression: ['id', 'superClass', 'body', 'decorators'],
    ClassBody: ['body'],
    ClassMethod: ['key', 'params', 'body', 'decorators'],
    ClassPrivateMethod: ['key', 'params', 'body', 'decorators'],
    ClassProperty: ['key', 'value', 'decorators'],
    ClassPrivateProperty: ['key', 'value', 'decorators'],
    PrivateName: ['id'],
    StaticBlock: ['body'],
    TemplateLiteral: ['quasis', 'expressions'],
    TaggedTemplateExpression: ['tag', 'quasi'],
    AwaitExpression: ['argument'],
    YieldExpression: ['argument'],
    ForStatement: ['init', 'test', 'update', 'body'],
    ForInStatement: ['left', 'right', 'body'],
    ForOfStatement: ['left', 'right', 'body'],
    WhileStatement: ['test', 'body'],
    DoWhileStatement: ['test', 'body'],
    SwitchStatement: ['discriminant', 'cases'],
    SwitchCase: ['test', 'consequent'],
    TryStatement: ['block', 'handler', 'finalizer'],
    CatchClause: ['param', 'body'],
    ThrowStatement: ['argument'],
    BreakStatement: [],
    ContinueStatement: [],
    LabeledStatement: ['body'],
    ObjectPattern: ['properties', 'decorators'],
    ArrayPattern: ['elements', 'decorators'],
    AssignmentPattern: ['left', 'right', 'decorators'],
    ImportDeclaration: ['specifiers', 'source'],
    ExportNamedDeclaration: ['declaration', 'specifiers', 'source'],
    ExportDefaultDeclaration: ['declaration'],
    ExportAllDeclaration: ['source'],
    ParenthesizedExpression: ['expression'],
    Decorator: ['expression'],
    JSXElement: ['openingElement', 'children', 'closingElement'],
    JSXFragment: ['openingFragment', 'children', 'closingFragment'],
    JSXOpeningElement: ['name', 'attributes'],
    JSXAttribute: ['name', 'value'],
    JSXExpressionContainer: ['expression'],
    JSXSpreadAttribute: ['argument'],
    JSXText: [],
    JSXIdentifier: [],
    JSXClosingElement: ['name'],
    JSXMemberExpression: ['object', 'property'],
    TSAsExpression: ['expression'],
    TSSatisfiesExpression: ['expression'],
    TSNonNullExpression: ['expression'],
    TSTypeAssertion: ['expression'],
    TSParameterProperty: ['parameter', 'decorators'],
    TSExportAssignment: ['expression'],
    Directive: [],
    DirectiveLiteral: [],
};
function visitorKeys(type) {
    return VISITOR_KEYS[type];
}
function forEachChild(node, visit) {
    const keys = VISITOR_KEYS[node.type];
    if (keys) {
        for (const key of keys) {
            const value = node[key];
            if (typeof value !== 'object' || value === null)
                continue;
            if (Array.isArray(value)) {
                for (const item of value)
                    if (item !== null && typeof item === 'object')
                        visit(item, key);
            }
            else
                visit(value, key);
        }
        return;
    }
    for (const key in node) {
        if (SKIPPED_KEYS.has(key))
            continue;
        const value = node[key];
        if (typeof value !== 'object' || value === null)
            continue;
        if (Array.isArray(value)) {
            for (const item of value)
                if (isNode(item))
                    visit(item, key);
        }
        else if (isNode(value)) {
            visit(value, key);
        }
    }
}
function lineOf(node) {
    return node.loc?.start.line ?? 1;
}
function columnOf(node) {
    return (node.loc?.start.column ?? 0) + 1;
}
const child = (node, key) => {
    const value = node[key];
    return isNode(value) ? value : undefined;
};
const NONE = [];
const children = (node, key) => {
    const value = node[key];
    if (!Array.isArray(value))
        return NONE;
    for (const item of value)
        if (item === null || typeof item !== 'object')
            return value.filter(isNode);
    return value;
};
function unwrap(node) {
    let current = node;
    while (current) {
        switch (current.type) {
            case 'ParenthesizedExpression':
            case 'TSAsExpression':
            case 'TSSatisfiesExpression':
            case 'TSNonNullExpression':
            case 'TSTypeAssertion':
            case 'TypeCastExpression':
            case 'AwaitExpression':
                current = child(current, 'expression') ?? child(current, 'argument');
                break;
            default:
                return current;
        }
    }
    return current;
}
const isMember = (node) => node?.type === 'MemberExpression' || node?.type === 'OptionalMemberExpression';
const isCall = (node) => node?.type === 'CallExpression' ||
    node?.type === 'OptionalCallExpression' ||
    node?.type === 'NewExpression';
const isFunction = (node) => node !== undefined &&
    (node.type === 'FunctionDeclaration' ||
        node.type === 'FunctionExpression' ||
        node.type === 'ArrowFunctionExpression' ||
        node.type === 'ObjectMethod' ||
        node.type === 'ClassMethod' ||
        node.type === 'ClassPrivateMethod');
function propertyName(member) {
    const property = child(member, 'property');
    if (!property)
        return undefined;
    if (!member['computed'] && property.type === 'Identifier')
        return property['name'];
    if (property.type === 'StringLiteral')
        return property['value'];
    return undefined;
}
function keyName(node) {
    if (!node)
        return undefined;
    if (node.type === 'Identifier')
        return node['name'];
    if (node.type === 'StringLiteral')
        return node['value'];
    return undefined;
}
function stringValue(node) {
    const value = unwrap(node);
    if (value?.type === 'StringLiteral')
        return value['value'];
    if (value?.type === 'TemplateLiteral' && children(value, 'expressions').length === 0)
        return children(value, 'quasis')
            .map((quasi) => quasi['value'].cooked ?? '')
            .join('');
    return undefined;
}
function objectProperties(node) {
    const properties = new Map();
    const object = unwrap(node);
    if (object?.type !== 'ObjectExpression')
        return properties;
    for (const property of children(object, 'properties')) {
        if (property.type !== 'ObjectProperty' || property['computed'])
            continue;
        const name = keyName(child(property, 'key'));
        const value = child(property, 'value');
        if (name !== undefined && value)
            properties.set(name, value);
    }
    return properties;
}
function booleanValue(node) {
    const value = unwrap(node);
    if (value?.type === 'BooleanLiteral')
        return value['value'];
    if (value?.type === 'NumericLiteral')
        return value['value'] !== 0;
    return undefined;
}

;// CONCATENATED MODULE: ./.build/security-scan/actions/security-scan/src/scanners/code/scopes.js

class Scope {
    names = new Map();
    parent;
    isFunction;
    constructor(parent, isFunction) {
        this.parent = parent;
        this.isFunction = isFunction;
    }
    functionScope() {
        return this.isFunction || !this.parent ? this : this.parent.functionScope();
    }
    lookup(name) {
        return this.names.get(name) ?? this.parent?.lookup(name);
    }
}
const BLOCK_SCOPES = new Set([
    'BlockStatement',
    'ForStatement',
    'ForInStatement',
    'ForOfStatement',
    'SwitchStatement',
    'StaticBlock',
]);
const TS_EXPRESSIONS = new Set([
    'TSAsExpression',
    'TSSatisfiesExpression',
    'TSNonNullExpression',
    'TSTypeAssertion',
    'TSParameterProperty',
    'TSExportAssignment',
    'TSInstantiationExpression',
]);
function decoratorNames(node) {
    return children(node, 'decorators').map((decorator) => {
        let expression = child(decorator, 'expression');
        if (expression?.type === 'CallExpression')
            expression = child(expression, 'callee');
        return keyName(expression) ?? '';
    });
}
function buildModel(program) {
    const referenceNodes = [];
    const referenceScopes = [];
    const pendingTargets = [];
    const resolved = new Map();
    const model = {
        resolve: (identifier) => resolved.get(identifier),
        calls: [],
        assignments: [],
        objects: [],
        jsxAttributes: [],
        functions: [],
        returns: new Map(),
        conditions: [],
        enclosing: new Map(),
        bindings: [],
        names: new Map(),
    };
    const declare = (scope, id, kind, extra = {}) => {
        const name = id['name'];
        const existing = scope.names.get(name);
        if (existing)
            return existing;
        const binding = { name, kind, id, assignments: [], ...extra };
        scope.names.set(name, binding);
        model.bindings.push(binding);
        return binding;
    };
    const declarePattern = (pattern, kind, scope, fnScope, fn, value, props, extra, element = false) => {
        if (!pattern)
            return;
        switch (pattern.type) {
            case 'Identifier': {
                const binding = declare(scope, pattern, kind, extra(props));
                if (value)
                    binding.assignments.push({ value, props, at: pattern, ...(element ? { element } : {}) });
                return;
            }
            case 'ObjectPattern':
                for (const property of children(pattern, 'properties')) {
                    if (property.type === 'RestElement') {
                        declarePattern(child(property, 'argument'), kind, scope, fnScope, fn, value, props, extra, element);
                        continue;
                    }
                    const key = child(property, 'key');
                    if (property['computed'] && key)
                        visit(key, fnScope, fn);
                    const name = property['computed'] ? '*' : (keyName(key) ?? '*');
                    declarePattern(child(property, 'value'), kind, scope, fnScope, fn, value, [...props, name], extra, element);
                }
                return;
            case 'ArrayPattern':
                for (const item of children(pattern, 'elements'))
                    declarePattern(item, kind, scope, fnScope, fn, value, [...props, '[]'], extra, element);
                return;
            case 'AssignmentPattern': {
                const fallback = child(pattern, 'right');
                if (fallback)
                    visit(fallback, fnScope, fn);
                declarePattern(child(pattern, 'left'), kind, scope, fnScope, fn, value, props, extra, element);
                if (fallback)
                    declarePattern(child(pattern, 'left'), kind, scope, fnScope, fn, fallback, [], extra);
                return;
            }
            case 'RestElement':
                declarePattern(child(pattern, 'argument'), kind, scope, fnScope, fn, value, props, extra, element);
                return;
            case 'TSParameterProperty':
                declarePattern(child(pattern, 'parameter'), kind, scope, fnScope, fn, value, props, extra, element);
                return;
            default:
        }
    };
    const assignTarget = (target, scope, fn, value, props, element = false) => {
        if (!target)
            return;
        switch (target.type) {
            case 'Identifier':
                pendingTargets.push([target, scope, { value, props, at: target, ...(element ? { element } : {}) }]);
                return;
            case 'MemberExpression':
            case 'OptionalMemberExpression': {
                visit(target, scope, fn);
                let root = target;
                while (root && (root.type === 'MemberExpression' || root.type === 'OptionalMemberExpression'))
                    root = child(root, 'object');
                if (root?.type === 'Identifier')
                    pendingTargets.push([root, scope, { value, props, into: true, at: target }]);
                return;
            }
            case 'ObjectPattern':
                for (const property of children(target, 'properties')) {
                    if (property.type === 'RestElement') {
                        assignTarget(child(property, 'argument'), scope, fn, value, props, element);
                        continue;
                    }
                    const key = child(property, 'key');
                    if (property['computed'] && key)
                        visit(key, scope, fn);
                    assignTarget(child(property, 'value'), scope, fn, value, [...props, property['computed'] ? '*' : (keyName(key) ?? '*')], element);
                }
                return;
            case 'ArrayPattern':
                for (const item of children(target, 'elements'))
                    assignTarget(item, scope, fn, value, [...props, '[]'], element);
                return;
            case 'AssignmentPattern':
                visit(child(target, 'right'), scope, fn);
                assignTarget(child(target, 'left'), scope, fn, value, props, element);
                return;
            case 'RestElement':
                assignTarget(child(target, 'argument'), scope, fn, value, props, element);
                return;
            default:
                visit(target, scope, fn);
        }
    };
    const visitFunction = (node, scope) => {
        model.functions.push(node);
        const id = child(node, 'id');
        if (node.type === 'FunctionDeclaration' && id)
            declare(scope, id, 'function').assignments.push({ value: node, props: [], at: id });
        for (const decorator of children(node, 'decorators'))
            visit(decorator, scope, undefined);
        if (node['computed'])
            visit(child(node, 'key'), scope, undefined);
        const inner = new Scope(scope, true);
        if (node.type === 'FunctionExpression' && id)
            declare(inner, id, 'function').assignments.push({ value: node, props: [], at: id });
        children(node, 'params').forEach((param, index) => {
            for (const decorator of children(param, 'decorators'))
                visit(decorator, scope, undefined);
            const decorators = decoratorNames(param.type === 'TSParameterProperty' ? (child(param, 'parameter') ?? param) : param);
            declarePattern(param, 'param', inner, inner, node, undefined, [], (props) => ({
                param: { fn: node, index, props },
                ...(decorators.length > 0 ? { decorators } : {}),
            }));
        });
        const body = child(node, 'body');
        if (body?.type === 'BlockStatement') {
            for (const statement of children(body, 'body'))
                visit(statement, inner, node);
        }
        else if (body) {
            model.returns.set(node, [body]);
            visit(body, inner, node);
        }
    };
    const visit = (node, scope, fn) => {
        if (!node)
            return;
        const type = node.type;
        if (type.startsWith('TS') && !TS_EXPRESSIONS.has(type)) {
            if (type === 'TSEnumDeclaration' && child(node, 'id'))
                declare(scope, child(node, 'id'), 'const');
            return;
        }
        if (isFunction(node)) {
            visitFunction(node, scope);
            return;
        }
        switch (type) {
            case 'Identifier':
                referenceNodes.push(node);
                referenceScopes.push(scope);
                return;
            case 'MemberExpression':
            case 'OptionalMemberExpression':
                visit(child(node, 'object'), scope, fn);
                if (node['computed'])
                    visit(child(node, 'property'), scope, fn);
                return;
            case 'ObjectProperty':
                if (node['computed'])
                    visit(child(node, 'key'), scope, fn);
                visit(child(node, 'value'), scope, fn);
                return;
            case 'ClassProperty':
            case 'ClassPrivateProperty':
            case 'ClassAccessorProperty':
                for (const decorator of children(node, 'decorators'))
                    visit(decorator, scope, fn);
                if (node['computed'])
                    visit(child(node, 'key'), scope, fn);
                visit(child(node, 'value'), scope, fn);
                return;
            case 'LabeledStatement':
                visit(child(node, 'body'), scope, fn);
                return;
            case 'BreakStatement':
            case 'ContinueStatement':
            case 'MetaProperty':
            case 'ImportSpecifier':
            case 'ImportDefaultSpecifier':
            case 'ImportNamespaceSpecifier':
                return;
            case 'ImportDeclaration': {
                const module = normaliseModule(stringValue(child(node, 'source')) ?? '');
                for (const specifier of children(node, 'specifiers')) {
                    const local = child(specifier, 'local');
                    if (!local)
                        continue;
                    const imported = specifier.type === 'ImportSpecifier' ? keyName(child(specifier, 'imported')) : undefined;
                    declare(scope, local, 'import', {
                        imported: { module, path: imported && imported !== 'default' ? [imported] : [] },
                    });
                }
                return;
            }
            case 'ClassDeclaration':
            case 'ClassExpression': {
                const id = child(node, 'id');
                if (id && type === 'ClassDeclaration')
                    declare(scope, id, 'class');
                for (const decorator of children(node, 'decorators'))
                    visit(decorator, scope, fn);
                visit(child(node, 'superClass'), scope, fn);
                for (const member of children(child(node, 'body') ?? node, 'body'))
                    visit(member, scope, fn);
                return;
            }
            case 'VariableDeclaration': {
                const kind = node['kind'] === 'var' ? 'var' : node['kind'] === 'const' ? 'const' : 'let';
                const target = kind === 'var' ? scope.functionScope() : scope;
                for (const declarator of children(node, 'declarations')) {
                    const init = child(declarator, 'init');
                    declarePattern(child(declarator, 'id'), kind, target, scope, fn, init, [], () => ({}));
                    visit(init, scope, fn);
                }
                return;
            }
            case 'AssignmentExpression': {
                model.assignments.push(node);
                model.enclosing.set(node, fn);
                const right = child(node, 'right');
                assignTarget(child(node, 'left'), scope, fn, right ?? node, []);
                visit(right, scope, fn);
                return;
            }
            case 'CatchClause': {
                const inner = new Scope(scope, false);
                declarePattern(child(node, 'param'), 'catch', inner, inner, fn, undefined, [], () => ({}));
                for (const statement of children(child(node, 'body') ?? node, 'body'))
                    visit(statement, inner, fn);
                return;
            }
            case 'ForOfStatement':
            case 'ForInStatement': {
                const inner = new Scope(scope, false);
                const left = child(node, 'left');
                const right = child(node, 'right');
                visit(right, scope, fn);
                if (left?.type === 'VariableDeclaration') {
                    const kind = left['kind'] === 'var' ? 'var' : 'let';
                    for (const declarator of children(left, 'declarations'))
                        declarePattern(child(declarator, 'id'), kind, kind === 'var' ? scope.functionScope() : inner, inner, fn, right, [], () => ({}), type === 'ForOfStatement');
                }
                else if (right) {
                    assignTarget(left, inner, fn, right, [], type === 'ForOfStatement');
                }
                visit(child(node, 'body'), inner, fn);
                return;
            }
            case 'ReturnStatement': {
                const argument = child(node, 'argument');
                if (argument && fn) {
                    const list = model.returns.get(fn) ?? [];
                    list.push(argument);
                    model.returns.set(fn, list);
                }
                visit(argument, scope, fn);
                return;
            }
            case 'IfStatement':
            case 'ConditionalExpression':
            case 'WhileStatement':
            case 'DoWhileStatement':
                if (child(node, 'test'))
                    model.conditions.push(child(node, 'test'));
                break;
            case 'LogicalExpression':
                model.conditions.push(child(node, 'left'));
                break;
            case 'CallExpression':
            case 'OptionalCallExpression':
            case 'NewExpression':
                model.calls.push(node);
                model.enclosing.set(node, fn);
                break;
            case 'ObjectExpression':
                model.objects.push(node);
                model.enclosing.set(node, fn);
                break;
            case 'JSXAttribute':
                model.jsxAttributes.push(node);
                visit(child(node, 'value'), scope, fn);
                return;
            default:
        }
        const inner = BLOCK_SCOPES.has(type) ? new Scope(scope, false) : scope;
        const keys = visitorKeys(type);
        if (!keys) {
            forEachChild(node, (item) => visit(item, inner, fn));
            return;
        }
        for (const key of keys) {
            const value = node[key];
            if (typeof value !== 'object' || value === null)
                continue;
            if (Array.isArray(value)) {
                for (const item of value)
                    if (item !== null && typeof item === 'object')
                        visit(item, inner, fn);
            }
            else
                visit(value, inner, fn);
        }
    };
    const top = new Scope(undefined, true);
    for (const statement of children(program, 'body'))
        visit(statement, top, undefined);
    for (let index = 0; index < referenceNodes.length; index++) {
        const identifier = referenceNodes[index];
        resolved.set(identifier, referenceScopes[index].lookup(identifier['name']));
    }
    for (const [identifier, scope, assignment] of pendingTargets) {
        const binding = scope.lookup(identifier['name']);
        resolved.set(identifier, binding);
        binding?.assignments.push(assignment);
    }
    return model;
}
function normaliseModule(specifier) {
    const name = specifier.replace(/^node:/, '');
    if (/^(fs\/promises|fs-extra|graceful-fs|mz\/fs|original-fs)$/.test(name))
        return 'fs';
    if (/^(mz\/child_process|child-process-promise|child_process\/.*)$/.test(name))
        return 'child_process';
    if (name === 'libxmljs2')
        return 'libxmljs';
    if (/^lodash[./]\w+$/.test(name))
        return `lodash.${name.slice(7)}`;
    if (name === 'underscore' || name === 'lodash-es')
        return 'lodash';
    if (/^playwright(-core|-chromium)?$|^@playwright\/test$/.test(name))
        return 'playwright';
    if (/^puppeteer(-core)?$/.test(name))
        return 'puppeteer';
    if (name === 'isomorphic-fetch' || name === 'cross-fetch' || name === 'undici')
        return 'node-fetch';
    return name;
}

;// CONCATENATED MODULE: ./.build/security-scan/actions/security-scan/src/scanners/code/names.js


const GLOBAL_OBJECTS = new Set(['window', 'globalThis', 'self', 'global']);
function canonicalName(node, model, depth = 0) {
    const expression = unwrap(node);
    if (!expression || depth > 6)
        return undefined;
    if (model.names.has(expression))
        return model.names.get(expression);
    const name = computeName(expression, model, depth);
    model.names.set(expression, name);
    return name;
}
function computeName(expression, model, depth) {
    switch (expression.type) {
        case 'Identifier': {
            const binding = model.resolve(expression);
            if (!binding)
                return expression['name'];
            if (binding.imported)
                return [binding.imported.module, ...binding.imported.path].join('.');
            if (binding.kind === 'param' || binding.kind === 'function' || binding.kind === 'class')
                return undefined;
            if (binding.assignments.length !== 1)
                return undefined;
            const [assignment] = binding.assignments;
            if (!assignment ||
                assignment.into ||
                assignment.element ||
                assignment.props.includes('[]') ||
                assignment.props.includes('*'))
                return undefined;
            const base = canonicalName(assignment.value, model, depth + 1);
            return base === undefined ? undefined : [base, ...assignment.props].join('.');
        }
        case 'MemberExpression':
        case 'OptionalMemberExpression': {
            const name = propertyName(expression);
            const object = unwrap(child(expression, 'object'));
            if (name === undefined || !object)
                return undefined;
            if (object.type === 'ThisExpression')
                return undefined;
            const base = canonicalName(object, model, depth + 1);
            if (base === undefined)
                return undefined;
            if (GLOBAL_OBJECTS.has(base))
                return name;
            if (base === 'document' && name === 'location')
                return 'location';
            return `${base}.${name}`;
        }
        case 'CallExpression':
        case 'OptionalCallExpression':
        case 'NewExpression': {
            const callee = unwrap(child(expression, 'callee'));
            const args = children(expression, 'arguments');
            const calleeName = canonicalName(callee, model, depth + 1);
            if (calleeName === 'require' || callee?.type === 'Import') {
                const specifier = stringValue(args[0]);
                return specifier === undefined ? undefined : normaliseModule(specifier);
            }
            if (calleeName === 'promisify' || calleeName === 'util.promisify')
                return canonicalName(args[0], model, depth + 1);
            return calleeName === undefined ? undefined : `${calleeName}()`;
        }
        case 'Import':
            return 'import';
        default:
            return undefined;
    }
}
function calleeLastName(call) {
    const callee = unwrap(child(call, 'callee'));
    if (!callee)
        return undefined;
    if (callee.type === 'Identifier')
        return callee['name'];
    if (isMember(callee))
        return propertyName(callee);
    return undefined;
}
function receiverOf(call) {
    const callee = unwrap(child(call, 'callee'));
    return isMember(callee) ? unwrap(child(callee, 'object')) : undefined;
}
function rootIdentifier(node) {
    let current = unwrap(node);
    while (current && (isMember(current) || current.type === 'CallExpression')) {
        current = unwrap(isMember(current) ? child(current, 'object') : child(current, 'callee'));
    }
    return current?.type === 'Identifier' ? current : undefined;
}
function describe(node, depth = 0) {
    const expression = unwrap(node);
    if (!expression || depth > 5)
        return 'a value';
    switch (expression.type) {
        case 'Identifier':
            return expression['name'];
        case 'ThisExpression':
            return 'this';
        case 'MemberExpression':
        case 'OptionalMemberExpression': {
            const name = propertyName(expression);
            return `${describe(child(expression, 'object'), depth + 1)}${name === undefined ? '[...]' : `.${name}`}`;
        }
        case 'CallExpression':
        case 'OptionalCallExpression':
            return `${describe(child(expression, 'callee'), depth + 1)}()`;
        case 'NewExpression':
            return `new ${describe(child(expression, 'callee'), depth + 1)}()`;
        case 'TemplateLiteral':
            return 'a template string';
        case 'BinaryExpression':
            return 'a concatenation';
        default:
            return 'a value';
    }
}

;// CONCATENATED MODULE: ./.build/security-scan/actions/security-scan/src/scanners/code/sinks/code-injection.js


const EVALUATORS = new Set([
    'eval',
    'Function',
    'vm.runInContext',
    'vm.runInNewContext',
    'vm.runInThisContext',
    'vm.compileFunction',
    'vm.Script',
    'vm.SourceTextModule',
    'vm2.VM().run',
    'vm2.NodeVM().run',
    'vm2.VMScript',
    'vm2.VM().runFile',
]);
const TIMERS = new Set(['setTimeout', 'setInterval', 'setImmediate', 'execScript']);
const TEMPLATE_COMPILERS = /^(ejs|pug|jade|handlebars|Handlebars|nunjucks|mustache|Mustache|hogan\.js|dot|doT|swig|eta|squirrelly|art-template|lodash|underscore|_|velocityjs|twig|liquidjs|marko)\.(compile|render|renderString|template|precompile|compileFile|parseAndRender|renderFile)$|^lodash\.template$/;
function checkCodeInjection(context) {
    for (const call of context.model.calls) {
        const callee = child(call, 'callee');
        const name = canonicalName(callee, context.model);
        if (name === undefined)
            continue;
        const args = children(call, 'arguments');
        const normalised = name.replace(/^(vm2\.(VM|NodeVM))\(\)\.run.*$/, '$1().run');
        if (EVALUATORS.has(normalised)) {
            const code = name === 'Function' ? args.at(-1) : args[0];
            const taint = context.tainted(code, 'code');
            const label = name === 'Function' ? 'new Function' : `${name.replace(/\(\)/g, '')}()`;
            if (taint)
                context.report('code-eval', call, `${label} runs code that`, taint);
            else if (args.length > 0 &&
                (name === 'eval' || name === 'Function'
                    ? !args.every((arg) => context.constantString(arg) !== undefined)
                    : context.isDynamicString(code)))
                context.report('code-eval', call, `${label} runs a string built at run time`);
            continue;
        }
        if (TIMERS.has(name) && args[0] && !isFunction(unwrap(args[0]))) {
            const taint = context.tainted(args[0], 'code');
            if (taint)
                context.report('code-eval', call, `${name}() with a string runs code that`, taint);
            else if (context.isDynamicString(args[0]))
                context.report('code-eval', call, `${name}() runs a string built at run time as code`);
            continue;
        }
        if (name === 'require' || name === 'import' || unwrap(callee)?.type === 'Import') {
            const taint = context.tainted(args[0], 'code');
            if (taint)
                context.report('code-eval', call, `${name}() loads a module named by a value that`, taint);
            continue;
        }
        if (TEMPLATE_COMPILERS.test(name)) {
            const taint = context.tainted(args[0], 'template');
            if (taint)
                context.report('code-template-injection', call, `${name}() compiles a template whose text`, taint);
        }
    }
}

;// CONCATENATED MODULE: ./.build/security-scan/actions/security-scan/src/scanners/code/sinks/command.js


const SHELL_STRING = new Set([
    'child_process.exec',
    'child_process.execSync',
    'shelljs.exec',
    'execa.command',
    'execa.commandSync',
    'execa.execaCommand',
    'execa.execaCommandSync',
]);
const PROGRAM_AND_ARGS = new Set([
    'child_process.spawn',
    'child_process.spawnSync',
    'child_process.execFile',
    'child_process.execFileSync',
    'child_process.fork',
    'execa',
    'execa.execa',
    'execa.execaSync',
    'execa.sync',
    'Deno.Command()',
]);
const SHELLS = /^(\/(usr\/)?bin\/)?(sh|bash|zsh|dash|ksh|cmd(\.exe)?|powershell(\.exe)?|pwsh)$/;
function checkCommandInjection(context) {
    for (const call of context.model.calls) {
        const name = canonicalName(child(call, 'callee'), context.model);
        if (name === undefined)
            continue;
        const args = children(call, 'arguments');
        const label = `${name.replace(/\(\)$/, '')}()`;
        if (SHELL_STRING.has(name)) {
            const taint = context.tainted(args[0], 'command');
            if (taint)
                context.report('code-command-injection', call, `${label} runs a shell command that`, taint);
            else if (context.isDynamicString(args[0]))
                context.report('code-command-injection', call, `${label} runs a shell command built from a template or concatenation`);
            continue;
        }
        if (PROGRAM_AND_ARGS.has(name)) {
            checkProgramAndArgs(context, call, label, args[0], unwrap(args[1])?.type === 'ArrayExpression' ? args[1] : undefined, args);
            continue;
        }
        if (name === 'Deno.run') {
            const options = objectProperties(context.valueOf(args[0]));
            const command = context.valueOf(options.get('cmd'));
            const parts = command?.type === 'ArrayExpression' ? children(command, 'elements') : [];
            checkProgramAndArgs(context, call, label, parts[0], undefined, args, parts.slice(1));
        }
    }
}
function checkProgramAndArgs(context, call, label, program, argList, args, argItems) {
    const programTaint = context.tainted(program, 'command');
    if (programTaint) {
        context.report('code-command-injection', call, `${label} runs a program named by a value that`, programTaint);
        return;
    }
    const items = argItems ?? (argList ? children(context.valueOf(argList) ?? argList, 'elements') : []);
    const options = args
        .map((arg) => objectProperties(context.valueOf(arg)))
        .find((properties) => properties.has('shell'));
    const shellOption = options?.get('shell');
    const viaShellOption = shellOption !== undefined &&
        (booleanValue(shellOption) ?? true) &&
        unwrap(shellOption)?.type !== 'Identifier';
    const programName = context.constantString(program) ?? '';
    const viaShellProgram = SHELLS.test(programName) &&
        items.some((item) => /^(-c|\/c|-Command)$/i.test(context.constantString(item) ?? ''));
    if (!viaShellOption && !viaShellProgram)
        return;
    for (const item of [program, ...items]) {
        const taint = context.tainted(item, 'command');
        if (taint) {
            const how = viaShellOption ? 'with shell: true' : `through ${programName} -c`;
            context.report('code-command-injection', call, `${label} ${how} runs a command line that`, taint);
            return;
        }
    }
    if (viaShellOption && context.isDynamicString(program))
        context.report('code-command-injection', call, `${label} with shell: true runs a command built from a template or concatenation`);
}

;// CONCATENATED MODULE: ./.build/security-scan/actions/security-scan/src/scanners/code/sinks/response.js


const RESPONSE_NAMES = /^(res|response|resp|reply|h|ctx|context)$/;
function isResponseCall(context, call) {
    const callee = unwrap(child(call, 'callee'));
    if (!isMember(callee))
        return false;
    const root = rootIdentifier(child(callee, 'object'));
    if (!root || !RESPONSE_NAMES.test(root['name']))
        return false;
    const binding = context.model.resolve(root);
    return binding?.kind === 'param';
}
function methodOf(call) {
    const callee = unwrap(child(call, 'callee'));
    return isMember(callee) ? propertyName(callee) : undefined;
}

;// CONCATENATED MODULE: ./.build/security-scan/actions/security-scan/src/scanners/code/sinks/web.js



const HTTP_CLIENTS = /^(fetch|node-fetch|axios|got|request|superagent|needle|phin|ky|bent|http|https|http2|undici)(\.(get|post|put|patch|delete|del|head|options|request|stream|fetch|connect))?(\(\))?$|^(axios|got|ky)\.default(\.\w+)?$/;
function requestTarget(context, call) {
    const first = children(call, 'arguments')[0];
    const value = context.valueOf(first);
    if (value?.type === 'ObjectExpression') {
        const properties = objectProperties(value);
        return (properties.get('url') ??
            properties.get('uri') ??
            properties.get('baseURL') ??
            properties.get('hostname') ??
            properties.get('host'));
    }
    return first;
}
function checkSsrf(context) {
    for (const call of context.model.calls) {
        const name = canonicalName(child(call, 'callee'), context.model);
        const method = methodOf(call);
        if (name !== undefined && HTTP_CLIENTS.test(name) && !name.startsWith('http.createServer')) {
            const taint = context.urlTaint(requestTarget(context, call), 'ssrf');
            if (taint)
                context.report('code-ssrf', call, `${name.replace(/\(\)$/, '')}() sends a request to a URL that`, taint);
        }
        else if (method === 'goto' || (method === 'navigate' && name?.startsWith('puppeteer'))) {
            const taint = context.urlTaint(children(call, 'arguments')[0], 'ssrf');
            if (taint)
                context.report('code-ssrf', call, `A headless browser's .${method}() opens a URL that`, taint);
        }
    }
}
const FS_PATH = /^fs\.(readFile|readFileSync|createReadStream|writeFile|writeFileSync|createWriteStream|appendFile|appendFileSync|open|openSync|unlink|unlinkSync|rm|rmSync|rmdir|rmdirSync|readdir|readdirSync|copyFile|copyFileSync|cp|cpSync|rename|renameSync|mkdir|mkdirSync|truncate|truncateSync|outputFile|outputFileSync|readJson|readJsonSync|writeJson|remove|removeSync|move|copy|symlink|link|chmod|chown|access|accessSync|stat|statSync|lstat|readlink|realpath|opendir|watch|exists|existsSync)$/;
function checkPathTraversal(context) {
    for (const call of context.model.calls) {
        const name = canonicalName(child(call, 'callee'), context.model);
        const args = children(call, 'arguments');
        if (name !== undefined && FS_PATH.test(name)) {
            const paths = /copy|rename|move|link|cp/i.test(name) ? args.slice(0, 2) : args.slice(0, 1);
            for (const path of paths) {
                const taint = context.tainted(path, 'path');
                if (taint) {
                    context.report('code-path-traversal', call, `${name}() opens a path that`, taint);
                    break;
                }
            }
            continue;
        }
        const method = methodOf(call);
        if ((method === 'sendFile' || method === 'download' || method === 'sendfile' || method === 'attachment') &&
            isResponseCall(context, call)) {
            if (args.slice(1).some((arg) => objectProperties(context.valueOf(arg)).has('root')))
                continue;
            const taint = context.tainted(args[0], 'path');
            if (taint)
                context.report('code-path-traversal', call, `res.${method}() serves a file whose path`, taint);
        }
    }
}
const REDIRECT_HEADER = /^location$/i;
function checkOpenRedirect(context) {
    for (const call of context.model.calls) {
        const method = methodOf(call);
        const args = children(call, 'arguments');
        const name = canonicalName(child(call, 'callee'), context.model);
        if (method === 'redirect' && isResponseCall(context, call)) {
            const taint = context.urlTaint(args.at(-1), 'redirect');
            if (taint)
                context.report('code-open-redirect', call, 'redirect() sends the browser to a URL that', taint);
        }
        else if (name === 'location.assign' || name === 'location.replace' || name === 'open') {
            const taint = context.urlTaint(args[0], 'redirect');
            if (taint)
                context.report('code-open-redirect', call, `${name}() navigates to a URL that`, taint);
        }
        else if ((method === 'setHeader' || method === 'set' || method === 'header') &&
            REDIRECT_HEADER.test(stringValue(args[0]) ?? '') &&
            isResponseCall(context, call)) {
            const taint = context.urlTaint(args[1], 'redirect');
            if (taint)
                context.report('code-open-redirect', call, 'A Location header redirects to a URL that', taint);
        }
        else if (method === 'writeHead' && isResponseCall(context, call)) {
            const headers = args
                .map((arg) => objectProperties(context.valueOf(arg)))
                .find((properties) => properties.has('Location') || properties.has('location'));
            const taint = headers && context.urlTaint(headers.get('Location') ?? headers.get('location'), 'redirect');
            if (taint)
                context.report('code-open-redirect', call, 'A Location header redirects to a URL that', taint);
        }
    }
    for (const assignment of context.model.assignments) {
        const left = unwrap(child(assignment, 'left'));
        const name = canonicalName(left, context.model);
        if (name !== 'location' &&
            name !== 'location.href' &&
            !(isMember(left) && propertyName(left) === 'location' && name === undefined))
            continue;
        const taint = context.urlTaint(child(assignment, 'right'), 'redirect');
        if (taint)
            context.report('code-open-redirect', assignment, `Setting ${name ?? 'location'} navigates to a URL that`, taint);
    }
}

;// CONCATENATED MODULE: ./.build/security-scan/actions/security-scan/src/scanners/code/sinks/config.js




const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|::1|\[::1\]|0\.0\.0\.0)$/;
const SETTING_KEY = /^(rejectUnauthorized|strictSSL|checkServerIdentity|secureProtocol|minVersion|algorithms?)$|csrf|xsrf/i;
const CSRF_KEYS = new Set(['csrf', 'csrfprotection', 'xsrf', 'csrfcheck', 'checkcsrf']);
const WEAK_TLS = /^(SSLv2|SSLv3|TLSv1|TLSv1\.1|TLSv1_method|TLSv1_1_method|SSLv3_method|SSLv23_method|TLSv1_client_method|TLSv1_server_method)$/;
function targetsLoopback(object) {
    const properties = objectProperties(object);
    const host = stringValue(properties.get('host')) ?? stringValue(properties.get('hostname'));
    return host !== undefined && LOOPBACK.test(host);
}
function checkSettings(context) {
    for (const object of context.model.objects) {
        for (const property of children(object, 'properties')) {
            if (property.type !== 'ObjectProperty')
                continue;
            const rawKey = keyName(child(property, 'key'));
            if (rawKey === undefined || !SETTING_KEY.test(rawKey))
                continue;
            const key = rawKey.toLowerCase();
            const value = child(property, 'value');
            const constant = booleanValue(context.valueOf(value));
            if ((key === 'rejectunauthorized' || key === 'strictssl') &&
                constant === false &&
                !targetsLoopback(object))
                context.report('code-tls-disabled', property, `${rawKey}: false accepts any certificate (man-in-the-middle)`);
            if (key === 'checkserveridentity' && isFunction(unwrap(value)) && acceptsAnyHost(unwrap(value)))
                context.report('code-tls-disabled', property, 'checkServerIdentity accepts any host name (man-in-the-middle)');
            if ((key === 'secureprotocol' || key === 'minversion') &&
                WEAK_TLS.test(context.constantString(value) ?? ''))
                context.report('code-weak-tls', property, `${rawKey}: '${context.constantString(value)}' allows broken TLS/SSL versions`);
            if (CSRF_KEYS.has(key) && constant === false)
                context.report('code-csrf-disabled', property, `${rawKey}: false turns CSRF protection off`);
            if (key === 'algorithms' || key === 'algorithm') {
                const list = unwrap(value)?.type === 'ArrayExpression' ? children(unwrap(value), 'elements') : [value];
                if (list.some((item) => (context.constantString(item) ?? '').toLowerCase() === 'none'))
                    context.report('code-jwt-none', property, 'JWT verification accepts alg "none" (unsigned tokens)');
            }
        }
        checkCorsOptions(context, object);
    }
    for (const assignment of context.model.assignments) {
        const left = unwrap(child(assignment, 'left'));
        const target = left?.type === 'Identifier'
            ? left['name']
            : isMember(left)
                ? propertyName(left)
                : undefined;
        const right = child(assignment, 'right');
        const text = context.constantString(right) ??
            (unwrap(right)?.type === 'NumericLiteral' ? String(unwrap(right)['value']) : undefined);
        if (target === 'NODE_TLS_REJECT_UNAUTHORIZED' && text === '0')
            context.report('code-tls-disabled', assignment, 'NODE_TLS_REJECT_UNAUTHORIZED=0 disables certificate checks process-wide');
        if (target === 'rejectUnauthorized' && booleanValue(context.valueOf(right)) === false)
            context.report('code-tls-disabled', assignment, 'rejectUnauthorized = false accepts any certificate (man-in-the-middle)');
    }
    const text = context.file.text;
    const checks = [
        text.includes('verify') ? checkJwtVerify : undefined,
        /ccess-[Cc]ontrol/.test(text) ? checkCorsHeaders : undefined,
        text.includes('postMessage') ? checkPostMessage : undefined,
        /:\/\/|http\./.test(text) ? checkCleartext : undefined,
    ].filter((check) => check !== undefined);
    if (checks.length > 0)
        for (const call of context.model.calls)
            for (const check of checks)
                check(context, call);
    if (text.includes('message'))
        checkMessageHandlers(context);
    if (context.file.text.includes('Math.random'))
        checkInsecureRandom(context);
}
function acceptsAnyHost(fn) {
    const body = child(fn, 'body');
    if (body?.type !== 'BlockStatement')
        return unwrap(body)?.type === 'Identifier' && unwrap(body)['name'] === 'undefined';
    return children(body, 'body').every((statement) => statement.type === 'ReturnStatement' && !child(statement, 'argument'));
}
function checkJwtVerify(context, call) {
    const name = canonicalName(child(call, 'callee'), context.model);
    if (name !== 'jsonwebtoken.verify' && name !== 'jws.verify')
        return;
    const key = unwrap(children(call, 'arguments')[1]);
    const empty = !key ||
        key.type === 'NullLiteral' ||
        (key.type === 'Identifier' && key['name'] === 'undefined') ||
        stringValue(key) === '' ||
        booleanValue(key) === false;
    if (empty)
        context.report('code-jwt-none', call, `${name}() without a key accepts unsigned (alg "none") tokens`);
}
function checkCorsOptions(context, object) {
    if (!children(object, 'properties').some((property) => keyName(child(property, 'key')) === 'credentials'))
        return;
    const properties = objectProperties(object);
    const origin = properties.get('origin');
    const credentials = booleanValue(properties.get('credentials'));
    if (!origin || credentials !== true)
        return;
    const value = unwrap(origin);
    const any = stringValue(value) === '*' || booleanValue(value) === true;
    const reflects = isFunction(value) &&
        /\b(?:callback|cb|next|done)\s*\(\s*null\s*,\s*(?:true|origin)\s*\)/.test(context.file.text.slice(value.start ?? 0, value['end'] ?? 0));
    if (any || reflects)
        context.report('code-cors-misconfiguration', object, `CORS allows ${any ? 'any origin' : 'every origin it is asked for'} with credentials: any site can read authenticated responses`);
}
function checkCorsHeaders(context, call) {
    const method = methodOf(call);
    if (method !== 'setHeader' && method !== 'set' && method !== 'header' && method !== 'append')
        return;
    const args = children(call, 'arguments');
    if ((stringValue(args[0]) ?? '').toLowerCase() !== 'access-control-allow-origin' ||
        !isResponseCall(context, call))
        return;
    const taint = context.tainted(args[1], 'cors');
    if (taint) {
        context.report('code-cors-misconfiguration', call, 'Access-Control-Allow-Origin reflects a value that', taint);
        return;
    }
    if (stringValue(args[1]) !== '*')
        return;
    const fn = context.model.enclosing.get(call);
    const scope = fn
        ? context.file.text.slice(fn.start ?? 0, fn['end'] ?? 0)
        : context.file.text;
    if (/access-control-allow-credentials['"`]\s*,\s*(?:true|['"`]true['"`])/i.test(scope))
        context.report('code-cors-misconfiguration', call, 'Access-Control-Allow-Origin: * together with Allow-Credentials: true');
}
function checkPostMessage(context, call) {
    if (methodOf(call) !== 'postMessage' &&
        canonicalName(child(call, 'callee'), context.model) !== 'postMessage')
        return;
    const target = children(call, 'arguments')[1];
    if (context.constantString(target) === '*')
        context.report('code-postmessage-wildcard', call, "postMessage(..., '*') hands the message to whatever origin the window shows");
}
function checkMessageHandlers(context) {
    const text = context.file.text;
    if (!text.includes('message') ||
        /\bimportScripts\b|\bparentPort\b|WorkerGlobalScope|self\.postMessage/.test(text))
        return;
    const handlers = [];
    for (const call of context.model.calls) {
        const args = children(call, 'arguments');
        if (canonicalName(child(call, 'callee'), context.model) === 'addEventListener' &&
            stringValue(args[0]) === 'message') {
            const handler = context.taint.sources.functionOf(args[1]);
            if (handler)
                handlers.push(handler);
        }
    }
    for (const assignment of context.model.assignments) {
        const name = canonicalName(child(assignment, 'left'), context.model);
        if (name !== 'onmessage')
            continue;
        const handler = context.taint.sources.functionOf(child(assignment, 'right'));
        if (handler)
            handlers.push(handler);
    }
    for (const handler of handlers) {
        const body = text.slice(handler.start ?? 0, handler['end'] ?? 0);
        if (/\.data\b|\bdata\b/.test(body) && !/\borigin\b/.test(body))
            context.report('code-message-origin', handler, 'This message handler uses event.data without checking event.origin: any window can send it');
    }
}
const CREDENTIAL_KEY = /^(auth|authorization|password|passwd|pass|token|access_?token|api_?key|x-api-key|secret|client_?secret|cookie|credentials)$/i;
function checkCleartext(context, call) {
    const name = canonicalName(child(call, 'callee'), context.model);
    if (name === undefined || !HTTP_CLIENTS.test(name))
        return;
    const args = children(call, 'arguments');
    const target = requestTarget(context, call);
    const url = context.staticText(target) ?? '';
    const first = objectProperties(context.valueOf(args[0]));
    const httpModule = /^http\.(request|get)$/.test(name) && first.size > 0;
    const match = /^(?:http|ws):\/\/(?:([^@/?#]*)@)?([^/?#:]+|\[[^\]]+\])/i.exec(url);
    const host = match?.[2] ?? (httpModule ? stringValue(first.get('hostname') ?? first.get('host')) : undefined);
    if ((!match && !httpModule) || host === undefined || LOOPBACK.test(host) || host.trim() === '')
        return;
    const credentialInUrl = Boolean(match?.[1]?.includes(':')) || /[?&](token|password|api_?key|access_token|secret)=/i.test(url);
    const credentialInOptions = args.some((arg) => hasCredentialKey(context, context.valueOf(arg), 0));
    if (credentialInUrl || credentialInOptions)
        context.report('code-cleartext-transport', call, `${name.replace(/\(\)$/, '')}() sends credentials over cleartext http:// to ${host}`);
}
function hasCredentialKey(context, node, depth) {
    if ((node?.type === 'CallExpression' || node?.type === 'NewExpression') && depth > 0)
        return hasCredentialKey(context, context.valueOf(children(node, 'arguments')[0]), depth + 1);
    if (node?.type !== 'ObjectExpression' || depth > 3)
        return false;
    for (const [key, value] of objectProperties(node)) {
        if (CREDENTIAL_KEY.test(key))
            return true;
        if (/^(headers|body|json|form|data|params)$/i.test(key) &&
            hasCredentialKey(context, context.valueOf(value), depth + 1))
            return true;
    }
    return false;
}
const TOKEN_NAME = /token|secret|passw(or)?d|nonce|salt|session|api_?key|otp|csrf|credential|reset_?code|verification|invite_?code/i;
function checkInsecureRandom(context) {
    const text = context.file.text;
    const offsets = [];
    for (let at = text.indexOf('random'); at !== -1; at = text.indexOf('random', at + 1))
        offsets.push(at);
    const holdsWord = (node) => {
        const start = node.start ?? 0;
        const end = typeof node['end'] === 'number' ? node['end'] : text.length;
        let low = 0;
        let high = offsets.length;
        while (low < high) {
            const middle = (low + high) >>> 1;
            if (offsets[middle] < start)
                low = middle + 1;
            else
                high = middle;
        }
        return low < offsets.length && offsets[low] < end;
    };
    const walk = (node, ancestors) => {
        if (!holdsWord(node))
            return;
        if (node.type === 'CallExpression') {
            const callee = unwrap(child(node, 'callee'));
            if (isMember(callee) &&
                propertyName(callee) === 'random' &&
                keyName(unwrap(child(callee, 'object'))) === 'Math') {
                const receiver = receivingName(ancestors);
                if (receiver && TOKEN_NAME.test(receiver))
                    context.report('code-insecure-random', node, `Math.random() feeds "${receiver}", which is predictable`);
            }
        }
        ancestors.push(node);
        forEachChild(node, (item) => walk(item, ancestors));
        ancestors.pop();
    };
    walk(context.program, []);
}
function receivingName(ancestors) {
    for (let index = ancestors.length - 1; index >= 0; index--) {
        const node = ancestors[index];
        switch (node.type) {
            case 'VariableDeclarator':
                return keyName(child(node, 'id'));
            case 'AssignmentExpression': {
                const left = unwrap(child(node, 'left'));
                return isMember(left) ? propertyName(left) : keyName(left);
            }
            case 'ObjectProperty':
            case 'ClassProperty':
            case 'ObjectMethod':
            case 'ClassMethod':
                return keyName(child(node, 'key'));
            case 'FunctionDeclaration':
            case 'FunctionExpression':
                return keyName(child(node, 'id')) ?? receivingName(ancestors.slice(0, index));
            case 'ArrowFunctionExpression':
                return receivingName(ancestors.slice(0, index));
            case 'ReturnStatement': {
                const fn = ancestors.findLastIndex((candidate, at) => at < index && /Function/.test(candidate.type));
                if (fn === -1)
                    return undefined;
                index = fn + 1;
                break;
            }
            case 'ExpressionStatement':
            case 'BlockStatement':
                return undefined;
            default:
        }
    }
    return undefined;
}

// EXTERNAL MODULE: ./.build/security-scan/actions/security-scan/src/rules.js + 4 modules
var rules = __webpack_require__(9849);
;// CONCATENATED MODULE: ./.build/security-scan/actions/security-scan/src/scanners/code/families.js
const FAMILY = {
    command: 1,
    code: 2,
    sql: 4,
    nosql: 8,
    xss: 16,
    ssrf: 32,
    path: 64,
    redirect: 128,
    proto: 256,
    deserialization: 512,
    template: 1024,
    cors: 2048,
};
const ALL_FAMILIES = 4095;

;// CONCATENATED MODULE: ./.build/security-scan/actions/security-scan/src/scanners/code/sinks/context.js



class SinkContext {
    findings = [];
    seen = new Set();
    file;
    program;
    model;
    taint;
    constructor(file, program, model, taint) {
        this.file = file;
        this.program = program;
        this.model = model;
        this.taint = taint;
    }
    tainted(node, family) {
        const taint = this.taint.of(node);
        return taint && (taint.cleared & FAMILY[family]) === 0 ? taint : undefined;
    }
    report(ruleId, node, what, taint) {
        const line = lineOf(node);
        const key = `${ruleId}:${line}`;
        if (this.seen.has(key))
            return;
        this.seen.add(key);
        const message = taint
            ? `${what} receives ${taint.source} (user input, line ${lineOf(taint.hops[0].node)}).`
            : `${what}.`;
        const finding = (0,rules/* makeFinding */.MH)(ruleId, this.file.path, line, message, { column: columnOf(node) });
        if (taint) {
            const flow = taint.hops.map((hop) => ({
                file: this.file.path,
                line: lineOf(hop.node),
                column: columnOf(hop.node),
                message: hop.message,
            }));
            flow.push({ file: this.file.path, line, column: columnOf(node), message: `sink: ${what}` });
            finding.flow = flow;
        }
        this.findings.push(finding);
    }
    constantString(node, depth = 0) {
        const expression = unwrap(node);
        const literal = stringValue(expression);
        if (literal !== undefined || !expression || depth > 3)
            return literal;
        if (expression.type === 'Identifier') {
            const binding = this.model.resolve(expression);
            if (binding?.kind === 'const' &&
                binding.assignments.length === 1 &&
                binding.assignments[0].props.length === 0)
                return this.constantString(binding.assignments[0].value, depth + 1);
        }
        if (expression.type === 'BinaryExpression' && expression['operator'] === '+') {
            const left = this.constantString(child(expression, 'left'), depth + 1);
            const right = left === undefined ? undefined : this.constantString(child(expression, 'right'), depth + 1);
            return left !== undefined && right !== undefined ? left + right : undefined;
        }
        return undefined;
    }
    isDynamicString(node) {
        const expression = unwrap(node);
        if (this.taint.of(expression))
            return false;
        if (expression?.type === 'TemplateLiteral')
            return children(expression, 'expressions').some((part) => this.constantString(part) === undefined);
        if (expression?.type === 'BinaryExpression' && expression['operator'] === '+')
            return this.constantString(expression) === undefined && this.staticText(expression) !== undefined;
        return false;
    }
    staticText(node, depth = 0) {
        const expression = unwrap(node);
        if (!expression || depth > 3)
            return undefined;
        const constant = stringValue(expression);
        if (constant !== undefined)
            return constant;
        switch (expression.type) {
            case 'TemplateLiteral':
                return children(expression, 'quasis')
                    .map((quasi) => quasi['value'].raw)
                    .join(' ');
            case 'BinaryExpression': {
                if (expression['operator'] !== '+')
                    return undefined;
                const left = this.staticText(child(expression, 'left'), depth + 1);
                const right = this.staticText(child(expression, 'right'), depth + 1);
                return left === undefined && right === undefined ? undefined : `${left ?? ' '}${right ?? ' '}`;
            }
            case 'Identifier': {
                const binding = this.model.resolve(expression);
                if (!binding || binding.kind === 'param' || binding.kind === 'import')
                    return undefined;
                const texts = binding.assignments
                    .filter((assignment) => assignment.props.length === 0 && !assignment.into)
                    .map((assignment) => this.staticText(assignment.value, depth + 1))
                    .filter((text) => text !== undefined);
                return texts.length > 0 ? texts.join(' ') : undefined;
            }
            default:
                return undefined;
        }
    }
    valueOf(node) {
        const expression = unwrap(node);
        if (expression?.type !== 'Identifier')
            return expression;
        const binding = this.model.resolve(expression);
        if (binding &&
            binding.kind !== 'param' &&
            binding.assignments.length === 1 &&
            binding.assignments[0].props.length === 0)
            return unwrap(binding.assignments[0].value);
        return expression;
    }
    urlTaint(node, family, depth = 0) {
        const expression = unwrap(node);
        if (!expression)
            return undefined;
        let prefix;
        if (expression.type === 'TemplateLiteral') {
            const first = children(expression, 'quasis')[0];
            prefix = first?.['value']?.cooked ?? '';
            const hole = unwrap(children(expression, 'expressions')[0]);
            if (/^[a-z][\w+.-]*:\/\/[^/?#]+$/i.test(prefix) &&
                isMember(hole) &&
                /^(url|originalUrl|path)$/.test(propertyName(hole) ?? ''))
                prefix += '/';
        }
        else if (expression.type === 'BinaryExpression' && expression['operator'] === '+') {
            let left = expression;
            while (left?.type === 'BinaryExpression' && left['operator'] === '+')
                left = unwrap(child(left, 'left'));
            prefix = this.constantString(left);
        }
        else if (expression.type === 'Identifier' && depth < 3) {
            const value = this.valueOf(expression);
            if (value && value !== expression) {
                const binding = this.model.resolve(expression);
                return binding && this.taint.ofBinding(binding) && this.urlTaint(value, family, depth + 1)
                    ? this.tainted(expression, family)
                    : undefined;
            }
        }
        if (prefix !== undefined && /^([a-z][\w+.-]*:)?\/\/[^/?#]+[/?#]|^\/(?![/\\])|^\.\.?\//i.test(prefix))
            return undefined;
        return this.tainted(expression, family);
    }
}

;// CONCATENATED MODULE: ./.build/security-scan/actions/security-scan/src/scanners/code/sinks/data.js


const ENTITY_OPTIONS = [
    'noent',
    'dtdload',
    'resolveExternalEntities',
    'expandEntities',
    'entities',
    'external',
];
const XML_CALL = /xml|sax|parse/i;
function checkXxe(context) {
    for (const call of context.model.calls) {
        const name = canonicalName(child(call, 'callee'), context.model) ?? '';
        const last = calleeLastName(call) ?? '';
        if (!/^(libxmljs|xml2js|xmldom|@xmldom\/xmldom|node-expat|sax|libxml|xmllint)/.test(name) &&
            !XML_CALL.test(last))
            continue;
        for (const arg of children(call, 'arguments')) {
            const options = objectProperties(context.valueOf(arg));
            const option = ENTITY_OPTIONS.find((key) => options.has(key) && booleanValue(options.get(key)) === true);
            if (!option || (option === 'entities' && !name.startsWith('xml2js')))
                continue;
            context.report('code-xxe', call, `${name || last}() parses XML with ${option}: true (external entities expanded)`);
            break;
        }
    }
}
const DEEP_MERGES = /^(lodash|_|underscore)\.(merge|mergeWith|defaultsDeep|set|setWith|zipObjectDeep)$|^lodash\.(merge|mergewith|defaultsdeep|set|setwith)$|^(deepmerge|deepmerge\.all|merge|merge\.recursive|mixin-deep|defaults-deep|deep-extend|set-value|dot-prop\.set|object-path\.set|@hapi\/hoek\.merge|hoek\.merge|extend|just-extend|merge-deep|assign-deep|deap\.merge)$/;
function checkPrototypePollution(context) {
    for (const call of context.model.calls) {
        const name = canonicalName(child(call, 'callee'), context.model) ?? '';
        const args = children(call, 'arguments');
        const jqueryDeep = /^(\$|jQuery|jquery)\.extend$/.test(name) && booleanValue(args[0]) === true;
        if (!DEEP_MERGES.test(name) && !jqueryDeep)
            continue;
        const setter = /set/i.test(name.split('.').pop() ?? '');
        const inputs = setter ? args.slice(1, 2) : args.slice(jqueryDeep ? 2 : 1);
        for (const input of inputs) {
            const taint = context.tainted(input, 'proto');
            if (taint && (setter || taint.objectLike)) {
                context.report('code-prototype-pollution', call, `${name}() ${setter ? 'writes at a property path' : 'deep-merges an object'} that`, taint);
                break;
            }
        }
    }
    for (const assignment of context.model.assignments) {
        const left = unwrap(child(assignment, 'left'));
        const inner = isMember(left) && left['computed'] ? unwrap(child(left, 'object')) : undefined;
        if (!isMember(inner) || !inner['computed'])
            continue;
        const taint = context.tainted(child(inner, 'property'), 'proto');
        if (taint && context.tainted(child(left, 'property'), 'proto'))
            context.report('code-prototype-pollution', assignment, 'obj[key][key2] = value writes with keys where the first', taint);
    }
}
function checkDeserialization(context) {
    for (const call of context.model.calls) {
        const name = canonicalName(child(call, 'callee'), context.model) ?? '';
        const args = children(call, 'arguments');
        const always = /^(node-serialize\.unserialize|serialize-to-js\.deserialize|funcster\.deepDeserialize|cryo\.parse|js-yaml\.(unsafeLoad|unsafeLoadAll))$/.test(name);
        const yamlLoad = /^js-yaml\.(load|loadAll|safeLoad)$/.test(name);
        if (!always && !yamlLoad)
            continue;
        const taint = context.tainted(args[0], 'deserialization');
        const schema = canonicalName(objectProperties(context.valueOf(args[1])).get('schema'), context.model) ?? '';
        const fullSchema = /FULL_SCHEMA$/.test(schema);
        if (always && taint)
            context.report('code-insecure-deserialization', call, `${name}() runs code embedded in data; it`, taint);
        else if (always && context.constantString(args[0]) === undefined)
            context.report('code-insecure-deserialization', call, `${name}() runs code embedded in the data it reads`);
        else if (yamlLoad && fullSchema)
            context.report('code-insecure-deserialization', call, `${name}() with the full schema builds functions from YAML`);
        else if (yamlLoad && taint && name !== 'js-yaml.safeLoad')
            context.report('code-insecure-deserialization', call, `${name}() (unsafe in js-yaml < 4) parses data that`, taint);
    }
}

;// CONCATENATED MODULE: ./.build/security-scan/actions/security-scan/src/scanners/code/sinks/sql.js


const SQL_ONLY = new Set([
    'query',
    '$queryRawUnsafe',
    '$executeRawUnsafe',
    'raw',
    'unsafe',
    'whereRaw',
    'orWhereRaw',
    'havingRaw',
    'orderByRaw',
    'joinRaw',
    'groupByRaw',
    'selectRaw',
    'fromRaw',
    'literal',
]);
const SQL_SOMETIMES = new Set([
    'prepare',
    'exec',
    'execute',
    'run',
    'all',
    'get',
    'each',
    'where',
    'andWhere',
    'orWhere',
    'having',
]);
const sql_SQL_TEXT = /^\s*(select|insert|update|delete|replace|with|create|drop|alter|merge|truncate)\s|\bselect\s[\s\S]*\sfrom\s|\binsert\s+into\s|\bupdate\s+\S+\s+set\s|\bdelete\s+from\s|\bwhere\s+\w+\s*(=|like|in)\s*['"(]?$/i;
const NOT_A_DATABASE = /^(re|regex|regexp|pattern|matcher|map|cache|headers|params|searchParams|url|router|app|storage|localStorage|sessionStorage|formData|redis|client\.cache)$/i;
function checkSqlInjection(context) {
    for (const call of context.model.calls) {
        const method = calleeLastName(call);
        if (method === undefined || (!SQL_ONLY.has(method) && !SQL_SOMETIMES.has(method)))
            continue;
        const callee = unwrap(child(call, 'callee'));
        if (callee?.type === 'Identifier' && !SQL_ONLY.has(method))
            continue;
        const receiver = callee?.type === 'Identifier' ? undefined : unwrap(child(callee, 'object'));
        if (receiver?.type === 'RegExpLiteral' || NOT_A_DATABASE.test(keyName(receiver) ?? ''))
            continue;
        if (method === 'literal' &&
            !/^(sequelize|Sequelize)\./.test(canonicalName(callee, context.model) ?? 'sequelize.'))
            continue;
        const first = children(call, 'arguments')[0];
        const value = context.valueOf(first);
        const properties = objectProperties(value);
        const text = properties.get('sql') ??
            properties.get('text') ??
            (value?.type === 'ObjectExpression' ? undefined : first);
        if (!text)
            continue;
        const staticText = context.staticText(text) ?? '';
        const looksLikeSql = sql_SQL_TEXT.test(staticText);
        const taint = context.tainted(text, 'sql');
        if (taint && (SQL_ONLY.has(method) || looksLikeSql)) {
            context.report('code-sql-injection', call, `.${method}() runs SQL that`, taint);
        }
        else if (!taint && looksLikeSql && (context.isDynamicString(text) || isDynamicName(context, text))) {
            context.report('code-sql-injection', call, `.${method}() receives SQL built from a template or concatenation`);
        }
    }
}
function isDynamicName(context, node) {
    const expression = unwrap(node);
    if (expression?.type !== 'Identifier')
        return false;
    const binding = context.model.resolve(expression);
    if (!binding || binding.kind === 'param')
        return false;
    return binding.assignments.some((assignment) => assignment.props.length === 0 && context.isDynamicString(assignment.value));
}
const MONGO_METHODS = new Set([
    'find',
    'findOne',
    'findOneAndUpdate',
    'findOneAndDelete',
    'findOneAndReplace',
    'findOneAndRemove',
    'updateOne',
    'updateMany',
    'deleteOne',
    'deleteMany',
    'replaceOne',
    'countDocuments',
    'aggregate',
]);
function checkNosqlInjection(context) {
    for (const call of context.model.calls) {
        const method = calleeLastName(call);
        const args = children(call, 'arguments');
        if (method === '$where') {
            const taint = context.tainted(args[0], 'nosql');
            if (taint)
                context.report('code-nosql-injection', call, '$where() runs JavaScript on the database that', taint);
            else if (context.isDynamicString(args[0]))
                context.report('code-nosql-injection', call, '$where() runs JavaScript built by concatenation on the database');
            continue;
        }
        if (method === undefined ||
            !MONGO_METHODS.has(method) ||
            unwrap(child(call, 'callee'))?.type === 'Identifier')
            continue;
        const filter = context.valueOf(args[0]);
        if (!filter)
            continue;
        const values = filter.type === 'ObjectExpression' ? [...objectProperties(filter).values()] : [filter];
        for (const value of values) {
            const taint = context.tainted(value, 'nosql');
            if (taint?.objectLike) {
                context.report('code-nosql-injection', call, `.${method}() uses as a query filter an object that`, taint);
                break;
            }
        }
    }
    for (const object of context.model.objects) {
        const where = objectProperties(object).get('$where');
        if (!where || stringValue(where) !== undefined)
            continue;
        const taint = context.tainted(where, 'nosql');
        if (taint)
            context.report('code-nosql-injection', object, 'A $where clause runs JavaScript that', taint);
        else if (context.isDynamicString(where))
            context.report('code-nosql-injection', object, 'A $where clause runs JavaScript built by concatenation');
    }
}

;// CONCATENATED MODULE: ./.build/security-scan/actions/security-scan/src/scanners/code/sinks/xss.js



const RESPONSE_WRITES = new Set(['send', 'write', 'end', 'response']);
const HTML_PROPERTIES = new Set(['innerHTML', 'outerHTML', 'srcdoc']);
const JQUERY_HTML = new Set([
    'html',
    'append',
    'prepend',
    'after',
    'before',
    'replaceWith',
    'wrap',
    'wrapAll',
]);
const BYPASS = /^bypassSecurityTrust(Html|Script|Url|ResourceUrl|Style)$/;
const RAW_TEMPLATE_OUTPUT = /<%-|\{\{\{|\{\{&|!\{/;
function checkXss(context) {
    for (const call of context.model.calls) {
        const method = methodOf(call);
        const args = children(call, 'arguments');
        const name = canonicalName(child(call, 'callee'), context.model) ?? '';
        if (method !== undefined && RESPONSE_WRITES.has(method) && isResponseCall(context, call)) {
            const taint = context.tainted(args[0], 'xss');
            if (taint && !(taint.whole && taint.objectLike))
                context.report('code-xss', call, `${describeCall(call)} writes into the HTTP response a value that`, taint);
            continue;
        }
        if (method === 'insertAdjacentHTML' ||
            name === 'document.write' ||
            name === 'document.writeln' ||
            method === 'createContextualFragment') {
            const taint = context.tainted(method === 'insertAdjacentHTML' ? args[1] : args[0], 'xss');
            if (taint)
                context.report('code-xss', call, `${method ?? name}() inserts HTML that`, taint);
            continue;
        }
        if (method !== undefined &&
            JQUERY_HTML.has(method) &&
            isJqueryChain(context, child(unwrap(child(call, 'callee')), 'object'))) {
            const taint = context.tainted(args[0], 'xss');
            if (taint)
                context.report('code-xss', call, `jQuery .${method}() inserts HTML that`, taint);
            continue;
        }
        if ((name === '$' || name === 'jQuery' || name === 'jquery') && args.length === 1) {
            const taint = context.tainted(args[0], 'xss');
            if (taint)
                context.report('code-xss', call, `jQuery $() parses as HTML a value that`, taint);
            continue;
        }
        if (method !== undefined && BYPASS.test(method)) {
            const taint = context.tainted(args[0], 'xss');
            if (taint)
                context.report('code-xss', call, `${method}() marks as trusted a value that`, taint);
            continue;
        }
        if (/\.SafeString(\(\))?$/.test(name) || method === 'SafeString') {
            const taint = context.tainted(args[0], 'xss');
            if (taint)
                context.report('code-xss', call, 'SafeString() prints unescaped a value that', taint);
            continue;
        }
        if (/^(ejs|mustache|Mustache|handlebars|Handlebars|pug|nunjucks)\.(render|renderString)$/.test(name) &&
            args.length >= 2) {
            const template = context.staticText(args[0]) ?? '';
            const taint = RAW_TEMPLATE_OUTPUT.test(template) ? context.tainted(args[1], 'xss') : undefined;
            if (taint)
                context.report('code-xss', call, `${name}() prints unescaped (<%- or {{{) template data that`, taint);
        }
    }
    for (const assignment of context.model.assignments) {
        const left = unwrap(child(assignment, 'left'));
        if (!isMember(left))
            continue;
        const property = propertyName(left);
        if (property !== undefined && HTML_PROPERTIES.has(property)) {
            const taint = context.tainted(child(assignment, 'right'), 'xss');
            if (taint)
                context.report('code-xss', assignment, `Setting .${property} inserts HTML that`, taint);
        }
        else if (property === 'body') {
            const root = rootIdentifier(left);
            if (root?.['name'] !== 'ctx' || context.model.resolve(root)?.kind !== 'param')
                continue;
            const right = child(assignment, 'right');
            if (!/^\s*</.test(context.staticText(right) ?? ''))
                continue;
            const taint = context.tainted(right, 'xss');
            if (taint)
                context.report('code-xss', assignment, 'ctx.body serves as HTML a value that', taint);
        }
    }
    for (const attribute of context.model.jsxAttributes) {
        if (keyName(child(attribute, 'name')) !== 'dangerouslySetInnerHTML' &&
            child(attribute, 'name')?.['name'] !== 'dangerouslySetInnerHTML')
            continue;
        const container = child(attribute, 'value');
        checkDangerousHtml(context, attribute, container ? child(container, 'expression') : undefined);
    }
    for (const object of context.model.objects) {
        const properties = objectProperties(object);
        const html = properties.get('dangerouslySetInnerHTML');
        if (html)
            checkDangerousHtml(context, object, html);
        const autoescape = properties.get('autoescape');
        const noEscape = properties.get('noEscape');
        if ((autoescape && booleanValue(autoescape) === false) || (noEscape && booleanValue(noEscape) === true))
            context.report('code-xss', object, `Template escaping is turned off (${autoescape ? 'autoescape: false' : 'noEscape: true'}): every printed value is raw HTML`);
    }
}
function checkDangerousHtml(context, at, value) {
    const html = objectProperties(context.valueOf(value)).get('__html');
    const taint = context.tainted(html ?? value, 'xss');
    if (taint)
        context.report('code-xss', at, 'dangerouslySetInnerHTML renders HTML that', taint);
}
function isJqueryChain(context, node) {
    let current = unwrap(node);
    while (current && (isMember(current) || current.type === 'CallExpression')) {
        if (current.type === 'CallExpression') {
            const name = canonicalName(child(current, 'callee'), context.model);
            if (name === '$' || name === 'jQuery' || name === 'jquery')
                return true;
            current = unwrap(child(current, 'callee'));
        }
        else
            current = unwrap(child(current, 'object'));
    }
    return current?.type === 'Identifier' && current['name'].startsWith('$');
}
function describeCall(call) {
    const callee = unwrap(child(call, 'callee'));
    const root = rootIdentifier(callee);
    return `${root?.['name'] ?? 'res'}.${methodOf(call) ?? 'send'}()`;
}

;// CONCATENATED MODULE: ./.build/security-scan/actions/security-scan/src/scanners/code/sanitizers.js



const { command, sql, nosql, xss, ssrf, path, redirect, code } = FAMILY;
const NUMERIC = /^(parseInt|parseFloat|Number|Boolean|isNaN|isFinite|Math\..*|Date\.parse|crypto\.randomUUID|uuid.*|.*\.(createHash|digest))$/;
const URL_COMPONENT = xss | ssrf | redirect | path | command;
function sanitizedFamilies(call, model) {
    const name = canonicalName(child(call, 'callee'), model) ?? '';
    const last = calleeLastName(call) ?? '';
    if (NUMERIC.test(name) || NUMERIC.test(last))
        return ALL_FAMILIES;
    if (last === 'encodeURIComponent' || name === 'querystring.escape')
        return URL_COMPONENT;
    if (name === 'path.basename')
        return path;
    if (name === 'String' || last === 'toString')
        return nosql;
    if (/^(unescape|decode)/i.test(last))
        return undefined;
    if (/sanitiz|purify|^clean$|^xss$|filterXSS/i.test(last) ||
        /^(dompurify|isomorphic-dompurify|sanitize-html|xss)\b/i.test(name))
        return ALL_FAMILIES & ~code;
    if (/escape|encodeHtml|htmlEncode|encodeEntities|^encode$|quote/i.test(last) && last !== 'encodeURI')
        return /regexp|regex/i.test(last) ? 0 : xss | sql | nosql | command;
    if (name === 'mongo-sanitize' || last === 'mongoSanitize')
        return nosql;
    return undefined;
}
const ALLOW_LIST_METHODS = new Set(['includes', 'has', 'indexOf', 'some', 'find', 'every']);
const VALIDATOR_NAME = /^(is|validate|check|assert|verify|allowed|safe|valid|whitelist|allowlist)/i;
function guardedBindings(model) {
    const guarded = new Map();
    const mark = (node, mask) => {
        const root = rootIdentifier(node);
        const binding = root ? model.resolve(root) : undefined;
        if (binding)
            guarded.set(binding, (guarded.get(binding) ?? 0) | mask);
    };
    const visit = (node, depth) => {
        const expression = unwrap(node);
        if (!expression || depth > 6)
            return;
        switch (expression.type) {
            case 'LogicalExpression':
                visit(child(expression, 'left'), depth + 1);
                visit(child(expression, 'right'), depth + 1);
                return;
            case 'UnaryExpression':
                visit(child(expression, 'argument'), depth + 1);
                return;
            case 'BinaryExpression': {
                const left = unwrap(child(expression, 'left'));
                const right = unwrap(child(expression, 'right'));
                const operator = expression['operator'];
                if (operator === '===' || operator === '==' || operator === '!==' || operator === '!=') {
                    if (left?.type === 'UnaryExpression' && left['operator'] === 'typeof')
                        mark(child(left, 'argument'), nosql);
                    else if (right?.type === 'UnaryExpression' && right['operator'] === 'typeof')
                        mark(child(right, 'argument'), nosql);
                    else if (stringValue(right) !== undefined)
                        mark(left, ALL_FAMILIES);
                    else if (stringValue(left) !== undefined)
                        mark(right, ALL_FAMILIES);
                    else {
                        visit(left, depth + 1);
                        visit(right, depth + 1);
                    }
                }
                return;
            }
            case 'CallExpression':
            case 'OptionalCallExpression': {
                const callee = unwrap(child(expression, 'callee'));
                const method = isMember(callee) ? propertyName(callee) : undefined;
                const last = calleeLastName(expression) ?? '';
                const args = children(expression, 'arguments');
                if (method === 'startsWith')
                    mark(child(callee, 'object'), path | ssrf | redirect);
                else if (method !== undefined && ALLOW_LIST_METHODS.has(method))
                    args.forEach((arg) => mark(arg, ALL_FAMILIES));
                else if (method === 'test')
                    args.forEach((arg) => mark(arg, ALL_FAMILIES));
                else if (method === 'match')
                    mark(child(callee, 'object'), ALL_FAMILIES);
                else if (VALIDATOR_NAME.test(last))
                    args.forEach((arg) => mark(arg, ALL_FAMILIES));
                return;
            }
            default:
        }
    };
    for (const condition of model.conditions)
        visit(condition, 0);
    return guarded;
}

;// CONCATENATED MODULE: ./.build/security-scan/actions/security-scan/src/scanners/code/sources.js



const REQUEST_NAMES = new Set(['req', 'request', 'ctx', 'context', 'httpRequest']);
const sources_REQUEST_FIELDS = new Map([
    ['query', true],
    ['params', false],
    ['body', true],
    ['payload', true],
    ['headers', false],
    ['cookies', false],
    ['signedCookies', false],
    ['url', false],
    ['originalUrl', false],
    ['path', false],
    ['querystring', false],
    ['search', false],
    ['href', false],
    ['nextUrl', false],
    ['searchParams', false],
    ['files', true],
    ['file', true],
    ['rawBody', false],
]);
const REQUEST_METHODS = new Map([
    ['get', false],
    ['header', false],
    ['param', false],
    ['json', true],
    ['text', false],
    ['formData', true],
]);
const LAMBDA_FIELDS = new Map([
    ['body', false],
    ['queryStringParameters', true],
    ['multiValueQueryStringParameters', true],
    ['pathParameters', true],
    ['headers', true],
    ['multiValueHeaders', true],
    ['rawPath', false],
    ['rawQueryString', false],
    ['cookies', true],
]);
const LAMBDA_NAMES = new Set(['event', 'evt', 'apiGatewayEvent']);
const NEST_SOURCES = new Set([
    'Query',
    'Body',
    'Param',
    'Headers',
    'Cookies',
    'UploadedFile',
    'UploadedFiles',
    'Ip',
    'HostParam',
]);
const NEST_REQUEST = new Set(['Req', 'Request']);
const LOCATION_FIELDS = new Set(['hash', 'search', 'href', 'pathname', 'toString']);
const DOCUMENT_SOURCES = new Set([
    'document.URL',
    'document.documentURI',
    'document.baseURI',
    'document.referrer',
    'document.cookie',
    'name',
]);
const LOCAL_USER_FAMILIES = FAMILY.path | FAMILY.ssrf | FAMILY.redirect | FAMILY.xss | FAMILY.proto | FAMILY.cors | FAMILY.nosql;
class SourceFinder {
    messageHandlers = new Set();
    model;
    constructor(model) {
        this.model = model;
        for (const call of model.calls) {
            const callee = unwrap(child(call, 'callee'));
            const args = children(call, 'arguments');
            if (isMember(callee) &&
                propertyName(callee) === 'addEventListener' &&
                stringValue(args[0]) === 'message') {
                const handler = this.functionOf(args[1]);
                if (handler)
                    this.messageHandlers.add(handler);
            }
        }
        for (const assignment of model.assignments) {
            const left = unwrap(child(assignment, 'left'));
            if ((left?.type === 'Identifier' && left['name'] === 'onmessage') ||
                (isMember(left) && propertyName(left) === 'onmessage')) {
                const handler = this.functionOf(child(assignment, 'right'));
                if (handler)
                    this.messageHandlers.add(handler);
            }
        }
    }
    functionOf(node) {
        const expression = unwrap(node);
        if (isFunction(expression))
            return expression;
        if (expression?.type === 'Identifier') {
            const value = this.model
                .resolve(expression)
                ?.assignments.find((assignment) => isFunction(assignment.value));
            return value?.value;
        }
        return undefined;
    }
    isMessageHandler(fn) {
        return this.messageHandlers.has(fn);
    }
    parameterSource(binding) {
        const decorators = binding.decorators ?? [];
        const nest = decorators.find((name) => NEST_SOURCES.has(name));
        if (nest)
            return {
                label: `@${nest}() ${binding.name}`,
                objectLike: nest === 'Body' || nest === 'Query',
                whole: false,
            };
        if (binding.param?.props[0] === 'searchParams' && binding.param.props.length === 1)
            return { label: `searchParams (Next.js page props)`, objectLike: false, whole: false };
        return undefined;
    }
    isRequest(node, depth = 0) {
        const expression = unwrap(node);
        if (!expression || depth > 4)
            return false;
        if (expression.type === 'Identifier') {
            const binding = this.model.resolve(expression);
            if (!binding)
                return false;
            if (binding.kind === 'param')
                return (binding.param?.props.length === 0 &&
                    (REQUEST_NAMES.has(binding.name) ||
                        (binding.decorators ?? []).some((name) => NEST_REQUEST.has(name))));
            return (binding.assignments.length === 1 &&
                binding.assignments[0].props.length === 0 &&
                !binding.assignments[0].into &&
                this.isRequest(binding.assignments[0].value, depth + 1));
        }
        if (isMember(expression)) {
            const name = propertyName(expression);
            return ((name === 'request' || name === 'req' || name === 'raw') &&
                this.isRequest(child(expression, 'object'), depth + 1));
        }
        return false;
    }
    isLambdaEvent(node) {
        const expression = unwrap(node);
        if (expression?.type !== 'Identifier')
            return false;
        const binding = this.model.resolve(expression);
        return (binding?.kind === 'param' &&
            binding.param?.props.length === 0 &&
            LAMBDA_NAMES.has(binding.name) &&
            !this.isMessageHandler(binding.param.fn));
    }
    isMessageEvent(node) {
        const expression = unwrap(node);
        if (expression?.type !== 'Identifier')
            return false;
        const binding = this.model.resolve(expression);
        return (binding?.kind === 'param' &&
            binding.param?.index === 0 &&
            binding.param.props.length === 0 &&
            this.isMessageHandler(binding.param.fn));
    }
    fieldSource(object, field) {
        if (field === undefined || !object)
            return undefined;
        if (sources_REQUEST_FIELDS.has(field) && this.isRequest(object))
            return {
                label: `${describe(object)}.${field}`,
                objectLike: sources_REQUEST_FIELDS.get(field),
                whole: true,
                ...(field === 'headers' || field === 'cookies' || field === 'signedCookies'
                    ? { notFor: FAMILY.xss }
                    : {}),
            };
        if (LAMBDA_FIELDS.has(field) && this.isLambdaEvent(object))
            return {
                label: `${describe(object)}.${field} (Lambda event)`,
                objectLike: LAMBDA_FIELDS.get(field),
                whole: true,
            };
        if (field === 'data' && this.isMessageEvent(object))
            return { label: `${describe(object)}.data (postMessage)`, objectLike: true, whole: false };
        const base = canonicalName(object, this.model);
        if (base === 'location' && LOCATION_FIELDS.has(field))
            return { label: `location.${field}`, objectLike: false, whole: false };
        if (base !== undefined && DOCUMENT_SOURCES.has(`${base}.${field}`))
            return { label: `${base}.${field}`, objectLike: false, whole: false };
        if (base === 'window' && field === 'name')
            return { label: 'window.name', objectLike: false, whole: false };
        if ((base === 'process' && field === 'argv') || (base === 'Deno' && field === 'args'))
            return { label: `${base}.${field}`, objectLike: false, whole: true, notFor: LOCAL_USER_FAMILIES };
        return undefined;
    }
    callSource(call) {
        const callee = unwrap(child(call, 'callee'));
        if (!isMember(callee))
            return undefined;
        const method = propertyName(callee);
        if (method === undefined || !REQUEST_METHODS.has(method))
            return undefined;
        const object = child(callee, 'object');
        const cookies = isMember(unwrap(object)) &&
            propertyName(unwrap(object)) === 'cookies' &&
            this.isRequest(child(unwrap(object), 'object'));
        if (this.isRequest(object) || cookies)
            return { label: `${describe(callee)}()`, objectLike: REQUEST_METHODS.get(method), whole: false };
        return undefined;
    }
    identifierSource(identifier) {
        if (this.model.resolve(identifier))
            return undefined;
        return identifier['name'] === 'location'
            ? { label: 'location', objectLike: false, whole: false }
            : undefined;
    }
}

;// CONCATENATED MODULE: ./.build/security-scan/actions/security-scan/src/scanners/code/taint.js




const OPAQUE_METHODS = new Set([
    'includes',
    'startsWith',
    'endsWith',
    'indexOf',
    'lastIndexOf',
    'test',
    'has',
    'localeCompare',
    'charCodeAt',
    'codePointAt',
    'every',
    'some',
    'findIndex',
    'getTime',
    'valueOf',
    'length',
    'size',
    'keys',
]);
const PASS_THROUGH = /^(String|JSON\.parse|JSON\.stringify|decodeURIComponent|decodeURI|unescape|atob|Buffer\.from|util\.format|format|path\.(join|resolve|normalize|relative|posix\.join|win32\.join)|url\.(parse|resolve|format)|URL|URLSearchParams|querystring\.parse|qs\.parse|Array\.from|Object\.assign|Object\.values|Object\.entries|structuredClone|Symbol)(\(\))?$/;
const ELEMENT_CALLBACKS = new Set(['forEach', 'map', 'flatMap', 'filter', 'find', 'some', 'every', 'then']);
class TaintEngine {
    sources;
    guards;
    bindingMemo = new Map();
    returnMemo = new Map();
    expressionMemo = new Map();
    callSites = new Map();
    callbackReceivers = new Map();
    model;
    constructor(model) {
        this.model = model;
        this.sources = new SourceFinder(model);
        this.guards = guardedBindings(model);
        for (const call of model.calls) {
            const callee = unwrap(child(call, 'callee'));
            const target = this.sources.functionOf(callee);
            if (target) {
                const sites = this.callSites.get(target) ?? [];
                sites.push(call);
                this.callSites.set(target, sites);
            }
            if (isMember(callee) && ELEMENT_CALLBACKS.has(propertyName(callee) ?? '')) {
                const callback = this.sources.functionOf(children(call, 'arguments')[0]);
                if (callback)
                    this.callbackReceivers.set(callback, child(callee, 'object'));
            }
        }
    }
    of(node) {
        const expression = unwrap(node);
        if (!expression)
            return undefined;
        const memo = this.expressionMemo.get(expression);
        if (memo !== undefined)
            return memo ?? undefined;
        this.expressionMemo.set(expression, null);
        const taint = this.compute(expression);
        this.expressionMemo.set(expression, taint ?? null);
        return taint;
    }
    fromSource(source, node) {
        return {
            source: source.label,
            hops: [{ node, message: `source: ${source.label}` }],
            cleared: source.notFor ?? 0,
            objectLike: source.objectLike,
            whole: source.whole,
        };
    }
    compute(expression) {
        switch (expression.type) {
            case 'Identifier': {
                const binding = this.model.resolve(expression);
                if (binding)
                    return this.ofBinding(binding);
                const source = this.sources.identifierSource(expression);
                return source ? this.fromSource(source, expression) : undefined;
            }
            case 'MemberExpression':
            case 'OptionalMemberExpression': {
                const object = child(expression, 'object');
                const name = propertyName(expression);
                const source = this.sources.fieldSource(object, name);
                if (source)
                    return this.fromSource(source, expression);
                if (name !== undefined && OPAQUE_METHODS.has(name))
                    return undefined;
                const taint = this.of(object);
                return taint ? { ...taint, whole: false } : undefined;
            }
            case 'TemplateLiteral':
                return asText(firstTaint(children(expression, 'expressions'), this));
            case 'BinaryExpression':
                return expression['operator'] === '+'
                    ? asText(this.of(child(expression, 'left')) ?? this.of(child(expression, 'right')))
                    : undefined;
            case 'LogicalExpression':
                return this.of(child(expression, 'left')) ?? this.of(child(expression, 'right'));
            case 'ConditionalExpression':
                return this.of(child(expression, 'consequent')) ?? this.of(child(expression, 'alternate'));
            case 'AssignmentExpression':
                return this.of(child(expression, 'right'));
            case 'SequenceExpression':
                return this.of(children(expression, 'expressions').at(-1));
            case 'SpreadElement':
                return this.of(child(expression, 'argument'));
            case 'ArrayExpression': {
                const taint = firstTaint(children(expression, 'elements'), this);
                return taint ? { ...taint, whole: false } : undefined;
            }
            case 'ObjectExpression': {
                const values = children(expression, 'properties').map((property) => property.type === 'SpreadElement' ? property : child(property, 'value'));
                const taint = firstTaint(values.filter((value) => value !== undefined && !isFunction(value)), this);
                return taint ? { ...taint, whole: false, objectLike: true } : undefined;
            }
            case 'CallExpression':
            case 'OptionalCallExpression':
            case 'NewExpression':
                return this.ofCall(expression);
            default:
                return undefined;
        }
    }
    ofCall(call) {
        const source = this.sources.callSource(call);
        if (source)
            return this.fromSource(source, call);
        const args = children(call, 'arguments');
        const sanitized = sanitizedFamilies(call, this.model);
        if (sanitized !== undefined) {
            const taint = firstTaint(args, this) ?? this.of(receiverOf(call));
            return taint
                ? { ...taint, cleared: taint.cleared | sanitized, objectLike: false, whole: false }
                : undefined;
        }
        const callee = unwrap(child(call, 'callee'));
        const target = this.sources.functionOf(callee);
        if (target) {
            const taint = this.ofReturn(target);
            return taint ? step(taint, call, `returned by ${describe(callee)}()`) : undefined;
        }
        const name = canonicalName(callee, this.model);
        if (name !== undefined && PASS_THROUGH.test(name)) {
            const taint = firstTaint(args, this);
            if (!taint)
                return undefined;
            return name.startsWith('JSON.parse') ? { ...taint, objectLike: true } : asText(taint);
        }
        if (isMember(callee)) {
            const method = propertyName(callee);
            if (method === undefined || OPAQUE_METHODS.has(method))
                return undefined;
            const receiver = this.of(child(callee, 'object'));
            if (receiver)
                return asText(receiver);
            if (method === 'concat' || method === 'join' || method === 'replace' || method === 'replaceAll')
                return asText(firstTaint(args, this));
        }
        return undefined;
    }
    ofReturn(fn) {
        const memo = this.returnMemo.get(fn);
        if (memo !== undefined)
            return memo ?? undefined;
        this.returnMemo.set(fn, null);
        const taint = firstTaint(this.model.returns.get(fn) ?? [], this);
        this.returnMemo.set(fn, taint ?? null);
        return taint;
    }
    ofBinding(binding) {
        const memo = this.bindingMemo.get(binding);
        if (memo !== undefined)
            return memo ?? undefined;
        this.bindingMemo.set(binding, null);
        let taint = this.computeBinding(binding);
        const guard = this.guards.get(binding);
        if (taint && guard)
            taint = { ...taint, cleared: taint.cleared | guard };
        this.bindingMemo.set(binding, taint ?? null);
        return taint;
    }
    computeBinding(binding) {
        const parameter = this.sources.parameterSource(binding);
        if (parameter)
            return this.fromSource(parameter, binding.id);
        if (binding.param) {
            const { fn, index, props } = binding.param;
            for (const call of this.callSites.get(fn) ?? []) {
                const argument = children(call, 'arguments')[index];
                const taint = argument && this.readPath(argument, props, binding.id);
                if (taint)
                    return step(taint, binding.id, `passed to parameter ${binding.name}`);
            }
            const receiver = index === 0 ? this.callbackReceivers.get(fn) : undefined;
            const taint = receiver && this.of(receiver);
            if (taint)
                return step(taint, binding.id, `element flows into ${binding.name}`);
        }
        for (const assignment of binding.assignments) {
            const taint = this.readPath(assignment.value, assignment.props, assignment.at);
            if (taint)
                return step(taint, assignment.at, `flows into ${binding.name}`);
        }
        return undefined;
    }
    readPath(value, props, at) {
        const first = props[0];
        if (first !== undefined && first !== '*' && first !== '[]') {
            const source = this.sources.fieldSource(value, first);
            if (source)
                return this.fromSource(source, at);
            if (OPAQUE_METHODS.has(first))
                return undefined;
        }
        const taint = this.of(value);
        return taint && props.length > 0 ? { ...taint, whole: false } : taint;
    }
}
function firstTaint(nodes, engine) {
    for (const node of nodes) {
        const taint = engine.of(node);
        if (taint)
            return taint;
    }
    return undefined;
}
function asText(taint) {
    return taint ? { ...taint, objectLike: false, whole: false } : undefined;
}
function step(taint, node, message) {
    return { ...taint, hops: [...taint.hops, { node, message }] };
}

;// CONCATENATED MODULE: ./.build/security-scan/actions/security-scan/src/scanners/code/index.js












const SOURCE_EXTENSION = /\.(?:[cm]?[jt]s|[jt]sx)$/;
const MAX_SOURCE_BYTES = 512 * 1024;
const isSourcePath = (path) => SOURCE_EXTENSION.test(path) && !/\.d\.[cm]?ts$/.test(path) && !/(^|\/)node_modules\//.test(path);
const BUNDLE_MARKS = /^\/\*{6}\/|^\/\*{3}\/ |function __nccwpck_require__\(/m;
function skipReason(file) {
    if (/\.min\.js$/.test(file.path))
        return 'minified (.min.js)';
    if (file.text.length > MAX_SOURCE_BYTES)
        return `larger than ${MAX_SOURCE_BYTES / 1024} KiB (${Math.round(file.text.length / 1024)} KiB)`;
    if (BUNDLE_MARKS.test(file.text))
        return 'a bundle (webpack/ncc output); its sources are scanned where they live';
    return undefined;
}
const MINIFIED_MIN_BYTES = 32 * 1024;
const MINIFIED_LINE_LENGTH = 500;
function minifiedLineLength(text) {
    if (text.length < MINIFIED_MIN_BYTES)
        return undefined;
    const maxLines = text.length / MINIFIED_LINE_LENGTH;
    let lines = 1;
    for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1))
        if (++lines > maxLines)
            return undefined;
    return Math.round(text.length / lines);
}
function isScannableSource(file) {
    return isSourcePath(file.path) && skipReason(file) === undefined;
}
function scanFile(file, result) {
    const text = file.text;
    if (!mayHaveFindings(text))
        return;
    const minified = minifiedLineLength(text);
    if (minified !== undefined) {
        result.skipped.push({
            file: file.path,
            reason: `minified (lines of ${minified} characters on average): generated code, not parsed`,
        });
        return;
    }
    const parsed = parseSource(file.path, text);
    result.parsed++;
    if ('error' in parsed) {
        result.unparsable.push({ file: file.path, reason: parsed.error });
        return;
    }
    try {
        result.findings.push(...analyse(file, parsed.program));
    }
    catch (error) {
        result.unparsable.push({
            file: file.path,
            reason: `not analysed: ${error instanceof Error ? error.message : String(error)}`,
        });
    }
}
const CHECKS = [
    checkCommandInjection,
    checkCodeInjection,
    checkSqlInjection,
    checkNosqlInjection,
    checkXss,
    checkSsrf,
    checkPathTraversal,
    checkOpenRedirect,
    checkXxe,
    checkPrototypePollution,
    checkDeserialization,
    checkSettings,
];
function analyse(file, program) {
    const model = buildModel(program);
    const context = new SinkContext(file, program, model, new TaintEngine(model));
    for (const check of CHECKS)
        check(context);
    return context.findings.sort((a, b) => a.line - b.line || a.ruleId.localeCompare(b.ruleId));
}
function scanCodeFiles(files) {
    const result = { findings: [], unparsable: [], skipped: [], parsed: 0 };
    for (const file of files) {
        if (!isSourcePath(file.path))
            continue;
        const reason = skipReason(file);
        if (reason === undefined)
            scanFile(file, result);
        else
            result.skipped.push({ file: file.path, reason });
    }
    return result;
}
function scanCode(files) {
    return scanCodeFiles(files).findings;
}

;// CONCATENATED MODULE: ./.build/security-scan/actions/security-scan/src/scanners/code.js



/***/ })

};
