import {
  type AstNode,
  child,
  children,
  isMember,
  objectProperties,
  propertyName,
  stringValue,
  unwrap,
} from '../ast.js';
import { canonicalName } from '../names.js';
import type { SinkContext } from './context.js';
import { isResponseCall, methodOf } from './response.js';

/** HTTP clients: the first argument is the URL, or an options object with url/uri/host/baseURL. */
export const HTTP_CLIENTS =
  /^(fetch|node-fetch|axios|got|request|superagent|needle|phin|ky|bent|http|https|http2|undici)(\.(get|post|put|patch|delete|del|head|options|request|stream|fetch|connect))?(\(\))?$|^(axios|got|ky)\.default(\.\w+)?$/;

/** The URL an HTTP client call fetches: its first argument, or the url/uri/host of an options object. */
export function requestTarget(context: SinkContext, call: AstNode): AstNode | undefined {
  const first = children(call, 'arguments')[0];
  const value = context.valueOf(first);
  if (value?.type === 'ObjectExpression') {
    const properties = objectProperties(value);
    return (
      properties.get('url') ??
      properties.get('uri') ??
      properties.get('baseURL') ??
      properties.get('hostname') ??
      properties.get('host')
    );
  }
  return first;
}

/** Server-side request forgery (CWE-918): HTTP clients and headless browsers sent to a tainted URL. */
export function checkSsrf(context: SinkContext): void {
  for (const call of context.model.calls) {
    const name = canonicalName(child(call, 'callee'), context.model);
    const method = methodOf(call);
    if (name !== undefined && HTTP_CLIENTS.test(name) && !name.startsWith('http.createServer')) {
      const taint = context.urlTaint(requestTarget(context, call), 'ssrf');
      if (taint)
        context.report(
          'code-ssrf',
          call,
          `${name.replace(/\(\)$/, '')}() sends a request to a URL that`,
          taint,
        );
    } else if (method === 'goto' || (method === 'navigate' && name?.startsWith('puppeteer'))) {
      const taint = context.urlTaint(children(call, 'arguments')[0], 'ssrf');
      if (taint)
        context.report('code-ssrf', call, `A headless browser's .${method}() opens a URL that`, taint);
    }
  }
}

/** fs functions whose first (and for copy/rename, second) argument is a path. */
const FS_PATH =
  /^fs\.(readFile|readFileSync|createReadStream|writeFile|writeFileSync|createWriteStream|appendFile|appendFileSync|open|openSync|unlink|unlinkSync|rm|rmSync|rmdir|rmdirSync|readdir|readdirSync|copyFile|copyFileSync|cp|cpSync|rename|renameSync|mkdir|mkdirSync|truncate|truncateSync|outputFile|outputFileSync|readJson|readJsonSync|writeJson|remove|removeSync|move|copy|symlink|link|chmod|chown|access|accessSync|stat|statSync|lstat|readlink|realpath|opendir|watch|exists|existsSync)$/;

/** Path traversal (CWE-22): fs calls and res.sendFile/download on a tainted path. */
export function checkPathTraversal(context: SinkContext): void {
  for (const call of context.model.calls) {
    const name = canonicalName(child(call, 'callee'), context.model);
    const args = children(call, 'arguments');
    if (name !== undefined && FS_PATH.test(name)) {
      const paths = /copy|rename|move|link|cp/i.test(name) ? args.slice(0, 2) : args.slice(0, 1);
      for (const path of paths) {
        const taint = context.tainted(path, 'path');
        if (taint) {
          context.report('code-path-traversal', call, `${name}() opens a path that`, taint);
          break;
        }
      }
      continue;
    }
    const method = methodOf(call);
    if (
      (method === 'sendFile' || method === 'download' || method === 'sendfile' || method === 'attachment') &&
      isResponseCall(context, call)
    ) {
      // A `root` option makes send() refuse paths outside it.
      if (args.slice(1).some((arg) => objectProperties(context.valueOf(arg)).has('root'))) continue;
      const taint = context.tainted(args[0], 'path');
      if (taint)
        context.report('code-path-traversal', call, `res.${method}() serves a file whose path`, taint);
    }
  }
}

const REDIRECT_HEADER = /^location$/i;

/** Open redirect (CWE-601): res.redirect, `location =`, location.assign/replace, window.open, a Location header. */
export function checkOpenRedirect(context: SinkContext): void {
  for (const call of context.model.calls) {
    const method = methodOf(call);
    const args = children(call, 'arguments');
    const name = canonicalName(child(call, 'callee'), context.model);
    if (method === 'redirect' && isResponseCall(context, call)) {
      const taint = context.urlTaint(args.at(-1), 'redirect');
      if (taint)
        context.report('code-open-redirect', call, 'redirect() sends the browser to a URL that', taint);
    } else if (name === 'location.assign' || name === 'location.replace' || name === 'open') {
      const taint = context.urlTaint(args[0], 'redirect');
      if (taint) context.report('code-open-redirect', call, `${name}() navigates to a URL that`, taint);
    } else if (
      (method === 'setHeader' || method === 'set' || method === 'header') &&
      REDIRECT_HEADER.test(stringValue(args[0]) ?? '') &&
      isResponseCall(context, call)
    ) {
      const taint = context.urlTaint(args[1], 'redirect');
      if (taint)
        context.report('code-open-redirect', call, 'A Location header redirects to a URL that', taint);
    } else if (method === 'writeHead' && isResponseCall(context, call)) {
      const headers = args
        .map((arg) => objectProperties(context.valueOf(arg)))
        .find((properties) => properties.has('Location') || properties.has('location'));
      const taint =
        headers && context.urlTaint(headers.get('Location') ?? headers.get('location'), 'redirect');
      if (taint)
        context.report('code-open-redirect', call, 'A Location header redirects to a URL that', taint);
    }
  }
  for (const assignment of context.model.assignments) {
    const left = unwrap(child(assignment, 'left'));
    const name = canonicalName(left, context.model);
    if (
      name !== 'location' &&
      name !== 'location.href' &&
      !(isMember(left) && propertyName(left) === 'location' && name === undefined)
    )
      continue;
    const taint = context.urlTaint(child(assignment, 'right'), 'redirect');
    if (taint)
      context.report(
        'code-open-redirect',
        assignment,
        `Setting ${name ?? 'location'} navigates to a URL that`,
        taint,
      );
  }
}
