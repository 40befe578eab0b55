import { Bench } from 'tinybench';

export const MB = 1024 * 1024;

/** One row of `results/latest.json`; figures that do not apply to a suite are null. */
export interface ResultRow {
  /** `search`: all 1,000 needs; `search-sv-en`: the needs written in English or Swedish, which every engine can tokenise. */
  readonly suite: 'build' | 'search' | 'search-sv-en' | 'batch' | 'add' | 'update';
  readonly size: number;
  readonly engine: string;
  readonly p50Ms: number | null;
  readonly p99Ms: number | null;
  readonly opsPerSec: number | null;
  readonly buildMs: number | null;
  readonly memoryMB: number | null;
  /** Latency samples behind p50/p99 (below 100, p99 is close to the slowest sample). */
  readonly samples?: number;
  /** Batch: wall time of all the needs. */
  readonly wallMs?: number;
  /** Why a figure is missing, or what is special about it. */
  readonly note?: string;
}

const gc = (globalThis as { gc?: () => void }).gc;

export const canMeasureMemory = gc !== undefined;

/**
 * Full collections until heap and external memory stop shrinking (needs --expose-gc).
 * Between collections the event loop turns, so array buffers freed on V8's background
 * threads are accounted for before the next reading.
 */
export async function collect(): Promise<void> {
  if (gc === undefined) return;
  let last = Infinity;
  for (let i = 0; i < 10; i += 1) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 10));
    const used = retainedBytes();
    if (used >= last - 64 * 1024) return;
    last = used;
  }
}

/** V8 heap plus memory that V8 tracks outside it (typed-array buffers, strings of native modules). */
export function retainedBytes(): number {
  const { heapUsed, external } = process.memoryUsage();
  return heapUsed + external;
}

export interface Timing {
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly opsPerSec: number;
  readonly samples: number;
}

export interface TimingBudget {
  /** Time to spend on the samples, in ms; the estimate from the warm-up decides the count. */
  readonly ms: number;
  readonly minSamples: number;
  readonly maxSamples: number;
}

/**
 * Times `fn` with tinybench. A short warm-up estimates its cost, which sets the number of
 * samples so the task spends about `budget.ms` (within [minSamples, maxSamples]): a slow
 * engine gets fewer samples, never an unbounded run.
 */
export async function time(name: string, fn: () => void, budget: TimingBudget): Promise<Timing> {
  const start = performance.now();
  fn();
  fn();
  const estimate = Math.max((performance.now() - start) / 2, 1e-3);
  const iterations = Math.round(Math.min(budget.maxSamples, Math.max(budget.minSamples, budget.ms / estimate)));
  // Two calls have warmed a slow engine already; a fast one gets five more.
  return runBench(new Bench({ name, time: 0, iterations, warmup: estimate < 50, warmupIterations: 5, warmupTime: 0 }), name, fn);
}

/** Runs `fn` as the bench's one task; its latency figures. */
async function runBench(bench: Bench, name: string, fn: () => void): Promise<Timing> {
  bench.add(name, fn);
  await bench.run();
  const result = bench.tasks[0]!.result;
  if (result.state === 'errored') throw result.error;
  if (result.state !== 'completed') throw new Error(`${name}: tinybench ended ${result.state}`);
  return {
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    opsPerSec: 1000 / result.period,
    samples: result.latency.samplesCount,
  };
}

/** Timing of one engine over a list of queries, and how many of them it was timed on. */
export interface QueryTiming extends Timing {
  /** Distinct queries timed: all of them, or one in `stride` when a pass over all would not fit. */
  readonly queries: number;
  readonly stride: number;
}

/**
 * A pass over every query may take this many times the budget: a ratio between two engines
 * is only a ratio over the same queries, so a full pass is worth more than the budget.
 */
const FULL_PASS_ALLOWANCE = 10;

/** Calls timed, after two warm-up calls, to estimate what one query costs (spread over the queries). */
const ESTIMATE_PROBES = 9;

/** Above this many ms a query, an engine gets no warm pass and no full pass: an even spread within the budget. */
const SLOW_QUERY_MS = 50;

/**
 * Times `fn` over `queries` so that two engines are compared on the same ones, equally
 * often: whole passes over all of them (as many as fit `budget.ms`, at least one within
 * ten budgets; at most `budget.maxSamples` calls unless one pass has more), after one
 * untimed pass that warms the engine. An engine too slow for a full pass, or slower than
 * `SLOW_QUERY_MS` a query, is timed within the budget on an even spread, one query in
 * `stride`, at least `budget.minSamples` of them. Timed calls are `passes × queries`
 * consecutive ones of a cycle, so each query is timed `passes` times wherever
 * tinybench's own untimed call leaves the cycle.
 */
export async function timeQueries<T>(name: string, queries: readonly T[], fn: (query: T) => void, budget: TimingBudget): Promise<QueryTiming> {
  if (queries.length === 0) throw new Error(`${name}: no queries to time`);
  // Two calls warm the code up (the first of an engine can take ten times the rest); the
  // mean of a few more, spread over the queries, is the estimate: a peer may answer most
  // queries in microseconds and the rest in a second (MiniSearch at 100k: Chinese needs
  // and Swedish ones), and a pass costs the mean. Probing stops once it has taken a budget.
  fn(queries[0]!);
  fn(queries[1 % queries.length]!);
  let probed = 0;
  let probes = 0;
  while (probes < ESTIMATE_PROBES && probed <= budget.ms) {
    const start = performance.now();
    fn(queries[Math.floor(((probes + 0.5) * queries.length) / ESTIMATE_PROBES)]!);
    probed += performance.now() - start;
    probes += 1;
  }
  let estimate = Math.max(probed / probes, 1e-3);
  if (estimate >= SLOW_QUERY_MS) {
    // No pass checks the estimate of a slow engine: it is timed within the budget only.
    return timePasses(name, queries, fn, budget, spread(queries, estimate, budget, budget.ms), estimate);
  }
  // The warm pass, timed whole: what a pass costs. Past the allowance the probes have
  // missed the slow queries and the pass stops; either way the plan is made again.
  const allowance = FULL_PASS_ALLOWANCE * budget.ms;
  const warmed = spread(queries, estimate, budget, allowance);
  const start = performance.now();
  let done = 0;
  for (const query of warmed) {
    fn(query);
    done += 1;
    if (performance.now() - start > allowance) break;
  }
  estimate = Math.max((performance.now() - start) / done, 1e-3);
  return timePasses(name, queries, fn, budget, spread(queries, estimate, budget, allowance), estimate);
}

/** Times `passes` whole passes over `chosen` (as many as fit the budget at `estimate` ms a query, at least one). */
async function timePasses<T>(name: string, queries: readonly T[], fn: (query: T) => void, budget: TimingBudget, chosen: readonly T[], estimate: number): Promise<QueryTiming> {
  const passes = Math.max(1, Math.min(Math.round(budget.ms / (estimate * chosen.length)), Math.floor(budget.maxSamples / chosen.length)));
  const next = cycle(chosen);
  const timing = await runBench(new Bench({ name, time: 0, iterations: passes * chosen.length, warmup: false }), name, () => fn(next()));
  return { ...timing, queries: chosen.length, stride: Math.round(queries.length / chosen.length) };
}

/** All the queries when a pass over them fits `allowance` ms at `estimate` ms each; else an even spread that fits the budget. */
function spread<T>(queries: readonly T[], estimate: number, budget: TimingBudget, allowance: number): readonly T[] {
  if (estimate * queries.length <= allowance) return queries;
  const stride = Math.max(1, Math.ceil(queries.length / Math.max(budget.minSamples, Math.floor(budget.ms / estimate))));
  return queries.filter((_, i) => i % stride === 0);
}

/** The middle value (the mean of the two middle ones for an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The value below which a share `p` of the sorted samples lie (the nearest rank, no interpolation). */
export function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

/** Cycles through `items`, one per call: each timed call gets the next query or record. */
export function cycle<T>(items: readonly T[]): () => T {
  let i = 0;
  return () => items[i++ % items.length]!;
}
