import { PartnermatchError } from './errors.js';
import type { Match, Matcher, RankOptions } from './matcher.js';
import { engineOf, type Engine } from './ranking/engine.js';
import type { Company, PartnerNeed } from './schema/records.js';

// Exact ranking over companies split between several matchers (shards, by id), as the
// scale-out design in DESIGN.md has it. A score depends on three things of the whole
// collection: BM25's statistics (document count, summed length, document frequencies),
// the tag rarity among companies (record count, records per tag) and the text divisor
// (the best text score among all candidates). Each shard reports its own statistics, a
// router sums them once per generation and gives the sum to every shard; per query,
// phase 1 asks every shard for its best text score, phase 2 ranks with the largest, and
// a k-way merge of the shards' top k is the single index's top k, score and order.

/** What a score reads from the whole company collection; plain data, so it can be posted to a worker or sent as JSON. */
export interface CollectionStatistics {
  /** Company records (tag rarity's count). */
  readonly records: number;
  /** Companies in the term index. */
  readonly documents: number;
  /** Summed document length of the indexed companies. */
  readonly totalLength: number;
  /** Companies per term. */
  readonly documentFrequency: Readonly<Record<string, number>>;
  /** Companies per sector tag, ancestors included. */
  readonly tagCounts: Readonly<Record<string, number>>;
}

function engine(matcher: Matcher): Engine {
  const found = engineOf(matcher);
  if (found === undefined) throw new TypeError('not a matcher made by createMatcher, createMatcherInParallel or restoreMatcher');
  return found;
}

/** This matcher's own company statistics: one shard's part of the sum. */
export function collectionStatistics(matcher: Matcher): CollectionStatistics {
  const { companies } = engine(matcher);
  const { documents, totalLength, documentFrequency } = companies.index.ownStatistics();
  const { records, tagCounts } = companies.ownTagStatistics();
  return { records, documents, totalLength, documentFrequency: Object.fromEntries(documentFrequency), tagCounts: Object.fromEntries(tagCounts) };
}

/** The statistics of the whole collection: the shards' summed. */
export function mergeCollectionStatistics(parts: readonly CollectionStatistics[]): CollectionStatistics {
  const documentFrequency = new Map<string, number>();
  const tagCounts = new Map<string, number>();
  let records = 0;
  let documents = 0;
  let totalLength = 0;
  for (const part of parts) {
    records += part.records;
    documents += part.documents;
    totalLength += part.totalLength;
    for (const [term, df] of Object.entries(part.documentFrequency)) documentFrequency.set(term, (documentFrequency.get(term) ?? 0) + df);
    for (const [tag, count] of Object.entries(part.tagCounts)) tagCounts.set(tag, (tagCounts.get(tag) ?? 0) + count);
  }
  return { records, documents, totalLength, documentFrequency: Object.fromEntries(documentFrequency), tagCounts: Object.fromEntries(tagCounts) };
}

/** Ranking options of a shard's second phase. */
export interface ShardRankOptions extends RankOptions<Company> {
  /** The largest of every shard's `bestText` for this need (phase 1). */
  readonly textDivisor: number;
}

/** One shard's side of an exact sharded ranking of companies for a need. */
export interface Shard {
  /** Phase 1: the best text score among this shard's companies (0: none shares a term with the need, or it gets no matches). */
  bestText(need: PartnerNeed | string, options?: RankOptions<Company>): number;
  /** Phase 2: this shard's top `limit`, scored as the whole collection would score them. */
  rankCompanies(need: PartnerNeed | string, options: ShardRankOptions): Match[];
}

/**
 * Makes `matcher` (holding a part of the companies, and the needs) score as the whole
 * collection described by `whole` (`mergeCollectionStatistics` of every shard's
 * `collectionStatistics`). The statistics are read once: after the records change, sum
 * them again and call this again. From then on the matcher's own `rankCompanies` uses
 * the whole collection's statistics too, but divides by its own best text score.
 */
export function shardMatcher(matcher: Matcher, whole: CollectionStatistics): Shard {
  const found = engine(matcher);
  for (const [name, value] of [['records', whole.records], ['documents', whole.documents], ['totalLength', whole.totalLength]] as const) {
    if (!(Number.isFinite(value) && value >= 0)) throw new PartnermatchError('INVALID_INPUT', `whole.${name}: ${String(value)} is not a count`);
  }
  const documentFrequency = new Map(Object.entries(whole.documentFrequency));
  found.companies.shareStatistics({
    records: whole.records,
    documents: whole.documents,
    totalLength: whole.totalLength,
    documentFrequency: (term) => documentFrequency.get(term),
    tagCounts: new Map(Object.entries(whole.tagCounts)),
  });
  return {
    bestText: (need, options) => found.bestCompanyText(need, options),
    rankCompanies: (need, { textDivisor, ...options }) => {
      if (!(Number.isFinite(textDivisor) && textDivisor >= 0)) throw new PartnermatchError('INVALID_INPUT', `textDivisor: ${String(textDivisor)} is not a text score`);
      return found.rankCompanies(need, options, textDivisor);
    },
  };
}

/**
 * The best `limit` of the shards' top lists (each best first, as `rankCompanies` returns
 * them): score descending, equal scores by company id, ranks renumbered from 1.
 */
export function mergeShardMatches(lists: readonly (readonly Match[])[], limit: number): Match[] {
  const cursor = new Int32Array(lists.length);
  const out: Match[] = [];
  while (out.length < limit) {
    let best = -1;
    for (let s = 0; s < lists.length; s += 1) {
      const candidate = lists[s]![cursor[s]!];
      if (candidate === undefined) continue;
      const leader = best < 0 ? undefined : lists[best]![cursor[best]!]!;
      if (leader === undefined || candidate.score > leader.score || (candidate.score === leader.score && candidate.companyId < leader.companyId)) best = s;
    }
    if (best < 0) break;
    const match = lists[best]![cursor[best]!]!;
    cursor[best]! += 1;
    out.push({ ...match, rank: out.length + 1 });
  }
  return out;
}
