import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { csrfMatches, SessionStore, SIGN_IN_TTL_MS, SignInTokens } from './session.js';

describe('browser sessions', () => {
  it('gives every session a fresh 256-bit id and CSRF token', () => {
    const store = new SessionStore();
    const a = store.create('reader', 'k');
    const b = store.create('reader', 'k');
    expect(a.id).toMatch(/^[\w-]{43}$/);
    expect(new Set([a.id, b.id, a.csrf, b.csrf]).size).toBe(4);
    expect(store.get(a.id)).toBe(a);
    expect(store.get(undefined)).toBeUndefined();
  });

  it('checks a CSRF token against its own session only', () => {
    const store = new SessionStore();
    const a = store.create('coordinator', 'k');
    const b = store.create('coordinator', 'k');
    expect(csrfMatches(a, a.csrf)).toBe(true);
    expect(csrfMatches(a, b.csrf)).toBe(false);
    expect(csrfMatches(a, `${a.csrf}x`)).toBe(false);
    expect(csrfMatches(a, undefined)).toBe(false);
    expect(csrfMatches(undefined, a.csrf)).toBe(false);
  });

  it('ends a session on delete, after its idle time, and drops the least recently used past the cap', async () => {
    const store = new SessionStore({ max: 2, idleMs: 30 });
    const a = store.create('reader', 'k');
    store.delete(a.id);
    expect(store.get(a.id)).toBeUndefined();

    const b = store.create('reader', 'k');
    await sleep(80);
    expect(store.get(b.id)).toBeUndefined();

    const capped = new SessionStore({ max: 2 });
    const [c, d, e] = [capped.create('reader', 'k'), capped.create('reader', 'k'), capped.create('reader', 'k')];
    expect([capped.get(c.id), capped.get(d.id), capped.get(e.id)]).toEqual([undefined, d, e]);
  });

  it('signs the sign-in form token from its cookie nonce, with no state kept, for a limited time', () => {
    const tokens = new SignInTokens();
    const now = Date.now();
    const nonce = tokens.nonce(undefined, now);
    expect(nonce).toMatch(/^\d+\.[\w-]{43}$/);
    const token = tokens.token(nonce);
    expect(tokens.verify(nonce, token, now + 1000)).toBe(true);
    expect(tokens.nonce(nonce, now + 1000)).toBe(nonce); // a fresh nonce is kept: another tab's form stays good
    expect(tokens.verify(tokens.nonce(undefined, now + 1), token, now + 1000)).toBe(false); // another nonce
    expect(tokens.verify(nonce, `${token}x`, now)).toBe(false);
    expect(tokens.verify(nonce, undefined, now)).toBe(false);
    expect(tokens.verify(undefined, token, now)).toBe(false);
    expect(tokens.verify(nonce, token, now + SIGN_IN_TTL_MS)).toBe(false); // expired
    expect(tokens.nonce(nonce, now + SIGN_IN_TTL_MS / 2)).not.toBe(nonce); // renewed before it expires
    expect(new SignInTokens().verify(nonce, token, now)).toBe(false); // another process's secret
    expect(tokens.verify('1.forged', tokens.token('1.forged'), now)).toBe(false); // not a nonce this service makes
  });
});
