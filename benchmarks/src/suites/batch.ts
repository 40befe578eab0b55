import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Engine, SearchIndex } from '../engines/index.js';
import { percentile, type ResultRow } from '../measure.js';
import type { Corpus, Settings } from '../settings.js';
import type { WorkerReply, WorkerTask } from './batch-worker.js';

const LIMIT = 10;

function row(engine: string, corpus: Corpus, fields: Partial<ResultRow>): ResultRow {
  return { suite: 'batch', size: corpus.size, engine, p50Ms: null, p99Ms: null, opsPerSec: null, buildMs: null, memoryMB: null, ...fields };
}

/** Whether a batch promises to finish within the budget, judged from the single-need mean. */
function overBudget(singleMeanMs: number, needs: number, threads: number, settings: Settings): string | undefined {
  const estimate = (singleMeanMs * needs) / threads;
  return estimate <= settings.batchMs
    ? undefined
    : `skipped: ~${(estimate / 1000).toFixed(0)} s estimated from the single-need mean, over the ${settings.batchMs / 1000} s budget`;
}

/**
 * Every need ranked against every company, top 10 each, on this thread: wall time, and
 * the p50 / p99 of the needs within it.
 */
export function runBatch(engine: Engine, index: SearchIndex, corpus: Corpus, settings: Settings, singleMeanMs: number): ResultRow {
  const skip = overBudget(singleMeanMs, corpus.needs.length, 1, settings);
  if (skip !== undefined) return row(engine.name, corpus, { note: skip });
  const latencies: number[] = [];
  const start = performance.now();
  for (const need of corpus.needs) {
    const t = performance.now();
    index.search(need, LIMIT);
    latencies.push(performance.now() - t);
  }
  const wallMs = performance.now() - start;
  latencies.sort((a, b) => a - b);
  return row(engine.name, corpus, {
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
    opsPerSec: (corpus.needs.length * 1000) / wallMs,
    wallMs,
    samples: latencies.length,
  });
}

/**
 * The same batch split over one worker per core, each with its own index over the same
 * seeded corpus (a worker cannot share another's index). The wall time runs from "go" to
 * the last worker's answer; the workers' build is reported apart.
 */
export async function runBatchInWorkers(engine: Engine, corpus: Corpus, settings: Settings, singleMeanMs: number): Promise<ResultRow> {
  const threads = Math.max(1, availableParallelism());
  const name = `${engine.name} ×${threads} workers`;
  const skip = overBudget(singleMeanMs, corpus.needs.length, threads, settings);
  if (skip !== undefined) return row(name, corpus, { note: skip });
  const share = Math.ceil(corpus.needs.length / threads);
  const workers = Array.from({ length: threads }, (_, i) => {
    const task: WorkerTask = {
      engine: engine.name,
      size: corpus.size,
      seed: corpus.seed,
      needs: corpus.needs.length,
      from: i * share,
      to: Math.min(corpus.needs.length, (i + 1) * share),
      limit: LIMIT,
    };
    return new Worker(new URL('./batch-worker.js', import.meta.url), { workerData: task, resourceLimits: { maxOldGenerationSizeMb: 8_192 } });
  });
  const replies = (kind: WorkerReply['kind']) =>
    Promise.all(
      workers.map(
        (worker) =>
          new Promise<WorkerReply>((resolve, reject) => {
            const onMessage = (reply: WorkerReply) => {
              if (reply.kind !== kind) return;
              worker.off('message', onMessage);
              resolve(reply);
            };
            worker.on('message', onMessage);
            worker.once('error', reject);
          }),
      ),
    );
  try {
    const ready = await replies('ready');
    const done = replies('done');
    const start = performance.now();
    for (const worker of workers) worker.postMessage('go');
    const results = await done;
    const wallMs = performance.now() - start;
    const ranked = results.reduce((sum, reply) => sum + reply.count, 0);
    if (ranked !== corpus.needs.length) throw new Error(`workers ranked ${ranked} of ${corpus.needs.length} needs`);
    return row(name, corpus, {
      opsPerSec: (corpus.needs.length * 1000) / wallMs,
      wallMs,
      buildMs: Math.max(...ready.map((reply) => reply.ms)),
      note: `${threads} indexes built in parallel first (buildMs: the slowest; corpus generation excluded)`,
    });
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
}
