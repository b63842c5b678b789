import { readFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';

import type { Finding, SourceFile } from './findings.js';
import { type Repository, gitSucceeds, runGit, streamGit } from './git.js';
import { applySuppressions } from './suppress.js';

/**
 * Secrets in the commits of a pull request or push, not only in its final tree: a key added in one
 * commit and deleted in the next is still in the repository's history, and leaked. The lines each commit
 * added are read with `git log -p` (run safe, see git.ts) and handed to the secrets scanner.
 */

/** The commits an event brings: everything reachable from `include` and not from `exclude`. */
export interface EventRange {
  event: 'pull_request' | 'push';
  include: string[];
  exclude: string[];
  /** True when `include` lists single commits (a new branch's pushed commits), not tips to walk from. */
  noWalk: boolean;
}

const SHA = /^[0-9a-f]{40}([0-9a-f]{24})?$/;
const ZERO = /^0+$/;
/** A huge push is still bounded: at most this many commits, and this many bytes of added lines. */
export const MAX_HISTORY_COMMITS = 2000;
export const MAX_HISTORY_BYTES = 128 * 1024 * 1024;

function sha(value: unknown): string | undefined {
  // Only full hex SHAs reach git: a value starting with `-` must never become an option.
  return typeof value === 'string' && SHA.test(value) && !ZERO.test(value) ? value : undefined;
}

/** The range of a `pull_request` (base..head) or `push` (before..after) event payload; undefined otherwise. */
export function eventRange(eventName: string | undefined, payload: unknown): EventRange | undefined {
  if (typeof payload !== 'object' || payload === null) return undefined;
  const event = payload as {
    pull_request?: { base?: { sha?: unknown }; head?: { sha?: unknown } };
    before?: unknown;
    after?: unknown;
    deleted?: unknown;
    commits?: { id?: unknown }[];
  };
  if (eventName === 'pull_request') {
    const base = sha(event.pull_request?.base?.sha);
    const head = sha(event.pull_request?.head?.sha);
    return base && head
      ? { event: 'pull_request', include: [head], exclude: [base], noWalk: false }
      : undefined;
  }
  if (eventName === 'push') {
    const after = sha(event.after);
    if (!after || event.deleted === true) return undefined; // a deleted branch adds nothing
    const before = sha(event.before);
    if (before) return { event: 'push', include: [after], exclude: [before], noWalk: false };
    // A new branch: GitHub lists the commits the push brought; walking from `after` would take in all history.
    const listed = (Array.isArray(event.commits) ? event.commits : []).map((commit) => sha(commit.id));
    const commits = listed.filter((id): id is string => id !== undefined);
    return { event: 'push', include: commits.length > 0 ? commits : [after], exclude: [], noWalk: true };
  }
  return undefined;
}

/** The event range of the running workflow, from GITHUB_EVENT_NAME and the payload at GITHUB_EVENT_PATH. */
export function currentEventRange(env: NodeJS.ProcessEnv = process.env): EventRange | undefined {
  const path = env['GITHUB_EVENT_PATH'];
  if (!path) return undefined;
  try {
    return eventRange(env['GITHUB_EVENT_NAME'], JSON.parse(readFileSync(path, 'utf8')) as unknown);
  } catch {
    return undefined;
  }
}

/** One file's lines added by one commit: the text handed to the scanner and each line's number in the commit. */
export interface AddedLines {
  commit: string;
  /** Path from the repository's top. */
  path: string;
  lines: string[];
  lineNumbers: number[];
}

/** Undoes git's C-style quoting of an unusual path (`"a\\tb/\\303\\251.txt"`). */
export function unquoteGitPath(raw: string): string {
  if (!raw.startsWith('"') || !raw.endsWith('"')) return raw;
  const bytes: number[] = [];
  const body = raw.slice(1, -1);
  const simple: Record<string, number> = { n: 10, t: 9, r: 13, '"': 34, '\\': 92, a: 7, b: 8, f: 12, v: 11 };
  for (let index = 0; index < body.length; index++) {
    const character = body[index]!;
    if (character !== '\\') {
      bytes.push(...Buffer.from(character, 'utf8'));
      continue;
    }
    const next = body[index + 1] ?? '';
    const octal = /^[0-7]{3}/.exec(body.slice(index + 1))?.[0];
    if (octal) {
      bytes.push(parseInt(octal, 8));
      index += 3;
    } else {
      bytes.push(simple[next] ?? next.charCodeAt(0));
      index += 1;
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/**
 * A parser for `git log -p --unified=0 --format=%x00%H` output, fed line by line. Hunk headers give the
 * number of removed and added lines, so content lines are counted, never guessed from their first character.
 */
export class AddedLinesParser {
  readonly added: AddedLines[] = [];
  bytes = 0;
  private commit = '';
  private path: string | undefined;
  private current: AddedLines | undefined;
  private nextLine = 0;
  private removedLeft = 0;
  private addedLeft = 0;

  private readonly maxBytes: number;

  constructor(maxBytes = MAX_HISTORY_BYTES) {
    this.maxBytes = maxBytes;
  }

  get truncated(): boolean {
    return this.bytes > this.maxBytes;
  }

  push(line: string): void {
    if (this.removedLeft > 0 || this.addedLeft > 0) {
      if (line.startsWith('-') && this.removedLeft > 0) this.removedLeft--;
      else if (line.startsWith('+') && this.addedLeft > 0) this.addLine(line.slice(1));
      else if (!line.startsWith('\\')) this.removedLeft = this.addedLeft = 0; // malformed: resynchronise
      return;
    }
    if (line.startsWith('\0')) {
      this.commit = line.slice(1).trim();
      this.path = undefined;
    } else if (line.startsWith('diff --git ')) {
      this.path = undefined;
    } else if (line.startsWith('+++ ')) {
      const target = unquoteGitPath(line.slice(4));
      this.path = target.startsWith('b/') ? target.slice(2) : undefined; // `+++ /dev/null`: a deletion
      this.current = undefined;
    } else if (line.startsWith('@@ ')) {
      const hunk = /^@@ -\d+(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/.exec(line);
      if (!hunk) return;
      this.removedLeft = hunk[1] === undefined ? 1 : Number(hunk[1]);
      this.nextLine = Number(hunk[2]);
      this.addedLeft = hunk[3] === undefined ? 1 : Number(hunk[3]);
    }
  }

  private addLine(text: string): void {
    this.addedLeft--;
    const lineNumber = this.nextLine++;
    if (this.path === undefined || this.truncated) return;
    if (!this.current) {
      this.current = { commit: this.commit, path: this.path, lines: [], lineNumbers: [] };
      this.added.push(this.current);
    }
    this.current.lines.push(text);
    this.current.lineNumbers.push(lineNumber);
    this.bytes += text.length + 1;
  }
}

export type SecretScanner = (files: readonly SourceFile[]) => Promise<Finding[]>;

export interface HistoryScanOptions {
  repository: Repository;
  /** The scanned directory (absolute); findings' paths are relative to it, as the tree scan's are. */
  root: string;
  range: EventRange;
  scanner: SecretScanner;
  /** The `ignore` input: rule ids and paths apply to history findings too. */
  ignore: readonly string[];
  /** Findings of the tree scan: a secret still in the tree is reported there, not again per commit. */
  treeFindings?: readonly Finding[];
  maxCommits?: number;
  maxBytes?: number;
}

export interface HistoryScanResult {
  findings: Finding[];
  suppressed: Finding[];
  commitsScanned: number;
  /** Why the history was not scanned, or only in part (shallow clone, missing commits, limits). */
  warnings: string[];
}

const EVENT_WORDS: Record<EventRange['event'], string> = { pull_request: 'pull request', push: 'push' };

/** Which of the range's ends the clone lacks (a shallow checkout fetches only the tip). */
function missingCommits(repository: Repository, range: EventRange): string[] {
  return [...range.include, ...range.exclude].filter(
    (commit) => !gitSucceeds(repository, ['cat-file', '-e', `${commit}^{commit}`]),
  );
}

/** Commits of the range at a shallow clone's boundary: their parents, and whatever they added before, are missing. */
function shallowBoundary(repository: Repository, commits: readonly string[]): string[] {
  try {
    const path = runGit(repository, ['rev-parse', '--git-path', 'shallow']).trim();
    const shallow = new Set(
      readFileSync(isAbsolute(path) ? path : join(repository.workTree, path), 'utf8').split('\n'),
    );
    return commits.filter((commit) => shallow.has(commit));
  } catch {
    return []; // no shallow file: a complete clone
  }
}

function toScannedPath(repository: Repository, root: string, path: string): string | undefined {
  const inside = relative(root, resolve(repository.workTree, path));
  if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) return undefined;
  const scanned = inside.split(sep).join('/');
  return /(^|\/)(\.git|node_modules)\//.test(scanned) ? undefined : scanned;
}

function findingKey(finding: Finding, message = finding.message): string {
  return `${finding.ruleId}\0${finding.file}\0${message}`;
}

/**
 * Scans the lines the event's commits added for secrets. Findings name the commit (`commit`, and the
 * message ends with it); `file` and `line` are as of that commit. Oldest commit first; a secret reported
 * once (by the tree scan, or an older commit) is not reported again.
 */
export async function scanHistory(options: HistoryScanOptions): Promise<HistoryScanResult> {
  const { repository, range } = options;
  const eventWord = EVENT_WORDS[range.event];
  const result: HistoryScanResult = { findings: [], suppressed: [], commitsScanned: 0, warnings: [] };
  const missing = missingCommits(repository, range);
  if (missing.length > 0) {
    result.warnings.push(
      `History not scanned: commit ${missing.map((commit) => commit.slice(0, 12)).join(', ')} of this ${eventWord} is not in the clone (${range.event === 'push' ? 'a shallow checkout, or the old tip of a force push' : 'a shallow checkout'}). Set fetch-depth: 0 on actions/checkout to scan the commits the ${eventWord} adds.`,
    );
    return result;
  }
  const maxCommits = options.maxCommits ?? MAX_HISTORY_COMMITS;
  const revisions = [...range.include, ...range.exclude.map((commit) => `^${commit}`)];
  // Newest first, by commit date. (`--max-count` makes `--no-walk` walk after all, so it is not combined.)
  const limit = range.noWalk ? ['--no-walk'] : [`--max-count=${maxCommits + 1}`];
  const commits = runGit(repository, ['rev-list', ...limit, ...revisions, '--'])
    .split('\n')
    .filter((line) => line !== '');
  if (commits.length > maxCommits) {
    result.warnings.push(
      `History scanned in part: this ${eventWord} has more than ${maxCommits} commits; only the newest ${maxCommits} were scanned.`,
    );
  }
  const boundary = shallowBoundary(repository, commits);
  if (boundary.length > 0) {
    result.warnings.push(
      `History scanned in part: the clone is shallow and ends at commit ${boundary[0]!.slice(0, 12)}; commits of this ${eventWord} before it were not scanned. Set fetch-depth: 0 on actions/checkout.`,
    );
  }
  // Oldest first, so a secret carried through several commits is reported at the one that added it.
  const newestFirst = commits.slice(0, maxCommits);
  const scanned = newestFirst.reverse();
  result.commitsScanned = scanned.length;
  if (scanned.length === 0) return result;

  const pathspec = relative(repository.workTree, options.root).split(sep).join('/');
  const parser = new AddedLinesParser(options.maxBytes);
  await streamGit(
    repository,
    [
      'log',
      '--no-walk=unsorted',
      '-p',
      '--unified=0',
      '--no-color',
      '--no-ext-diff',
      '--no-textconv',
      '--no-renames',
      '--diff-filter=d',
      '--src-prefix=a/',
      '--dst-prefix=b/',
      '--format=%x00%H',
      ...scanned,
      '--',
      ...(pathspec === '' ? [] : [pathspec]),
    ],
    (line) => parser.push(line),
  );
  if (parser.truncated) {
    result.warnings.push(
      `History scanned in part: the ${eventWord} adds more than ${Math.round((options.maxBytes ?? MAX_HISTORY_BYTES) / 1048576)} MiB of lines; the rest was not scanned.`,
    );
  }

  const reported = new Set((options.treeFindings ?? []).map((finding) => findingKey(finding)));
  const byCommit = new Map<string, AddedLines[]>();
  for (const added of parser.added)
    byCommit.set(added.commit, [...(byCommit.get(added.commit) ?? []), added]);
  for (const [commit, entries] of byCommit) {
    const files: SourceFile[] = [];
    const lineNumbers = new Map<string, number[]>();
    for (const entry of entries) {
      const path = toScannedPath(repository, options.root, entry.path);
      if (path === undefined) continue;
      files.push({ path, text: entry.lines.join('\n') });
      lineNumbers.set(path, entry.lineNumbers);
    }
    // Suppressions first, on the scanned text's own line numbers (inline comments are on neighbouring lines).
    const { kept, suppressed } = applySuppressions(await options.scanner(files), files, options.ignore);
    const inCommit = (finding: Finding): Finding => ({
      ...finding,
      line: lineNumbers.get(finding.file)?.[finding.line - 1] ?? finding.line,
    });
    result.suppressed.push(...suppressed.map(inCommit));
    for (const finding of kept.map(inCommit)) {
      const key = findingKey(finding);
      if (reported.has(key)) continue;
      reported.add(key);
      result.findings.push({
        ...finding,
        commit,
        message: `${finding.message} (added in commit ${commit.slice(0, 12)}, ${finding.file}:${finding.line} there)`,
      });
    }
  }
  return result;
}
