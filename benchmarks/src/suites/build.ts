import { availableParallelism } from 'node:os';
import { createMatcherInParallel } from '@partnermatch/core';
import type { Engine, SearchIndex } from '../engines/index.js';
import { canMeasureMemory, collect, MB, retainedBytes, type ResultRow } from '../measure.js';
import type { Corpus } from '../settings.js';

export interface Built {
  readonly index: SearchIndex;
  readonly row: ResultRow;
}

/** Builds below this size are repeated and the median kept; larger ones run once. */
const REPEAT_BELOW = 5_000;

/** A build that is only timed, in its own frame, so nothing of it outlives the call. */
async function timedBuild(engine: Engine, corpus: Corpus): Promise<number> {
  const start = performance.now();
  const index = engine.build(corpus.companies);
  const elapsed = performance.now() - start;
  await index.close?.();
  return elapsed;
}

/**
 * Index build: wall time from the records in memory to a searchable index, and the memory
 * the index retains after full collections (heap + external, plus SQLite's pages).
 */
export async function runBuild(engine: Engine, corpus: Corpus): Promise<Built> {
  const times: number[] = [];
  for (let run = 1; run < (corpus.size < REPEAT_BELOW ? 3 : 1); run += 1) times.push(await timedBuild(engine, corpus));
  await collect();
  const before = retainedBytes();
  const start = performance.now();
  const index = engine.build(corpus.companies);
  times.push(performance.now() - start);
  await collect();
  const retained = retainedBytes() - before + (index.nativeBytes?.() ?? 0);
  times.sort((a, b) => a - b);
  return {
    index,
    row: {
      suite: 'build',
      size: corpus.size,
      engine: engine.name,
      p50Ms: null,
      p99Ms: null,
      opsPerSec: null,
      buildMs: times[times.length >> 1]!,
      memoryMB: canMeasureMemory ? retained / MB : null,
      samples: times.length,
      ...(canMeasureMemory ? {} : { note: 'memory needs node --expose-gc' }),
    },
  };
}

/**
 * partnermatch's own parallel build (`createMatcherInParallel`): the text analysis on one
 * worker thread per core, the indexing on this one. Wall time only: the matcher it
 * leaves is the one `runBuild` measured.
 */
export async function runParallelBuild(corpus: Corpus): Promise<ResultRow> {
  const threads = Math.max(2, availableParallelism());
  await collect();
  const start = performance.now();
  await createMatcherInParallel({ companies: corpus.companies }, { threads });
  const buildMs = performance.now() - start;
  await collect();
  return {
    suite: 'build',
    size: corpus.size,
    engine: `partnermatch ×${threads} threads`,
    p50Ms: null,
    p99Ms: null,
    opsPerSec: null,
    buildMs,
    memoryMB: null,
    samples: 1,
    note: 'createMatcherInParallel: analysis on worker threads, indexing on the main thread',
  };
}
