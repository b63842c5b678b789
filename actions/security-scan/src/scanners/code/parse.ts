import { parse, type ParserOptions, type ParserPlugin } from '@babel/parser';

import type { AstNode } from './ast.js';

export type ParseResult = { program: AstNode } | { error: string };

const BASE: ParserOptions = {
  sourceType: 'unambiguous',
  errorRecovery: true,
  allowReturnOutsideFunction: true,
  allowAwaitOutsideFunction: true,
  allowImportExportEverywhere: true,
  allowNewTargetOutsideFunction: true,
  allowSuperOutsideMethod: true,
  allowUndeclaredExports: true,
  // Comments are read from the text by the suppression step; not attaching them saves parse time.
  attachComment: false,
};

const DECORATORS: ParserPlugin = ['decorators', { decoratorsBeforeExport: true }];

/**
 * Plugin sets tried in order. The first matches the extension; the next ones read what the extension
 * does not promise but real repositories contain (TypeScript or decorators in a `.js` file, JSX in `.ts`).
 */
function attempts(path: string): ParserPlugin[][] {
  if (/\.tsx$/.test(path))
    return [
      ['typescript', 'jsx', DECORATORS],
      ['typescript', 'jsx', 'decorators-legacy'],
    ];
  if (/\.[cm]?ts$/.test(path))
    return [
      ['typescript', DECORATORS],
      ['typescript', 'decorators-legacy'],
      ['typescript', 'jsx', DECORATORS],
    ];
  return [
    ['jsx', DECORATORS],
    ['typescript', 'decorators-legacy'],
    ['typescript', 'jsx', 'decorators-legacy'],
    ['jsx', 'flow', 'decorators-legacy'],
  ];
}

/**
 * Parses JS/TS: the first plugin set that reads the file without errors wins; otherwise the first one
 * that recovered from its errors; a file no set can read returns the first set's error.
 */
export function parseSource(path: string, text: string): ParseResult {
  let firstError: string | undefined;
  let recovered: AstNode | undefined;
  for (const plugins of attempts(path)) {
    try {
      const ast = parse(text, { ...BASE, plugins });
      if (!ast.errors || ast.errors.length === 0) return { program: ast.program as unknown as AstNode };
      recovered ??= ast.program as unknown as AstNode;
    } catch (error: unknown) {
      firstError ??= error instanceof Error ? error.message : String(error);
    }
  }
  return recovered ? { program: recovered } : { error: firstError ?? 'unknown parse error' };
}
