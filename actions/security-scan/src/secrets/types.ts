import type { Severity } from '../findings.js';

/** Examples a rule must find (`positive`) and must not (`negative`); the unit tests run every one. */
export interface RuleExamples {
  positive: string[];
  negative: string[];
}

/** What a rule's extra check says about a matched secret. */
export type CheckResult = 'ok' | 'reject' | 'bad-checksum';

/** One kind of token, written from its provider's documented format. */
export interface SecretRule {
  /** The token kind, e.g. `github-pat-classic`; findings also answer to `secret-<id>` in `ignore`. */
  id: string;
  /** The SARIF/README rule id findings carry, one per provider family (e.g. `secret-github`). */
  ruleId: string;
  description: string;
  /**
   * Case-insensitive literals, at least one of which appears in (or right before) every match. The
   * pattern only runs around a keyword hit, so a file without any keyword costs one pass and nothing more.
   */
  keywords: readonly string[];
  /** Global regex; the secret is the named group `secret` (or `secret2`, for a second alternative) if matched, else the whole match. */
  pattern: RegExp;
  /** Characters searched before/after a keyword hit; default: the hit's line, at most 512 before and 1 KB after. */
  window?: { before: number; after: number; multiline?: boolean };
  /** Minimum Shannon entropy (bits per character) of the secret. */
  minEntropy?: number;
  /** A checksum, a decode (JWT header) or a context check. */
  check?: (secret: string, match: RegExpExecArray) => CheckResult;
  /**
   * Low-precision rules (assignments by name): searched neither in minified code nor in lockfiles, and a
   * specific rule matching the same text wins.
   */
  generic?: boolean;
  /** The keywords are case-sensitive literals of the token (a documented prefix): hits in another case are skipped. */
  exactCase?: boolean;
  /** Default: the family rule's severity. */
  severity?: Severity;
  /** Built on demand (tests only) so the bundle holds no token-shaped strings and builds none at run time. */
  examples: () => RuleExamples;
}
