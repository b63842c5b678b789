// Bundles the `pg` package locked in the repository's package-lock.json into one CommonJS file, so the image
// build needs no npm and no network (the Dockerfile copies vendor/pg/ to /app/node_modules/pg). Rerun after
// bumping pg:  node sample-app/vendor/bundle-pg.mjs   (a unit test fails while the two versions differ).
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync, existsSync, renameSync } from 'node:fs';
import { dirname, join } from 'node:path';

const root = join(import.meta.dirname, '..', '..');
const modules = join(root, 'node_modules');
const target = join(import.meta.dirname, 'pg');
const version = JSON.parse(readFileSync(join(modules, 'pg', 'package.json'), 'utf8')).version;

rmSync(target, { recursive: true, force: true });
mkdirSync(join(target, 'dist'), { recursive: true });
execFileSync(
  process.execPath,
  [
    join(modules, '@vercel', 'ncc', 'dist', 'ncc', 'cli.js'),
    'build',
    join(modules, 'pg', 'lib', 'index.js'),
    '-o',
    join(target, 'dist'),
    '-q',
  ],
  { stdio: 'inherit' },
);
renameSync(join(target, 'dist', 'index.js'), join(target, 'dist', 'index.cjs'));

// Every package the bundle holds keeps its license text (all MIT or ISC).
const licenses = [];
const visit = (name, seen = new Set()) => {
  if (seen.has(name)) return;
  seen.add(name);
  const dir = join(modules, name);
  if (!existsSync(dir)) return; // optional (pg-native, pg-cloudflare outside workerd)
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const file = ['LICENSE', 'LICENSE.md', 'license', 'LICENSE.txt'].map((f) => join(dir, f)).find(existsSync);
  licenses.push(
    `${name}@${manifest.version} (${manifest.license})\n\n${file ? readFileSync(file, 'utf8').trim() : manifest.license}\n`,
  );
  for (const dependency of Object.keys(manifest.dependencies ?? {})) visit(dependency, seen);
  return seen;
};
visit('pg');
writeFileSync(join(target, 'LICENSES.txt'), licenses.join('\n---\n\n'));
writeFileSync(
  join(target, 'package.json'),
  `${JSON.stringify({ name: 'pg', version, private: true, description: 'pg bundled by sample-app/vendor/bundle-pg.mjs', license: 'MIT', main: 'dist/index.cjs' }, null, 2)}\n`,
);
console.log(`bundled pg ${version} into ${dirname(join(target, 'dist', 'index.cjs'))}`);
