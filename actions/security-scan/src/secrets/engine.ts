import { isAscii, isUtf8 } from 'node:buffer';

import { KeywordMatcher } from './prefilter.js';
import { AsciiBytesSubject, type Subject, TextSubject } from './subject.js';
import { isPlaceholder, entropy } from './text.js';
import type { SecretRule } from './types.js';

export interface SecretMatch {
  rule: SecretRule;
  /** Offsets of the secret in the file text. */
  start: number;
  end: number;
  secret: string;
  /** The format has a checksum and this value fails it: reported, but low (fake or altered). */
  badChecksum: boolean;
}

export interface SearchOptions {
  /** Run the generic (assignment-by-name) rules: off for minified code and lockfiles. */
  generic: boolean;
}

const DEFAULT_BEFORE = 512;
const DEFAULT_AFTER = 1024;

/** The rules compiled once: every keyword into one automaton whose outputs are rule indices. */
export class SecretEngine {
  private readonly matcher: KeywordMatcher<number[]>;
  private readonly rules: readonly SecretRule[];
  /** Catalog position of each rule: the earlier rule wins an overlap. */
  private readonly rank: ReadonlyMap<SecretRule, number>;

  constructor(rules: readonly SecretRule[]) {
    this.rules = rules;
    this.rank = new Map(rules.map((rule, index) => [rule, index]));
    const byKeyword = new Map<string, number[]>();
    rules.forEach((rule, index) => {
      if (!rule.pattern.global) throw new Error(`rule ${rule.id}: pattern must be global`);
      for (const keyword of rule.keywords) {
        const key = keyword.toLowerCase();
        const list = byKeyword.get(key) ?? [];
        if (!list.includes(index)) list.push(index);
        byKeyword.set(key, list);
      }
    });
    this.matcher = new KeywordMatcher(byKeyword);
  }

  /** Every secret in `text`, where a more specific rule wins over a generic one on the same characters. */
  search(text: string, options: SearchOptions): SecretMatch[] {
    const hits = new KeywordHits();
    this.matcher.scan(text, hits.add);
    return this.searchAround(new TextSubject(text), hits, options);
  }

  /**
   * The same for a file given as its UTF-8 bytes: the keyword pass runs over the bytes. An ASCII file is
   * never decoded (only the windows around its hits); another is decoded (`decode`) only when it has a hit.
   * `options` are asked for only when there is a hit (undefined: do not search this file).
   */
  searchBytes(
    bytes: Uint8Array,
    decode: () => string,
    options: (text: Subject) => SearchOptions | undefined,
  ): SecretMatch[] {
    const hits = new KeywordHits();
    this.matcher.scanBytes(bytes, hits.add);
    if (hits.starts.length === 0) return [];
    if (isAscii(bytes)) {
      const subject = new AsciiBytesSubject(bytes);
      const chosen = options(subject);
      return chosen ? this.searchAround(subject, hits, chosen) : [];
    }
    const subject = new TextSubject(decode());
    const chosen = options(subject);
    if (!chosen) return [];
    // Malformed UTF-8 decodes to replacement characters whose count is the decoder's business: search again.
    if (!isUtf8(bytes)) return this.search(decode(), chosen);
    toCharOffsets(bytes, hits.starts);
    return this.searchAround(subject, hits, chosen);
  }

  private searchAround(text: Subject, hits: KeywordHits, options: SearchOptions): SecretMatch[] {
    const candidates: SecretMatch[] = [];
    // Numeric keys (offset * rule count + rule index): no string building per keyword hit.
    const width = this.rules.length;
    const searched = new Set<number>();
    const seen = new Set<number>();
    hits.starts.forEach((hit, position) => {
      for (const index of hits.rules[position]!) {
        const rule = this.rules[index]!;
        if ((rule.generic && !options.generic) || !caseMatches(text, hit, rule)) continue;
        const [from, to] = windowAround(text, hit, rule);
        const key = from * width + index;
        if (searched.has(key)) continue;
        searched.add(key);
        for (const match of runRule(rule, text, from, to)) {
          const id = match.start * width + index;
          if (seen.has(id)) continue;
          seen.add(id);
          candidates.push(match);
        }
      }
    });
    return resolveOverlaps(candidates, this.rank);
  }
}

/**
 * Turns byte offsets in valid UTF-8 into offsets in the decoded (UTF-16) text, in place. Each offset is an
 * ASCII byte, so a character boundary: the text between consecutive offsets is decoded piece by piece.
 * (Hits come in order of where keywords end, so starts are sorted first.)
 */
function toCharOffsets(bytes: Uint8Array, offsets: number[]): void {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const charOffsetOf = new Map<number, number>();
  let byteOffset = 0;
  let charOffset = 0;
  for (const offset of [...new Set(offsets)].sort((a, b) => a - b)) {
    charOffset += buffer.toString('utf8', byteOffset, offset).length;
    byteOffset = offset;
    charOffsetOf.set(offset, charOffset);
  }
  offsets.forEach((offset, index) => (offsets[index] = charOffsetOf.get(offset)!));
}

/** Where keywords start in a file, and the rules each one calls for, in file order. */
class KeywordHits {
  readonly starts: number[] = [];
  readonly rules: (readonly number[])[] = [];
  readonly add = (start: number, rules: readonly number[]): void => {
    this.starts.push(start);
    this.rules.push(rules);
  };
}

/**
 * The span a rule's pattern runs over for a keyword hit. Line ends are searched only inside the bounded
 * span, so a 1 MB single-line file with many hits costs hits x window, not hits x line.
 */
function windowAround(text: Subject, hit: number, rule: SecretRule): [number, number] {
  const before = rule.window?.before ?? DEFAULT_BEFORE;
  const after = rule.window?.after ?? DEFAULT_AFTER;
  const lowest = Math.max(0, hit - before);
  const highest = Math.min(text.length, hit + after);
  if (rule.window?.multiline) return [lowest, highest];
  const lineStart = text.lastLineFeed(lowest, hit);
  const lineEnd = text.nextLineFeed(hit, highest);
  return [lineStart === -1 ? lowest : lineStart + 1, lineEnd === -1 ? highest : lineEnd];
}

/** Rules whose keywords are literal, case-sensitive parts of the token: a hit in another case is no hit. */
function caseMatches(text: Subject, hit: number, rule: SecretRule): boolean {
  return !rule.exactCase || rule.keywords.some((keyword) => text.startsWith(keyword, hit));
}

function runRule(rule: SecretRule, text: Subject, from: number, to: number): SecretMatch[] {
  const found: SecretMatch[] = [];
  const window = text.slice(from, to);
  const pattern = rule.pattern;
  pattern.lastIndex = 0;
  for (let match = pattern.exec(window); match; match = pattern.exec(window)) {
    if (match[0] === '') {
      pattern.lastIndex++;
      continue;
    }
    const secret = match.groups?.['secret'] ?? match.groups?.['secret2'] ?? match[0];
    if (isPlaceholder(secret)) continue;
    if (rule.minEntropy !== undefined && entropy(secret) < rule.minEntropy) continue;
    const verdict = rule.check ? rule.check(secret, match) : 'ok';
    if (verdict === 'reject') continue;
    const offset = match.index + match[0].indexOf(secret);
    found.push({
      rule,
      start: from + offset,
      end: from + offset + secret.length,
      secret,
      badChecksum: verdict === 'bad-checksum',
    });
  }
  return found;
}

/** Earlier catalog entries (generic rules are last) win; a match overlapping a kept one is dropped. */
function resolveOverlaps(candidates: SecretMatch[], rank: ReadonlyMap<SecretRule, number>): SecretMatch[] {
  const ranked = [...candidates].sort((a, b) => rank.get(a.rule)! - rank.get(b.rule)! || a.start - b.start);
  const kept: SecretMatch[] = [];
  for (const candidate of ranked) {
    if (kept.some((other) => candidate.start < other.end && other.start < candidate.end)) continue;
    kept.push(candidate);
  }
  return kept.sort((a, b) => a.start - b.start);
}
