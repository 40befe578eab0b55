import { compareManifest, formatResults, resultColumns, type RunManifest } from '@partnermatch/core';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from './test-helpers.js';

interface BatchJson {
  jobId: string;
  manifest: RunManifest;
  inputChangedDuringRun: boolean;
  results: { needId?: string; companyId?: string; need?: { title: string }; asOf: string; matches: { needId: string; companyId: string; rank: number; decision?: string }[] }[];
}

let t: TestApp;
beforeEach(() => {
  t = makeTestApp();
});
afterEach(() => {
  expect(t.internalErrors).toEqual([]);
  t.close();
});

async function runBatch(body: Record<string, unknown>, as: 'reader' | 'coordinator' = 'coordinator'): Promise<string> {
  const started = await t.call('POST', '/batch', { as, json: body });
  expect(started.status).toBe(202);
  const { id } = (await started.json()) as { id: string };
  await t.jobs.settled(id);
  return id;
}

const resultsOf = async (id: string, as: 'reader' | 'coordinator' = 'coordinator') =>
  (await (await t.call('GET', `/jobs/${id}/results`, { as })).json()) as BatchJson;

const csvOf = async (id: string, query = '', as: 'reader' | 'coordinator' = 'coordinator') => {
  const response = await t.call('GET', `/jobs/${id}/results?format=csv${query}`, { as });
  expect(response.status).toBe(200);
  return { response, lines: (await response.text()).trim().split('\n') };
};

describe('batch results: one match shape, core\'s results table', () => {
  it('names both ids of every match in the JSON, whichever way it was ranked', async () => {
    const byNeed = await resultsOf(await runBatch({ ids: ['s-n01'], limit: 3, asOf: '2026-05-01' }));
    expect(byNeed.results[0]).toMatchObject({ needId: 's-n01', asOf: '2026-05-01', need: { title: t.catalog.records.get('need', 's-n01').title } });
    for (const match of byNeed.results[0]!.matches) expect(match).toMatchObject({ needId: 's-n01', companyId: expect.stringMatching(/^s-c/) });

    const byCompany = await resultsOf(await runBatch({ direction: 'needs', ids: ['s-c13'], limit: 3 }));
    expect(byCompany.results[0]?.companyId).toBe('s-c13');
    for (const match of byCompany.results[0]!.matches) expect(match).toMatchObject({ companyId: 's-c13', needId: expect.stringMatching(/^s-n/) });

    const ranked = (await (await t.call('GET', '/needs/s-n01/matches?limit=2')).json()) as { matches: { needId: string; companyId: string }[] };
    expect(ranked.matches[0]).toMatchObject({ needId: 's-n01', companyId: expect.any(String) });
  });

  it('writes the CLI\'s columns plus every column the API had, in the same order as core', async () => {
    const id = await runBatch({ ids: ['s-n01', 's-n02'], limit: 2, explain: true, asOf: '2026-05-01' });
    const { lines, response } = await csvOf(id, '', 'reader');
    const header = lines[0]!.split(',');
    expect(header).toEqual(resultColumns({ direction: 'companies', explain: true, why: true }));
    for (const column of ['needId', 'rank', 'companyId', 'companyName', 'score', 'tags', 'text', 'cooperation', 'why']) expect(header).toContain(column);
    expect(response.headers.get('link')).toBe(`</jobs/${id}/manifest>; rel="describedby"`);
    expect(lines.slice(1)).toHaveLength(4);

    // The same ranking written by core (as the CLI writes it) gives the same cells.
    const json = await resultsOf(id, 'reader');
    const core = [
      ...formatResults(
        json.results.map((r) => ({ queryId: r.needId!, asOf: r.asOf, matches: r.matches as never[] })),
        'csv',
        {
          direction: 'companies',
          explain: true,
          why: true,
          bom: false,
          names: { company: (cid) => t.catalog.records.get('company', cid), need: (nid) => t.catalog.records.get('need', nid) },
        },
      ),
    ].join('');
    expect(lines).toEqual(core.trim().split('\n'));
    const first = lines[1]!;
    expect(first.startsWith(`s-n01,${t.catalog.records.get('need', 's-n01').title},1,`)).toBe(true);
    expect(first.endsWith(',2026-05-01')).toBe(true);
  });

  it('takes ";" as the delimiter and gives coordinators each pair\'s decision', async () => {
    const id = await runBatch({ ids: ['s-n01'], limit: 3, includeDeclined: true });
    const top = (await resultsOf(id)).results[0]!.matches[0]!;
    expect((await t.call('PUT', `/decisions/s-n01/${top.companyId}`, { json: { status: 'contacted' } })).status).toBe(201);

    const coordinator = await csvOf(id, '&csvDelimiter=%3B');
    expect(coordinator.lines[0]).toBe('needId;needTitle;rank;companyId;companyName;municipality;score;tags;text;cooperation;why;decision;asOf');
    expect(coordinator.lines[1]!.split(';')[11]).toBe('contacted');
    const reader = await csvOf(id, '', 'reader');
    expect(reader.lines[0]).not.toContain('decision');
    expect((await t.call('GET', `/jobs/${id}/results?format=csv&csvDelimiter=tab`)).status).toBe(400);
  });
});

describe('batch manifests', () => {
  it('gives two identical runs the same manifest, in the JSON and at /jobs/{id}/manifest', async () => {
    const body = { ids: ['s-n01', 's-n02'], limit: 3, asOf: '2026-05-01' };
    const first = await resultsOf(await runBatch(body));
    const second = await resultsOf(await runBatch(body));
    expect(first.manifest).toEqual(second.manifest);
    expect(first.inputChangedDuringRun).toBe(false);
    expect(first.manifest).toMatchObject({
      format: 1,
      asOf: '2026-05-01T00:00:00.000Z',
      run: { command: 'batch', direction: 'companies', ids: ['s-n01', 's-n02'], limit: 3, minScore: 0, explain: false },
      input: { companies: { count: t.catalog.records.count('company') }, needs: { count: t.catalog.records.count('need') } },
    });
    expect(first.manifest.engine.name).toBe('@partnermatch/core');
    expect(first.manifest.input.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(first.results).toEqual(second.results);

    const served = await t.call('GET', `/jobs/${first.jobId}/manifest`);
    expect(served.status).toBe(200);
    expect(await served.json()).toEqual(first.manifest);
    const forReader = await (await t.call('GET', `/jobs/${first.jobId}/manifest`, { as: 'reader' })).json();
    expect(forReader).toEqual((await resultsOf(first.jobId, 'reader')).manifest);
  });

  it('changes the input hash when a record changes, and compareManifest names the record', async () => {
    const body = { ids: ['s-n01'], limit: 3, asOf: '2026-05-01' };
    const before = (await resultsOf(await runBatch(body))).manifest;
    const company = t.catalog.records.get('company', 's-c13');
    expect((await t.call('PUT', '/companies/s-c13', { json: { ...company, description: `${company.description} Ny text.` } })).status).toBe(200);
    const after = (await resultsOf(await runBatch(body))).manifest;
    expect(after.input.sha256).not.toBe(before.input.sha256);
    expect(after.input.needs).toEqual(before.input.needs);
    const comparison = compareManifest(before, after);
    expect(comparison.same).toBe(false);
    expect(comparison.differences.map((d) => d.message)).toEqual(['input.companies: record "s-c13" has changed']);
  });

  it('counts the declined pairs a run left out as input, and settings as settings', async () => {
    const body = { ids: ['s-n01'], limit: 3, asOf: '2026-05-01' };
    const before = (await resultsOf(await runBatch(body))).manifest;
    expect((await t.call('PUT', '/decisions/s-n01/s-c13', { json: { status: 'declined' } })).status).toBe(201);
    const declined = (await resultsOf(await runBatch(body))).manifest;
    expect(compareManifest(before, declined).differences.map((d) => d.path)).toEqual(['run.declinedPairs.count', 'run.declinedPairs.sha256']);
    const declinedId = await runBatch(body);
    expect((await resultsOf(declinedId, 'reader')).manifest.run).not.toHaveProperty('declinedPairs');
    expect((await resultsOf(declinedId)).manifest.run).toHaveProperty('declinedPairs.count', 1);
    const kept = (await resultsOf(await runBatch({ ...body, includeDeclined: true }))).manifest;
    expect(kept.run).not.toHaveProperty('declinedPairs');
    const otherDay = (await resultsOf(await runBatch({ ...body, asOf: '2026-06-01' }))).manifest;
    expect(compareManifest(declined, otherDay).differences.map((d) => d.path)).toEqual(['asOf']);
  });

  it('says when records were written while the job ran', async () => {
    const started = await t.call('POST', '/batch', { json: { ids: ['s-n01', 's-n02', 's-n03', 's-n04'], limit: 2 } });
    const { id } = (await started.json()) as { id: string };
    while ((t.jobs.get(id)?.done ?? 0) < 1) await nextTurn();
    expect(t.jobs.get(id)?.status).toBe('running');
    const need = t.catalog.records.get('need', 's-n04');
    t.catalog.records.replace('need', 's-n04', { ...need, title: `${need.title} (ändrad)` });
    await t.jobs.settled(id);
    expect((await resultsOf(id)).inputChangedDuringRun).toBe(true);
  });

  it('answers 409 for the manifest of an unfinished job and 404 for an unknown one', async () => {
    const started = await t.call('POST', '/batch', { json: { limit: 2 } });
    const { id } = (await started.json()) as { id: string };
    expect((await t.call('GET', `/jobs/${id}/manifest`)).status).toBe(409);
    await t.jobs.settled(id);
    expect((await t.call('GET', `/jobs/${id}/manifest`)).status).toBe(200);
    expect((await t.call('GET', '/jobs/no-such-job/manifest')).status).toBe(404);
  });
});
