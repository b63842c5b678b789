// Builds every actions/<name>/dist/index.js with @vercel/ncc. With --check, builds into a temporary
// folder and fails (showing which files differ) when a committed bundle is not what the source builds.
import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';

const check = process.argv.includes('--check');
const only = process.argv.slice(2).filter((arg) => !arg.startsWith('--'));
const root = new URL('..', import.meta.url).pathname;
const actions = readdirSync(join(root, 'actions')).filter(
  (name) =>
    existsSync(join(root, 'actions', name, 'src', 'index.ts')) && (only.length === 0 || only.includes(name)),
);

function listFiles(dir, prefix = '') {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? listFiles(join(dir, entry.name), join(prefix, entry.name))
      : [join(prefix, entry.name)],
  );
}

// tsc emits ESM JavaScript first (into .build/<name>, so different actions may build side by side);
// ncc then bundles that. ncc's own TypeScript loader mis-resolves ESM-only packages such as @actions/core 3.
function compile(name) {
  // A fixed path per action: ncc writes module paths into the bundle, so they must not vary.
  const outDir = join(root, '.build', name);
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const config = join(outDir, 'tsconfig.json');
  writeFileSync(
    config,
    JSON.stringify({
      extends: join(root, 'tsconfig.build.json'),
      compilerOptions: { outDir, rootDir: root, typeRoots: [join(root, 'node_modules', '@types')] },
      include: [join(root, 'actions', name, 'src', 'index.ts')],
    }),
  );
  execFileSync(join(root, 'node_modules', '.bin', 'tsc'), ['-p', config], { stdio: 'inherit', cwd: root });
  return outDir;
}

let stale = 0;
for (const name of actions) {
  const compiled = compile(name);
  const entry = join(compiled, 'actions', name, 'src', 'index.js');
  const committed = join(root, 'actions', name, 'dist');
  const out = check ? mkdtempSync(join(tmpdir(), `shipkit-dist-${name}-`)) : committed;
  if (!check) rmSync(committed, { recursive: true, force: true });
  execFileSync(
    join(root, 'node_modules', '.bin', 'ncc'),
    ['build', entry, '-o', out, '--target', 'es2024', '-q'],
    {
      stdio: 'inherit',
      cwd: root,
    },
  );
  rmSync(compiled, { recursive: true, force: true });
  // Files a bundle reads beside itself at run time (WebAssembly: ncc's asset copy does not keep binaries intact).
  const assets = join(root, 'actions', name, 'bundle-assets.json');
  for (const file of existsSync(assets) ? JSON.parse(readFileSync(assets, 'utf8')) : []) {
    copyFileSync(join(root, file), join(out, basename(file)));
  }
  if (check) {
    const fresh = listFiles(out).sort();
    const old = listFiles(committed).sort();
    const differing = [...new Set([...fresh, ...old])].filter(
      (file) =>
        !fresh.includes(file) ||
        !old.includes(file) ||
        !readFileSync(join(out, file)).equals(readFileSync(join(committed, file))),
    );
    if (differing.length > 0) {
      stale++;
      console.error(
        `::error::actions/${name}/dist is stale: ${differing.join(', ')} differ from a fresh build. Run "npm run build" and commit.`,
      );
    } else {
      console.log(`actions/${name}/dist is fresh.`);
    }
    rmSync(out, { recursive: true, force: true });
  } else {
    console.log(`built actions/${name}/dist/index.js`);
  }
}
process.exit(stale > 0 ? 1 : 0);
