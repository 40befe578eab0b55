import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import { PartnermatchError, type ValidationIssue } from '@partnermatch/core';
import { parseInput } from '../followup/input.js';
import { assertWebhookTarget, allowPrivateFromEnv, staticUrlProblem } from './ssrf.js';
import { DEFAULT_MIN_SCORE, SubscriptionInputSchema, type Delivery, type DeliveryAttempt, type DigestLanguage, type Subscription } from './schemas.js';

/** Who owns a subscription: the API key's name and role. */
export interface Owner {
  readonly name: string;
  readonly role: string;
}

/**
 * Creates the alert tables if they are missing: subscriptions, the webhook outbox with one
 * row per attempt, and the items waiting for the next e-mail digest.
 */
export function migrate(db: Database.Database): void {
  db.exec(`
    CREATE TABLE IF NOT EXISTS alert_subscriptions (
      id TEXT PRIMARY KEY,
      channel TEXT NOT NULL CHECK (channel IN ('webhook', 'email')),
      url TEXT,
      secret TEXT,
      email TEXT,
      language TEXT CHECK (language IN ('sv', 'en', 'zh')),
      company_id TEXT,
      sectors TEXT CHECK (sectors IS NULL OR json_valid(sectors)),
      min_score REAL,
      owner_name TEXT NOT NULL,
      owner_role TEXT NOT NULL,
      created_at TEXT NOT NULL,
      deleted_at TEXT,
      CHECK ((channel = 'webhook' AND url IS NOT NULL AND secret IS NOT NULL) OR (channel = 'email' AND email IS NOT NULL))
    );
    CREATE TABLE IF NOT EXISTS alert_deliveries (
      id TEXT PRIMARY KEY,
      subscription_id TEXT NOT NULL REFERENCES alert_subscriptions(id),
      need_id TEXT NOT NULL,
      company_id TEXT,
      score REAL,
      body TEXT NOT NULL,
      status TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'failed', 'cancelled')),
      attempts INTEGER NOT NULL DEFAULT 0,
      next_attempt_at INTEGER NOT NULL,
      expires_at INTEGER NOT NULL,
      created_at TEXT NOT NULL,
      delivered_at TEXT
    );
    CREATE INDEX IF NOT EXISTS alert_deliveries_due ON alert_deliveries(next_attempt_at) WHERE status = 'pending';
    CREATE INDEX IF NOT EXISTS alert_deliveries_by_subscription ON alert_deliveries(subscription_id, created_at);
    CREATE TABLE IF NOT EXISTS alert_attempts (
      delivery_id TEXT NOT NULL REFERENCES alert_deliveries(id),
      attempt INTEGER NOT NULL,
      started_at TEXT NOT NULL,
      finished_at TEXT,
      outcome TEXT NOT NULL CHECK (outcome IN ('in-flight', 'delivered', 'failed', 'refused', 'interrupted')),
      http_status INTEGER,
      error TEXT,
      PRIMARY KEY (delivery_id, attempt)
    );
    CREATE TABLE IF NOT EXISTS alert_digest_items (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      subscription_id TEXT NOT NULL REFERENCES alert_subscriptions(id),
      need_id TEXT NOT NULL,
      need_title TEXT NOT NULL,
      company_id TEXT,
      score REAL,
      summary TEXT NOT NULL,
      sectors TEXT CHECK (sectors IS NULL OR json_valid(sectors)),
      created_at TEXT NOT NULL,
      sent_at TEXT
    );
    CREATE INDEX IF NOT EXISTS alert_digest_items_unsent ON alert_digest_items(subscription_id) WHERE sent_at IS NULL;
  `);
}

interface SubscriptionRow {
  id: string;
  channel: 'webhook' | 'email';
  url: string | null;
  email: string | null;
  language: DigestLanguage | null;
  company_id: string | null;
  sectors: string | null;
  min_score: number | null;
  owner_name: string;
  owner_role: string;
  created_at: string;
}

const SUBSCRIPTION_COLUMNS = 'id, channel, url, email, language, company_id, sectors, min_score, owner_name, owner_role, created_at';

function toSubscription(row: SubscriptionRow): Subscription {
  return {
    id: row.id,
    channel: row.channel,
    ...(row.url === null ? {} : { url: row.url }),
    ...(row.email === null ? {} : { email: row.email }),
    ...(row.language === null ? {} : { language: row.language }),
    ...(row.company_id === null ? {} : { companyId: row.company_id }),
    ...(row.sectors === null ? {} : { sectors: JSON.parse(row.sectors) as string[] }),
    ...(row.min_score === null ? {} : { minScore: row.min_score }),
    owner: { name: row.owner_name, role: row.owner_role },
    createdAt: row.created_at,
  };
}

export interface SubscriptionStoreOptions {
  /** Let webhook URLs point to loopback and private addresses. Default: `PARTNERMATCH_WEBHOOK_ALLOW_PRIVATE=true`. */
  readonly allowPrivate?: boolean;
  readonly now?: () => Date;
}

/**
 * Subscriptions in SQLite, with every active one also held in memory (the service is one
 * process), so matching a need reads no rows. A deleted subscription is kept, marked
 * deleted, so its delivery log stays readable; its pending deliveries are cancelled.
 */
export class SubscriptionStore {
  readonly #db: Database.Database;
  readonly #allowPrivate: boolean;
  readonly #now: () => Date;
  readonly #active = new Map<string, Subscription>();
  #version = 0;

  constructor(db: Database.Database, options: SubscriptionStoreOptions = {}) {
    this.#db = db;
    this.#allowPrivate = options.allowPrivate ?? allowPrivateFromEnv();
    this.#now = options.now ?? (() => new Date());
    migrate(db);
    this.reload();
  }

  /** Reads the active subscriptions from the database again (after a rolled-back write that changed them in memory). */
  reload(): void {
    const rows = this.#db.prepare(`SELECT ${SUBSCRIPTION_COLUMNS} FROM alert_subscriptions WHERE deleted_at IS NULL ORDER BY created_at, id`).all() as SubscriptionRow[];
    this.#active.clear();
    for (const row of rows) this.#active.set(row.id, toSubscription(row));
    this.#version += 1;
  }

  /**
   * Gives the active subscriptions of company `from` to company `to` (a duplicate merged into
   * the record kept), inside the caller's transaction; returns how many moved.
   */
  moveCompany(from: string, to: string): number {
    const moved = this.active().filter((s) => s.companyId === from);
    if (moved.length === 0) return 0;
    this.#db.prepare('UPDATE alert_subscriptions SET company_id = ? WHERE company_id = ? AND deleted_at IS NULL').run(to, from);
    for (const subscription of moved) this.#active.set(subscription.id, { ...subscription, companyId: to });
    this.#version += 1;
    return moved.length;
  }

  get db(): Database.Database {
    return this.#db;
  }

  /** Changes whenever the set of active subscriptions does (for caches of derived indexes). */
  get version(): number {
    return this.#version;
  }

  /** Every active subscription, oldest first. */
  active(): readonly Subscription[] {
    return [...this.#active.values()];
  }

  /**
   * Checks and stores a subscription. Bad input is an INVALID_INPUT error naming each field
   * (`body.url`, `body.secret`, `body.companyId: unknown company "x"`, `body.minScore`);
   * nothing is stored then. A webhook URL must be http(s) and — unless private targets are
   * allowed — its host must resolve to public addresses only. `companyExists` is the domain
   * layer's check that the company is one the caller may read.
   */
  async create(input: unknown, owner: Owner, context: { readonly companyExists: (id: string) => boolean }): Promise<Subscription> {
    const parsed = parseInput(SubscriptionInputSchema, input);
    const issues: ValidationIssue[] = [];
    if (parsed.url !== undefined) {
      const problem = staticUrlProblem(parsed.url, this.#allowPrivate);
      if (problem !== undefined) issues.push({ path: 'body.url', message: problem });
    }
    if (parsed.companyId !== undefined && !context.companyExists(parsed.companyId)) {
      issues.push({ path: 'body.companyId', message: `unknown company ${JSON.stringify(parsed.companyId)}` });
    }
    if (issues.length === 0 && parsed.url !== undefined) {
      try {
        await assertWebhookTarget(parsed.url, this.#allowPrivate);
      } catch (error) {
        issues.push({ path: 'body.url', message: (error as Error).message });
      }
    }
    if (issues.length > 0) {
      throw new PartnermatchError('INVALID_INPUT', issues.map((i) => `${i.path}: ${i.message}`).join('; '), { issues });
    }
    const row: SubscriptionRow & { secret: string | null } = {
      id: `sub_${randomUUID()}`,
      channel: parsed.url !== undefined ? 'webhook' : 'email',
      url: parsed.url ?? null,
      secret: parsed.secret ?? null,
      email: parsed.email ?? null,
      language: parsed.email !== undefined ? (parsed.language ?? 'en') : null,
      company_id: parsed.companyId ?? null,
      sectors: parsed.sectors === undefined ? null : JSON.stringify([...new Set(parsed.sectors)]),
      min_score: parsed.companyId === undefined ? null : (parsed.minScore ?? DEFAULT_MIN_SCORE),
      owner_name: owner.name,
      owner_role: owner.role,
      created_at: this.#now().toISOString(),
    };
    this.#db
      .prepare(
        `INSERT INTO alert_subscriptions (${SUBSCRIPTION_COLUMNS}, secret)
         VALUES (@id, @channel, @url, @email, @language, @company_id, @sectors, @min_score, @owner_name, @owner_role, @created_at, @secret)`,
      )
      .run(row);
    const subscription = toSubscription(row);
    this.#active.set(subscription.id, subscription);
    this.#version += 1;
    return subscription;
  }

  /** An active subscription, or undefined. */
  get(id: string): Subscription | undefined {
    return this.#active.get(id);
  }

  /** Active subscriptions, optionally only those of one owner (by key name). */
  list(filter: { readonly ownerName?: string } = {}): Subscription[] {
    return this.active().filter((s) => filter.ownerName === undefined || s.owner.name === filter.ownerName);
  }

  /** Marks a subscription deleted and cancels its pending deliveries and unsent digest items. False if none is active with the id. */
  remove(id: string): boolean {
    if (!this.#active.has(id)) return false;
    const now = this.#now().toISOString();
    this.#db.transaction(() => {
      this.#db.prepare('UPDATE alert_subscriptions SET deleted_at = ? WHERE id = ?').run(now, id);
      this.#db.prepare("UPDATE alert_deliveries SET status = 'cancelled' WHERE subscription_id = ? AND status = 'pending'").run(id);
      this.#db.prepare('DELETE FROM alert_digest_items WHERE subscription_id = ? AND sent_at IS NULL').run(id);
    })();
    this.#active.delete(id);
    this.#version += 1;
    return true;
  }

  /** Removes the company subscriptions of a deleted company (its id can no longer match). Returns how many. */
  removeForCompany(companyId: string): number {
    const ids = this.active().filter((s) => s.companyId === companyId).map((s) => s.id);
    for (const id of ids) this.remove(id);
    return ids.length;
  }

  /** A subscription's webhook deliveries, newest first, each with every attempt (for `GET /subscriptions/{id}/deliveries`). */
  deliveries(subscriptionId: string, options: { readonly limit?: number } = {}): Delivery[] {
    const rows = this.#db
      .prepare(
        `SELECT id, subscription_id, need_id, company_id, score, status, created_at, next_attempt_at, delivered_at
         FROM alert_deliveries WHERE subscription_id = ? ORDER BY created_at DESC, id LIMIT ?`,
      )
      .all(subscriptionId, options.limit ?? 100) as {
      id: string;
      subscription_id: string;
      need_id: string;
      company_id: string | null;
      score: number | null;
      status: Delivery['status'];
      created_at: string;
      next_attempt_at: number;
      delivered_at: string | null;
    }[];
    const attemptsOf = this.#db.prepare(
      'SELECT attempt, started_at, finished_at, outcome, http_status, error FROM alert_attempts WHERE delivery_id = ? ORDER BY attempt',
    );
    return rows.map((row) => ({
      deliveryId: row.id,
      subscriptionId: row.subscription_id,
      needId: row.need_id,
      companyId: row.company_id,
      score: row.score,
      status: row.status,
      createdAt: row.created_at,
      ...(row.status === 'pending' ? { nextAttemptAt: new Date(row.next_attempt_at).toISOString() } : {}),
      ...(row.delivered_at === null ? {} : { deliveredAt: row.delivered_at }),
      attempts: (
        attemptsOf.all(row.id) as { attempt: number; started_at: string; finished_at: string | null; outcome: DeliveryAttempt['outcome']; http_status: number | null; error: string | null }[]
      ).map((a) => ({
        attempt: a.attempt,
        startedAt: a.started_at,
        ...(a.finished_at === null ? {} : { finishedAt: a.finished_at }),
        outcome: a.outcome,
        ...(a.http_status === null ? {} : { httpStatus: a.http_status }),
        ...(a.error === null ? {} : { error: a.error }),
      })),
    }));
  }
}
