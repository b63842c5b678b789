export const id = 273;
export const ids = [273];
export const modules = {

/***/ 4273:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  scanPython: () => (/* binding */ scanPython)
});

// UNUSED EXPORTS: isPythonFile

// EXTERNAL MODULE: ./.build/security-scan/actions/security-scan/src/rules.js + 4 modules
var rules = __webpack_require__(9849);
;// CONCATENATED MODULE: ./.build/security-scan/actions/security-scan/src/scanners/python/names.js
function importAliases(root) {
    const aliases = new Map();
    for (const statement of root.descendantsOfType(['import_statement', 'import_from_statement'])) {
        if (!statement)
            continue;
        const module = statement.type === 'import_from_statement'
            ? statement.childForFieldName('module_name')?.text
            : undefined;
        for (const name of statement.childrenForFieldName('name')) {
            if (!name)
                continue;
            const [path, alias] = name.type === 'aliased_import'
                ? [name.childForFieldName('name').text, name.childForFieldName('alias').text]
                : [name.text, module ? name.text : name.text.split('.')[0]];
            aliases.set(alias, module ? `${module}.${path}` : name.type === 'aliased_import' ? path : alias);
        }
    }
    return aliases;
}
function qualifiedName(node, aliases) {
    if (!node)
        return undefined;
    if (node.type === 'identifier')
        return aliases.get(node.text) ?? node.text;
    if (node.type === 'attribute') {
        const object = qualifiedName(node.childForFieldName('object'), aliases);
        const attribute = node.childForFieldName('attribute')?.text;
        return object && attribute ? `${object}.${attribute}` : attribute;
    }
    if (node.type === 'call')
        return qualifiedName(node.childForFieldName('function'), aliases);
    return undefined;
}
function isConstantString(node) {
    if (!node)
        return false;
    if (node.type === 'string')
        return !node.namedChildren.some((child) => child?.type === 'interpolation');
    if (node.type === 'concatenated_string')
        return node.namedChildren.every((child) => isConstantString(child));
    if (node.type === 'parenthesized_expression')
        return isConstantString(node.namedChildren[0] ?? null);
    if (node.type === 'binary_operator') {
        return (node.childForFieldName('operator')?.text === '+' &&
            isConstantString(node.childForFieldName('left')) &&
            isConstantString(node.childForFieldName('right')));
    }
    return false;
}
function stringValue(node) {
    if (!node || node.type !== 'string' || !isConstantString(node))
        return undefined;
    return node.namedChildren
        .filter((child) => child?.type === 'string_content')
        .map((child) => child.text)
        .join('');
}
function callArguments(call) {
    const positional = [];
    const keywords = new Map();
    for (const argument of call.childForFieldName('arguments')?.namedChildren ?? []) {
        if (!argument || argument.type === 'comment')
            continue;
        if (argument.type === 'keyword_argument') {
            const name = argument.childForFieldName('name')?.text;
            const value = argument.childForFieldName('value');
            if (name && value)
                keywords.set(name, value);
        }
        else {
            positional.push(argument);
        }
    }
    return { positional, keywords };
}
function assignedValue(identifier) {
    let scope = identifier.parent;
    while (scope && scope.type !== 'function_definition' && scope.type !== 'module')
        scope = scope.parent;
    if (!scope)
        return null;
    let found = null;
    for (const assignment of scope.descendantsOfType('assignment')) {
        if (!assignment || assignment.startIndex >= identifier.startIndex)
            continue;
        if (assignment.childForFieldName('left')?.text === identifier.text)
            found = assignment.childForFieldName('right');
    }
    return found;
}

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:module"
var external_node_module_ = __webpack_require__(8995);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: external "node:url"
var external_node_url_ = __webpack_require__(3136);
// EXTERNAL MODULE: ./node_modules/web-tree-sitter/web-tree-sitter.js
var web_tree_sitter = __webpack_require__(33);
;// CONCATENATED MODULE: ./.build/security-scan/actions/security-scan/src/scanners/python/parser.js





const WASM_FILES = {
    runtime: 'web-tree-sitter/web-tree-sitter.wasm',
    python: 'tree-sitter-python/tree-sitter-python.wasm',
};
function readWasm(kind) {
    const beside = (0,external_node_path_.join)((0,external_node_path_.dirname)((0,external_node_url_.fileURLToPath)(import.meta.url)), (0,external_node_path_.basename)(WASM_FILES[kind]));
    if ((0,external_node_fs_.existsSync)(beside))
        return (0,external_node_fs_.readFileSync)(beside);
    return (0,external_node_fs_.readFileSync)((0,external_node_module_.createRequire)(import.meta.url).resolve(WASM_FILES[kind]));
}
async function initialiseOutsideNode(init) {
    const carrier = process;
    const before = carrier.type;
    carrier.type = 'renderer';
    let pending;
    try {
        pending = init();
    }
    finally {
        if (before === undefined)
            delete carrier.type;
        else
            carrier.type = before;
    }
    await pending;
}
let loading;
function pythonParser() {
    loading ??= (async () => {
        await initialiseOutsideNode(() => web_tree_sitter/* Parser */.iX.init({ wasmBinary: readWasm('runtime') }));
        const language = await web_tree_sitter/* Language */.TM.load(readWasm('python'));
        const parser = new web_tree_sitter/* Parser */.iX();
        parser.setLanguage(language);
        return parser;
    })();
    return loading;
}

;// CONCATENATED MODULE: ./.build/security-scan/actions/security-scan/src/scanners/python/index.js



function isPythonFile(path) {
    return path.endsWith('.py') && !/(^|\/)(\.venv|venv|site-packages|node_modules)\//.test(path);
}
const SHELL_CALLS = new Set(['run', 'call', 'check_call', 'check_output', 'Popen'].map((name) => `subprocess.${name}`));
const ALWAYS_SHELL = new Set(['os.system', 'os.popen', 'subprocess.getoutput', 'subprocess.getstatusoutput']);
const DESERIALIZERS = new Set(['pickle', 'cPickle', '_pickle', 'dill', 'marshal'].flatMap((module) => [
    `${module}.loads`,
    `${module}.load`,
    `${module}.Unpickler`,
]));
const SAFE_YAML_LOADERS = /(^|\.)(SafeLoader|CSafeLoader|BaseLoader|CBaseLoader)$/;
const FAST_HASHES = new Set(['md5', 'sha1', 'sha224', 'sha256', 'sha384', 'sha512', 'new'].map((name) => `hashlib.${name}`));
const PASSWORD_NAME = /(^|_)(pass(word|wd|phrase)?|pwd|pw|secret)$/i;
const HTTP_MODULES = /^(requests|httpx)(\.|$)/;
function report(context, ruleId, node, message) {
    context.findings.push((0,rules/* makeFinding */.MH)(ruleId, context.file.path, node.startPosition.row + 1, message, {
        column: node.startPosition.column + 1,
    }));
}
function isTrue(node) {
    return node?.type === 'true';
}
function isBuiltString(node, depth = 0) {
    if (!node || depth > 3)
        return false;
    if (node.type === 'string')
        return node.namedChildren.some((child) => child?.type === 'interpolation');
    if (node.type === 'binary_operator') {
        const operator = node.childForFieldName('operator')?.text;
        const left = node.childForFieldName('left');
        if (operator === '%')
            return left?.type === 'string' || isBuiltString(left, depth + 1);
        if (operator === '+')
            return !isConstantString(node) && (isStringy(left) || isStringy(node.childForFieldName('right')));
    }
    if (node.type === 'call') {
        const fn = node.childForFieldName('function');
        return (fn?.type === 'attribute' &&
            fn.childForFieldName('attribute')?.text === 'format' &&
            isStringy(fn.childForFieldName('object')));
    }
    if (node.type === 'identifier')
        return isBuiltString(assignedValue(node), depth + 1);
    return false;
}
function isStringy(node) {
    return !!node && (node.type === 'string' || node.type === 'concatenated_string' || isBuiltString(node));
}
function checkCall(call, context) {
    const name = qualifiedName(call.childForFieldName('function'), context.aliases) ?? '';
    const method = call.childForFieldName('function')?.childForFieldName('attribute')?.text;
    const { positional, keywords } = callArguments(call);
    const first = positional[0] ?? keywords.get('args') ?? keywords.get('cmd') ?? null;
    if (SHELL_CALLS.has(name) &&
        isTrue(keywords.get('shell')) &&
        first &&
        !isConstantString(first) &&
        first.type !== 'list') {
        report(context, 'code-py-shell-injection', call, `${name}(..., shell=True) runs a command built at run time through a shell.`);
    }
    else if (ALWAYS_SHELL.has(name) && first && !isConstantString(first)) {
        report(context, 'code-py-shell-injection', call, `${name}() runs a command built at run time through a shell.`);
    }
    if ((name === 'eval' || name === 'exec') && first && !isConstantString(first)) {
        report(context, 'code-py-eval', call, `${name}() runs a string built at run time as Python code.`);
    }
    if (DESERIALIZERS.has(name)) {
        report(context, 'code-py-deserialization', call, `${name}() can run arbitrary code from the data it reads.`);
    }
    if (name === 'yaml.load' || name === 'yaml.load_all') {
        const loader = keywords.get('Loader') ?? positional[1];
        const loaderName = loader ? qualifiedName(loader, context.aliases) : undefined;
        if (!loaderName || !SAFE_YAML_LOADERS.test(loaderName)) {
            report(context, 'code-py-yaml-load', call, `${name}() without a safe Loader can build arbitrary Python objects.`);
        }
    }
    else if (name === 'yaml.unsafe_load' || name === 'yaml.unsafe_load_all') {
        report(context, 'code-py-yaml-load', call, `${name}() can build arbitrary Python objects.`);
    }
    if ((method === 'execute' || method === 'executemany' || method === 'executescript') &&
        isBuiltString(first)) {
        report(context, 'code-py-sql-injection', call, `SQL passed to ${method}() is built from run-time values instead of placeholders.`);
    }
    const verify = keywords.get('verify');
    if (verify?.type === 'false' && HTTP_MODULES.test(name)) {
        report(context, 'code-py-tls-disabled', call, `${name}(..., verify=False) accepts any certificate.`);
    }
    else if (verify?.type === 'false' &&
        [...context.aliases.values()].some((module) => HTTP_MODULES.test(module))) {
        report(context, 'code-py-tls-disabled', call, `${method ?? name}(..., verify=False) accepts any certificate.`);
    }
    if (method === 'run' &&
        isTrue(keywords.get('debug')) &&
        [...context.aliases.values()].some((module) => /^flask(\.|$)/.test(module))) {
        report(context, 'code-py-flask-debug', call, 'The Flask app runs with debug=True: the Werkzeug debugger runs code for anyone who reaches it.');
    }
    if (FAST_HASHES.has(name)) {
        const hashed = [...positional, ...keywords.values()].map((argument) => argument.text).join(' ');
        const target = call.parent?.type === 'assignment' ? call.parent.childForFieldName('left')?.text : '';
        const algorithm = name === 'hashlib.new' ? (stringValue(positional[0] ?? null) ?? 'new') : name.slice('hashlib.'.length);
        if (/pass(word|wd)?|pwd/i.test(`${hashed} ${target ?? ''}`) && !/scrypt|pbkdf2/.test(algorithm)) {
            report(context, 'code-py-weak-password-hash', call, `A password is hashed with ${algorithm}, which is fast to brute-force.`);
        }
    }
    if (name === 'tempfile.mktemp') {
        report(context, 'code-py-mktemp', call, 'tempfile.mktemp() returns a name another process can create first.');
    }
    for (const [keyword, value] of keywords) {
        if (PASSWORD_NAME.test(keyword) && isSecretLiteral(value)) {
            report(context, 'code-py-hardcoded-password', value, `The ${keyword}= argument is a string literal in the source.`);
        }
    }
}
function isSecretLiteral(node) {
    const value = stringValue(node);
    return (value !== undefined && value.length > 0 && !/^(\*+|x+|changeme|<.*>|\$\{.*\}|%\(.*\)s)$/i.test(value));
}
function checkAssignment(node, context) {
    const left = node.childForFieldName('left');
    const right = node.childForFieldName('right');
    const name = left?.type === 'attribute'
        ? left.childForFieldName('attribute')?.text
        : left?.type === 'identifier'
            ? left.text
            : undefined;
    if (name && PASSWORD_NAME.test(name) && isSecretLiteral(right)) {
        report(context, 'code-py-hardcoded-password', node, `${left.text} is assigned a string literal.`);
    }
}
function checkDefault(node, context) {
    const name = node.childForFieldName('name')?.text;
    if (name && PASSWORD_NAME.test(name) && isSecretLiteral(node.childForFieldName('value'))) {
        report(context, 'code-py-hardcoded-password', node, `The default of parameter ${name} is a string literal.`);
    }
}
function checkBindAll(node, context) {
    if (stringValue(node) !== '0.0.0.0')
        return;
    const parent = node.parent;
    const argument = parent?.type === 'argument_list' ||
        (parent?.type === 'keyword_argument' &&
            /host|bind|addr|address|interface/i.test(parent.childForFieldName('name')?.text ?? '')) ||
        (parent?.type === 'tuple' && parent.parent?.type === 'argument_list');
    if (argument)
        report(context, 'code-py-bind-all', node, 'The server listens on every network interface (0.0.0.0).');
}
async function scanPython(files) {
    const sources = files.filter((file) => isPythonFile(file.path));
    if (sources.length === 0)
        return [];
    const parser = await pythonParser();
    const findings = [];
    for (const file of sources) {
        const tree = parser.parse(file.text);
        if (!tree)
            continue;
        try {
            const context = { file, aliases: importAliases(tree.rootNode), findings };
            for (const node of tree.rootNode.descendantsOfType([
                'call',
                'assignment',
                'default_parameter',
                'typed_default_parameter',
                'string',
            ])) {
                if (!node)
                    continue;
                if (node.type === 'call')
                    checkCall(node, context);
                else if (node.type === 'assignment')
                    checkAssignment(node, context);
                else if (node.type === 'string')
                    checkBindAll(node, context);
                else
                    checkDefault(node, context);
            }
        }
        finally {
            tree.delete();
        }
    }
    return findings;
}


/***/ })

};
