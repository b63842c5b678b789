import { type LineCounter, type Node, isMap, isScalar, type Pair } from 'yaml';

/** The value under `key` in a YAML map node, or undefined. */
export function child(node: unknown, key: string): Node | undefined {
  if (!isMap(node)) return undefined;
  const value: unknown = node.get(key, true);
  return value === null || value === undefined ? undefined : (value as Node);
}

/** Like child(), for names GitHub compares case-insensitively (contexts, job and step ids, matrix keys). */
export function childIgnoringCase(node: unknown, key: string): Node | undefined {
  if (!isMap(node)) return undefined;
  const pair = node.items.find((item) => keyOf(item).toLowerCase() === key.toLowerCase());
  return (pair?.value ?? undefined) as Node | undefined;
}

/** A scalar's value as text (numbers and booleans too), or undefined for maps, sequences and nulls. */
export function text(node: unknown): string | undefined {
  if (!isScalar(node)) return undefined;
  const value: unknown = node.value;
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
    ? String(value)
    : undefined;
}

export function keyOf(pair: Pair): string {
  return isScalar(pair.key) ? String(pair.key.value) : '';
}

/** A map's entries by key (case-insensitive keys lower-cased when asked): values as text. */
export function textEntries(node: unknown, lowerKeys = false): Map<string, string> {
  const entries = new Map<string, string>();
  if (!isMap(node)) return entries;
  for (const pair of node.items) {
    const value = text(pair.value);
    if (value !== undefined) entries.set(lowerKeys ? keyOf(pair).toLowerCase() : keyOf(pair), value);
  }
  return entries;
}

/** 1-based line of a node in the file. */
export function lineOfNode(lines: LineCounter, node: Node | null | undefined): number {
  return node?.range ? lines.linePos(node.range[0]).line : 1;
}

/**
 * Maps offsets in a scalar's value to file lines. Block scalars lose indentation and quoted ones escapes, so
 * each value line is found in the source after the previous one (repeated lines each get their own line).
 */
export function valueLineMapper(
  source: string,
  lines: LineCounter,
  node: Node,
  value: string,
): (offset: number) => number {
  const lineStarts: number[] = [];
  let cursor = node.range?.[0] ?? 0;
  for (const valueLine of value.split('\n')) {
    const trimmed = valueLine.trim();
    const found = trimmed === '' ? -1 : source.indexOf(trimmed, cursor);
    if (found !== -1) cursor = found + trimmed.length;
    lineStarts.push(lines.linePos(found === -1 ? cursor : found).line);
  }
  const newlines: number[] = [];
  for (let at = value.indexOf('\n'); at !== -1; at = value.indexOf('\n', at + 1)) newlines.push(at);
  return (offset: number): number => {
    // Value line of the offset = newlines before it (binary search: scripts can be long and hold many ${{ }}).
    let low = 0;
    let high = newlines.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (newlines[middle]! < offset) low = middle + 1;
      else high = middle;
    }
    return lineStarts[low] ?? lineStarts.at(-1) ?? 1;
  };
}
