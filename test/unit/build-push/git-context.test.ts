import { gitContextFromEnv } from '../../../shared/git-context.js';

const SHA = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';

describe('gitContextFromEnv', () => {
  it('reads a push to a branch', () => {
    expect(
      gitContextFromEnv(
        {
          GITHUB_SHA: SHA,
          GITHUB_REF: 'refs/heads/main',
          GITHUB_EVENT_NAME: 'push',
          GITHUB_REPOSITORY: 'acme/shop',
          GITHUB_SERVER_URL: 'https://ghe.example.com/',
        },
        { repository: { default_branch: 'main' }, head_commit: { timestamp: '2026-01-02T03:04:05Z' } },
      ),
    ).toEqual({
      sha: SHA,
      shortSha: 'aaaaaaa',
      ref: 'refs/heads/main',
      branch: 'main',
      eventName: 'push',
      defaultBranch: 'main',
      repository: 'acme/shop',
      repositoryUrl: 'https://ghe.example.com/acme/shop',
      commitTime: '2026-01-02T03:04:05.000Z',
    });
  });

  it('reads a tag ref', () => {
    const context = gitContextFromEnv({
      GITHUB_SHA: SHA,
      GITHUB_REF: 'refs/tags/v1.0.0',
      GITHUB_EVENT_NAME: 'push',
    });
    expect(context.tag).toBe('v1.0.0');
    expect(context.branch).toBeUndefined();
  });

  it('reads a pull request: number from the payload, branch from the head ref', () => {
    const context = gitContextFromEnv(
      { GITHUB_SHA: SHA, GITHUB_REF: 'refs/pull/9/merge', GITHUB_EVENT_NAME: 'pull_request_target' },
      { pull_request: { number: 9, head: { ref: 'feat/x' } } },
    );
    expect(context).toMatchObject({ prNumber: 9, branch: 'feat/x' });
  });

  it('falls back to the ref for the pull request number', () => {
    const context = gitContextFromEnv({
      GITHUB_SHA: SHA,
      GITHUB_REF: 'refs/pull/12/merge',
      GITHUB_EVENT_NAME: 'pull_request',
    });
    expect(context.prNumber).toBe(12);
  });

  it('has no branch or tag for a detached sha, and "local" outside Actions', () => {
    const context = gitContextFromEnv({ GITHUB_SHA: SHA });
    expect(context).toEqual({ sha: SHA, shortSha: 'aaaaaaa', ref: '', eventName: 'local' });
  });

  it('ignores a NOASSERTION licence and survives a non-object payload', () => {
    expect(
      gitContextFromEnv({ GITHUB_SHA: SHA }, { repository: { license: { spdx_id: 'NOASSERTION' } } }).license,
    ).toBeUndefined();
    expect(gitContextFromEnv({ GITHUB_SHA: SHA }, 'garbage').sha).toBe(SHA);
  });
});
