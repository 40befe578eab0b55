import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BLOCK_SIZE, packSlots, unpackSlots } from './slot-blocks.js';

describe('packed slots', () => {
  it('unpack to the slots packed, lists starting, changing and skipping blocks (property)', () => {
    const list = fc.uniqueArray(fc.integer({ min: 0, max: 5 * BLOCK_SIZE }), { minLength: 1, maxLength: 40 }).map((slots) => slots.sort((a, b) => a - b));
    fc.assert(
      fc.property(fc.array(list, { minLength: 1, maxLength: 8 }), (lists) => {
        const listOffsets = Int32Array.from([0, ...lists.map((_, t) => lists.slice(0, t + 1).reduce((n, l) => n + l.length, 0))]);
        const slots = Int32Array.from(lists.flat());
        const packed = packSlots(slots, listOffsets);
        expect([...unpackSlots(packed, listOffsets)]).toEqual([...slots]);
        // Two bytes a posting, and a block start only where a list enters a new block.
        expect(packed.low.BYTES_PER_ELEMENT).toBe(2);
        const changes = lists.reduce((n, l) => n + l.filter((slot, i) => i > 0 && Math.floor(slot / BLOCK_SIZE) !== Math.floor(l[i - 1]! / BLOCK_SIZE)).length, 0);
        expect(packed.blockStarts.length).toBe(2 * changes);
        lists.forEach((l, t) => expect(packed.firstBlocks[t]).toBe(Math.floor(l[0]! / BLOCK_SIZE)));
      }),
    );
  });
});
