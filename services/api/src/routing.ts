import { z, type OpenAPIHono } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { requireRole, type AuthVariables, type KeyRing, type Role } from './auth.js';
import type { Catalog } from './catalog.js';
import { ApiError, PROBLEM_CONTENT_TYPE } from './errors.js';
import { DEFAULT_MAX_PENDING, DEFAULT_MAX_PENDING_PER_OWNER, type JobQueue } from './jobs.js';
import { ProblemSchema } from './schemas.js';
import type { BatchRow } from './batch.js';

export type AppEnv = { Variables: AuthVariables & { requestId: string } };
export type App = OpenAPIHono<AppEnv>;

/** Everything the routes use. */
export interface RouteDeps {
  readonly catalog: Catalog;
  readonly keys: KeyRing;
  readonly jobs: JobQueue<BatchRow>;
  readonly limits: { readonly body: number; readonly import: number };
}

/** True when the request came with a body that nobody read. */
export function hasUnreadBody(request: Request): boolean {
  const length = request.headers.get('content-length');
  const sent = (length !== null && length !== '0') || request.headers.has('transfer-encoding');
  return sent && !request.bodyUsed;
}

/** Sets headers on the answer (copying it first when its headers are immutable). */
export function setHeaders(c: Context, headers: Readonly<Record<string, string>>): void {
  try {
    for (const [name, value] of Object.entries(headers)) c.res.headers.set(name, value);
  } catch {
    const copy = new Response(c.res.body, c.res);
    for (const [name, value] of Object.entries(headers)) copy.headers.set(name, value);
    c.res = copy;
  }
}

/** Most bytes of an over-limit body read and thrown away before answering 413. */
const MAX_DISCARDED_BYTES = 64 * 1024 * 1024;

/**
 * Reads and throws away the rest of a request's body, up to `cap` bytes: a client still
 * uploading when the answer comes would otherwise meet a closed connection (a reset or
 * EPIPE) instead of the answer. True when the whole body was read.
 */
export async function discardBody(request: Request, cap: number): Promise<boolean> {
  try {
    const reader = request.body?.getReader();
    let discarded = 0;
    while (reader !== undefined && discarded <= cap) {
      const { done, value } = await reader.read();
      if (done) return true;
      discarded += value.byteLength;
    }
    await reader?.cancel();
    return reader === undefined;
  } catch {
    // The body was already being read (a chunked upload) or the client went away: nothing to discard.
    return false;
  }
}

/** Answers 413, after reading and discarding the rest of the body (up to a cap). */
async function tooLarge(c: Context): Promise<never> {
  await discardBody(c.req.raw, MAX_DISCARDED_BYTES);
  throw new ApiError('PAYLOAD_TOO_LARGE', 'the request body is larger than this endpoint accepts', {
    headers: { Connection: 'close' },
  });
}

/**
 * Deepest nesting of arrays and objects a JSON body may have. A record is at most 3 levels
 * deep; the bound keeps every recursive walk of a body (zod, the merge patch, serialising it
 * again) far from the stack's limit.
 */
export const MAX_JSON_DEPTH = 64;

/** True when the text nests arrays and objects deeper than `max` (a scan, no parse, no recursion). */
export function nestedDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text.charCodeAt(i);
    if (inString) {
      if (ch === 0x5c) i += 1; // a backslash escapes the next character
      else if (ch === 0x22) inString = false;
    } else if (ch === 0x22) inString = true;
    else if (ch === 0x7b || ch === 0x5b) {
      depth += 1;
      if (depth > max) return true;
    } else if (ch === 0x7d || ch === 0x5d) depth -= 1;
  }
  return false;
}

/** JSON media types: `application/json` and every `+json` suffix (merge patch). */
const JSON_MEDIA_TYPE = /^application\/(?:[\w.-]+\+)?json\s*(?:;|$)/i;

/**
 * Refuses a JSON body nested deeper than {@link MAX_JSON_DEPTH} with a 400, before anything
 * parses or walks it. The text read here is kept by hono, so the validator does not read it again.
 */
const boundedJsonDepth: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (JSON_MEDIA_TYPE.test(c.req.header('content-type') ?? '') && nestedDeeperThan(await c.req.text(), MAX_JSON_DEPTH)) {
    throw new ApiError('BAD_REQUEST', `the request body nests arrays and objects more than ${MAX_JSON_DEPTH} levels deep`, {
      issues: [{ path: 'body', message: `is nested more than ${MAX_JSON_DEPTH} levels deep` }],
    });
  }
  await next();
};

/**
 * `Cache-Control: no-store` on the answer: every keyed answer may carry what only its caller
 * may see (contact details, decisions), so no cache on the way keeps it.
 */
const noStore: MiddlewareHandler<AppEnv> = async (c, next) => {
  await next();
  c.res.headers.set('Cache-Control', 'no-store');
};

/**
 * Skips `handler` for GET and HEAD, which carry no body: hono's body limit asks for the body,
 * and @hono/node-server then builds a whole fetch `Request` for it (headers copied, an abort
 * signal), which was 3 % of an uncached ranked request.
 */
function bodyless(handler: MiddlewareHandler<AppEnv>): MiddlewareHandler<AppEnv> {
  return (c, next) => (c.req.method === 'GET' || c.req.method === 'HEAD' ? next() : handler(c, next));
}

/**
 * The route-level middleware (key check first, then the body-size limit and the JSON nesting
 * bound, all before any body is parsed; every answer marked `no-store`) and the OpenAPI security requirement of a route.
 */
export function guard(
  deps: RouteDeps,
  access: Role,
  limit: number = deps.limits.body,
): { middleware: MiddlewareHandler<AppEnv>[]; security: Record<string, string[]>[] } {
  return {
    middleware: [
      noStore,
      requireRole(deps.keys, access),
      bodyless(bodyLimit({ maxSize: limit, onError: tooLarge })),
      // Imports are parsed by the records reader, which bounds nesting itself, as a stream.
      ...(limit === deps.limits.import ? [] : [boundedJsonDepth]),
    ],
    security: [{ bearerAuth: [] }, { apiKeyHeader: [] }],
  };
}

/** The OpenAPI security requirement of a route anyone may call without a key. */
export const publicRoute = { security: [] as Record<string, string[]>[] };

const PROBLEM_DESCRIPTIONS: Readonly<Record<number, string>> = {
  400: 'Invalid input: every problem, each naming its field path',
  401: 'No API key, or an unknown one',
  403: 'The key does not grant the role this needs',
  404: 'No such record',
  409: 'The id is taken (or the resource is not in a state for this)',
  413: 'The body is larger than the limit',
  415: 'The body is not in a media type this endpoint accepts',
  429: `Too many batch jobs queued or running: ${DEFAULT_MAX_PENDING} in all, ${DEFAULT_MAX_PENDING_PER_OWNER} per key. Try again after \`Retry-After\` seconds`,
};

/** The `Retry-After` header of a 429. */
const RETRY_AFTER = z.object({ 'Retry-After': z.string().openapi({ description: 'Seconds to wait before trying again', example: '5' }) });

/** OpenAPI responses for the given problem statuses. */
export function problems(...statuses: (keyof typeof PROBLEM_DESCRIPTIONS & number)[]) {
  return Object.fromEntries(
    statuses.map((status) => [
      status,
      {
        description: PROBLEM_DESCRIPTIONS[status] ?? 'Problem',
        ...(status === 429 ? { headers: RETRY_AFTER } : {}),
        content: { [PROBLEM_CONTENT_TYPE]: { schema: ProblemSchema } },
      },
    ]),
  ) as Record<number, { description: string; headers?: typeof RETRY_AFTER; content: { [PROBLEM_CONTENT_TYPE]: { schema: typeof ProblemSchema } } }>;
}
