import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import {
  createMatcher,
  resolveMatcherOptions,
  restoreMatcherById,
  snapshotMatcher,
  snapshotVersions,
  SnapshotRejectedError,
  type Company,
  type Matcher,
  type MatcherOptions,
  type PartnerNeed,
  type PreloadedSnapshot,
  type RecordsById,
  type SnapshotPreload,
} from '@partnermatch/core';
import { SNAPSHOT_FILE } from './data-dir.js';
import type { RecordKind, RecordOf, Store } from './store.js';

export { SNAPSHOT_FILE };

/** How the index came to be at start. */
export type IndexSource =
  /** `caughtUp`: the snapshot was older than the database, and this many records written since were indexed again. */
  | { readonly from: 'snapshot'; readonly caughtUp?: number }
  | { readonly from: 'build'; readonly reason: string };

export interface SnapshotSite {
  readonly dataDir: string;
  /** Told why a snapshot was not used or could not be saved. */
  readonly warn?: (message: string) => void;
  /** The snapshot file, preloaded on a worker thread: a load waits for it instead of reading the file. */
  readonly preload?: SnapshotPreload;
}

/**
 * Writes `bytes` to `path` so that a reader sees the old file or the new one, never a
 * mix: a temporary file in the same directory, flushed to disk, renamed over the old one,
 * and the directory flushed so the rename itself survives a power cut.
 */
export function writeFileAtomically(path: string, bytes: Uint8Array): void {
  const temporary = `${path}.${process.pid}.tmp`;
  const fd = openSync(temporary, 'w', 0o600);
  try {
    for (let at = 0; at < bytes.byteLength; ) at += writeSync(fd, bytes, at, bytes.byteLength - at);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
  const dir = openSync(join(path, '..'), 'r');
  try {
    fsyncSync(dir);
  } catch {
    // Some filesystems cannot flush a directory; the rename is still atomic.
  } finally {
    closeSync(dir);
  }
}

/** Saves the matcher's index as at database `generation`; a failure is reported, never thrown (the next start rebuilds). */
export function saveSnapshot(site: SnapshotSite, matcher: Matcher, generation: number): boolean {
  try {
    writeFileAtomically(join(site.dataDir, SNAPSHOT_FILE), snapshotMatcher(matcher, { generation }));
    return true;
  } catch (error) {
    site.warn?.(`the index snapshot was not saved: ${error instanceof Error ? error.message : String(error)}`);
    return false;
  }
}

/** The stored records of both kinds, as read from the database (not validated yet). */
export interface StoredRecords {
  readonly companies: readonly unknown[];
  readonly needs: readonly unknown[];
  readonly options?: MatcherOptions;
}

/**
 * The matcher from the snapshot, when it is whole and was written at this database
 * generation under the same versions and options, over the stored records known by id
 * (each read from the database when first used); else why not (the caller builds). The
 * snapshot was made from exactly those records — every record reached the database
 * through a validation and a write that bumped the generation in the same transaction,
 * and the ids and their order are checked — so they are not read, let alone validated,
 * here: at 100k records that was most of a start.
 */
export function loadSnapshot(site: SnapshotSite, records: RecordsById, generation: number): { readonly matcher: Matcher } | { readonly reason: string } {
  const path = join(site.dataDir, SNAPSHOT_FILE);
  if (site.preload === undefined && !existsSync(path)) return { reason: 'no snapshot' };
  const rebuilding = (reason: string): { readonly reason: string } => {
    site.warn?.(`${reason}; rebuilding the index`);
    return { reason };
  };
  // Worked out before waiting for the preload thread, while it may still be at work.
  const versions = snapshotVersions(resolveMatcherOptions(records.options));
  let snapshot: Uint8Array | PreloadedSnapshot;
  try {
    snapshot = site.preload?.wait() ?? readFileSync(path);
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ENOENT') return { reason: 'no snapshot' };
    if (error instanceof SnapshotRejectedError) return rebuilding(error.message);
    return rebuilding(`the snapshot could not be read: ${error instanceof Error ? error.message : String(error)}`);
  }
  try {
    return { matcher: restoreMatcherById(snapshot, records, { generation, versions }) };
  } catch (error) {
    if (!(error instanceof SnapshotRejectedError)) throw error;
    return rebuilding(error.message);
  }
}

/**
 * The matcher built over the stored records `validate` gives (skipping, and reporting, any
 * that no longer validate), with its snapshot saved for the next start.
 */
export function buildMatcher(
  site: SnapshotSite,
  stored: StoredRecords,
  generation: number,
  validate: (stored: StoredRecords) => { readonly companies: readonly Company[]; readonly needs: readonly PartnerNeed[] },
): { matcher: Matcher; companies: readonly Company[]; needs: readonly PartnerNeed[]; saved: boolean } {
  const { companies, needs } = validate(stored);
  const matcher = createMatcher({ companies, needs, ...(stored.options === undefined ? {} : { options: stored.options }) });
  const saved = saveSnapshot(site, matcher, generation);
  return { matcher, companies, needs, saved };
}

/** Records of a turn of {@link StoredRecordReader.readAll}, and how long a turn works before it yields. */
const ROWS_PER_READ = 256;
const READ_TURN_MS = 10;

/**
 * Reads stored records for a matcher restored by id: one at a time when first used, and
 * all of them in turns of the event loop after the start, so that pages and lists over
 * every record find them in memory as after a build. Memory that reads records this way
 * must read a record before the database row changes (see `Store.beforeRecordChange`):
 * the row is the record the snapshot was made from only until then.
 */
export class StoredRecordReader {
  readonly #store: Store;
  /** The row at hand while {@link readAll} visits it, so its record is parsed from it and not read again. */
  #row: { readonly kind: RecordKind; readonly id: string; readonly data: string } | undefined;

  constructor(store: Store) {
    this.#store = store;
  }

  read<K extends RecordKind>(kind: K, id: string): RecordOf[K] {
    const row = this.#row;
    if (row !== undefined && row.kind === kind && row.id === id) return JSON.parse(row.data) as RecordOf[K];
    const record = this.#store.read(kind, id);
    if (record === undefined) throw new Error(`the stored ${kind} ${JSON.stringify(id)} is gone from the database although the index holds it`);
    return record;
  }

  /**
   * Visits every stored record, needs first, a few hundred per turn of the event loop
   * (about 10 ms each), while `going()` says so; `visit` reads the record it is given
   * (through the matcher) if it has not been read yet.
   */
  async readAll(visit: (kind: RecordKind, id: string) => void, going: () => boolean): Promise<void> {
    for (const kind of ['need', 'company'] as const) {
      let after = 0;
      for (let more = true; more; ) {
        await new Promise<void>((resolve) => setImmediate(resolve));
        if (!going()) return;
        const until = performance.now() + READ_TURN_MS;
        do {
          const rows = this.#store.rowsAfter(kind, after, ROWS_PER_READ);
          for (const [row, id, data] of rows) {
            this.#row = { kind, id, data };
            try {
              visit(kind, id);
            } finally {
              this.#row = undefined;
            }
            after = row;
          }
          more = rows.length === ROWS_PER_READ;
        } while (more && performance.now() < until);
      }
    }
  }
}

/**
 * Records by id in stored order, each read on first use when it was not given: the id map
 * over a matcher restored by id, holding the matcher's very objects.
 */
export class RecordMap<T extends { id: string }> {
  readonly #records = new Map<string, T | undefined>();
  readonly #read: (id: string) => T;

  /** `entries`: each id with its record, or undefined for `read` to give it when first asked for. */
  constructor(entries: Iterable<readonly [string, T | undefined]>, read: (id: string) => T) {
    for (const [id, record] of entries) this.#records.set(id, record);
    this.#read = read;
  }

  /** Every id with no record yet: each read when first asked for. */
  static unread<T extends { id: string }>(ids: readonly string[], read: (id: string) => T): RecordMap<T> {
    const map = new RecordMap<T>([], read);
    for (const id of ids) map.#records.set(id, undefined);
    return map;
  }

  get size(): number {
    return this.#records.size;
  }

  has(id: string): boolean {
    return this.#records.has(id);
  }

  get(id: string): T | undefined {
    const held = this.#records.get(id);
    if (held !== undefined || !this.#records.has(id)) return held;
    const record = this.#read(id);
    this.#records.set(id, record);
    return record;
  }

  set(id: string, record: T): void {
    this.#records.set(id, record);
  }

  delete(id: string): boolean {
    return this.#records.delete(id);
  }

  /** The record if it has been read, else undefined (reading nothing). */
  peek(id: string): T | undefined {
    return this.#records.get(id);
  }

  /** The ids in stored order, reading no record. */
  ids(): IterableIterator<string> {
    return this.#records.keys();
  }

  /** The records in stored order, reading those not read yet. */
  *values(): IterableIterator<T> {
    for (const [id, held] of this.#records) yield held ?? this.get(id)!;
  }
}

/**
 * Saves the index snapshot in the background once writes pause: `delayMs` after the last
 * write, and at most ten times that after the first write not yet saved (writes that never
 * pause still reach the disk). A save that cannot be made yet (an import written in turns is
 * under way) is tried again a delay later. Saving holds the event loop for the snapshot's
 * serialisation: ~0.1 s at 15k companies, ~0.9 s at 100k (`npm run bench`), once per pause.
 */
export class SnapshotKeeper {
  readonly #save: () => 'saved' | 'current' | 'not-now';
  readonly #delayMs: number;
  #timer: NodeJS.Timeout | undefined;
  /** When the first write not yet in a saved snapshot was seen. */
  #pendingSince: number | undefined;
  #stopped = false;

  /** `save` saves the snapshot if it is behind ('saved'), or says it is current or cannot be saved now. */
  constructor(save: () => 'saved' | 'current' | 'not-now', delayMs: number) {
    this.#save = save;
    this.#delayMs = delayMs;
  }

  /** A write was committed: (re)schedules the save. */
  changed(): void {
    if (this.#stopped || this.#delayMs <= 0) return;
    const now = Date.now();
    this.#pendingSince ??= now;
    const due = Math.min(now + this.#delayMs, this.#pendingSince + 10 * this.#delayMs);
    this.#schedule(Math.max(0, due - now));
  }

  #schedule(inMs: number): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.#fire(), inMs);
    this.#timer.unref();
  }

  #fire(): void {
    this.#timer = undefined;
    if (this.#stopped) return;
    if (this.#save() === 'not-now') {
      this.#schedule(this.#delayMs);
      return;
    }
    this.#pendingSince = undefined;
  }

  /** No more saves (the shutdown saves last). */
  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
  }
}
