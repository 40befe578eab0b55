/**
 * Scale-out simulation: `npm run shards -w @partnermatch/benchmarks [-- --size 1000000
 * --shards 1,2,4,8 --queries 200]`. Companies are split over worker threads by company
 * number (a stand-in for a hash of the id). The router sums the shards' collection
 * statistics once (core's `mergeCollectionStatistics`) and gives the sum to every shard;
 * per query, phase 1 asks every shard for its best text score, phase 2 ranks with the
 * largest, and a k-way merge keeps the best k (DESIGN.md, Scale-out). Reports per shard
 * count: build (the slowest shard, the shards building side by side), heap per shard and
 * in all, the statistics (merge time, size as JSON), fan-out p50/p99 (both phases and the
 * merge), each phase's slowest shard p50, merge p50, and whether the merged top 10 equals
 * the single shard's, ids and scores.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { mergeCollectionStatistics } from '@partnermatch/core';
import { DEFAULT_SEED, generateNeeds } from './corpus.js';
import { paths } from './paths.js';
import type { ShardAnswer, ShardReady, ShardRequest, ShardTask } from './suites/shard-worker.js';

const { values } = parseArgs({
  options: {
    size: { type: 'string', default: '1000000' },
    shards: { type: 'string', default: '1,2,4,8' },
    queries: { type: 'string', default: '200' },
    out: { type: 'string', default: join(paths.results, 'shards.json') },
  },
});
const size = Number(values.size.replace(/_/g, '').replace(/k$/i, '000').replace(/m$/i, '000000'));
const shardCounts = values.shards.split(',').map(Number);
const queries = Number(values.queries);
const LIMIT = 10;
const needs = generateNeeds(queries, DEFAULT_SEED);
const log = (line: string) => console.error(`[${new Date().toISOString().slice(11, 19)}] ${line}`);

interface Hit {
  readonly id: string;
  readonly score: number;
}

/** k-way merge of per-shard top lists (each sorted best first): score descending, then id ascending. */
export function mergeTopK(lists: readonly ShardAnswer[], k: number): Hit[] {
  const cursor = new Int32Array(lists.length);
  const out: Hit[] = [];
  while (out.length < k) {
    let best = -1;
    for (let s = 0; s < lists.length; s += 1) {
      const list = lists[s]!;
      const at = cursor[s]!;
      if (at >= list.ids.length) continue;
      if (best < 0) {
        best = s;
        continue;
      }
      const other = lists[best]!;
      const a = list.scores[at]!;
      const b = other.scores[cursor[best]!]!;
      if (a > b || (a === b && list.ids[at]! < other.ids[cursor[best]!]!)) best = s;
    }
    if (best < 0) break;
    out.push({ id: lists[best]!.ids[cursor[best]!]!, score: lists[best]!.scores[cursor[best]!]! });
    cursor[best]! += 1;
  }
  return out;
}

const percentile = (sorted: readonly number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;

interface ShardRow {
  readonly shards: number;
  readonly companies: number;
  readonly buildMs: number;
  readonly heapMBPerShard: number;
  readonly heapMBTotal: number;
  readonly statisticsMergeMs: number;
  readonly statisticsMB: number;
  readonly fanOutP50Ms: number;
  readonly fanOutP99Ms: number;
  readonly phase1SlowestP50Ms: number;
  readonly phase2SlowestP50Ms: number;
  readonly mergeP50Ms: number;
  /** Share of the single shard's top 10 (id and score) the merged top 10 holds. */
  readonly sameTop10: number;
  /** Queries whose merged top 10 equals the single shard's exactly (ids, order, scores). */
  readonly identicalQueries: number;
}

const rows: ShardRow[] = [];
let reference: Hit[][] | undefined;

/** Posts one request to every worker and waits for every answer. */
function ask(workers: readonly Worker[], request: (shard: number) => ShardRequest): Promise<ShardAnswer[]> {
  return Promise.all(
    workers.map(
      (worker, shard) =>
        new Promise<ShardAnswer>((resolve) => {
          worker.once('message', resolve);
          worker.postMessage(request(shard));
        }),
    ),
  );
}

for (const shards of shardCounts) {
  log(`${shards} shard(s) over ${size.toLocaleString('en-US')} companies: building`);
  const started = performance.now();
  const workers = Array.from({ length: shards }, (_, shard) => new Worker(new URL('./suites/shard-worker.js', import.meta.url), { workerData: { size, seed: DEFAULT_SEED, shards, shard } satisfies ShardTask }));
  try {
    const ready = await Promise.all(workers.map((worker) => new Promise<ShardReady>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    })));
    const buildWallMs = performance.now() - started;
    log(`  built: slowest shard ${(Math.max(...ready.map((r) => r.buildMs)) / 1000).toFixed(1)} s, wall ${(buildWallMs / 1000).toFixed(1)} s with generation`);
    const s0 = performance.now();
    const whole = mergeCollectionStatistics(ready.map((r) => r.statistics));
    const statisticsMergeMs = performance.now() - s0;
    const statisticsMB = JSON.stringify(whole).length / 1024 ** 2;
    await ask(workers, () => ({ kind: 'whole', statistics: whole }));
    const fanOut: number[] = [];
    const phase1: number[] = [];
    const phase2: number[] = [];
    const merges: number[] = [];
    const tops: Hit[][] = [];
    for (let q = 0; q < needs.length; q += 1) {
      const need = needs[q]!;
      const t = performance.now();
      const best = await ask(workers, () => ({ kind: 'bestText', query: q, need }));
      const textDivisor = Math.max(...best.map((a) => a.bestText));
      const answers = await ask(workers, () => ({ kind: 'rank', query: q, need, limit: LIMIT, textDivisor }));
      const m = performance.now();
      const merged = mergeTopK(answers, LIMIT);
      const done = performance.now();
      fanOut.push(done - t);
      merges.push(done - m);
      phase1.push(Math.max(...best.map((a) => a.ms)));
      phase2.push(Math.max(...answers.map((a) => a.ms)));
      tops.push(merged);
    }
    reference ??= tops;
    const key = (hit: Hit) => `${hit.id} ${hit.score}`;
    const same = tops.reduce((sum, top, q) => sum + top.filter((hit) => reference![q]!.some((r) => key(r) === key(hit))).length, 0) / (tops.length * LIMIT);
    const identical = tops.filter((top, q) => JSON.stringify(top) === JSON.stringify(reference![q])).length;
    for (const list of [fanOut, phase1, phase2, merges]) list.sort((a, b) => a - b);
    const heaps = ready.map((r) => r.heapMB);
    const row: ShardRow = {
      shards,
      companies: ready.reduce((sum, r) => sum + r.companies, 0),
      buildMs: Math.max(...ready.map((r) => r.buildMs)),
      heapMBPerShard: Math.max(...heaps),
      heapMBTotal: heaps.reduce((a, b) => a + b, 0),
      statisticsMergeMs,
      statisticsMB,
      fanOutP50Ms: percentile(fanOut, 0.5),
      fanOutP99Ms: percentile(fanOut, 0.99),
      phase1SlowestP50Ms: percentile(phase1, 0.5),
      phase2SlowestP50Ms: percentile(phase2, 0.5),
      mergeP50Ms: percentile(merges, 0.5),
      sameTop10: same,
      identicalQueries: identical,
    };
    rows.push(row);
    log(`  ${JSON.stringify(row)}`);
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
}

writeFileSync(values.out, `${JSON.stringify({ date: new Date().toISOString(), size, queries, limit: LIMIT, rows }, null, 2)}\n`);
const f = (n: number, d = 1) => n.toFixed(d);
console.log(
  [
    `| shards | build (slowest shard) | heap per shard | heap in all | statistics (merge, JSON) | fan-out p50 | p99 | phase 1 slowest p50 | phase 2 slowest p50 | merge p50 | top 10 as 1 shard | identical |`,
    `|---|---|---|---|---|---|---|---|---|---|---|---|`,
    ...rows.map((r) => `| ${r.shards} | ${f(r.buildMs / 1000)} s | ${f(r.heapMBPerShard, 0)} MB | ${f(r.heapMBTotal, 0)} MB | ${f(r.statisticsMergeMs, 0)} ms, ${f(r.statisticsMB, 1)} MB | ${f(r.fanOutP50Ms, 2)} ms | ${f(r.fanOutP99Ms, 2)} ms | ${f(r.phase1SlowestP50Ms, 2)} ms | ${f(r.phase2SlowestP50Ms, 2)} ms | ${f(r.mergeP50Ms, 3)} ms | ${f(r.sameTop10 * 100, 0)} % | ${r.identicalQueries}/${queries} |`),
  ].join('\n'),
);
