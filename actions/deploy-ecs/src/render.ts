import type { ContainerDefinition, RegisterTaskDefinitionCommandInput, Tag } from '@aws-sdk/client-ecs';

import { quoteInput } from '../../../shared/inputs.js';
import { ConfigurationError } from '../../../shared/errors.js';

/** What RegisterTaskDefinition accepts; everything else in a task definition is stripped or refused. */
const REGISTER_FIELDS = new Set([
  'family',
  'taskRoleArn',
  'executionRoleArn',
  'networkMode',
  'containerDefinitions',
  'volumes',
  'placementConstraints',
  'requiresCompatibilities',
  'cpu',
  'memory',
  'tags',
  'pidMode',
  'ipcMode',
  'proxyConfiguration',
  'inferenceAccelerators',
  'ephemeralStorage',
  'runtimePlatform',
  'enableFaultInjection',
]);

/** Fields DescribeTaskDefinition returns that RegisterTaskDefinition rejects. */
const READ_ONLY_FIELDS = new Set([
  'taskDefinitionArn',
  'revision',
  'status',
  'requiresAttributes',
  'compatibilities',
  'registeredAt',
  'registeredBy',
  'deregisteredAt',
  'deleteRequestedAt',
]);

export type TaskDefinitionInput = RegisterTaskDefinitionCommandInput & {
  containerDefinitions: ContainerDefinition[];
  family: string;
};

export interface RenderOptions {
  /** Container name -> image reference. */
  images: ReadonlyMap<string, string>;
  /** Containers that receive `environment` and `secrets` (empty: the only container, if there is one). */
  targetContainers: readonly string[];
  environment: ReadonlyMap<string, string>;
  /** Variable name -> SSM parameter or Secrets Manager ARN. */
  secrets: ReadonlyMap<string, string>;
  tags: ReadonlyMap<string, string>;
}

function fail(source: string, field: string, problem: string): never {
  throw new ConfigurationError(`Task definition ${source}: field "${field}" ${problem}.`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkNameValueList(source: string, path: string, value: unknown, valueKey: string): void {
  if (value === undefined) return;
  if (!Array.isArray(value)) fail(source, path, 'must be a list');
  value.forEach((entry: unknown, index) => {
    if (!isRecord(entry) || typeof entry['name'] !== 'string' || entry['name'] === '') {
      fail(source, `${path}[${index}].name`, 'must be a non-empty string');
    }
    if (typeof entry[valueKey] !== 'string')
      fail(source, `${path}[${index}].${valueKey}`, 'must be a string');
  });
}

/**
 * Turns parsed JSON (a task-definition file, or DescribeTaskDefinition's output) into what
 * RegisterTaskDefinition accepts: unwraps `{ taskDefinition, tags }`, strips the read-only fields, and
 * refuses anything else unknown or mistyped, naming the field.
 */
export function normaliseTaskDefinition(parsed: unknown, source: string): TaskDefinitionInput {
  let document = parsed;
  let outerTags: unknown;
  if (isRecord(document) && isRecord(document['taskDefinition'])) {
    outerTags = document['tags'];
    document = document['taskDefinition'];
  }
  if (!isRecord(document)) fail(source, '(root)', 'must be a JSON object');
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(document)) {
    if (READ_ONLY_FIELDS.has(key) || value === null) continue;
    if (key === 'inferenceAccelerators' && Array.isArray(value) && value.length === 0) continue;
    if (!REGISTER_FIELDS.has(key)) {
      fail(source, key, 'is not a task-definition field RegisterTaskDefinition accepts (check the spelling)');
    }
    result[key] = value;
  }
  if (outerTags !== undefined && result['tags'] === undefined) result['tags'] = outerTags;
  if (Array.isArray(result['tags']) && result['tags'].length === 0) delete result['tags'];

  const family = result['family'];
  if (typeof family !== 'string' || !/^[A-Za-z0-9_-]{1,255}$/.test(family)) {
    fail(source, 'family', 'must be 1-255 letters, digits, hyphens or underscores');
  }
  for (const key of ['cpu', 'memory']) {
    const value = result[key];
    if (typeof value === 'number') result[key] = String(value);
    else if (value !== undefined && typeof value !== 'string')
      fail(source, key, 'must be a string like "256"');
  }
  for (const key of ['taskRoleArn', 'executionRoleArn', 'networkMode', 'pidMode', 'ipcMode']) {
    if (result[key] !== undefined && typeof result[key] !== 'string') fail(source, key, 'must be a string');
  }
  if (result['requiresCompatibilities'] !== undefined && !Array.isArray(result['requiresCompatibilities'])) {
    fail(source, 'requiresCompatibilities', 'must be a list such as ["FARGATE"]');
  }
  if (result['tags'] !== undefined) {
    if (!Array.isArray(result['tags'])) fail(source, 'tags', 'must be a list of {"key", "value"}');
    result['tags'].forEach((tag: unknown, index) => {
      if (!isRecord(tag) || typeof tag['key'] !== 'string')
        fail(source, `tags[${index}].key`, 'must be a string');
    });
  }

  const containers = result['containerDefinitions'];
  if (!Array.isArray(containers) || containers.length === 0) {
    fail(source, 'containerDefinitions', 'must be a non-empty list');
  }
  const names = new Set<string>();
  containers.forEach((container: unknown, index) => {
    const path = `containerDefinitions[${index}]`;
    if (!isRecord(container)) fail(source, path, 'must be an object');
    const name = container['name'];
    if (typeof name !== 'string' || name === '') fail(source, `${path}.name`, 'must be a non-empty string');
    if (names.has(name)) fail(source, `${path}.name`, `repeats the container name "${name}"`);
    names.add(name);
    if (typeof container['image'] !== 'string' || container['image'] === '') {
      fail(source, `${path}.image`, 'must be a non-empty string');
    }
    checkNameValueList(source, `${path}.environment`, container['environment'], 'value');
    checkNameValueList(source, `${path}.secrets`, container['secrets'], 'valueFrom');
    for (const key of ['cpu', 'memory', 'memoryReservation']) {
      if (container[key] !== undefined && typeof container[key] !== 'number') {
        fail(source, `${path}.${key}`, 'must be a number');
      }
    }
    if (container['portMappings'] !== undefined && !Array.isArray(container['portMappings'])) {
      fail(source, `${path}.portMappings`, 'must be a list');
    }
    if (container['essential'] !== undefined && typeof container['essential'] !== 'boolean') {
      fail(source, `${path}.essential`, 'must be true or false');
    }
  });
  return result as unknown as TaskDefinitionInput;
}

/** Parses task-definition JSON text, naming the line and column of a syntax error. */
export function parseTaskDefinition(text: string, source: string): TaskDefinitionInput {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error: unknown) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new ConfigurationError(`Task definition ${source} is not valid JSON: ${detail}.`);
  }
  return normaliseTaskDefinition(parsed, source);
}

function mergeNamed<T extends { name?: string | undefined }>(
  existing: readonly T[] | undefined,
  additions: ReadonlyMap<string, string>,
  build: (name: string, value: string) => T,
): T[] | undefined {
  if (additions.size === 0) return existing ? [...existing] : undefined;
  const kept = (existing ?? []).filter((entry) => !additions.has(entry.name ?? ''));
  return [...kept, ...[...additions].map(([name, value]) => build(name, value))];
}

/**
 * Sets images, merges environment variables, secrets and tags into a copy of the task definition.
 * An environment variable and a secret of the same name cannot both exist: ECS refuses that, so the
 * newer source wins and removes the other.
 */
export function renderTaskDefinition(base: TaskDefinitionInput, options: RenderOptions): TaskDefinitionInput {
  const rendered = structuredClone(base);
  const containerNames = rendered.containerDefinitions.map((container) => container.name ?? '');
  for (const name of options.images.keys()) {
    if (!containerNames.includes(name)) {
      throw new ConfigurationError(
        `Input "container" names ${quoteInput(name)}, but task definition ${base.family} has only ${containerNames.join(', ')}: use one of those names.`,
      );
    }
  }
  let targets = [...options.targetContainers];
  if (targets.length === 0 && (options.environment.size > 0 || options.secrets.size > 0)) {
    if (containerNames.length !== 1) {
      throw new ConfigurationError(
        `Input "container" is needed to say which of ${containerNames.join(', ')} gets the environment variables and secrets.`,
      );
    }
    targets = containerNames;
  }
  for (const name of targets) {
    if (!containerNames.includes(name)) {
      throw new ConfigurationError(
        `Input "container" names ${quoteInput(name)}, but task definition ${base.family} has only ${containerNames.join(', ')}: use one of those names.`,
      );
    }
  }
  rendered.containerDefinitions = rendered.containerDefinitions.map((container) => {
    const name = container.name ?? '';
    const image = options.images.get(name);
    if (image !== undefined && image.trim() === '') {
      throw new ConfigurationError(
        `Input "images" gives container ${quoteInput(name)} an empty image: pass its image (build-push's "image-uri" output).`,
      );
    }
    const next: ContainerDefinition = { ...container, ...(image ? { image } : {}) };
    if (targets.includes(name)) {
      const environment = mergeNamed(
        (container.environment ?? []).filter((entry) => !options.secrets.has(entry.name ?? '')),
        options.environment,
        (key, value) => ({ name: key, value }),
      );
      const secrets = mergeNamed(
        (container.secrets ?? []).filter((entry) => !options.environment.has(entry.name ?? '')),
        options.secrets,
        (key, valueFrom) => ({ name: key, valueFrom }),
      );
      if (environment && environment.length > 0) next.environment = environment;
      else delete next.environment;
      if (secrets && secrets.length > 0) next.secrets = secrets;
      else delete next.secrets;
    }
    return next;
  });
  if (options.tags.size > 0) {
    const tags: Tag[] = (rendered.tags ?? []).filter((tag) => !options.tags.has(tag.key ?? ''));
    rendered.tags = [...tags, ...[...options.tags].map(([key, value]) => ({ key, value }))];
  }
  return rendered;
}

const DIGEST = /@sha256:[0-9a-f]{64}$/;

/** True when an image reference pins content (`repo@sha256:...`), which a tag alone does not. */
export function isPinnedImage(image: string): boolean {
  return DIGEST.test(image);
}

/** The containers whose image is a movable tag; the step refuses them unless allow-mutable-image. */
export function mutableImages(taskDefinition: TaskDefinitionInput): { container: string; image: string }[] {
  return taskDefinition.containerDefinitions
    .filter((container) => !isPinnedImage(container.image ?? ''))
    .map((container) => ({ container: container.name ?? '', image: container.image ?? '' }));
}

export function refuseMutableImages(taskDefinition: TaskDefinitionInput): void {
  const mutable = mutableImages(taskDefinition);
  if (mutable.length === 0) return;
  const list = mutable.map(({ container, image }) => `${container} (${image})`).join(', ');
  throw new ConfigurationError(
    `Input "allow-mutable-image" is false and ${list} ${mutable.length === 1 ? 'is' : 'are'} not pinned by digest: a tag can move, so a scale-out or rollback could run an image nobody tested; pass an image like repo@sha256:... (build-push's "image-uri" output) or set allow-mutable-image: true.`,
  );
}

/** CodePipeline's ECS deploy format: `[{"name": container, "imageUri": image}]`. */
export function imageDefinitions(taskDefinition: TaskDefinitionInput): { name: string; imageUri: string }[] {
  return taskDefinition.containerDefinitions.map((container) => ({
    name: container.name ?? '',
    imageUri: container.image ?? '',
  }));
}

/** The digest of an image reference, shortened for tables (`sha256:0123456789ab`), or the tag. */
export function shortImage(image: string): string {
  const digest = /@(sha256:[0-9a-f]{12})/.exec(image);
  if (digest) return digest[1]!;
  const slash = image.lastIndexOf('/');
  return image.slice(slash + 1);
}
