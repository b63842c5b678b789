// Collects every `uses:` of the repository (workflows and Markdown code blocks) and says what is wrong
// with their refs: a third-party action must be pinned to a full commit SHA with its version in a comment,
// and each action must appear with one ref everywhere. Our own actions (shipkit/shipkit/...) follow the
// release mechanism instead (see scripts/release.ts): one major tag in the docs, one exact tag in workflows.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

import type { OwnRefs } from '../../../scripts/release-lib.js';

export const OWN_PREFIX = 'shipkit/shipkit/';
/** Our own actions: this repository's paths, and the per-action repositories `npm run package` writes. */
const OWN_OWNER = 'shipkit/';
/** Put on the line before a Markdown code fence whose `uses:` lines are not ours to pin (a "before" example). */
export const SKIP_MARKER = '<!-- pins: not checked';

export interface UsesRef {
  file: string;
  line: number;
  /** owner/repo[/path], as written before the @. */
  action: string;
  /** owner/repo, which one ref covers (github/codeql-action/init and /upload-sarif share it). */
  repo: string;
  ref: string;
  /** The text of a trailing `# ...` comment, e.g. "v6.1.0". */
  comment: string;
}

const USES_LINE = /^\s*(?:-\s+)?uses:\s*['"]?([^\s'"#]+)['"]?\s*(?:#\s*(.*))?$/;

function parseUses(file: string, line: number, text: string): UsesRef | undefined {
  const match = USES_LINE.exec(text);
  if (!match) return undefined;
  const reference = match[1]!;
  if (reference.startsWith('./') || reference.startsWith('docker://')) return undefined;
  const at = reference.lastIndexOf('@');
  const action = at < 0 ? reference : reference.slice(0, at);
  const ref = at < 0 ? '' : reference.slice(at + 1);
  const repo = action.split('/').slice(0, 2).join('/');
  return { file, line, action, repo, ref, comment: (match[2] ?? '').trim() };
}

export function usesInWorkflow(file: string, text: string): UsesRef[] {
  return text.split('\n').flatMap((line, index) => parseUses(file, index + 1, line) ?? []);
}

/** `uses:` lines inside fenced code blocks, except blocks right after a SKIP_MARKER comment. */
export function usesInMarkdown(file: string, text: string): UsesRef[] {
  const lines = text.split('\n');
  const found: UsesRef[] = [];
  let fence: string | undefined;
  let skipped = false;
  let lastText = '';
  lines.forEach((line, index) => {
    const opening = /^\s*(```+|~~~+)/.exec(line);
    if (fence === undefined) {
      if (opening) {
        fence = opening[1]!;
        skipped = lastText.startsWith(SKIP_MARKER);
      } else if (line.trim() !== '') {
        lastText = line.trim();
      }
      return;
    }
    if (opening && line.trim() === fence) {
      fence = undefined;
      lastText = '';
      return;
    }
    if (!skipped) {
      const uses = parseUses(file, index + 1, line);
      if (uses) found.push(uses);
    }
  });
  return found;
}

const FULL_SHA = /^[0-9a-f]{40}$/;
const VERSION_COMMENT = /^v\d+\.\d+\.\d+\b/;

/** One message per problem; empty when every ref is right. */
export function pinProblems(refs: UsesRef[], own: OwnRefs): string[] {
  const problems: string[] = [];
  const where = (use: UsesRef): string => `${use.file}:${use.line}`;
  const byRepo = new Map<string, UsesRef[]>();
  for (const use of refs) {
    if (use.action.startsWith(OWN_OWNER)) {
      const expected = use.file.endsWith('.md') ? own.docs : own.workflows;
      if (use.ref !== expected) {
        problems.push(`${where(use)}: ${use.action}@${use.ref || '(no ref)'} should be @${expected}`);
      }
      continue;
    }
    if (!FULL_SHA.test(use.ref)) {
      problems.push(
        `${where(use)}: ${use.action}@${use.ref || '(no ref)'} is not pinned to a full commit SHA`,
      );
    } else if (!VERSION_COMMENT.test(use.comment)) {
      problems.push(`${where(use)}: ${use.action}@${use.ref} has no "# vX.Y.Z" comment naming its version`);
    }
    byRepo.set(use.repo, [...(byRepo.get(use.repo) ?? []), use]);
  }
  for (const [repo, uses] of byRepo) {
    const variants = new Set(uses.map((use) => `${use.ref} # ${use.comment.split(/\s/)[0]}`));
    if (variants.size > 1) {
      problems.push(
        `${repo} appears with ${variants.size} refs: ${uses.map((use) => `${where(use)} @${use.ref.slice(0, 12)} ${use.comment}`).join('; ')}`,
      );
    }
  }
  return problems;
}

const SKIPPED_DIRS = new Set(['node_modules', '.git', '.stack', '.build', 'dist', 'fixtures', 'coverage']);

function filesUnder(root: string, dir: string, keep: (name: string) => boolean): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.isDirectory()) {
      return SKIPPED_DIRS.has(entry.name) ? [] : filesUnder(root, join(dir, entry.name), keep);
    }
    return keep(entry.name) ? [relative(root, join(dir, entry.name))] : [];
  });
}

/** Every `uses:` of the repository at `root`: its workflows and its Markdown files' code blocks. */
export function repositoryUses(root: string): UsesRef[] {
  const workflows = filesUnder(root, join(root, '.github', 'workflows'), (name) => /\.ya?ml$/.test(name));
  const markdown = filesUnder(root, root, (name) => name.endsWith('.md'));
  return [
    ...workflows.flatMap((file) => usesInWorkflow(file, readFileSync(join(root, file), 'utf8'))),
    ...markdown.flatMap((file) => usesInMarkdown(file, readFileSync(join(root, file), 'utf8'))),
  ];
}
