import {
  type AstNode,
  child,
  children,
  isFunction,
  isMember,
  propertyName,
  stringValue,
  unwrap,
} from './ast.js';
import { FAMILY } from './families.js';
import { canonicalName, describe } from './names.js';
import type { Binding, FileModel } from './scopes.js';

/** Where attacker-controlled data enters: a label for messages and whether it can be an object (qs, JSON). */
export interface Source {
  label: string;
  objectLike: boolean;
  /** The whole body/query object rather than one value of it. */
  whole: boolean;
  /** Families this source does not threaten (a CLI's own user choosing its paths is no attack). */
  notFor?: number;
}

/** Parameter names web frameworks hand the request under (Express, Koa, Fastify, Hapi, Next.js). */
const REQUEST_NAMES = new Set(['req', 'request', 'ctx', 'context', 'httpRequest']);
/** Request fields filled from the client; `true` when the framework may parse them into objects. */
const REQUEST_FIELDS = new Map<string, boolean>([
  ['query', true],
  ['params', false],
  ['body', true],
  ['payload', true],
  ['headers', false],
  ['cookies', false],
  ['signedCookies', false],
  ['url', false],
  ['originalUrl', false],
  ['path', false],
  ['querystring', false],
  ['search', false],
  ['href', false],
  ['nextUrl', false],
  ['searchParams', false],
  ['files', true],
  ['file', true],
  ['rawBody', false],
]);
/** Request methods returning client data: `req.get('x')`, `ctx.cookies.get()`, `await request.json()`. */
const REQUEST_METHODS = new Map<string, boolean>([
  ['get', false],
  ['header', false],
  ['param', false],
  ['json', true],
  ['text', false],
  ['formData', true],
]);
/** AWS Lambda event fields (API Gateway, function URLs). */
const LAMBDA_FIELDS = new Map<string, boolean>([
  ['body', false],
  ['queryStringParameters', true],
  ['multiValueQueryStringParameters', true],
  ['pathParameters', true],
  ['headers', true],
  ['multiValueHeaders', true],
  ['rawPath', false],
  ['rawQueryString', false],
  ['cookies', true],
]);
const LAMBDA_NAMES = new Set(['event', 'evt', 'apiGatewayEvent']);
/** NestJS parameter decorators that inject client data. */
const NEST_SOURCES = new Set([
  'Query',
  'Body',
  'Param',
  'Headers',
  'Cookies',
  'UploadedFile',
  'UploadedFiles',
  'Ip',
  'HostParam',
]);
const NEST_REQUEST = new Set(['Req', 'Request']);
/** Browser values an attacker controls through the URL, the referrer, the window name or cookies. */
const LOCATION_FIELDS = new Set(['hash', 'search', 'href', 'pathname', 'toString']);
const DOCUMENT_SOURCES = new Set([
  'document.URL',
  'document.documentURI',
  'document.baseURI',
  'document.referrer',
  'document.cookie',
  'name',
]);

/** What a command-line argument is no attack on: the user running the tool already owns its files and network. */
const LOCAL_USER_FAMILIES =
  FAMILY.path | FAMILY.ssrf | FAMILY.redirect | FAMILY.xss | FAMILY.proto | FAMILY.cors | FAMILY.nosql;

export class SourceFinder {
  /** Functions registered as `message` event handlers: their first parameter is a MessageEvent. */
  private readonly messageHandlers = new Set<AstNode>();

  private readonly model: FileModel;

  constructor(model: FileModel) {
    this.model = model;
    for (const call of model.calls) {
      const callee = unwrap(child(call, 'callee'));
      const args = children(call, 'arguments');
      if (
        isMember(callee) &&
        propertyName(callee) === 'addEventListener' &&
        stringValue(args[0]) === 'message'
      ) {
        const handler = this.functionOf(args[1]);
        if (handler) this.messageHandlers.add(handler);
      }
    }
    for (const assignment of model.assignments) {
      const left = unwrap(child(assignment, 'left'));
      if (
        (left?.type === 'Identifier' && left['name'] === 'onmessage') ||
        (isMember(left) && propertyName(left) === 'onmessage')
      ) {
        const handler = this.functionOf(child(assignment, 'right'));
        if (handler) this.messageHandlers.add(handler);
      }
    }
  }

  /** The function an expression is or names. */
  functionOf(node: AstNode | undefined): AstNode | undefined {
    const expression = unwrap(node);
    if (isFunction(expression)) return expression;
    if (expression?.type === 'Identifier') {
      const value = this.model
        .resolve(expression)
        ?.assignments.find((assignment) => isFunction(assignment.value));
      return value?.value;
    }
    return undefined;
  }

  isMessageHandler(fn: AstNode): boolean {
    return this.messageHandlers.has(fn);
  }

  /** A parameter that carries client data by itself (NestJS `@Body() dto`, Next.js `{ searchParams }`). */
  parameterSource(binding: Binding): Source | undefined {
    const decorators = binding.decorators ?? [];
    const nest = decorators.find((name) => NEST_SOURCES.has(name));
    if (nest)
      return {
        label: `@${nest}() ${binding.name}`,
        objectLike: nest === 'Body' || nest === 'Query',
        whole: false,
      };
    if (binding.param?.props[0] === 'searchParams' && binding.param.props.length === 1)
      return { label: `searchParams (Next.js page props)`, objectLike: false, whole: false };
    return undefined;
  }

  /** Whether an expression is a request object: a handler parameter named like one, `ctx.request`, `@Req()`. */
  isRequest(node: AstNode | undefined, depth = 0): boolean {
    const expression = unwrap(node);
    if (!expression || depth > 4) return false;
    if (expression.type === 'Identifier') {
      const binding = this.model.resolve(expression);
      if (!binding) return false;
      if (binding.kind === 'param')
        return (
          binding.param?.props.length === 0 &&
          (REQUEST_NAMES.has(binding.name) ||
            (binding.decorators ?? []).some((name) => NEST_REQUEST.has(name)))
        );
      // const request = ctx.request
      return (
        binding.assignments.length === 1 &&
        binding.assignments[0]!.props.length === 0 &&
        !binding.assignments[0]!.into &&
        this.isRequest(binding.assignments[0]!.value, depth + 1)
      );
    }
    if (isMember(expression)) {
      const name = propertyName(expression);
      return (
        (name === 'request' || name === 'req' || name === 'raw') &&
        this.isRequest(child(expression, 'object'), depth + 1)
      );
    }
    return false;
  }

  private isLambdaEvent(node: AstNode | undefined): boolean {
    const expression = unwrap(node);
    if (expression?.type !== 'Identifier') return false;
    const binding = this.model.resolve(expression);
    return (
      binding?.kind === 'param' &&
      binding.param?.props.length === 0 &&
      LAMBDA_NAMES.has(binding.name) &&
      !this.isMessageHandler(binding.param.fn)
    );
  }

  private isMessageEvent(node: AstNode | undefined): boolean {
    const expression = unwrap(node);
    if (expression?.type !== 'Identifier') return false;
    const binding = this.model.resolve(expression);
    return (
      binding?.kind === 'param' &&
      binding.param?.index === 0 &&
      binding.param.props.length === 0 &&
      this.isMessageHandler(binding.param.fn)
    );
  }

  /** Reading `field` of `object` (a member access, or destructuring `const { field } = object`). */
  fieldSource(object: AstNode | undefined, field: string | undefined): Source | undefined {
    if (field === undefined || !object) return undefined;
    if (REQUEST_FIELDS.has(field) && this.isRequest(object))
      return {
        label: `${describe(object)}.${field}`,
        objectLike: REQUEST_FIELDS.get(field)!,
        whole: true,
        // Another site cannot make a victim's browser send chosen headers or cookies: no reflected XSS.
        ...(field === 'headers' || field === 'cookies' || field === 'signedCookies'
          ? { notFor: FAMILY.xss }
          : {}),
      };
    if (LAMBDA_FIELDS.has(field) && this.isLambdaEvent(object))
      return {
        label: `${describe(object)}.${field} (Lambda event)`,
        objectLike: LAMBDA_FIELDS.get(field)!,
        whole: true,
      };
    if (field === 'data' && this.isMessageEvent(object))
      return { label: `${describe(object)}.data (postMessage)`, objectLike: true, whole: false };
    const base = canonicalName(object, this.model);
    if (base === 'location' && LOCATION_FIELDS.has(field))
      return { label: `location.${field}`, objectLike: false, whole: false };
    if (base !== undefined && DOCUMENT_SOURCES.has(`${base}.${field}`))
      return { label: `${base}.${field}`, objectLike: false, whole: false };
    if (base === 'window' && field === 'name')
      return { label: 'window.name', objectLike: false, whole: false };
    if ((base === 'process' && field === 'argv') || (base === 'Deno' && field === 'args'))
      return { label: `${base}.${field}`, objectLike: false, whole: true, notFor: LOCAL_USER_FAMILIES };
    return undefined;
  }

  /** A call returning client data: `req.get('x')`, `ctx.cookies.get('s')`, `await request.json()`. */
  callSource(call: AstNode): Source | undefined {
    const callee = unwrap(child(call, 'callee'));
    if (!isMember(callee)) return undefined;
    const method = propertyName(callee);
    if (method === undefined || !REQUEST_METHODS.has(method)) return undefined;
    const object = child(callee, 'object');
    const cookies =
      isMember(unwrap(object)) &&
      propertyName(unwrap(object)!) === 'cookies' &&
      this.isRequest(child(unwrap(object)!, 'object'));
    if (this.isRequest(object) || cookies)
      return { label: `${describe(callee)}()`, objectLike: REQUEST_METHODS.get(method)!, whole: false };
    return undefined;
  }

  /** Unbound `location` read whole (`'' + location`). */
  identifierSource(identifier: AstNode): Source | undefined {
    if (this.model.resolve(identifier)) return undefined;
    return identifier['name'] === 'location'
      ? { label: 'location', objectLike: false, whole: false }
      : undefined;
  }
}
