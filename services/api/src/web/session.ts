import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { LRUCache } from 'lru-cache';
import type { Role } from '../auth.js';
import type { DecisionStatus } from '../store.js';

/** The cookie that carries the session id (never the API key). */
export const SESSION_COOKIE = 'pm_session';

/** A one-shot message shown on the next page a session loads. */
export type Flash =
  | { readonly kind: 'saved' }
  | {
      readonly kind: 'decision';
      readonly status: DecisionStatus | 'cleared';
      readonly needId: string;
      readonly companyId: string;
      /** The decision it replaced, which "undo" puts back. */
      readonly previous?: DecisionStatus;
    };

/**
 * A browser session. `role` is undefined before sign-in: the sign-in form has a session
 * too, so its CSRF token can be checked like every other form's.
 */
export interface Session {
  readonly id: string;
  readonly role: Role | undefined;
  /** The token every form of this session carries in its `_csrf` field. */
  readonly csrf: string;
  flash?: Flash;
}

export interface SessionStoreOptions {
  /** Most sessions kept; the least recently used go first. Defaults to 10 000. */
  readonly max?: number;
  /** Idle time after which a session ends, in ms. Defaults to 12 hours. */
  readonly idleMs?: number;
}

function token(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * Sessions in memory: a random 256-bit id maps to the role granted at sign-in. The API key
 * itself is checked once and never stored. Sessions end on sign-out, after `idleMs`
 * without use, or when the server restarts.
 */
export class SessionStore {
  readonly #sessions: LRUCache<string, Session>;

  constructor(options: SessionStoreOptions = {}) {
    this.#sessions = new LRUCache({ max: options.max ?? 10_000, ttl: options.idleMs ?? 12 * 60 * 60 * 1000, updateAgeOnGet: true });
  }

  /** A new session with a fresh id and CSRF token. */
  create(role: Role | undefined): Session {
    const session: Session = { id: token(), role, csrf: token() };
    this.#sessions.set(session.id, session);
    return session;
  }

  get(id: string | undefined): Session | undefined {
    return id === undefined ? undefined : this.#sessions.get(id);
  }

  delete(id: string): void {
    this.#sessions.delete(id);
  }

  get size(): number {
    return this.#sessions.size;
  }
}

/** True when `presented` is the session's CSRF token (compared in constant time). */
export function csrfMatches(session: Session | undefined, presented: unknown): boolean {
  if (session === undefined || typeof presented !== 'string') return false;
  const expected = Buffer.from(session.csrf);
  const given = Buffer.from(presented);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

function isHttps(c: Context): boolean {
  return new URL(c.req.url).protocol === 'https:';
}

/** Sets the session cookie: HttpOnly, SameSite=Strict, Secure over HTTPS, for the whole site. */
export function setSessionCookie(c: Context, session: Session): void {
  setCookie(c, SESSION_COOKIE, session.id, { httpOnly: true, sameSite: 'Strict', secure: isHttps(c), path: '/' });
}

export function clearSessionCookie(c: Context): void {
  deleteCookie(c, SESSION_COOKIE, { path: '/', secure: isHttps(c) });
}

export function sessionIdOf(c: Context): string | undefined {
  return getCookie(c, SESSION_COOKIE);
}
