import type { LockedPackage } from '../dependencies/types.js';

/**
 * The build information a Go (1.18 and later) linker writes into every binary, as debug/buildinfo reads it:
 * a 32-byte header starting with this magic at a 16-byte aligned offset, its flags byte with bit 2 set
 * when the two strings (Go version, module information) follow inline, each length-prefixed by a uvarint.
 */
const MAGIC = Buffer.from('\xff Go buildinf:', 'latin1');
const ALIGN = 16;
const HEADER_SIZE = 32;
/** Enough for any module list (module information is a few KB; go.dev's largest binaries stay well under). */
const MAX_BLOB = 1024 * 1024;
const ELF_MAGIC = Buffer.from([0x7f, 0x45, 0x4c, 0x46]);

export interface GoBuildInfo {
  /** `go1.22.5` as runtime.Version() says it. */
  goVersion: string;
  /** The main module (`mod` line), the dependencies (`dep`, replaced by their `=>` line when one follows). */
  main?: { path: string; version: string };
  deps: { path: string; version: string }[];
}

/** An unsigned LEB128 varint at `at`; undefined when it runs past the end or over 32 bits. */
function uvarint(bytes: Buffer, at: number): { value: number; size: number } | undefined {
  let value = 0;
  for (let index = 0; index < 5 && at + index < bytes.length; index++) {
    const byte = bytes[at + index]!;
    value += (byte & 0x7f) * 2 ** (7 * index);
    if (byte < 0x80) return { value, size: index + 1 };
  }
  return undefined;
}

/** debug.ParseBuildInfo's reading of the module lines (tab-separated: mod, dep, `=>` replacing the line before). */
function parseModuleInfo(info: string): Pick<GoBuildInfo, 'main' | 'deps'> {
  const result: Pick<GoBuildInfo, 'main' | 'deps'> = { deps: [] };
  let last: { path: string; version: string } | undefined;
  for (const line of info.split('\n')) {
    const [kind, path, version] = line.split('\t');
    if (!path) continue;
    if (kind === 'mod') {
      last = result.main = { path, version: version ?? '' };
    } else if (kind === 'dep') {
      last = { path, version: version ?? '' };
      result.deps.push(last);
    } else if (kind === '=>' && last) {
      // A replacement: the module built is this one (a local directory has no version).
      last.path = path;
      last.version = version ?? '';
    }
  }
  return result;
}

/** The build information in the bytes that start at the header (magic included), or undefined. */
export function parseBuildInfoBlob(blob: Buffer): GoBuildInfo | undefined {
  if (blob.length < HEADER_SIZE || !blob.subarray(0, MAGIC.length).equals(MAGIC)) return undefined;
  // Before Go 1.18 the header held pointers into the data segment instead: not read here.
  if ((blob[15]! & 2) === 0) return undefined;
  const strings: string[] = [];
  let at = HEADER_SIZE;
  for (let index = 0; index < 2; index++) {
    const length = uvarint(blob, at);
    if (!length || at + length.size + length.value > blob.length) return undefined;
    strings.push(blob.toString('utf8', at + length.size, at + length.size + length.value));
    at += length.size + length.value;
  }
  const [goVersion, framed] = strings as [string, string];
  // The module lines sit between two 16-byte sentinels, the last one after a newline.
  const modules = framed.length >= 33 && framed[framed.length - 17] === '\n' ? framed.slice(16, -16) : '';
  return { goVersion, ...parseModuleInfo(modules) };
}

/** Header, a one-byte length and `go`: enough to tell the linker's header from the magic quoted as data. */
const PROBE_BYTES = HEADER_SIZE + 3;

/**
 * Whether bytes starting with the magic are a build information header with inline strings: pointer size
 * 4 or 8, only the two known flag bits, and a Go version string (`go1.x`, `devel ...`) of a sane length.
 * Programs that read build information (the go command itself) carry the magic in their data too.
 */
function plausibleHeader(probe: Buffer): boolean {
  const [pointerSize, flags] = [probe[14]!, probe[15]!];
  if ((pointerSize !== 4 && pointerSize !== 8) || (flags & ~3) !== 0 || (flags & 2) === 0) return false;
  const length = probe[HEADER_SIZE]!;
  const start = probe.toString('latin1', HEADER_SIZE + 1, HEADER_SIZE + 3);
  return length >= 2 && length < 0x80 && (start === 'go' || start === 'de');
}

/**
 * Finds a Go binary's build information in its bytes as they stream past (never holding the file): only
 * ELF files are searched, the magic at a 16-byte aligned file offset as the linker aligns its section.
 */
export class GoBuildInfoScanner {
  private offset = 0;
  private tail = Buffer.alloc(0);
  private blob: Buffer[] | undefined;
  private blobLength = 0;
  private notElf = false;

  /** Feeds the next chunk; false once nothing more is needed (found and read, or not a Go binary). */
  push(chunk: Buffer): boolean {
    if (this.notElf || this.blobLength >= MAX_BLOB) return false;
    if (this.offset === 0 && this.tail.length === 0 && !this.blob) {
      if (chunk.length >= 4 && !chunk.subarray(0, 4).equals(ELF_MAGIC)) {
        this.notElf = true;
        return false;
      }
    }
    if (this.blob) {
      this.blob.push(chunk);
      this.blobLength += chunk.length;
      return this.blobLength < MAX_BLOB;
    }
    // Search the tail of the previous chunk and this one, so a magic split across chunks is found.
    const window = this.tail.length > 0 ? Buffer.concat([this.tail, chunk]) : chunk;
    const windowStart = this.offset - this.tail.length;
    this.offset += chunk.length;
    let from = 0;
    for (;;) {
      const at = window.indexOf(MAGIC, from);
      if (at < 0) break;
      if ((windowStart + at) % ALIGN === 0) {
        if (window.length - at < PROBE_BYTES) {
          // Too few bytes yet to tell a header from the magic quoted as data: decide with the next chunk.
          this.tail = Buffer.from(window.subarray(at));
          return true;
        }
        if (plausibleHeader(window.subarray(at, at + PROBE_BYTES))) {
          this.blob = [window.subarray(at)];
          this.blobLength = window.length - at;
          return this.blobLength < MAX_BLOB;
        }
      }
      from = at + 1;
    }
    this.tail = Buffer.from(window.subarray(Math.max(0, window.length - (MAGIC.length - 1))));
    return true;
  }

  /** The build information found, once the file (or enough of it) has been fed. */
  result(): GoBuildInfo | undefined {
    if (!this.blob) return undefined;
    return parseBuildInfoBlob(Buffer.concat(this.blob).subarray(0, MAX_BLOB));
  }
}

/**
 * `go1.21.3` as the semantic version OSV's Go records use for the standard library (`1.21.3`; `go1.20` is
 * `1.20.0`, `go1.21rc2` is `1.21.0-rc.2`), undefined for a development toolchain.
 */
export function goToolchainVersion(goVersion: string): string | undefined {
  const match = /^go(\d+)\.(\d+)(?:\.(\d+))?(?:(beta|rc)(\d+))?(?:\s|$)/.exec(goVersion);
  if (!match) return undefined;
  const [, major, minor, patch, pre, preNumber] = match;
  return `${major}.${minor}.${patch ?? '0'}${pre ? `-${pre}.${preNumber}` : ''}`;
}

/** The Go modules a binary was built from (main module when released, dependencies) and its standard library. */
export function goBinaryPackages(info: GoBuildInfo, file: string): LockedPackage[] {
  const found: LockedPackage[] = [];
  const add = (name: string, version: string): void => {
    // `(devel)`: built from a checkout, no release to look up; a replacement by a local directory has none.
    if (version && version !== '(devel)') found.push({ ecosystem: 'Go', name, version, file, line: 1 });
  };
  if (info.main) add(info.main.path, info.main.version);
  for (const dep of info.deps) add(dep.path, dep.version);
  const stdlib = goToolchainVersion(info.goVersion);
  if (stdlib) add('stdlib', stdlib);
  return found;
}
