import type { AnalysisJob } from './batch.js';
import { formatIssue, PartnermatchError } from './errors.js';
import { evictOldestHalf } from './text/memo.js';
import { validateMatcherOptions } from './options.js';
import { TermIndex, type Bm25Params, type TextQuery, type WeightedTerm } from './index/term-index.js';
import { ranksAbove, TopK } from './index/top-k.js';
import { validateCompanies, validateCompany, validateNeed, validateNeeds } from './schema/validate.js';
import type { Company, PartnerNeed, PartnershipType } from './schema/records.js';
import {
  summarize,
  type Explanation,
  type ScorePart,
  type TermEvidence,
} from './scoring/explanation.js';
import { assignTags, DEFAULT_INFERENCE_OPTIONS, type AssignedTag, type InferenceOptions } from './scoring/inference.js';
import {
  compileTagScorer,
  DEFAULT_TAG_RELATION_WEIGHTS,
  scoreCooperation,
  scoreTags,
  type TagRelationWeights,
  type TagVector,
} from './scoring/scores.js';
import { taxonomy } from './taxonomy/taxonomy.js';
import {
  createAnalyzer,
  DEFAULT_ANALYZER_OPTIONS,
  isConceptTerm,
  CONCEPT_PREFIX,
  writtenForm,
  type Analysis,
  type Evidence,
  type InternalAnalyzer,
  type AnalyzerOptions,
  type TextField,
} from './text/analyzer.js';
import type { Language } from './text/language.js';

/** Weights of the three parts of a match score; they are normalised to sum to 1. */
export interface ScoreWeights {
  /** Sector tags. Defaults to 0.35. */
  readonly tags: number;
  /** Text similarity (BM25 over words and concepts). Defaults to 0.5. */
  readonly text: number;
  /** Fit of the partnership types. Defaults to 0.15. */
  readonly cooperation: number;
}

export interface MatcherOptions {
  readonly weights?: Partial<ScoreWeights>;
  readonly bm25?: Partial<Bm25Params>;
  /**
   * Query weight of a glossary concept term relative to a word (1). Concepts are the
   * only evidence that crosses languages, so they count for more. Between 1 and 3 for
   * cross-language matching; 0 turns concepts off for single-language text retrieval
   * (they duplicate word evidence there: SciFact train 0.702 at 0, 0.694 at 1.5).
   * Defaults to 1.5.
   */
  readonly conceptWeight?: number;
  readonly tagRelations?: Partial<TagRelationWeights>;
  /**
   * Share of the tag score measured from the company's tags rather than the need's, in
   * [0, 0.5]: a specialist edges out a generalist with the same matching tag. Defaults to 0.2.
   */
  readonly tagCompanySideShare?: number;
  /** Cooperation score when either side names no partnership type, in [0, 1]. Defaults to 0.5. */
  readonly neutralCooperation?: number;
  readonly inference?: Partial<InferenceOptions>;
  readonly analyzer?: AnalyzerOptions;
  readonly fieldWeights?: Partial<FieldWeights>;
}

export interface ResolvedMatcherOptions {
  readonly weights: ScoreWeights;
  readonly bm25: Bm25Params;
  readonly conceptWeight: number;
  readonly tagRelations: TagRelationWeights;
  readonly tagCompanySideShare: number;
  readonly neutralCooperation: number;
  readonly inference: InferenceOptions;
  readonly analyzer: Required<AnalyzerOptions>;
  readonly fieldWeights: FieldWeights;
}

export const DEFAULT_WEIGHTS: ScoreWeights = Object.freeze({ tags: 0.35, text: 0.5, cooperation: 0.15 });
export const DEFAULT_BM25: Bm25Params = Object.freeze({ k1: 1.2, b: 0.75 });

/** A ranked candidate. `id` is a company id from `rankCompanies`, a need id from `rankNeeds`. */
export interface Match {
  readonly id: string;
  /** 1-based. */
  readonly rank: number;
  /** The blended score in [0, 1], rounded to 6 decimals; equal scores rank by id. */
  readonly score: number;
  readonly parts: { readonly tags: number; readonly text: number; readonly cooperation: number };
  readonly explanation?: Explanation;
}

export interface RankOptions<T> {
  /** Most matches returned. Defaults to 10. */
  readonly limit?: number;
  /** Leave out matches scoring below this, in [0, 1]. Defaults to 0. */
  readonly minScore?: number;
  /** Keep only candidates for which this returns true; never adds a match. */
  readonly filter?: (candidate: T) => boolean;
  /** Attach an explanation to each match. Defaults to true. */
  readonly explain?: boolean;
}

export interface BatchResult {
  /** The need (for `companies`) or company (for `needs`) the matches were ranked for. */
  readonly queryId: string;
  readonly matches: readonly Match[];
}

export interface RankAllOptions extends RankOptions<Company | PartnerNeed> {
  /** What to rank: companies for every open need (default), or open needs for every company. */
  readonly direction?: 'companies' | 'needs';
  /** Called after each query, for progress bars. */
  readonly onProgress?: (done: number, total: number) => void;
}

/** The text and tags of one record as the engine sees them. */
export interface RecordProfile {
  readonly language: Language;
  readonly tags: readonly AssignedTag[];
}

export interface Matcher {
  readonly options: ResolvedMatcherOptions;
  readonly companyCount: number;
  readonly needCount: number;
  /** Companies for a need (a stored need's id, or any need record); closed needs get none. */
  rankCompanies(need: PartnerNeed | string, options?: RankOptions<Company>): Match[];
  /** Open needs for a company (a stored company's id, or any company record). */
  rankNeeds(company: Company | string, options?: RankOptions<PartnerNeed>): Match[];
  /** Every open need in insertion order (or every company), each with its ranked matches. */
  rankAll(options?: RankAllOptions): BatchResult[];
  /** As `rankAll`, one query at a time, so a large batch can be written as it is ranked. */
  rankEach(options?: RankAllOptions): Generator<BatchResult, void, undefined>;
  add(kind: 'company', record: unknown): Company;
  add(kind: 'need', record: unknown): PartnerNeed;
  update(kind: 'company', record: unknown): Company;
  update(kind: 'need', record: unknown): PartnerNeed;
  /** Returns false when no record had that id. */
  remove(kind: 'company' | 'need', id: string): boolean;
  getCompany(id: string): Company | undefined;
  getNeed(id: string): PartnerNeed | undefined;
  /** Language and tags (given or inferred) of a stored record. */
  profile(kind: 'company' | 'need', id: string): RecordProfile | undefined;
}

export interface CreateMatcherInput {
  readonly companies?: readonly unknown[];
  readonly needs?: readonly unknown[];
  readonly options?: MatcherOptions;
}

/**
 * Records that carry the same tags and partnership types, and are equally eligible,
 * score the same on everything but text: records without text evidence are taken from a
 * group in id order, and its tag set and type list have one score each per query.
 */
class Group {
  /** Ids in ascending order, the tie-break order. */
  readonly ids: string[] = [];
  /** The index slot of each id, in the same order. */
  readonly slots: number[] = [];

  constructor(
    readonly types: readonly PartnershipType[] | undefined,
    /** Position of `tags` among the side's distinct tag sets: one tag score each per query. */
    readonly tagSetIndex: number,
    /** Position of `types` among the side's distinct type lists: one cooperation score each per query. */
    readonly typesIndex: number,
    readonly eligible: boolean,
  ) {}

  insert(id: string, slot: number): void {
    if (this.unsorted || (this.ids.length > 0 && this.ids[this.ids.length - 1]! > id && this.bulk)) {
      this.unsorted = true;
      this.ids.push(id);
      this.slots.push(slot);
      return;
    }
    const at = lowerBound(this.ids, id);
    this.ids.splice(at, 0, id);
    this.slots.splice(at, 0, slot);
  }

  /** While true, inserts append and `sort()` orders them once (a bulk build). */
  bulk = false;
  private unsorted = false;

  sort(): void {
    if (!this.unsorted) return;
    const order = this.ids.map((_, i) => i).sort((a, b) => (this.ids[a]! < this.ids[b]! ? -1 : 1));
    const ids = order.map((i) => this.ids[i]!);
    const slots = order.map((i) => this.slots[i]!);
    this.ids.splice(0, ids.length, ...ids);
    this.slots.splice(0, slots.length, ...slots);
    this.unsorted = false;
  }

  delete(id: string): void {
    const at = lowerBound(this.ids, id);
    if (this.ids[at] !== id) return;
    this.ids.splice(at, 1);
    this.slots.splice(at, 1);
  }
}

/** The slots of the `k` highest scores among the touched ones (ties: any), by one scan. */
function bestTextSlots(scores: Float64Array, touched: Int32Array, count: number, k: number): number[] {
  const best: number[] = [];
  let worst = -1;
  for (let i = 0; i < count; i += 1) {
    const slot = touched[i]!;
    const score = scores[slot]!;
    if (best.length < k) {
      best.push(slot);
      if (worst < 0 || score < scores[best[worst]!]!) worst = best.length - 1;
    } else if (score > scores[best[worst]!]!) {
      best[worst] = slot;
      worst = 0;
      for (let j = 1; j < best.length; j += 1) if (scores[best[j]!]! < scores[best[worst]!]!) worst = j;
    }
  }
  return best;
}

function lowerBound(sorted: readonly string[], value: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

interface Entry<T> {
  readonly record: T;
  readonly tags: readonly AssignedTag[];
  readonly language: Language;
  readonly group: Group;
}

interface Query {
  readonly analysis: Analysis;
  readonly tags: readonly AssignedTag[];
  readonly types: readonly PartnershipType[] | undefined;
}

/** The records of one kind, their inverted index, groups and tag statistics. */
class Side<T extends { id: string }> {
  readonly index: TermIndex;
  readonly entries = new Map<string, Entry<T>>();
  /** Ids in insertion order; an update keeps a record's place. */
  readonly order: string[] = [];
  private bulk = false;
  /** The entry in each index slot, for the scoring loop. */
  readonly entryBySlot: (Entry<T> | undefined)[] = [];
  readonly groups: Group[] = [];
  /** Groups by the sector roots of their tags: only these can have a tag score. */
  readonly groupsByRoot = new Map<string, Group[]>();
  private readonly groupByKey = new Map<string, Group>();
  /** The distinct partnership type lists of the groups (few: there are seven types). */
  readonly typeLists: (readonly PartnershipType[] | undefined)[] = [];
  private readonly typeListByKey = new Map<string, number>();
  /** The distinct tag sets of the groups, as vectors for the compiled tag scorer. */
  readonly tagSets: TagVector[] = [];
  private readonly tagSetByKey = new Map<string, number>();
  /** Per index slot, the tag set and type list of the record in it: the scoring loop reads these instead of the entry. */
  tagSetBySlot = new Int32Array(1024);
  typesBySlot = new Int32Array(1024);

  /** Records carrying each tag or one of its descendants. */
  private readonly tagCounts = new Map<string, number>();

  constructor(
    private readonly tagVector: (tags: readonly AssignedTag[]) => TagVector,
    bm25: Bm25Params,
  ) {
    this.index = new TermIndex(bm25);
  }

  /** `indexText` adds the record's terms to `index` and returns its slot. */
  add(
    record: T,
    language: Language,
    tags: readonly AssignedTag[],
    types: readonly PartnershipType[] | undefined,
    eligible: boolean,
    indexText: () => number,
  ): void {
    // Ineligible records (closed needs) are never ranked, so they stay out of the term
    // index and its statistics altogether.
    const slot = eligible ? indexText() : -1;
    const group = this.groupFor(tags, types, eligible);
    group.insert(record.id, slot);
    const entry: Entry<T> = { record, tags, language, group };
    this.entries.set(record.id, entry);
    if (slot >= 0) {
      this.entryBySlot[slot] = entry;
      if (slot >= this.tagSetBySlot.length) {
        const grown = (array: Int32Array) => {
          const bigger = new Int32Array(Math.max(slot + 1, array.length * 2));
          bigger.set(array);
          return bigger;
        };
        this.tagSetBySlot = grown(this.tagSetBySlot);
        this.typesBySlot = grown(this.typesBySlot);
      }
      this.tagSetBySlot[slot] = group.tagSetIndex;
      this.typesBySlot[slot] = group.typesIndex;
    }
    for (const tag of lineageOf(tags)) this.tagCounts.set(tag, (this.tagCounts.get(tag) ?? 0) + 1);
  }

  /** `terms` are the record's indexed terms (re-derived by analysing it again). */
  remove(id: string, terms: Iterable<string>): boolean {
    const entry = this.entries.get(id);
    if (entry === undefined) return false;
    for (const tag of lineageOf(entry.tags)) {
      const count = (this.tagCounts.get(tag) ?? 1) - 1;
      if (count === 0) this.tagCounts.delete(tag);
      else this.tagCounts.set(tag, count);
    }
    entry.group.delete(id);
    this.entries.delete(id);
    const slot = this.index.slotOf(id);
    if (slot !== undefined) this.entryBySlot[slot] = undefined;
    this.index.remove(id, terms);
    return true;
  }

  /** Starts a bulk build: group ids are sorted once at `endBulk()` instead of per insert. */
  beginBulk(): void {
    this.bulk = true;
    for (const group of this.groups) group.bulk = true;
  }

  endBulk(): void {
    this.bulk = false;
    for (const group of this.groups) {
      group.sort();
      group.bulk = false;
    }
    this.index.trim();
  }

  /** IDF-style rarity of a tag among this side's records (ancestors included). */
  rarity(tag: string): number {
    const df = this.tagCounts.get(tag) ?? 0;
    return Math.log(1 + (this.entries.size + 1) / (df + 1));
  }

  private groupFor(tags: readonly AssignedTag[], types: readonly PartnershipType[] | undefined, eligible: boolean): Group {
    const typesKey = types === undefined ? '-' : [...types].sort().join(',');
    const tagsKey = tags.map((t) => `${t.tag}:${t.source}:${t.confidence}`).join(',');
    const key = [tagsKey, typesKey, eligible ? 'y' : 'n'].join('|');
    let group = this.groupByKey.get(key);
    if (group === undefined) {
      let tagSetIndex = this.tagSetByKey.get(tagsKey);
      if (tagSetIndex === undefined) {
        tagSetIndex = this.tagSets.length;
        this.tagSets.push(this.tagVector(tags));
        this.tagSetByKey.set(tagsKey, tagSetIndex);
      }
      let typesIndex = this.typeListByKey.get(typesKey);
      if (typesIndex === undefined) {
        typesIndex = this.typeLists.length;
        this.typeLists.push(types);
        this.typeListByKey.set(typesKey, typesIndex);
      }
      group = new Group(types, tagSetIndex, typesIndex, eligible);
      group.bulk = this.bulk;
      this.groups.push(group);
      this.groupByKey.set(key, group);
      for (const root of new Set(tags.map((t) => taxonomy.lineage(t.tag).at(-1)!))) {
        const list = this.groupsByRoot.get(root);
        if (list === undefined) this.groupsByRoot.set(root, [group]);
        else list.push(group);
      }
    }
    return group;
  }
}

function lineageOf(tags: readonly AssignedTag[]): Set<string> {
  const out = new Set<string>();
  for (const { tag } of tags) for (const t of taxonomy.lineage(tag)) out.add(t);
  return out;
}

/** How much each field's terms count, relative to a description (1). */
export interface FieldWeights {
  /** A company's name, which usually says its trade (`Lyckeby Reningsteknik`). Defaults to 3. */
  readonly name: number;
  /** A company's offerings, short phrases of what it sells. Defaults to 1. */
  readonly offerings: number;
  /** A need's title, the ask in a few words. Defaults to 3. */
  readonly title: number;
}

export const DEFAULT_FIELD_WEIGHTS: FieldWeights = Object.freeze({ name: 3, offerings: 1, title: 3 });

function companyFields(company: Company, weights: FieldWeights): TextField[] {
  return [
    { text: company.name, weight: weights.name },
    { text: company.description, weight: 1 },
    ...(company.offerings ?? []).map((text) => ({ text, weight: weights.offerings })),
  ];
}

function needFields(need: PartnerNeed, weights: FieldWeights): TextField[] {
  return [
    { text: need.title, weight: weights.title },
    { text: need.description, weight: 1 },
  ];
}

/** Fills in defaults and normalises the weights; throws INVALID_OPTIONS naming every bad option. */
export function resolveMatcherOptions(options: MatcherOptions = {}): ResolvedMatcherOptions {
  const checked = validateMatcherOptions(options);
  if (!checked.ok) {
    throw new PartnermatchError('INVALID_OPTIONS', `invalid matcher options: ${checked.issues.map(formatIssue).join('; ')}`, {
      issues: checked.issues,
    });
  }
  const raw = { ...DEFAULT_WEIGHTS, ...options.weights };
  const total = raw.tags + raw.text + raw.cooperation;
  return Object.freeze({
    weights: Object.freeze({ tags: raw.tags / total, text: raw.text / total, cooperation: raw.cooperation / total }),
    bm25: Object.freeze({ ...DEFAULT_BM25, ...options.bm25 }),
    conceptWeight: options.conceptWeight ?? 1.5,
    tagRelations: Object.freeze({ ...DEFAULT_TAG_RELATION_WEIGHTS, ...options.tagRelations }),
    tagCompanySideShare: options.tagCompanySideShare ?? 0.2,
    neutralCooperation: options.neutralCooperation ?? 0.5,
    inference: Object.freeze({ ...DEFAULT_INFERENCE_OPTIONS, ...options.inference }),
    analyzer: Object.freeze({ ...DEFAULT_ANALYZER_OPTIONS, ...options.analyzer }),
    fieldWeights: Object.freeze({ ...DEFAULT_FIELD_WEIGHTS, ...options.fieldWeights }),
  });
}

const SCORE_PRECISION = 1e6;
const EXPLAINED_TERMS = 8;
/** Above this many matches a query is scored exhaustively: the pruning bound needs that many seeds. */
export const MAX_PRUNED_LIMIT = 256;
const FLOOR_SAMPLE = 4096;

/**
 * Builds the matcher: validates the records (throwing one INVALID_INPUT error listing
 * every problem), analyses each once and indexes companies and needs in two inverted
 * indexes that later `add` / `update` / `remove` calls change in place.
 */
export function createMatcher(input: CreateMatcherInput = {}): Matcher {
  const options = resolveMatcherOptions(input.options);
  const { companies, needs } = validateInput(input);
  return assembleMatcher(options, companies, needs);
}

/** The records of a matcher's input, validated; throws one INVALID_INPUT error listing every problem. */
export function validateInput(input: CreateMatcherInput): { companies: Company[]; needs: PartnerNeed[] } {
  const companyResult = validateCompanies(input.companies ?? []);
  const needResult = validateNeeds(input.needs ?? []);
  if (!companyResult.ok || !needResult.ok) {
    const issues = [...(companyResult.ok ? [] : companyResult.issues), ...(needResult.ok ? [] : needResult.issues)];
    throw new PartnermatchError('INVALID_INPUT', `invalid input: ${issues.length} problem(s)`, { issues });
  }
  return { companies: companyResult.value, needs: needResult.value };
}

/** A record analysed elsewhere (by a build worker), ready to be indexed. */
export interface PreparedRecord {
  readonly language: Language;
  readonly tags: readonly AssignedTag[];
  /** Adds the record's terms to `index` under `id` and returns its slot. */
  addTo(index: TermIndex, id: string): number;
}

/** The text fields of a record as the matcher analyses them. */
export function recordFields(kind: 'company' | 'need', record: Company | PartnerNeed, weights: FieldWeights): TextField[] {
  return kind === 'company' ? companyFields(record as Company, weights) : needFields(record as PartnerNeed, weights);
}

/** Every record's analysis job: companies first, then needs. */
export function jobsOf(companies: readonly Company[], needs: readonly PartnerNeed[], options: ResolvedMatcherOptions): AnalysisJob[] {
  return [
    ...companies.map((company) => ({ fields: recordFields('company', company, options.fieldWeights), sectors: company.sectors })),
    ...needs.map((need) => ({ fields: recordFields('need', need, options.fieldWeights), sectors: need.sectors })),
  ];
}

/** A bulk build in progress: records go in once, in order, then `finish()` gives the matcher. */
export interface MatcherBuild {
  /** `ready` is the record's analysis when it was done elsewhere. */
  addCompany(company: Company, ready?: PreparedRecord): void;
  addNeed(need: PartnerNeed, ready?: PreparedRecord): void;
  finish(): Matcher;
}

/** The matcher over validated records (ids already known to be unique per kind). */
export function assembleMatcher(options: ResolvedMatcherOptions, companyRecords: readonly Company[], needRecords: readonly PartnerNeed[]): Matcher {
  const build = startBuild(options);
  for (const company of companyRecords) build.addCompany(company);
  for (const need of needRecords) build.addNeed(need);
  return build.finish();
}

export function startBuild(options: ResolvedMatcherOptions): MatcherBuild {
  const analyzer: InternalAnalyzer = createAnalyzer(options.analyzer);
  const tagScorer = compileTagScorer(options.tagRelations, options.tagCompanySideShare);
  const companies = new Side<Company>((tags) => tagScorer.vector(tags), options.bm25);
  const needs = new Side<PartnerNeed>((tags) => tagScorer.vector(tags), options.bm25);
  companies.beginBulk();
  needs.beginBulk();

  function indexCompany(company: Company, ready?: PreparedRecord): void {
    indexRecord(companies, 'company', company, true, ready);
  }

  function indexNeed(need: PartnerNeed, ready?: PreparedRecord): void {
    indexRecord(needs, 'need', need, need.status !== 'closed', ready);
  }

  /** Indexes a record, analysing it here unless it comes `ready` from a build worker. */
  function indexRecord<T extends Company | PartnerNeed>(side: Side<T>, kind: 'company' | 'need', record: T, eligible: boolean, ready?: PreparedRecord): void {
    const prepared = ready ?? prepare(kind, record);
    side.add(record, prepared.language, prepared.tags, record.partnershipTypes, eligible, () => prepared.addTo(side.index, record.id));
  }

  function prepare(kind: 'company' | 'need', record: Company | PartnerNeed): PreparedRecord {
    const analysis = analyzer.analyze(recordFields(kind, record, options.fieldWeights), { surfaces: false });
    return {
      language: analysis.language,
      tags: assignTags(record.sectors, analysis.concepts, options.inference),
      addTo: (index, id) => index.add(id, analysis.terms, analysis.length),
    };
  }

  /** Removes a record; its indexed terms are found by analysing it again. */
  function unindex<T extends Company | PartnerNeed>(side: Side<T>, kind: 'company' | 'need', id: string): boolean {
    const entry = side.entries.get(id);
    if (entry === undefined) return false;
    return side.remove(id, analyzer.analyze(recordFields(kind, entry.record, options.fieldWeights), { surfaces: false }).terms.keys());
  }

  // Analyses with surfaces of recently ranked or explained records, keyed by the record
  // object itself, so an update (a new object) can never be served an old analysis.
  const recentAnalyses = new Map<Company | PartnerNeed, Analysis>();
  const RECENT_ANALYSES = 1024;

  function analysisOf(record: Company | PartnerNeed, kind: 'company' | 'need'): Analysis {
    let analysis = recentAnalyses.get(record);
    if (analysis === undefined) {
      analysis = analyzer.analyze(recordFields(kind, record, options.fieldWeights));
      if (recentAnalyses.size >= RECENT_ANALYSES) evictOldestHalf(recentAnalyses);
      recentAnalyses.set(record, analysis);
    }
    return analysis;
  }

  function queryOf(record: Company | PartnerNeed, kind: 'company' | 'need'): Query {
    const analysis = analysisOf(record, kind);
    const types = record.partnershipTypes;
    return { analysis, tags: assignTags(record.sectors, analysis.concepts, options.inference), types };
  }

  function termWeight(term: string): number {
    return isConceptTerm(term) ? options.conceptWeight : 1;
  }

  /**
   * Scores every record with text evidence (BM25, term at a time) and every group of
   * records whose tags relate to the query's, blends the parts and keeps the best
   * `limit` in a heap. Text scores are divided by the best text score among all records
   * (before any filter), so the best text match has text score 1 and a filter never
   * changes another match's score. Tag and cooperation scores are computed once per
   * group; records with tag evidence only are taken from their group in id order, so
   * only as many are looked at as can still enter the heap.
   */
  function rank<T extends { id: string }>(
    side: Side<T>,
    query: Query,
    queryIsNeed: boolean,
    rankOptions: RankOptions<T>,
  ): Match[] {
    const limit = rankOptions.limit ?? 10;
    const minScore = rankOptions.minScore ?? 0;
    if (!Number.isInteger(limit) || limit < 0) {
      throw new PartnermatchError('INVALID_OPTIONS', 'limit must be a non-negative whole number');
    }
    if (!(minScore >= 0 && minScore <= 1)) {
      throw new PartnermatchError('INVALID_OPTIONS', 'minScore must be within [0, 1]');
    }
    const index = side.index;
    // Lexicon translations of one word share one query weight (`queryWeights`).
    const queryWeights = query.analysis.queryWeights;
    const weighted: WeightedTerm[] = [...query.analysis.terms].map(([term, qtf]) => ({ term, weight: termWeight(term) * (queryWeights.get(term) ?? qtf) }));
    const textQuery = index.query(weighted, options.bm25);
    const { scores } = textQuery;

    const hasTags = query.tags.length > 0;
    const w = options.weights;
    const weights: ScoreWeights = {
      tags: hasTags ? w.tags : 0,
      text: hasTags ? w.text : w.text + w.tags,
      cooperation: w.cooperation,
    };
    const tagBySet = new Float64Array(side.tagSets.length).fill(-1);
    const coopByTypes = new Float64Array(side.typeLists.length).fill(-1);
    const queryVector = tagScorer.vector(query.tags);
    const rarity = Float64Array.from(tagScorer.tagIds, (tag) => companies.rarity(tag));
    const tagOfSet = (at: number): number => {
      if (tagBySet[at]! < 0) {
        const vector = side.tagSets[at]!;
        tagBySet[at] = !hasTags
          ? 0
          : queryIsNeed
            ? tagScorer.score(queryVector, vector, rarity)
            : tagScorer.score(vector, queryVector, rarity);
      }
      return tagBySet[at]!;
    };
    const coopOfTypes = (at: number): number => {
      if (coopByTypes[at]! < 0) {
        const types = side.typeLists[at];
        coopByTypes[at] = queryIsNeed
          ? scoreCooperation(query.types, types, options.neutralCooperation).score
          : scoreCooperation(types, query.types, options.neutralCooperation).score;
      }
      return coopByTypes[at]!;
    };
    const tagOf = (group: Group): number => tagOfSet(group.tagSetIndex);
    const coopOf = (group: Group): number => coopOfTypes(group.typesIndex);
    /** Tags and cooperation of the record in `slot`, weighted. */
    const nonTextOf = (slot: number): number =>
      weights.tags * tagOfSet(side.tagSetBySlot[slot]!) + weights.cooperation * coopOfTypes(side.typesBySlot[slot]!);
    const blend = (tag: number, text: number, coop: number, nonText?: number): number =>
      Math.round(((nonText ?? weights.tags * tag + weights.cooperation * coop) + weights.text * text) * SCORE_PRECISION) /
      SCORE_PRECISION;

    const heap = new TopK<Match & { slot: number }>(limit);
    // The most tags and cooperation can add; a record whose text cannot lift it above
    // the heap's threshold even with both at 1 is skipped before they are looked up.
    const nonTextCeiling = weights.tags + weights.cooperation;
    // The score of the worst match kept once the heap is full; nothing below it can enter.
    let floor = -Infinity;
    const offer = (match: Match & { slot: number }): void => {
      heap.offer(match);
      const threshold = heap.threshold;
      if (threshold !== undefined) floor = threshold.score;
    };
    const consider = (slot: number): void => {
      const text = scores[slot]! / bestText;
      // Cooperation first: it is known per type list, the tag score costs a computation per tag set.
      const coop = coopOfTypes(side.typesBySlot[slot]!);
      if (weights.text * text + weights.cooperation * coop + weights.tags < floor - 1e-6) return;
      const tag = tagOfSet(side.tagSetBySlot[slot]!);
      const score = blend(tag, text, coop);
      if (score < minScore || score < floor) return;
      const entry = side.entryBySlot[slot]!;
      const id = entry.record.id;
      if (score === floor && !ranksAbove({ id, score }, heap.threshold!)) return;
      if (rankOptions.filter !== undefined && !rankOptions.filter(entry.record)) return;
      offer({ id, slot, rank: 0, score, parts: { tags: round(tag), text: round(text), cooperation: round(coop) } });
    };
    /** The least score a record can get with at least `textLow` of (normalised) text; -∞ if it cannot be ranked. */
    const lowerBoundOf = (slot: number, textLow: number): number => {
      const entry = side.entryBySlot[slot]!;
      if (rankOptions.filter !== undefined && !rankOptions.filter(entry.record)) return -Infinity;
      const low = nonTextOf(slot) + weights.text * textLow;
      return low - 1e-6 >= minScore ? low : -Infinity;
    };

    // MaxScore: accumulate terms (highest IDF × weight first) while a record none of them
    // has touched could still reach the top `limit`. The stop test needs a floor
    // that the final top `limit` is sure to reach, from the best partial text scores.
    let stopped = false;
    let checkBelow = Infinity;
    while (textQuery.processed < textQuery.termCount) {
      textQuery.accumulateNext();
      const rest = textQuery.remainingBound;
      const best = textQuery.best;
      if (rest === 0 || limit === 0 || limit > MAX_PRUNED_LIMIT || !(rest < best) || rest >= checkBelow) continue;
      // An untouched record has at most `rest` of text; the best has at least `best`.
      const untouchedCeiling = nonTextCeiling + (weights.text * rest) / best;
      if (untouchedCeiling >= 1) continue;
      checkBelow = rest * 0.6;
      // Any records give a valid floor bound; the first touched hold the highest-bound
      // terms, so a prefix gives nearly the best bound at a fraction of a full scan.
      const sampled = Math.min(textQuery.touchedCount, FLOOR_SAMPLE);
      const seedCount = Math.min(limit + Math.min(limit, 16), sampled);
      const lows = bestTextSlots(scores, textQuery.touched, sampled, seedCount)
        .map((slot) => lowerBoundOf(slot, scores[slot]! / (best + rest)))
        .sort((x, y) => y - x);
      const floorBound = lows.length >= limit ? lows[limit - 1]! : -Infinity;
      if (untouchedCeiling < floorBound - 2e-6) {
        stopped = true;
        break;
      }
    }
    const touched = textQuery.touched;
    const touchedCount = textQuery.touchedCount;
    const rest = textQuery.remainingBound;
    // Text scores are exact for every touched record unless the pass stopped early; then
    // only once `textQuery.isFinished(slot)`.

    // The best text score (the divisor of every text score): when the pass stopped early,
    // only a record within `rest` of the best partial score can hold it; they are
    // completed best partial first, until the rest cannot beat the best found.
    let bestText = 0;
    // Where the seeds are drawn from: records whose text score is exact.
    let seedPool = touched.subarray(0, touchedCount);
    if (!stopped) {
      for (let i = 0; i < touchedCount; i += 1) bestText = Math.max(bestText, scores[touched[i]!]!);
    } else {
      // Float sums of the remaining terms may round above the sum of their bounds by a few
      // units in the last place of the score; a generous slack keeps such a record a contender.
      const slack = textQuery.best * 1e-9;
      const contenders: number[] = [];
      for (let i = 0; i < touchedCount; i += 1) {
        if (scores[touched[i]!]! + rest + slack >= textQuery.best) contenders.push(touched[i]!);
      }
      const finish = (slot: number): void => {
        textQuery.complete(slot);
        bestText = Math.max(bestText, scores[slot]!);
      };
      // The best few partial scores usually hold the best text; the rest rarely pass.
      const contenderSlots = Int32Array.from(contenders);
      for (const slot of bestTextSlots(scores, contenderSlots, contenderSlots.length, 8)) finish(slot);
      for (const slot of contenders) {
        if (!textQuery.isFinished(slot) && scores[slot]! + rest + slack >= bestText) finish(slot);
      }
      seedPool = Int32Array.from(contenders.filter((slot) => textQuery.isFinished(slot)));
    }

    // The best texts first, so the floor is high before the full pass and most records
    // are dismissed by one multiply and compare.
    // At most 64: enough to raise the floor for any usual limit, and the seed scan costs
    // O(touched × seeds).
    const seeds = new Set(bestTextSlots(scores, seedPool, seedPool.length, Math.min(limit, 64)));
    for (const slot of seeds) consider(slot);
    // A bound below the floor by more than the rounding (0.5e-6) cannot reach it rounded.
    const textWeight = weights.text / bestText;
    for (let i = 0; i < touchedCount; i += 1) {
      const slot = touched[i]!;
      if (textQuery.isFinished(slot)) {
        if (textWeight * scores[slot]! + nonTextCeiling < floor - 1e-6 || seeds.has(slot)) continue;
        consider(slot);
        continue;
      }
      // Partial: add the remaining terms while the record can still reach the floor with
      // what is left.
      if (textWeight * (scores[slot]! + rest) + nonTextCeiling < floor - 1e-6) continue;
      // Cooperation is known for a few type lists; the tag score, per tag set, costs more.
      const coop = weights.cooperation * coopOfTypes(side.typesBySlot[slot]!);
      if (textWeight * (scores[slot]! + rest) + weights.tags + coop < floor - 1e-6) continue;
      const nonText = weights.tags * tagOfSet(side.tagSetBySlot[slot]!) + coop;
      // Abandoned once its text cannot lift it to the floor (the 1e-6 margin dwarfs the
      // rounding of this division); it keeps a partial (positive) score, so the tag pass
      // skips it.
      if (textQuery.complete(slot, (floor - 1e-6 - nonText) / textWeight)) consider(slot);
    }

    // A record without text evidence scores at most tags + cooperation.
    if (weights.tags > 0 && blend(1, 0, 1, nonTextCeiling) >= floor) {
      const roots = new Set(query.tags.map((t) => taxonomy.lineage(t.tag).at(-1)!));
      const related = roots.size === 1 ? (side.groupsByRoot.get([...roots][0]!) ?? []) : [...new Set([...roots].flatMap((root) => side.groupsByRoot.get(root) ?? []))];
      for (const group of related) {
        if (!group.eligible || group.ids.length === 0 || tagOf(group) === 0) continue;
        const tag = tagOf(group);
        const coop = coopOf(group);
        const score = blend(tag, 0, coop);
        if (score < minScore || score < floor) continue;
        for (let i = 0; i < group.ids.length; i += 1) {
          const slot = group.slots[i]!;
          if (scores[slot]! > 0) continue;
          const id = group.ids[i]!;
          // Ids ascend within a group, so once one cannot enter, none after it can.
          if (score === floor && !ranksAbove({ id, score }, heap.threshold!)) break;
          if (score < floor) break;
          const entry = side.entryBySlot[slot]!;
          if (rankOptions.filter !== undefined && !rankOptions.filter(entry.record)) continue;
          offer({ id, slot, rank: 0, score, parts: { tags: round(tag), text: 0, cooperation: round(coop) } });
        }
      }
    }

    return heap.sorted().map(({ slot, ...match }, i) => {
      const ranked: Match = { ...match, rank: i + 1 };
      if (rankOptions.explain === false) return ranked;
      const entry = side.entries.get(match.id)!;
      return { ...ranked, explanation: explain(textQuery, slot, entry, query, queryIsNeed, bestText, weights) };
    });
  }

  function tagScoreOf(queryTags: readonly AssignedTag[], candidateTags: readonly AssignedTag[], queryIsNeed: boolean) {
    const [needTags, companyTags] = queryIsNeed ? [queryTags, candidateTags] : [candidateTags, queryTags];
    return scoreTags(needTags, companyTags, (tag) => companies.rarity(tag), options.tagRelations, options.tagCompanySideShare);
  }

  function explain<T extends { id: string }>(
    textQuery: TextQuery,
    slot: number,
    entry: Entry<T>,
    query: Query,
    queryIsNeed: boolean,
    bestText: number,
    weights: ScoreWeights,
  ): Explanation {
    const candidateTypes = entry.group.types;
    // Term contributions straight from the index, summed in the scoring order, so the
    // explained text score is the ranked one to the bit.
    const contributions: { term: string; value: number }[] = [];
    let total = 0;
    for (let t = 0; t < textQuery.termCount; t += 1) {
      const value = textQuery.contribution(t, slot);
      if (value === 0) continue;
      contributions.push({ term: textQuery.termAt(t), value });
      total += value;
    }
    contributions.sort((a, b) => b.value - a.value || (a.term < b.term ? -1 : 1));
    const shown = contributions.slice(0, EXPLAINED_TERMS);
    // Only the shown terms' written forms and phrases are looked up in the candidate's text.
    const candidate = analyzer.evidence(
      recordFields(queryIsNeed ? 'company' : 'need', entry.record as unknown as Company | PartnerNeed, options.fieldWeights),
      new Set(shown.map((c) => c.term)),
    );
    const [needEvidence, companyEvidence] = queryIsNeed ? [query.analysis, candidate] : [candidate, query.analysis];

    const terms: TermEvidence[] = shown.map(({ term, value }) => {
      const share = total > 0 ? round(value / total) : 0;
      if (isConceptTerm(term)) {
        const id = term.slice(CONCEPT_PREFIX.length);
        const concept = taxonomy.concept(id);
        const phrasesOf = (evidence: Evidence) =>
          [...new Set(evidence.concepts.filter((hit) => hit.concept === id).map((hit) => hit.phrase))];
        return {
          kind: 'concept',
          term: id,
          label: concept?.en[0] ?? id,
          ...(concept?.tag === undefined ? {} : { tag: concept.tag }),
          share,
          needPhrases: phrasesOf(needEvidence),
          companyPhrases: phrasesOf(companyEvidence),
        };
      }
      const needSurface = needEvidence.surfaces.get(term) ?? writtenForm(term);
      const companySurface = companyEvidence.surfaces.get(term) ?? writtenForm(term);
      const bridge = needEvidence.bridges.get(term) ?? companyEvidence.bridges.get(term);
      return {
        kind: 'word',
        term,
        label: needSurface,
        share,
        needPhrases: [needSurface],
        companyPhrases: [companySurface],
        ...(bridge === undefined ? {} : { bridge: { source: 'lexicon', word: bridge } }),
      };
    });

    const tagResult = weights.tags > 0 ? tagScoreOf(query.tags, entry.tags, queryIsNeed) : { score: 0, pairs: [] };
    const [needTypes, companyTypes] = queryIsNeed ? [query.types, candidateTypes] : [candidateTypes, query.types];
    const cooperation = scoreCooperation(needTypes, companyTypes, options.neutralCooperation);
    const text = bestText > 0 ? total / bestText : 0;
    const part = (score: number, weight: number): ScorePart => ({
      score: round(score),
      weight: round(weight),
      contribution: round(score * weight),
    });
    const body = {
      parts: {
        tags: part(tagResult.score, weights.tags),
        text: part(text, weights.text),
        cooperation: part(cooperation.score, weights.cooperation),
      },
      needTags: queryIsNeed ? query.tags : entry.tags,
      companyTags: queryIsNeed ? entry.tags : query.tags,
      tags: tagResult.pairs.map((pair) => ({
        needTag: pair.needTag.tag,
        companyTag: pair.companyTag.tag,
        relation: pair.relation,
        needTagSource: pair.needTag.source,
        companyTagSource: pair.companyTag.source,
        credit: round(pair.credit * pair.needTag.confidence),
      })),
      terms,
      cooperation: { known: cooperation.known, shared: cooperation.shared, related: cooperation.related },
    };
    return { summary: summarize(body), ...body };
  }

  function resolveNeed(need: PartnerNeed | string): PartnerNeed {
    if (typeof need !== 'string') return need;
    const found = needs.entries.get(need)?.record;
    if (found === undefined) throw new PartnermatchError('NOT_FOUND', `no need with id ${JSON.stringify(need)}`);
    return found;
  }

  function resolveCompany(company: Company | string): Company {
    if (typeof company !== 'string') return company;
    const found = companies.entries.get(company)?.record;
    if (found === undefined) throw new PartnermatchError('NOT_FOUND', `no company with id ${JSON.stringify(company)}`);
    return found;
  }

  function rankCompanies(needOrId: PartnerNeed | string, rankOptions: RankOptions<Company> = {}): Match[] {
    const need = resolveNeed(needOrId);
    if (need.status === 'closed') return [];
    const query = queryOf(need, 'need');
    return rank(companies, query, true, rankOptions);
  }

  function rankNeeds(companyOrId: Company | string, rankOptions: RankOptions<PartnerNeed> = {}): Match[] {
    const company = resolveCompany(companyOrId);
    const query = queryOf(company, 'company');
    return rank(needs, query, false, rankOptions);
  }

  function* rankEach(batchOptions: RankAllOptions = {}): Generator<BatchResult, void, undefined> {
    const { direction = 'companies', onProgress, ...rankOptions } = batchOptions;
    const queries =
      direction === 'companies'
        ? needs.order.filter((id) => needs.entries.get(id)!.record.status !== 'closed')
        : [...companies.order];
    let done = 0;
    for (const id of queries) {
      const matches =
        direction === 'companies'
          ? rankCompanies(id, rankOptions as RankOptions<Company>)
          : rankNeeds(id, rankOptions as RankOptions<PartnerNeed>);
      done += 1;
      onProgress?.(done, queries.length);
      yield { queryId: id, matches };
    }
  }

  function checked<T>(result: { ok: true; value: T } | { ok: false; issues: readonly { path: string; message: string }[] }): T {
    if (result.ok) return result.value;
    throw new PartnermatchError('INVALID_INPUT', `invalid input: ${result.issues.length} problem(s)`, { issues: result.issues });
  }

  function add(kind: 'company' | 'need', record: unknown): Company | PartnerNeed {
    if (kind === 'company') {
      const company = checked(validateCompany(record));
      if (companies.entries.has(company.id)) {
        throw new PartnermatchError('DUPLICATE_ID', `a company with id ${JSON.stringify(company.id)} already exists`);
      }
      indexCompany(company);
      companies.order.push(company.id);
      return company;
    }
    const need = checked(validateNeed(record));
    if (needs.entries.has(need.id)) {
      throw new PartnermatchError('DUPLICATE_ID', `a need with id ${JSON.stringify(need.id)} already exists`);
    }
    indexNeed(need);
    needs.order.push(need.id);
    return need;
  }

  function update(kind: 'company' | 'need', record: unknown): Company | PartnerNeed {
    if (kind === 'company') {
      const company = checked(validateCompany(record));
      if (!unindex(companies, 'company', company.id)) {
        throw new PartnermatchError('NOT_FOUND', `no company with id ${JSON.stringify(company.id)}`);
      }
      indexCompany(company);
      return company;
    }
    const need = checked(validateNeed(record));
    if (!unindex(needs, 'need', need.id)) throw new PartnermatchError('NOT_FOUND', `no need with id ${JSON.stringify(need.id)}`);
    indexNeed(need);
    return need;
  }

  function remove(kind: 'company' | 'need', id: string): boolean {
    const side = kind === 'company' ? companies : needs;
    const removed = kind === 'company' ? unindex(companies, 'company', id) : unindex(needs, 'need', id);
    if (removed) side.order.splice(side.order.indexOf(id), 1);
    return removed;
  }

  const matcher: Matcher = {
    options,
    get companyCount() {
      return companies.entries.size;
    },
    get needCount() {
      return needs.entries.size;
    },
    rankCompanies,
    rankNeeds,
    rankAll(batchOptions: RankAllOptions = {}): BatchResult[] {
      return [...rankEach(batchOptions)];
    },
    rankEach,
    add: add as Matcher['add'],
    update: update as Matcher['update'],
    remove,
    getCompany: (id) => companies.entries.get(id)?.record,
    getNeed: (id) => needs.entries.get(id)?.record,
    profile(kind, id) {
      const entry = kind === 'company' ? companies.entries.get(id) : needs.entries.get(id);
      return entry === undefined ? undefined : { language: entry.language, tags: entry.tags };
    },
  };

  return {
    addCompany(company, ready) {
      indexCompany(company, ready);
      companies.order.push(company.id);
    },
    addNeed(need, ready) {
      indexNeed(need, ready);
      needs.order.push(need.id);
    },
    finish() {
      companies.endBulk();
      needs.endBulk();
      return matcher;
    },
  };
}

function round(value: number): number {
  return Math.round(value * 1e4) / 1e4;
}

