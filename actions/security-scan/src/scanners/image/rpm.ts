import type { Ecosystem, LockedPackage } from '../dependencies/types.js';

/** The header tags read (rpmtag.h): name, epoch, version, release, arch, source package file name. */
const TAG = { name: 1000, version: 1001, release: 1002, epoch: 1003, arch: 1022, sourceRpm: 1044 } as const;
const TYPE_INT32 = 4;
const TYPE_STRING = 6;
/** Entries are 16 bytes; rpm itself refuses headers with more than this many (HEADER_TAGS_MAX). */
const MAX_ENTRIES = 0xffff;

export interface RpmHeader {
  name: string;
  version: string;
  release: string;
  epoch?: number;
  arch?: string;
  sourceRpm?: string;
}

/**
 * One package's header as the rpm database stores it (a header blob: entry count and data length, big-endian,
 * then the 16-byte entries `tag, type, offset, count`, then the data they point into). Undefined when the
 * blob is not a well-formed header or lacks name, version or release.
 */
export function parseRpmHeader(blob: Uint8Array): RpmHeader | undefined {
  if (blob.length < 8) return undefined;
  const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  const entries = view.getUint32(0);
  const dataLength = view.getUint32(4);
  const dataStart = 8 + entries * 16;
  if (entries > MAX_ENTRIES || dataStart + dataLength > blob.length) return undefined;
  const strings = new Map<number, string>();
  const numbers = new Map<number, number>();
  for (let index = 0; index < entries; index++) {
    const at = 8 + index * 16;
    const tag = view.getInt32(at);
    const type = view.getUint32(at + 4);
    const offset = view.getInt32(at + 8);
    if (offset < 0 || offset >= dataLength || strings.has(tag) || numbers.has(tag)) continue;
    if (type === TYPE_STRING) {
      const end = blob.indexOf(0, dataStart + offset);
      if (end < 0 || end >= dataStart + dataLength) return undefined;
      strings.set(tag, Buffer.from(blob.subarray(dataStart + offset, end)).toString('utf8'));
    } else if (type === TYPE_INT32 && offset + 4 <= dataLength) {
      numbers.set(tag, view.getInt32(dataStart + offset));
    }
  }
  const name = strings.get(TAG.name);
  const version = strings.get(TAG.version);
  const release = strings.get(TAG.release);
  if (!name || !version || !release) return undefined;
  const header: RpmHeader = { name, version, release };
  const epoch = numbers.get(TAG.epoch);
  if (epoch !== undefined) header.epoch = epoch;
  const arch = strings.get(TAG.arch);
  if (arch) header.arch = arch;
  const sourceRpm = strings.get(TAG.sourceRpm);
  if (sourceRpm) header.sourceRpm = sourceRpm;
  return header;
}

/** `epoch:version-release`, the epoch only when the package has one (as rpm's %{EVR} prints it). */
export function rpmVersion(header: RpmHeader): string {
  return `${header.epoch !== undefined ? `${header.epoch}:` : ''}${header.version}-${header.release}`;
}

/**
 * The installed packages of an rpm sqlite database (`var/lib/rpm/rpmdb.sqlite`, RHEL 9 and its rebuilds,
 * Fedora 33 and later), by binary package name as the distributions' errata list them. The database is
 * opened in memory from the bytes read out of the layer. Imported signing keys (`gpg-pubkey`) are no packages.
 * Throws when the bytes are not such a database.
 */
export async function rpmPackages(
  database: Uint8Array,
  ecosystem: Ecosystem,
  file: string,
): Promise<LockedPackage[]> {
  const { DatabaseSync } = await import('node:sqlite');
  const db = new DatabaseSync(':memory:');
  try {
    // rpm keeps its database in WAL mode (header bytes 18 and 19 are 2), which SQLite cannot open in
    // memory; as the rollback-journal format (1) the same pages read the same. A -wal file rpm left
    // unmerged is not read (rpm checkpoints on close, so images normally have none).
    const copy = Buffer.from(database);
    if (copy.length >= 20 && copy[18] === 2 && copy[19] === 2) copy[18] = copy[19] = 1;
    db.deserialize(copy);
    const found = new Map<string, LockedPackage>();
    for (const row of db.prepare('SELECT blob FROM Packages ORDER BY hnum').all()) {
      const header = parseRpmHeader(row['blob'] as Uint8Array);
      if (!header || header.name === 'gpg-pubkey') continue;
      const version = rpmVersion(header);
      found.set(`${header.name}@${version}`, { ecosystem, name: header.name, version, file, line: 1 });
    }
    return [...found.values()];
  } finally {
    db.close();
  }
}
