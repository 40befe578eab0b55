/**
 * Scale-out simulation: `npm run shards -w @partnermatch/benchmarks [-- --size 1000000
 * --shards 1,2,4,8 --queries 200]`. Companies are split over worker threads by company
 * number (a stand-in for a hash of the id); a query goes to every shard, each returns its
 * exact top k by its own index, and a k-way merge keeps the best k. Reports per shard
 * count: build (the slowest shard, the shards building side by side), heap per shard and
 * in all, fan-out p50/p99 (post to every shard → last answer), merge p50, and how many of
 * the single index's top 10 the merged top 10 holds (shards score with their own BM25
 * statistics and text divisor; see DESIGN.md, Scale-out).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { DEFAULT_SEED, generateNeeds } from './corpus.js';
import { paths } from './paths.js';
import type { ShardAnswer, ShardReady, ShardTask } from './suites/shard-worker.js';

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
  readonly fanOutP50Ms: number;
  readonly fanOutP99Ms: number;
  readonly slowestShardP50Ms: number;
  readonly mergeP50Ms: number;
  readonly sameTop10: number;
}

const rows: ShardRow[] = [];
let reference: string[][] | undefined;
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
    const fanOut: number[] = [];
    const slowest: number[] = [];
    const merges: number[] = [];
    const tops: string[][] = [];
    for (let q = 0; q < needs.length; q += 1) {
      const t = performance.now();
      const answers = await Promise.all(workers.map((worker) => new Promise<ShardAnswer>((resolve) => {
        worker.once('message', resolve);
        worker.postMessage({ query: q, need: needs[q], limit: LIMIT });
      })));
      const m = performance.now();
      const merged = mergeTopK(answers, LIMIT);
      const done = performance.now();
      fanOut.push(done - t);
      merges.push(done - m);
      slowest.push(Math.max(...answers.map((a) => a.ms)));
      tops.push(merged.map((hit) => hit.id));
    }
    reference ??= tops;
    const same = tops.reduce((sum, top, q) => sum + top.filter((id) => reference![q]!.includes(id)).length, 0) / (tops.length * LIMIT);
    for (const list of [fanOut, slowest, merges]) list.sort((a, b) => a - b);
    const heaps = ready.map((r) => r.heapMB);
    const row: ShardRow = {
      shards,
      companies: ready.reduce((sum, r) => sum + r.companies, 0),
      buildMs: Math.max(...ready.map((r) => r.buildMs)),
      heapMBPerShard: Math.max(...heaps),
      heapMBTotal: heaps.reduce((a, b) => a + b, 0),
      fanOutP50Ms: percentile(fanOut, 0.5),
      fanOutP99Ms: percentile(fanOut, 0.99),
      slowestShardP50Ms: percentile(slowest, 0.5),
      mergeP50Ms: percentile(merges, 0.5),
      sameTop10: same,
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
    `| shards | build (slowest shard) | heap per shard | heap in all | fan-out p50 | p99 | slowest shard p50 | merge p50 | top 10 as 1 shard |`,
    `|---|---|---|---|---|---|---|---|---|`,
    ...rows.map((r) => `| ${r.shards} | ${f(r.buildMs / 1000)} s | ${f(r.heapMBPerShard, 0)} MB | ${f(r.heapMBTotal, 0)} MB | ${f(r.fanOutP50Ms, 2)} ms | ${f(r.fanOutP99Ms, 2)} ms | ${f(r.slowestShardP50Ms, 2)} ms | ${f(r.mergeP50Ms, 3)} ms | ${f(r.sameTop10 * 100, 0)} % |`),
  ].join('\n'),
);
