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

interface PostingList {
  slots: number[];
  tfs: number[];
}

/**
 * An inverted index over term-frequency maps with incremental add and remove. Documents
 * live in append-only slots, so every posting list stays sorted by slot; a removal
 * splices the document out of its posting lists and keeps collection statistics exact,
 * which makes add-then-remove restore every score bit for bit.
 */
export class TermIndex {
  private readonly postings = new Map<string, PostingList>();
  private readonly slotById = new Map<string, number>();
  private readonly ids: (string | undefined)[] = [];
  private readonly lengths: number[] = [];
  private readonly termsBySlot: (readonly string[] | undefined)[] = [];
  private totalLength = 0;

  get size(): number {
    return this.slotById.size;
  }

  get averageLength(): number {
    return this.slotById.size === 0 ? 0 : this.totalLength / this.slotById.size;
  }

  /** Slots ever used; an upper bound for per-slot arrays. */
  get slotCount(): number {
    return this.ids.length;
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
    return this.postings.get(term)?.slots.length ?? 0;
  }

  add(id: string, terms: ReadonlyMap<string, number>, length: number): number {
    if (this.slotById.has(id)) throw new Error(`document ${id} is already indexed`);
    const slot = this.ids.length;
    this.ids.push(id);
    this.lengths.push(length);
    this.slotById.set(id, slot);
    this.totalLength += length;
    const termList: string[] = [];
    for (const [term, tf] of terms) {
      let list = this.postings.get(term);
      if (list === undefined) {
        list = { slots: [], tfs: [] };
        this.postings.set(term, list);
      }
      list.slots.push(slot);
      list.tfs.push(tf);
      termList.push(term);
    }
    this.termsBySlot.push(termList);
    return slot;
  }

  remove(id: string): boolean {
    const slot = this.slotById.get(id);
    if (slot === undefined) return false;
    for (const term of this.termsBySlot[slot] ?? []) {
      const list = this.postings.get(term);
      if (list === undefined) continue;
      const at = lowerBound(list.slots, slot);
      if (list.slots[at] !== slot) continue;
      list.slots.splice(at, 1);
      list.tfs.splice(at, 1);
      if (list.slots.length === 0) this.postings.delete(term);
    }
    this.totalLength -= this.lengths[slot]!;
    this.slotById.delete(id);
    this.ids[slot] = undefined;
    this.termsBySlot[slot] = undefined;
    return true;
  }

  /** Robertson–Spärck Jones IDF with +1 inside the log (Lucene's form: never negative). */
  idf(term: string): number {
    const df = this.documentFrequency(term);
    const n = this.slotById.size;
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  }

  /**
   * Adds `weight × BM25(term)` to `scores[slot]` for every document containing `term`,
   * and reports each slot touched for the first time through `onFirstTouch`.
   */
  accumulate(
    term: string,
    weight: number,
    params: Bm25Params,
    scores: Float64Array,
    onFirstTouch: (slot: number) => void,
  ): void {
    const list = this.postings.get(term);
    if (list === undefined) return;
    const idf = this.idf(term) * weight;
    const { k1, b } = params;
    const avg = this.averageLength || 1;
    const { slots, tfs } = list;
    for (let i = 0; i < slots.length; i += 1) {
      const slot = slots[i]!;
      const tf = tfs[i]!;
      const norm = k1 * (1 - b + (b * this.lengths[slot]!) / avg);
      if (scores[slot] === 0) onFirstTouch(slot);
      scores[slot]! += (idf * tf * (k1 + 1)) / (tf + norm);
    }
  }

  /** `weight × BM25` of one term in one document with term frequency `tf`. */
  termScore(term: string, tf: number, slot: number, weight: number, params: Bm25Params): number {
    if (tf <= 0) return 0;
    const { k1, b } = params;
    const norm = k1 * (1 - b + (b * (this.lengths[slot] ?? 0)) / (this.averageLength || 1));
    return (this.idf(term) * weight * tf * (k1 + 1)) / (tf + norm);
  }
}

function lowerBound(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
