import type { ResolvedMatcherOptions, ScoreWeights } from '../options.js';
import { resolveRankBounds } from '../options.js';
import { isConceptTerm } from '../text/analyzer.js';
import { rootsOf, type Group, type Side } from '../index/side.js';
import type { TermIndex, TextQuery, WeightedTerm } from '../index/term-index.js';
import { ranksAbove, TopK } from '../index/top-k.js';
import {
  blend,
  cannotReach,
  effectiveWeights,
  nonTextCeiling,
  nonTextScore,
  roundPart,
  scoreLowerBound,
  untouchedCeiling,
} from '../scoring/score.js';
import { scoreCooperation, type CompiledTagScorer } from '../scoring/scores.js';
import type { Query, RankOptions } from './types.js';

/** Above this many matches a query is scored exhaustively: the pruning bound needs that many seeds. */
export const MAX_PRUNED_LIMIT = 256;
/** The text pass's stop test draws its floor from at most this many touched records. */
const FLOOR_SAMPLE = 4096;

/** A match while it is ranked: the index slot of its record, its rank not yet known. */
export interface Candidate {
  readonly id: string;
  readonly slot: number;
  readonly score: number;
  readonly parts: { readonly tags: number; readonly text: number; readonly cooperation: number };
}

/** What a ranking reads besides the side it ranks. */
export interface RankContext {
  readonly options: ResolvedMatcherOptions;
  readonly tagScorer: CompiledTagScorer;
  /** Rarity of a tag among companies: tag scores weigh need tags by it, whichever way is ranked. */
  readonly companyRarity: (tag: string) => number;
}

/** The slots of the `k` highest scores among the first `count` of `touched` (ties: any), by one scan. */
export function bestTextSlots(scores: Float64Array, touched: Int32Array, count: number, k: number): number[] {
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

/**
 * Synonym sets (a word's lexicon translations) a query keeps: the most evidence first
 * (query weight × IDF of the set). A Chinese need of forty words brings forty sets, most
 * of them common English words whose bounds, summed, keep MaxScore from stopping, and
 * whose postings then cost more than all else. Among 16–all on the dev, sample,
 * economy-dev and bitext-dev sets, 24 kept dev within 0.002 of all sets and sample within
 * 0.003 of its best (16: dev −0.005; all: sample −0.004); bitext-dev was the same. Sets no
 * record holds take no place since session 29; measured again then (dev, sample,
 * yunnan-check, energy-hard): 16 0.959 / 0.956 / 0.749 / 0.907, 20 0.959 / 0.956 / 0.769 /
 * 0.909, 24 0.959 / 0.956 / 0.790 / 0.902, 32 0.959 / 0.956 / 0.772 / 0.908.
 */
export const LEXICON_QUERY_SETS = 24;

/**
 * Saturation of a term's frequency in the query (BM25's k3): a term's query weight grows as
 * (k3 + 1) · qtf / (k3 + qtf), so a word a need repeats, or writes in its title (weighted
 * 3), counts more than once but not as many times. A need of a few hundred characters
 * says its subject over and over (咖啡 four times in a need about coffee pulp as fuel) and
 * its asks once each, and with linear weights the subject alone ranked a coffee roaster
 * first. Companies ranked for needs, summed over 25 labelled sets: linear 22.43; k3 = 1
 * 22.51, 2 22.57, 5 22.59, 10 22.60, 20 22.56, 50 22.50 (synonym sets then saturated by
 * their weights, which carry the Chinese-word prior; by their occurrences, as now, 22.64).
 * Needs ranked for companies (company profiles as queries): 22.38 linear, 22.37 at 10.
 */
export const QUERY_TF_SATURATION = 10;

function saturated(qtf: number): number {
  return qtf > 0 ? ((QUERY_TF_SATURATION + 1) * qtf) / (QUERY_TF_SATURATION + qtf) : 0;
}

/**
 * The query's terms with their query weights: a concept counts `conceptWeight` times a
 * word; the lexicon translations of one word form one synonym set (`Analysis.synonyms`),
 * scored as one term, so a word with many senses does not outweigh a word with one. With
 * the index, the sets are cut to `LEXICON_QUERY_SETS`, by evidence in that index. Query
 * frequencies saturate (`QUERY_TF_SATURATION`): a term's as its frequency stands (field
 * weights count as repeats), a set's by its occurrences (`SynonymSet.occurrences`), its
 * weight scaled alike, and the sets are cut by their saturated weights.
 */
export function weightedTerms(query: Pick<Query, 'analysis'>, conceptWeight: number, index?: TermIndex): WeightedTerm[] {
  const { queryWeights, synonyms } = query.analysis;
  const out: WeightedTerm[] = [];
  for (const [term, qtf] of query.analysis.terms) {
    const weight = (isConceptTerm(term) ? conceptWeight : 1) * saturated(queryWeights.get(term) ?? qtf);
    if (weight > 0) out.push({ term, weight });
  }
  // A set's occurrences saturate, not its weight: the Chinese-word prior in the weight must
  // scale a repeated common word as it scales a word said once.
  let sets = synonyms.map((set) => ({
    term: set.members[0]!.term,
    weight: set.occurrences > 0 ? (set.weight * saturated(set.occurrences)) / set.occurrences : 0,
    synonyms: set.members,
    key: set.members.map((m) => m.term).join(' '),
  }));
  if (index !== undefined && sets.length > LEXICON_QUERY_SETS) {
    // A set no record holds scores nothing: it must not take the place of one that does
    // (a need's `surpass` kept, its `porcino` cut).
    sets = sets.filter((set) => set.synonyms.some((m) => index.collectionFrequency(m.term) > 0));
  }
  if (index !== undefined && sets.length > LEXICON_QUERY_SETS) {
    const evidence = new Map(sets.map((set) => [set, set.weight * Math.min(...set.synonyms.map((m) => index.idf(m.term)))]));
    // Ties by members: the same query keeps the same sets whatever the map order.
    sets.sort((x, y) => evidence.get(y)! - evidence.get(x)! || (x.key < y.key ? -1 : x.key > y.key ? 1 : 0));
    sets.length = LEXICON_QUERY_SETS;
  }
  for (const { term, weight, synonyms: members } of sets) out.push({ term, weight, synonyms: members });
  return out;
}

/**
 * Scores one ranking computes per entry (a tag set's tag score, a type list's cooperation),
 * in arrays kept from ranking to ranking: an entry holds this ranking's value only when it
 * carries this ranking's stamp. At 100k companies nearly every company has a tag set of its
 * own, and a fresh array per ranking, allocated and filled, took a tenth of a ranking.
 */
class ScoreMemo {
  values = new Float64Array(0);
  stamps = new Uint32Array(0);
  private last = 0;

  /** A stamp for a new ranking over `size` entries; no entry carries it yet. */
  begin(size: number): number {
    if (this.values.length < size) {
      const capacity = Math.max(size, this.values.length * 2, 64);
      this.values = new Float64Array(capacity);
      this.stamps = new Uint32Array(capacity);
    }
    this.last += 1;
    if (this.last === 0xffffffff) {
      this.stamps.fill(0);
      this.last = 1;
    }
    return this.last;
  }
}

// Per side, so each ranking's arrays are as long as the side's tag sets and type lists. A
// ranking runs to its end before the next begins; one begun meanwhile would only make the
// earlier compute again what it finds stamped by the other.
const scoreMemos = new WeakMap<object, { readonly tags: ScoreMemo; readonly cooperation: ScoreMemo }>();

function scoreMemosOf(side: object): { readonly tags: ScoreMemo; readonly cooperation: ScoreMemo } {
  let memos = scoreMemos.get(side);
  if (memos === undefined) {
    memos = { tags: new ScoreMemo(), cooperation: new ScoreMemo() };
    scoreMemos.set(side, memos);
  }
  return memos;
}

/**
 * One query's ranking over one side, as named steps that share its state:
 * `plan` (the constructor: weights, per-query score caches, the text query), `textPass`
 * (terms accumulated with pruning), `findBestText` (the divisor), `fillHeap` (records
 * with text evidence), `tagOnlyPass` (records with tag evidence only). `rank` runs them
 * in that order.
 *
 * Text scores are divided by the best text score among all records (before any
 * filter), so the best text match has text score 1 and a filter never changes another
 * match's score. Tag and cooperation scores are computed once per distinct tag set and
 * type list; records with tag evidence only are taken from their group in id order, so
 * only as many are looked at as can still enter the heap.
 */
export class Ranking<T extends { id: string }> {
  readonly limit: number;
  readonly minScore: number;
  /** The weights after moving the tag weight to text for a query without tags. */
  readonly weights: ScoreWeights;
  readonly textQuery: TextQuery;
  readonly heap: TopK<Candidate>;
  /** The score of the worst match kept once the heap is full; nothing below it can enter. */
  floor = -Infinity;
  /** True when the text pass stopped before reading every term in full. */
  stopped = false;
  /** The best text score among all candidates: the divisor of every text score. */
  bestText = 0;
  /**
   * The records that vouched for the floor the text pass stopped on (the best partial
   * texts it sampled): most of the top, finished first in `fillHeap` so that the floor is
   * high before the scan of every touched record.
   */
  private leaders: readonly number[] = [];

  private readonly scores: Float64Array;
  private readonly filter: ((candidate: T) => boolean) | undefined;
  private readonly tagBySet: ScoreMemo;
  private readonly tagStamp: number;
  private readonly coopByTypes: ScoreMemo;
  private readonly coopStamp: number;
  private readonly queryVector;
  private readonly rarity: Float64Array;
  /** The most tags and cooperation can add. */
  private readonly nonTextCeiling: number;

  constructor(
    private readonly context: RankContext,
    readonly side: Side<T>,
    readonly query: Query,
    rankOptions: RankOptions<T>,
  ) {
    const { limit, minScore } = resolveRankBounds(rankOptions);
    this.limit = limit;
    this.minScore = minScore;
    this.filter = rankOptions.filter;
    const { options, tagScorer } = context;
    // Planned once per query object while the index stands still (the engine keeps the
    // queries of recently ranked records).
    this.textQuery = side.index.queryFor(query, () => weightedTerms(query, options.conceptWeight, side.index), options.bm25);
    this.scores = this.textQuery.scores;
    this.weights = effectiveWeights(options.weights, query.tags.length > 0);
    const memos = scoreMemosOf(side);
    this.tagBySet = memos.tags;
    this.tagStamp = memos.tags.begin(side.tagSets.length);
    this.coopByTypes = memos.cooperation;
    this.coopStamp = memos.cooperation.begin(side.typeLists.length);
    this.queryVector = tagScorer.vector(query.tags);
    this.rarity = Float64Array.from(tagScorer.tagIds, (tag) => context.companyRarity(tag));
    this.heap = new TopK<Candidate>(limit);
    this.nonTextCeiling = nonTextCeiling(this.weights);
  }

  /** The tag score of the side's tag set `at` against the query's tags (computed once). */
  tagOfSet(at: number): number {
    const memo = this.tagBySet;
    if (memo.stamps[at] === this.tagStamp) return memo.values[at]!;
    const vector = this.side.tagSets[at]!;
    const { tagScorer } = this.context;
    const score =
      this.query.tags.length === 0
        ? 0
        : this.query.isNeed
          ? tagScorer.score(this.queryVector, vector, this.rarity)
          : tagScorer.score(vector, this.queryVector, this.rarity);
    memo.values[at] = score;
    memo.stamps[at] = this.tagStamp;
    return score;
  }

  /** The cooperation score of the side's type list `at` against the query's types (computed once). */
  coopOfTypes(at: number): number {
    const memo = this.coopByTypes;
    if (memo.stamps[at] === this.coopStamp) return memo.values[at]!;
    const types = this.side.typeLists[at];
    const neutral = this.context.options.neutralCooperation;
    const score = this.query.isNeed ? scoreCooperation(this.query.types, types, neutral).score : scoreCooperation(types, this.query.types, neutral).score;
    memo.values[at] = score;
    memo.stamps[at] = this.coopStamp;
    return score;
  }

  private offer(candidate: Candidate): void {
    this.heap.offer(candidate);
    const threshold = this.heap.threshold;
    if (threshold !== undefined) this.floor = threshold.score;
  }

  private passes(record: T): boolean {
    return this.filter === undefined || this.filter(record);
  }

  /** Scores the record in `slot`, whose text score is exact, and offers it to the heap. */
  consider(slot: number): void {
    const { weights, floor } = this;
    const text = this.scores[slot]! / this.bestText;
    // Cooperation first: it is known per type list, the tag score costs a computation per tag set.
    const coop = this.coopOfTypes(this.side.typesBySlot[slot]!);
    if (cannotReach(weights.text * text + weights.cooperation * coop + weights.tags, floor)) return;
    const tag = this.tagOfSet(this.side.tagSetBySlot[slot]!);
    const score = blend(weights, tag, text, coop);
    if (score < this.minScore || score < floor) return;
    const entry = this.side.entryAt(slot)!;
    const id = entry.record.id;
    if (score === floor && !ranksAbove({ id, score }, this.heap.threshold!)) return;
    if (!this.passes(entry.record)) return;
    this.offer({ id, slot, score, parts: { tags: roundPart(tag), text: roundPart(text), cooperation: roundPart(coop) } });
  }

  /** The least score the record in `slot` can get with at least `textLow` of normalised text; -∞ if it cannot be ranked. */
  private lowerBoundOf(slot: number, textLow: number): number {
    const entry = this.side.entryAt(slot)!;
    if (!this.passes(entry.record)) return -Infinity;
    const nonText = nonTextScore(this.weights, this.tagOfSet(this.side.tagSetBySlot[slot]!), this.coopOfTypes(this.side.typesBySlot[slot]!));
    return scoreLowerBound(this.weights, nonText, textLow, this.minScore);
  }

  /**
   * MaxScore: accumulates terms (most IDF × weight per posting first) while a record none of
   * them has touched could still reach the top `limit`. The stop test needs a floor
   * that the final top `limit` is sure to reach, from the best partial text scores.
   */
  textPass(): void {
    const { textQuery, limit, weights } = this;
    let checkBelow = Infinity;
    while (textQuery.processed < textQuery.termCount) {
      textQuery.accumulateNext();
      const rest = textQuery.remainingBound;
      const best = textQuery.best;
      if (rest === 0 || limit === 0 || limit > MAX_PRUNED_LIMIT || !(rest < best) || rest >= checkBelow) continue;
      const ceiling = untouchedCeiling(weights, rest, best);
      if (ceiling >= 1) continue;
      checkBelow = rest * 0.6;
      // Any records give a valid floor bound; the first touched hold the highest-bound
      // terms, so a prefix gives nearly the best bound at a fraction of a full scan.
      const sampled = Math.min(textQuery.touchedCount, FLOOR_SAMPLE);
      const seedCount = Math.min(limit + Math.min(limit, 16), sampled);
      const leaders = bestTextSlots(this.scores, textQuery.touched, sampled, seedCount);
      const lows = leaders.map((slot) => this.lowerBoundOf(slot, this.scores[slot]! / (best + rest))).sort((x, y) => y - x);
      const floorBound = lows.length >= limit ? lows[limit - 1]! : -Infinity;
      // Twice the margin: the floor itself is a bound of rounded scores.
      if (ceiling < floorBound - 2e-6) {
        this.stopped = true;
        this.leaders = leaders;
        return;
      }
    }
  }

  /**
   * Sets `bestText`, the divisor of every text score. When the text pass stopped early,
   * only a record within the remaining bound of the best partial score can hold it; they
   * are completed best partial first, until the rest cannot beat the best found. Returns
   * the records whose text score is now exact: where the heap's seeds are drawn from.
   */
  findBestText(): Int32Array {
    const { textQuery, scores } = this;
    const touched = textQuery.touched;
    const touchedCount = textQuery.touchedCount;
    if (!this.stopped) {
      // Every text is exact and the best is known: no pass over them.
      this.bestText = textQuery.best;
      return touched.subarray(0, touchedCount);
    }
    const rest = textQuery.remainingBound;
    // Float sums of the remaining terms may round above the sum of their bounds by a few
    // units in the last place of the score; a generous slack keeps such a record a contender.
    const slack = textQuery.best * 1e-9;
    const contenders: number[] = [];
    for (let i = 0; i < touchedCount; i += 1) {
      if (scores[touched[i]!]! + rest + slack >= textQuery.best) contenders.push(touched[i]!);
    }
    let bestText = 0;
    // The best few partial scores usually hold the best text: finished whole, they set a bar
    // the rest are given up against as soon as their remaining terms cannot lift them over
    // it (`fillHeap` goes on from there with a record that can still reach the heap).
    const contenderSlots = Int32Array.from(contenders);
    for (const slot of bestTextSlots(scores, contenderSlots, contenderSlots.length, 8)) {
      textQuery.complete(slot);
      bestText = Math.max(bestText, scores[slot]!);
    }
    for (const slot of contenders) {
      if (textQuery.isFinished(slot) || scores[slot]! + rest + slack < bestText) continue;
      if (textQuery.complete(slot, bestText - slack)) bestText = Math.max(bestText, scores[slot]!);
    }
    this.bestText = bestText;
    return Int32Array.from(contenders.filter((slot) => textQuery.isFinished(slot)));
  }

  /**
   * Offers every touched record that can still reach the heap's floor: the best texts
   * from `seedPool` and the text pass's leaders (finished now) first, so the floor is high
   * before the full pass and most records are dismissed by one multiply and compare;
   * partial records are finished only while their remaining terms can lift them to the floor.
   */
  fillHeap(seedPool: Int32Array): void {
    const { textQuery, scores, weights, side } = this;
    // At most 64: enough to raise the floor for any usual limit, and the seed scan costs
    // O(touched × seeds).
    const seeds = new Set(bestTextSlots(scores, seedPool, seedPool.length, Math.min(this.limit, 64)));
    for (const slot of this.leaders) {
      textQuery.complete(slot);
      seeds.add(slot);
    }
    for (const slot of seeds) this.consider(slot);
    const touched = textQuery.touched;
    const touchedCount = textQuery.touchedCount;
    const rest = textQuery.remainingBound;
    const textWeight = weights.text / this.bestText;
    const ceiling = this.nonTextCeiling;
    for (let i = 0; i < touchedCount; i += 1) {
      const slot = touched[i]!;
      const text = scores[slot]!;
      // Most records fall here, before their finished mark is read: what a partial score
      // can still gain bounds a finished one too.
      if (cannotReach(textWeight * (text + rest) + ceiling, this.floor)) continue;
      if (textQuery.isFinished(slot)) {
        if (cannotReach(textWeight * text + ceiling, this.floor) || seeds.has(slot)) continue;
        this.consider(slot);
        continue;
      }
      // Partial: add the remaining terms while the record can still reach the floor with
      // what is left. Cooperation is known for a few type lists; the tag score, per tag
      // set, costs more.
      const coop = weights.cooperation * this.coopOfTypes(side.typesBySlot[slot]!);
      if (cannotReach(textWeight * (text + rest) + weights.tags + coop, this.floor)) continue;
      const nonText = weights.tags * this.tagOfSet(side.tagSetBySlot[slot]!) + coop;
      // Abandoned once its text cannot lift it to the floor (the margin dwarfs the
      // rounding of this division); it keeps a partial (positive) score, so the tag pass
      // skips it.
      if (textQuery.complete(slot, (this.floor - 1e-6 - nonText) / textWeight)) this.consider(slot);
    }
  }

  /**
   * Offers records without text evidence from the groups sharing a sector root with the
   * query, in id order; skipped entirely when the floor is above what tags and
   * cooperation can add.
   */
  tagOnlyPass(): void {
    const { weights, side, scores, query } = this;
    if (!(weights.tags > 0 && blend(weights, 1, 0, 1, this.nonTextCeiling) >= this.floor)) return;
    const roots = rootsOf(query.tags);
    const related: Group[] =
      roots.length === 1
        ? (side.groupsByRoot.get(roots[0]!) ?? [])
        : [...new Set(roots.flatMap((root) => side.groupsByRoot.get(root) ?? []))];
    for (const group of related) {
      if (!group.eligible || group.ids.length === 0) continue;
      // Cooperation is known per type list (a few); the tag score costs a computation per
      // tag set, and nearly every group has its own: only for groups a full tag score lifts
      // to the floor.
      const coop = this.coopOfTypes(group.typesIndex);
      if (cannotReach(weights.tags + weights.cooperation * coop, this.floor)) continue;
      const tag = this.tagOfSet(group.tagSetIndex);
      if (tag === 0) continue;
      const score = blend(weights, tag, 0, coop);
      if (score < this.minScore || score < this.floor) continue;
      for (let i = 0; i < group.ids.length; i += 1) {
        const slot = group.slots[i]!;
        if (scores[slot]! > 0) continue;
        const id = group.ids[i]!;
        // Ids ascend within a group, so once one cannot enter, none after it can.
        if (score === this.floor && !ranksAbove({ id, score }, this.heap.threshold!)) break;
        if (score < this.floor) break;
        const entry = side.entryAt(slot)!;
        if (!this.passes(entry.record)) continue;
        this.offer({ id, slot, score, parts: { tags: roundPart(tag), text: 0, cooperation: roundPart(coop) } });
      }
    }
  }
}

/** Runs a ranking's steps in order; the best `limit` candidates, best first. */
export function rank<T extends { id: string }>(
  context: RankContext,
  side: Side<T>,
  query: Query,
  rankOptions: RankOptions<T>,
): { ranking: Ranking<T>; candidates: Candidate[] } {
  const ranking = new Ranking(context, side, query, rankOptions);
  ranking.textPass();
  ranking.fillHeap(ranking.findBestText());
  ranking.tagOnlyPass();
  return { ranking, candidates: ranking.heap.sorted() };
}
