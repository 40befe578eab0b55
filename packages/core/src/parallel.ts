import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { BATCH_SIZE, jobsOf, preparedFrom, type AnalysedBatch, type AnalysisJob } from './batch.js';
import { PartnermatchError } from './errors.js';
import { assembleMatcher, startBuild, validateInput, type CreateMatcherInput, type Matcher } from './matcher.js';
import { BUILD_THREADS, resolveMatcherOptions, type ResolvedMatcherOptions } from './options.js';

export interface ParallelBuildOptions {
  /**
   * Threads that analyse records, at least 2 to use any. Defaults to the number of
   * cores, at most 4 (the main thread indexes the results in order afterwards).
   */
  readonly threads?: number;
}

export interface WorkerSetup {
  readonly options: ResolvedMatcherOptions;
}

const WORKER_SCRIPT = new URL('./build-worker.js', import.meta.url);
/** Below this many records, starting threads costs more than it saves. */
const PARALLEL_MINIMUM = 4_000;

/**
 * As `createMatcher`, with the text analysis (most of a build) spread over worker
 * threads. The result is the same matcher, score for score: workers run the same
 * pipeline, and the main thread indexes their results in input order. Small inputs,
 * `threads` below 2, or a build without the worker script (running from sources) are
 * built on this thread.
 */
export async function createMatcherInParallel(input: CreateMatcherInput = {}, settings: ParallelBuildOptions = {}): Promise<Matcher> {
  const options = resolveMatcherOptions(input.options);
  if (settings.threads !== undefined && !(Number.isInteger(settings.threads) && settings.threads >= BUILD_THREADS.min)) {
    throw new PartnermatchError('INVALID_OPTIONS', `threads must be a whole number of at least 1, not ${String(settings.threads)}`);
  }
  const { companies, needs } = validateInput(input);
  const threads = Math.min(settings.threads ?? Math.min(availableParallelism(), BUILD_THREADS.defaultMax), Math.ceil((companies.length + needs.length) / BATCH_SIZE));
  if (!(threads >= 2) || companies.length + needs.length < PARALLEL_MINIMUM || !existsSync(fileURLToPath(WORKER_SCRIPT))) {
    return assembleMatcher(options, companies, needs);
  }
  const jobs = jobsOf(companies, needs, options);
  // Batches are indexed in input order as they arrive, while the workers go on.
  const build = startBuild(options);
  const prepared = preparedFrom();
  const arrived = new Map<number, AnalysedBatch>();
  let indexed = 0;
  await analyseInWorkers(jobs, options, threads, (number, batch) => {
    arrived.set(number, batch);
    for (let ready = arrived.get(indexed / BATCH_SIZE); ready !== undefined; ready = arrived.get(indexed / BATCH_SIZE)) {
      arrived.delete(indexed / BATCH_SIZE);
      const end = Math.min(indexed + BATCH_SIZE, jobs.length);
      for (let i = 0; indexed < end; i += 1, indexed += 1) {
        if (indexed < companies.length) build.addCompany(companies[indexed]!, prepared(ready, i));
        else build.addNeed(needs[indexed - companies.length]!, prepared(ready, i));
      }
    }
  });
  return build.finish();
}

async function analyseInWorkers(
  jobs: readonly AnalysisJob[],
  options: ResolvedMatcherOptions,
  threads: number,
  onBatch: (number: number, batch: AnalysedBatch) => void,
): Promise<void> {
  const count = Math.ceil(jobs.length / BATCH_SIZE);
  let next = 0;
  const workers = Array.from({ length: threads }, () => new Worker(WORKER_SCRIPT, { workerData: { options } satisfies WorkerSetup }));
  try {
    await Promise.all(
      workers.map(
        (worker) =>
          new Promise<void>((resolve, reject) => {
            let current = -1;
            const give = (): void => {
              if (next >= count) {
                resolve();
                return;
              }
              current = next;
              next += 1;
              worker.postMessage(jobs.slice(current * BATCH_SIZE, (current + 1) * BATCH_SIZE));
            };
            worker.on('message', (batch: AnalysedBatch) => {
              // Indexed before the next batch is asked for, so that an error indexing the
              // last one still fails the build rather than arriving after it resolved.
              try {
                onBatch(current, batch);
              } catch (error) {
                reject(error);
                return;
              }
              give();
            });
            worker.once('error', reject);
            worker.once('messageerror', reject);
            // After the last batch this settles nothing: the promise has resolved.
            worker.once('exit', (code) => reject(new Error(`a build worker stopped with exit code ${code}`)));
            give();
          }),
      ),
    );
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
}

