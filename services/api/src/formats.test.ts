import { describe, expect, it } from 'vitest';
import { importFormatOf, negotiateFormat, parseImport, parseImportAsync, recordsToCsv } from './formats.js';
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
    expect(parsed.issues).toEqual([{ path: 'records[1]', message: expect.stringContaining('not valid JSON'), code: 'invalid_json' }]);
  });

  it('rejects unknown and duplicate columns, naming each by its place in the header', () => {
    const parsed = parseImport('company', 'csv', 'id,name,nmae,description,name,contact.fax\nx,X AB,typo,D,again,1\n');
    expect(parsed.records).toEqual([]);
    expect(parsed.issues).toEqual([
      { path: 'header[2]', message: expect.stringMatching(/^unknown column "nmae" \(the columns are id, name, /), code: 'unknown_column' },
      { path: 'header[4]', message: 'duplicate column "name" (first at header[1])', code: 'duplicate_column' },
      { path: 'header[5]', message: expect.stringContaining('unknown column "contact.fax"'), code: 'unknown_column' },
    ]);
    expect(parseImport('need', 'csv', 'id,title,organization,description\nn,T,O,D\n')).toEqual({
      records: [{ id: 'n', title: 'T', organization: 'O', description: 'D' }],
      issues: [],
    });
  });

  it('reports a body that is not a JSON array or not CSV', () => {
    expect(parseImport('need', 'json', '{"id":"a"}').issues).toEqual([{ path: 'body', message: 'must be a JSON array of records', code: 'not_a_list' }]);
    expect(parseImport('need', 'json', `${'['.repeat(10_000)}${']'.repeat(10_000)}`).issues).toEqual([expect.objectContaining({ path: 'body', code: 'too_deep' })]);
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

describe('CSV formula injection', () => {
  const hostile = {
    ...sampleCompanies[0]!,
    id: 'evil',
    name: '=HYPERLINK("https://evil.example","click")',
    description: '+1+2',
    orgNumber: '@SUM(A1)',
    offerings: ['-2+3', 'fine'],
    website: '\uFF1Dfullwidth',
    employees: -5,
    contact: { name: 'Eva', phone: '+46 455 123 45' },
  };

  it('writes every cell a spreadsheet would run as a formula with a leading apostrophe', () => {
    const csv = recordsToCsv('company', [hostile], { includeContact: true });
    const line = csv.split('\n')[1] ?? '';
    expect(line).toContain(`"'=HYPERLINK(""https://evil.example"",""click"")"`);
    for (const cell of ["'+1+2", "'@SUM(A1)", "'-2+3;fine", "'\uFF1Dfullwidth", "'+46 455 123 45"]) expect(line).toContain(cell);
    expect(line).toContain(',-5,'); // a number is not a formula
    expect(line).not.toMatch(/(^|,)"?[=+@]/);
  });

  it('reads the escaped cells back as they were, so an export imports again unchanged', () => {
    const csv = recordsToCsv('company', [hostile], { includeContact: true });
    expect(parseImport('company', 'csv', csv).records).toEqual([hostile]);
  });

  it("keeps a leading ' that is part of the data through export and import (issue 14 F6)", () => {
    const quoted = { ...sampleCompanies[0]!, id: 'q', name: "'=SUM(1)", description: "'plain apostrophe" };
    const csv = recordsToCsv('company', [quoted], { includeContact: true });
    expect(parseImport('company', 'csv', csv).records).toEqual([quoted]);
  });
});

describe('bounded imports (issue 14 F2)', () => {
  it('lists at most 100 problems of a hostile body and counts the rest, in turns when asked', async () => {
    const body = '{\n'.repeat(50_000);
    const parsed = await parseImportAsync('company', 'ndjson', body);
    expect(parsed.issues).toHaveLength(101);
    expect(parsed.issues.at(-1)).toMatchObject({ path: 'body', code: 'too_many_problems' });
    expect(parseImport('company', 'ndjson', body).issues).toEqual(parsed.issues);
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
