import { Lexer, Parser } from '@actions/expressions';
import {
  Binary,
  ContextAccess,
  type Expr,
  FunctionCall,
  Grouping,
  IndexAccess,
  Literal,
  Logical,
  Star,
  Unary,
} from '@actions/expressions/ast';

/** One `${{ ... }}` in a string: its inner source and where it sits. */
export interface Embedded {
  source: string;
  /** Offset of `${{` and just past `}}` in the string. */
  start: number;
  end: number;
}

/** Every context a workflow, job, step or composite action can read. */
const CONTEXTS = [
  'github',
  'env',
  'vars',
  'job',
  'jobs',
  'steps',
  'runner',
  'secrets',
  'strategy',
  'matrix',
  'needs',
  'inputs',
];
/** Status and runner functions the expression library leaves to its host. */
const HOST_FUNCTIONS = [
  { name: 'success', minArgs: 0, maxArgs: 0 },
  { name: 'always', minArgs: 0, maxArgs: 0 },
  { name: 'failure', minArgs: 0, maxArgs: 255 },
  { name: 'cancelled', minArgs: 0, maxArgs: 0 },
  { name: 'hashFiles', minArgs: 1, maxArgs: 255 },
];
/** Functions whose result carries (part of) their arguments' text; the others return booleans or hashes. */
const PASSING_FUNCTIONS = new Set(['format', 'join', 'tojson', 'fromjson', 'case']);

/** Finds `${{ }}` blocks, skipping `}}` inside the expression's own string literals. */
export function embeddedExpressions(text: string): Embedded[] {
  const found: Embedded[] = [];
  let from = 0;
  for (;;) {
    const start = text.indexOf('${{', from);
    if (start === -1) return found;
    let index = start + 3;
    let end = -1;
    while (index < text.length) {
      if (text[index] === "'") {
        // '' is an escaped quote inside a string literal: the loop sees it as close + reopen.
        const close = text.indexOf("'", index + 1);
        index = close === -1 ? text.length : close + 1;
      } else if (text.startsWith('}}', index)) {
        end = index + 2;
        break;
      } else index++;
    }
    if (end === -1) return found;
    found.push({ source: text.slice(start + 3, end - 2).trim(), start, end });
    from = end;
  }
}

/** Parsed expressions by source: workflows repeat the same few expressions many times. */
const parsed = new Map<string, Expr | undefined>();
const PARSED_KEPT = 5000;

/** The parsed expression, or undefined when it does not parse (GitHub would reject the workflow). */
export function parseExpression(source: string): Expr | undefined {
  if (parsed.has(source)) return parsed.get(source);
  let expr: Expr | undefined;
  try {
    const { tokens } = new Lexer(source).lex();
    expr = new Parser(tokens, CONTEXTS, HOST_FUNCTIONS).parse();
  } catch {
    expr = undefined;
  }
  if (parsed.size >= PARSED_KEPT) parsed.clear();
  parsed.set(source, expr);
  return expr;
}

/** `github.event.issue.title`, `inputs.name`, `github.event.pull_request.labels.*.name`: `*` for computed keys. */
function pathOf(expr: Expr): string | undefined {
  if (expr instanceof ContextAccess) return expr.name.lexeme.toLowerCase();
  if (expr instanceof IndexAccess) {
    const base = pathOf(expr.expr);
    if (base === undefined) return undefined;
    const key =
      expr.index instanceof Literal && typeof expr.index.literal.coerceString === 'function'
        ? expr.index.literal.coerceString()
        : '*';
    // Property access is case-insensitive in GitHub expressions.
    return `${base}.${expr.index instanceof Star ? '*' : key.toLowerCase()}`;
  }
  return undefined;
}

/**
 * Context paths whose text can reach the expression's value (what an injection cares about): `a || b` yields
 * either operand and format/join/toJSON pass text through, but comparisons, `!` and contains() give booleans.
 */
export function valuePaths(expr: Expr): string[] {
  const path = pathOf(expr);
  if (path !== undefined) return [path];
  if (expr instanceof Grouping) return valuePaths(expr.group);
  if (expr instanceof Logical) {
    // && yields its last operand when all are truthy, || the first truthy one: both pass text through.
    return expr.args.flatMap(valuePaths);
  }
  if (expr instanceof FunctionCall) {
    const name = expr.functionName.lexeme.toLowerCase();
    if (!PASSING_FUNCTIONS.has(name)) return [];
    // case(condition, value, ..., default): the conditions are booleans.
    const args =
      name === 'case'
        ? expr.args.filter((_arg, index) => index % 2 === 1 || index === expr.args.length - 1)
        : expr.args;
    return args.flatMap(valuePaths);
  }
  if (expr instanceof IndexAccess) return valuePaths(expr.expr);
  return [];
}

/** Calls to `name` anywhere in the expression (case-insensitive), with their arguments. */
export function callsOf(expr: Expr, name: string): FunctionCall[] {
  const calls: FunctionCall[] = [];
  walk(expr, (node) => {
    if (node instanceof FunctionCall && node.functionName.lexeme.toLowerCase() === name.toLowerCase())
      calls.push(node);
  });
  return calls;
}

/** Comparisons (`==`, `!=`) anywhere in the expression, as [left, right, operator]. */
export function comparisonsOf(expr: Expr): { left: Expr; right: Expr; operator: string }[] {
  const found: { left: Expr; right: Expr; operator: string }[] = [];
  walk(expr, (node) => {
    if (node instanceof Binary && (node.operator.lexeme === '==' || node.operator.lexeme === '!='))
      found.push({ left: node.left, right: node.right, operator: node.operator.lexeme });
  });
  return found;
}

/** The context path an expression reads directly (`github.actor`), if it is a plain access. */
export function accessPath(expr: Expr): string | undefined {
  return pathOf(expr instanceof Grouping ? expr.group : expr);
}

/** A string literal's value, if the expression is one. */
export function stringLiteral(expr: Expr): string | undefined {
  if (!(expr instanceof Literal)) return undefined;
  const value = expr.token.value;
  return typeof value === 'string' ? value : undefined;
}

/** `fromJSON(secrets.X).field`: a field of a JSON secret, which the runner does not mask in logs. */
export function readsSecretJsonField(expr: Expr): boolean {
  let found = false;
  walk(expr, (node) => {
    if (!(node instanceof IndexAccess) || !(node.expr instanceof FunctionCall)) return;
    const call = node.expr;
    const arg = call.args[0];
    if (call.functionName.lexeme.toLowerCase() === 'fromjson' && arg && pathOf(arg)?.startsWith('secrets.'))
      found = true;
  });
  return found;
}

/** `contains('refs/heads/main refs/heads/dev', github.ref)`: a substring test on a list written as one string. */
export function containsOnLiteralString(expr: Expr): boolean {
  return callsOf(expr, 'contains').some((call) => {
    const [haystack, needle] = call.args;
    return (
      haystack !== undefined &&
      needle !== undefined &&
      stringLiteral(haystack) !== undefined &&
      pathOf(needle) !== undefined
    );
  });
}

/** Every context path read anywhere in the expression (conditions included), longest access chains only. */
export function allPaths(expr: Expr): string[] {
  const path = pathOf(expr);
  if (path === undefined) return children(expr).flatMap(allPaths);
  const computedKeys: string[] = [];
  for (let node: Expr = expr; node instanceof IndexAccess; node = node.expr) {
    if (!(node.index instanceof Literal)) computedKeys.push(...allPaths(node.index));
  }
  return [path, ...computedKeys];
}

function children(expr: Expr): Expr[] {
  if (expr instanceof Grouping) return [expr.group];
  if (expr instanceof Unary) return [expr.expr];
  if (expr instanceof Binary) return [expr.left, expr.right];
  if (expr instanceof Logical || expr instanceof FunctionCall) return expr.args;
  if (expr instanceof IndexAccess) return [expr.expr, expr.index];
  return [];
}

function walk(expr: Expr, visit: (node: Expr) => void): void {
  visit(expr);
  for (const child of children(expr)) walk(child, visit);
}
