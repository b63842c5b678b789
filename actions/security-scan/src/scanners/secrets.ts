import {
  type Finding,
  type Severity,
  type SourceFile,
  lineOf,
  maskSecret,
  severityRank,
} from '../findings.js';
import { undecodedBytes } from '../files.js';
import { makeFinding, ruleById } from '../rules.js';
import { SECRET_RULES } from '../secrets/catalog.js';
import { type SearchOptions, SecretEngine, type SecretMatch } from '../secrets/engine.js';
import { type Subject, TextSubject } from '../secrets/subject.js';

const engine = new SecretEngine(SECRET_RULES);

/**
 * Lockfiles are mostly integrity hashes and registry URLs: searched only by the specific rules (a token
 * in a `resolved` URL is a real leak), never by the generic assignment rules.
 */
const LOCKFILE =
  /(^|\/)(package-lock\.json|npm-shrinkwrap\.json|yarn\.lock|pnpm-lock\.yaml|bun\.lock|composer\.lock|Gemfile\.lock|Cargo\.lock|poetry\.lock|go\.sum)$/;

/**
 * Minified or generated code: long lines of identifiers where `token:"..."`-style pairs abound; only the
 * specific rules run. Detected by name, or by an average line over 300 characters in the first 16 KB of a
 * file over 4 KB (sampling the head keeps this check from costing a pass of its own).
 */
function isMinified(path: string, text: Subject): boolean {
  if (/\.min\.(?:js|mjs|cjs|css)$|[-.]bundle\.js$/.test(path)) return true;
  if (text.length < 4096) return false;
  const head = text.slice(0, 16384);
  let lines = 1;
  for (let index = head.indexOf('\n'); index !== -1; index = head.indexOf('\n', index + 1)) lines++;
  return head.length / lines > 300;
}

/**
 * Text decoded from a binary (files.ts drops files with NUL bytes; other binaries decode to many U+FFFD
 * replacement characters): not searched, patterns in random bytes are noise.
 */
function looksBinary(text: Subject): boolean {
  const head = text.slice(0, 4096);
  let replaced = 0;
  for (let index = head.indexOf('\uFFFD'); index !== -1; index = head.indexOf('\uFFFD', index + 1))
    replaced++;
  return replaced > head.length / 20;
}

const ENV_FILE = /(^|\/)\.env(\.[\w-]+)?$/;
const ENV_TEMPLATE = /\.(example|sample|template|dist|defaults?|schema)$/i;
const ENV_SECRET_NAME =
  /(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|CREDENTIALS?|DATABASE_URL|DSN)$/i;
/** Values that are clearly not secrets: empty, placeholders, references, booleans. */
const PLACEHOLDER =
  /^(|changeme|change_me|xxx+|\*+|<.*>|\$\{.*\}|\$\w+|your[-_].*|example.*|dummy.*|test|true|false|none|null|todo)$/i;

/** A committed `.env` (not `.env.example`) whose secret-named keys hold real-looking values. */
function envFileFindings(file: SourceFile): Finding[] {
  if (!ENV_FILE.test(file.path) || ENV_TEMPLATE.test(file.path)) return [];
  const findings: Finding[] = [];
  file.text.split('\n').forEach((line, index) => {
    const match = /^\s*(?:export\s+)?([A-Za-z_][\w.]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (!match) return;
    const [, key = '', raw = ''] = match;
    const value = raw.replace(/^(['"])(.*)\1$/, '$2');
    if (!ENV_SECRET_NAME.test(key) || PLACEHOLDER.test(value) || value.length < 6) return;
    findings.push(
      makeFinding(
        'secret-env-file',
        file.path,
        index + 1,
        `${key} is set in a committed env file: ${maskSecret(value)}`,
      ),
    );
  });
  return findings;
}

/** Tests and fixtures hold fake credentials far more often than real ones: still reported, but not blocking. */
export function isTestPath(path: string): boolean {
  return (
    /(^|\/)(tests?|__tests__|spec|__mocks__|fixtures?)\//.test(path) ||
    /\.(test|spec)\.[cm]?[jt]sx?$/.test(path)
  );
}

function lower(severity: Severity, cap: Severity): Severity {
  return severityRank(severity) > severityRank(cap) ? cap : severity;
}

function toFinding(file: SourceFile, match: SecretMatch, inTest: boolean): Finding {
  const { rule } = match;
  const line = lineOf(file.text, match.start);
  const column = match.start - (file.text.lastIndexOf('\n', match.start - 1) + 1) + 1;
  let severity = rule.severity ?? ruleById(rule.ruleId).severity;
  const notes: string[] = [];
  if (match.badChecksum) {
    severity = 'low';
    notes.push('its checksum does not verify, so it is probably fake or altered');
  }
  if (inTest) {
    severity = lower(severity, 'medium');
    notes.push('in a test file: lowered to medium; make sure it is fake');
  }
  const suffix = notes.length > 0 ? ` (${notes.join('; ')})` : '';
  return makeFinding(
    rule.ruleId,
    file.path,
    line,
    `${rule.description} committed: ${maskSecret(match.secret)}${suffix}`,
    {
      column,
      severity,
      aliases: [`secret-${rule.id}`],
    },
  );
}

/** Env templates (`.env.example`) hold sample values by design: only specific token formats count there. */
function isEnvTemplate(path: string): boolean {
  return ENV_FILE.test(path.replace(ENV_TEMPLATE, '')) && ENV_TEMPLATE.test(path);
}

/** How to search a file once it has a keyword hit; undefined for decoded binaries (not searched). */
function searchOptions(path: string, text: Subject): SearchOptions | undefined {
  if (looksBinary(text)) return undefined;
  return { generic: !LOCKFILE.test(path) && !isEnvTemplate(path) && !isMinified(path, text) };
}

/** The secrets in one file; generic matches on `skipLines` (already reported by the `.env` check) are left out. */
export function scanFileForSecrets(file: SourceFile, skipLines: ReadonlySet<number> = new Set()): Finding[] {
  // Files read by collectFiles are searched as bytes: one without any rule keyword is never decoded, nor
  // (windows around hits aside) an ASCII one.
  const bytes = undecodedBytes(file);
  let matches: SecretMatch[];
  if (bytes) {
    matches = engine.searchBytes(
      bytes,
      () => file.text,
      (text) => searchOptions(file.path, text),
    );
  } else {
    const options = searchOptions(file.path, new TextSubject(file.text));
    matches = options ? engine.search(file.text, options) : [];
  }
  if (matches.length === 0) return [];
  const inTest = isTestPath(file.path);
  return matches
    .map((match) => ({ match, finding: toFinding(file, match, inTest) }))
    .filter(({ match, finding }) => !(match.rule.generic && skipLines.has(finding.line)))
    .map(({ finding }) => finding);
}

/**
 * Committed credentials, by shipkit's own rules (src/secrets/rules/, one file per provider family, each
 * written from the provider's documented token format), plus committed `.env` files. Messages carry only
 * the first 4 characters of what was found.
 */
export async function scanSecrets(files: readonly SourceFile[]): Promise<Finding[]> {
  const findings: Finding[] = [];
  for (const file of files) {
    const fromEnv = envFileFindings(file);
    findings.push(...fromEnv, ...scanFileForSecrets(file, new Set(fromEnv.map((finding) => finding.line))));
  }
  return Promise.resolve(findings);
}
