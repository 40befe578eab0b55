import type Database from 'better-sqlite3';
import type { Matcher, PartnerNeed } from '@partnermatch/core';
import { matchNeed, SubscriptionIndex, type MatchNeedOptions } from './matching.js';
import { enqueueAlerts, type Enqueued } from './outbox.js';
import { SubscriptionStore, type SubscriptionStoreOptions } from './store.js';

/**
 * The alerts as the domain layer uses them: the subscriptions, and one call for a need just
 * written. The matching index is rebuilt only when the subscriptions change.
 */
export class Alerts {
  readonly subscriptions: SubscriptionStore;
  readonly #db: Database.Database;
  #index: { version: number; index: SubscriptionIndex } | undefined;

  constructor(db: Database.Database, options: SubscriptionStoreOptions = {}) {
    this.#db = db;
    this.subscriptions = new SubscriptionStore(db, options);
  }

  get index(): SubscriptionIndex {
    const version = this.subscriptions.version;
    if (this.#index?.version !== version) this.#index = { version, index: new SubscriptionIndex(this.subscriptions.active()) };
    return this.#index.index;
  }

  /**
   * Matches a need just created or changed against every subscription and enqueues what
   * fires. Call it inside the transaction that writes the need, with the need already in
   * `matcher` (for the tags it infers), on the database the need is written to.
   */
  needWritten(need: PartnerNeed, change: 'created' | 'updated', matcher: Matcher, options: MatchNeedOptions = {}): Enqueued {
    return enqueueAlerts(this.#db, need, matchNeed(need, change, matcher, this.index, options));
  }
}
