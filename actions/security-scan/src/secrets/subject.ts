// What the secret rules run over around a keyword hit: a decoded text, or the bytes of an ASCII file, of
// which only the windows around hits are ever decoded (a byte is a character there, so offsets agree).

export interface Subject {
  readonly length: number;
  /** The characters from `from` to `to`. */
  slice(from: number, to: number): string;
  /** Offset of the last line feed in [from, before), or -1. */
  lastLineFeed(from: number, before: number): number;
  /** Offset of the first line feed in [from, to), or -1. */
  nextLineFeed(from: number, to: number): number;
  startsWith(literal: string, at: number): boolean;
}

export class TextSubject implements Subject {
  private readonly text: string;

  constructor(text: string) {
    this.text = text;
  }

  get length(): number {
    return this.text.length;
  }

  slice(from: number, to: number): string {
    return this.text.slice(from, to);
  }

  // Searched in a bounded slice: unbounded, a hit in a 1 MB single-line file would scan back to its start.
  lastLineFeed(from: number, before: number): number {
    if (before <= from) return -1;
    const found = this.text.slice(from, before).lastIndexOf('\n');
    return found === -1 ? -1 : from + found;
  }

  nextLineFeed(from: number, to: number): number {
    if (to <= from) return -1;
    const found = this.text.slice(from, to).indexOf('\n');
    return found === -1 ? -1 : from + found;
  }

  startsWith(literal: string, at: number): boolean {
    return this.text.startsWith(literal, at);
  }
}

const LINE_FEED = 0x0a;

/** An ASCII file's bytes (the caller checks `isAscii`): latin1 decoding is then exact and a plain copy. */
export class AsciiBytesSubject implements Subject {
  private readonly bytes: Buffer;
  /** The last window decoded: the rules sharing a keyword hit ask for the same one in a row. */
  private cached = { from: -1, to: -1, text: '' };

  constructor(bytes: Uint8Array) {
    this.bytes = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get length(): number {
    return this.bytes.length;
  }

  slice(from: number, to: number): string {
    if (this.cached.from !== from || this.cached.to !== to) {
      this.cached = { from, to, text: this.bytes.toString('latin1', from, to) };
    }
    return this.cached.text;
  }

  // Plain loops over a window of at most a few KB: a subarray per call would allocate a Buffer per hit.
  lastLineFeed(from: number, before: number): number {
    for (let index = before - 1; index >= from; index--) if (this.bytes[index] === LINE_FEED) return index;
    return -1;
  }

  nextLineFeed(from: number, to: number): number {
    for (let index = from; index < to; index++) if (this.bytes[index] === LINE_FEED) return index;
    return -1;
  }

  startsWith(literal: string, at: number): boolean {
    if (at + literal.length > this.bytes.length) return false;
    for (let index = 0; index < literal.length; index++) {
      if (this.bytes[at + index] !== literal.charCodeAt(index)) return false;
    }
    return true;
  }
}
