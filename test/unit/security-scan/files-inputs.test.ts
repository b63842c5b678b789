import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  realpathSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { ConfigurationError } from '../../../shared/errors.js';
import { collectFiles, MAX_FILE_BYTES } from '../../../actions/security-scan/src/files.js';
import { parseOsvUrl, parseScanners } from '../../../actions/security-scan/src/inputs.js';
import { prepareSarifFile, resolveScanRoot } from '../../../actions/security-scan/src/locations.js';

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
    expect(parseScanners([])).toEqual([
      'secrets',
      'dockerfile',
      'workflows',
      'dependencies',
      'code',
      'python',
      'image',
      'live',
    ]);
    expect(parseScanners(['all'])).toHaveLength(8);
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
  it('does not follow symlinks (they may point outside the repository)', () => {
    const outside = tree({ 'secret.txt': 'outside' });
    const root = tree({ 'a.txt': 'a' });
    symlinkSync(join(outside, 'secret.txt'), join(root, 'link.txt'));
    expect(collectFiles(root).files.map((file) => file.path)).toEqual(['a.txt']);
  });
});

describe('collectFiles on hostile trees', () => {
  it('reads only a regular .gitignore in a walk (a symlink could point at a pipe or /dev/zero)', () => {
    const outside = tree({ patterns: '*.js\n' });
    const root = tree({ 'a.js': 'a', 'b.txt': 'b' });
    symlinkSync(join(outside, 'patterns'), join(root, '.gitignore'));
    expect(collectFiles(root).files.map((file) => file.path)).toEqual(['a.js', 'b.txt']);
  });

  it('skips pipes and devices in the tree instead of blocking on them', () => {
    const root = tree({ 'a.js': 'a' });
    execFileSync('mkfifo', [join(root, 'pipe.js')]);
    symlinkSync('/dev/zero', join(root, 'zero.js'));
    expect(collectFiles(root).files.map((file) => file.path)).toEqual(['a.js']);
  });
});

describe('resolveScanRoot (input "path")', () => {
  const workspace = tree({ 'src/a.ts': 'a', 'file.txt': 'f' });

  it('accepts the workspace and directories inside it, relative or absolute', () => {
    expect(resolveScanRoot(workspace, '.')).toBe(realpathSync(workspace));
    expect(resolveScanRoot(workspace, 'src')).toBe(join(realpathSync(workspace), 'src'));
    expect(resolveScanRoot(workspace, join(workspace, 'src'))).toBe(join(realpathSync(workspace), 'src'));
  });

  it('refuses a path outside the workspace, however it is spelled, naming the input', () => {
    for (const outside of ['/etc', '..', 'src/../..', tmpdir()]) {
      expect(() => resolveScanRoot(workspace, outside)).toThrow(ConfigurationError);
      expect(() => resolveScanRoot(workspace, outside)).toThrow(
        /^Input "path" must be a directory in the workspace \(.*\), but ".*" is .*, outside it\.$/,
      );
    }
  });

  it('refuses a symlink that leads out of the workspace', () => {
    symlinkSync('/etc', join(workspace, 'etc-link'));
    expect(() => resolveScanRoot(workspace, 'etc-link')).toThrow(/"etc-link" is \/etc, outside it/);
  });

  it('refuses what is missing or not a directory', () => {
    expect(() => resolveScanRoot(workspace, 'no/such/dir')).toThrow(
      'Input "path" must be a directory in the workspace, but "no/such/dir" is not one.',
    );
    expect(() => resolveScanRoot(workspace, 'file.txt')).toThrow(/"file\.txt" is not one/);
  });
});

describe('prepareSarifFile (input "sarif-file")', () => {
  const workspace = tree({ 'a-file': 'x', 'reports/old.sarif': '{}' });
  const fallback = join(workspace, 'temp', 'default.sarif');

  it('creates the missing directories and returns the absolute path', () => {
    expect(prepareSarifFile(workspace, 'out/deep/scan.sarif', fallback)).toBe(
      join(workspace, 'out', 'deep', 'scan.sarif'),
    );
    expect(statSync(join(workspace, 'out', 'deep')).isDirectory()).toBe(true);
    expect(prepareSarifFile(workspace, 'reports/old.sarif', fallback)).toBe(
      join(workspace, 'reports', 'old.sarif'),
    );
    expect(prepareSarifFile(workspace, '', fallback)).toBe(fallback);
  });

  it.each([
    ['reports', /^Input "sarif-file" "reports" is a directory/],
    ['a-file/scan.sarif', /^Input "sarif-file" "a-file\/scan\.sarif" cannot be created: .*a-file is a file/],
    ['/proc/self/status', /^Input "sarif-file" "\/proc\/self\/status" is under \/proc/],
    ['/proc/new-dir/x.sarif', /is under \/proc/],
    ['/sys/kernel/x.sarif', /is under \/sys/],
    ['/dev/null', /exists and is not a regular file/],
  ])('refuses %s before any scanning, naming the input (no raw EEXIST, no hang)', (raw, message) => {
    expect(() => prepareSarifFile(workspace, raw, fallback)).toThrow(ConfigurationError);
    expect(() => prepareSarifFile(workspace, raw, fallback)).toThrow(message);
  });

  it('refuses a pipe, which would block the write forever', () => {
    const fifo = join(workspace, 'pipe.sarif');
    execFileSync('mkfifo', [fifo]);
    expect(() => prepareSarifFile(workspace, 'pipe.sarif', fallback)).toThrow(/not a regular file/);
  });

  it('refuses a directory it may not write to (as a non-root user; root may write there)', () => {
    // Root may write anywhere mode bits forbid; a read-only directory stops others.
    const readOnly = join(workspace, 'read-only');
    mkdirSync(readOnly);
    chmodSync(readOnly, 0o500);
    try {
      const attempt = (): string => prepareSarifFile(workspace, 'read-only/sub/x.sarif', fallback);
      if (process.getuid?.() === 0) expect(attempt()).toBe(join(readOnly, 'sub', 'x.sarif'));
      else
        expect(attempt).toThrow(/^Input "sarif-file" "read-only\/sub\/x\.sarif" cannot be created: .*EACCES/);
    } finally {
      chmodSync(readOnly, 0o700);
    }
  });
});
