import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { guessKind, InputError, readRecordsFile, writeFileAtomically } from './io.js';

const made: string[] = [];
afterAll(() => Promise.all(made.map((dir) => rm(dir, { recursive: true, force: true }))));

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'pm-io-'));
  made.push(dir);
  return dir;
}

async function file(name: string, content: string): Promise<string> {
  const dir = await tempDir();
  const path = join(dir, name);
  await writeFile(path, content);
  return path;
}

describe('readRecordsFile', () => {
  it('turns CSV lists, numbers and contact columns into FORMAT.md shapes', async () => {
    const path = await file('c.csv', 'id,name,description,sectors,employees,contact.email,website\nc1,"Sol AB, Karlshamn",Solceller,energy.solar; energy.storage ,12,a@example.se,\n');
    expect(await readRecordsFile(path, 'company')).toEqual([
      { id: 'c1', name: 'Sol AB, Karlshamn', description: 'Solceller', sectors: ['energy.solar', 'energy.storage'], employees: 12, contact: { email: 'a@example.se' } },
    ]);
  });

  it('rejects an unknown CSV column by name instead of dropping it', async () => {
    const path = await file('c.csv', 'id,name,description,mail\nc1,A,B,x@example.se\n');
    await expect(readRecordsFile(path, 'company')).rejects.toThrowError(/c\.csv: header\[3\]: unknown column "mail"/);
  });

  it('names the record of broken NDJSON and of a bad id, and rejects a JSON object that is not a list', async () => {
    const ndjson = await file('n.ndjson', '{"id":"a","title":"t","organization":"o","description":"d"}\n{"id":');
    await expect(readRecordsFile(ndjson, 'need')).rejects.toThrowError(/n\.ndjson: needs\[1\]: not valid JSON/);
    const slash = await file('n.json', '[{"id":"a/b","title":"t","organization":"o","description":"d"}]');
    await expect(readRecordsFile(slash, 'need')).rejects.toThrowError(/needs\[0\]\.id: must not contain "\/"/);
    const object = await file('n.json', '{"id":"a"}');
    await expect(readRecordsFile(object, 'need')).rejects.toThrowError(/must be a JSON array/);
    const csv = await file('n.csv', 'id,title\n"a,b');
    await expect(readRecordsFile(csv, 'need')).rejects.toThrowError(InputError);
  });

  it('guesses the kind of a file by name, else by content', () => {
    expect(guessKind('x/companies.csv', '')).toBe('company');
    expect(guessKind('x/open-needs.json', '')).toBe('need');
    expect(guessKind('x/data.json', '[{"id":"a","title":"t"}]')).toBe('need');
    expect(guessKind('x/data.csv', 'id,title,organization\n')).toBe('need');
    expect(guessKind('x/data.csv', 'id,name,description\n')).toBe('company');
  });
});

describe('writeFileAtomically', () => {
  it('replaces the file whole and leaves no temporary file behind', async () => {
    const dir = await tempDir();
    const path = join(dir, 'out.json');
    await writeFile(path, 'old');
    await writeFileAtomically(path, 'new');
    expect(await readFile(path, 'utf8')).toBe('new');
    expect(await readdir(dir)).toEqual(['out.json']);
    await expect(writeFileAtomically(join(dir, 'missing', 'x.json'), 'x')).rejects.toThrow();
    expect(await readdir(dir)).toEqual(['out.json']);
  });
});
