import { PartnermatchError } from './errors.js';
import { TermIndex, type Bm25Params } from './index/term-index.js';
import { TopK } from './index/top-k.js';
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
  DEFAULT_TAG_RELATION_WEIGHTS,
  scoreCooperation,
  scoreTags,
  type TagRelationWeights,
} from './scoring/scores.js';
import { taxonomy } from './taxonomy/taxonomy.js';
import {
  createAnalyzer,
  isConceptTerm,
  CONCEPT_PREFIX,
  type Analysis,
  type Analyzer,
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

interface Entry<T> {
  readonly record: T;
  readonly tags: readonly AssignedTag[];
  readonly language: Language;
}

interface Query {
  readonly analysis: Analysis;
  readonly tags: readonly AssignedTag[];
  readonly types: readonly PartnershipType[] | undefined;
}

/** The records of one kind, their inverted index and their tag statistics. */
class Side<T extends { id: string; sectors?: string[] | undefined }> {
  readonly index = new TermIndex();
  readonly entries = new Map<string, Entry<T>>();
  /** Slots by every tag and ancestor the record carries, for candidate generation. */
  readonly slotsByTag = new Map<string, Set<number>>();

  add(record: T, analysis: Analysis, tags: readonly AssignedTag[]): void {
    const slot = this.index.add(record.id, analysis.terms, analysis.length);
    this.entries.set(record.id, { record, tags, language: analysis.language });
    for (const tag of lineageOf(tags)) {
      let slots = this.slotsByTag.get(tag);
      if (slots === undefined) {
        slots = new Set();
        this.slotsByTag.set(tag, slots);
      }
      slots.add(slot);
    }
  }

  remove(id: string): boolean {
    const entry = this.entries.get(id);
    const slot = this.index.slotOf(id);
    if (entry === undefined || slot === undefined) return false;
    for (const tag of lineageOf(entry.tags)) {
      const slots = this.slotsByTag.get(tag);
      slots?.delete(slot);
      if (slots?.size === 0) this.slotsByTag.delete(tag);
    }
    this.entries.delete(id);
    this.index.remove(id);
    return true;
  }

  /** IDF-style rarity of a tag among this side's records (ancestors included). */
  rarity(tag: string): number {
    const df = this.slotsByTag.get(tag)?.size ?? 0;
    return Math.log(1 + (this.entries.size + 1) / (df + 1));
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

export function resolveMatcherOptions(options: MatcherOptions = {}): ResolvedMatcherOptions {
  const raw = { ...DEFAULT_WEIGHTS, ...options.weights };
  const total = raw.tags + raw.text + raw.cooperation;
  if (![raw.tags, raw.text, raw.cooperation].every((w) => Number.isFinite(w) && w >= 0) || total <= 0) {
    throw new PartnermatchError('INVALID_OPTIONS', 'weights must be non-negative numbers with a positive sum');
  }
  const bm25 = { ...DEFAULT_BM25, ...options.bm25 };
  if (!(bm25.k1 > 0) || !(bm25.b >= 0 && bm25.b <= 1)) {
    throw new PartnermatchError('INVALID_OPTIONS', 'bm25.k1 must be positive and bm25.b within [0, 1]');
  }
  const analyzer = createAnalyzer(options.analyzer);
  return Object.freeze({
    weights: Object.freeze({ tags: raw.tags / total, text: raw.text / total, cooperation: raw.cooperation / total }),
    bm25: Object.freeze(bm25),
    conceptWeight: options.conceptWeight ?? 1.5,
    tagRelations: Object.freeze({ ...DEFAULT_TAG_RELATION_WEIGHTS, ...options.tagRelations }),
    tagCompanySideShare: options.tagCompanySideShare ?? 0.2,
    neutralCooperation: options.neutralCooperation ?? 0.5,
    inference: Object.freeze({ ...DEFAULT_INFERENCE_OPTIONS, ...options.inference }),
    analyzer: analyzer.options,
    fieldWeights: Object.freeze({ ...DEFAULT_FIELD_WEIGHTS, ...options.fieldWeights }),
  });
}

const SCORE_PRECISION = 1e6;
const EXPLAINED_TERMS = 8;

/**
 * Builds the matcher: validates the records (throwing one INVALID_INPUT error listing
 * every problem), analyses each once and indexes companies and needs in two inverted
 * indexes that later `add` / `update` / `remove` calls change in place.
 */
export function createMatcher(input: CreateMatcherInput = {}): Matcher {
  const options = resolveMatcherOptions(input.options);
  const analyzer: Analyzer = createAnalyzer(options.analyzer);
  const companies = new Side<Company>();
  const needs = new Side<PartnerNeed>();
  const needOrder: string[] = [];

  const companyResult = validateCompanies(input.companies ?? []);
  const needResult = validateNeeds(input.needs ?? []);
  const issues = [
    ...(companyResult.ok ? [] : companyResult.issues),
    ...(needResult.ok ? [] : needResult.issues),
  ];
  if (!companyResult.ok || !needResult.ok) {
    throw new PartnermatchError('INVALID_INPUT', `invalid input: ${issues.length} problem(s)`, { issues });
  }
  for (const company of companyResult.value) indexCompany(company);
  for (const need of needResult.value) indexNeed(need);

  function indexCompany(company: Company): void {
    const analysis = analyzer.analyze(companyFields(company, options.fieldWeights));
    companies.add(company, analysis, assignTags(company.sectors, analysis.concepts, options.inference));
  }

  function indexNeed(need: PartnerNeed): void {
    const analysis = analyzer.analyze(needFields(need, options.fieldWeights));
    needs.add(need, analysis, assignTags(need.sectors, analysis.concepts, options.inference));
  }

  function queryOf(text: readonly TextField[], given: readonly string[] | undefined, types: readonly PartnershipType[] | undefined): Query {
    const analysis = analyzer.analyze(text);
    return { analysis, tags: assignTags(given, analysis.concepts, options.inference), types };
  }

  function termWeight(term: string): number {
    return isConceptTerm(term) ? options.conceptWeight : 1;
  }

  /**
   * Scores every candidate that shares a term or a sector root with the query, blends
   * the parts and keeps the best `limit` in a heap. Text scores are divided by the best
   * text score among all candidates (before any filter), so the best text match has text
   * score 1 and a filter never changes another match's score.
   */
  function rank<T extends { id: string; sectors?: string[] | undefined }>(
    side: Side<T>,
    query: Query,
    queryIsNeed: boolean,
    typesOf: (record: T) => readonly PartnershipType[] | undefined,
    eligible: (record: T) => boolean,
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
    const scores = new Float64Array(index.slotCount);
    const touched: number[] = [];
    const terms = [...query.analysis.terms.keys()].sort();
    for (const term of terms) {
      const weight = termWeight(term) * query.analysis.terms.get(term)!;
      if (weight > 0) index.accumulate(term, weight, options.bm25, scores, (slot) => touched.push(slot));
    }
    let bestText = 0;
    for (const slot of touched) bestText = Math.max(bestText, scores[slot]!);

    const candidates = new Set<number>(touched);
    const queryRoots = new Set(query.tags.map(({ tag }) => taxonomy.lineage(tag).at(-1)!));
    for (const root of queryRoots) for (const slot of side.slotsByTag.get(root) ?? []) candidates.add(slot);

    const hasTags = query.tags.length > 0;
    const w = options.weights;
    const textWeight = hasTags ? w.text : w.text + w.tags;
    const tagWeight = hasTags ? w.tags : 0;
    const heap = new TopK<Match & { slot: number }>(limit);

    for (const slot of candidates) {
      const id = index.idAt(slot)!;
      const entry = side.entries.get(id)!;
      if (!eligible(entry.record)) continue;
      const text = bestText > 0 ? scores[slot]! / bestText : 0;
      const tag = hasTags ? tagScoreOf(query.tags, entry.tags, queryIsNeed).score : 0;
      if (text === 0 && tag === 0) continue;
      if (rankOptions.filter !== undefined && !rankOptions.filter(entry.record)) continue;
      const coop = queryIsNeed
        ? scoreCooperation(query.types, typesOf(entry.record), options.neutralCooperation).score
        : scoreCooperation(typesOf(entry.record), query.types, options.neutralCooperation).score;
      const score = Math.round((tagWeight * tag + textWeight * text + w.cooperation * coop) * SCORE_PRECISION) / SCORE_PRECISION;
      if (score < minScore) continue;
      heap.offer({ id, slot, rank: 0, score, parts: { tags: round(tag), text: round(text), cooperation: round(coop) } });
    }

    return heap.sorted().map(({ slot, ...match }, i) => {
      const ranked: Match = { ...match, rank: i + 1 };
      if (rankOptions.explain === false) return ranked;
      const entry = side.entries.get(match.id)!;
      return {
        ...ranked,
        explanation: explain(side, slot, entry, query, queryIsNeed, typesOf(entry.record), bestText, {
          tags: tagWeight,
          text: textWeight,
          cooperation: w.cooperation,
        }),
      };
    });
  }

  function tagScoreOf(queryTags: readonly AssignedTag[], candidateTags: readonly AssignedTag[], queryIsNeed: boolean) {
    const [needTags, companyTags] = queryIsNeed ? [queryTags, candidateTags] : [candidateTags, queryTags];
    return scoreTags(needTags, companyTags, (tag) => companies.rarity(tag), options.tagRelations, options.tagCompanySideShare);
  }

  function explain<T extends { id: string; sectors?: string[] | undefined }>(
    side: Side<T>,
    slot: number,
    entry: Entry<T>,
    query: Query,
    queryIsNeed: boolean,
    candidateTypes: readonly PartnershipType[] | undefined,
    bestText: number,
    weights: ScoreWeights,
  ): Explanation {
    const record = entry.record as unknown as Company | PartnerNeed;
    const candidate = analyzer.analyze(
      queryIsNeed ? companyFields(record as Company, options.fieldWeights) : needFields(record as PartnerNeed, options.fieldWeights),
    );
    const [needAnalysis, companyAnalysis] = queryIsNeed ? [query.analysis, candidate] : [candidate, query.analysis];

    const contributions: { term: string; value: number }[] = [];
    let total = 0;
    for (const [term, qtf] of query.analysis.terms) {
      const tf = candidate.terms.get(term);
      if (tf === undefined) continue;
      const value = side.index.termScore(term, tf, slot, termWeight(term) * qtf, options.bm25);
      contributions.push({ term, value });
      total += value;
    }
    contributions.sort((a, b) => b.value - a.value || (a.term < b.term ? -1 : 1));
    const terms: TermEvidence[] = contributions.slice(0, EXPLAINED_TERMS).map(({ term, value }) => {
      const share = total > 0 ? round(value / total) : 0;
      if (isConceptTerm(term)) {
        const id = term.slice(CONCEPT_PREFIX.length);
        const concept = taxonomy.concept(id);
        const phrasesOf = (analysis: Analysis) =>
          [...new Set(analysis.concepts.filter((hit) => hit.concept === id).map((hit) => hit.phrase))];
        return {
          kind: 'concept',
          term: id,
          label: concept?.en[0] ?? id,
          ...(concept?.tag === undefined ? {} : { tag: concept.tag }),
          share,
          needPhrases: phrasesOf(needAnalysis),
          companyPhrases: phrasesOf(companyAnalysis),
        };
      }
      const needSurface = needAnalysis.surfaces.get(term) ?? term;
      const companySurface = companyAnalysis.surfaces.get(term) ?? term;
      return {
        kind: 'word',
        term,
        label: needSurface,
        share,
        needPhrases: [needSurface],
        companyPhrases: [companySurface],
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
    const query = queryOf(needFields(need, options.fieldWeights), need.sectors, need.partnershipTypes);
    return rank(companies, query, true, (c) => c.partnershipTypes, () => true, rankOptions);
  }

  function rankNeeds(companyOrId: Company | string, rankOptions: RankOptions<PartnerNeed> = {}): Match[] {
    const company = resolveCompany(companyOrId);
    const query = queryOf(companyFields(company, options.fieldWeights), company.sectors, company.partnershipTypes);
    return rank(needs, query, false, (n) => n.partnershipTypes, (n) => n.status !== 'closed', rankOptions);
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
      return company;
    }
    const need = checked(validateNeed(record));
    if (needs.entries.has(need.id)) {
      throw new PartnermatchError('DUPLICATE_ID', `a need with id ${JSON.stringify(need.id)} already exists`);
    }
    indexNeed(need);
    needOrder.push(need.id);
    return need;
  }

  function update(kind: 'company' | 'need', record: unknown): Company | PartnerNeed {
    if (kind === 'company') {
      const company = checked(validateCompany(record));
      if (!companies.remove(company.id)) {
        throw new PartnermatchError('NOT_FOUND', `no company with id ${JSON.stringify(company.id)}`);
      }
      indexCompany(company);
      return company;
    }
    const need = checked(validateNeed(record));
    if (!needs.remove(need.id)) throw new PartnermatchError('NOT_FOUND', `no need with id ${JSON.stringify(need.id)}`);
    indexNeed(need);
    return need;
  }

  function remove(kind: 'company' | 'need', id: string): boolean {
    if (kind === 'company') return companies.remove(id);
    const removed = needs.remove(id);
    if (removed) needOrder.splice(needOrder.indexOf(id), 1);
    return removed;
  }

  for (const need of needResult.value) needOrder.push(need.id);

  return {
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
      const { direction = 'companies', onProgress, ...rankOptions } = batchOptions;
      const queries =
        direction === 'companies'
          ? needOrder.filter((id) => needs.entries.get(id)!.record.status !== 'closed')
          : [...companies.entries.keys()];
      const results: BatchResult[] = [];
      for (const id of queries) {
        const matches =
          direction === 'companies'
            ? rankCompanies(id, rankOptions as RankOptions<Company>)
            : rankNeeds(id, rankOptions as RankOptions<PartnerNeed>);
        results.push({ queryId: id, matches });
        onProgress?.(results.length, queries.length);
      }
      return results;
    },
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
}

function round(value: number): number {
  return Math.round(value * 1e4) / 1e4;
}

