import { OpenAPIHono } from '@hono/zod-openapi';
import { secureHeaders } from 'hono/secure-headers';
import { routePath } from 'hono/route';
import { pino, type Logger } from 'pino';
import type { KeyRing } from './auth.js';
import type { Catalog } from './catalog.js';
import { ApiError, problemResponse, requestIdOf, requestValidationError, toApiError } from './errors.js';
import { batchQueue, type BatchRow } from './batch.js';
import type { JobQueue } from './jobs.js';
import { Metrics } from './metrics.js';
import { registerDecisionRoutes } from './routes/decisions.js';
import { registerDuplicateRoutes } from './routes/duplicates.js';
import { registerFollowupRoutes } from './routes/followup.js';
import { registerSubscriptionRoutes } from './routes/subscriptions.js';
import { registerGlossRoutes } from './routes/gloss.js';
import { registerMetaRoutes } from './routes/meta.js';
import { registerMatchingRoutes } from './routes/matching.js';
import { registerRecordRoutes } from './routes/records.js';
import { registerReportRoutes } from './routes/report.js';
import { registerMaintenanceRoutes } from './routes/maintenance.js';
import { registerEventRoutes } from './routes/events.js';
import { discardBody, hasUnreadBody, setHeaders, type App, type AppEnv, type RouteDeps } from './routing.js';
import { registerWebRoutes } from './web/app.js';
import { DEFAULT_BODY_LIMIT, DEFAULT_IMPORT_LIMIT } from './limits.js';
import type { SessionStore } from './web/session.js';

export interface CreateAppOptions {
  /** The records, decisions, index and cache (see {@link Catalog}). */
  readonly catalog: Catalog;
  /** The accepted API keys. */
  readonly keys: KeyRing;
  /** Batch jobs; a new queue by default. */
  readonly jobs?: JobQueue<BatchRow>;
  /** Request metrics; a new registry by default. */
  readonly metrics?: Metrics;
  /** Body-size limits in bytes. Defaults to {@link DEFAULT_BODY_LIMIT} and {@link DEFAULT_IMPORT_LIMIT}. */
  readonly limits?: { readonly body?: number; readonly import?: number };
  /** Browser sessions of the web interface; a new in-memory store by default. */
  readonly sessions?: SessionStore;
  /**
   * Trust `X-Forwarded-Proto` from a reverse proxy in front (`PARTNERMATCH_TRUST_PROXY`): then
   * `https` there marks the web's cookies `Secure`. Off by default: only an https request URL does.
   */
  readonly trustProxy?: boolean;
  /** True while the server shuts down (then `/health` answers 503). */
  readonly draining?: () => boolean;
  /** Told about unexpected errors (answered as 500 without details). Defaults to logging them. */
  readonly onInternalError?: (error: unknown, requestId?: string) => void;
  /** Where the per-request log lines go (pino); silent by default. */
  readonly logger?: Logger;
}

/**
 * Builds the HTTP app: every route, its OpenAPI document, metrics and the one place
 * (`onError`, through `toApiError`) where errors become `application/problem+json`. Serving
 * it is `server.ts`'s job.
 *
 * Middleware order: (1) the request id, metrics, the log line and, for a body left unread,
 * reading it (up to the JSON limit) or else `Connection: close`, around everything, so every
 * answer is counted and logged; (2) security
 * headers; (3) the web interface under `/ui` (its own session, CSRF and language middleware);
 * (4) per API route, from `guard()`: `no-store`, the key and role check, then the body limit,
 * all before the body is parsed; (5) zod validation of params, query and body (`defaultHook`
 * turns failures into 400s naming each field). Domain code throws `PartnermatchError`s.
 */
export function createApp(options: CreateAppOptions): App {
  const metrics = options.metrics ?? new Metrics();
  const logger = options.logger ?? pino({ level: 'silent' });
  const onInternalError =
    options.onInternalError ?? ((error: unknown, requestId?: string) => logger.error({ reqId: requestId, err: error }, 'internal error'));
  const deps: RouteDeps = {
    catalog: options.catalog,
    keys: options.keys,
    jobs: options.jobs ?? batchQueue({ onError: (error) => onInternalError(error) }),
    limits: { body: options.limits?.body ?? DEFAULT_BODY_LIMIT, import: options.limits?.import ?? DEFAULT_IMPORT_LIMIT },
  };

  const app: App = new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) throw requestValidationError(result.target, result.error.issues, (result as { data?: unknown }).data);
    },
  });

  app.use('*', async (c, next) => {
    const start = process.hrtime.bigint();
    const requestId = requestIdOf(c.req.header('x-request-id'));
    c.set('requestId', requestId);
    await next();
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    const route = c.res.status === 404 && routePath(c, -1) === '/*' ? 'unmatched' : routePath(c, -1);
    const headers: Record<string, string> = { 'X-Request-Id': requestId };
    // Answered without reading the body (401, 403, 415, …). A body up to the JSON limit is read
    // and thrown away first, so a client still sending it gets the answer and not a closed
    // connection; a longer one (or one that failed) would be read as the next request on this
    // connection, so the connection ends with this answer.
    if (hasUnreadBody(c.req.raw) && !(await discardBody(c.req.raw, deps.limits.body))) headers['Connection'] = 'close';
    setHeaders(c, headers);
    metrics.observe(c.req.method, route, c.res.status, seconds);
    // One line per request: never the path's query, a header or a body (keys, contact details).
    logger.info({ reqId: requestId, method: c.req.method, route, status: c.res.status, ms: Math.round(seconds * 1e4) / 10 }, 'request');
  });
  app.use('*', secureHeaders({ crossOriginResourcePolicy: false }));

  // The web interface first: browsers asking for `/` are sent to it before the JSON index answers.
  registerWebRoutes(app, deps, {
    onInternalError,
    trustProxy: options.trustProxy ?? false,
    ...(options.sessions === undefined ? {} : { sessions: options.sessions }),
  });
  registerMetaRoutes(app, deps, metrics, options.draining ?? (() => false));
  registerRecordRoutes(app, deps);
  registerDuplicateRoutes(app, deps);
  registerMatchingRoutes(app, deps);
  registerFollowupRoutes(app, deps);
  registerDecisionRoutes(app, deps);
  registerSubscriptionRoutes(app, deps);
  registerGlossRoutes(app, deps);
  registerReportRoutes(app, deps);
  registerMaintenanceRoutes(app, deps);
  registerEventRoutes(app, deps, { onError: (error) => onInternalError(error) });

  app.notFound((c) => problemResponse(new ApiError('NOT_FOUND', `no route for ${c.req.method} ${c.req.path}`), c.req.path, c.get('requestId')));
  app.onError((error, c) => {
    const apiError = toApiError(error);
    if (apiError.code === 'INTERNAL') onInternalError(error, c.get('requestId'));
    return problemResponse(apiError, c.req.path, c.get('requestId'));
  });
  return app;
}
