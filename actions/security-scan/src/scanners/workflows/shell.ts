/**
 * A small shell reader for `run:` blocks: enough of POSIX sh/bash syntax (quotes, `$( )`, backticks, line
 * continuations, comments, heredocs, redirections, pipelines, `{ }`/`( )`/loops/`if` groups) to tell which
 * commands write to the files GitHub reads back ($GITHUB_ENV, $GITHUB_PATH, $GITHUB_OUTPUT), and what text feeds
 * each write. `${{ }}` expressions are opaque word parts. Not a full parser: unknown syntax degrades to words.
 */

export type GithubFile = 'GITHUB_ENV' | 'GITHUB_PATH' | 'GITHUB_OUTPUT';

export interface ShellWord {
  /** As written, quotes included. */
  raw: string;
  start: number;
  end: number;
}

export interface Redirect {
  operator: string;
  target: ShellWord;
}

export interface ShellCommand {
  words: ShellWord[];
  redirects: Redirect[];
  /** Heredoc bodies fed to this command: [start, end) offsets into the script. */
  heredocs: { start: number; end: number; quoted: boolean }[];
  start: number;
  end: number;
  /** Index of the pipeline this command belongs to (commands joined by `|` share it). */
  pipeline: number;
  /** Redirections of enclosing groups (`{ ...; } >> "$GITHUB_ENV"`), with the group's span. */
  inherited: { redirect: Redirect; start: number; end: number }[];
}

/** One write to a GitHub command file: the span of script whose output lands there. */
export interface GithubFileWrite {
  file: GithubFile;
  /** Spans of the script that produce the written text (command or group, pipeline, heredoc bodies). */
  spans: { start: number; end: number }[];
  /** Offset of the command that writes. */
  at: number;
}

const OPERATORS = ['&&', '||', ';;', '|&', '&', '|', ';', '(', ')'];
const REDIRECTS = ['&>>', '<<<', '<<-', '>>', '&>', '>&', '<&', '>|', '<>', '<<', '>', '<'];
const OPENERS = new Set(['{', 'if', 'while', 'until', 'for', 'case', 'select']);
const CLOSERS: Record<string, string> = { '}': '{', fi: 'if', done: 'loop', esac: 'case' };
const CONTINUATIONS = new Set(['then', 'else', 'elif', 'do', '!', 'in']);

interface Group {
  kind: string;
  start: number;
  commands: ShellCommand[];
}

/** End offset of `$(...)`/`$((...))` starting at the `(` at `open`, skipping quotes inside. */
function skipParens(text: string, open: number): number {
  let depth = 0;
  for (let index = open; index < text.length; index++) {
    const char = text[index]!;
    if (char === '\\') index++;
    else if (char === "'") index = skipSingle(text, index);
    else if (char === '"') index = skipDouble(text, index);
    else if (char === '(') depth++;
    else if (char === ')' && --depth === 0) return index;
  }
  return text.length - 1;
}

function skipSingle(text: string, open: number): number {
  const close = text.indexOf("'", open + 1);
  return close === -1 ? text.length - 1 : close;
}

function skipExpression(text: string, open: number): number {
  const close = text.indexOf('}}', open + 3);
  return close === -1 ? text.length - 1 : close + 1;
}

function skipDouble(text: string, open: number): number {
  for (let index = open + 1; index < text.length; index++) {
    const char = text[index]!;
    if (char === '\\') index++;
    else if (char === '"') return index;
    else if (text.startsWith('${{', index)) index = skipExpression(text, index);
    else if (char === '$' && text[index + 1] === '(') index = skipParens(text, index + 1);
    else if (char === '`') index = skipBacktick(text, index);
  }
  return text.length - 1;
}

function skipBacktick(text: string, open: number): number {
  for (let index = open + 1; index < text.length; index++) {
    if (text[index] === '\\') index++;
    else if (text[index] === '`') return index;
  }
  return text.length - 1;
}

function skipBrace(text: string, open: number): number {
  let depth = 0;
  for (let index = open; index < text.length; index++) {
    if (text[index] === '{') depth++;
    else if (text[index] === '}' && --depth === 0) return index;
  }
  return text.length - 1;
}

/** The word starting at `start` (which is not blank, operator or redirection): its end offset. */
function readWord(text: string, start: number): number {
  let index = start;
  while (index < text.length) {
    const char = text[index]!;
    if (/[\s;&|()<>]/.test(char)) break;
    if (char === '\\') index += 2;
    else if (char === "'") index = skipSingle(text, index) + 1;
    else if (char === '"') index = skipDouble(text, index) + 1;
    else if (char === '`') index = skipBacktick(text, index) + 1;
    else if (text.startsWith('${{', index)) index = skipExpression(text, index) + 1;
    else if (char === '$' && text[index + 1] === '(') index = skipParens(text, index + 1) + 1;
    else if (char === '$' && text[index + 1] === '{') index = skipBrace(text, index + 1) + 1;
    else index++;
  }
  return Math.min(index, text.length);
}

/** The word's text with quotes removed (expansions kept as written). */
export function unquote(raw: string): string {
  return raw.replace(/\\(.)|'([^']*)'|"((?:\\.|[^"\\])*)"/gs, (_match, escaped, single, double) =>
    escaped !== undefined
      ? String(escaped)
      : single !== undefined
        ? String(single)
        : String(double).replace(/\\([$`"\\])/g, '$1'),
  );
}

/** Which GitHub command file a redirection target or tee argument names, if any. */
export function githubFileOf(raw: string): GithubFile | undefined {
  const value = unquote(raw).trim();
  const match = /^(?:\$\{?|\$env:|%)(GITHUB_(?:ENV|PATH|OUTPUT))\b\}?%?$/i.exec(value);
  return match ? (match[1]!.toUpperCase() as GithubFile) : undefined;
}

/** Commands of a script, in order, with their redirections and heredoc bodies. */
export function parseShell(text: string): ShellCommand[] {
  const commands: ShellCommand[] = [];
  const groups: Group[] = [];
  const pendingHeredocs: { command: ShellCommand; delimiter: string; strip: boolean; quoted: boolean }[] = [];
  let current: ShellCommand | undefined;
  let pipeline = 0;
  let lastClosed: Group | undefined;

  const finish = (): void => {
    if (current && (current.words.length > 0 || current.redirects.length > 0)) {
      commands.push(current);
      for (const group of groups) group.commands.push(current);
    }
    current = undefined;
  };
  const start = (at: number): ShellCommand =>
    (current ??= { words: [], redirects: [], heredocs: [], start: at, end: at, pipeline, inherited: [] });

  let index = 0;
  while (index < text.length) {
    const char = text[index]!;
    if (char === '\\' && text[index + 1] === '\n') {
      index += 2;
      continue;
    }
    if (char === '\n') {
      finish();
      pipeline++;
      lastClosed = undefined;
      index++;
      // Heredoc bodies start on the line after the command that opened them.
      for (const heredoc of pendingHeredocs.splice(0)) index = readHeredoc(text, index, heredoc);
      continue;
    }
    if (/\s/.test(char)) {
      index++;
      continue;
    }
    if (char === '#' && (index === 0 || /[\s;&|()]/.test(text[index - 1]!))) {
      const newline = text.indexOf('\n', index);
      index = newline === -1 ? text.length : newline;
      continue;
    }
    const fd = /^\d*/.exec(text.slice(index, index + 4))![0];
    const redirect = REDIRECTS.find((operator) => text.startsWith(operator, index + fd.length));
    if (redirect) {
      let cursor = index + fd.length + redirect.length;
      while (text[cursor] === ' ' || text[cursor] === '\t') cursor++;
      const end = readWord(text, cursor);
      const target = { raw: text.slice(cursor, end), start: cursor, end };
      const entry = { operator: redirect, target };
      if (!current && lastClosed) {
        // Redirection after a closed group applies to every command inside it.
        for (const command of lastClosed.commands)
          command.inherited.push({ redirect: entry, start: lastClosed.start, end });
      } else {
        const command = start(index);
        command.redirects.push(entry);
        command.end = end;
        if (redirect === '<<' || redirect === '<<-') {
          const delimiter = unquote(target.raw);
          pendingHeredocs.push({
            command,
            delimiter,
            strip: redirect === '<<-',
            quoted: /['"\\]/.test(target.raw),
          });
        }
      }
      index = end;
      continue;
    }
    const operator = OPERATORS.find((candidate) => text.startsWith(candidate, index));
    if (operator) {
      const openedWithCommand = current !== undefined;
      finish();
      if (operator !== '|' && operator !== '|&') pipeline++;
      lastClosed = undefined;
      if (operator === '(' && !openedWithCommand) groups.push({ kind: '(', start: index, commands: [] });
      if (operator === ')') {
        if (groups.at(-1)?.kind === '(') lastClosed = groups.pop();
        // In a `case`, `)` ends a pattern: nothing to close.
      }
      index += operator.length;
      continue;
    }
    const end = readWord(text, index);
    const raw = text.slice(index, end);
    if (!current && raw in CLOSERS) {
      const kind = CLOSERS[raw]!;
      const position = groups.findLastIndex((group) => group.kind === kind);
      if (position !== -1) lastClosed = groups.splice(position)[0];
      index = end;
      continue;
    }
    if (!current && OPENERS.has(raw)) {
      const kind = raw === '{' || raw === 'if' || raw === 'case' ? raw : 'loop';
      groups.push({ kind, start: index, commands: [] });
      if (raw === '{') {
        index = end;
        continue;
      }
    }
    if (!current && CONTINUATIONS.has(raw)) {
      index = end;
      continue;
    }
    lastClosed = undefined;
    const command = start(index);
    command.words.push({ raw, start: index, end });
    command.end = end;
    index = end;
  }
  finish();
  return commands;
}

function readHeredoc(
  text: string,
  from: number,
  heredoc: { command: ShellCommand; delimiter: string; strip: boolean; quoted: boolean },
): number {
  let index = from;
  while (index < text.length) {
    const newline = text.indexOf('\n', index);
    const lineEnd = newline === -1 ? text.length : newline;
    const line = text.slice(index, lineEnd);
    if ((heredoc.strip ? line.replace(/^\t+/, '') : line).trim() === heredoc.delimiter) {
      heredoc.command.heredocs.push({ start: from, end: index, quoted: heredoc.quoted });
      return lineEnd;
    }
    index = lineEnd + 1;
  }
  heredoc.command.heredocs.push({ start: from, end: text.length, quoted: heredoc.quoted });
  return text.length;
}

const WRITING = new Set(['>', '>>', '>|', '&>', '&>>']);
const TEE_LIKE = /^(tee|add-content|out-file|set-content)$/i;

/** Every write to $GITHUB_ENV / $GITHUB_PATH / $GITHUB_OUTPUT, by redirection, `tee` or PowerShell cmdlets. */
export function githubFileWrites(text: string): GithubFileWrite[] {
  const commands = parseShell(text);
  const writes: GithubFileWrite[] = [];
  for (const command of commands) {
    const own = (spans: { start: number; end: number }[]): { start: number; end: number }[] => [
      ...spans,
      ...command.heredocs.map((heredoc) => ({ start: heredoc.start, end: heredoc.end })),
    ];
    for (const redirect of command.redirects) {
      const file = WRITING.has(redirect.operator) ? githubFileOf(redirect.target.raw) : undefined;
      if (file)
        writes.push({ file, spans: own([{ start: command.start, end: command.end }]), at: command.start });
    }
    for (const { redirect, start, end } of command.inherited) {
      const file = WRITING.has(redirect.operator) ? githubFileOf(redirect.target.raw) : undefined;
      if (file) writes.push({ file, spans: [{ start, end }], at: command.start });
    }
    const name = command.words[0] ? unquote(command.words[0].raw) : '';
    if (TEE_LIKE.test(name)) {
      const file = command.words
        .slice(1)
        .map((word) => githubFileOf(word.raw))
        .find((found) => found !== undefined);
      if (file) {
        // tee writes what the pipeline before it prints.
        const feeding = commands.filter((other) => other.pipeline === command.pipeline);
        writes.push({
          file,
          spans: feeding.flatMap((other) => [
            { start: other.start, end: other.end },
            ...other.heredocs.map((heredoc) => ({ start: heredoc.start, end: heredoc.end })),
          ]),
          at: command.start,
        });
      }
    }
  }
  // One write per command and file (a command may redirect twice or sit in nested groups).
  const seen = new Set<string>();
  return writes.filter((write) => {
    const key = `${write.file}:${write.at}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * For offsets asked in ascending order, the GitHub files the text at that offset is written to (a sweep over
 * the write spans: a long script with thousands of writes and expressions stays linear).
 */
export function writtenFilesLocator(writes: readonly GithubFileWrite[]): (offset: number) => GithubFile[] {
  const spans = writes
    .flatMap((write) => write.spans.map((span) => ({ ...span, file: write.file })))
    .sort((a, b) => a.start - b.start);
  let next = 0;
  let active: typeof spans = [];
  return (offset: number): GithubFile[] => {
    while (next < spans.length && spans[next]!.start <= offset) active.push(spans[next++]!);
    active = active.filter((span) => span.end > offset);
    return [...new Set(active.map((span) => span.file))];
  };
}
