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
