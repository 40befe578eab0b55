import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import {
  createMatcher,
  restoreMatcher,
  snapshotMatcher,
  SnapshotRejectedError,
  type Company,
  type Matcher,
  type MatcherOptions,
  type PartnerNeed,
} from '@partnermatch/core';

/** The index snapshot in `DATA_DIR`, beside the database. */
export const SNAPSHOT_FILE = 'index.snapshot';

/** How the index came to be at start. */
export type IndexSource = { readonly from: 'snapshot' } | { readonly from: 'build'; readonly reason: string };

export interface SnapshotSite {
  readonly dataDir: string;
  /** Told why a snapshot was not used or could not be saved. */
  readonly warn?: (message: string) => void;
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
 * The matcher over the stored records: from the snapshot when it is whole and was written
 * at this database generation under the same versions and options, else built (and the
 * snapshot saved for the next start). Returns the records the matcher holds, in stored order.
 *
 * A snapshot that matches trusts the stored records as they are: every record reached the
 * database through a validation and a write that bumped the generation in the same
 * transaction, and the snapshot was made from exactly those records (the same ids in the
 * same order, checked). Validating 100k records again would be a fifth of a start. When the
 * snapshot is not used, `validate` gives the records to build from (skipping, and reporting,
 * any that no longer validate).
 */
export function loadOrBuildMatcher(
  site: SnapshotSite,
  stored: StoredRecords,
  generation: number,
  validate: (stored: StoredRecords) => { readonly companies: readonly Company[]; readonly needs: readonly PartnerNeed[] },
): { matcher: Matcher; source: IndexSource; companies: readonly Company[]; needs: readonly PartnerNeed[] } {
  const path = join(site.dataDir, SNAPSHOT_FILE);
  const options = stored.options === undefined ? {} : { options: stored.options };
  let reason = 'no snapshot';
  if (existsSync(path)) {
    let bytes: Uint8Array | undefined;
    try {
      bytes = readFileSync(path);
    } catch (error) {
      reason = `the snapshot could not be read: ${error instanceof Error ? error.message : String(error)}`;
      site.warn?.(`${reason}; rebuilding the index`);
    }
    if (bytes !== undefined) {
      try {
        const companies = stored.companies as readonly Company[];
        const needs = stored.needs as readonly PartnerNeed[];
        const matcher = restoreMatcher(bytes, { companies, needs, ...options }, { generation }, { validated: true });
        return { matcher, source: { from: 'snapshot' }, companies, needs };
      } catch (error) {
        if (!(error instanceof SnapshotRejectedError)) throw error;
        reason = error.message;
        site.warn?.(`${error.message}; rebuilding the index`);
      }
    }
  }
  const { companies, needs } = validate(stored);
  const matcher = createMatcher({ companies, needs, ...options });
  saveSnapshot(site, matcher, generation);
  return { matcher, source: { from: 'build', reason }, companies, needs };
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
