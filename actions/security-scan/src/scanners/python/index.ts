import type { Node } from 'web-tree-sitter';

import type { Finding, SourceFile } from '../../findings.js';
import { makeFinding } from '../../rules.js';
import {
  assignedValue,
  callArguments,
  importAliases,
  isConstantString,
  qualifiedName,
  stringValue,
} from './names.js';
import { pythonParser } from './parser.js';

export function isPythonFile(path: string): boolean {
  return path.endsWith('.py') && !/(^|\/)(\.venv|venv|site-packages|node_modules)\//.test(path);
}

const SHELL_CALLS = new Set(
  ['run', 'call', 'check_call', 'check_output', 'Popen'].map((name) => `subprocess.${name}`),
);
const ALWAYS_SHELL = new Set(['os.system', 'os.popen', 'subprocess.getoutput', 'subprocess.getstatusoutput']);
const DESERIALIZERS = new Set(
  ['pickle', 'cPickle', '_pickle', 'dill', 'marshal'].flatMap((module) => [
    `${module}.loads`,
    `${module}.load`,
    `${module}.Unpickler`,
  ]),
);
const SAFE_YAML_LOADERS = /(^|\.)(SafeLoader|CSafeLoader|BaseLoader|CBaseLoader)$/;
const FAST_HASHES = new Set(
  ['md5', 'sha1', 'sha224', 'sha256', 'sha384', 'sha512', 'new'].map((name) => `hashlib.${name}`),
);
const PASSWORD_NAME = /(^|_)(pass(word|wd|phrase)?|pwd|pw|secret)$/i;
const HTTP_MODULES = /^(requests|httpx)(\.|$)/;

interface Context {
  file: SourceFile;
  aliases: Map<string, string>;
  findings: Finding[];
}

function report(context: Context, ruleId: string, node: Node, message: string): void {
  context.findings.push(
    makeFinding(ruleId, context.file.path, node.startPosition.row + 1, message, {
      column: node.startPosition.column + 1,
    }),
  );
}

function isTrue(node: Node | undefined): boolean {
  return node?.type === 'true';
}

/** An expression that builds a string from run-time values: f-string, `%`, `+`, `.format()`. */
function isBuiltString(node: Node | null, depth = 0): boolean {
  if (!node || depth > 3) return false;
  if (node.type === 'string') return node.namedChildren.some((child) => child?.type === 'interpolation');
  if (node.type === 'binary_operator') {
    const operator = node.childForFieldName('operator')?.text;
    const left = node.childForFieldName('left');
    if (operator === '%') return left?.type === 'string' || isBuiltString(left, depth + 1);
    if (operator === '+')
      return !isConstantString(node) && (isStringy(left) || isStringy(node.childForFieldName('right')));
  }
  if (node.type === 'call') {
    const fn = node.childForFieldName('function');
    return (
      fn?.type === 'attribute' &&
      fn.childForFieldName('attribute')?.text === 'format' &&
      isStringy(fn.childForFieldName('object'))
    );
  }
  if (node.type === 'identifier') return isBuiltString(assignedValue(node), depth + 1);
  return false;
}

function isStringy(node: Node | null): boolean {
  return !!node && (node.type === 'string' || node.type === 'concatenated_string' || isBuiltString(node));
}

function checkCall(call: Node, context: Context): void {
  const name = qualifiedName(call.childForFieldName('function'), context.aliases) ?? '';
  const method = call.childForFieldName('function')?.childForFieldName('attribute')?.text;
  const { positional, keywords } = callArguments(call);
  const first = positional[0] ?? keywords.get('args') ?? keywords.get('cmd') ?? null;

  if (
    SHELL_CALLS.has(name) &&
    isTrue(keywords.get('shell')) &&
    first &&
    !isConstantString(first) &&
    first.type !== 'list'
  ) {
    report(
      context,
      'code-py-shell-injection',
      call,
      `${name}(..., shell=True) runs a command built at run time through a shell.`,
    );
  } else if (ALWAYS_SHELL.has(name) && first && !isConstantString(first)) {
    report(
      context,
      'code-py-shell-injection',
      call,
      `${name}() runs a command built at run time through a shell.`,
    );
  }
  if ((name === 'eval' || name === 'exec') && first && !isConstantString(first)) {
    report(context, 'code-py-eval', call, `${name}() runs a string built at run time as Python code.`);
  }
  if (DESERIALIZERS.has(name)) {
    report(
      context,
      'code-py-deserialization',
      call,
      `${name}() can run arbitrary code from the data it reads.`,
    );
  }
  if (name === 'yaml.load' || name === 'yaml.load_all') {
    const loader = keywords.get('Loader') ?? positional[1];
    const loaderName = loader ? qualifiedName(loader, context.aliases) : undefined;
    if (!loaderName || !SAFE_YAML_LOADERS.test(loaderName)) {
      report(
        context,
        'code-py-yaml-load',
        call,
        `${name}() without a safe Loader can build arbitrary Python objects.`,
      );
    }
  } else if (name === 'yaml.unsafe_load' || name === 'yaml.unsafe_load_all') {
    report(context, 'code-py-yaml-load', call, `${name}() can build arbitrary Python objects.`);
  }
  if (
    (method === 'execute' || method === 'executemany' || method === 'executescript') &&
    isBuiltString(first)
  ) {
    report(
      context,
      'code-py-sql-injection',
      call,
      `SQL passed to ${method}() is built from run-time values instead of placeholders.`,
    );
  }
  const verify = keywords.get('verify');
  if (verify?.type === 'false' && HTTP_MODULES.test(name)) {
    report(context, 'code-py-tls-disabled', call, `${name}(..., verify=False) accepts any certificate.`);
  } else if (
    verify?.type === 'false' &&
    [...context.aliases.values()].some((module) => HTTP_MODULES.test(module))
  ) {
    report(
      context,
      'code-py-tls-disabled',
      call,
      `${method ?? name}(..., verify=False) accepts any certificate.`,
    );
  }
  if (
    method === 'run' &&
    isTrue(keywords.get('debug')) &&
    [...context.aliases.values()].some((module) => /^flask(\.|$)/.test(module))
  ) {
    report(
      context,
      'code-py-flask-debug',
      call,
      'The Flask app runs with debug=True: the Werkzeug debugger runs code for anyone who reaches it.',
    );
  }
  if (FAST_HASHES.has(name)) {
    const hashed = [...positional, ...keywords.values()].map((argument) => argument.text).join(' ');
    const target = call.parent?.type === 'assignment' ? call.parent.childForFieldName('left')?.text : '';
    const algorithm =
      name === 'hashlib.new' ? (stringValue(positional[0] ?? null) ?? 'new') : name.slice('hashlib.'.length);
    if (/pass(word|wd)?|pwd/i.test(`${hashed} ${target ?? ''}`) && !/scrypt|pbkdf2/.test(algorithm)) {
      report(
        context,
        'code-py-weak-password-hash',
        call,
        `A password is hashed with ${algorithm}, which is fast to brute-force.`,
      );
    }
  }
  if (name === 'tempfile.mktemp') {
    report(
      context,
      'code-py-mktemp',
      call,
      'tempfile.mktemp() returns a name another process can create first.',
    );
  }
  for (const [keyword, value] of keywords) {
    if (PASSWORD_NAME.test(keyword) && isSecretLiteral(value)) {
      report(
        context,
        'code-py-hardcoded-password',
        value,
        `The ${keyword}= argument is a string literal in the source.`,
      );
    }
  }
}

/** A non-empty literal that is not a placeholder. */
function isSecretLiteral(node: Node | null): boolean {
  const value = stringValue(node);
  return (
    value !== undefined && value.length > 0 && !/^(\*+|x+|changeme|<.*>|\$\{.*\}|%\(.*\)s)$/i.test(value)
  );
}

function checkAssignment(node: Node, context: Context): void {
  const left = node.childForFieldName('left');
  const right = node.childForFieldName('right');
  const name =
    left?.type === 'attribute'
      ? left.childForFieldName('attribute')?.text
      : left?.type === 'identifier'
        ? left.text
        : undefined;
  if (name && PASSWORD_NAME.test(name) && isSecretLiteral(right)) {
    report(context, 'code-py-hardcoded-password', node, `${left!.text} is assigned a string literal.`);
  }
}

function checkDefault(node: Node, context: Context): void {
  const name = node.childForFieldName('name')?.text;
  if (name && PASSWORD_NAME.test(name) && isSecretLiteral(node.childForFieldName('value'))) {
    report(
      context,
      'code-py-hardcoded-password',
      node,
      `The default of parameter ${name} is a string literal.`,
    );
  }
}

function checkBindAll(node: Node, context: Context): void {
  if (stringValue(node) !== '0.0.0.0') return;
  const parent = node.parent;
  const argument =
    parent?.type === 'argument_list' ||
    (parent?.type === 'keyword_argument' &&
      /host|bind|addr|address|interface/i.test(parent.childForFieldName('name')?.text ?? '')) ||
    (parent?.type === 'tuple' && parent.parent?.type === 'argument_list');
  if (argument)
    report(context, 'code-py-bind-all', node, 'The server listens on every network interface (0.0.0.0).');
}

/** bandit's most important checks on every Python file, parsed with tree-sitter's Python grammar. */
export async function scanPython(files: readonly SourceFile[]): Promise<Finding[]> {
  const sources = files.filter((file) => isPythonFile(file.path));
  if (sources.length === 0) return [];
  const parser = await pythonParser();
  const findings: Finding[] = [];
  for (const file of sources) {
    const tree = parser.parse(file.text);
    if (!tree) continue;
    try {
      const context: Context = { file, aliases: importAliases(tree.rootNode), findings };
      for (const node of tree.rootNode.descendantsOfType([
        'call',
        'assignment',
        'default_parameter',
        'typed_default_parameter',
        'string',
      ])) {
        if (!node) continue;
        if (node.type === 'call') checkCall(node, context);
        else if (node.type === 'assignment') checkAssignment(node, context);
        else if (node.type === 'string') checkBindAll(node, context);
        else checkDefault(node, context);
      }
    } finally {
      tree.delete();
    }
  }
  return findings;
}
