import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { ConfigurationError } from '../../../shared/errors.js';
import { collectFiles, MAX_FILE_BYTES } from '../../../actions/security-scan/src/files.js';
import { parseOsvUrl, parseScanners } from '../../../actions/security-scan/src/inputs.js';

const trees: string[] = [];
afterAll(() => trees.forEach((root) => rmSync(root, { recursive: true, force: true })));

function tree(files: Record<string, string | Buffer>): string {
  const root = mkdtempSync(join(tmpdir(), 'shipkit-scan-files-'));
  trees.push(root);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

describe('collectFiles outside git', () => {
  const root = tree({
    '.gitignore': 'build/\n*.log\n',
    'src/a.ts': 'a',
    'src/.gitignore': 'generated.ts\n',
    'src/generated.ts': 'g',
    'build/out.js': 'o',
    'debug.log': 'l',
    'node_modules/x/index.js': 'x',
    'img.png': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0]),
    'big.txt': 'x'.repeat(MAX_FILE_BYTES + 1),
    'docs/readme.md': 'r',
  });

  it('walks the tree honouring .gitignore files at every level, skipping node_modules, binaries and huge files', () => {
    const collected = collectFiles(root);
    expect(collected.source).toBe('walk');
    expect(collected.files.map((file) => file.path)).toEqual([
      '.gitignore',
      'docs/readme.md',
      'src/.gitignore',
      'src/a.ts',
    ]);
    expect(collected.skipped.sort()).toEqual(['big.txt', 'img.png']);
  });

  it('leaves out paths given to ignore', () => {
    expect(collectFiles(root, ['docs/', '.gitignore']).files.map((file) => file.path)).toEqual(['src/a.ts']);
  });
});

describe('inputs', () => {
  it('parses scanners: all, a subset, or rejects unknown names naming the input', () => {
    expect(parseScanners([])).toEqual(['secrets', 'dockerfile', 'workflows', 'dependencies', 'code']);
    expect(parseScanners(['all'])).toHaveLength(5);
    expect(parseScanners(['code', 'secrets', 'code'])).toEqual(['code', 'secrets']);
    expect(() => parseScanners(['secret'])).toThrow(ConfigurationError);
    expect(() => parseScanners(['secret'])).toThrow(/Input "scanners" lists "secret"/);
  });

  it('parses the OSV URL', () => {
    expect(parseOsvUrl('')).toBe('https://api.osv.dev');
    expect(parseOsvUrl('http://127.0.0.1:4873/')).toBe('http://127.0.0.1:4873');
    expect(() => parseOsvUrl('api.osv.dev')).toThrow(/Input "osv-url"/);
    expect(() => parseOsvUrl('ftp://x')).toThrow(ConfigurationError);
  });
});

describe('collectFiles and links', () => {
  it('does not follow symlinks (they may point outside the repository)', async () => {
    const { symlinkSync } = await import('node:fs');
    const outside = tree({ 'secret.txt': 'outside' });
    const root = tree({ 'a.txt': 'a' });
    symlinkSync(join(outside, 'secret.txt'), join(root, 'link.txt'));
    expect(collectFiles(root).files.map((file) => file.path)).toEqual(['a.txt']);
  });
});
