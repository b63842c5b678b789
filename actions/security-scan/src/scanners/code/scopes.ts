import {
  type AstNode,
  child,
  children,
  forEachChild,
  isFunction,
  keyName,
  stringValue,
  visitorKeys,
} from './ast.js';

export type BindingKind = 'var' | 'let' | 'const' | 'param' | 'function' | 'class' | 'import' | 'catch';

/** A value a name receives: `props` is the property path read from it (destructuring), `into` a member write. */
export interface Assignment {
  value: AstNode;
  props: readonly string[];
  /** `name.x = value`: the object now holds the value. */
  into?: boolean;
  /** `for (const name of value)`: each element. */
  element?: boolean;
  /** Where the name receives it (for the finding's path). */
  at: AstNode;
}

export interface Binding {
  name: string;
  kind: BindingKind;
  id: AstNode;
  assignments: Assignment[];
  /** Set for parameters: the function, the position, and the property path when destructured. */
  param?: { fn: AstNode; index: number; props: readonly string[] };
  /** Decorator names on a parameter (NestJS `@Query()`, `@Body()`...). */
  decorators?: readonly string[];
  /** For imports: the module and the imported path (`import { exec } from 'child_process'` -> exec). */
  imported?: { module: string; path: readonly string[] };
}

class Scope {
  readonly names = new Map<string, Binding>();
  readonly parent: Scope | undefined;
  readonly isFunction: boolean;
  constructor(parent: Scope | undefined, isFunction: boolean) {
    this.parent = parent;
    this.isFunction = isFunction;
  }
  functionScope(): Scope {
    return this.isFunction || !this.parent ? this : this.parent.functionScope();
  }
  lookup(name: string): Binding | undefined {
    return this.names.get(name) ?? this.parent?.lookup(name);
  }
}

/** What one walk of a file records for the taint engine and the rules. */
export interface FileModel {
  /** The binding an identifier in expression position refers to (undefined: a global). */
  resolve(identifier: AstNode): Binding | undefined;
  calls: AstNode[];
  assignments: AstNode[];
  objects: AstNode[];
  jsxAttributes: AstNode[];
  functions: AstNode[];
  /** Values each function returns (an arrow's expression body counts). */
  returns: Map<AstNode, AstNode[]>;
  /** Test expressions of if/?:/&&/|| and loops: where allow-list and root checks live. */
  conditions: AstNode[];
  /** The function a call, assignment or object literal sits in (undefined at module level). */
  enclosing: Map<AstNode, AstNode | undefined>;
  bindings: Binding[];
  /** Memo of canonicalName() per expression. */
  names: Map<AstNode, string | undefined>;
}

const BLOCK_SCOPES = new Set([
  'BlockStatement',
  'ForStatement',
  'ForInStatement',
  'ForOfStatement',
  'SwitchStatement',
  'StaticBlock',
]);
/** TypeScript nodes that hold run-time expressions; every other TS* node is a type and is skipped. */
const TS_EXPRESSIONS = new Set([
  'TSAsExpression',
  'TSSatisfiesExpression',
  'TSNonNullExpression',
  'TSTypeAssertion',
  'TSParameterProperty',
  'TSExportAssignment',
  'TSInstantiationExpression',
]);

function decoratorNames(node: AstNode): string[] {
  return children(node, 'decorators').map((decorator) => {
    let expression = child(decorator, 'expression');
    if (expression?.type === 'CallExpression') expression = child(expression, 'callee');
    return keyName(expression) ?? '';
  });
}

/** One walk: scopes and bindings (hoisted), references resolved afterwards, and the node lists rules use. */
export function buildModel(program: AstNode): FileModel {
  // Parallel lists rather than [node, scope] pairs: one entry per identifier of the file.
  const referenceNodes: AstNode[] = [];
  const referenceScopes: Scope[] = [];
  const pendingTargets: [AstNode, Scope, Assignment][] = [];
  const resolved = new Map<AstNode, Binding | undefined>();
  const model: FileModel = {
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

  const declare = (scope: Scope, id: AstNode, kind: BindingKind, extra: Partial<Binding> = {}): Binding => {
    const name = id['name'] as string;
    const existing = scope.names.get(name);
    if (existing) return existing; // `var x` twice, or a function re-declared: one name
    const binding: Binding = { name, kind, id, assignments: [], ...extra };
    scope.names.set(name, binding);
    model.bindings.push(binding);
    return binding;
  };

  /** Declares the names of a binding pattern; each receives `value` read at its property path. */
  const declarePattern = (
    pattern: AstNode | undefined,
    kind: BindingKind,
    scope: Scope,
    fnScope: Scope,
    fn: AstNode | undefined,
    value: AstNode | undefined,
    props: readonly string[],
    extra: (props: readonly string[]) => Partial<Binding>,
    element = false,
  ): void => {
    if (!pattern) return;
    switch (pattern.type) {
      case 'Identifier': {
        const binding = declare(scope, pattern, kind, extra(props));
        if (value) binding.assignments.push({ value, props, at: pattern, ...(element ? { element } : {}) });
        return;
      }
      case 'ObjectPattern':
        for (const property of children(pattern, 'properties')) {
          if (property.type === 'RestElement') {
            declarePattern(
              child(property, 'argument'),
              kind,
              scope,
              fnScope,
              fn,
              value,
              props,
              extra,
              element,
            );
            continue;
          }
          const key = child(property, 'key');
          if (property['computed'] && key) visit(key, fnScope, fn);
          const name = property['computed'] ? '*' : (keyName(key) ?? '*');
          declarePattern(
            child(property, 'value'),
            kind,
            scope,
            fnScope,
            fn,
            value,
            [...props, name],
            extra,
            element,
          );
        }
        return;
      case 'ArrayPattern':
        for (const item of children(pattern, 'elements'))
          declarePattern(item, kind, scope, fnScope, fn, value, [...props, '[]'], extra, element);
        return;
      case 'AssignmentPattern': {
        const fallback = child(pattern, 'right');
        if (fallback) visit(fallback, fnScope, fn);
        declarePattern(child(pattern, 'left'), kind, scope, fnScope, fn, value, props, extra, element);
        if (fallback) declarePattern(child(pattern, 'left'), kind, scope, fnScope, fn, fallback, [], extra);
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

  /** Assignment targets (`a = v`, `[a, b] = v`, `a.b = v`): recorded, bound once references resolve. */
  const assignTarget = (
    target: AstNode | undefined,
    scope: Scope,
    fn: AstNode | undefined,
    value: AstNode,
    props: readonly string[],
    element = false,
  ): void => {
    if (!target) return;
    switch (target.type) {
      case 'Identifier':
        pendingTargets.push([target, scope, { value, props, at: target, ...(element ? { element } : {}) }]);
        return;
      case 'MemberExpression':
      case 'OptionalMemberExpression': {
        visit(target, scope, fn);
        let root: AstNode | undefined = target;
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
          if (property['computed'] && key) visit(key, scope, fn);
          assignTarget(
            child(property, 'value'),
            scope,
            fn,
            value,
            [...props, property['computed'] ? '*' : (keyName(key) ?? '*')],
            element,
          );
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

  const visitFunction = (node: AstNode, scope: Scope): void => {
    model.functions.push(node);
    const id = child(node, 'id');
    if (node.type === 'FunctionDeclaration' && id)
      declare(scope, id, 'function').assignments.push({ value: node, props: [], at: id });
    for (const decorator of children(node, 'decorators')) visit(decorator, scope, undefined);
    if (node['computed']) visit(child(node, 'key'), scope, undefined);
    const inner = new Scope(scope, true);
    if (node.type === 'FunctionExpression' && id)
      declare(inner, id, 'function').assignments.push({ value: node, props: [], at: id });
    children(node, 'params').forEach((param, index) => {
      for (const decorator of children(param, 'decorators')) visit(decorator, scope, undefined);
      const decorators = decoratorNames(
        param.type === 'TSParameterProperty' ? (child(param, 'parameter') ?? param) : param,
      );
      declarePattern(param, 'param', inner, inner, node, undefined, [], (props) => ({
        param: { fn: node, index, props },
        ...(decorators.length > 0 ? { decorators } : {}),
      }));
    });
    const body = child(node, 'body');
    if (body?.type === 'BlockStatement') {
      for (const statement of children(body, 'body')) visit(statement, inner, node);
    } else if (body) {
      model.returns.set(node, [body]);
      visit(body, inner, node);
    }
  };

  const visit = (node: AstNode | undefined, scope: Scope, fn: AstNode | undefined): void => {
    if (!node) return;
    const type = node.type;
    if (type.startsWith('TS') && !TS_EXPRESSIONS.has(type)) {
      if (type === 'TSEnumDeclaration' && child(node, 'id')) declare(scope, child(node, 'id')!, 'const');
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
        if (node['computed']) visit(child(node, 'property'), scope, fn);
        return;
      case 'ObjectProperty':
        if (node['computed']) visit(child(node, 'key'), scope, fn);
        visit(child(node, 'value'), scope, fn);
        return;
      case 'ClassProperty':
      case 'ClassPrivateProperty':
      case 'ClassAccessorProperty':
        for (const decorator of children(node, 'decorators')) visit(decorator, scope, fn);
        if (node['computed']) visit(child(node, 'key'), scope, fn);
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
          if (!local) continue;
          const imported =
            specifier.type === 'ImportSpecifier' ? keyName(child(specifier, 'imported')) : undefined;
          declare(scope, local, 'import', {
            imported: { module, path: imported && imported !== 'default' ? [imported] : [] },
          });
        }
        return;
      }
      case 'ClassDeclaration':
      case 'ClassExpression': {
        const id = child(node, 'id');
        if (id && type === 'ClassDeclaration') declare(scope, id, 'class');
        for (const decorator of children(node, 'decorators')) visit(decorator, scope, fn);
        visit(child(node, 'superClass'), scope, fn);
        for (const member of children(child(node, 'body') ?? node, 'body')) visit(member, scope, fn);
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
        for (const statement of children(child(node, 'body') ?? node, 'body')) visit(statement, inner, fn);
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
            declarePattern(
              child(declarator, 'id'),
              kind,
              kind === 'var' ? scope.functionScope() : inner,
              inner,
              fn,
              right,
              [],
              () => ({}),
              type === 'ForOfStatement',
            );
        } else if (right) {
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
        if (child(node, 'test')) model.conditions.push(child(node, 'test')!);
        break;
      case 'LogicalExpression':
        model.conditions.push(child(node, 'left')!);
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
    // Inline over known fields: this loop runs for every node of every parsed file.
    for (const key of keys) {
      const value = node[key];
      if (typeof value !== 'object' || value === null) continue;
      if (Array.isArray(value)) {
        for (const item of value)
          if (item !== null && typeof item === 'object') visit(item as AstNode, inner, fn);
      } else visit(value as AstNode, inner, fn);
    }
  };

  const top = new Scope(undefined, true);
  for (const statement of children(program, 'body')) visit(statement, top, undefined);
  for (let index = 0; index < referenceNodes.length; index++) {
    const identifier = referenceNodes[index]!;
    resolved.set(identifier, referenceScopes[index]!.lookup(identifier['name'] as string));
  }
  for (const [identifier, scope, assignment] of pendingTargets) {
    const binding = scope.lookup(identifier['name'] as string);
    resolved.set(identifier, binding);
    binding?.assignments.push(assignment);
  }
  return model;
}

/** `node:fs` -> fs, `fs/promises` -> fs, drop-in replacements mapped to the module they wrap. */
export function normaliseModule(specifier: string): string {
  const name = specifier.replace(/^node:/, '');
  if (/^(fs\/promises|fs-extra|graceful-fs|mz\/fs|original-fs)$/.test(name)) return 'fs';
  if (/^(mz\/child_process|child-process-promise|child_process\/.*)$/.test(name)) return 'child_process';
  if (name === 'libxmljs2') return 'libxmljs';
  if (/^lodash[./]\w+$/.test(name)) return `lodash.${name.slice(7)}`;
  if (name === 'underscore' || name === 'lodash-es') return 'lodash';
  if (/^playwright(-core|-chromium)?$|^@playwright\/test$/.test(name)) return 'playwright';
  if (/^puppeteer(-core)?$/.test(name)) return 'puppeteer';
  if (name === 'isomorphic-fetch' || name === 'cross-fetch' || name === 'undici') return 'node-fetch';
  return name;
}
