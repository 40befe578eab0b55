import { similarity as mlSimilarity } from 'ml-distance';
import { PartnermatchError } from '../errors.js';
import { recordFields } from '../index/fields.js';
import { TF_PER_UNIT, TF_UNITS } from '../index/postings.js';
import type { DocumentTerms } from '../index/term-index.js';
import { resolveMatcherOptions, startBuild, validateInput, type CreateMatcherInput, type Matcher } from '../matcher.js';
import { engineOf } from '../ranking/engine.js';
import { DEFAULT_FIELD_WEIGHTS, type FieldWeights } from '../options.js';
import type { Company } from '../schema/records.js';
import { createAnalyzer, isConceptTerm, type AnalyzerOptions, type InternalAnalyzer } from '../text/analyzer.js';
import type { Language } from '../text/language.js';

/**
 * A likely duplicate, exactly in the service's contract: `id` is the record being checked,
 * `duplicateOf` the one it resembles (a record already known, or one checked earlier).
 */
export interface DuplicateWarning {
  readonly code: 'possible-duplicate';
  readonly id: string;
  readonly duplicateOf: string;
  /** `orgNumber`: the same organisation number; `similar-text`: name and description close. */
  readonly reason: 'orgNumber' | 'similar-text';
  /** In [0, 1], rounded to 2 decimals; 1 for an organisation number. */
  readonly similarity: number;
}

export interface DuplicateOptions {
  /**
   * Lowest similarity reported as `similar-text`, in (0, 1]. Defaults to
   * {@link DEFAULT_DUPLICATE_THRESHOLD}, chosen on `fixtures/duplicates` (see its README).
   */
  readonly threshold?: number;
  /** Most warnings per checked record, best first. Defaults to 3. */
  readonly maxPerRecord?: number;
  /**
   * How many candidates, found through the record's rarest terms, are compared in full.
   * Defaults to 10: a duplicate shares its rarest terms, so it ranks near the top.
   */
  readonly candidates?: number;
  /** Text pipeline switches, as for the matcher. Defaults to the matcher's defaults. */
  readonly analyzer?: AnalyzerOptions;
  /**
   * Field weights, as for the matcher. Defaults to the matcher's. The whole text is analysed
   * exactly as the matcher indexes it, so a check right after indexing reuses that analysis.
   */
  readonly fieldWeights?: Partial<FieldWeights>;
}

/**
 * Chosen on the labelled set `fixtures/duplicates`: the best F1 there (precision 0.97, recall
 * 0.97); every threshold from 0.50 to 0.75 keeps precision ≥ 0.9 and recall ≥ 0.8.
 */
export const DEFAULT_DUPLICATE_THRESHOLD = 0.55;
const DEFAULT_MAX_PER_RECORD = 3;
const DEFAULT_CANDIDATES = 10;
/** Rarest terms of a record used to find candidates. */
const PROBE_TERMS = 16;
/** Most postings read to find a record's candidates. */
const PROBE_BUDGET = 512;
/**
 * A term's posting list is kept while at most this many records hold it. A probe reads a list
 * only when its term's records fit the budget, and at 100k synthetic companies 91 % of postings
 * were in longer lists: 40 MB and more, never read. Twice the budget, so a dropped list is
 * needed again only after removals have halved its term's records; it is then read off them.
 */
const POSTED_DF_LIMIT = 2 * PROBE_BUDGET;
/** Term ids stay below this (2^26), so a probe's sort key df · 2^26 + id is an exact double. */
const TERM_ID_SPAN = 2 ** 26;
/**
 * How far below the threshold a pre-filter estimate may be and still be compared by ml-distance:
 * the rounding to 2 decimals (0.005) and more, so the estimate never drops a pair ml-distance would report.
 */
const PREFILTER_MARGIN = 0.01;
/** A concept counts this much more than a word, as in the matcher's default `conceptWeight`. */
const CONCEPT_WEIGHT = 1.5;

// Words that say what kind of legal entity a firm is, not which firm: "AB" is in most names.
const LEGAL_FORMS =
  /(?<![\p{L}\p{N}])(?:ab|aktiebolag|publ|hb|kb|handelsbolag|ek\.?\s?för|ltd|limited|inc|incorporated|co|corp|corporation|company|gmbh|oy|as|a\/s|plc|llc)(?![\p{L}\p{N}])\.?|(?:股份)?有限(?:责任)?公司|公司/giu;

/** `556796-3896`, `5567963896` and the 12-digit `16556796-3896` are one number. */
export function normalizeOrgNumber(orgNumber: string): string | undefined {
  const digits = orgNumber.replace(/\D/g, '');
  if (digits.length === 12 && digits.startsWith('16')) return digits.slice(2);
  return digits.length === 10 ? digits : undefined;
}

/**
 * What a record is compared on: its whole text and its analysed name, as two sparse vectors
 * laid out in one pair of arrays (two typed arrays per record rather than five: at 100k
 * records each array's own bookkeeping costs more than its numbers).
 */
interface Profile {
  readonly id: string;
  readonly org: string | undefined;
  readonly language: Language;
  /**
   * Term ids: the text's in `[0, nameStart)`, the name's in `[nameStart, nameEnd)`, then the
   * name's terms the text lacks. Text and extra terms are every distinct term of the record:
   * what the inverted index holds for it.
   */
  readonly ids: Int32Array;
  /**
   * Each id's term frequency (of the text and of the name) as a byte of `TF_UNITS` per unit,
   * when every one is a whole number of units from 1 to 255 (nearly always: field weights are
   * whole numbers by default, a translation inside a glossary phrase counts half); its weight
   * is then `LOG_TF[units]`. A quarter of what its eight-byte weight took, and no
   * logarithm per term while a seed of 100k records is indexed.
   */
  readonly counts: Uint8Array | undefined;
  /** Otherwise `1 + ln tf` beside each id of the text and of the name. */
  readonly tf: Float64Array | undefined;
  readonly nameStart: number;
  readonly nameEnd: number;
}

/** Elements per slab chunk: 4 MB of term ids, 1 MB of counts. */
const SLAB_CHUNK = 2 ** 20;

/**
 * The arrays of a seed's profiles, cut from shared chunks: at 100k companies, two typed arrays
 * per profile were 200k array buffers, each with its own backing store, and collecting them
 * was a third of building the index from a seed. A chunk lives while any profile cut from it
 * does, so what removals leave unused is bounded by the seed's own size; profiles made later
 * (writes) get arrays of their own.
 */
class SeedSlabs {
  readonly ids = chunked((length) => new Int32Array(length));
  readonly counts = chunked((length) => new Uint8Array(length));
}

/** Arrays of `length` elements cut in turn from chunks of at least `SLAB_CHUNK` made by `make`. */
function chunked<T extends Int32Array | Uint8Array>(make: (length: number) => T): (length: number) => T {
  let chunk = make(0);
  let used = 0;
  return (length) => {
    if (used + length > chunk.length) {
      chunk = make(Math.max(SLAB_CHUNK, length));
      used = 0;
    }
    used += length;
    return chunk.subarray(used - length, used) as T;
  };
}

/**
 * Likely duplicate companies, kept up to date as the register changes. `check` asks about a
 * record without adding it; `add` makes it known (later checks may then name it).
 */
export interface DuplicateIndex {
  readonly size: number;
  readonly threshold: number;
  /** Warnings for `company` against the known records other than itself, best first. */
  check(company: Company): DuplicateWarning[];
  /** Adds (or replaces, by id) a known record. */
  add(company: Company): void;
  /** `check` then `add`, analysing the record once: what an import does for each new record. */
  checkAndAdd(company: Company): DuplicateWarning[];
  /** Forgets a record; false if it was not known. */
  remove(id: string): boolean;
  /**
   * Every likely duplicate pair among the known records, each once: `id` is the later-added
   * record of the pair, `duplicateOf` the earlier one (as an import would have reported it).
   * Strongest first (organisation numbers, then similarity), ties by ids. Compares stored
   * profiles, analysing nothing again.
   */
  pairs(): DuplicateWarning[];
}

function resolve(options: DuplicateOptions): { threshold: number; maxPerRecord: number; candidates: number } {
  const threshold = options.threshold ?? DEFAULT_DUPLICATE_THRESHOLD;
  const maxPerRecord = options.maxPerRecord ?? DEFAULT_MAX_PER_RECORD;
  const candidates = options.candidates ?? DEFAULT_CANDIDATES;
  const issues = [
    !(threshold > 0 && threshold <= 1) && { path: 'options.threshold', message: 'must be within (0, 1]' },
    !(Number.isInteger(maxPerRecord) && maxPerRecord >= 1) && { path: 'options.maxPerRecord', message: 'must be a whole number ≥ 1' },
    !(Number.isInteger(candidates) && candidates >= 1) && { path: 'options.candidates', message: 'must be a whole number ≥ 1' },
  ].filter((issue) => issue !== false);
  if (issues.length > 0) {
    throw new PartnermatchError('INVALID_OPTIONS', `invalid duplicate options: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, { issues });
  }
  return { threshold, maxPerRecord, candidates };
}

/**
 * Cosine similarity by ml-distance of two vectors laid out densely on the union of their
 * terms; `weight(i, term)` gives a term's weight on side i (0 or 1). 0 when either vector is
 * empty or all-zero: ml-distance answers NaN there, which must never reach a score.
 */
function denseCosine<T>(a: readonly T[], b: readonly T[], weight: (side: 0 | 1, term: T) => number): number {
  if (a.length === 0 || b.length === 0) return 0;
  const union = [...new Set([...a, ...b])];
  const left = new Float64Array(union.length);
  const right = new Float64Array(union.length);
  const inA = new Set(a);
  const inB = new Set(b);
  union.forEach((term, i) => {
    if (inA.has(term)) left[i] = weight(0, term);
    if (inB.has(term)) right[i] = weight(1, term);
  });
  return finite(mlSimilarity.cosine(left as unknown as number[], right as unknown as number[]));
}

/** The posting list of a term no record holds yet (never written: the first posting replaces it). */
const NO_POSTINGS = new Int32Array(0);
/** The posting list of a term held by more than POSTED_DF_LIMIT records: not kept (never written). */
const DROPPED_POSTINGS = new Int32Array(0);

/** `1 + ln tf` for a term frequency of `units` (a profile's `counts`, `TF_UNITS` per unit): the value `tf` would hold, to the bit. */
const LOG_TF = Float64Array.from({ length: 256 }, (_, units) => (units === 0 ? 0 : 1 + Math.log(units * TF_PER_UNIT)));

/** Whether a term frequency can be kept as a byte of `Profile.counts`. */
function fitsByte(frequency: number): boolean {
  const units = frequency * TF_UNITS;
  return Number.isInteger(units) && units >= 1 && units <= 255;
}

/** The `1 + ln tf` weight of a profile's `k`-th id. */
function tfAt(profile: Profile, k: number): number {
  return profile.counts !== undefined ? LOG_TF[profile.counts[k]!]! : profile.tf![k]!;
}

const finite = (value: number): number => (Number.isFinite(value) ? Math.min(1, Math.max(0, value)) : 0);

/** Cosine similarity of two sparse vectors given as term → weight, by ml-distance on dense arrays. */
export function cosineOf(a: ReadonlyMap<string, number>, b: ReadonlyMap<string, number>): number {
  return denseCosine([...a.keys()], [...b.keys()], (side, term) => (side === 0 ? a : b).get(term)!);
}

const round2 = (value: number): number => Math.round(value * 100) / 100;

/** Warnings best first; equal similarities by `duplicateOf`. */
function byStrength(a: DuplicateWarning, b: DuplicateWarning): number {
  if (a.reason !== b.reason) return a.reason === 'orgNumber' ? -1 : 1;
  if (a.similarity !== b.similarity) return b.similarity - a.similarity;
  return a.duplicateOf < b.duplicateOf ? -1 : a.duplicateOf > b.duplicateOf ? 1 : 0;
}

/**
 * A company as the index reads it, before its terms are numbered: what the text pipeline made
 * of it, laid out flat so it crosses to a worker thread as a few arrays. `terms[0, textSize)`
 * are the whole text's terms (the matcher's analysis), the rest the bare name's.
 */
export interface AnalysedCompany {
  readonly id: string;
  readonly orgNumber: string | undefined;
  readonly language: Language;
  readonly terms: readonly string[];
  /** Each term's count, beside it. */
  readonly counts: Float64Array;
  readonly textSize: number;
}

/** The index's own entry points for analyses made elsewhere (a worker's index is fed by the thread that analysed). */
export interface InternalDuplicateIndex extends DuplicateIndex {
  addAnalysed(analysed: AnalysedCompany): void;
  /** Adds the companies of a seed, in its order (as `add` would, without analysing their texts). */
  addSeed(seed: DuplicateSeed): void;
  checkAndAddAnalysed(analysed: AnalysedCompany): DuplicateWarning[];
}

/**
 * The analysis a duplicate index reads, with the index's text settings. Right after the
 * matcher indexed a company this reuses the matcher's analysis of its text; only the bare
 * name is analysed again.
 */
export function duplicateAnalyser(options: Pick<DuplicateOptions, 'analyzer' | 'fieldWeights'> = {}): (company: Company) => AnalysedCompany {
  return textAnalysers(options).analyse;
}

/** A record's analysis and its bare name's alone, with one analyzer (and its word memos) between them. */
function textAnalysers(options: Pick<DuplicateOptions, 'analyzer' | 'fieldWeights'>): {
  analyse: (company: Company) => AnalysedCompany;
  nameTerms: (name: string) => ReadonlyMap<string, number> | undefined;
} {
  const analyzer: InternalAnalyzer = createAnalyzer(options.analyzer);
  const fieldWeights: FieldWeights = { ...DEFAULT_FIELD_WEIGHTS, ...options.fieldWeights };
  const nameTerms = (name: string): ReadonlyMap<string, number> | undefined => {
    const bareName = name.replace(LEGAL_FORMS, ' ').trim();
    return bareName === '' ? undefined : analyzer.analyze(bareName, { surfaces: false }).terms;
  };
  const analyse = (company: Company): AnalysedCompany => {
    const text = analyzer.analyze(recordFields('company', company, fieldWeights), { surfaces: false });
    const name = nameTerms(company.name);
    const size = text.terms.size + (name?.size ?? 0);
    const terms = new Array<string>(size);
    const counts = new Float64Array(size);
    let k = 0;
    for (const [term, count] of text.terms) {
      terms[k] = term;
      counts[k++] = count;
    }
    for (const [term, count] of name ?? []) {
      terms[k] = term;
      counts[k++] = count;
    }
    return { id: company.id, orgNumber: company.orgNumber, language: text.language, terms, counts, textSize: text.terms.size };
  };
  return { analyse, nameTerms };
}

/** A company a {@link DuplicateSeed} makes known: what the matcher's index does not hold of it. */
export interface SeedCompany {
  readonly id: string;
  readonly name: string;
  readonly orgNumber?: string | undefined;
}

/**
 * The companies a duplicate index starts with, taken from a matcher that holds them: each
 * text's terms as the matcher indexed them (the analysis the duplicate index would make
 * again), with the order, names and organisation numbers of {@link duplicateSeed}'s list.
 * Built from records, the index analyses every text again (~20 s at 100k companies, and
 * every record read into memory); from a seed it analyses the names alone. Plain arrays
 * and typed arrays, so it crosses to a worker thread (the typed arrays transferred).
 */
export interface DuplicateSeed {
  readonly ids: readonly string[];
  readonly names: readonly string[];
  readonly orgNumbers: readonly (string | undefined)[];
  readonly languages: readonly Language[];
  /** Each company's row of `text`. */
  readonly rows: Int32Array<ArrayBuffer>;
  readonly text: DocumentTerms;
}

/**
 * A {@link DuplicateSeed} of `companies` (in the order a duplicate index should know them:
 * `pairs` names the later one of a pair) from `matcher`, which must hold each of them with
 * the text settings the index is given. NOT_FOUND names a company the matcher lacks.
 */
export function duplicateSeed(matcher: Matcher, companies: Iterable<SeedCompany>): DuplicateSeed {
  const engine = engineOf(matcher);
  if (engine === undefined) throw new TypeError('duplicateSeed needs a matcher made by createMatcher');
  const side = engine.companies;
  const ids: string[] = [];
  const names: string[] = [];
  const orgNumbers: (string | undefined)[] = [];
  const languages: Language[] = [];
  const rows: number[] = [];
  for (const company of companies) {
    const slot = side.index.slotOf(company.id);
    const language = slot === undefined ? undefined : side.languageAt(slot);
    if (slot === undefined || language === undefined) throw new PartnermatchError('NOT_FOUND', `no company ${JSON.stringify(company.id)} in the matcher`);
    ids.push(company.id);
    names.push(company.name);
    orgNumbers.push(company.orgNumber);
    languages.push(language);
    rows.push(slot);
  }
  return { ids, names, orgNumbers, languages, rows: Int32Array.from(rows), text: side.index.documentTerms() };
}

/**
 * A duplicate index over `existing` companies. Candidates for a check come from an inverted
 * index of terms (words and glossary concepts), probed with the checked record's rarest
 * terms, so a check costs about the same at 100 or 100,000 records; each candidate is then
 * compared in full: the cosine of TF-IDF vectors of name and whole text (words and concepts).
 * Across languages (a Swedish and an English text of one firm share no words) the text is
 * compared on its glossary concepts and on the words both share (names, places, product
 * codes), and the name must agree too.
 */
export function createDuplicateIndex(existing: readonly Company[] | DuplicateSeed = [], options: DuplicateOptions = {}): InternalDuplicateIndex {
  const settings = resolve(options);
  const { analyse, nameTerms } = textAnalysers(options);
  const fieldWeights: FieldWeights = { ...DEFAULT_FIELD_WEIGHTS, ...options.fieldWeights };
  // Terms are numbered once; per-term facts live in arrays indexed by that number.
  const termIds = new Map<string, number>();
  const conceptFactor: number[] = [];
  const df: number[] = [];
  // Each term's posting list (slots, in insertion order) and its length: typed arrays grown by
  // doubling take half the memory of arrays of numbers.
  const postings: Int32Array[] = [];
  const postingSize: number[] = [];
  // Scratch per term id, each explained where it is used. Every array gets an
  // entry as a term is numbered, so each stays one dense block of numbers: written sparsely,
  // V8 would turn it into a hash table and every access into a lookup.
  const termMark: number[] = [];
  const nameCount: number[] = [];
  const position: number[] = [];
  const inFirst: number[] = [];
  const inBoth: number[] = [];
  const probeWeight: number[] = [];
  const probeStamp: number[] = [];
  const probeNameWeight: number[] = [];
  const probeNameStamp: number[] = [];
  // Scratch per slot for counting a check's votes without a map: the vote and the check it belongs to.
  const vote: number[] = [];
  const voteStamp: number[] = [];
  // Records live in slots; a removal empties its slot, and a posting list drops empty slots
  // when next read. Slots only grow, so every posting list stays in insertion order.
  const slots: (Profile | undefined)[] = [];
  const slotOf = new Map<string, number>();
  const byOrg = new Map<string, Set<string>>();

  const termId = (term: string): number => {
    let id = termIds.get(term);
    if (id === undefined) {
      id = termIds.size;
      termIds.set(term, id);
      conceptFactor.push(isConceptTerm(term) ? CONCEPT_WEIGHT : 1);
      df.push(0);
      postings.push(NO_POSTINGS);
      postingSize.push(0);
      for (const scratch of [termMark, position, inFirst, inBoth, probeStamp, probeNameStamp]) scratch.push(-1);
      for (const scratch of [probeWeight, probeNameWeight, nameCount]) scratch.push(0.5);
    }
    return id;
  };

  // Marks per term id (by mark number) for building a profile without intermediate maps or sets.
  let mark = 0;
  // A profile's text ids as numbered, before the record's own array is sized (one lookup per term).
  let textIds = new Int32Array(256);
  // A profile's term frequencies, before they are stored as bytes or as weights.
  let frequencies = new Float64Array(256);

  const profileOf = (analysed: AnalysedCompany): Profile => {
    const textSize = analysed.textSize;
    const nameIds = new Int32Array(analysed.terms.length - textSize);
    for (let k = 0; k < nameIds.length; k += 1) nameIds[k] = termId(analysed.terms[textSize + k]!);
    if (textIds.length < textSize) textIds = new Int32Array(2 * textSize);
    for (let k = 0; k < textSize; k += 1) textIds[k] = termId(analysed.terms[k]!);
    return profileFrom(analysed.id, analysed.orgNumber, analysed.language, textSize, analysed.counts, 0, nameIds, analysed.counts, textSize);
  };

  /**
   * A profile from the text's term ids (`textIds[0, textSize)`, counts from
   * `textCounts[textFrom]` on) and the name's (`nameIds`, counts from `nameCounts[nameFrom]` on).
   */
  const profileFrom = (
    id: string,
    orgNumber: string | undefined,
    language: Language,
    textSize: number,
    textCounts: ArrayLike<number>,
    textFrom: number,
    nameIds: Int32Array,
    nameCounts: ArrayLike<number>,
    nameFrom: number,
    slabs?: SeedSlabs,
  ): Profile => {
    const nameStart = textSize;
    const nameEnd = textSize + nameIds.length;
    // The text is the matcher's analysis, shared rather than made again, with the name counted
    // once: the matcher weighs it `fieldWeights.name`, and a name that counted three times would
    // outweigh a description translated with it. The name's own terms are those of its analysis
    // alone, so where that reads the name in another language a term keeps its weight.
    mark += 2;
    const inName = mark - 1;
    const inText = mark;
    const extra = fieldWeights.name - 1;
    for (let k = 0; k < nameIds.length; k += 1) {
      const term = nameIds[k]!;
      termMark[term] = inName;
      nameCount[term] = nameCounts[nameFrom + k]!;
    }
    // The name's terms are indexed with the text's: a renamed firm is found by its text, a
    // re-described one by its name. Counted first, so the ids take one array of the right size.
    for (let k = 0; k < textSize; k += 1) if (termMark[textIds[k]!] === inName) termMark[textIds[k]!] = inText;
    let extraTerms = 0;
    for (const term of nameIds) if (termMark[term] === inName) extraTerms += 1;
    const ids = slabs === undefined ? new Int32Array(nameEnd + extraTerms) : slabs.ids(nameEnd + extraTerms);
    if (frequencies.length < nameEnd) frequencies = new Float64Array(2 * nameEnd);
    let whole = true;
    for (let k = 0; k < textSize; k += 1) {
      const term = textIds[k]!;
      const total = textCounts[textFrom + k]!;
      const named = termMark[term] === inText ? nameCount[term]! * extra : 0;
      ids[k] = term;
      const frequency = named !== 0 && total > named ? total - named : total;
      frequencies[k] = frequency;
      whole &&= fitsByte(frequency);
    }
    for (let k = 0; k < nameIds.length; k += 1) {
      ids[nameStart + k] = nameIds[k]!;
      const frequency = nameCounts[nameFrom + k]!;
      frequencies[nameStart + k] = frequency;
      whole &&= fitsByte(frequency);
    }
    let n = nameEnd;
    for (const term of nameIds) if (termMark[term] === inName) ids[n++] = term;
    let counts: Uint8Array | undefined;
    let tf: Float64Array | undefined;
    // Filled by index: `TypedArray.from` with a mapping function iterates the source through
    // the iterator protocol, and was a third of building the index from a seed at 100k.
    if (whole) {
      counts = slabs === undefined ? new Uint8Array(nameEnd) : slabs.counts(nameEnd);
      for (let k = 0; k < nameEnd; k += 1) counts[k] = frequencies[k]! * TF_UNITS;
    } else {
      tf = new Float64Array(nameEnd);
      for (let k = 0; k < nameEnd; k += 1) tf[k] = 1 + Math.log(frequencies[k]!);
    }
    return {
      id,
      org: orgNumber === undefined ? undefined : normalizeOrgNumber(orgNumber),
      language,
      ids,
      counts,
      tf,
      nameStart,
      nameEnd,
    };
  };

  /**
   * The live slots holding a term, compacting the list once removals have left it half empty;
   * a dropped list is read again off the records (in slot order, as it was written).
   */
  const postingOf = (id: number): Int32Array => {
    if (postings[id] === DROPPED_POSTINGS) {
      const list = new Int32Array(Math.max(4, df[id]!));
      let size = 0;
      for (let slot = 0; slot < slots.length; slot += 1) {
        const profile = slots[slot];
        if (profile !== undefined && holdsTerm(profile, id)) list[size++] = slot;
      }
      postings[id] = list;
      postingSize[id] = size;
      return list;
    }
    const list = postings[id]!;
    const size = postingSize[id]!;
    if (size > 2 * df[id]!) {
      let kept = 0;
      for (let k = 0; k < size; k += 1) if (slots[list[k]!] !== undefined) list[kept++] = list[k]!;
      postingSize[id] = kept;
    }
    return list;
  };

  /** Adds `slot` to the term's list; call after counting the record in the term's `df`. */
  const post = (term: number, slot: number): void => {
    let list = postings[term]!;
    if (list === DROPPED_POSTINGS) return;
    if (df[term]! > POSTED_DF_LIMIT) {
      postings[term] = DROPPED_POSTINGS;
      postingSize[term] = 0;
      return;
    }
    const size = postingSize[term]!;
    if (size === list.length) {
      const grown = new Int32Array(Math.max(4, 2 * size));
      grown.set(list);
      postings[term] = list = grown;
    }
    list[size] = slot;
    postingSize[term] = size + 1;
  };

  /** Calls `visit` with each term the inverted index holds for a record: its text's, then those only its name has. */
  const eachIndexedTerm = (profile: Profile, visit: (term: number) => void): void => {
    const { ids, nameStart, nameEnd } = profile;
    for (let k = 0; k < nameStart; k += 1) visit(ids[k]!);
    for (let k = nameEnd; k < ids.length; k += 1) visit(ids[k]!);
  };

  /** Whether the inverted index holds `term` for the record (as `eachIndexedTerm` visits them). */
  const holdsTerm = (profile: Profile, term: number): boolean => {
    const { ids, nameStart, nameEnd } = profile;
    for (let k = 0; k < nameStart; k += 1) if (ids[k] === term) return true;
    for (let k = nameEnd; k < ids.length; k += 1) if (ids[k] === term) return true;
    return false;
  };

  const forget = (id: string): boolean => {
    const slot = slotOf.get(id);
    if (slot === undefined) return false;
    const old = slots[slot]!;
    slots[slot] = undefined;
    slotOf.delete(id);
    eachIndexedTerm(old, (term) => {
      df[term] = df[term]! - 1;
    });
    if (old.org !== undefined) {
      const ids = byOrg.get(old.org)!;
      ids.delete(id);
      if (ids.size === 0) byOrg.delete(old.org);
    }
    return true;
  };

  const remember = (profile: Profile): void => {
    forget(profile.id);
    const slot = slots.length;
    slots.push(profile);
    vote.push(0.5);
    voteStamp.push(-1);
    slotOf.set(profile.id, slot);
    eachIndexedTerm(profile, (term) => {
      df[term] = df[term]! + 1;
      post(term, slot);
    });
    if (profile.org !== undefined) {
      let ids = byOrg.get(profile.org);
      if (ids === undefined) byOrg.set(profile.org, (ids = new Set()));
      ids.add(profile.id);
    }
  };

  // Smoothed IDF over the known records plus the one checked, so a term only the two
  // compared records share weighs most. Within one check the collection does not change,
  // and the weight depends on a term's document frequency alone (times its concept factor):
  // it is computed once per frequency per check (stamped with the check's number), since
  // most terms of a check share a handful of small frequencies.
  let stamp = 0;
  const logByDf: number[] = [];
  const logStamp: number[] = [];
  const idf = (term: number): number => {
    const frequency = df[term]!;
    while (logStamp.length <= frequency) {
      logStamp.push(-1);
      logByDf.push(0.5);
    }
    if (logStamp[frequency] !== stamp) {
      logStamp[frequency] = stamp;
      logByDf[frequency] = Math.log(1 + (slotOf.size + 1) / (1 + frequency));
    }
    return logByDf[frequency]! * conceptFactor[term]!;
  };

  // Scratch per term id for laying two vectors on their union without sorting: where a
  // term sits in the first vector, and marks (by pass number) of the terms seen.
  let pass = 0;
  // The two dense vectors of a comparison, reused (a check compares up to `candidates` pairs).
  let scratchLeft = new Float64Array(512);
  let scratchRight = new Float64Array(512);

  /**
   * Cosine of the TF-IDF weights of two vectors (`a`'s entries `[aFrom, aTo)`, `b`'s
   * `[bFrom, bTo)`), by ml-distance on dense arrays over the union of their terms. With
   * `sharedOnly`, words only one side holds are left out (across languages they cannot
   * meet); concepts count on both sides.
   */
  const cosine = (a: Profile, aFrom: number, aTo: number, b: Profile, bFrom: number, bTo: number, sharedOnly: boolean): number => {
    if (aTo === aFrom || bTo === bFrom) return 0;
    pass += 1;
    for (let k = aFrom; k < aTo; k += 1) {
      position[a.ids[k]!] = k;
      inFirst[a.ids[k]!] = pass;
    }
    const size = aTo - aFrom + (bTo - bFrom);
    if (scratchLeft.length < size) {
      scratchLeft = new Float64Array(2 * size);
      scratchRight = new Float64Array(2 * size);
    }
    const left = scratchLeft;
    const right = scratchRight;
    let n = 0;
    for (let k = bFrom; k < bTo; k += 1) {
      const term = b.ids[k]!;
      if (inFirst[term] === pass) {
        inBoth[term] = pass;
        left[n] = tfAt(a, position[term]!) * idf(term);
        right[n++] = tfAt(b, k) * idf(term);
      } else if (!sharedOnly || conceptFactor[term] !== 1) {
        left[n] = 0;
        right[n++] = tfAt(b, k) * idf(term);
      }
    }
    for (let k = aFrom; k < aTo; k += 1) {
      const term = a.ids[k]!;
      if (inBoth[term] !== pass && (!sharedOnly || conceptFactor[term] !== 1)) {
        left[n] = tfAt(a, k) * idf(term);
        right[n++] = 0;
      }
    }
    // Views on the scratch buffers: ml-distance reads `length` entries of any array-like.
    return n === 0 ? 0 : finite(mlSimilarity.cosine(left.subarray(0, n) as unknown as number[], right.subarray(0, n) as unknown as number[]));
  };

  const combine = (sameLanguage: boolean, name: number, text: number, sharedText: number): number =>
    // A renamed firm keeps its text; a re-described one keeps its name. Across languages only
    // concepts and words written alike in both (names, places, codes) can meet, and firms of
    // one trade share most of their concepts: the name must agree too.
    sameLanguage ? Math.max(text, (name + text) / 2) : (name + sharedText) / 2;

  const similarityOf = (a: Profile, b: Profile): number => {
    const sameLanguage = a.language === b.language;
    const name = cosine(a, a.nameStart, a.nameEnd, b, b.nameStart, b.nameEnd, false);
    const text = cosine(a, 0, a.nameStart, b, 0, b.nameStart, !sameLanguage);
    return combine(sameLanguage, name, sameLanguage ? text : 0, sameLanguage ? 0 : text);
  };

  // The checked record's TF-IDF weights, laid out once per check by term id (marked with the
  // check's stamp), with its squared norms: of all its terms, and of its concepts alone.
  let probeNorm2 = 0;
  let probeConceptNorm2 = 0;
  let probeNameNorm2 = 0;

  const layOut = (profile: Profile): void => {
    probeNorm2 = 0;
    probeConceptNorm2 = 0;
    probeNameNorm2 = 0;
    const { ids } = profile;
    for (let k = 0; k < profile.nameStart; k += 1) {
      const term = ids[k]!;
      const w = tfAt(profile, k) * idf(term);
      probeWeight[term] = w;
      probeStamp[term] = stamp;
      probeNorm2 += w * w;
      if (conceptFactor[term] !== 1) probeConceptNorm2 += w * w;
    }
    for (let k = profile.nameStart; k < profile.nameEnd; k += 1) {
      const term = ids[k]!;
      const w = tfAt(profile, k) * idf(term);
      probeNameWeight[term] = w;
      probeNameStamp[term] = stamp;
      probeNameNorm2 += w * w;
    }
  };

  /**
   * The similarity of the laid-out record to `b` from sparse sums in one pass over `b`'s terms:
   * the same cosines ml-distance gives, up to the order of floating-point additions. It only
   * decides which pairs are worth laying out densely for ml-distance, which gives the value
   * reported: most candidates of a check are plainly not duplicates.
   */
  const estimate = (sameLanguage: boolean, b: Profile): number => {
    let dot = 0;
    let norm2 = 0;
    let sharedNorm2 = 0;
    let probeSharedWords2 = 0;
    const { ids } = b;
    for (let k = 0; k < b.nameStart; k += 1) {
      const term = ids[k]!;
      const w = tfAt(b, k) * idf(term);
      norm2 += w * w;
      const concept = conceptFactor[term] !== 1;
      if (probeStamp[term] === stamp) {
        const p = probeWeight[term]!;
        dot += p * w;
        sharedNorm2 += w * w;
        if (!concept) probeSharedWords2 += p * p;
      } else if (concept) sharedNorm2 += w * w;
    }
    let nameDot = 0;
    let nameNorm2 = 0;
    for (let k = b.nameStart; k < b.nameEnd; k += 1) {
      const term = ids[k]!;
      const w = tfAt(b, k) * idf(term);
      nameNorm2 += w * w;
      if (probeNameStamp[term] === stamp) nameDot += probeNameWeight[term]! * w;
    }
    const cos = (x: number, nx: number, ny: number): number => (nx > 0 && ny > 0 ? Math.min(1, x / Math.sqrt(nx * ny)) : 0);
    const name = cos(nameDot, probeNameNorm2, nameNorm2);
    if (sameLanguage) return combine(true, name, cos(dot, probeNorm2, norm2), 0);
    return combine(false, name, 0, cos(dot, probeConceptNorm2 + probeSharedWords2, sharedNorm2));
  };

  /**
   * Records sharing the profile's rarest terms, most shared rarity first. Probes go from the
   * rarest term up until PROBE_BUDGET postings have been read: a term most records hold says
   * nothing about which one is a twin, and reading it would make a check cost O(records).
   */

  // Probe order: rarest first, equal rarity by term id, as numbers (df · 2^26 + id), all
  // distinct. Only the PROBE_TERMS smallest are read, so they are selected by insertion into
  // a reused array rather than by sorting all of a record's terms (a typed array's sort boxes
  // every element).
  const probes = new Float64Array(PROBE_TERMS);

  const candidatesOf = (profile: Profile): Profile[] => {
    let count = 0;
    eachIndexedTerm(profile, (term) => {
      const frequency = df[term]!;
      if (frequency === 0) return;
      const key = frequency * TERM_ID_SPAN + term;
      if (count === PROBE_TERMS && key >= probes[PROBE_TERMS - 1]!) return;
      let at = count === PROBE_TERMS ? PROBE_TERMS - 1 : count++;
      while (at > 0 && probes[at - 1]! > key) {
        probes[at] = probes[at - 1]!;
        at -= 1;
      }
      probes[at] = key;
    });
    const own = slotOf.get(profile.id);
    const touched: number[] = [];
    let read = 0;
    for (let p = 0; p < count; p += 1) {
      const term = probes[p]! % TERM_ID_SPAN;
      if (read + df[term]! > PROBE_BUDGET) break;
      read += df[term]!;
      const weight = idf(term);
      const list = postingOf(term);
      const size = postingSize[term]!;
      for (let k = 0; k < size; k += 1) {
        const slot = list[k]!;
        if (slots[slot] === undefined || slot === own) continue;
        if (voteStamp[slot] !== stamp) {
          voteStamp[slot] = stamp;
          vote[slot] = 0;
          touched.push(slot);
        }
        vote[slot] = vote[slot]! + weight;
      }
    }
    // The best few by vote, equal votes by slot (insertion order): a small insertion sort.
    const best: number[] = [];
    const before = (x: number, y: number): boolean => vote[x]! > vote[y]! || (vote[x] === vote[y] && x < y);
    for (const slot of touched) {
      if (best.length === settings.candidates && !before(slot, best[best.length - 1]!)) continue;
      let at = best.length === settings.candidates ? best.length - 1 : best.length;
      while (at > 0 && before(slot, best[at - 1]!)) {
        best[at] = best[at - 1]!;
        at -= 1;
      }
      best[at] = slot;
    }
    return best.map((slot) => slots[slot]!);
  };

  const check = (profile: Profile): DuplicateWarning[] => {
    stamp += 1;
    const warnings: DuplicateWarning[] = [];
    const seen = new Set<string>();
    if (profile.org !== undefined) {
      for (const other of byOrg.get(profile.org) ?? []) {
        if (other === profile.id) continue;
        seen.add(other);
        warnings.push({ code: 'possible-duplicate', id: profile.id, duplicateOf: other, reason: 'orgNumber', similarity: 1 });
      }
    }
    const candidates = candidatesOf(profile);
    if (candidates.length > 0) layOut(profile);
    for (const other of candidates) {
      if (seen.has(other.id)) continue;
      if (estimate(profile.language === other.language, other) < settings.threshold - PREFILTER_MARGIN) continue;
      const value = round2(similarityOf(profile, other));
      if (value >= settings.threshold) {
        warnings.push({ code: 'possible-duplicate', id: profile.id, duplicateOf: other.id, reason: 'similar-text', similarity: value });
      }
    }
    const sameNumber = warnings.filter((w) => w.reason === 'orgNumber').length;
    return warnings.sort(byStrength).slice(0, Math.max(settings.maxPerRecord, sameNumber));
  };

  const pairs = (): DuplicateWarning[] => {
    const found = new Map<string, DuplicateWarning>();
    for (let slot = 0; slot < slots.length; slot += 1) {
      const profile = slots[slot];
      if (profile === undefined) continue;
      for (const warning of check(profile)) {
        const other = slotOf.get(warning.duplicateOf)!;
        // The pair as the later record's warning; its twin from the other side is the same pair.
        const pair = other < slot ? warning : { ...warning, id: warning.duplicateOf, duplicateOf: warning.id };
        const key = JSON.stringify([pair.id, pair.duplicateOf]);
        const known = found.get(key);
        if (known === undefined || byStrength(pair, known) < 0) found.set(key, pair);
      }
    }
    return [...found.values()].sort((a, b) => byStrength(a, b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  };

  const addSeed = (seed: DuplicateSeed): void => {
    const { terms: vocabulary, rowStart, numbers, tfs } = seed.text;
    // Each word of the matcher's vocabulary numbered here once, not once per record holding it.
    const idOf = new Int32Array(vocabulary.length).fill(-1);
    const slabs = new SeedSlabs();
    for (let i = 0; i < seed.ids.length; i += 1) {
      const row = seed.rows[i]!;
      const from = rowStart[row]!;
      const textSize = rowStart[row + 1]! - from;
      if (textIds.length < textSize) textIds = new Int32Array(2 * textSize);
      for (let k = 0; k < textSize; k += 1) {
        const number = numbers[from + k]!;
        let term = idOf[number]!;
        if (term < 0) idOf[number] = term = termId(vocabulary[number]!);
        textIds[k] = term;
      }
      const name = nameTerms(seed.names[i]!);
      const nameIds = new Int32Array(name?.size ?? 0);
      const nameCounts = new Float64Array(nameIds.length);
      let k = 0;
      for (const [term, count] of name ?? []) {
        nameIds[k] = termId(term);
        nameCounts[k++] = count;
      }
      remember(profileFrom(seed.ids[i]!, seed.orgNumbers[i], seed.languages[i]!, textSize, tfs, from, nameIds, nameCounts, 0, slabs));
    }
  };

  if (Array.isArray(existing)) for (const company of existing as readonly Company[]) remember(profileOf(analyse(company)));
  else addSeed(existing as DuplicateSeed);

  const checkAndAddAnalysed = (analysed: AnalysedCompany): DuplicateWarning[] => {
    const profile = profileOf(analysed);
    forget(profile.id);
    const warnings = check(profile);
    remember(profile);
    return warnings;
  };

  return {
    get size() {
      return slotOf.size;
    },
    threshold: settings.threshold,
    check: (company) => check(profileOf(analyse(company))),
    add: (company) => remember(profileOf(analyse(company))),
    remove: forget,
    pairs,
    checkAndAdd: (company) => checkAndAddAnalysed(analyse(company)),
    addAnalysed: (analysed) => remember(profileOf(analysed)),
    addSeed,
    checkAndAddAnalysed,
  };
}

/**
 * Likely duplicates among `incoming` companies (an import or a create), against `existing`
 * ones and against the incoming records before them: the second of two incoming records of one
 * firm names the first. Warnings follow the incoming order; each record's best first. An
 * incoming record with the id of an existing one (an update) is not compared with its old self.
 */
export function findDuplicates(existing: readonly Company[], incoming: readonly Company[], options: DuplicateOptions = {}): DuplicateWarning[] {
  const index = createDuplicateIndex(existing, options);
  const warnings: DuplicateWarning[] = [];
  for (const company of incoming) warnings.push(...index.checkAndAdd(company));
  return warnings;
}

/** A matcher built with its companies checked for likely duplicates among themselves. */
export interface CheckedMatcher {
  readonly matcher: Matcher;
  /** The duplicate index over the matcher's companies, for checking later records against them. */
  readonly duplicates: DuplicateIndex;
  /** Each company's warnings against the companies before it, in input order (as {@link findDuplicates}). */
  readonly warnings: DuplicateWarning[];
}

/**
 * `createMatcher` and `findDuplicates([], companies)` in one pass: each company is checked right
 * after the matcher analysed it, so the check reuses that analysis instead of analysing every
 * company a second time (an import's check then costs a fraction of the build). The duplicate
 * check analyses as the matcher does: `options.analyzer` and `options.fieldWeights` come from
 * the matcher's options. Validation and errors are `createMatcher`'s.
 */
export function createMatcherWithDuplicates(input: CreateMatcherInput = {}, options: Omit<DuplicateOptions, 'analyzer' | 'fieldWeights'> = {}): CheckedMatcher {
  const matcherOptions = resolveMatcherOptions(input.options);
  const duplicates = createDuplicateIndex([], { ...options, analyzer: matcherOptions.analyzer, fieldWeights: matcherOptions.fieldWeights });
  const { companies, needs } = validateInput(input);
  const build = startBuild(matcherOptions);
  const warnings: DuplicateWarning[] = [];
  for (const company of companies) {
    build.addCompany(company);
    warnings.push(...duplicates.checkAndAdd(company));
  }
  for (const need of needs) build.addNeed(need);
  return { matcher: build.finish(), duplicates, warnings };
}
