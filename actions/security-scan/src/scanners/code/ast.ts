/** The part of a Babel AST node the scanner reads; code checks `type` before reading other fields. */
export interface AstNode {
  type: string;
  start?: number | null;
  loc?: { start: { line: number; column: number } } | null;
  [field: string]: unknown;
}

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

export function isNode(value: unknown): value is AstNode {
  return typeof value === 'object' && value !== null && typeof (value as AstNode).type === 'string';
}

/**
 * Fields holding child nodes, per node type (the common ones; Babel's visitor keys without type-only
 * fields). Reading known fields is several times faster than enumerating every key of every node.
 */
const VISITOR_KEYS: Record<string, readonly string[]> = {
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

/** The child-holding fields of a node type, when known (callers walking hot loops iterate them inline). */
export function visitorKeys(type: string): readonly string[] | undefined {
  return VISITOR_KEYS[type];
}

/** The child nodes of `node` with the field each sits in (type annotations left out: they carry no data). */
export function forEachChild(node: AstNode, visit: (child: AstNode, key: string) => void): void {
  const keys = VISITOR_KEYS[node.type];
  if (keys) {
    for (const key of keys) {
      const value = node[key];
      if (typeof value !== 'object' || value === null) continue;
      if (Array.isArray(value)) {
        for (const item of value) if (item !== null && typeof item === 'object') visit(item as AstNode, key);
      } else visit(value as AstNode, key);
    }
    return;
  }
  for (const key in node) {
    if (SKIPPED_KEYS.has(key)) continue;
    const value = node[key];
    if (typeof value !== 'object' || value === null) continue;
    if (Array.isArray(value)) {
      for (const item of value) if (isNode(item)) visit(item, key);
    } else if (isNode(value)) {
      visit(value, key);
    }
  }
}

export function lineOf(node: AstNode): number {
  return node.loc?.start.line ?? 1;
}

export function columnOf(node: AstNode): number {
  return (node.loc?.start.column ?? 0) + 1;
}

export const child = (node: AstNode, key: string): AstNode | undefined => {
  const value = node[key];
  return isNode(value) ? value : undefined;
};

const NONE: AstNode[] = [];

/** The nodes of a list field; the list itself when it has no holes (no copy: this runs for every call). */
export const children = (node: AstNode, key: string): AstNode[] => {
  const value = node[key];
  if (!Array.isArray(value)) return NONE;
  for (const item of value) if (item === null || typeof item !== 'object') return value.filter(isNode);
  return value as AstNode[];
};

/** Strips wrappers that do not change a value: parentheses, TS casts, `!`, `await`. */
export function unwrap(node: AstNode | undefined): AstNode | undefined {
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

/** Narrowed node types for the guards below (so a failed guard leaves a plain AstNode, not `never`). */
export interface MemberNode extends AstNode {
  type: 'MemberExpression' | 'OptionalMemberExpression';
}
export interface CallNode extends AstNode {
  type: 'CallExpression' | 'OptionalCallExpression' | 'NewExpression';
}
export interface FunctionNode extends AstNode {
  type:
    | 'FunctionDeclaration'
    | 'FunctionExpression'
    | 'ArrowFunctionExpression'
    | 'ObjectMethod'
    | 'ClassMethod'
    | 'ClassPrivateMethod';
}

export const isMember = (node: AstNode | undefined): node is MemberNode =>
  node?.type === 'MemberExpression' || node?.type === 'OptionalMemberExpression';

export const isCall = (node: AstNode | undefined): node is CallNode =>
  node?.type === 'CallExpression' ||
  node?.type === 'OptionalCallExpression' ||
  node?.type === 'NewExpression';

export const isFunction = (node: AstNode | undefined): node is FunctionNode =>
  node !== undefined &&
  (node.type === 'FunctionDeclaration' ||
    node.type === 'FunctionExpression' ||
    node.type === 'ArrowFunctionExpression' ||
    node.type === 'ObjectMethod' ||
    node.type === 'ClassMethod' ||
    node.type === 'ClassPrivateMethod');

/** The name a property access uses: `a.b` and `a['b']` -> 'b'; a computed non-literal key -> undefined. */
export function propertyName(member: AstNode): string | undefined {
  const property = child(member, 'property');
  if (!property) return undefined;
  if (!member['computed'] && property.type === 'Identifier') return property['name'] as string;
  if (property.type === 'StringLiteral') return property['value'] as string;
  return undefined;
}

/** The name of an object key or an identifier. */
export function keyName(node: AstNode | undefined): string | undefined {
  if (!node) return undefined;
  if (node.type === 'Identifier') return node['name'] as string;
  if (node.type === 'StringLiteral') return node['value'] as string;
  return undefined;
}

export function stringValue(node: AstNode | undefined): string | undefined {
  const value = unwrap(node);
  if (value?.type === 'StringLiteral') return value['value'] as string;
  if (value?.type === 'TemplateLiteral' && children(value, 'expressions').length === 0)
    return children(value, 'quasis')
      .map((quasi) => (quasi['value'] as { cooked?: string; raw: string }).cooked ?? '')
      .join('');
  return undefined;
}

/** Properties of an object literal by key name (spread and computed keys left out). */
export function objectProperties(node: AstNode | undefined): Map<string, AstNode> {
  const properties = new Map<string, AstNode>();
  const object = unwrap(node);
  if (object?.type !== 'ObjectExpression') return properties;
  for (const property of children(object, 'properties')) {
    if (property.type !== 'ObjectProperty' || property['computed']) continue;
    const name = keyName(child(property, 'key'));
    const value = child(property, 'value');
    if (name !== undefined && value) properties.set(name, value);
  }
  return properties;
}

/** `true`/`false` literal value, or undefined. */
export function booleanValue(node: AstNode | undefined): boolean | undefined {
  const value = unwrap(node);
  if (value?.type === 'BooleanLiteral') return value['value'] as boolean;
  if (value?.type === 'NumericLiteral') return value['value'] !== 0;
  return undefined;
}
