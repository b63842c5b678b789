import { ConfigurationError } from '../../../shared/errors.js';
import { retry } from '../../../shared/retry.js';
import {
  buildxBuildArgs,
  plainBuildArgs,
  pushArgs,
  tagByDigestArgs,
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

/** The registry reads publishing needs (RegistryClient; a fake in tests). */
export type RegistryReader = Pick<RegistryClient, 'manifest' | 'labels' | 'imageConfigs'>;

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
  /** The existing-tag lookup (existingTags), when the caller started it early to overlap the login. */
  existing?: Promise<Map<string, ManifestInfo>> | undefined;
}

export interface PublishOptions {
  plan: BuildPlan;
  /** Path of the repository in the registry (what /v2/<path>/manifests/ takes). */
  repositoryPath: string;
  /** Bare tag names, in order; plan.tags holds the same as full references. */
  tagNames: readonly string[];
  builder: 'buildx' | 'docker';
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

function immutableConflict(repository: string, tag: string, old: string, fresh: string, what: string): Error {
  return new Error(
    `Tag "${tag}" already exists in the IMMUTABLE repository ${repository} as ${old}, and this build is a different image (${what} ${fresh}); an immutable tag cannot be moved: use a new tag (e.g. the commit sha) or a MUTABLE repository.`,
  );
}

async function runBuild(
  command: BuildCommand,
  options: PublishOptions,
  deps: PublishDeps,
): Promise<{ output: string; cacheHits: PublishResult['cacheHits'] }> {
  for (const note of command.notes) deps.log.info(note);
  for (const warning of command.warnings) deps.log.warning(warning);
  const result = await deps.docker('docker', command.args, { env: deps.buildEnv, onLine: deps.log.info });
  const output = `${result.stdout}\n${result.stderr}`;
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

/** Every tag must resolve, in the registry, to the same digest: the one that was pushed. */
function verifyTags(
  options: PublishOptions,
  manifests: readonly (ManifestInfo | undefined)[],
  digest: string,
): ManifestInfo {
  for (const [index, tag] of options.tagNames.entries()) {
    const manifest = manifests[index];
    if (!manifest)
      throw new Error(`After the push, the registry has no tag "${tag}" in ${options.plan.image}.`);
    if (manifest.digest !== digest) {
      throw new Error(
        `After the push, tag "${tag}" resolves to ${manifest.digest} in the registry, not the pushed ${digest}; something else pushed to it concurrently.`,
      );
    }
  }
  return manifests.at(-1)!;
}

/**
 * Build, then push: check existing tags first (immutable conflicts fail before anything is written,
 * identical tags are left alone), push the rest with retries, then read every tag back from the registry.
 */
export async function buildAndPush(options: PublishOptions, deps: PublishDeps): Promise<PublishResult> {
  const { plan } = options;
  const { log, registry } = deps;
  const result: PublishResult = {
    image: plan.image,
    digest: undefined,
    imageId: undefined,
    tags: options.tagNames.map((name) => ({ name, state: 'pushed' })),
    sizeBytes: undefined,
    buildMs: 0,
    pushMs: 0,
    cacheHits: undefined,
    layers: { pushed: 0, existing: 0 },
    skipped: false,
    platforms: [...plan.platforms],
  };

  let existing = new Map<string, ManifestInfo>();
  if (plan.push && registry) {
    existing = await log.group('Existing tags', async () => {
      const found = await (deps.existing ?? existingTags(registry, options.repositoryPath, options.tagNames));
      for (const [tag, manifest] of found) log.info(`${plan.image}:${tag} exists as ${manifest.digest}`);
      if (found.size === 0) log.info('None of the tags exist yet.');
      return found;
    });
    if (options.skipExisting) {
      const reusable = await findReusable(options, registry, existing, log);
      if (reusable) {
        log.info(
          `skip-existing: every tag already points at ${reusable.digest}, built from this commit; nothing to build.`,
        );
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
    }
  }

  const command = options.builder === 'buildx' ? buildxBuildArgs(plan) : plainBuildArgs(plan);
  const buildStarted = deps.now();
  const build = await log.group(
    `Build (${options.builder === 'buildx' ? 'docker buildx build' : 'docker build'})`,
    () => runBuild(command, options, deps),
  );
  result.buildMs = Math.round(deps.now() - buildStarted);
  result.cacheHits = build.cacheHits;

  if (options.builder === 'docker') {
    result.imageId = deps.readFile(plan.iidFile).trim();
  } else {
    const metadata = JSON.parse(deps.readFile(plan.metadataFile)) as Record<string, string>;
    result.digest = metadata['containerimage.digest'];
    result.imageId = metadata['containerimage.config.digest'];
  }
  if (!plan.push || !registry) return result;

  const pushStarted = deps.now();
  await log.group('Push', async () => {
    // Decide every tag before writing any, so an immutable conflict leaves the registry untouched.
    const toPush: string[] = [];
    // buildx: a rebuild of the same commit has fresh provenance, so a new index digest around the same
    // image configs. Such a tag counts as holding this image, and new tags join its digest.
    let fresh: Promise<string[] | undefined> | undefined;
    const sameImage = async (old: ManifestInfo): Promise<boolean> => {
      if (options.builder === 'docker') return old.configDigest === result.imageId;
      if (old.digest === result.digest) return true;
      fresh ??= registry.imageConfigs(options.repositoryPath, result.digest!);
      const [before, after] = await Promise.all([
        registry.imageConfigs(options.repositoryPath, old.digest),
        fresh,
      ]);
      return before !== undefined && after !== undefined && before.join() === after.join();
    };
    for (const [index, tag] of options.tagNames.entries()) {
      const old = existing.get(tag);
      const same = old !== undefined && (await sameImage(old));
      if (same) {
        result.tags[index]!.state = 'unchanged';
        log.info(`${plan.image}:${tag} already holds this image (${old.digest}); left as is.`);
        if (options.builder === 'buildx' && old.digest !== result.digest) {
          log.info(
            `The new push ${result.digest} is the same image with other attestations; tags use ${old.digest}.`,
          );
          result.digest = old.digest;
        }
      } else if (old && options.immutable) {
        const fresh = options.builder === 'buildx' ? result.digest! : result.imageId!;
        throw immutableConflict(
          plan.image,
          tag,
          old.digest,
          fresh,
          options.builder === 'buildx' ? 'digest' : 'image id',
        );
      } else {
        if (old) result.tags[index]!.state = 'moved';
        toPush.push(tag);
      }
    }
    if (options.builder === 'buildx') {
      for (const tag of toPush)
        await pushWithRetry(tagByDigestArgs(plan.image, result.digest!, tag), options, deps);
      return;
    }
    const uploaded = new Set<string>();
    const present = new Set<string>();
    const count = (output: string): void => {
      const layers = pushedLayers(output);
      layers.pushed.forEach((id) => uploaded.add(id));
      layers.existing.forEach((id) => present.add(id));
    };
    // The first push uploads the layers; the other tags then only need their manifest, so they go in
    // parallel (their output is printed whole, in order, rather than interleaved).
    const [firstTag, ...otherTags] = toPush;
    if (firstTag !== undefined)
      count(await pushWithRetry(pushArgs(`${plan.image}:${firstTag}`), options, deps));
    const outputs = await Promise.all(
      otherTags.map((tag) => pushWithRetry(pushArgs(`${plan.image}:${tag}`), options, deps, false)),
    );
    for (const output of outputs) {
      count(output);
      output
        .split('\n')
        .filter((line) => line.trim() !== '')
        .forEach((line) => deps.log.info(line));
    }
    result.layers = {
      pushed: uploaded.size,
      existing: [...present].filter((id) => !uploaded.has(id)).length,
    };
    if (toPush.length === 0) log.info('Every tag already holds this image: nothing was pushed.');
  });
  result.pushMs = Math.round(deps.now() - pushStarted);

  // The digest is what the registry says the first tag holds, then every tag is checked against it (all
  // read in one parallel batch).
  const manifests = await Promise.all(
    options.tagNames.map((tag) => registry.manifest(options.repositoryPath, tag)),
  );
  const first = manifests[0];
  if (!first)
    throw new Error(`After the push, the registry has no tag "${options.tagNames[0]}" in ${plan.image}.`);
  if (options.builder === 'docker' && first.configDigest && first.configDigest !== result.imageId) {
    throw new Error(
      `After the push, ${plan.image}:${options.tagNames[0]} holds image ${first.configDigest}, not the one just built (${result.imageId}).`,
    );
  }
  if (options.builder === 'buildx' && result.digest && first.digest !== result.digest) {
    throw new Error(
      `The registry holds ${first.digest} for ${options.tagNames[0]}, but buildx pushed ${result.digest}.`,
    );
  }
  const verified = verifyTags(options, manifests, first.digest);
  result.digest = first.digest;
  result.sizeBytes = verified.size;
  if (verified.platforms) result.platforms = verified.platforms;
  return result;
}
