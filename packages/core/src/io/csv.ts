import { stringify } from 'csv-stringify/sync';

/** One CSV cell: text or a number. */
export type CsvCell = string | number;

/**
 * A text cell starting with one of these is run as a formula by spreadsheets (OWASP "CSV
 * injection"): `=`, `+`, `-`, `@`, tab, carriage return, and their full-width forms.
 */
const FORMULA_START = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;
/** What escaping puts a `'` before: a formula start, or a `'` (so one that is data survives). */
const ESCAPED_START = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20']/;

/** A text cell as written: a `'` in front when it starts with a formula character or a `'`. */
export function escapeCsvCell(cell: string): string {
  return ESCAPED_START.test(cell) ? `'${cell}` : cell;
}

/**
 * A cell as it was before {@link escapeCsvCell}: exactly one leading `'` is taken off when the
 * next character is one escaping protects. `unescapeCsvCell(escapeCsvCell(x)) === x` for every x.
 */
export function unescapeCsvCell(cell: string): string {
  return cell.startsWith("'") && ESCAPED_START.test(cell.slice(1)) ? cell.slice(1) : cell;
}

/** True when a spreadsheet would run this text as a formula. */
export function isFormulaLike(cell: string): boolean {
  return FORMULA_START.test(cell);
}

export interface CsvWriteOptions {
  /** A UTF-8 byte-order mark first, so spreadsheet programs read å, ä, ö and Chinese right. */
  readonly bom?: boolean;
  /** `,` (default) or `;` for spreadsheets set to Swedish, where `,` is the decimal separator. */
  readonly delimiter?: ',' | ';' | '\t';
}

/**
 * Rows (the first is usually the header) as RFC 4180 text with every text cell escaped by
 * {@link escapeCsvCell}; numbers are written as they are.
 */
export function writeCsv(rows: Iterable<readonly CsvCell[]>, options: CsvWriteOptions = {}): string {
  const escaped: CsvCell[][] = [];
  for (const row of rows) escaped.push(row.map((cell) => (typeof cell === 'string' ? escapeCsvCell(cell) : cell)));
  const text = escaped.length === 0 ? '' : stringify(escaped, { delimiter: options.delimiter ?? ',' });
  return options.bom === true ? `\uFEFF${text}` : text;
}
