import type { BatchResult, Explanation } from '@partnermatch/core';
import { stringify } from 'csv-stringify/sync';

export type OutputFormat = 'json' | 'ndjson' | 'csv';

export interface OutputNames {
  /** `needId` when companies were ranked for needs, `companyId` the other way. */
  readonly query: 'needId' | 'companyId';
  readonly match: 'companyId' | 'needId';
}

interface OutputEntry {
  [key: string]: unknown;
}

function toEntries(results: readonly BatchResult[], names: OutputNames, explain: boolean): OutputEntry[] {
  return results.map((result) => ({
    [names.query]: result.queryId,
    matches: result.matches.map((match) => ({
      [names.match]: match.id,
      rank: match.rank,
      score: match.score,
      ...(explain && match.explanation !== undefined ? { explanation: match.explanation } : {}),
    })),
  }));
}

export function formatResults(
  results: readonly BatchResult[],
  format: OutputFormat,
  names: OutputNames,
  explain: boolean,
): string {
  if (format === 'json') return `${JSON.stringify(toEntries(results, names, explain), null, 2)}\n`;
  if (format === 'ndjson') return toEntries(results, names, explain).map((entry) => `${JSON.stringify(entry)}\n`).join('');
  const header = [names.query, 'rank', names.match, 'score', 'tags', 'text', 'cooperation', ...(explain ? ['why'] : [])];
  const rows = results.flatMap((result) =>
    result.matches.map((match) => [
      result.queryId,
      match.rank,
      match.id,
      match.score,
      match.parts.tags,
      match.parts.text,
      match.parts.cooperation,
      ...(explain ? [(match.explanation as Explanation | undefined)?.summary ?? ''] : []),
    ]),
  );
  return stringify([header, ...rows]);
}
