import { createHash } from 'node:crypto';
import { request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';

/**
 * ECR's push-time rules in front of the Distribution registry (opt-in, LOCAL_AWS_REGISTRY_PROXY=1): the
 * registry API (/v2/...) is served on local-aws's own port and forwarded, except that a push to a
 * repository that was never created is refused (NAME_UNKNOWN) and so is a push that would move a tag of
 * an IMMUTABLE repository (TAG_INVALID), with ECR's messages, so `docker push` fails as it does on ECR.
 */
export interface RegistryRules {
  accountId: string;
  repositoryExists(name: string): boolean;
  /** The digest the tag names now if the repository is IMMUTABLE (the tag may not move), else undefined. */
  immutableTagDigest(name: string, tag: string): Promise<string | undefined>;
}

const ROUTE = /^\/v2\/(.+?)\/(manifests|blobs|tags)\/(.*)$/;

function registryError(response: ServerResponse, status: number, code: string, message: string): void {
  const body = JSON.stringify({ errors: [{ code, message, detail: null }] });
  response.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(body),
  });
  response.end(body);
}

async function readAll(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

export async function proxyRegistry(
  request: IncomingMessage,
  response: ServerResponse,
  registry: string,
  rules: RegistryRules,
): Promise<void> {
  const url = request.url ?? '/';
  const route = ROUTE.exec(url.split('?')[0]!);
  let body: Buffer | undefined;
  // Unauthenticated calls go through untouched, so the client gets the registry's 401 challenge first.
  if (route && request.headers['authorization']) {
    const [, name, kind, reference] = route as unknown as [string, string, string, string];
    if (!rules.repositoryExists(name)) {
      return registryError(
        response,
        404,
        'NAME_UNKNOWN',
        `The repository with name '${name}' does not exist in the registry with id '${rules.accountId}'`,
      );
    }
    if (kind === 'manifests' && request.method === 'PUT' && !reference.startsWith('sha256:')) {
      body = await readAll(request);
      const current = await rules.immutableTagDigest(name, reference);
      const digest = `sha256:${createHash('sha256').update(body).digest('hex')}`;
      if (current !== undefined && current !== digest) {
        return registryError(
          response,
          400,
          'TAG_INVALID',
          `The image tag '${reference}' already exists in the '${name}' repository and cannot be overwritten because the repository is immutable.`,
        );
      }
    }
  }
  const [host, port] = registry.split(':') as [string, string?];
  const upstream = httpRequest(
    { host, port: Number(port ?? 80), method: request.method, path: url, headers: request.headers },
    (answer) => {
      response.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(response);
    },
  );
  upstream.on('error', (error) => {
    if (response.headersSent) response.destroy();
    else registryError(response, 502, 'UNAVAILABLE', `registry ${registry} unreachable: ${error.message}`);
  });
  if (body !== undefined) upstream.end(body);
  else request.pipe(upstream);
}
