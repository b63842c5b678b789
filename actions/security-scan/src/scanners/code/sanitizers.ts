import { type AstNode, child, children, isMember, propertyName, stringValue, unwrap } from './ast.js';
import { ALL_FAMILIES, FAMILY } from './families.js';
import { calleeLastName, canonicalName, rootIdentifier } from './names.js';
import type { Binding, FileModel } from './scopes.js';

const { command, sql, nosql, xss, ssrf, path, redirect, code } = FAMILY;

/** Calls whose result carries no attacker-chosen text: numbers, booleans, hashes, fresh ids. */
const NUMERIC =
  /^(parseInt|parseFloat|Number|Boolean|isNaN|isFinite|Math\..*|Date\.parse|crypto\.randomUUID|uuid.*|.*\.(createHash|digest))$/;
/** `encodeURIComponent` leaves no `/ ? # & < > "` or shell metacharacters: safe in a URL part, HTML text, a shell word. */
const URL_COMPONENT = xss | ssrf | redirect | path | command;

/**
 * The families a call's result is safe for, or undefined when the call is no sanitizer. Escaping helpers are
 * recognised by name (`escapeHtml`, `he.encode`, `mysql.escape`, `shellescape`, `DOMPurify.sanitize`).
 */
export function sanitizedFamilies(call: AstNode, model: FileModel): number | undefined {
  const name = canonicalName(child(call, 'callee'), model) ?? '';
  const last = calleeLastName(call) ?? '';
  if (NUMERIC.test(name) || NUMERIC.test(last)) return ALL_FAMILIES;
  if (last === 'encodeURIComponent' || name === 'querystring.escape') return URL_COMPONENT;
  if (name === 'path.basename') return path;
  if (name === 'String' || last === 'toString') return nosql;
  if (/^(unescape|decode)/i.test(last)) return undefined;
  if (
    /sanitiz|purify|^clean$|^xss$|filterXSS/i.test(last) ||
    /^(dompurify|isomorphic-dompurify|sanitize-html|xss)\b/i.test(name)
  )
    return ALL_FAMILIES & ~code;
  if (/escape|encodeHtml|htmlEncode|encodeEntities|^encode$|quote/i.test(last) && last !== 'encodeURI')
    return /regexp|regex/i.test(last) ? 0 : xss | sql | nosql | command;
  if (name === 'mongo-sanitize' || last === 'mongoSanitize') return nosql;
  return undefined;
}

const ALLOW_LIST_METHODS = new Set(['includes', 'has', 'indexOf', 'some', 'find', 'every']);
const VALIDATOR_NAME = /^(is|validate|check|assert|verify|allowed|safe|valid|whitelist|allowlist)/i;

/**
 * Bindings checked in a condition somewhere in the file, and the families the check makes them safe for:
 * an allow-list (`ALLOWED.includes(u)`, `u === 'a'`, `/^\w+$/.test(u)`, `isValid(u)`) clears everything,
 * a prefix check (`full.startsWith(root)`) clears path, SSRF and redirects, `typeof x === 'string'` NoSQL.
 * Flow-insensitive on purpose: a check anywhere is taken as the author's intent.
 */
export function guardedBindings(model: FileModel): Map<Binding, number> {
  const guarded = new Map<Binding, number>();
  const mark = (node: AstNode | undefined, mask: number): void => {
    const root = rootIdentifier(node);
    const binding = root ? model.resolve(root) : undefined;
    if (binding) guarded.set(binding, (guarded.get(binding) ?? 0) | mask);
  };
  const visit = (node: AstNode | undefined, depth: number): void => {
    const expression = unwrap(node);
    if (!expression || depth > 6) return;
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
        const operator = expression['operator'] as string;
        if (operator === '===' || operator === '==' || operator === '!==' || operator === '!=') {
          if (left?.type === 'UnaryExpression' && left['operator'] === 'typeof')
            mark(child(left, 'argument'), nosql);
          else if (right?.type === 'UnaryExpression' && right['operator'] === 'typeof')
            mark(child(right, 'argument'), nosql);
          else if (stringValue(right) !== undefined) mark(left, ALL_FAMILIES);
          else if (stringValue(left) !== undefined) mark(right, ALL_FAMILIES);
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
        if (method === 'startsWith') mark(child(callee!, 'object'), path | ssrf | redirect);
        else if (method !== undefined && ALLOW_LIST_METHODS.has(method))
          args.forEach((arg) => mark(arg, ALL_FAMILIES));
        else if (method === 'test') args.forEach((arg) => mark(arg, ALL_FAMILIES));
        else if (method === 'match') mark(child(callee!, 'object'), ALL_FAMILIES);
        else if (VALIDATOR_NAME.test(last)) args.forEach((arg) => mark(arg, ALL_FAMILIES));
        return;
      }
      default:
    }
  };
  for (const condition of model.conditions) visit(condition, 0);
  return guarded;
}
