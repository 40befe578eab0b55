/** Follow-up after a match: decision stages with their history, next actions and deadlines. */
export {
  STAGES,
  FINAL_STAGES,
  LEGACY_STATUSES,
  stageOfLegacyStatus,
  legacyStatusOfStage,
  dateSchema,
  stageSchema,
  StageChangeInputSchema,
  NextActionInputSchema,
  ActionsQuerySchema,
  FollowupEventSchema,
  PairStateSchema,
  ActionItemSchema,
  type Stage,
  type LegacyStatus,
  type StageChangeInput,
  type NextActionInput,
  type ActionsQuery,
} from './stages.js';
export { DecisionHistory, migrate, type Actor, type FollowupEvent, type PairState, type ActionItem } from './history.js';
export { EXPIRES_SOON_DAYS, today, parseAsOf, daysBetween, addDays, deadlineDate, isExpired, expiresWithin } from './deadlines.js';
export { parseInput } from './input.js';
