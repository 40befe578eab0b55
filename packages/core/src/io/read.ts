import { Readable } from 'node:stream';
import { parse as parseCsvStream } from 'csv-parse';
import { parse as parseCsvSync } from 'csv-parse/sync';
import type { ValidationIssue, ValidationResult } from '../errors.js';
import { IssueCollector, MAX_REPORTED_ISSUES } from '../schema/issues.js';
import { companySchema, partnerNeedSchema } from '../schema/records.js';
import { RecordListValidator } from '../schema/validate.js';
import { PERSONAL_PREFIX, RECORD_COLUMNS, type ColumnType, type RecordKind, type RecordOfKind } from './columns.js';
import { unescapeCsvCell } from './csv.js';

export type RecordFormat = 'json' | 'ndjson' | 'csv';

/** Arrays and objects nested deeper than this are rejected before parsing. */
export const MAX_JSON_DEPTH = 32;

/** Records handled between two yields to the event loop in the async readers. */
const RECORDS_PER_TURN = 500;
/** CSV text handed to the parser at a time: csv-parse parses a chunk in one go, so this bounds one event-loop turn. */
const CSV_CHUNK = 16 * 1024;

/** The format by file extension, else by the first non-blank character (see docs/FORMAT.md). */
export function detectFormat(name: string | undefined, content: string): RecordFormat {
  const ext = /\.([a-z]+)$/i.exec(name ?? '')?.[1]?.toLowerCase();
  if (ext === 'csv') return 'csv';
  if (ext === 'ndjson' || ext === 'jsonl') return 'ndjson';
  if (ext === 'json') return 'json';
  const start = /\S/.exec(content.replace(/^\uFEFF/, ''))?.[0];
  if (start === '[') return 'json';
  if (start === '{') return 'ndjson';
  return 'csv';
}

/**
 * The deepest nesting of arrays and objects in JSON text, scanning no further than `max + 1`
 * levels: a cheap pass that keeps a hostile `[[[[…` from reaching any recursive code.
 */
export function jsonDepthExceeds(text: string, max: number = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i += 1; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      depth += 1;
      if (depth > max) return true;
    } else if (c === 0x5d || c === 0x7d) depth -= 1;
  }
  return false;
}

export interface ReadOptions {
  /** Path prefix of a record's problems: `records` gives `records[3].name`. */
  readonly label?: string;
  /** Problems listed before the rest are only counted. */
  readonly maxIssues?: number;
  /**
   * Validate each record as it is read (the kind's schema, ids unique), sharing the problem cap
   * with the parse problems: the slots then hold validated records, and once the cap is reached
   * reading stops and the records left are only counted, cheaply. A hostile body of a million
   * bad rows then costs a scan, not a million parsed rows. Default false.
   */
  readonly validate?: boolean;
}

/**
 * What a reader collects: one slot per source record (`undefined` where it could not be
 * parsed or, with `validate`, did not validate), and the problems, bounded. Whole-input
 * problems have the path `''`. Once the problem cap is reached the records left are counted
 * (in the last problem, `too_many_problems`) and may have no slot.
 */
export interface ParsedRecords {
  readonly records: unknown[];
  readonly issues: ValidationIssue[];
}

const SCHEMAS = { company: companySchema, need: partnerNeedSchema } as const;

/** The shared state of every reader: slots, bounded problems, and the CSV header once read. */
class RecordSink {
  readonly records: unknown[] = [];
  readonly issues: IssueCollector;
  header: readonly string[] | undefined;
  readonly #validator: RecordListValidator<{ id: string }> | undefined;

  constructor(
    readonly kind: RecordKind,
    readonly label: string,
    maxIssues: number,
    validate = false,
  ) {
    this.issues = new IssueCollector(maxIssues);
    this.#validator = validate ? new RecordListValidator(label, SCHEMAS[kind] as never, this.issues) : undefined;
  }

  /** Whether reading may stop: problems are only counted from here on and every slot is checked. */
  get done(): boolean {
    return this.#validator !== undefined && this.issues.full;
  }

  record(value: unknown): void {
    this.records.push(this.#validator === undefined ? value : this.#validator.add(value, this.records.length));
  }

  bad(message: string, code: string): void {
    if (this.issues.full) this.issues.skip();
    else this.issues.add({ path: `${this.label}[${this.records.length}]`, message, code });
    this.records.push(undefined);
  }

  whole(message: string, code: string): ParsedRecords {
    return { records: [], issues: [{ path: '', message, code }] };
  }

  result(): ParsedRecords {
    return { records: this.records, issues: this.issues.list('') };
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function ndjsonLine(sink: RecordSink, line: string): void {
  if (line.trim() === '') return;
  if (sink.issues.full) {
    sink.issues.skip();
    sink.records.push(undefined);
    return;
  }
  if (jsonDepthExceeds(line)) {
    sink.bad(`nested deeper than ${MAX_JSON_DEPTH} levels`, 'too_deep');
    return;
  }
  try {
    sink.record(JSON.parse(line));
  } catch (error) {
    sink.bad(`not valid JSON (${errorText(error)})`, 'invalid_json');
  }
}

/** A problem for every header cell that is not one of the kind's columns, or repeats one. */
function headerIssues(kind: RecordKind, header: readonly string[]): ValidationIssue[] {
  const known = RECORD_COLUMNS[kind].map((column) => column.name);
  const first = new Map<string, number>();
  return header.flatMap((name, i): ValidationIssue[] => {
    const path = `header[${i}]`;
    if (!known.includes(name)) {
      return [{ path, message: `unknown column ${JSON.stringify(name)} (the columns are ${known.join(', ')})`, code: 'unknown_column' }];
    }
    const seen = first.get(name);
    if (seen !== undefined) return [{ path, message: `duplicate column ${JSON.stringify(name)} (first at header[${seen}])`, code: 'duplicate_column' }];
    first.set(name, i);
    return [];
  });
}

const COLUMN_TYPES = {
  company: new Map(RECORD_COLUMNS.company.map((c) => [c.name, c.type])),
  need: new Map(RECORD_COLUMNS.need.map((c) => [c.name, c.type])),
} satisfies Record<RecordKind, Map<string, ColumnType>>;

/**
 * One CSV row as a record: empty cells are left out, `a;b` becomes a list, `contact.x` a nested
 * field, and exactly one escaping `'` is taken off each cell.
 */
export function csvRowToRecord(kind: RecordKind, header: readonly string[], cells: readonly string[]): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  for (const [i, column] of header.entries()) {
    const cell = unescapeCsvCell((cells[i] ?? '').trim());
    if (cell === '') continue;
    const type = COLUMN_TYPES[kind].get(column) ?? 'text';
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

/** Handles one CSV row; returns false when the header is bad and reading should stop. */
function csvRow(sink: RecordSink, cells: readonly string[]): boolean {
  if (sink.header === undefined) {
    sink.header = cells.map((cell) => cell.trim());
    const issues = headerIssues(sink.kind, sink.header);
    sink.issues.addAll(issues);
    return issues.length === 0;
  }
  if (sink.issues.full) {
    sink.issues.skip();
    sink.records.push(undefined);
    return true;
  }
  sink.record(csvRowToRecord(sink.kind, sink.header, cells));
  return true;
}

const CSV_OPTIONS = { skip_empty_lines: true, relax_column_count: false, bom: true } as const;

function jsonArray(sink: RecordSink, text: string): ParsedRecords | unknown[] {
  if (jsonDepthExceeds(text)) return sink.whole(`nested deeper than ${MAX_JSON_DEPTH} levels`, 'too_deep');
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    return sink.whole(`not valid JSON (${errorText(error)})`, 'invalid_json');
  }
  if (!Array.isArray(data)) return sink.whole('must be a JSON array of records', 'not_a_list');
  return data;
}

/**
 * Parses records of `kind` from text, without validating them (see {@link readRecordsText}).
 * Synchronous: for large request bodies on a server use {@link parseRecordsAsync}.
 */
export function parseRecordsText(kind: RecordKind, format: RecordFormat, text: string, options: ReadOptions = {}): ParsedRecords {
  const sink = new RecordSink(kind, options.label ?? 'records', options.maxIssues ?? MAX_REPORTED_ISSUES, options.validate);
  const body = text.replace(/^\uFEFF/, '');
  if (format === 'json') {
    const data = jsonArray(sink, body);
    return Array.isArray(data) ? { records: data, issues: [] } : data;
  }
  if (format === 'ndjson') {
    let start = 0;
    while (start <= body.length && !sink.done) {
      const end = body.indexOf('\n', start);
      ndjsonLine(sink, body.slice(start, end === -1 ? body.length : end));
      start = end === -1 ? body.length + 1 : end + 1;
    }
    if (sink.done) sink.issues.skip(scanWhole(scanNdjson, body, start));
    return sink.result();
  }
  let rows: string[][];
  try {
    rows = parseCsvSync(body, CSV_OPTIONS) as string[][];
  } catch (error) {
    return sink.whole(`not valid CSV (${errorText(error)})`, 'invalid_csv');
  }
  for (const [i, row] of rows.entries()) {
    if (sink.done) {
      sink.issues.skip(rows.length - i);
      break;
    }
    if (!csvRow(sink, row)) break;
  }
  return sink.result();
}

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Characters a counting scan looks at between two yields to the event loop. */
const SCAN_PER_TURN = 1024 * 1024;

/**
 * A counting scan of `text[from, to)` that resumes from the state it returns, so the async
 * readers can count the rest of a large body in slices, yielding between them.
 */
type Scan = (text: string, from: number, to: number, state: ScanState) => ScanState;
interface ScanState {
  readonly count: number;
  /** Inside a quoted CSV cell. */
  readonly quoted: boolean;
  /** The current line or row has content so far. */
  readonly content: boolean;
}

function scanWhole(scan: Scan, text: string, from: number): number {
  const state = scan(text, from, text.length, { count: 0, quoted: false, content: false });
  return state.count + (state.content ? 1 : 0);
}

async function scanInTurns(scan: Scan, text: string, from: number): Promise<number> {
  let state: ScanState = { count: 0, quoted: false, content: false };
  for (let at = from; at < text.length; at += SCAN_PER_TURN) {
    state = scan(text, at, Math.min(text.length, at + SCAN_PER_TURN), state);
    await turn();
  }
  return state.count + (state.content ? 1 : 0);
}

/** Non-blank lines (NDJSON records) from `from` on. */
const scanNdjson: Scan = (text, from, to, state) => {
  let { count, content } = state;
  for (let i = from; i < to; i += 1) {
    const c = text.charCodeAt(i);
    if (c === 0x0a) {
      if (content) count += 1;
      content = false;
    } else if (!content && c !== 0x20 && c !== 0x09 && c !== 0x0d) content = true;
  }
  return { count, quoted: false, content };
};

/** Non-empty CSV rows from `from` on (a line break inside a quoted cell does not end a row; `""` toggles twice). */
const scanCsv: Scan = (text, from, to, state) => {
  let { count, quoted, content } = state;
  for (let i = from; i < to; i += 1) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      quoted = !quoted;
      content = true;
    } else if (quoted) continue;
    else if (c === 0x0a) {
      if (content) count += 1;
      content = false;
    } else if (c !== 0x0d) content = true;
  }
  return { count, quoted, content };
};

function* slices(text: string, size: number): Generator<string> {
  for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
}

/**
 * {@link parseRecordsText} in turns: it yields to the event loop every few hundred records
 * (and between CSV chunks), so a server stays responsive while it reads a large import.
 */
export async function parseRecordsAsync(kind: RecordKind, format: RecordFormat, text: string, options: ReadOptions = {}): Promise<ParsedRecords> {
  const sink = new RecordSink(kind, options.label ?? 'records', options.maxIssues ?? MAX_REPORTED_ISSUES, options.validate);
  const body = text.replace(/^\uFEFF/, '');
  if (format === 'json') {
    const data = jsonArray(sink, body);
    return Array.isArray(data) ? { records: data, issues: [] } : data;
  }
  if (format === 'ndjson') {
    let start = 0;
    let handled = 0;
    while (start <= body.length && !sink.done) {
      const end = body.indexOf('\n', start);
      ndjsonLine(sink, body.slice(start, end === -1 ? body.length : end));
      start = end === -1 ? body.length + 1 : end + 1;
      if (++handled % RECORDS_PER_TURN === 0) await turn();
    }
    if (sink.done) sink.issues.skip(await scanInTurns(scanNdjson, body, start));
    return sink.result();
  }
  const parser = Readable.from(slices(body, CSV_CHUNK)).pipe(parseCsvStream(CSV_OPTIONS));
  let handled = 0;
  try {
    for await (const row of parser as AsyncIterable<string[]>) {
      if (sink.done) {
        // Rows so far: the header and one slot each; the rest of the body is counted, not parsed.
        parser.destroy();
        sink.issues.skip(Math.max(0, (await scanInTurns(scanCsv, body, 0)) - 1 - sink.records.length));
        break;
      }
      if (!csvRow(sink, row)) {
        parser.destroy();
        break;
      }
      if (++handled % RECORDS_PER_TURN === 0) await turn();
    }
  } catch (error) {
    return sink.whole(`not valid CSV (${errorText(error)})`, 'invalid_csv');
  }
  return sink.result();
}

const LABELS = { company: 'companies', need: 'needs' } as const;

/**
 * Validates parsed records; a generator that pauses after every few hundred records, so the
 * sync reader runs it through and the async one yields to the event loop at each pause.
 */
function* validateParsed<K extends RecordKind>(
  kind: K,
  parsed: ParsedRecords,
  label: string,
  maxIssues: number,
): Generator<void, ValidationResult<RecordOfKind<K>[]>, undefined> {
  const wholeInput = parsed.issues.some(
    (issue) => (issue.path === '' && issue.code !== 'too_many_problems') || issue.path.startsWith('header'),
  );
  if (wholeInput) return { ok: false, issues: parsed.issues };
  const validator = new RecordListValidator(label, SCHEMAS[kind] as never, new IssueCollector(maxIssues));
  validator.issues.addAll(parsed.issues.filter((issue) => issue.code !== 'too_many_problems'));
  for (const [index, record] of parsed.records.entries()) {
    if (record !== undefined) validator.add(record, index);
    else if (validator.issues.full) validator.issues.skip();
    if ((index + 1) % RECORDS_PER_TURN === 0) yield;
  }
  return validator.result() as ValidationResult<RecordOfKind<K>[]>;
}

function runThrough<T>(steps: Generator<void, T, undefined>): T {
  for (;;) {
    const step = steps.next();
    if (step.done === true) return step.value;
  }
}

async function runInTurns<T>(steps: Generator<void, T, undefined>): Promise<T> {
  for (;;) {
    const step = steps.next();
    if (step.done === true) return step.value;
    await turn();
  }
}

/**
 * Reads and validates records of `kind` from text: every problem (at most `maxIssues`, then a
 * count) named by record and field under `label` (default `companies` / `needs`).
 */
export function readRecordsText<K extends RecordKind>(kind: K, format: RecordFormat, text: string, options: ReadOptions = {}): ValidationResult<RecordOfKind<K>[]> {
  const label = options.label ?? LABELS[kind];
  const maxIssues = options.maxIssues ?? MAX_REPORTED_ISSUES;
  return runThrough(validateParsed(kind, parseRecordsText(kind, format, text, { label, maxIssues }), label, maxIssues));
}

/** {@link readRecordsText} in turns, yielding to the event loop as {@link parseRecordsAsync} does. */
export async function readRecordsAsync<K extends RecordKind>(kind: K, format: RecordFormat, text: string, options: ReadOptions = {}): Promise<ValidationResult<RecordOfKind<K>[]>> {
  const label = options.label ?? LABELS[kind];
  const maxIssues = options.maxIssues ?? MAX_REPORTED_ISSUES;
  const parsed = await parseRecordsAsync(kind, format, text, { label, maxIssues });
  return runInTurns(validateParsed(kind, parsed, label, maxIssues));
}
