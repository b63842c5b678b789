import type { Finding, SourceFile } from '../../findings.js';
import { parseSource } from './parse.js';
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
  /** Files the rules needed to parse (the others contain none of the words any rule looks for). */
  parsed: number;
}

export function isScannableSource(file: SourceFile): boolean {
  if (!SOURCE_EXTENSION.test(file.path) || /\.d\.[cm]?ts$/.test(file.path) || /\.min\.js$/.test(file.path))
    return false;
  if (/(^|\/)node_modules\//.test(file.path) || file.text.length > MAX_SOURCE_BYTES) return false;
  // Bundles (ncc/webpack) are vendored code: their source is scanned where it lives.
  return !file.text.includes('__nccwpck_require__') && !file.text.startsWith('/******/');
}

/**
 * Words some rule needs to see: a file with none cannot produce a finding and is not parsed (most files
 * of a repository). Rules that need no source (settings, eval, dynamic shell/SQL) have their own words.
 */
const SETTINGS_OR_STRONG_SINK =
  /rejectUnauthorized|NODE_TLS|strictSSL|checkServerIdentity|secureProtocol|minVersion|csrf|xsrf|['"`]none['"`]|\.verify\(|Access-Control|credentials|postMessage|\bnoent\b|dtdload|Entities\b|unserialize|deserialize|unsafeLoad|FULL_SCHEMA|http:\/\/|ws:\/\/|Math\.random|autoescape|noEscape|dangerouslySetInnerHTML|\beval\b|\bFunction\(|\$where|\bexec(Sync)?\(|\bshell\b|\b(select|insert|update|delete|replace|with|create|drop|alter|merge|truncate)\s|\bvm\b|\bsetTimeout\(|addEventListener|onmessage|child_process|shelljs|execa|Deno\.|vm2|\bspawn/i;
/** Where input comes from: request-like names, Lambda events, browser URL/referrer/name/cookie, argv. */
const SOURCE_WORDS =
  /\b(req|request|ctx|context|httpRequest)\.|\b(event|evt)\.(body|query|path|headers|multi|raw|cookies)|\blocation\b|document\.(URL|documentURI|baseURI|referrer|cookie)|window\.name|process\.argv|Deno\.args|@(Query|Body|Param|Headers|Cookies|Req|Request|UploadedFiles?)\(|searchParams|\{\s*(query|body|params|headers)\b/;

function scanFile(file: SourceFile, result: CodeScanResult): void {
  const text = file.text;
  if (!SOURCE_WORDS.test(text) && !SETTINGS_OR_STRONG_SINK.test(text)) return;
  const parsed = parseSource(file.path, text);
  result.parsed++;
  if ('error' in parsed) {
    result.unparsable.push({ file: file.path, reason: parsed.error });
    return;
  }
  const model = buildModel(parsed.program);
  const context = new SinkContext(file, parsed.program, model, new TaintEngine(model));
  checkCommandInjection(context);
  checkCodeInjection(context);
  checkSqlInjection(context);
  checkNosqlInjection(context);
  checkXss(context);
  checkSsrf(context);
  checkPathTraversal(context);
  checkOpenRedirect(context);
  checkXxe(context);
  checkPrototypePollution(context);
  checkDeserialization(context);
  checkSettings(context);
  result.findings.push(
    ...context.findings.sort((a, b) => a.line - b.line || a.ruleId.localeCompare(b.ruleId)),
  );
}

/** Taint-tracking JS/TS rules over a Babel AST, plus the files that could not be parsed. */
export function scanCodeFiles(files: readonly SourceFile[]): CodeScanResult {
  const result: CodeScanResult = { findings: [], unparsable: [], parsed: 0 };
  for (const file of files) if (isScannableSource(file)) scanFile(file, result);
  return result;
}

export function scanCode(files: readonly SourceFile[]): Finding[] {
  return scanCodeFiles(files).findings;
}
