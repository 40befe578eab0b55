import { describe, expect, it } from 'vitest';
import { ApiError } from './errors.js';
import { JobQueue } from './jobs.js';

function refusal(submit: () => unknown): ApiError {
  try {
    submit();
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error('the job was accepted');
}

describe('JobQueue', () => {
  it('runs jobs in order, reporting progress, and keeps their results', async () => {
    const queue = new JobQueue<string>();
    const seen: number[] = [];
    const first = queue.submit(['a', 'b', 'c'], (id) => {
      seen.push(queue.get(first.id)?.done ?? -1);
      return id === 'b' ? undefined : id.toUpperCase();
    });
    const second = queue.submit(['d'], (id) => id);
    expect(queue.get(first.id)).toMatchObject({ status: 'queued', done: 0, total: 3 });
    expect(queue.results(first.id)).toBeUndefined();
    await queue.settled(second.id);
    expect(seen).toEqual([0, 1, 2]);
    expect(queue.get(first.id)).toMatchObject({ status: 'succeeded', done: 3 });
    expect(queue.results(first.id)).toEqual(['A', 'C']);
    expect(queue.results(second.id)).toEqual(['d']);
    expect(queue.counts()).toMatchObject({ succeeded: 2 });
  });

  it('runs and awaits a job\'s start before its first query, also for a job with no queries', async () => {
    const queue = new JobQueue<string>();
    const log: string[] = [];
    const start = async (name: string) => {
      log.push(`${name} start`);
      await new Promise((resume) => setImmediate(resume));
      log.push(`${name} started`);
    };
    const job = queue.submit(['a', 'b'], (id) => (log.push(id), id), { start: () => start('one') });
    const empty = queue.submit([], (id) => id, { start: () => start('two') });
    expect(log).toEqual([]);
    await queue.settled(empty.id);
    expect(log).toEqual(['one start', 'one started', 'a', 'b', 'two start', 'two started']);
    expect(queue.get(job.id)).toMatchObject({ status: 'succeeded', done: 2 });
    expect(queue.results(empty.id)).toEqual([]);
    const failing = queue.submit(['x'], (id) => id, { start: () => Promise.reject(new Error('no manifest')) });
    await queue.settled(failing.id);
    expect(queue.get(failing.id)).toMatchObject({ status: 'failed', done: 0 });
  });

  it('marks a job failed when a query throws', async () => {
    const errors: unknown[] = [];
    const queue = new JobQueue<string>({ onError: (error) => errors.push(error) });
    const job = queue.submit(['a'], () => {
      throw new Error('boom');
    });
    await queue.settled(job.id);
    expect(queue.get(job.id)).toMatchObject({ status: 'failed' });
    expect(errors).toHaveLength(1);
  });

  it('cancels unfinished jobs on stop and drops the oldest finished ones', async () => {
    const queue = new JobQueue<string>({ retain: 1 });
    const a = queue.submit(['a'], (id) => id);
    await queue.settled(a.id);
    const b = queue.submit(['b'], (id) => id);
    await queue.settled(b.id);
    expect(queue.get(a.id)).toBeUndefined();
    const c = queue.submit(['c', 'd'], (id) => id);
    await queue.stop();
    expect(queue.get(c.id)?.status).toBe('cancelled');
    expect(() => queue.submit(['e'], (id) => id)).toThrow(/stopped/);
  });

  it('refuses (429, Retry-After) more jobs waiting than it takes in all and per owner, and takes more once they finish', async () => {
    const queue = new JobQueue<string>({ maxPending: 3, maxPendingPerOwner: 2 });
    const ids = ['a', 'b', 'c'];
    const a1 = queue.submit(ids, (id) => id, { owner: 'a' });
    queue.submit(ids, (id) => id, { owner: 'a' });
    const perOwner = refusal(() => queue.submit(ids, (id) => id, { owner: 'a' }));
    expect(perOwner.status).toBe(429);
    expect(perOwner.code).toBe('TOO_MANY_REQUESTS');
    expect(perOwner.headers['Retry-After']).toMatch(/^\d+$/);
    const b1 = queue.submit(ids, (id) => id, { owner: 'b' });
    const global = refusal(() => queue.submit(ids, (id) => id, { owner: 'c' }));
    expect(global.message).toContain('3 batch jobs are queued or running');
    expect(refusal(() => queue.submit(ids, (id) => id)).status).toBe(429);
    expect(queue.counts()).toMatchObject({ queued: 3, running: 0 });
    await queue.settled(a1.id);
    expect(queue.submit(ids, (id) => id, { owner: 'a' }).status).toBe('queued');
    await queue.settled(b1.id);
  });

  it("bounds the finished jobs' results kept by their total weight, always keeping the newest", async () => {
    const queue = new JobQueue<string[]>({ retain: 10, retainWeight: 5, weigh: (row) => row.length });
    const run = (id: string) => [id, id];
    const a = queue.submit(['a'], run); // weight 2
    const b = queue.submit(['b'], run); // 2
    const c = queue.submit(['c', 'd'], run); // 4: with b, 6 > 5
    await queue.settled(c.id);
    expect(queue.get(a.id)).toBeUndefined();
    expect(queue.get(b.id)).toBeUndefined();
    expect(queue.results(c.id)).toEqual([['c', 'c'], ['d', 'd']]);
    const big = queue.submit(['e', 'f', 'g'], run); // 6 alone: over the bound, but the newest is kept
    await queue.settled(big.id);
    expect(queue.get(c.id)).toBeUndefined();
    expect(queue.results(big.id)).toHaveLength(3);
  });
});
