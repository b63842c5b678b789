import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';

import tar from 'tar-stream';

import {
  GoBuildInfoScanner,
  goBinaryPackages,
  goToolchainVersion,
  parseBuildInfoBlob,
} from '../../../actions/security-scan/src/scanners/image/go-binary.js';
import { imagePackages } from '../../../actions/security-scan/src/scanners/image/index.js';
import { LayeredFiles } from '../../../actions/security-scan/src/scanners/image/layers.js';

/**
 * The build information blob of a real Go binary (lefthook 2.2.2 from npm's lefthook-linux-x64, built by
 * go1.27.0 with modules): its 32-byte header and the two strings after it, as the linker wrote them.
 */
const LEFTHOOK = readFileSync('test/fixtures/security-scan/go/lefthook-2.2.2.buildinfo');

/** A uvarint-prefixed string, as the linker writes the version and module information. */
function goString(text: string): Buffer {
  const bytes = Buffer.from(text);
  const length: number[] = [];
  let value = bytes.length;
  do {
    length.push((value & 0x7f) | (value >= 0x80 ? 0x80 : 0));
    value >>>= 7;
  } while (value > 0);
  return Buffer.concat([Buffer.from(length), bytes]);
}

/** A build information blob of our own: header (inline strings flag), Go version, framed module lines. */
function blobOf(goVersion: string, moduleLines: string, flags = 2): Buffer {
  const header = Buffer.alloc(32);
  header.write('\xff Go buildinf:', 'latin1');
  header[14] = 8;
  header[15] = flags;
  const sentinel = 'S'.repeat(16);
  return Buffer.concat([header, goString(goVersion), goString(`${sentinel}${moduleLines}\n${sentinel}`)]);
}

/** An ELF-looking file with `blob` at `offset` (junk before and after). */
function elfWith(blob: Buffer, offset: number, size = 1 << 20): Buffer {
  const file = Buffer.alloc(size, 0x5a);
  Buffer.from([0x7f, 0x45, 0x4c, 0x46]).copy(file);
  blob.copy(file, offset);
  return file;
}

function scanInChunks(file: Buffer, chunkSize: number) {
  const scanner = new GoBuildInfoScanner();
  for (let at = 0; at < file.length; at += chunkSize)
    if (!scanner.push(file.subarray(at, at + chunkSize))) break;
  return scanner.result();
}

describe('Go build information', () => {
  it("reads a real binary's blob: Go version, main module, dependencies", () => {
    const info = parseBuildInfoBlob(LEFTHOOK)!;
    expect(info.goVersion).toBe('go1.27.0');
    expect(info.main).toEqual({ path: 'github.com/evilmartians/lefthook/v2', version: 'v2.2.2' });
    expect(info.deps).toHaveLength(51);
    expect(info.deps[0]).toEqual({ path: 'al.essio.dev/pkg/shellescape', version: 'v1.6.1' });
    expect(info.deps).toContainEqual({ path: 'golang.org/x/text', version: 'v0.42.0' });
    const packages = goBinaryPackages(info, 'usr/local/bin/lefthook');
    expect(packages).toHaveLength(53);
    expect(packages[0]).toEqual({
      ecosystem: 'Go',
      name: 'github.com/evilmartians/lefthook/v2',
      version: 'v2.2.2',
      file: 'usr/local/bin/lefthook',
      line: 1,
    });
    expect(packages.at(-1)).toMatchObject({ name: 'stdlib', version: '1.27.0' });
  });

  it('finds the blob at a 16-byte aligned offset while the file streams past, whatever the chunk size', () => {
    const file = elfWith(LEFTHOOK, 0x9a7f0);
    for (const size of [1000, 4096, 7, 65_536, 1 << 20])
      expect(scanInChunks(file, size)?.main?.version).toBe('v2.2.2');
    // The magic quoted as data earlier in the file (as in the go command, which reads build information),
    // aligned by chance: passed over, the real header found after it.
    const quoted = elfWith(LEFTHOOK, 0x9a7f0);
    Buffer.from('\xff Go buildinf:%s', 'latin1').copy(quoted, 0x1000);
    Buffer.concat([
      Buffer.from('\xff Go buildinf:', 'latin1'),
      Buffer.from([8, 2]),
      Buffer.alloc(16),
      Buffer.from('\x05hello'),
    ]).copy(quoted, 0x2000);
    for (const size of [7, 4096]) expect(scanInChunks(quoted, size)?.goVersion).toBe('go1.27.0');
    // The magic off the linker's alignment is some other data, not build information.
    expect(scanInChunks(elfWith(LEFTHOOK, 0x9a7f3), 4096)).toBeUndefined();
    // Not an ELF file (a script, a jar): not searched.
    const script = elfWith(LEFTHOOK, 4096);
    script.write('#!/b', 0);
    expect(scanInChunks(script, 4096)).toBeUndefined();
  });

  it('applies replacements, skips development and local versions, and refuses what it cannot read', () => {
    const info = parseBuildInfoBlob(
      blobOf(
        'go1.21rc2 X:boringcrypto',
        [
          'path\texample.com/app/cmd/app',
          'mod\texample.com/app\t(devel)\t',
          'dep\tgolang.org/x/net\tv0.10.0\th1:x=',
          '=>\tgithub.com/fork/net\tv0.10.1\th1:y=',
          'dep\texample.com/local\tv1.0.0\th1:z=',
          '=>\t../local\t\t',
          'dep\tgithub.com/pkg/errors\tv0.9.1\th1:w=',
          'build\t-compiler=gc',
        ].join('\n'),
      ),
    )!;
    expect(goBinaryPackages(info, 'app').map((pkg) => `${pkg.name}@${pkg.version}`)).toEqual([
      'github.com/fork/net@v0.10.1',
      'github.com/pkg/errors@v0.9.1',
      'stdlib@1.21.0-rc.2',
    ]);
    expect(parseBuildInfoBlob(blobOf('go1.17', '', 0))).toBeUndefined(); // pre-1.18 pointer form
    expect(parseBuildInfoBlob(LEFTHOOK.subarray(0, LEFTHOOK.length - 1))).toBeUndefined(); // truncated
    expect(parseBuildInfoBlob(Buffer.from('not build info at all, not even the magic'))).toBeUndefined();
    // Unframed module information (stripped): the Go version alone.
    const bare = Buffer.concat([LEFTHOOK.subarray(0, 32), goString('go1.22.5'), goString('')]);
    expect(parseBuildInfoBlob(bare)).toEqual({ goVersion: 'go1.22.5', deps: [] });
  });

  it("maps Go versions to the standard library's semantic versions", () => {
    expect(goToolchainVersion('go1.22.5')).toBe('1.22.5');
    expect(goToolchainVersion('go1.20')).toBe('1.20.0');
    expect(goToolchainVersion('go1.19beta1')).toBe('1.19.0-beta.1');
    expect(goToolchainVersion('devel go1.23-abc123')).toBeUndefined();
  });
});

describe('Go binaries in image layers', () => {
  async function layer(entries: { name: string; mode?: number; content?: Buffer }[]): Promise<Readable> {
    const pack = tar.pack();
    for (const { name, mode, content } of entries)
      pack.entry({ name, mode: mode ?? 0o644, size: content?.length ?? 0 }, content ?? Buffer.alloc(0));
    pack.finalize();
    const chunks: Buffer[] = [];
    for await (const chunk of pack) chunks.push(chunk as Buffer);
    return Readable.from([gzipSync(Buffer.concat(chunks))]);
  }
  const gzip = 'application/vnd.oci.image.layer.v1.tar+gzip';

  it('lists the modules of executables left in the final filesystem, not of deleted or replaced ones', async () => {
    const binary = elfWith(LEFTHOOK, 0x40000);
    const union = new LayeredFiles();
    await union.addLayer(
      0,
      await layer([
        { name: 'usr/local/bin/lefthook', mode: 0o755, content: binary },
        { name: 'opt/tool/lefthook', mode: 0o755, content: binary },
        { name: 'opt/data/lefthook.bin', mode: 0o644, content: binary }, // not executable
        { name: 'usr/bin/replaced', mode: 0o755, content: binary },
      ]),
      gzip,
    );
    await union.addLayer(
      1,
      await layer([
        { name: 'opt/.wh.tool' },
        { name: 'usr/bin/replaced', mode: 0o755, content: Buffer.from('#!/bin/sh\necho no go here\n') },
      ]),
      gzip,
    );
    expect([...union.goBinaries().keys()]).toEqual(['usr/local/bin/lefthook']);
    const { packages } = await imagePackages(union.contents(), union.goBinaries());
    expect(packages).toHaveLength(53);
    expect(new Set(packages.map((pkg) => `${pkg.ecosystem} ${pkg.file}`))).toEqual(
      new Set(['Go usr/local/bin/lefthook']),
    );
  });
});
