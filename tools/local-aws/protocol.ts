import { createHash, createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** An error answered in AWS's JSON 1.1 shape: status, `__type` and `message`, as the SDK expects. */
export class AwsError extends Error {
  readonly type: string;
  readonly status: number;
  constructor(type: string, message: string, status = 400) {
    super(message);
    this.type = type;
    this.status = status;
  }
}

export const clientException = (message: string): AwsError => new AwsError('ClientException', message);
export const invalidParameter = (message: string): AwsError =>
  new AwsError('InvalidParameterException', message);

export const ECS_TARGET_PREFIX = 'AmazonEC2ContainerServiceV20141113.';
export const ECR_TARGET_PREFIX = 'AmazonEC2ContainerRegistry_V20150921.';
export const LOGS_TARGET_PREFIX = 'Logs_20140328.';

export interface ParsedTarget {
  service: 'ecs' | 'ecr' | 'logs';
  operation: string;
}

export function parseTarget(header: string | undefined): ParsedTarget | undefined {
  if (!header) return undefined;
  if (header.startsWith(ECS_TARGET_PREFIX)) {
    return { service: 'ecs', operation: header.slice(ECS_TARGET_PREFIX.length) };
  }
  if (header.startsWith(ECR_TARGET_PREFIX)) {
    return { service: 'ecr', operation: header.slice(ECR_TARGET_PREFIX.length) };
  }
  if (header.startsWith(LOGS_TARGET_PREFIX)) {
    return { service: 'logs', operation: header.slice(LOGS_TARGET_PREFIX.length) };
  }
  return undefined;
}

const SIGV4 =
  /^AWS4-HMAC-SHA256 Credential=([^/\s]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/;

/**
 * Refuses what AWS refuses before looking at the body: no Authorization header, or one that is not a
 * complete SigV4 signature. The signature itself is not verified (any credentials are accepted locally).
 */
export function checkSignature(authorization: string | undefined, amzDate: string | undefined): void {
  if (!authorization) {
    throw new AwsError('MissingAuthenticationTokenException', 'Missing Authentication Token', 400);
  }
  const match = SIGV4.exec(authorization);
  if (!match) {
    throw new AwsError(
      'IncompleteSignatureException',
      `Authorization header requires 'Credential', 'Signature' and 'SignedHeaders' parameters of AWS4-HMAC-SHA256. Authorization=${authorization.split(' ')[0] ?? ''}`,
      400,
    );
  }
  if (!amzDate) {
    throw new AwsError(
      'IncompleteSignatureException',
      "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.",
      400,
    );
  }
}

export async function readBody(request: IncomingMessage, limit = 10 * 1024 * 1024): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new AwsError('SerializationException', 'Request body too large');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export function parseJsonObject(body: string): Record<string, unknown> {
  if (body.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new AwsError('SerializationException', 'Start of structure or map found where not expected.');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new AwsError('SerializationException', 'Expected a JSON object as the request body.');
  }
  return parsed as Record<string, unknown>;
}

export function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'Content-Type': 'application/x-amz-json-1.1',
    'Content-Length': Buffer.byteLength(text),
    'x-amzn-RequestId': randomUUID(),
  });
  response.end(text);
}

export function sendAwsError(response: ServerResponse, error: AwsError): void {
  const text = JSON.stringify({ __type: error.type, message: error.message });
  response.writeHead(error.status, {
    'Content-Type': 'application/x-amz-json-1.1',
    'Content-Length': Buffer.byteLength(text),
    'x-amzn-RequestId': randomUUID(),
    'x-amzn-ErrorType': error.type,
  });
  response.end(text);
}

/** Epoch seconds with milliseconds, the JSON protocols' timestamp format. */
export function epochSeconds(date: Date | number): number {
  const ms = typeof date === 'number' ? date : date.getTime();
  return Math.round(ms) / 1000;
}

// Small readers for request fields: they throw the error AWS throws for a wrongly typed member.
export function optionalString(input: Record<string, unknown>, key: string): string | undefined {
  const value = input[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new AwsError('SerializationException', `${key} must be a string`);
  return value;
}

export function requiredString(
  input: Record<string, unknown>,
  key: string,
  error: (message: string) => AwsError = invalidParameter,
): string {
  const value = optionalString(input, key);
  if (value === undefined || value === '') throw error(`${key} is required.`);
  return value;
}

export function optionalNumber(input: Record<string, unknown>, key: string): number | undefined {
  const value = input[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number') throw new AwsError('SerializationException', `${key} must be a number`);
  return value;
}

export function optionalBoolean(input: Record<string, unknown>, key: string): boolean | undefined {
  const value = input[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw new AwsError('SerializationException', `${key} must be a boolean`);
  return value;
}

export function stringList(input: Record<string, unknown>, key: string): string[] | undefined {
  const value = input[key];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) {
    throw new AwsError('SerializationException', `${key} must be a list of strings`);
  }
  return value as string[];
}

export function objectList(input: Record<string, unknown>, key: string): Record<string, unknown>[] {
  const value = input[key];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'object' || item === null)) {
    throw new AwsError('SerializationException', `${key} must be a list of structures`);
  }
  return value as Record<string, unknown>[];
}

export interface Tag {
  key: string;
  value: string;
}

/**
 * One page of a list, as AWS pages them: maxResults (capped) items from an opaque nextToken; the token
 * is absent on the last page, which is what the SDK paginators stop on.
 */
export function paginate<T>(
  items: readonly T[],
  input: Record<string, unknown>,
  defaultMax = 100,
  cap = 1000,
): { page: T[]; nextToken?: string } {
  const maxResults = optionalNumber(input, 'maxResults') ?? defaultMax;
  if (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > cap) {
    throw invalidParameter(`maxResults must be between 1 and ${cap}.`);
  }
  const token = optionalString(input, 'nextToken');
  let offset = 0;
  if (token) {
    const decoded = Number(
      Buffer.from(token, 'base64url')
        .toString('utf8')
        .replace(/^offset:/, ''),
    );
    if (!Number.isInteger(decoded) || decoded < 0) throw invalidParameter('Invalid nextToken.');
    offset = decoded;
  }
  const page = items.slice(offset, offset + maxResults);
  const next = offset + maxResults;
  return next < items.length
    ? { page, nextToken: Buffer.from(`offset:${next}`).toString('base64url') }
    : { page };
}

export interface SignedRequest {
  method: string;
  /** Path and query as received. */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/**
 * Verifies a SigV4 signature against known credentials (accessKeyId -> secret), as AWS does:
 * an unknown key is UnrecognizedClientException, a wrong signature InvalidSignatureException.
 */
export function verifySignature(request: SignedRequest, credentials: Record<string, string>): void {
  const authorization = String(request.headers['authorization'] ?? '');
  const match = SIGV4.exec(authorization);
  if (!match) throw new AwsError('IncompleteSignatureException', 'Authorization header is not SigV4.');
  const [, accessKeyId, date, region, service, signedHeaders, signature] = match as unknown as string[];
  const secret = credentials[accessKeyId!];
  if (secret === undefined) {
    throw new AwsError(
      'UnrecognizedClientException',
      'The security token included in the request is invalid.',
    );
  }
  const amzDate = String(request.headers['x-amz-date'] ?? '');
  const [path = '/', query = ''] = request.url.split('?') as [string?, string?];
  const canonicalQuery = query
    .split('&')
    .filter(Boolean)
    .map((pair) =>
      pair
        .split('=')
        .map((part) => encodeRfc3986(decodeURIComponent(part)))
        .join('='),
    )
    .sort()
    .join('&');
  const headerNames = signedHeaders!.split(';');
  const canonicalHeaders = headerNames
    .map((name) => {
      const value = request.headers[name];
      const text = Array.isArray(value) ? value.join(',') : (value ?? '');
      return `${name}:${text.trim().replace(/\s+/g, ' ')}\n`;
    })
    .join('');
  const payloadHash = createHash('sha256').update(request.body).digest('hex');
  const canonicalRequest = [
    request.method,
    path
      .split('/')
      .map((segment) => encodeRfc3986(decodeURIComponent(segment)))
      .join('/'),
    canonicalQuery,
    canonicalHeaders,
    signedHeaders,
    payloadHash,
  ].join('\n');
  const scope = `${date}/${region}/${service}/aws4_request`;
  const stringToSign = [
    'AWS4-HMAC-SHA256',
    amzDate,
    scope,
    createHash('sha256').update(canonicalRequest).digest('hex'),
  ].join('\n');
  const hmac = (key: string | Buffer, data: string): Buffer =>
    createHmac('sha256', key).update(data).digest();
  const signingKey = hmac(hmac(hmac(hmac(`AWS4${secret}`, date!), region!), service!), 'aws4_request');
  const expected = createHmac('sha256', signingKey).update(stringToSign).digest('hex');
  if (!timingSafeEqual(Buffer.from(expected), Buffer.from(signature!))) {
    throw new AwsError(
      'InvalidSignatureException',
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
    );
  }
}

function encodeRfc3986(text: string): string {
  return encodeURIComponent(text).replace(
    /[!'()*]/g,
    (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** "AKID:secret,AKID2:secret2" (LOCAL_AWS_CREDENTIALS) -> { AKID: "secret", ... }. */
export function parseCredentials(raw: string): Record<string, string> {
  const credentials: Record<string, string> = {};
  for (const pair of raw
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)) {
    const colon = pair.indexOf(':');
    if (colon <= 0 || colon === pair.length - 1) {
      throw new Error('LOCAL_AWS_CREDENTIALS must be "accessKeyId:secret" pairs separated by commas.');
    }
    credentials[pair.slice(0, colon)] = pair.slice(colon + 1);
  }
  return credentials;
}
