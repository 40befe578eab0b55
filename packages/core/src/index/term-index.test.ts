import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TermIndex } from './term-index.js';

const params = { k1: 1.2, b: 0.75 };

function scoresFor(index: TermIndex, term: string): Map<string, number> {
  const { scores, touched, touchedCount } = index.score([{ term, weight: 1 }], params);
  return new Map([...touched.subarray(0, touchedCount)].map((slot) => [index.idAt(slot)!, scores[slot]!]));
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
      fc.property(fc.array(doc, { minLength: 1, maxLength: 30 }), query, fc.nat(), fc.boolean(), (docs, terms, cut, tracked) => {
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
          expect(partial.complete(slot)).toBe(true);
          expect(partial.isFinished(slot)).toBe(true);
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

  it('keeps whole and fractional term frequencies exact, before and after a fractional one arrives', () => {
    const index = new TermIndex();
    index.add('a', new Map([['x', 3]]), 4);
    index.add('b', new Map([['x', 300]]), 300);
    // The textbook formula, term frequency and length as given.
    const bm25 = (tf: number, length: number) =>
      (index.idf('x') * tf * (params.k1 + 1)) / (tf + params.k1 * (1 - params.b + (params.b * length) / index.averageLength));
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
});
