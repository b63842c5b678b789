import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';

import tar from 'tar-stream';

import { type GoBuildInfo, GoBuildInfoScanner } from './go-binary.js';

/** rpm's sqlite database: its classic place, and /usr/lib/sysimage where Fedora 36+ and openSUSE keep it. */
export const RPM_DATABASES = ['var/lib/rpm/rpmdb.sqlite', 'usr/lib/sysimage/rpm/rpmdb.sqlite'];

/** Paths (inside the image, no leading `/`) whose content says what is installed. */
export function isPackageDatabase(path: string): boolean {
  return (
    path === 'var/lib/dpkg/status' ||
    /^var\/lib\/dpkg\/status\.d\/[^/]+$/.test(path) ||
    path === 'lib/apk/db/installed' ||
    RPM_DATABASES.includes(path) ||
    path === 'etc/os-release' ||
    path === 'usr/lib/os-release' ||
    /(^|\/)node_modules\/(@[^/]+\/)?[^/@.][^/]*\/package\.json$/.test(path) ||
    /\.dist-info\/METADATA$/.test(path)
  );
}

/** Larger files of interest are not package databases (a guard against a huge file by that name). */
const MAX_FILE_BYTES = 64 * 1024 * 1024;
/** Executables smaller than this are scripts or tiny tools, not Go binaries (the smallest are over 1 MB). */
const MIN_GO_BINARY_BYTES = 512 * 1024;

/** A package database's bytes, or the build information a Go binary carries. */
type LayerFile = { layer: number; bytes: Buffer } | { layer: number; go: GoBuildInfo };

/**
 * The package databases and Go binaries of a union of layers, base first: later layers replace files,
 * whiteouts (`.wh.<name>`) delete them and opaque markers (`.wh..wh..opq`) hide what lower layers had in a
 * directory.
 */
export class LayeredFiles {
  private readonly files = new Map<string, LayerFile>();
  bytesRead = 0;

  /**
   * Reads one layer's tar stream (compressed as its media type says), keeping only package databases and
   * the build information of Go binaries (executables searched as they stream past).
   */
  async addLayer(layer: number, source: Readable, mediaType: string): Promise<void> {
    const extract = tar.extract();
    const counted = source.on('data', (chunk: Buffer) => (this.bytesRead += chunk.length));
    const stages: NodeJS.ReadWriteStream[] = [];
    if (/gzip/.test(mediaType)) stages.push(zlib.createGunzip());
    else if (/zstd/.test(mediaType)) {
      const zstd = (zlib as { createZstdDecompress?: () => NodeJS.ReadWriteStream }).createZstdDecompress;
      if (!zstd) throw new Error(`layer compression ${mediaType} needs a newer Node.js`);
      stages.push(zstd());
    }
    const piping = pipeline([counted, ...stages, extract]);
    const reading = (async () => {
      for await (const entry of extract) {
        const path = entry.header.name.replace(/^(\.\/|\/)+/, '').replace(/\/+$/, '');
        const slash = path.lastIndexOf('/');
        const base = path.slice(slash + 1);
        const dir = slash >= 0 ? path.slice(0, slash) : '';
        if (base === '.wh..wh..opq') {
          this.removeUnder(dir, (file) => file.layer < layer);
        } else if (base.startsWith('.wh.')) {
          const target = `${dir ? `${dir}/` : ''}${base.slice(4)}`;
          this.files.delete(target);
          this.removeUnder(target, () => true);
        } else {
          this.files.delete(path); // whatever this entry is, it replaces the file a lower layer had there
          const size = entry.header.size ?? 0;
          if (entry.header.type === 'file' && isPackageDatabase(path) && size <= MAX_FILE_BYTES) {
            const chunks: Buffer[] = [];
            for await (const chunk of entry) chunks.push(chunk as Buffer);
            this.files.set(path, { layer, bytes: Buffer.concat(chunks) });
            continue;
          }
          if (
            entry.header.type === 'file' &&
            ((entry.header.mode ?? 0) & 0o111) !== 0 &&
            size >= MIN_GO_BINARY_BYTES
          ) {
            const scanner = new GoBuildInfoScanner();
            let searching = true;
            // Read to the end either way: the tar stream goes on after this entry.
            for await (const chunk of entry) if (searching) searching = scanner.push(chunk as Buffer);
            const go = scanner.result();
            if (go) this.files.set(path, { layer, go });
            continue;
          }
        }
        entry.resume();
      }
    })();
    await Promise.all([piping, reading]);
  }

  private removeUnder(dir: string, when: (file: { layer: number }) => boolean): void {
    const prefix = dir === '' ? '' : `${dir}/`;
    for (const [path, file] of this.files) if (path.startsWith(prefix) && when(file)) this.files.delete(path);
  }

  /** The package databases left in the final filesystem, by path. */
  contents(): ReadonlyMap<string, Buffer> {
    const databases = new Map<string, Buffer>();
    for (const [path, file] of this.files) if ('bytes' in file) databases.set(path, file.bytes);
    return databases;
  }

  /** The Go binaries left in the final filesystem, by path, with their build information. */
  goBinaries(): ReadonlyMap<string, GoBuildInfo> {
    const binaries = new Map<string, GoBuildInfo>();
    for (const [path, file] of this.files) if ('go' in file) binaries.set(path, file.go);
    return binaries;
  }
}
