import { inputExcerpt, quoteInput } from '../../../shared/inputs.js';
import { formatDuration, markdownTable } from '../../../shared/summary.js';
import { formatStatusRanges, type Expectations } from './checks.js';
import type { UrlReport, WaitReport } from './wait.js';

/** Values a log line, error or summary must never show: known secrets, and secret-looking JSON fields. */
export function maskSecrets(text: string, secrets: readonly string[]): string {
  let masked = text;
  for (const secret of secrets) {
    if (secret.length >= 3) masked = masked.split(secret).join('***');
  }
  return masked.replace(
    /("[\w-]*(?:password|passwd|secret|token|api[_-]?key|access[_-]?key|credentials?)[\w-]*"\s*:\s*)"(?:[^"\\]|\\.)*"/gi,
    '$1"***"',
  );
}

/**
 * What counts as healthy, in one line for the log: `status 200-399, ver = "abc", fail-if "status": "failed"`.
 * Input values are shown as excerpts (shared/inputs.ts): a 100 KB expect-body must not fill the log.
 */
export function describeExpectations(expectations: Expectations): string {
  const checks = [`status ${formatStatusRanges(expectations.statuses)}`];
  if (expectations.bodyIncludes !== undefined)
    checks.push(`body contains ${quoteInput(expectations.bodyIncludes)}`);
  if (expectations.bodyRegex) checks.push(`body matches /${inputExcerpt(expectations.bodyRegex.source)}/`);
  if (expectations.jsonPathText) {
    const path = inputExcerpt(expectations.jsonPathText);
    checks.push(
      expectations.expectValue === undefined
        ? `${path} present`
        : `${path} = ${quoteInput(expectations.expectValue)}`,
    );
  }
  for (const condition of expectations.failIf) checks.push(`fail-if ${inputExcerpt(condition.source)}`);
  return checks.join(', ');
}

/** Query parameters whose values are secrets (shown as ***, masked in the log). */
export const SENSITIVE_PARAMETER = /token|key|secret|password|passwd|signature|sig|auth|credential/i;

/**
 * A URL as it may be shown: the `href` (percent-encoded once, as sent), without user:password, and with
 * secret-looking query values masked. The query is masked pair by pair in its encoded form: going through
 * `searchParams` would re-serialise all of it (a `%20` would come back as `+`).
 */
export function displayUrl(url: URL): string {
  const shown = new URL(url);
  shown.username = '';
  shown.password = '';
  if (shown.search !== '') {
    shown.search = shown.search
      .slice(1)
      .split('&')
      .map((pair) => {
        const separator = pair.indexOf('=');
        const name = [...new URLSearchParams(pair).keys()][0] ?? '';
        return separator >= 0 && SENSITIVE_PARAMETER.test(name) ? `${pair.slice(0, separator)}=***` : pair;
      })
      .join('&');
  }
  return shown.href;
}

function versionNote(report: UrlReport, expectations: Expectations): string {
  if (!expectations.jsonPathText) return '';
  const seen = report.result.lastAnswer?.version;
  const shown = seen === undefined ? 'none' : quoteInput(seen);
  const path = inputExcerpt(expectations.jsonPathText);
  return expectations.expectValue === undefined
    ? `; ${path} seen: ${shown}`
    : `; ${path} seen: ${shown}, expected ${quoteInput(expectations.expectValue)}`;
}

/** Why one URL is not healthy, in one sentence: last status, body excerpt, version seen vs expected, attempts. */
export function failureLine(report: UrlReport, expectations: Expectations, timeoutMs: number): string {
  const { result } = report;
  const attempts = `${result.attempts} attempt${result.attempts === 1 ? '' : 's'}`;
  const last = result.last;
  const answer = result.lastAnswer;
  let why: string;
  switch (result.outcome) {
    case 'fatal':
      why = `failed at once: ${last?.reason ?? 'fail-if matched'}`;
      break;
    case 'cancelled':
      why = report.stoppedBy ? `stopped because ${report.stoppedBy} failed` : 'cancelled';
      break;
    default:
      why = `not healthy within the ${formatDuration(timeoutMs)} timeout`;
  }
  const parts = [`${report.url} ${why} (${attempts})`];
  if (result.outcome !== 'fatal' && last) {
    parts.push(last.status === undefined ? `last error: ${last.reason}` : `last answer: ${last.reason}`);
    if (last.status === undefined && answer) parts.push(`last status before that: ${answer.status}`);
    if (last.status === undefined && !answer) parts.push('no HTTP answer at all');
  }
  const excerpt = (last?.status === undefined ? answer : last)?.excerpt;
  let text = parts.join('; ') + versionNote(report, expectations);
  if (excerpt) text += `; body: ${excerpt}`;
  return text;
}

/** The one-line error for a failed step. */
export function failureMessage(
  report: WaitReport,
  expectations: Expectations,
  secrets: readonly string[],
): string {
  const failed = report.urls.filter((entry) => entry.result.outcome !== 'healthy' && !entry.stoppedBy);
  const lines = failed.map((entry) => failureLine(entry, expectations, report.timeoutMs));
  const healthy =
    report.urls.length - report.urls.filter((entry) => entry.result.outcome !== 'healthy').length;
  const suffix = report.urls.length > 1 ? ` (${healthy} of ${report.urls.length} URLs healthy)` : '';
  return maskSecrets(lines.join(' | ') + suffix, secrets);
}

const OUTCOME_TEXT: Record<string, string> = {
  healthy: '✅ healthy',
  timeout: '❌ timed out',
  fatal: '❌ fail-if matched',
  cancelled: '⏹ cancelled',
};

export function summaryMarkdown(
  report: WaitReport,
  expectations: Expectations,
  secrets: readonly string[],
): string {
  const versionHeader = expectations.jsonPathText ? [`${inputExcerpt(expectations.jsonPathText)} seen`] : [];
  const rows = report.urls.map((entry) => {
    const { result } = entry;
    const answer = result.lastAnswer;
    const note =
      result.outcome === 'healthy'
        ? (result.last?.reason ?? '')
        : failureLine(entry, expectations, report.timeoutMs).replace(`${entry.url} `, '');
    return [
      entry.url,
      entry.stoppedBy
        ? `⏹ stopped (${entry.stoppedBy} failed)`
        : (OUTCOME_TEXT[result.outcome] ?? result.outcome),
      result.timeToHealthyMs === undefined ? '-' : formatDuration(result.timeToHealthyMs),
      String(result.attempts),
      answer?.status === undefined ? '-' : String(answer.status),
      ...(expectations.jsonPathText ? [answer?.version === undefined ? '-' : answer.version] : []),
      note,
    ];
  });
  const table = markdownTable(
    ['URL', 'Result', 'Time to healthy', 'Attempts', 'Last status', ...versionHeader, 'Details'],
    rows,
  );
  const expected =
    expectations.expectValue === undefined
      ? ''
      : ` Expected ${inputExcerpt(expectations.jsonPathText ?? '')}: \`${inputExcerpt(expectations.expectValue)}\`.`;
  return maskSecrets(
    `### wait-healthy\n\n${table}\n\nWaited ${formatDuration(report.elapsedMs)}.${expected}\n`,
    secrets,
  );
}

/** The URL that decided the result: the first that failed, else the one that became healthy last. */
export function decidingUrl(report: WaitReport): UrlReport | undefined {
  const failed = report.urls.find((entry) => entry.result.outcome !== 'healthy' && !entry.stoppedBy);
  if (failed) return failed;
  return [...report.urls].sort(
    (a, b) => (b.result.timeToHealthyMs ?? 0) - (a.result.timeToHealthyMs ?? 0),
  )[0];
}
