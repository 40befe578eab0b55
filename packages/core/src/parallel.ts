import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { PostingHandle, TermIndex } from './index/term-index.js';
import {
  assembleMatcher,
  recordFields,
  startBuild,
  resolveMatcherOptions,
  validateInput,
  type CreateMatcherInput,
  type Matcher,
  type PreparedRecord,
  type ResolvedMatcherOptions,
} from './matcher.js';
import { assignTags, type AssignedTag } from './scoring/inference.js';
import { createAnalyzer, type TextField } from './text/analyzer.js';
import type { Language } from './text/language.js';

export interface ParallelBuildOptions {
  /**
   * Threads that analyse records, at least 2 to use any. Defaults to the number of
   * cores, at most 4 (the main thread indexes the results in order afterwards).
   */
  readonly threads?: number;
}

/** What a build worker is asked to analyse: one record's text fields and given sectors. */
export interface AnalysisJob {
  readonly fields: readonly TextField[];
  readonly sectors: readonly string[] | undefined;
}

/**
 * The analyses of a run of records, in arrays that move between threads without
 * copying: record `i` has the terms `vocabulary[termRefs[j]]` with frequencies `tfs[j]`
 * for `j` in [offsets[i], offsets[i + 1]).
 */
export interface AnalysedBatch {
  readonly vocabulary: string[];
  readonly termRefs: Int32Array<ArrayBuffer>;
  readonly tfs: Float32Array<ArrayBuffer>;
  readonly offsets: Int32Array<ArrayBuffer>;
  readonly lengths: Float64Array<ArrayBuffer>;
  readonly languages: Language[];
  readonly tags: AssignedTag[][];
}

export interface WorkerSetup {
  readonly options: ResolvedMatcherOptions;
}

/** Analyses jobs as `createMatcher` would (the worker's side of a parallel build). */
export function analyseBatch(jobs: readonly AnalysisJob[], options: ResolvedMatcherOptions): AnalysedBatch {
  const analyzer = createAnalyzer(options.analyzer);
  const vocabulary: string[] = [];
  const refOf = new Map<string, number>();
  let termRefs = new Int32Array(jobs.length * 64);
  let tfs = new Float32Array(termRefs.length);
  const offsets = new Int32Array(jobs.length + 1);
  const lengths = new Float64Array(jobs.length);
  const languages: Language[] = [];
  const tags: AssignedTag[][] = [];
  let used = 0;
  jobs.forEach((job, i) => {
    const analysis = analyzer.analyze(job.fields, { surfaces: false });
    if (used + analysis.terms.size > termRefs.length) {
      const size = Math.max(termRefs.length * 2, used + analysis.terms.size);
      const refs = new Int32Array(size);
      refs.set(termRefs);
      termRefs = refs;
      const grown = new Float32Array(size);
      grown.set(tfs);
      tfs = grown;
    }
    for (const [term, tf] of analysis.terms) {
      let ref = refOf.get(term);
      if (ref === undefined) {
        ref = vocabulary.length;
        vocabulary.push(term);
        refOf.set(term, ref);
      }
      termRefs[used] = ref;
      tfs[used] = tf;
      used += 1;
    }
    offsets[i + 1] = used;
    lengths[i] = analysis.length;
    languages.push(analysis.language);
    tags.push(assignTags(job.sectors, analysis.concepts, options.inference));
  });
  return { vocabulary, termRefs: termRefs.slice(0, used), tfs: tfs.slice(0, used), offsets, lengths, languages, tags };
}

const WORKER_SCRIPT = new URL('./build-worker.js', import.meta.url);
/** Below this many records, starting threads costs more than it saves. */
const PARALLEL_MINIMUM = 4_000;
const BATCH_SIZE = 1_000;

/**
 * As `createMatcher`, with the text analysis (most of a build) spread over worker
 * threads. The result is the same matcher, score for score: workers run the same
 * pipeline, and the main thread indexes their results in input order. Small inputs,
 * `threads` below 2, or a build without the worker script (running from sources) are
 * built on this thread.
 */
export async function createMatcherInParallel(input: CreateMatcherInput = {}, settings: ParallelBuildOptions = {}): Promise<Matcher> {
  const options = resolveMatcherOptions(input.options);
  const { companies, needs } = validateInput(input);
  const threads = Math.min(settings.threads ?? Math.min(availableParallelism(), 4), Math.ceil((companies.length + needs.length) / BATCH_SIZE));
  if (threads < 2 || companies.length + needs.length < PARALLEL_MINIMUM || !existsSync(fileURLToPath(WORKER_SCRIPT))) {
    return assembleMatcher(options, companies, needs);
  }
  const jobs: AnalysisJob[] = [
    ...companies.map((company) => ({ fields: recordFields('company', company, options.fieldWeights), sectors: company.sectors })),
    ...needs.map((need) => ({ fields: recordFields('need', need, options.fieldWeights), sectors: need.sectors })),
  ];
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
              const number = current;
              give();
              try {
                onBatch(number, batch);
              } catch (error) {
                reject(error);
              }
            });
            worker.once('error', reject);
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

/** A record's analysis from its batch; posting lists are resolved once per batch term. */
function preparedFrom(): (batch: AnalysedBatch, i: number) => PreparedRecord {
  // Only the batch being indexed: lists are resolved once per batch and side.
  let cached: { batch: AnalysedBatch; index: TermIndex; lists: (PostingHandle | undefined)[] } | undefined;
  return (batch, i) => ({
    language: batch.languages[i]!,
    tags: batch.tags[i]!,
    addTo(index: TermIndex, id: string): number {
      if (cached?.batch !== batch || cached.index !== index) {
        cached = { batch, index, lists: new Array<PostingHandle | undefined>(batch.vocabulary.length) };
      }
      return index.addFromBatch(id, batch.vocabulary, cached.lists, batch.termRefs, batch.tfs, batch.offsets[i]!, batch.offsets[i + 1]!, batch.lengths[i]!);
    },
  });
}
