import { describe, expect, it } from 'vitest';
import type { BatchResult } from '../matcher.js';
import type { Explanation } from '../scoring/explanation.js';
import { formatResults, resultColumns, resultCsvRows, resultMatch, type RecordNames, type ResultTableOptions } from './results.js';

const explanation = {
  summary: 'tags: energy.solar (exact) · text: 光伏 ↔ solceller',
  tags: [
    { needTag: 'energy.solar', companyTag: 'energy.solar' },
    { needTag: 'energy.solar', companyTag: 'energy.solar' },
  ],
  terms: [
    { label: 'solar', needPhrases: ['光伏'], companyPhrases: ['solceller'] },
    { label: 'solar cell', needPhrases: ['光伏'], companyPhrases: ['solceller'] },
    { label: 'grid', needPhrases: ['电网'], companyPhrases: ['elnät'] },
  ],
  cooperation: { known: true, shared: ['export'], related: [] },
} as unknown as Explanation;

const results: BatchResult[] = [
  {
    queryId: 'n1',
    matches: [
      { id: 'c1', needId: 'n1', companyId: 'c1', rank: 1, score: 0.9, parts: { tags: 1, text: 0.8, cooperation: 1 }, explanation },
      { id: 'c2', needId: 'n1', companyId: 'c2', rank: 2, score: 0.5, parts: { tags: 0.5, text: 0.5, cooperation: 0.5 } },
    ],
  },
  { queryId: 'n2', matches: [] },
];
const names: RecordNames = {
  company: (id) => (id === 'c1' ? { name: '=Sol AB', municipality: 'Karlshamn', contact: { name: 'Eva', email: 'eva@sol.se' } } : undefined),
  need: (id) => (id === 'n1' ? { title: '光伏电站', organization: '昆明' } : undefined),
};
const text = (format: 'json' | 'ndjson' | 'csv', options: Partial<Parameters<typeof formatResults>[2]> = {}) =>
  [...formatResults(results, format, { direction: 'companies', explain: false, names, ...options })].join('');

describe('results', () => {
  it('names both ids of a match whichever way it was ranked', () => {
    const shaped = resultMatch(results[0]!.matches[1]!);
    expect(shaped).toMatchObject({ needId: 'n1', companyId: 'c2', rank: 2 });
    expect(shaped).not.toHaveProperty('id');
  });

  it('keeps the JSON contract, explanation only when asked', () => {
    expect(JSON.parse(text('json'))).toEqual([
      { needId: 'n1', matches: [{ companyId: 'c1', rank: 1, score: 0.9 }, { companyId: 'c2', rank: 2, score: 0.5 }] },
      { needId: 'n2', matches: [] },
    ]);
    expect(JSON.parse(text('json', { explain: true }))[0].matches[0].explanation.summary).toBe(explanation.summary);
    const needsWay: BatchResult[] = [
      { queryId: 'c1', matches: [{ id: 'n1', needId: 'n1', companyId: 'c1', rank: 1, score: 0.9, parts: { tags: 1, text: 0.8, cooperation: 1 } }] },
    ];
    expect(JSON.parse([...formatResults(needsWay, 'json', { direction: 'needs', explain: false, names })].join(''))[0]).toEqual({
      companyId: 'c1',
      matches: [{ needId: 'n1', rank: 1, score: 0.9 }],
    });
    expect(text('ndjson').trim().split('\n')).toHaveLength(2);
    expect([...formatResults([], 'json', { direction: 'companies', explain: false, names })].join('')).toBe('[]\n');
  });

  it('writes spreadsheet-ready CSV: BOM, names beside ids, each phrase once, formulas escaped, ";" on request', () => {
    expect(text('csv', { explain: true, delimiter: ';' }).split('\n')).toEqual([
      '\uFEFFneedId;needTitle;rank;companyId;companyName;municipality;score;tags;text;cooperation;sharedSectors;matchedPhrases;partnershipTypes;asOf',
      'n1;光伏电站;1;c1;\'=Sol AB;Karlshamn;0.9;1;0.8;1;energy.solar;"光伏 ↔ solceller; 电网 ↔ elnät";export;',
      'n1;光伏电站;2;c2;;;0.5;0.5;0.5;0.5;;;;',
      '',
    ]);
    expect(text('csv', { bom: false }).split('\n')[0]).toBe('needId,needTitle,rank,companyId,companyName,municipality,score,tags,text,cooperation,asOf');
  });

  it('adds the columns a caller asks for, before asOf, each filled from the same row', () => {
    const options: ResultTableOptions = {
      direction: 'companies',
      explain: true,
      names,
      why: true,
      decision: (match) => (match.companyId === 'c1' ? 'contacted' : undefined),
      contacts: true,
      labels: { sector: (tag) => `<${tag}>`, partnership: (type) => type.toUpperCase() },
    };
    expect(resultColumns(options)).toEqual([
      'needId', 'needTitle', 'rank', 'companyId', 'companyName', 'municipality', 'score', 'tags', 'text', 'cooperation',
      'sharedSectors', 'matchedPhrases', 'partnershipTypes', 'why', 'decision', 'contactName', 'contactEmail', 'contactPhone', 'asOf',
    ]);
    const [first, second] = resultCsvRows({ ...results[0]!, asOf: '2026-05-01' }, options);
    expect(first).toEqual([
      'n1', '光伏电站', 1, 'c1', '=Sol AB', 'Karlshamn', 0.9, 1, 0.8, 1,
      '<energy.solar>', '光伏 ↔ solceller; 电网 ↔ elnät', 'EXPORT', explanation.summary, 'contacted', 'Eva', 'eva@sol.se', '', '2026-05-01',
    ]);
    expect(second?.slice(-6)).toEqual(['', '', '', '', '', '2026-05-01']);
  });

  it('names the need and its organisation beside each match ranked for a company', () => {
    const needsWay = { queryId: 'c1', matches: [{ needId: 'n1', companyId: 'c1', rank: 1, score: 0.9, parts: { tags: 1, text: 0.8, cooperation: 1 } }] };
    const options = { direction: 'needs', explain: false, names } as const;
    expect(resultColumns(options)).toEqual(['companyId', 'companyName', 'rank', 'needId', 'needTitle', 'organization', 'score', 'tags', 'text', 'cooperation', 'asOf']);
    expect(resultCsvRows(needsWay, options)).toEqual([['c1', '=Sol AB', 1, 'n1', '光伏电站', '昆明', 0.9, 1, 0.8, 1, '']]);
  });
});
