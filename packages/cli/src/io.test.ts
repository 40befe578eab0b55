import { readdir, readFile, writeFile } from 'node:fs/promises';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { csvRowToRecord, detectFormat, InputError, parseRecords, writeFileAtomically } from './io.js';

describe('detectFormat', () => {
  it('goes by extension, else by content', () => {
    expect(detectFormat('a.csv', '[')).toBe('csv');
    expect(detectFormat('a.jsonl', '[')).toBe('ndjson');
    expect(detectFormat('a.txt', ' [{"id":1}]')).toBe('json');
    expect(detectFormat('a.txt', '{"id":1}\n{"id":2}')).toBe('ndjson');
    expect(detectFormat('a.txt', 'id,name')).toBe('csv');
  });
});

describe('parseRecords', () => {
  it('turns CSV lists, numbers and contact columns into FORMAT.md shapes', () => {
    const csv = 'id,name,sectors,employees,contact.email,website\nc1,"Sol AB, Karlshamn",energy.solar; energy.storage ,12,a@example.se,\n';
    expect(parseRecords('c.csv', csv)).toEqual([
      { id: 'c1', name: 'Sol AB, Karlshamn', sectors: ['energy.solar', 'energy.storage'], employees: 12, contact: { email: 'a@example.se' } },
    ]);
  });

  it('keeps a non-numeric employees value as text so validation can name it', () => {
    expect(csvRowToRecord({ employees: 'many' })).toEqual({ employees: 'many' });
  });

  it('names the line of broken NDJSON and rejects a JSON object that is not a list', () => {
    expect(() => parseRecords('n.ndjson', '{"id":"a"}\n{"id":')).toThrowError(InputError);
    try {
      parseRecords('n.ndjson', '{"id":"a"}\n{"id":');
    } catch (error) {
      expect((error as InputError).problems[0]).toMatch(/^n\.ndjson: line 2: not valid JSON/);
    }
    expect(() => parseRecords('n.json', '{"id":"a"}')).toThrowError(/expected a JSON array/);
    expect(() => parseRecords('n.csv', 'id,name\n"a,b')).toThrowError(/not valid CSV/);
  });
});

describe('writeFileAtomically', () => {
  it('replaces the file whole and leaves no temporary file behind', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pm-io-'));
    const path = join(dir, 'out.json');
    await writeFile(path, 'old');
    await writeFileAtomically(path, 'new');
    expect(await readFile(path, 'utf8')).toBe('new');
    expect(await readdir(dir)).toEqual(['out.json']);
    await expect(writeFileAtomically(join(dir, 'missing', 'x.json'), 'x')).rejects.toThrow();
    expect(await readdir(dir)).toEqual(['out.json']);
  });
});
