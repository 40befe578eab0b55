import {
  DEFAULT_DUPLICATE_THRESHOLD,
  openDuplicateThread,
  PartnermatchError,
  type Company,
  type DuplicateOptions,
  type DuplicateThread,
  type DuplicateWarning,
} from '@partnermatch/core';
import type Database from 'better-sqlite3';
import type { Alerts } from '../alerts/index.js';
import { EventStore } from '../events/store.js';
import { legacyStatusOfStage, type Actor, type PairState, type Stage } from '../followup/index.js';
import type { Decision, RecordKind } from '../store.js';
import type { Decisions } from './decisions.js';
import type { Records } from './records.js';

export type { DuplicateWarning };

/** A likely duplicate pair of stored companies, for the coordinators' list: the warning and both names. */
export interface PossibleDuplicate extends DuplicateWarning {
  /** The name of `id` (the record stored later). */
  readonly name: string;
  /** The name of `duplicateOf` (the record stored first). */
  readonly duplicateOfName: string;
}

/** A pair (need) both merged companies had a stage on: the one kept says which stage won and why. */
export interface MergeConflict {
  readonly needId: string;
  readonly keptStage: Stage;
  readonly mergedStage: Stage;
  /** The stage the pair has after the merge: the more advanced of the two (see {@link moreAdvanced}). */
  readonly stage: Stage;
}

export interface MergeResult {
  readonly kept: string;
  readonly merged: string;
  /** What moved from the merged record to the kept one. */
  readonly moved: { readonly decisions: number; readonly events: number; readonly subscriptions: number };
  readonly conflicts: readonly MergeConflict[];
}

/**
 * How far a stage takes a pair, for choosing between the two sides of a merge: along the
 * funnel, an ending ranking with the step it usually ends (a firm declines when contacted; a
 * deal falls through in negotiation). Equal ranks go to the later change.
 */
const ADVANCE: Readonly<Record<Stage, number>> = {
  suggested: 0,
  contacted: 1,
  declined: 1,
  meeting: 2,
  negotiating: 3,
  'no-deal': 3,
  agreed: 4,
};

/** The side whose stage is further along (the later change on a tie, then the kept side). */
export function moreAdvanced(kept: PairState, merged: PairState): PairState {
  const [k, m] = [ADVANCE[kept.stage], ADVANCE[merged.stage]];
  if (k !== m) return k > m ? kept : merged;
  return merged.updatedAt > kept.updatedAt ? merged : kept;
}

/** A write being checked: the ids it writes, the records it stored so far (in order), its batch on the thread. */
interface Collector {
  readonly ids: ReadonlySet<string>;
  readonly stored: Company[];
  readonly batch: number;
}

export interface DuplicateCheckSettings {
  /**
   * Whether the index runs on a worker thread (default true): an import's check then runs
   * beside the import rather than after each record of it, and building the index over a
   * large register does not hold up requests.
   */
  readonly worker?: boolean;
  /** Opens the index (core `openDuplicateThread`); a test passes its own to stop a worker mid-write. */
  readonly open?: typeof openDuplicateThread;
}

/**
 * Likely duplicate companies, reported as warnings (never errors) by create and import: the
 * same organisation number, or name and description close (core `createDuplicateIndex`).
 * The index follows the records through their listener, on its own thread (core
 * `openDuplicateThread`): a write it checks posts each record as the write stores it (so a
 * record can be named as the duplicate of one earlier in the same import) and takes the
 * warnings once the write is done. A write that fails reloads the records, and the index is
 * built again. A worker that fails is replaced by an index on this thread, built from the
 * stored records, and the write being checked is checked again there: warnings are never
 * lost.
 */
export class DuplicateCheck {
  readonly #records: Records;
  readonly #options: DuplicateOptions;
  readonly #worker: boolean;
  readonly #open: typeof openDuplicateThread;
  #index: DuplicateThread | undefined;
  /** Writes being checked; a record of one is checked when the write puts it into the index. */
  readonly #collecting = new Set<Collector>();
  #nextBatch = 0;
  #turnInFlight: Promise<void> | undefined;
  readonly #decisions: Decisions | undefined;
  readonly #alerts: Alerts | undefined;
  #pairs: { generation: number; list: PossibleDuplicate[] } | undefined;
  #closed = false;

  /** `decisions` and `alerts` are what a {@link merge} moves beside the record; without them it refuses. */
  constructor(
    records: Records,
    options: DuplicateOptions = {},
    related: { readonly decisions?: Decisions; readonly alerts?: Alerts } = {},
    settings: DuplicateCheckSettings = {},
  ) {
    this.#records = records;
    this.#options = options;
    this.#worker = settings.worker ?? true;
    this.#open = settings.open ?? openDuplicateThread;
    this.#decisions = related.decisions;
    this.#alerts = related.alerts;
    records.listen({
      put: (kind, record) => {
        if (kind !== 'company' || this.#index === undefined) return;
        const index = this.#index;
        const collector = [...this.#collecting].find((c) => c.ids.has(record.id));
        if (collector === undefined) this.#following(() => index.add(record as Company));
        else {
          collector.stored.push(record as Company);
          this.#following(() => index.checkAndAdd(record as Company, collector.batch));
        }
      },
      removed: (kind, id) => {
        const index = this.#index;
        if (kind === 'company' && index !== undefined) this.#following(() => index.remove(id));
      },
      reloaded: () => this.#drop(),
      // One turn of an import may be in flight on the worker while the next is written: the
      // import and its check overlap, and a create answered between turns waits behind at
      // most two turns of checks, not the whole import's.
      betweenTurns: () => {
        if (this.#index?.threaded !== true) return undefined;
        const previous = this.#turnInFlight;
        this.#turnInFlight = this.#index.settledAsync();
        return previous;
      },
    });
  }

  /** Whether the index runs on a worker thread now (false before first use and after a fallback). */
  get threaded(): boolean {
    return this.#index?.threaded ?? false;
  }

  /** The lowest similarity reported as `similar-text`. */
  get threshold(): number {
    return this.#options.threshold ?? DEFAULT_DUPLICATE_THRESHOLD;
  }

  /**
   * Every likely duplicate pair among the stored companies, strongest first (the same organisation
   * number, then by similarity), computed once per generation of the records.
   */
  possible(): readonly PossibleDuplicate[] {
    const generation = this.#records.generation;
    if (this.#pairs?.generation === generation) return this.#pairs.list;
    return this.#listed(generation, this.#fallingBack(() => this.#current().pairs()));
  }

  /** Keeps `pairs`, found at `generation`, with the names of both records, as the list of that generation. */
  #listed(generation: number, pairs: readonly DuplicateWarning[]): readonly PossibleDuplicate[] {
    const name = (id: string) => this.#records.get('company', id).name;
    const list = pairs.map((pair) => ({ ...pair, name: name(pair.id), duplicateOfName: name(pair.duplicateOf) }));
    this.#pairs = { generation, list };
    return list;
  }

  /**
   * {@link possible} without holding the event loop while the worker builds its index or
   * compares (the first list over a large register takes seconds). A write answered meanwhile
   * makes it ask again, up to three times, then answer as {@link possible}.
   */
  async possibleAsync(): Promise<readonly PossibleDuplicate[]> {
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const generation = this.#records.generation;
      if (this.#pairs?.generation === generation) return this.#pairs.list;
      let pairs: DuplicateWarning[];
      try {
        pairs = await this.#current().pairsAsync();
      } catch {
        continue;
      }
      if (this.#records.generation === generation) return this.#listed(generation, pairs);
    }
    return this.possible();
  }

  /**
   * Merges company `mergedId` into `keepId` in one transaction: the follow-up history (events
   * copied in their order, since the history is append-only, then the originals deleted), the
   * decisions and the company alert subscriptions move to the kept record, and the merged record
   * leaves the database, the index and the duplicate list. Where both had a stage on one need,
   * the more advanced stage wins ({@link moreAdvanced}) and a history event on the kept pair says
   * so. The kept record itself is unchanged. INVALID_INPUT when the two ids are one; NOT_FOUND
   * for an unknown company.
   */
  merge(mergedId: string, keepId: string, actor: Actor): MergeResult {
    const decisions = this.#decisions;
    if (decisions === undefined) throw new Error('DuplicateCheck.merge needs the decisions (construct it with them)');
    if (mergedId === keepId) {
      throw new PartnermatchError('INVALID_INPUT', 'a company cannot be merged into itself', {
        issues: [{ path: 'body.keep', message: `must name another company than ${JSON.stringify(mergedId)}` }],
      });
    }
    this.#records.get('company', mergedId);
    this.#records.get('company', keepId);
    const db = this.#records.store.db;
    refuseEventParticipants(db, mergedId);
    const { history } = decisions;
    try {
      return this.#records.commit(() => {
        const keptStates = new Map(history.currentAll({ companyId: keepId }).map((state) => [state.needId, state]));
        const mergedStates = history.currentAll({ companyId: mergedId });
        const storedDecision = (companyId: string) => new Map(this.#records.store.decisions().filter((d) => d.companyId === companyId).map((d) => [d.needId, d]));
        const keptDecisions = storedDecision(keepId);
        const mergedDecisions = storedDecision(mergedId);

        const events = db
          .prepare(
            `INSERT INTO followup_events (need_id, company_id, at, stage, previous_stage, note, next_action_on, actor_name, actor_role)
             SELECT need_id, ?, at, stage, previous_stage, note, next_action_on, actor_name, actor_role
             FROM followup_events WHERE company_id = ? ORDER BY id`,
          )
          .run(keepId, mergedId).changes;
        db.prepare('DELETE FROM followup_events WHERE company_id = ?').run(mergedId);

        const conflicts: MergeConflict[] = [];
        const keptWon = new Set<string>();
        for (const merged of mergedStates) {
          const kept = keptStates.get(merged.needId);
          if (kept === undefined) continue;
          const winner = moreAdvanced(kept, merged);
          if (winner === kept) keptWon.add(merged.needId);
          conflicts.push({ needId: merged.needId, keptStage: kept.stage, mergedStage: merged.stage, stage: winner.stage });
          const note = `merged company ${mergedId} into ${keepId}: kept stage ${winner.stage} (${keepId}: ${kept.stage}, ${mergedId}: ${merged.stage})`;
          history.recordStage(merged.needId, keepId, { stage: winner.stage, note, nextActionOn: winner.nextActionOn ?? null }, actor);
        }

        // Each moved pair's decision follows its stage after the merge, with the note of the
        // side whose stage it is.
        const moved = new Set([...mergedDecisions.keys(), ...mergedStates.map((state) => state.needId)]);
        for (const needId of moved) {
          const current = history.current(needId, keepId);
          const source = keptWon.has(needId) ? keptDecisions.get(needId) : (mergedDecisions.get(needId) ?? keptDecisions.get(needId));
          const status = current === undefined ? source?.status : legacyStatusOfStage(current.stage);
          this.#records.store.deleteDecision(needId, mergedId);
          if (status === undefined) {
            this.#records.store.deleteDecision(needId, keepId);
            continue;
          }
          const note = source?.note;
          const updatedAt = keptStates.has(needId) ? (current?.updatedAt ?? new Date().toISOString()) : (source?.updatedAt ?? current!.updatedAt);
          const decision: Decision = { needId, companyId: keepId, status, ...(note === undefined ? {} : { note }), updatedAt };
          this.#records.store.putDecision(decision);
        }
        const movedDecisions = mergedDecisions.size;

        const subscriptions = this.#alerts?.subscriptions.moveCompany(mergedId, keepId) ?? 0;
        // Deletes the row, takes the record out of the matcher and this index, and tells the
        // listeners (nothing of the merged record is left for them to delete).
        this.#records.remove('company', mergedId);
        return { kept: keepId, merged: mergedId, moved: { decisions: movedDecisions, events, subscriptions }, conflicts };
      });
    } finally {
      // The decisions moved by SQL: memory follows the database, committed or rolled back.
      decisions.reload();
      this.#alerts?.subscriptions.reload();
    }
  }

  /**
   * Built on first use (a service that never creates companies never pays for it), from the
   * matcher's index and the stored names (`Records.duplicateSeed`): ~4 s at 100k companies on
   * the worker, where analysing every record again took ~20 s.
   */
  #current(): DuplicateThread {
    this.#index ??= this.#open(this.#records.duplicateSeed(), this.#options, { worker: this.#worker });
    return this.#index;
  }

  /**
   * Tells the index of a write. Runs inside the write's transaction, so it never throws: a
   * worker that has failed refuses the post, and the failure shows at the next question to
   * it, where {@link #fallingBack} rebuilds the index from the stored records.
   */
  #following(post: () => void): void {
    try {
      post();
    } catch {
      // Seen again, and handled, at the next question to the index.
    }
  }

  #drop(): void {
    void this.#index?.close();
    this.#index = undefined;
  }

  /**
   * Builds the index now if it is not built, so that the first create or import of a company
   * does not wait for it (the service calls this once every stored record is read). Never
   * throws: an index that could not be made now is made, or its failure reported, at first use.
   */
  warm(): void {
    if (this.#closed) return;
    try {
      this.#current();
    } catch {
      // Left unbuilt: the first check makes it, or reports why it cannot.
    }
  }

  /** Ends the index's worker (a later check builds the index again; {@link warm} no longer does). */
  async close(): Promise<void> {
    this.#closed = true;
    const index = this.#index;
    this.#index = undefined;
    await index?.close();
  }

  /**
   * Runs `read` against the index; when its worker has failed, builds the index on this thread
   * from the stored records (less those of `pending`, which are checked again in their order)
   * and reads that instead.
   */
  #fallingBack<T>(read: () => T, pending?: Collector): T {
    try {
      return read();
    } catch (error) {
      if (this.#index === undefined || !this.#index.threaded) throw error;
      this.#index.close().catch(() => {});
      const replayed = new Set(pending?.stored.map((company) => company.id));
      this.#index = openDuplicateThread(this.#records.duplicateSeed(replayed), this.#options, { worker: false });
      for (const company of pending?.stored ?? []) this.#index.checkAndAdd(company, pending!.batch);
      return read();
    }
  }

  /**
   * Runs `write` (a create or import of `inputs`) and reports its likely duplicate companies:
   * each record is checked as the write stores it, against the records before it (stored or
   * earlier in the same write). The write's own errors are thrown unchanged; a write that fails
   * inside its transaction reloads memory (the records' `reloaded`), and the index with it.
   * Needs are not checked.
   */
  check<T>(kind: RecordKind, inputs: readonly unknown[], write: () => T): { result: T; warnings: DuplicateWarning[] } {
    if (kind !== 'company') return { result: write(), warnings: [] };
    const collector = this.#collector(inputs);
    try {
      const result = write();
      return { result, warnings: this.#fallingBack(() => this.#current().warnings(collector.batch), collector) };
    } finally {
      this.#collecting.delete(collector);
    }
  }

  /** {@link check} for a write that yields to the event loop (the service's imports); waits for the warnings without blocking it. */
  async checkAsync<T>(kind: RecordKind, inputs: readonly unknown[], write: () => Promise<T>): Promise<{ result: T; warnings: DuplicateWarning[] }> {
    if (kind !== 'company') return { result: await write(), warnings: [] };
    const collector = this.#collector(inputs);
    try {
      const result = await write();
      const index = this.#current();
      let warnings: DuplicateWarning[];
      try {
        warnings = await index.warningsAsync(collector.batch);
      } catch {
        warnings = this.#fallingBack(() => this.#current().warnings(collector.batch), collector);
      }
      return { result, warnings };
    } finally {
      this.#collecting.delete(collector);
    }
  }

  /** Builds the index if it is not (before the write, so it holds the records stored before) and starts collecting for the ids of `inputs`. */
  #collector(inputs: readonly unknown[]): Collector {
    this.#current();
    const ids = new Set<string>();
    for (const input of inputs) {
      const id = input !== null && typeof input === 'object' ? (input as { id?: unknown }).id : undefined;
      if (typeof id === 'string') ids.add(id);
    }
    const collector: Collector = { ids, stored: [], batch: this.#nextBatch++ };
    this.#collecting.add(collector);
    return collector;
  }
}

/**
 * A company in an event's programme (participant, request, pin or forbid) is not merged: moving
 * it would change who meets whom in a programme already sent out. The coordinator replaces it
 * in those events first (the error names them); nothing is written.
 */
function refuseEventParticipants(db: Database.Database, companyId: string): void {
  const eventIds = new EventStore(db).eventsWithCompany(companyId);
  if (eventIds.length === 0) return;
  throw new PartnermatchError('IN_USE', `company ${JSON.stringify(companyId)} takes part in event(s) ${eventIds.map((id) => JSON.stringify(id)).join(', ')}: replace it there before merging`, {
    issues: [{ path: 'path.id', message: `takes part in event(s) ${eventIds.join(', ')}` }],
  });
}
