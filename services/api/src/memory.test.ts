import { describe, expect, it } from 'vitest';
import { boundHeapGrowth } from './memory.js';

describe('boundHeapGrowth', () => {
  it('collects garbage at once (so the first limit is measured from the data) and reports the live heap', async () => {
    let ref: WeakRef<object> | undefined;
    (() => {
      ref = new WeakRef({ payload: new Array(1000).fill('x') });
    })();
    // A WeakRef's target stays alive until the current job ends.
    await new Promise((resolve) => setTimeout(resolve, 0));
    const bound = boundHeapGrowth(30);
    expect(ref!.deref()).toBeUndefined();
    expect(bound.growthPercent).toBe(30);
    expect(bound.liveMiB).toBeGreaterThan(1);
  });

  it('leaves V8 its own sizing at 0', () => {
    expect(boundHeapGrowth(0).growthPercent).toBe(0);
  });
});
