import { packagedReadme, packageRepository } from '../../../scripts/package-lib.js';

describe('packagedReadme', () => {
  it('points the examples at the per-action repositories', () => {
    const readme = [
      '```yaml',
      '- uses: shipkit/shipkit/actions/build-push@v1',
      '- uses: shipkit/shipkit/actions/deploy-ecs@v1',
      '- uses: actions/checkout@d23441a48e516b6c34aea4fa41551a30e30af803 # v6.1.0',
      '```',
    ].join('\n');
    expect(packagedReadme(readme, 'build-push', 'v1.2.3')).toBe(
      [
        '```yaml',
        '- uses: shipkit/build-push@v1',
        '- uses: shipkit/deploy-ecs@v1',
        '- uses: actions/checkout@d23441a48e516b6c34aea4fa41551a30e30af803 # v6.1.0',
        '```',
      ].join('\n'),
    );
    expect(packageRepository('wait-healthy')).toBe('shipkit/wait-healthy');
  });

  it('sends relative links to this repository at the packaged ref, and keeps the ones that still work', () => {
    const readme =
      'See [the pipeline](../../.github/workflows/pipeline.yml#L3), [deploy-ecs](../deploy-ecs/README.md), ' +
      '[inputs](#inputs), [metadata](action.yml), [AWS](https://docs.aws.amazon.com/x) and ![logo](img/logo.png).';
    expect(packagedReadme(readme, 'build-push', 'v1.2.3')).toBe(
      'See [the pipeline](https://github.com/shipkit/shipkit/blob/v1.2.3/.github/workflows/pipeline.yml#L3), ' +
        '[deploy-ecs](https://github.com/shipkit/shipkit/blob/v1.2.3/actions/deploy-ecs/README.md), ' +
        '[inputs](#inputs), [metadata](action.yml), [AWS](https://docs.aws.amazon.com/x) and ' +
        '![logo](https://github.com/shipkit/shipkit/blob/v1.2.3/actions/build-push/img/logo.png).',
    );
  });
});
