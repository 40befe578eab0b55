import type { Company, PartnerNeed } from './records.js';

/**
 * Sector tags, partnership types and working languages come from short fixed vocabularies,
 * so a register of 100k records holds a few thousand distinct lists of them. A stored
 * record points at one frozen copy of each distinct list instead of its own arrays: at 100k
 * companies that is ~40 MB less retained (a small JS array costs ~100 bytes). Frozen, since
 * every record with that list shares it; a stored record was never the caller's to change.
 */
const SHARED_LIST_LIMIT = 16_384;
const sharedLists = new Map<string, readonly string[]>();

function shared(list: readonly string[]): readonly string[] {
  const key = list.join('\u0000');
  let kept = sharedLists.get(key);
  if (kept === undefined) {
    // Past the limit the lists are not the vocabularies this is for: the record keeps its own.
    if (sharedLists.size >= SHARED_LIST_LIMIT) return list;
    kept = Object.freeze([...list]);
    sharedLists.set(key, kept);
  }
  return kept;
}

/** Points the record's tag, type and language lists at shared frozen copies (in place; the record must be the matcher's own). */
export function shareRecordLists<T extends Company | PartnerNeed>(record: T): T {
  const lists = record as { sectors?: readonly string[]; partnershipTypes?: readonly string[]; languages?: readonly string[] };
  if (lists.sectors !== undefined) lists.sectors = shared(lists.sectors);
  if (lists.partnershipTypes !== undefined) lists.partnershipTypes = shared(lists.partnershipTypes);
  if (lists.languages !== undefined) lists.languages = shared(lists.languages);
  return record;
}
