// Small text checks shared by the rules: entropy, placeholders, CRC32/base62 checksums, base64 decoding.

/** Shannon entropy in bits per character. */
export function entropy(value: string): number {
  const counts = new Map<string, number>();
  for (const char of value) counts.set(char, (counts.get(char) ?? 0) + 1);
  let bits = 0;
  for (const count of counts.values()) {
    const share = count / value.length;
    bits -= share * Math.log2(share);
  }
  return bits;
}

/**
 * Values people write where a secret goes, never a secret: templates (`${VAR}`, `{{ x }}`, `<token>`,
 * `%s`), masks (`****`, `xxxx`), and words such as changeme, example, dummy, placeholder, redacted.
 */
const PLACEHOLDER =
  /x{5,}|X{5,}|\*{3,}|\.{3}|•|<[^>]*>|\$\{|\$\(|\{\{|%[sd]\b|^\$[A-Z_]|example|sample|dummy|placeholder|redacted|changeme|change_me|your[-_]|insert[-_]|replace[-_]?me|abcdefgh|ABCDEFGH|0{8,}|fake|^(?:test|null|none|undefined|true|false|password|secret|token)$/i;

export function isPlaceholder(value: string): boolean {
  return PLACEHOLDER.test(value);
}

let crcTable: Uint32Array | undefined;

export function crc32(text: string): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (const byte of Buffer.from(text, 'utf8')) crc = crcTable[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** `value` in base62 (digits, upper, lower), left-padded with 0 to `width`. */
export function base62(value: number, width: number): string {
  let out = '';
  let rest = value;
  do {
    out = BASE62[rest % 62]! + out;
    rest = Math.floor(rest / 62);
  } while (rest > 0);
  return out.padStart(width, '0');
}

/**
 * GitHub's (and npm's, which copied it) token checksum: the last 6 characters are the CRC32 of the
 * random part before them, in base62. A token that fails it was never issued (fake, truncated or edited).
 */
export function crc32Base62Valid(body: string): boolean {
  if (body.length < 7) return false;
  return base62(crc32(body.slice(0, -6)), 6) === body.slice(-6);
}

export function decodeBase64(text: string): string {
  return Buffer.from(text.replace(/\\n|\s/g, ''), 'base64').toString('latin1');
}

/** JSON from a base64url segment (JWT header/payload), or undefined. */
export function decodeJsonSegment(segment: string): unknown {
  try {
    return JSON.parse(Buffer.from(segment, 'base64url').toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}
