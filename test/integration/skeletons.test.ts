import { runAction } from '../helpers/run-action.js';

describe('bundles as the runner runs them', () => {
  it('wait-healthy rejects a bad URL with one ::error:: line naming the input', async () => {
    const run = await runAction('wait-healthy', { inputs: { urls: 'not a url', timeout: '5m' } });
    expect(run.exitCode).toBe(1);
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toMatch(/Input "urls"/);
    expect(run.log).not.toMatch(/at .*\.js:\d+/);
  });
});
