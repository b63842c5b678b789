import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { REPO_ROOT } from '../../helpers/run-action.js';
import { ownRefs, type OwnRefs } from '../../../scripts/release-lib.js';
import { pinProblems, repositoryUses, usesInMarkdown, usesInWorkflow } from './uses-refs.js';

const SHA_A = 'd23441a48e516b6c34aea4fa41551a30e30af803';
const SHA_B = '11bd71901bbe5b1630ceea73d27597364c9af683';
const OWN: OwnRefs = { docs: 'v1', workflows: 'v1.2.3' };

describe('every uses: of the repository', () => {
  const changelog = existsSync(join(REPO_ROOT, 'CHANGELOG.md'))
    ? readFileSync(join(REPO_ROOT, 'CHANGELOG.md'), 'utf8')
    : '';
  const uses = repositoryUses(REPO_ROOT);

  it('finds the workflows and the README examples', () => {
    const files = new Set(uses.map((use) => use.file));
    expect(files).toContain(join('.github', 'workflows', 'pipeline.yml'));
    expect(files).toContain(join('actions', 'deploy-ecs', 'README.md'));
    expect(files).toContain('README.md');
  });

  it('pins each third-party action to one full SHA with its version, and our own to the release refs', () => {
    expect(pinProblems(uses, ownRefs(changelog))).toEqual([]);
  });
});

describe('pinProblems', () => {
  it('accepts one SHA per action with its version comment, shared by sub-actions of one repository', () => {
    const uses = [
      ...usesInWorkflow('a.yml', `steps:\n  - uses: github/codeql-action/init@${SHA_A} # v4.36.2\n`),
      ...usesInWorkflow('b.yml', `  - uses: github/codeql-action/upload-sarif@${SHA_A} # v4.36.2\n`),
      ...usesInWorkflow('b.yml', `  - uses: shipkit/shipkit/actions/build-push@v1.2.3\n  - uses: ./local\n`),
    ];
    expect(uses).toHaveLength(3);
    expect(pinProblems(uses, OWN)).toEqual([]);
  });

  it('fails a tag, a short SHA, a missing ref and a missing version comment', () => {
    const uses = usesInWorkflow(
      'w.yml',
      [
        '- uses: actions/checkout@v6',
        '- uses: actions/setup-node@2499707',
        '- uses: docker/login-action',
        `- uses: aws-actions/configure-aws-credentials@${SHA_A}`,
      ].join('\n'),
    );
    const problems = pinProblems(uses, OWN);
    expect(problems).toHaveLength(4);
    expect(problems[0]).toMatch(/w\.yml:1: actions\/checkout@v6 is not pinned/);
    expect(problems[1]).toMatch(/w\.yml:2: .*not pinned/);
    expect(problems[2]).toMatch(/docker\/login-action@\(no ref\) is not pinned/);
    expect(problems[3]).toMatch(/w\.yml:4: .*no "# vX\.Y\.Z" comment/);
  });

  it('fails one action seen with two refs, naming both places', () => {
    const uses = [
      ...usesInWorkflow('a.yml', `- uses: actions/checkout@${SHA_A} # v6.1.0`),
      ...usesInMarkdown('R.md', `text\n\n\`\`\`yaml\n- uses: actions/checkout@${SHA_B} # v4.2.2\n\`\`\`\n`),
    ];
    const problems = pinProblems(uses, OWN);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/actions\/checkout appears with 2 refs: a\.yml:1 .*; R\.md:4 /);
  });

  it('holds our own actions to the docs ref in Markdown and the release tag in workflows', () => {
    const uses = [
      ...usesInWorkflow('p.yml', '- uses: shipkit/shipkit/actions/deploy-ecs@v1 # shipkit-ignore: x'),
      ...usesInMarkdown('R.md', '```yaml\n- uses: shipkit/shipkit/actions/deploy-ecs@v1.2.3\n```'),
    ];
    expect(pinProblems(uses, OWN)).toEqual([
      'p.yml:1: shipkit/shipkit/actions/deploy-ecs@v1 should be @v1.2.3',
      'R.md:2: shipkit/shipkit/actions/deploy-ecs@v1.2.3 should be @v1',
    ]);
  });
});

describe('usesInMarkdown', () => {
  it('reads code blocks only, and skips a block marked as the steps being replaced', () => {
    const text = [
      'Use `uses: actions/checkout@v4` in prose: not a code block.',
      '<!-- pins: not checked (the steps you replace) -->',
      '',
      '```yaml',
      '- uses: docker/build-push-action@v6',
      '```',
      '',
      '```yaml',
      '- uses: docker/metadata-action@v5',
      '```',
    ].join('\n');
    expect(usesInMarkdown('R.md', text).map((use) => `${use.line} ${use.action}@${use.ref}`)).toEqual([
      '9 docker/metadata-action@v5',
    ]);
  });
});

describe('ownRefs', () => {
  it('is v1 before the first release, then the latest release major and exact tag', () => {
    expect(ownRefs('# Changelog\n\n## [Unreleased]\n')).toEqual({ docs: 'v1', workflows: 'v1' });
    expect(ownRefs('## [Unreleased]\n\n## [2.1.0] - 2026-12-01\n\n## [1.0.0] - 2026-11-29\n')).toEqual({
      docs: 'v2',
      workflows: 'v2.1.0',
    });
  });
});
