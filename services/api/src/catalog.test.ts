import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { applyMergePatch, Catalog, type MatchQuery } from './catalog.js';
import { PartnermatchError } from '@partnermatch/core';
import { canonicalKey } from './catalog.js';
import { toApiError } from './errors.js';
import { makeTestApp, type TestApp } from './test-helpers.js';

const query: MatchQuery = { limit: 5, minScore: 0, explain: false, includeDeclined: false };

let t: TestApp;
beforeEach(() => {
  t = makeTestApp();
});
afterEach(() => t.close());

describe('Catalog', () => {
  it('builds the index from the database', () => {
    const rebuilt = new Catalog({ store: t.store });
    expect(rebuilt.records.count('company')).toBe(48);
    expect(rebuilt.records.count('need')).toBe(24);
    expect(rebuilt.rankings.matches('need', 's-n01', query)).toEqual(t.catalog.rankings.matches('need', 's-n01', query));
  });

  it('caches rankings until the next write, which bumps the generation', () => {
    const first = t.catalog.rankings.matches('need', 's-n01', query);
    expect(t.catalog.rankings.matches('need', 's-n01', query)).toBe(first);
    expect(t.catalog.rankings.cacheStats).toMatchObject({ hits: 1, misses: 1, size: 1 });

    const generation = t.catalog.generation;
    t.catalog.decisions.set('s-n01', 's-c13', 'contacted');
    expect(t.catalog.generation).toBe(generation + 1);
    expect(t.catalog.rankings.cacheStats.size).toBe(0);
    const again = t.catalog.rankings.matches('need', 's-n01', query);
    expect(again).not.toBe(first);
    expect(again).toEqual(first);
  });

  it('keys cached rankings by the whole query: a field the key code never heard of still misses', () => {
    // A hand-listed key (limit, minScore, … spelled out) would serve this query the ranking of `query`.
    const first = t.catalog.rankings.matches('need', 's-n01', query);
    const widened = { ...query, futureField: 'changes the ranking' } as MatchQuery;
    expect(t.catalog.rankings.matches('need', 's-n01', widened)).not.toBe(first);
    expect(t.catalog.rankings.cacheStats).toMatchObject({ hits: 0, misses: 2, size: 2 });
    // The same query with its fields set in another order is the same key.
    const reordered: MatchQuery = { includeDeclined: false, explain: false, minScore: 0, limit: 5 };
    expect(t.catalog.rankings.matches('need', 's-n01', reordered)).toBe(first);
  });

  it('builds canonical keys: sorted fields, undefined members left out, arrays kept in order', () => {
    expect(canonicalKey({ b: 1, a: { d: 2, c: undefined } })).toBe('{"a":{"d":2},"b":1}');
    expect(canonicalKey({ a: ['y', 'x'] })).not.toBe(canonicalKey({ a: ['x', 'y'] }));
  });

  it('adds, updates and removes records incrementally in the index', () => {
    const company = { ...t.catalog.records.get('company', 's-c13'), id: 'twin' };
    t.catalog.records.create('company', company);
    const top = t.catalog.rankings.matches('need', 's-n01', { ...query, limit: 2 });
    expect(top.map((m) => m.id)).toEqual(['s-c13', 'twin']); // the same text and tags: equal scores rank by id
    expect(top[0]?.score).toBe(top[1]?.score);
    t.catalog.records.remove('company', 'twin');
    expect(t.catalog.rankings.matches('need', 's-n01', { ...query, limit: 2 }).map((m) => m.id)).not.toContain('twin');
  });

  it('rebuilds memory from the database when a write fails half-way, so nothing is half-written', () => {
    const insert = t.store.insert.bind(t.store);
    let calls = 0;
    const spy = vi.spyOn(t.store, 'insert').mockImplementation((kind, record) => {
      calls += 1;
      if (calls === 2) throw new Error('disk full');
      insert(kind, record);
    });
    const rows = [
      { id: 'a1', name: 'A', description: 'Solpaneler' },
      { id: 'a2', name: 'B', description: 'Vindkraft' },
    ];
    expect(() => t.catalog.records.import('company', rows, { mode: 'create' })).toThrow('disk full');
    spy.mockRestore();
    expect(t.catalog.records.has('company', 'a1')).toBe(false);
    expect(t.store.count('company')).toBe(48);
    expect(t.catalog.records.list('company', { q: 'solpaneler' }, { limit: 50, offset: 0 }).items.map((c) => c.id)).not.toContain('a1');
  });

  it('counts only applied writes in the generation; a failed write changes nothing', () => {
    const before = t.catalog.generation;
    const spy = vi.spyOn(t.store, 'putDecision').mockImplementation(() => {
      throw new Error('disk full');
    });
    expect(() => t.catalog.decisions.set('s-n01', 's-c13', 'agreed')).toThrow('disk full');
    spy.mockRestore();
    expect(t.catalog.generation).toBe(before);
    expect(t.catalog.decisions.find('s-n01', 's-c13')).toBeUndefined();
    t.catalog.decisions.set('s-n01', 's-c13', 'agreed');
    expect(t.catalog.generation).toBe(before + 1);
  });

  it('keeps decisions on different pairs apart, whatever characters their ids hold', () => {
    const need = { id: 'n|x', title: 'T', organization: 'O', description: 'Solpaneler' };
    const company = { id: 'c', name: 'C AB', description: 'Solpaneler' };
    t.catalog.records.import('need', [need, { ...need, id: 'n' }], { mode: 'create' });
    t.catalog.records.import('company', [company, { ...company, id: 'x|c' }], { mode: 'create' });
    t.catalog.decisions.set('n|x', 'c', 'declined');
    expect(t.catalog.decisions.find('n', 'x|c')).toBeUndefined();
    expect(t.catalog.decisions.find('n|x', 'c')?.status).toBe('declined');
    expect(new Catalog({ store: t.store }).decisions.find('n', 'x|c')).toBeUndefined();
  });

  it('leaves a declined pair out of both rankings until it is changed or cleared, and ranks as before', () => {
    const ids = (kind: 'need' | 'company', id: string, extra: Partial<MatchQuery> = {}) =>
      t.catalog.rankings.matches(kind, id, { ...query, limit: 48, ...extra }).map((m) => m.id);
    const companies = ids('need', 's-n01');
    const needs = ids('company', 's-c13');
    expect(companies).toContain('s-c13');
    expect(needs).toContain('s-n01');

    // A decision that is not a decline leaves both rankings as they were.
    t.catalog.decisions.set('s-n01', 's-c13', 'contacted');
    expect(ids('need', 's-n01')).toEqual(companies);
    expect(ids('company', 's-c13')).toEqual(needs);

    t.catalog.decisions.set('s-n01', 's-c13', 'declined');
    expect(ids('need', 's-n01')).toEqual(companies.filter((id) => id !== 's-c13'));
    expect(ids('company', 's-c13')).toEqual(needs.filter((id) => id !== 's-n01'));
    expect(ids('need', 's-n01', { includeDeclined: true })).toEqual(companies);
    // Another need and company meet no declined pair.
    expect(ids('need', 's-n02')).toContain('s-c13');
    expect(ids('company', 's-c14')).toEqual(new Catalog({ store: t.store }).rankings.matches('company', 's-c14', { ...query, limit: 48 }).map((m) => m.id));

    // Declined again through the follow-up stages, then back to contacted: in again.
    t.catalog.decisions.recordStage('s-n01', 's-c13', { stage: 'no-deal' }, { name: 'test', role: 'coordinator' });
    expect(ids('need', 's-n01')).not.toContain('s-c13');
    t.catalog.decisions.recordStage('s-n01', 's-c13', { stage: 'meeting' }, { name: 'test', role: 'coordinator' });
    expect(ids('need', 's-n01')).toEqual(companies);

    t.catalog.decisions.set('s-n01', 's-c13', 'declined');
    t.catalog.decisions.remove('s-n01', 's-c13');
    expect(ids('need', 's-n01')).toEqual(companies);
    expect(ids('company', 's-c13')).toEqual(needs);
    // A catalog opened on the database sees the same decisions.
    t.catalog.decisions.set('s-n01', 's-c13', 'declined');
    expect(new Catalog({ store: t.store }).rankings.matches('need', 's-n01', { ...query, limit: 48 }).map((m) => m.id)).toEqual(ids('need', 's-n01'));
  });

  it('imports several parts in one transaction: a problem in any part writes none', () => {
    const company = { id: 'both-c', name: 'C AB', description: 'Solpaneler' };
    const error = (() => {
      try {
        t.catalog.records.importAll(
          [
            { kind: 'company', records: [company], path: 'companies' },
            { kind: 'need', records: [{ id: 'both-n', title: '' }], path: 'needs' },
          ],
          'create',
        );
      } catch (e) {
        return e as PartnermatchError;
      }
      return undefined;
    })();
    expect(error?.issues.map((issue) => issue.path)).toEqual(['needs[0].title', 'needs[0].organization', 'needs[0].description']);
    expect(t.catalog.records.has('company', 'both-c')).toBe(false);
    expect(t.store.count('company')).toBe(48);
  });

  it('reports every problem of an import, 409 only when taken ids are the only problem', () => {
    const error = (() => {
      try {
        t.catalog.records.import('need', [{ id: 's-n01', title: 'x', organization: 'o', description: 'd' }], { mode: 'create' });
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(PartnermatchError);
    expect((error as PartnermatchError).code).toBe('DUPLICATE_ID');
    expect(toApiError(error).status).toBe(409);
  });

  it('skips stored records that no longer validate, and says so', () => {
    t.store.insert('company', { id: 'broken', name: '' } as never);
    const warnings: string[] = [];
    const catalog = new Catalog({ store: t.store, warn: (message) => warnings.push(message) });
    expect(catalog.records.has('company', 'broken')).toBe(false);
    expect(catalog.records.count('company')).toBe(48);
    expect(warnings).toEqual([expect.stringContaining('stored company')]);
  });
});

describe('applyMergePatch', () => {
  it('follows RFC 7396', () => {
    expect(applyMergePatch({ a: 1, b: { c: 2, d: 3 }, e: [1] }, { a: null, b: { c: null, f: 4 }, e: [2] })).toEqual({ b: { d: 3, f: 4 }, e: [2] });
    expect(applyMergePatch({ a: 1 }, 'x')).toBe('x');
    expect(applyMergePatch('x', { a: 1 })).toEqual({ a: 1 });
  });
});
