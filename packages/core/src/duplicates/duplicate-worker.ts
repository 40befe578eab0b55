import { parentPort, workerData } from 'node:worker_threads';
import type { DuplicateWarning } from './duplicates.js';
import { createDuplicateIndex } from './duplicates.js';
import { receivedAnalysis, type ThreadReply, type ThreadRequest, type ThreadSetup } from './thread.js';

// The worker of `openDuplicateThread`: one duplicate index, fed in the order the main thread
// posts. A request that fails is remembered and reported with the next reply, so a writer
// never takes warnings from an index that missed a record.
const { options, replies, signal } = workerData as ThreadSetup;
const index = createDuplicateIndex([], options);
const counter = new Int32Array(signal);
const batches = new Map<number, DuplicateWarning[]>();
let failure: string | undefined;

const reply = (message: ThreadReply): void => {
  replies.postMessage(message);
  Atomics.add(counter, 0, 1);
  Atomics.notify(counter, 0);
};

const handle = (request: ThreadRequest): void => {
  try {
    switch (request.op) {
      case 'known':
        for (const company of request.companies) index.add(company);
        break;
      case 'seed':
        index.addSeed(request.seed);
        break;
      case 'add':
        index.addAnalysed(receivedAnalysis(request.analysed));
        break;
      case 'remove':
        index.remove(request.id);
        break;
      case 'checkAndAdd': {
        const found = index.checkAndAddAnalysed(receivedAnalysis(request.analysed));
        const list = batches.get(request.batch);
        if (list === undefined) batches.set(request.batch, found);
        else list.push(...found);
        break;
      }
      case 'warnings': {
        const found = batches.get(request.batch) ?? [];
        batches.delete(request.batch);
        reply(failure === undefined ? { request: request.request, warnings: found } : { request: request.request, error: failure });
        break;
      }
      case 'ping':
        reply({ request: request.request, warnings: [] });
        break;
      case 'pairs':
        reply(failure === undefined ? { request: request.request, warnings: index.pairs() } : { request: request.request, error: failure });
        break;
    }
  } catch (error) {
    failure ??= error instanceof Error ? error.message : String(error);
    if (request.op === 'warnings' || request.op === 'pairs') reply({ request: request.request, error: failure });
  }
};

parentPort!.on('message', (requests: readonly ThreadRequest[]) => {
  for (const request of requests) handle(request);
});
