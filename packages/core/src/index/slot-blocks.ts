/**
 * Posting slots are stored as their low 16 bits; a list knows which block of 65,536 slots
 * each run of its postings lies in. Half the bytes of an Int32 per posting, for the same
 * loops (a run adds its block's base): at 100k documents (11.8M postings) 23.6 MB less.
 */
export const SLOT_BITS = 16;
export const LOW_MASK = (1 << SLOT_BITS) - 1;
export const BLOCK_SIZE = 1 << SLOT_BITS;

/**
 * Posting lists' slots as a term index keeps them: list `t` holds the positions
 * [listOffsets[t], listOffsets[t + 1]) of `low`; its first postings are in block
 * `firstBlocks[t]`, and its later blocks start at the pairs (position in the list, block)
 * `blockStarts[blockStartOffsets[t], blockStartOffsets[t + 1])`.
 */
export interface PackedSlots {
  readonly low: Uint16Array;
  readonly firstBlocks: Int32Array;
  readonly blockStartOffsets: Int32Array;
  readonly blockStarts: Int32Array;
}

/**
 * Packs ascending slots list by list, as they come (a snapshot's decoder hands them over
 * one at a time, so no array of whole slots is made). `add` each list's slots in order,
 * the lists in order, then `finish`.
 */
export class SlotPacker {
  private readonly firstBlocks: Int32Array;
  private readonly blockStartOffsets: Int32Array;
  private readonly blockStarts: number[] = [];
  private list = -1;
  private listStart = 0;
  private block = 0;

  /** `low` has one entry per posting of all the lists; `lists` is their number. */
  constructor(
    private readonly low: Uint16Array,
    lists: number,
  ) {
    this.firstBlocks = new Int32Array(lists);
    this.blockStartOffsets = new Int32Array(lists + 1);
  }

  /** Starts list `t` (the next one), whose first posting is at `at` in `low`. */
  startList(t: number, at: number): void {
    if (this.list >= 0) this.blockStartOffsets[this.list + 1] = this.blockStarts.length;
    this.list = t;
    this.listStart = at;
    this.block = -1;
  }

  /** The posting at `at` in `low` has `slot`, above the list's slots so far. */
  add(at: number, slot: number): void {
    this.low[at] = slot & LOW_MASK;
    if (slot < (this.block + 1) * BLOCK_SIZE) return;
    const block = Math.floor(slot / BLOCK_SIZE);
    if (this.block < 0) this.firstBlocks[this.list] = block;
    else this.blockStarts.push(at - this.listStart, block);
    this.block = block;
  }

  finish(): PackedSlots {
    if (this.list >= 0) this.blockStartOffsets[this.list + 1] = this.blockStarts.length;
    return { low: this.low, firstBlocks: this.firstBlocks, blockStartOffsets: this.blockStartOffsets, blockStarts: Int32Array.from(this.blockStarts) };
  }
}

/** Packs the ascending slots of each list [listOffsets[t], listOffsets[t + 1]) of `slots`. */
export function packSlots(slots: ArrayLike<number>, listOffsets: Int32Array): PackedSlots {
  const packer = new SlotPacker(new Uint16Array(slots.length), listOffsets.length - 1);
  for (let t = 0; t + 1 < listOffsets.length; t += 1) {
    packer.startList(t, listOffsets[t]!);
    for (let p = listOffsets[t]!; p < listOffsets[t + 1]!; p += 1) packer.add(p, slots[p]!);
  }
  return packer.finish();
}

/** The whole slots of packed lists, one per posting. */
export function unpackSlots(packed: PackedSlots, listOffsets: Int32Array): Int32Array {
  const slots = new Int32Array(packed.low.length);
  for (let t = 0; t + 1 < listOffsets.length; t += 1) {
    let block = packed.firstBlocks[t]!;
    let next = packed.blockStartOffsets[t]!;
    const last = packed.blockStartOffsets[t + 1]!;
    for (let p = listOffsets[t]!; p < listOffsets[t + 1]!; p += 1) {
      if (next < last && p - listOffsets[t]! === packed.blockStarts[next]!) {
        block = packed.blockStarts[next + 1]!;
        next += 2;
      }
      slots[p] = block * BLOCK_SIZE + packed.low[p]!;
    }
  }
  return slots;
}
