import { PartnermatchError } from '../errors.js';
import { recordFields } from '../index/fields.js';
import { Side } from '../index/side.js';
import type { TermIndex } from '../index/term-index.js';
import type { ResolvedMatcherOptions } from '../options.js';
import type { Company, PartnerNeed } from '../schema/records.js';
import { assignTags, type AssignedTag } from '../scoring/inference.js';
import { compileTagScorer, type CompiledTagScorer } from '../scoring/scores.js';
import { createAnalyzer, type InternalAnalyzer } from '../text/analyzer.js';
import type { Language } from '../text/language.js';
import { evictOldestHalf } from '../text/memo.js';
import { isExpired, resolveAsOf } from './deadline.js';
import { explainMatch, type ExplainContext } from './explain.js';
import { rank, Ranking, type Candidate, type RankContext } from './rank.js';
import type { BatchResult, Match, Query, RankAllOptions, RankOptions, RecordProfile } from './types.js';

/** A record analysed elsewhere (by a build worker), ready to be indexed. */
export interface PreparedRecord {
  readonly language: Language;
  readonly tags: readonly AssignedTag[];
  /** Adds the record's terms to `index` under `id` and returns its slot. */
  addTo(index: TermIndex, id: string): number;
}

// The engine behind each matcher facade, so a snapshot can read a live index without the
// facade exposing its internals.
const ENGINES = new WeakMap<object, Engine>();

export function registerEngine(facade: object, engine: Engine): void {
  ENGINES.set(facade, engine);
}

export function engineOf(facade: object): Engine | undefined {
  return ENGINES.get(facade);
}

/** Queries (analyses with surfaces, assigned tags) of this many recently ranked records are kept. */
const RECENT_QUERIES = 1024;

/**
 * Both sides of the index and the ranking over them, without validation: records
 * reaching it are valid and their ids unique per kind (the `Matcher` facade checks).
 */
export class Engine implements RankContext, ExplainContext {
  readonly analyzer: InternalAnalyzer;
  readonly tagScorer: CompiledTagScorer;
  readonly companies: Side<Company>;
  readonly needs: Side<PartnerNeed>;
  readonly companyRarity = (tag: string): number => this.companies.rarity(tag);
  // Queries (analysis with surfaces, assigned tags) of recently ranked records, keyed by the
  // record object itself, so an update (a new object) can never be served an old analysis.
  private readonly recentQueries = new Map<Company | PartnerNeed, Query>();

  /** Starts in bulk mode: call `endBulk()` once the initial records are in. */
  constructor(readonly options: ResolvedMatcherOptions) {
    this.analyzer = createAnalyzer(options.analyzer);
    this.tagScorer = compileTagScorer(options.tagRelations, options.tagCompanySideShare, options.neutralTags);
    const vector = (tags: readonly AssignedTag[]) => this.tagScorer.vector(tags);
    this.companies = new Side<Company>(vector, options.bm25);
    this.needs = new Side<PartnerNeed>(vector, options.bm25);
    this.companies.beginBulk();
    this.needs.beginBulk();
  }

  endBulk(): void {
    this.companies.endBulk();
    this.needs.endBulk();
  }

  /** Indexes a company, analysing it here unless it comes `ready` from a build worker. */
  indexCompany(company: Company, ready?: PreparedRecord): void {
    this.indexRecord(this.companies, 'company', company, true, ready);
  }

  /** Indexes a need; a closed need is kept but never ranked. */
  indexNeed(need: PartnerNeed, ready?: PreparedRecord): void {
    this.indexRecord(this.needs, 'need', need, need.status !== 'closed', ready);
  }

  /** Adds a new record at the end of its kind's order. */
  append(kind: 'company', record: Company, ready?: PreparedRecord): void;
  append(kind: 'need', record: PartnerNeed, ready?: PreparedRecord): void;
  append(kind: 'company' | 'need', record: Company | PartnerNeed, ready?: PreparedRecord): void {
    if (kind === 'company') {
      this.indexCompany(record as Company, ready);
      this.companies.order.push(record.id);
    } else {
      this.indexNeed(record as PartnerNeed, ready);
      this.needs.order.push(record.id);
    }
  }

  /** Removes a record and its place in the order; false when no record had that id. */
  remove(kind: 'company' | 'need', id: string): boolean {
    const removed = this.unindex(kind, id);
    if (removed) {
      const order = kind === 'company' ? this.companies.order : this.needs.order;
      order.splice(order.indexOf(id), 1);
    }
    return removed;
  }

  private indexRecord<T extends Company | PartnerNeed>(side: Side<T>, kind: 'company' | 'need', record: T, eligible: boolean, ready?: PreparedRecord): void {
    const prepared = ready ?? this.prepare(kind, record);
    side.add(record, prepared.language, prepared.tags, record.partnershipTypes, eligible, () => prepared.addTo(side.index, record.id));
  }

  private prepare(kind: 'company' | 'need', record: Company | PartnerNeed): PreparedRecord {
    const analysis = this.analyzer.analyze(recordFields(kind, record, this.options.fieldWeights), { surfaces: false });
    return {
      language: analysis.language,
      tags: assignTags(record.sectors, analysis.concepts, this.options.inference),
      addTo: (index, id) => index.add(id, analysis.terms, analysis.length),
    };
  }

  /**
   * Removes records whose text is not at hand (a restore catching up with writes made after
   * its snapshot: the store holds the records as they are now): their terms are read off the
   * index, in one pass over the posting lists. Their places in the order stay.
   */
  forgetIndexed(kind: 'company' | 'need', ids: readonly string[]): void {
    const side: Side<Company | PartnerNeed> = kind === 'company' ? this.companies : this.needs;
    const slots = new Set<number>();
    for (const id of ids) {
      const slot = side.index.slotOf(id);
      if (slot !== undefined) slots.add(slot);
    }
    const terms = side.index.termsOfSlots(slots);
    for (const id of ids) {
      const slot = side.index.slotOf(id);
      side.remove(id, (slot === undefined ? undefined : terms.get(slot)) ?? []);
    }
  }

  /** Removes a record; its indexed terms are found by analysing it again. */
  unindex(kind: 'company' | 'need', id: string): boolean {
    const side: Side<Company | PartnerNeed> = kind === 'company' ? this.companies : this.needs;
    const entry = side.entry(id);
    if (entry === undefined) return false;
    const terms = this.analyzer.analyze(recordFields(kind, entry.record, this.options.fieldWeights), { surfaces: false }).terms.keys();
    return side.remove(id, terms);
  }

  queryOf(record: Company | PartnerNeed, kind: 'company' | 'need'): Query {
    let query = this.recentQueries.get(record);
    if (query === undefined || query.isNeed !== (kind === 'need')) {
      const analysis = this.analyzer.analyze(recordFields(kind, record, this.options.fieldWeights));
      const tags = assignTags(record.sectors, analysis.concepts, this.options.inference);
      query = { id: record.id, isNeed: kind === 'need', analysis, tags, types: record.partnershipTypes };
      if (this.recentQueries.size >= RECENT_QUERIES) evictOldestHalf(this.recentQueries);
      this.recentQueries.set(record, query);
    }
    return query;
  }

  private run<T extends Company | PartnerNeed>(side: Side<T>, query: Query, rankOptions: RankOptions<T>, textDivisor?: number): Match[] {
    const { ranking, candidates } = textDivisor === undefined ? rank(this, side, query, rankOptions) : this.rankWithDivisor(side, query, rankOptions, textDivisor);
    return candidates.map(({ id, slot, score, parts }, i) => {
      const [needId, companyId] = query.isNeed ? [query.id, id] : [id, query.id];
      const match: Match = { id, needId, companyId, rank: i + 1, score, parts };
      if (rankOptions.explain === false) return match;
      const entry = side.entry(id)!;
      return { ...match, explanation: explainMatch(this, ranking.textQuery, slot, entry, query, ranking.bestText, ranking.weights) };
    });
  }

  private resolve<T extends Company | PartnerNeed>(side: Side<T>, kind: 'company' | 'need', record: T | string): T {
    if (typeof record !== 'string') return record;
    const found = side.entry(record)?.record;
    if (found === undefined) throw new PartnermatchError('NOT_FOUND', `no ${kind} with id ${JSON.stringify(record)}`);
    return found;
  }

  /**
   * A ranking whose text scores are divided by `textDivisor` (the best text score of the
   * whole collection, of which this index is a shard) instead of the best one here. The
   * text pass reads every term in full: its early stop assumes the divisor is the local best.
   */
  private rankWithDivisor<T extends Company | PartnerNeed>(side: Side<T>, query: Query, rankOptions: RankOptions<T>, textDivisor: number): { ranking: Ranking<T>; candidates: Candidate[] } {
    const ranking = new Ranking(this, side, query, rankOptions);
    const { textQuery } = ranking;
    while (textQuery.processed < textQuery.termCount) textQuery.accumulateNext();
    const exact = ranking.findBestText();
    if (!(textDivisor >= ranking.bestText)) {
      throw new PartnermatchError('INVALID_INPUT', `textDivisor ${textDivisor} is below this shard's own best text score ${ranking.bestText}: it must be the largest over every shard`);
    }
    ranking.bestText = textDivisor;
    ranking.fillHeap(exact);
    ranking.tagOnlyPass();
    return { ranking, candidates: ranking.heap.sorted() };
  }

  /** The need, unless it is closed or (by `rankOptions`) expired: then it gets no matches. */
  private rankableNeed(needOrId: PartnerNeed | string, rankOptions: RankOptions<Company>): PartnerNeed | undefined {
    const need = this.resolve(this.needs, 'need', needOrId);
    if (need.status === 'closed') return undefined;
    if (rankOptions.includeExpired !== true && isExpired(need, resolveAsOf(rankOptions.asOf))) return undefined;
    return need;
  }

  /** `textDivisor`: see `rankWithDivisor` (a shard's second phase). */
  rankCompanies(needOrId: PartnerNeed | string, rankOptions: RankOptions<Company> = {}, textDivisor?: number): Match[] {
    const need = this.rankableNeed(needOrId, rankOptions);
    return need === undefined ? [] : this.run(this.companies, this.queryOf(need, 'need'), rankOptions, textDivisor);
  }

  /** The best BM25 text score among the companies for a need (0 when none shares a term, or the need gets no matches): a shard's first phase. */
  bestCompanyText(needOrId: PartnerNeed | string, rankOptions: RankOptions<Company> = {}): number {
    const need = this.rankableNeed(needOrId, rankOptions);
    if (need === undefined) return 0;
    const ranking = new Ranking(this, this.companies, this.queryOf(need, 'need'), rankOptions);
    ranking.textPass();
    ranking.findBestText();
    return ranking.bestText;
  }

  rankNeeds(companyOrId: Company | string, rankOptions: RankOptions<PartnerNeed> = {}): Match[] {
    const company = this.resolve(this.companies, 'company', companyOrId);
    return this.run(this.needs, this.queryOf(company, 'company'), this.withoutExpired(rankOptions));
  }

  /** Expired needs left out as a filter leaves records out: other scores stay as they are. */
  private withoutExpired(rankOptions: RankOptions<PartnerNeed>): RankOptions<PartnerNeed> {
    if (rankOptions.includeExpired === true) return rankOptions;
    const asOf = resolveAsOf(rankOptions.asOf);
    const filter = rankOptions.filter;
    return {
      ...rankOptions,
      filter: filter === undefined ? (need) => !isExpired(need, asOf) : (need) => !isExpired(need, asOf) && filter(need),
    };
  }

  *rankEach(batchOptions: RankAllOptions = {}): Generator<BatchResult, void, undefined> {
    const { direction = 'companies', onProgress, ...rest } = batchOptions;
    // One day for the whole batch, even one that runs past midnight.
    const rankOptions = { ...rest, asOf: resolveAsOf(rest.asOf) };
    const queries =
      direction === 'companies'
        ? this.needs.order.filter((id) => {
            const need = this.needs.entry(id)!.record;
            return need.status !== 'closed' && (rankOptions.includeExpired === true || !isExpired(need, rankOptions.asOf));
          })
        : [...this.companies.order];
    let done = 0;
    for (const id of queries) {
      const matches = direction === 'companies' ? this.rankCompanies(id, rankOptions) : this.rankNeeds(id, rankOptions);
      done += 1;
      onProgress?.(done, queries.length);
      yield { queryId: id, asOf: rankOptions.asOf, matches };
    }
  }

  profile(kind: 'company' | 'need', id: string): RecordProfile | undefined {
    const entry = kind === 'company' ? this.companies.entry(id) : this.needs.entry(id);
    return entry === undefined ? undefined : { language: entry.language, tags: entry.tags };
  }
}
