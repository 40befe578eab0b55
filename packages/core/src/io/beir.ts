import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PartnermatchError, type ValidationIssue } from '../errors.js';
import type { Qrels } from '../evaluation.js';
import type { Company, PartnerNeed } from '../schema/records.js';

/** A BEIR folder as partnermatch ranks it: each document a company, each judged query a need. */
export interface BeirSet {
  readonly companies: Company[];
  /** Judged queries only, in file order; title and description are the query text. */
  readonly needs: PartnerNeed[];
  readonly qrels: Qrels;
}

/** The three files of a BEIR split, as text. */
export interface BeirFiles {
  readonly corpus: string;
  readonly queries: string;
  readonly qrels: string;
}

function* lines(text: string): Generator<{ line: number; text: string }> {
  let line = 0;
  for (const raw of text.split('\n')) {
    line += 1;
    const trimmed = raw.trim();
    if (trimmed !== '') yield { line, text: trimmed };
  }
}

function fail(file: string, line: number, message: string): never {
  const issue: ValidationIssue = { path: `${file}: line ${line}`, message, code: 'invalid_json' };
  throw new PartnermatchError('INVALID_INPUT', `${issue.path}: ${message}`, { issues: [issue] });
}

function jsonLine(file: string, line: number, text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch (error) {
    fail(file, line, `not valid JSON (${(error as Error).message})`);
  }
  fail(file, line, 'must be a JSON object');
}

/**
 * Parses a BEIR split (corpus.jsonl, queries.jsonl, qrels/SPLIT.tsv): each abstract becomes a
 * company (title as name, text as description), each judged query a need. `names` are the file
 * names used in problems. Throws PartnermatchError('INVALID_INPUT') naming file and line.
 */
export function parseBeir(files: BeirFiles, names: BeirFiles = { corpus: 'corpus.jsonl', queries: 'queries.jsonl', qrels: 'qrels.tsv' }): BeirSet {
  const qrels: Record<string, Record<string, number>> = {};
  for (const { line, text } of lines(files.qrels)) {
    const [queryId, docId, score] = text.split('\t');
    if (queryId === 'query-id') continue;
    if (queryId === undefined || docId === undefined || score === undefined || !/^\d+$/.test(score.trim())) {
      fail(names.qrels, line, 'expected query-id, corpus-id and score separated by tabs');
    }
    (qrels[queryId] ??= {})[docId] = Number(score);
  }
  const companies: Company[] = [];
  for (const { line, text } of lines(files.corpus)) {
    const doc = jsonLine(names.corpus, line, text);
    if (typeof doc['_id'] !== 'string') fail(names.corpus, line, '_id must be a string');
    const id = doc['_id'];
    const title = typeof doc['title'] === 'string' ? doc['title'].trim() : '';
    const body = typeof doc['text'] === 'string' ? doc['text'].trim() : '';
    companies.push({ id, name: title || id, description: body || title || id });
  }
  const needs: PartnerNeed[] = [];
  for (const { line, text } of lines(files.queries)) {
    const query = jsonLine(names.queries, line, text);
    if (typeof query['_id'] !== 'string' || typeof query['text'] !== 'string') fail(names.queries, line, '_id and text must be strings');
    const id = query['_id'];
    if (qrels[id] !== undefined) needs.push({ id, title: query['text'], organization: 'BEIR', description: query['text'], status: 'open' });
  }
  return { companies, needs, qrels };
}

/** The file paths of a BEIR split in `dir`. */
export function beirPaths(dir: string, split: string): BeirFiles {
  return { corpus: join(dir, 'corpus.jsonl'), queries: join(dir, 'queries.jsonl'), qrels: join(dir, 'qrels', `${split}.tsv`) };
}

/** Reads and parses a BEIR split from `dir` (see {@link parseBeir}). */
export async function readBeir(dir: string, split: string): Promise<BeirSet> {
  const paths = beirPaths(dir, split);
  const read = async (path: string): Promise<string> => {
    try {
      return await readFile(path, 'utf8');
    } catch (error) {
      const message = `cannot read file (${(error as NodeJS.ErrnoException).code ?? String(error)})`;
      throw new PartnermatchError('INVALID_INPUT', `${path}: ${message}`, { issues: [{ path, message, code: 'unreadable' }] });
    }
  };
  const [corpus, queries, qrels] = await Promise.all([read(paths.corpus), read(paths.queries), read(paths.qrels)]);
  return parseBeir({ corpus, queries, qrels }, paths);
}
