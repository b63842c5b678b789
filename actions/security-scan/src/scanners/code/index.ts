import type { Finding, SourceFile } from '../../findings.js';
import type { AstNode } from './ast.js';
import { parseSource } from './parse.js';
import { mayHaveFindings } from './prefilter.js';
import { buildModel } from './scopes.js';
import { checkCodeInjection } from './sinks/code-injection.js';
import { checkCommandInjection } from './sinks/command.js';
import { checkSettings } from './sinks/config.js';
import { SinkContext } from './sinks/context.js';
import { checkDeserialization, checkPrototypePollution, checkXxe } from './sinks/data.js';
import { checkNosqlInjection, checkSqlInjection } from './sinks/sql.js';
import { checkOpenRedirect, checkPathTraversal, checkSsrf } from './sinks/web.js';
import { checkXss } from './sinks/xss.js';
import { TaintEngine } from './taint.js';

const SOURCE_EXTENSION = /\.(?:[cm]?[jt]s|[jt]sx)$/;
const MAX_SOURCE_BYTES = 512 * 1024;

/** A file the parser could not read, for the job summary and a SARIF notification. */
export interface UnparsableFile {
  file: string;
  reason: string;
}

export interface CodeScanResult {
  findings: Finding[];
  unparsable: UnparsableFile[];
  /** JS/TS files the rules did not read, and why (minified, bundled, too large): to be listed, not silent. */
  skipped: UnparsableFile[];
  /** Files the rules needed to parse (the others contain none of the words any rule looks for). */
  parsed: number;
}

const isSourcePath = (path: string): boolean =>
  SOURCE_EXTENSION.test(path) && !/\.d\.[cm]?ts$/.test(path) && !/(^|\/)node_modules\//.test(path);

/**
 * Webpack/ncc output: the runtime's banner or its require function, or the comment that separates bundled
 * modules in a chunk. (Written so that this file, which names them, does not match.)
 */
const BUNDLE_MARKS = /^\/\*{6}\/|^\/\*{3}\/ |function __nccwpck_require__\(/m;

/** Why a JS/TS file is not read by the rules, or undefined when it is. */
function skipReason(file: SourceFile): string | undefined {
  if (/\.min\.js$/.test(file.path)) return 'minified (.min.js)';
  if (file.text.length > MAX_SOURCE_BYTES)
    return `larger than ${MAX_SOURCE_BYTES / 1024} KiB (${Math.round(file.text.length / 1024)} KiB)`;
  // Bundles are build output: their sources are scanned where they live.
  if (BUNDLE_MARKS.test(file.text))
    return 'a bundle (webpack/ncc output); its sources are scanned where they live';
  return undefined;
}

const MINIFIED_MIN_BYTES = 32 * 1024;
const MINIFIED_LINE_LENGTH = 500;

/**
 * The average line length of a minified file (32 KiB or more, lines of 500+ characters on average; written
 * code averages under 50), else undefined. Such files are build output: their trees are the largest and
 * their findings belong to the sources they were built from.
 */
function minifiedLineLength(text: string): number | undefined {
  if (text.length < MINIFIED_MIN_BYTES) return undefined;
  const maxLines = text.length / MINIFIED_LINE_LENGTH;
  let lines = 1;
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1))
    if (++lines > maxLines) return undefined;
  return Math.round(text.length / lines);
}

export function isScannableSource(file: SourceFile): boolean {
  return isSourcePath(file.path) && skipReason(file) === undefined;
}

function scanFile(file: SourceFile, result: CodeScanResult): void {
  const text = file.text;
  if (!mayHaveFindings(text)) return;
  const minified = minifiedLineLength(text);
  if (minified !== undefined) {
    result.skipped.push({
      file: file.path,
      reason: `minified (lines of ${minified} characters on average): generated code, not parsed`,
    });
    return;
  }
  const parsed = parseSource(file.path, text);
  result.parsed++;
  if ('error' in parsed) {
    result.unparsable.push({ file: file.path, reason: parsed.error });
    return;
  }
  try {
    result.findings.push(...analyse(file, parsed.program));
  } catch (error: unknown) {
    // A tree the rules cannot walk (e.g. nesting deeper than the stack) is reported like an unparsable file:
    // one file's oddity must not stop the scan, nor pass silently.
    result.unparsable.push({
      file: file.path,
      reason: `not analysed: ${error instanceof Error ? error.message : String(error)}`,
    });
  }
}

const CHECKS = [
  checkCommandInjection,
  checkCodeInjection,
  checkSqlInjection,
  checkNosqlInjection,
  checkXss,
  checkSsrf,
  checkPathTraversal,
  checkOpenRedirect,
  checkXxe,
  checkPrototypePollution,
  checkDeserialization,
  checkSettings,
];

function analyse(file: SourceFile, program: AstNode): Finding[] {
  const model = buildModel(program);
  const context = new SinkContext(file, program, model, new TaintEngine(model));
  for (const check of CHECKS) check(context);
  return context.findings.sort((a, b) => a.line - b.line || a.ruleId.localeCompare(b.ruleId));
}

/** Taint-tracking JS/TS rules over a Babel AST, plus the files that could not be parsed. */
export function scanCodeFiles(files: readonly SourceFile[]): CodeScanResult {
  const result: CodeScanResult = { findings: [], unparsable: [], skipped: [], parsed: 0 };
  for (const file of files) {
    if (!isSourcePath(file.path)) continue;
    const reason = skipReason(file);
    if (reason === undefined) scanFile(file, result);
    else result.skipped.push({ file: file.path, reason });
  }
  return result;
}

export function scanCode(files: readonly SourceFile[]): Finding[] {
  return scanCodeFiles(files).findings;
}
