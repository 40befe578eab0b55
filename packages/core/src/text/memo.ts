/**
 * Drops the older half of a memo (a Map iterates in insertion order), keeping the recent
 * entries: clearing all would make every word a miss again on a large vocabulary.
 */
export function evictOldestHalf<K, V>(memo: Map<K, V>): void {
  let drop = memo.size >> 1;
  for (const key of memo.keys()) {
    if (drop-- <= 0) break;
    memo.delete(key);
  }
}

/**
 * A copy of `text` that does not share memory with a longer string. V8 may represent a
 * slice as a view into its parent, so a word sliced from a document and kept as a map
 * key would keep the whole document's text alive.
 */
export function detached(text: string): string {
  return (' ' + text).slice(1);
}
