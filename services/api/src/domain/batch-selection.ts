import type { PartnerNeed } from '@partnermatch/core';
import type { RecordKind } from '../store.js';
import { invalidInput, KIND_LABEL, type Records } from './records.js';

/**
 * The records a batch ranks for: the given ids (each must exist, else INVALID_INPUT naming
 * `body.ids[i]`; repeats once), else every open need or every company.
 */
export function selectBatchQueries(records: Records, kind: RecordKind, ids?: readonly string[]): string[] {
  if (ids === undefined) {
    return [...records.stored(kind)].filter((r) => kind === 'company' || (r as PartnerNeed).status !== 'closed').map((r) => r.id);
  }
  const missing = ids.flatMap((id, i) =>
    records.has(kind, id) ? [] : [{ path: `body.ids[${i}]`, message: `no ${KIND_LABEL[kind]} with id ${JSON.stringify(id)}` }],
  );
  if (missing.length > 0) throw invalidInput(missing);
  return [...new Set(ids)];
}
