import type { BatchResult, Explanation } from '@partnermatch/core';
import { stringify } from 'csv-stringify/sync';

export type OutputFormat = 'json' | 'ndjson' | 'csv';

export interface OutputNames {
  /** `needId` when companies were ranked for needs, `companyId` the other way. */
  readonly query: 'needId' | 'companyId';
  readonly match: 'companyId' | 'needId';
}

function toEntry(result: BatchResult, names: OutputNames, explain: boolean): Record<string, unknown> {
  return {
    [names.query]: result.queryId,
    matches: result.matches.map((match) => ({
      [names.match]: match.id,
      rank: match.rank,
      score: match.score,
      ...(explain && match.explanation !== undefined ? { explanation: match.explanation } : {}),
    })),
  };
}

/**
 * The results as text chunks, one query at a time, so a batch of any size is written as
 * it is ranked instead of being built as one string.
 */
export function* formatResults(
  results: Iterable<BatchResult>,
  format: OutputFormat,
  names: OutputNames,
  explain: boolean,
): Generator<string, void, undefined> {
  if (format === 'ndjson') {
    for (const result of results) yield `${JSON.stringify(toEntry(result, names, explain))}\n`;
    return;
  }
  if (format === 'json') {
    let first = true;
    for (const result of results) {
      const entry = JSON.stringify(toEntry(result, names, explain), null, 2).replace(/^/gm, '  ');
      yield `${first ? '[\n' : ',\n'}${entry}`;
      first = false;
    }
    yield first ? '[]\n' : '\n]\n';
    return;
  }
  yield stringify([[names.query, 'rank', names.match, 'score', 'tags', 'text', 'cooperation', ...(explain ? ['why'] : [])]]);
  for (const result of results) {
    const rows = result.matches.map((match) => [
      result.queryId,
      match.rank,
      match.id,
      match.score,
      match.parts.tags,
      match.parts.text,
      match.parts.cooperation,
      ...(explain ? [(match.explanation as Explanation | undefined)?.summary ?? ''] : []),
    ]);
    if (rows.length > 0) yield stringify(rows);
  }
}
