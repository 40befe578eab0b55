import { PartnermatchError } from '@partnermatch/core';
import {
  DecisionHistory,
  legacyStatusOfStage,
  NextActionInputSchema,
  parseInput,
  StageChangeInputSchema,
  type ActionItem,
  type Actor,
  type FollowupEvent,
  type PairState,
} from '../followup/index.js';
import type { Decision, DecisionStatus } from '../store.js';
import type { Records } from './records.js';

/** Who changed a pair when the caller names nobody (tests, scripts). */
const SYSTEM_ACTOR: Actor = { name: 'system', role: 'system' };

export interface DecisionFilter {
  readonly needId?: string;
  readonly companyId?: string;
  readonly status?: DecisionStatus;
}

/**
 * Decisions by need, then by company. Rankings ask about every candidate they consider, so
 * a lookup is two map reads with no key to build (a JSON pair key per candidate was 2 % of an
 * uncached ranked request's CPU).
 */
class PairMap {
  readonly #byNeed = new Map<string, Map<string, Decision>>();
  #size = 0;
  #declined = 0;

  constructor(decisions: Iterable<Decision> = []) {
    for (const decision of decisions) this.set(decision);
  }

  get size(): number {
    return this.#size;
  }

  get(needId: string, companyId: string): Decision | undefined {
    return this.#byNeed.get(needId)?.get(companyId);
  }

  set(decision: Decision): void {
    let companies = this.#byNeed.get(decision.needId);
    if (companies === undefined) this.#byNeed.set(decision.needId, (companies = new Map()));
    const previous = companies.get(decision.companyId);
    if (previous === undefined) this.#size += 1;
    else if (previous.status === 'declined') this.#declined -= 1;
    if (decision.status === 'declined') this.#declined += 1;
    companies.set(decision.companyId, decision);
  }

  delete(needId: string, companyId: string): void {
    const companies = this.#byNeed.get(needId);
    const previous = companies?.get(companyId);
    if (companies === undefined || previous === undefined) return;
    companies.delete(companyId);
    this.#size -= 1;
    if (previous.status === 'declined') this.#declined -= 1;
    if (companies.size === 0) this.#byNeed.delete(needId);
  }

  *values(): Generator<Decision> {
    for (const companies of this.#byNeed.values()) yield* companies.values();
  }

  /** Declined pairs in all. */
  get declined(): number {
    return this.#declined;
  }

  /** Whether any company was declined for the need. */
  anyDeclinedFor(needId: string): boolean {
    for (const decision of this.#byNeed.get(needId)?.values() ?? []) if (decision.status === 'declined') return true;
    return false;
  }
}

/**
 * Coordinators' decisions on need–company pairs, durable in the database and served from
 * memory. Written through {@link Records.commit}, so a decision and the records share one
 * transaction and one generation (a decision changes rankings: declined pairs drop out).
 */
export class Decisions {
  readonly #records: Records;
  /** The append-only stage history behind the decisions (issue 12); its latest event per pair is the decision. */
  readonly history: DecisionHistory;
  #byPair = new PairMap();

  constructor(records: Records) {
    this.#records = records;
    this.history = new DecisionHistory(records.store.db);
    // Decisions made before the history existed become each pair's first event (idempotent).
    this.history.importLegacyDecisions();
    this.#load();
    records.listen({
      reloaded: () => this.#load(),
      removed: (kind, id) => {
        this.history.removeFor(kind, id);
        for (const decision of [...this.#byPair.values()]) {
          if ((kind === 'need' ? decision.needId : decision.companyId) === id) this.#byPair.delete(decision.needId, decision.companyId);
        }
      },
    });
  }

  /** Reads the decisions from the database again (after a write that moved them by SQL: a merge of duplicates). */
  reload(): void {
    this.#load();
  }

  #load(): void {
    this.#byPair = new PairMap(this.#records.store.decisions());
  }

  get count(): number {
    return this.#byPair.size;
  }

  /** Decisions matching `filter`, ordered by need id, then company id. */
  list(filter: DecisionFilter = {}): Decision[] {
    return [...this.#byPair.values()]
      .filter(
        (d) =>
          (filter.needId === undefined || d.needId === filter.needId) &&
          (filter.companyId === undefined || d.companyId === filter.companyId) &&
          (filter.status === undefined || d.status === filter.status),
      )
      .sort((a, b) => (a.needId === b.needId ? (a.companyId < b.companyId ? -1 : 1) : a.needId < b.needId ? -1 : 1));
  }

  /** The decision on a pair, if any. */
  find(needId: string, companyId: string): Decision | undefined {
    return this.#byPair.get(needId, companyId);
  }

  /** True when a coordinator declined the pair. */
  declined(needId: string, companyId: string): boolean {
    return this.find(needId, companyId)?.status === 'declined';
  }

  /**
   * Whether a ranking for this record can meet a declined pair: for a need, whether any
   * company was declined for it; for a company, whether any pair at all was declined
   * (they are not indexed by company: a ranking of needs then asks pair by pair).
   */
  mayHaveDeclined(kind: 'need' | 'company', id: string): boolean {
    return kind === 'need' ? this.#byPair.anyDeclinedFor(id) : this.#byPair.declined > 0;
  }

  /** The decision on a pair; NOT_FOUND if there is none. */
  get(needId: string, companyId: string): Decision {
    const decision = this.find(needId, companyId);
    if (decision === undefined) {
      throw new PartnermatchError('NOT_FOUND', `no decision for need ${JSON.stringify(needId)} and company ${JSON.stringify(companyId)}`);
    }
    return decision;
  }

  /** Records (or changes) the decision on a pair; NOT_FOUND if the need or the company does not exist. */
  set(needId: string, companyId: string, status: DecisionStatus, note?: string, actor: Actor = SYSTEM_ACTOR): { decision: Decision; created: boolean } {
    this.#records.get('need', needId);
    this.#records.get('company', companyId);
    const created = this.#byPair.get(needId, companyId) === undefined;
    const decision: Decision = { needId, companyId, status, ...(note === undefined ? {} : { note }), updatedAt: new Date().toISOString() };
    this.#records.commit(() => {
      this.#records.store.putDecision(decision);
      this.#byPair.set(decision);
      this.history.recordStage(needId, companyId, { stage: status, ...(note === undefined ? {} : { note }) }, actor);
    });
    return { decision, created };
  }

  /**
   * Appends a stage change (with an optional note and next-action date) to a pair's history
   * and keeps the three-status decision in step: `meeting` and `negotiating` read as
   * `contacted`, `no-deal` as `declined` (the pair leaves rankings), `suggested` as none.
   * Bad input → INVALID_INPUT naming `body.<field>`; NOT_FOUND for an unknown need or company.
   */
  recordStage(needId: string, companyId: string, input: unknown, actor: Actor): { event: FollowupEvent; state: PairState } {
    const change = parseInput(StageChangeInputSchema, input);
    this.#records.get('need', needId);
    this.#records.get('company', companyId);
    const event = this.#records.commit(() => {
      const appended = this.history.recordStage(needId, companyId, change, actor);
      const status = legacyStatusOfStage(appended.stage);
      if (status === undefined) {
        this.#records.store.deleteDecision(needId, companyId);
        this.#byPair.delete(needId, companyId);
      } else {
        const previous = this.#byPair.get(needId, companyId);
        const note = change.note === undefined || change.note === '' ? previous?.note : change.note;
        const decision: Decision = { needId, companyId, status, ...(note === undefined ? {} : { note }), updatedAt: appended.at };
        this.#records.store.putDecision(decision);
        this.#byPair.set(decision);
      }
      return appended;
    });
    return { event, state: this.history.current(needId, companyId)! };
  }

  /** Appends a change of a pair's next-action date (`null` clears it). */
  setNextAction(needId: string, companyId: string, input: unknown, actor: Actor): { event: FollowupEvent; state: PairState } {
    const change = parseInput(NextActionInputSchema, input);
    this.#records.get('need', needId);
    this.#records.get('company', companyId);
    const event = this.#records.commit(() => this.history.setNextAction(needId, companyId, change, actor));
    return { event, state: this.history.current(needId, companyId)! };
  }

  /** A pair's history, oldest first; NOT_FOUND for an unknown need or company. */
  historyOf(needId: string, companyId: string): FollowupEvent[] {
    this.#records.get('need', needId);
    this.#records.get('company', companyId);
    return this.history.history(needId, companyId);
  }

  /** Pairs whose next action is overdue or due (see {@link DecisionHistory.actions}). */
  actions(options: { readonly asOf?: string; readonly withinDays?: number } = {}): ActionItem[] {
    return this.history.actions(options);
  }

  /** Deletes the decision on a pair (its history gets a `suggested` event, so the two agree); NOT_FOUND if there is none. */
  remove(needId: string, companyId: string, actor: Actor = SYSTEM_ACTOR): void {
    this.get(needId, companyId);
    this.#records.commit(() => {
      this.#records.store.deleteDecision(needId, companyId);
      this.#byPair.delete(needId, companyId);
      this.history.recordStage(needId, companyId, { stage: 'suggested', note: 'decision cleared' }, actor);
    });
  }
}
