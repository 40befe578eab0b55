import { createDuplicateIndex, validateCompany, type Company, type DuplicateIndex, type DuplicateOptions, type DuplicateWarning } from '@partnermatch/core';
import type { RecordKind } from '../store.js';
import type { Records } from './records.js';

export type { DuplicateWarning };

/**
 * Likely duplicate companies, reported as warnings (never errors) by create and import: the
 * same organisation number, or name and description close (core `createDuplicateIndex`).
 * The index follows the records through their listener; a write it checks adds its records
 * to the index before the write (so a record can be named as the duplicate of one earlier
 * in the same import) and takes them out again if the write fails.
 */
export class DuplicateCheck {
  readonly #records: Records;
  readonly #options: DuplicateOptions;
  #index: DuplicateIndex | undefined;
  /** Ids added by a running {@link check}: their `put` is already in the index. */
  readonly #pending = new Set<string>();

  constructor(records: Records, options: DuplicateOptions = {}) {
    this.#records = records;
    this.#options = options;
    records.listen({
      put: (kind, record) => {
        if (kind === 'company' && this.#index !== undefined && !this.#pending.has(record.id)) this.#index.add(record as Company);
      },
      removed: (kind, id) => {
        if (kind === 'company') this.#index?.remove(id);
      },
      reloaded: () => {
        this.#index = undefined;
      },
    });
  }

  /** Built on first use (a service that never creates companies never pays for it). */
  #current(): DuplicateIndex {
    this.#index ??= createDuplicateIndex([...this.#records.stored('company')], this.#options);
    return this.#index;
  }

  /**
   * Runs `write` (a create or import of `inputs`) and the duplicate check of the inputs that
   * validate; the write's own errors are thrown unchanged. Needs are not checked.
   */
  check<T>(kind: RecordKind, inputs: readonly unknown[], write: () => T): { result: T; warnings: DuplicateWarning[] } {
    const { warnings, undo } = this.#reserve(kind, inputs);
    try {
      return { result: write(), warnings };
    } catch (error) {
      undo();
      throw error;
    } finally {
      this.#pending.clear();
    }
  }

  /** {@link check} for a write that yields to the event loop (the service's imports). */
  async checkAsync<T>(kind: RecordKind, inputs: readonly unknown[], write: () => Promise<T>): Promise<{ result: T; warnings: DuplicateWarning[] }> {
    const { warnings, undo } = this.#reserve(kind, inputs);
    try {
      return { result: await write(), warnings };
    } catch (error) {
      undo();
      throw error;
    } finally {
      this.#pending.clear();
    }
  }

  /** Checks and adds the incoming companies to the index; `undo` puts the index back if the write fails. */
  #reserve(kind: RecordKind, inputs: readonly unknown[]): { warnings: DuplicateWarning[]; undo: () => void } {
    if (kind !== 'company') return { warnings: [], undo: () => {} };
    const index = this.#current();
    const warnings: DuplicateWarning[] = [];
    const touched: [id: string, previous: Company | undefined][] = [];
    for (const input of inputs) {
      const valid = validateCompany(input);
      if (!valid.ok || this.#pending.has(valid.value.id)) continue;
      const previous = this.#records.has('company', valid.value.id) ? this.#records.get('company', valid.value.id) : undefined;
      warnings.push(...index.checkAndAdd(valid.value));
      touched.push([valid.value.id, previous]);
      this.#pending.add(valid.value.id);
    }
    const undo = () => {
      if (this.#index !== index) return;
      for (const [id, previous] of touched.reverse()) {
        if (previous === undefined) index.remove(id);
        else index.add(previous);
      }
    };
    return { warnings, undo };
  }
}
