import { detached } from '../text/memo.js';
import { ListTable, PostingPool, TF_PER_UNIT, type PackedBounds } from './postings.js';
import type { PackedSlots } from './slot-blocks.js';

export type { PackedBounds } from './postings.js';

/** How many of the most frequent terms `TermIndex` keeps in its small look-up map. */
const HOT_TERMS = 4096;

/**
 * What a term's score bound is multiplied by so that no contribution ever exceeds it. The
 * bounds are measured in doubles, the contributions saturate over norms held as floats
 * (`normsFor`), whose rounding (a relative 2^-24 at most) can lift a contribution by up to
 * ~6e-8 of itself; float rounding in a sum of contributions adds a few units in the last
 * place more.
 */
const BOUND_INFLATION = 1 + 1e-7;

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

/** What a query may assume of a posting list without reading it (see `ListTable`). */
export interface ListBounds {
  readonly maxTf: number;
  readonly minLength: number;
  readonly impactMax: number;
  readonly impactAverage: number;
}

/**
 * A batch vocabulary's posting lists as `addFromBatch` resolves them, each on first use
 * (-1: not yet). Made by `batchLists`; valid until a removal empties a list, whose number
 * may then be handed to another term: `addFromBatch` starts it over then.
 */
export interface BatchLists {
  readonly numbers: Int32Array;
  era: number;
}

/** A query term and its weight (query term frequency × term-kind weight). */
export interface WeightedTerm {
  readonly term: string;
  readonly weight: number;
  /**
   * A synonym set (structured query translation): the members count as one term, `term`
   * being its label — BM25 over the set, with the summed term frequencies of the members
   * (each times its `weight`) and the document frequency of the most frequent member
   * (the union's, approximated from below) — so a word with many translations counts as
   * one word. See `planSynonymSet`.
   */
  readonly synonyms?: readonly WeightedTerm[];
}

/**
 * BM25's collection statistics over a whole collection that this index holds a part of
 * (a shard): document count, summed document length and each term's document frequency.
 * Queries use them instead of the index's own, so every shard scores as the whole would.
 */
export interface SharedStatistics {
  readonly documents: number;
  readonly totalLength: number;
  /**
   * Document frequency in the whole collection: asked for this index's own terms when shared,
   * and for a query's terms when a query is planned (which lexicon terms it keeps).
   */
  readonly documentFrequency: (term: string) => number | undefined;
}

/** Per-slot BM25 sums of one query, and the slots that got any. */
export interface TextScores {
  /** Indexed by slot; only `touched` slots are meaningful. */
  readonly scores: Float64Array;
  readonly touched: Int32Array;
  readonly touchedCount: number;
}

/** A term index's documents with their terms: see `TermIndex.documentTerms`. */
export interface DocumentTerms {
  readonly terms: readonly string[];
  /** Per slot, where its row starts in `numbers` and `tfs`; one entry more than there are slots. */
  readonly rowStart: Int32Array<ArrayBuffer>;
  readonly numbers: Int32Array<ArrayBuffer>;
  readonly tfs: Uint8Array<ArrayBuffer> | Float32Array<ArrayBuffer>;
}

/**
 * An inverted index over term-frequency maps with incremental add and remove. Documents
 * live in append-only slots, so every posting list stays sorted by slot and a removal is
 * a binary search and a shift; collection statistics stay exact, so add-then-remove
 * restores every score bit for bit. Postings are typed arrays: at 100k documents this is
 * a few bytes per posting instead of a JS number pair.
 */
export class TermIndex {
  /** `params`: the BM25 parameters queries will use, so each list can track its tightest bound. */
  constructor(private readonly params?: Bm25Params) {}

  /** Each term's posting list number in `table`. */
  private readonly postings = new Map<string, number>();
  private table = new ListTable();
  /** Lists given up so far (see `BatchLists`). */
  private listsReleased = 0;
  /** True once `trim()` has measured every list's impact; lists made later track theirs from the start. */
  private tracking = false;
  private pool = new PostingPool();
  private readonly slotById = new Map<string, number>();
  private ids: (string | undefined)[] = [];
  // Float64 like the running total, so add-then-remove restores the average exactly.
  private lengths = new Float64Array(1024);
  private totalLength = 0;
  private scratch = new Float64Array(0);
  private touched = new Int32Array(0);
  private synonymTf = new Float64Array(0);
  private synonymTouched = new Int32Array(0);
  /** A set's summed frequencies in first-touch order, beside `synonymTouched` (a union not kept is read from these two). */
  private synonymSums = new Float64Array(0);
  /** The query number whose `completedTo` a slot holds (query numbers stamp, so nothing is cleared between queries). */
  private completedIn = new Uint32Array(0);
  /** How many of that query's terms a slot's score holds, when completion went past the accumulated ones. */
  private completedTo = new Int32Array(0);
  private queryNumber = 0;
  /**
   * Bumped by every change to postings, lengths or statistics: a query plan made at another
   * version is made again.
   */
  private version = 0;
  /** Query plans by the caller's key (`queryFor`), with the version and parameters they were made at. */
  private readonly plans = new WeakMap<object, { readonly version: number; readonly params: Bm25Params; readonly plan: QueryPlan }>();

  get size(): number {
    return this.slotById.size;
  }

  /** Whole-collection statistics for queries (a shard), or undefined for the index's own. */
  private shared:
    | {
        readonly documents: number;
        readonly averageLength: number;
        readonly df: Map<string, number>;
        /** The whole collection's frequency of a term this index does not hold (query planning). */
        readonly elsewhere: (term: string) => number | undefined;
      }
    | undefined;

  /**
   * Makes queries score with the statistics of a whole collection this index is a part
   * of (a shard), or again with its own (`undefined`). Read once: a later change to either
   * side is not seen until this is called again. Bounds stay valid: they are measured on
   * the postings and corrected for another average length as for a grown one.
   */
  shareStatistics(statistics: SharedStatistics | undefined): void {
    this.version += 1;
    if (statistics === undefined) {
      this.shared = undefined;
      return;
    }
    // Only the terms a query here can reach: a shard holds a fraction of the vocabulary.
    const df = new Map<string, number>();
    for (const [term, list] of this.postings) df.set(term, Math.max(statistics.documentFrequency(term) ?? 0, this.table.length[list]!));
    this.shared = {
      documents: statistics.documents,
      averageLength: statistics.documents === 0 ? 0 : statistics.totalLength / statistics.documents,
      df,
      elsewhere: statistics.documentFrequency,
    };
  }

  /** Document count, summed length and document frequencies of this index alone. */
  ownStatistics(): { documents: number; totalLength: number; documentFrequency: Map<string, number> } {
    const documentFrequency = new Map<string, number>();
    for (const [term, list] of this.postings) documentFrequency.set(term, this.table.length[list]!);
    return { documents: this.slotById.size, totalLength: this.totalLength, documentFrequency };
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
    const list = this.postings.get(term);
    return list === undefined ? 0 : this.table.length[list]!;
  }

  add(id: string, terms: ReadonlyMap<string, number>, length: number): number {
    this.version += 1;
    const slot = this.openSlot(id, length);
    // After openSlot, which may have packed the pool: these postings are not packed.
    this.packed = false;
    for (const [term, tf] of terms) {
      // A field weighted 0 gives terms that count for nothing; indexed, a record could be
      // reached by a contribution of 0 and look untouched to the scoring loop.
      if (!(tf > 0)) continue;
      this.addPosting(this.listFor(term), slot, tf, length);
    }
    return slot;
  }

  private addPosting(list: number, slot: number, tf: number, length: number): void {
    const table = this.table;
    table.push(this.pool, list, slot, tf, length);
    if (table.impactAverage[list]! > 0) this.noteImpact(list, table.offset[list]! + table.length[list]! - 1, length);
  }

  /** A cache of posting lists for `addFromBatch`, one per term of a batch vocabulary of `size`. */
  batchLists(size: number): BatchLists {
    return { numbers: new Int32Array(size).fill(-1), era: this.listsReleased };
  }

  /**
   * Adds a document whose terms are given as references into a batch vocabulary: the
   * list of `vocabulary[termRefs[i]]` (resolved into `lists` on first use) gets `tfs[i]`,
   * for `i` in [start, end). A batch analysed elsewhere looks each distinct term up once,
   * not once per document.
   */
  addFromBatch(
    id: string,
    vocabulary: readonly string[],
    lists: BatchLists,
    termRefs: Int32Array,
    tfs: Float32Array,
    start: number,
    end: number,
    length: number,
  ): number {
    const slot = this.openSlot(id, length);
    this.packed = false;
    if (lists.era !== this.listsReleased) {
      lists.numbers.fill(-1);
      lists.era = this.listsReleased;
    }
    const numbers = lists.numbers;
    for (let i = start; i < end; i += 1) {
      if (!(tfs[i]! > 0)) continue;
      const ref = termRefs[i]!;
      let list = numbers[ref]!;
      if (list < 0) {
        list = this.listFor(vocabulary[ref]!);
        numbers[ref] = list;
      }
      this.addPosting(list, slot, tfs[i]!, length);
    }
    return slot;
  }

  private openSlot(id: string, length: number): number {
    if (this.slotById.has(id)) throw new Error(`document ${id} is already indexed`);
    // `addFromBatch` comes here too: every new document is a change.
    this.version += 1;
    const slot = this.ids.length;
    this.ids.push(id);
    if (slot === this.lengths.length) {
      const lengths = new Float64Array(slot * 2);
      lengths.set(this.lengths);
      this.lengths = lengths;
    }
    this.lengths[slot] = length;
    this.slotById.set(id, slot);
    if (this.roomless) this.repack();
    // Incremental changes abandon blocks; repack once they outweigh the live postings.
    if (this.pool.wasted > (1 << 20) && this.pool.wasted > this.pool.used - this.pool.wasted) this.trim();
    this.totalLength += length;
    return slot;
  }

  private listFor(term: string): number {
    let list = this.hot.get(term);
    if (list !== undefined) return list;
    if (++this.sinceHot >= this.hotEvery) this.chooseHot();
    list = this.postings.get(term);
    if (list === undefined) {
      list = this.table.open(this.tracking && this.params !== undefined && this.averageLength > 0 ? this.averageLength : 0);
      this.postings.set(detached(term), list);
    }
    return list;
  }

  /**
   * The most frequent terms' lists, looked up before `postings`: a lookup in the whole
   * map (90k terms at 100k documents, ~4 MB) misses the processor's caches, and most
   * postings are of a few thousand terms. Chosen again by document frequency after a
   * growing number of look-ups that missed it.
   */
  private hot = new Map<string, number>();
  private sinceHot = 0;
  private hotEvery = 1 << 12;

  private chooseHot(): void {
    this.sinceHot = 0;
    this.hotEvery = Math.min(this.hotEvery * 2, 1 << 22);
    const table = this.table;
    const counts: number[] = [];
    for (const list of this.postings.values()) counts.push(table.length[list]!);
    if (counts.length <= HOT_TERMS) {
      this.hot = new Map(this.postings);
      return;
    }
    counts.sort((a, b) => b - a);
    const least = Math.max(2, counts[HOT_TERMS - 1]!);
    const hot = new Map<string, number>();
    for (const [term, list] of this.postings) if (table.length[list]! >= least && hot.size < HOT_TERMS) hot.set(term, list);
    this.hot = hot;
  }

  /** Raises `list`'s impact bound for the posting at `at` (a document of `length`). */
  private noteImpact(list: number, at: number, length: number): void {
    const { k1, b } = this.params!;
    const tf = this.pool.tfs[at]! * TF_PER_UNIT;
    const impact = tf / (tf + k1 * (1 - b) + ((k1 * b) / this.table.impactAverage[list]!) * length);
    if (impact > this.table.impactMax[list]!) this.table.impactMax[list] = impact;
  }

  /**
   * Fills an empty index in one pass from packed posting lists, as they were when the
   * lists were read out with `postingLists()`: `ids[slot]` with `lengths[slot]`; term
   * `vocabulary[t]` has the postings [listOffsets[t], listOffsets[t + 1]) of `slots` and
   * `tfs`, and the bounds `bounds.*[t]`. The caller vouches that each list holds ascending
   * slots below `ids.length` (a snapshot checks that as it decodes them): at 100k documents
   * a pass over the ~11M postings to check or measure them again was a fifth of a start.
   * The index keeps `ids`, `slots` (its low bits and block starts) and `tfs` themselves
   * (the caller hands them over; the arrays may be shared memory a preload thread filled).
   */
  loadPacked(packed: {
    readonly ids: (string | undefined)[];
    readonly lengths: Float64Array;
    readonly vocabulary: readonly string[];
    readonly listOffsets: Int32Array;
    readonly slots: PackedSlots;
    readonly tfs: Uint8Array | Float32Array;
    readonly bounds: PackedBounds;
  }): void {
    if (this.ids.length > 0) throw new Error('loadPacked needs an empty index');
    this.version += 1;
    const { ids, vocabulary, listOffsets, slots, tfs, bounds } = packed;
    const terms = vocabulary.length;
    if (
      listOffsets.length !== terms + 1 ||
      listOffsets[0] !== 0 ||
      listOffsets[terms] !== slots.low.length ||
      tfs.length !== slots.low.length ||
      slots.firstBlocks.length !== terms ||
      slots.blockStartOffsets.length !== terms + 1 ||
      slots.blockStartOffsets[terms] !== slots.blockStarts.length
    ) {
      throw new Error('the posting sections disagree');
    }
    if (bounds.maxTf.length !== terms || bounds.minLength.length !== terms || bounds.impactMax.length !== terms || bounds.impactAverage.length !== terms) {
      throw new Error('the posting bounds do not match the lists');
    }
    const n = ids.length;
    this.lengths = new Float64Array(Math.max(1024, n));
    this.lengths.set(packed.lengths.subarray(0, n));
    this.ids = ids;
    // Summed in slot order, as a build adds them, so the average is the same to the last bit.
    for (let slot = 0; slot < n; slot += 1) {
      this.slotById.set(ids[slot]!, slot);
      this.totalLength += this.lengths[slot]!;
    }
    const total = slots.low.length;
    let bytes = true;
    for (let i = 0; i < total && !(tfs instanceof Uint8Array); i += 1) {
      const tf = tfs[i]!;
      if (!(tf >= 0 && tf <= 255 && Math.floor(tf) === tf)) {
        bytes = false;
        break;
      }
    }
    const pool = new PostingPool();
    pool.spacious = false;
    if (total >= 1024) {
      pool.low = slots.low;
      pool.tfs = bytes && !(tfs instanceof Uint8Array) ? Uint8Array.from(tfs) : tfs;
    } else {
      pool.low = new Uint16Array(1024);
      pool.low.set(slots.low);
      pool.tfs = bytes ? new Uint8Array(1024) : new Float32Array(1024);
      pool.tfs.set(tfs);
    }
    pool.used = total;
    this.pool = pool;
    for (let t = 0; t < terms; t += 1) {
      if (!(listOffsets[t + 1]! > listOffsets[t]!)) throw new Error(`posting list ${t} is empty or out of order`);
      this.postings.set(vocabulary[t]!, t);
    }
    this.table = ListTable.packed(listOffsets, slots, bounds);
    this.roomless = total >= 1024;
    this.tracking = this.params !== undefined && this.averageLength > 0;
    this.packed = true;
  }

  /**
   * The bounds a build measures for a list: postings `documents[0, count)` with the stored
   * term frequencies (`TF_UNITS` per unit) `tfs[at, at + count)`, over documents of `lengths[document]`, in an index whose documents average
   * `average` in length. A snapshot stores them so a restore need not measure them.
   */
  measureBounds(documents: Int32Array, tfs: ArrayLike<number>, at: number, count: number, lengths: Float64Array, average: number): ListBounds {
    const impacts = this.params !== undefined && average > 0;
    const base = impacts ? this.params.k1 * (1 - this.params.b) : 0;
    const perLength = impacts ? (this.params.k1 * this.params.b) / average : 0;
    let maxTf = 0;
    let minLength = Infinity;
    let impactMax = 0;
    for (let j = 0; j < count; j += 1) {
      const tf = tfs[at + j]! * TF_PER_UNIT;
      const length = lengths[documents[j]!]!;
      if (tf > maxTf) maxTf = tf;
      if (length < minLength) minLength = length;
      if (impacts) {
        const impact = tf / (tf + base + perLength * length);
        if (impact > impactMax) impactMax = impact;
      }
    }
    return { maxTf, minLength, impactMax, impactAverage: impacts ? average : 0 };
  }

  /** True while the pool is as `trim()` leaves it: a bulk load needs no second packing. */
  private packed = false;

  /** Removes a document; `terms` are the terms it was added with. */
  remove(id: string, terms: Iterable<string>): boolean {
    const slot = this.slotById.get(id);
    if (slot === undefined) return false;
    this.version += 1;
    this.packed = false;
    for (const term of terms) {
      const list = this.postings.get(term);
      if (list !== undefined && this.table.delete(this.pool, list, slot) && this.table.length[list] === 0) {
        this.table.release(this.pool, list);
        this.listsReleased += 1;
        this.postings.delete(term);
        this.hot.delete(term);
      }
    }
    this.totalLength -= this.lengths[slot]!;
    this.lengths[slot] = 0;
    this.slotById.delete(id);
    this.ids[slot] = undefined;
    return true;
  }

  /** Starts a bulk build into the index: the pool and its lists double as they fill, until `trim()`. */
  beginBulk(): void {
    this.pool.spacious = true;
  }

  /** Packs every posting list into a fresh pool, long ones with a little room; call after a bulk build. */
  trim(): void {
    if (this.packed) {
      this.pool.spacious = false;
      return;
    }
    this.version += 1;
    this.repack();
    this.measureImpacts();
    this.packed = true;
  }

  /** Copies every list into a fresh pool with the room `trim()` leaves; bounds are untouched. */
  private repack(): void {
    this.roomless = false;
    const table = this.table;
    // Long lists keep a sixteenth spare: a list is moved to the end of the pool when it is
    // full, and the first adds after a build would otherwise move every long list they
    // reach (~3.7M postings for the first company at 100k), leaving the old blocks as waste.
    const room = (length: number): number => (length >= 1024 ? length >> 4 : 0);
    let total = 0;
    for (const list of this.postings.values()) total += table.length[list]! + room(table.length[list]!);
    const pool = new PostingPool();
    // And the pool a little room at its end, for the lists that do move (~0.5 MB at 100k).
    pool.low = new Uint16Array(Math.max(total + (total >> 6), 1024));
    pool.spacious = false;
    pool.tfs = this.pool.tfs instanceof Uint8Array ? new Uint8Array(pool.low.length) : new Float32Array(pool.low.length);
    for (const list of this.postings.values()) {
      const from = table.offset[list]!;
      const length = table.length[list]!;
      pool.low.set(this.pool.low.subarray(from, from + length), pool.used);
      pool.tfs.set(this.pool.tfs.subarray(from, from + length), pool.used);
      table.offset[list] = pool.used;
      table.capacity[list] = length + room(length);
      pool.used += length + room(length);
    }
    table.compactRuns(this.postings.values());
    table.fit();
    this.pool = pool;
  }

  /**
   * True after `loadPacked` until the first add: a loaded pool is the decoder's array,
   * every list exactly full, and the first add after a restore at 100k moved every long
   * list it reached and grew the pool twice (11.1M → 17.3M postings). It repacks the
   * pool with `trim()`'s room instead (~0.1 s once, the bounds kept as loaded).
   */
  private roomless = false;

  /**
   * Reads lists' slots into one scratch array, grown as needed: each result holds the list's
   * slots in `[0, length)` and is valid until the next read.
   */
  private listReader(): (list: number) => Int32Array {
    let slots = new Int32Array(1024);
    return (list) => {
      const length = this.table.length[list]!;
      if (slots.length < length) slots = new Int32Array(Math.max(length, 2 * slots.length));
      this.table.decode(this.pool.low, list, slots);
      return slots;
    };
  }

  /** Measures every list's impact bound at the current average length (one pass over the postings). */
  private measureImpacts(): void {
    if (this.params === undefined || this.averageLength === 0) return;
    const average = this.averageLength;
    const tfs = this.pool.tfs;
    const table = this.table;
    const slotsOf = this.listReader();
    for (const list of this.postings.values()) {
      const length = table.length[list]!;
      const documents = slotsOf(list);
      // Only the impact: a list's highest tf and shortest document are never lowered.
      const { impactMax } = this.measureBounds(documents, tfs, table.offset[list]!, length, this.lengths, average);
      table.impactMax[list] = impactMax;
      table.impactAverage[list] = average;
    }
    this.tracking = true;
  }

  /**
   * Every posting list as it stands (term, slots ascending, term frequencies as stored, in
   * `TF_UNITS` per unit), and
   * the document length of a slot: what a snapshot needs to re-create each document's terms
   * without analysing its text again. The slots are decoded into an array of their own.
   */
  *postingLists(): Generator<{ term: string; slots: Int32Array; tfs: Uint8Array | Float32Array }> {
    const table = this.table;
    for (const [term, list] of this.postings) {
      const length = table.length[list]!;
      const slots = new Int32Array(length);
      table.decode(this.pool.low, list, slots);
      yield { term, slots, tfs: this.pool.tfs.subarray(table.offset[list]!, table.offset[list]! + length) };
    }
  }

  /**
   * Every document's indexed terms (a forward index), read off the posting lists: row
   * `slot` is `[rowStart[slot], rowStart[slot + 1])` of `numbers` (indexes into `terms`)
   * and `tfs`, in list order. What a duplicate check needs of every record at a start from
   * a snapshot, in ~0.3 s at 100k documents instead of analysing each text again (~20 s).
   */
  documentTerms(): DocumentTerms {
    const table = this.table;
    const slotCount = this.ids.length;
    const rowStart = new Int32Array(slotCount + 1);
    const slotsOf = this.listReader();
    for (const list of this.postings.values()) {
      const slots = slotsOf(list);
      for (let p = 0, length = table.length[list]!; p < length; p += 1) {
        const row = slots[p]! + 1;
        rowStart[row] = rowStart[row]! + 1;
      }
    }
    for (let slot = 0; slot < slotCount; slot += 1) rowStart[slot + 1] = rowStart[slot + 1]! + rowStart[slot]!;
    const total = rowStart[slotCount]!;
    const numbers = new Int32Array(total);
    const pooled = this.pool.tfs;
    // In stored units first, then as term frequencies: bytes while every one is whole.
    const units = pooled instanceof Uint8Array ? new Uint8Array(total) : new Float32Array(total);
    const next = rowStart.slice(0, slotCount);
    const terms: string[] = [];
    for (const [term, list] of this.postings) {
      const number = terms.length;
      terms.push(term);
      const offset = table.offset[list]!;
      const slots = slotsOf(list);
      for (let p = 0, length = table.length[list]!; p < length; p += 1) {
        const at = next[slots[p]!]!++;
        numbers[at] = number;
        units[at] = pooled[offset + p]!;
      }
    }
    let whole = units instanceof Uint8Array;
    for (let i = 0; i < total && whole; i += 1) whole = Number.isInteger(units[i]! * TF_PER_UNIT);
    const tfs = whole ? units : new Float32Array(total);
    for (let i = 0; i < total; i += 1) tfs[i] = units[i]! * TF_PER_UNIT;
    return { terms, rowStart, numbers, tfs };
  }

  /** The terms of each document in `slots`, read off the posting lists in one pass. */
  termsOfSlots(slots: ReadonlySet<number>): Map<number, string[]> {
    const terms = new Map<number, string[]>();
    if (slots.size === 0) return terms;
    const slotsOf = this.listReader();
    for (const [term, list] of this.postings) {
      const decoded = slotsOf(list);
      for (let p = 0, length = this.table.length[list]!; p < length; p += 1) {
        const slot = decoded[p]!;
        if (!slots.has(slot)) continue;
        const own = terms.get(slot);
        if (own === undefined) terms.set(slot, [term]);
        else own.push(term);
      }
    }
    return terms;
  }

  get termCount(): number {
    return this.postings.size;
  }

  lengthAt(slot: number): number {
    return this.lengths[slot]!;
  }

  /** Robertson–Spärck Jones IDF with +1 inside the log (Lucene's form: never negative). */
  idf(term: string): number {
    return this.idfOf(this.collectionFrequency(term));
  }

  /** A term's document frequency in the whole collection (for a shard, the collection's figure). */
  collectionFrequency(term: string): number {
    const shared = this.shared;
    // A shard plans a query as the whole collection would, or shards would keep different terms.
    if (shared !== undefined) return shared.df.get(term) ?? shared.elsewhere(term) ?? 0;
    return this.documentFrequency(term);
  }

  private idfOf(df: number): number {
    const n = this.shared?.documents ?? this.slotById.size;
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  }

  /**
   * Starts scoring a query (see `TextQuery`). The scratch arrays are shared by every query
   * of this index, so only the newest query's scores are valid.
   */
  query(terms: readonly WeightedTerm[], params: Bm25Params): TextQuery {
    return this.start(this.plan(terms, params));
  }

  /**
   * `query(terms(), params)`, with the plan (lists, factors, bounds, order) kept for `key`
   * until the index changes: a record ranked again, as the service's stored needs are,
   * skips choosing and planning its terms.
   */
  queryFor(key: object, terms: () => readonly WeightedTerm[], params: Bm25Params): TextQuery {
    let cached = this.plans.get(key);
    if (cached === undefined || cached.version !== this.version || cached.params !== params) {
      cached = { version: this.version, params, plan: this.plan(terms(), params) };
      this.plans.set(key, cached);
    }
    return this.start(cached.plan);
  }

  /** The query's scratch arrays cleared, and its scoring started over `plan`. */
  private start(plan: QueryPlan): TextQuery {
    const slots = this.ids.length;
    if (this.scratch.length < slots) {
      this.scratch = new Float64Array(Math.max(slots, this.scratch.length * 2));
      this.touched = new Int32Array(this.scratch.length);
      this.completedIn = new Uint32Array(this.scratch.length);
      this.completedTo = new Int32Array(this.scratch.length);
      this.queryNumber = 0;
    }
    this.queryNumber += 1;
    if (this.queryNumber === 0xffffffff) {
      this.completedIn.fill(0);
      this.queryNumber = 1;
    }
    // Clearing only the touched slots is random access; past an eighth of them a
    // sequential fill of the whole array is cheaper.
    if (this.touchedCountOfLastCall > this.scratch.length >> 3) this.scratch.fill(0);
    else for (let i = 0; i < this.touchedCountOfLastCall; i += 1) this.scratch[this.touched[i]!] = 0;
    this.touchedCountOfLastCall = 0;
    return new TextQuery(this, plan.terms, plan.base, plan.perLength);
  }

  /**
   * The terms' posting lists, BM25 factors and bounds, in the order a query accumulates them,
   * with the length normalisation they were planned at.
   */
  private plan(terms: readonly WeightedTerm[], params: Bm25Params): QueryPlan {
    const { k1, b } = params;
    const shared = this.shared;
    const avg = (shared === undefined ? this.averageLength : shared.averageLength) || 1;
    const base = k1 * (1 - b);
    const perLength = (k1 * b) / avg;
    const table = this.table;
    const planned: PlannedTerm[] = [];
    for (const { term, weight, synonyms } of terms) {
      if (synonyms !== undefined) {
        const set = this.planSynonymSet(term, weight, synonyms, params, avg);
        if (set !== undefined) planned.push(set);
        continue;
      }
      const list = this.postings.get(term);
      const df = list === undefined ? 0 : table.length[list]!;
      if (list === undefined || df === 0 || weight <= 0) continue;
      const collectionDf = shared === undefined ? df : (shared.df.get(term) ?? df);
      const factor = this.idfOf(collectionDf) * weight * (k1 + 1);
      const maxTf = table.maxTf[list]!;
      let bound = (factor * maxTf) / (maxTf + base + perLength * table.minLength[list]!);
      const impact = this.impactBound(list, factor, params, avg);
      if (impact !== undefined) bound = Math.min(bound, impact);
      bound *= BOUND_INFLATION;
      planned.push({ term, list, factor, bound, yield: factor / collectionDf });
    }
    // Most score per posting read first (IDF × weight over document frequency): MaxScore
    // stops once the terms left can no longer lift an untouched record into the top, and
    // what it then skips is read only for the few candidates. Ordered by IDF × weight
    // alone, a long query's moderate terms with long lists (a Chinese need's common English
    // synonym sets, concepts held by a tenth of the register) came before its rare words'
    // short lists and were read whole. Collection statistics only: the bounds only ever
    // grow (a removal never lowers them), so ordering by them would make the summation
    // order, and the last bit of a score, depend on the index's history.
    planned.sort((x, y) => y.yield - x.yield || (x.term < y.term ? -1 : x.term > y.term ? 1 : 0));
    return { terms: planned, base, perLength };
  }

  /**
   * `multiplier` × the most `list`'s term can saturate to at average length `avg`, from its
   * measured impact; undefined when the list tracks none for `params`. Measured at another
   * average length: a longer average can raise an impact by at most their ratio, a shorter
   * one only lowers it.
   */
  private impactBound(list: number, multiplier: number, params: Bm25Params, avg: number): number | undefined {
    const { impactMax, impactAverage } = this.table;
    if (!(impactAverage[list]! > 0) || this.params === undefined || this.params.k1 !== params.k1 || this.params.b !== params.b) return undefined;
    return multiplier * impactMax[list]! * Math.max(1, avg / impactAverage[list]!);
  }

  /**
   * A synonym set as one query term. Its bound: the saturation `s / (s + K)` is concave
   * and 0 at 0, so that of a sum of term frequencies is at most the sum of the members'
   * (each bounded as a single term is, its multiplier at most 1), and below 1.
   */
  private planSynonymSet(label: string, weight: number, synonyms: readonly WeightedTerm[], params: Bm25Params, avg: number): PlannedTerm | undefined {
    if (!(weight > 0)) return undefined;
    const { k1, b } = params;
    const base = k1 * (1 - b);
    const perLength = (k1 * b) / avg;
    const shared = this.shared;
    const table = this.table;
    const lists: number[] = [];
    const scales: number[] = [];
    const names: string[] = [];
    let df = 0;
    let collectionPostings = 0;
    let unitBound = 0;
    for (const { term, weight: scale } of synonyms) {
      const list = this.postings.get(term);
      const ownDf = list === undefined ? 0 : table.length[list]!;
      const memberDf = shared === undefined ? ownDf : (shared.df.get(term) ?? shared.elsewhere(term) ?? 0);
      if (memberDf > df) df = memberDf;
      // Counted from the collection's figures alone, so every shard orders a query alike.
      if (scale > 0) collectionPostings += memberDf;
      if (list === undefined || ownDf === 0 || !(scale > 0)) continue;
      const maxTf = table.maxTf[list]! * scale;
      let unit = maxTf / (maxTf + base + perLength * table.minLength[list]!);
      const impact = scale <= 1 ? this.impactBound(list, 1, params, avg) : undefined;
      if (impact !== undefined) unit = Math.min(unit, impact);
      unitBound += unit;
      lists.push(list);
      scales.push(scale);
      names.push(term);
    }
    if (lists.length === 0) return undefined;
    const factor = this.idfOf(Math.max(df, 1)) * weight * (k1 + 1);
    return {
      term: label,
      list: lists[0]!,
      factor,
      bound: factor * Math.min(1, unitBound) * BOUND_INFLATION,
      yield: factor / Math.max(collectionPostings, 1),
      synonyms: { lists: Int32Array.from(lists), scales: Float64Array.from(scales), terms: names, key: `${lists.join(',')}|${scales.join(',')}` },
    };
  }

  /**
   * @internal Each document's BM25 length normalisation, `base + perLength · length`, kept
   * while the index and the parameters stand still: a posting then costs one add and one
   * divide. Floats, not doubles: the accumulation reads one per posting, at random, and at
   * 100k records half the bytes stay in cache better (ranking ×0.95–×0.99 at 100k; scores
   * move in the seventh digit, so bounds carry `BOUND_INFLATION`). Summed as `tf + norm`
   * everywhere a score is made (accumulated, completed, explained), so every path gives
   * the same bits. Written over in place only for the same parameters after a change of
   * the index, which no query outlives; other parameters get an array of their own, so a
   * query planned with them keeps reading its values.
   */
  normsFor(base: number, perLength: number): Float32Array {
    const cached = this.norms;
    const sameParameters = cached !== undefined && cached.base === base && cached.perLength === perLength;
    if (sameParameters && cached.version === this.version && cached.values.length >= this.ids.length) return cached.values;
    const lengths = this.lengths;
    const values = sameParameters && cached.values.length === lengths.length ? cached.values : new Float32Array(lengths.length);
    for (let slot = 0; slot < this.ids.length; slot += 1) values[slot] = base + perLength * lengths[slot]!;
    this.norms = { version: this.version, base, perLength, values };
    return values;
  }

  private norms: { readonly version: number; readonly base: number; readonly perLength: number; readonly values: Float32Array } | undefined;

  /** @internal The pieces a `TextQuery` reads and writes. */
  get internals() {
    return {
      pool: this.pool,
      table: this.table,
      scores: this.scratch,
      touched: this.touched,
      completedIn: this.completedIn,
      completedTo: this.completedTo,
      queryNumber: this.queryNumber,
      version: this.version,
    };
  }

  /**
   * @internal Per-document scratch for summing a synonym set's members (all zero between
   * sets), made on the first set a query accumulates: an index without the lexicon never
   * needs it.
   */
  synonymScratch(): { readonly tf: Float64Array; readonly touched: Int32Array; readonly sums: Float64Array } {
    if (this.synonymTf.length < this.ids.length) {
      this.synonymTf = new Float64Array(Math.max(this.ids.length, this.synonymTf.length * 2));
      this.synonymTouched = new Int32Array(this.synonymTf.length);
      this.synonymSums = new Float64Array(this.synonymTf.length);
    }
    return { tf: this.synonymTf, touched: this.synonymTouched, sums: this.synonymSums };
  }

  /**
   * @internal The union of a synonym set's member lists with each record's summed, scaled
   * term frequency, in first-touch order, as `accumulateSynonyms` sums them: kept for sets
   * of at least `SYNONYM_UNION_MIN` postings (the common English sets a Chinese need's
   * translations share, up to 61k postings at 100k companies, recur from query to query)
   * until the index changes, within `SYNONYM_UNION_BYTES`, least recently used dropped first.
   */
  synonymUnion(key: string): SynonymUnion | undefined {
    if (this.unionsVersion !== this.version) {
      this.unions.clear();
      this.unionBytes = 0;
      this.unionsVersion = this.version;
      return undefined;
    }
    const union = this.unions.get(key);
    if (union !== undefined) {
      this.unions.delete(key);
      this.unions.set(key, union);
    }
    return union;
  }

  /** @internal Keeps a union `synonymUnion` did not have, summed from the index as it was at `version`. */
  keepSynonymUnion(key: string, union: SynonymUnion, version: number): void {
    const bytes = unionBytes(key, union);
    if (version !== this.version || this.unionsVersion !== this.version || bytes > SYNONYM_UNION_BYTES) return;
    for (const [oldest, dropped] of this.unions) {
      if (this.unionBytes + bytes <= SYNONYM_UNION_BYTES) break;
      this.unions.delete(oldest);
      this.unionBytes -= unionBytes(oldest, dropped);
    }
    this.unions.set(key, union);
    this.unionBytes += bytes;
  }

  private readonly unions = new Map<string, SynonymUnion>();
  private unionBytes = 0;
  private unionsVersion = -1;

  /** @internal */
  noteTouched(count: number): void {
    this.touchedCountOfLastCall = count;
  }

  /** BM25 of a whole query over every document, exhaustively. */
  score(terms: readonly WeightedTerm[], params: Bm25Params): TextScores {
    const query = this.query(terms, params);
    while (query.processed < query.termCount) query.accumulateNext();
    return query;
  }

  private touchedCountOfLastCall = 0;
}

/** Synonym sets with fewer postings are summed afresh each time: a kept union would save little. */
export const SYNONYM_UNION_MIN = 1024;
/** What the kept synonym-set unions may hold, per index: ~1.4M postings. */
export const SYNONYM_UNION_BYTES = 16 * 2 ** 20;

/** A synonym set's records (first touch order) and their summed term frequencies. */
export interface SynonymUnion {
  readonly slots: Int32Array;
  readonly tf: Float64Array;
}

/** What a kept union holds: its arrays, its key's UTF-16 units and the entry. */
function unionBytes(key: string, union: SynonymUnion): number {
  return union.slots.byteLength + union.tf.byteLength + 2 * key.length + 64;
}

/** A query's planned terms and BM25's length normalisation (`k1(1 − b)`, `k1·b / average length`) at planning. */
interface QueryPlan {
  readonly terms: readonly PlannedTerm[];
  readonly base: number;
  readonly perLength: number;
}

interface PlannedTerm {
  readonly term: string;
  /** Its list's number in the index's `ListTable`. */
  readonly list: number;
  /** idf × query weight × (k1 + 1). */
  readonly factor: number;
  /** The most this term can add to any document's score. */
  readonly bound: number;
  /** `factor` per posting in the collection: what reading its list(s) buys, the query's order. */
  readonly yield: number;
  /** A synonym set's member lists (`list` is the first) and term-frequency multipliers. */
  readonly synonyms?: {
    readonly lists: Int32Array;
    readonly scales: Float64Array;
    readonly terms: readonly string[];
    /** Its lists and scales: the key of its kept union. */
    readonly key: string;
  };
}

/**
 * One query's BM25 scores, built term by term, the most IDF × weight per posting first
 * (the lists that buy most for what they cost to read). The caller accumulates terms at a time into the shared
 * scratch array while new documents may still matter; once `remainingBound` is too small
 * for a document that has none of the terms so far to reach the top, it stops and
 * completes only the candidates it still needs, by binary search in the remaining (long,
 * low-IDF) posting lists instead of reading them whole. Every document sums its terms
 * in the same order either way, so a completed score is bit for bit the exhaustive one.
 */
export class TextQuery implements TextScores {
  readonly scores: Float64Array;
  readonly touched: Int32Array;
  touchedCount = 0;
  private readonly completedIn: Uint32Array;
  private readonly completedTo: Int32Array;
  private readonly number: number;
  // The index's arrays as they are when the query starts; a query ends before the index changes.
  private readonly pool: PostingPool;
  private readonly table: ListTable;
  /** Each document's `base + perLength · length` (`TermIndex.normsFor`). */
  private readonly norms: Float32Array;
  /** Terms accumulated so far. */
  processed = 0;
  /** The highest accumulated score so far. */
  best = 0;
  private readonly remaining: Float64Array;
  /** The index's version when this query started: a union summed here is kept only for it. */
  private readonly indexVersion: number;

  constructor(
    private readonly index: TermIndex,
    private readonly terms: readonly PlannedTerm[],
    base: number,
    perLength: number,
  ) {
    const { scores, touched, completedIn, completedTo, queryNumber, pool, table, version } = index.internals;
    this.indexVersion = version;
    this.pool = pool;
    this.table = table;
    this.norms = index.normsFor(base, perLength);
    this.scores = scores;
    this.touched = touched;
    this.completedIn = completedIn;
    this.completedTo = completedTo;
    this.number = queryNumber;
    this.remaining = new Float64Array(terms.length + 1);
    for (let i = terms.length - 1; i >= 0; i -= 1) this.remaining[i] = this.remaining[i + 1]! + terms[i]!.bound;
  }

  get termCount(): number {
    return this.terms.length;
  }

  /** The most the terms not yet accumulated can add to any document. */
  get remainingBound(): number {
    return this.remaining[this.processed]!;
  }

  /** Adds the next term's contribution to every document in its posting list. */
  accumulateNext(): void {
    const { list, factor, synonyms } = this.terms[this.processed]!;
    if (synonyms !== undefined) {
      this.accumulateSynonyms(factor, synonyms);
      return;
    }
    const { pool, table, norms, scores, touched } = this;
    const low = pool.low;
    const tfs = pool.tfs;
    let count = this.touchedCount;
    let best = this.best;
    let p = table.offset[list]!;
    // One run per slot block (one below 65,536 documents).
    for (let run = 0, runs = table.runCount(list); run < runs; run += 1) {
      const block = table.runBase(list, run);
      for (const end = table.runEnd(list, run); p < end; p += 1) {
        const slot = block + low[p]!;
        const tf = tfs[p]! * TF_PER_UNIT;
        const before = scores[slot]!;
        if (before === 0) touched[count++] = slot;
        const after = before + (factor * tf) / (tf + norms[slot]!);
        scores[slot] = after;
        if (after > best) best = after;
      }
    }
    this.finishTerm(count, best);
  }

  /**
   * A synonym set's contribution to every document in the union of its members' lists,
   * saturated once per document from the summed term frequencies (kept or summed now).
   */
  private accumulateSynonyms(factor: number, synonyms: NonNullable<PlannedTerm['synonyms']>): void {
    const union = this.index.synonymUnion(synonyms.key) ?? this.sumSynonyms(synonyms);
    const { norms, scores, touched } = this;
    const { slots, tf: tfs } = union;
    let count = this.touchedCount;
    let best = this.best;
    for (let j = 0; j < slots.length; j += 1) {
      const slot = slots[j]!;
      const tf = tfs[j]!;
      const before = scores[slot]!;
      if (before === 0) touched[count++] = slot;
      const after = before + (factor * tf) / (tf + norms[slot]!);
      scores[slot] = after;
      if (after > best) best = after;
    }
    this.finishTerm(count, best);
  }

  /** Records a term accumulated: the touched count and best score it left. */
  private finishTerm(touchedCount: number, best: number): void {
    this.touchedCount = touchedCount;
    this.best = best;
    this.processed += 1;
    this.index.noteTouched(touchedCount);
  }

  /**
   * The union of a synonym set's lists, each member's scaled term frequencies summed per
   * record in member order (as `contribution` sums them, so the two agree to the bit). One
   * pass per list, where a merge of the lists looked at every member for every record.
   */
  private sumSynonyms({ lists, scales, key }: NonNullable<PlannedTerm['synonyms']>): SynonymUnion {
    const { pool, table } = this;
    const low = pool.low;
    const tfs = pool.tfs;
    const { tf: setTf, touched: setTouched, sums } = this.index.synonymScratch();
    let setCount = 0;
    for (let i = 0; i < lists.length; i += 1) {
      const list = lists[i]!;
      const scale = scales[i]!;
      let p = table.offset[list]!;
      for (let run = 0, runs = table.runCount(list); run < runs; run += 1) {
        const block = table.runBase(list, run);
        for (const end = table.runEnd(list, run); p < end; p += 1) {
          const slot = block + low[p]!;
          const before = setTf[slot]!;
          if (before === 0) setTouched[setCount++] = slot;
          setTf[slot] = before + scale * (tfs[p]! * TF_PER_UNIT);
        }
      }
    }
    for (let j = 0; j < setCount; j += 1) {
      const slot = setTouched[j]!;
      sums[j] = setTf[slot]!;
      setTf[slot] = 0;
    }
    // Views of the scratch, read at once by the caller; only a union that is kept is copied.
    const union = { slots: setTouched.subarray(0, setCount), tf: sums.subarray(0, setCount) };
    if (setCount < SYNONYM_UNION_MIN) return union;
    const kept = { slots: union.slots.slice(), tf: union.tf.slice() };
    this.index.keepSynonymUnion(key, kept, this.indexVersion);
    return kept;
  }

  /** True when every term has been added to the score in `slot`. */
  isFinished(slot: number): boolean {
    return this.processed === this.terms.length || this.termsIn(slot) === this.terms.length;
  }

  /** How many terms (in query order) the score in `slot` holds, if it has any: all accumulated ones, or as far as completion took it. */
  private termsIn(slot: number): number {
    return this.completedIn[slot] === this.number ? this.completedTo[slot]! : this.processed;
  }

  /**
   * The term at position `at` of this query's order; for a synonym set, its label, or with
   * `slot` the member that gives that document the most (what an explanation shows).
   */
  termAt(at: number, slot?: number): string {
    const { term, synonyms } = this.terms[at]!;
    if (synonyms === undefined || slot === undefined) return term;
    return this.explainedContribution(at, slot).term;
  }

  /**
   * `contribution(at, slot)` with `termAt(at, slot)`, from one lookup per list: what an
   * explanation reads of every term (the two apart looked a synonym set's lists up twice).
   */
  explainedContribution(at: number, slot: number): { readonly term: string; readonly value: number } {
    const { term, list, factor, synonyms } = this.terms[at]!;
    const { pool, table } = this;
    const saturated = (tf: number): number => (factor * tf) / (tf + this.norms[slot]!);
    if (synonyms === undefined) {
      const found = table.find(pool.low, list, slot);
      return { term, value: found < 0 ? 0 : saturated(pool.tfs[found]! * TF_PER_UNIT) };
    }
    let tf = 0;
    let shown = term;
    let most = 0;
    for (let i = 0; i < synonyms.lists.length; i += 1) {
      const found = table.find(pool.low, synonyms.lists[i]!, slot);
      if (found < 0) continue;
      const memberTf = synonyms.scales[i]! * (pool.tfs[found]! * TF_PER_UNIT);
      tf += memberTf;
      if (memberTf > most) {
        most = memberTf;
        shown = synonyms.terms[i]!;
      }
    }
    return { term: shown, value: tf === 0 ? 0 : saturated(tf) };
  }

  /** What term `at` (in this query's order) adds to the document in `slot`: 0 when absent. */
  contribution(at: number, slot: number): number {
    const { list, factor, synonyms } = this.terms[at]!;
    if (synonyms !== undefined) {
      let tf = 0;
      for (let i = 0; i < synonyms.lists.length; i += 1) {
        const found = this.table.find(this.pool.low, synonyms.lists[i]!, slot);
        if (found >= 0) tf += synonyms.scales[i]! * (this.pool.tfs[found]! * TF_PER_UNIT);
      }
      return tf === 0 ? 0 : (factor * tf) / (tf + this.norms[slot]!);
    }
    const found = this.table.find(this.pool.low, list, slot);
    if (found < 0) return 0;
    const tf = this.pool.tfs[found]! * TF_PER_UNIT;
    return (factor * tf) / (tf + this.norms[slot]!);
  }

  /**
   * Adds the terms not yet in the score in `slot` to it, in query order, until it is
   * finished — or until, before some term, the score so far plus the most the rest can
   * add falls below `atLeast`: then it stops, keeps the score partial and returns false.
   * A later call goes on from there, so a record given up against one bar (the best text)
   * costs nothing twice when it is held against another (the heap's floor).
   */
  complete(slot: number, atLeast = -Infinity): boolean {
    let value = this.scores[slot]!;
    let t = this.termsIn(slot);
    for (; t < this.terms.length; t += 1) {
      if (value + this.remaining[t]! < atLeast) break;
      value += this.contribution(t, slot);
    }
    this.scores[slot] = value;
    this.completedIn[slot] = this.number;
    this.completedTo[slot] = t;
    return t === this.terms.length;
  }
}
