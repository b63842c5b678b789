// The code scanner lives in ./code/ (parse, scopes, sources, sanitizers, taint engine, sinks per family).
export {
  isScannableSource,
  scanCode,
  scanCodeFiles,
  type CodeScanResult,
  type UnparsableFile,
} from './code/index.js';
