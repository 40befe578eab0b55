import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { readFile, rename, rm } from 'node:fs/promises';
import { once } from 'node:events';
import { basename, dirname, extname, join } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';

/** A problem with an input file, already phrased for the user. */
export class InputError extends Error {
  override readonly name = 'InputError';
  constructor(readonly problems: readonly string[]) {
    super(problems.join('\n'));
  }
}

export type InputFormat = 'json' | 'ndjson' | 'csv';

/** Fields that hold lists; in CSV they are written `a;b;c`. */
const LIST_FIELDS = new Set(['offerings', 'sectors', 'partnershipTypes', 'languages']);
const NUMBER_FIELDS = new Set(['employees']);

/** The format by extension, else by the first non-blank character. */
export function detectFormat(path: string, content: string): InputFormat {
  const ext = extname(path).toLowerCase();
  if (ext === '.csv') return 'csv';
  if (ext === '.ndjson' || ext === '.jsonl') return 'ndjson';
  if (ext === '.json') return 'json';
  const first = content.trimStart()[0];
  if (first === '[') return 'json';
  if (first === '{') return content.trim().includes('\n') ? 'ndjson' : 'json';
  return 'csv';
}

/** Reads a file of records (JSON array, NDJSON or CSV) without validating them. */
export async function readRecords(path: string): Promise<unknown[]> {
  let content: string;
  try {
    content = await readFile(path, 'utf8');
  } catch (error) {
    throw new InputError([`${path}: cannot read file (${(error as NodeJS.ErrnoException).code ?? String(error)})`]);
  }
  return parseRecords(path, content.replace(/^\uFEFF/, ''));
}

export function parseRecords(path: string, content: string): unknown[] {
  const format = detectFormat(path, content);
  if (format === 'json') {
    let data: unknown;
    try {
      data = JSON.parse(content);
    } catch (error) {
      throw new InputError([`${path}: not valid JSON (${(error as Error).message})`]);
    }
    if (!Array.isArray(data)) throw new InputError([`${path}: expected a JSON array of records`]);
    return data;
  }
  if (format === 'ndjson') {
    const records: unknown[] = [];
    const problems: string[] = [];
    content.split(/\r?\n/).forEach((line, i) => {
      if (line.trim() === '') return;
      try {
        records.push(JSON.parse(line));
      } catch (error) {
        problems.push(`${path}: line ${i + 1}: not valid JSON (${(error as Error).message})`);
      }
    });
    if (problems.length > 0) throw new InputError(problems);
    return records;
  }
  let rows: Record<string, string>[];
  try {
    rows = parseCsv(content, { columns: true, skip_empty_lines: true, trim: true, bom: true });
  } catch (error) {
    throw new InputError([`${path}: not valid CSV (${(error as Error).message})`]);
  }
  return rows.map(csvRowToRecord);
}

/** `a;b` lists, numbers and `contact.name`-style columns become the JSON shapes of FORMAT.md. */
export function csvRowToRecord(row: Record<string, string>): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  for (const [column, raw] of Object.entries(row)) {
    const value = raw.trim();
    if (value === '') continue;
    if (column.startsWith('contact.')) {
      const contact = (record['contact'] ?? {}) as Record<string, string>;
      contact[column.slice('contact.'.length)] = value;
      record['contact'] = contact;
    } else if (LIST_FIELDS.has(column)) {
      record[column] = value.split(';').map((item) => item.trim()).filter((item) => item !== '');
    } else if (NUMBER_FIELDS.has(column) && /^-?\d+(\.\d+)?$/.test(value)) {
      record[column] = Number(value);
    } else {
      record[column] = value;
    }
  }
  return record;
}

export async function readJsonFile(path: string): Promise<unknown> {
  let content: string;
  try {
    content = await readFile(path, 'utf8');
  } catch (error) {
    throw new InputError([`${path}: cannot read file (${(error as NodeJS.ErrnoException).code ?? String(error)})`]);
  }
  try {
    return JSON.parse(content.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new InputError([`${path}: not valid JSON (${(error as Error).message})`]);
  }
}

/** Writes chunks to a stream as they come, waiting whenever the stream asks to. */
export async function writeChunks(stream: NodeJS.WritableStream, chunks: Iterable<string>): Promise<void> {
  for (const chunk of chunks) {
    if (!stream.write(chunk)) await once(stream, 'drain');
  }
}

/**
 * Writes through a temporary file in the same folder and a rename: never a half-written
 * file, whatever fails while the chunks are produced.
 */
export async function writeFileAtomically(path: string, content: string | Iterable<string>): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  const stream = createWriteStream(temp, { encoding: 'utf8' });
  try {
    await writeChunks(stream, typeof content === 'string' ? [content] : content);
    await new Promise<void>((resolve, reject) => {
      stream.once('error', reject);
      stream.end(() => resolve());
    });
    await rename(temp, path);
  } catch (error) {
    stream.destroy();
    await rm(temp, { force: true });
    throw error;
  }
}
