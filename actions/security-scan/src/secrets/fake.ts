// Fake tokens for rule examples, made at test time from a seeded generator: the repository holds no
// token-shaped literal that push protection (or a reader) could take for a live secret.
import { base62, crc32 } from './text.js';

export const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
export const LOWER_ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';
export const UPPER_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
export const HEX = '0123456789abcdef';
export const UPPER_HEX = '0123456789ABCDEF';
export const BASE64 = `${ALNUM}+/`;
export const BASE64URL = `${ALNUM}-_`;
export const DIGITS = '0123456789';

let state = 0x2545f491;

/** `length` characters drawn from `alphabet` (deterministic: xorshift32 with a fixed seed). */
export function rand(alphabet: string, length: number): string {
  let out = '';
  while (out.length < length) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    out += alphabet[state % alphabet.length]!;
  }
  return out;
}

/** A body of `length` characters whose last 6 are the GitHub/npm CRC32 checksum of the rest. */
export function withChecksum(length: number): string {
  const random = rand(ALNUM, length - 6);
  return random + base62(crc32(random), 6);
}

/** Base64 (standard alphabet, padded) of `text`. */
export function base64Of(text: string): string {
  return Buffer.from(text).toString('base64');
}

export function base64UrlJson(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

export function uuid(): string {
  return [rand(HEX, 8), rand(HEX, 4), `4${rand(HEX, 3)}`, `a${rand(HEX, 3)}`, rand(HEX, 12)].join('-');
}

/** Joins pieces at run time: for prefixes that must not appear whole in the source. */
export function join(...pieces: string[]): string {
  return pieces.join('');
}
