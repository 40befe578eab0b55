import { SlotPacker, type PackedSlots } from '../index/slot-blocks.js';
import type { PackedBounds } from '../index/term-index.js';
import { SnapshotReader, SnapshotRejectedError, type Utf8Strings } from './format.js';

// The sections of a snapshot side as stored, and the decoding of its posting lists: what a
// restore reads before it makes any object, kept apart from the engine so the thread that
// preloads a snapshot (`preload.ts`) loads nothing else.

/** One side's sections, as `writeSide` lays them out; strings still UTF-8. */
export interface SideSections {
  readonly ids: Utf8Strings;
  readonly languageCodes: Uint8Array;
  readonly lengths: Float64Array;
  readonly typeLists: Utf8Strings;
  readonly typeListRefs: Int32Array;
  readonly tagSets: Utf8Strings;
  readonly groupTagSetRefs: Int32Array;
  readonly groupTypeListRefs: Int32Array;
  readonly groupEligible: Uint8Array;
  readonly groupOffsets: Int32Array;
  readonly groupMembers: Int32Array;
  readonly vocabulary: Utf8Strings;
  readonly listOffsets: Int32Array;
  /** Per list, the gaps between ascending record positions (the first from -1), LEB128. */
  readonly gaps: Uint8Array;
  readonly tfs: Uint8Array | Float32Array;
  readonly bounds: PackedBounds;
}

export function readSideSections(reader: SnapshotReader): SideSections {
  const ids = reader.utf8();
  const languageCodes = reader.uint8();
  const lengths = reader.float64();
  const typeLists = reader.utf8();
  const typeListRefs = reader.int32();
  const tagSets = reader.utf8();
  const groupTagSetRefs = reader.int32();
  const groupTypeListRefs = reader.int32();
  const groupEligible = reader.uint8();
  const groupOffsets = reader.int32();
  const groupMembers = reader.int32();
  const vocabulary = reader.utf8();
  const listOffsets = reader.int32();
  const gaps = reader.uint8();
  const tfKind = reader.uint8();
  if (tfKind.length !== 1 || (tfKind[0] !== 1 && tfKind[0] !== 4)) throw new SnapshotRejectedError('format', 'unknown term frequency encoding');
  const tfs = tfKind[0] === 1 ? reader.uint8() : reader.float32();
  const bounds = { maxTf: reader.float32(), minLength: reader.float64(), impactMax: reader.float64(), impactAverage: reader.float64() };
  if (listOffsets.length !== vocabulary.lengths.length + 1 || listOffsets[0] !== 0 || listOffsets[vocabulary.lengths.length] !== tfs.length) {
    throw new SnapshotRejectedError('format', 'posting sections disagree');
  }
  return {
    ids,
    languageCodes,
    lengths,
    typeLists,
    typeListRefs,
    tagSets,
    groupTagSetRefs,
    groupTypeListRefs,
    groupEligible,
    groupOffsets,
    groupMembers,
    vocabulary,
    listOffsets,
    gaps,
    tfs,
    bounds,
  };
}

/**
 * Decodes the posting lists' gaps into record positions, packed as a term index keeps
 * slots (`low`, one entry per posting; see `PackedSlots`), checking that each list ascends
 * over the side's `records`. Tens of millions of postings at 100k records: a one-byte gap
 * is the common case and is taken first.
 */
export function decodePostings(sections: SideSections, records: number, low: Uint16Array): PackedSlots {
  const { gaps, listOffsets } = sections;
  const lists = listOffsets.length - 1;
  const available = gaps.length;
  if (low.length !== sections.tfs.length) throw new RangeError('one position per posting');
  const into = new SlotPacker(low, lists);
  const torn = (): SnapshotRejectedError => new SnapshotRejectedError('format', 'a posting list runs past its section or past the records');
  let at = 0;
  for (let t = 0; t < lists; t += 1) {
    let position = -1;
    const end = listOffsets[t + 1]!;
    if (!(end > listOffsets[t]!)) throw new SnapshotRejectedError('format', `posting list ${t} is empty or out of order`);
    // Every gap takes at least a byte: with this many left, no read in the list runs past.
    if (at + (end - listOffsets[t]!) > available) throw torn();
    into.startList(t, listOffsets[t]!);
    for (let j = listOffsets[t]!; j < end; j += 1) {
      let byte = gaps[at++]!;
      if (byte >= 0x80 || byte === 0) {
        if (byte === 0) throw torn();
        let gap = byte & 0x7f;
        for (let shift = 7; byte >= 0x80; shift += 7) {
          if (at >= available || shift > 28) throw torn();
          byte = gaps[at++]!;
          gap += (byte & 0x7f) * 2 ** shift;
        }
        if (gap === 0) throw torn();
        position += gap;
      } else position += byte;
      into.add(j, position);
    }
    // Ascending by construction (every gap is positive): the last position bounds the list.
    if (position >= records) throw torn();
  }
  if (at !== available) throw new SnapshotRejectedError('format', 'a posting section holds more than its lists');
  return into.finish();
}

/** A side's postings ready to be loaded: record positions (packed) and term frequencies, in arrays of their own. */
export interface DecodedPostings {
  readonly positions: PackedSlots;
  readonly tfs: Uint8Array | Float32Array;
}

/**
 * Checks a snapshot (its checksum and framing) and decodes both sides' postings into arrays
 * of their own, from `allocate`d memory (shared, on the preload thread): the part of a
 * restore that makes no object, so another thread can do it.
 */
export function decodeSnapshotPostings(bytes: Uint8Array, allocate: (byteLength: number) => ArrayBufferLike): DecodedPostings[] {
  const reader = new SnapshotReader(bytes);
  const counts = [reader.header['companies'], reader.header['needs']];
  return counts.map((count) => {
    if (typeof count !== 'number') throw new SnapshotRejectedError('format', 'the header lacks the record counts');
    const sections = readSideSections(reader);
    const low = new Uint16Array(allocate(sections.tfs.length * Uint16Array.BYTES_PER_ELEMENT));
    const positions = decodePostings(sections, count, low);
    const tfs = sections.tfs instanceof Uint8Array ? new Uint8Array(allocate(sections.tfs.byteLength)) : new Float32Array(allocate(sections.tfs.byteLength));
    tfs.set(sections.tfs);
    return { positions, tfs };
  });
}
