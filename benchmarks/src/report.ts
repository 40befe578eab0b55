/** Machine facts, the tables printed after a run, the partnermatch/peer ratios and the targets. */
import { execFileSync } from 'node:child_process';
import { availableParallelism, cpus, loadavg, release, totalmem } from 'node:os';
import type { ResultRow } from './measure.js';
import { paths } from './paths.js';
import type { PairedResult } from './suites/paired.js';
import type { QualityRow } from './suites/quality.js';
import type { ServiceResult } from './suites/service.js';
import type { StartupResult } from './suites/startup.js';

export const SUBJECT = 'partnermatch';

export interface Machine {
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGB: number;
  readonly os: string;
  readonly node: string;
  /** The commit measured, `+dirty` when packages/core had uncommitted changes. */
  readonly commit: string;
  /** 1-minute load average at the start and the end of the run: above ~1, something else shared the cores. */
  readonly load: { readonly start: number; readonly end: number };
}

const loadAtStart = loadavg()[0]!;

export function machine(): Machine {
  let commit = 'unknown';
  try {
    const git = (...args: string[]) => execFileSync('git', args, { cwd: paths.repo, encoding: 'utf8' }).trim();
    const head = git('rev-parse', '--short', 'HEAD');
    const dirty = git('status', '--porcelain', '--', 'packages/core') !== '';
    commit = dirty ? `${head}+dirty` : head;
  } catch {
    // Not a git checkout: leave it unknown.
  }
  return {
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    cores: availableParallelism(),
    memoryGB: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    os: `${process.platform} ${release()}`,
    node: process.version,
    commit,
    load: { start: Math.round(loadAtStart * 100) / 100, end: Math.round(loadavg()[0]! * 100) / 100 },
  };
}

export interface Ratio {
  readonly size: number;
  readonly engine: string;
  /** partnermatch ÷ peer: below 1, partnermatch is faster or smaller. Latency on the sv/en needs (like for like). */
  readonly p50: number | null;
  readonly p99: number | null;
  /** Latency over all 1,000 needs, where the peers skip the Chinese ones. */
  readonly p50All: number | null;
  readonly p99All: number | null;
  readonly build: number | null;
  readonly memory: number | null;
}

const find = (rows: readonly ResultRow[], suite: ResultRow['suite'], size: number, engine: string) =>
  rows.find((row) => row.suite === suite && row.size === size && row.engine === engine);

function divide(a: number | null | undefined, b: number | null | undefined): number | null {
  return a === null || a === undefined || b === null || b === undefined || b === 0 ? null : a / b;
}

/** partnermatch ÷ each other engine, per size: latency (with explanations), build time, memory. */
export function ratios(rows: readonly ResultRow[]): Ratio[] {
  const out: Ratio[] = [];
  const sizes = [...new Set(rows.map((row) => row.size))];
  for (const size of sizes) {
    const engines = [...new Set(rows.filter((row) => row.size === size && row.suite === 'build').map((row) => row.engine))];
    for (const engine of engines.filter((name) => name !== SUBJECT)) {
      out.push({
        size,
        engine,
        p50: divide(find(rows, 'search-sv-en', size, SUBJECT)?.p50Ms, find(rows, 'search-sv-en', size, engine)?.p50Ms),
        p99: divide(find(rows, 'search-sv-en', size, SUBJECT)?.p99Ms, find(rows, 'search-sv-en', size, engine)?.p99Ms),
        p50All: divide(find(rows, 'search', size, SUBJECT)?.p50Ms, find(rows, 'search', size, engine)?.p50Ms),
        p99All: divide(find(rows, 'search', size, SUBJECT)?.p99Ms, find(rows, 'search', size, engine)?.p99Ms),
        build: divide(find(rows, 'build', size, SUBJECT)?.buildMs, find(rows, 'build', size, engine)?.buildMs),
        memory: divide(find(rows, 'build', size, SUBJECT)?.memoryMB, find(rows, 'build', size, engine)?.memoryMB),
      });
    }
  }
  return out;
}

// ── formatting ───────────────────────────────────────────────────────────────

export function ms(value: number | null | undefined): string {
  if (value === null || value === undefined) return '–';
  if (value >= 10_000) return `${(value / 1000).toFixed(1)} s`;
  if (value >= 1_000) return `${(value / 1000).toFixed(2)} s`;
  if (value >= 100) return `${value.toFixed(0)} ms`;
  if (value >= 10) return `${value.toFixed(1)} ms`;
  return `${value.toFixed(2)} ms`;
}

const number = (value: number | null | undefined, digits = 0) =>
  value === null || value === undefined ? '–' : value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

const ratio = (value: number | null) => (value === null ? '–' : value >= 10 ? `×${value.toFixed(0)}` : value >= 0.1 ? `×${value.toFixed(2)}` : `×${value.toFixed(3)}`);

function markdown(header: readonly string[], body: readonly (readonly string[])[]): string {
  const align = header.map((_, i) => (i === 0 ? '---' : '---:'));
  return [header, align, ...body].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

/** One table per corpus size: every suite of every engine, and partnermatch ÷ that engine. */
export function speedTable(rows: readonly ResultRow[], size: number): string {
  const engines = [...new Set(rows.filter((row) => row.size === size).map((row) => row.engine))];
  const all = ratios(rows);
  const body = engines.map((engine) => {
    const build = find(rows, 'build', size, engine);
    const search = find(rows, 'search', size, engine);
    const latin = find(rows, 'search-sv-en', size, engine);
    const batch = find(rows, 'batch', size, engine);
    const r = all.find((x) => x.size === size && x.engine === engine);
    return [
      engine,
      ms(build?.buildMs ?? batch?.buildMs),
      number(build?.memoryMB, 1),
      ms(search?.p50Ms),
      ms(search?.p99Ms),
      ms(latin?.p50Ms),
      ms(latin?.p99Ms),
      number(latin?.opsPerSec),
      batch === undefined ? '–' : batch.wallMs === undefined ? 'skipped' : ms(batch.wallMs),
      ms(find(rows, 'add', size, engine)?.p50Ms),
      ms(find(rows, 'update', size, engine)?.p50Ms),
      r === undefined || engine.startsWith(SUBJECT) ? '' : `${ratio(r.p50)} / ${ratio(r.p99)}`,
      r === undefined || engine.startsWith(SUBJECT) ? '' : ratio(r.build),
      r === undefined || engine.startsWith(SUBJECT) ? '' : ratio(r.memory),
    ];
  });
  return markdown(
    [
      'engine',
      'build',
      'memory MB',
      'p50 all',
      'p99 all',
      'p50 sv/en',
      'p99 sv/en',
      'ops/s sv/en',
      '1,000 needs',
      'add p50',
      'update p50',
      'pm/peer p50 / p99 sv/en',
      'pm/peer build',
      'pm/peer memory',
    ],
    body,
  );
}

export function qualityTable(rows: readonly QualityRow[]): string {
  const sets = [...new Set(rows.map((row) => row.set))];
  const engines = [...new Set(rows.map((row) => row.engine))];
  const body = engines.map((engine) => [
    engine,
    ...sets.map((set) => {
      const row = rows.find((r) => r.set === set && r.engine === engine);
      return row === undefined ? '–' : row.ndcg10.toFixed(3);
    }),
  ]);
  const queries = sets.map((set) => rows.find((row) => row.set === set)?.queries ?? 0);
  return markdown(['nDCG@10', ...sets.map((set, i) => `${set} (${queries[i]} q)`)], body);
}

export function serviceTable(result: ServiceResult): string {
  if (!result.ran) return `service: skipped — ${result.reason}`;
  return markdown(
    ['GET /needs/:id/matches', 'companies', 'requests/s', 'p50', 'p99', 'requests', 'non-2xx', 'cache hits / misses', 'service CPU / request'],
    result.rows.map((row) => [
      row.scenario,
      number(row.companies),
      number(row.requestsPerSec),
      ms(row.p50Ms),
      ms(row.p99Ms),
      number(row.requests),
      number(row.non2xx),
      `${number(row.cacheHits)} / ${number(row.cacheMisses)}`,
      // Older result files have no CPU figure.
      Number.isFinite(row.cpuMsPerRequest) ? `${row.cpuMsPerRequest.toFixed(2)} ms` : '–',
    ]),
  );
}

const megabytes = (value: number | null): string => (value === null ? '–' : `${value.toFixed(0)} MB`);

export function startupTable(result: StartupResult): string {
  if (!result.ran) return `service start: skipped — ${result.reason}`;
  return markdown(
    ['service start', 'companies', 'spawn → first answer', 'RSS after it', 'snapshot file', 'then first POST /companies', 'RSS after it'],
    result.rows.map((row) => [
      row.start,
      number(row.companies),
      ms(row.firstAnswerMs),
      megabytes(row.rssMB),
      `${result.snapshotMB.toFixed(1)} MB`,
      row.firstWrite === undefined ? '–' : ms(row.firstWrite.ms),
      row.firstWrite === undefined ? '–' : megabytes(row.firstWrite.rssMB),
    ]),
  );
}

// ── targets ──────────────────────────────────────────────────────────────────

export interface TargetCheck {
  readonly target: string;
  readonly measured: string;
  readonly met: boolean;
}

/** The targets, checked against this run (those its sizes and suites allow). */
export function targets(rows: readonly ResultRow[], quality: readonly QualityRow[], service: ServiceResult, startup?: StartupResult, paired: readonly PairedResult[] = []): TargetCheck[] {
  const size = Math.max(...rows.map((row) => row.size));
  const checks: TargetCheck[] = [];
  const check = (target: string, value: number | null | undefined, limit: number, format: (v: number) => string, atMost = true) => {
    if (value === null || value === undefined) return;
    checks.push({ target, measured: format(value), met: atMost ? value <= limit : value >= limit });
  };
  const build = find(rows, 'build', size, SUBJECT);
  const at = `at ${number(size)}`;
  for (const [suite, label] of [['search', 'all needs'], ['search-sv-en', 'sv/en needs']] as const) {
    const search = find(rows, suite, size, SUBJECT);
    check(`single-need p50 ≤ 3 ms ${at}, ${label}`, search?.p50Ms, 3, ms);
    check(`single-need p99 ≤ 10 ms ${at}, ${label}`, search?.p99Ms, 10, ms);
  }
  const all = ratios(rows).filter((r) => r.size === size);
  const vs = (engine: string) => all.find((r) => r.engine === engine)?.p50;
  // Side by side where the paired suite ran at this size: the search suite's engines are timed minutes apart.
  const side = paired.find((result) => result.size === size);
  check(`p50 within 1.5× of the typed-array BM25 ${at} (sv/en${side === undefined ? '' : '; paired: median per-need ratio'})`, side?.vsBm25.explain ?? vs('BM25 typed arrays (ref)'), 1.5, (v) => `×${v.toFixed(2)}`);
  check(`≥ 50× faster than FTS5 ${at} (p50, sv/en)`, vs('SQLite FTS5'), 1 / 50, (v) => `${(1 / v).toFixed(1)}× faster`);
  check(`≥ 300× faster than MiniSearch ${at} (p50, sv/en)`, vs('MiniSearch'), 1 / 300, (v) => `${(1 / v).toFixed(1)}× faster`);
  const builds = rows.filter((row) => row.suite === 'build' && row.size === size && row.engine.startsWith(SUBJECT) && row.buildMs !== null);
  check(`index build ≤ 3 s ${at}`, builds.length === 0 ? undefined : Math.min(...builds.map((row) => row.buildMs!)), 3_000, ms);
  check(`retained memory ≤ 80 MB ${at}`, build?.memoryMB, 80, (v) => `${v.toFixed(0)} MB`);
  const batches = rows.filter((row) => row.suite === 'batch' && row.size === size && row.engine.startsWith(SUBJECT) && row.wallMs !== undefined);
  const fastest = batches.length === 0 ? undefined : Math.min(...batches.map((row) => row.wallMs!));
  if (fastest !== undefined) check(`1,000 needs ≤ 5 s wall ${at}`, fastest, 5_000, ms);
  else if (find(rows, 'batch', size, SUBJECT) !== undefined) checks.push({ target: `1,000 needs ≤ 5 s wall ${at}`, measured: 'not run: over the batch budget', met: false });
  if (service.ran) {
    const rate = (scenario: string) => service.rows.find((row) => row.scenario === scenario)?.requestsPerSec;
    check('service ≥ 5,000 req/s on cache hits (10k)', rate('cache hit'), 5_000, (v) => `${number(v)} req/s`, false);
    check('service ≥ 1,000 req/s on cache misses (10k)', rate('cache miss'), 1_000, (v) => `${number(v)} req/s`, false);
  }
  if (startup?.ran === true) {
    const fromSnapshot = startup.rows.find((row) => row.start === 'from the snapshot');
    check(`service start from a snapshot ≤ 2 s to first answer (${number(fromSnapshot?.companies ?? 0)})`, fromSnapshot?.firstAnswerMs, 2_000, ms);
  }
  for (const set of new Set(quality.map((row) => row.set))) {
    const ours = quality.find((row) => row.set === set && row.engine === SUBJECT)?.ndcg10;
    const best = Math.max(...quality.filter((row) => row.set === set && row.engine !== SUBJECT).map((row) => row.ndcg10));
    if (ours !== undefined) checks.push({ target: `nDCG@10 ≥ every peer on ${set}`, measured: `${ours.toFixed(3)} vs best other ${best.toFixed(3)}`, met: ours >= best });
  }
  return checks;
}

export function targetTable(checks: readonly TargetCheck[]): string {
  return markdown(['target', 'measured', 'met'], checks.map((c) => [c.target, c.measured, c.met ? 'yes' : '**no**']));
}
