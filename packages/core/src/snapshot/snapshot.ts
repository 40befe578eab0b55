import { createHash } from 'node:crypto';
import { preparedFrom, type AnalysedBatch } from '../batch.js';
import type { Side } from '../index/side.js';
import { startBuild, validateInput, type CreateMatcherInput, type Matcher } from '../matcher.js';
import { resolveMatcherOptions, type ResolvedMatcherOptions } from '../options.js';
import { engineOf } from '../ranking/engine.js';
import type { Company, PartnerNeed } from '../schema/records.js';
import type { AssignedTag } from '../scoring/inference.js';
import { taxonomy } from '../taxonomy/taxonomy.js';
import { createAnalyzer } from '../text/analyzer.js';
import type { Language } from '../text/language.js';
import { SNAPSHOT_FORMAT_VERSION, SnapshotReader, SnapshotRejectedError, SnapshotWriter } from './format.js';

// A snapshot holds what a build spends its time on — each record's analysis (terms with
// their frequencies, length, language, tags) — read back out of the live index, not the
// records themselves (the database holds those). Restoring indexes those analyses through
// the same path a parallel build takes (`addFromBatch`), in the records' order, so the
// matcher is the one a fresh build of the same records gives, score for score.

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
  const slots = new Int32Array(n);
  order.forEach((id, i) => {
    const slot = index.slotOf(id) ?? -1;
    slots[i] = slot;
    if (slot > maxSlot) maxSlot = slot;
  });
  const positionOf = new Int32Array(maxSlot + 1).fill(-1);
  slots.forEach((slot, i) => {
    if (slot >= 0) positionOf[slot] = i;
  });
  // Invert the posting lists into each record's terms: count, place, fill.
  const offsets = new Int32Array(n + 1);
  const vocabulary: string[] = [];
  for (const list of index.postingLists()) {
    vocabulary.push(list.term);
    for (const slot of list.slots) offsets[positionOf[slot]! + 1]! += 1;
  }
  for (let i = 0; i < n; i += 1) offsets[i + 1]! += offsets[i]!;
  const cursor = offsets.slice(0, n);
  const termRefs = new Int32Array(offsets[n]!);
  const tfs = new Float32Array(offsets[n]!);
  let ref = 0;
  for (const list of index.postingLists()) {
    for (let j = 0; j < list.slots.length; j += 1) {
      const at = cursor[positionOf[list.slots[j]!]!]!++;
      termRefs[at] = ref;
      tfs[at] = list.tfs[j]!;
    }
    ref += 1;
  }
  const lengths = new Float64Array(n);
  const languages = new Uint8Array(n);
  const tagSetRefs = new Int32Array(n);
  const tagSets: string[] = [];
  const tagSetRef = new Map<string, number>();
  order.forEach((id, i) => {
    const entry = side.entries.get(id)!;
    lengths[i] = slots[i]! >= 0 ? index.lengthAt(slots[i]!) : 0;
    languages[i] = LANGUAGES.indexOf(entry.language);
    const key = JSON.stringify(entry.tags);
    let tagRef = tagSetRef.get(key);
    if (tagRef === undefined) {
      tagRef = tagSets.length;
      tagSets.push(key);
      tagSetRef.set(key, tagRef);
    }
    tagSetRefs[i] = tagRef;
  });
  writer.strings(order);
  writer.uint8(languages);
  writer.strings(tagSets);
  writer.int32(tagSetRefs);
  writer.float64(lengths);
  writer.strings(vocabulary);
  writer.int32(offsets);
  writer.int32(termRefs);
  writer.float32(tfs);
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
  readonly batch: AnalysedBatch;
}

function readSide(reader: SnapshotReader, count: number): StoredSide {
  const ids = reader.strings();
  const languages = reader.uint8();
  const tagSets = reader.strings().map((json) => JSON.parse(json) as AssignedTag[]);
  const tagSetRefs = reader.int32();
  const lengths = reader.float64();
  const vocabulary = reader.strings();
  const offsets = reader.int32();
  const termRefs = reader.int32();
  const tfs = reader.float32();
  const n = ids.length;
  if (n !== count || languages.length !== n || tagSetRefs.length !== n || lengths.length !== n || offsets.length !== n + 1) {
    throw new SnapshotRejectedError('format', 'section sizes disagree');
  }
  if (offsets[n] !== termRefs.length || tfs.length !== termRefs.length) throw new SnapshotRejectedError('format', 'term sections disagree');
  for (let i = 0; i < n; i += 1) {
    if (!(offsets[i]! <= offsets[i + 1]!) || languages[i]! >= LANGUAGES.length || !(tagSetRefs[i]! >= 0 && tagSetRefs[i]! < tagSets.length)) {
      throw new SnapshotRejectedError('format', `record ${i} is malformed`);
    }
  }
  for (const ref of termRefs) if (!(ref >= 0 && ref < vocabulary.length)) throw new SnapshotRejectedError('format', 'a term reference is out of range');
  const batch: AnalysedBatch = {
    vocabulary,
    termRefs: termRefs as Int32Array<ArrayBuffer>,
    tfs: tfs as Float32Array<ArrayBuffer>,
    offsets: offsets as Int32Array<ArrayBuffer>,
    lengths: lengths as Float64Array<ArrayBuffer>,
    languages: Array.from(languages, (code) => LANGUAGES[code]!),
    tags: Array.from(tagSetRefs, (ref) => tagSets[ref]!),
  };
  return { ids, batch };
}

function sameIds(records: readonly { id: string }[], ids: readonly string[], kind: string): void {
  if (records.length !== ids.length) throw new SnapshotRejectedError('stale', `${ids.length} ${kind} in the snapshot, ${records.length} given`);
  for (let i = 0; i < ids.length; i += 1) {
    if (records[i]!.id !== ids[i]) throw new SnapshotRejectedError('stale', `${kind} ${i} is ${JSON.stringify(records[i]!.id)}, the snapshot has ${JSON.stringify(ids[i])}`);
  }
}

/**
 * The matcher over `input`'s records from a snapshot of the same records, as
 * `createMatcher(input)` builds it but without analysing any text. Throws
 * `SnapshotRejectedError` (and the caller builds instead) when the snapshot is torn,
 * altered, of another format, written under other versions or options, at another
 * generation, or of other records (ids or their order differ).
 */
export function restoreMatcher(snapshot: Uint8Array, input: CreateMatcherInput, stamp: SnapshotStamp): Matcher {
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
  const { companies, needs } = validateInput(input);
  const companySide = readSide(reader, header.companies);
  const needSide = readSide(reader, header.needs);
  sameIds(companies, companySide.ids, 'companies');
  sameIds(needs, needSide.ids, 'needs');
  const build = startBuild(options);
  const prepared = preparedFrom();
  companies.forEach((company, i) => build.addCompany(company, prepared(companySide.batch, i)));
  needs.forEach((need, i) => build.addNeed(need, prepared(needSide.batch, i)));
  return build.finish();
}
