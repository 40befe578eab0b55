import { describe, expect, it } from 'vitest';
import { DEFAULT_WEIGHTS } from '../options.js';
import {
  blend,
  cannotReach,
  effectiveWeights,
  nonTextCeiling,
  nonTextScore,
  normalisedText,
  PRUNE_MARGIN,
  roundPart,
  scoreLowerBound,
  untouchedCeiling,
} from './score.js';

describe('the score formula', () => {
  it('moves the tag weight to text when the query has no tags', () => {
    expect(effectiveWeights(DEFAULT_WEIGHTS, true)).toEqual(DEFAULT_WEIGHTS);
    const untagged = effectiveWeights(DEFAULT_WEIGHTS, false);
    expect(untagged.tags).toBe(0);
    expect(untagged.text).toBeCloseTo(0.85, 12);
    expect(untagged.cooperation).toBe(0.15);
  });

  it('blends the three parts and rounds to 6 decimals', () => {
    const w = DEFAULT_WEIGHTS;
    expect(blend(w, 1, 1, 1)).toBe(1);
    expect(blend(w, 0, 0, 0)).toBe(0);
    expect(blend(w, 0.5, 0.25, 0.3)).toBe(Math.round((0.3 * 0.5 + 0.15 * 0.3 + 0.55 * 0.25) * 1e6) / 1e6);
    // 0.3/3 + 0.55/7 + 0.15/9 = 0.1952380…
    expect(blend(w, 1 / 3, 1 / 7, 1 / 9)).toBe(0.195238);
    // The precomputed non-text part gives the same score as the parts.
    expect(blend(w, 0.7, 0.4, 0.5, nonTextScore(w, 0.7, 0.5))).toBe(blend(w, 0.7, 0.4, 0.5));
  });

  it('bounds a record without text by tags and cooperation', () => {
    expect(nonTextCeiling(DEFAULT_WEIGHTS)).toBeCloseTo(0.45, 12);
    expect(blend(DEFAULT_WEIGHTS, 1, 0, 1, nonTextCeiling(DEFAULT_WEIGHTS))).toBe(0.45);
    // An untouched record has at most `rest` of text, the best at least `best`.
    expect(untouchedCeiling(DEFAULT_WEIGHTS, 1, 4)).toBeCloseTo(0.45 + 0.55 / 4, 12);
  });

  it('never prunes a bound that can round to the floor', () => {
    const floor = 0.5;
    expect(cannotReach(floor - PRUNE_MARGIN / 2, floor)).toBe(false);
    expect(cannotReach(floor - PRUNE_MARGIN, floor)).toBe(false);
    expect(cannotReach(floor - 2 * PRUNE_MARGIN, floor)).toBe(true);
    // Rounding lifts 0.4999996 to the floor, so it must not have been pruned.
    expect(blend({ tags: 0, text: 1, cooperation: 0 }, 0, 0.4999996, 0)).toBe(floor);
    expect(cannotReach(0.4999996, floor)).toBe(false);
    expect(cannotReach(-Infinity, -Infinity)).toBe(false);
  });

  it('gives a lower bound only when it clears minScore', () => {
    expect(scoreLowerBound(DEFAULT_WEIGHTS, 0.2, 0.5, 0)).toBeCloseTo(0.475, 12);
    expect(scoreLowerBound(DEFAULT_WEIGHTS, 0.2, 0.5, 0.5)).toBe(-Infinity);
  });

  it('normalises text by the best and rounds shown parts to 4 decimals', () => {
    expect(normalisedText(2, 4)).toBe(0.5);
    expect(normalisedText(0, 0)).toBe(0);
    expect(roundPart(0.123456)).toBe(0.1235);
  });
});
