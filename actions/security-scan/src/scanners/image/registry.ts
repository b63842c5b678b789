import { Readable } from 'node:stream';

import { parseChallenge, registryBaseUrl } from '../../../../build-push/src/registry.js';
import type { ImageReference } from './reference.js';

export type FetchLike = (url: string, init?: RequestInit) => Promise<Response>;

const MANIFEST_TYPES = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

export interface LayerDescriptor {
  digest: string;
  mediaType: string;
  size: number;
}

interface ManifestBody {
  mediaType?: string;
  layers?: LayerDescriptor[];
  manifests?: { digest: string; platform?: { os?: string; architecture?: string } }[];
}

/** The registry could not be reached or refused: follows `on-registry-error`. */
export class ImageRegistryError extends Error {
  override readonly name = 'ImageRegistryError';
}

function networkReason(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}

/** Reads an image's manifest and streams its layers (basic auth, or a bearer token got with it). */
export class ImageRegistryClient {
  readonly baseUrl: string;
  private bearer: string | undefined;
  private readonly image: ImageReference;
  private readonly credentials: { username: string; password: string } | undefined;
  private readonly fetcher: FetchLike;

  constructor(
    image: ImageReference,
    credentials: { username: string; password: string } | undefined,
    fetcher: FetchLike = (url, init) => fetch(url, init),
  ) {
    this.image = image;
    this.credentials = credentials;
    this.fetcher = fetcher;
    this.baseUrl = registryBaseUrl(image.registry);
  }

  private authorization(): string | undefined {
    if (this.bearer) return `Bearer ${this.bearer}`;
    if (!this.credentials) return undefined;
    return `Basic ${Buffer.from(`${this.credentials.username}:${this.credentials.password}`).toString('base64')}`;
  }

  private async send(url: string, accept: string): Promise<Response> {
    const headers: Record<string, string> = { accept };
    const authorization = this.authorization();
    if (authorization) headers['authorization'] = authorization;
    try {
      return await this.fetcher(url, { headers, redirect: 'follow' });
    } catch (error: unknown) {
      throw new ImageRegistryError(
        `the registry at ${this.baseUrl} is unreachable (${networkReason(error)})`,
      );
    }
  }

  private async token(challenge: string): Promise<boolean> {
    const { scheme, params } = parseChallenge(challenge);
    if (scheme !== 'bearer' || !params['realm'] || this.bearer) return false;
    const url = new URL(params['realm']);
    if (params['service']) url.searchParams.set('service', params['service']);
    url.searchParams.set('scope', params['scope'] ?? `repository:${this.image.repository}:pull`);
    const response = await this.send(url.toString(), 'application/json');
    if (!response.ok) return false;
    const body = (await response.json()) as { token?: string; access_token?: string };
    this.bearer = body.token ?? body.access_token;
    return this.bearer !== undefined;
  }

  private async get(path: string, accept: string): Promise<Response> {
    const url = `${this.baseUrl}/v2/${this.image.repository}/${path}`;
    let response = await this.send(url, accept);
    if (response.status === 401 && (await this.token(response.headers.get('www-authenticate') ?? ''))) {
      response = await this.send(url, accept);
    }
    if (response.status === 401 || response.status === 403) {
      throw new ImageRegistryError(
        `the registry ${this.baseUrl} refused the credentials for ${this.image.repository} (HTTP ${response.status})`,
      );
    }
    if (!response.ok) {
      throw new ImageRegistryError(
        `the registry ${this.baseUrl} answered HTTP ${response.status} for ${this.image.repository}/${path.split('/')[0]} ${path.split('/')[1]}`,
      );
    }
    return response;
  }

  /** The layers of the image (for an index: the linux/amd64 image, else the first runnable one), base first. */
  async layers(): Promise<{ digest: string; layers: LayerDescriptor[] }> {
    let response = await this.get(`manifests/${this.image.reference}`, MANIFEST_TYPES);
    let digest = response.headers.get('docker-content-digest') ?? this.image.reference;
    let body = (await response.json()) as ManifestBody;
    if (body.manifests) {
      const runnable = body.manifests.filter((entry) => entry.platform?.os !== 'unknown');
      const chosen =
        runnable.find((entry) => entry.platform?.os === 'linux' && entry.platform.architecture === 'amd64') ??
        runnable[0];
      if (!chosen) throw new ImageRegistryError(`the image index ${digest} lists no runnable image`);
      response = await this.get(`manifests/${chosen.digest}`, MANIFEST_TYPES);
      digest = chosen.digest;
      body = (await response.json()) as ManifestBody;
    }
    return { digest, layers: body.layers ?? [] };
  }

  /** A layer's bytes as a stream (never buffered whole). */
  async blob(digest: string): Promise<Readable> {
    const response = await this.get(`blobs/${digest}`, '*/*');
    if (!response.body) throw new ImageRegistryError(`the registry sent no body for ${digest}`);
    return Readable.fromWeb(response.body as import('node:stream/web').ReadableStream<Uint8Array>);
  }
}
