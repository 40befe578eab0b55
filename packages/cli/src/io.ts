import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { readFile, rename, rm } from 'node:fs/promises';
import { once } from 'node:events';
import { basename, dirname, join } from 'node:path';
import { detectFormat, formatIssue, jsonDepthExceeds, MAX_JSON_DEPTH, readRecordsText, type RecordKind, type RecordOfKind } from '@partnermatch/core';

/** A problem with an input file, already phrased for the user. */
export class InputError extends Error {
  override readonly name = 'InputError';
  constructor(readonly problems: readonly string[]) {
    super(problems.join('\n'));
  }
}

/**
 * Reads and validates a file of `kind` records (JSON array, NDJSON or CSV, told apart by
 * extension or content) with core's one reader: every problem (at most 100, then a count)
 * prefixed with the file.
 */
export async function readRecordsFile<K extends RecordKind>(path: string, kind: K): Promise<RecordOfKind<K>[]> {
  const text = await readText(path);
  const result = readRecordsText(kind, detectFormat(path, text), text);
  if (!result.ok) throw new InputError(result.issues.map((issue) => `${path}: ${formatIssue(issue)}`));
  return result.value;
}

/** The kind of a records file by its name (`companies…`, `…needs…`), else by its first record or CSV header. */
export function guessKind(path: string, text: string): RecordKind {
  const name = basename(path).toLowerCase();
  if (name.includes('compan')) return 'company';
  if (name.includes('need')) return 'need';
  const head = text.slice(0, 4096);
  return /"(title|organization)"\s*:|^\uFEFF?[^\n]*\b(title|organization)\b/.test(head) ? 'need' : 'company';
}

export async function readText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new InputError([`${path}: cannot read file (${(error as NodeJS.ErrnoException).code ?? String(error)})`]);
  }
}

/** A JSON file (options, qrels), nested at most MAX_JSON_DEPTH deep. */
export async function readJsonFile(path: string): Promise<unknown> {
  const content = (await readText(path)).replace(/^\uFEFF/, '');
  if (jsonDepthExceeds(content)) throw new InputError([`${path}: nested deeper than ${MAX_JSON_DEPTH} levels`]);
  try {
    return JSON.parse(content);
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
