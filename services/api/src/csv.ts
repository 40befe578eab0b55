import type { Context } from 'hono';
import { stringify } from 'csv-stringify/sync';

/** One CSV cell: text or a number. */
export type CsvCell = string | number;

/** The characters that make a spreadsheet read a text cell as a formula (OWASP "CSV injection"). */
const FORMULA_START = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;

/**
 * The one CSV writer of the service: rows (the first is the header) as RFC 4180 text. A text
 * cell that a spreadsheet would run as a formula (one starting with `=`, `+`, `-`, `@`, a tab
 * or a carriage return, or their full-width forms) is written with a leading `'`
 * (csv-stringify's `escape_formulas`); numbers are written as they are. `bom` puts a UTF-8
 * byte-order mark first, so spreadsheet programs read Chinese and Swedish letters right.
 */
export function writeCsv(rows: readonly (readonly CsvCell[])[], options: { readonly bom?: boolean } = {}): string {
  const text = stringify(rows as CsvCell[][], { escape_formulas: true });
  return options.bom === true ? `\uFEFF${text}` : text;
}

/** A cell as it was before {@link writeCsv} escaped it: the `'` in front of a formula character is taken off. */
export function unescapeCsvCell(cell: string): string {
  return cell.startsWith("'") && FORMULA_START.test(cell.slice(1)) ? cell.slice(1) : cell;
}

/** Answers CSV text as a download named `filename` (which must be a plain file name). */
export function csvDownload(c: Context, filename: string, csv: string): Response {
  c.header('Content-Type', 'text/csv; charset=utf-8');
  c.header('Content-Disposition', `attachment; filename="${filename}"`);
  c.header('Cache-Control', 'no-store');
  return c.body(csv, 200);
}
