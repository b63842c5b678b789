import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders, ServerResponse } from 'node:http';

import { AwsError } from './protocol.js';

/**
 * The AWS Query protocol (what Elastic Load Balancing v2 speaks): a form-urlencoded POST body
 * `Action=<Op>&Version=<date>&Param=...` with lists flattened as `Names.member.1` and
 * `Targets.member.1.Id`, answered in XML.
 */
export type QueryParams = Record<string, string>;

export type QueryOperation = (params: QueryParams) => Promise<unknown>;

/** A POST without X-Amz-Target whose body is a form: the Query protocol rather than JSON 1.1. */
export function isQueryRequest(headers: IncomingHttpHeaders): boolean {
  const contentType = String(headers['content-type'] ?? '').toLowerCase();
  return !headers['x-amz-target'] && contentType.startsWith('application/x-www-form-urlencoded');
}

export function parseQueryBody(body: string): QueryParams {
  return Object.fromEntries(new URLSearchParams(body));
}

export const validationError = (message: string): AwsError => new AwsError('ValidationError', message);

export function queryString(params: QueryParams, key: string): string | undefined {
  const value = params[key];
  return value === undefined || value === '' ? undefined : value;
}

export function requiredQueryString(params: QueryParams, key: string): string {
  const value = queryString(params, key);
  if (value === undefined) {
    throw validationError(
      `1 validation error detected: Value null at '${key}' failed to satisfy constraint: Member must not be null`,
    );
  }
  return value;
}

/** A whole number, checked against the member's documented range (ValidationError as AWS answers). */
export function queryInteger(
  params: QueryParams,
  key: string,
  range?: { min: number; max: number },
): number | undefined {
  const raw = queryString(params, key);
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!/^-?\d+$/.test(raw) || !Number.isSafeInteger(value)) {
    throw validationError(`Value '${raw}' at '${key}' must be an integer.`);
  }
  if (range && value < range.min) {
    throw validationError(
      `1 validation error detected: Value '${value}' at '${key}' failed to satisfy constraint: Member must have value greater than or equal to ${range.min}`,
    );
  }
  if (range && value > range.max) {
    throw validationError(
      `1 validation error detected: Value '${value}' at '${key}' failed to satisfy constraint: Member must have value less than or equal to ${range.max}`,
    );
  }
  return value;
}

export function queryBoolean(params: QueryParams, key: string): boolean | undefined {
  const raw = queryString(params, key);
  if (raw === undefined) return undefined;
  if (raw !== 'true' && raw !== 'false')
    throw validationError(`Value '${raw}' at '${key}' must be a boolean.`);
  return raw === 'true';
}

/** `Names.member.1=a&Names.member.2=b` -> ["a", "b"] (in member order). */
export function queryStringList(params: QueryParams, key: string): string[] | undefined {
  const members = queryMembers(params, key);
  if (members === undefined) return undefined;
  return members.map((member) => member[''] ?? '');
}

/**
 * `Targets.member.1.Id=x&Targets.member.1.Port=80` -> [{ Id: "x", Port: "80" }]; a scalar member
 * (`Names.member.1=a`) comes back under the key "". Undefined when the list is absent.
 */
export function queryMembers(params: QueryParams, key: string): QueryParams[] | undefined {
  const prefix = `${key}.member.`;
  const byIndex = new Map<number, QueryParams>();
  for (const [name, value] of Object.entries(params)) {
    if (!name.startsWith(prefix)) continue;
    const rest = name.slice(prefix.length);
    const dot = rest.indexOf('.');
    const index = Number(dot === -1 ? rest : rest.slice(0, dot));
    if (!Number.isInteger(index) || index < 1) throw validationError(`Malformed list member '${name}'.`);
    const member = byIndex.get(index) ?? {};
    member[dot === -1 ? '' : rest.slice(dot + 1)] = value;
    byIndex.set(index, member);
  }
  if (byIndex.size === 0) return params[key] === '' ? [] : undefined;
  return [...byIndex.entries()].sort(([a], [b]) => a - b).map(([, member]) => member);
}

/** What an answer is made of: structures become elements, lists become `<member>`s, undefined is left out. */
export type XmlValue = string | number | boolean | undefined | XmlValue[] | { [name: string]: XmlValue };

export function escapeXml(text: string): string {
  return text.replace(
    /[<>&'"]/g,
    (char) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[char]!,
  );
}

export function toXml(name: string, value: XmlValue): string {
  if (value === undefined) return '';
  if (Array.isArray(value))
    return `<${name}>${value.map((item) => toXml('member', item)).join('')}</${name}>`;
  if (typeof value === 'object') {
    const inner = Object.entries(value)
      .map(([key, child]) => toXml(key, child))
      .join('');
    return `<${name}>${inner}</${name}>`;
  }
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}

function sendXml(response: ServerResponse, status: number, xml: string, requestId: string): void {
  const text = `<?xml version="1.0" encoding="UTF-8"?>\n${xml}`;
  response.writeHead(status, {
    'Content-Type': 'text/xml',
    'Content-Length': Buffer.byteLength(text),
    'x-amzn-RequestId': requestId,
  });
  response.end(text);
}

/** `<ActionResponse xmlns=...><ActionResult>...</ActionResult><ResponseMetadata>...` as Query services answer. */
export function sendQueryResult(
  response: ServerResponse,
  namespace: string,
  action: string,
  result: { [name: string]: XmlValue },
): void {
  const requestId = randomUUID();
  const body = Object.entries(result)
    .map(([key, value]) => toXml(key, value))
    .join('');
  sendXml(
    response,
    200,
    `<${action}Response xmlns="${namespace}"><${action}Result>${body}</${action}Result>` +
      `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`,
    requestId,
  );
}

/**
 * `<ErrorResponse><Error><Type>Sender</Type><Code>...` with the HTTP status: the Query code (e.g.
 * `TargetGroupNotFound`) is what the SDK maps to its typed exception (`TargetGroupNotFoundException`).
 */
export function sendQueryError(response: ServerResponse, namespace: string, error: AwsError): void {
  const requestId = randomUUID();
  const type = error.status >= 500 ? 'Receiver' : 'Sender';
  sendXml(
    response,
    error.status,
    `<ErrorResponse xmlns="${namespace}"><Error><Type>${type}</Type><Code>${escapeXml(error.type)}</Code>` +
      `<Message>${escapeXml(error.message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
    requestId,
  );
}
