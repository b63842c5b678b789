import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';

import tar from 'tar-stream';

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

/**
 * The package databases of a union of layers, base first: later layers replace files, whiteouts
 * (`.wh.<name>`) delete them and opaque markers (`.wh..wh..opq`) hide what lower layers had in a directory.
 */
export class LayeredFiles {
  private readonly files = new Map<string, { layer: number; bytes: Buffer }>();
  bytesRead = 0;

  /** Reads one layer's tar stream (compressed as its media type says), keeping only package databases. */
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
        } else if (
          entry.header.type === 'file' &&
          isPackageDatabase(path) &&
          (entry.header.size ?? 0) <= MAX_FILE_BYTES
        ) {
          const chunks: Buffer[] = [];
          for await (const chunk of entry) chunks.push(chunk as Buffer);
          this.files.set(path, { layer, bytes: Buffer.concat(chunks) });
          continue;
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

  /** The files of interest left in the final filesystem, by path. */
  contents(): ReadonlyMap<string, Buffer> {
    return new Map([...this.files].map(([path, file]) => [path, file.bytes]));
  }
}
