import {
  RULE_FILES,
  SECRET_RULE_METADATA,
  SECRET_RULES,
} from '../../../actions/security-scan/src/secrets/catalog.js';
import { SecretEngine } from '../../../actions/security-scan/src/secrets/engine.js';
import { KeywordMatcher } from '../../../actions/security-scan/src/secrets/prefilter.js';
import {
  base62,
  crc32,
  crc32Base62Valid,
  entropy,
  isPlaceholder,
} from '../../../actions/security-scan/src/secrets/text.js';
import { ALNUM, rand, withChecksum } from '../../../actions/security-scan/src/secrets/fake.js';
import { RULES } from '../../../actions/security-scan/src/rules.js';

describe('secret rule catalog', () => {
  it('covers at least 150 token kinds, each with a unique id, 2+ positive and 2+ negative examples', () => {
    expect(SECRET_RULES.length).toBeGreaterThanOrEqual(150);
    expect(new Set(SECRET_RULES.map((rule) => rule.id)).size).toBe(SECRET_RULES.length);
    for (const rule of SECRET_RULES) {
      const examples = rule.examples();
      expect([rule.id, examples.positive.length >= 2, examples.negative.length >= 2]).toEqual([
        rule.id,
        true,
        true,
      ]);
    }
  });

  it('gives every family a documented rule that findings and SARIF resolve', () => {
    for (const rule of SECRET_RULES) expect(RULES.get(rule.ruleId)?.category).toBe('secrets');
    expect(SECRET_RULE_METADATA.map((rule) => rule.id)).toEqual(
      expect.arrayContaining([
        'secret-aws-access-key-id',
        'secret-private-key',
        'secret-env-file',
        'secret-github',
      ]),
    );
    expect(Object.keys(RULE_FILES).length).toBeGreaterThanOrEqual(15);
  });
});

// Each rule alone, so an example proves that rule (not a neighbour) finds it or leaves it.
describe.each(SECRET_RULES.map((rule) => [rule.id, rule] as const))('rule %s', (_id, rule) => {
  const engine = new SecretEngine([rule]);
  const examples = rule.examples();

  it.each(examples.positive.map((text, index) => [index, text]))(
    'finds positive example %i',
    (_index, text) => {
      const found = engine.search(text, { generic: true });
      expect(found.map((match) => match.rule.id)).toContain(rule.id);
      for (const match of found) expect(match.badChecksum).toBe(false);
    },
  );

  it.each(examples.negative.map((text, index) => [index, text]))(
    'leaves negative example %i',
    (_index, text) => {
      expect(engine.search(text, { generic: true })).toEqual([]);
    },
  );
});

describe('secret text checks', () => {
  it('computes the GitHub/npm CRC32 base62 checksum and rejects an altered body', () => {
    expect(crc32('The quick brown fox jumps over the lazy dog')).toBe(0x414fa339);
    expect(base62(61, 3)).toBe('00z');
    const body = withChecksum(36);
    expect(crc32Base62Valid(body)).toBe(true);
    const altered = `${body.slice(0, 5)}${body[5] === 'A' ? 'B' : 'A'}${body.slice(6)}`;
    expect(crc32Base62Valid(altered)).toBe(false);
  });

  it('reports a GitHub token whose checksum fails as low, not as a live token', () => {
    const body = withChecksum(36);
    const altered = `${body.slice(0, 30)}${body.slice(30).split('').reverse().join('')}`;
    const [match] = new SecretEngine(SECRET_RULES).search(`t = "${['gh', 'p_'].join('')}${altered}"`, {
      generic: true,
    });
    expect(match?.rule.id).toBe('github-pat-classic');
    expect(match?.badChecksum).toBe(altered === body ? false : true);
  });

  it('measures entropy and recognises placeholders', () => {
    expect(entropy('aaaa')).toBe(0);
    expect(entropy('abcd')).toBe(2);
    for (const value of [
      'changeme',
      '${TOKEN}',
      '<token>',
      'xxxxxxxx',
      '{{ secrets.X }}',
      'your-api-key',
      '****',
    ]) {
      expect([value, isPlaceholder(value)]).toEqual([value, true]);
    }
    expect(isPlaceholder('q8Zr2LmPx0Vt')).toBe(false);
  });
});

describe('engine', () => {
  const engine = new SecretEngine(SECRET_RULES);

  it('lets a specific rule win over a generic one on the same text', () => {
    const key = `${['sk', 'live'].join('_')}_${rand(ALNUM, 24)}`;
    const found = engine.search(`api_key = "${key}"`, { generic: true });
    expect(found.map((match) => match.rule.id)).toEqual(['stripe-secret-key']);
  });

  it('skips generic rules when told to (minified code, lockfiles)', () => {
    // A fake value for the test.
    // shipkit-ignore: secret-generic-password
    const text = 'password = "Zq8r2LmPx0Vt7"';
    expect(engine.search(text, { generic: true }).map((match) => match.rule.id)).toEqual([
      'generic-password',
    ]);
    expect(engine.search(text, { generic: false })).toEqual([]);
  });

  it('reports offsets of the secret itself', () => {
    // A fake value for the test.
    // shipkit-ignore: secret-generic-password
    const text = `x\npassword: "Zq8r2LmPx0Vt7"\n`;
    const [match] = engine.search(text, { generic: true });
    expect(text.slice(match!.start, match!.end)).toBe('Zq8r2LmPx0Vt7');
  });
});

describe('keyword prefilter', () => {
  it('finds every keyword occurrence in one pass, case-insensitively, overlapping ones included', () => {
    const matcher = new KeywordMatcher(
      new Map([
        ['ghp_', 'github'],
        ['password', 'password'],
        ['pass', 'pass'],
        ['abcd', 'abcd'],
        ['bc', 'bc'],
      ]),
    );
    const hits: string[] = [];
    matcher.scan('x GHP_1 PassWord=1 abcd é ghp_', (start, payload) => hits.push(`${start}:${payload}`));
    expect(hits.sort()).toEqual(['8:pass', '8:password', '2:github', '19:abcd', '20:bc', '26:github'].sort());
  });

  it('restarts on characters that are in no keyword (non-ASCII included)', () => {
    const matcher = new KeywordMatcher(new Map([['token', 1]]));
    const hits: number[] = [];
    matcher.scan('tok\u00e9en tokén token', (start) => hits.push(start));
    expect(hits).toEqual([13]);
  });
});

describe('engine windows on long lines', () => {
  const engine = new SecretEngine(SECRET_RULES);
  const token = `${['gh', 'p_'].join('')}${withChecksum(36)}`;

  it('finds a token at the start and at the far end of a 1 MB single line, and only those', () => {
    const filler = 'a=1;token=x;'.repeat(90_000);
    const found = engine.search(`${token};${filler}${token}`, { generic: false });
    expect(found.map((match) => [match.rule.id, match.start])).toEqual([
      ['github-pat-classic', 0],
      ['github-pat-classic', token.length + 1 + filler.length],
    ]);
  });

  it('does not stretch a line window past its line', () => {
    // A fake value for the test.
    // shipkit-ignore: secret-generic-password
    const text = `password = "Zq8r2LmPx0Vt7"\n${'x'.repeat(100)}\npassword =\n"Qw3rTy9Uiop2"`;
    expect(engine.search(text, { generic: true }).map((match) => match.secret)).toEqual(['Zq8r2LmPx0Vt7']);
  });
});
