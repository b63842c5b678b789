import { type AstNode, child, children, keyName, objectProperties, stringValue, unwrap } from '../ast.js';
import { calleeLastName, canonicalName } from '../names.js';
import type { SinkContext } from './context.js';

/** Methods that only ever take SQL text: any tainted argument text is an injection. */
const SQL_ONLY = new Set([
  'query',
  '$queryRawUnsafe',
  '$executeRawUnsafe',
  'raw',
  'unsafe',
  'whereRaw',
  'orWhereRaw',
  'havingRaw',
  'orderByRaw',
  'joinRaw',
  'groupByRaw',
  'selectRaw',
  'fromRaw',
  'literal',
]);
/** Methods that take SQL on database objects but mean other things elsewhere (`regex.exec`, `map.get`). */
const SQL_SOMETIMES = new Set([
  'prepare',
  'exec',
  'execute',
  'run',
  'all',
  'get',
  'each',
  'where',
  'andWhere',
  'orWhere',
  'having',
]);
const SQL_TEXT =
  /^\s*(select|insert|update|delete|replace|with|create|drop|alter|merge|truncate)\s|\bselect\s[\s\S]*\sfrom\s|\binsert\s+into\s|\bupdate\s+\S+\s+set\s|\bdelete\s+from\s|\bwhere\s+\w+\s*(=|like|in)\s*['"(]?$/i;
/** Receivers that are never databases. */
const NOT_A_DATABASE =
  /^(re|regex|regexp|pattern|matcher|map|cache|headers|params|searchParams|url|router|app|storage|localStorage|sessionStorage|formData|redis|client\.cache)$/i;

/** SQL injection (CWE-89): SQL text or `{ sql }`/`{ text }` objects built from input or by concatenation. */
export function checkSqlInjection(context: SinkContext): void {
  for (const call of context.model.calls) {
    const method = calleeLastName(call);
    if (method === undefined || (!SQL_ONLY.has(method) && !SQL_SOMETIMES.has(method))) continue;
    const callee = unwrap(child(call, 'callee'));
    if (callee?.type === 'Identifier' && !SQL_ONLY.has(method)) continue; // a bare get()/run() is no database
    const receiver = callee?.type === 'Identifier' ? undefined : unwrap(child(callee!, 'object'));
    if (receiver?.type === 'RegExpLiteral' || NOT_A_DATABASE.test(keyName(receiver) ?? '')) continue;
    if (
      method === 'literal' &&
      !/^(sequelize|Sequelize)\./.test(canonicalName(callee, context.model) ?? 'sequelize.')
    )
      continue;
    const first = children(call, 'arguments')[0];
    const value = context.valueOf(first);
    const properties = objectProperties(value);
    const text =
      properties.get('sql') ??
      properties.get('text') ??
      (value?.type === 'ObjectExpression' ? undefined : first);
    if (!text) continue;
    const staticText = context.staticText(text) ?? '';
    const looksLikeSql = SQL_TEXT.test(staticText);
    const taint = context.tainted(text, 'sql');
    if (taint && (SQL_ONLY.has(method) || looksLikeSql)) {
      context.report('code-sql-injection', call, `.${method}() runs SQL that`, taint);
    } else if (!taint && looksLikeSql && (context.isDynamicString(text) || isDynamicName(context, text))) {
      context.report(
        'code-sql-injection',
        call,
        `.${method}() receives SQL built from a template or concatenation`,
      );
    }
  }
}

/** A name bound to a SQL string built by concatenation (scope-aware: only this binding, not any `sql`). */
function isDynamicName(context: SinkContext, node: AstNode): boolean {
  const expression = unwrap(node);
  if (expression?.type !== 'Identifier') return false;
  const binding = context.model.resolve(expression);
  if (!binding || binding.kind === 'param') return false;
  return binding.assignments.some(
    (assignment) => assignment.props.length === 0 && context.isDynamicString(assignment.value),
  );
}

/** MongoDB / Mongoose methods whose first argument is a filter or pipeline. */
const MONGO_METHODS = new Set([
  'find',
  'findOne',
  'findOneAndUpdate',
  'findOneAndDelete',
  'findOneAndReplace',
  'findOneAndRemove',
  'updateOne',
  'updateMany',
  'deleteOne',
  'deleteMany',
  'replaceOne',
  'countDocuments',
  'aggregate',
]);

/** NoSQL injection (CWE-943): objects from the request as Mongo filters (operator injection), `$where` code. */
export function checkNosqlInjection(context: SinkContext): void {
  for (const call of context.model.calls) {
    const method = calleeLastName(call);
    const args = children(call, 'arguments');
    if (method === '$where') {
      const taint = context.tainted(args[0], 'nosql');
      if (taint)
        context.report('code-nosql-injection', call, '$where() runs JavaScript on the database that', taint);
      else if (context.isDynamicString(args[0]))
        context.report(
          'code-nosql-injection',
          call,
          '$where() runs JavaScript built by concatenation on the database',
        );
      continue;
    }
    if (
      method === undefined ||
      !MONGO_METHODS.has(method) ||
      unwrap(child(call, 'callee'))?.type === 'Identifier'
    )
      continue;
    const filter = context.valueOf(args[0]);
    if (!filter) continue;
    const values = filter.type === 'ObjectExpression' ? [...objectProperties(filter).values()] : [filter];
    for (const value of values) {
      const taint = context.tainted(value, 'nosql');
      if (taint?.objectLike) {
        context.report(
          'code-nosql-injection',
          call,
          `.${method}() uses as a query filter an object that`,
          taint,
        );
        break;
      }
    }
  }
  for (const object of context.model.objects) {
    const where = objectProperties(object).get('$where');
    if (!where || stringValue(where) !== undefined) continue;
    const taint = context.tainted(where, 'nosql');
    if (taint) context.report('code-nosql-injection', object, 'A $where clause runs JavaScript that', taint);
    else if (context.isDynamicString(where))
      context.report(
        'code-nosql-injection',
        object,
        'A $where clause runs JavaScript built by concatenation',
      );
  }
}
