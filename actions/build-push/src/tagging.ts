import { retry } from '../../../shared/retry.js';
import type { Logger, PublishOptions, PublishResult } from './publish.js';
import { RegistryError, type ManifestInfo, type ManifestWrite, type RegistryClient } from './registry.js';

/** The registry calls tagging needs (RegistryClient; a fake in tests). */
export type RegistryTagger = Pick<RegistryClient, 'imageConfigs' | 'rawManifest' | 'putManifest'>;

function immutableConflict(repository: string, tag: string, old: string, fresh: string, what: string): Error {
  return new Error(
    `Tag "${tag}" already exists in the IMMUTABLE repository ${repository} as ${old}, and this build is a different image (${what} ${fresh}); an immutable tag cannot be moved: use a new tag (e.g. the commit sha) or a MUTABLE repository.`,
  );
}

/**
 * Decides every tag before any is written, so an immutable conflict leaves the registry untouched: a tag
 * that holds this image stays as is ('unchanged'), one that holds another image is moved, or refused in an
 * IMMUTABLE repository. Returns the tags to write, in order. Under buildx, a rebuild of the same commit has
 * fresh provenance (a new index digest around the same image configs): such a tag holds this image, and
 * result.digest becomes its digest so new tags join it.
 */
export async function planTags(
  options: PublishOptions,
  immutable: boolean,
  existing: ReadonlyMap<string, ManifestInfo>,
  registry: Pick<RegistryTagger, 'imageConfigs'>,
  result: PublishResult,
  log: Logger,
): Promise<string[]> {
  const { plan } = options;
  const toPush: string[] = [];
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
    } else if (old && immutable) {
      const builtAs = options.builder === 'buildx' ? result.digest! : result.imageId!;
      throw immutableConflict(
        plan.image,
        tag,
        old.digest,
        builtAs,
        options.builder === 'buildx' ? 'digest' : 'image id',
      );
    } else {
      if (old) result.tags[index]!.state = 'moved';
      toPush.push(tag);
    }
  }
  return toPush;
}

/** Registry 5xx, 429 and dropped connections are worth another try; refusals are not. */
function isTransient(error: unknown): boolean {
  if (!(error instanceof RegistryError)) return false;
  return error.status === undefined || error.status === 429 || error.status >= 500;
}

/**
 * Points each tag at the manifest by writing its exact bytes (a manifest PUT: no layer moves, one round
 * trip per tag, all at once), with retries; the registry must store it under the manifest's digest.
 */
export async function putTags(
  registry: Pick<RegistryTagger, 'putManifest'>,
  options: PublishOptions,
  tags: readonly string[],
  manifest: ManifestWrite & { digest: string },
  deps: { log: Logger; sleep?: ((ms: number) => Promise<void>) | undefined },
): Promise<void> {
  await Promise.all(
    tags.map((tag) =>
      retry(
        async () => {
          const stored = await registry.putManifest(options.repositoryPath, tag, manifest);
          if (stored !== manifest.digest) {
            throw new Error(
              `The registry stored ${stored} for ${options.plan.image}:${tag}, not ${manifest.digest}.`,
            );
          }
          deps.log.info(`${options.plan.image}:${tag}: digest: ${stored}`);
        },
        {
          attempts: options.pushAttempts,
          minDelayMs: 1000,
          maxDelayMs: 15_000,
          isRetryable: isTransient,
          onRetry: (error, attempt, delayMs) =>
            deps.log.warning(
              `Tagging ${options.plan.image}:${tag} failed: ${(error as Error).message} Retrying in ${Math.round(delayMs / 1000)} s (attempt ${attempt + 1} of ${options.pushAttempts}).`,
            ),
          ...(deps.sleep ? { sleep: deps.sleep } : {}),
        },
      ),
    ),
  );
}
