import { children, child, isFunction, unwrap } from '../ast.js';
import { canonicalName } from '../names.js';
import type { SinkContext } from './context.js';

/** Calls that run their first argument as JavaScript. */
const EVALUATORS = new Set([
  'eval',
  'Function',
  'vm.runInContext',
  'vm.runInNewContext',
  'vm.runInThisContext',
  'vm.compileFunction',
  'vm.Script',
  'vm.SourceTextModule',
  'vm2.VM().run',
  'vm2.NodeVM().run',
  'vm2.VMScript',
  'vm2.VM().runFile',
]);
const TIMERS = new Set(['setTimeout', 'setInterval', 'setImmediate', 'execScript']);
/** Template engines' compile/render entry points: a template text from the user runs code on the server. */
const TEMPLATE_COMPILERS =
  /^(ejs|pug|jade|handlebars|Handlebars|nunjucks|mustache|Mustache|hogan\.js|dot|doT|swig|eta|squirrelly|art-template|lodash|underscore|_|velocityjs|twig|liquidjs|marko)\.(compile|render|renderString|template|precompile|compileFile|parseAndRender|renderFile)$|^lodash\.template$/;

/** Code injection (CWE-94/95): eval, Function, vm, vm2, string timers, require/import of input; template injection. */
export function checkCodeInjection(context: SinkContext): void {
  for (const call of context.model.calls) {
    const callee = child(call, 'callee');
    const name = canonicalName(callee, context.model);
    if (name === undefined) continue;
    const args = children(call, 'arguments');
    const normalised = name.replace(/^(vm2\.(VM|NodeVM))\(\)\.run.*$/, '$1().run');
    if (EVALUATORS.has(normalised)) {
      const code = name === 'Function' ? args.at(-1) : args[0];
      const taint = context.tainted(code, 'code');
      const label = name === 'Function' ? 'new Function' : `${name.replace(/\(\)/g, '')}()`;
      if (taint) context.report('code-eval', call, `${label} runs code that`, taint);
      else if (
        args.length > 0 &&
        (name === 'eval' || name === 'Function'
          ? !args.every((arg) => context.constantString(arg) !== undefined)
          : context.isDynamicString(code))
      )
        context.report('code-eval', call, `${label} runs a string built at run time`);
      continue;
    }
    if (TIMERS.has(name) && args[0] && !isFunction(unwrap(args[0]))) {
      const taint = context.tainted(args[0], 'code');
      if (taint) context.report('code-eval', call, `${name}() with a string runs code that`, taint);
      else if (context.isDynamicString(args[0]))
        context.report('code-eval', call, `${name}() runs a string built at run time as code`);
      continue;
    }
    if (name === 'require' || name === 'import' || unwrap(callee)?.type === 'Import') {
      const taint = context.tainted(args[0], 'code');
      if (taint) context.report('code-eval', call, `${name}() loads a module named by a value that`, taint);
      continue;
    }
    if (TEMPLATE_COMPILERS.test(name)) {
      const taint = context.tainted(args[0], 'template');
      if (taint)
        context.report('code-template-injection', call, `${name}() compiles a template whose text`, taint);
    }
  }
}
