import { existsSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers.js';
import { API_KEYS, contactEmails, startApi, waitForJob, type Answer, type ApiProcess } from './server.js';

interface Problem {
  status: number;
  code: string;
  detail: string;
  errors?: { path: string; message: string }[];
}

interface Ranked {
  matches: {
    rank: number;
    score: number;
    company?: { id: string };
    need?: { id: string };
    decision?: string;
    explanation?: { summary: string; terms: { kind: string; needPhrases: string[]; companyPhrases: string[] }[] };
  }[];
}

function problem(answer: Answer, status: number): Problem {
  expect(answer.status, answer.text).toBe(status);
  expect(answer.headers.get('content-type')).toBe('application/problem+json');
  return answer.json<Problem>();
}

const company = {
  id: 'e2e-c1',
  name: 'Karlskrona Avloppsteknik AB',
  municipality: 'Karlskrona',
  description: 'Vi bygger och moderniserar avloppsreningsverk med MBBR för kväve- och fosforrening.',
  sectors: ['environment.wastewater'],
  partnershipTypes: ['technology-transfer'],
  contact: { name: 'Eva Test', email: 'eva.test@example.se' },
};

describe('the HTTP service over a real port', () => {
  let dir: string;
  let api: ApiProcess;

  beforeAll(async () => {
    dir = await tempDir('partnermatch-api-e2e-');
    api = await startApi(dir, { PARTNERMATCH_API_KEYS: API_KEYS });
  });

  afterAll(async () => {
    expect(await api.stop()).toBe(0);
    await rm(dir, { recursive: true, force: true });
  });

  it('seeds the sample data on first start and says how to authenticate', async () => {
    expect(api.output()).toContain('seed: loaded 48 companies and 24 needs');
    expect(api.output()).toContain('Authorization: Bearer');
    expect(api.output()).not.toContain('e2e-coordinator-key'); // configured keys are never printed
    expect((await api.call('/health', { key: 'none' })).json()).toMatchObject({ status: 'ok', companies: 48, needs: 24 });
  });

  it('creates, reads, updates and deletes records', async () => {
    const created = await api.call('/companies', { json: company });
    expect(created.status).toBe(201);
    expect((await api.call('/companies/e2e-c1')).json()).toMatchObject({ name: company.name, contact: { email: 'eva.test@example.se' } });
    const patched = await api.call('/companies/e2e-c1', {
      method: 'PATCH',
      body: JSON.stringify({ employees: 40 }),
      headers: { 'content-type': 'application/merge-patch+json' },
    });
    expect(patched.json()).toMatchObject({ employees: 40, name: company.name });
    const replaced = await api.call('/companies/e2e-c1', { method: 'PUT', json: { ...company, name: 'Renamed AB' } });
    expect(replaced.json()).toMatchObject({ name: 'Renamed AB' });
    expect((await api.call('/companies/e2e-c1', { method: 'DELETE' })).status).toBe(204);
    problem(await api.call('/companies/e2e-c1'), 404);

    const list = (await api.call('/needs?status=open&city=Kunming', { key: 'reader' })).json<{ items: { id: string }[]; total: number }>();
    expect(list.total).toBeGreaterThan(0);
    expect(list.items.every((n) => n.id.startsWith('s-n'))).toBe(true);
  });

  it('ranks a Swedish company for a Chinese need, explaining the cross-language evidence', async () => {
    const answer = await api.call('/needs/s-n21/matches?limit=5', { key: 'reader' });
    expect(answer.status).toBe(200);
    const ranked = answer.json<Ranked>();
    // s-c01 (a Swedish power-cable maker) is the sample's best partner for s-n21 (Chinese).
    const cable = ranked.matches.find((m) => m.company?.id === 's-c01');
    expect(cable?.rank).toBeLessThanOrEqual(3);
    expect(cable?.explanation?.summary).toMatch(/\S/);
    const crossLanguage = cable?.explanation?.terms.filter(
      (term) => term.needPhrases.some((p) => /\p{Script=Han}/u.test(p)) && term.companyPhrases.some((p) => /[a-zåäö]/i.test(p)),
    );
    expect(crossLanguage?.length).toBeGreaterThan(0);
  });

  it('answers 401 without or with an unknown key and 403 for a reader writing', async () => {
    expect(problem(await api.call('/needs', { key: 'none' }), 401).code).toBe('UNAUTHORIZED');
    problem(await api.call('/needs', { key: { raw: 'definitely-not-a-valid-key' } }), 401);
    problem(await api.call('/companies', { key: 'reader', json: company }), 403);
    problem(await api.call('/decisions', { key: 'reader' }), 403);
    const viaHeader = await api.call('/needs', { key: 'none', headers: { 'x-api-key': 'e2e-reader-key-0123456789' } });
    expect(viaHeader.status).toBe(200);
  });

  it('answers bad input with 400, 404, 409, 413 and 415 problem details, never 500', async () => {
    const invalid = problem(await api.call('/needs', { json: { id: 'x', title: '', sectors: ['nope'] } }), 400);
    expect(invalid.errors?.map((e) => e.path)).toEqual(expect.arrayContaining(['body.title', 'body.organization', 'body.description', 'body.sectors[0]']));
    problem(await api.call('/needs', { body: '{"id":', headers: { 'content-type': 'application/json' } }), 400);
    problem(await api.call('/needs/s-n01/matches?limit=-3', { key: 'reader' }), 400);
    problem(await api.call('/needs/nope', { key: 'reader' }), 404);
    problem(await api.call('/companies/nope/matches', { key: 'reader' }), 404);
    expect(problem(await api.call('/companies', { json: { ...company, id: 's-c01' } }), 409).code).toBe('CONFLICT');
    const huge = await api.call('/companies', { json: { ...company, description: 'x'.repeat(2 * 1024 * 1024) } });
    expect(problem(huge, 413).code).toBe('PAYLOAD_TOO_LARGE');
    problem(await api.call('/companies', { body: 'name=x', headers: { 'content-type': 'text/plain' } }), 415);
    problem(await api.call('/import/companies', { body: '<x/>', headers: { 'content-type': 'application/xml' } }), 415);
    expect((await api.call('/health', { key: 'none' })).json()).toMatchObject({ companies: 48 });
  });

  it('imports all rows or none, reporting the problems of every row', async () => {
    const csv = [
      'id,name,description,sectors,partnershipTypes',
      'imp-a,Alfa AB,Solceller och batterier,energy.solar;energy.storage,export',
      'imp-b,,Ingen namn,energy.fusion,export',
      'imp-c,Gamma AB,Vindkraftservice,energy.wind,bartering',
    ].join('\n');
    const failed = problem(await api.call('/import/companies', { body: csv, headers: { 'content-type': 'text/csv' } }), 400);
    expect(failed.errors?.map((e) => e.path)).toEqual(['records[1].name', 'records[1].sectors[0]', 'records[2].partnershipTypes[0]']);
    problem(await api.call('/companies/imp-a'), 404);

    const fixed = csv.replace('imp-b,,Ingen namn,energy.fusion', 'imp-b,Beta AB,Ingen namn,energy').replace('bartering', 'training');
    const ok = await api.call('/import/companies', { body: fixed, headers: { 'content-type': 'text/csv' } });
    expect(ok.json()).toEqual({ created: 3, updated: 0 });
    expect((await api.call('/companies/imp-a')).json()).toMatchObject({ sectors: ['energy.solar', 'energy.storage'] });
    const again = problem(await api.call('/import/companies', { body: fixed, headers: { 'content-type': 'text/csv' } }), 409);
    expect(again.errors).toHaveLength(3);
  });

  it('never serves a stale ranking after an update', async () => {
    const path = '/needs/s-n07/matches?limit=5&explain=false';
    const before = (await api.call(path, { key: 'reader' })).json<Ranked>();
    const cached = (await api.call(path, { key: 'reader' })).json<Ranked>();
    expect(cached).toEqual(before);
    expect((await api.call('/metrics', { key: 'none' })).text).toMatch(/partnermatch_cache_hits_total [1-9]/);
    expect(before.matches.map((m) => m.company?.id)).toContain('s-c18');

    const s18 = (await api.call('/companies/s-c18')).json<Record<string, unknown>>();
    const changed = {
      ...s18,
      name: 'Ronneby Bageri AB',
      description: 'Vi driver ett litet bageri i Ronneby.',
      offerings: ['Bröd'],
      sectors: ['agrifood.food-processing'],
    };
    expect((await api.call('/companies/s-c18', { method: 'PUT', json: changed })).status).toBe(200);
    const after = (await api.call(path, { key: 'reader' })).json<Ranked>();
    expect(after.matches.map((m) => m.company?.id)).not.toContain('s-c18');
  });

  it('leaves declined pairs out of later rankings, both ways', async () => {
    const ids = async (path: string) => (await api.call(path, { key: 'reader' })).json<Ranked>().matches.map((m) => m.company?.id ?? m.need?.id);
    expect(await ids('/needs/s-n21/matches?limit=10')).toContain('s-c01');
    const put = await api.call('/decisions/s-n21/s-c01', { method: 'PUT', json: { status: 'declined' } });
    expect(put.status).toBe(201);
    expect(await ids('/needs/s-n21/matches?limit=10')).not.toContain('s-c01');
    expect(await ids('/companies/s-c01/matches?limit=10')).not.toContain('s-n21');
    // Which pairs were declined is decision data: includeDeclined is for coordinators, ignored for readers.
    expect(await ids('/needs/s-n21/matches?limit=10&includeDeclined=true')).not.toContain('s-c01');
    const withDeclined = (await api.call('/needs/s-n21/matches?limit=10&includeDeclined=true')).json<Ranked>();
    expect(withDeclined.matches.find((m) => m.company?.id === 's-c01')?.decision).toBe('declined');
    expect((await api.call('/decisions/s-n21/s-c01', { method: 'PUT', json: { status: 'contacted' } })).status).toBe(200);
    const coordinatorView = (await api.call('/needs/s-n21/matches?limit=10')).json<Ranked>();
    expect(coordinatorView.matches.find((m) => m.company?.id === 's-c01')?.decision).toBe('contacted');
  });

  it('runs a batch job with progress and CSV results', async () => {
    const started = await api.call('/batch', { key: 'reader', json: { limit: 3 } });
    expect(started.status).toBe(202);
    const { id, total } = started.json<{ id: string; total: number }>();
    expect(total).toBe(22);
    expect(await waitForJob(api, id)).toMatchObject({ status: 'succeeded', done: 22, total: 22 });
    const csv = (await api.call(`/jobs/${id}/results?format=csv`, { key: 'reader' })).text.trim().split('\n');
    expect(csv[0]).toBe('needId,needTitle,rank,companyId,companyName,municipality,score,tags,text,cooperation,why,asOf');
    expect(csv.length).toBeGreaterThan(22);
  });

  it("shows a coordinator's batch job to a reader without the decisions, and never lets a cache keep it", async () => {
    // s-n21 / s-c01 was marked contacted above.
    const started = await api.call('/batch', { json: { ids: ['s-n21'], limit: 10 } });
    const { id } = started.json<{ id: string }>();
    expect(await waitForJob(api, id)).toMatchObject({ status: 'succeeded' });
    const forReader = await api.call(`/jobs/${id}/results`, { key: 'reader' });
    expect(forReader.text).toContain('"s-c01"');
    expect(forReader.text).not.toContain('"decision"');
    expect(forReader.headers.get('cache-control')).toBe('no-store');
    const forCoordinator = (await api.call(`/jobs/${id}/results`)).json<{ results: Ranked[] }>();
    expect(forCoordinator.results[0]?.matches.find((m) => m.company?.id === 's-c01')?.decision).toBe('contacted');
  });

  it('never showed contact details to a reader, in any response, export or error', async () => {
    for (const path of [
      '/companies?limit=500',
      '/companies/s-c01',
      '/export/companies',
      '/export/companies?format=csv',
      '/companies?q=example.se',
      '/companies/s-c01/matches',
      '/needs/s-n01/matches?limit=50',
      '/companies/nope',
    ]) {
      await api.call(path, { key: 'reader' });
    }
    await api.call('/match', { key: 'reader', json: { need: { title: 'Kraftkabel', organization: 'X', description: '电力电缆' } } });
    expect(api.readerBodies.length).toBeGreaterThan(20);
    for (const body of api.readerBodies) {
      for (const email of [...contactEmails, company.contact.email]) expect(body).not.toContain(email);
      // A contact field, not the word: explanations may name the English pivot "contact".
      expect(body).not.toMatch(/"contact"\s*:/);
    }
    // The coordinator does see them.
    expect((await api.call('/export/companies?format=csv')).text).toContain(contactEmails[0]);
  });
});

describe('keys and restarts', () => {
  it('generates a coordinator key once, stores it hashed, and keeps every write across a SIGTERM restart', async () => {
    const dir = await tempDir('partnermatch-api-restart-');
    try {
      const first = await startApi(dir);
      const key = /\n\s+(pm_[A-Za-z0-9_-]{43})\n/.exec(first.output())?.[1];
      expect(key).toBeDefined();
      const keysFile = readFileSync(join(dir, 'api-keys.json'), 'utf8');
      expect(keysFile).not.toContain(key!);
      const auth = { key: { raw: key! } } as const;

      expect((await first.call('/companies', { ...auth, json: company })).status).toBe(201);
      expect((await first.call('/needs/s-n02', { ...auth, method: 'DELETE' })).status).toBe(204);
      expect((await first.call('/decisions/s-n01/e2e-c1', { ...auth, method: 'PUT', json: { status: 'agreed' } })).status).toBe(201);
      expect(await first.stop('SIGTERM')).toBe(0);
      expect(first.output()).toContain('SIGTERM');
      expect(existsSync(join(dir, 'partnermatch.db-wal'))).toBe(false); // checkpointed and closed cleanly

      const second = await startApi(dir);
      try {
        expect(second.output()).not.toContain(key!);
        expect(second.output()).not.toContain('seed: loaded');
        expect((await second.call('/companies/e2e-c1', auth)).json()).toMatchObject({ name: company.name });
        problem(await second.call('/needs/s-n02', auth), 404);
        expect((await second.call('/decisions/s-n01/e2e-c1', auth)).json()).toMatchObject({ status: 'agreed' });
        expect((await second.call('/health', { key: 'none' })).json()).toMatchObject({ companies: 49, needs: 23, decisions: 1 });
      } finally {
        expect(await second.stop()).toBe(0);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('starts empty with PARTNERMATCH_SEED=false', async () => {
    const dir = await tempDir('partnermatch-api-noseed-');
    try {
      const api = await startApi(dir, { PARTNERMATCH_SEED: 'false', PARTNERMATCH_API_KEYS: API_KEYS });
      try {
        expect((await api.call('/health', { key: 'none' })).json()).toMatchObject({ companies: 0, needs: 0 });
        expect(api.output()).not.toContain('pm_'); // keys were configured: none generated
      } finally {
        expect(await api.stop()).toBe(0);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
