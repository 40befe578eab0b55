import type { ScoreWeights } from '../options.js';

// The score formula, and the bounds that pruning derives from it, in one place:
//   score = w_tags·tags + w_text·text + w_coop·cooperation, rounded to 6 decimals,
// with `text` the record's BM25 score divided by the best among all candidates.
// Every part is in [0, 1] and the weights sum to 1, so a score is in [0, 1].

/** Scores are rounded to this many steps per unit (6 decimals): ties are real ties. */
export const SCORE_PRECISION = 1e6;

/**
 * A bound below the floor by more than the rounding of a score (0.5e-6) cannot reach
 * it once rounded; a bound within this of the floor is kept, so a tie the smaller id
 * should win is never pruned.
 */
export const PRUNE_MARGIN = 1e-6;

/** When the query record has no tags at all, the tag weight moves to text. */
export function effectiveWeights(weights: ScoreWeights, queryHasTags: boolean): ScoreWeights {
  return {
    tags: queryHasTags ? weights.tags : 0,
    text: queryHasTags ? weights.text : weights.text + weights.tags,
    cooperation: weights.cooperation,
  };
}

/**
 * The blended score, rounded. `nonText` is `w_tags·tags + w_coop·cooperation` when
 * the caller has it already (the sum is the same expression either way).
 */
export function blend(weights: ScoreWeights, tags: number, text: number, cooperation: number, nonText?: number): number {
  return Math.round(((nonText ?? weights.tags * tags + weights.cooperation * cooperation) + weights.text * text) * SCORE_PRECISION) / SCORE_PRECISION;
}

/** Tags and cooperation of a record, weighted: its score without text. */
export function nonTextScore(weights: ScoreWeights, tags: number, cooperation: number): number {
  return weights.tags * tags + weights.cooperation * cooperation;
}

/** The most tags and cooperation can add to any record. */
export function nonTextCeiling(weights: ScoreWeights): number {
  return weights.tags + weights.cooperation;
}

/** Normalised text score: the best text match has 1. */
export function normalisedText(textScore: number, bestText: number): number {
  return bestText > 0 ? textScore / bestText : 0;
}

/** True when `bound`, an upper bound of a record's score, cannot reach `floor` after rounding. */
export function cannotReach(bound: number, floor: number): boolean {
  return bound < floor - PRUNE_MARGIN;
}

/**
 * The most a record none of the accumulated terms touched can score: its text is at
 * most `rest` (what the remaining terms can add) and the best text is at least `best`.
 */
export function untouchedCeiling(weights: ScoreWeights, rest: number, best: number): number {
  return nonTextCeiling(weights) + (weights.text * rest) / best;
}

/**
 * The least a record scores with `nonText` and at least `textLow` of normalised text;
 * -∞ when that may fall below `minScore` (so it cannot vouch for a floor).
 */
export function scoreLowerBound(weights: ScoreWeights, nonText: number, textLow: number, minScore: number): number {
  const low = nonText + weights.text * textLow;
  return low - PRUNE_MARGIN >= minScore ? low : -Infinity;
}

/** A part of a score (tags, text, cooperation, a weight or contribution) as shown: 4 decimals. */
export function roundPart(value: number): number {
  return Math.round(value * 1e4) / 1e4;
}
