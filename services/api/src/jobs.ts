import { randomUUID } from 'node:crypto';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';

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
  readonly results: R[];
  readonly settled: Promise<void>;
}

export interface JobQueueOptions {
  /** Finished jobs kept (with their results) before the oldest are dropped. Defaults to 20. */
  readonly retain?: number;
  /** Told about a job that failed. */
  readonly onError?: (error: unknown) => void;
}

/**
 * Runs batch jobs one at a time in this process, one query per event-loop turn so requests
 * keep being answered and progress can be read while a job runs. Jobs and their results
 * live in memory: a restart forgets them.
 */
export class JobQueue<R> {
  readonly #jobs = new Map<string, Job<R>>();
  readonly #retain: number;
  readonly #onError: ((error: unknown) => void) | undefined;
  #tail: Promise<void> = Promise.resolve();
  #stopped = false;

  constructor(options: JobQueueOptions = {}) {
    this.#retain = options.retain ?? 20;
    this.#onError = options.onError;
  }

  /** Queues a job that calls `run` once per query id; `run` returning undefined leaves that query out. */
  submit(queryIds: readonly string[], run: (id: string) => R | undefined): JobSnapshot {
    if (this.#stopped) throw new Error('the job queue is stopped');
    const id = randomUUID();
    const results: R[] = [];
    const update = (change: Partial<JobSnapshot>): void => {
      job.snapshot = { ...job.snapshot, ...change };
    };
    const execute = async (): Promise<void> => {
      if (this.#stopped) return update({ status: 'cancelled', finishedAt: new Date().toISOString() });
      update({ status: 'running', startedAt: new Date().toISOString() });
      try {
        for (const [i, queryId] of queryIds.entries()) {
          await yieldToEventLoop();
          if (this.#stopped) return update({ status: 'cancelled', finishedAt: new Date().toISOString() });
          const result = run(queryId);
          if (result !== undefined) results.push(result);
          update({ done: i + 1 });
        }
        update({ status: 'succeeded', finishedAt: new Date().toISOString() });
      } catch (error) {
        this.#onError?.(error);
        update({ status: 'failed', finishedAt: new Date().toISOString(), error: 'the job failed; see the server log' });
      } finally {
        this.#prune();
      }
    };
    const settled = this.#tail.then(execute);
    this.#tail = settled;
    const job: Job<R> = {
      snapshot: { id, status: 'queued', done: 0, total: queryIds.length, createdAt: new Date().toISOString() },
      results,
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

  #prune(): void {
    const finished = [...this.#jobs.values()].filter((job) => job.snapshot.finishedAt !== undefined);
    for (const job of finished.slice(0, Math.max(0, finished.length - this.#retain))) this.#jobs.delete(job.snapshot.id);
  }
}
