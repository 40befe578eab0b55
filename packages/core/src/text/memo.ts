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
