import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { MiddlewareHandler } from 'hono';
import { ApiError } from './errors.js';

/** `reader`: needs, anonymised company profiles and matches. `coordinator`: also writes, decisions and contact details. */
export type Role = 'reader' | 'coordinator';
export const ROLES: readonly Role[] = ['reader', 'coordinator'];

const RANK: Readonly<Record<Role, number>> = { reader: 0, coordinator: 1 };

/** Shortest key accepted from configuration; generated keys are 43 characters. */
export const MIN_KEY_LENGTH = 16;

/** A key as configuration names it, in plain text (never stored or logged by the service). */
export interface KeySpec {
  readonly key: string;
  readonly role: Role;
}

/** A key as the service holds it: only its SHA-256. */
export interface KeyEntry {
  readonly sha256: Buffer;
  readonly role: Role;
}

export function hashKey(key: string): Buffer {
  return createHash('sha256').update(key, 'utf8').digest();
}

/** A new random coordinator-grade key, `pm_` + 32 random bytes in base64url. */
export function generateKey(): string {
  return `pm_${randomBytes(32).toString('base64url')}`;
}

function parseRole(value: string, where: string): Role {
  if (value === 'reader' || value === 'coordinator') return value;
  throw new Error(`${where}: unknown role ${JSON.stringify(value)} (expected reader or coordinator)`);
}

function checkKey(key: string, where: string): string {
  if (key.length < MIN_KEY_LENGTH) throw new Error(`${where}: a key must be at least ${MIN_KEY_LENGTH} characters`);
  return key;
}

/** Parses `key:role,key:role` (a key may itself contain `:`; the role is after the last one). */
export function parseKeyList(text: string, where = 'PARTNERMATCH_API_KEYS'): KeySpec[] {
  return text
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '')
    .map((item, i) => {
      const colon = item.lastIndexOf(':');
      if (colon <= 0) throw new Error(`${where}: entry ${i + 1} must be written key:role`);
      return { key: checkKey(item.slice(0, colon), `${where}: entry ${i + 1}`), role: parseRole(item.slice(colon + 1), where) };
    });
}

/**
 * The keys file (`api-keys.json` in DATA_DIR): `{ "keys": [ … ] }`, each entry
 * `{ "role": "reader", "sha256": "<hex>" }` or, for hand-written files, `{ "role": "reader", "key": "<plain>" }`.
 */
interface KeyFileEntry {
  readonly role: string;
  readonly sha256?: string;
  readonly key?: string;
  readonly name?: string;
  readonly createdAt?: string;
}

export function readKeyFile(path: string): KeyEntry[] {
  if (!existsSync(path)) return [];
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`${path}: not valid JSON (${(error as Error).message})`, { cause: error });
  }
  const list = (data as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(list)) throw new Error(`${path}: expected { "keys": [ … ] }`);
  return list.map((raw: KeyFileEntry, i) => {
    const where = `${path}: keys[${i}]`;
    const role = parseRole(String(raw?.role), where);
    if (typeof raw.sha256 === 'string' && /^[0-9a-f]{64}$/i.test(raw.sha256)) {
      return { role, sha256: Buffer.from(raw.sha256, 'hex') };
    }
    if (typeof raw.key === 'string') return { role, sha256: hashKey(checkKey(raw.key, where)) };
    throw new Error(`${where}: needs "sha256" (64 hex digits) or "key"`);
  });
}

/** Adds a hashed key to the keys file (created with mode 0600), through a rename. */
export function appendHashedKey(path: string, key: string, role: Role, name: string): void {
  const existing = existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as { keys: KeyFileEntry[] }).keys : [];
  const entry: KeyFileEntry = { name, role, sha256: hashKey(key).toString('hex'), createdAt: new Date().toISOString() };
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify({ keys: [...existing, entry] }, null, 2)}\n`, { mode: 0o600 });
  renameSync(temp, path);
}

/** Who a known key is: its role, and an id that stands for the key in memory (its SHA-256; never shown). */
export interface KeyIdentity {
  readonly role: Role;
  readonly keyId: string;
}

/** The highest role of each key id among the entries. */
function rolesById(entries: readonly KeyEntry[]): Map<string, Role> {
  const roles = new Map<string, Role>();
  for (const entry of entries) {
    const id = entry.sha256.toString('base64url');
    const current = roles.get(id);
    if (current === undefined || RANK[entry.role] > RANK[current]) roles.set(id, entry.role);
  }
  return roles;
}

/**
 * The accepted keys. Lookups hash the presented key and compare it with every stored hash in
 * constant time. The set can be replaced while serving ({@link KeyRing.replace}, when the keys
 * file changes): a key removed stops working with the next request, its web sessions too
 * (they ask {@link KeyRing.roleOf} on every request).
 */
export class KeyRing {
  #entries: readonly KeyEntry[];
  #roles: ReadonlyMap<string, Role>;

  constructor(entries: readonly KeyEntry[]) {
    this.#entries = entries;
    this.#roles = rolesById(entries);
  }

  /** Accepts exactly these keys from now on. */
  replace(entries: readonly KeyEntry[]): void {
    this.#entries = entries;
    this.#roles = rolesById(entries);
  }

  /** The role a key id (see {@link KeyIdentity.keyId}) grants now, or undefined once the key was removed. */
  roleOf(keyId: string): Role | undefined {
    return this.#roles.get(keyId);
  }

  /** The keys given in plain text (hashed here), and any already hashed (from the keys file). */
  static fromSpecs(specs: readonly KeySpec[], hashed: readonly KeyEntry[] = []): KeyRing {
    return new KeyRing([...specs.map(({ key, role }) => ({ role, sha256: hashKey(key) })), ...hashed]);
  }

  get size(): number {
    return this.#entries.length;
  }

  /** The hashed keys held now. */
  get entries(): readonly KeyEntry[] {
    return this.#entries;
  }

  /** The highest role the key grants, or undefined for an unknown key. */
  authenticate(key: string): Role | undefined {
    return this.identify(key)?.role;
  }

  /**
   * The highest role the key grants and an opaque id of the key (the same for every request
   * with it; per-key limits count by it), or undefined for an unknown key.
   */
  identify(key: string): KeyIdentity | undefined {
    const presented = hashKey(key);
    let role: Role | undefined;
    for (const entry of this.#entries) {
      // No early exit: every entry is compared, so timing does not tell which one matched.
      if (timingSafeEqual(presented, entry.sha256) && (role === undefined || RANK[entry.role] > RANK[role])) {
        role = entry.role;
      }
    }
    return role === undefined ? undefined : { role, keyId: presented.toString('base64url') };
  }
}

/** The key from `Authorization: Bearer KEY` or `X-API-Key: KEY`. */
export function presentedKey(headers: { get(name: string): string | null }): string | undefined {
  const authorization = headers.get('authorization');
  if (authorization !== null) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (match?.[1] !== undefined) return match[1];
  }
  const apiKey = headers.get('x-api-key')?.trim();
  return apiKey === undefined || apiKey === '' ? undefined : apiKey;
}

export interface AuthVariables {
  role: Role;
  /** See {@link KeyIdentity.keyId}. */
  keyId: string;
}

const CHALLENGE = { 'WWW-Authenticate': 'Bearer realm="partnermatch"' };

/** Lets the request through when its key grants at least `role`: 401 without a known key, 403 with too weak a one. */
export function requireRole<E extends { Variables: AuthVariables } = { Variables: AuthVariables }>(keys: KeyRing, role: Role): MiddlewareHandler<E> {
  return async (c, next) => {
    const key = presentedKey(c.req.raw.headers);
    if (key === undefined) {
      throw new ApiError('UNAUTHORIZED', 'send an API key as "Authorization: Bearer KEY" or "X-API-Key: KEY"', {
        headers: CHALLENGE,
      });
    }
    const identity = keys.identify(key);
    if (identity === undefined) throw new ApiError('UNAUTHORIZED', 'the API key is not valid', { headers: CHALLENGE });
    if (RANK[identity.role] < RANK[role]) throw new ApiError('FORBIDDEN', `this needs the ${role} role`);
    c.set('role', identity.role);
    c.set('keyId', identity.keyId);
    await next();
  };
}
