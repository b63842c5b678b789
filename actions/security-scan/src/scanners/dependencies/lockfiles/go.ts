import type { SourceFile } from '../../../findings.js';
import type { LockedPackage } from '../types.js';

/** Go module versions are semver with a `v`; OSV lists them without it. */
function goPackage(file: SourceFile, module: string, version: string, line: number): LockedPackage {
  return { ecosystem: 'Go', name: module, version: version.replace(/^v/, ''), file: file.path, line };
}

/** Splits a go.mod line into tokens the way the go.mod grammar does (quoted strings kept whole). */
function tokens(line: string): string[] {
  const withoutComment = line.replace(/\/\/.*$/, '');
  return [...withoutComment.matchAll(/"((?:[^"\\]|\\.)*)"|`([^`]*)`|(\S+)/g)].map(
    (match) => match[1] ?? match[2] ?? match[3]!,
  );
}

/**
 * go.mod: `require` directives, single or in a block. Since Go 1.17 they list every module of the build
 * (indirect ones marked `// indirect`). `replace` directives pointing at other versions are applied.
 */
export function goMod(file: SourceFile): LockedPackage[] {
  const required: { module: string; version: string; line: number }[] = [];
  const replaced = new Map<string, string | undefined>();
  let block: string | undefined;
  file.text.split(/\r?\n/).forEach((text, index) => {
    const words = tokens(text);
    if (words.length === 0) return;
    if (block) {
      if (words[0] === ')') block = undefined;
      else if (block === 'require' && words.length >= 2) {
        required.push({ module: words[0]!, version: words[1]!, line: index + 1 });
      } else if (block === 'replace') readReplace(words, replaced);
      return;
    }
    if (words[1] === '(') {
      block = words[0];
      return;
    }
    if (words[0] === 'require' && words.length >= 3) {
      required.push({ module: words[1]!, version: words[2]!, line: index + 1 });
    }
    if (words[0] === 'replace') readReplace(words.slice(1), replaced);
  });
  const found: LockedPackage[] = [];
  for (const { module, version, line } of required) {
    if (replaced.has(module)) {
      const replacement = replaced.get(module);
      if (replacement === undefined) continue; // replaced by a local directory
      found.push(goPackage(file, replacement.split('@')[0]!, replacement.split('@')[1]!, line));
    } else {
      found.push(goPackage(file, module, version, line));
    }
  }
  return found;
}

/** `old [v] => new v` (module) or `old [v] => ./dir` (local: no version to check). */
function readReplace(words: string[], replaced: Map<string, string | undefined>): void {
  const arrow = words.indexOf('=>');
  if (arrow < 1) return;
  const target = words.slice(arrow + 1);
  replaced.set(words[0]!, target.length >= 2 ? `${target[0]}@${target[1]}` : undefined);
}

/**
 * go.sum alone (no go.mod beside it): every `module version h1:...` line whose content (not only its
 * go.mod) was downloaded.
 */
export function goSum(file: SourceFile): LockedPackage[] {
  const found: LockedPackage[] = [];
  file.text.split(/\r?\n/).forEach((text, index) => {
    const [module, version] = text.trim().split(/\s+/);
    if (!module || !version || version.endsWith('/go.mod')) return;
    found.push(goPackage(file, module, version, index + 1));
  });
  return found;
}
