import type { Company, ValidationIssue } from '@partnermatch/core';
import { parse as parseCsv } from 'csv-parse/sync';
import { unescapeCsvCell, writeCsv } from './csv.js';
import type { RecordKind, RecordOf } from './store.js';

/** How a column's cell maps to a record field. `contact.*` columns are personal data. */
interface Column {
  readonly name: string;
  readonly type: 'text' | 'list' | 'number';
}

/** The CSV columns of each kind, in export order. Lists are `;`-separated in one cell. */
export const CSV_COLUMNS: { readonly [K in RecordKind]: readonly Column[] } = {
  company: [
    { name: 'id', type: 'text' },
    { name: 'name', type: 'text' },
    { name: 'orgNumber', type: 'text' },
    { name: 'municipality', type: 'text' },
    { name: 'description', type: 'text' },
    { name: 'offerings', type: 'list' },
    { name: 'sectors', type: 'list' },
    { name: 'partnershipTypes', type: 'list' },
    { name: 'employees', type: 'number' },
    { name: 'languages', type: 'list' },
    { name: 'website', type: 'text' },
    { name: 'contact.name', type: 'text' },
    { name: 'contact.email', type: 'text' },
    { name: 'contact.phone', type: 'text' },
  ],
  need: [
    { name: 'id', type: 'text' },
    { name: 'title', type: 'text' },
    { name: 'organization', type: 'text' },
    { name: 'city', type: 'text' },
    { name: 'description', type: 'text' },
    { name: 'sectors', type: 'list' },
    { name: 'partnershipTypes', type: 'list' },
    { name: 'status', type: 'text' },
    { name: 'deadline', type: 'text' },
  ],
};

const PERSONAL_PREFIX = 'contact.';

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
 * Records parsed from an import body, one slot per source record: `undefined` where the
 * record could not be parsed, with its problem in `issues` as `records[i]`.
 */
export interface ParsedImport {
  readonly records: unknown[];
  readonly issues: ValidationIssue[];
}

export function parseImport(kind: RecordKind, format: ImportFormat, body: string): ParsedImport {
  const text = body.replace(/^\uFEFF/, '');
  if (format === 'json') {
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (error) {
      return { records: [], issues: [{ path: 'body', message: `not valid JSON (${(error as Error).message})` }] };
    }
    if (!Array.isArray(data)) return { records: [], issues: [{ path: 'body', message: 'must be a JSON array of records' }] };
    return { records: data, issues: [] };
  }
  if (format === 'ndjson') {
    const records: unknown[] = [];
    const issues: ValidationIssue[] = [];
    for (const line of text.split(/\r?\n/)) {
      if (line.trim() === '') continue;
      try {
        records.push(JSON.parse(line));
      } catch (error) {
        issues.push({ path: `records[${records.length}]`, message: `not valid JSON (${(error as Error).message})` });
        records.push(undefined);
      }
    }
    return { records, issues };
  }
  return parseCsvRecords(kind, text);
}

function parseCsvRecords(kind: RecordKind, text: string): ParsedImport {
  let rows: string[][];
  try {
    rows = parseCsv(text, { skip_empty_lines: true, trim: true, relax_column_count: false });
  } catch (error) {
    return { records: [], issues: [{ path: 'body', message: `not valid CSV (${(error as Error).message})` }] };
  }
  const [header = [], ...data] = rows;
  const issues = headerIssues(kind, header);
  if (issues.length > 0) return { records: [], issues };
  const types = new Map(CSV_COLUMNS[kind].map((column) => [column.name, column.type]));
  return { records: data.map((cells) => rowToRecord(header, cells, types)), issues: [] };
}

/** A problem for every header cell that is not one of the kind's columns, or names one a second time. */
function headerIssues(kind: RecordKind, header: readonly string[]): ValidationIssue[] {
  const known = CSV_COLUMNS[kind].map((column) => column.name);
  const first = new Map<string, number>();
  return header.flatMap((name, i): ValidationIssue[] => {
    const path = `header[${i}]`;
    if (!known.includes(name)) {
      return [{ path, message: `unknown column ${JSON.stringify(name)} (the columns are ${known.join(', ')})` }];
    }
    const seen = first.get(name);
    if (seen !== undefined) return [{ path, message: `duplicate column ${JSON.stringify(name)} (first at header[${seen}])` }];
    first.set(name, i);
    return [];
  });
}

/**
 * One CSV row as a record: empty cells are left out, `a;b` becomes a list, `contact.x` a nested
 * field, and the `'` that the export puts before a formula character is taken off again.
 */
function rowToRecord(header: readonly string[], cells: readonly string[], types: ReadonlyMap<string, Column['type']>): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  for (const [i, column] of header.entries()) {
    const cell = unescapeCsvCell(cells[i] ?? '');
    if (cell === '') continue;
    const type = types.get(column) ?? 'text';
    const value =
      type === 'list'
        ? cell.split(';').map((item) => item.trim()).filter((item) => item !== '')
        : type === 'number' && /^-?\d+(\.\d+)?$/.test(cell)
          ? Number(cell)
          : cell;
    if (column.startsWith(PERSONAL_PREFIX)) {
      const contact = (record['contact'] ??= {}) as Record<string, unknown>;
      contact[column.slice(PERSONAL_PREFIX.length)] = value;
    } else {
      record[column] = value;
    }
  }
  return record;
}

function cellOf(record: object, column: Column): string | number {
  const value = column.name.startsWith(PERSONAL_PREFIX)
    ? ((record as Company).contact as Record<string, unknown> | undefined)?.[column.name.slice(PERSONAL_PREFIX.length)]
    : (record as Record<string, unknown>)[column.name];
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.join(';');
  return typeof value === 'number' ? value : String(value);
}

/** Records as CSV with a header row; contact columns only when `includeContact` is set. */
export function recordsToCsv<K extends RecordKind>(
  kind: K,
  records: readonly RecordOf[K][],
  options: { readonly includeContact: boolean },
): string {
  const columns = CSV_COLUMNS[kind].filter((c) => options.includeContact || !c.name.startsWith(PERSONAL_PREFIX));
  return writeCsv([columns.map((c) => c.name), ...records.map((record) => columns.map((c) => cellOf(record, c)))]);
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
