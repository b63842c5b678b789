// Turns src/*.ts into runnable .js with Node's own type stripping: no npm, no network, nothing rewritten
// but the types (sources already import './x.js'). Usage: node build.mjs [out-dir]   (default: ./dist)
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { stripTypeScriptTypes } from 'node:module';
import { join, resolve } from 'node:path';

const sourceDir = join(import.meta.dirname, 'src');
const outDir = resolve(process.argv[2] ?? join(import.meta.dirname, 'dist'));

rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });
let count = 0;
for (const name of readdirSync(sourceDir)) {
  if (!name.endsWith('.ts') || name.endsWith('.d.ts')) continue;
  const source = readFileSync(join(sourceDir, name), 'utf8');
  // 'strip' mode only blanks out types, so line and column numbers in stack traces match the .ts files.
  writeFileSync(join(outDir, name.replace(/\.ts$/, '.js')), stripTypeScriptTypes(source, { mode: 'strip' }));
  count++;
}
cpSync(join(sourceDir, 'static'), join(outDir, 'static'), { recursive: true });
// The schema migrations ship beside the code: `node migrate.js` applies them (see migrations.ts).
cpSync(join(import.meta.dirname, 'migrations'), join(outDir, 'migrations'), { recursive: true });
writeFileSync(
  join(outDir, 'package.json'),
  `${JSON.stringify({ type: 'module', private: true }, null, 2)}\n`,
);
console.log(`built ${count} modules into ${outDir}`);
