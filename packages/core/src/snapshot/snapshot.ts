import { createHash } from 'node:crypto';
import { Buffer } from 'node:buffer';
import type { Side } from '../index/side.js';
import type { TermIndex } from '../index/term-index.js';
import { finishEngine, validateInput, type CreateMatcherInput, type Matcher } from '../matcher.js';
import { resolveMatcherOptions, type MatcherOptions, type ResolvedMatcherOptions } from '../options.js';
import { Engine, engineOf } from '../ranking/engine.js';
import type { Company, PartnershipType, PartnerNeed } from '../schema/records.js';
import type { AssignedTag } from '../scoring/inference.js';
import { taxonomy } from '../taxonomy/taxonomy.js';
import { createAnalyzer } from '../text/analyzer.js';
import type { Language } from '../text/language.js';
import { SNAPSHOT_FORMAT_VERSION, SnapshotReader, SnapshotRejectedError, SnapshotWriter } from './format.js';

// A snapshot holds what a build spends its time on — each record's analysis (terms with
// their frequencies, length, language, tags) — read back out of the live index as posting
// lists over record positions, not the records themselves (the database holds those).
// Restoring loads the lists into an empty index in one pass, with slots given in the
// records' order, and adds each record with its stored language and tags: the matcher a
// fresh bulk build of the same records gives, score for score.

/**
 * Bumped when indexing or ranking changes in a way the other versions do not show (the
 * scoring of stored analyses, what a record's analysis holds).
 */
export const ENGINE_VERSION = '1';

const LANGUAGES: readonly Language[] = ['sv', 'en', 'zh'];

// Texts whose analysis changes when the pipeline does (stemmers, stop words, decompounding,
// glossary and lexicon entries, segmentation): a cheap guard against a changed analyzer
// that forgot its version bump.
const CANARY_TEXTS: readonly string[] = [
  'Avloppsreningsverk och solcellsparker; vi levererar fjärrvärme, biogas och vindkraftverk i Karlshamn.',
  'Wastewater treatment plants, photovoltaic inverters, district heating and battery energy storage systems.',
  '污水处理厂、光伏逆变器、地热供暖与当地热门的储能系统，以及垃圾焚烧发电。',
  'Träförädling, sågverk och skogsindustri; forestry, sawmills, timber processing; 林业 木材加工。',
];

const digest = (text: string): string => createHash('sha256').update(text).digest('hex').slice(0, 16);

/**
 * What a snapshot must have been written under to be used: the snapshot format, the
 * engine, the taxonomy and glossary (version and content), the analyzer (its output on
 * fixed texts, so a lexicon or stemmer change shows) and the resolved options. `extra`
 * adds the caller's own (say, a lexicon's version).
 */
export function snapshotVersions(options: ResolvedMatcherOptions, extra: Readonly<Record<string, string>> = {}): Record<string, string> {
  const analyzer = createAnalyzer(options.analyzer);
  const canary = CANARY_TEXTS.map((text) => {
    const analysis = analyzer.analyze(text, { surfaces: false });
    return [analysis.language, analysis.length, [...analysis.terms], analysis.concepts];
  });
  return {
    format: String(SNAPSHOT_FORMAT_VERSION),
    engine: ENGINE_VERSION,
    taxonomy: taxonomy.version,
    glossary: digest(JSON.stringify([taxonomy.tags, taxonomy.concepts])),
    analyzer: digest(JSON.stringify(canary)),
    options: digest(JSON.stringify(options)),
    ...extra,
  };
}

export interface SnapshotStamp {
  /** The database generation the matcher's records are at (a counter bumped by every write). */
  readonly generation: number | string;
  /** From `snapshotVersions`; computed from the matcher's options when left out. */
  readonly versions?: Readonly<Record<string, string>>;
}

/** The header of a snapshot: what it was written under. */
export interface SnapshotHeader {
  readonly generation: string;
  readonly versions: Readonly<Record<string, string>>;
  readonly companies: number;
  readonly needs: number;
}

function writeSide(writer: SnapshotWriter, side: Side<Company> | Side<PartnerNeed>): void {
  const { index, order } = side;
  const n = order.length;
  let maxSlot = -1;
  const slotOfPosition = new Int32Array(n);
  order.forEach((id, i) => {
    const slot = index.slotOf(id) ?? -1;
    slotOfPosition[i] = slot;
    if (slot > maxSlot) maxSlot = slot;
  });
  const positionOf = new Int32Array(maxSlot + 1).fill(-1);
  slotOfPosition.forEach((slot, i) => {
    if (slot >= 0) positionOf[slot] = i;
  });
  // Posting lists by record position: the slots a restore gives are the positions of
  // the indexed records, so ascending positions are ascending slots. Each list is stored
  // as gaps between positions in LEB128 varints (most gaps fit a byte; an Int32 each was
  // nine tenths of the file), term frequencies as bytes while every one is a whole number
  // up to 255 (nearly always), else as floats.
  const vocabulary: string[] = [];
  let total = 0;
  let wholeTfs = true;
  for (const list of index.postingLists()) {
    total += list.slots.length;
    // A byte pool holds whole numbers up to 255 by construction.
    if (wholeTfs && !(list.tfs instanceof Uint8Array)) wholeTfs = allWholeBytes(list.tfs);
  }
  const listOffsets = new Int32Array(index.termCount + 1);
  const gaps = new VarintWriter(total);
  const tfs = wholeTfs ? new Uint8Array(total) : new Float32Array(total);
  const positions = new Int32Array(0 === total ? 0 : maxListLength(index));
  let at = 0;
  // Slots are positions when no record was updated or removed since the build (the usual case).
  let slotsArePositions = positionOf.length === n;
  for (let i = 0; i < n && slotsArePositions; i += 1) slotsArePositions = slotOfPosition[i] === i;
  for (const list of index.postingLists()) {
    const length = list.slots.length;
    let ascending = true;
    tfs.set(list.tfs, at);
    if (slotsArePositions) {
      positions.set(list.slots);
      for (let j = 1; j < length && ascending; j += 1) ascending = positions[j - 1]! < positions[j]!;
    } else {
      for (let j = 0; j < length; j += 1) {
        positions[j] = positionOf[list.slots[j]!]!;
        if (j > 0 && positions[j]! < positions[j - 1]!) ascending = false;
      }
    }
    // An updated record has a later slot but keeps its place in the order.
    if (!ascending) sortPostings(positions, tfs, at, length);
    let previous = -1;
    for (let j = 0; j < length; j += 1) {
      gaps.write(positions[j]! - previous);
      previous = positions[j]!;
    }
    at += length;
    vocabulary.push(list.term);
    listOffsets[vocabulary.length] = at;
  }
  const lengths = new Float64Array(n);
  const indexed = new Uint8Array(n);
  const languages = new Uint8Array(n);
  const tagSetRefs = new Int32Array(n);
  const tagSets = interner();
  const typeListRefs = new Int32Array(n);
  const typeLists = interner();
  // Records with equal tags share one array (`Side.add`): serialised once per array, not per record.
  const refOfArray = new Map<readonly AssignedTag[], number>();
  for (let i = 0; i < n; i += 1) {
    const entry = side.entries.get(order[i]!)!;
    const slot = slotOfPosition[i]!;
    indexed[i] = slot >= 0 ? 1 : 0;
    lengths[i] = slot >= 0 ? index.lengthAt(slot) : 0;
    languages[i] = LANGUAGES.indexOf(entry.language);
    let tagRef = refOfArray.get(entry.tags);
    if (tagRef === undefined) {
      tagRef = tagSets.ref(JSON.stringify(entry.tags));
      refOfArray.set(entry.tags, tagRef);
    }
    tagSetRefs[i] = tagRef;
    // Each record's own list, in its own order (a group's list is its first record's): what a build would hold.
    typeListRefs[i] = typeLists.ref(JSON.stringify(entry.types ?? null));
  }
  writer.strings(order);
  writer.uint8(indexed);
  writer.uint8(languages);
  writer.strings(tagSets.keys);
  writer.int32(tagSetRefs);
  writer.strings(typeLists.keys);
  writer.int32(typeListRefs);
  writer.float64(lengths);
  writer.strings(vocabulary);
  writer.int32(listOffsets);
  writer.uint8(gaps.finish());
  if (tfs instanceof Uint8Array) {
    writer.uint8(new Uint8Array([1]));
    writer.uint8(tfs);
  } else {
    writer.uint8(new Uint8Array([4]));
    writer.float32(tfs);
  }
}

/** Numbers distinct keys in the order first seen; `keys` holds them in that order. */
function interner(): { readonly keys: string[]; ref(key: string): number } {
  const keys: string[] = [];
  const refs = new Map<string, number>();
  return {
    keys,
    ref(key) {
      let ref = refs.get(key);
      if (ref === undefined) {
        ref = keys.length;
        keys.push(key);
        refs.set(key, ref);
      }
      return ref;
    },
  };
}

function allWholeBytes(tfs: Float32Array | Uint8Array): boolean {
  for (let i = 0; i < tfs.length; i += 1) {
    const tf = tfs[i]!;
    if (!(Number.isInteger(tf) && tf >= 0 && tf <= 255)) return false;
  }
  return true;
}

function maxListLength(index: TermIndex): number {
  let longest = 0;
  for (const list of index.postingLists()) if (list.slots.length > longest) longest = list.slots.length;
  return longest;
}

/** LEB128 varints of non-negative integers into a growing byte buffer. */
class VarintWriter {
  private bytes: Uint8Array;
  private at = 0;

  constructor(expected: number) {
    this.bytes = new Uint8Array(Math.max(64, expected * 2));
  }

  write(value: number): void {
    if (this.at + 5 > this.bytes.length) {
      const bigger = new Uint8Array(this.bytes.length * 2);
      bigger.set(this.bytes);
      this.bytes = bigger;
    }
    let rest = value;
    while (rest >= 0x80) {
      this.bytes[this.at++] = (rest & 0x7f) | 0x80;
      rest >>>= 7;
    }
    this.bytes[this.at++] = rest;
  }

  finish(): Uint8Array {
    return this.bytes.subarray(0, this.at);
  }
}

/** Sorts `positions[0, length)` ascending, moving `tfs[at, at + length)` along. */
function sortPostings(positions: Int32Array, tfs: Uint8Array | Float32Array, at: number, length: number): void {
  const pairs = Array.from({ length }, (_, k) => [positions[k]!, tfs[at + k]!] as const).sort((x, y) => x[0] - y[0]);
  pairs.forEach(([position, tf], k) => {
    positions[k] = position;
    tfs[at + k] = tf;
  });
}

/**
 * A snapshot of a matcher's index (made by `createMatcher` or `createMatcherInParallel`,
 * and changed since as much as you like), stamped with the database generation its
 * records are at. The records themselves are not in it.
 */
export function snapshotMatcher(matcher: Matcher, stamp: SnapshotStamp): Uint8Array {
  const engine = engineOf(matcher);
  if (engine === undefined) throw new TypeError('not a matcher made by createMatcher or createMatcherInParallel');
  const writer = new SnapshotWriter();
  writeSide(writer, engine.companies);
  writeSide(writer, engine.needs);
  return writer.finish({
    generation: String(stamp.generation),
    versions: stamp.versions ?? snapshotVersions(engine.options),
    companies: engine.companies.order.length,
    needs: engine.needs.order.length,
  });
}

/** The header of a snapshot after its checksum is verified; throws `SnapshotRejectedError`. */
export function readSnapshotHeader(snapshot: Uint8Array): SnapshotHeader {
  return headerOf(new SnapshotReader(snapshot));
}

function headerOf(reader: SnapshotReader): SnapshotHeader {
  const { generation, versions, companies, needs } = reader.header;
  if (typeof generation !== 'string' || typeof versions !== 'object' || versions === null || typeof companies !== 'number' || typeof needs !== 'number') {
    throw new SnapshotRejectedError('format', 'the header lacks generation, versions or counts');
  }
  return { generation, versions: versions as Record<string, string>, companies, needs };
}

interface StoredSide {
  /** The ids as stored, compared with the records' (whose strings the index then holds) without decoding them. */
  readonly ids: { readonly lengths: Int32Array; readonly blob: Uint8Array };
  readonly indexed: Uint8Array;
  readonly languageCodes: Uint8Array;
  /** Distinct tag lists, one array each, and each record's. */
  readonly tagSets: AssignedTag[][];
  readonly tagSetRefs: Int32Array;
  /** Distinct partnership type lists, one array each, and each record's. */
  readonly typeLists: (PartnershipType[] | undefined)[];
  readonly typeListRefs: Int32Array;
  readonly lengths: Float64Array;
  readonly vocabulary: string[];
  readonly listOffsets: Int32Array;
  /** Per list, the gaps between ascending record positions (the first from -1), LEB128. */
  readonly gaps: Uint8Array;
  readonly tfs: Uint8Array | Float32Array;
}

function parseTypeList(json: string): PartnershipType[] | undefined {
  const parsed = JSON.parse(json) as unknown;
  if (parsed === null) return undefined;
  if (!Array.isArray(parsed) || !parsed.every((type) => typeof type === 'string')) throw new SnapshotRejectedError('format', 'a partnership type list is malformed');
  return parsed as PartnershipType[];
}

function readSide(reader: SnapshotReader, count: number): StoredSide {
  const ids = reader.utf8();
  const indexed = reader.uint8();
  const languageCodes = reader.uint8();
  const tagSets = reader.strings().map((json) => JSON.parse(json) as AssignedTag[]);
  const tagSetRefs = reader.int32();
  const typeLists = reader.strings().map(parseTypeList);
  const typeListRefs = reader.int32();
  const lengths = reader.float64();
  const vocabulary = reader.strings();
  const listOffsets = reader.int32();
  const gaps = reader.uint8();
  const tfKind = reader.uint8();
  if (tfKind.length !== 1 || (tfKind[0] !== 1 && tfKind[0] !== 4)) throw new SnapshotRejectedError('format', 'unknown term frequency encoding');
  const tfs = tfKind[0] === 1 ? reader.uint8() : reader.float32();
  const n = ids.lengths.length;
  if (n !== count || indexed.length !== n || languageCodes.length !== n || tagSetRefs.length !== n || typeListRefs.length !== n || lengths.length !== n) {
    throw new SnapshotRejectedError('format', 'section sizes disagree');
  }
  if (listOffsets.length !== vocabulary.length + 1 || listOffsets[0] !== 0 || listOffsets[vocabulary.length] !== tfs.length) {
    throw new SnapshotRejectedError('format', 'posting sections disagree');
  }
  for (let i = 0; i < n; i += 1) {
    if (
      languageCodes[i]! >= LANGUAGES.length ||
      indexed[i]! > 1 ||
      !(tagSetRefs[i]! >= 0 && tagSetRefs[i]! < tagSets.length) ||
      !(typeListRefs[i]! >= 0 && typeListRefs[i]! < typeLists.length)
    ) {
      throw new SnapshotRejectedError('format', `record ${i} is malformed`);
    }
  }
  return { ids, indexed, languageCodes, tagSets, tagSetRefs, typeLists, typeListRefs, lengths, vocabulary, listOffsets, gaps, tfs };
}

/** The records of one kind a restore is given: their ids in stored order, and the records themselves or a way to read each. */
interface SideSource<T> {
  readonly ids: readonly string[];
  /** The records, in the same order; when left out, `load` reads each on first use. */
  readonly records?: readonly T[];
  readonly load?: (id: string) => T;
  /** Whether each record is ranked now; when left out, the snapshot says. */
  readonly eligible?: (i: number) => boolean;
}

/**
 * Loads one side from its stored sections: the posting lists into the (empty) index at
 * once, with slots given in the records' order, then each record with its stored language,
 * tags and types, as a bulk build of the same records adds them.
 */
function restoreSide<T extends { id: string }>(side: Side<T>, stored: StoredSide, source: SideSource<T>, kind: string): void {
  const n = stored.ids.lengths.length;
  if (source.ids.length !== n) throw new SnapshotRejectedError('stale', `${n} ${kind} in the snapshot, ${source.ids.length} given`);
  sameIds(source.ids, stored.ids, kind);
  const slotOfPosition = new Int32Array(n).fill(-1);
  const ids: string[] = [];
  const lengths = new Float64Array(n);
  for (let i = 0; i < n; i += 1) {
    const indexed = stored.indexed[i] === 1;
    if (source.eligible !== undefined && source.eligible(i) !== indexed) {
      throw new SnapshotRejectedError('stale', `record ${JSON.stringify(source.ids[i])} is ${indexed ? 'not ' : ''}ranked now, unlike in the snapshot`);
    }
    if (!indexed) continue;
    slotOfPosition[i] = ids.length;
    lengths[ids.length] = stored.lengths[i]!;
    ids.push(source.ids[i]!);
  }
  const slots = postingSlots(stored, slotOfPosition, ids.length === n);
  if (ids.length > 0) {
    try {
      side.index.loadPacked({ ids, lengths: lengths.subarray(0, ids.length), vocabulary: stored.vocabulary, listOffsets: stored.listOffsets, slots, tfs: stored.tfs });
    } catch (error) {
      throw new SnapshotRejectedError('format', error instanceof Error ? error.message : String(error));
    }
  }
  const { records, load } = source;
  if (records === undefined && load === undefined) throw new TypeError('a restore needs the records or a way to read them');
  for (let i = 0; i < n; i += 1) {
    const id = source.ids[i]!;
    side.addStored(
      {
        id,
        record: records?.[i],
        load,
        language: LANGUAGES[stored.languageCodes[i]!]!,
        tags: stored.tagSets[stored.tagSetRefs[i]!]!,
        types: stored.typeLists[stored.typeListRefs[i]!],
        eligible: stored.indexed[i] === 1,
      },
      slotOfPosition[i]!,
    );
    side.order.push(id);
  }
}

/**
 * Whether the given ids are the stored ones, in the same order: their UTF-8 bytes one after
 * another, and each one's length. The index then holds the given strings, not a decoded copy.
 */
function sameIds(given: readonly string[], stored: StoredSide['ids'], kind: string): void {
  const joined = given.join('');
  const bytes = new TextEncoder().encode(joined);
  const ascii = bytes.byteLength === joined.length;
  let same = bytes.byteLength === stored.blob.byteLength && Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).equals(stored.blob);
  for (let i = 0; same && i < given.length; i += 1) {
    if ((ascii ? given[i]!.length : Buffer.byteLength(given[i]!)) !== stored.lengths[i]) same = false;
  }
  if (same) return;
  const decoder = new TextDecoder();
  let at = 0;
  for (let i = 0; i < given.length; i += 1) {
    const id = decoder.decode(stored.blob.subarray(at, (at += stored.lengths[i]!)));
    if (given[i] !== id) throw new SnapshotRejectedError('stale', `${kind} ${i} is ${JSON.stringify(given[i])}, the snapshot has ${JSON.stringify(id)}`);
  }
  throw new SnapshotRejectedError('stale', `the ${kind}' ids differ from the snapshot's`);
}

/**
 * The posting lists' gaps back to positions, and positions to slots. Tens of millions of
 * postings at 100k records: one byte per gap is the common case and is taken first, and
 * when every record is indexed (companies) a position is its slot.
 */
function postingSlots(stored: StoredSide, slotOfPosition: Int32Array, allIndexed: boolean): Int32Array {
  const { gaps, listOffsets } = stored;
  const n = slotOfPosition.length;
  const slots = new Int32Array(stored.tfs.length);
  const lists = listOffsets.length - 1;
  const available = gaps.length;
  let at = 0;
  for (let t = 0; t < lists; t += 1) {
    let position = -1;
    for (let j = listOffsets[t]!, end = listOffsets[t + 1]!; j < end; j += 1) {
      if (at >= available) throw new SnapshotRejectedError('format', 'a posting list runs past its section');
      let byte = gaps[at++]!;
      let gap = byte;
      if (byte >= 0x80) {
        gap = byte & 0x7f;
        for (let shift = 7; byte >= 0x80; shift += 7) {
          if (at >= available || shift > 28) throw new SnapshotRejectedError('format', 'a posting list runs past its section');
          byte = gaps[at++]!;
          gap += (byte & 0x7f) * 2 ** shift;
        }
      }
      position += gap;
      const slot = gap > 0 && position < n ? (allIndexed ? position : slotOfPosition[position]!) : -1;
      if (slot < 0) throw new SnapshotRejectedError('format', 'a posting names a record that is not indexed');
      slots[j] = slot;
    }
  }
  if (at !== available) throw new SnapshotRejectedError('format', 'a posting section holds more than its lists');
  return slots;
}

export interface RestoreOptions {
  /**
   * The records are valid already: each is a value `validateCompany` / `validateNeed`
   * returned (say, read back from a store that holds only such), so they are used as
   * given instead of validated again. Their ids must still match the snapshot's.
   */
  readonly validated?: boolean;
}

/** Checks what a snapshot was written under against `stamp` and the options; the reader stands before the first side. */
function openSnapshot(snapshot: Uint8Array, options: ResolvedMatcherOptions, stamp: SnapshotStamp): { reader: SnapshotReader; header: SnapshotHeader } {
  const reader = new SnapshotReader(snapshot);
  const header = headerOf(reader);
  if (header.generation !== String(stamp.generation)) {
    throw new SnapshotRejectedError('stale', `written at generation ${header.generation}, the records are at ${String(stamp.generation)}`);
  }
  const versions = stamp.versions ?? snapshotVersions(options);
  const keys = new Set([...Object.keys(versions), ...Object.keys(header.versions)]);
  for (const key of keys) {
    if (versions[key] !== header.versions[key]) {
      throw new SnapshotRejectedError('stale', `${key} ${JSON.stringify(header.versions[key])} in the snapshot, ${JSON.stringify(versions[key])} now`);
    }
  }
  return { reader, header };
}

function restoreSides(reader: SnapshotReader, header: SnapshotHeader, options: ResolvedMatcherOptions, companies: SideSource<Company>, needs: SideSource<PartnerNeed>): Matcher {
  const companySide = readSide(reader, header.companies);
  const needSide = readSide(reader, header.needs);
  const engine = new Engine(options);
  restoreSide(engine.companies, companySide, companies, 'companies');
  restoreSide(engine.needs, needSide, needs, 'needs');
  return finishEngine(engine);
}

/**
 * The matcher over `input`'s records from a snapshot of the same records, as
 * `createMatcher(input)` builds it but without analysing any text. Throws
 * `SnapshotRejectedError` (and the caller builds instead) when the snapshot is torn,
 * altered, of another format, written under other versions or options, at another
 * generation, or of other records (ids or their order differ).
 */
export function restoreMatcher(snapshot: Uint8Array, input: CreateMatcherInput, stamp: SnapshotStamp, restoreOptions: RestoreOptions = {}): Matcher {
  const options = resolveMatcherOptions(input.options);
  const { reader, header } = openSnapshot(snapshot, options, stamp);
  // Ids equal to the snapshot's (checked) are unique, as the snapshotted matcher's were.
  const { companies, needs } =
    restoreOptions.validated === true ? { companies: (input.companies ?? []) as readonly Company[], needs: (input.needs ?? []) as readonly PartnerNeed[] } : validateInput(input);
  return restoreSides(
    reader,
    header,
    options,
    { ids: companies.map((company) => company.id), records: companies, eligible: () => true },
    { ids: needs.map((need) => need.id), records: needs, eligible: (i) => needs[i]!.status !== 'closed' },
  );
}

/** Records known by id, each read when first used: what a store that holds only valid records gives a restore. */
export interface RecordsById {
  /** Each kind's ids, in stored order (the order the snapshotted matcher holds them in). */
  readonly companyIds: readonly string[];
  readonly needIds: readonly string[];
  /** Reads a stored record; it must be the valid record the snapshot was made from. */
  readonly loadCompany: (id: string) => Company;
  readonly loadNeed: (id: string) => PartnerNeed;
  readonly options?: MatcherOptions;
}

/**
 * As `restoreMatcher`, from the records' ids alone: no record is read until it is first
 * used (ranked for, shown in a result, filtered, changed), so a start reads the index and
 * not every record. Which records are ranked (closed needs are not), their languages, tags
 * and partnership types come from the snapshot, which was made from these very records:
 * the caller vouches for that by the generation, as for `validated` records.
 */
export function restoreMatcherById(snapshot: Uint8Array, records: RecordsById, stamp: SnapshotStamp): Matcher {
  const options = resolveMatcherOptions(records.options);
  const { reader, header } = openSnapshot(snapshot, options, stamp);
  return restoreSides(reader, header, options, { ids: records.companyIds, load: records.loadCompany }, { ids: records.needIds, load: records.loadNeed });
}
