import { detached } from '../text/memo.js';

/** BM25 parameters. */
export interface Bm25Params {
  /**
   * Term-frequency saturation. Recommended values are between 0.8 and 2.0; higher
   * values let repeated terms count for longer. Defaults to 1.2.
   */
  readonly k1: number;
  /**
   * Length normalisation, between 0 (none) and 1 (full). Short profiles and long ones
   * describe one capability each, so values between 0.3 and 0.8 work. Defaults to 0.75.
   */
  readonly b: number;
}

/**
 * All posting lists live in one pair of typed arrays (slots, term frequencies); a list is
 * a block of it with spare capacity. One pool instead of two typed arrays per term: most
 * terms occur once or twice, and a typed array costs ~200 bytes of overhead on its own.
 * A full list moves to a bigger block at the end; `compact()` packs every list tight.
 */
class PostingPool {
  slots = new Int32Array(1 << 16);
  tfs = new Float32Array(1 << 16);
  used = 0;
  /** Entries in abandoned blocks, reclaimed by `compact()`. */
  wasted = 0;

  allocate(capacity: number): number {
    if (this.used + capacity > this.slots.length) {
      let size = this.slots.length * 2;
      while (this.used + capacity > size) size *= 2;
      const slots = new Int32Array(size);
      slots.set(this.slots.subarray(0, this.used));
      const tfs = new Float32Array(size);
      tfs.set(this.tfs.subarray(0, this.used));
      this.slots = slots;
      this.tfs = tfs;
    }
    const offset = this.used;
    this.used += capacity;
    return offset;
  }
}

class PostingList {
  offset = -1;
  length = 0;
  capacity = 0;

  push(pool: PostingPool, slot: number, tf: number): void {
    if (this.length === this.capacity) {
      const capacity = Math.max(2, this.capacity * 2);
      const offset = pool.allocate(capacity);
      if (this.length > 0) {
        pool.slots.copyWithin(offset, this.offset, this.offset + this.length);
        pool.tfs.copyWithin(offset, this.offset, this.offset + this.length);
      }
      pool.wasted += this.capacity;
      this.offset = offset;
      this.capacity = capacity;
    }
    pool.slots[this.offset + this.length] = slot;
    pool.tfs[this.offset + this.length] = tf;
    this.length += 1;
  }

  delete(pool: PostingPool, slot: number): boolean {
    const start = this.offset;
    let lo = start;
    let hi = start + this.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (pool.slots[mid]! < slot) lo = mid + 1;
      else hi = mid;
    }
    const end = start + this.length;
    if (lo >= end || pool.slots[lo] !== slot) return false;
    pool.slots.copyWithin(lo, lo + 1, end);
    pool.tfs.copyWithin(lo, lo + 1, end);
    this.length -= 1;
    return true;
  }
}

/** A query term and its weight (query term frequency × term-kind weight). */
export interface WeightedTerm {
  readonly term: string;
  readonly weight: number;
}

/** Per-slot BM25 sums of one query, and the slots that got any. */
export interface TextScores {
  /** Indexed by slot; only `touched` slots are meaningful. */
  readonly scores: Float64Array;
  readonly touched: Int32Array;
  readonly touchedCount: number;
}

/**
 * An inverted index over term-frequency maps with incremental add and remove. Documents
 * live in append-only slots, so every posting list stays sorted by slot and a removal is
 * a binary search and a shift; collection statistics stay exact, so add-then-remove
 * restores every score bit for bit. Postings are typed arrays: at 100k documents this is
 * a few bytes per posting instead of a JS number pair.
 */
export class TermIndex {
  private readonly postings = new Map<string, PostingList>();
  private pool = new PostingPool();
  private readonly slotById = new Map<string, number>();
  private ids: (string | undefined)[] = [];
  // Float64 like the running total, so add-then-remove restores the average exactly.
  private lengths = new Float64Array(1024);
  private totalLength = 0;
  private scratch = new Float64Array(0);
  private touched = new Int32Array(0);

  get size(): number {
    return this.slotById.size;
  }

  get averageLength(): number {
    return this.slotById.size === 0 ? 0 : this.totalLength / this.slotById.size;
  }

  has(id: string): boolean {
    return this.slotById.has(id);
  }

  slotOf(id: string): number | undefined {
    return this.slotById.get(id);
  }

  idAt(slot: number): string | undefined {
    return this.ids[slot];
  }

  documentFrequency(term: string): number {
    return this.postings.get(term)?.length ?? 0;
  }

  add(id: string, terms: ReadonlyMap<string, number>, length: number): number {
    if (this.slotById.has(id)) throw new Error(`document ${id} is already indexed`);
    const slot = this.ids.length;
    this.ids.push(id);
    if (slot === this.lengths.length) {
      const lengths = new Float64Array(slot * 2);
      lengths.set(this.lengths);
      this.lengths = lengths;
    }
    this.lengths[slot] = length;
    this.slotById.set(id, slot);
    // Incremental changes abandon blocks; repack once they outweigh the live postings.
    if (this.pool.wasted > (1 << 20) && this.pool.wasted > this.pool.used - this.pool.wasted) this.trim();
    this.totalLength += length;
    for (const [term, tf] of terms) {
      let list = this.postings.get(term);
      if (list === undefined) {
        list = new PostingList();
        this.postings.set(detached(term), list);
      }
      list.push(this.pool, slot, tf);
    }
    return slot;
  }

  /** Removes a document; `terms` are the terms it was added with. */
  remove(id: string, terms: Iterable<string>): boolean {
    const slot = this.slotById.get(id);
    if (slot === undefined) return false;
    for (const term of terms) {
      const list = this.postings.get(term);
      if (list?.delete(this.pool, slot) === true && list.length === 0) {
        this.pool.wasted += list.capacity;
        this.postings.delete(term);
      }
    }
    this.totalLength -= this.lengths[slot]!;
    this.lengths[slot] = 0;
    this.slotById.delete(id);
    this.ids[slot] = undefined;
    return true;
  }

  /** Packs every posting list tight into a fresh pool; call after a bulk build. */
  trim(): void {
    let total = 0;
    for (const list of this.postings.values()) total += list.length;
    const pool = new PostingPool();
    pool.slots = new Int32Array(Math.max(total, 1024));
    pool.tfs = new Float32Array(pool.slots.length);
    for (const list of this.postings.values()) {
      const offset = pool.used;
      pool.slots.set(this.pool.slots.subarray(list.offset, list.offset + list.length), offset);
      pool.tfs.set(this.pool.tfs.subarray(list.offset, list.offset + list.length), offset);
      pool.used += list.length;
      list.offset = offset;
      list.capacity = list.length;
    }
    this.pool = pool;
  }

  /** Robertson–Spärck Jones IDF with +1 inside the log (Lucene's form: never negative). */
  idf(term: string): number {
    const df = this.documentFrequency(term);
    const n = this.slotById.size;
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  }

  /**
   * BM25 of a whole query, term at a time into a reused scratch array. The result's
   * arrays are overwritten by the next call.
   */
  score(terms: readonly WeightedTerm[], params: Bm25Params): TextScores {
    const slots = this.ids.length;
    if (this.scratch.length < slots) {
      this.scratch = new Float64Array(Math.max(slots, this.scratch.length * 2));
      this.touched = new Int32Array(this.scratch.length);
    }
    const scores = this.scratch;
    const touched = this.touched;
    for (let i = 0; i < this.touchedCountOfLastCall; i += 1) scores[touched[i]!] = 0;
    let count = 0;
    const { k1, b } = params;
    const avg = this.averageLength || 1;
    const lengths = this.lengths;
    for (const { term, weight } of terms) {
      const list = this.postings.get(term);
      if (list === undefined || weight <= 0) continue;
      const idf = this.idf(term) * weight * (k1 + 1);
      const base = k1 * (1 - b);
      const perLength = (k1 * b) / avg;
      const { slots: postingSlots, tfs } = this.pool;
      const end = list.offset + list.length;
      for (let i = list.offset; i < end; i += 1) {
        const slot = postingSlots[i]!;
        const tf = tfs[i]!;
        const before = scores[slot]!;
        if (before === 0) touched[count++] = slot;
        scores[slot] = before + (idf * tf) / (tf + base + perLength * lengths[slot]!);
      }
    }
    this.touchedCountOfLastCall = count;
    return { scores, touched, touchedCount: count };
  }

  private touchedCountOfLastCall = 0;

  /** `weight × BM25` of one term in one document with term frequency `tf`. */
  termScore(term: string, tf: number, slot: number, weight: number, params: Bm25Params): number {
    if (tf <= 0) return 0;
    const { k1, b } = params;
    const norm = k1 * (1 - b + (b * (this.lengths[slot] ?? 0)) / (this.averageLength || 1));
    return (this.idf(term) * weight * tf * (k1 + 1)) / (tf + norm);
  }
}
