import { ConfigurationError } from '../../../shared/errors.js';
import { retry } from '../../../shared/retry.js';
import {
  buildxBuildArgs,
  plainBuildArgs,
  pushArgs,
  tagArgs,
  type BuildCommand,
  type BuildPlan,
} from './docker-args.js';
import {
  classifyPushFailure,
  countCacheHits,
  DockerError,
  explainBuildFailure,
  tail,
  type RunCommand,
} from './docker.js';
import type { ManifestInfo, RegistryClient } from './registry.js';
import { planTags, putTags } from './tagging.js';

/** The registry calls publishing needs (RegistryClient; a fake in tests). */
export type RegistryReader = Pick<
  RegistryClient,
  'manifest' | 'labels' | 'imageConfigs' | 'rawManifest' | 'putManifest'
>;

/** Where the push goes, once known (on ECR: after DescribeRepositories, which runs alongside the build). */
export interface PushTarget {
  /** The repository's image name; when it is not plan.image (what the build tagged), docker tags it first. */
  image: string;
  immutable: boolean;
}

/** The docker login running alongside the build: the push waits for it. */
export interface PendingLogin {
  done: Promise<void>;
  /** Whether it had finished (either way) when asked. */
  settled: () => boolean;
}

export interface Logger {
  info: (message: string) => void;
  warning: (message: string) => void;
  group: <T>(name: string, run: () => Promise<T>) => Promise<T>;
}

export interface PublishDeps {
  docker: RunCommand;
  /** Present when pushing. */
  registry?: RegistryReader | undefined;
  log: Logger;
  readFile: (path: string) => string;
  now: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** Environment for the build command (secret values by variable name). */
  buildEnv: Record<string, string>;
  /** The existing-tag lookup (existingTags), started by the caller to run alongside the build. */
  existing?: Promise<Map<string, ManifestInfo>> | undefined;
  /** The login, started by the caller to run alongside the build (buildx, which pushes itself, waits). */
  login?: PendingLogin | undefined;
  /** The push target, when the caller is still finding it (ECR); default plan.image and options.immutable. */
  target?: Promise<PushTarget> | undefined;
  /** Stops the build (the caller aborts it when what runs alongside fails: no point finishing it). */
  buildSignal?: AbortSignal | undefined;
}

export interface PublishOptions {
  plan: BuildPlan;
  /** Path of the repository in the registry (what /v2/<path>/manifests/ takes). */
  repositoryPath: string;
  /** Bare tag names, in order; plan.tags holds the same as full references. */
  tagNames: readonly string[];
  builder: 'buildx' | 'docker';
  /** The repository refuses to move tags (when deps.target does not say). */
  immutable: boolean;
  skipExisting: boolean;
  /** For skip-existing: the commit the existing image must have been built from. */
  revision: string;
  pushAttempts: number;
  hostPlatform: string;
}

export type TagState = 'pushed' | 'unchanged' | 'moved';

export interface PublishResult {
  image: string;
  digest: string | undefined;
  imageId: string | undefined;
  tags: { name: string; state: TagState }[];
  sizeBytes: number | undefined;
  buildMs: number;
  pushMs: number;
  cacheHits: { cached: number; total: number } | undefined;
  /** From `docker push` output: layers uploaded vs already in the registry. */
  layers: { pushed: number; existing: number };
  skipped: boolean;
  platforms: string[];
}

/** Layer ids from `docker push` output: uploaded, or already there (or mounted from another repository). */
export function pushedLayers(output: string): { pushed: Set<string>; existing: Set<string> } {
  const pushed = new Set<string>();
  const existing = new Set<string>();
  for (const match of output.matchAll(/^([0-9a-f]{12}): (Pushed|Layer already exists|Mounted from .*)$/gm)) {
    (match[2] === 'Pushed' ? pushed : existing).add(match[1]!);
  }
  return { pushed, existing };
}

/** The tags that are already in the registry, with what they point at. */
export async function existingTags(
  registry: RegistryReader,
  repository: string,
  tags: readonly string[],
): Promise<Map<string, ManifestInfo>> {
  const found = new Map<string, ManifestInfo>();
  const answers = await Promise.all(tags.map((tag) => registry.manifest(repository, tag)));
  answers.forEach((manifest, index) => {
    if (manifest) found.set(tags[index]!, manifest);
  });
  return found;
}

/** skip-existing: every tag is there, on one digest, built from this commit. */
async function findReusable(
  options: PublishOptions,
  registry: RegistryReader,
  existing: Map<string, ManifestInfo>,
  log: Logger,
): Promise<ManifestInfo | undefined> {
  if (existing.size !== options.tagNames.length) {
    log.info(
      `skip-existing: ${options.tagNames.length - existing.size} tag(s) are not in the registry yet; building.`,
    );
    return undefined;
  }
  const digests = new Set([...existing.values()].map((manifest) => manifest.digest));
  if (digests.size !== 1) {
    log.info('skip-existing: the tags point at different images; building.');
    return undefined;
  }
  const [first] = existing.values();
  const labels = await registry.labels(options.repositoryPath, first!.digest);
  const revision = labels['org.opencontainers.image.revision'];
  if (revision !== options.revision) {
    log.info(
      `skip-existing: the existing image was built from ${revision ?? 'an unknown commit'}, not ${options.revision}; building.`,
    );
    return undefined;
  }
  return first;
}

async function runBuild(
  command: BuildCommand,
  options: BuildOptions,
  deps: PublishDeps,
): Promise<{ output: string; cacheHits: PublishResult['cacheHits'] }> {
  for (const note of command.notes) deps.log.info(note);
  for (const warning of command.warnings) deps.log.warning(warning);
  const loggedIn = deps.login === undefined || deps.login.settled();
  const run = {
    env: deps.buildEnv,
    onLine: deps.log.info,
    ...(deps.buildSignal ? { signal: deps.buildSignal } : {}),
  };
  let result = await deps.docker('docker', command.args, run);
  let output = `${result.stdout}\n${result.stderr}`;
  // The build started before docker was logged in; one that failed on the registry's credentials (a base
  // image in the same private registry) runs again once the login is done.
  if (result.exitCode !== 0 && !loggedIn && classifyPushFailure(output) === 'auth') {
    await deps.login!.done;
    deps.log.info('The build needed the registry login (a base image in it?); building again, logged in.');
    result = await deps.docker('docker', command.args, run);
    output = `${result.stdout}\n${result.stderr}`;
  }
  if (result.exitCode !== 0) {
    const explained = explainBuildFailure(output, options.plan.platforms, options.hostPlatform);
    if (explained) throw new ConfigurationError(explained);
    throw new DockerError(`docker build failed: ${tail(result.stderr || result.stdout)}`, 'other');
  }
  return { output, cacheHits: countCacheHits(output) };
}

/** Runs a push-like docker command, retrying registry 5xx/429/dropped connections, never auth errors. */
async function pushWithRetry(
  args: string[],
  options: PublishOptions,
  deps: PublishDeps,
  live = true,
): Promise<string> {
  return retry(
    async (attempt) => {
      const result = await deps.docker('docker', args, live ? { onLine: deps.log.info } : {});
      const output = `${result.stdout}\n${result.stderr}`;
      if (result.exitCode === 0) return output;
      const kind = classifyPushFailure(output);
      const reason = tail(result.stderr || result.stdout, 2);
      if (kind === 'auth') {
        throw new DockerError(
          `The registry refused the push of ${args.at(-1)} (${reason}): check the credentials and push permission.`,
          kind,
        );
      }
      throw new DockerError(
        `docker ${args.slice(0, -1).join(' ')} ${args.at(-1)} failed (attempt ${attempt}): ${reason}`,
        kind,
      );
    },
    {
      attempts: options.pushAttempts,
      minDelayMs: 1000,
      maxDelayMs: 15_000,
      isRetryable: (error) => error instanceof DockerError && error.kind === 'transient',
      onRetry: (error, attempt, delayMs) =>
        deps.log.warning(
          `${(error as Error).message}; retrying in ${Math.round(delayMs / 1000)} s (attempt ${attempt + 1} of ${options.pushAttempts}).`,
        ),
      ...(deps.sleep ? { sleep: deps.sleep } : {}),
    },
  );
}

/** The digest `docker push` reported (`<tag>: digest: sha256:... size: N`). */
export function pushedDigest(output: string): string | undefined {
  return /: digest: (sha256:[0-9a-f]{64}) size: \d+/.exec(output)?.[1];
}

function emptyResult(options: PublishOptions): PublishResult {
  return {
    image: options.plan.image,
    digest: undefined,
    imageId: undefined,
    tags: options.tagNames.map((name) => ({ name, state: 'pushed' })),
    sizeBytes: undefined,
    buildMs: 0,
    pushMs: 0,
    cacheHits: undefined,
    layers: { pushed: 0, existing: 0 },
    skipped: false,
    platforms: [...options.plan.platforms],
  };
}

/** skip-existing: the result when every tag already holds one image built from this commit, else undefined. */
export async function reuseExisting(
  options: PublishOptions,
  registry: RegistryReader,
  existing: Map<string, ManifestInfo>,
  log: Logger,
): Promise<PublishResult | undefined> {
  const reusable = await findReusable(options, registry, existing, log);
  if (!reusable) return undefined;
  log.info(
    `skip-existing: every tag already points at ${reusable.digest}, built from this commit; nothing to build.`,
  );
  const result = emptyResult(options);
  return {
    ...result,
    digest: reusable.digest,
    imageId: reusable.configDigest,
    tags: result.tags.map((tag) => ({ ...tag, state: 'unchanged' })),
    sizeBytes: reusable.size,
    skipped: true,
    platforms: reusable.platforms ?? result.platforms,
  };
}

/** What the build made: the local image id (docker) or the pushed digest (buildx), and the local tags. */
export interface BuildOutcome {
  imageId: string | undefined;
  digest: string | undefined;
  /** Full references the build tagged locally (plan.tags). */
  localTags: readonly string[];
  buildMs: number;
  cacheHits: PublishResult['cacheHits'];
}

export type BuildOptions = Pick<PublishOptions, 'plan' | 'builder' | 'hostPlatform'>;

/** Runs the build. A failure waits for the login running alongside it: a failed login explains more. */
export async function buildImage(options: BuildOptions, deps: PublishDeps): Promise<BuildOutcome> {
  const { plan } = options;
  const command = options.builder === 'buildx' ? buildxBuildArgs(plan) : plainBuildArgs(plan);
  const started = deps.now();
  const build = await deps.log
    .group(`Build (${options.builder === 'buildx' ? 'docker buildx build' : 'docker build'})`, () =>
      runBuild(command, options, deps),
    )
    .catch(async (error: unknown) => {
      await deps.login?.done;
      throw error;
    });
  const outcome: BuildOutcome = {
    imageId: undefined,
    digest: undefined,
    localTags: plan.tags,
    buildMs: Math.round(deps.now() - started),
    cacheHits: build.cacheHits,
  };
  if (options.builder === 'docker') {
    outcome.imageId = deps.readFile(plan.iidFile).trim();
  } else {
    const metadata = JSON.parse(deps.readFile(plan.metadataFile)) as Record<string, string>;
    outcome.digest = metadata['containerimage.digest'];
    outcome.imageId = metadata['containerimage.config.digest'];
  }
  return outcome;
}

/**
 * Pushes what the build made. What ran alongside the build (login, existing-tag lookup, push target) is
 * awaited first, the login's errors first. Every tag is decided before any is written (immutable conflicts
 * fail with the registry untouched, identical tags are left alone). docker pushes one tag (the layers); the
 * other tags get the same manifest by PUT. The digest docker reported is checked by reading that tag back,
 * and each PUT must be stored under it.
 */
export async function publishImage(
  options: PublishOptions,
  built: BuildOutcome,
  deps: PublishDeps & { registry: RegistryReader },
): Promise<PublishResult> {
  const { plan } = options;
  const { log, registry } = deps;
  const result: PublishResult = {
    ...emptyResult(options),
    imageId: built.imageId,
    digest: built.digest,
    buildMs: built.buildMs,
    cacheHits: built.cacheHits,
  };
  await deps.login?.done;
  const target = (await deps.target) ?? { image: plan.image, immutable: options.immutable };
  const existing = await log.group('Existing tags', async () => {
    const found = await (deps.existing ?? existingTags(registry, options.repositoryPath, options.tagNames));
    for (const [tag, manifest] of found) log.info(`${plan.image}:${tag} exists as ${manifest.digest}`);
    if (found.size === 0) log.info('None of the tags exist yet.');
    return found;
  });

  const pushStarted = deps.now();
  await log.group('Push', async () => {
    const toPush = await planTags(options, target.immutable, existing, registry, result, log);
    // The manifest every tag gets: what docker pushed under the first tag, or what buildx pushed by digest,
    // or (nothing to push) what the first tag already holds.
    let source = options.builder === 'buildx' ? result.digest! : options.tagNames[0]!;
    let reported: string | undefined;
    let rest = toPush;
    if (options.builder === 'docker' && toPush.length > 0) {
      const [first, ...others] = toPush as [string, ...string[]];
      const reference = `${target.image}:${first}`;
      // Only when the build could not tag it (on ECR it starts before the repository's name is known).
      if (!built.localTags.includes(reference)) {
        const tagged = await deps.docker('docker', tagArgs(result.imageId!, reference));
        if (tagged.exitCode !== 0) throw new Error(`docker tag ${reference} failed: ${tail(tagged.stderr)}`);
      }
      const output = await pushWithRetry(pushArgs(reference), options, deps);
      const layers = pushedLayers(output);
      result.layers = { pushed: layers.pushed.size, existing: layers.existing.size };
      reported = pushedDigest(output);
      source = first;
      rest = others;
    }
    // One read of the pushed manifest: its digest, config and size, and the exact bytes for the other tags.
    const read = await registry.rawManifest(options.repositoryPath, source);
    if (!read) throw new Error(`After the push, the registry has no tag "${source}" in ${plan.image}.`);
    const { info } = read;
    if (reported && info.digest !== reported) {
      throw new Error(
        `After the push, tag "${source}" resolves to ${info.digest} in the registry, not the pushed ${reported}; something else pushed to it concurrently.`,
      );
    }
    if (options.builder === 'docker' && info.configDigest && info.configDigest !== result.imageId) {
      throw new Error(
        `After the push, ${plan.image}:${source} holds image ${info.configDigest}, not the one just built (${result.imageId}).`,
      );
    }
    for (const [index, { name, state }] of result.tags.entries()) {
      const old = existing.get(name);
      if (state === 'unchanged' && old && old.digest !== info.digest) {
        throw new Error(
          `Tag "${options.tagNames[index]}" resolves to ${old.digest} in the registry, not the pushed ${info.digest}; the tags would point at two manifests of one image.`,
        );
      }
    }
    await putTags(registry, options, rest, { ...info, bytes: read.bytes }, deps);
    result.digest = info.digest;
    result.sizeBytes = info.size;
    if (info.platforms) result.platforms = info.platforms;
    if (toPush.length === 0) log.info('Every tag already holds this image: nothing was pushed.');
  });
  result.pushMs = Math.round(deps.now() - pushStarted);
  return result;
}

/** skip-existing check, build, push: the whole step when everything about the target is known up front. */
export async function buildAndPush(options: PublishOptions, deps: PublishDeps): Promise<PublishResult> {
  const { registry } = deps;
  const pushing = options.plan.push && registry !== undefined;
  if (pushing && options.skipExisting) {
    const existing = await (deps.existing ??
      existingTags(registry, options.repositoryPath, options.tagNames));
    const reused = await reuseExisting(options, registry, existing, deps.log);
    if (reused) return reused;
    deps = { ...deps, existing: Promise.resolve(existing) };
  }
  // buildx pushes from inside the build, with the credentials it read when it started.
  if (pushing && options.builder === 'buildx') await deps.login?.done;
  const built = await buildImage(options, deps);
  if (!pushing) {
    return {
      ...emptyResult(options),
      imageId: built.imageId,
      digest: built.digest,
      buildMs: built.buildMs,
      cacheHits: built.cacheHits,
    };
  }
  return publishImage(options, built, { ...deps, registry });
}
