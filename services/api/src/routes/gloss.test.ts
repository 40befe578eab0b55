import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestApp, sampleNeeds, type TestApp } from '../test-helpers.js';

let t: TestApp;
beforeEach(() => {
  t = makeTestApp();
});
afterEach(() => t.close());

describe('GET /needs/{id}/gloss', () => {
  it('glosses a Chinese need in the reader\'s language, labelled as a word gloss, each term with its source', async () => {
    const need = sampleNeeds.find((n) => /[\u4e00-\u9fff]/.test(n.title));
    expect(need).toBeDefined();
    for (const lang of ['en', 'sv'] as const) {
      const response = await t.call('GET', `/needs/${need!.id}/gloss?lang=${lang}`, { as: 'reader' });
      expect(response.status).toBe(200);
      const body = (await response.json()) as { kind: string; lang: string; note: string; fields: Record<string, { term: string; gloss: string; source: string }[]> };
      expect(body).toMatchObject({ kind: 'word-gloss', lang });
      expect(body.note).toContain('not a translation');
      const terms = [...body.fields['title']!, ...body.fields['description']!];
      expect(terms.length).toBeGreaterThan(0);
      for (const term of terms) {
        expect(need!.title + need!.description).toContain(term.term);
        expect(term.gloss).not.toBe('');
        expect(['glossary', 'lexicon']).toContain(term.source);
        // The gloss is in the reader's language, not the need's.
        expect(term.gloss).not.toMatch(/[\u4e00-\u9fff]/);
      }
    }
  });

  it('answers problem+json naming the field for an unknown language, and 404 for an unknown need', async () => {
    const bad = await t.call('GET', '/needs/s-n01/gloss?lang=zh', { as: 'reader' });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toBe('application/problem+json');
    expect(JSON.stringify(await bad.json())).toContain('lang');
    expect((await t.call('GET', '/needs/no-such-need/gloss?lang=en', { as: 'reader' })).status).toBe(404);
    expect((await t.call('GET', '/needs/s-n01/gloss?lang=en', { as: 'anonymous' })).status).toBe(401);
  });

  it('glosses a Swedish company into English, and gives an empty gloss for text already in the reader\'s language', async () => {
    const en = (await (await t.call('GET', '/companies/s-c01/gloss?lang=en', { as: 'reader' })).json()) as { fields: Record<string, unknown[]> };
    expect(en.fields['description']!.length).toBeGreaterThan(0);
    const sv = (await (await t.call('GET', '/companies/s-c01/gloss?lang=sv', { as: 'reader' })).json()) as { fields: Record<string, unknown[]> };
    expect(sv.fields['description']).toEqual([]);
  });

  it('is in the OpenAPI document with operation ids', async () => {
    const doc = (await (await t.app.request('/openapi.json')).json()) as { paths: Record<string, { get?: { operationId?: string } }> };
    expect(doc.paths['/needs/{id}/gloss']?.get?.operationId).toBe('glossNeed');
    expect(doc.paths['/companies/{id}/gloss']?.get?.operationId).toBe('glossCompany');
  });
});
