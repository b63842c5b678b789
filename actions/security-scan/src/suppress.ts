import ignore from 'ignore';

import type { Finding, SourceFile } from './findings.js';

const INLINE = /shipkit-ignore(-file)?(?:\s*:\s*([\w$][\w$,\s-]*))?/;

export interface SuppressionResult {
  kept: Finding[];
  suppressed: Finding[];
}

/** An `ignore` entry that names a rule or an advisory rather than a path. */
export function isRuleSelector(entry: string): boolean {
  return (
    /^(secret|docker|gha|dep|code|live)-[a-z0-9-]+$/.test(entry) ||
    // Vulnerability ids of the databases OSV aggregates (GHSA, CVE, PYSEC, RUSTSEC, GO, Debian's, Alpine's...).
    /^(GHSA|CVE|PYSEC|RUSTSEC|GO|OSV|MAL|BIT|DSA|DLA|DTSA|DEBIAN|UBUNTU|USN|ALPINE|RHSA|ALSA)-[\w.:-]+$/i.test(
      entry,
    ) ||
    /^\d+$/.test(entry)
  );
}

function parseIds(raw: string | undefined): Set<string> | 'all' {
  const ids = (raw ?? '').split(/[\s,]+/).filter((id) => id !== '');
  return ids.length === 0 ? 'all' : new Set(ids);
}

function covers(ids: Set<string> | 'all', finding: Finding): boolean {
  return ids === 'all' || ids.has(finding.ruleId) || (finding.aliases ?? []).some((alias) => ids.has(alias));
}

/** line number -> rules suppressed there, plus file-wide suppressions, from `shipkit-ignore` comments. */
function inlineSuppressions(text: string): {
  byLine: Map<number, (Set<string> | 'all')[]>;
  fileWide: (Set<string> | 'all')[];
} {
  const byLine = new Map<number, (Set<string> | 'all')[]>();
  const fileWide: (Set<string> | 'all')[] = [];
  if (!text.includes('shipkit-ignore')) return { byLine, fileWide };
  const lines = text.split('\n');
  lines.forEach((line, index) => {
    const match = INLINE.exec(line);
    if (!match) return;
    const ids = parseIds(match[2]);
    if (match[1]) {
      fileWide.push(ids);
      return;
    }
    const lineNumber = index + 1;
    // A comment alone on its line covers the next line; a trailing comment covers its own line.
    const standalone = /^\s*(#|\/\/|\/\*|<!--|--)?\s*$/.test(line.slice(0, match.index));
    for (const target of standalone ? [lineNumber, lineNumber + 1] : [lineNumber]) {
      byLine.set(target, [...(byLine.get(target) ?? []), ids]);
    }
  });
  return { byLine, fileWide };
}

/**
 * Drops findings the user chose not to see: `ignore` entries (rule ids, advisory ids, or gitignore-style
 * paths) and inline `shipkit-ignore: RULE-ID` / `shipkit-ignore-file: RULE-ID` comments.
 */
export function applySuppressions(
  findings: readonly Finding[],
  files: readonly SourceFile[],
  ignoreEntries: readonly string[],
): SuppressionResult {
  const ignoredRules = new Set(ignoreEntries.filter(isRuleSelector));
  const ignoredPaths = ignore().add(ignoreEntries.filter((entry) => !isRuleSelector(entry)));
  // Files by path, not their texts: reading `text` decodes a file, and only files with findings need it.
  const byPath = new Map(files.map((file) => [file.path, file]));
  const cache = new Map<string, ReturnType<typeof inlineSuppressions>>();
  const result: SuppressionResult = { kept: [], suppressed: [] };
  for (const finding of findings) {
    let inline = cache.get(finding.file);
    if (!inline) {
      inline = inlineSuppressions(byPath.get(finding.file)?.text ?? '');
      cache.set(finding.file, inline);
    }
    const suppressed =
      covers(ignoredRules, finding) ||
      // A live finding's location is a URL, not a path of the tree (and `ignore` throws on non-relative paths).
      (finding.category !== 'live' && ignoredPaths.ignores(finding.file)) ||
      inline.fileWide.some((ids) => covers(ids, finding)) ||
      (inline.byLine.get(finding.line) ?? []).some((ids) => covers(ids, finding));
    (suppressed ? result.suppressed : result.kept).push(finding);
  }
  return result;
}
