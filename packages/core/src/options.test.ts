import { describe, expect, it } from 'vitest';
import { formatIssue, PartnermatchError } from './errors.js';
import { createMatcher } from './matcher.js';
import {
  DEFAULT_CONCEPT_WEIGHT,
  DEFAULT_MATCHER_OPTIONS,
  RANK_LIMIT,
  resolveMatcherOptions,
  resolveRankBounds,
  validateMatcherOptions,
} from './options.js';

describe('validateMatcherOptions', () => {
  it('accepts the documented options', () => {
    expect(validateMatcherOptions({ weights: { tags: 0.2 }, bm25: { k1: 0.9, b: 0.4 }, conceptWeight: 0, analyzer: { chinese: 'both' } }).ok).toBe(true);
  });

  it('names every bad option with its path', () => {
    const result = validateMatcherOptions({
      tagRelations: { exact: 2 },
      conceptWeight: 'x',
      bm25: { k1: '2' },
      fieldWeights: { name: -1 },
      analyzer: { chinese: 'chars' },
      wieghts: {},
    });
    expect(result.ok ? [] : result.issues.map(formatIssue)).toEqual([
      'options.bm25.k1: must be a number',
      'options.conceptWeight: must be a number',
      'options.tagRelations.exact: must be within [0, 1]',
      'options.analyzer.chinese: must be "words", "bigrams" or "both"',
      'options.fieldWeights.name: must not be negative',
      'options: unknown field(s) wieghts',
    ]);
    expect(validateMatcherOptions({ weights: { tags: 0, text: 0, cooperation: 0 } }).ok).toBe(false);
    expect(validateMatcherOptions({ neutralTags: 1.5 }).ok ? [] : ['bad']).toEqual(['bad']);
    expect(validateMatcherOptions({ neutralTags: 0 }).ok).toBe(true);
  });

  it('makes createMatcher throw INVALID_OPTIONS', () => {
    expect(() => createMatcher({ options: { tagCompanySideShare: -1 } })).toThrowError(PartnermatchError);
  });
});

describe('option defaults', () => {
  it('are what a matcher resolves to', () => {
    expect(createMatcher().options).toEqual(DEFAULT_MATCHER_OPTIONS);
    expect(DEFAULT_MATCHER_OPTIONS.conceptWeight).toBe(DEFAULT_CONCEPT_WEIGHT);
  });

  it('bound the rank limit; the library defaults to RANK_LIMIT.default', () => {
    expect(RANK_LIMIT).toEqual({ min: 1, max: 100, default: 10 });
    const companies = Array.from({ length: 12 }, (_, i) => ({ id: `c${i}`, name: `Solar ${i}`, description: 'solar panels' }));
    const matcher = createMatcher({ companies });
    expect(matcher.rankCompanies({ id: 'n', title: 'solar', organization: 'o', description: 'solar panels', status: 'open' })).toHaveLength(RANK_LIMIT.default);
  });

  it('resolve: normalises weights so they sum to 1, and rejects bad ranking bounds', () => {
    const resolved = resolveMatcherOptions({ weights: { tags: 2, text: 1, cooperation: 1 } });
    expect(resolved.weights).toEqual({ tags: 0.5, text: 0.25, cooperation: 0.25 });
    expect(resolveRankBounds({})).toEqual({ limit: RANK_LIMIT.default, minScore: 0 });
    expect(() => resolveRankBounds({ limit: 1.5 })).toThrowError(PartnermatchError);
    expect(() => resolveRankBounds({ minScore: -0.1 })).toThrowError(PartnermatchError);
  });
});
