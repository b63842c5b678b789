import { createHmac, randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

// ---- Password hashes: `scrypt$<N>$<r>$<p>$<salt-b64>$<hash-b64>`, self-describing so costs can grow later.

export interface ScryptCost {
  N: number;
  r: number;
  p: number;
}

/** OWASP's scrypt floor (N=2^17 is its first choice; 2^15 keeps a login under ~100 ms on a small task). */
export const DEFAULT_SCRYPT_COST: ScryptCost = { N: 2 ** 15, r: 8, p: 1 };
const KEY_LENGTH = 32;
const SALT_LENGTH = 16;
// Caps keep a hostile or mistyped hash in the environment from eating the task's memory or CPU.
const MAX_N = 2 ** 20;
const MAX_MEMORY = 256 * 1024 * 1024;

export interface ParsedPasswordHash extends ScryptCost {
  salt: Buffer;
  hash: Buffer;
}

export function parsePasswordHash(encoded: string): ParsedPasswordHash {
  const parts = encoded.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') {
    throw new Error('expected scrypt$<N>$<r>$<p>$<salt-base64>$<hash-base64>');
  }
  const [, rawN, rawR, rawP, rawSalt, rawHash] = parts as [string, string, string, string, string, string];
  const cost = { N: Number(rawN), r: Number(rawR), p: Number(rawP) };
  checkCost(cost);
  const salt = Buffer.from(rawSalt, 'base64');
  const hash = Buffer.from(rawHash, 'base64');
  if (salt.length < 8) throw new Error('the salt is shorter than 8 bytes');
  if (hash.length < 16 || hash.length > 64) throw new Error('the hash is not 16 to 64 bytes long');
  return { ...cost, salt, hash };
}

function checkCost({ N, r, p }: ScryptCost): void {
  if (!Number.isInteger(N) || N < 1024 || N > MAX_N || (N & (N - 1)) !== 0) {
    throw new Error(`N=${N} is not a power of two from 1024 to ${MAX_N}`);
  }
  if (!Number.isInteger(r) || r < 1 || r > 32) throw new Error(`r=${r} is not from 1 to 32`);
  if (!Number.isInteger(p) || p < 1 || p > 16) throw new Error(`p=${p} is not from 1 to 16`);
  if (scryptMemory({ N, r, p }) > MAX_MEMORY) throw new Error('N*r needs more than 256 MiB');
}

function scryptMemory({ N, r }: ScryptCost): number {
  return 128 * N * r;
}

function deriveKey(password: string, salt: Buffer, cost: ScryptCost, length: number): Promise<Buffer> {
  const options: ScryptOptions = { ...cost, maxmem: scryptMemory(cost) * 2 };
  return new Promise((resolve, reject) => {
    // Async scrypt runs on the libuv pool, so a login does not stall other requests.
    scrypt(password.normalize('NFC'), salt, length, options, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

export async function hashPassword(
  password: string,
  cost: ScryptCost = DEFAULT_SCRYPT_COST,
): Promise<string> {
  checkCost(cost);
  const salt = randomBytes(SALT_LENGTH);
  const hash = await deriveKey(password, salt, cost, KEY_LENGTH);
  return ['scrypt', cost.N, cost.r, cost.p, salt.toString('base64'), hash.toString('base64')].join('$');
}

export async function verifyPassword(password: string, encoded: string): Promise<boolean> {
  const parsed = parsePasswordHash(encoded);
  const candidate = await deriveKey(password, parsed.salt, parsed, parsed.hash.length);
  return timingSafeEqual(candidate, parsed.hash);
}

// ---- Sessions: stateless signed cookies, so any task of the service can read them.

export interface Session {
  /** Random per session; the CSRF token is derived from it, and it changes at login and logout. */
  sid: string;
  /** The logged-in user, absent for a visitor. */
  user?: string;
  /** Expiry, seconds since the epoch. */
  exp: number;
  /** One message shown on the next page (flaskr's flash()). */
  flash?: string;
}

/** Keys derived from SESSION_SECRET, one per purpose, so a CSRF token can never pass as a session. */
export interface SessionKeys {
  session: Buffer;
  csrf: Buffer;
}

export function deriveSessionKeys(secret: string): SessionKeys {
  const derive = (purpose: string): Buffer =>
    createHmac('sha256', secret).update(`flaskr:${purpose}`).digest();
  return { session: derive('session'), csrf: derive('csrf') };
}

export function newSession(maxAgeSeconds: number, nowMs: number, user?: string): Session {
  const session: Session = {
    sid: randomBytes(18).toString('base64url'),
    exp: Math.floor(nowMs / 1000) + maxAgeSeconds,
  };
  if (user !== undefined) session.user = user;
  return session;
}

export function signSession(session: Session, keys: SessionKeys): string {
  const payload = Buffer.from(JSON.stringify(session)).toString('base64url');
  return `${payload}.${mac(keys.session, payload)}`;
}

/** The session in a cookie value, or undefined when it is forged, malformed or expired. */
export function readSession(
  cookie: string | undefined,
  keys: SessionKeys,
  nowMs: number,
): Session | undefined {
  if (cookie === undefined || cookie.length > 4096) return undefined;
  const dot = cookie.indexOf('.');
  if (dot <= 0) return undefined;
  const payload = cookie.slice(0, dot);
  if (!safeEqual(cookie.slice(dot + 1), mac(keys.session, payload))) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (!isSession(value) || value.exp * 1000 <= nowMs) return undefined;
  return value;
}

function isSession(value: unknown): value is Session {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return (
    typeof record['sid'] === 'string' &&
    typeof record['exp'] === 'number' &&
    (record['user'] === undefined || typeof record['user'] === 'string') &&
    (record['flash'] === undefined || typeof record['flash'] === 'string')
  );
}

// ---- CSRF: an HMAC of the session id, so every task can check it without shared state.

export function csrfToken(session: Session, keys: SessionKeys): string {
  return mac(keys.csrf, session.sid);
}

export function verifyCsrfToken(
  token: string | undefined,
  session: Session | undefined,
  keys: SessionKeys,
): boolean {
  if (token === undefined || session === undefined) return false;
  return safeEqual(token, csrfToken(session, keys));
}

function mac(key: Buffer, value: string): string {
  return createHmac('sha256', key).update(value).digest('base64url');
}

/** Constant-time comparison of two strings (length is not secret here: every MAC has the same length). */
export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
