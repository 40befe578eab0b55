import { describe, expect, it } from 'vitest';
import { Side } from '../index/side.js';
import { TermIndex } from '../index/term-index.js';
import { DEFAULT_MATCHER_OPTIONS } from '../options.js';
import type { PartnershipType } from '../schema/records.js';
import type { AssignedTag } from '../scoring/inference.js';
import { compileTagScorer } from '../scoring/scores.js';
import type { Analysis } from '../text/analyzer.js';
import { bestTextSlots, LEXICON_QUERY_SETS, MAX_PRUNED_LIMIT, rank, Ranking, weightedTerms, type RankContext } from './rank.js';
import type { Query } from './types.js';

// The steps run on a side built by hand from term maps: no analyzer, no full build.

interface Doc {
  readonly id: string;
  readonly terms: Record<string, number>;
  readonly tags?: readonly string[];
  readonly types?: readonly PartnershipType[];
}

const given = (tags: readonly string[] = []): AssignedTag[] => tags.map((tag) => ({ tag, source: 'given', confidence: 1 }));

function sideOf(docs: readonly Doc[]): { side: Side<{ id: string }>; context: RankContext } {
  const options = DEFAULT_MATCHER_OPTIONS;
  const tagScorer = compileTagScorer(options.tagRelations, options.tagCompanySideShare, options.neutralTags);
  const side = new Side<{ id: string }>((tags) => tagScorer.vector(tags), options.bm25);
  side.beginBulk();
  for (const doc of docs) {
    const terms = new Map(Object.entries(doc.terms));
    const length = [...terms.values()].reduce((a, b) => a + b, 0);
    side.add({ id: doc.id }, 'en', given(doc.tags), doc.types, true, () => side.index.add(doc.id, terms, length));
  }
  side.endBulk();
  return { side, context: { options, tagScorer, companyRarity: (tag) => side.rarity(tag) } };
}

function queryOf(terms: Record<string, number>, tags: readonly string[] = [], types?: readonly PartnershipType[]): Query {
  const analysis: Analysis = { language: 'en', terms: new Map(Object.entries(terms)), length: 1, concepts: [], surfaces: new Map(), queryWeights: new Map(), bridges: new Map(), translated: new Set(), synonyms: [] };
  return { id: 'q', isNeed: true, analysis, tags: given(tags), types };
}

/** 200 records: one with the rare term, the rest with only a common one. */
function skewed(): Doc[] {
  const docs: Doc[] = [{ id: 'a-rare', terms: { rare: 2, common: 1 } }];
  for (let i = 0; i < 199; i += 1) docs.push({ id: `d${String(i).padStart(3, '0')}`, terms: i < 150 ? { common: 1 + (i % 3), filler: 2 } : { filler: 3 } });
  return docs;
}

describe('bestTextSlots', () => {
  it('finds the k highest scores among the first count slots', () => {
    const scores = Float64Array.from([0.1, 0.9, 0.4, 0.8, 0.7]);
    const touched = Int32Array.from([0, 1, 2, 3, 4]);
    expect(bestTextSlots(scores, touched, 5, 2).sort()).toEqual([1, 3]);
    expect(bestTextSlots(scores, touched, 3, 2).sort()).toEqual([1, 2]);
    expect(bestTextSlots(scores, touched, 5, 0)).toEqual([]);
  });
});

describe('weightedTerms', () => {
  it('keeps the written terms and the synonym sets with the most evidence, up to the cap', () => {
    // t00 is in one record (the rarest), t59 in sixty: at equal weights the rarer is more evidence.
    const docs: Doc[] = [];
    for (let i = 0; i < 70; i += 1) {
      const terms: Record<string, number> = { written: 1 };
      for (let t = 0; t < 60; t += 1) if (i <= t) terms[`t${String(t).padStart(2, '0')}`] = 1;
      docs.push({ id: `d${i}`, terms });
    }
    const { side } = sideOf(docs);
    const query = queryOf({ written: 1 });
    // One set per word, each of two translations: t00 with t01, t02 with t03, …
    const synonyms = Array.from({ length: 30 }, (_, k) => ({
      members: [`t${String(2 * k).padStart(2, '0')}`, `t${String(2 * k + 1).padStart(2, '0')}`].map((term) => ({ term, weight: 1 })),
      weight: 1.5,
      occurrences: 1,
    }));
    const lexical = { ...query, analysis: { ...query.analysis, synonyms } };
    const kept = weightedTerms(lexical, 1, side.index);
    expect(kept.map((t) => t.term)).toContain('written');
    expect(kept).toHaveLength(1 + LEXICON_QUERY_SETS);
    const sets = kept.filter((t) => t.synonyms !== undefined);
    expect(sets.map((t) => t.term)).toContain('t00');
    expect(sets.map((t) => t.term)).not.toContain('t58');
    expect(sets.find((t) => t.term === 't00')!.synonyms!.map((m) => m.term)).toEqual(['t00', 't01']);
    // Without the index every set stays.
    expect(weightedTerms(lexical, 1)).toHaveLength(31);
  });

  it('gives no place among the kept sets to a set no record holds', () => {
    // Thirty sets of words in no record (their IDF the highest there is) and one in a record:
    // cut by evidence alone, the one that can score went first.
    const { side } = sideOf([{ id: 'd0', terms: { written: 1, porcino: 1 } }, { id: 'd1', terms: { written: 1 } }]);
    const query = queryOf({ written: 1 });
    const absent = Array.from({ length: 30 }, (_, k) => ({ members: [{ term: `absent${k}`, weight: 1 }], weight: 1.5, occurrences: 1 }));
    const synonyms = [...absent, { members: [{ term: 'porcino', weight: 1 }], weight: 1.5, occurrences: 1 }];
    const kept = weightedTerms({ ...query, analysis: { ...query.analysis, synonyms } }, 1, side.index);
    expect(kept.map((t) => t.term)).toContain('porcino');
    expect(kept.filter((t) => t.synonyms !== undefined).length).toBeLessThanOrEqual(LEXICON_QUERY_SETS);
  });

  it('gives a term the lexicon alone brought no weight of its own: it counts through its set', () => {
    const query = queryOf({ written: 1, honei: 1 });
    const analysis = { ...query.analysis, queryWeights: new Map([['honei', 0]]), synonyms: [{ members: [{ term: 'honei', weight: 1 }], weight: 1.5, occurrences: 1 }] };
    expect(weightedTerms({ analysis }, 1)).toEqual([
      { term: 'written', weight: 1 },
      { term: 'honei', weight: 1.5, synonyms: [{ term: 'honei', weight: 1 }] },
    ]);
  });
});

describe('query term frequency', () => {
  it('saturates: a word said eight times counts more than once, far less than eight times; a set by its occurrences', () => {
    const weights = (terms: Record<string, number>) => new Map(weightedTerms(queryOf(terms), 1.5).map((t) => [t.term, t.weight]));
    expect(weights({ subject: 1 }).get('subject')).toBe(1);
    // (k3 + 1) · 8 / (k3 + 8) at k3 = 10.
    const often = weights({ subject: 8 }).get('subject')!;
    expect(often).toBeCloseTo(88 / 18, 12);
    // A concept keeps its weight over a word's at every frequency.
    expect(weights({ '§solar-pv': 8 }).get('§solar-pv')).toBeCloseTo(1.5 * often, 12);
    // A set said eight times saturates by its occurrences, and its Chinese-word prior (here
    // 0.4 of 1.5 a time) scales the saturated weight as it scaled each occurrence.
    const query = queryOf({ written: 1 });
    const setWeight = (weight: number, occurrences: number) =>
      weightedTerms({ analysis: { ...query.analysis, synonyms: [{ members: [{ term: 'honei', weight: 1 }], weight, occurrences }] } }, 1).find((t) => t.synonyms !== undefined)!.weight;
    expect(setWeight(8 * 1.5, 8)).toBeCloseTo(1.5 * (88 / 18), 12);
    expect(setWeight(8 * 0.6, 8)).toBeCloseTo(0.6 * (88 / 18), 12);
    expect(setWeight(0.6, 1)).toBe(0.6);
  });

  it('ranks a record meeting two of a query\'s words above one meeting more of the word it repeats', () => {
    // `subject` is in half the records, `ask` in one. A need says its subject twenty times
    // and its ask once: with linear weights the extra `subject` of one record outweighed the
    // rare `ask` of the other.
    const docs: Doc[] = [
      { id: 'subject-twice', terms: { subject: 2, filler: 1 } },
      { id: 'subject-and-ask', terms: { subject: 1, ask: 1, filler: 1 } },
    ];
    for (let i = 0; i < 40; i += 1) docs.push({ id: `other${String(i).padStart(2, '0')}`, terms: i < 18 ? { subject: 1, filler: 2 } : { filler: 3 } });
    const { side, context } = sideOf(docs);
    const ranked = rank(context, side, queryOf({ subject: 20, ask: 1 }), { limit: 2 }).candidates.map((m) => m.id);
    expect(ranked).toEqual(['subject-and-ask', 'subject-twice']);
  });
});

describe('ranking steps', () => {
  it('plan: checks the limit and minScore, and moves the tag weight to text without query tags', () => {
    const { side, context } = sideOf(skewed());
    expect(() => new Ranking(context, side, queryOf({ rare: 1 }), { limit: -1 })).toThrow(/limit/);
    expect(() => new Ranking(context, side, queryOf({ rare: 1 }), { minScore: 2 })).toThrow(/minScore/);
    const ranking = new Ranking(context, side, queryOf({ rare: 1 }), {});
    expect(ranking.limit).toBe(10);
    expect(ranking.weights.tags).toBe(0);
    expect(ranking.weights.text).toBeCloseTo(0.85, 12);
  });

  it('text pass: stops early when untouched records cannot reach the top, reads all terms above MAX_PRUNED_LIMIT', () => {
    const { side, context } = sideOf(skewed());
    const query = queryOf({ rare: 1, common: 1 });
    const pruned = new Ranking(context, side, query, { limit: 1 });
    pruned.textPass();
    expect(pruned.stopped).toBe(true);
    expect(pruned.textQuery.processed).toBeLessThan(pruned.textQuery.termCount);

    const full = new Ranking(context, side, query, { limit: MAX_PRUNED_LIMIT + 1 });
    full.textPass();
    expect(full.stopped).toBe(false);
    expect(full.textQuery.processed).toBe(full.textQuery.termCount);
  });

  it('best text: the same divisor whether the pass stopped early or read everything', () => {
    const { side, context } = sideOf(skewed());
    const query = queryOf({ rare: 1, common: 1 });
    const full = new Ranking(context, side, query, { limit: MAX_PRUNED_LIMIT + 1 });
    full.textPass();
    const allSlots = full.findBestText();
    const exhaustive = full.bestText;
    expect(allSlots.length).toBe(151);
    const pruned = new Ranking(context, side, query, { limit: 1 });
    pruned.textPass();
    const seedPool = pruned.findBestText();
    expect(pruned.bestText).toBe(exhaustive);
    // The seed pool holds only records whose text score is exact, and the best is among them.
    expect([...seedPool].every((slot) => pruned.textQuery.isFinished(slot))).toBe(true);
    expect([...seedPool].map((slot) => side.entryAt(slot)!.record.id)).toContain('a-rare');
  });

  it('fill the heap: the pruned top k equals the exhaustive top k, score for score', () => {
    const { side, context } = sideOf(skewed());
    const query = queryOf({ rare: 1, common: 1 });
    const exhaustive = rank(context, side, query, { limit: MAX_PRUNED_LIMIT + 1 }).candidates;
    for (const limit of [1, 3, 10, 40]) {
      const { ranking, candidates } = rank(context, side, query, { limit });
      expect(candidates).toEqual(exhaustive.slice(0, limit));
      expect(ranking.heap.size).toBe(limit);
    }
    expect(exhaustive[0]!.id).toBe('a-rare');
    expect(exhaustive[0]!.parts.text).toBe(1);
  });

  it('fill the heap: a filter never changes another candidate’s score', () => {
    const { side, context } = sideOf(skewed());
    const query = queryOf({ rare: 1, common: 1 });
    const all = rank(context, side, query, { limit: 20 }).candidates;
    const filtered = rank(context, side, query, { limit: 19, filter: (record) => record.id !== 'a-rare' }).candidates;
    expect(filtered).toEqual(all.slice(1));
  });

  it('tag-only pass: records without text come from related groups in id order, up to the limit', () => {
    const docs: Doc[] = [
      { id: 'c3', terms: { other: 1 }, tags: ['energy.solar'] },
      { id: 'c1', terms: { other: 1 }, tags: ['energy.solar'] },
      { id: 'c2', terms: { other: 1 }, tags: ['energy.solar'] },
      { id: 'c0', terms: { other: 1 }, tags: ['agrifood.agriculture'] },
      { id: 'c9', terms: { panel: 1 }, tags: ['agrifood.agriculture'] },
    ];
    const { side, context } = sideOf(docs);
    const query = queryOf({ panel: 1 }, ['energy.solar']);
    const ranking = new Ranking(context, side, query, { limit: 3 });
    ranking.textPass();
    ranking.fillHeap(ranking.findBestText());
    expect(ranking.heap.sorted().map((c) => c.id)).toEqual(['c9']);
    ranking.tagOnlyPass();
    const ranked = ranking.heap.sorted();
    // The text match (0.55 + 0.15 × 0.5) first; then the exact tag matches in id order
    // (0.3 + 0.075), c3 left out by the limit; c0 (unrelated tag, no text) never.
    expect(ranked.map((c) => c.id)).toEqual(['c9', 'c1', 'c2']);
    expect(ranked[0]!.score).toBe(0.625);
    expect(ranked[1]!.parts).toEqual({ tags: 1, text: 0, cooperation: 0.5 });
    expect(ranked[1]!.score).toBe(0.375);
  });
});

describe('synonym sets in the term index', () => {
  const bm25 = { k1: 1.2, b: 0.75 };

  /** Documents with a word's two translations; `honei` is in every one `mead` is in. */
  function indexes(): { members: TermIndex; merged: TermIndex } {
    const members = new TermIndex(bm25);
    const merged = new TermIndex(bm25);
    const docs: [string, Record<string, number>][] = [];
    for (let i = 0; i < 30; i += 1) {
      const terms: Record<string, number> = { filler: 1 + (i % 4) };
      if (i % 3 === 0) terms.honei = 1 + (i % 2);
      if (i % 6 === 0) terms.mead = 1;
      docs.push([`d${String(i).padStart(2, '0')}`, terms]);
    }
    for (const [id, terms] of docs) {
      const length = Object.values(terms).reduce((a, b) => a + b, 0);
      members.add(id, new Map(Object.entries(terms)), length);
      // The set as one written term: the summed term frequencies.
      const sum = (terms.honei ?? 0) + (terms.mead ?? 0);
      merged.add(id, new Map(Object.entries({ filler: terms.filler!, ...(sum > 0 ? { set: sum } : {}) })), length);
    }
    return { members, merged };
  }

  it('scores a set as BM25 of one term with the summed frequencies (df of the union)', () => {
    const { members, merged } = indexes();
    const viaSet = members.score([{ term: 'honei', weight: 1.5, synonyms: [{ term: 'honei', weight: 1 }, { term: 'mead', weight: 1 }] }, { term: 'filler', weight: 1 }], bm25);
    const setScores = Array.from({ length: 30 }, (_, slot) => viaSet.scores[slot]!);
    const viaTerm = merged.score([{ term: 'set', weight: 1.5 }, { term: 'filler', weight: 1 }], bm25);
    for (let slot = 0; slot < 30; slot += 1) expect(setScores[slot]).toBeCloseTo(viaTerm.scores[slot]!, 12);
  });

  it('counts a word with two translations no more than a word with one', () => {
    const { members } = indexes();
    const slot = members.slotOf('d00')!; // honei 1 and mead 1: a set saturates once
    // Scores live in the index's scratch array until its next query.
    const set = members.score([{ term: 'honei', weight: 1.5, synonyms: [{ term: 'honei', weight: 1 }, { term: 'mead', weight: 1 }] }], bm25).scores[slot]!;
    const single = members.score([{ term: 'honei', weight: 1.5 }], bm25).scores[slot]!;
    const both = members.score([{ term: 'honei', weight: 1.5 }, { term: 'mead', weight: 1.5 }], bm25).scores[slot]!;
    expect(set).toBeGreaterThan(single);
    expect(set).toBeLessThan(both);
  });

  it('agrees to the bit between accumulation and completion, stays within its bound and names the member a document holds', () => {
    const { members } = indexes();
    const terms = [{ term: 'honei', weight: 1.5, synonyms: [{ term: 'mead', weight: 1 }, { term: 'honei', weight: 1 }] }, { term: 'filler', weight: 1 }];
    const exhaustive = members.score(terms, bm25);
    const sums = Array.from({ length: 30 }, (_, slot) => exhaustive.scores[slot]!);
    for (let slot = 0; slot < 30; slot += 1) {
      const query = members.query(terms, bm25);
      expect(query.remainingBound).toBeGreaterThan(0);
      query.complete(slot);
      expect(query.scores[slot]).toBe(sums[slot]);
      const setAt = query.termAt(0) === 'filler' ? 1 : 0;
      const fresh = members.query(terms, bm25);
      let bound = 0;
      for (let t = 0; t < fresh.termCount; t += 1) {
        bound += fresh.contribution(t, slot);
        // What an explanation reads: the same value and member from one lookup per list.
        expect(fresh.explainedContribution(t, slot)).toEqual({ term: fresh.termAt(t, slot), value: fresh.contribution(t, slot) });
      }
      expect(bound).toBeLessThanOrEqual(fresh.remainingBound);
      const id = members.idAt(slot)!;
      const index = Number(id.slice(1));
      if (index % 6 === 0) expect(fresh.termAt(setAt, slot)).toBe(index % 2 === 1 ? 'honei' : 'mead');
      else if (index % 3 === 0) expect(fresh.termAt(setAt, slot)).toBe('honei');
    }
  });
});
