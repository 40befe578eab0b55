import { z } from '@hono/zod-openapi';

/**
 * The stages of a need–company pair, in the order a coordinator's work usually takes them.
 * The last three end the work on a pair; any stage may follow any other (a pair that was
 * declined can be taken up again), and every change is kept.
 */
export const STAGES = ['suggested', 'contacted', 'meeting', 'negotiating', 'agreed', 'declined', 'no-deal'] as const;
export type Stage = (typeof STAGES)[number];

export const FINAL_STAGES: ReadonlySet<Stage> = new Set(['agreed', 'declined', 'no-deal']);

/** The three statuses of the decisions table before there was a history. */
export const LEGACY_STATUSES = ['contacted', 'agreed', 'declined'] as const;
export type LegacyStatus = (typeof LEGACY_STATUSES)[number];

/** Each legacy status is the stage of the same name, so existing decisions migrate unchanged. */
export function stageOfLegacyStatus(status: LegacyStatus): Stage {
  return status;
}

/**
 * The legacy status a stage reads as, for the decision endpoints and the rankings that still
 * speak in three statuses: the stages of working on a pair read as `contacted`, `no-deal` as
 * `declined` (both mean the pair should leave later rankings), `suggested` as no decision.
 */
export function legacyStatusOfStage(stage: Stage): LegacyStatus | undefined {
  switch (stage) {
    case 'suggested':
      return undefined;
    case 'contacted':
    case 'meeting':
    case 'negotiating':
      return 'contacted';
    case 'agreed':
      return 'agreed';
    case 'declined':
    case 'no-deal':
      return 'declined';
  }
}

/** A calendar date `YYYY-MM-DD` that exists (2026-02-30 does not). */
export const dateSchema = z.iso
  .date({ error: (issue) => `must be a date (YYYY-MM-DD), not ${JSON.stringify(issue.input)}` })
  .openapi({ example: '2026-12-15' });

export const stageSchema = z.enum(STAGES, {
  error: (issue) => `unknown stage ${JSON.stringify(issue.input)} (expected one of ${STAGES.join(', ')})`,
});

const noteSchema = z.string().trim().max(2000, { error: 'must be at most 2000 characters' });

/** Body of a stage change on a pair. `nextActionOn: null` clears the next action; leaving it out keeps it. */
export const StageChangeInputSchema = z
  .strictObject({
    stage: stageSchema,
    note: noteSchema.optional(),
    nextActionOn: dateSchema.nullable().optional(),
  })
  .openapi('StageChangeInput');
export type StageChangeInput = z.infer<typeof StageChangeInputSchema>;

/** Body of a change of a pair's next-action date alone. */
export const NextActionInputSchema = z
  .strictObject({
    nextActionOn: dateSchema.nullable(),
    note: noteSchema.optional(),
  })
  .openapi('NextActionInput');
export type NextActionInput = z.infer<typeof NextActionInputSchema>;

/** Query of the action list: the day to judge by (default today) and how many days ahead count as due. */
export const ActionsQuerySchema = z.strictObject({
  asOf: dateSchema.optional(),
  withinDays: z.coerce
    .number({ error: 'must be a whole number of days' })
    .int({ error: 'must be a whole number of days' })
    .min(0, { error: 'must be 0 or more' })
    .max(365, { error: 'must be at most 365' })
    .optional(),
});
export type ActionsQuery = z.infer<typeof ActionsQuerySchema>;

// ── responses (for the OpenAPI document) ───────────────────────────────────

const ActorSchema = z.object({ name: z.string(), role: z.string() }).openapi('Actor');

export const FollowupEventSchema = z
  .object({
    id: z.number().int(),
    needId: z.string(),
    companyId: z.string(),
    at: z.string().openapi({ description: 'When the change was recorded (ISO 8601, UTC).' }),
    stage: stageSchema,
    previousStage: stageSchema.optional(),
    note: z.string().optional(),
    nextActionOn: z.string().optional().openapi({ description: 'The next-action date after this change.' }),
    actor: ActorSchema,
  })
  .openapi('FollowupEvent', { description: 'One change on a pair; the history is append-only.' });

export const PairStateSchema = z
  .object({
    needId: z.string(),
    companyId: z.string(),
    stage: stageSchema,
    nextActionOn: z.string().optional(),
    updatedAt: z.string(),
    updatedBy: ActorSchema,
    note: z.string().optional(),
  })
  .openapi('PairState', { description: "A pair's current stage and next action: its latest event." });

export const ActionItemSchema = PairStateSchema.extend({
  nextActionOn: z.string(),
  state: z.enum(['overdue', 'due']),
  inDays: z.number().int().openapi({ description: 'Days from asOf to the action date; negative when overdue.' }),
}).openapi('ActionItem');
