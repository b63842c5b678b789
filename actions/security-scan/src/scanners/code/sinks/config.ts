import {
  type AstNode,
  booleanValue,
  child,
  children,
  forEachChild,
  isFunction,
  isMember,
  keyName,
  objectProperties,
  propertyName,
  stringValue,
  unwrap,
} from '../ast.js';
import { canonicalName } from '../names.js';
import type { SinkContext } from './context.js';
import { isResponseCall, methodOf } from './response.js';
import { HTTP_CLIENTS, requestTarget } from './web.js';

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|::1|\[::1\]|0\.0\.0\.0)$/;
const SETTING_KEY =
  /^(rejectUnauthorized|strictSSL|checkServerIdentity|secureProtocol|minVersion|algorithms?)$|csrf|xsrf/i;
const CSRF_KEYS = new Set(['csrf', 'csrfprotection', 'xsrf', 'csrfcheck', 'checkcsrf']);
const WEAK_TLS =
  /^(SSLv2|SSLv3|TLSv1|TLSv1\.1|TLSv1_method|TLSv1_1_method|SSLv3_method|SSLv23_method|TLSv1_client_method|TLSv1_server_method)$/;

/** An object literal whose host is a loopback literal: no network path for a man in the middle. */
function targetsLoopback(object: AstNode): boolean {
  const properties = objectProperties(object);
  const host = stringValue(properties.get('host')) ?? stringValue(properties.get('hostname'));
  return host !== undefined && LOOPBACK.test(host);
}

/** Settings rules: TLS off or weak, JWT `none`, CSRF off, CORS, postMessage, cleartext credentials. */
export function checkSettings(context: SinkContext): void {
  for (const object of context.model.objects) {
    for (const property of children(object, 'properties')) {
      if (property.type !== 'ObjectProperty') continue;
      const rawKey = keyName(child(property, 'key'));
      // Most keys of most objects are none of ours: one regex test, no lower-casing.
      if (rawKey === undefined || !SETTING_KEY.test(rawKey)) continue;
      const key = rawKey.toLowerCase();
      const value = child(property, 'value');
      const constant = booleanValue(context.valueOf(value));
      if (
        (key === 'rejectunauthorized' || key === 'strictssl') &&
        constant === false &&
        !targetsLoopback(object)
      )
        context.report(
          'code-tls-disabled',
          property,
          `${rawKey}: false accepts any certificate (man-in-the-middle)`,
        );
      if (key === 'checkserveridentity' && isFunction(unwrap(value)) && acceptsAnyHost(unwrap(value)!))
        context.report(
          'code-tls-disabled',
          property,
          'checkServerIdentity accepts any host name (man-in-the-middle)',
        );
      if (
        (key === 'secureprotocol' || key === 'minversion') &&
        WEAK_TLS.test(context.constantString(value) ?? '')
      )
        context.report(
          'code-weak-tls',
          property,
          `${rawKey}: '${context.constantString(value)!}' allows broken TLS/SSL versions`,
        );
      if (CSRF_KEYS.has(key) && constant === false)
        context.report('code-csrf-disabled', property, `${rawKey}: false turns CSRF protection off`);
      if (key === 'algorithms' || key === 'algorithm') {
        const list =
          unwrap(value)?.type === 'ArrayExpression' ? children(unwrap(value)!, 'elements') : [value!];
        if (list.some((item) => (context.constantString(item) ?? '').toLowerCase() === 'none'))
          context.report('code-jwt-none', property, 'JWT verification accepts alg "none" (unsigned tokens)');
      }
    }
    checkCorsOptions(context, object);
  }
  for (const assignment of context.model.assignments) {
    const left = unwrap(child(assignment, 'left'));
    const target =
      left?.type === 'Identifier'
        ? (left['name'] as string)
        : isMember(left)
          ? propertyName(left)
          : undefined;
    const right = child(assignment, 'right');
    const text =
      context.constantString(right) ??
      (unwrap(right)?.type === 'NumericLiteral' ? String(unwrap(right)!['value']) : undefined);
    if (target === 'NODE_TLS_REJECT_UNAUTHORIZED' && text === '0')
      context.report(
        'code-tls-disabled',
        assignment,
        'NODE_TLS_REJECT_UNAUTHORIZED=0 disables certificate checks process-wide',
      );
    if (target === 'rejectUnauthorized' && booleanValue(context.valueOf(right)) === false)
      context.report(
        'code-tls-disabled',
        assignment,
        'rejectUnauthorized = false accepts any certificate (man-in-the-middle)',
      );
  }
  // Each per-call check only where its words occur: most parsed files have none of them.
  const text = context.file.text;
  const checks = [
    text.includes('verify') ? checkJwtVerify : undefined,
    /ccess-[Cc]ontrol/.test(text) ? checkCorsHeaders : undefined,
    text.includes('postMessage') ? checkPostMessage : undefined,
    /:\/\/|http\./.test(text) ? checkCleartext : undefined,
  ].filter((check) => check !== undefined);
  if (checks.length > 0)
    for (const call of context.model.calls) for (const check of checks) check(context, call);
  if (text.includes('message')) checkMessageHandlers(context);
  if (context.file.text.includes('Math.random')) checkInsecureRandom(context);
}

function acceptsAnyHost(fn: AstNode): boolean {
  const body = child(fn, 'body');
  if (body?.type !== 'BlockStatement')
    return unwrap(body)?.type === 'Identifier' && unwrap(body)!['name'] === 'undefined';
  return children(body, 'body').every(
    (statement) => statement.type === 'ReturnStatement' && !child(statement, 'argument'),
  );
}

/** jsonwebtoken's verify with no key accepts unsigned tokens in old versions, and verifies nothing. */
function checkJwtVerify(context: SinkContext, call: AstNode): void {
  const name = canonicalName(child(call, 'callee'), context.model);
  if (name !== 'jsonwebtoken.verify' && name !== 'jws.verify') return;
  const key = unwrap(children(call, 'arguments')[1]);
  const empty =
    !key ||
    key.type === 'NullLiteral' ||
    (key.type === 'Identifier' && key['name'] === 'undefined') ||
    stringValue(key) === '' ||
    booleanValue(key) === false;
  if (empty)
    context.report('code-jwt-none', call, `${name}() without a key accepts unsigned (alg "none") tokens`);
}

function checkCorsOptions(context: SinkContext, object: AstNode): void {
  if (!children(object, 'properties').some((property) => keyName(child(property, 'key')) === 'credentials'))
    return;
  const properties = objectProperties(object);
  const origin = properties.get('origin');
  const credentials = booleanValue(properties.get('credentials'));
  if (!origin || credentials !== true) return;
  const value = unwrap(origin);
  const any = stringValue(value) === '*' || booleanValue(value) === true;
  const reflects =
    isFunction(value) &&
    /\b(?:callback|cb|next|done)\s*\(\s*null\s*,\s*(?:true|origin)\s*\)/.test(
      context.file.text.slice(value.start ?? 0, (value['end'] as number | undefined) ?? 0),
    );
  if (any || reflects)
    context.report(
      'code-cors-misconfiguration',
      object,
      `CORS allows ${any ? 'any origin' : 'every origin it is asked for'} with credentials: any site can read authenticated responses`,
    );
}

function checkCorsHeaders(context: SinkContext, call: AstNode): void {
  const method = methodOf(call);
  if (method !== 'setHeader' && method !== 'set' && method !== 'header' && method !== 'append') return;
  const args = children(call, 'arguments');
  if (
    (stringValue(args[0]) ?? '').toLowerCase() !== 'access-control-allow-origin' ||
    !isResponseCall(context, call)
  )
    return;
  const taint = context.tainted(args[1], 'cors');
  if (taint) {
    context.report(
      'code-cors-misconfiguration',
      call,
      'Access-Control-Allow-Origin reflects a value that',
      taint,
    );
    return;
  }
  if (stringValue(args[1]) !== '*') return;
  const fn = context.model.enclosing.get(call);
  const scope = fn
    ? context.file.text.slice(fn.start ?? 0, (fn['end'] as number | undefined) ?? 0)
    : context.file.text;
  if (/access-control-allow-credentials['"`]\s*,\s*(?:true|['"`]true['"`])/i.test(scope))
    context.report(
      'code-cors-misconfiguration',
      call,
      'Access-Control-Allow-Origin: * together with Allow-Credentials: true',
    );
}

function checkPostMessage(context: SinkContext, call: AstNode): void {
  if (
    methodOf(call) !== 'postMessage' &&
    canonicalName(child(call, 'callee'), context.model) !== 'postMessage'
  )
    return;
  const target = children(call, 'arguments')[1];
  if (context.constantString(target) === '*')
    context.report(
      'code-postmessage-wildcard',
      call,
      "postMessage(..., '*') hands the message to whatever origin the window shows",
    );
}

/** Message handlers on the window that read `event.data` and never look at `event.origin`. */
function checkMessageHandlers(context: SinkContext): void {
  const text = context.file.text;
  if (
    !text.includes('message') ||
    /\bimportScripts\b|\bparentPort\b|WorkerGlobalScope|self\.postMessage/.test(text)
  )
    return;
  const handlers: AstNode[] = [];
  for (const call of context.model.calls) {
    const args = children(call, 'arguments');
    // Bare or window./globalThis. addEventListener (workers were excluded above).
    if (
      canonicalName(child(call, 'callee'), context.model) === 'addEventListener' &&
      stringValue(args[0]) === 'message'
    ) {
      const handler = context.taint.sources.functionOf(args[1]);
      if (handler) handlers.push(handler);
    }
  }
  for (const assignment of context.model.assignments) {
    const name = canonicalName(child(assignment, 'left'), context.model);
    if (name !== 'onmessage') continue;
    const handler = context.taint.sources.functionOf(child(assignment, 'right'));
    if (handler) handlers.push(handler);
  }
  for (const handler of handlers) {
    const body = text.slice(handler.start ?? 0, (handler['end'] as number | undefined) ?? 0);
    if (/\.data\b|\bdata\b/.test(body) && !/\borigin\b/.test(body))
      context.report(
        'code-message-origin',
        handler,
        'This message handler uses event.data without checking event.origin: any window can send it',
      );
  }
}

const CREDENTIAL_KEY =
  /^(auth|authorization|password|passwd|pass|token|access_?token|api_?key|x-api-key|secret|client_?secret|cookie|credentials)$/i;

/** Credentials sent over cleartext http:// to a host that is not loopback. */
function checkCleartext(context: SinkContext, call: AstNode): void {
  const name = canonicalName(child(call, 'callee'), context.model);
  if (name === undefined || !HTTP_CLIENTS.test(name)) return;
  const args = children(call, 'arguments');
  const target = requestTarget(context, call);
  const url = context.staticText(target) ?? '';
  const first = objectProperties(context.valueOf(args[0]));
  const httpModule = /^http\.(request|get)$/.test(name) && first.size > 0;
  const match = /^(?:http|ws):\/\/(?:([^@/?#]*)@)?([^/?#:]+|\[[^\]]+\])/i.exec(url);
  const host =
    match?.[2] ?? (httpModule ? stringValue(first.get('hostname') ?? first.get('host')) : undefined);
  if ((!match && !httpModule) || host === undefined || LOOPBACK.test(host) || host.trim() === '') return;
  const credentialInUrl =
    Boolean(match?.[1]?.includes(':')) || /[?&](token|password|api_?key|access_token|secret)=/i.test(url);
  const credentialInOptions = args.some((arg) => hasCredentialKey(context, context.valueOf(arg), 0));
  if (credentialInUrl || credentialInOptions)
    context.report(
      'code-cleartext-transport',
      call,
      `${name.replace(/\(\)$/, '')}() sends credentials over cleartext http:// to ${host}`,
    );
}

function hasCredentialKey(context: SinkContext, node: AstNode | undefined, depth: number): boolean {
  // body: JSON.stringify({ password }) / new URLSearchParams({ token })
  if ((node?.type === 'CallExpression' || node?.type === 'NewExpression') && depth > 0)
    return hasCredentialKey(context, context.valueOf(children(node, 'arguments')[0]), depth + 1);
  if (node?.type !== 'ObjectExpression' || depth > 3) return false;
  for (const [key, value] of objectProperties(node)) {
    if (CREDENTIAL_KEY.test(key)) return true;
    if (
      /^(headers|body|json|form|data|params)$/i.test(key) &&
      hasCredentialKey(context, context.valueOf(value), depth + 1)
    )
      return true;
  }
  return false;
}

const TOKEN_NAME =
  /token|secret|passw(or)?d|nonce|salt|session|api_?key|otp|csrf|credential|reset_?code|verification|invite_?code/i;

/** Math.random() flowing into a token-like name (the variable, property or function it is returned by). */
function checkInsecureRandom(context: SinkContext): void {
  // Only subtrees whose text holds the word `random` can hold the call: the walk skips all others.
  const text = context.file.text;
  const offsets: number[] = [];
  for (let at = text.indexOf('random'); at !== -1; at = text.indexOf('random', at + 1)) offsets.push(at);
  const holdsWord = (node: AstNode): boolean => {
    const start = node.start ?? 0;
    const end = typeof node['end'] === 'number' ? node['end'] : text.length;
    let low = 0;
    let high = offsets.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (offsets[middle]! < start) low = middle + 1;
      else high = middle;
    }
    return low < offsets.length && offsets[low]! < end;
  };
  const walk = (node: AstNode, ancestors: AstNode[]): void => {
    if (!holdsWord(node)) return;
    if (node.type === 'CallExpression') {
      const callee = unwrap(child(node, 'callee'));
      if (
        isMember(callee) &&
        propertyName(callee) === 'random' &&
        keyName(unwrap(child(callee, 'object'))) === 'Math'
      ) {
        const receiver = receivingName(ancestors);
        if (receiver && TOKEN_NAME.test(receiver))
          context.report(
            'code-insecure-random',
            node,
            `Math.random() feeds "${receiver}", which is predictable`,
          );
      }
    }
    ancestors.push(node);
    forEachChild(node, (item) => walk(item, ancestors));
    ancestors.pop();
  };
  walk(context.program, []);
}

/** The first name the value flows into (variable, property, assignment target or function), if any. */
function receivingName(ancestors: readonly AstNode[]): string | undefined {
  for (let index = ancestors.length - 1; index >= 0; index--) {
    const node = ancestors[index]!;
    switch (node.type) {
      case 'VariableDeclarator':
        return keyName(child(node, 'id'));
      case 'AssignmentExpression': {
        const left = unwrap(child(node, 'left'));
        return isMember(left) ? propertyName(left) : keyName(left);
      }
      case 'ObjectProperty':
      case 'ClassProperty':
      case 'ObjectMethod':
      case 'ClassMethod':
        return keyName(child(node, 'key'));
      case 'FunctionDeclaration':
      case 'FunctionExpression':
        return keyName(child(node, 'id')) ?? receivingName(ancestors.slice(0, index));
      case 'ArrowFunctionExpression':
        return receivingName(ancestors.slice(0, index));
      case 'ReturnStatement': {
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
