// What `npm run package` writes per action: a tree that can be pushed as its own repository and listed on
// GitHub Marketplace (one action.yml at its root, no workflow files): action.yml, dist/ (the committed
// bundle, not rebuilt), README.md with its examples and links made to work outside this repository,
// LICENSE and SECURITY.md. Nothing in it points back into this repository by a relative path.
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join, normalize, relative } from 'node:path';

import { parse } from 'yaml';

import { REPOSITORY, REPOSITORY_URL } from './release-lib.js';

/** The repository each action is published as: shipkit/<name>. */
export function packageRepository(action: string): string {
  return `${REPOSITORY.split('/')[0]}/${action}`;
}

/** Actions of the repository at `root`: folders of actions/ with an action.yml. */
export function listActions(root: string): string[] {
  const dir = join(root, 'actions');
  return readdirSync(dir)
    .filter((name) => existsSync(join(dir, name, 'action.yml')))
    .sort();
}

/**
 * The README as the action's own repository shows it: `uses: shipkit/shipkit/actions/<x>@ref` becomes
 * `uses: shipkit/<x>@ref`, and relative links leave for this repository's page at `ref` (what they named).
 */
export function packagedReadme(readme: string, action: string, ref: string): string {
  const withUses = readme.replace(
    /shipkit\/shipkit\/actions\/([a-z0-9-]+)@/g,
    (_, name: string) => `${packageRepository(name)}@`,
  );
  return withUses.replace(
    /(!?\[[^\]]*\]\()([^)\s]+)(\))/g,
    (whole, open: string, target: string, close: string) => {
      if (/^[a-z][a-z0-9+.-]*:|^#|^\//i.test(target)) return whole;
      const [path = '', anchor] = target.split('#');
      if (path === 'action.yml' || path === 'README.md' || path === 'LICENSE') return whole;
      const inRepo = normalize(join('actions', action, path));
      const url = `${REPOSITORY_URL}/blob/${ref}/${inRepo}${anchor === undefined ? '' : `#${anchor}`}`;
      return `${open}${url}${close}`;
    },
  );
}

/** Writes the package of `action` into `outDir` (replacing it); returns the files written, relative. */
export function writePackage(root: string, action: string, outDir: string, ref: string): string[] {
  const source = join(root, 'actions', action);
  if (!existsSync(join(source, 'dist', 'index.js'))) {
    throw new Error(`actions/${action}/dist/index.js is missing: run "npm run build" first`);
  }
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  cpSync(join(source, 'action.yml'), join(outDir, 'action.yml'));
  cpSync(join(source, 'dist'), join(outDir, 'dist'), { recursive: true });
  writeFileSync(
    join(outDir, 'README.md'),
    packagedReadme(readFileSync(join(source, 'README.md'), 'utf8'), action, ref),
  );
  for (const file of ['LICENSE', 'SECURITY.md']) {
    if (existsSync(join(root, file))) cpSync(join(root, file), join(outDir, file));
  }
  return filesUnder(outDir);
}

function filesUnder(dir: string, base = dir): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path, base) : [relative(base, path)];
  });
}

interface ActionMetadata {
  name?: string;
  description?: string;
  branding?: { icon?: string; color?: string };
  runs?: { using?: string; main?: string; pre?: string; post?: string };
}

/** What keeps a packaged tree from being its own repository and Marketplace listing; empty when nothing. */
export function packageProblems(dir: string): string[] {
  const problems: string[] = [];
  const metadataPath = join(dir, 'action.yml');
  if (!existsSync(metadataPath)) return ['no action.yml at the root'];
  const metadata = parse(readFileSync(metadataPath, 'utf8')) as ActionMetadata;
  for (const key of ['name', 'description'] as const) {
    if (!metadata[key]) problems.push(`action.yml has no ${key} (Marketplace needs it)`);
  }
  if (!metadata.branding?.icon || !metadata.branding.color)
    problems.push('action.yml has no branding icon and color');
  for (const entry of ['main', 'pre', 'post'] as const) {
    const file = metadata.runs?.[entry];
    if (file === undefined) continue;
    const resolved = normalize(join(dir, file));
    if (!resolved.startsWith(`${normalize(dir)}/`))
      problems.push(`runs.${entry} (${file}) points outside the tree`);
    else if (!existsSync(resolved)) problems.push(`runs.${entry} (${file}) does not exist`);
  }
  if (existsSync(join(dir, '.github', 'workflows')))
    problems.push('has .github/workflows (Marketplace refuses it)');
  const ymls = filesUnder(dir).filter((file) => /(^|\/)action\.ya?ml$/.test(file));
  if (ymls.length !== 1)
    problems.push(`has ${ymls.length} action.yml files, Marketplace needs one at the root`);
  for (const file of ['README.md', 'LICENSE']) {
    if (!existsSync(join(dir, file))) problems.push(`no ${file}`);
  }
  if (existsSync(join(dir, 'README.md'))) {
    const readme = readFileSync(join(dir, 'README.md'), 'utf8');
    const relativeLinks = [...readme.matchAll(/\]\((\.\.?\/[^)]*)\)/g)].map((match) => match[1]);
    if (relativeLinks.length) problems.push(`README.md links into the monorepo: ${relativeLinks.join(', ')}`);
    if (readme.includes('shipkit/shipkit/actions/'))
      problems.push('README.md still uses shipkit/shipkit/actions/...');
  }
  return problems;
}
