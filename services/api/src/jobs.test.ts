import { describe, expect, it } from 'vitest';
import { JobQueue } from './jobs.js';

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
});
