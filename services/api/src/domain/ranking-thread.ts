import type { JsonMatch, MatcherReplica, ReplicaRankOptions } from '@partnermatch/core';
import type { RecordKind } from '../store.js';
import type { Records } from './records.js';

/**
 * Writes mirrored to one replica before it is dropped and made again from the index: an
 * import of many records then costs one copy (a snapshot and the records) instead of a
 * message per record and the worker indexing each again.
 */
export const MIRRORED_AT_MOST = 2_000;
/** How long writes must pause before a dropped replica is made again, in milliseconds. */
export const REOPEN_AFTER_MS = 1_000;
/** Replicas made again after failures in a row, before waiting for a write. */
const RETRIES = 3;
/**
 * Sharing the rankings with the main thread. The replica alone could not keep up: at 10k
 * companies a miss cost it ~1.1 ms warm and ~2.5 ms the first time a need is ranked, while
 * the main thread spent ~0.5 ms on the request and sat ~40 % idle. So the main thread ranks
 * too, and each id stays with the thread that ranked it, where its memos are (its query's
 * analysis, its candidates' evidence): sharing by load alone ranked a need cold on each
 * thread in turn and gained nothing on a first pass over the needs; a fixed split by a
 * hash of the id left one thread idle while the other worked through a run of its ids.
 *
 * An id first asked while this many rankings wait on the replica is the main thread's.
 */
export const SHARE_FROM = 2;
/** An id of the replica's goes to the main thread while this many rankings wait on the replica. */
export const OVERFLOW_AT = 6;
/** Ids whose thread is remembered (the least recently asked are forgotten first). */
const PLACES_KEPT = 4_096;

export interface RankingThreadOptions {
  /** Told why the replica stopped answering (the rankings then run on the main thread). */
  readonly warn?: (message: string) => void;
  /** Default {@link MIRRORED_AT_MOST}. */
  readonly mirroredAtMost?: number;
  /** Default {@link REOPEN_AFTER_MS}. */
  readonly reopenAfterMs?: number;
}

export interface RankingThreadStats {
  /** Rankings answered by the replica since start. */
  readonly ranked: number;
  /** Rankings the main thread made itself as its share while the replica answered. */
  readonly leftToMain: number;
  /** Whether the replica answers now. */
  readonly ready: boolean;
}

/**
 * Ranks the matches routes' queries on a copy of the index on a worker thread (core's
 * {@link MatcherReplica}), so the main thread parses, checks and serialises requests while
 * the other core ranks and explains. The copy follows every write to the index through the
 * records' events, in order; it is dropped and made again after a rebuild of memory (a failed
 * write) and after many writes in a row (an import). Whenever it cannot answer, `rank` says
 * so and the caller ranks on the main thread: the replica only ever makes answers faster.
 */
export class RankingThread {
  readonly #records: Records;
  readonly #options: RankingThreadOptions;
  #replica: MatcherReplica | undefined;
  #mirrored = 0;
  #ranked = 0;
  #leftToMain = 0;
  /** Rankings asked of the replica and not answered yet. */
  #waiting = 0;
  /** The thread each recent id was ranked on, least recently asked first. */
  readonly #places = new Map<string, 'main' | 'replica'>();
  /** Replicas that failed since one last answered. */
  #failures = 0;
  #started = false;
  #closed = false;
  #reopen: NodeJS.Timeout | undefined;

  constructor(records: Records, options: RankingThreadOptions = {}) {
    this.#records = records;
    this.#options = options;
    records.listen({
      put: (kind, record) => this.#mirror((replica) => replica.put(kind, record)),
      removed: (kind, id) => this.#mirror((replica) => replica.remove(kind, id)),
      reloaded: () => this.#drop(),
      changed: () => {
        if (this.#started && this.#replica === undefined) {
          this.#failures = 0;
          this.#scheduleOpen();
        }
      },
    });
  }

  get stats(): RankingThreadStats {
    return { ranked: this.#ranked, leftToMain: this.#leftToMain, ready: this.#replica?.ready ?? false };
  }

  /** Makes the replica (call once every stored record is in memory: it copies them). */
  start(): void {
    if (this.#started || this.#closed) return;
    this.#started = true;
    this.#open();
  }

  /**
   * Companies ranked for the stored need `id` (or open needs for the company `id`) on the
   * replica, as the index ranks them after every write made before this call, each match as
   * JSON text; undefined when the replica cannot answer now, or the ranking is the main
   * thread's share ({@link SHARE_FROM}).
   */
  async rank(kind: RecordKind, id: string, options: ReplicaRankOptions): Promise<readonly JsonMatch[] | undefined> {
    const replica = this.#replica;
    if (replica === undefined) return undefined;
    if (replica.ready && this.#place(`${kind}\u0000${id}`) === 'main') {
      this.#leftToMain += 1;
      return undefined;
    }
    this.#waiting += 1;
    let matches: readonly JsonMatch[] | undefined;
    try {
      // Undefined at once while the copy starts or once it failed.
      matches = await replica.rankAsJson(kind, id, options);
    } finally {
      this.#waiting -= 1;
    }
    if (matches === undefined) {
      if (replica.failure !== undefined) this.#failed(replica);
      return undefined;
    }
    this.#ranked += 1;
    this.#failures = 0;
    return matches;
  }

  /**
   * Where the ranking of `key` runs: where it ran last, unless the replica is idle (it takes
   * the main thread's ids back) or has {@link OVERFLOW_AT} waiting (the main thread takes
   * this one without keeping it); a new key goes to the main thread once the replica has
   * {@link SHARE_FROM} waiting.
   */
  #place(key: string): 'main' | 'replica' {
    const waiting = this.#waiting;
    let place = this.#places.get(key);
    if (place === undefined) place = waiting >= SHARE_FROM ? 'main' : 'replica';
    else if (place === 'main' && waiting === 0) place = 'replica';
    this.#places.delete(key);
    this.#places.set(key, place);
    if (this.#places.size > PLACES_KEPT) this.#places.delete(this.#places.keys().next().value!);
    return place === 'replica' && waiting >= OVERFLOW_AT ? 'main' : place;
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#reopen);
    const replica = this.#replica;
    this.#replica = undefined;
    await replica?.close();
  }

  #open(): void {
    if (this.#closed) return;
    try {
      this.#replica = this.#records.openReplica();
      this.#mirrored = 0;
    } catch (error) {
      this.#options.warn?.(`ranking thread: not started, rankings run on the main thread: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  #mirror(write: (replica: MatcherReplica) => void): void {
    const replica = this.#replica;
    if (replica === undefined) {
      // Dropped: made again once writes pause.
      if (this.#started) this.#scheduleOpen();
      return;
    }
    if (++this.#mirrored > (this.#options.mirroredAtMost ?? MIRRORED_AT_MOST)) {
      this.#drop();
      return;
    }
    write(replica);
  }

  /** Drops the replica; a new one is made once writes pause. */
  #drop(): void {
    const replica = this.#replica;
    this.#replica = undefined;
    void replica?.close();
    if (this.#started) this.#scheduleOpen();
  }

  #scheduleOpen(): void {
    if (this.#closed) return;
    clearTimeout(this.#reopen);
    this.#reopen = setTimeout(() => {
      // A rebuild from the snapshot reads records lazily: all of them first, as at start.
      this.#records.readUnread(() => !this.#closed).then(
        () => {
          if (this.#replica === undefined) this.#open();
        },
        () => undefined,
      );
    }, this.#options.reopenAfterMs ?? REOPEN_AFTER_MS);
    this.#reopen.unref();
  }

  /**
   * A replica that failed is dropped with a warning and made again a little later (a snapshot
   * file replaced while the copy read it), at most {@link RETRIES} times in a row; after that,
   * once the next write pauses.
   */
  #failed(replica: MatcherReplica): void {
    if (this.#replica !== replica) return;
    this.#replica = undefined;
    void replica.close();
    const retry = ++this.#failures <= RETRIES;
    this.#options.warn?.(`ranking thread: ${replica.failure ?? 'stopped'}; rankings run on the main thread until ${retry ? 'it is made again' : 'the next write'}`);
    if (retry) this.#scheduleOpen();
  }
}
