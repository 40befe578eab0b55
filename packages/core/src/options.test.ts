import { describe, expect, it } from 'vitest';
import { formatIssue, PartnermatchError } from './errors.js';
import { createMatcher } from './matcher.js';
import { validateMatcherOptions } from './options.js';

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
  });

  it('makes createMatcher throw INVALID_OPTIONS', () => {
    expect(() => createMatcher({ options: { tagCompanySideShare: -1 } })).toThrowError(PartnermatchError);
  });
});
