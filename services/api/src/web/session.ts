import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { LRUCache } from 'lru-cache';
import type { Role } from '../auth.js';
import type { DecisionStatus } from '../store.js';

/** The cookie that carries the session id (never the API key). */
export const SESSION_COOKIE = 'pm_session';
/** The sign-in form's cookie: a nonce its CSRF token is signed from (no session before sign-in). */
export const SIGN_IN_COOKIE = 'pm_signin';
/** The path the sign-in cookie is sent to. */
const SIGN_IN_PATH = '/ui/sign-in';

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
 * A signed-in browser session. There is none before sign-in: the sign-in form's CSRF token
 * is checked without server state ({@link SignInTokens}), so anonymous visitors cannot push
 * signed-in sessions out of the store.
 */
export interface Session {
  readonly id: string;
  readonly role: Role;
  /** The id of the key signed in with (see `KeyRing.identify`), for per-key limits. */
  readonly keyId: string;
  /** The token every form of this session carries in its `_csrf` field. */
  readonly csrf: string;
  /** Batch runs started in this session, newest first (the batch page lists these). */
  readonly runs: string[];
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

  /** A new signed-in session with a fresh id and CSRF token. */
  create(role: Role, keyId: string): Session {
    const session: Session = { id: token(), role, keyId, csrf: token(), runs: [] };
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
  return session !== undefined && typeof presented === 'string' && safeEqual(session.csrf, presented);
}

/** How long a sign-in form stays good, in ms. */
export const SIGN_IN_TTL_MS = 2 * 60 * 60 * 1000;

/**
 * CSRF tokens for the sign-in form without server state (a signed double-submit cookie): the
 * browser gets a nonce (`<issued at, ms>.<random>`) in an HttpOnly cookie and the form carries
 * its HMAC under a random per-process secret. A POST is accepted when its token is the HMAC of
 * its cookie's nonce and the nonce is younger than {@link SIGN_IN_TTL_MS}.
 */
export class SignInTokens {
  readonly #secret = randomBytes(32);
  readonly #ttlMs: number;

  constructor(options: { readonly ttlMs?: number } = {}) {
    this.#ttlMs = options.ttlMs ?? SIGN_IN_TTL_MS;
  }

  /** `nonce` if it is well-formed and fresh enough to keep using (another tab's form stays good), else a new one. */
  nonce(current: string | undefined, now = Date.now()): string {
    return current !== undefined && this.#fresh(current, now, this.#ttlMs / 2) ? current : `${now}.${token()}`;
  }

  /** The form token of a nonce. */
  token(nonce: string): string {
    return createHmac('sha256', this.#secret).update(`sign-in\u0000${nonce}`).digest('base64url');
  }

  /** True when `presented` is the token of `nonce` (compared in constant time) and the nonce has not expired. */
  verify(nonce: string | undefined, presented: unknown, now = Date.now()): boolean {
    if (nonce === undefined || typeof presented !== 'string' || !this.#fresh(nonce, now, this.#ttlMs)) return false;
    return safeEqual(this.token(nonce), presented);
  }

  #fresh(nonce: string, now: number, maxAgeMs: number): boolean {
    const match = /^(\d{1,15})\.[\w-]{43}$/.exec(nonce);
    const issued = Number(match?.[1]);
    return match !== null && issued <= now && now - issued < maxAgeMs;
  }
}

function safeEqual(expected: string, presented: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(presented);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * True when the browser reached the service over HTTPS: the request URL is https, or — only
 * when `trustProxy` is set (a reverse proxy in front terminates TLS) — the first
 * `X-Forwarded-Proto` value is `https`.
 */
export function isHttps(c: Context, trustProxy: boolean): boolean {
  if (new URL(c.req.url).protocol === 'https:') return true;
  return trustProxy && c.req.header('x-forwarded-proto')?.split(',')[0]?.trim().toLowerCase() === 'https';
}

/** Sets the session cookie: HttpOnly, SameSite=Strict, `Secure` when `secure`, for the whole site. */
export function setSessionCookie(c: Context, session: Session, secure: boolean): void {
  setCookie(c, SESSION_COOKIE, session.id, { httpOnly: true, sameSite: 'Strict', secure, path: '/' });
}

export function clearSessionCookie(c: Context, secure: boolean): void {
  deleteCookie(c, SESSION_COOKIE, { path: '/', secure });
}

export function sessionIdOf(c: Context): string | undefined {
  return getCookie(c, SESSION_COOKIE);
}

/** Sets the sign-in form's nonce cookie (HttpOnly, SameSite=Strict, only for the sign-in path). */
export function setSignInCookie(c: Context, nonce: string, secure: boolean): void {
  setCookie(c, SIGN_IN_COOKIE, nonce, { httpOnly: true, sameSite: 'Strict', secure, path: SIGN_IN_PATH, maxAge: Math.floor(SIGN_IN_TTL_MS / 1000) });
}

export function clearSignInCookie(c: Context, secure: boolean): void {
  deleteCookie(c, SIGN_IN_COOKIE, { path: SIGN_IN_PATH, secure });
}

export function signInNonceOf(c: Context): string | undefined {
  return getCookie(c, SIGN_IN_COOKIE);
}
