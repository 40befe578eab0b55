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
 * What the reading steps ask of the driver that runs them: `PAUSE`, a turn may end here (the
 * async driver yields to the event loop, the sync one goes on); `NEXT_ROW`, the next CSV row
 * (`undefined` at the end; a CSV syntax error is thrown into the steps). The steps hold all of
 * the reading; the two drivers differ only in how they wait and where CSV rows come from (the
 * sync one parses the CSV whole on the first request, the async one streams it in chunks, so
 * a syntax error after the problem cap stops only the sync one).
 */
const PAUSE = Symbol('pause');
const NEXT_ROW = Symbol('next CSV row');
type Request = typeof PAUSE | typeof NEXT_ROW;
type Steps<T> = Generator<Request, T, readonly string[] | undefined>;

/** Characters a counting scan looks at between two pauses. */
const SCAN_PER_TURN = 1024 * 1024;

/**
 * A counting scan of `text[from, to)` that resumes from the state it returns, so the rest of a
 * large body is counted in slices with a pause between them.
 */
type Scan = (text: string, from: number, to: number, state: ScanState) => ScanState;
interface ScanState {
  readonly count: number;
  /** Inside a quoted CSV cell. */
  readonly quoted: boolean;
  /** The current line or row has content so far. */
  readonly content: boolean;
}

function* countRest(scan: Scan, text: string, from: number): Steps<number> {
  let state: ScanState = { count: 0, quoted: false, content: false };
  for (let at = from; at < text.length; at += SCAN_PER_TURN) {
    state = scan(text, at, Math.min(text.length, at + SCAN_PER_TURN), state);
    yield PAUSE;
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

/** The reading of `body` (BOM removed) into `sink`, as steps (see {@link Request}). */
function* parseSteps(sink: RecordSink, format: RecordFormat, body: string): Steps<ParsedRecords> {
  if (format === 'json') {
    const data = jsonArray(sink, body);
    return Array.isArray(data) ? { records: data, issues: [] } : data;
  }
  let handled = 0;
  if (format === 'ndjson') {
    let start = 0;
    while (start <= body.length && !sink.done) {
      const end = body.indexOf('\n', start);
      ndjsonLine(sink, body.slice(start, end === -1 ? body.length : end));
      start = end === -1 ? body.length + 1 : end + 1;
      if (++handled % RECORDS_PER_TURN === 0) yield PAUSE;
    }
    if (sink.done) sink.issues.skip(yield* countRest(scanNdjson, body, start));
    return sink.result();
  }
  for (;;) {
    let row: readonly string[] | undefined;
    try {
      row = yield NEXT_ROW;
    } catch (error) {
      return sink.whole(`not valid CSV (${errorText(error)})`, 'invalid_csv');
    }
    if (row === undefined) break;
    if (sink.done) {
      // Rows so far: the header and one slot each; the rest of the body is counted, not parsed.
      sink.issues.skip(Math.max(0, (yield* countRest(scanCsv, body, 0)) - 1 - sink.records.length));
      break;
    }
    if (!csvRow(sink, row)) break;
    if (++handled % RECORDS_PER_TURN === 0) yield PAUSE;
  }
  return sink.result();
}

/** The CSV rows of `body` for the sync driver: parsed whole on the first request (csv-parse/sync). */
function csvRowsNow(body: string): () => readonly string[] | undefined {
  let rows: Iterator<string[]> | undefined;
  return () => (rows ??= (parseCsvSync(body, CSV_OPTIONS) as string[][]).values()).next().value;
}

/**
 * `text` in pieces of about `size` characters, never splitting a surrogate pair (each piece is
 * encoded to UTF-8 on its own, and half a pair would become U+FFFD).
 */
function* textChunks(text: string, size: number): Generator<string> {
  for (let start = 0; start < text.length; ) {
    let end = Math.min(text.length, start + size);
    const last = text.charCodeAt(end - 1);
    if (end < text.length && last >= 0xd800 && last <= 0xdbff) end -= 1;
    yield text.slice(start, end);
    start = end;
  }
}

/**
 * The CSV rows of `body` for the async driver: streamed through csv-parse in chunks of
 * {@link CSV_CHUNK}, so no single turn parses a large body; `close` stops the parser early.
 */
function csvRowsInTurns(body: string): { next: () => Promise<readonly string[] | undefined>; close: () => void } {
  let parser: Readable | undefined;
  let rows: AsyncIterator<string[]> | undefined;
  return {
    next: async () => {
      if (rows === undefined) {
        parser = Readable.from(textChunks(body, CSV_CHUNK)).pipe(parseCsvStream(CSV_OPTIONS));
        rows = (parser as AsyncIterable<string[]>)[Symbol.asyncIterator]();
      }
      return (await rows.next()).value as string[] | undefined;
    },
    close: () => parser?.destroy(),
  };
}

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Runs reading steps through in one go. */
function runThrough<T>(steps: Steps<T>, nextRow: () => readonly string[] | undefined): T {
  let step = steps.next();
  while (step.done !== true) {
    if (step.value === NEXT_ROW) {
      let row: readonly string[] | undefined;
      try {
        row = nextRow();
      } catch (error) {
        step = steps.throw(error);
        continue;
      }
      step = steps.next(row);
    } else step = steps.next();
  }
  return step.value;
}

/** Runs reading steps, yielding to the event loop at each pause and while a row is parsed. */
async function runInTurns<T>(steps: Steps<T>, nextRow: () => Promise<readonly string[] | undefined>): Promise<T> {
  let step = steps.next();
  while (step.done !== true) {
    if (step.value === NEXT_ROW) {
      let row: readonly string[] | undefined;
      try {
        row = await nextRow();
      } catch (error) {
        step = steps.throw(error);
        continue;
      }
      step = steps.next(row);
    } else {
      await turn();
      step = steps.next();
    }
  }
  return step.value;
}

const withoutBom = (text: string): string => text.replace(/^\uFEFF/, '');

function sinkFor(kind: RecordKind, options: ReadOptions): RecordSink {
  return new RecordSink(kind, options.label ?? 'records', options.maxIssues ?? MAX_REPORTED_ISSUES, options.validate);
}

/**
 * Parses records of `kind` from text, without validating them unless asked (see
 * {@link readRecordsText}). Synchronous: for large request bodies on a server use
 * {@link parseRecordsAsync}.
 */
export function parseRecordsText(kind: RecordKind, format: RecordFormat, text: string, options: ReadOptions = {}): ParsedRecords {
  const body = withoutBom(text);
  return runThrough(parseSteps(sinkFor(kind, options), format, body), csvRowsNow(body));
}

/**
 * {@link parseRecordsText} in turns: it yields to the event loop every few hundred records
 * (and between CSV chunks), so a server stays responsive while it reads a large import.
 */
export async function parseRecordsAsync(kind: RecordKind, format: RecordFormat, text: string, options: ReadOptions = {}): Promise<ParsedRecords> {
  const body = withoutBom(text);
  const rows = csvRowsInTurns(body);
  try {
    return await runInTurns(parseSteps(sinkFor(kind, options), format, body), rows.next);
  } finally {
    rows.close();
  }
}

const LABELS = { company: 'companies', need: 'needs' } as const;

/** Validates parsed records, pausing after every few hundred. */
function* validateSteps<K extends RecordKind>(
  kind: K,
  parsed: ParsedRecords,
  label: string,
  maxIssues: number,
): Steps<ValidationResult<RecordOfKind<K>[]>> {
  const wholeInput = parsed.issues.some(
    (issue) => (issue.path === '' && issue.code !== 'too_many_problems') || issue.path.startsWith('header'),
  );
  if (wholeInput) return { ok: false, issues: parsed.issues };
  const validator = new RecordListValidator(label, SCHEMAS[kind] as never, new IssueCollector(maxIssues));
  validator.issues.addAll(parsed.issues.filter((issue) => issue.code !== 'too_many_problems'));
  for (const [index, record] of parsed.records.entries()) {
    if (record !== undefined) validator.add(record, index);
    else if (validator.issues.full) validator.issues.skip();
    if ((index + 1) % RECORDS_PER_TURN === 0) yield PAUSE;
  }
  return validator.result() as ValidationResult<RecordOfKind<K>[]>;
}

/** Reading and then validating, as one run of steps. */
function* readSteps<K extends RecordKind>(kind: K, format: RecordFormat, body: string, options: ReadOptions): Steps<ValidationResult<RecordOfKind<K>[]>> {
  const label = options.label ?? LABELS[kind];
  const maxIssues = options.maxIssues ?? MAX_REPORTED_ISSUES;
  const parsed = yield* parseSteps(new RecordSink(kind, label, maxIssues), format, body);
  return yield* validateSteps(kind, parsed, label, maxIssues);
}

/**
 * Reads and validates records of `kind` from text: every problem (at most `maxIssues`, then a
 * count) named by record and field under `label` (default `companies` / `needs`).
 */
export function readRecordsText<K extends RecordKind>(kind: K, format: RecordFormat, text: string, options: ReadOptions = {}): ValidationResult<RecordOfKind<K>[]> {
  const body = withoutBom(text);
  return runThrough(readSteps(kind, format, body, options), csvRowsNow(body));
}

/** {@link readRecordsText} in turns, yielding to the event loop as {@link parseRecordsAsync} does. */
export async function readRecordsAsync<K extends RecordKind>(kind: K, format: RecordFormat, text: string, options: ReadOptions = {}): Promise<ValidationResult<RecordOfKind<K>[]>> {
  const body = withoutBom(text);
  const rows = csvRowsInTurns(body);
  try {
    return await runInTurns(readSteps(kind, format, body, options), rows.next);
  } finally {
    rows.close();
  }
}
