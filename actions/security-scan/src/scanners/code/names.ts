import { type AstNode, child, children, isMember, propertyName, stringValue, unwrap } from './ast.js';
import { type FileModel, normaliseModule } from './scopes.js';

/** Globals that stand for the global object: `window.eval` is `eval`. */
const GLOBAL_OBJECTS = new Set(['window', 'globalThis', 'self', 'global']);

/**
 * What an expression names, resolved through imports, requires, aliases and `promisify`: `cp.exec` with
 * `const cp = require('node:child_process')` -> `child_process.exec`; `new VM().run` -> `vm2.VM().run`;
 * an unbound global keeps its name (`eval`, `fetch`, `location.hash`). Undefined when it names a local value.
 */
export function canonicalName(node: AstNode | undefined, model: FileModel, depth = 0): string | undefined {
  const expression = unwrap(node);
  if (!expression || depth > 6) return undefined;
  if (model.names.has(expression)) return model.names.get(expression);
  const name = computeName(expression, model, depth);
  model.names.set(expression, name);
  return name;
}

function computeName(expression: AstNode, model: FileModel, depth: number): string | undefined {
  switch (expression.type) {
    case 'Identifier': {
      const binding = model.resolve(expression);
      if (!binding) return expression['name'] as string;
      if (binding.imported) return [binding.imported.module, ...binding.imported.path].join('.');
      if (binding.kind === 'param' || binding.kind === 'function' || binding.kind === 'class')
        return undefined;
      // A name assigned once, from something with a name itself (`const run = promisify(exec)`).
      if (binding.assignments.length !== 1) return undefined;
      const [assignment] = binding.assignments;
      if (
        !assignment ||
        assignment.into ||
        assignment.element ||
        assignment.props.includes('[]') ||
        assignment.props.includes('*')
      )
        return undefined;
      const base = canonicalName(assignment.value, model, depth + 1);
      return base === undefined ? undefined : [base, ...assignment.props].join('.');
    }
    case 'MemberExpression':
    case 'OptionalMemberExpression': {
      const name = propertyName(expression);
      const object = unwrap(child(expression, 'object'));
      if (name === undefined || !object) return undefined;
      if (object.type === 'ThisExpression') return undefined;
      const base = canonicalName(object, model, depth + 1);
      if (base === undefined) return undefined;
      if (GLOBAL_OBJECTS.has(base)) return name;
      if (base === 'document' && name === 'location') return 'location';
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

/** The last name of a callee: `a.b.c(...)` -> 'c', `f(...)` -> 'f'. */
export function calleeLastName(call: AstNode): string | undefined {
  const callee = unwrap(child(call, 'callee'));
  if (!callee) return undefined;
  if (callee.type === 'Identifier') return callee['name'] as string;
  if (isMember(callee)) return propertyName(callee);
  return undefined;
}

/** The receiver of a method call (`a.b` in `a.b.c()`), or undefined for a plain call. */
export function receiverOf(call: AstNode): AstNode | undefined {
  const callee = unwrap(child(call, 'callee'));
  return isMember(callee) ? unwrap(child(callee, 'object')) : undefined;
}

/** The identifier a member chain starts from: `a.b[c].d` -> a. */
export function rootIdentifier(node: AstNode | undefined): AstNode | undefined {
  let current = unwrap(node);
  while (current && (isMember(current) || current.type === 'CallExpression')) {
    current = unwrap(isMember(current) ? child(current, 'object') : child(current, 'callee'));
  }
  return current?.type === 'Identifier' ? current : undefined;
}

/** A short readable text of an expression for messages: `req.query.id`, `getUser()`. */
export function describe(node: AstNode | undefined, depth = 0): string {
  const expression = unwrap(node);
  if (!expression || depth > 5) return 'a value';
  switch (expression.type) {
    case 'Identifier':
      return expression['name'] as string;
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
