// Builds the common kind of rule: a documented literal prefix followed by a body of known alphabet and length.
import { rand } from '../fake.js';
import type { CheckResult, RuleExamples, SecretRule } from '../types.js';
import type { Severity } from '../../findings.js';

export interface PrefixedToken {
  id: string;
  ruleId: string;
  description: string;
  prefix: string;
  /** Regex character class of the body, without brackets, e.g. `A-Za-z0-9`. */
  body: string;
  /** Alphabet the examples draw from (a subset of `body`). */
  alphabet: string;
  /** Exact body length, or [min, max] (max may be Infinity). */
  length: number | [number, number];
  /** Regex after the body (e.g. a fixed suffix). */
  suffix?: string;
  /** Example text after the body matching `suffix`. */
  exampleSuffix?: () => string;
  keywords?: string[];
  minEntropy?: number;
  severity?: Severity;
  check?: (secret: string) => CheckResult;
  /** Overrides the example bodies (for checksummed formats). */
  makeBody?: () => string;
  /** Extra examples beside the generated ones. */
  extra?: () => Partial<RuleExamples>;
}

export function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** A rule for `prefix` + body; examples: two tokens in code/config contexts, a short body and a masked one. */
export function prefixedToken(spec: PrefixedToken): SecretRule {
  const [min, max] = typeof spec.length === 'number' ? [spec.length, spec.length] : spec.length;
  const quantifier = max === Infinity ? `{${min},}` : min === max ? `{${min}}` : `{${min},${max}}`;
  const startsWithWord = /^\w/.test(spec.prefix);
  const pattern = new RegExp(
    `${startsWithWord ? '(?<![A-Za-z0-9_])' : ''}${escapeRegex(spec.prefix)}[${spec.body}]${quantifier}${spec.suffix ?? ''}(?![${spec.body}])`,
    'g',
  );
  const exampleLength = Math.min(max, Math.max(min, 24));
  const make = (): string =>
    `${spec.prefix}${spec.makeBody ? spec.makeBody() : rand(spec.alphabet, exampleLength)}${spec.exampleSuffix?.() ?? ''}`;
  const rule: SecretRule = {
    id: spec.id,
    ruleId: spec.ruleId,
    description: spec.description,
    keywords: spec.keywords ?? [spec.prefix],
    pattern,
    // The prefix starts the match: one character before it (for the boundary) and the longest token after.
    ...(spec.keywords
      ? {}
      : { exactCase: true, window: { before: 1, after: spec.prefix.length + Math.min(max, 4096) + 256 } }),
    minEntropy: spec.minEntropy ?? 2.5,
    examples: () => {
      const extra = spec.extra?.() ?? {};
      return {
        positive: [`API_TOKEN=${make()}`, `{ "key": "${make()}" }`, ...(extra.positive ?? [])],
        negative: [
          `token: "${spec.prefix}${rand(spec.alphabet, Math.max(1, Math.min(min - 4, 6)))}"`,
          `token = '${spec.prefix}${'x'.repeat(exampleLength)}${spec.exampleSuffix?.() ?? ''}'`,
          ...(extra.negative ?? []),
        ],
      };
    },
  };
  if (spec.check) rule.check = spec.check;
  if (spec.severity) rule.severity = spec.severity;
  return rule;
}

/** A secret recognisable only by the name it is assigned to: `<name>... = <value>`. */
export function named(spec: {
  id: string;
  ruleId: string;
  description: string;
  keywords: string[];
  /** Regex of the name (case-insensitive), e.g. `heroku[\\w-]*(?:api[_-]?)?key`. */
  name: string;
  /** Regex of the value. */
  value: string;
  make: () => string;
  /** A name the examples assign to, matching `name`, e.g. `HEROKU_API_KEY`. */
  sample: string;
  minEntropy?: number;
}): SecretRule {
  return {
    id: spec.id,
    ruleId: spec.ruleId,
    description: spec.description,
    keywords: spec.keywords,
    pattern: new RegExp(
      `(?:${spec.name})[\\w.-]*["']?\\s*(?::=|=>|[:=])\\s*["'\`]?(?<secret>${spec.value})(?![A-Za-z0-9_+/=-])`,
      'gi',
    ),
    minEntropy: spec.minEntropy ?? 3,
    examples: () => ({
      positive: [`${spec.sample}=${spec.make()}`, `"${spec.sample.toLowerCase()}": "${spec.make()}"`],
      negative: [`${spec.sample}=\${${spec.sample}}`, `${spec.sample}=${spec.make().slice(0, 6)}`],
    }),
  };
}
