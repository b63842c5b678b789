import type { Node } from 'web-tree-sitter';

/**
 * Local names to the dotted module paths they stand for, from the file's imports:
 * `import subprocess as sp` -> sp = subprocess; `from pickle import loads` -> loads = pickle.loads.
 */
export function importAliases(root: Node): Map<string, string> {
  const aliases = new Map<string, string>();
  for (const statement of root.descendantsOfType(['import_statement', 'import_from_statement'])) {
    if (!statement) continue;
    const module =
      statement.type === 'import_from_statement'
        ? statement.childForFieldName('module_name')?.text
        : undefined;
    for (const name of statement.childrenForFieldName('name')) {
      if (!name) continue;
      const [path, alias] =
        name.type === 'aliased_import'
          ? [name.childForFieldName('name')!.text, name.childForFieldName('alias')!.text]
          : [name.text, module ? name.text : name.text.split('.')[0]!];
      aliases.set(alias, module ? `${module}.${path}` : name.type === 'aliased_import' ? path : alias);
    }
  }
  return aliases;
}

/** The dotted name a call's function resolves to through the imports: `sp.run` -> `subprocess.run`. */
export function qualifiedName(node: Node | null, aliases: ReadonlyMap<string, string>): string | undefined {
  if (!node) return undefined;
  if (node.type === 'identifier') return aliases.get(node.text) ?? node.text;
  if (node.type === 'attribute') {
    const object = qualifiedName(node.childForFieldName('object'), aliases);
    const attribute = node.childForFieldName('attribute')?.text;
    return object && attribute ? `${object}.${attribute}` : attribute;
  }
  if (node.type === 'call') return qualifiedName(node.childForFieldName('function'), aliases);
  return undefined;
}

/** True for a string literal without interpolation, or a concatenation of such. */
export function isConstantString(node: Node | null): boolean {
  if (!node) return false;
  if (node.type === 'string') return !node.namedChildren.some((child) => child?.type === 'interpolation');
  if (node.type === 'concatenated_string')
    return node.namedChildren.every((child) => isConstantString(child));
  if (node.type === 'parenthesized_expression') return isConstantString(node.namedChildren[0] ?? null);
  if (node.type === 'binary_operator') {
    return (
      node.childForFieldName('operator')?.text === '+' &&
      isConstantString(node.childForFieldName('left')) &&
      isConstantString(node.childForFieldName('right'))
    );
  }
  return false;
}

/** The text of a constant string literal (quotes and prefixes removed), else undefined. */
export function stringValue(node: Node | null): string | undefined {
  if (!node || node.type !== 'string' || !isConstantString(node)) return undefined;
  return node.namedChildren
    .filter((child) => child?.type === 'string_content')
    .map((child) => child.text)
    .join('');
}

/** Positional arguments and keyword arguments of a call. */
export function callArguments(call: Node): { positional: Node[]; keywords: Map<string, Node> } {
  const positional: Node[] = [];
  const keywords = new Map<string, Node>();
  for (const argument of call.childForFieldName('arguments')?.namedChildren ?? []) {
    if (!argument || argument.type === 'comment') continue;
    if (argument.type === 'keyword_argument') {
      const name = argument.childForFieldName('name')?.text;
      const value = argument.childForFieldName('value');
      if (name && value) keywords.set(name, value);
    } else {
      positional.push(argument);
    }
  }
  return { positional, keywords };
}

/**
 * What a name holds where it is used: the last plain assignment to it earlier in the same function (or module),
 * so that `query = f"..."; cursor.execute(query)` is seen as the f-string.
 */
export function assignedValue(identifier: Node): Node | null {
  let scope: Node | null = identifier.parent;
  while (scope && scope.type !== 'function_definition' && scope.type !== 'module') scope = scope.parent;
  if (!scope) return null;
  let found: Node | null = null;
  for (const assignment of scope.descendantsOfType('assignment')) {
    if (!assignment || assignment.startIndex >= identifier.startIndex) continue;
    if (assignment.childForFieldName('left')?.text === identifier.text)
      found = assignment.childForFieldName('right');
  }
  return found;
}
