import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestApp, sampleCompanies, type TestApp } from '../test-helpers.js';

interface Warning {
  code: string;
  id: string;
  duplicateOf: string;
  reason: string;
  similarity: number;
}

let t: TestApp;
beforeEach(() => {
  t = makeTestApp();
});
afterEach(() => t.close());

const aquarena = sampleCompanies.find((c) => c.id === 's-c13')!;
const distinct = {
  id: 'c-distinct',
  name: 'Ljusglas Konsthantverk',
  municipality: 'Ronneby',
  description: 'Munblåst konstglas, vaser och skålar från egen hytta; kurser i glasblåsning för turister.',
  sectors: ['manufacturing.materials'],
};

describe('duplicate warnings on create and import', () => {
  it('create answers as usual, plus a warning for the same organisation number', async () => {
    const response = await t.call('POST', '/companies', { json: { ...distinct, id: 'c-same-org', orgNumber: aquarena.orgNumber! } });
    expect(response.status).toBe(201);
    const body = (await response.json()) as { id: string; warnings?: Warning[] };
    expect(body.id).toBe('c-same-org');
    expect(body.warnings).toEqual([{ code: 'possible-duplicate', id: 'c-same-org', duplicateOf: 's-c13', reason: 'orgNumber', similarity: 1 }]);
    expect(t.catalog.records.has('company', 'c-same-org')).toBe(true);
  });

  it('warns about a renamed firm with the same description, and not about a distinct one', async () => {
    const { orgNumber: _org, contact: _contact, ...rest } = aquarena;
    const renamed = await t.call('POST', '/companies', { json: { ...rest, id: 'c-renamed', name: 'Aqua Rena Processteknik' } });
    const body = (await renamed.json()) as { warnings?: Warning[] };
    expect(body.warnings?.[0]).toMatchObject({ id: 'c-renamed', duplicateOf: 's-c13', reason: 'similar-text' });
    expect(body.warnings![0]!.similarity).toBeGreaterThanOrEqual(0.55);
    const plain = await t.call('POST', '/companies', { json: distinct });
    expect(plain.status).toBe(201);
    expect(Object.keys((await plain.json()) as object)).not.toContain('warnings');
  });

  it('import reports duplicates of stored records and of earlier records of the same import', async () => {
    const { orgNumber: _org, contact: _contact, ...rest } = aquarena;
    const response = await t.call('POST', '/import/companies', {
      json: [
        { ...distinct, id: 'c-a' },
        { ...distinct, id: 'c-b', name: 'Ljusglas Konsthantverk AB' },
        { ...rest, id: 'c-c', name: 'AquaRena' },
      ],
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { created: number; updated: number; warnings: Warning[] };
    expect(body.created).toBe(3);
    expect(body.warnings.map((w) => [w.id, w.duplicateOf, w.reason])).toEqual([
      ['c-b', 'c-a', 'similar-text'],
      ['c-c', 's-c13', 'similar-text'],
    ]);
    const needs = await t.call('POST', '/import/needs', { json: [] });
    expect(await needs.json()).toEqual({ created: 0, updated: 0 });
  });

  it('forgets the records of a failed import', async () => {
    const failed = await t.call('POST', '/import/companies', { json: [{ ...distinct, id: 'c-a' }, { id: 'c-bad', name: '' }] });
    expect(failed.status).toBe(400);
    const response = await t.call('POST', '/companies', { json: { ...distinct, id: 'c-b' } });
    expect(response.status).toBe(201);
    expect(((await response.json()) as { warnings?: Warning[] }).warnings).toBeUndefined();
  });

  it('follows updates and deletions', async () => {
    await t.call('POST', '/companies', { json: distinct });
    expect((await t.call('DELETE', `/companies/${distinct.id}`)).status).toBe(204);
    const again = await t.call('POST', '/companies', { json: { ...distinct, id: 'c-again' } });
    expect(((await again.json()) as { warnings?: Warning[] }).warnings).toBeUndefined();
    const patched = await t.call('PATCH', '/companies/c-again', { json: { orgNumber: aquarena.orgNumber }, headers: { 'content-type': 'application/merge-patch+json' } });
    expect(patched.status).toBe(200);
    const third = await t.call('POST', '/companies', { json: { ...distinct, id: 'c-third', name: 'Helt Annat AB', description: 'Rådgivning om bokföring.', orgNumber: aquarena.orgNumber } });
    const warnings = ((await third.json()) as { warnings?: Warning[] }).warnings!;
    expect(warnings.map((w) => w.duplicateOf).sort()).toEqual(['c-again', 's-c13']);
  });
});
