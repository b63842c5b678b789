// npm run package [-- --out DIR] [--ref REF] [names...]: one Marketplace-ready tree per action in
// DIR/<name> (default .package/), checked by packageProblems; exits 1 naming what is wrong.
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

import { listActions, packageProblems, packageRepository, writePackage } from './package-lib.js';

const root = process.cwd();
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { out: { type: 'string', default: '.package' }, ref: { type: 'string', default: 'main' } },
});
const actions = listActions(root);
const unknown = positionals.filter((name) => !actions.includes(name));
if (unknown.length) {
  console.log(`::error::no action named ${unknown.join(', ')} (there are ${actions.join(', ')})`);
  process.exit(1);
}
let failed = 0;
for (const action of positionals.length ? positionals : actions) {
  const outDir = resolve(root, values.out, action);
  try {
    const files = writePackage(root, action, outDir, values.ref);
    const problems = packageProblems(outDir);
    if (problems.length) {
      failed++;
      console.log(`::error::${action}: ${problems.join('; ')}`);
    } else {
      console.log(
        `${join(values.out, action)}: ${files.length} files, publish as ${packageRepository(action)}`,
      );
    }
  } catch (error) {
    failed++;
    console.log(`::error::${action}: ${error instanceof Error ? error.message : String(error)}`);
  }
}
process.exit(failed ? 1 : 0);
