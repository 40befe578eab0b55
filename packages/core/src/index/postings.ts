import { BLOCK_SIZE, LOW_MASK, type PackedSlots } from './slot-blocks.js';

/**
 * Stored term-frequency units per unit of term frequency: a Swedish word inside a glossary
 * phrase adds its translations at half weight (`COVERED_TRANSLATION_SHARE`), and as bytes of
 * half units those postings stay a byte each (floats took 3 bytes more for every posting,
 * ~33 MB at 100k companies). Readers multiply by `TF_PER_UNIT`, a power of two, so a whole
 * term frequency reads back exactly as it was written.
 */
export const TF_UNITS = 2;
export const TF_PER_UNIT = 1 / TF_UNITS;

/** `ListTable.find` searches a run longer than this from an interpolated guess; a shorter one, by halving. */
const INTERPOLATE_ABOVE = 64;

/**
 * All posting lists live in one pair of typed arrays (the low 16 bits of slots, see
 * `slot-blocks.ts`, and term frequencies); a list is a block of it with spare capacity. One pool instead of two typed arrays per term:
 * most terms occur once or twice, and a typed array costs ~200 bytes of overhead on its own.
 * A full list moves to a bigger block at the end; `TermIndex.trim()` packs the lists again (long ones with a little room).
 */
export class PostingPool {
  low: Uint16Array = new Uint16Array(1 << 16);
  /**
   * Term frequencies in `TF_UNITS` per unit: bytes while every one is a whole number of
   * units up to 255 — a term frequency up to 127.5 — (the default field weights are whole and
   * a translation inside a glossary phrase counts half, so nearly always), floats once one is
   * not.
   */
  tfs: Uint8Array | Float32Array = new Uint8Array(1 << 16);
  used = 0;
  /** Entries in abandoned blocks, reclaimed by `trim()`. */
  wasted = 0;
  /**
   * True while a bulk build fills the pool: it and its lists double as they fill. Once
   * built (trimmed or loaded) they grow by a fraction: see `allocate` and `ListTable.push`.
   */
  spacious = true;

  allocate(capacity: number): number {
    if (this.used + capacity > this.low.length) {
      // A built pool grows by a quarter (at least 65,536 entries), not double: doubling it
      // for the first add after a build held 11M spare postings (33 MB at 100k companies)
      // for good. Still geometric, so a growth's copy is paid off.
      const step = this.spacious ? this.low.length : Math.max(this.low.length >> 2, 1 << 16);
      const size = Math.max(this.used + capacity, this.low.length + step);
      const low = new Uint16Array(size);
      low.set(this.low.subarray(0, this.used));
      const tfs = this.tfs instanceof Uint8Array ? new Uint8Array(size) : new Float32Array(size);
      tfs.set(this.tfs.subarray(0, this.used));
      this.low = low;
      this.tfs = tfs;
    }
    const offset = this.used;
    this.used += capacity;
    return offset;
  }

  /** Makes room for `tf` in the term frequency array. */
  admit(tf: number): void {
    const units = tf * TF_UNITS;
    if (this.tfs instanceof Uint8Array && !(Number.isInteger(units) && units >= 0 && units <= 255)) this.tfs = Float32Array.from(this.tfs);
  }
}

/** The `ListBounds` of packed posting lists, one entry per list. */
export interface PackedBounds {
  readonly maxTf: Float32Array;
  readonly minLength: Float64Array;
  readonly impactMax: Float64Array;
  readonly impactAverage: Float64Array;
}

/**
 * Every posting list's bookkeeping, one typed-array entry per list number: where its
 * postings are in the pool, which slot blocks they reach, and the bounds a query may assume
 * without reading them. An object per list cost ~150 bytes with its boxed doubles and
 * block-start array; at 100k documents (90k lists) the table holds the same in ~55.
 *
 * A list's postings come in runs, one per slot block it reaches, in order: the first in
 * block `firstBlock[list]`, each later one starting at a pair (position in the list,
 * block) of `runs[runsAt[list], runsAt[list] + runsLength[list])`, ascending. Below 65,536
 * documents no list has a later run.
 *
 * Bounds: the highest term frequency and the shortest document ever in the list bound
 * what the term can add to any document. Never lowered by a removal, so they stay valid
 * (if looser) through updates. `impactMax` is the highest `tf / (tf + k1·(1 − b + b·length /
 * average))` of the list, measured at `impactAverage` (0: not tracked): a tighter bound than
 * `maxTf` with `minLength`, which may come from different documents; kept up to date on
 * every push.
 */
export class ListTable {
  offset: Int32Array;
  length: Int32Array;
  capacity: Int32Array;
  firstBlock: Int32Array;
  runsAt: Int32Array;
  runsLength: Int32Array;
  maxTf: Float32Array;
  minLength: Float64Array;
  impactMax: Float64Array;
  impactAverage: Float64Array;
  runs: Int32Array;
  runsUsed = 0;
  /** Entries of `runs` no list uses any more, reclaimed by `compact`. */
  runsWasted = 0;
  /** List numbers handed out so far; released ones are handed out again first. */
  private opened = 0;
  private readonly released: number[] = [];

  constructor(lists = 1024) {
    this.offset = new Int32Array(lists);
    this.length = new Int32Array(lists);
    this.capacity = new Int32Array(lists);
    this.firstBlock = new Int32Array(lists);
    this.runsAt = new Int32Array(lists);
    this.runsLength = new Int32Array(lists);
    this.maxTf = new Float32Array(lists);
    this.minLength = new Float64Array(lists);
    this.impactMax = new Float64Array(lists);
    this.impactAverage = new Float64Array(lists);
    this.runs = new Int32Array(64);
  }

  /**
   * A table of packed lists, as `TermIndex.loadPacked` is given them: list `t` is packed
   * list `t`. Takes over `slots`' block arrays; copies offsets and bounds, which may be
   * views into a whole snapshot file that would stay alive.
   */
  static packed(listOffsets: Int32Array, slots: PackedSlots, bounds: PackedBounds): ListTable {
    const lists = listOffsets.length - 1;
    const table = new ListTable(0);
    table.offset = listOffsets.slice(0, lists);
    table.length = new Int32Array(lists);
    for (let t = 0; t < lists; t += 1) table.length[t] = listOffsets[t + 1]! - listOffsets[t]!;
    table.capacity = table.length.slice();
    table.firstBlock = slots.firstBlocks;
    table.runsAt = slots.blockStartOffsets.subarray(0, lists);
    table.runsLength = new Int32Array(lists);
    for (let t = 0; t < lists; t += 1) table.runsLength[t] = slots.blockStartOffsets[t + 1]! - slots.blockStartOffsets[t]!;
    table.runs = slots.blockStarts;
    table.runsUsed = slots.blockStarts.length;
    table.maxTf = bounds.maxTf.slice();
    table.minLength = bounds.minLength.slice();
    table.impactMax = bounds.impactMax.slice();
    table.impactAverage = bounds.impactAverage.slice();
    table.opened = lists;
    return table;
  }

  /** A new empty list's number; its impact is tracked from the start at `impactAverage` (> 0). */
  open(impactAverage: number): number {
    const list = this.released.pop() ?? this.opened++;
    if (list >= this.offset.length) this.resize(Math.max(1024, this.offset.length * 2));
    this.offset[list] = -1;
    this.length[list] = 0;
    this.capacity[list] = 0;
    this.firstBlock[list] = 0;
    this.runsAt[list] = 0;
    this.runsLength[list] = 0;
    this.maxTf[list] = 0;
    this.minLength[list] = Infinity;
    this.impactMax[list] = 0;
    this.impactAverage[list] = impactAverage;
    return list;
  }

  /** Gives up an emptied list: its pool block and runs are wasted, its number handed out again. */
  release(pool: PostingPool, list: number): void {
    pool.wasted += this.capacity[list]!;
    this.runsWasted += this.runsLength[list]!;
    this.runsLength[list] = 0;
    this.capacity[list] = 0;
    this.released.push(list);
  }

  /** Leaves the arrays exactly as long as the lists handed out: a bulk build's doubling left up to half of them spare. */
  fit(): void {
    if (this.offset.length > this.opened) this.resize(this.opened);
  }

  private resize(size: number): void {
    const resized = <A extends Int32Array | Float32Array | Float64Array>(array: A): A => {
      const copy = new (array.constructor as new (size: number) => A)(size);
      copy.set(array.subarray(0, size));
      return copy;
    };
    this.offset = resized(this.offset);
    this.length = resized(this.length);
    this.capacity = resized(this.capacity);
    this.firstBlock = resized(this.firstBlock);
    this.runsAt = resized(this.runsAt);
    this.runsLength = resized(this.runsLength);
    this.maxTf = resized(this.maxTf);
    this.minLength = resized(this.minLength);
    this.impactMax = resized(this.impactMax);
    this.impactAverage = resized(this.impactAverage);
  }

  /** Appends a posting; `slot` is above every slot in the list (slots are handed out in order). */
  push(pool: PostingPool, list: number, slot: number, tf: number, length: number): void {
    pool.admit(tf);
    if (length < this.minLength[list]!) this.minLength[list] = length;
    const count = this.length[list]!;
    if (count === this.capacity[list]!) {
      // A long list of a built index grows by an eighth: doubling the long ones (a common
      // term is in half the records) took the pool from 11M to 44M postings within ten
      // adds after a build at 100k.
      const capacity = count < 1024 || pool.spacious ? Math.max(2, count * 2) : count + (count >> 3);
      const offset = pool.allocate(capacity);
      if (count > 0) {
        const from = this.offset[list]!;
        pool.low.copyWithin(offset, from, from + count);
        pool.tfs.copyWithin(offset, from, from + count);
      }
      pool.wasted += this.capacity[list]!;
      this.offset[list] = offset;
      this.capacity[list] = capacity;
    }
    const block = Math.floor(slot / BLOCK_SIZE);
    // An empty list is a new one (an emptied list is released): it has no runs yet.
    if (count === 0) this.firstBlock[list] = block;
    else if (block !== this.lastBlock(list)) {
      this.appendRun(list, count, block);
    }
    const at = this.offset[list]! + count;
    pool.low[at] = slot & LOW_MASK;
    pool.tfs[at] = tf * TF_UNITS;
    // The stored value, so the bound is the same however the caller held `tf`.
    const stored = pool.tfs[at]! * TF_PER_UNIT;
    if (stored > this.maxTf[list]!) this.maxTf[list] = stored;
    this.length[list] = count + 1;
  }

  private lastBlock(list: number): number {
    const n = this.runsLength[list]!;
    return n === 0 ? this.firstBlock[list]! : this.runs[this.runsAt[list]! + n - 1]!;
  }

  /** Adds the pair (position, block) at the end of the list's runs: in place when they end the array, else moved to its end. */
  private appendRun(list: number, position: number, block: number): void {
    const at = this.runsAt[list]!;
    const n = this.runsLength[list]!;
    const inPlace = n > 0 && at + n === this.runsUsed;
    const start = inPlace ? at : this.runsUsed;
    const end = start + n + 2;
    if (end > this.runs.length) {
      const runs = new Int32Array(Math.max(64, this.runs.length * 2, end));
      runs.set(this.runs.subarray(0, this.runsUsed));
      this.runs = runs;
    }
    if (!inPlace) {
      this.runs.copyWithin(start, at, at + n);
      this.runsWasted += n;
      this.runsAt[list] = start;
    }
    this.runs[start + n] = position;
    this.runs[start + n + 1] = block;
    this.runsLength[list] = n + 2;
    this.runsUsed = end;
  }

  /** Runs of a list: one per slot block it reaches. */
  runCount(list: number): number {
    return (this.runsLength[list]! >> 1) + 1;
  }

  /** Where run `run` ends in the pool (the next one starts there). */
  runEnd(list: number, run: number): number {
    const n = this.runsLength[list]!;
    return 2 * run >= n ? this.offset[list]! + this.length[list]! : this.offset[list]! + this.runs[this.runsAt[list]! + 2 * run]!;
  }

  /** The slot that run `run`'s low bits are added to. */
  runBase(list: number, run: number): number {
    return (run === 0 ? this.firstBlock[list]! : this.runs[this.runsAt[list]! + 2 * run - 1]!) * BLOCK_SIZE;
  }

  /** Where `slot` is in the pool, or -1 when the list does not hold it. */
  find(low: Uint16Array, list: number, slot: number): number {
    const block = Math.floor(slot / BLOCK_SIZE);
    const offset = this.offset[list]!;
    let lo = offset;
    let hi = offset + this.length[list]!;
    const n = this.runsLength[list]!;
    if (n === 0) {
      if (block !== this.firstBlock[list]) return -1;
    } else {
      // The run of `block`: from its start (or the list's) to the next block's start.
      const at = this.runsAt[list]!;
      let k = -2;
      while (k + 2 < n && this.runs[at + k + 3]! <= block) k += 2;
      if ((k < 0 ? this.firstBlock[list]! : this.runs[at + k + 1]!) !== block) return -1;
      if (k >= 0) lo = offset + this.runs[at + k]!;
      if (k + 2 < n) hi = offset + this.runs[at + k + 2]!;
    }
    const end = hi;
    const target = slot & LOW_MASK;
    if (hi - lo > INTERPOLATE_ABOVE) {
      // A long run's slots spread about evenly over its block: where `target` falls between
      // the run's first and last slot says about where it is, and a window doubling out
      // from that guess brackets it in a few probes, where halving from the ends takes
      // log2(length), most of them cache misses (finishing a record reads every list left).
      const first = low[lo]!;
      const last = low[hi - 1]!;
      if (target < first || target > last) return -1;
      const guess = lo + Math.floor(((target - first) * (hi - 1 - lo)) / (last - first || 1));
      let step = 4;
      if (low[guess]! < target) {
        let from = guess + 1;
        let to = from + step;
        while (to < hi && low[to]! < target) {
          from = to + 1;
          step *= 2;
          to = from + step;
        }
        lo = from;
        hi = Math.min(to, hi);
      } else {
        let to = guess;
        let from = to - step;
        while (from >= lo && low[from]! >= target) {
          to = from;
          step *= 2;
          from = to - step;
        }
        lo = Math.max(from + 1, lo);
        hi = to;
      }
    }
    // The first position at or above `target` in [lo, hi), or hi.
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (low[mid]! < target) lo = mid + 1;
      else hi = mid;
    }
    return lo < end && low[lo] === target ? lo : -1;
  }

  /** The list's slots in order, into `into` from 0. */
  decode(low: Uint16Array, list: number, into: Int32Array): void {
    const offset = this.offset[list]!;
    let p = offset;
    for (let run = 0, runs = this.runCount(list); run < runs; run += 1) {
      const base = this.runBase(list, run);
      for (const end = this.runEnd(list, run); p < end; p += 1) into[p - offset] = base + low[p]!;
    }
  }

  /** Removes `slot` from the list; false when the list does not hold it. */
  delete(pool: PostingPool, list: number, slot: number): boolean {
    const lo = this.find(pool.low, list, slot);
    if (lo < 0) return false;
    const offset = this.offset[list]!;
    const end = offset + this.length[list]!;
    pool.low.copyWithin(lo, lo + 1, end);
    pool.tfs.copyWithin(lo, lo + 1, end);
    const length = this.length[list]! - 1;
    this.length[list] = length;
    let n = this.runsLength[list]!;
    if (n === 0) return true;
    const at = this.runsAt[list]!;
    const runs = this.runs;
    const position = lo - offset;
    // Later runs start one earlier; a run left empty goes.
    for (let k = 0; k < n; k += 2) if (runs[at + k]! > position) runs[at + k] = runs[at + k]! - 1;
    for (let k = 0; k < n; ) {
      const nextStart = k + 2 < n ? runs[at + k + 2]! : length;
      if (runs[at + k] === nextStart) {
        runs.copyWithin(at + k, at + k + 2, at + n);
        n -= 2;
      } else {
        k += 2;
      }
    }
    if (n > 0 && runs[at] === 0) {
      this.firstBlock[list] = runs[at + 1]!;
      runs.copyWithin(at, at + 2, at + n);
      n -= 2;
    }
    this.runsWasted += this.runsLength[list]! - n;
    this.runsLength[list] = n;
    return true;
  }

  /** Packs the lists' runs tight, in `lists` order (every list in use). */
  compactRuns(lists: Iterable<number>): void {
    if (this.runsWasted === 0 && this.runs.length === this.runsUsed) return;
    const runs = new Int32Array(Math.max(64, this.runsUsed - this.runsWasted));
    let used = 0;
    for (const list of lists) {
      const n = this.runsLength[list]!;
      if (n === 0) continue;
      const at = this.runsAt[list]!;
      runs.set(this.runs.subarray(at, at + n), used);
      this.runsAt[list] = used;
      used += n;
    }
    this.runs = runs;
    this.runsUsed = used;
    this.runsWasted = 0;
  }
}
