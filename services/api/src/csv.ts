import type { Context } from 'hono';

/**
 * The service writes CSV with core's writer (docs/FORMAT.md), so every CSV partnermatch writes
 * escapes formulas the same way; match results go through core's results table (`formatResults`).
 */
export { writeCsv, type CsvCell } from '@partnermatch/core';

/** Answers CSV text as a download named `filename` (which must be a plain file name). */
export function csvDownload(c: Context, filename: string, csv: string): Response {
  c.header('Content-Type', 'text/csv; charset=utf-8');
  c.header('Content-Disposition', `attachment; filename="${filename}"`);
  c.header('Cache-Control', 'no-store');
  return c.body(csv, 200);
}
