import {
  parseRecordsAsync,
  parseRecordsText,
  RECORD_COLUMNS,
  recordsToCsv as coreRecordsToCsv,
  type Column,
  type Company,
  type ParsedRecords,
  type RecordOfKind,
  type ValidationIssue,
} from '@partnermatch/core';
import type { RecordKind, RecordOf } from './store.js';

/** The CSV columns of each kind, in export order: core's one table (docs/FORMAT.md). */
export const CSV_COLUMNS: { readonly [K in RecordKind]: readonly Column[] } = RECORD_COLUMNS;

/** The media types an import accepts, by format. */
export const IMPORT_MEDIA_TYPES = {
  json: 'application/json',
  ndjson: 'application/x-ndjson',
  csv: 'text/csv',
} as const;
export type ImportFormat = keyof typeof IMPORT_MEDIA_TYPES;

/** The import format of a Content-Type header (`application/jsonl` also means NDJSON), or undefined. */
export function importFormatOf(contentType: string | undefined): ImportFormat | undefined {
  const essence = contentType?.split(';')[0]?.trim().toLowerCase();
  if (essence === 'application/json') return 'json';
  if (essence === 'application/x-ndjson' || essence === 'application/jsonl' || essence === 'application/ndjson') return 'ndjson';
  if (essence === 'text/csv') return 'csv';
  return undefined;
}

/** The download format: `?format=` if given, else CSV when the Accept header asks for it and not for JSON, else JSON. */
export function negotiateFormat(requested: 'json' | 'csv' | undefined, accept: string | undefined): 'json' | 'csv' {
  if (requested !== undefined) return requested;
  return accept !== undefined && /\btext\/csv\b/i.test(accept) && !/\bapplication\/json\b/i.test(accept) ? 'csv' : 'json';
}

/**
 * A request body as text, decoded chunk by chunk as it arrives (UTF-8, a leading BOM dropped,
 * as `Request.text()` does): `text()` gathers a 10 MB body and then copies and decodes it in
 * one go, the longest event-loop block of a large import; here each chunk costs a little.
 */
export async function readBodyText(request: Request): Promise<string> {
  if (request.body === null) return '';
  const decoder = new TextDecoder('utf-8');
  let text = '';
  for await (const chunk of request.body as unknown as AsyncIterable<Uint8Array>) text += decoder.decode(chunk, { stream: true });
  return text + decoder.decode();
}

/**
 * Records parsed from an import body, one slot per source record: `undefined` where the
 * record could not be parsed, with its problem in `issues` as `records[i]`.
 */
export interface ParsedImport {
  readonly records: unknown[];
  readonly issues: ValidationIssue[];
  /** The records were validated as they were read: `issues` are all of the body's problems (bounded). */
  readonly validated?: boolean;
}

/** Core's whole-input problems (path `''`) are the request body's. */
function asImport(parsed: ParsedRecords, validated = false): ParsedImport {
  return { records: parsed.records, issues: parsed.issues.map((issue) => (issue.path === '' ? { ...issue, path: 'body' } : issue)), ...(validated ? { validated } : {}) };
}

/** An import body as records, with core's reader: bounded problems, unknown CSV columns rejected. */
export function parseImport(kind: RecordKind, format: ImportFormat, body: string): ParsedImport {
  return asImport(parseRecordsText(kind, format, body, { label: 'records' }));
}

/**
 * {@link parseImport} in turns, yielding to the event loop, for large bodies; each record is
 * validated as it is read, so reading stops at the problem cap and the rest is only counted
 * (a hostile body of a million bad rows is refused after a scan, not a million parsed rows).
 */
export async function parseImportAsync(kind: RecordKind, format: ImportFormat, body: string): Promise<ParsedImport> {
  return asImport(await parseRecordsAsync(kind, format, body, { label: 'records', validate: true }), true);
}

/** Records as CSV with a header row (formula-escaped); contact columns only when `includeContact` is set. */
export function recordsToCsv<K extends RecordKind>(
  kind: K,
  records: readonly RecordOf[K][],
  options: { readonly includeContact: boolean },
): string {
  return coreRecordsToCsv(kind, records as readonly RecordOfKind<K>[], options);
}

/** A company as a reader may see it: without the `contact` object (personal data). */
export function anonymise(company: Company): Omit<Company, 'contact'> {
  const { contact: _contact, ...rest } = company;
  return rest;
}

/** Records as a caller with or without access to contact details may see them. */
export function visibleRecords<K extends RecordKind>(kind: K, records: readonly RecordOf[K][], includeContact: boolean): unknown[] {
  if (kind === 'need' || includeContact) return [...records];
  return (records as readonly Company[]).map(anonymise);
}
