// Files read by collectFiles are searched as bytes (never decoded without a keyword hit); files built in
// code are searched as text. Both paths must report the same findings at the same lines and columns,
// whatever the encoding around the secret.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

import { collectFiles, undecodedBytes } from '../../../actions/security-scan/src/files.js';
import type { Finding } from '../../../actions/security-scan/src/findings.js';
import { scanSecrets } from '../../../actions/security-scan/src/scanners/secrets.js';
import { SECRET_RULES } from '../../../actions/security-scan/src/secrets/catalog.js';

const roots: string[] = [];
afterAll(() => roots.forEach((root) => rmSync(root, { recursive: true, force: true })));

function writeTree(files: ReadonlyMap<string, Buffer>): string {
  const root = mkdtempSync(join(tmpdir(), 'shipkit-scan-bytes-'));
  roots.push(root);
  for (const [path, content] of files) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

const where = (finding: Finding): string =>
  `${finding.file}:${finding.line}:${finding.column ?? 0} ${finding.ruleId} ${finding.message}`;

/** Text before the secret: ASCII, multi-byte (accents, CJK, an astral emoji: a UTF-16 surrogate pair). */
const PREFIXES: Readonly<Record<string, string>> = {
  ascii: 'const a = 1;\n',
  accents: '// café déjà vu\nconst ü = "é";\n',
  wide: '// 日本語のコメント 🙂🙂\nconst x = "🙂";\n',
};

describe('secret search over bytes', () => {
  const files = new Map<string, Buffer>();
  SECRET_RULES.forEach((rule, ruleIndex) =>
    rule.examples().positive.forEach((example, exampleIndex) => {
      for (const [name, prefix] of Object.entries(PREFIXES)) {
        files.set(`${name}/${ruleIndex}-${exampleIndex}.txt`, Buffer.from(`${prefix}${example}\n`));
      }
    }),
  );
  // Malformed UTF-8 (a lone continuation byte and a truncated sequence) before a secret.
  const [first] = SECRET_RULES[0]!.examples().positive;
  files.set(
    'malformed/a.txt',
    Buffer.concat([Buffer.from([0x80, 0x41, 0xe6, 0x97, 0x0a]), Buffer.from(`${first}\n`)]),
  );
  const root = writeTree(files);

  it('finds what the text search finds, at the same line and column, and decodes only files with a keyword', async () => {
    const collected = collectFiles(root);
    expect(collected.files).toHaveLength(files.size);
    expect(collected.files.every((file) => undecodedBytes(file) !== undefined)).toBe(true);
    const asText = collected.files.map((file) => ({
      path: file.path,
      text: files.get(file.path)!.toString(),
    }));

    const fromBytes = (await scanSecrets(collected.files)).map(where).sort();
    const fromText = (await scanSecrets(asText)).map(where).sort();

    expect(fromBytes.length).toBeGreaterThan(SECRET_RULES.length * 2 * Object.keys(PREFIXES).length);
    expect(fromBytes).toEqual(fromText);
    expect(fromBytes.some((finding) => finding.startsWith('malformed/a.txt:2:'))).toBe(true);
  });

  it('leaves a file without any rule keyword undecoded', async () => {
    const plain = writeTree(new Map([['plain.js', Buffer.from('export const answer = 42;\n')]]));
    const [file] = collectFiles(plain).files;
    expect(await scanSecrets([file!])).toEqual([]);
    expect(undecodedBytes(file!)).toBeDefined();
    expect(file!.text).toBe('export const answer = 42;\n');
    expect(undecodedBytes(file!)).toBeUndefined();
  });
});
