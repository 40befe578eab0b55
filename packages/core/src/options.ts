import { z } from 'zod';
import { formatIssue, PartnermatchError, type ValidationResult } from './errors.js';
import type { Bm25Params } from './index/term-index.js';
import { DEFAULT_INFERENCE_OPTIONS, type InferenceOptions } from './scoring/inference.js';
import { DEFAULT_TAG_RELATION_WEIGHTS, type TagRelationWeights } from './scoring/scores.js';
import { zodIssues } from './schema/validate.js';
import { DEFAULT_ANALYZER_OPTIONS, type AnalyzerOptions } from './text/analyzer.js';

// Every knob of the matcher and of a ranking, with its default and its range, in one
// place: callers (CLI, API, web pages) read defaults and bounds from here instead of
// repeating them.

/** Weights of the three parts of a match score; they are normalised to sum to 1. */
export interface ScoreWeights {
  /** Sector tags. Defaults to 0.3. */
  readonly tags: number;
  /** Text similarity (BM25 over words and concepts). Defaults to 0.55. */
  readonly text: number;
  /** Fit of the partnership types. Defaults to 0.15. */
  readonly cooperation: number;
}

/** How much each field's terms count, relative to a description (1). */
export interface FieldWeights {
  /** A company's name, which usually says its trade (`Lyckeby Reningsteknik`). Defaults to 3. */
  readonly name: number;
  /** A company's offerings, short phrases of what it sells. Defaults to 1. */
  readonly offerings: number;
  /** A need's title, the ask in a few words. Defaults to 3. */
  readonly title: number;
}

export interface MatcherOptions {
  readonly weights?: Partial<ScoreWeights>;
  readonly bm25?: Partial<Bm25Params>;
  /**
   * Query weight of a glossary concept term relative to a word (1). Concepts are the
   * only evidence that crosses languages, so they count for more. Between 1 and 3 for
   * cross-language matching; 0 turns concepts off for single-language text retrieval
   * (they duplicate word evidence there: SciFact train 0.702 at 0, 0.694 at 1.5).
   * Defaults to 1.5.
   */
  readonly conceptWeight?: number;
  readonly tagRelations?: Partial<TagRelationWeights>;
  /**
   * Share of the tag score measured from the company's tags rather than the need's, in
   * [0, 0.5]: a specialist edges out a generalist with the same matching tag. Defaults to 0.2.
   */
  readonly tagCompanySideShare?: number;
  /** Cooperation score when either side names no partnership type, in [0, 1]. Defaults to 0.5. */
  readonly neutralCooperation?: number;
  /**
   * Tag score of a candidate with no sector tag at all (none given, none inferred from its
   * text) against a query with tags, in [0, 1]: its sector is unknown, which is no evidence
   * of a mismatch. Defaults to 0.15.
   */
  readonly neutralTags?: number;
  readonly inference?: Partial<InferenceOptions>;
  readonly analyzer?: AnalyzerOptions;
  readonly fieldWeights?: Partial<FieldWeights>;
}

export interface ResolvedMatcherOptions {
  readonly weights: ScoreWeights;
  readonly bm25: Bm25Params;
  readonly conceptWeight: number;
  readonly tagRelations: TagRelationWeights;
  readonly tagCompanySideShare: number;
  readonly neutralCooperation: number;
  readonly neutralTags: number;
  readonly inference: InferenceOptions;
  readonly analyzer: Required<AnalyzerOptions>;
  readonly fieldWeights: FieldWeights;
}

/**
 * Text earns more than tags since the lexicon reads the words: measured again in session 42 on
 * 41 labelled sets (companies ranked for needs / needs for companies) and, held out, on four
 * more (mixed-hard, entry-hard, goods-hard, office-hard; totals only): tags / text / cooperation
 * 0.35 / 0.5 / 0.15 (before) 36.971 / 37.316 and 3.422 / 3.679; 0.3 / 0.55 / 0.15 37.047 / 37.417
 * and 3.435 / 3.715; 0.25 / 0.6 / 0.15 37.088 / 37.390 and 3.415 / 3.715; 0.2 / 0.65 / 0.15
 * 36.931 / 37.326 and 3.385 / 3.717; 0.4 / 0.45 / 0.15 36.581 / 37.071 and 3.387 / 3.667;
 * cooperation 0.1 (0.35 / 0.55, 0.3 / 0.6, 0.25 / 0.65) lost 0.10–0.24 on the 41.
 */
export const DEFAULT_WEIGHTS: ScoreWeights = Object.freeze({ tags: 0.3, text: 0.55, cooperation: 0.15 });
export const DEFAULT_BM25: Bm25Params = Object.freeze({ k1: 1.2, b: 0.75 });
export const DEFAULT_FIELD_WEIGHTS: FieldWeights = Object.freeze({ name: 3, offerings: 1, title: 3 });
export const DEFAULT_CONCEPT_WEIGHT = 1.5;
export const DEFAULT_TAG_COMPANY_SIDE_SHARE = 0.2;
export const DEFAULT_NEUTRAL_COOPERATION = 0.5;
/**
 * An untagged firm's tag score (`neutralTags`). A small firm often names no sector and writes
 * in its trade's own words, from which no tag is inferred; scored 0 it lost a third of the
 * score to a firm that merely shares a sector (a charging-locker maker below a car-charger
 * service for e-bike battery fires). 35 labelled sets, companies for needs: 0 30.668, 0.1
 * 30.711, 0.15 30.717, 0.2 30.715, 0.25 30.705, 0.35 30.667, 0.5 30.618 (above a related
 * firm's typical sibling credit it ranks the unknown above the near); needs for companies
 * 30.779 → 30.792 at 0.15.
 */
export const DEFAULT_NEUTRAL_TAGS = 0.15;


/**
 * Bounds of the number of matches a caller (CLI `--top`, API `limit`) may ask for per
 * query. The library itself accepts any whole number ≥ 0 (`RankOptions.limit`); this is
 * the range the tools offer, and its default is the library's.
 */
export const RANK_LIMIT = Object.freeze({ min: 1, max: 100, default: 10 });
/** `RankOptions.minScore`: matches scoring below it are left out. */
export const MIN_SCORE = Object.freeze({ min: 0, max: 1, default: 0 });

/** `evaluateRankings`: nDCG cut-off and the least grade that counts as relevant for MRR. */
export const DEFAULT_EVALUATION_OPTIONS = Object.freeze({ k: 10, relevantGrade: 2 });

/** `createMatcherInParallel` threads: at least 1 (below 2 builds on this thread); by default the cores, at most `defaultMax`. */
export const BUILD_THREADS = Object.freeze({ min: 1, defaultMax: 4 });

const weight = (max: number) =>
  z.number({ error: 'must be a number' }).min(0, { error: 'must not be negative' }).max(max, { error: `must be at most ${max}` });
const unit = z.number({ error: 'must be a number' }).min(0, { error: 'must be within [0, 1]' }).max(1, { error: 'must be within [0, 1]' });

/**
 * Every matcher option with its sensible range (see `MatcherOptions` for meanings and
 * defaults). Strict: a misspelt key is an error, not a silently ignored setting.
 */
export const matcherOptionsSchema = z.strictObject({
  weights: z
    .strictObject({ tags: weight(1000).optional(), text: weight(1000).optional(), cooperation: weight(1000).optional() })
    .optional(),
  bm25: z
    .strictObject({
      k1: z.number({ error: 'must be a number' }).gt(0, { error: 'must be positive' }).max(10, { error: 'must be at most 10' }).optional(),
      b: unit.optional(),
    })
    .optional(),
  conceptWeight: weight(10).optional(),
  tagRelations: z
    .strictObject({ exact: unit.optional(), parent: unit.optional(), child: unit.optional(), sibling: unit.optional() })
    .optional(),
  tagCompanySideShare: unit.optional(),
  neutralCooperation: unit.optional(),
  neutralTags: unit.optional(),
  inference: z
    .strictObject({
      minConfidence: unit.optional(),
      maxTags: z.number().int({ error: 'must be a whole number' }).min(0).max(10).optional(),
      evidenceScale: z.number({ error: 'must be a number' }).gt(0, { error: 'must be positive' }).max(100).optional(),
    })
    .optional(),
  analyzer: z
    .strictObject({
      chinese: z.enum(['words', 'bigrams', 'both'], { error: 'must be "words", "bigrams" or "both"' }).optional(),
      decompound: z.boolean({ error: 'must be true or false' }).optional(),
      concepts: z.boolean({ error: 'must be true or false' }).optional(),
      stemming: z.boolean({ error: 'must be true or false' }).optional(),
      lexicon: z.boolean({ error: 'must be true or false' }).optional(),
    })
    .optional(),
  fieldWeights: z
    .strictObject({ name: weight(100).optional(), offerings: weight(100).optional(), title: weight(100).optional() })
    .optional(),
});

/** Checks matcher options (e.g. read from a JSON file): every problem, with its path. */
export function validateMatcherOptions(input: unknown, label = 'options'): ValidationResult<z.output<typeof matcherOptionsSchema>> {
  const parsed = matcherOptionsSchema.safeParse(input, { reportInput: true });
  if (!parsed.success) return { ok: false, issues: zodIssues(label, parsed.error.issues) };
  const w = parsed.data.weights;
  if (w !== undefined && (w.tags ?? DEFAULT_WEIGHTS.tags) + (w.text ?? DEFAULT_WEIGHTS.text) + (w.cooperation ?? DEFAULT_WEIGHTS.cooperation) <= 0) {
    return { ok: false, issues: [{ path: `${label}.weights`, message: 'must not all be zero' }] };
  }
  return { ok: true, value: parsed.data };
}

/** Fills in defaults and normalises the weights; throws INVALID_OPTIONS naming every bad option. */
export function resolveMatcherOptions(options: MatcherOptions = {}): ResolvedMatcherOptions {
  const checked = validateMatcherOptions(options);
  if (!checked.ok) {
    throw new PartnermatchError('INVALID_OPTIONS', `invalid matcher options: ${checked.issues.map(formatIssue).join('; ')}`, {
      issues: checked.issues,
    });
  }
  const raw = { ...DEFAULT_WEIGHTS, ...options.weights };
  const total = raw.tags + raw.text + raw.cooperation;
  return Object.freeze({
    weights: Object.freeze({ tags: raw.tags / total, text: raw.text / total, cooperation: raw.cooperation / total }),
    bm25: Object.freeze({ ...DEFAULT_BM25, ...options.bm25 }),
    conceptWeight: options.conceptWeight ?? DEFAULT_CONCEPT_WEIGHT,
    tagRelations: Object.freeze({ ...DEFAULT_TAG_RELATION_WEIGHTS, ...options.tagRelations }),
    tagCompanySideShare: options.tagCompanySideShare ?? DEFAULT_TAG_COMPANY_SIDE_SHARE,
    neutralCooperation: options.neutralCooperation ?? DEFAULT_NEUTRAL_COOPERATION,
    neutralTags: options.neutralTags ?? DEFAULT_NEUTRAL_TAGS,
    inference: Object.freeze({ ...DEFAULT_INFERENCE_OPTIONS, ...options.inference }),
    analyzer: Object.freeze({ ...DEFAULT_ANALYZER_OPTIONS, ...options.analyzer }),
    fieldWeights: Object.freeze({ ...DEFAULT_FIELD_WEIGHTS, ...options.fieldWeights }),
  });
}

/** The limit and minimum score of one ranking, defaulted and checked (INVALID_OPTIONS). */
export function resolveRankBounds(options: { readonly limit?: number; readonly minScore?: number }): { limit: number; minScore: number } {
  const limit = options.limit ?? RANK_LIMIT.default;
  const minScore = options.minScore ?? MIN_SCORE.default;
  if (!Number.isInteger(limit) || limit < 0) {
    throw new PartnermatchError('INVALID_OPTIONS', 'limit must be a non-negative whole number');
  }
  if (!(minScore >= MIN_SCORE.min && minScore <= MIN_SCORE.max)) {
    throw new PartnermatchError('INVALID_OPTIONS', 'minScore must be within [0, 1]');
  }
  return { limit, minScore };
}

/** Every matcher option at its default, resolved (the weights normalised as `createMatcher` does). */
export const DEFAULT_MATCHER_OPTIONS: ResolvedMatcherOptions = resolveMatcherOptions();
