import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { Language, Parser } from 'web-tree-sitter';

const WASM_FILES = {
  runtime: 'web-tree-sitter/web-tree-sitter.wasm',
  python: 'tree-sitter-python/tree-sitter-python.wasm',
} as const;

/**
 * A wasm file: beside the bundle (the build copies them into dist/, listed in bundle-assets.json), else from
 * node_modules (runs from source: tests, bench).
 */
function readWasm(kind: keyof typeof WASM_FILES): Buffer {
  const beside = join(dirname(fileURLToPath(import.meta.url)), basename(WASM_FILES[kind]));
  if (existsSync(beside)) return readFileSync(beside);
  return readFileSync(createRequire(import.meta.url).resolve(WASM_FILES[kind]));
}

/**
 * web-tree-sitter's ESM build, under node, gets `createRequire` from `await import("module")`, which the ncc
 * bundle turns into a namespace without it. Handed the wasm bytes it needs nothing from node, so it is
 * initialised as emscripten initialises outside node: emscripten tells an Electron renderer (not node) by
 * `process.type === "renderer"`, set only for the synchronous start of the call.
 */
async function initialiseOutsideNode(init: () => Promise<void>): Promise<void> {
  const carrier = process as { type?: string };
  const before = carrier.type;
  carrier.type = 'renderer';
  let pending: Promise<void>;
  try {
    pending = init();
  } finally {
    if (before === undefined) delete carrier.type;
    else carrier.type = before;
  }
  await pending;
}

let loading: Promise<Parser> | undefined;

/** One tree-sitter parser for Python per process (the wasm is compiled once, ~100 ms). */
export function pythonParser(): Promise<Parser> {
  loading ??= (async () => {
    await initialiseOutsideNode(() => Parser.init({ wasmBinary: readWasm('runtime') }));
    const language = await Language.load(readWasm('python'));
    const parser = new Parser();
    parser.setLanguage(language);
    return parser;
  })();
  return loading;
}
