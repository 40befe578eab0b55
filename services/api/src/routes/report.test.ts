import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { contactEmails, makeTestApp, sampleNeeds, type TestApp } from '../test-helpers.js';

interface Report {
  totals: Record<string, number>;
  needsByCity: { key: string | null; count: number }[];
  funnel: { step: string; count: number }[];
  sectorConversion: { sector: string | null; agreed: number }[];
}

let t: TestApp;
beforeEach(() => {
  t = makeTestApp();
});
afterEach(() => t.close());

const decide = (needId: string, companyId: string, status: string, note?: string) =>
  t.call('PUT', `/decisions/${needId}/${companyId}`, { json: { status, ...(note === undefined ? {} : { note }) } });

describe('GET /report', () => {
  it('counts needs, companies and the decisions’ stages, for readers too, without notes or contacts', async () => {
    expect((await decide('s-n01', 's-c13', 'agreed', 'SECRET-NOTE met in Kunming')).ok).toBe(true);
    expect((await decide('s-n01', 's-c01', 'contacted')).ok).toBe(true);
    expect((await decide('s-n02', 's-c02', 'declined')).ok).toBe(true);
    for (const as of ['coordinator', 'reader'] as const) {
      const response = await t.call('GET', '/report', { as });
      expect(response.status).toBe(200);
      const text = await response.text();
      expect(text).not.toContain('SECRET-NOTE');
      for (const email of contactEmails) expect(text).not.toContain(email);
      const report = JSON.parse(text) as Report;
      expect(report.totals).toMatchObject({ needs: sampleNeeds.length, companies: 48, contacted: 2, agreed: 1, declined: 1 });
      expect(report.funnel.find((row) => row.step === 'agreed')?.count).toBe(1);
      const kunming = sampleNeeds.filter((n) => n.city === 'Kunming').length;
      expect(report.needsByCity.find((row) => row.key === 'Kunming')?.count).toBe(kunming);
      expect(report.sectorConversion.reduce((sum, row) => sum + row.agreed, 0)).toBe(1);
    }
  });

  it('is made anew after every write (a report is kept only while nothing changes)', async () => {
    const totals = async () => ((await (await t.call('GET', '/report')).json()) as Report).totals;
    expect((await totals()).contacted).toBe(0);
    expect(await totals()).toEqual(await totals());
    expect((await t.call('POST', '/decisions/s-n01/s-c13/stages', { json: { stage: 'meeting' } })).status).toBe(201);
    expect(await totals()).toMatchObject({ contacted: 1, met: 1 });
    expect((await t.call('DELETE', '/companies/s-c13')).status).toBe(204);
    expect(await totals()).toMatchObject({ companies: 47, contacted: 0, met: 0 });
  });

  it('is CSV when asked, and a bad period is a 400 naming the parameter', async () => {
    const csv = await t.call('GET', '/report?format=csv');
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const lines = (await csv.text()).replace(/^\uFEFF/, '').trim().split(/\r?\n/);
    expect(lines[0]).toBe('section,key,measure,value');
    expect(lines).toContain(`totals,,needs,${sampleNeeds.length}`);
    const bad = await t.call('GET', '/report?from=last-week');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { errors: { path: string }[] }).errors.map((e) => e.path)).toContain('query.from');
    const future = (await (await t.call('GET', '/report?from=2999-01')).json()) as Report;
    expect(future.totals['needs']).toBe(0);
  });
});
