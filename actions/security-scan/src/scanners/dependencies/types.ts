/** OSV ecosystem names (https://ossf.github.io/osv-schema/#defined-ecosystems) this scanner produces. */
export type Ecosystem =
  | 'npm'
  | 'PyPI'
  | 'Go'
  | 'crates.io'
  | 'Maven'
  | 'Packagist'
  | 'RubyGems'
  | `Debian:${string}`
  | `Ubuntu:${string}`
  | `Alpine:${string}`
  | `AlmaLinux:${string}`
  | `Rocky Linux:${string}`;

/** One installed package version, where it was declared (file and 1-based line) for the annotation. */
export interface LockedPackage {
  ecosystem: Ecosystem;
  name: string;
  version: string;
  file: string;
  line: number;
}

/**
 * 1-based line of the first needle found in `text` (1 when none is): for annotations only. A needle may
 * start with a newline to match at the start of a line.
 */
export function lineOfText(text: string, ...needles: string[]): number {
  let index = -1;
  for (const needle of needles) {
    const at = text.indexOf(needle);
    if (at >= 0) {
      index = needle.startsWith('\n') ? at + 1 : at;
      break;
    }
  }
  if (index < 0) return 1;
  let line = 1;
  for (let at = text.indexOf('\n'); at !== -1 && at < index; at = text.indexOf('\n', at + 1)) line++;
  return line;
}
