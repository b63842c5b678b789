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

/** The child nodes of `node` with the field each sits in (type annotations left out: they carry no data). */
export function forEachChild(node: AstNode, visit: (child: AstNode, key: string) => void): void {
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

export const children = (node: AstNode, key: string): AstNode[] => {
  const value = node[key];
  return Array.isArray(value) ? value.filter(isNode) : [];
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
