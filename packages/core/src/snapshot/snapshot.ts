import { createHash } from 'node:crypto';
import type { Side } from '../index/side.js';
import type { TermIndex } from '../index/term-index.js';
import { startBuild, validateInput, type CreateMatcherInput, type Matcher } from '../matcher.js';
import { resolveMatcherOptions, type ResolvedMatcherOptions } from '../options.js';
import { engineOf, type PreparedRecord } from '../ranking/engine.js';
import type { Company, PartnerNeed } from '../schema/records.js';
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
  const tagSets: string[] = [];
  const tagSetRef = new Map<string, number>();
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
      const key = JSON.stringify(entry.tags);
      tagRef = tagSetRef.get(key);
      if (tagRef === undefined) {
        tagRef = tagSets.length;
        tagSets.push(key);
        tagSetRef.set(key, tagRef);
      }
      refOfArray.set(entry.tags, tagRef);
    }
    tagSetRefs[i] = tagRef;
  }
  writer.strings(order);
  writer.uint8(indexed);
  writer.uint8(languages);
  writer.strings(tagSets);
  writer.int32(tagSetRefs);
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
  readonly ids: string[];
  readonly indexed: Uint8Array;
  readonly languages: Language[];
  readonly tags: AssignedTag[][];
  readonly lengths: Float64Array;
  readonly vocabulary: string[];
  readonly listOffsets: Int32Array;
  /** Per list, the gaps between ascending record positions (the first from -1), LEB128. */
  readonly gaps: Uint8Array;
  readonly tfs: Uint8Array | Float32Array;
}

function readSide(reader: SnapshotReader, count: number): StoredSide {
  const ids = reader.strings();
  const indexed = reader.uint8();
  const languageCodes = reader.uint8();
  const tagSets = reader.strings().map((json) => JSON.parse(json) as AssignedTag[]);
  const tagSetRefs = reader.int32();
  const lengths = reader.float64();
  const vocabulary = reader.strings();
  const listOffsets = reader.int32();
  const gaps = reader.uint8();
  const tfKind = reader.uint8();
  if (tfKind.length !== 1 || (tfKind[0] !== 1 && tfKind[0] !== 4)) throw new SnapshotRejectedError('format', 'unknown term frequency encoding');
  const tfs = tfKind[0] === 1 ? reader.uint8() : reader.float32();
  const n = ids.length;
  if (n !== count || indexed.length !== n || languageCodes.length !== n || tagSetRefs.length !== n || lengths.length !== n) {
    throw new SnapshotRejectedError('format', 'section sizes disagree');
  }
  if (listOffsets.length !== vocabulary.length + 1 || listOffsets[0] !== 0 || listOffsets[vocabulary.length] !== tfs.length) {
    throw new SnapshotRejectedError('format', 'posting sections disagree');
  }
  for (let i = 0; i < n; i += 1) {
    if (languageCodes[i]! >= LANGUAGES.length || !(tagSetRefs[i]! >= 0 && tagSetRefs[i]! < tagSets.length)) throw new SnapshotRejectedError('format', `record ${i} is malformed`);
  }
  return {
    ids,
    indexed,
    languages: Array.from(languageCodes, (code) => LANGUAGES[code]!),
    tags: Array.from(tagSetRefs, (ref) => tagSets[ref]!),
    lengths,
    vocabulary,
    listOffsets,
    gaps,
    tfs,
  };
}

/**
 * What a restore adds each record with: its stored language and tags, and, for the first
 * record indexed, the whole side's posting lists loaded into the (empty) index at once.
 */
function preparedSide(stored: StoredSide, eligible: readonly boolean[]): (i: number) => PreparedRecord {
  const n = stored.ids.length;
  const slotOfPosition = new Int32Array(n).fill(-1);
  const ids: string[] = [];
  const lengths = new Float64Array(n);
  for (let i = 0; i < n; i += 1) {
    if (eligible[i] !== (stored.indexed[i] === 1)) throw new SnapshotRejectedError('stale', `record ${JSON.stringify(stored.ids[i])} is ${eligible[i] ? '' : 'not '}ranked now, unlike in the snapshot`);
    if (!eligible[i]) continue;
    slotOfPosition[i] = ids.length;
    lengths[ids.length] = stored.lengths[i]!;
    ids.push(stored.ids[i]!);
  }
  // Gaps back to positions, and positions to slots (the same when every record is indexed).
  const { gaps, listOffsets } = stored;
  const slots = new Int32Array(stored.tfs.length);
  const lists = listOffsets.length - 1;
  let at = 0;
  for (let t = 0; t < lists; t += 1) {
    let position = -1;
    for (let j = listOffsets[t]!, end = listOffsets[t + 1]!; j < end; j += 1) {
      let gap = 0;
      let shift = 0;
      let byte: number;
      do {
        if (at >= gaps.length || shift > 28) throw new SnapshotRejectedError('format', 'a posting list runs past its section');
        byte = gaps[at++]!;
        gap += (byte & 0x7f) * 2 ** shift;
        shift += 7;
      } while (byte >= 0x80);
      position += gap;
      const slot = gap > 0 && position < n ? slotOfPosition[position]! : -1;
      if (slot < 0) throw new SnapshotRejectedError('format', 'a posting names a record that is not indexed');
      slots[j] = slot;
    }
  }
  if (at !== gaps.length) throw new SnapshotRejectedError('format', 'a posting section holds more than its lists');
  let loaded = false;
  return (i) => ({
    language: stored.languages[i]!,
    tags: stored.tags[i]!,
    sharedTags: true,
    addTo(index: TermIndex, id: string): number {
      if (!loaded) {
        try {
          index.loadPacked({ ids, lengths: lengths.subarray(0, ids.length), vocabulary: stored.vocabulary, listOffsets: stored.listOffsets, slots, tfs: stored.tfs });
        } catch (error) {
          throw new SnapshotRejectedError('format', error instanceof Error ? error.message : String(error));
        }
        loaded = true;
      }
      // The slot the load gave this record: its rank among the indexed records.
      const slot = slotOfPosition[i]!;
      if (ids[slot] !== id) throw new SnapshotRejectedError('stale', `record ${JSON.stringify(id)} is not where the snapshot has it`);
      return slot;
    },
  });
}

function sameIds(records: readonly { id: string }[], ids: readonly string[], kind: string): void {
  if (records.length !== ids.length) throw new SnapshotRejectedError('stale', `${ids.length} ${kind} in the snapshot, ${records.length} given`);
  for (let i = 0; i < ids.length; i += 1) {
    if (records[i]!.id !== ids[i]) throw new SnapshotRejectedError('stale', `${kind} ${i} is ${JSON.stringify(records[i]!.id)}, the snapshot has ${JSON.stringify(ids[i])}`);
  }
}

export interface RestoreOptions {
  /**
   * The records are valid already: each is a value `validateCompany` / `validateNeed`
   * returned (say, read back from a store that holds only such), so they are used as
   * given instead of validated again. Their ids must still match the snapshot's.
   */
  readonly validated?: boolean;
}

/**
 * The matcher over `input`'s records from a snapshot of the same records, as
 * `createMatcher(input)` builds it but without analysing any text. Throws
 * `SnapshotRejectedError` (and the caller builds instead) when the snapshot is torn,
 * altered, of another format, written under other versions or options, at another
 * generation, or of other records (ids or their order differ).
 */
export function restoreMatcher(snapshot: Uint8Array, input: CreateMatcherInput, stamp: SnapshotStamp, restoreOptions: RestoreOptions = {}): Matcher {
  const reader = new SnapshotReader(snapshot);
  const header = headerOf(reader);
  const options = resolveMatcherOptions(input.options);
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
  // Ids equal to the snapshot's (checked below) are unique, as the snapshotted matcher's were.
  const { companies, needs } =
    restoreOptions.validated === true ? { companies: (input.companies ?? []) as readonly Company[], needs: (input.needs ?? []) as readonly PartnerNeed[] } : validateInput(input);
  const companySide = readSide(reader, header.companies);
  const needSide = readSide(reader, header.needs);
  sameIds(companies, companySide.ids, 'companies');
  sameIds(needs, needSide.ids, 'needs');
  const companyPrepared = preparedSide(companySide, companies.map(() => true));
  const needPrepared = preparedSide(needSide, needs.map((need) => need.status !== 'closed'));
  const build = startBuild(options);
  companies.forEach((company, i) => build.addCompany(company, companyPrepared(i)));
  needs.forEach((need, i) => build.addNeed(need, needPrepared(i)));
  return build.finish();
}
