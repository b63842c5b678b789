import { ConfigurationError } from '../../../shared/errors.js';

/** A secret as the build sees it: read from an environment variable of the docker process, or a file. */
export type BuildSecret = { id: string; env: string } | { id: string; src: string };

/** Everything a build needs, as plain values; the argument builders below turn it into a command line. */
export interface BuildPlan {
  context: string;
  file?: string | undefined;
  target?: string | undefined;
  platforms: readonly string[];
  buildArgs: ReadonlyMap<string, string>;
  secrets: readonly BuildSecret[];
  labels: Readonly<Record<string, string>>;
  /** Full references, image:tag. */
  tags: readonly string[];
  /** The repository the image goes to, without a tag (buildx pushes by digest to it). */
  image: string;
  cacheFrom: readonly string[];
  cacheTo: readonly string[];
  network: 'default' | 'host' | 'none';
  pull: boolean;
  noCache: boolean;
  provenance?: string | undefined;
  sbom?: string | undefined;
  singleManifest: boolean;
  push: boolean;
  iidFile: string;
  metadataFile: string;
  /** The registry is ECR (its registry cache needs image-manifest=true,oci-mediatypes=true). */
  isEcr: boolean;
}

export interface BuildCommand {
  args: string[];
  /** Things the user asked for that this builder cannot do; each is printed as a warning. */
  warnings: string[];
  /** Notes on what was adjusted for the user (printed as info). */
  notes: string[];
}

function parseFields(entry: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const field of entry.split(',')) {
    const separator = field.indexOf('=');
    fields.set(field.slice(0, separator), field.slice(separator + 1));
  }
  return fields;
}

function formatFields(fields: ReadonlyMap<string, string>): string {
  return [...fields].map(([key, value]) => `${key}=${value}`).join(',');
}

/** A bare image reference in cache-from means a registry cache. */
function cacheEntry(entry: string): Map<string, string> {
  return entry.includes('=')
    ? parseFields(entry)
    : new Map([
        ['type', 'registry'],
        ['ref', entry],
      ]);
}

/**
 * ECR rejects the image index buildx writes for a registry cache unless the cache is written as an OCI
 * image manifest; set the two attributes for the user (and say so) when the cache ref is on ECR.
 */
export function adjustCacheTo(entry: string, isEcr: boolean): { entry: string; note?: string } {
  const fields = cacheEntry(entry);
  if (!isEcr || fields.get('type') !== 'registry') return { entry: formatFields(fields) };
  const missing = (['image-manifest', 'oci-mediatypes'] as const).filter((key) => !fields.has(key));
  if (missing.length === 0) return { entry: formatFields(fields) };
  for (const key of missing) fields.set(key, 'true');
  return {
    entry: formatFields(fields),
    note: `cache-to: added ${missing.map((key) => `${key}=true`).join(',')} (ECR stores a registry cache only as an OCI image manifest).`,
  };
}

function secretArgs(secrets: readonly BuildSecret[]): string[] {
  // The value never appears here: only the name of an environment variable of the docker process, or a path.
  return secrets.flatMap((secret) => [
    '--secret',
    'env' in secret ? `id=${secret.id},env=${secret.env}` : `id=${secret.id},src=${secret.src}`,
  ]);
}

function commonArgs(plan: BuildPlan): string[] {
  const args: string[] = plan.file ? ['--file', plan.file] : [];
  if (plan.target) args.push('--target', plan.target);
  for (const [key, value] of plan.buildArgs) args.push('--build-arg', `${key}=${value}`);
  args.push(...secretArgs(plan.secrets));
  for (const [key, value] of Object.entries(plan.labels)) args.push('--label', `${key}=${value}`);
  if (plan.network !== 'default') args.push('--network', plan.network);
  if (plan.pull) args.push('--pull');
  if (plan.noCache) args.push('--no-cache');
  return args;
}

/**
 * `docker buildx build`: pushes by digest only (no tag is written until the digest is known and every
 * existing tag has been checked), writes the manifest digest to --metadata-file.
 */
export function buildxBuildArgs(plan: BuildPlan): BuildCommand {
  const notes: string[] = [];
  const args = ['buildx', 'build', '--progress', 'plain', ...commonArgs(plan)];
  if (plan.platforms.length > 0) args.push('--platform', plan.platforms.join(','));
  for (const entry of plan.cacheFrom) args.push('--cache-from', formatFields(cacheEntry(entry)));
  for (const raw of plan.cacheTo) {
    const { entry, note } = adjustCacheTo(raw, plan.isEcr);
    args.push('--cache-to', entry);
    if (note) notes.push(note);
  }
  if (plan.singleManifest) {
    args.push('--provenance', 'false', '--sbom', 'false');
  } else {
    if (plan.provenance !== undefined) args.push('--provenance', plan.provenance);
    if (plan.sbom !== undefined) args.push('--sbom', plan.sbom);
  }
  if (plan.push) {
    const output = [
      'type=image',
      `name=${plan.image}`,
      'push-by-digest=true',
      'name-canonical=true',
      'push=true',
    ];
    if (plan.singleManifest) output.push('oci-mediatypes=false');
    args.push('--output', output.join(','));
  } else if (plan.platforms.length <= 1) {
    args.push('--load', ...plan.tags.flatMap((tag) => ['--tag', tag]));
  } else {
    notes.push('push is false and several platforms were built: the result stays in the build cache only.');
  }
  args.push('--iidfile', plan.iidFile, '--metadata-file', plan.metadataFile, plan.context);
  return { args, warnings: [], notes };
}

const ATTESTATION_OFF = new Set([undefined, 'false']);

/**
 * `docker build` (BuildKit, no buildx): one platform, into the local image store, tagged for `docker push`.
 * What it cannot do is reported, never dropped silently: several platforms is an error (the fix is
 * docker/setup-buildx-action); unusable caches and attestations are warnings.
 */
export function plainBuildArgs(plan: BuildPlan): BuildCommand {
  const warnings: string[] = [];
  const notes: string[] = [];
  if (plan.platforms.length > 1) {
    throw new ConfigurationError(
      `Input "platforms" lists ${plan.platforms.length} platforms, but multi-platform builds need buildx: add docker/setup-buildx-action before this step, or list one platform.`,
    );
  }
  const args = ['build', '--progress', 'plain', ...commonArgs(plan)];
  if (plan.platforms.length === 1) args.push('--platform', plan.platforms[0]!);
  for (const entry of plan.cacheFrom) {
    const fields = cacheEntry(entry);
    if (fields.get('type') === 'registry' && fields.get('ref')) args.push('--cache-from', fields.get('ref')!);
    else warnings.push(`cache-from "${entry}" needs buildx (docker/setup-buildx-action); it was not used.`);
  }
  for (const entry of plan.cacheTo) {
    if (parseFields(entry).get('type') === 'inline') {
      args.push('--build-arg', 'BUILDKIT_INLINE_CACHE=1');
      notes.push('cache-to type=inline: the cache metadata is written into the pushed image.');
    } else {
      warnings.push(
        `cache-to "${entry}" needs buildx (docker/setup-buildx-action); no cache was exported. Use type=inline to cache in the image itself.`,
      );
    }
  }
  if (!ATTESTATION_OFF.has(plan.provenance)) {
    warnings.push(
      'provenance needs buildx (docker/setup-buildx-action); the image has no provenance attestation.',
    );
  }
  if (!ATTESTATION_OFF.has(plan.sbom)) {
    warnings.push('sbom needs buildx (docker/setup-buildx-action); the image has no SBOM attestation.');
  }
  args.push(...plan.tags.flatMap((tag) => ['--tag', tag]), '--iidfile', plan.iidFile, plan.context);
  return { args, warnings, notes };
}

/** `docker tag`: the built image under the name the repository turned out to have. */
export function tagArgs(imageId: string, reference: string): string[] {
  return ['tag', imageId, reference];
}

export function pushArgs(reference: string): string[] {
  return ['push', reference];
}

/** The password goes to stdin; it is never part of the command line. */
export function loginArgs(host: string, username: string): string[] {
  return ['login', '--username', username, '--password-stdin', host];
}

export function logoutArgs(host: string): string[] {
  return ['logout', host];
}
