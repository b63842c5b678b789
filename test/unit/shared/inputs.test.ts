import { parseDuration, parseList } from '../../../shared/inputs.js';
import { backoffDelay, retry } from '../../../shared/retry.js';

describe('parseDuration', () => {
  it.each([
    ['300', 300_000],
    ['1.5', 1500],
    ['250ms', 250],
    ['30s', 30_000],
    ['5m', 300_000],
    ['1m30s', 90_000],
    ['1h', 3_600_000],
  ])('reads %s as %d ms', (raw, expected) => expect(parseDuration(raw)).toBe(expected));

  it.each(['soon', '', '5 minutes', '-3s', '3x'])('refuses %p', (raw) =>
    expect(parseDuration(raw)).toBeUndefined(),
  );
});

describe('parseList', () => {
  it('splits lines and commas, drops blanks and comments', () => {
    expect(parseList('a, b\n\n  c # third\n# only a comment\nd')).toEqual(['a', 'b', 'c', 'd']);
  });
});

describe('retry', () => {
  it('retries retryable errors with growing jittered delays, then gives up', async () => {
    const delays: number[] = [];
    let calls = 0;
    await expect(
      retry(
        () => {
          calls++;
          return Promise.reject(new Error('503'));
        },
        {
          attempts: 4,
          minDelayMs: 100,
          maxDelayMs: 1000,
          isRetryable: () => true,
          random: () => 1,
          sleep: (ms) => {
            delays.push(ms);
            return Promise.resolve();
          },
        },
      ),
    ).rejects.toThrow('503');
    expect(calls).toBe(4);
    expect(delays).toEqual([100, 200, 400]);
  });

  it('does not retry what the predicate refuses', async () => {
    let calls = 0;
    await expect(
      retry(
        () => {
          calls++;
          return Promise.reject(new Error('401'));
        },
        { attempts: 5, minDelayMs: 1, maxDelayMs: 1, isRetryable: () => false },
      ),
    ).rejects.toThrow('401');
    expect(calls).toBe(1);
  });

  it('caps the delay at the maximum', () => {
    expect(backoffDelay(20, 100, 5000, () => 1)).toBe(5000);
    expect(backoffDelay(1, 100, 5000, () => 0)).toBe(100);
  });
});

describe('getKeyValues', () => {
  it('names the bad line without quoting it (it may be a secret)', async () => {
    const { getKeyValues } = await import('../../../shared/inputs.js');
    process.env['INPUT_SECRETS'] = 'id=npm\nghp_s3cr3tt0kenvalue';
    try {
      expect(() => getKeyValues('secrets')).toThrow(/line 2 has no KEY=/);
      expect(() => getKeyValues('secrets')).not.toThrow(/ghp_/);
    } finally {
      delete process.env['INPUT_SECRETS'];
    }
  });
});

describe('quoteInput', () => {
  it('quotes a short value whole', async () => {
    const { quoteInput } = await import('../../../shared/inputs.js');
    expect(quoteInput('soon')).toBe('"soon"');
    expect(quoteInput('x'.repeat(80))).toBe(`"${'x'.repeat(80)}"`);
  });

  it('cuts a long value after 80 characters and gives its length', async () => {
    const { quoteInput } = await import('../../../shared/inputs.js');
    expect(quoteInput('x'.repeat(81))).toBe(`"${'x'.repeat(80)}..." (81 characters)`);
    expect(quoteInput('y'.repeat(100 * 1024))).toBe(`"${'y'.repeat(80)}..." (102400 characters)`);
    // Characters, not UTF-16 units: an emoji is not cut in half.
    expect(quoteInput('😀'.repeat(81))).toBe(`"${'😀'.repeat(80)}..." (81 characters)`);
  });

  it('keeps the excerpt on one line', async () => {
    const { quoteInput } = await import('../../../shared/inputs.js');
    expect(quoteInput('a\nb\r\nc\0d\te')).toBe('"a\\nb\\r\\nc\\x00d\te"');
  });
});

describe('readers quote at most an excerpt of a bad value', () => {
  const huge = '9z'.repeat(50 * 1024);

  afterEach(() => {
    delete process.env['INPUT_VALUE'];
  });

  it.each([
    ['getBoolean', /^Input "value" must be true or false, got "(9z){40}\.\.\." \(102400 characters\)\.$/],
    ['getInteger', /^Input "value" must be a whole number, got "(9z){40}\.\.\." \(102400 characters\)\.$/],
    [
      'getDuration',
      /^Input "value" must be a duration like .*, got "(9z){40}\.\.\." \(102400 characters\)\.$/,
    ],
    ['getChoice', /^Input "value" must be one of a, b, got "(9z){40}\.\.\." \(102400 characters\)\.$/],
  ])('%s', async (reader, message) => {
    const inputs = await import('../../../shared/inputs.js');
    process.env['INPUT_VALUE'] = huge;
    const read = {
      getBoolean: () => inputs.getBoolean('value', false),
      getInteger: () => inputs.getInteger('value', 1),
      getDuration: () => inputs.getDuration('value', 1000),
      getChoice: () => inputs.getChoice('value', ['a', 'b'], 'a'),
    }[reader]!;
    let error: Error | undefined;
    try {
      read();
    } catch (caught: unknown) {
      error = caught as Error;
    }
    expect(error?.message).toMatch(message);
    expect(error!.message.length).toBeLessThan(300);
  });

  it('refuses a whole number too large to hold exactly, quoting an excerpt', async () => {
    const { getInteger } = await import('../../../shared/inputs.js');
    process.env['INPUT_VALUE'] = '9'.repeat(400);
    expect(() => getInteger('value', 1, { max: 100 })).toThrow(
      `Input "value" must be a whole number, got "${'9'.repeat(80)}..." (400 characters).`,
    );
  });

  it('quotes a short bad duration whole', async () => {
    const { getDuration } = await import('../../../shared/inputs.js');
    process.env['INPUT_VALUE'] = '5s';
    expect(() => getDuration('value', 1000, { maxMs: 1000 })).toThrow(
      'Input "value" must be at most 1000 ms, got "5s".',
    );
  });
});

describe('inputExcerpt', () => {
  it('cuts like quoteInput, without the quotes', async () => {
    const { inputExcerpt } = await import('../../../shared/inputs.js');
    expect(inputExcerpt('^ok$')).toBe('^ok$');
    expect(inputExcerpt('a\nb')).toBe('a\\nb');
    expect(inputExcerpt('z'.repeat(1000))).toBe(`${'z'.repeat(80)}... (1000 characters)`);
  });

  it('says a value was cut even when its escapes make the excerpt longer', async () => {
    const { inputExcerpt, quoteInput } = await import('../../../shared/inputs.js');
    expect(inputExcerpt('\n'.repeat(81))).toBe(`${'\\n'.repeat(80)}... (81 characters)`);
    expect(quoteInput('\n'.repeat(81))).toBe(`"${'\\n'.repeat(80)}..." (81 characters)`);
  });
});
