import { parentPort, workerData } from 'node:worker_threads';
import { analyseBatch, type AnalysisJob } from './batch.js';
import type { WorkerSetup } from './parallel.js';

// One thread of `createMatcherInParallel`: analyses each batch it is sent and sends the
// arrays back without copying them.
const { options } = workerData as WorkerSetup;
parentPort!.on('message', (jobs: AnalysisJob[]) => {
  const batch = analyseBatch(jobs, options);
  parentPort!.postMessage(batch, [batch.termRefs.buffer, batch.tfs.buffer, batch.offsets.buffer, batch.lengths.buffer]);
});
