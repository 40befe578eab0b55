import { PartnermatchError } from '@partnermatch/core';
import type { Decision, DecisionStatus } from '../store.js';
import type { Records } from './records.js';

export interface DecisionFilter {
  readonly needId?: string;
  readonly companyId?: string;
  readonly status?: DecisionStatus;
}

/** The map key of a need–company pair: unambiguous whatever characters the ids hold. */
function pairKey(needId: string, companyId: string): string {
  return JSON.stringify([needId, companyId]);
}

/**
 * Coordinators' decisions on need–company pairs, durable in the database and served from
 * memory. Written through {@link Records.commit}, so a decision and the records share one
 * transaction and one generation (a decision changes rankings: declined pairs drop out).
 */
export class Decisions {
  readonly #records: Records;
  #byPair = new Map<string, Decision>();

  constructor(records: Records) {
    this.#records = records;
    this.#load();
    records.listen({
      reloaded: () => this.#load(),
      removed: (kind, id) => {
        for (const [key, decision] of this.#byPair) {
          if ((kind === 'need' ? decision.needId : decision.companyId) === id) this.#byPair.delete(key);
        }
      },
    });
  }

  #load(): void {
    this.#byPair = new Map(this.#records.store.decisions().map((d) => [pairKey(d.needId, d.companyId), d]));
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
    return this.#byPair.get(pairKey(needId, companyId));
  }

  /** True when a coordinator declined the pair. */
  declined(needId: string, companyId: string): boolean {
    return this.find(needId, companyId)?.status === 'declined';
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
  set(needId: string, companyId: string, status: DecisionStatus, note?: string): { decision: Decision; created: boolean } {
    this.#records.get('need', needId);
    this.#records.get('company', companyId);
    const created = !this.#byPair.has(pairKey(needId, companyId));
    const decision: Decision = { needId, companyId, status, ...(note === undefined ? {} : { note }), updatedAt: new Date().toISOString() };
    this.#records.commit(() => {
      this.#records.store.putDecision(decision);
      this.#byPair.set(pairKey(needId, companyId), decision);
    });
    return { decision, created };
  }

  /** Deletes the decision on a pair; NOT_FOUND if there is none. */
  remove(needId: string, companyId: string): void {
    this.get(needId, companyId);
    this.#records.commit(() => {
      this.#records.store.deleteDecision(needId, companyId);
      this.#byPair.delete(pairKey(needId, companyId));
    });
  }
}
