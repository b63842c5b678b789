import { MANIFEST_MEDIA_TYPES, type RegistryClient, type RegistryManifest } from './registry-client.js';

/** Registry requests in flight at once while a repository's tags are read. */
const CONCURRENT_REQUESTS = 8;

export interface ImageRecord {
  digest: string;
  tags: string[];
  manifest: RegistryManifest;
}

/** Where the index reads and writes: the registry client, plus a HEAD that names a reference's digest. */
export interface ImageStore {
  client: RegistryClient;
  /** The digest a tag or digest names now (HEAD: no body read), undefined when there is none. */
  digest(repository: string, reference: string): Promise<string | undefined>;
}

/** HEAD requests to the Distribution API with basic auth, for ImageStore.digest. */
export function registryDigestReader(
  registry: string,
  username: string,
  password: string,
): ImageStore['digest'] {
  const authorization = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
  return async (repository, reference) => {
    let response: Response;
    try {
      response = await fetch(`http://${registry}/v2/${repository}/manifests/${reference}`, {
        method: 'HEAD',
        headers: { Authorization: authorization, Accept: MANIFEST_MEDIA_TYPES.join(', ') },
        signal: AbortSignal.timeout(15_000),
      });
    } catch (error) {
      throw new Error(`registry ${registry} unreachable: ${(error as Error).message}`, { cause: error });
    }
    if (response.status === 404) return undefined;
    if (!response.ok) throw new Error(`registry HEAD ${repository}:${reference}: HTTP ${response.status}`);
    const digest = response.headers.get('docker-content-digest');
    if (!digest) throw new Error(`registry HEAD ${repository}:${reference}: no Docker-Content-Digest`);
    return digest;
  };
}

async function mapConcurrently<T, R>(items: readonly T[], run: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await run(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENT_REQUESTS, items.length) }, worker));
  return results;
}

/**
 * One repository's images as ECR indexes them: tag -> digest, and per digest the manifest's facts (media
 * type, size, body). A manifest never changes under its digest, so it is read once. The stand-in's own
 * writes (PutImage, BatchDeleteImage) update the index as they happen. A push straight to the registry is
 * not seen, so a read that must know every tag (which tags an image has) first asks the registry for each
 * tag's digest: one tags/list and a HEAD per tag, a few at once, never a read of every manifest; a read of
 * one tag or digest asks only about that one.
 */
export class ImageIndex {
  /** tag -> digest, as last read from the registry or written by the stand-in. */
  private readonly tagDigests = new Map<string, string>();
  /** digest -> manifest facts. */
  private readonly manifests = new Map<string, RegistryManifest>();
  /** digest -> first time the stand-in saw it (the registry keeps no push time). */
  private readonly firstSeen = new Map<string, number>();
  /** IMMUTABLE only: tag -> the digest it was first seen on, to put back a tag a push moved. */
  private readonly pinnedTags = new Map<string, string>();
  private readonly repository: string;
  private readonly store: ImageStore;
  private readonly now: () => number;
  private immutable: boolean;

  constructor(repository: string, store: ImageStore, immutable: boolean, now: () => number) {
    this.repository = repository;
    this.store = store;
    this.immutable = immutable;
    this.now = now;
  }

  /** Tag mutability changed: IMMUTABLE pins each tag where it is when next seen. */
  setImmutable(immutable: boolean): void {
    this.immutable = immutable;
    this.pinnedTags.clear();
  }

  pushedAt(digest: string): number {
    return this.firstSeen.get(digest) ?? this.now();
  }

  /** The manifest a digest names, read from the registry the first time. */
  private async manifest(digest: string): Promise<RegistryManifest | undefined> {
    const known = this.manifests.get(digest);
    if (known) return known;
    const manifest = await this.store.client.manifest(this.repository, digest);
    if (manifest) this.remember(manifest);
    return manifest;
  }

  /** A tag never seen: its manifest is read at once (GET), as its digest is most likely new too. */
  private async readTag(tag: string): Promise<string | undefined> {
    const manifest = await this.store.client.manifest(this.repository, tag);
    if (!manifest) return undefined;
    if (!this.manifests.has(manifest.digest)) this.remember(manifest);
    return manifest.digest;
  }

  private remember(manifest: RegistryManifest): void {
    this.manifests.set(manifest.digest, manifest);
    if (!this.firstSeen.has(manifest.digest)) this.firstSeen.set(manifest.digest, this.now());
  }

  /**
   * Reads the tags' digests from the registry: tags/list, then a HEAD per tag (a GET for a tag never seen,
   * whose manifest is likely new). An IMMUTABLE repository's
   * tag cannot move (ECR refuses the push), so a tag already pinned is answered from the index and only new
   * tags are asked about; `enforce` asks about every tag and puts back, where it was first seen, a tag a
   * push straight to the registry moved. Returns the tags put back.
   */
  async refresh(enforce = false): Promise<string[]> {
    const tags = await this.store.client.tags(this.repository);
    const asked = tags.filter((tag) => enforce || !this.pinnedTags.has(tag));
    const answers = await mapConcurrently(asked, (tag) =>
      this.tagDigests.has(tag) ? this.store.digest(this.repository, tag) : this.readTag(tag),
    );
    const heads = new Map(asked.map((tag, index) => [tag, answers[index]]));
    const current = new Map<string, string>();
    const restored: string[] = [];
    for (const tag of tags) {
      const pinned = this.pinnedTags.get(tag);
      const digest = heads.has(tag) ? heads.get(tag) : pinned;
      if (digest === undefined) continue; // deleted between the list and the HEAD
      let answer = digest;
      if (pinned !== undefined && pinned !== digest) {
        if (await this.restore(tag, pinned)) {
          restored.push(tag);
          answer = pinned;
        }
      }
      // Pinned where first seen (or where it stays when the pinned image is gone).
      if (this.immutable) this.pinnedTags.set(tag, answer);
      current.set(tag, answer);
    }
    // A tag gone from the registry (its image deleted) is free again, as on ECR.
    for (const tag of this.pinnedTags.keys()) if (!current.has(tag)) this.pinnedTags.delete(tag);
    this.tagDigests.clear();
    for (const [tag, digest] of current) this.tagDigests.set(tag, digest);
    await mapConcurrently([...new Set(current.values())], (digest) => this.manifest(digest));
    return restored;
  }

  private async restore(tag: string, digest: string): Promise<boolean> {
    const original = await this.manifest(digest);
    if (!original) return false;
    await this.store.client.putManifest(this.repository, tag, original.body, original.mediaType);
    return true;
  }

  /** Every tagged image, grouped by digest, as of the last refresh or write. */
  images(): ImageRecord[] {
    const byDigest = new Map<string, ImageRecord>();
    for (const [tag, digest] of this.tagDigests) {
      const manifest = this.manifests.get(digest);
      if (!manifest) continue;
      const record = byDigest.get(digest) ?? { digest, tags: [], manifest };
      record.tags.push(tag);
      byDigest.set(digest, record);
    }
    return [...byDigest.values()];
  }

  /** Tags that point at `digest`, as of the last refresh or write. */
  tagsOf(digest: string): string[] {
    return [...this.tagDigests].filter(([, target]) => target === digest).map(([tag]) => tag);
  }

  /** The image a digest names now (tagged or not; one HEAD), with its tags as of the last refresh. */
  async byDigest(digest: string): Promise<ImageRecord | undefined> {
    if ((await this.store.digest(this.repository, digest)) === undefined) {
      this.forget(digest);
      return undefined;
    }
    const manifest = await this.manifest(digest);
    return manifest ? { digest, tags: this.tagsOf(digest), manifest } : undefined;
  }

  /** The image a tag names now (one HEAD), with its tags as of the last refresh. */
  async byTag(tag: string): Promise<ImageRecord | undefined> {
    const digest = await this.currentDigest(tag);
    if (digest === undefined) return undefined;
    const manifest = await this.manifest(digest);
    return manifest ? { digest, tags: this.tagsOf(digest), manifest } : undefined;
  }

  /**
   * The digest a tag names now (one HEAD). In an IMMUTABLE repository the tag is pinned there when first
   * seen, and a pinned tag answers where it was pinned (a push that moved it is put back by `enforce`).
   */
  async currentDigest(tag: string): Promise<string | undefined> {
    const digest = await this.store.digest(this.repository, tag);
    if (digest === undefined) {
      this.tagDigests.delete(tag);
      this.pinnedTags.delete(tag);
      return undefined;
    }
    const pinned = this.immutable ? this.pinnedTags.get(tag) : undefined;
    if (this.immutable && pinned === undefined) this.pinnedTags.set(tag, digest);
    this.tagDigests.set(tag, pinned ?? digest);
    return pinned ?? digest;
  }

  /** A manifest the stand-in put under a tag (or untagged). */
  async written(tag: string | undefined, digest: string): Promise<void> {
    await this.manifest(digest);
    if (tag === undefined) return;
    this.tagDigests.set(tag, digest);
    if (this.immutable) this.pinnedTags.set(tag, digest);
  }

  /** Deletes an image (the registry drops its tags with it) and forgets it. */
  async delete(digest: string): Promise<void> {
    await this.store.client.deleteManifest(this.repository, digest);
    this.forget(digest);
  }

  private forget(digest: string): void {
    for (const tag of this.tagsOf(digest)) {
      this.tagDigests.delete(tag);
      this.pinnedTags.delete(tag);
    }
    this.manifests.delete(digest);
  }
}
