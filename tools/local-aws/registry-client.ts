import { createHash } from 'node:crypto';

/** The Distribution (registry:2) HTTP API v2, with basic auth: what ECR's image operations read and write. */
export const MANIFEST_MEDIA_TYPES = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
];

export interface RegistryManifest {
  digest: string;
  mediaType: string;
  body: string;
  /** Compressed layers + config; for an index, the sum over its image manifests. */
  sizeInBytes: number;
  artifactMediaType?: string;
}

interface ManifestJson {
  mediaType?: string;
  config?: { size?: number; mediaType?: string };
  layers?: { size?: number }[];
  manifests?: { digest: string; platform?: { os?: string } }[];
}

export class RegistryClient {
  private readonly base: string;
  private readonly authorization: string;

  constructor(registry: string, username: string, password: string) {
    this.base = `http://${registry}`;
    this.authorization = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
  }

  private async fetch(path: string, init: RequestInit = {}): Promise<Response> {
    try {
      return await fetch(`${this.base}${path}`, {
        ...init,
        headers: { Authorization: this.authorization, ...(init.headers as Record<string, string>) },
        signal: AbortSignal.timeout(15_000),
      });
    } catch (error) {
      throw new Error(`registry ${this.base} unreachable: ${(error as Error).message}`, { cause: error });
    }
  }

  /** Tags of a repository; [] when the repository has never been pushed to. */
  async tags(repository: string): Promise<string[]> {
    const response = await this.fetch(`/v2/${repository}/tags/list?n=10000`);
    if (response.status === 404) return [];
    if (!response.ok) throw new Error(`registry tags/list ${repository}: HTTP ${response.status}`);
    const parsed = (await response.json()) as { tags?: string[] | null };
    return parsed.tags ?? [];
  }

  /** The manifest a tag or digest names, or undefined when there is none. */
  async manifest(repository: string, reference: string, depth = 0): Promise<RegistryManifest | undefined> {
    const response = await this.fetch(`/v2/${repository}/manifests/${reference}`, {
      headers: { Accept: MANIFEST_MEDIA_TYPES.join(', ') },
    });
    if (response.status === 404) return undefined;
    if (!response.ok)
      throw new Error(`registry manifest ${repository}:${reference}: HTTP ${response.status}`);
    const body = await response.text();
    const digest =
      response.headers.get('docker-content-digest') ??
      `sha256:${createHash('sha256').update(body).digest('hex')}`;
    const parsed = JSON.parse(body) as ManifestJson;
    const mediaType =
      parsed.mediaType ??
      response.headers.get('content-type') ??
      'application/vnd.oci.image.manifest.v1+json';
    let sizeInBytes = 0;
    if (parsed.manifests && depth === 0) {
      for (const child of parsed.manifests) {
        if (child.platform?.os === 'unknown') continue; // attestation manifests
        const resolved = await this.manifest(repository, child.digest, depth + 1);
        sizeInBytes += resolved?.sizeInBytes ?? 0;
      }
    } else {
      sizeInBytes =
        (parsed.config?.size ?? 0) + (parsed.layers ?? []).reduce((sum, layer) => sum + (layer.size ?? 0), 0);
    }
    return {
      digest,
      mediaType,
      body,
      sizeInBytes,
      ...(parsed.config?.mediaType ? { artifactMediaType: parsed.config.mediaType } : {}),
    };
  }

  /** Puts a manifest under a tag (or by digest); returns the digest the registry computed. */
  async putManifest(repository: string, reference: string, body: string, mediaType: string): Promise<string> {
    const response = await this.fetch(`/v2/${repository}/manifests/${reference}`, {
      method: 'PUT',
      headers: { 'Content-Type': mediaType },
      body,
    });
    if (!response.ok) {
      const text = await response.text();
      throw new Error(`registry rejected the manifest: HTTP ${response.status} ${text.slice(0, 300)}`);
    }
    return (
      response.headers.get('docker-content-digest') ??
      `sha256:${createHash('sha256').update(body).digest('hex')}`
    );
  }

  async deleteManifest(repository: string, digest: string): Promise<boolean> {
    const response = await this.fetch(`/v2/${repository}/manifests/${digest}`, { method: 'DELETE' });
    return response.ok;
  }
}
