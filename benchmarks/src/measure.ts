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
  const bench = new Bench({ name, time: 0, iterations, warmup: estimate < 50, warmupIterations: 5, warmupTime: 0 });
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

/** Cycles through `items`, one per call: each timed call gets the next query or record. */
export function cycle<T>(items: readonly T[]): () => T {
  let i = 0;
  return () => items[i++ % items.length]!;
}
