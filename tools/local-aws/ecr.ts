import { createHash } from 'node:crypto';

import type { LocalAwsOptions } from './options.js';
import {
  AwsError,
  epochSeconds,
  invalidParameter,
  objectList,
  optionalBoolean,
  optionalString,
  paginate,
  requiredString,
  stringList,
  type Tag,
} from './protocol.js';
import { ImageIndex, registryDigestReader, type ImageRecord, type ImageStore } from './ecr-images.js';
import type { RegistryClient } from './registry-client.js';

/** ECR, backed by the local Distribution registry: repositories are kept here, images are the registry's. */
interface Repository {
  name: string;
  arn: string;
  createdAt: number;
  imageTagMutability: 'MUTABLE' | 'IMMUTABLE';
  scanOnPush: boolean;
  encryptionType: string;
  kmsKey?: string;
  tags: Tag[];
  /** Its images: tag -> digest and the manifests' facts (see ecr-images.ts). */
  images: ImageIndex;
}

interface ImageIdentifier {
  imageDigest?: string;
  imageTag?: string;
}

const REPOSITORY_NAME = /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/;

export class EcrService {
  private readonly repositories = new Map<string, Repository>();
  private readonly options: LocalAwsOptions;
  private readonly store: ImageStore;
  private readonly now: () => number;
  /** host:port clients push to and pull from: the registry, or local-aws itself with the registry proxy. */
  endpoint: string;

  constructor(options: LocalAwsOptions, registry: RegistryClient, now: () => number = Date.now) {
    this.options = options;
    this.store = {
      client: registry,
      digest: registryDigestReader(options.registry, options.registryUsername, options.registryPassword),
    };
    this.now = now;
    this.endpoint = options.registry;
  }

  repositoryExists(name: string): boolean {
    return this.repositories.has(name);
  }

  /** For the registry proxy: what an IMMUTABLE repository's tag points at now (undefined: free to move). */
  async immutableTagDigest(name: string, tag: string): Promise<string | undefined> {
    const repository = this.repositories.get(name);
    if (repository?.imageTagMutability !== 'IMMUTABLE') return undefined;
    return repository.images.currentDigest(tag);
  }

  reset(): void {
    this.repositories.clear();
  }

  readonly operations: Record<string, (input: Record<string, unknown>) => Promise<unknown>> = {
    GetAuthorizationToken: () => Promise.resolve(this.getAuthorizationToken()),
    CreateRepository: (input) => Promise.resolve(this.createRepository(input)),
    DescribeRepositories: (input) => Promise.resolve(this.describeRepositories(input)),
    DeleteRepository: (input) => this.deleteRepository(input),
    PutImageTagMutability: (input) => Promise.resolve(this.putImageTagMutability(input)),
    PutImageScanningConfiguration: (input) => Promise.resolve(this.putImageScanningConfiguration(input)),
    DescribeImages: (input) => this.describeImages(input),
    ListImages: (input) => this.listImages(input),
    BatchGetImage: (input) => this.batchGetImage(input),
    PutImage: (input) => this.putImage(input),
    BatchDeleteImage: (input) => this.batchDeleteImage(input),
    TagResource: (input) => Promise.resolve(this.tagResource(input)),
    UntagResource: (input) => Promise.resolve(this.untagResource(input)),
    ListTagsForResource: (input) => Promise.resolve(this.listTagsForResource(input)),
  };

  private getAuthorizationToken(): unknown {
    const token = Buffer.from(`${this.options.registryUsername}:${this.options.registryPassword}`).toString(
      'base64',
    );
    return {
      authorizationData: [
        {
          authorizationToken: token,
          expiresAt: epochSeconds(this.now() + 12 * 3600 * 1000),
          proxyEndpoint: `http://${this.endpoint}`,
        },
      ],
    };
  }

  private repositoryView(repository: Repository): Record<string, unknown> {
    return {
      repositoryArn: repository.arn,
      registryId: this.options.accountId,
      repositoryName: repository.name,
      repositoryUri: `${this.endpoint}/${repository.name}`,
      createdAt: epochSeconds(repository.createdAt),
      imageTagMutability: repository.imageTagMutability,
      imageScanningConfiguration: { scanOnPush: repository.scanOnPush },
      encryptionConfiguration: {
        encryptionType: repository.encryptionType,
        ...(repository.kmsKey ? { kmsKey: repository.kmsKey } : {}),
      },
    };
  }

  private repository(input: Record<string, unknown>): Repository {
    const name = requiredString(input, 'repositoryName');
    const registryId = optionalString(input, 'registryId');
    const repository = this.repositories.get(name);
    if (!repository || (registryId && registryId !== this.options.accountId)) {
      throw new AwsError(
        'RepositoryNotFoundException',
        `The repository with name '${name}' does not exist in the registry with id '${registryId ?? this.options.accountId}'`,
      );
    }
    return repository;
  }

  private createRepository(input: Record<string, unknown>): unknown {
    const name = requiredString(input, 'repositoryName');
    if (name.length < 2 || name.length > 256 || !REPOSITORY_NAME.test(name)) {
      throw invalidParameter(
        `Invalid parameter at 'repositoryName' failed to satisfy constraint: 'must satisfy regular expression '${REPOSITORY_NAME.source}''`,
      );
    }
    if (this.repositories.has(name)) {
      throw new AwsError(
        'RepositoryAlreadyExistsException',
        `The repository with name '${name}' already exists in the registry with id '${this.options.accountId}'`,
      );
    }
    const mutability = optionalString(input, 'imageTagMutability') ?? 'MUTABLE';
    if (mutability !== 'MUTABLE' && mutability !== 'IMMUTABLE') {
      throw invalidParameter(
        `Invalid parameter at 'imageTagMutability': '${mutability}' is not MUTABLE or IMMUTABLE`,
      );
    }
    const scanning = (input['imageScanningConfiguration'] ?? {}) as Record<string, unknown>;
    const encryption = (input['encryptionConfiguration'] ?? {}) as Record<string, unknown>;
    const encryptionType = optionalString(encryption, 'encryptionType') ?? 'AES256';
    if (!['AES256', 'KMS', 'KMS_DSSE'].includes(encryptionType)) {
      throw invalidParameter(
        `Invalid parameter at 'encryptionType': '${encryptionType}' is not AES256, KMS or KMS_DSSE`,
      );
    }
    const kmsKey = optionalString(encryption, 'kmsKey');
    const repository: Repository = {
      name,
      arn: `arn:aws:ecr:${this.options.region}:${this.options.accountId}:repository/${name}`,
      createdAt: this.now(),
      imageTagMutability: mutability,
      scanOnPush: optionalBoolean(scanning, 'scanOnPush') ?? false,
      encryptionType,
      ...(kmsKey ? { kmsKey } : {}),
      tags: parseTags(input),
      images: new ImageIndex(name, this.store, mutability === 'IMMUTABLE', this.now),
    };
    this.repositories.set(name, repository);
    return { repository: this.repositoryView(repository) };
  }

  private describeRepositories(input: Record<string, unknown>): unknown {
    const names = stringList(input, 'repositoryNames');
    const selected = names
      ? names.map((name) => this.repository({ repositoryName: name }))
      : [...this.repositories.values()];
    const { page, nextToken } = paginate(selected, input, 100, 1000);
    return {
      repositories: page.map((repository) => this.repositoryView(repository)),
      ...(nextToken ? { nextToken } : {}),
    };
  }

  private async deleteRepository(input: Record<string, unknown>): Promise<unknown> {
    const repository = this.repository(input);
    await repository.images.refresh();
    const images = repository.images.images();
    if (images.length > 0 && optionalBoolean(input, 'force') !== true) {
      throw new AwsError(
        'RepositoryNotEmptyException',
        `The repository with name '${repository.name}' in registry with id '${this.options.accountId}' cannot be deleted because it still contains images`,
      );
    }
    for (const image of images) await repository.images.delete(image.digest);
    this.repositories.delete(repository.name);
    return { repository: this.repositoryView(repository) };
  }

  private putImageTagMutability(input: Record<string, unknown>): unknown {
    const repository = this.repository(input);
    const mutability = requiredString(input, 'imageTagMutability');
    if (mutability !== 'MUTABLE' && mutability !== 'IMMUTABLE') {
      throw invalidParameter(
        `Invalid parameter at 'imageTagMutability': '${mutability}' is not MUTABLE or IMMUTABLE`,
      );
    }
    repository.imageTagMutability = mutability;
    repository.images.setImmutable(mutability === 'IMMUTABLE');
    return {
      registryId: this.options.accountId,
      repositoryName: repository.name,
      imageTagMutability: mutability,
    };
  }

  private putImageScanningConfiguration(input: Record<string, unknown>): unknown {
    const repository = this.repository(input);
    const scanning = (input['imageScanningConfiguration'] ?? {}) as Record<string, unknown>;
    repository.scanOnPush = optionalBoolean(scanning, 'scanOnPush') ?? false;
    return {
      registryId: this.options.accountId,
      repositoryName: repository.name,
      imageScanningConfiguration: { scanOnPush: repository.scanOnPush },
    };
  }

  /**
   * The registry itself cannot refuse a push that moves a tag, so an IMMUTABLE repository's tags are
   * pinned when first seen and put back if a push moved them. Returns the tags restored.
   */
  async enforceImmutableTags(): Promise<string[]> {
    const restored: string[] = [];
    for (const repository of this.repositories.values()) {
      if (repository.imageTagMutability !== 'IMMUTABLE') continue;
      for (const tag of await repository.images.refresh(true)) restored.push(`${repository.name}:${tag}`);
    }
    return restored;
  }

  /**
   * One image id: by digest (tagged or not), by tag, or both (the tag must name that digest). With
   * `refreshed`, the index was just read from the registry: its tags answer without another request.
   */
  private async findImage(
    repository: Repository,
    id: ImageIdentifier,
    refreshed: boolean,
  ): Promise<{ record?: ImageRecord; failure?: { failureCode: string; failureReason: string } }> {
    const notFound = {
      failure: { failureCode: 'ImageNotFound', failureReason: 'Requested image not found' },
    };
    const index = repository.images;
    if (id.imageDigest) {
      const digest = id.imageDigest;
      const record =
        (refreshed ? index.images().find((image) => image.digest === digest) : undefined) ??
        (await index.byDigest(digest));
      if (!record) return notFound;
      if (id.imageTag) {
        const tagDigest = refreshed
          ? record.tags.includes(id.imageTag)
            ? digest
            : undefined
          : await index.currentDigest(id.imageTag);
        if (tagDigest !== digest) {
          return {
            failure: { failureCode: 'ImageTagDoesNotMatchDigest', failureReason: 'Invalid image tag' },
          };
        }
      }
      return { record };
    }
    if (id.imageTag) {
      const tag = id.imageTag;
      const record = refreshed
        ? index.images().find((image) => image.tags.includes(tag))
        : await index.byTag(tag);
      return record ? { record } : notFound;
    }
    return { failure: { failureCode: 'MissingDigestAndTag', failureReason: 'Neither digest nor tag given' } };
  }

  private imageDetail(repository: Repository, record: ImageRecord): Record<string, unknown> {
    return {
      registryId: this.options.accountId,
      repositoryName: repository.name,
      imageDigest: record.digest,
      ...(record.tags.length > 0 ? { imageTags: [...record.tags].sort() } : {}),
      imageSizeInBytes: record.manifest.sizeInBytes,
      imagePushedAt: epochSeconds(repository.images.pushedAt(record.digest)),
      imageManifestMediaType: record.manifest.mediaType,
      ...(record.manifest.artifactMediaType ? { artifactMediaType: record.manifest.artifactMediaType } : {}),
      ...(repository.scanOnPush
        ? { imageScanStatus: { status: 'COMPLETE', description: 'local-aws does not scan' } }
        : {}),
    };
  }

  private async describeImages(input: Record<string, unknown>): Promise<unknown> {
    const repository = this.repository(input);
    const ids = objectList(input, 'imageIds') as ImageIdentifier[];
    // Each image lists every tag it has: the tags' digests are read first (once for all ids).
    await repository.images.refresh();
    if (ids.length > 0) {
      const details: Record<string, unknown>[] = [];
      for (const id of ids) {
        const { record } = await this.findImage(repository, id, true);
        if (!record) {
          throw new AwsError(
            'ImageNotFoundException',
            `The image with imageId {imageDigest:'${id.imageDigest ?? 'null'}', imageTag:'${id.imageTag ?? 'null'}'} does not exist within the repository with name '${repository.name}' in the registry with id '${this.options.accountId}'`,
          );
        }
        details.push(this.imageDetail(repository, record));
      }
      return { imageDetails: details };
    }
    const tagStatus = ((input['filter'] ?? {}) as Record<string, unknown>)['tagStatus'];
    const selected = tagStatus === 'UNTAGGED' ? [] : repository.images.images();
    const { page, nextToken } = paginate(selected, input, 100, 1000);
    return {
      imageDetails: page.map((record) => this.imageDetail(repository, record)),
      ...(nextToken ? { nextToken } : {}),
    };
  }

  private async listImages(input: Record<string, unknown>): Promise<unknown> {
    const repository = this.repository(input);
    const imageIds: ImageIdentifier[] = [];
    await repository.images.refresh();
    for (const record of repository.images.images()) {
      for (const tag of record.tags) imageIds.push({ imageDigest: record.digest, imageTag: tag });
    }
    const { page, nextToken } = paginate(imageIds, input, 100, 1000);
    return { imageIds: page, ...(nextToken ? { nextToken } : {}) };
  }

  private async batchGetImage(input: Record<string, unknown>): Promise<unknown> {
    const repository = this.repository(input);
    const ids = objectList(input, 'imageIds') as ImageIdentifier[];
    if (ids.length === 0)
      throw invalidParameter(
        "Invalid parameter at 'imageIds' failed to satisfy constraint: 'Member must have length greater than or equal to 1'",
      );
    const images: Record<string, unknown>[] = [];
    const failures: Record<string, unknown>[] = [];
    for (const id of ids) {
      const { record, failure } = await this.findImage(repository, id, false);
      if (!record) {
        failures.push({ imageId: id, ...failure });
        continue;
      }
      images.push({
        registryId: this.options.accountId,
        repositoryName: repository.name,
        imageId: { imageDigest: record.digest, ...(id.imageTag ? { imageTag: id.imageTag } : {}) },
        imageManifest: record.manifest.body,
        imageManifestMediaType: record.manifest.mediaType,
      });
    }
    return { images, failures };
  }

  private async putImage(input: Record<string, unknown>): Promise<unknown> {
    const repository = this.repository(input);
    const manifestBody = requiredString(input, 'imageManifest');
    const tag = optionalString(input, 'imageTag');
    let mediaType = optionalString(input, 'imageManifestMediaType');
    if (!mediaType) {
      try {
        mediaType = (JSON.parse(manifestBody) as { mediaType?: string }).mediaType;
      } catch {
        throw invalidParameter('Invalid parameter at imageManifest: the manifest is not valid JSON');
      }
    }
    mediaType ??= 'application/vnd.docker.distribution.manifest.v2+json';
    if (tag) {
      const existing = await repository.images.currentDigest(tag);
      const digestOfNew = digestOf(manifestBody);
      if (existing === digestOfNew) {
        throw new AwsError(
          'ImageAlreadyExistsException',
          `Image with digest '${digestOfNew}' and tag '${tag}' already exists in the repository with name '${repository.name}' in registry with id '${this.options.accountId}'`,
        );
      }
      if (existing !== undefined && repository.imageTagMutability === 'IMMUTABLE') {
        throw new AwsError(
          'ImageTagAlreadyExistsException',
          `The image tag '${tag}' already exists in the '${repository.name}' repository and cannot be overwritten because the repository is immutable.`,
        );
      }
    }
    let digest: string;
    try {
      digest = await this.store.client.putManifest(
        repository.name,
        tag ?? digestOf(manifestBody),
        manifestBody,
        mediaType,
      );
    } catch (error) {
      throw new AwsError('LayersNotFoundException', (error as Error).message);
    }
    await repository.images.written(tag, digest);
    return {
      image: {
        registryId: this.options.accountId,
        repositoryName: repository.name,
        imageId: { imageDigest: digest, ...(tag ? { imageTag: tag } : {}) },
        imageManifest: manifestBody,
        imageManifestMediaType: mediaType,
      },
    };
  }

  private async batchDeleteImage(input: Record<string, unknown>): Promise<unknown> {
    const repository = this.repository(input);
    const ids = objectList(input, 'imageIds') as ImageIdentifier[];
    const deleted: ImageIdentifier[] = [];
    const failures: Record<string, unknown>[] = [];
    for (const id of ids) {
      const { record, failure } = await this.findImage(repository, id, false);
      if (!record) {
        failures.push({ imageId: id, ...failure });
        continue;
      }
      await repository.images.delete(record.digest);
      deleted.push({ imageDigest: record.digest, ...(id.imageTag ? { imageTag: id.imageTag } : {}) });
    }
    return { imageIds: deleted, failures };
  }

  private repositoryByArn(input: Record<string, unknown>): Repository {
    const arn = requiredString(input, 'resourceArn');
    const repository = [...this.repositories.values()].find((candidate) => candidate.arn === arn);
    if (!repository) throw invalidParameter(`Invalid parameter at 'resourceArn': no repository ${arn}`);
    return repository;
  }

  private tagResource(input: Record<string, unknown>): unknown {
    const repository = this.repositoryByArn(input);
    repository.tags = mergeTags(repository.tags, parseTags(input));
    return {};
  }

  private untagResource(input: Record<string, unknown>): unknown {
    const repository = this.repositoryByArn(input);
    const keys = stringList(input, 'tagKeys') ?? [];
    repository.tags = repository.tags.filter((tag) => !keys.includes(tag.key));
    return {};
  }

  private listTagsForResource(input: Record<string, unknown>): unknown {
    return { tags: this.repositoryByArn(input).tags.map((tag) => ({ Key: tag.key, Value: tag.value })) };
  }
}

/** ECR tags are { Key, Value } (capitalised, unlike ECS). */
function parseTags(input: Record<string, unknown>): Tag[] {
  return objectList(input, 'tags').map((tag) => {
    const key = tag['Key'];
    const value = tag['Value'];
    if (typeof key !== 'string' || key === '') throw invalidParameter('Tag keys must be non-empty strings.');
    return { key, value: typeof value === 'string' ? value : '' };
  });
}

export function mergeTags(current: Tag[], added: Tag[]): Tag[] {
  const merged = new Map(current.map((tag) => [tag.key, tag.value]));
  for (const tag of added) merged.set(tag.key, tag.value);
  return [...merged.entries()].map(([key, value]) => ({ key, value }));
}

function digestOf(body: string): string {
  return `sha256:${createHash('sha256').update(body).digest('hex')}`;
}
