import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import type Database from 'better-sqlite3';
import { signBody, SIGNATURE_HEADER } from './outbox.js';
import { allowPrivateFromEnv, guardedLookup, staticUrlProblem, WebhookTargetError } from './ssrf.js';

export interface BackoffOptions {
  /** Delay before the second attempt; each later one doubles it. */
  readonly initialMs: number;
  /** Longest delay between two attempts. */
  readonly maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 30_000, maxMs: 60 * 60 * 1000 };

export interface WebhookWorkerOptions {
  /** Let deliveries reach loopback and private addresses. Default: `PARTNERMATCH_WEBHOOK_ALLOW_PRIVATE=true`. */
  readonly allowPrivate?: boolean;
  readonly backoff?: BackoffOptions;
  /** How often the outbox is read for due deliveries. */
  readonly pollMs?: number;
  /** Deliveries in flight at once. */
  readonly concurrency?: number;
  /** Time a receiver has to answer. */
  readonly timeoutMs?: number;
  readonly now?: () => number;
}

/**
 * The delay before attempt `attempt + 1` after `attempt` failed: initialMs · 2^(attempt−1),
 * capped at maxMs, with up to ±20 % jitter so receivers coming back are not hit all at once.
 */
export function backoffDelay(attempt: number, options: BackoffOptions, random: () => number = Math.random): number {
  const base = Math.min(options.maxMs, options.initialMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(base * (0.8 + 0.4 * random()));
}

interface DueRow {
  id: string;
  body: string;
  attempts: number;
  expires_at: number;
  url: string;
  secret: string;
}

type Outcome = { kind: 'delivered'; status: number } | { kind: 'failed'; status?: number; error: string } | { kind: 'refused'; error: string };

const RESPONSE_BODY_LIMIT = 64 * 1024;

/**
 * Delivers the webhook outbox: due pending rows, oldest first, each POSTed with its stored
 * raw body and a fresh signature. Every attempt is a row, written before the request goes
 * out ('in-flight') and closed after it, so a crash leaves a pending delivery with an
 * unfinished attempt: the next worker marks that attempt 'interrupted' and sends the
 * delivery again (at-least-once; receivers deduplicate by deliveryId). A 2xx answer
 * delivers; anything else (another status, a timeout, a refused address) is retried with
 * exponential backoff until 24 h after the delivery was enqueued, then the delivery fails; a
 * target refused by address (SSRF rules) fails at once.
 * Redirects are not followed (they could lead anywhere). One worker per database.
 */
export class WebhookWorker {
  readonly #db: Database.Database;
  readonly #allowPrivate: boolean;
  readonly #backoff: BackoffOptions;
  readonly #pollMs: number;
  readonly #concurrency: number;
  readonly #timeoutMs: number;
  readonly #now: () => number;
  readonly #inFlight = new Map<string, Promise<void>>();
  #timer: NodeJS.Timeout | undefined;
  #running = false;

  constructor(db: Database.Database, options: WebhookWorkerOptions = {}) {
    this.#db = db;
    this.#allowPrivate = options.allowPrivate ?? allowPrivateFromEnv();
    this.#backoff = options.backoff ?? DEFAULT_BACKOFF;
    this.#pollMs = options.pollMs ?? 1000;
    this.#concurrency = options.concurrency ?? 4;
    this.#timeoutMs = options.timeoutMs ?? 10_000;
    this.#now = options.now ?? Date.now;
  }

  /**
   * Closes the attempts a previous process left unfinished (it died mid-request); their
   * deliveries are still pending and due, so they are sent again. Returns how many.
   */
  recoverInterrupted(): number {
    return this.#db
      .prepare(
        `UPDATE alert_attempts SET outcome = 'interrupted', finished_at = ?, error = 'the service stopped during the attempt'
         WHERE outcome = 'in-flight'`,
      )
      .run(new Date(this.#now()).toISOString()).changes;
  }

  /** Starts polling the outbox (after {@link recoverInterrupted}). */
  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.recoverInterrupted();
    const tick = (): void => {
      if (!this.#running) return;
      this.poll();
      this.#timer = setTimeout(tick, this.#pollMs);
      this.#timer.unref();
    };
    tick();
  }

  /** Stops polling and waits for the deliveries in flight to finish. */
  async stop(): Promise<void> {
    this.#running = false;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    await Promise.all(this.#inFlight.values());
  }

  /** Starts as many due deliveries as there are free slots; returns how many it started. */
  poll(): number {
    const free = this.#concurrency - this.#inFlight.size;
    if (free <= 0) return 0;
    const busy = [...this.#inFlight.keys()];
    const rows = this.#db
      .prepare(
        `SELECT d.id, d.body, d.attempts, d.expires_at, s.url, s.secret
         FROM alert_deliveries d JOIN alert_subscriptions s ON s.id = d.subscription_id
         WHERE d.status = 'pending' AND d.next_attempt_at <= ? AND s.url IS NOT NULL
           AND d.id NOT IN (SELECT value FROM json_each(?))
         ORDER BY d.next_attempt_at, d.created_at, d.id LIMIT ?`,
      )
      .all(this.#now(), JSON.stringify(busy), free) as DueRow[];
    for (const row of rows) {
      const run = this.#attempt(row).finally(() => this.#inFlight.delete(row.id));
      this.#inFlight.set(row.id, run);
    }
    return rows.length;
  }

  /** Delivers everything due now and waits for it (also what is due after a retry within the call). For tests and one-off runs. */
  async drain(): Promise<void> {
    while (this.poll() > 0 || this.#inFlight.size > 0) await Promise.race(this.#inFlight.values());
  }

  async #attempt(row: DueRow): Promise<void> {
    const attempt = row.attempts + 1;
    const startedAt = new Date(this.#now()).toISOString();
    this.#db.transaction(() => {
      this.#db.prepare('UPDATE alert_deliveries SET attempts = ? WHERE id = ?').run(attempt, row.id);
      this.#db
        .prepare("INSERT INTO alert_attempts (delivery_id, attempt, started_at, outcome) VALUES (?, ?, ?, 'in-flight')")
        .run(row.id, attempt, startedAt);
    })();

    const outcome = await this.#send(row);

    const now = this.#now();
    const finishedAt = new Date(now).toISOString();
    this.#db.transaction(() => {
      this.#db
        .prepare('UPDATE alert_attempts SET outcome = ?, finished_at = ?, http_status = ?, error = ? WHERE delivery_id = ? AND attempt = ?')
        .run(outcome.kind, finishedAt, 'status' in outcome ? (outcome.status ?? null) : null, 'error' in outcome ? outcome.error : null, row.id, attempt);
      if (outcome.kind === 'delivered') {
        this.#db.prepare("UPDATE alert_deliveries SET status = 'delivered', delivered_at = ? WHERE id = ?").run(finishedAt, row.id);
      } else if (outcome.kind === 'refused' || now >= row.expires_at) {
        // A refused target stays refused (it was judged by address), and past the window nothing is retried.
        this.#db.prepare("UPDATE alert_deliveries SET status = 'failed' WHERE id = ?").run(row.id);
      } else {
        // The last try falls on the end of the window rather than past it.
        const next = Math.min(now + backoffDelay(attempt, this.#backoff), row.expires_at);
        this.#db.prepare('UPDATE alert_deliveries SET next_attempt_at = ? WHERE id = ?').run(next, row.id);
      }
    })();
  }

  #send(row: DueRow): Promise<Outcome> {
    const problem = staticUrlProblem(row.url, this.#allowPrivate);
    if (problem !== undefined) return Promise.resolve({ kind: 'refused', error: `url ${problem}` });
    const url = new URL(row.url);
    const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const body = Buffer.from(row.body, 'utf8');
    return new Promise<Outcome>((resolve) => {
      let settled = false;
      const finish = (outcome: Outcome): void => {
        if (settled) return;
        settled = true;
        resolve(outcome);
      };
      const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
      const req = request(
        url,
        {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'content-length': body.length,
            'user-agent': 'partnermatch-webhooks/1',
            [SIGNATURE_HEADER]: signBody(row.body, row.secret),
            'X-Partnermatch-Delivery': row.id,
          },
          timeout: this.#timeoutMs,
          // An IP literal is never looked up, and staticUrlProblem has judged it already.
          ...(isIP(host) === 0 ? { lookup: guardedLookup(this.#allowPrivate) } : {}),
        },
        (res: IncomingMessage) => {
          let size = 0;
          res.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size > RESPONSE_BODY_LIMIT) res.destroy();
          });
          const status = res.statusCode ?? 0;
          const done = (): void =>
            finish(status >= 200 && status < 300 ? { kind: 'delivered', status } : { kind: 'failed', status, error: `answered ${status}` });
          res.on('end', done);
          res.on('close', done);
          res.on('error', done);
        },
      );
      req.on('timeout', () => req.destroy(new Error(`no answer within ${this.#timeoutMs} ms`)));
      req.on('error', (error) =>
        finish(error instanceof WebhookTargetError ? { kind: 'refused', error: error.message } : { kind: 'failed', error: error.message }),
      );
      req.end(body);
    });
  }
}
