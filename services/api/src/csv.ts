import type { Context } from 'hono';
import { unescapeCsvCell as coreUnescapeCsvCell, writeCsv as coreWriteCsv, type CsvCell as CoreCsvCell } from '@partnermatch/core';

/** One CSV cell: text or a number. */
export type CsvCell = CoreCsvCell;

/**
 * The service's CSV writer: core's (docs/FORMAT.md), so every CSV partnermatch writes escapes
 * formulas the same way — a text cell starting with `=`, `+`, `-`, `@`, tab, carriage return
 * (or their full-width forms) or `'` gets a leading `'`; numbers are written as they are.
 * `bom` puts a UTF-8 byte-order mark first, so spreadsheet programs read Chinese and Swedish right.
 */
export function writeCsv(rows: readonly (readonly CsvCell[])[], options: { readonly bom?: boolean } = {}): string {
  return coreWriteCsv(rows, options);
}

/** A cell as it was before {@link writeCsv} escaped it: exactly one escaping `'` is taken off. */
export function unescapeCsvCell(cell: string): string {
  return coreUnescapeCsvCell(cell);
}

/** Answers CSV text as a download named `filename` (which must be a plain file name). */
export function csvDownload(c: Context, filename: string, csv: string): Response {
  c.header('Content-Type', 'text/csv; charset=utf-8');
  c.header('Content-Disposition', `attachment; filename="${filename}"`);
  c.header('Cache-Control', 'no-store');
  return c.body(csv, 200);
}
