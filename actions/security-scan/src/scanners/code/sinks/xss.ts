import {
  type AstNode,
  booleanValue,
  child,
  children,
  isMember,
  keyName,
  objectProperties,
  propertyName,
  unwrap,
} from '../ast.js';
import { canonicalName, rootIdentifier } from '../names.js';
import type { SinkContext } from './context.js';
import { isResponseCall, methodOf } from './response.js';

const RESPONSE_WRITES = new Set(['send', 'write', 'end', 'response']);
const HTML_PROPERTIES = new Set(['innerHTML', 'outerHTML', 'srcdoc']);
const JQUERY_HTML = new Set([
  'html',
  'append',
  'prepend',
  'after',
  'before',
  'replaceWith',
  'wrap',
  'wrapAll',
]);
const BYPASS = /^bypassSecurityTrust(Html|Script|Url|ResourceUrl|Style)$/;
/** Template markers that print without escaping: EJS `<%-`, Handlebars/Mustache `{{{`/`{{&`, Pug `!{`. */
const RAW_TEMPLATE_OUTPUT = /<%-|\{\{\{|\{\{&|!\{/;

/** Cross-site scripting (CWE-79): tainted HTML into responses, the DOM, React, jQuery and unescaped templates. */
export function checkXss(context: SinkContext): void {
  for (const call of context.model.calls) {
    const method = methodOf(call);
    const args = children(call, 'arguments');
    const name = canonicalName(child(call, 'callee'), context.model) ?? '';
    if (method !== undefined && RESPONSE_WRITES.has(method) && isResponseCall(context, call)) {
      const taint = context.tainted(args[0], 'xss');
      // res.send(req.body) echoes the parsed object back as JSON: no markup.
      if (taint && !(taint.whole && taint.objectLike))
        context.report(
          'code-xss',
          call,
          `${describeCall(call)} writes into the HTTP response a value that`,
          taint,
        );
      continue;
    }
    if (
      method === 'insertAdjacentHTML' ||
      name === 'document.write' ||
      name === 'document.writeln' ||
      method === 'createContextualFragment'
    ) {
      const taint = context.tainted(method === 'insertAdjacentHTML' ? args[1] : args[0], 'xss');
      if (taint) context.report('code-xss', call, `${method ?? name}() inserts HTML that`, taint);
      continue;
    }
    if (
      method !== undefined &&
      JQUERY_HTML.has(method) &&
      isJqueryChain(context, child(unwrap(child(call, 'callee'))!, 'object'))
    ) {
      const taint = context.tainted(args[0], 'xss');
      if (taint) context.report('code-xss', call, `jQuery .${method}() inserts HTML that`, taint);
      continue;
    }
    if ((name === '$' || name === 'jQuery' || name === 'jquery') && args.length === 1) {
      const taint = context.tainted(args[0], 'xss');
      if (taint) context.report('code-xss', call, `jQuery $() parses as HTML a value that`, taint);
      continue;
    }
    if (method !== undefined && BYPASS.test(method)) {
      const taint = context.tainted(args[0], 'xss');
      if (taint) context.report('code-xss', call, `${method}() marks as trusted a value that`, taint);
      continue;
    }
    if (/\.SafeString(\(\))?$/.test(name) || method === 'SafeString') {
      const taint = context.tainted(args[0], 'xss');
      if (taint) context.report('code-xss', call, 'SafeString() prints unescaped a value that', taint);
      continue;
    }
    if (
      /^(ejs|mustache|Mustache|handlebars|Handlebars|pug|nunjucks)\.(render|renderString)$/.test(name) &&
      args.length >= 2
    ) {
      const template = context.staticText(args[0]) ?? '';
      const taint = RAW_TEMPLATE_OUTPUT.test(template) ? context.tainted(args[1], 'xss') : undefined;
      if (taint)
        context.report('code-xss', call, `${name}() prints unescaped (<%- or {{{) template data that`, taint);
    }
  }
  for (const assignment of context.model.assignments) {
    const left = unwrap(child(assignment, 'left'));
    if (!isMember(left)) continue;
    const property = propertyName(left);
    if (property !== undefined && HTML_PROPERTIES.has(property)) {
      const taint = context.tainted(child(assignment, 'right'), 'xss');
      if (taint) context.report('code-xss', assignment, `Setting .${property} inserts HTML that`, taint);
    } else if (property === 'body') {
      // Koa: ctx.body = '<p>' + input (Koa serves a string starting with '<' as text/html).
      const root = rootIdentifier(left);
      if (root?.['name'] !== 'ctx' || context.model.resolve(root)?.kind !== 'param') continue;
      const right = child(assignment, 'right');
      if (!/^\s*</.test(context.staticText(right) ?? '')) continue;
      const taint = context.tainted(right, 'xss');
      if (taint) context.report('code-xss', assignment, 'ctx.body serves as HTML a value that', taint);
    }
  }
  for (const attribute of context.model.jsxAttributes) {
    if (
      keyName(child(attribute, 'name')) !== 'dangerouslySetInnerHTML' &&
      (child(attribute, 'name')?.['name'] as string | undefined) !== 'dangerouslySetInnerHTML'
    )
      continue;
    const container = child(attribute, 'value');
    checkDangerousHtml(context, attribute, container ? child(container, 'expression') : undefined);
  }
  for (const object of context.model.objects) {
    const properties = objectProperties(object);
    const html = properties.get('dangerouslySetInnerHTML');
    if (html) checkDangerousHtml(context, object, html);
    // Template engines told not to escape: every value they print is raw HTML.
    const autoescape = properties.get('autoescape');
    const noEscape = properties.get('noEscape');
    if ((autoescape && booleanValue(autoescape) === false) || (noEscape && booleanValue(noEscape) === true))
      context.report(
        'code-xss',
        object,
        `Template escaping is turned off (${autoescape ? 'autoescape: false' : 'noEscape: true'}): every printed value is raw HTML`,
      );
  }
}

function checkDangerousHtml(context: SinkContext, at: AstNode, value: AstNode | undefined): void {
  const html = objectProperties(context.valueOf(value)).get('__html');
  const taint = context.tainted(html ?? value, 'xss');
  if (taint) context.report('code-xss', at, 'dangerouslySetInnerHTML renders HTML that', taint);
}

function isJqueryChain(context: SinkContext, node: AstNode | undefined): boolean {
  let current = unwrap(node);
  while (current && (isMember(current) || current.type === 'CallExpression')) {
    if (current.type === 'CallExpression') {
      const name = canonicalName(child(current, 'callee'), context.model);
      if (name === '$' || name === 'jQuery' || name === 'jquery') return true;
      current = unwrap(child(current, 'callee'));
    } else current = unwrap(child(current, 'object'));
  }
  // $el.html(x): by convention a name starting with $ holds a jQuery object.
  return current?.type === 'Identifier' && (current['name'] as string).startsWith('$');
}

function describeCall(call: AstNode): string {
  const callee = unwrap(child(call, 'callee'));
  const root = rootIdentifier(callee);
  return `${(root?.['name'] as string | undefined) ?? 'res'}.${methodOf(call) ?? 'send'}()`;
}
