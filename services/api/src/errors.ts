import { formatPath, PartnermatchError, type PartnermatchErrorCode, type ValidationIssue } from '@partnermatch/core';
import { randomUUID } from 'node:crypto';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { z } from 'zod';

/** Every failure the service answers on purpose carries one of these codes. */
export type ApiErrorCode =
  | 'VALIDATION_FAILED'
  | 'BAD_REQUEST'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'TOO_MANY_REQUESTS'
  | 'REQUEST_TIMEOUT'
  | 'HEADERS_TOO_LARGE'
  | 'SERVICE_UNAVAILABLE'
  | 'INTERNAL';

const STATUS: Readonly<Record<ApiErrorCode, { status: ContentfulStatusCode; title: string }>> = {
  VALIDATION_FAILED: { status: 400, title: 'Bad Request' },
  BAD_REQUEST: { status: 400, title: 'Bad Request' },
  UNAUTHORIZED: { status: 401, title: 'Unauthorized' },
  FORBIDDEN: { status: 403, title: 'Forbidden' },
  NOT_FOUND: { status: 404, title: 'Not Found' },
  CONFLICT: { status: 409, title: 'Conflict' },
  PAYLOAD_TOO_LARGE: { status: 413, title: 'Content Too Large' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, title: 'Unsupported Media Type' },
  TOO_MANY_REQUESTS: { status: 429, title: 'Too Many Requests' },
  REQUEST_TIMEOUT: { status: 408, title: 'Request Timeout' },
  HEADERS_TOO_LARGE: { status: 431, title: 'Request Header Fields Too Large' },
  SERVICE_UNAVAILABLE: { status: 503, title: 'Service Unavailable' },
  INTERNAL: { status: 500, title: 'Internal Server Error' },
};

const CODE_BY_STATUS = new Map<number, ApiErrorCode>(
  (Object.entries(STATUS) as [ApiErrorCode, { status: number }][])
    .filter(([code]) => code !== 'VALIDATION_FAILED')
    .map(([code, { status }]) => [status, code]),
);

/**
 * An error with its HTTP meaning. Thrown by the HTTP layer itself (auth, body limits, route
 * checks); domain modules throw `PartnermatchError` instead, which {@link toApiError} maps.
 */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly code: ApiErrorCode;
  /** Every problem found, each naming its field path (`body.sectors[0]`, `records[3].name`). */
  readonly issues: readonly ValidationIssue[];
  readonly headers: Readonly<Record<string, string>>;

  constructor(
    code: ApiErrorCode,
    message: string,
    options: { cause?: unknown; issues?: readonly ValidationIssue[]; headers?: Record<string, string> } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.issues = options.issues ?? [];
    this.headers = options.headers ?? {};
  }

  get status(): ContentfulStatusCode {
    return STATUS[this.code].status;
  }
}

/** An RFC 9457 problem details object, with `code` and `errors` as extension members. */
export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly instance: string;
  readonly code: ApiErrorCode;
  readonly errors?: readonly ValidationIssue[];
  /** The request's id, as in its `X-Request-Id` answer header and log line. */
  readonly requestId?: string;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** What hono's validator says of a JSON body it could not parse. */
const MALFORMED_JSON = /^Malformed JSON in request body/;

/**
 * The HTTP side of each semantic error code the domain (and the core) throws: domain modules
 * never pick a status, this table does. A code added to `PartnermatchErrorCode` fails to
 * compile here until it is given one.
 */
const API_CODE_OF: Readonly<Record<PartnermatchErrorCode, ApiErrorCode>> = {
  INVALID_INPUT: 'VALIDATION_FAILED',
  INVALID_OPTIONS: 'BAD_REQUEST',
  NOT_FOUND: 'NOT_FOUND',
  DUPLICATE_ID: 'CONFLICT',
  IN_USE: 'CONFLICT',
};

/**
 * Maps any thrown value to an {@link ApiError}: the one place where errors get an HTTP status
 * (`app.onError` and the web pages' error handler both call it). Domain errors
 * ({@link PartnermatchError}) keep their message and issues; unexpected errors become a bare INTERNAL one.
 */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof PartnermatchError) {
    return new ApiError(API_CODE_OF[error.code], error.message, { issues: error.issues, cause: error });
  }
  if (error instanceof HTTPException) {
    const code = CODE_BY_STATUS.get(error.status) ?? (error.status < 500 ? 'BAD_REQUEST' : 'INTERNAL');
    const message =
      code === 'PAYLOAD_TOO_LARGE'
        ? 'the request body is larger than this endpoint accepts'
        : code === 'UNSUPPORTED_MEDIA_TYPE'
          ? 'send the body as JSON (Content-Type: application/json)'
          : error.message || STATUS[code].title;
    // A body hono's validator could not parse is a problem of the body as a whole.
    if (MALFORMED_JSON.test(message)) {
      return new ApiError('BAD_REQUEST', 'the request body is not valid JSON', { cause: error, issues: [{ path: 'body', message: 'is not valid JSON' }] });
    }
    return new ApiError(code, message, { cause: error });
  }
  return new ApiError('INTERNAL', 'the server could not complete the request', { cause: error });
}

export function toProblem(error: ApiError, instance: string, requestId?: string): Problem {
  const { status, title } = STATUS[error.code];
  return {
    type: 'about:blank',
    title,
    status,
    detail: error.message,
    instance,
    code: error.code,
    ...(error.issues.length > 0 ? { errors: error.issues } : {}),
    ...(requestId === undefined ? {} : { requestId }),
  };
}

/**
 * The problem as JSON text. Safe for any text in it: a lone surrogate (from an id that could
 * not be used) is written as its `\u` escape, never as invalid UTF-8.
 */
export function problemJson(error: ApiError, instance: string, requestId?: string): string {
  return JSON.stringify(toProblem(error, instance, requestId));
}

export function problemResponse(error: ApiError, instance: string, requestId?: string): Response {
  return new Response(problemJson(error, instance, requestId), {
    status: error.status,
    headers: { 'content-type': PROBLEM_CONTENT_TYPE, ...(requestId === undefined ? {} : { 'X-Request-Id': requestId }), ...error.headers },
  });
}

/** A request id a client sent (`X-Request-Id`, kept when it is short and plain), else a new random one. */
export function requestIdOf(sent: string | undefined): string {
  return sent !== undefined && /^[\w.:-]{1,64}$/.test(sent) ? sent : randomUUID();
}

/** `a string`, `an object`: the noun with its article. */
function withArticle(noun: string): string {
  return /^[aeiou]/i.test(noun) ? `an ${noun}` : `a ${noun}`;
}

/** Where a request value came from, as its issues name it. */
const LOCATION: Readonly<Record<string, string>> = { json: 'body', query: 'query', param: 'path', header: 'header' };

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let current = input;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

function describe(issue: z.core.$ZodIssue, input: unknown): string {
  if (issue.code === 'invalid_type') {
    if (valueAt(input, issue.path) === undefined) return 'is required';
    return `must be ${issue.expected === 'array' ? 'a list' : withArticle(issue.expected)}`;
  }
  if (issue.code === 'unrecognized_keys') return `unknown field(s) ${issue.keys.join(', ')}`;
  return issue.message;
}

/** A 400 naming every field path of a failed zod validation of part of the request. */
export function requestValidationError(target: string, issues: readonly z.core.$ZodIssue[], input: unknown): ApiError {
  const prefix = LOCATION[target] ?? target;
  return new ApiError('VALIDATION_FAILED', `the request ${prefix} is invalid: ${issues.length} problem(s)`, {
    issues: issues.map((issue) => ({ path: formatPath(prefix, issue.path), message: describe(issue, input) })),
  });
}
