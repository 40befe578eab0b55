import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ranksAbove, TopK } from './top-k.js';

describe('TopK', () => {
  it('keeps the same k items as a full sort, ties by id (property)', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.record({ id: fc.string({ minLength: 1, maxLength: 4 }), score: fc.integer({ min: 0, max: 5 }) }), {
          selector: (r) => r.id,
          maxLength: 60,
        }),
        fc.integer({ min: 0, max: 12 }),
        (items, k) => {
          const heap = new TopK<{ id: string; score: number }>(k);
          for (const item of items) heap.offer(item);
          const expected = [...items].sort((a, b) => (ranksAbove(a, b) ? -1 : 1)).slice(0, k);
          expect(heap.sorted()).toEqual(expected);
        },
      ),
    );
  });

  it('breaks equal scores by id', () => {
    const heap = new TopK<{ id: string; score: number }>(2);
    for (const id of ['c', 'a', 'b']) heap.offer({ id, score: 1 });
    expect(heap.sorted().map((x) => x.id)).toEqual(['a', 'b']);
  });
});
