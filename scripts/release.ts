// npm run release -- X.Y.Z [--skip-tests] [--push] [--date YYYY-MM-DD]
// Refuses a dirty tree, stale bundles (npm run check-dist), failing checks, a version not after the last
// release, or an empty [Unreleased]; then writes CHANGELOG.md's section, points pipeline.yml's own actions
// at vX.Y.Z (and the README examples at vX), commits, tags vX.Y.Z, moves vX and vX.Y, and with --push sends
// them to origin and creates the GitHub release (when `gh` and GITHUB_TOKEN/GH_TOKEN are there).
//   --skip-tests  skip `npm test` (CI ran it just before; the release tests use it)
//   --push        push the branch and the tags to origin (the moving tags forced), then the GitHub release
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import {
  changelogWithRelease,
  pinOwnDocsRefs,
  pinOwnWorkflowRefs,
  releaseTags,
  unreleasedNotes,
  versionProblem,
} from './release-lib.js';

class Refusal extends Error {}

const root = process.cwd();
const PIPELINE = join('.github', 'workflows', 'pipeline.yml');

function git(args: string[]): string {
  return execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

function step(title: string): void {
  console.log(`\n=== ${title}`);
}

/** Runs `npm run <script>`, showing its output; a failure refuses the release with `why`. */
function check(script: string, why: string): void {
  step(`npm run ${script}`);
  const result = spawnSync('npm', ['run', '--silent', script], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) throw new Refusal(`${why} ("npm run ${script}" failed): nothing was tagged`);
}

function markdownFiles(dir: string): string[] {
  const skipped = new Set(['node_modules', '.git', '.stack', '.build', 'dist', 'fixtures', '.package']);
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = dir ? join(dir, entry.name) : entry.name;
    if (entry.isDirectory()) return skipped.has(entry.name) ? [] : markdownFiles(path);
    return entry.name.endsWith('.md') ? [path] : [];
  });
}

/** Rewrites a file when `change` alters it; returns whether it did. */
function rewrite(path: string, change: (text: string) => string): boolean {
  const text = readFileSync(join(root, path), 'utf8');
  const changed = change(text);
  if (changed === text) return false;
  writeFileSync(join(root, path), changed);
  return true;
}

function githubRelease(tag: string, notes: string): void {
  const token = process.env['GITHUB_TOKEN'] || process.env['GH_TOKEN'];
  const gh = spawnSync('gh', ['--version'], { stdio: 'ignore' });
  if (gh.error || gh.status !== 0 || !token) {
    console.log(
      `GitHub release skipped: ${gh.error || gh.status !== 0 ? '`gh` is not installed' : 'no GITHUB_TOKEN or GH_TOKEN'}. Create it from tag ${tag} with the notes of CHANGELOG.md.`,
    );
    return;
  }
  const folder = mkdtempSync(join(tmpdir(), 'shipkit-release-'));
  try {
    const notesFile = join(folder, 'notes.md');
    writeFileSync(notesFile, `${notes}\n`);
    execFileSync(
      'gh',
      ['release', 'create', tag, '--verify-tag', '--title', tag, '--notes-file', notesFile],
      {
        cwd: root,
        stdio: 'inherit',
        env: { ...process.env, GH_TOKEN: token },
      },
    );
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

function release(version: string, options: { skipTests: boolean; push: boolean; date: string }): void {
  const changelogPath = join(root, 'CHANGELOG.md');
  if (!existsSync(changelogPath)) throw new Refusal('CHANGELOG.md is missing');
  const changelog = readFileSync(changelogPath, 'utf8');
  const problem = versionProblem(version, changelog);
  if (problem) throw new Refusal(problem);
  const { exact, moving } = releaseTags(version);
  if (git(['tag', '--list', exact])) throw new Refusal(`tag ${exact} exists already`);
  const notes = unreleasedNotes(changelog);
  if (notes === undefined) throw new Refusal('CHANGELOG.md has no "## [Unreleased]" section');
  if (notes === '')
    throw new Refusal('CHANGELOG.md has nothing under [Unreleased]: write what changed first');
  const dirty = git(['status', '--porcelain']);
  if (dirty) {
    const files = dirty.split('\n').map((line) => line.slice(3));
    throw new Refusal(
      `the working tree is not clean (${files.slice(0, 5).join(', ')}${files.length > 5 ? ', ...' : ''}): commit or remove first`,
    );
  }

  check('check-dist', 'the committed bundles are stale: run "npm run build" and commit');
  check('lint', 'lint fails');
  check('typecheck', 'the types do not check');
  if (options.skipTests) step('npm test skipped (--skip-tests)');
  else check('test', 'the tests fail');
  if (git(['status', '--porcelain']))
    throw new Refusal('the checks changed the working tree: nothing was tagged');

  step(`release ${exact}`);
  writeFileSync(changelogPath, changelogWithRelease(changelog, version, options.date));
  const changed = ['CHANGELOG.md'];
  if (existsSync(join(root, PIPELINE)) && rewrite(PIPELINE, (text) => pinOwnWorkflowRefs(text, exact))) {
    changed.push(PIPELINE);
  }
  const majorTag = moving[0];
  if (majorTag) {
    for (const file of markdownFiles('')) {
      if (file !== 'CHANGELOG.md' && rewrite(file, (text) => pinOwnDocsRefs(text, majorTag)))
        changed.push(file);
    }
  }
  git(['add', '--', ...changed]);
  git(['commit', '-q', '-m', `Release ${exact}`]);
  git(['tag', '-a', exact, '-m', `shipkit ${exact}`]);
  for (const tag of moving) git(['tag', '-f', '-a', tag, '-m', `shipkit ${exact}`, `${exact}^{commit}`]);
  console.log(
    `Committed ${changed.join(', ')}; tagged ${exact}${moving.length ? `, moved ${moving.join(' and ')}` : ''}.`,
  );

  const branch = git(['rev-parse', '--abbrev-ref', 'HEAD']);
  if (!options.push) {
    console.log(
      `Not pushed (no --push). Push with: git push origin ${branch} ${exact}${moving.length ? ` && git push --force origin ${moving.join(' ')}` : ''}`,
    );
    console.log(
      'GitHub release skipped: the tag is not pushed yet (run with --push, or create it after pushing).',
    );
    return;
  }
  step('push');
  execFileSync('git', ['push', 'origin', `HEAD:refs/heads/${branch}`, `refs/tags/${exact}`], {
    cwd: root,
    stdio: 'inherit',
  });
  if (moving.length) {
    execFileSync('git', ['push', '--force', 'origin', ...moving.map((tag) => `refs/tags/${tag}`)], {
      cwd: root,
      stdio: 'inherit',
    });
  }
  githubRelease(exact, unreleasedNotes(changelog) ?? '');
}

function main(): void {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      'skip-tests': { type: 'boolean', default: false },
      push: { type: 'boolean', default: false },
      date: { type: 'string' },
    },
  });
  const version = (positionals[0] ?? '').replace(/^v/, '');
  if (!version || positionals.length > 1) {
    throw new Refusal('give one version: npm run release -- 1.2.3 [--skip-tests] [--push]');
  }
  const date = values.date ?? new Date().toISOString().slice(0, 10);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new Refusal(`--date "${date}" is not YYYY-MM-DD`);
  release(version, { skipTests: values['skip-tests'], push: values.push, date });
}

try {
  main();
} catch (error) {
  if (error instanceof Refusal) {
    console.log(`::error::release refused: ${error.message}`);
  } else {
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    console.log(`::error::release failed: ${message}`);
  }
  process.exit(1);
}
