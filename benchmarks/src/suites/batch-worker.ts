/** A batch worker: builds its own index over the seeded corpus, then ranks its share of the needs on "go". */
import { parentPort, workerData } from 'node:worker_threads';
import { generateCompanies, generateNeeds } from '../corpus.js';
import { ENGINES } from '../engines/index.js';

export interface WorkerTask {
  readonly engine: string;
  readonly size: number;
  readonly seed: number;
  readonly needs: number;
  readonly from: number;
  readonly to: number;
  readonly limit: number;
}

export interface WorkerReply {
  readonly kind: 'ready' | 'done';
  readonly ms: number;
  readonly count: number;
}

if (parentPort !== null) {
  const port = parentPort;
  const task = workerData as WorkerTask;
  const engine = ENGINES.find((candidate) => candidate.name === task.engine);
  if (engine === undefined) throw new Error(`no engine ${task.engine}`);
  const companies = generateCompanies(task.size, task.seed);
  const needs = generateNeeds(task.needs, task.seed).slice(task.from, task.to);
  const start = performance.now();
  const index = engine.build(companies);
  port.postMessage({ kind: 'ready', ms: performance.now() - start, count: 0 } satisfies WorkerReply);
  port.once('message', () => {
    const begin = performance.now();
    for (const need of needs) index.search(need, task.limit);
    port.postMessage({ kind: 'done', ms: performance.now() - begin, count: needs.length } satisfies WorkerReply);
  });
}
