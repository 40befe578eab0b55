import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { packSlots } from './slot-blocks.js';
import { TermIndex } from './term-index.js';

const params = { k1: 1.2, b: 0.75 };

/** A record's BM25 length normalisation as the index computes and holds it: `k1 · (1 − b) + k1 · b / avg · length`, as a float. */
const floatNorm = (length: number, averageLength: number): number => Math.fround(params.k1 * (1 - params.b) + ((params.k1 * params.b) / averageLength) * length);

function scoresFor(index: TermIndex, term: string): Map<string, number> {
  const { scores, touched, touchedCount } = index.score([{ term, weight: 1 }], params);
  return new Map([...touched.subarray(0, touchedCount)].map((slot) => [index.idAt(slot)!, scores[slot]!]));
}

/** `index`'s lists as a snapshot reads them out and `loadPacked` takes them: slots, frequencies and bounds per list. */
function packedFrom(index: TermIndex, documents: number) {
  const lists = [...index.postingLists()].map(({ term, slots, tfs }) => ({ term, slots: slots.slice(), tfs: tfs.slice() }));
  const listOffsets = new Int32Array(lists.length + 1);
  lists.forEach((list, t) => (listOffsets[t + 1] = listOffsets[t]! + list.slots.length));
  const lengths = Float64Array.from({ length: documents }, (_, slot) => index.lengthAt(slot));
  const bounds = { maxTf: new Float32Array(lists.length), minLength: new Float64Array(lists.length), impactMax: new Float64Array(lists.length), impactAverage: new Float64Array(lists.length) };
  lists.forEach((list, t) => {
    const measured = index.measureBounds(list.slots, list.tfs, 0, list.slots.length, lengths, index.averageLength);
    bounds.maxTf[t] = measured.maxTf;
    bounds.minLength[t] = measured.minLength;
    bounds.impactMax[t] = measured.impactMax;
    bounds.impactAverage[t] = measured.impactAverage;
  });
  return {
    lists,
    packed: {
      ids: Array.from({ length: documents }, (_, slot) => index.idAt(slot)),
      lengths,
      vocabulary: lists.map((list) => list.term),
      listOffsets,
      slots: packSlots(Int32Array.from(lists.flatMap((list) => [...list.slots])), listOffsets),
      tfs: Uint8Array.from(lists.flatMap((list) => [...list.tfs])),
      bounds,
    },
  };
}

describe('TermIndex', () => {
  it('a higher term frequency never lowers a score (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20 }), fc.integer({ min: 0, max: 20 }), fc.integer({ min: 1, max: 200 }), (tf, extra, length) => {
        const index = new TermIndex();
        index.add('a', new Map([['x', tf]]), length);
        index.add('b', new Map([['x', tf + extra]]), length);
        index.add('c', new Map([['y', 1]]), length);
        const scores = scoresFor(index, 'x');
        expect(scores.get('b')!).toBeGreaterThanOrEqual(scores.get('a')!);
      }),
    );
  });

  it('add then remove restores every score exactly (property)', () => {
    const doc = fc.dictionary(fc.constantFrom('x', 'y', 'z', 'w'), fc.integer({ min: 1, max: 5 }), { minKeys: 1 });
    fc.assert(
      fc.property(fc.array(doc, { minLength: 1, maxLength: 12 }), doc, (docs, extra) => {
        const index = new TermIndex();
        docs.forEach((terms, i) => index.add(`d${i}`, new Map(Object.entries(terms)), Object.values(terms).reduce((a, b) => a + b, 0)));
        const before = ['x', 'y', 'z', 'w'].map((t) => [...scoresFor(index, t)]);
        index.add('extra', new Map(Object.entries(extra)), 3);
        expect(index.remove('extra', Object.keys(extra))).toBe(true);
        expect(['x', 'y', 'z', 'w'].map((t) => [...scoresFor(index, t)])).toEqual(before);
        expect(index.size).toBe(docs.length);
      }),
    );
  });

  it('scores a multi-term query as the sum of its terms, resetting between queries', () => {
    const index = new TermIndex();
    index.add('a', new Map([['x', 1], ['y', 2]]), 3);
    index.add('b', new Map([['y', 1]]), 1);
    const x = scoresFor(index, 'x');
    const y = scoresFor(index, 'y');
    const both = index.score([{ term: 'x', weight: 1 }, { term: 'y', weight: 1 }], params);
    expect(both.touchedCount).toBe(2);
    expect(both.scores[index.slotOf('a')!]).toBeCloseTo(x.get('a')! + y.get('a')!, 12);
    expect(scoresFor(index, 'x')).toEqual(x);
    expect(index.score([{ term: 'nope', weight: 1 }], params).touchedCount).toBe(0);
  });

  it('keeps document frequencies exact across removals', () => {
    const index = new TermIndex();
    index.add('a', new Map([['x', 1]]), 1);
    index.add('b', new Map([['x', 2], ['y', 1]]), 3);
    expect(index.documentFrequency('x')).toBe(2);
    index.remove('a', ['x']);
    expect(index.documentFrequency('x')).toBe(1);
    expect(index.has('a')).toBe(false);
    expect(() => index.add('b', new Map(), 0)).toThrow(/already indexed/);
  });

  it('completes a partly accumulated query to the exhaustive scores, bit for bit (property)', () => {
    const doc = fc.dictionary(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'), fc.integer({ min: 1, max: 4 }), { minKeys: 1 });
    const query = fc.uniqueArray(
      fc.record({ term: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'zz'), weight: fc.double({ min: 0.5, max: 3, noNaN: true }) }),
      { selector: (t) => t.term, minLength: 1 },
    );
    fc.assert(
      fc.property(fc.array(doc, { minLength: 1, maxLength: 30 }), query, fc.nat(), fc.boolean(), fc.double({ min: 0, max: 1.5, noNaN: true }), (docs, terms, cut, tracked, bar) => {
        // Tracked: impact bounds measured by trim() halfway, then kept up by later adds
        // (which move the average length) and a removal.
        const index = tracked ? new TermIndex(params) : new TermIndex();
        docs.forEach((d, i) => {
          index.add(`d${i}`, new Map(Object.entries(d)), Object.values(d).reduce((x, y) => x + y, 0) * (1 + (i % 3)));
          if (i === docs.length >> 1) index.trim();
        });
        if (tracked && docs.length > 2) index.remove('d0', Object.keys(docs[0]!));
        const full = index.score(terms, params);
        const exact = new Map([...full.touched.subarray(0, full.touchedCount)].map((slot) => [slot, full.scores[slot]!]));
        const partial = index.query(terms, params);
        const stop = cut % (partial.termCount + 1);
        while (partial.processed < stop) partial.accumulateNext();
        // Nothing untouched so far can score more than the bound of the terms left.
        for (const [slot, score] of exact) {
          if (partial.scores[slot] === 0) expect(score).toBeLessThanOrEqual(partial.remainingBound);
        }
        for (const slot of [...partial.touched.subarray(0, partial.touchedCount)]) {
          // First held against a bar it may not clear (given up part way), then completed:
          // the second call goes on where the first stopped, adding no term twice.
          const cleared = partial.complete(slot, partial.scores[slot]! + bar * partial.remainingBound);
          expect(partial.isFinished(slot)).toBe(cleared);
          expect(partial.complete(slot)).toBe(true);
          expect(partial.isFinished(slot)).toBe(true);
          expect(partial.scores[slot]).toBe(exact.get(slot));
          expect(partial.complete(slot)).toBe(true);
          expect(partial.scores[slot]).toBe(exact.get(slot));
        }
        // Each term alone: no document gets more from it than its bound.
        for (const term of terms) {
          const single = index.query([term], params);
          for (const slot of exact.keys()) {
            if (single.termCount > 0) expect(single.contribution(0, slot)).toBeLessThanOrEqual(single.remainingBound);
          }
        }
      }),
    );
  });

  it('finds every posting of a long, unevenly spread list, and no posting it lacks (property)', () => {
    // A look-up starts from where a slot would sit if the list were spread evenly: dense
    // clusters, long gaps and removals must not make it miss or invent a posting.
    const holds = fc.array(fc.record({ start: fc.nat({ max: 2_999 }), length: fc.integer({ min: 1, max: 400 }), every: fc.integer({ min: 1, max: 40 }) }), { minLength: 1, maxLength: 6 });
    fc.assert(
      fc.property(fc.integer({ min: 200, max: 3_000 }), holds, fc.array(fc.nat({ max: 2_999 }), { maxLength: 30 }), (documents, clusters, removed) => {
        const has = (i: number): boolean => clusters.some(({ start, length, every }) => i >= start && i < start + length && (i - start) % every === 0);
        const index = new TermIndex(params);
        for (let i = 0; i < documents; i += 1) index.add(`d${i}`, new Map(has(i) ? [['x', 1 + (i % 3)], ['y', 1]] : [['y', 1]]), 2);
        const gone = new Set(removed.filter((i) => i < documents));
        for (const i of gone) index.remove(`d${i}`, has(i) ? ['x', 'y'] : ['y']);
        const full = index.score([{ term: 'x', weight: 1 }], params);
        const exact = new Map([...full.touched.subarray(0, full.touchedCount)].map((slot) => [slot, full.scores[slot]!]));
        const probe = index.query([{ term: 'x', weight: 1 }], params);
        let held = 0;
        for (let i = 0; i < documents; i += 1) {
          if (gone.has(i)) continue;
          const slot = index.slotOf(`d${i}`)!;
          const value = probe.termCount === 0 ? 0 : probe.contribution(0, slot);
          expect(value).toBe(exact.get(slot) ?? 0);
          expect(value > 0).toBe(has(i));
          if (has(i)) held += 1;
        }
        expect(exact.size).toBe(held);
      }),
      { numRuns: 150 },
    );
  });

  it('keeps whole and fractional term frequencies exact, before and after a fractional one arrives', () => {
    const index = new TermIndex();
    index.add('a', new Map([['x', 3]]), 4);
    index.add('b', new Map([['x', 300]]), 300);
    // The textbook formula, term frequency and length as given (the length normalisation a float, as the index holds it).
    const bm25 = (tf: number, length: number) => (index.idf('x') * tf * (params.k1 + 1)) / (tf + floatNorm(length, index.averageLength));
    const whole = index.score([{ term: 'x', weight: 1 }], params);
    expect(whole.scores[index.slotOf('a')!]).toBeCloseTo(bm25(3, 4), 12);
    expect(whole.scores[index.slotOf('b')!]).toBeCloseTo(bm25(300, 300), 12);
    index.add('c', new Map([['x', 2.5]]), 5);
    index.trim();
    const mixed = index.score([{ term: 'x', weight: 1 }], params);
    for (const [id, tf, length] of [['a', 3, 4], ['b', 300, 300], ['c', 2.5, 5]] as const) {
      expect(mixed.scores[index.slotOf(id)!]).toBeCloseTo(bm25(tf, length), 12);
    }
  });

  it('accumulates the most score per posting first: a short list before a long one its weight makes larger', () => {
    const index = new TermIndex(params);
    for (let i = 0; i < 60; i += 1) index.add(`d${i}`, new Map(i < 2 ? [['rare', 1], ['common', 1]] : i < 20 ? [['common', 1]] : [['other', 1]]), 4);
    index.trim();
    const query = index.query([{ term: 'common', weight: 12 }, { term: 'rare', weight: 1 }], params);
    // By weight alone `common` would lead: 12 × its IDF is more than `rare`'s IDF …
    expect(12 * index.idf('common')).toBeGreaterThan(index.idf('rare'));
    // … but it buys that over 20 postings, `rare` over 2.
    expect(query.termAt(0)).toBe('rare');
    expect(query.termAt(1)).toBe('common');
  });

  it('scores a multi-term query bit for bit the same after a document is added and removed (property)', () => {
    // The summation order must not depend on the index's history: bounds only ever grow.
    const doc = fc.dictionary(fc.constantFrom('a', 'b', 'c', 'd', 'e'), fc.integer({ min: 1, max: 3 }), { minKeys: 1 });
    fc.assert(
      fc.property(fc.array(doc, { minLength: 2, maxLength: 25 }), fc.constantFrom('a', 'b', 'c', 'd', 'e'), fc.integer({ min: 1, max: 200 }), (docs, term, tf) => {
        const index = new TermIndex(params);
        docs.forEach((d, i) => index.add(`d${i}`, new Map(Object.entries(d)), 3 + (i % 7)));
        index.trim();
        const query = ['a', 'b', 'c', 'd', 'e'].map((t, i) => ({ term: t, weight: 1 + (i % 2) }));
        const snapshot = () => {
          const scored = index.score(query, params);
          return docs.map((_, i) => scored.scores[index.slotOf(`d${i}`)!]);
        };
        const before = snapshot();
        // A short document with a very high term frequency raises that term's bounds for good.
        index.add('spike', new Map([[term, tf]]), 1);
        index.remove('spike', [term]);
        expect(snapshot()).toEqual(before);
      }),
    );
  });

  it("hands an emptied list's number to a new term, and a batch's cached lists follow (property)", () => {
    // Lists live in a table by number; a removal that empties one gives its number up, and
    // `addFromBatch`'s cache of numbers must not then add to another term's list.
    const terms = ['a', 'b', 'c', 'd', 'e', 'f'];
    const op = fc.oneof(
      fc.record({ kind: fc.constant('add' as const), terms: fc.uniqueArray(fc.constantFrom(...terms), { minLength: 1, maxLength: 3 }), batch: fc.boolean() }),
      fc.record({ kind: fc.constant('remove' as const), pick: fc.nat() }),
    );
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 40 }), (ops) => {
        const index = new TermIndex(params);
        const vocabulary = [...terms];
        const lists = index.batchLists(vocabulary.length);
        const live = new Map<string, string[]>();
        ops.forEach((step, n) => {
          if (step.kind === 'add') {
            const id = `d${n}`;
            if (step.batch) {
              const refs = Int32Array.from(step.terms.map((t) => vocabulary.indexOf(t)));
              index.addFromBatch(id, vocabulary, lists, refs, new Float32Array(refs.length).fill(2), 0, refs.length, 2 * refs.length);
            } else {
              index.add(id, new Map(step.terms.map((t) => [t, 2])), 2 * step.terms.length);
            }
            live.set(id, step.terms);
          } else if (live.size > 0) {
            const id = [...live.keys()][step.pick % live.size]!;
            expect(index.remove(id, live.get(id)!)).toBe(true);
            live.delete(id);
          }
        });
        // The same documents indexed afresh score the same, term by term.
        const fresh = new TermIndex(params);
        for (const [id, held] of live) fresh.add(id, new Map(held.map((t) => [t, 2])), 2 * held.length);
        for (const term of terms) {
          expect(index.documentFrequency(term)).toBe(fresh.documentFrequency(term));
          const got = scoresFor(index, term);
          const want = scoresFor(fresh, term);
          expect([...got.keys()].sort()).toEqual([...want.keys()].sort());
          for (const [id, score] of want) expect(Math.abs(got.get(id)! - score)).toBeLessThan(1e-12);
        }
      }),
    );
  });

  it('forgets an emptied list in its map of frequent terms', () => {
    // Enough look-ups for the index to choose its frequent terms, then one of them emptied
    // and its list number handed to a new term: the old term must get a list of its own.
    const index = new TermIndex(params);
    index.add('x1', new Map([['gone', 1]]), 1);
    index.add('x2', new Map([['gone', 1]]), 1);
    for (let i = 0; i < 5_000; i += 1) index.add(`d${i}`, new Map([[`own${i}`, 1], ['pair', 1]]), 2);
    expect(index.remove('x1', ['gone'])).toBe(true);
    expect(index.remove('x2', ['gone'])).toBe(true);
    index.add('y', new Map([['newcomer', 3]]), 3);
    index.add('z', new Map([['gone', 2]]), 2);
    expect(index.documentFrequency('gone')).toBe(1);
    expect(index.documentFrequency('newcomer')).toBe(1);
    expect([...scoresFor(index, 'gone').keys()]).toEqual(['z']);
    expect([...scoresFor(index, 'newcomer').keys()]).toEqual(['y']);
  });

  it('after a bulk build, adds fill the room trim() left instead of doubling the pool', () => {
    // Trimmed long lists keep a sixteenth spare and the pool a sixty-fourth: the first adds
    // after a build used to move every long list they reached into a block twice its size.
    const index = new TermIndex(params);
    index.beginBulk();
    for (let i = 0; i < 20_000; i += 1) index.add(`d${i}`, new Map([['common', 1], ['half', 1 + (i % 2)], [`own${i}`, 1]]), 3);
    index.trim();
    const built = index.internals.pool.low.length;
    // A loaded index (a restore) is packed full: its first add gives it the same room.
    const loaded = new TermIndex(params);
    loaded.loadPacked(packedFrom(index, 20_000).packed);
    for (const target of [index, loaded]) {
      for (let i = 0; i < 200; i += 1) target.add(`new${i}`, new Map([['common', 1], ['half', 2], [`fresh${i}`, 1]]), 3);
      expect(target.internals.pool.low.length).toBe(built);
      expect(target.documentFrequency('common')).toBe(20_200);
      expect(target.score([{ term: 'half', weight: 1 }], params).touchedCount).toBe(20_200);
    }
    // Past the room a long list grows by an eighth and the pool by a quarter.
    for (let i = 0; i < 2_000; i += 1) index.add(`more${i}`, new Map([['common', 1]]), 1);
    expect(index.internals.pool.low.length).toBeLessThanOrEqual(Math.ceil(built * 1.25) + 65_536);
    expect(index.documentFrequency('common')).toBe(22_200);
  });

  it('keeps postings exact across slot blocks of 65,536: scores, look-ups, removals and a packed load', () => {
    // Slots are stored as their low 16 bits, with each list's runs per block: lists that
    // start, end and change block at the edges, lose a whole run to removals, or start late.
    const N = 3 * 65_536 + 1_000;
    const made = (i: number): Map<string, number> => {
      const terms = new Map<string, number>([['filler', 1 + (i % 5)]]);
      if (i % 3 === 0) terms.set('common', 1 + (i % 4));
      if (i % 50_000 === 7) terms.set('rare', 2);
      if ([65_535, 65_536, 131_071, 131_072].includes(i)) terms.set('edge', 1 + (i % 3));
      if (i >= 140_000 && i % 1_000 === 0) terms.set('late', 3);
      return terms;
    };
    const docs = Array.from({ length: N }, (_, i) => made(i));
    const termsOf = (i: number): Map<string, number> => docs[i]!;
    const lengthOf = (i: number): number => [...termsOf(i).values()].reduce((a, b) => a + b, 0);
    const index = new TermIndex(params);
    for (let i = 0; i < N; i += 1) index.add(`d${i}`, termsOf(i), lengthOf(i));
    index.trim();
    const vocabulary = ['common', 'rare', 'edge', 'late', 'filler'];

    const { lists, packed } = packedFrom(index, N);
    const loaded = new TermIndex(params);
    loaded.loadPacked(packed);

    const live = new Set(Array.from({ length: N }, (_, i) => i));
    const holding = (term: string): number[] => [...live].filter((i) => termsOf(i).has(term));
    const check = (target: TermIndex): void => {
      for (const term of vocabulary) {
        const holders = holding(term);
        expect(target.documentFrequency(term)).toBe(holders.length);
        const bm25 = (tf: number, length: number) => (target.idf(term) * tf * (params.k1 + 1)) / (tf + floatNorm(length, target.averageLength));
        const scored = target.score([{ term, weight: 1 }], params);
        expect(scored.touchedCount).toBe(holders.length);
        const touched = new Set([...scored.touched.subarray(0, scored.touchedCount)].map((slot) => target.idAt(slot)));
        expect(touched).toEqual(new Set(holders.map((i) => `d${i}`)));
        const slots = holders.map((i) => target.slotOf(`d${i}`)!);
        const scores = slots.map((slot) => scored.scores[slot]!);
        // One expectation per list (an expect per posting costs seconds here).
        const worst = holders.reduce((most, i, k) => Math.max(most, Math.abs(scores[k]! - bm25(termsOf(i).get(term)!, lengthOf(i)))), 0);
        expect(worst).toBeLessThan(1e-12);
        // A new query clears the shared scores: read above, looked up here.
        const query = target.query([{ term, weight: 1 }], params);
        expect(slots.filter((slot, k) => query.contribution(0, slot) !== scores[k])).toEqual([]);
        // Neighbours across each block edge, and slots with the same low bits in another
        // block (0 and 131,072), that do not hold the term look up as absent.
        for (const i of [0, 65_534, 65_537, 131_070, 131_073, 139_999, 150_008]) {
          if (live.has(i) && !termsOf(i).has(term)) expect(query.contribution(0, target.slotOf(`d${i}`)!)).toBe(0);
        }
      }
      // A synonym set sums its members per document across blocks.
      const set = target.score([{ term: 'set', weight: 1, synonyms: [{ term: 'rare', weight: 1 }, { term: 'edge', weight: 1 }, { term: 'late', weight: 0.5 }] }], params);
      expect(set.touchedCount).toBe([...live].filter((i) => ['rare', 'edge', 'late'].some((t) => termsOf(i).has(t))).length);
    };
    check(index);
    check(loaded);
    expect([...loaded.postingLists()].map(({ term, slots }) => [term, [...slots]])).toEqual(lists.map(({ term, slots }) => [term, [...slots]]));

    // Removals that empty a list's first run, a middle run and the last posting of a block.
    for (const i of [7, 50_007, 65_535, 65_536, 131_071, 3, 196_608]) {
      for (const target of [index, loaded]) expect(target.remove(`d${i}`, termsOf(i).keys())).toBe(true);
      live.delete(i);
    }
    check(index);
    check(loaded);
    // And additions after them go to the last block, whatever the lists held.
    for (const target of [index, loaded]) target.add('after', new Map([['rare', 1], ['edge', 1]]), 2);
    live.add(N);
    const extra = (i: number, term: string) => (i === N ? ['rare', 'edge'].includes(term) : termsOf(i).has(term));
    for (const target of [index, loaded]) {
      const scored = target.score([{ term: 'edge', weight: 1 }], params);
      expect(scored.touchedCount).toBe([...live].filter((i) => extra(i, 'edge')).length);
      expect(target.query([{ term: 'rare', weight: 1 }], params).contribution(0, target.slotOf('after')!)).toBeGreaterThan(0);
    }
  });
});

describe('kept synonym-set unions', () => {
  const set = [{ term: 'set', weight: 1, synonyms: [{ term: 'a', weight: 1 }, { term: 'b', weight: 0.5 }] }];
  /** Each record's score and the order records were first touched in. */
  const scored = (index: TermIndex) => {
    const { scores, touched, touchedCount } = index.score(set, params);
    const order = [...touched.subarray(0, touchedCount)].map((slot) => index.idAt(slot)!);
    return { order, scores: order.map((id) => scores[index.slotOf(id)!]!) };
  };
  /** The set as one term summed by hand, per record: BM25 of tf(a) + 0.5·tf(b). */
  const expected = (index: TermIndex, tfs: Map<string, [number, number]>, lengths: Map<string, number>) => {
    // A set's IDF is its most frequent member's.
    const idf = index.idf(index.documentFrequency('a') >= index.documentFrequency('b') ? 'a' : 'b');
    return new Map(
      [...tfs].map(([id, [a, b]]) => {
        const tf = a + 0.5 * b;
        return [id, (idf * (params.k1 + 1) * tf) / (tf + floatNorm(lengths.get(id)!, index.averageLength))];
      }),
    );
  };

  it('scores a long set the same when kept, and afresh after the index changes', () => {
    const index = new TermIndex(params);
    const tfs = new Map<string, [number, number]>();
    const lengths = new Map<string, number>();
    // Past SYNONYM_UNION_MIN postings, so the union is kept; some records hold only one member.
    for (let i = 0; i < 3000; i += 1) {
      const a = i % 3 === 0 ? 0 : 1 + (i % 4);
      const b = i % 5 === 0 ? 0 : 1 + (i % 2);
      const terms = new Map([['filler', 1]]);
      if (a > 0) terms.set('a', a);
      if (b > 0) terms.set('b', b);
      index.add(`d${i}`, terms, 10 + (i % 7));
      lengths.set(`d${i}`, 10 + (i % 7));
      if (a + b > 0) tfs.set(`d${i}`, [a, b]);
    }
    const first = scored(index);
    const again = scored(index);
    expect(again).toEqual(first);
    expect(first.order.length).toBe(tfs.size);
    const want = expected(index, tfs, lengths);
    expect(Math.max(...first.order.map((id, k) => Math.abs(first.scores[k]! - want.get(id)!)))).toBeLessThan(1e-12);

    // A change makes the kept union stale: the removed record is gone, the added one is in.
    index.remove('d1', ['filler', 'a', 'b']);
    tfs.delete('d1');
    lengths.delete('d1');
    index.add('late', new Map([['a', 2]]), 4);
    tfs.set('late', [2, 0]);
    lengths.set('late', 4);
    const changed = scored(index);
    expect(changed.order).not.toContain('d1');
    expect(changed.order).toContain('late');
    const wantChanged = expected(index, tfs, lengths);
    expect(Math.max(...changed.order.map((id, k) => Math.abs(changed.scores[k]! - wantChanged.get(id)!)))).toBeLessThan(1e-12);
    // And the same again once kept.
    expect(scored(index)).toEqual(changed);
    // The contribution read for one record agrees with the accumulated score to the bit.
    const query = index.query(set, params);
    const slot = index.slotOf('late')!;
    expect(query.contribution(0, slot)).toBe(changed.scores[changed.order.indexOf('late')]);
    // A batch add is a change too.
    const lists = index.batchLists(1);
    index.addFromBatch('batched', ['b'], lists, Int32Array.of(0), Float32Array.of(3), 0, 1, 5);
    tfs.set('batched', [0, 3]);
    lengths.set('batched', 5);
    const batched = scored(index);
    expect(batched.order).toContain('batched');
    const wantBatched = expected(index, tfs, lengths);
    expect(Math.max(...batched.order.map((id, k) => Math.abs(batched.scores[k]! - wantBatched.get(id)!)))).toBeLessThan(1e-12);
  });
});
