/** One shard of the scale-out simulation: the companies whose number ≡ shard (mod shards), and their matcher. */
import { getHeapStatistics } from 'node:v8';
import { parentPort, workerData } from 'node:worker_threads';
import { createMatcher, type PartnerNeed } from '@partnermatch/core';
import { generateCompany } from '../corpus.js';

export interface ShardTask {
  readonly size: number;
  readonly seed: number;
  readonly shards: number;
  readonly shard: number;
}

export interface ShardReady {
  readonly kind: 'ready';
  readonly companies: number;
  readonly buildMs: number;
  /** V8 heap in use after a full collection, with array buffers: what this shard's index keeps. */
  readonly heapMB: number;
}

export interface ShardAnswer {
  readonly kind: 'answer';
  readonly query: number;
  readonly ids: string[];
  readonly scores: Float64Array;
  readonly ms: number;
}

if (parentPort !== null) {
  const port = parentPort;
  const task = workerData as ShardTask;
  const companies = [];
  for (let i = task.shard; i < task.size; i += task.shards) companies.push(generateCompany(i, task.seed));
  const start = performance.now();
  const matcher = createMatcher({ companies });
  const buildMs = performance.now() - start;
  companies.length = 0;
  (globalThis as { gc?: () => void }).gc?.();
  const heap = getHeapStatistics();
  const { arrayBuffers } = process.memoryUsage();
  port.postMessage({ kind: 'ready', companies: matcher.companyCount, buildMs, heapMB: (heap.used_heap_size + arrayBuffers) / 1024 ** 2 } satisfies ShardReady);
  port.on('message', ({ query, need, limit }: { query: number; need: PartnerNeed; limit: number }) => {
    const t = performance.now();
    const matches = matcher.rankCompanies(need, { limit, explain: false, includeExpired: true });
    const scores = Float64Array.from(matches, (match) => match.score);
    port.postMessage({ kind: 'answer', query, ids: matches.map((match) => match.id), scores, ms: performance.now() - t } satisfies ShardAnswer, [scores.buffer]);
  });
}
