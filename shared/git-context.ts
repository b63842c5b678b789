import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

/**
 * What a workflow run knows about the commit it runs for, as plain values: built from the runner's
 * GITHUB_* variables and the event payload, with `git` as a fallback for local runs. Tag computation
 * (build-push) and deployment annotations (deploy-ecs) read this instead of the environment.
 *
 * It reads what @actions/github's `context` reads (GITHUB_SHA, GITHUB_REF, GITHUB_EVENT_NAME,
 * GITHUB_REPOSITORY, GITHUB_SERVER_URL and the GITHUB_EVENT_PATH payload; the PR number from the payload's
 * pull_request, as `context.issue` takes it) without that package: importing it bundles octokit, 1.2 MB, for
 * those few values, and its Context reads process.env only, where this takes any env (tests, local runs).
 */
export interface GitContext {
  /** Full 40-hex commit sha. */
  sha: string;
  shortSha: string;
  /** The full ref, e.g. refs/heads/main, refs/tags/v1.2.3, refs/pull/12/merge; empty when detached. */
  ref: string;
  /** Branch name for branch refs; for pull requests the head branch. */
  branch?: string;
  /** Tag name for tag refs (without refs/tags/). */
  tag?: string;
  prNumber?: number;
  /** push, pull_request, schedule, workflow_dispatch... ('local' outside Actions). */
  eventName: string;
  defaultBranch?: string;
  /** owner/name */
  repository?: string;
  /** https://github.com/owner/name */
  repositoryUrl?: string;
  /** ISO 8601 commit time when known (event payload or git); reproducible `created` labels use it. */
  commitTime?: string;
  /** SPDX id of the repository licence when the payload carries it. */
  license?: string;
  description?: string;
}

type Env = Readonly<Record<string, string | undefined>>;

interface EventPayload {
  repository?: {
    default_branch?: string;
    html_url?: string;
    description?: string | null;
    license?: { spdx_id?: string | null } | null;
  };
  head_commit?: { timestamp?: string } | null;
  pull_request?: { number?: number; head?: { ref?: string } };
  number?: number;
}

/** Builds the context from the runner's variables and the parsed event payload (pure). */
export function gitContextFromEnv(env: Env, event: unknown = {}): GitContext {
  const payload = (typeof event === 'object' && event !== null ? event : {}) as EventPayload;
  const sha = (env['GITHUB_SHA'] ?? '').trim();
  const ref = (env['GITHUB_REF'] ?? '').trim();
  const eventName = env['GITHUB_EVENT_NAME']?.trim() || 'local';
  const context: GitContext = { sha, shortSha: sha.slice(0, 7), ref, eventName };

  if (ref.startsWith('refs/heads/')) context.branch = ref.slice('refs/heads/'.length);
  else if (ref.startsWith('refs/tags/')) context.tag = ref.slice('refs/tags/'.length);
  const pullRef = /^refs\/pull\/(\d+)\//.exec(ref);
  const prNumber =
    payload.pull_request?.number ?? payload.number ?? (pullRef ? Number(pullRef[1]) : undefined);
  if (eventName.startsWith('pull_request') && prNumber !== undefined) {
    context.prNumber = prNumber;
    const headRef = env['GITHUB_HEAD_REF'] || payload.pull_request?.head?.ref;
    if (headRef) context.branch = headRef;
  }

  const repository = env['GITHUB_REPOSITORY']?.trim();
  if (repository) {
    context.repository = repository;
    const server = (env['GITHUB_SERVER_URL'] || 'https://github.com').replace(/\/+$/, '');
    context.repositoryUrl = payload.repository?.html_url || `${server}/${repository}`;
  }
  const defaultBranch = payload.repository?.default_branch;
  if (defaultBranch) context.defaultBranch = defaultBranch;
  const commitTime = payload.head_commit?.timestamp;
  if (commitTime) context.commitTime = new Date(commitTime).toISOString();
  const license = payload.repository?.license?.spdx_id;
  if (license && license !== 'NOASSERTION') context.license = license;
  const description = payload.repository?.description;
  if (description) context.description = description;
  return context;
}

function git(args: string[], cwd: string): string | undefined {
  try {
    const output = execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    return output.trim() || undefined;
  } catch {
    return undefined;
  }
}

/**
 * The context of the current run: GITHUB_* and the event file, then `git` in the workspace for what
 * they leave out (a local run, or a commit time on events whose payload has none).
 */
export function readGitContext(env: Env = process.env): GitContext {
  const eventPath = env['GITHUB_EVENT_PATH'];
  let event: unknown = {};
  if (eventPath && existsSync(eventPath)) {
    try {
      event = JSON.parse(readFileSync(eventPath, 'utf8'));
    } catch {
      event = {};
    }
  }
  const context = gitContextFromEnv(env, event);
  const cwd = env['GITHUB_WORKSPACE'] || process.cwd();
  if (!context.sha) {
    const sha = git(['rev-parse', 'HEAD'], cwd);
    if (sha) Object.assign(context, { sha, shortSha: sha.slice(0, 7) });
    const branch = git(['symbolic-ref', '--short', '-q', 'HEAD'], cwd);
    if (branch && !context.ref) Object.assign(context, { branch, ref: `refs/heads/${branch}` });
  }
  if (!context.commitTime && /^[0-9a-f]{40}$/.test(context.sha)) {
    const time = git(['show', '-s', '--format=%cI', context.sha], cwd);
    if (time) context.commitTime = new Date(time).toISOString();
  }
  if (!context.commitTime && env['SOURCE_DATE_EPOCH'] && /^\d+$/.test(env['SOURCE_DATE_EPOCH'])) {
    context.commitTime = new Date(Number(env['SOURCE_DATE_EPOCH']) * 1000).toISOString();
  }
  return context;
}
