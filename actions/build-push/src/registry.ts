import { createHash } from 'node:crypto';

/**
 * A small OCI distribution client: just what is needed to read back what was pushed. The digest of a
 * tag is the registry's Docker-Content-Digest header, checked against the sha256 of the bytes received.
 */

export const MANIFEST_TYPES = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
];

export interface RegistryCredentials {
  username: string;
  password: string;
}

export type FetchLike = (url: string, init?: RequestInit) => Promise<Response>;

export interface ManifestInfo {
  digest: string;
  mediaType: string;
  /** Config blob digest (= the local image id under `docker build`); undefined for an index. */
  configDigest?: string;
  /** Bytes in the registry: manifest + config + layers (for an index: the sum of the listed manifests). */
  size: number;
  /** For an index: the platforms it lists. */
  platforms?: string[];
}

export class RegistryError extends Error {
  override readonly name = 'RegistryError';
  readonly status: number | undefined;
  constructor(message: string, status?: number) {
    super(message);
    this.status = status;
  }
}

interface Descriptor {
  mediaType?: string;
  digest?: string;
  size?: number;
  platform?: { os?: string; architecture?: string; variant?: string };
}
interface ManifestBody {
  mediaType?: string;
  config?: Descriptor;
  layers?: Descriptor[];
  manifests?: Descriptor[];
}

/** `http://` for loopback hosts (as Docker treats them as insecure registries), else `https://`. */
export function registryBaseUrl(registry: string): string {
  if (/^https?:\/\//.test(registry)) return registry.replace(/\/+$/, '');
  // Docker Hub is named docker.io, but its registry API lives elsewhere.
  if (['docker.io', 'index.docker.io', 'registry-1.docker.io'].includes(registry)) {
    return 'https://registry-1.docker.io';
  }
  const host = registry.replace(/:\d+$/, '');
  const loopback = host === 'localhost' || host.startsWith('127.') || host === '[::1]';
  return `${loopback ? 'http' : 'https'}://${registry}`;
}

/** Parses `Bearer realm="...",service="...",scope="..."`. */
export function parseChallenge(header: string): { scheme: string; params: Record<string, string> } {
  const scheme = header.split(' ', 1)[0]!.toLowerCase();
  const params: Record<string, string> = {};
  for (const match of header.slice(scheme.length).matchAll(/([a-zA-Z]+)="([^"]*)"/g)) {
    params[match[1]!.toLowerCase()] = match[2]!;
  }
  return { scheme, params };
}

function networkReason(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}

export class RegistryClient {
  readonly baseUrl: string;
  private readonly credentials: RegistryCredentials | undefined;
  private readonly fetchImpl: FetchLike;
  private bearer: string | undefined;
  private tokenRequest: Promise<boolean> | undefined;

  constructor(options: {
    registry: string;
    credentials?: RegistryCredentials | undefined;
    fetch?: FetchLike;
  }) {
    this.baseUrl = registryBaseUrl(options.registry);
    this.credentials = options.credentials;
    this.fetchImpl = options.fetch ?? ((url, init) => fetch(url, init));
  }

  private basicHeader(): string | undefined {
    if (!this.credentials) return undefined;
    const token = Buffer.from(`${this.credentials.username}:${this.credentials.password}`).toString('base64');
    return `Basic ${token}`;
  }

  private async send(url: string, accept: string, method = 'GET'): Promise<Response> {
    try {
      return await this.fetchImpl(url, { method, headers: this.headers(accept), redirect: 'follow' });
    } catch (error: unknown) {
      throw new RegistryError(`Cannot reach the registry at ${this.baseUrl}: ${networkReason(error)}.`);
    }
  }

  private headers(accept: string): Record<string, string> {
    const headers: Record<string, string> = { Accept: accept };
    const authorization = this.bearer ? `Bearer ${this.bearer}` : this.basicHeader();
    if (authorization) headers['Authorization'] = authorization;
    return headers;
  }

  /** Follows a Bearer challenge (Docker Hub, GHCR...) once: fetches a token with the basic credentials. */
  private async authenticate(challenge: string, repository: string): Promise<boolean> {
    const { scheme, params } = parseChallenge(challenge);
    if (scheme !== 'bearer' || !params['realm'] || this.bearer) return false;
    const url = new URL(params['realm']);
    if (params['service']) url.searchParams.set('service', params['service']);
    url.searchParams.set('scope', params['scope'] ?? `repository:${repository}:pull`);
    const headers: Record<string, string> = {};
    const basic = this.basicHeader();
    if (basic) headers['Authorization'] = basic;
    let response: Response;
    try {
      response = await this.fetchImpl(url.toString(), { headers });
    } catch (error: unknown) {
      throw new RegistryError(
        `Cannot reach the registry's token service ${url.origin}: ${networkReason(error)}.`,
      );
    }
    if (!response.ok) return false;
    const body = (await response.json()) as { token?: string; access_token?: string };
    this.bearer = body.token ?? body.access_token;
    return this.bearer !== undefined;
  }

  private async get(repository: string, path: string, accept: string): Promise<Response> {
    const url = `${this.baseUrl}/v2/${repository}/${path}`;
    const bearerUsed = this.bearer;
    let response = await this.send(url, accept);
    if (response.status === 401) {
      const challenge = response.headers.get('www-authenticate') ?? '';
      // Concurrent requests share one token request (or the token it already brought).
      const retry =
        (this.bearer !== undefined && this.bearer !== bearerUsed) ||
        (await (this.tokenRequest ??= this.authenticate(challenge, repository)));
      if (retry) response = await this.send(url, accept);
    }
    if (response.status === 401 || response.status === 403) {
      throw new RegistryError(
        `The registry ${this.baseUrl} refused the credentials for ${repository} (HTTP ${response.status}).`,
        response.status,
      );
    }
    return response;
  }

  private async readManifest(
    repository: string,
    reference: string,
  ): Promise<{ digest: string; body: ManifestBody; bytes: number } | undefined> {
    const response = await this.get(repository, `manifests/${reference}`, MANIFEST_TYPES.join(', '));
    if (response.status === 404) return undefined;
    if (!response.ok) {
      throw new RegistryError(
        `The registry answered HTTP ${response.status} for ${repository}:${reference}.`,
        response.status,
      );
    }
    const bytes = Buffer.from(await response.arrayBuffer());
    const computed = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
    const digest = response.headers.get('docker-content-digest') ?? computed;
    if (digest !== computed) {
      throw new RegistryError(
        `The registry's digest for ${repository}:${reference} (${digest}) does not match the manifest it sent (${computed}).`,
      );
    }
    return { digest, body: JSON.parse(bytes.toString('utf8')) as ManifestBody, bytes: bytes.length };
  }

  /** The manifest a tag (or digest) points at, or undefined when the registry has no such tag. */
  async manifest(repository: string, reference: string): Promise<ManifestInfo | undefined> {
    const read = await this.readManifest(repository, reference);
    if (!read) return undefined;
    const { digest, body, bytes } = read;
    const mediaType = body.mediaType ?? MANIFEST_TYPES[2]!;
    if (body.manifests) {
      const platforms = body.manifests
        .filter((entry) => entry.platform?.os && entry.platform.os !== 'unknown')
        .map(({ platform }) =>
          [platform!.os, platform!.architecture, platform!.variant].filter(Boolean).join('/'),
        );
      const size = bytes + body.manifests.reduce((total, entry) => total + (entry.size ?? 0), 0);
      return { digest, mediaType, size, platforms };
    }
    const size =
      bytes +
      (body.config?.size ?? 0) +
      (body.layers ?? []).reduce((sum, layer) => sum + (layer.size ?? 0), 0);
    const info: ManifestInfo = { digest, mediaType, size };
    if (body.config?.digest) info.configDigest = body.config.digest;
    return info;
  }

  /**
   * What an image is, without its packaging: the config digest of each runnable platform (attestation
   * manifests left out), sorted. Two pushes of the same build with fresh provenance have different index
   * digests but the same configs.
   */
  async imageConfigs(repository: string, reference: string): Promise<string[] | undefined> {
    const read = await this.readManifest(repository, reference);
    if (!read) return undefined;
    if (!read.body.manifests) return read.body.config?.digest ? [read.body.config.digest] : undefined;
    const configs: string[] = [];
    for (const entry of read.body.manifests) {
      if (!entry.digest || entry.platform?.os === 'unknown') continue;
      const child = await this.readManifest(repository, entry.digest);
      const platform = [entry.platform?.os, entry.platform?.architecture, entry.platform?.variant]
        .filter(Boolean)
        .join('/');
      if (child?.body.config?.digest) configs.push(`${platform}=${child.body.config.digest}`);
    }
    return configs.sort();
  }

  /** The image config's labels, for a single manifest (the first platform's for an index). */
  async labels(repository: string, reference: string): Promise<Record<string, string>> {
    const read = await this.readManifest(repository, reference);
    if (!read) return {};
    let body = read.body;
    if (body.manifests) {
      const first = body.manifests.find((entry) => entry.platform?.os !== 'unknown');
      const child = first?.digest ? await this.readManifest(repository, first.digest) : undefined;
      if (!child) return {};
      body = child.body;
    }
    if (!body.config?.digest) return {};
    const response = await this.get(repository, `blobs/${body.config.digest}`, '*/*');
    if (!response.ok) return {};
    const config = (await response.json()) as { config?: { Labels?: Record<string, string> | null } };
    return config.config?.Labels ?? {};
  }

  /** Checks that the registry answers and accepts the credentials (GET /v2/). */
  async ping(): Promise<void> {
    const response = await this.send(`${this.baseUrl}/v2/`, 'application/json');
    if (response.status === 401) {
      const challenge = response.headers.get('www-authenticate') ?? '';
      if (parseChallenge(challenge).scheme === 'bearer') return; // token auth is per repository
      throw new RegistryError(`The registry ${this.baseUrl} refused the credentials (HTTP 401).`, 401);
    }
    if (!response.ok) {
      throw new RegistryError(
        `The registry ${this.baseUrl} answered HTTP ${response.status} on /v2/.`,
        response.status,
      );
    }
  }
}
