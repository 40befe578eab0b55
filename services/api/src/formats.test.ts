import { describe, expect, it } from 'vitest';
import { importFormatOf, negotiateFormat, parseImport, recordsToCsv } from './formats.js';
import { sampleCompanies } from './test-helpers.js';

describe('import formats', () => {
  it('knows the import media types', () => {
    expect(importFormatOf('application/json; charset=utf-8')).toBe('json');
    expect(importFormatOf('application/x-ndjson')).toBe('ndjson');
    expect(importFormatOf('application/jsonl')).toBe('ndjson');
    expect(importFormatOf('text/csv;charset=utf-8')).toBe('csv');
    expect(importFormatOf('text/plain')).toBeUndefined();
    expect(importFormatOf(undefined)).toBeUndefined();
  });

  it('parses CSV cells into lists, numbers and a contact object', () => {
    const csv = '\uFEFFid,name,description,offerings,employees,contact.name,contact.phone\nx,X AB,"Desc, with comma",a; b ;,12,Anna,070-1\n';
    expect(parseImport('company', 'csv', csv)).toEqual({
      records: [{ id: 'x', name: 'X AB', description: 'Desc, with comma', offerings: ['a', 'b'], employees: 12, contact: { name: 'Anna', phone: '070-1' } }],
      issues: [],
    });
  });

  it('keeps a slot for every NDJSON record, reporting the ones that do not parse', () => {
    const parsed = parseImport('need', 'ndjson', '{"id":"a"}\n\nnot json\r\n{"id":"b"}');
    expect(parsed.records).toEqual([{ id: 'a' }, undefined, { id: 'b' }]);
    expect(parsed.issues).toEqual([{ path: 'records[1]', message: expect.stringContaining('not valid JSON') }]);
  });

  it('reports a body that is not a JSON array or not CSV', () => {
    expect(parseImport('need', 'json', '{"id":"a"}').issues).toEqual([{ path: 'body', message: 'must be a JSON array of records' }]);
    expect(parseImport('need', 'csv', 'id,title\n"unterminated').issues[0]?.path).toBe('body');
  });

  it('round-trips companies through CSV (an empty list comes back left out, which means the same)', () => {
    const csv = recordsToCsv('company', sampleCompanies, { includeContact: true });
    const withoutEmptyLists = sampleCompanies.map((c) =>
      Object.fromEntries(Object.entries(c).filter(([, value]) => !(Array.isArray(value) && value.length === 0))),
    );
    expect(parseImport('company', 'csv', csv).records).toEqual(withoutEmptyLists);
    const anonymous = recordsToCsv('company', sampleCompanies, { includeContact: false });
    expect(anonymous).not.toContain('@example.se');
    expect(anonymous.split('\n')[0]).not.toContain('contact');
  });
});

describe('negotiateFormat', () => {
  it('prefers ?format=, then Accept, then JSON', () => {
    expect(negotiateFormat('json', 'text/csv')).toBe('json');
    expect(negotiateFormat(undefined, 'text/csv')).toBe('csv');
    expect(negotiateFormat(undefined, 'application/json, text/csv')).toBe('json');
    expect(negotiateFormat(undefined, undefined)).toBe('json');
  });
});
