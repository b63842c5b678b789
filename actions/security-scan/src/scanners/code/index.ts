import type { Finding, SourceFile } from '../../findings.js';
import type { AstNode } from './ast.js';
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
 * Words some rule needs to see: a file with none cannot produce a finding and is not parsed (most files of
 * a repository, ~93% of package sources). Taint rules need a source; the others have their own words.
 */
const REQUEST_WORDS =
  /(?:req|request|ctx|context|httpRequest)\.(?:query|params|body|payload|headers|cookies|signedCookies|url|originalUrl|path|querystring|search|href|nextUrl|searchParams|files?|rawBody|get|header|param|json|text|formData|request|req|raw)\b/;
const OTHER_SOURCE_WORDS =
  /location\.(?:hash|search|href|pathname)|[(+]\s*(?:window\.|document\.)?location\s*[)+;,]|document\.(?:URL|documentURI|baseURI|referrer|cookie)|window\.name|process\.argv|Deno\.args|@(?:Query|Body|Param|Headers|Cookies|Req|Request|UploadedFiles?)\(|searchParams|(?:event|evt)\.(?:body|queryStringParameters|pathParameters|multiValue|headers|rawPath|rawQueryString|cookies)|addEventListener\(\s*['"`]message|onmessage|=\s*(?:req|request|ctx)\s*[;,\n]/;
/** Sinks flagged without a known source: eval, shells, vm, `$where`, string timers, SQL text. */
const STRONG_SINK_WORDS =
  /\beval\s*[(),]|\bFunction\s*\(|child_process|shelljs|execa|Deno\.(run|Command)|['"](node:)?vm2?['"]|\$where|set(Timeout|Interval)\(\s*['"`]/;
const SQL_WORDS =
  /['"`]\s*(select|insert\s+into|update|delete\s+from|replace\s+into|merge\s+into|with\s+\w+\s+as)\s|\bwhere\s+\w+\s*(=|like|in)\s*['"(]?['"`]\s*\+/i;
/** Words of settings rules; plain words are found with includes() (much faster than one big alternation). */
const SETTINGS_WORDS = [
  'rejectUnauthorized',
  'NODE_TLS',
  'strictSSL',
  'checkServerIdentity',
  'secureProtocol',
  'postMessage(',
  'noent',
  'dtdload',
  'resolveExternalEntities',
  'expandEntities',
  'node-serialize',
  'unserialize',
  'serialize-to-js',
  'funcster',
  'cryo',
  'unsafeLoad',
  'FULL_SCHEMA',
  'js-yaml',
  'jsonwebtoken',
  'jws',
  'ccess-Control-Allow-Origin',
  'ccess-control-allow-origin',
];
/** Settings words that need their value next to them to mean anything: `csrf: false`, `credentials: true`. */
const SETTINGS_VALUES: readonly [string, RegExp][] = [
  ['minVersion', /minVersion\s*:\s*['"`](?:SSL|TLSv1['"`.])/],
  ['srf', /(?:csrf|xsrf|CSRF|XSRF)\w*['"]?\s*:\s*false/],
  ['credentials', /credentials\s*:\s*true/],
  ['autoescape', /autoescape\s*:\s*false/],
  ['noEscape', /noEscape\s*:\s*true/],
  ['lgorithm', /algorithms?['"]?\s*:[^\n]{0,80}['"`][Nn]one['"`]/],
];
const TOKEN_WORDS = /token|secret|passw|nonce|salt|session|key|otp|csrf|credential|code|verification|invite/i;
const CREDENTIAL_WORDS = /auth|passw|token|api_?key|secret|cookie|credential/i;

function mayHaveFindings(text: string): boolean {
  return (
    REQUEST_WORDS.test(text) ||
    OTHER_SOURCE_WORDS.test(text) ||
    STRONG_SINK_WORDS.test(text) ||
    SQL_WORDS.test(text) ||
    SETTINGS_WORDS.some((word) => text.includes(word)) ||
    SETTINGS_VALUES.some(([word, pattern]) => text.includes(word) && pattern.test(text)) ||
    (text.includes('Math.random') && TOKEN_WORDS.test(text)) ||
    ((/['"`](http|ws):\/\/(?!localhost|127\.|\[::1\])/.test(text) || /\bhttp\.(request|get)\(/.test(text)) &&
      (CREDENTIAL_WORDS.test(text) || /:\/\/[^/\s'"@]+:[^/\s'"@]+@/.test(text)))
  );
}

function scanFile(file: SourceFile, result: CodeScanResult): void {
  const text = file.text;
  if (!mayHaveFindings(text)) return;
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
  const result: CodeScanResult = { findings: [], unparsable: [], parsed: 0 };
  for (const file of files) if (isScannableSource(file)) scanFile(file, result);
  return result;
}

export function scanCode(files: readonly SourceFile[]): Finding[] {
  return scanCodeFiles(files).findings;
}
