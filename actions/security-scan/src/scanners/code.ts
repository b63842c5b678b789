import { parse, type ParserPlugin } from '@babel/parser';

import type { Finding, SourceFile } from '../findings.js';
import { makeFinding } from '../rules.js';

/** The part of a Babel AST node the rules look at; the rules check `type` before reading fields. */
interface AstNode {
  type: string;
  loc?: { start: { line: number; column: number } } | null;
  [field: string]: unknown;
}

const SOURCE_EXTENSION = /\.(?:[cm]?[jt]s|[jt]sx)$/;
const MAX_SOURCE_BYTES = 512 * 1024;
const SQL_METHODS = new Set([
  'query',
  'prepare',
  'exec',
  'execute',
  'raw',
  'run',
  'all',
  'get',
  'each',
  '$queryRawUnsafe',
  '$executeRawUnsafe',
  'unsafe',
]);
const SQL_TEXT =
  /^\s*(select|insert|update|delete|replace|with|create|drop|alter|merge|truncate)\s|\bselect\s[\s\S]*\sfrom\s|\binsert\s+into\s|\bupdate\s+\S+\s+set\s|\bdelete\s+from\s|\bwhere\s+\w+\s*(=|like|in)\s*['"(]?$/i;
const SHELL_FUNCTIONS = new Set(['exec', 'execSync']);
const TOKEN_NAME =
  /token|secret|passw(or)?d|nonce|salt|session|api_?key|otp|csrf|credential|reset_?code|verification|invite_?code/i;
const CSRF_KEYS = new Set(['csrf', 'csrfprotection', 'xsrf', 'csrfcheck', 'checkcsrf']);

export function isScannableSource(file: SourceFile): boolean {
  if (!SOURCE_EXTENSION.test(file.path) || /\.d\.[cm]?ts$/.test(file.path) || /\.min\.js$/.test(file.path))
    return false;
  if (/(^|\/)node_modules\//.test(file.path) || file.text.length > MAX_SOURCE_BYTES) return false;
  // Bundles (ncc/webpack) are vendored code: their source is scanned where it lives.
  return !file.text.includes('__nccwpck_require__') && !file.text.startsWith('/******/');
}

function pluginsFor(path: string): ParserPlugin[] {
  if (/\.tsx$/.test(path)) return ['typescript', 'jsx'];
  if (/\.[cm]?ts$/.test(path)) return ['typescript'];
  return ['jsx'];
}

const SKIPPED_KEYS = new Set([
  'loc',
  'start',
  'end',
  'extra',
  'leadingComments',
  'trailingComments',
  'innerComments',
]);

function isNode(value: unknown): value is AstNode {
  return typeof value === 'object' && value !== null && typeof (value as AstNode).type === 'string';
}

/** Depth-first walk handing each node its ancestors (nearest last). */
function walk(
  node: AstNode,
  visit: (node: AstNode, ancestors: readonly AstNode[]) => void,
  ancestors: AstNode[] = [],
): void {
  visit(node, ancestors);
  ancestors.push(node);
  for (const key in node) {
    if (SKIPPED_KEYS.has(key)) continue;
    const value = node[key];
    if (typeof value !== 'object' || value === null) continue;
    if (Array.isArray(value)) {
      for (const item of value) if (isNode(item)) walk(item, visit, ancestors);
    } else if (isNode(value)) {
      walk(value, visit, ancestors);
    }
  }
  ancestors.pop();
}

function nameOf(node: unknown): string | undefined {
  if (!isNode(node)) return undefined;
  if (node.type === 'Identifier' || node.type === 'PrivateName')
    return (node['name'] as string | undefined) ?? nameOf(node['id']);
  if (node.type === 'StringLiteral') return node['value'] as string;
  if (node.type === 'MemberExpression' || node.type === 'OptionalMemberExpression')
    return nameOf(node['property']);
  return undefined;
}

function isConstantString(node: unknown): boolean {
  if (!isNode(node)) return false;
  if (node.type === 'StringLiteral') return true;
  if (node.type === 'TemplateLiteral') return (node['expressions'] as unknown[]).length === 0;
  if (node.type === 'BinaryExpression' && node['operator'] === '+')
    return isConstantString(node['left']) && isConstantString(node['right']);
  return false;
}

/** The literal text of a string built from literals and holes (holes become a space), or undefined. */
function staticText(node: unknown): string | undefined {
  if (!isNode(node)) return undefined;
  if (node.type === 'StringLiteral') return node['value'] as string;
  if (node.type === 'TemplateLiteral') {
    return (node['quasis'] as AstNode[]).map((quasi) => (quasi['value'] as { raw: string }).raw).join(' ');
  }
  if (node.type === 'BinaryExpression' && node['operator'] === '+') {
    return `${staticText(node['left']) ?? ' '}${staticText(node['right']) ?? ' '}`;
  }
  return undefined;
}

/** A string with run-time parts: a template with holes or a `+` concatenation with a non-literal side. */
function isDynamicString(node: unknown): boolean {
  if (!isNode(node)) return false;
  if (node.type === 'TemplateLiteral') return (node['expressions'] as unknown[]).length > 0;
  if (node.type === 'BinaryExpression' && node['operator'] === '+') {
    return (
      !isConstantString(node) &&
      (staticText(node['left']) !== undefined || staticText(node['right']) !== undefined)
    );
  }
  return false;
}

function isChildProcessSource(node: unknown): boolean {
  const source = isNode(node) && node.type === 'StringLiteral' ? (node['value'] as string) : '';
  return source === 'child_process' || source === 'node:child_process';
}

function isRequireOfChildProcess(node: unknown): boolean {
  return (
    isNode(node) &&
    node.type === 'CallExpression' &&
    nameOf(node['callee']) === 'require' &&
    isChildProcessSource((node['arguments'] as unknown[])[0])
  );
}

interface ShellBindings {
  /** Local names bound to exec/execSync of child_process. */
  functions: Set<string>;
  /** Local names bound to the child_process module itself. */
  modules: Set<string>;
}

/** Records child_process imports and requires as the walk meets them. */
function recordShellBinding(node: AstNode, shell: ShellBindings): void {
  if (node.type === 'ImportDeclaration' && isChildProcessSource(node['source'])) {
    for (const specifier of node['specifiers'] as AstNode[]) {
      const local = nameOf(specifier['local']) ?? '';
      if (specifier.type === 'ImportSpecifier') {
        if (SHELL_FUNCTIONS.has(nameOf(specifier['imported']) ?? '')) shell.functions.add(local);
      } else {
        shell.modules.add(local);
      }
    }
  }
  // const run = promisify(exec) / util.promisify(cp.exec): the promisified function is a shell call too.
  if (node.type === 'VariableDeclarator' && isNode(node['init']) && node['init'].type === 'CallExpression') {
    const init = node['init'];
    const wrapped = (init['arguments'] as AstNode[])[0];
    const wrapsShell =
      nameOf(init['callee']) === 'promisify' &&
      isNode(wrapped) &&
      (wrapped.type === 'Identifier'
        ? shell.functions.has(nameOf(wrapped) ?? '')
        : SHELL_FUNCTIONS.has(nameOf(wrapped) ?? '') && shell.modules.has(nameOf(wrapped['object']) ?? ''));
    if (wrapsShell) shell.functions.add(nameOf(node['id']) ?? '');
  }
  if (node.type === 'VariableDeclarator' && isRequireOfChildProcess(node['init'])) {
    const id = node['id'] as AstNode;
    if (id.type === 'Identifier') shell.modules.add(nameOf(id) ?? '');
    if (id.type === 'ObjectPattern') {
      for (const property of id['properties'] as AstNode[]) {
        if (property.type === 'ObjectProperty' && SHELL_FUNCTIONS.has(nameOf(property['key']) ?? '')) {
          shell.functions.add(nameOf(property['value']) ?? '');
        }
      }
    }
  }
}

/** The first name the value flows into (variable, property, assignment target or function), if any. */
function receivingName(ancestors: readonly AstNode[]): string | undefined {
  for (let index = ancestors.length - 1; index >= 0; index--) {
    const node = ancestors[index]!;
    switch (node.type) {
      case 'VariableDeclarator':
        return nameOf(node['id']);
      case 'AssignmentExpression':
        return nameOf(node['left']);
      case 'ObjectProperty':
      case 'ClassProperty':
      case 'ObjectMethod':
      case 'ClassMethod':
        return nameOf(node['key']);
      case 'FunctionDeclaration':
      case 'FunctionExpression':
        return nameOf(node['id']) ?? receivingName(ancestors.slice(0, index));
      case 'ArrowFunctionExpression':
        return receivingName(ancestors.slice(0, index));
      case 'ReturnStatement': {
        // A returned value is named by the function returning it.
        const fn = ancestors.findLastIndex((candidate, at) => at < index && /Function/.test(candidate.type));
        if (fn === -1) return undefined;
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

/** An options object whose host is a loopback literal: no network path for a man in the middle. */
function targetsLoopback(options: AstNode | undefined): boolean {
  if (options?.type !== 'ObjectExpression') return false;
  return (options['properties'] as AstNode[]).some((property) => {
    const key = property.type === 'ObjectProperty' ? nameOf(property['key']) : undefined;
    const value = property['value'] as AstNode | undefined;
    return (
      (key === 'host' || key === 'hostname') &&
      value?.type === 'StringLiteral' &&
      /^(127\.\d+\.\d+\.\d+|localhost|::1|\[::1\])$/.test(String(value['value']))
    );
  });
}

/**
 * Words one of the rules needs to see in the text; a file with none of them cannot produce a finding,
 * so it is not parsed (most files of a typical repository).
 */
const TRIGGERS =
  /\beval\b|\bFunction\b|child_process|rejectUnauthorized|NODE_TLS_REJECT_UNAUTHORIZED|\brandom\b|csrf|xsrf|['"`]none['"`]|\b(select|insert|update|delete|replace|with|create|drop|alter|merge|truncate)\s/i;

function scanSource(file: SourceFile): Finding[] {
  if (!TRIGGERS.test(file.text)) return [];
  let program: AstNode;
  try {
    const ast = parse(file.text, {
      sourceType: 'unambiguous',
      plugins: pluginsFor(file.path),
      errorRecovery: true,
      allowReturnOutsideFunction: true,
    });
    program = ast.program as unknown as AstNode;
  } catch {
    return []; // not parseable as JS/TS: not ours to judge
  }
  const findings: Finding[] = [];
  const at = (node: AstNode): number => node.loc?.start.line ?? 1;
  // One walk: calls are judged afterwards, once child_process bindings and SQL-holding variables are known.
  const shell: ShellBindings = { functions: new Set(), modules: new Set() };
  // Variables initialised with dynamic SQL, so `const sql = "SELECT ..." + id; db.query(sql)` is caught.
  const dynamicSqlVariables = new Set<string>();
  const calls: AstNode[] = [];
  const isCall = (node: AstNode): boolean =>
    node.type === 'CallExpression' || node.type === 'NewExpression' || node.type === 'OptionalCallExpression';
  walk(program, (node, ancestors) => {
    recordShellBinding(node, shell);
    if (
      node.type === 'VariableDeclarator' &&
      isDynamicString(node['init']) &&
      SQL_TEXT.test(staticText(node['init']) ?? '')
    ) {
      dynamicSqlVariables.add(nameOf(node['id']) ?? '');
    }
    if (isCall(node)) {
      calls.push(node);
      const callee = node['callee'] as AstNode;
      const isMember = callee.type === 'MemberExpression' || callee.type === 'OptionalMemberExpression';
      const method = isMember ? nameOf(callee['property']) : undefined;
      const objectName = isMember ? nameOf(callee['object']) : undefined;
      if (method === 'random' && objectName === 'Math') {
        const receiver = receivingName(ancestors);
        if (receiver && TOKEN_NAME.test(receiver)) {
          findings.push(
            makeFinding(
              'code-insecure-random',
              file.path,
              at(node),
              `Math.random() feeds "${receiver}", which is predictable.`,
            ),
          );
        }
      }
    }
    if (node.type === 'ObjectProperty') {
      const key = (nameOf(node['key']) ?? '').toLowerCase();
      const value = node['value'] as AstNode;
      const isFalse = value.type === 'BooleanLiteral' && value['value'] === false;
      if (key === 'rejectunauthorized' && isFalse && !targetsLoopback(ancestors.at(-1))) {
        findings.push(
          makeFinding(
            'code-tls-disabled',
            file.path,
            at(node),
            'rejectUnauthorized: false accepts any certificate (man-in-the-middle).',
          ),
        );
      }
      if (CSRF_KEYS.has(key) && isFalse) {
        findings.push(
          makeFinding(
            'code-csrf-disabled',
            file.path,
            at(node),
            `${nameOf(node['key'])!}: false turns CSRF protection off.`,
          ),
        );
      }
      const values = value.type === 'ArrayExpression' ? (value['elements'] as unknown[]) : [value];
      const acceptsNone = values.some(
        (element) =>
          isNode(element) &&
          element.type === 'StringLiteral' &&
          String(element['value']).toLowerCase() === 'none',
      );
      if ((key === 'algorithms' || key === 'algorithm') && acceptsNone) {
        findings.push(
          makeFinding(
            'code-jwt-none',
            file.path,
            at(node),
            'JWT verification accepts alg "none" (unsigned tokens).',
          ),
        );
      }
    }
    if (node.type === 'AssignmentExpression') {
      const target = nameOf(node['left']);
      const right = node['right'] as AstNode;
      const value =
        right.type === 'StringLiteral' || right.type === 'NumericLiteral'
          ? String(right['value'])
          : undefined;
      if (target === 'NODE_TLS_REJECT_UNAUTHORIZED' && value === '0') {
        findings.push(
          makeFinding(
            'code-tls-disabled',
            file.path,
            at(node),
            'NODE_TLS_REJECT_UNAUTHORIZED=0 disables certificate checks process-wide.',
          ),
        );
      }
      if (target === 'rejectUnauthorized' && right.type === 'BooleanLiteral' && right['value'] === false) {
        findings.push(
          makeFinding(
            'code-tls-disabled',
            file.path,
            at(node),
            'rejectUnauthorized = false accepts any certificate (man-in-the-middle).',
          ),
        );
      }
    }
  });
  for (const node of calls) {
    const callee = node['callee'] as AstNode;
    const args = node['arguments'] as AstNode[];
    const calleeName = callee.type === 'Identifier' ? nameOf(callee) : undefined;
    if (
      (calleeName === 'eval' || calleeName === 'Function') &&
      args.length > 0 &&
      !args.every(isConstantString)
    ) {
      findings.push(
        makeFinding(
          'code-eval',
          file.path,
          at(node),
          `${calleeName === 'eval' ? 'eval' : 'new Function'} runs a string built at run time.`,
        ),
      );
    }
    const isMember = callee.type === 'MemberExpression' || callee.type === 'OptionalMemberExpression';
    const method = isMember ? nameOf(callee['property']) : undefined;
    const objectName = isMember ? nameOf(callee['object']) : undefined;
    const isShellCall =
      (calleeName !== undefined && shell.functions.has(calleeName)) ||
      (method !== undefined &&
        SHELL_FUNCTIONS.has(method) &&
        objectName !== undefined &&
        shell.modules.has(objectName)) ||
      (method !== undefined && SHELL_FUNCTIONS.has(method) && isRequireOfChildProcess(callee['object']));
    if (isShellCall && isDynamicString(args[0])) {
      findings.push(
        makeFinding(
          'code-command-injection',
          file.path,
          at(node),
          `${calleeName ?? method}() runs a shell command with interpolated values.`,
        ),
      );
    } else if (method !== undefined && SQL_METHODS.has(method) && args[0]) {
      const first = args[0];
      const dynamic = isDynamicString(first) && SQL_TEXT.test(staticText(first) ?? '');
      const viaVariable = first.type === 'Identifier' && dynamicSqlVariables.has(nameOf(first) ?? '');
      if (dynamic || viaVariable) {
        findings.push(
          makeFinding(
            'code-sql-injection',
            file.path,
            at(node),
            `.${method}() receives SQL built from ${viaVariable ? `variable ${nameOf(first)!}, itself concatenated` : 'a template/concatenation'}.`,
          ),
        );
      }
    }
  }
  return findings;
}

/** Small, high-precision JS/TS rules over a Babel AST: eval, shell and SQL injection, TLS, randomness, CSRF, JWT. */
export function scanCode(files: readonly SourceFile[]): Finding[] {
  return files.filter(isScannableSource).flatMap(scanSource);
}
