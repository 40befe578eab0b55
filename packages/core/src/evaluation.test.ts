import { describe, expect, it } from 'vitest';
import { dcg, evaluateRankings } from './evaluation.js';

describe('evaluateRankings', () => {
  it('computes graded nDCG@k with 2^g − 1 gains and a log2 discount', () => {
    // Ranked grades [1, 3, 0]; ideal [3, 1].
    const actual = 1 / Math.log2(2) + 7 / Math.log2(3);
    const ideal = 7 / Math.log2(2) + 1 / Math.log2(3);
    const report = evaluateRankings(new Map([['n1', ['a', 'b', 'c']]]), { n1: { a: 1, b: 3 } });
    expect(report.ndcg).toBeCloseTo(actual / ideal, 12);
    expect(report.mrr).toBe(0.5);
  });

  it('averages over needs with judgments only and counts a missing relevant company as 0', () => {
    const report = evaluateRankings(
      new Map([
        ['n1', ['a']],
        ['n2', ['x', 'y']],
      ]),
      { n1: { a: 3 }, n2: { z: 2 }, n3: {} },
    );
    expect(report.queries).toBe(2);
    expect(report.ndcg).toBe(0.5);
    expect(report.mrr).toBe(0.5);
  });

  it('cuts DCG at k', () => {
    expect(dcg([3, 3, 3], 1)).toBe(7);
  });
});
