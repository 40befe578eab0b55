/**
 * Drops the older half of a memo (a Map iterates in insertion order), keeping the recent
 * entries: clearing all would make every word a miss again on a large vocabulary.
 */
export function evictOldestHalf<K, V>(memo: Map<K, V>): void {
  let drop = memo.size >> 1;
  for (const key of memo.keys()) {
    if (drop-- <= 0) break;
    memo.delete(key);
  }
}

/**
 * A copy of `text` that does not share memory with a longer string. V8 may represent a
 * slice as a view into its parent, so a word sliced from a document and kept as a map
 * key would keep the whole document's text alive. From 13 characters up a slice is such a
 * view (of its own padded copy, when cut as `(' ' + text).slice(1)`): a JSON round trip
 * gives a flat string of the same code units (lone surrogates included) instead, which at
 * 30k companies keeps 5 % less after a build, at no cost in build time.
 */
export function detached(text: string): string {
  return text.length < 13 ? (' ' + text).slice(1) : (JSON.parse(JSON.stringify(text)) as string);
}

/**
 * A memo that keeps what recurs (a simplified 2Q): a key is first held on probation and
 * moves to the kept part on its second use; each part drops its older half when full.
 * A corpus's vocabulary is mostly words seen once (four in five distinct words of the
 * benchmark's 100k companies), and a plain bounded memo retains them for the life of the
 * process; here they pass through probation while the words that recur stay.
 */
export class RecurrenceMemo<K, V> {
  private readonly kept = new Map<K, V>();
  private readonly probation = new Map<K, V>();

  constructor(
    private readonly keptLimit: number,
    private readonly probationLimit: number,
  ) {}

  get(key: K): V | undefined {
    const value = this.kept.get(key);
    if (value !== undefined) return value;
    const trial = this.probation.get(key);
    if (trial === undefined) return undefined;
    this.probation.delete(key);
    if (this.kept.size >= this.keptLimit) evictOldestHalf(this.kept);
    this.kept.set(key, trial);
    return trial;
  }

  /** Remembers a value not found by `get`; `undefined` is not a storable value. */
  set(key: K, value: V): void {
    if (this.probation.size >= this.probationLimit) evictOldestHalf(this.probation);
    this.probation.set(key, value);
  }

  get size(): number {
    return this.kept.size + this.probation.size;
  }
}

/**
 * A memo bounded by an estimate of the bytes it holds rather than by entries, for values
 * whose sizes vary by orders of magnitude (a record's text and what was found in it). A hit
 * makes an entry the most recent; past the budget, the least recent go until half of it is
 * left.
 */
export class SizedMemo<K, V> {
  private readonly entries = new Map<K, { readonly value: V; readonly bytes: number }>();
  private held = 0;

  constructor(
    private readonly budgetBytes: number,
    private readonly sizeOf: (key: K, value: V) => number,
  ) {}

  get(key: K): V | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.value;
  }

  set(key: K, value: V): void {
    const bytes = this.sizeOf(key, value);
    const old = this.entries.get(key);
    if (old !== undefined) {
      this.entries.delete(key);
      this.held -= old.bytes;
    }
    this.entries.set(key, { value, bytes });
    this.held += bytes;
    if (this.held <= this.budgetBytes) return;
    for (const [oldest, entry] of this.entries) {
      if (this.held <= this.budgetBytes >> 1) break;
      this.entries.delete(oldest);
      this.held -= entry.bytes;
    }
  }

  /** The estimated bytes held. */
  get bytes(): number {
    return this.held;
  }

  get size(): number {
    return this.entries.size;
  }
}
