import { PERSONAL_PREFIX, RECORD_COLUMNS, type Column, type RecordKind, type RecordOfKind } from './columns.js';
import { writeCsv, type CsvCell, type CsvWriteOptions } from './csv.js';

function cellOf(record: object, column: Column): CsvCell {
  const value = column.name.startsWith(PERSONAL_PREFIX)
    ? ((record as { contact?: Record<string, unknown> }).contact)?.[column.name.slice(PERSONAL_PREFIX.length)]
    : (record as Record<string, unknown>)[column.name];
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.join(';');
  return typeof value === 'number' ? value : String(value);
}

export interface RecordsCsvOptions extends CsvWriteOptions {
  /** Write the `contact.*` columns (personal data); leave them out for readers. */
  readonly includeContact: boolean;
}

/** Records as CSV with a header row, in the kind's column order (docs/FORMAT.md), formula-escaped. */
export function recordsToCsv<K extends RecordKind>(kind: K, records: Iterable<RecordOfKind<K>>, options: RecordsCsvOptions): string {
  const columns = RECORD_COLUMNS[kind].filter((column) => options.includeContact || !column.personal);
  const rows: CsvCell[][] = [columns.map((column) => column.name)];
  for (const record of records) rows.push(columns.map((column) => cellOf(record, column)));
  return writeCsv(rows, options);
}
