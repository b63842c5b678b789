/**
 * One pass over a file finds every rule keyword at once: an Aho-Corasick automaton over ASCII, run with
 * charCodeAt over the string. Case is folded in a 128-entry character-class table (no lower-cased copy of
 * the file), and characters that appear in no keyword share one class, which keeps the transition table
 * small enough to stay in cache (states x ~60 classes, 16-bit). Measured several times faster under V8
 * than one combined case-insensitive alternation regex of the same ~330 literals.
 */

/** Keywords ending at a state: each with its length (to find where it starts) and its payload. */
interface Output<T> {
  length: number;
  payload: T;
}

export class KeywordMatcher<T> {
  /** ASCII code -> character class (0: a character in no keyword). */
  private readonly classOf = new Uint8Array(128);
  private readonly classBits: number;
  /** (state << classBits | class) -> next state. */
  private readonly table: Uint16Array | Uint32Array;
  /** 1 where a state has outputs. */
  private readonly accepting: Uint8Array;
  private readonly outputs: Output<T>[][];

  constructor(keywords: ReadonlyMap<string, T>) {
    let classes = 1;
    for (const keyword of keywords.keys()) {
      for (const char of keyword.toLowerCase()) {
        const code = char.charCodeAt(0);
        if (code > 127) throw new Error(`keyword ${keyword} is not ASCII`);
        if (this.classOf[code] === 0) {
          const upper = char.toUpperCase().charCodeAt(0);
          this.classOf[code] = classes;
          if (upper !== code && upper < 128) this.classOf[upper] = classes;
          classes++;
        }
      }
    }
    this.classBits = Math.ceil(Math.log2(classes));
    const children: Map<number, number>[] = [new Map<number, number>()];
    const ends: Output<T>[][] = [[]];
    for (const [keyword, payload] of keywords) {
      let state = 0;
      for (const char of keyword.toLowerCase()) {
        const symbol = this.classOf[char.charCodeAt(0)]!;
        let next = children[state]!.get(symbol);
        if (next === undefined) {
          next = children.length;
          children.push(new Map<number, number>());
          ends.push([]);
          children[state]!.set(symbol, next);
        }
        state = next;
      }
      ends[state]!.push({ length: keyword.length, payload });
    }
    // Breadth-first failure links; a state's outputs include those of its failure state.
    const fail = new Int32Array(children.length);
    const order: number[] = [];
    const queue = [...children[0]!.values()];
    while (queue.length > 0) {
      const state = queue.shift()!;
      order.push(state);
      for (const [symbol, next] of children[state]!) {
        let back = fail[state]!;
        while (back !== 0 && !children[back]!.has(symbol)) back = fail[back]!;
        const target = children[back]!.get(symbol);
        fail[next] = target !== undefined && target !== next ? target : 0;
        ends[next] = [...ends[next]!, ...ends[fail[next]]!];
        queue.push(next);
      }
    }
    this.outputs = ends;
    this.accepting = new Uint8Array(children.length);
    ends.forEach((list, state) => (this.accepting[state] = list.length > 0 ? 1 : 0));
    const size = children.length << this.classBits;
    this.table = children.length < 65536 ? new Uint16Array(size) : new Uint32Array(size);
    // Filled in breadth-first order, so a failure state's row is complete before it is borrowed.
    for (const state of [0, ...order]) {
      for (let symbol = 0; symbol < 1 << this.classBits; symbol++) {
        const direct = children[state]!.get(symbol);
        const next =
          direct ??
          (state === 0 || symbol === 0 ? 0 : this.table[(fail[state]! << this.classBits) | symbol]!);
        this.table[(state << this.classBits) | symbol] = symbol === 0 && direct === undefined ? 0 : next;
      }
    }
  }

  /** Calls `onHit(start, payload)` for every keyword occurrence in `text`. */
  scan(text: string, onHit: (start: number, payload: T) => void): void {
    const { table, classOf, accepting, classBits } = this;
    let state = 0;
    for (let index = 0, length = text.length; index < length; index++) {
      const code = text.charCodeAt(index);
      state = table[(state << classBits) | (code < 128 ? classOf[code]! : 0)]!;
      if (accepting[state] === 1) {
        for (const output of this.outputs[state]!) onHit(index - output.length + 1, output.payload);
      }
    }
  }
}
