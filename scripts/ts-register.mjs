// Lets Node 24 run this repo's TypeScript directly (tools, benchmarks, scripts): Node strips the types
// itself; this hook maps the `./x.js` specifiers our sources use (NodeNext style) to `./x.ts`.
// Usage: node --import ./scripts/ts-register.mjs tools/local-aws/main.ts
import { registerHooks } from 'node:module';

registerHooks({
  resolve(specifier, context, nextResolve) {
    try {
      return nextResolve(specifier, context);
    } catch (error) {
      const relative = specifier.startsWith('./') || specifier.startsWith('../');
      if (relative && specifier.endsWith('.js') && error?.code === 'ERR_MODULE_NOT_FOUND') {
        return nextResolve(`${specifier.slice(0, -3)}.ts`, context);
      }
      throw error;
    }
  },
});
