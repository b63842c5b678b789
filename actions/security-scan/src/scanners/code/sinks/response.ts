import { type AstNode, child, isMember, propertyName, unwrap } from '../ast.js';
import { rootIdentifier } from '../names.js';
import type { SinkContext } from './context.js';

/** Parameter names frameworks give the response (Express `res`, Fastify `reply`, Hapi `h`). */
const RESPONSE_NAMES = /^(res|response|resp|reply|h|ctx|context)$/;

/** Whether a method call is made on a server response (`res.status(400).send`), judged by its root parameter. */
export function isResponseCall(context: SinkContext, call: AstNode): boolean {
  const callee = unwrap(child(call, 'callee'));
  if (!isMember(callee)) return false;
  const root = rootIdentifier(child(callee, 'object'));
  if (!root || !RESPONSE_NAMES.test(root['name'] as string)) return false;
  const binding = context.model.resolve(root);
  return binding?.kind === 'param';
}

export function methodOf(call: AstNode): string | undefined {
  const callee = unwrap(child(call, 'callee'));
  return isMember(callee) ? propertyName(callee) : undefined;
}
