import { randomUUID } from 'node:crypto';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { ApiError } from './errors.js';

export type JobStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';

/** What `GET /jobs/:id` shows. */
export interface JobSnapshot {
  readonly id: string;
  readonly status: JobStatus;
  /** Queries ranked so far and in all. */
  readonly done: number;
  readonly total: number;
  readonly createdAt: string;
  readonly startedAt?: string;
  readonly finishedAt?: string;
  readonly error?: string;
}

interface Job<R> {
  snapshot: JobSnapshot;
  /** Who submitted it (an opaque id, e.g. of an API key), for the per-owner cap. */
  readonly owner: string | undefined;
  readonly results: R[];
  /** The weight of `results` once the job has finished. */
  weight: number;
  readonly settled: Promise<void>;
}

/** Jobs queued or running at once, in all, unless the options say otherwise. */
export const DEFAULT_MAX_PENDING = 8;
/** Jobs queued or running at once for one owner, unless the options say otherwise. */
export const DEFAULT_MAX_PENDING_PER_OWNER = 2;
/** Finished jobs kept. */
export const DEFAULT_RETAIN = 20;
/** Total weight of the results of the finished jobs kept (for batch jobs: result lines, one per match). */
export const DEFAULT_RETAIN_WEIGHT = 100_000;
/** What a 429 tells the client to wait, in seconds. */
export const RETRY_AFTER_SECONDS = 5;

export interface JobQueueOptions<R> {
  /** Finished jobs kept (with their results) before the oldest are dropped. Defaults to {@link DEFAULT_RETAIN}. */
  readonly retain?: number;
  /**
   * Most total weight of finished jobs' results kept (see `weigh`); past it the oldest finished
   * jobs are dropped, but never the one that finished last. Defaults to {@link DEFAULT_RETAIN_WEIGHT}.
   */
  readonly retainWeight?: number;
  /** The weight of one result; 1 by default. */
  readonly weigh?: (result: R) => number;
  /** Most jobs queued or running at once; more are refused (429). Defaults to {@link DEFAULT_MAX_PENDING}. */
  readonly maxPending?: number;
  /** Most jobs queued or running at once for one owner. Defaults to {@link DEFAULT_MAX_PENDING_PER_OWNER}. */
  readonly maxPendingPerOwner?: number;
  /** Told about a job that failed. */
  readonly onError?: (error: unknown) => void;
}

function pending(job: Job<unknown>): boolean {
  return job.snapshot.status === 'queued' || job.snapshot.status === 'running';
}

/**
 * Runs batch jobs one at a time in this process, one query per event-loop turn so requests
 * keep being answered and progress can be read while a job runs. Jobs and their results
 * live in memory: a restart forgets them. The queue is bounded: at most `maxPending` jobs
 * queued or running (`maxPendingPerOwner` for one owner), and the finished jobs kept are
 * bounded in number and in the total weight of their results.
 */
export class JobQueue<R> {
  readonly #jobs = new Map<string, Job<R>>();
  readonly #retain: number;
  readonly #retainWeight: number;
  readonly #weigh: (result: R) => number;
  readonly #maxPending: number;
  readonly #maxPendingPerOwner: number;
  readonly #onError: ((error: unknown) => void) | undefined;
  #tail: Promise<void> = Promise.resolve();
  #stopped = false;

  constructor(options: JobQueueOptions<R> = {}) {
    this.#retain = options.retain ?? DEFAULT_RETAIN;
    this.#retainWeight = options.retainWeight ?? DEFAULT_RETAIN_WEIGHT;
    this.#weigh = options.weigh ?? (() => 1);
    this.#maxPending = options.maxPending ?? DEFAULT_MAX_PENDING;
    this.#maxPendingPerOwner = options.maxPendingPerOwner ?? DEFAULT_MAX_PENDING_PER_OWNER;
    this.#onError = options.onError;
  }

  /**
   * Queues a job that calls `options.start` once as it starts, then `run` once per query id (and waits for either when it returns a promise);
   * `run` returning undefined leaves that query out. Throws a 429 {@link ApiError} (with `Retry-After`) when the queue, or `owner`'s share
   * of it, is full.
   */
  submit(
    queryIds: readonly string[],
    run: (id: string) => R | undefined | Promise<R | undefined>,
    options: {
      readonly owner?: string;
      /** Runs (and is waited for) as the job starts, before its first query: a batch takes its manifest there. */
      readonly start?: () => void | Promise<void>;
    } = {},
  ): JobSnapshot {
    if (this.#stopped) throw new Error('the job queue is stopped');
    const { owner } = options;
    const waiting = [...this.#jobs.values()].filter(pending);
    if (waiting.length >= this.#maxPending) {
      throw tooMany(`${waiting.length} batch jobs are queued or running, the most this service takes at once`);
    }
    if (owner !== undefined && waiting.filter((job) => job.owner === owner).length >= this.#maxPendingPerOwner) {
      throw tooMany(`this key has ${this.#maxPendingPerOwner} batch jobs queued or running, the most one key may have`);
    }
    const id = randomUUID();
    const results: R[] = [];
    const update = (change: Partial<JobSnapshot>): void => {
      job.snapshot = { ...job.snapshot, ...change };
    };
    const execute = async (): Promise<void> => {
      if (this.#stopped) return update({ status: 'cancelled', finishedAt: new Date().toISOString() });
      update({ status: 'running', startedAt: new Date().toISOString() });
      try {
        await options.start?.();
        for (const [i, queryId] of queryIds.entries()) {
          await yieldToEventLoop();
          if (this.#stopped) return update({ status: 'cancelled', finishedAt: new Date().toISOString() });
          // A promise (an event's schedule) is waited for; the queue still runs one job at a time.
          const result = await run(queryId);
          if (result !== undefined) results.push(result);
          update({ done: i + 1 });
        }
        job.weight = results.reduce((sum, result) => sum + this.#weigh(result), 0);
        update({ status: 'succeeded', finishedAt: new Date().toISOString() });
      } catch (error) {
        this.#onError?.(error);
        update({ status: 'failed', finishedAt: new Date().toISOString(), error: 'the job failed; see the server log' });
      } finally {
        // Only a job that succeeded shows its results: the others' are let go at once.
        if (job.snapshot.status !== 'succeeded') results.length = 0;
        this.#prune();
      }
    };
    const settled = this.#tail.then(execute);
    this.#tail = settled;
    const job: Job<R> = {
      snapshot: { id, status: 'queued', done: 0, total: queryIds.length, createdAt: new Date().toISOString() },
      owner,
      results,
      weight: 0,
      settled,
    };
    this.#jobs.set(id, job);
    return job.snapshot;
  }

  get(id: string): JobSnapshot | undefined {
    return this.#jobs.get(id)?.snapshot;
  }

  /** The results of a job that succeeded; undefined for an unknown or unfinished one. */
  results(id: string): readonly R[] | undefined {
    const job = this.#jobs.get(id);
    return job?.snapshot.status === 'succeeded' ? job.results : undefined;
  }

  /** Resolves when the job has finished, whatever its outcome. */
  async settled(id: string): Promise<void> {
    await this.#jobs.get(id)?.settled;
  }

  counts(): Record<JobStatus, number> {
    const counts: Record<JobStatus, number> = { queued: 0, running: 0, succeeded: 0, failed: 0, cancelled: 0 };
    for (const job of this.#jobs.values()) counts[job.snapshot.status] += 1;
    return counts;
  }

  /** Cancels queued and running jobs (each stops before its next query) and waits for them. */
  async stop(): Promise<void> {
    this.#stopped = true;
    await this.#tail;
  }

  /** Drops the oldest finished jobs while more than `retain` are kept or their results weigh more than `retainWeight`. */
  #prune(): void {
    const finished = [...this.#jobs.values()].filter((job) => job.snapshot.finishedAt !== undefined);
    let weight = finished.reduce((sum, job) => sum + job.weight, 0);
    let kept = finished.length;
    // The last to finish is always kept, however much its results weigh.
    for (const job of finished.slice(0, -1)) {
      if (kept <= this.#retain && weight <= this.#retainWeight) break;
      this.#jobs.delete(job.snapshot.id);
      kept -= 1;
      weight -= job.weight;
    }
  }
}

function tooMany(reason: string): ApiError {
  return new ApiError('TOO_MANY_REQUESTS', `${reason}; try again when one has finished`, {
    headers: { 'Retry-After': String(RETRY_AFTER_SECONDS) },
  });
}
