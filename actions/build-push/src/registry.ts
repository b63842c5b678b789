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
interface RawManifest {
  digest: string;
  body: ManifestBody;
  bytes: Buffer;
  mediaType: string;
}

/** A manifest to write under a tag: its exact bytes and media type. */
export interface ManifestWrite {
  bytes: Buffer;
  mediaType: string;
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
  private readonly bearerScopes = new Set<string>();
  private readonly tokenRequests = new Map<string, Promise<boolean>>();

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

  private async send(url: string, accept: string, write?: ManifestWrite): Promise<Response> {
    const headers = this.headers(accept);
    const init: RequestInit = { method: 'GET', headers, redirect: 'follow' };
    if (write) {
      headers['Content-Type'] = write.mediaType;
      Object.assign(init, { method: 'PUT', body: write.bytes });
    }
    try {
      return await this.fetchImpl(url, init);
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

  /**
   * Follows a Bearer challenge (Docker Hub, GHCR...): fetches a token with the basic credentials, once per
   * scope (a write asks for pull,push after reads had a pull token).
   */
  private async authenticate(challenge: string, repository: string, write: boolean): Promise<boolean> {
    const { scheme, params } = parseChallenge(challenge);
    const scope = params['scope'] ?? `repository:${repository}:${write ? 'pull,push' : 'pull'}`;
    if (scheme !== 'bearer' || !params['realm'] || this.bearerScopes.has(scope)) return false;
    this.bearerScopes.add(scope);
    const url = new URL(params['realm']);
    if (params['service']) url.searchParams.set('service', params['service']);
    url.searchParams.set('scope', scope);
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
    const token = body.token ?? body.access_token;
    if (token !== undefined) this.bearer = token;
    return token !== undefined;
  }

  private async get(
    repository: string,
    path: string,
    accept: string,
    write?: ManifestWrite,
  ): Promise<Response> {
    const url = `${this.baseUrl}/v2/${repository}/${path}`;
    const bearerUsed = this.bearer;
    let response = await this.send(url, accept, write);
    if (response.status === 401) {
      const challenge = response.headers.get('www-authenticate') ?? '';
      const key = `${repository} ${write ? 'write' : 'read'}`;
      // Concurrent requests share one token request (or the token it already brought).
      let tokenRequest = this.tokenRequests.get(key);
      if (!tokenRequest) {
        tokenRequest = this.authenticate(challenge, repository, write !== undefined);
        this.tokenRequests.set(key, tokenRequest);
      }
      const retry = (this.bearer !== undefined && this.bearer !== bearerUsed) || (await tokenRequest);
      if (retry) response = await this.send(url, accept, write);
    }
    if (response.status === 401 || response.status === 403) {
      throw new RegistryError(
        `The registry ${this.baseUrl} refused the credentials for ${repository} (HTTP ${response.status}).`,
        response.status,
      );
    }
    return response;
  }

  private async readManifest(repository: string, reference: string): Promise<RawManifest | undefined> {
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
    const body = JSON.parse(bytes.toString('utf8')) as ManifestBody;
    const mediaType = body.mediaType ?? response.headers.get('content-type') ?? MANIFEST_TYPES[2]!;
    return { digest, body, bytes, mediaType };
  }

  /** The manifest a tag (or digest) points at, or undefined when the registry has no such tag. */
  async manifest(repository: string, reference: string): Promise<ManifestInfo | undefined> {
    const read = await this.readManifest(repository, reference);
    return read && describeManifest(read);
  }

  /** Like manifest(), with the exact bytes (what putManifest writes under other tags). */
  async rawManifest(
    repository: string,
    reference: string,
  ): Promise<{ info: ManifestInfo; bytes: Buffer } | undefined> {
    const read = await this.readManifest(repository, reference);
    return read && { info: describeManifest(read), bytes: read.bytes };
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

  /**
   * Points `tag` at a manifest that is already in the repository by writing its exact bytes (no blob moves:
   * one round trip). Returns the digest the registry stored, which must be the manifest's.
   */
  async putManifest(repository: string, tag: string, manifest: ManifestWrite): Promise<string> {
    const response = await this.get(repository, `manifests/${tag}`, '*/*', manifest);
    if (response.status !== 201 && response.status !== 200) {
      const text = (await response.text().catch(() => '')).slice(0, 300);
      throw new RegistryError(
        `The registry answered HTTP ${response.status} to the tag ${repository}:${tag}${text ? `: ${text}` : ''}.`,
        response.status,
      );
    }
    await response.arrayBuffer().catch(() => undefined);
    const computed = `sha256:${createHash('sha256').update(manifest.bytes).digest('hex')}`;
    const stored = response.headers.get('docker-content-digest') ?? computed;
    if (stored !== computed) {
      throw new RegistryError(
        `The registry stored ${stored} for ${repository}:${tag}, not the manifest sent (${computed}).`,
      );
    }
    return stored;
  }
}

/** Digest, type, config and size of a manifest as read. */
function describeManifest({ digest, body, bytes, mediaType }: RawManifest): ManifestInfo {
  if (body.manifests) {
    const platforms = body.manifests
      .filter((entry) => entry.platform?.os && entry.platform.os !== 'unknown')
      .map(({ platform }) =>
        [platform!.os, platform!.architecture, platform!.variant].filter(Boolean).join('/'),
      );
    const size = bytes.length + body.manifests.reduce((total, entry) => total + (entry.size ?? 0), 0);
    return { digest, mediaType, size, platforms };
  }
  const size =
    bytes.length +
    (body.config?.size ?? 0) +
    (body.layers ?? []).reduce((sum, layer) => sum + (layer.size ?? 0), 0);
  const info: ManifestInfo = { digest, mediaType, size };
  if (body.config?.digest) info.configDigest = body.config.digest;
  return info;
}
