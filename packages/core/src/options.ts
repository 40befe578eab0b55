import { z } from 'zod';
import type { ValidationResult } from './errors.js';
import { zodIssues } from './schema/validate.js';

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
  if (w !== undefined && (w.tags ?? 0.35) + (w.text ?? 0.5) + (w.cooperation ?? 0.15) <= 0) {
    return { ok: false, issues: [{ path: `${label}.weights`, message: 'must not all be zero' }] };
  }
  return { ok: true, value: parsed.data };
}
