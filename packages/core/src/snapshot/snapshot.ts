import { createHash } from 'node:crypto';
import { Buffer } from 'node:buffer';
import type { Group, RestoredUnindexed, Side } from '../index/side.js';
import type { TermIndex } from '../index/term-index.js';
import { packSlots, unpackSlots } from '../index/slot-blocks.js';
import { finishEngine, validateInput, type CreateMatcherInput, type Matcher } from '../matcher.js';
import { resolveMatcherOptions, type MatcherOptions, type ResolvedMatcherOptions } from '../options.js';
import { Engine, engineOf } from '../ranking/engine.js';
import type { Company, PartnershipType, PartnerNeed } from '../schema/records.js';
import type { AssignedTag } from '../scoring/inference.js';
import { lexicon } from '../lexicon/lexicon.js';
import { taxonomy } from '../taxonomy/taxonomy.js';
import { createAnalyzer } from '../text/analyzer.js';
import type { Language } from '../text/language.js';
import { decodeStrings, SNAPSHOT_FORMAT_VERSION, SnapshotReader, SnapshotRejectedError, SnapshotWriter, type Utf8Strings } from './format.js';
import { PreloadedSnapshot } from './preload.js';
import { decodePostings, readSideSections, type DecodedPostings, type SideSections } from './sections.js';

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
export const ENGINE_VERSION = '67';

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
 * fixed texts, so a stemmer change shows), the lexicon's content (when it is on) and the
 * resolved options. `extra` adds the caller's own (a key of the above is not replaced).
 */
export function snapshotVersions(options: ResolvedMatcherOptions, extra: Readonly<Record<string, string>> = {}): Record<string, string> {
  const analyzer = createAnalyzer(options.analyzer);
  const canary = CANARY_TEXTS.map((text) => {
    const analysis = analyzer.analyze(text, { surfaces: false });
    return [analysis.language, analysis.length, [...analysis.terms], analysis.concepts];
  });
  // The caller's own come first: they add to the built-in versions, never replace one.
  return {
    ...extra,
    format: String(SNAPSHOT_FORMAT_VERSION),
    engine: ENGINE_VERSION,
    taxonomy: taxonomy.version,
    glossary: digest(JSON.stringify([taxonomy.tags, taxonomy.concepts])),
    analyzer: digest(JSON.stringify(canary)),
    options: digest(JSON.stringify(options)),
    // The canary texts reach a few hundred of its entries; a rebuilt lexicon may change others.
    lexicon: options.analyzer.lexicon ? lexicon().digest : 'off',
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
  // nine tenths of the file), term frequencies as the pool stores them (`TF_UNITS` per
  // unit): bytes while every one is a whole number up to 255 (nearly always), else floats.
  const vocabulary: string[] = [];
  let total = 0;
  let wholeTfs = true;
  for (const list of index.postingLists()) {
    total += list.slots.length;
    // A byte pool holds whole numbers up to 255 by construction.
    if (wholeTfs && !(list.tfs instanceof Uint8Array)) wholeTfs = allWholeBytes(list.tfs);
  }
  const listOffsets = new Int32Array(index.termCount + 1);
  // The bounds a build of these records measures (the live lists' may be looser after
  // updates), at the average length a restore sums in its slot order: a restore then
  // need not pass over every posting to measure them.
  const lengthOfPosition = new Float64Array(n);
  let indexedCount = 0;
  let totalLength = 0;
  for (let i = 0; i < n; i += 1) {
    const slot = slotOfPosition[i]!;
    if (slot < 0) continue;
    lengthOfPosition[i] = index.lengthAt(slot);
    totalLength += lengthOfPosition[i]!;
    indexedCount += 1;
  }
  const average = indexedCount === 0 ? 0 : totalLength / indexedCount;
  const bounds = {
    maxTf: new Float32Array(index.termCount),
    minLength: new Float64Array(index.termCount),
    impactMax: new Float64Array(index.termCount),
    impactAverage: new Float64Array(index.termCount),
  };
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
    const t = vocabulary.length;
    const measured = index.measureBounds(positions, tfs, at - length, length, lengthOfPosition, average);
    bounds.maxTf[t] = measured.maxTf;
    bounds.minLength[t] = measured.minLength;
    bounds.impactMax[t] = measured.impactMax;
    bounds.impactAverage[t] = measured.impactAverage;
    vocabulary.push(list.term);
    listOffsets[vocabulary.length] = at;
  }
  const languages = new Uint8Array(n);
  const typeListRefs = new Int32Array(n);
  const typeLists = interner();
  for (let i = 0; i < n; i += 1) {
    const entry = side.entry(order[i]!)!;
    languages[i] = LANGUAGES.indexOf(entry.language);
    // The group's list, as the index holds it (a record's own is in the record).
    typeListRefs[i] = typeLists.ref(JSON.stringify(entry.group.types ?? null));
  }
  // The groups, each with its members in id order: a restore makes each group once instead
  // of finding every record's. In the order a build of the records makes them (by their
  // first record), and each group's records share its tag array (`Side.add`), serialised
  // once per distinct array.
  const positionOfId = new Map<string, number>();
  order.forEach((id, i) => positionOfId.set(id, i));
  const firstPosition = (group: Group): number => {
    let first = n;
    for (const id of group.ids) first = Math.min(first, positionOfId.get(id)!);
    return first;
  };
  const groups = side.groups
    .filter((group) => group.ids.length > 0)
    .map((group) => ({ group, first: firstPosition(group) }))
    .sort((a, b) => a.first - b.first)
    .map(({ group }) => group);
  const tagSets = interner();
  const refOfArray = new Map<readonly AssignedTag[], number>();
  const groupTagSetRefs: number[] = [];
  const groupTypeListRefs: number[] = [];
  const groupEligible: number[] = [];
  const groupOffsets = [0];
  const groupMembers = new Int32Array(n);
  let member = 0;
  for (const group of groups) {
    const tags = group.tags;
    let tagRef = refOfArray.get(tags);
    if (tagRef === undefined) {
      tagRef = tagSets.ref(JSON.stringify(tags));
      refOfArray.set(tags, tagRef);
    }
    groupTagSetRefs.push(tagRef);
    groupTypeListRefs.push(typeLists.ref(JSON.stringify(group.types ?? null)));
    groupEligible.push(group.eligible ? 1 : 0);
    for (const id of group.ids) groupMembers[member++] = positionOfId.get(id)!;
    groupOffsets.push(member);
  }
  writer.strings(order);
  writer.uint8(languages);
  writer.float64(lengthOfPosition);
  writer.strings(typeLists.keys);
  writer.int32(typeListRefs);
  writer.strings(tagSets.keys);
  writer.int32(Int32Array.from(groupTagSetRefs));
  writer.int32(Int32Array.from(groupTypeListRefs));
  writer.uint8(Uint8Array.from(groupEligible));
  writer.int32(Int32Array.from(groupOffsets));
  writer.int32(groupMembers.subarray(0, member));
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
  writer.float32(bounds.maxTf);
  writer.float64(bounds.minLength);
  writer.float64(bounds.impactMax);
  writer.float64(bounds.impactAverage);
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

/** A side's sections with their strings parsed, and its postings decoded. */
interface StoredSide extends Omit<SideSections, 'typeLists' | 'tagSets' | 'vocabulary' | 'gaps' | 'tfs'> {
  /** Distinct partnership type lists, one array each (`typeListRefs` gives each record's). */
  readonly typeLists: (PartnershipType[] | undefined)[];
  /** Distinct tag lists, one array each (`groupTagSetRefs` gives each group's). */
  readonly tagSets: AssignedTag[][];
  readonly vocabulary: string[];
  /** Per record position, whether it is in the term index (its group is eligible). */
  readonly indexed: Uint8Array;
  /** The postings' record positions and term frequencies, in arrays the index may keep. */
  readonly postings: DecodedPostings;
}

function parseTypeList(json: string): PartnershipType[] | undefined {
  const parsed = JSON.parse(json) as unknown;
  if (parsed === null) return undefined;
  if (!Array.isArray(parsed) || !parsed.every((type) => typeof type === 'string')) throw new SnapshotRejectedError('format', 'a partnership type list is malformed');
  return parsed as PartnershipType[];
}

/** A side's sections parsed and checked; its postings decoded here unless a preload did. */
function readSide(reader: SnapshotReader, count: number, decoded: DecodedPostings | undefined): StoredSide {
  const sections = readSideSections(reader);
  const { ids, languageCodes, lengths, typeListRefs, groupTagSetRefs, groupTypeListRefs, groupEligible, groupOffsets, groupMembers } = sections;
  const typeLists = decodeStrings(sections.typeLists).map(parseTypeList);
  const tagSets = decodeStrings(sections.tagSets).map((json) => JSON.parse(json) as AssignedTag[]);
  const vocabulary = decodeStrings(sections.vocabulary);
  const n = ids.lengths.length;
  if (n !== count || languageCodes.length !== n || typeListRefs.length !== n || lengths.length !== n || groupMembers.length !== n) {
    throw new SnapshotRejectedError('format', 'section sizes disagree');
  }
  const groups = groupTagSetRefs.length;
  if (groupTypeListRefs.length !== groups || groupEligible.length !== groups || groupOffsets.length !== groups + 1 || groupOffsets[0] !== 0 || groupOffsets[groups] !== n) {
    throw new SnapshotRejectedError('format', 'group sections disagree');
  }
  for (let i = 0; i < n; i += 1) {
    if (languageCodes[i]! >= LANGUAGES.length || !(typeListRefs[i]! >= 0 && typeListRefs[i]! < typeLists.length)) {
      throw new SnapshotRejectedError('format', `record ${i} is malformed`);
    }
  }
  // Every record in exactly one group, which says whether it is indexed.
  const indexed = new Uint8Array(n).fill(2);
  for (let g = 0; g < groups; g += 1) {
    const eligible = groupEligible[g]!;
    if (
      eligible > 1 ||
      !(groupTagSetRefs[g]! >= 0 && groupTagSetRefs[g]! < tagSets.length) ||
      !(groupTypeListRefs[g]! >= 0 && groupTypeListRefs[g]! < typeLists.length) ||
      !(groupOffsets[g + 1]! > groupOffsets[g]!)
    ) {
      throw new SnapshotRejectedError('format', `group ${g} is malformed`);
    }
    for (let k = groupOffsets[g]!, end = groupOffsets[g + 1]!; k < end; k += 1) {
      const position = groupMembers[k]!;
      if (!(position >= 0 && position < n) || indexed[position] !== 2) throw new SnapshotRejectedError('format', `group ${g} names a record twice or out of range`);
      indexed[position] = eligible;
    }
  }
  return { ...sections, typeLists, tagSets, vocabulary, indexed, postings: decoded ?? decodeHere(sections, n) };
}

function decodeHere(sections: SideSections, records: number): DecodedPostings {
  const positions = decodePostings(sections, records, new Uint16Array(sections.tfs.length));
  // A copy: the index keeps it, and a view would keep the whole file.
  return { positions, tfs: sections.tfs.slice() };
}

/** The records of one kind a restore is given: their ids in stored order, and the records themselves or a way to read each. */
interface SideSource<T> {
  /** Undefined: the snapshot's own ids (a restore that catches up with later writes). */
  readonly ids: readonly string[] | undefined;
  /** The records, in the same order; when left out, `load` reads each on first use. */
  readonly records?: readonly T[];
  readonly load?: (id: string) => T;
  /** Whether each record is ranked now; when left out, the snapshot says. */
  readonly eligible?: (i: number) => boolean;
}

/**
 * Loads one side from its stored sections: the posting lists into the (empty) index at
 * once, with slots given in the records' order, then each group with its members, and
 * each record with its stored language and types: the side a bulk build of the same
 * records gives.
 */
function restoreSide<T extends { id: string }>(side: Side<T>, stored: StoredSide, given: SideSource<T>, kind: string): void {
  const n = stored.ids.lengths.length;
  const source = (given.ids === undefined ? { ...given, ids: storedIds(stored.ids) } : given) as SideSource<T> & { readonly ids: readonly string[] };
  if (source.ids.length !== n) throw new SnapshotRejectedError('stale', `${n} ${kind} in the snapshot, ${source.ids.length} given`);
  if (given.ids !== undefined) sameIds(source.ids, stored.ids, kind);
  const slotOfPosition = new Int32Array(n).fill(-1);
  const lengths = new Float64Array(n);
  let indexedCount = 0;
  for (let i = 0; i < n; i += 1) {
    const indexed = stored.indexed[i] === 1;
    if (source.eligible !== undefined && source.eligible(i) !== indexed) {
      throw new SnapshotRejectedError('stale', `record ${JSON.stringify(source.ids[i])} is ${indexed ? 'not ' : ''}ranked now, unlike in the snapshot`);
    }
    if (!indexed) continue;
    slotOfPosition[i] = indexedCount;
    lengths[indexedCount++] = stored.lengths[i]!;
  }
  // The index's id per slot: the given ids themselves when every record is indexed.
  const ids = indexedCount === n ? source.ids.slice() : source.ids.filter((_, i) => slotOfPosition[i]! >= 0);
  const { tfs } = stored.postings;
  let slots = stored.postings.positions;
  // Slots are the positions of the indexed records: the same numbers when every record is.
  if (ids.length < n) {
    const positions = unpackSlots(slots, stored.listOffsets);
    for (let j = 0; j < positions.length; j += 1) {
      const slot = slotOfPosition[positions[j]!]!;
      if (slot < 0) throw new SnapshotRejectedError('format', 'a posting names a record that is not indexed');
      positions[j] = slot;
    }
    slots = packSlots(positions, stored.listOffsets);
  }
  if (ids.length > 0) {
    try {
      side.index.loadPacked({ ids, lengths: lengths.subarray(0, ids.length), vocabulary: stored.vocabulary, listOffsets: stored.listOffsets, slots, tfs, bounds: stored.bounds });
    } catch (error) {
      throw new SnapshotRejectedError('format', error instanceof Error ? error.message : String(error));
    }
  } else if (stored.vocabulary.length > 0) throw new SnapshotRejectedError('format', 'posting lists without indexed records');
  const { records, load } = source;
  if (records === undefined && load === undefined) throw new TypeError('a restore needs the records or a way to read them');
  const groupOfPosition = new Array<Group>(n);
  const { groupOffsets, groupMembers } = stored;
  for (let g = 0; g + 1 < groupOffsets.length; g += 1) {
    const start = groupOffsets[g]!;
    const end = groupOffsets[g + 1]!;
    const memberIds = new Array<string>(end - start);
    const memberSlots = new Array<number>(end - start);
    for (let k = start; k < end; k += 1) {
      const id = source.ids[groupMembers[k]!]!;
      // Id order is the tie-break order, and what later inserts search by.
      if (k > start && !(memberIds[k - start - 1]! < id)) throw new SnapshotRejectedError('format', `group ${g} is not in id order`);
      memberIds[k - start] = id;
      memberSlots[k - start] = slotOfPosition[groupMembers[k]!]!;
    }
    const group = side.restoreGroup(
      stored.tagSets[stored.groupTagSetRefs[g]!]!,
      stored.typeLists[stored.groupTypeListRefs[g]!],
      stored.groupEligible[g] === 1,
      memberIds,
      memberSlots,
    );
    for (let k = start; k < end; k += 1) groupOfPosition[groupMembers[k]!] = group;
  }
  const bySlot = {
    groups: new Array<Group>(indexedCount),
    languages: new Array<Language>(indexedCount),
    records: records === undefined ? undefined : new Array<T | undefined>(indexedCount),
    load,
  };
  const unindexed: RestoredUnindexed<T>[] = [];
  for (let i = 0; i < n; i += 1) {
    const slot = slotOfPosition[i]!;
    const language = LANGUAGES[stored.languageCodes[i]!]!;
    if (slot < 0) {
      unindexed.push({ id: source.ids[i]!, record: records?.[i], language, group: groupOfPosition[i]! });
      continue;
    }
    bySlot.groups[slot] = groupOfPosition[i]!;
    bySlot.languages[slot] = language;
    if (bySlot.records !== undefined) bySlot.records[slot] = records![i];
  }
  side.addRestored(bySlot, unindexed);
  for (const id of source.ids) side.order.push(id);
}

/** The ids a snapshot holds for one side, in its order. */
function storedIds(stored: Utf8Strings): string[] {
  const decoder = new TextDecoder();
  const ids = new Array<string>(stored.lengths.length);
  let at = 0;
  for (let i = 0; i < ids.length; i += 1) ids[i] = decoder.decode(stored.blob.subarray(at, (at += stored.lengths[i]!)));
  return ids;
}

/**
 * Whether the given ids are the stored ones, in the same order: their UTF-8 bytes one after
 * another, and each one's length. The index then holds the given strings, not a decoded copy.
 */
function sameIds(given: readonly string[], stored: Utf8Strings, kind: string): void {
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

export interface RestoreOptions {
  /**
   * The records are valid already: each is a value `validateCompany` / `validateNeed`
   * returned (say, read back from a store that holds only such), so they are used as
   * given instead of validated again. Their ids must still match the snapshot's.
   */
  readonly validated?: boolean;
}

/** Checks what a snapshot was written under against `stamp` and the options; the reader stands before the first side. */
function openSnapshot(
  snapshot: Uint8Array | PreloadedSnapshot,
  options: ResolvedMatcherOptions,
  stamp: SnapshotStamp,
  /** Whether a snapshot written at another (older) generation can be caught up (see `RecordsById.changedSince`). */
  acceptOlder?: (generation: string) => boolean,
): { reader: SnapshotReader; header: SnapshotHeader; decoded: readonly DecodedPostings[] } {
  // A preloaded file was checked on its thread, and its postings decoded there.
  const { bytes, decoded } = snapshot instanceof PreloadedSnapshot ? snapshot.take() : { bytes: snapshot, decoded: [] };
  const reader = new SnapshotReader(bytes, { checked: snapshot instanceof PreloadedSnapshot });
  const header = headerOf(reader);
  if (header.generation !== String(stamp.generation) && !(acceptOlder?.(header.generation) ?? false)) {
    throw new SnapshotRejectedError('stale', `written at generation ${header.generation}, the records are at ${String(stamp.generation)}`);
  }
  const versions = stamp.versions ?? snapshotVersions(options);
  const keys = new Set([...Object.keys(versions), ...Object.keys(header.versions)]);
  for (const key of keys) {
    if (versions[key] !== header.versions[key]) {
      throw new SnapshotRejectedError('stale', `${key} ${JSON.stringify(header.versions[key])} in the snapshot, ${JSON.stringify(versions[key])} now`);
    }
  }
  return { reader, header, decoded };
}

function restoreSides(
  { reader, header, decoded }: ReturnType<typeof openSnapshot>,
  options: ResolvedMatcherOptions,
  companies: SideSource<Company>,
  needs: SideSource<PartnerNeed>,
): Matcher {
  const companySide = readSide(reader, header.companies, decoded[0]);
  const needSide = readSide(reader, header.needs, decoded[1]);
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
export function restoreMatcher(snapshot: Uint8Array | PreloadedSnapshot, input: CreateMatcherInput, stamp: SnapshotStamp, restoreOptions: RestoreOptions = {}): Matcher {
  const options = resolveMatcherOptions(input.options);
  const opened = openSnapshot(snapshot, options, stamp);
  // Ids equal to the snapshot's (checked) are unique, as the snapshotted matcher's were.
  const { companies, needs } =
    restoreOptions.validated === true ? { companies: (input.companies ?? []) as readonly Company[], needs: (input.needs ?? []) as readonly PartnerNeed[] } : validateInput(input);
  return restoreOpened(opened, options, companies, needs);
}

function restoreOpened(opened: ReturnType<typeof openSnapshot>, options: ResolvedMatcherOptions, companies: readonly Company[], needs: readonly PartnerNeed[]): Matcher {
  return restoreSides(
    opened,
    options,
    { ids: companies.map((company) => company.id), records: companies, eligible: () => true },
    { ids: needs.map((need) => need.id), records: needs, eligible: (i) => needs[i]!.status !== 'closed' },
  );
}

/**
 * `restoreMatcher` under options resolved already, with records valid already (in the
 * snapshotted matcher's order): a matcher's exact copy on another thread (a replica). The
 * options are not resolved again, as that normalises the weights once more.
 */
export function restoreWithOptions(
  snapshot: Uint8Array,
  options: ResolvedMatcherOptions,
  stamp: SnapshotStamp,
  companies: readonly Company[],
  needs: readonly PartnerNeed[],
): Matcher {
  return restoreOpened(openSnapshot(snapshot, options, stamp), options, companies, needs);
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
  /**
   * For a snapshot written at another generation than the stamp's: the ids of each kind
   * created, changed or removed after that generation (a store's change log), or undefined
   * when the store cannot tell, or the snapshot is not older than the records (it is then
   * stale). `loadCompany` and `loadNeed` read the records as they are now.
   */
  readonly changedSince?: (generation: string) => RecordChanges | undefined;
}

/** Ids of each kind written (created, changed or removed) after a snapshot's generation. */
export interface RecordChanges {
  readonly companies: ReadonlySet<string>;
  readonly needs: ReadonlySet<string>;
}

/**
 * As `restoreMatcher`, from the records' ids alone: no record is read until it is first
 * used (ranked for, shown in a result, filtered, changed), so a start reads the index and
 * not every record. Which records are ranked (closed needs are not), their languages, tags
 * and partnership types come from the snapshot, which was made from these very records:
 * the caller vouches for that by the generation, as for `validated` records.
 */
export function restoreMatcherById(snapshot: Uint8Array | PreloadedSnapshot, records: RecordsById, stamp: SnapshotStamp): Matcher {
  const options = resolveMatcherOptions(records.options);
  let changes: RecordChanges | undefined;
  const opened = openSnapshot(snapshot, options, stamp, (generation) => (changes = records.changedSince?.(generation)) !== undefined);
  if (changes === undefined) {
    return restoreSides(opened, options, { ids: records.companyIds, load: records.loadCompany }, { ids: records.needIds, load: records.loadNeed });
  }
  return restoreCaughtUp(opened, options, records, changes);
}

/**
 * A snapshot of an earlier generation brought up to the records as they are: restored
 * with its own ids, then each record written since is taken out (its terms read from the
 * index: the record it was indexed from is gone from the store), the ones that still exist
 * are indexed again as they are now, and the order becomes the stored order. The index is
 * then the one a build over the current records gives (rankings bit for bit; tests hold it
 * to that). Rejected as stale when the records the log does not name differ from the
 * snapshot's.
 */
function restoreCaughtUp(opened: ReturnType<typeof openSnapshot>, options: ResolvedMatcherOptions, records: RecordsById, changes: RecordChanges): Matcher {
  const unreadable = (id: string): never => {
    throw new Error(`record ${JSON.stringify(id)} was written after the snapshot: the store holds it only as it is now`);
  };
  const guard =
    <T>(changed: ReadonlySet<string>, load: (id: string) => T) =>
    (id: string): T =>
      changed.has(id) ? unreadable(id) : load(id);
  const matcher = restoreSides(
    opened,
    options,
    { ids: undefined, load: guard(changes.companies, records.loadCompany) },
    { ids: undefined, load: guard(changes.needs, records.loadNeed) },
  );
  const engine = engineOf(matcher)!;
  const snapshotIds = [[...engine.companies.order], [...engine.needs.order]] as const;
  const sides = [
    { kind: 'company', label: 'companies', before: snapshotIds[0], now: records.companyIds, changed: changes.companies },
    { kind: 'need', label: 'needs', before: snapshotIds[1], now: records.needIds, changed: changes.needs },
  ] as const;
  for (const { label, before, now, changed } of sides) {
    const kept = (ids: readonly string[]) => ids.filter((id) => !changed.has(id));
    const [was, is] = [kept(before), kept(now)];
    if (was.length !== is.length || was.some((id, i) => id !== is[i])) {
      throw new SnapshotRejectedError('stale', `the ${label} the change log does not name differ from the snapshot's`);
    }
  }
  for (const { kind, before, now, changed } of sides) {
    if (changed.size === 0) continue;
    const held = new Set(before);
    engine.forgetIndexed(kind, [...changed].filter((id) => held.has(id)));
    for (const id of now) {
      if (!changed.has(id)) continue;
      if (kind === 'company') engine.indexCompany(records.loadCompany(id));
      else engine.indexNeed(records.loadNeed(id));
    }
    // The stored order itself: a record removed and made again since (or renamed there and
    // back) sits last in the store, not where the snapshot had it.
    const order = kind === 'company' ? engine.companies.order : engine.needs.order;
    order.length = 0;
    for (const id of now) order.push(id);
  }
  return matcher;
}
