/** Records: the zod schemas of FORMAT.md and their types. */
export {
  companySchema,
  partnerNeedSchema,
  contactSchema,
  hasValidOrgNumberCheckDigit,
  idProblem,
  ID_MAX_LENGTH,
  MUNICIPALITIES,
  PARTNERSHIP_TYPES,
  type Company,
  type PartnerNeed,
  type PartnerNeedInput,
  type Contact,
  type PartnershipType,
  type Municipality,
} from './schema/records.js';

/** Validation: every problem, each naming its record and field. */
export {
  validateCompanies,
  validateNeeds,
  validateCompany,
  validateNeed,
  formatPath,
} from './schema/validate.js';
export { MAX_REPORTED_ISSUES } from './schema/issues.js';

/** Errors: one class with a code union, and `safeParse`-style results. */
export {
  PartnermatchError,
  formatIssue,
  type PartnermatchErrorCode,
  type ValidationIssue,
  type ValidationIssueCode,
  type ValidationResult,
} from './errors.js';

/** Taxonomy: sector tags with sv/en/zh labels, hierarchy helpers and the concept glossary. */
export { taxonomy, type Taxonomy, type SectorTag, type TagRelation } from './taxonomy/taxonomy.js';
export type { ConceptEntry, TagLabels } from './taxonomy/glossary-types.js';

/** Text pipeline: language detection, tokens, stems and cross-language concepts. */
export {
  createAnalyzer,
  DEFAULT_ANALYZER_OPTIONS,
  type Analyzer,
  type AnalyzerOptions,
  type Analysis,
  type ChineseTokens,
  type TextField,
} from './text/analyzer.js';
export { detectLanguage } from './text/analyzer.js';
export type { Language } from './text/language.js';
export type { ConceptHit } from './text/concepts.js';
export type { WrittenText } from './text/tokens.js';

/** Word glosses for coordinators: key terms of a Chinese or Swedish text in sv or en, from the glossary and the lexicon. */
export { glossText, type WordGloss, type GlossOptions } from './lexicon/gloss.js';

/** Tag inference. */
export { inferTags, DEFAULT_INFERENCE_OPTIONS, type AssignedTag, type InferenceOptions } from './scoring/inference.js';

/** Matching: build once, rank both ways, change incrementally, explain every match. */
export { createMatcherInParallel, type ParallelBuildOptions } from './parallel.js';
export {
  createMatcher,
  type Matcher,
  type CreateMatcherInput,
  type Match,
  type RankOptions,
  type RankAllOptions,
  type BatchResult,
  type RecordProfile,
} from './matcher.js';
/** Exact sharding: shards score with the whole collection's statistics and text divisor, a k-way merge gives the single index's top k. */
export {
  collectionStatistics,
  mergeCollectionStatistics,
  mergeShardMatches,
  shardMatcher,
  type CollectionStatistics,
  type Shard,
  type ShardRankOptions,
} from './shard.js';
/** Index snapshots: a built index saved and restored without analysing any text again. */
export {
  snapshotMatcher,
  restoreMatcher,
  restoreMatcherById,
  readSnapshotHeader,
  snapshotVersions,
  ENGINE_VERSION,
  type SnapshotStamp,
  type SnapshotHeader,
  type RecordsById,
  type RecordChanges,
} from './snapshot/snapshot.js';
/** A matcher's copy on a worker thread, kept equal to it write by write: ranking on a second core. */
export { openMatcherReplica, replicaAvailable, type JsonMatch, type MatcherReplica, type ReplicaRankOptions, type ReplicaSettings, type SnapshotFile } from './ranking/replica.js';
export { SnapshotRejectedError, SNAPSHOT_FORMAT_VERSION, type SnapshotRejection } from './snapshot/format.js';
export { preloadSnapshot, PreloadedSnapshot, type SnapshotPreload } from './snapshot/preload.js';
/** Deadlines: a need past its deadline (as of a day) is not ranked unless `includeExpired`. */
export { isExpired, resolveAsOf } from './ranking/deadline.js';
/** Match filters: municipality, sector, employees, language, compiled to a `RankOptions.filter`. */
export {
  compileCompanyFilter,
  compileNeedFilter,
  matchFilterSchema,
  validateMatchFilter,
  type MatchFilter,
  type TagsOf,
} from './ranking/filter.js';
/** Options: every knob with its default and range, and the bounds callers offer for a ranking. */
export {
  DEFAULT_FIELD_WEIGHTS,
  type FieldWeights,
  DEFAULT_WEIGHTS,
  DEFAULT_BM25,
  DEFAULT_CONCEPT_WEIGHT,
  DEFAULT_TAG_COMPANY_SIDE_SHARE,
  DEFAULT_NEUTRAL_COOPERATION,
  DEFAULT_NEUTRAL_TAGS,
  DEFAULT_MATCHER_OPTIONS,
  RANK_LIMIT,
  MIN_SCORE,
  DEFAULT_EVALUATION_OPTIONS,
  BUILD_THREADS,
  type MatcherOptions,
  type ResolvedMatcherOptions,
  type ScoreWeights,
  validateMatcherOptions,
  matcherOptionsSchema,
  resolveMatcherOptions,
} from './options.js';
export type { Bm25Params } from './index/term-index.js';
export { DEFAULT_TAG_RELATION_WEIGHTS, type TagRelationWeights } from './scoring/scores.js';
export type {
  Explanation,
  ScorePart,
  TagEvidence,
  TermEvidence,
  CooperationEvidence,
} from './scoring/explanation.js';

/** Evaluation: nDCG@k and MRR as FORMAT.md defines them. */
export {
  evaluateRankings,
  validateQrels,
  type Qrels,
  type EvaluationReport,
  type EvaluationOptions,
  type QueryEvaluation,
} from './evaluation.js';

/** Records I/O: JSON, NDJSON and CSV in (bounded, incremental), CSV out (docs/FORMAT.md). */
export { RECORD_COLUMNS, PERSONAL_PREFIX, type Column, type ColumnType, type RecordKind, type RecordOfKind } from './io/columns.js';
export { writeCsv, escapeCsvCell, unescapeCsvCell, isFormulaLike, type CsvCell, type CsvWriteOptions } from './io/csv.js';
export {
  detectFormat,
  jsonDepthExceeds,
  MAX_JSON_DEPTH,
  parseRecordsText,
  parseRecordsAsync,
  readRecordsText,
  readRecordsAsync,
  csvRowToRecord,
  type RecordFormat,
  type ReadOptions,
  type ParsedRecords,
} from './io/read.js';
export { recordsToCsv, type RecordsCsvOptions } from './io/write.js';
export { parseBeir, readBeir, beirPaths, type BeirSet, type BeirFiles } from './io/beir.js';

/** Results: matches as JSON entries, CSV rows or text chunks, the same shape everywhere. */
export {
  resultMatch,
  resultEntry,
  evidenceCells,
  resultCsvHeader,
  resultCsvRows,
  resultColumns,
  resultRows,
  formatResults,
  type RankDirection,
  type ResultMatch,
  type ResultSet,
  type ResultColumn,
  type ResultRow,
  type ResultTableOptions,
  type EvidenceLabels,
  type RecordNames,
  type ResultFormat,
  type ResultOutputOptions,
} from './results/results.js';
/** Events: meeting programmes scheduled from the rankings, agendas, calendars and CSV. */
export {
  eventSchema,
  validateEvent,
  eventDirectory,
  REQUEST_STATUSES,
  type Event,
  type EventInput,
  type EventSlot,
  type EventCompany,
  type EventOrganization,
  type EventRequest,
  type EventPin,
  type EventForbid,
  type EventDirectory,
} from './events/schema.js';
export {
  scheduleEvent,
  validatePreviousProgramme,
  previousProgrammeSchema,
  LP_MAX_CANDIDATES,
  type ScheduleOptions,
  type ScheduleMethod,
  type ScheduleProgress,
  type Programme,
  type ProgrammeChanges,
  type Meeting,
  type PreviousMeeting,
  type UnscheduledRequest,
  type UnscheduledPin,
} from './events/scheduler.js';
export { findConflicts, type MeetingPlacement } from './events/conflicts.js';
export {
  buildAgendas,
  explanationLine,
  AGENDA_LANGUAGES,
  type Agenda,
  type AgendaMeeting,
  type AgendaLabels,
  type AgendaLanguage,
} from './events/agenda.js';
export { agendaCalendar, type CalendarOptions } from './events/calendar.js';
export { programmeCsv } from './events/csv.js';

/** Duplicate companies: the same organisation number, or name and text close (sv/en/zh). */
export {
  findDuplicates,
  createDuplicateIndex,
  createMatcherWithDuplicates,
  duplicateSeed,
  normalizeOrgNumber,
  DEFAULT_DUPLICATE_THRESHOLD,
  type DuplicateIndex,
  type DuplicateOptions,
  type DuplicateWarning,
  type CheckedMatcher,
  type DuplicateSeed,
  type SeedCompany,
} from './duplicates/duplicates.js';
export { openDuplicateThread, type DuplicateThread } from './duplicates/thread.js';

/** Reproducible runs: what a run depended on, and what differs between two runs. */
export {
  createManifest,
  createManifestAsync,
  MANIFEST_SLICE_MS,
  compareManifest,
  canonicalJson,
  MANIFEST_FORMAT,
  type RunManifest,
  type CreateManifestInput,
  type InputDigest,
  type ManifestComparison,
  type ManifestDifference,
} from './manifest/manifest.js';
