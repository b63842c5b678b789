import { createHash } from 'node:crypto';

import {
  parseChallenge,
  RegistryClient,
  RegistryError,
  registryBaseUrl,
  type FetchLike,
} from '../../../actions/build-push/src/registry.js';

const manifest = JSON.stringify({
  schemaVersion: 2,
  mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
  config: { digest: 'sha256:config1', size: 1000 },
  layers: [{ size: 20_000 }, { size: 300 }],
});
const digestOf = (body: string): string => `sha256:${createHash('sha256').update(body).digest('hex')}`;

interface Call {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: unknown;
}

/** A fake registry: answers per URL with a function; records every request. */
function fakeFetch(handler: (call: Call) => Response): { fetch: FetchLike; calls: Call[] } {
  const calls: Call[] = [];
  const fetch: FetchLike = (url, init) => {
    const call = {
      url,
      method: init?.method ?? 'GET',
      headers: (init?.headers ?? {}) as Record<string, string>,
      body: init?.body,
    };
    calls.push(call);
    return Promise.resolve(handler(call));
  };
  return { fetch, calls };
}

const ok = (body: string, digest = digestOf(body)): Response =>
  new Response(body, { status: 200, headers: { 'Docker-Content-Digest': digest } });

describe('RegistryClient.manifest', () => {
  it('reads the digest, config and size with basic auth and the manifest Accept types', async () => {
    const { fetch, calls } = fakeFetch(() => ok(manifest));
    const client = new RegistryClient({
      registry: '127.0.0.1:5000',
      credentials: { username: 'AWS', password: 'pw' },
      fetch,
    });
    const info = await client.manifest('team/app', 'v1');
    expect(info).toEqual({
      digest: digestOf(manifest),
      mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
      configDigest: 'sha256:config1',
      size: Buffer.byteLength(manifest) + 1000 + 20_300,
    });
    expect(calls[0]!.url).toBe('http://127.0.0.1:5000/v2/team/app/manifests/v1');
    expect(calls[0]!.headers['Authorization']).toBe(`Basic ${Buffer.from('AWS:pw').toString('base64')}`);
    expect(calls[0]!.headers['Accept']).toMatch(
      /oci.image.index.v1\+json.*docker.distribution.manifest.v2\+json/,
    );
  });

  it('lists the platforms of an index and sums its manifests', async () => {
    const index = JSON.stringify({
      mediaType: 'application/vnd.oci.image.index.v1+json',
      manifests: [
        { digest: 'sha256:a', size: 500, platform: { os: 'linux', architecture: 'amd64' } },
        { digest: 'sha256:b', size: 600, platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } },
        { digest: 'sha256:c', size: 700, platform: { os: 'unknown', architecture: 'unknown' } },
      ],
    });
    const { fetch } = fakeFetch(() => ok(index));
    const info = await new RegistryClient({ registry: 'ghcr.io', fetch }).manifest('a/b', 'v1');
    expect(info?.platforms).toEqual(['linux/amd64', 'linux/arm64/v8']);
    expect(info?.size).toBe(Buffer.byteLength(index) + 1800);
  });

  it('returns undefined for a missing tag', async () => {
    const { fetch } = fakeFetch(() => new Response('{}', { status: 404 }));
    await expect(
      new RegistryClient({ registry: 'ghcr.io', fetch }).manifest('a/b', 'nope'),
    ).resolves.toBeUndefined();
  });

  it('refuses a digest header that does not match the bytes', async () => {
    const { fetch } = fakeFetch(() => ok(manifest, 'sha256:0000'));
    await expect(new RegistryClient({ registry: 'ghcr.io', fetch }).manifest('a/b', 'v1')).rejects.toThrow(
      /digest for a\/b:v1 \(sha256:0000\) does not match the manifest it sent/,
    );
  });

  it('follows a Bearer challenge once with the basic credentials', async () => {
    const { fetch, calls } = fakeFetch((call) => {
      if (call.url.startsWith('https://auth.example.com/token')) {
        return new Response(JSON.stringify({ token: 'T0K' }), { status: 200 });
      }
      if (call.headers['Authorization'] === 'Bearer T0K') return ok(manifest);
      return new Response('', {
        status: 401,
        headers: { 'WWW-Authenticate': 'Bearer realm="https://auth.example.com/token",service="reg"' },
      });
    });
    const client = new RegistryClient({
      registry: 'reg.example.com',
      credentials: { username: 'u', password: 'p' },
      fetch,
    });
    await expect(client.manifest('a/b', 'v1')).resolves.toMatchObject({ configDigest: 'sha256:config1' });
    const tokenUrl = new URL(calls[1]!.url);
    expect(tokenUrl.searchParams.get('service')).toBe('reg');
    expect(tokenUrl.searchParams.get('scope')).toBe('repository:a/b:pull');
    expect(calls[1]!.headers['Authorization']).toMatch(/^Basic /);
    expect(calls).toHaveLength(3);
  });

  it('lets concurrent requests share the one Bearer token instead of failing the later ones', async () => {
    const { fetch, calls } = fakeFetch((call) => {
      if (call.url.startsWith('https://auth.example.com/token')) {
        return new Response(JSON.stringify({ token: 'T0K' }), { status: 200 });
      }
      if (call.headers['Authorization'] === 'Bearer T0K') return ok(manifest);
      return new Response('', {
        status: 401,
        headers: { 'WWW-Authenticate': 'Bearer realm="https://auth.example.com/token",service="reg"' },
      });
    });
    const client = new RegistryClient({
      registry: 'reg.example.com',
      credentials: { username: 'u', password: 'p' },
      fetch,
    });
    const answers = await Promise.all(['v1', 'v2', 'v3'].map((tag) => client.manifest('a/b', tag)));
    expect(answers.map((answer) => answer?.configDigest)).toEqual(Array(3).fill('sha256:config1'));
    expect(calls.filter((call) => call.url.startsWith('https://auth.example.com/'))).toHaveLength(1);
  });

  it('says the credentials were refused on 401 after auth', async () => {
    const { fetch } = fakeFetch(
      () => new Response('', { status: 401, headers: { 'WWW-Authenticate': 'Basic realm="x"' } }),
    );
    const error = await new RegistryClient({ registry: '127.0.0.1:5000', fetch })
      .manifest('a', 'v1')
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RegistryError);
    expect((error as RegistryError).status).toBe(401);
    expect((error as Error).message).toMatch(/refused the credentials for a \(HTTP 401\)/);
  });

  it('names the registry and the reason when it cannot be reached', async () => {
    const fetch: FetchLike = () =>
      Promise.reject(Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } }));
    await expect(new RegistryClient({ registry: '127.0.0.1:9', fetch }).ping()).rejects.toThrow(
      'Cannot reach the registry at http://127.0.0.1:9: ECONNREFUSED.',
    );
  });

  it('lists the config digests of an index, without attestation manifests', async () => {
    const child = (config: string): string =>
      JSON.stringify({ config: { digest: config, size: 1 }, layers: [] });
    const amd = child('sha256:cfg-amd');
    const arm = child('sha256:cfg-arm');
    const attestation = child('sha256:att');
    const index = JSON.stringify({
      manifests: [
        { digest: digestOf(arm), platform: { os: 'linux', architecture: 'arm64' } },
        { digest: digestOf(amd), platform: { os: 'linux', architecture: 'amd64' } },
        { digest: digestOf(attestation), platform: { os: 'unknown', architecture: 'unknown' } },
      ],
    });
    const bodies = new Map([
      ['v1', index],
      [digestOf(amd), amd],
      [digestOf(arm), arm],
      [digestOf(attestation), attestation],
    ]);
    const { fetch, calls } = fakeFetch((call) => ok(bodies.get(call.url.split('/manifests/')[1]!)!));
    await expect(
      new RegistryClient({ registry: 'ghcr.io', fetch }).imageConfigs('a/b', 'v1'),
    ).resolves.toEqual(['linux/amd64=sha256:cfg-amd', 'linux/arm64=sha256:cfg-arm']);
    expect(calls).toHaveLength(3);
  });

  it('reads labels from the config blob', async () => {
    const config = JSON.stringify({ config: { Labels: { 'org.opencontainers.image.revision': 'abc' } } });
    const { fetch } = fakeFetch((call) =>
      call.url.includes('/blobs/') ? new Response(config) : ok(manifest),
    );
    await expect(new RegistryClient({ registry: 'ghcr.io', fetch }).labels('a/b', 'v1')).resolves.toEqual({
      'org.opencontainers.image.revision': 'abc',
    });
  });
});

describe('RegistryClient.putManifest', () => {
  const bytes = Buffer.from(manifest);
  const write = { bytes, mediaType: 'application/vnd.docker.distribution.manifest.v2+json' };

  it('writes the exact bytes under the tag with their media type, and returns the stored digest', async () => {
    const { fetch, calls } = fakeFetch(
      () => new Response(null, { status: 201, headers: { 'Docker-Content-Digest': digestOf(manifest) } }),
    );
    const client = new RegistryClient({
      registry: '127.0.0.1:5000',
      credentials: { username: 'AWS', password: 'pw' },
      fetch,
    });
    await expect(client.putManifest('team/app', 'main', write)).resolves.toBe(digestOf(manifest));
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({
      url: 'http://127.0.0.1:5000/v2/team/app/manifests/main',
      method: 'PUT',
      body: bytes,
    });
    expect(calls[0]!.headers['Content-Type']).toBe(write.mediaType);
    expect(calls[0]!.headers['Authorization']).toMatch(/^Basic /);
  });

  it('fails when the registry stored another digest, or answers an error with its text', async () => {
    const stored = fakeFetch(
      () => new Response(null, { status: 201, headers: { 'Docker-Content-Digest': 'sha256:other' } }),
    );
    await expect(
      new RegistryClient({ registry: 'r.example.com', fetch: stored.fetch }).putManifest('a', 't', write),
    ).rejects.toThrow(
      `The registry stored sha256:other for a:t, not the manifest sent (${digestOf(manifest)}).`,
    );
    const refused = fakeFetch(() => new Response('{"errors":[{"code":"TAG_INVALID"}]}', { status: 400 }));
    const error = await new RegistryClient({ registry: 'r.example.com', fetch: refused.fetch })
      .putManifest('a', 't', write)
      .catch((caught: unknown) => caught);
    expect((error as RegistryError).status).toBe(400);
    expect((error as Error).message).toMatch(/HTTP 400 to the tag a:t: .*TAG_INVALID/);
  });

  it('asks a token service for a push token when it only had a pull token', async () => {
    const tokens: string[] = [];
    const { fetch, calls } = fakeFetch((call) => {
      if (call.url.startsWith('https://auth.example.com/')) {
        const scope = new URL(call.url).searchParams.get('scope')!;
        tokens.push(scope);
        return new Response(JSON.stringify({ token: scope }));
      }
      const bearer = call.headers['Authorization'];
      const scope = call.method === 'PUT' ? 'repository:a/b:pull,push' : 'repository:a/b:pull';
      if (
        bearer === `Bearer ${scope}` ||
        (call.method === 'GET' && bearer === 'Bearer repository:a/b:pull,push')
      ) {
        return call.method === 'PUT'
          ? new Response(null, { status: 201, headers: { 'Docker-Content-Digest': digestOf(manifest) } })
          : ok(manifest);
      }
      return new Response('', {
        status: 401,
        headers: {
          'WWW-Authenticate': `Bearer realm="https://auth.example.com/token",service="reg",scope="${scope}"`,
        },
      });
    });
    const client = new RegistryClient({
      registry: 'reg.example.com',
      credentials: { username: 'u', password: 'p' },
      fetch,
    });
    await client.manifest('a/b', 'v1');
    await expect(client.putManifest('a/b', 'v2', write)).resolves.toBe(digestOf(manifest));
    expect(tokens).toEqual(['repository:a/b:pull', 'repository:a/b:pull,push']);
    expect(calls.filter((call) => call.method === 'PUT')).toHaveLength(2);
  });
});

describe('registry helpers', () => {
  it.each([
    ['127.0.0.1:5000', 'http://127.0.0.1:5000'],
    ['localhost:5000', 'http://localhost:5000'],
    ['ghcr.io', 'https://ghcr.io'],
    ['docker.io', 'https://registry-1.docker.io'],
    ['http://10.0.0.1:5000/', 'http://10.0.0.1:5000'],
    ['123.dkr.ecr.us-east-1.amazonaws.com', 'https://123.dkr.ecr.us-east-1.amazonaws.com'],
  ])('%s -> %s', (registry, url) => expect(registryBaseUrl(registry)).toBe(url));

  it('parses a challenge', () => {
    expect(parseChallenge('Bearer realm="https://a/token",service="a",scope="repository:x:pull"')).toEqual({
      scheme: 'bearer',
      params: { realm: 'https://a/token', service: 'a', scope: 'repository:x:pull' },
    });
  });
});
