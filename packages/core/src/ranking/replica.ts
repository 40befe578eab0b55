import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Matcher } from '../matcher.js';
import type { ResolvedMatcherOptions } from '../options.js';
import type { Company, PartnerNeed } from '../schema/records.js';
import { snapshotMatcher, snapshotVersions } from '../snapshot/snapshot.js';
import { engineOf } from './engine.js';
import type { Match, RankOptions } from './types.js';

/**
 * A copy of a matcher on its own worker thread, kept equal to it by mirroring each write in
 * the order it was made, so a service can rank on a second core: the thread that serves
 * requests parses, checks and serialises them, the replica ranks and explains.
 *
 * The copy starts from the matcher's snapshot and its records as they are when the replica
 * is opened (nothing is analysed again), so its rankings are the matcher's, bit for bit.
 * Writes and rankings cross one message port and are handled in the order posted: a ranking
 * asked after a write sees it. Whatever goes wrong on the worker (it fails to start, throws,
 * exits, or is slow), `rank` answers undefined and the caller ranks on its own thread.
 */
export interface MatcherReplica {
  /** Whether the copy is restored and answering (false while it starts, after a failure and once closed). */
  readonly ready: boolean;
  /** Why the replica stopped answering, once it has (a failure, or closing). */
  readonly failure: string | undefined;
  /** Mirrors `matcher.add` or `matcher.update` of `record` (the record the matcher returned). */
  put(kind: 'company' | 'need', record: Company | PartnerNeed): void;
  /** Mirrors `matcher.remove`. */
  remove(kind: 'company' | 'need', id: string): void;
  /**
   * Companies ranked for the stored need `id` (`kind: 'need'`) or open needs for the stored
   * company `id` (`kind: 'company'`), as the matcher ranks them after every write mirrored
   * before this call. Undefined when the replica cannot answer: the caller ranks itself.
   */
  rank(kind: 'need' | 'company', id: string, options?: ReplicaRankOptions): Promise<Match[] | undefined>;
  /**
   * As {@link rank}, each match as JSON text: what a service writes out. Copying a ranking's
   * objects to this thread and serialising them here cost more than ranking on the replica.
   */
  rankAsJson(kind: 'need' | 'company', id: string, options?: ReplicaRankOptions): Promise<JsonMatch[] | undefined>;
  /** Ends the worker; a closed replica answers undefined. */
  close(): Promise<void>;
}

/** A match as JSON text, with the ids of its pair. */
export interface JsonMatch {
  readonly needId: string;
  readonly companyId: string;
  /** `JSON.stringify` of the match without its deprecated `id` (`needId`, `companyId`, `rank`, `score`, `parts`, `explanation`, in that order). */
  readonly json: string;
}

/** What a ranking on the replica may ask: a `filter` is a function, which cannot cross to another thread. */
export type ReplicaRankOptions = Omit<RankOptions<unknown>, 'filter'>;

export interface ReplicaSettings {
  /** A ranking not answered within this many milliseconds is given up (the caller ranks itself). Default 2,000. */
  readonly timeoutMs?: number;
  /**
   * Rankings waiting on the worker at most (default 32): past that `rank` answers undefined
   * at once, so under a load the worker cannot keep up with the caller ranks the rest itself
   * instead of queueing them until they time out (and then ranking them anyway).
   */
  readonly maxPending?: number;
  /**
   * A snapshot file of this very matcher, read by the worker instead of snapshotting the
   * matcher on this thread (~1 s at 100k companies). The worker checks the generation; on
   * any mismatch the replica fails and the caller ranks itself.
   */
  readonly snapshotFile?: SnapshotFile;
}

/** A snapshot file (`snapshotMatcher` at `generation`, saved or restored from) and the generation it must hold. */
export interface SnapshotFile {
  readonly path: string;
  readonly generation: string;
}

/** What the main thread posts, in order: `init`, the records in `records` parts, then writes and rankings. */
export type ReplicaRequest =
  | {
      readonly op: 'init';
      /** The snapshot's bytes, or the file to read them from. */
      readonly snapshot: Uint8Array | SnapshotFile;
      readonly versions: Readonly<Record<string, string>>;
      readonly options: ResolvedMatcherOptions;
      readonly companyCount: number;
      readonly needCount: number;
    }
  | { readonly op: 'records'; readonly companies: readonly Company[]; readonly needs: readonly PartnerNeed[] }
  | { readonly op: 'put'; readonly kind: 'company' | 'need'; readonly record: Company | PartnerNeed }
  | { readonly op: 'remove'; readonly kind: 'company' | 'need'; readonly id: string }
  | {
      readonly op: 'rank';
      readonly request: number;
      readonly kind: 'need' | 'company';
      readonly id: string;
      readonly options: ReplicaRankOptions;
      readonly json: boolean;
    };

/** What the worker answers. */
export type ReplicaReply =
  | { readonly op: 'ready' }
  | { readonly op: 'failed'; readonly error: string }
  | { readonly op: 'ranked'; readonly request: number; readonly matches: Match[] | JsonMatch[] }
  | { readonly op: 'rank-failed'; readonly request: number; readonly error: string };

/** The generation a replica's snapshot made on this thread is stamped with: it never meets a store's. */
export const REPLICA_GENERATION = 'replica';
const WORKER_SCRIPT = new URL('./replica-worker.js', import.meta.url);
const DEFAULT_TIMEOUT_MS = 2_000;
const DEFAULT_MAX_PENDING = 32;
/**
 * Records cross in parts of this many, one per turn of the event loop: copying 100k at once
 * held this thread ~0.2 s.
 */
const RECORDS_PER_PART = 5_000;

/** Whether the worker script is built (running from sources it is not, and no replica can start). */
export function replicaAvailable(): boolean {
  return existsSync(fileURLToPath(WORKER_SCRIPT));
}

/**
 * Opens a replica of `matcher` (one made by `createMatcher`, `restoreMatcher` and the like)
 * as it is now. The records cross over the next turns of the event loop; writes mirrored
 * meanwhile follow them. Throws when the worker script is not built.
 */
export function openMatcherReplica(matcher: Matcher, settings: ReplicaSettings = {}): MatcherReplica {
  const engine = engineOf(matcher);
  if (engine === undefined) throw new TypeError('not a matcher made by createMatcher or a restore');
  if (!replicaAvailable()) throw new Error(`the replica's worker script is not built (${fileURLToPath(WORKER_SCRIPT)})`);
  const versions = snapshotVersions(engine.options);
  const snapshot = settings.snapshotFile ?? snapshotMatcher(matcher, { generation: REPLICA_GENERATION, versions });
  // In the engine's order, taken now (an update makes a new record object, so these stay as
  // they are): a restore checks the records' ids against the snapshot's, in order.
  const recordsOf = <T>(side: { readonly order: readonly string[]; entry(id: string): { readonly record: T } | undefined }): T[] =>
    side.order.map((id) => side.entry(id)!.record);
  const companies = recordsOf(engine.companies);
  const needs = recordsOf(engine.needs);
  const init: ReplicaRequest = {
    op: 'init',
    snapshot,
    versions,
    options: engine.options,
    companyCount: companies.length,
    needCount: needs.length,
  };
  return new WorkerReplica(init, companies, needs, settings.timeoutMs ?? DEFAULT_TIMEOUT_MS, settings.maxPending ?? DEFAULT_MAX_PENDING);
}

class WorkerReplica implements MatcherReplica {
  readonly #worker: Worker;
  readonly #timeoutMs: number;
  readonly #maxPending: number;
  readonly #pending = new Map<number, (matches: Match[] | JsonMatch[] | undefined) => void>();
  #nextRequest = 0;
  #ready = false;
  #failure: string | undefined;

  /** Writes mirrored while the records still cross: posted after them. */
  #held: ReplicaRequest[] | undefined = [];

  constructor(init: Extract<ReplicaRequest, { op: 'init' }>, companies: readonly Company[], needs: readonly PartnerNeed[], timeoutMs: number, maxPending: number) {
    this.#timeoutMs = timeoutMs;
    this.#maxPending = maxPending;
    // None of the parent's Node options: some are refused in a worker (`--input-type`), and
    // the copy needs none of them.
    this.#worker = new Worker(WORKER_SCRIPT, { execArgv: [] });
    // A snapshot made here moves to the worker; the records are copied.
    this.#worker.postMessage(init, init.snapshot instanceof Uint8Array ? [init.snapshot.buffer as ArrayBuffer] : []);
    this.#worker.on('message', (reply: ReplicaReply) => this.#receive(reply));
    this.#worker.on('error', (error) => this.#fail(`the replica's worker failed: ${error.message}`));
    this.#worker.on('exit', (code) => this.#fail(`the replica's worker exited (code ${code})`));
    // A replica never keeps a process alive that has nothing else to do (after the listeners:
    // adding a message listener refs the port again).
    this.#worker.unref();
    void this.#sendRecords(companies, needs);
  }

  async #sendRecords(companies: readonly Company[], needs: readonly PartnerNeed[]): Promise<void> {
    for (let start = 0; start < companies.length + needs.length; start += RECORDS_PER_PART) {
      if (start > 0) await new Promise<void>((resolve) => setImmediate(resolve));
      if (this.#failure !== undefined) return;
      const end = start + RECORDS_PER_PART;
      this.#worker.postMessage({
        op: 'records',
        companies: companies.slice(start, end),
        needs: needs.slice(Math.max(0, start - companies.length), Math.max(0, end - companies.length)),
      } satisfies ReplicaRequest);
    }
    const held = this.#held ?? [];
    this.#held = undefined;
    for (const request of held) this.#post(request);
  }

  get ready(): boolean {
    return this.#ready && this.#failure === undefined;
  }

  get failure(): string | undefined {
    return this.#failure;
  }

  put(kind: 'company' | 'need', record: Company | PartnerNeed): void {
    this.#post({ op: 'put', kind, record });
  }

  remove(kind: 'company' | 'need', id: string): void {
    this.#post({ op: 'remove', kind, id });
  }

  rank(kind: 'need' | 'company', id: string, options: ReplicaRankOptions = {}): Promise<Match[] | undefined> {
    return this.#ask(kind, id, options, false) as Promise<Match[] | undefined>;
  }

  rankAsJson(kind: 'need' | 'company', id: string, options: ReplicaRankOptions = {}): Promise<JsonMatch[] | undefined> {
    return this.#ask(kind, id, options, true) as Promise<JsonMatch[] | undefined>;
  }

  #ask(kind: 'need' | 'company', id: string, options: ReplicaRankOptions, json: boolean): Promise<Match[] | JsonMatch[] | undefined> {
    if (!this.ready || this.#pending.size >= this.#maxPending) return Promise.resolve(undefined);
    const request = this.#nextRequest++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => settle(undefined), this.#timeoutMs);
      const settle = (matches: Match[] | JsonMatch[] | undefined): void => {
        clearTimeout(timer);
        this.#pending.delete(request);
        resolve(matches);
      };
      this.#pending.set(request, settle);
      this.#post({ op: 'rank', request, kind, id, options, json });
    });
  }

  async close(): Promise<void> {
    this.#fail('the replica is closed');
    await this.#worker.terminate();
  }

  #post(request: ReplicaRequest): void {
    // A failed replica is never used again, so writes need not reach it.
    if (this.#failure !== undefined) return;
    if (this.#held !== undefined) this.#held.push(request);
    else this.#worker.postMessage(request);
  }

  #receive(reply: ReplicaReply): void {
    switch (reply.op) {
      case 'ready':
        this.#ready = true;
        break;
      case 'failed':
        this.#fail(reply.error);
        break;
      case 'ranked':
        this.#pending.get(reply.request)?.(reply.matches);
        break;
      case 'rank-failed':
        // A ranking the matcher would refuse too (an id removed meanwhile): the caller's own answers it.
        this.#pending.get(reply.request)?.(undefined);
        break;
    }
  }

  #fail(reason: string): void {
    this.#failure ??= reason;
    for (const settle of [...this.#pending.values()]) settle(undefined);
  }
}
