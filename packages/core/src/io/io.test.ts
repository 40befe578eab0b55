import fc from 'fast-check';
import { parse as parseCsv } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { RECORD_COLUMNS } from './columns.js';
import { escapeCsvCell, unescapeCsvCell, writeCsv } from './csv.js';
import { detectFormat, jsonDepthExceeds, parseRecordsAsync, parseRecordsText, readRecordsAsync, readRecordsText } from './read.js';
import { recordsToCsv } from './write.js';

const company = (id: string, extra: Record<string, unknown> = {}) => ({ id, name: `Name ${id}`, description: 'Vi bygger avloppsreningsverk.', ...extra });

describe('columns', () => {
  it('derives one column table per kind from the schema, contact fields as personal columns', () => {
    expect(RECORD_COLUMNS.company.map((c) => c.name)).toEqual([
      'id', 'name', 'orgNumber', 'municipality', 'description', 'offerings', 'sectors', 'partnershipTypes',
      'employees', 'languages', 'website', 'contact.name', 'contact.email', 'contact.phone',
    ]);
    expect(RECORD_COLUMNS.need.map((c) => c.name)).toEqual(['id', 'title', 'organization', 'city', 'description', 'sectors', 'partnershipTypes', 'status', 'deadline']);
    expect(RECORD_COLUMNS.company.filter((c) => c.type === 'list').map((c) => c.name)).toEqual(['offerings', 'sectors', 'partnershipTypes', 'languages']);
    expect(RECORD_COLUMNS.company.find((c) => c.name === 'employees')?.type).toBe('number');
    expect(RECORD_COLUMNS.company.filter((c) => c.personal).map((c) => c.name)).toEqual(['contact.name', 'contact.email', 'contact.phone']);
  });
});

describe('formula escaping', () => {
  it('round-trips every string, apostrophes that are data included (issue 14 F6)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (value) => {
        expect(unescapeCsvCell(escapeCsvCell(value))).toBe(value);
      }),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(fc.stringMatching(/^['=+\-@\t\uFF1D]{0,3}[a-z(1)]{0,5}$/), (value) => {
        expect(unescapeCsvCell(escapeCsvCell(value))).toBe(value);
      }),
      { numRuns: 500 },
    );
  });

  it("writes '=SUM(1) so that it imports back as '=SUM(1), and never leaves a formula start first", () => {
    expect(escapeCsvCell('=SUM(1)')).toBe("'=SUM(1)");
    expect(escapeCsvCell("'=SUM(1)")).toBe("''=SUM(1)");
    expect(escapeCsvCell('plain')).toBe('plain');
    const csv = recordsToCsv('company', [company('c1', { name: "'=SUM(1)", description: '=cmd|x', offerings: ['-5 kW', 'ok'] })], { includeContact: false });
    const back = readRecordsText('company', 'csv', csv);
    expect(back).toMatchObject({ ok: true, value: [{ name: "'=SUM(1)", description: '=cmd|x', offerings: ['-5 kW', 'ok'] }] });
    for (const row of parseCsv(csv) as string[][]) for (const cell of row) expect(cell).not.toMatch(/^[=+\-@]/);
  });

  it('round-trips whole records through CSV export and import', () => {
    const text = fc.string({ minLength: 1, maxLength: 20 }).map((s) => `x${s.replace(/[;\s]/g, '')}`);
    fc.assert(
      fc.property(fc.array(fc.tuple(text, text), { minLength: 1, maxLength: 5 }), (pairs) => {
        const records = pairs.map(([name, description], i) => company(`c${i}`, { name, description }));
        const back = readRecordsText('company', 'csv', recordsToCsv('company', records, { includeContact: true }));
        expect(back).toEqual({ ok: true, value: records });
      }),
    );
  });

  it('writes a byte-order mark and ";" when asked', () => {
    expect(writeCsv([['a', 1.5], ['b;c', '@x']], { bom: true, delimiter: ';' })).toBe('\uFEFFa;1.5\n"b;c";\'@x\n');
  });
});

describe('reading records', () => {
  it('tells formats apart by extension, else by content', () => {
    expect(detectFormat('a.csv', '[')).toBe('csv');
    expect(detectFormat('a.jsonl', '[')).toBe('ndjson');
    expect(detectFormat(undefined, ' [{"id":1}]')).toBe('json');
    expect(detectFormat('a.txt', '\uFEFF{"id":1}\n{"id":2}')).toBe('ndjson');
    expect(detectFormat(undefined, 'id,name')).toBe('csv');
  });

  it('reads JSON, NDJSON and CSV to the same records', () => {
    const records = [company('c1', { sectors: ['energy.solar', 'energy.storage'], employees: 12, contact: { email: 'a@example.se' } })];
    const csv = 'id,name,description,sectors,employees,contact.email\nc1,Name c1,Vi bygger avloppsreningsverk.,energy.solar; energy.storage,12,a@example.se\n';
    for (const [format, text] of [['json', JSON.stringify(records)], ['ndjson', records.map((r) => JSON.stringify(r)).join('\n')], ['csv', csv]] as const) {
      expect(readRecordsText('company', format, text)).toEqual({ ok: true, value: records });
    }
  });

  it('rejects unknown and repeated CSV columns by name, and reads nothing then', () => {
    const result = parseRecordsText('need', 'csv', 'id,title,mail,title\nn1,a,b,c\n');
    expect(result.records).toEqual([]);
    expect(result.issues).toEqual([
      expect.objectContaining({ path: 'header[2]', code: 'unknown_column' }),
      expect.objectContaining({ path: 'header[3]', code: 'duplicate_column', message: 'duplicate column "title" (first at header[1])' }),
    ]);
  });

  it('names broken NDJSON lines by record and keeps a slot for them', () => {
    const result = parseRecordsText('company', 'ndjson', '{"id":"a"}\n\n{"id":\n{"id":"c"}');
    expect(result.records).toEqual([{ id: 'a' }, undefined, { id: 'c' }]);
    expect(result.issues).toEqual([expect.objectContaining({ path: 'records[1]', code: 'invalid_json' })]);
  });

  it('bounds JSON nesting before parsing', () => {
    expect(jsonDepthExceeds('[[["[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["]]]')).toBe(false);
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    expect(jsonDepthExceeds(deep)).toBe(true);
    expect(parseRecordsText('company', 'json', deep).issues).toEqual([expect.objectContaining({ path: '', code: 'too_deep' })]);
    const line = `{"id":"a","x":${'['.repeat(50)}${']'.repeat(50)}}`;
    expect(parseRecordsText('company', 'ndjson', line).issues).toEqual([expect.objectContaining({ path: 'records[0]', code: 'too_deep' })]);
  });

  it('stops after 100 problems on hostile input, says how many records went unchecked, and stays small', async () => {
    const ndjson = '{\n'.repeat(50_000);
    for (const result of [parseRecordsText('company', 'ndjson', ndjson), await parseRecordsAsync('company', 'ndjson', ndjson)]) {
      expect(result.issues).toHaveLength(101);
      expect(result.issues.at(-1)).toMatchObject({ code: 'too_many_problems', message: '49900 more record(s) not checked (checking stops after the first 100 problems)' });
    }
    const csv = `id,name,description\n${'x,,\n'.repeat(20_000)}`;
    const result = await readRecordsAsync('company', 'csv', csv);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues).toHaveLength(101);
    expect(result.issues.at(-1)?.message).toMatch(/19950 more record\(s\) not checked/);
    expect(JSON.stringify(result.issues).length).toBeLessThan(20_000);
  }, 30_000);

  it('with validate, stops reading at the problem cap and counts the records left exactly, quoted line breaks and blank lines included', async () => {
    // Each bad row has two problems (name, description): the cap of 100 is reached at row 49.
    const bad = 'x,,,\n';
    const quoted = 'y,"two\nlines",,\n';
    const csv = `id,name,description,employees\n${bad.repeat(60)}\n${quoted.repeat(30)}\n${bad.repeat(10)}`;
    const ndjson = `${'{"id":"x"}\n'.repeat(60)}\n   \n${'{"id":"y"}\n'.repeat(40)}`;
    const cases = [
      ['csv', csv, 100 - 50],
      ['ndjson', ndjson, 100 - 50],
    ] as const;
    for (const [format, text, unchecked] of cases) {
      for (const parsed of [parseRecordsText('company', format, text, { validate: true }), await parseRecordsAsync('company', format, text, { validate: true })]) {
        expect(parsed.issues).toHaveLength(101);
        expect(parsed.issues.at(-1)).toMatchObject({ code: 'too_many_problems', message: `${unchecked} more record(s) not checked (checking stops after the first 100 problems)` });
        expect(parsed.records.length).toBeLessThanOrEqual(51);
      }
    }
  });

  it('with validate, holds validated records and reports duplicate ids, in either reader', async () => {
    const ndjson = [company('a'), company('b', { employees: 3 }), company('a')].map((r) => JSON.stringify(r)).join('\n');
    for (const parsed of [parseRecordsText('company', 'ndjson', ndjson, { validate: true }), await parseRecordsAsync('company', 'ndjson', ndjson, { validate: true })]) {
      expect(parsed.records.map((r) => (r as { id: string } | undefined)?.id)).toEqual(['a', 'b', undefined]);
      expect(parsed.issues).toEqual([expect.objectContaining({ path: 'records[2].id', code: 'duplicate_id' })]);
    }
    const csv = recordsToCsv('company', [company('a'), company('b')], { includeContact: false });
    expect(await parseRecordsAsync('company', 'csv', csv, { validate: true })).toEqual({ records: readRecordsText('company', 'csv', csv).ok ? [company('a'), company('b')].map((c) => expect.objectContaining(c)) : [], issues: [] });
  });

  it('reads asynchronously to the same result as synchronously, yielding to the event loop', async () => {
    const records = Array.from({ length: 2000 }, (_, i) => company(`c${i}`));
    const csv = recordsToCsv('company', records, { includeContact: false });
    let ticks = 0;
    const timer = setInterval(() => (ticks += 1), 0);
    const viaAsync = await readRecordsAsync('company', 'csv', csv);
    clearInterval(timer);
    expect(viaAsync).toEqual(readRecordsText('company', 'csv', csv));
    expect(viaAsync).toMatchObject({ ok: true });
    expect(ticks).toBeGreaterThan(0);
    const ndjson = records.map((r) => JSON.stringify(r)).join('\n');
    expect(await readRecordsAsync('company', 'ndjson', ndjson)).toEqual(readRecordsText('company', 'ndjson', ndjson));
  }, 30_000);

  it('reads the same records and problems in either reader, formats, bad rows and the cap included', async () => {
    const cell = fc.constantFrom('a', 'Ab c', '"q""uote"', '"two\nlines"', '', '😀', "'=1", '12');
    const csvBody = fc.array(fc.array(cell, { minLength: 3, maxLength: 3 }).map((cells) => cells.join(',')), { maxLength: 30 });
    const line = fc.constantFrom('{"id":"a","name":"N","description":"d"}', '{"id":', '', '  ', '[]', '{"id":"a"}');
    await fc.assert(
      fc.asyncProperty(csvBody, fc.array(line, { maxLength: 30 }), fc.integer({ min: 1, max: 5 }), fc.boolean(), async (rows, lines, maxIssues, validate) => {
        const inputs = [['csv', `id,name,description\n${rows.join('\n')}`], ['ndjson', lines.join('\n')], ['json', `[${lines.filter((l) => l.startsWith('{"id":"')).join(',')}]`]] as const;
        for (const [format, text] of inputs) {
          expect(await parseRecordsAsync('company', format, text, { maxIssues, validate })).toEqual(parseRecordsText('company', format, text, { maxIssues, validate }));
          expect(await readRecordsAsync('company', format, text, { maxIssues })).toEqual(readRecordsText('company', format, text, { maxIssues }));
        }
      }),
      { numRuns: 150 },
    );
  });

  it('keeps a character outside the BMP whole where the async reader cuts the CSV into chunks', async () => {
    const head = 'id,name,description\n';
    for (const shift of [0, 1, 2]) {
      // The emoji's two UTF-16 halves straddle the 16 KiB chunk boundary for one of the shifts.
      const name = `${'x'.repeat(16 * 1024 - head.length - 'c1,'.length - 2 + shift)}😀`;
      const csv = `${head}c1,${name},desc\n`;
      expect((await parseRecordsAsync('company', 'csv', csv)).records).toEqual([{ id: 'c1', name, description: 'desc' }]);
      expect(parseRecordsText('company', 'csv', csv).records).toEqual([{ id: 'c1', name, description: 'desc' }]);
    }
  });

  it('applies the id rule and duplicate ids to every format', () => {
    const result = readRecordsText('company', 'ndjson', [company('x\uD800'), company('ok'), company('ok')].map((r) => JSON.stringify(r)).join('\n'));
    expect(result).toMatchObject({ ok: false, issues: [{ path: 'companies[0].id', code: 'invalid_id' }, { path: 'companies[2].id', code: 'duplicate_id' }] });
  });
});
