import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import {
  compareManifest,
  createManifest,
  createMatcherInParallel,
  detectFormat,
  evaluateRankings,
  formatIssue,
  formatResults,
  PartnermatchError,
  readBeir,
  readRecordsText,
  resolveAsOf,
  validateQrels,
  validateMatcherOptions,
  type Company,
  type MatcherOptions,
  type PartnerNeed,
  type RecordNames,
  type ResultFormat,
  type RunManifest,
  type ValidationIssue,
} from '@partnermatch/core';
import cliProgress from 'cli-progress';
import { guessKind, InputError, readJsonFile, readRecordsFile, readText, writeChunks, writeFileAtomically } from './io.js';
import { scheduleCommand, SCHEDULE_USAGE } from './schedule.js';

/** Where the CLI writes; injectable so tests can run it in-process. */
export interface CliStreams {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean };
}

export const EXIT_OK = 0;
export const EXIT_INTERNAL = 1;
export const EXIT_BAD_INPUT = 2;
/** `--manifest`: the run cannot be reproduced (its input, versions or runtime differ); stderr says what. */
export const EXIT_NOT_REPRODUCIBLE = 3;

class UsageError extends Error {
  override readonly name = 'UsageError';
}

export const USAGE = `partnermatch — rank Blekinge companies against Yunnan partner needs, with reasons

Usage:
  partnermatch rank --companies FILE --needs FILE [--top 10] [--min-score S]
                    [--format json|ndjson|csv] [--csv-delimiter ,|;] [--out FILE]
                    [--explain] [--options FILE] [--as-of YYYY-MM-DD] [--include-expired]
                    [--manifest-out FILE] [--manifest FILE]
      Companies for every open need, in input order. Needs whose deadline is before
      --as-of (default: today, UTC) are left out unless --include-expired; the output
      records the day as "asOf".
      --manifest-out FILE writes the run's manifest (engine, taxonomy, glossary and
      lexicon versions, runtime, resolved options, settings, asOf, SHA-256 of the input
      records) beside the output; stdout keeps its shape.
      --manifest FILE repeats the run a manifest describes, with its options, settings
      and asOf, on the given files: the output is byte for byte the run's, or nothing is
      written and every difference is listed (exit 3). It cannot be combined with
      --top, --min-score, --format, --csv-delimiter, --explain, --options or --as-of.
  partnermatch rank-needs --companies FILE --needs FILE [same options]
      Open needs for every company, in input order.
  partnermatch eval --set DIR [--top 10] [--json] [--verbose] [--options FILE]
                    [--direction companies|needs]
      nDCG@top and MRR on DIR/companies.json, DIR/needs.json and DIR/qrels.json (every open
      need, whatever its deadline: a labelled set's figures never age), and the same with the
      lexicon switched the other way (JSON: withoutLexicon or withLexicon). --direction needs
      ranks needs for every company the labels grade above 0, judged by the same grades.
  partnermatch eval-beir --dir DIR [--split train|test] [--json] [--options FILE]
      Text-only nDCG@10 on a BEIR folder (corpus.jsonl, queries.jsonl, qrels/SPLIT.tsv),
      with and without the lexicon.
${SCHEDULE_USAGE}  partnermatch validate FILE...
      Every problem in companies, needs or qrels files.

Input files are JSON arrays, NDJSON or CSV (lists separated by ";"), told apart by
extension or content; docs/FORMAT.md in the repository is the contract (fields, CSV
columns — unknown ones are rejected —, the id rule, limits). At most 100 problems are
listed, then a count of the rest. --options takes a JSON file of matcher options
(weights, bm25, …).
Output: JSON [{ "needId", "matches": [{ "companyId", "rank", "score", "explanation"? }] }]
(rank-needs: companyId and needId swapped), NDJSON one such entry a line, or CSV one row
per match, spreadsheet-ready: UTF-8 BOM, names and titles beside ids, formulas escaped,
evidence columns with --explain; --csv-delimiter ';' for spreadsheets set to Swedish.
Exit codes: 0 success, 2 bad input or usage, 3 a --manifest run that cannot be
reproduced, 1 internal error.
`;

const RANK_OPTIONS = {
  companies: { type: 'string' },
  needs: { type: 'string' },
  top: { type: 'string' },
  'min-score': { type: 'string' },
  format: { type: 'string' },
  'csv-delimiter': { type: 'string' },
  out: { type: 'string' },
  explain: { type: 'boolean' },
  options: { type: 'string' },
  'as-of': { type: 'string' },
  'include-expired': { type: 'boolean', default: false },
  'manifest-out': { type: 'string' },
  manifest: { type: 'string' },
} as const satisfies ParseArgsConfig['options'];

/** Flags whose values a manifest fixes: giving them beside `--manifest` is a usage error. */
const FIXED_BY_MANIFEST = ['top', 'min-score', 'format', 'csv-delimiter', 'explain', 'options', 'as-of'] as const;

/** Runs one command line; resolves to the process exit code. */
export async function runCli(argv: readonly string[], streams: CliStreams): Promise<number> {
  const [command, ...rest] = argv;
  if (rest.includes('--help') || rest.includes('-h')) {
    streams.stdout.write(USAGE);
    return EXIT_OK;
  }
  try {
    switch (command) {
      case 'rank':
        return await rankCommand(rest, 'companies', streams);
      case 'rank-needs':
        return await rankCommand(rest, 'needs', streams);
      case 'eval':
        return await evalCommand(rest, streams);
      case 'eval-beir':
        return await evalBeirCommand(rest, streams);
      case 'validate':
        return await validateCommand(rest, streams);
      case 'schedule':
        return await scheduleCommand(rest, streams);
      case undefined:
        throw new UsageError('a command is required');
      case 'help':
      case '--help':
      case '-h':
        streams.stdout.write(USAGE);
        return EXIT_OK;
      default:
        throw new UsageError(`unknown command ${JSON.stringify(command)}`);
    }
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      streams.stderr.write(`partnermatch: ${(error as Error).message}\n\n${USAGE}`);
      return EXIT_BAD_INPUT;
    }
    if (error instanceof NotReproducible) {
      streams.stderr.write(error.message);
      return EXIT_NOT_REPRODUCIBLE;
    }
    if (error instanceof InputError) {
      streams.stderr.write(`${error.problems.join('\n')}\n`);
      return EXIT_BAD_INPUT;
    }
    if (error instanceof PartnermatchError && (error.code === 'INVALID_INPUT' || error.code === 'INVALID_OPTIONS')) {
      const lines = error.issues.length > 0 ? error.issues.map(formatIssue) : [error.message];
      streams.stderr.write(`${lines.join('\n')}\n`);
      return EXIT_BAD_INPUT;
    }
    streams.stderr.write(`partnermatch: internal error: ${(error as Error).stack ?? String(error)}\n`);
    return EXIT_INTERNAL;
  }
}

function parse<T extends ParseArgsConfig['options']>(args: readonly string[], options: T, allowPositionals = false) {
  return parseArgs({ args: [...args], options, strict: true, allowPositionals });
}

function positiveInteger(value: string, flag: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new UsageError(`${flag} must be a whole number of at least 1`);
  return Number(value);
}

function unitInterval(value: string, flag: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0 || n > 1) throw new UsageError(`${flag} must be a number within [0, 1]`);
  return n;
}

function required(value: string | undefined, flag: string): string {
  if (value === undefined) throw new UsageError(`${flag} is required`);
  return value;
}

async function matcherOptions(path: string | undefined): Promise<MatcherOptions | undefined> {
  if (path === undefined) return undefined;
  const result = validateMatcherOptions(await readJsonFile(path));
  if (!result.ok) throw new InputError(prefixed(path, result.issues));
  return result.value;
}

/** Whether these options rank with the everyday-word lexicon (on unless turned off). */
function lexiconIsOn(options: MatcherOptions | undefined): boolean {
  return options?.analyzer?.lexicon !== false;
}

/** The same options with the lexicon on or off: eval reports both, so its worth is always in view. */
function withLexicon(options: MatcherOptions | undefined, on: boolean): MatcherOptions {
  return { ...options, analyzer: { ...options?.analyzer, lexicon: on } };
}

/** Fails before any ranking work when `--out` cannot be written. */
async function checkWritableFolder(out: string): Promise<void> {
  try {
    await access(dirname(resolve(out)), constants.W_OK);
  } catch {
    throw new InputError([`${out}: cannot write here (folder ${dirname(resolve(out))} does not exist or is not writable)`]);
  }
}

/** Reads both files and reports every problem in both, each prefixed with its file. */
async function loadDataset(companiesPath: string, needsPath: string) {
  const [companies, needs] = await Promise.allSettled([readRecordsFile(companiesPath, 'company'), readRecordsFile(needsPath, 'need')]);
  if (companies.status === 'fulfilled' && needs.status === 'fulfilled') return { companies: companies.value, needs: needs.value };
  const problems = [companies, needs].flatMap((outcome) => {
    if (outcome.status === 'fulfilled') return [];
    if (outcome.reason instanceof InputError) return outcome.reason.problems;
    throw outcome.reason;
  });
  throw new InputError(problems);
}

/** Names beside ids in CSV output. */
function namesOf(companies: readonly Company[], needs: readonly PartnerNeed[]): RecordNames {
  const byCompany = new Map(companies.map((company) => [company.id, company]));
  const byNeed = new Map(needs.map((need) => [need.id, need]));
  return { company: (id) => byCompany.get(id), need: (id) => byNeed.get(id) };
}

function prefixed(path: string, issues: readonly ValidationIssue[]): string[] {
  return issues.map((issue) => `${path}: ${formatIssue(issue)}`);
}

function progressReporter(streams: CliStreams, label: string) {
  if (streams.stderr.isTTY !== true) return { update: () => undefined, stop: () => undefined };
  const bar = new cliProgress.SingleBar(
    { stream: streams.stderr as NodeJS.WriteStream, format: `${label} [{bar}] {value}/{total} {eta_formatted}`, hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update(done: number, total: number) {
      if (!started) {
        bar.start(total, 0);
        started = true;
      }
      bar.update(done);
    },
    stop() {
      if (started) bar.stop();
    },
  };
}

class NotReproducible extends Error {
  override readonly name = 'NotReproducible';
}

/** The settings of a rank run, as recorded in its manifest's `run`. */
interface RankSettings {
  readonly direction: 'companies' | 'needs';
  readonly top: number;
  readonly minScore: number;
  readonly format: ResultFormat;
  readonly csvDelimiter: ',' | ';';
  readonly explain: boolean;
}

function checkedSettings(raw: { top: string; minScore: string; format: string; csvDelimiter: string; explain: boolean }, direction: RankSettings['direction']): RankSettings {
  if (!['json', 'ndjson', 'csv'].includes(raw.format)) throw new UsageError('--format must be json, ndjson or csv');
  if (raw.csvDelimiter !== ',' && raw.csvDelimiter !== ';') throw new UsageError('--csv-delimiter must be "," or ";"');
  return {
    direction,
    top: positiveInteger(raw.top, '--top'),
    minScore: unitInterval(raw.minScore, '--min-score'),
    format: raw.format as ResultFormat,
    csvDelimiter: raw.csvDelimiter,
    explain: raw.explain,
  };
}

function asOfDay(value: string, flag: string): string {
  try {
    return resolveAsOf(value);
  } catch {
    throw new UsageError(`${flag} must be a date (YYYY-MM-DD), got ${JSON.stringify(value)}`);
  }
}

/** Reads a manifest written by `--manifest-out`: what the run used, checked enough to run it again. */
async function readManifest(path: string): Promise<{ manifest: RunManifest; settings: RankSettings; options: MatcherOptions; asOf: string }> {
  const manifest = (await readJsonFile(path)) as RunManifest;
  const problems: string[] = [];
  if (manifest === null || typeof manifest !== 'object' || Array.isArray(manifest)) throw new InputError([`${path}: not a manifest (expected a JSON object)`]);
  if (manifest.format !== 1) problems.push(`${path}: format: expected 1, got ${JSON.stringify(manifest.format)}`);
  const run = (manifest.run ?? {}) as Record<string, unknown>;
  if (run['command'] !== 'rank' && run['command'] !== 'rank-needs') problems.push(`${path}: run.command: expected "rank" or "rank-needs"`);
  const options = validateMatcherOptions(manifest.options);
  if (!options.ok) problems.push(...prefixed(`${path}: options`, options.issues));
  if (typeof manifest.asOf !== 'string' || !/^\d{4}-\d{2}-\d{2}T/.test(manifest.asOf)) problems.push(`${path}: asOf: expected an ISO 8601 instant`);
  if (problems.length > 0 || !options.ok) throw new InputError(problems);
  let settings: RankSettings;
  try {
    settings = checkedSettings(
      { top: String(run['top']), minScore: String(run['minScore']), format: String(run['format']), csvDelimiter: String(run['csvDelimiter']), explain: run['explain'] === true },
      run['command'] === 'rank' ? 'companies' : 'needs',
    );
  } catch (error) {
    throw new InputError([`${path}: run: ${(error as Error).message}`]);
  }
  return { manifest, settings, options: options.value, asOf: manifest.asOf.slice(0, 10) };
}

async function rankCommand(args: readonly string[], direction: 'companies' | 'needs', streams: CliStreams): Promise<number> {
  const { values } = parse(args, RANK_OPTIONS);
  const command = direction === 'companies' ? 'rank' : 'rank-needs';
  let recorded: Awaited<ReturnType<typeof readManifest>> | undefined;
  if (values.manifest !== undefined) {
    const clashing = FIXED_BY_MANIFEST.filter((flag) => values[flag] !== undefined);
    if (clashing.length > 0) throw new UsageError(`--manifest fixes the run's settings: drop ${clashing.map((f) => `--${f}`).join(', ')}`);
    recorded = await readManifest(values.manifest);
  }
  const settings =
    recorded?.settings ??
    checkedSettings(
      { top: values.top ?? '10', minScore: values['min-score'] ?? '0', format: values.format ?? 'json', csvDelimiter: values['csv-delimiter'] ?? ',', explain: values.explain ?? false },
      direction,
    );
  const asOf = recorded?.asOf ?? asOfDay(values['as-of'] ?? new Date().toISOString().slice(0, 10), '--as-of');
  if (values.out !== undefined) await checkWritableFolder(values.out);
  if (values['manifest-out'] !== undefined) await checkWritableFolder(values['manifest-out']);
  const data = await loadDataset(required(values.companies, '--companies'), required(values.needs, '--needs'));
  const options = recorded?.options ?? (await matcherOptions(values.options));
  const { direction: _direction, ...run } = settings;
  const manifest = createManifest({
    companies: data.companies,
    needs: data.needs,
    ...(options ? { options } : {}),
    asOf,
    run: { command, ...run },
  });
  if (recorded !== undefined) {
    const comparison = compareManifest(recorded.manifest, manifest);
    if (!comparison.same) {
      const lines = comparison.differences.map((d) => `  ${d.message}`);
      throw new NotReproducible(
        `partnermatch: cannot reproduce the run of ${values.manifest ?? ''}: ${comparison.differences.length} difference(s)\n${lines.join('\n')}\n`,
      );
    }
  }
  const matcher = await createMatcherInParallel({ companies: data.companies, needs: data.needs, ...(options ? { options } : {}) });
  const progress = progressReporter(streams, direction === 'companies' ? 'needs' : 'companies');
  const results = matcher.rankEach({
    direction: settings.direction,
    limit: settings.top,
    minScore: settings.minScore,
    explain: settings.explain,
    asOf,
    includeExpired: values['include-expired'],
    onProgress: progress.update,
  });
  const names = namesOf(data.companies, data.needs);
  const chunks = formatResults(results, settings.format, { direction: settings.direction, explain: settings.explain, names, delimiter: settings.csvDelimiter });
  try {
    if (values.out !== undefined) await writeFileAtomically(values.out, chunks);
    else await writeChunks(streams.stdout, chunks);
  } finally {
    progress.stop();
  }
  if (values['manifest-out'] !== undefined) await writeFileAtomically(values['manifest-out'], [`${JSON.stringify(manifest, null, 2)}\n`]);
  return EXIT_OK;
}

async function evalCommand(args: readonly string[], streams: CliStreams): Promise<number> {
  const { values } = parse(args, {
    set: { type: 'string' },
    top: { type: 'string', default: '10' },
    json: { type: 'boolean', default: false },
    verbose: { type: 'boolean', default: false },
    options: { type: 'string' },
    direction: { type: 'string', default: 'companies' },
  });
  const dir = required(values.set, '--set');
  const k = positiveInteger(values.top, '--top');
  const direction = values.direction;
  if (direction !== 'companies' && direction !== 'needs') throw new UsageError('--direction must be companies or needs');
  const data = await loadDataset(join(dir, 'companies.json'), join(dir, 'needs.json'));
  const qrelsPath = join(dir, 'qrels.json');
  const qrels = validateQrels(await readJsonFile(qrelsPath));
  if (!qrels.ok) throw new InputError(prefixed(qrelsPath, qrels.issues));
  const options = await matcherOptions(values.options);
  const matcher = await createMatcherInParallel({ companies: data.companies, needs: data.needs, ...(options ? { options } : {}) });
  const lexiconOn = lexiconIsOn(options);
  const other = await createMatcherInParallel({ companies: data.companies, needs: data.needs, options: withLexicon(options, !lexiconOn) });
  const unknown = Object.keys(qrels.value).filter((id) => matcher.getNeed(id) === undefined);
  if (unknown.length > 0) throw new InputError(unknown.map((id) => `${qrelsPath}: ${id}: no need with this id`));
  // Worth a word, not a failure: the measure still counts these as FORMAT.md says.
  for (const [needId, judged] of Object.entries(qrels.value)) {
    if (matcher.getNeed(needId)?.status === 'closed') {
      const counts = direction === 'companies' ? 'it gets no matches and counts as 0' : 'no company is ranked it, and it counts as a miss for each it grades';
      streams.stderr.write(`${qrelsPath}: ${needId}: the need is closed, so ${counts}\n`);
    }
    for (const companyId of Object.keys(judged)) {
      if (matcher.getCompany(companyId) === undefined) {
        streams.stderr.write(`${qrelsPath}: ${needId}.${companyId}: no company with this id\n`);
      }
    }
  }

  // Needs ranked for companies are judged by the same labels read the other way: each
  // company relevant to some need asks for its needs, graded as the need graded it.
  const judged = direction === 'companies' ? qrels.value : invertedQrels(qrels.value, (id) => matcher.getCompany(id) !== undefined);
  const rankAll = (m: typeof matcher): Map<string, string[]> => {
    const rankings = new Map<string, string[]>();
    for (const id of Object.keys(judged)) {
      const matches =
        direction === 'companies'
          ? m.rankCompanies(id, { limit: m.companyCount, explain: false, includeExpired: true })
          : m.rankNeeds(id, { limit: m.needCount, explain: false, includeExpired: true });
      rankings.set(id, matches.map((r) => r.id));
    }
    return rankings;
  };
  const report = evaluateRankings(rankAll(matcher), judged, { k });
  const otherReport = evaluateRankings(rankAll(other), judged, { k });
  const otherName = lexiconOn ? 'without lexicon' : 'with lexicon';
  const queries = direction === 'companies' ? 'needs' : 'companies';
  if (values.json) {
    const out: Record<string, unknown> = {
      [`ndcg${k}`]: round(report.ndcg),
      mrr: round(report.mrr),
      [queries]: report.queries,
      lexicon: lexiconOn,
      [lexiconOn ? 'withoutLexicon' : 'withLexicon']: { [`ndcg${k}`]: round(otherReport.ndcg), mrr: round(otherReport.mrr) },
      direction,
    };
    if (values.verbose) {
      const [field, idKey] = direction === 'companies' ? ['perNeed', 'needId'] : ['perCompany', 'companyId'];
      out[field] = report.perQuery.map((q) => ({ [idKey]: q.queryId, ndcg: round(q.ndcg), reciprocalRank: round(q.reciprocalRank), top: q.top }));
    }
    streams.stdout.write(`${JSON.stringify(out)}\n`);
    return EXIT_OK;
  }
  const lines = [
    `set      ${dir}`,
    ...(direction === 'needs' ? ['ranked   needs for companies (the labels read the other way)'] : []),
    `${queries.padEnd(8)} ${report.queries}`,
    `nDCG@${k}  ${report.ndcg.toFixed(4)} (${otherName} ${otherReport.ndcg.toFixed(4)})`,
    `MRR      ${report.mrr.toFixed(4)} (${otherName} ${otherReport.mrr.toFixed(4)})`,
  ];
  if (values.verbose) {
    lines.push('', `${(direction === 'companies' ? 'need' : 'company').padEnd(12)}nDCG@${k}  RR      top 5 (grade)`);
    for (const q of report.perQuery) {
      const top = q.top.slice(0, 5).map((t) => `${t.id}(${t.grade})`).join(' ');
      lines.push(`${q.queryId.padEnd(11)} ${q.ndcg.toFixed(4).padEnd(8)} ${q.reciprocalRank.toFixed(3).padEnd(7)} ${top}`);
    }
  }
  streams.stdout.write(`${lines.join('\n')}\n`);
  return EXIT_OK;
}

/**
 * Labels read the other way: each company graded for some need above 0 judges needs, each
 * need with that grade (companies in first-seen order; only those `known` to the matcher).
 */
function invertedQrels(qrels: Readonly<Record<string, Readonly<Record<string, number>>>>, known: (companyId: string) => boolean): Record<string, Record<string, number>> {
  const inverted: Record<string, Record<string, number>> = {};
  for (const [needId, graded] of Object.entries(qrels)) {
    for (const [companyId, grade] of Object.entries(graded)) {
      if (grade > 0 && known(companyId)) (inverted[companyId] ??= {})[needId] = grade;
    }
  }
  return inverted;
}

async function evalBeirCommand(args: readonly string[], streams: CliStreams): Promise<number> {
  const { values } = parse(args, {
    dir: { type: 'string' },
    split: { type: 'string', default: 'test' },
    json: { type: 'boolean', default: false },
    options: { type: 'string' },
  });
  const dir = required(values.dir, '--dir');
  if (!/^[\w-]+$/.test(values.split)) throw new UsageError('--split must be a name such as train or test');

  const { companies, needs, qrels } = await readBeir(dir, values.split);
  const fileOptions = await matcherOptions(values.options);
  // Text only: BEIR has no tags or partnership types, so only the text part may count.
  const options: MatcherOptions = { ...fileOptions, weights: { tags: 0, text: 1, cooperation: 0 } };
  const lexiconOn = lexiconIsOn(options);
  const rankAll = async (matcherOptions: MatcherOptions): Promise<Map<string, string[]>> => {
    const matcher = await createMatcherInParallel({ companies, options: matcherOptions });
    const progress = progressReporter(streams, 'queries');
    const rankings = new Map<string, string[]>();
    try {
      for (const need of needs) {
        rankings.set(need.id, matcher.rankCompanies(need, { limit: 10, explain: false }).map((m) => m.id));
        progress.update(rankings.size, needs.length);
      }
    } finally {
      progress.stop();
    }
    return rankings;
  };
  const report = evaluateRankings(await rankAll(options), qrels, { k: 10, relevantGrade: 1 });
  const otherReport = evaluateRankings(await rankAll(withLexicon(options, !lexiconOn)), qrels, { k: 10, relevantGrade: 1 });
  if (values.json) {
    const other = { [lexiconOn ? 'withoutLexicon' : 'withLexicon']: { ndcg10: round(otherReport.ndcg) } };
    streams.stdout.write(`${JSON.stringify({ ndcg10: round(report.ndcg), queries: report.queries, split: values.split, lexicon: lexiconOn, ...other })}\n`);
  } else {
    const otherName = lexiconOn ? 'without lexicon' : 'with lexicon';
    streams.stdout.write(
      `dir      ${dir}\nsplit    ${values.split}\nqueries  ${report.queries}\nnDCG@10  ${report.ndcg.toFixed(4)} (${otherName} ${otherReport.ndcg.toFixed(4)})\n`,
    );
  }
  return EXIT_OK;
}

/** Validates one file: qrels (by name) or records of the kind its name or content suggests. */
async function validateFile(path: string): Promise<{ summary?: string; problems: string[] }> {
  if (basename(path).toLowerCase().includes('qrels')) {
    const result = validateQrels(await readJsonFile(path));
    if (!result.ok) return { problems: prefixed(path, result.issues) };
    return { summary: `${path}: ok (${Object.keys(result.value).length} judged needs)`, problems: [] };
  }
  const text = await readText(path);
  const kind = guessKind(path, text);
  const result = readRecordsText(kind, detectFormat(path, text), text);
  if (!result.ok) return { problems: prefixed(path, result.issues) };
  return { summary: `${path}: ok (${result.value.length} ${kind === 'company' ? 'companies' : 'needs'})`, problems: [] };
}

async function validateCommand(args: readonly string[], streams: CliStreams): Promise<number> {
  const { positionals } = parse(args, {}, true);
  if (positionals.length === 0) throw new UsageError('validate needs at least one FILE');
  const problems: string[] = [];
  const summaries: string[] = [];
  for (const path of positionals) {
    try {
      const checked = await validateFile(path);
      if (checked.summary !== undefined) summaries.push(checked.summary);
      problems.push(...checked.problems);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      problems.push(...error.problems);
    }
  }
  if (summaries.length > 0) streams.stdout.write(`${summaries.join('\n')}\n`);
  if (problems.length > 0) {
    streams.stderr.write(`${problems.join('\n')}\n${problems.length} problem(s) found\n`);
    return EXIT_BAD_INPUT;
  }
  return EXIT_OK;
}

function round(value: number): number {
  return Math.round(value * 1e4) / 1e4;
}
