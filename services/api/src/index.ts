/** The app: build it (route tests call `app.request()`), then serve it. */
export { createApp, type CreateAppOptions } from './app.js';
export { DEFAULT_BODY_LIMIT, DEFAULT_IMPORT_LIMIT } from './limits.js';
export type { App } from './routing.js';
export { startServer, DATABASE_FILE, type RunningServer, type StartOptions } from './server.js';

/** Configuration from environment variables. */
export { loadConfig, DEFAULT_PORT, type ServiceConfig } from './config.js';

/** Storage and the domain: records + index, decisions, rankings with their cache (wired by Catalog). */
export { Store, DECISION_STATUSES, type Decision, type DecisionStatus, type RecordKind } from './store.js';
export {
  Catalog,
  Records,
  Decisions,
  Rankings,
  type CatalogOptions,
  type ListFilter,
  type MatchQuery,
  type ImportMode,
  type ImportPart,
  type ImportResult,
} from './catalog.js';

/** Batch jobs and request metrics (createApp makes its own unless given). */
export { JobQueue, type JobQueueOptions, type JobSnapshot, type JobStatus } from './jobs.js';
export { Metrics } from './metrics.js';
export { batchQueue, type BatchRow } from './batch.js';

/** API keys and roles. */
export { KeyRing, generateKey, hashKey, parseKeyList, ROLES, type Role, type KeySpec, type KeyIdentity } from './auth.js';

/** Browser sessions of the web interface (createApp makes its own unless given). */
export { SessionStore, type SessionStoreOptions } from './web/session.js';

/** Errors as RFC 9457 problem details. */
export { ApiError, toApiError, type ApiErrorCode, type Problem } from './errors.js';

/** The programme report: aggregation over needs, companies, shown matches and stage changes; SVG charts. */
export * from './report/index.js';
