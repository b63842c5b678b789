/**
 * What known actions do with their inputs: which inputs run as code, which actions restore caches, which
 * publish. Keys are `owner/repo` (or `owner/repo/path`) in lower case, without the `@ref`.
 */

/** Inputs evaluated as code (script, shell or query language) by the action. */
export const CODE_INPUTS: ReadonlyMap<string, readonly string[]> = new Map([
  ['actions/github-script', ['script']],
  ['azure/cli', ['inlinescript']],
  ['azure/powershell', ['inlinescript']],
  ['amadevus/pwsh-script', ['script']],
  ['jannekem/run-python-script-action', ['script']],
  ['cardinalby/js-eval-action', ['expression']],
  ['mikefarah/yq', ['cmd']],
  ['addnab/docker-run-action', ['run']],
  ['appleboy/ssh-action', ['script']],
  ['uraimo/run-on-arch-action', ['run']],
  ['cross-platform-actions/action', ['run']],
  ['nick-fields/retry', ['command']],
  ['wandalen/wretry.action', ['command']],
  ['garygrossgarten/github-action-ssh', ['command']],
]);

/** How an action's cache is turned on: always, only when an input is set, or unless an input turns it off. */
export type CacheMode =
  | { kind: 'always' }
  | { kind: 'opt-in'; input: string; offValues?: readonly string[] }
  | { kind: 'opt-out'; input: string; offValues: readonly string[] };

const FALSE = ['false', ''];

/** Actions that restore a cache the rest of the repository's workflows (PRs included) can write. */
export const CACHING_ACTIONS: ReadonlyMap<string, CacheMode> = new Map<string, CacheMode>([
  ['actions/cache', { kind: 'always' }],
  ['actions/cache/restore', { kind: 'always' }],
  ['actions/setup-node', { kind: 'opt-in', input: 'cache' }],
  ['actions/setup-python', { kind: 'opt-in', input: 'cache' }],
  ['actions/setup-java', { kind: 'opt-in', input: 'cache' }],
  ['actions/setup-dotnet', { kind: 'opt-in', input: 'cache', offValues: FALSE }],
  ['actions/setup-go', { kind: 'opt-out', input: 'cache', offValues: FALSE }],
  // enable-cache defaults to `auto`: on, on GitHub-hosted runners.
  ['astral-sh/setup-uv', { kind: 'opt-out', input: 'enable-cache', offValues: FALSE }],
  ['ruby/setup-ruby', { kind: 'opt-in', input: 'bundler-cache', offValues: FALSE }],
  ['swatinem/rust-cache', { kind: 'always' }],
  ['actions-rust-lang/setup-rust-toolchain', { kind: 'opt-out', input: 'cache', offValues: FALSE }],
  ['gradle/actions/setup-gradle', { kind: 'opt-out', input: 'cache-disabled', offValues: ['true'] }],
  ['gradle/gradle-build-action', { kind: 'opt-out', input: 'cache-disabled', offValues: ['true'] }],
  ['oven-sh/setup-bun', { kind: 'opt-out', input: 'no-cache', offValues: ['true'] }],
  ['jdx/mise-action', { kind: 'opt-out', input: 'cache', offValues: FALSE }],
  ['pnpm/action-setup', { kind: 'opt-in', input: 'cache', offValues: FALSE }],
  ['prefix-dev/setup-pixi', { kind: 'opt-in', input: 'cache', offValues: FALSE }],
  ['graalvm/setup-graalvm', { kind: 'opt-in', input: 'cache' }],
  ['mozilla-actions/sccache-action', { kind: 'always' }],
  ['hendrikmuhs/ccache-action', { kind: 'always' }],
  ['determinatesystems/magic-nix-cache-action', { kind: 'always' }],
  ['nix-community/cache-nix-action', { kind: 'always' }],
  ['coursier/cache-action', { kind: 'always' }],
  ['shivammathur/cache-extensions', { kind: 'always' }],
  ['bahmutov/npm-install', { kind: 'opt-out', input: 'usecache', offValues: FALSE }],
  ['cypress-io/github-action', { kind: 'always' }],
  ['docker/build-push-action', { kind: 'opt-in', input: 'cache-from' }],
]);

/** Actions that publish a release or a package: a job using one is a release job. */
export const PUBLISHING_ACTIONS = new Set([
  'pypa/gh-action-pypi-publish',
  'softprops/action-gh-release',
  'ncipollo/release-action',
  'goreleaser/goreleaser-action',
  'rubygems/release-gem',
  'changesets/action',
  'js-devtools/npm-publish',
  'jreleaser/release-action',
  'actions/create-release',
  'actions/upload-release-asset',
  'svenstaro/upload-release-action',
]);

/** Actions whose outputs are hashes, booleans or echo of trusted configuration. */
export const TRUSTED_OUTPUTS = new Set([
  'actions/cache',
  'actions/cache/restore',
  'actions/checkout',
  'actions/setup-node',
  'actions/setup-python',
  'actions/setup-go',
  'actions/setup-java',
  'actions/upload-artifact',
  'actions/create-github-app-token',
  'aws-actions/configure-aws-credentials',
  'aws-actions/amazon-ecr-login',
  'docker/setup-buildx-action',
  'docker/build-push-action',
  'dorny/paths-filter',
]);

/** `owner/repo[/path]` of a `uses:` value, lower case, or undefined for local actions and docker images. */
export function actionName(uses: string): string | undefined {
  if (uses === '' || uses.startsWith('./') || uses.startsWith('docker://')) return undefined;
  return uses.split('@')[0]!.toLowerCase();
}

/** Whether a step of `action` with these inputs restores a cache. */
export function restoresCache(action: string, inputs: ReadonlyMap<string, string>): boolean {
  const mode = CACHING_ACTIONS.get(action);
  if (!mode) return false;
  if (mode.kind === 'always') return true;
  const value = inputs.get(mode.input);
  const off = (mode.offValues ?? ['']).includes((value ?? '').trim().toLowerCase());
  if (mode.kind === 'opt-in') {
    if (value === undefined || off) return false;
    // BuildKit only shares a cache across workflows through the GitHub Actions cache backend.
    return action !== 'docker/build-push-action' || /type=gha/.test(value);
  }
  return value === undefined || !off;
}
