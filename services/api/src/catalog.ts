import type { MatcherOptions, PartnerNeed, SnapshotPreload } from '@partnermatch/core';
import { Alerts, type SubscriptionStoreOptions } from './alerts/index.js';
import { selectBatchQueries } from './domain/batch-selection.js';
import { Decisions } from './domain/decisions.js';
import { DuplicateCheck, type DuplicateCheckSettings } from './domain/duplicates.js';
import { Rankings } from './domain/ranking.js';
import { RankingThread, type RankingThreadOptions } from './domain/ranking-thread.js';
import { Records } from './domain/records.js';
import type { RecordKind, Store } from './store.js';

export { applyMergePatch, type ListFilter, type Page, type ImportMode, type ImportPart, type ImportResult } from './domain/records.js';
export { canonicalKey, type MatchQuery, type CacheStats, type JsonText } from './domain/ranking.js';
export type { DecisionFilter } from './domain/decisions.js';
export { Records, Decisions, Rankings, DuplicateCheck, RankingThread };
export type { DuplicateWarning } from './domain/duplicates.js';

export interface CatalogOptions {
  readonly store: Store;
  readonly matcher?: MatcherOptions;
  /** Most cached rankings. Defaults to 1000. */
  readonly cacheSize?: number;
  /** Told about stored records that no longer validate (they are skipped). */
  readonly warn?: (message: string) => void;
  /** Options of the alert subscriptions (private webhook targets, clock). */
  readonly alerts?: SubscriptionStoreOptions;
  /** Where the index snapshot is kept (`DATA_DIR`); without it the index is built at every start. */
  readonly snapshotDir?: string;
  /** That snapshot, preloaded: used by the first load instead of reading the file. */
  readonly snapshotPreload?: SnapshotPreload;
  /** How the duplicate check runs (on a worker thread by default; see {@link DuplicateCheck}). */
  readonly duplicateCheck?: DuplicateCheckSettings;
  /**
   * Rank the matches routes' queries on a copy of the index on a worker thread ({@link RankingThread};
   * default false). It starts with `rankingThread.start()`, once every record is in memory.
   */
  readonly rankingThread?: boolean | Omit<RankingThreadOptions, 'warn'>;
}

/**
 * The service's domain, wired together: {@link Records} (records + matcher index, one
 * transaction per write), {@link Decisions} (written in the same transactions),
 * {@link Rankings} (the cached rankings) and batch selection. Nothing here knows HTTP: the
 * modules throw `PartnermatchError` codes and `errors.ts` maps them to statuses.
 */
export class Catalog {
  readonly records: Records;
  readonly decisions: Decisions;
  readonly rankings: Rankings;
  /** Alert subscriptions; every need written is matched against them in its own transaction. */
  readonly alerts: Alerts;
  /** Likely duplicate companies, as warnings of create and import. */
  readonly duplicates: DuplicateCheck;
  /** The matcher options the index was built with (defaults when undefined), for batch manifests. */
  readonly matcherOptions: MatcherOptions | undefined;
  /** Where the matches routes rank, when `rankingThread` was asked for. */
  readonly rankingThread: RankingThread | undefined;

  constructor(options: CatalogOptions) {
    this.matcherOptions = options.matcher;
    this.records = new Records({
      store: options.store,
      ...(options.matcher === undefined ? {} : { matcher: options.matcher }),
      ...(options.warn === undefined ? {} : { warn: options.warn }),
      ...(options.snapshotDir === undefined ? {} : { snapshotDir: options.snapshotDir }),
      ...(options.snapshotPreload === undefined ? {} : { snapshotPreload: options.snapshotPreload }),
    });
    this.decisions = new Decisions(this.records);
    const thread = options.rankingThread ?? false;
    this.rankingThread =
      thread === false ? undefined : new RankingThread(this.records, { ...(thread === true ? {} : thread), ...(options.warn === undefined ? {} : { warn: options.warn }) });
    this.rankings = new Rankings(this.records, this.decisions, {
      ...(options.cacheSize === undefined ? {} : { cacheSize: options.cacheSize }),
      ...(this.rankingThread === undefined ? {} : { thread: this.rankingThread }),
    });
    this.alerts = new Alerts(options.store.db, options.alerts ?? {});
    this.records.listen({
      written: (kind, record, change, matcher) => {
        if (kind === 'need' && this.alerts.subscriptions.active().length > 0) {
          this.alerts.needWritten(record as PartnerNeed, change, matcher);
        }
      },
      removed: (kind, id) => {
        if (kind === 'company') this.alerts.subscriptions.removeForCompany(id);
      },
    });
    // The matcher's text settings: the check analyses as the index does.
    const text = { ...(options.matcher?.analyzer === undefined ? {} : { analyzer: options.matcher.analyzer }), ...(options.matcher?.fieldWeights === undefined ? {} : { fieldWeights: options.matcher.fieldWeights }) };
    this.duplicates = new DuplicateCheck(this.records, text, { decisions: this.decisions, alerts: this.alerts }, options.duplicateCheck);
  }

  /** Ends what runs beside the catalog (the duplicate check's and the ranking thread's workers); the store is the caller's to close. */
  async close(): Promise<void> {
    await this.rankingThread?.close();
    await this.duplicates.close();
  }

  /** Writes applied since start; part of every cache key. */
  get generation(): number {
    return this.records.generation;
  }

  /** The records a batch ranks for (see {@link selectBatchQueries}). */
  batchQueries(kind: RecordKind, ids?: readonly string[]): string[] {
    return selectBatchQueries(this.records, kind, ids);
  }
}
