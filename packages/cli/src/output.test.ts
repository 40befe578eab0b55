import type { BatchResult } from '@partnermatch/core';
import { describe, expect, it } from 'vitest';
import { formatResults } from './output.js';

const results: BatchResult[] = [
  {
    queryId: 'n1',
    matches: [
      { id: 'c1', needId: 'n1', companyId: 'c1', rank: 1, score: 0.9, parts: { tags: 1, text: 0.8, cooperation: 1 } },
      { id: 'c2', needId: 'n1', companyId: 'c2', rank: 2, score: 0.5, parts: { tags: 0.5, text: 0.5, cooperation: 0.5 } },
    ],
  },
  { queryId: 'n2', matches: [] },
];
const names = { query: 'needId', match: 'companyId' } as const;

describe('formatResults', () => {
  it('writes the JSON shape of the CLI contract', () => {
    expect(JSON.parse([...formatResults(results, 'json', names, false)].join(''))).toEqual([
      { needId: 'n1', matches: [{ companyId: 'c1', rank: 1, score: 0.9 }, { companyId: 'c2', rank: 2, score: 0.5 }] },
      { needId: 'n2', matches: [] },
    ]);
  });

  it('writes one NDJSON line per query and one CSV row per match', () => {
    expect([...formatResults(results, 'ndjson', names, false)].join('').trim().split('\n')).toHaveLength(2);
    expect([...formatResults([], 'json', names, false)].join('')).toBe('[]\n');
    expect([...formatResults(results, 'csv', { query: 'companyId', match: 'needId' }, false)].join('').trim().split('\n')).toEqual([
      'companyId,rank,needId,score,tags,text,cooperation',
      'n1,1,c1,0.9,1,0.8,1',
      'n1,2,c2,0.5,0.5,0.5,0.5',
    ]);
  });
});
