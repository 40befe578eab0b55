import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { z } from 'zod';
import { ApiError } from '../errors.js';
import type { RouteDeps } from '../routing.js';
import { MatchQuerySchema } from '../schemas.js';
import type { View } from './layout.js';
import { csrfMatches, type Session, type SessionStore } from './session.js';

/** What the web routes use: the API's dependencies plus the browser sessions. */
export interface WebDeps extends RouteDeps {
  readonly sessions: SessionStore;
}

export interface WebVariables {
  view: View;
  /** The signed-in session, if any. */
  session: Session | undefined;
  /** The browser reached the service over HTTPS: cookies are `Secure`. */
  secure: boolean;
  /** Set by hono's language detector. */
  language: string;
}

export type WebEnv = { Variables: WebVariables };
export type WebContext = Context<WebEnv>;

/** Answers a page (a JSX element) as HTML. */
export async function render(c: WebContext, page: unknown, status: ContentfulStatusCode = 200): Promise<Response> {
  return c.html(`<!doctype html>${String(await page)}`, status);
}

/** A submitted form's text fields (files are left out); 400 for a body that cannot be read as a form. */
export async function parseForm(c: WebContext): Promise<Record<string, string | string[]>> {
  let body: Awaited<ReturnType<typeof c.req.parseBody>>;
  try {
    body = await c.req.parseBody({ all: true });
  } catch (error) {
    throw new ApiError('BAD_REQUEST', 'the form could not be read', { cause: error });
  }
  // No prototype: a field named `__proto__` or `constructor` is just a field.
  const strings: Record<string, string | string[]> = Object.create(null) as Record<string, string | string[]>;
  for (const [name, value] of Object.entries(body)) {
    if (typeof value === 'string') strings[name] = value;
    else if (Array.isArray(value)) strings[name] = value.filter((item): item is string => typeof item === 'string');
  }
  return strings;
}

/**
 * The fields of a submitted form, after checking its `_csrf` token against the session's.
 * A missing or wrong token is a 403 (the same as a form from another origin); a body that is
 * not a form is a 400.
 */
export async function readForm(c: WebContext): Promise<Record<string, string | string[]>> {
  const strings = await parseForm(c);
  if (!csrfMatches(c.get('session'), strings['_csrf'])) {
    throw new HTTPException(403, { message: 'the form does not carry this session’s CSRF token' });
  }
  return strings;
}

/** The first value of a form field, or '' when it is absent. */
export function field(form: Record<string, string | string[]>, name: string): string {
  const value = Object.hasOwn(form, name) ? form[name] : undefined;
  return (Array.isArray(value) ? value[0] : value) ?? '';
}

/** The signed-in session (the pages behind sign-in only run with one). */
export function sessionOf(c: WebContext): Session {
  const session = c.get('session');
  if (session === undefined) throw new ApiError('UNAUTHORIZED', 'sign in first');
  return session;
}

/** Only coordinators get past this (readers see a 403 page). */
export function requireCoordinator(c: WebContext): void {
  if (c.get('view').role !== 'coordinator') throw new ApiError('FORBIDDEN', 'this needs the coordinator role');
}

/** A path inside the web interface to go back to, never anywhere else (no open redirect). */
export function safeBack(value: string | undefined, fallback = '/ui/needs'): string {
  return value !== undefined && /^\/ui(\/[^\\\s]*)?(\?[^\\\s]*)?$/.test(value) && !value.startsWith('//') ? value : fallback;
}

/**
 * A query parameter read with the API route's zod schema for it, so a page accepts exactly
 * what the API does; undefined when it is absent or invalid (a page ignores a bad filter
 * rather than failing).
 */
export function queryParam<S extends z.ZodType>(c: WebContext, name: string, schema: S): z.output<S> | undefined {
  const raw = c.req.query(name);
  if (raw === undefined) return undefined;
  const result = schema.safeParse(raw);
  return result.success ? result.data : undefined;
}

/** The `limit` query parameter, checked as the API's matches routes check it (1–100), else `fallback`. */
export function limitParam(c: WebContext, fallback: number): number {
  return queryParam(c, 'limit', MatchQuerySchema.shape.limit) ?? fallback;
}
