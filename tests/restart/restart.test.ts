import { describe, expect, it } from 'vitest';
import { restartCheck } from './check.js';

// The check of `npm run restart-check` (100k companies by default) at a size CI can afford:
// the same steps, so a restart that loses a write or changes a ranking fails here first.
describe('restart check', () => {
  it('keeps every write and every ranking across kill -9, a caught-up snapshot and a damaged one', async () => {
    const { report, problems } = await restartCheck({ companies: 2_000, queries: 12, seed: 7 });
    expect(problems, report.join('\n')).toEqual([]);
    expect(report.join('\n')).toMatch(/after kill -9: 15 of 15 rankings byte-identical/);
    expect(report.join('\n')).toMatch(/after a damaged snapshot: 15 of 15 rankings byte-identical/);
  }, 240_000);
});
