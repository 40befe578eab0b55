import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { csrfMatches, SessionStore } from './session.js';

describe('browser sessions', () => {
  it('gives every session a fresh 256-bit id and CSRF token', () => {
    const store = new SessionStore();
    const a = store.create('reader');
    const b = store.create('reader');
    expect(a.id).toMatch(/^[\w-]{43}$/);
    expect(new Set([a.id, b.id, a.csrf, b.csrf]).size).toBe(4);
    expect(store.get(a.id)).toBe(a);
    expect(store.get(undefined)).toBeUndefined();
  });

  it('checks a CSRF token against its own session only', () => {
    const store = new SessionStore();
    const a = store.create('coordinator');
    const b = store.create('coordinator');
    expect(csrfMatches(a, a.csrf)).toBe(true);
    expect(csrfMatches(a, b.csrf)).toBe(false);
    expect(csrfMatches(a, `${a.csrf}x`)).toBe(false);
    expect(csrfMatches(a, undefined)).toBe(false);
    expect(csrfMatches(undefined, a.csrf)).toBe(false);
  });

  it('ends a session on delete, after its idle time, and drops the least recently used past the cap', async () => {
    const store = new SessionStore({ max: 2, idleMs: 30 });
    const a = store.create('reader');
    store.delete(a.id);
    expect(store.get(a.id)).toBeUndefined();

    const b = store.create('reader');
    await sleep(80);
    expect(store.get(b.id)).toBeUndefined();

    const capped = new SessionStore({ max: 2 });
    const [c, d, e] = [capped.create('reader'), capped.create('reader'), capped.create('reader')];
    expect([capped.get(c.id), capped.get(d.id), capped.get(e.id)]).toEqual([undefined, d, e]);
  });
});
