/** One shard of the scale-out simulation: the companies whose number ≡ shard (mod shards), and their matcher. */
import { getHeapStatistics } from 'node:v8';
import { parentPort, workerData } from 'node:worker_threads';
import { collectionStatistics, createMatcher, shardMatcher, type CollectionStatistics, type PartnerNeed, type Shard } from '@partnermatch/core';
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
  /** This shard's own collection statistics, for the router to sum. */
  readonly statistics: CollectionStatistics;
}

/** The router's messages: the summed statistics (once), then per query phase 1 (`bestText`) and phase 2 (`rank`). */
export type ShardRequest =
  | { readonly kind: 'whole'; readonly statistics: CollectionStatistics }
  | { readonly kind: 'bestText'; readonly query: number; readonly need: PartnerNeed }
  | { readonly kind: 'rank'; readonly query: number; readonly need: PartnerNeed; readonly limit: number; readonly textDivisor: number };

export interface ShardAnswer {
  readonly kind: 'answer';
  readonly query: number;
  readonly ids: string[];
  readonly scores: Float64Array;
  /** Phase 1: this shard's best text score. */
  readonly bestText: number;
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
  port.postMessage({ kind: 'ready', companies: matcher.companyCount, buildMs, heapMB: (heap.used_heap_size + arrayBuffers) / 1024 ** 2, statistics: collectionStatistics(matcher) } satisfies ShardReady);
  let shard: Shard | undefined;
  const options = { explain: false, includeExpired: true } as const;
  port.on('message', (request: ShardRequest) => {
    const t = performance.now();
    if (request.kind === 'whole') {
      shard = shardMatcher(matcher, request.statistics);
      port.postMessage({ kind: 'answer', query: -1, ids: [], scores: new Float64Array(0), bestText: 0, ms: performance.now() - t } satisfies ShardAnswer);
      return;
    }
    if (shard === undefined) throw new Error('a query before the whole collection statistics');
    if (request.kind === 'bestText') {
      const bestText = shard.bestText(request.need, options);
      port.postMessage({ kind: 'answer', query: request.query, ids: [], scores: new Float64Array(0), bestText, ms: performance.now() - t } satisfies ShardAnswer);
      return;
    }
    const matches = shard.rankCompanies(request.need, { ...options, limit: request.limit, textDivisor: request.textDivisor });
    const scores = Float64Array.from(matches, (match) => match.score);
    port.postMessage({ kind: 'answer', query: request.query, ids: matches.map((match) => match.id), scores, bestText: 0, ms: performance.now() - t } satisfies ShardAnswer, [scores.buffer]);
  });
}
