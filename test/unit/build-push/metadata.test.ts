import { gitContextFromEnv, type GitContext } from '../../../shared/git-context.js';
import {
  computeLabels,
  computeTags,
  isValidTag,
  parseSemver,
  tagVersion,
  sanitizeTag,
  type TagRules,
} from '../../../actions/build-push/src/metadata.js';

const SHA = '8f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a6f5e';
const DEFAULTS: TagRules = {
  sha: 'both',
  branch: 'auto',
  pr: 'auto',
  semver: 'auto',
  latest: 'false',
  raw: [],
  immutable: false,
};
const repo = { default_branch: 'main', html_url: 'https://github.com/acme/shop' };

function context(env: Record<string, string>, event: object = { repository: repo }): GitContext {
  return gitContextFromEnv(
    { GITHUB_SHA: SHA, GITHUB_REPOSITORY: 'acme/shop', GITHUB_SERVER_URL: 'https://github.com', ...env },
    event,
  );
}

describe('computeTags over git contexts', () => {
  it.each<[string, GitContext, Partial<TagRules>, string[]]>([
    [
      'push to main',
      context({ GITHUB_EVENT_NAME: 'push', GITHUB_REF: 'refs/heads/main' }),
      {},
      [SHA, 'sha-8f3e2d1', 'main'],
    ],
    [
      'push to main with latest on the default branch',
      context({ GITHUB_EVENT_NAME: 'push', GITHUB_REF: 'refs/heads/main' }),
      { latest: 'default-branch' },
      [SHA, 'sha-8f3e2d1', 'main', 'latest'],
    ],
    [
      'push to a feature branch: no latest even when enabled for the default branch',
      context({ GITHUB_EVENT_NAME: 'push', GITHUB_REF: 'refs/heads/feature/login' }),
      { latest: 'default-branch' },
      [SHA, 'sha-8f3e2d1', 'feature-login'],
    ],
    [
      'tag v1.2.3',
      context({ GITHUB_EVENT_NAME: 'push', GITHUB_REF: 'refs/tags/v1.2.3' }),
      {},
      [SHA, 'sha-8f3e2d1', '1.2.3', '1.2', '1'],
    ],
    [
      'pre-release tag: exact version only, never 1.2 or 1',
      context({ GITHUB_EVENT_NAME: 'push', GITHUB_REF: 'refs/tags/v1.2.3-rc.1' }),
      {},
      [SHA, 'sha-8f3e2d1', '1.2.3-rc.1'],
    ],
    [
      'build metadata: + is illegal in a tag',
      context({ GITHUB_EVENT_NAME: 'push', GITHUB_REF: 'refs/tags/v2.0.0+build.7' }),
      {},
      [SHA, 'sha-8f3e2d1', '2.0.0-build.7'],
    ],
    [
      '0.x: no bare major tag',
      context({ GITHUB_EVENT_NAME: 'push', GITHUB_REF: 'refs/tags/v0.4.1' }),
      {},
      [SHA, 'sha-8f3e2d1', '0.4.1', '0.4'],
    ],
    [
      'a non-semver tag is used as is',
      context({ GITHUB_EVENT_NAME: 'push', GITHUB_REF: 'refs/tags/release-2026.11' }),
      {},
      [SHA, 'sha-8f3e2d1', 'release-2026.11'],
    ],
    [
      'semver off: the git tag as is',
      context({ GITHUB_EVENT_NAME: 'push', GITHUB_REF: 'refs/tags/v1.2.3' }),
      { semver: 'false' },
      [SHA, 'sha-8f3e2d1', 'v1.2.3'],
    ],
    [
      'pull_request: pr-N, no branch tag, no latest',
      context(
        { GITHUB_EVENT_NAME: 'pull_request', GITHUB_REF: 'refs/pull/42/merge', GITHUB_HEAD_REF: 'fix/typo' },
        { repository: repo, pull_request: { number: 42 } },
      ),
      { latest: 'default-branch' },
      [SHA, 'sha-8f3e2d1', 'pr-42'],
    ],
    [
      'schedule on the default branch',
      context({ GITHUB_EVENT_NAME: 'schedule', GITHUB_REF: 'refs/heads/main' }),
      {},
      [SHA, 'sha-8f3e2d1', 'main'],
    ],
    [
      'workflow_dispatch on a branch',
      context({ GITHUB_EVENT_NAME: 'workflow_dispatch', GITHUB_REF: 'refs/heads/release/2026-q4' }),
      {},
      [SHA, 'sha-8f3e2d1', 'release-2026-q4'],
    ],
    [
      'IMMUTABLE repository, auto: no branch tag',
      context({ GITHUB_EVENT_NAME: 'push', GITHUB_REF: 'refs/heads/main' }),
      { immutable: true },
      [SHA, 'sha-8f3e2d1'],
    ],
    [
      'IMMUTABLE repository, auto: the exact version only, no 1.2 or 1',
      context({ GITHUB_EVENT_NAME: 'push', GITHUB_REF: 'refs/tags/v1.2.3' }),
      { immutable: true },
      [SHA, 'sha-8f3e2d1', '1.2.3'],
    ],
    [
      'IMMUTABLE repository, auto: no pr-N',
      context(
        { GITHUB_EVENT_NAME: 'pull_request', GITHUB_REF: 'refs/pull/42/merge' },
        { repository: repo, pull_request: { number: 42 } },
      ),
      { immutable: true },
      [SHA, 'sha-8f3e2d1'],
    ],
    [
      'IMMUTABLE repository, branch tag asked for explicitly',
      context({ GITHUB_EVENT_NAME: 'push', GITHUB_REF: 'refs/heads/main' }),
      { immutable: true, branch: 'true' },
      [SHA, 'sha-8f3e2d1', 'main'],
    ],
    [
      'pr off',
      context(
        { GITHUB_EVENT_NAME: 'pull_request', GITHUB_REF: 'refs/pull/42/merge' },
        { repository: repo, pull_request: { number: 42 } },
      ),
      { pr: 'false' },
      [SHA, 'sha-8f3e2d1'],
    ],
    [
      'detached sha: only sha tags',
      context({ GITHUB_EVENT_NAME: 'push', GITHUB_REF: '' }),
      {},
      [SHA, 'sha-8f3e2d1'],
    ],
    [
      'branch with illegal characters',
      context({ GITHUB_EVENT_NAME: 'push', GITHUB_REF: 'refs/heads/Feature/ÜBER#12 fix' }),
      { sha: 'none' },
      ['Feature-BER-12-fix'],
    ],
    [
      'short sha only, plus raw tags, duplicates dropped',
      context({ GITHUB_EVENT_NAME: 'push', GITHUB_REF: 'refs/heads/main' }),
      { sha: 'short', raw: ['stable', 'main'], latest: 'true' },
      ['sha-8f3e2d1', 'main', 'latest', 'stable'],
    ],
    [
      'everything off but the long sha',
      context({ GITHUB_EVENT_NAME: 'push', GITHUB_REF: 'refs/heads/main' }),
      { sha: 'long', branch: 'false' },
      [SHA],
    ],
  ])('%s', async (_name, gitContext, rules, expected) => {
    const tags = computeTags(gitContext, { ...DEFAULTS, ...rules }, await tagVersion(gitContext));
    expect(tags.map((tag) => tag.name)).toEqual(expected);
    for (const tag of tags) expect(isValidTag(tag.name)).toBe(true);
  });

  it('marks tags that move between builds (branch, minor, major, latest, pr) and those that do not', async () => {
    const gitContext = context({ GITHUB_EVENT_NAME: 'push', GITHUB_REF: 'refs/tags/v3.1.4' });
    const tags = computeTags(gitContext, { ...DEFAULTS, latest: 'true' }, await tagVersion(gitContext));
    expect(Object.fromEntries(tags.map((tag) => [tag.name, tag.moving]))).toEqual({
      [SHA]: false,
      'sha-8f3e2d1': false,
      '3.1.4': false,
      '3.1': true,
      '3': true,
      latest: true,
    });
  });
});

describe('sanitizeTag', () => {
  it.each([
    ['feature/login', 'feature-login'],
    ['.hidden', 'hidden'],
    ['--dash', 'dash'],
    ['a b\tc', 'a-b-c'],
    ['ok_1.2-x', 'ok_1.2-x'],
    ['///', 'x'],
  ])('%p -> %p', (raw, expected) => expect(sanitizeTag(raw)).toBe(expected));

  it('keeps long names at 128 characters with a hash, so two long branches cannot collide', () => {
    const a = sanitizeTag(`feature/${'x'.repeat(200)}-a`);
    const b = sanitizeTag(`feature/${'x'.repeat(200)}-b`);
    expect(a).toHaveLength(128);
    expect(isValidTag(a)).toBe(true);
    expect(a).not.toBe(b);
  });
});

describe('parseSemver', () => {
  it('reads v-prefixed and plain versions, pre-release and build', async () => {
    expect(await parseSemver('v1.2.3')).toEqual({ major: 1, minor: 2, patch: 3 });
    expect(await parseSemver('1.2.3-beta.2+exp')).toEqual({
      major: 1,
      minor: 2,
      patch: 3,
      prerelease: 'beta.2',
      build: 'exp',
    });
  });
  it.each(['1.2', 'v01.2.3', 'release', '1.2.3.4', '1.2.3-01'])('refuses %p', async (text) =>
    expect(await parseSemver(text)).toBeUndefined(),
  );
});

describe('computeLabels', () => {
  it('writes the OCI labels from the context, with user labels winning', async () => {
    const gitContext = context(
      { GITHUB_EVENT_NAME: 'push', GITHUB_REF: 'refs/tags/v1.2.3' },
      {
        repository: { ...repo, description: 'The shop', license: { spdx_id: 'MIT' } },
        head_commit: { timestamp: '2026-11-20T10:00:00+01:00' },
      },
    );
    const labels = computeLabels(gitContext, {
      title: 'shop',
      extra: new Map([
        ['org.opencontainers.image.vendor', 'Acme'],
        ['org.opencontainers.image.title', 'Shop'],
      ]),
      version: await tagVersion(gitContext),
    });
    expect(labels).toEqual({
      'org.opencontainers.image.title': 'Shop',
      'org.opencontainers.image.description': 'The shop',
      'org.opencontainers.image.source': 'https://github.com/acme/shop',
      'org.opencontainers.image.url': 'https://github.com/acme/shop',
      'org.opencontainers.image.revision': SHA,
      'org.opencontainers.image.version': '1.2.3',
      'org.opencontainers.image.created': '2026-11-20T09:00:00.000Z',
      'org.opencontainers.image.licenses': 'MIT',
      'org.opencontainers.image.vendor': 'Acme',
    });
  });

  it('leaves created out when the commit time is unknown, so rebuilds give the same image', () => {
    const labels = computeLabels(
      context({ GITHUB_EVENT_NAME: 'pull_request', GITHUB_REF: 'refs/pull/7/merge' }),
      {
        title: 'shop',
        extra: new Map(),
        version: undefined,
      },
    );
    expect(labels['org.opencontainers.image.created']).toBeUndefined();
    expect(labels['org.opencontainers.image.version']).toBe('pr-7');
  });
});
