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

interface Pair extends Warning {
  name: string;
  duplicateOfName: string;
}

describe('GET /duplicates and POST /companies/{id}/merge', () => {
  const { orgNumber: _org, contact: _contact, ...rest } = aquarena;
  const twin = { ...rest, id: 'c-twin', name: 'Aqua Rena Processteknik' };
  const pairIds = (pairs: Pair[]) => pairs.map((p) => `${p.id}>${p.duplicateOf}`);

  it('lists the likely duplicate pairs, with names, for coordinators only', async () => {
    expect(((await (await t.call('GET', '/duplicates')).json()) as { items: Pair[] }).items).toEqual([]);
    await t.call('POST', '/companies', { json: twin });
    await t.call('POST', '/companies', { json: { ...distinct, id: 'c-same-org', orgNumber: aquarena.orgNumber! } });
    const response = await t.call('GET', '/duplicates');
    expect(response.status).toBe(200);
    const body = (await response.json()) as { threshold: number; total: number; items: Pair[] };
    expect(body.threshold).toBe(0.55);
    expect(pairIds(body.items)).toEqual(['c-same-org>s-c13', 'c-twin>s-c13']);
    expect(body.items[0]).toMatchObject({ reason: 'orgNumber', similarity: 1, name: distinct.name, duplicateOfName: aquarena.name });
    expect(body.items[1]).toMatchObject({ reason: 'similar-text', name: twin.name, duplicateOfName: aquarena.name });
    expect(body.total).toBe(2);
    expect((await t.call('GET', '/duplicates', { as: 'reader' })).status).toBe(403);
  });

  it('refuses (409, nothing written) to merge a company that takes part in an event, naming the event', async () => {
    await t.call('POST', '/companies', { json: twin });
    const event = {
      id: 'visit-1',
      name: 'Delegation visit',
      slots: [{ id: 's1', start: '2027-05-10T09:00:00+08:00', end: '2027-05-10T09:30:00+08:00' }],
      tables: 2,
      companies: [{ id: 'c-twin' }],
      organizations: [],
    };
    expect((await t.call('POST', '/events', { json: event })).status).toBe(201);
    const response = await t.call('POST', '/companies/c-twin/merge', { json: { keep: 's-c13' } });
    expect(response.status).toBe(409);
    const problem = (await response.json()) as { detail: string; errors: { path: string; message: string }[] };
    expect(problem.detail).toContain('"visit-1"');
    expect(problem.errors[0]).toMatchObject({ path: 'path.id' });
    expect(t.catalog.records.has('company', 'c-twin')).toBe(true);
  });

  it('moves decisions, history and subscriptions to the kept record in one write, keeping the more advanced stage', async () => {
    await t.call('POST', '/companies', { json: twin });
    const [n1, n2, n3] = ['s-n01', 's-n02', 's-n03'];
    const stage = (need: string, company: string, s: string, note?: string) =>
      t.call('POST', `/decisions/${need}/${company}/stages`, { json: { stage: s, ...(note === undefined ? {} : { note }) } });
    // n1 on both sides: meeting (twin) beats contacted (kept). n2 only on the twin. n3 only on the kept record.
    expect((await stage(n1, 's-c13', 'contacted', 'kept side')).status).toBe(201);
    await stage(n1, 'c-twin', 'contacted');
    await stage(n1, 'c-twin', 'meeting', 'met at the fair');
    await stage(n2, 'c-twin', 'agreed', 'signed');
    await stage(n3, 's-c13', 'declined');
    const subscribed = await t.call('POST', '/subscriptions', { json: { email: 'coordinator@example.org', companyId: 'c-twin' } });
    expect(subscribed.status).toBe(201);
    const generation = t.catalog.records.storedGeneration;

    const response = await t.call('POST', '/companies/c-twin/merge', { json: { keep: 's-c13' } });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      kept: 's-c13',
      merged: 'c-twin',
      moved: { decisions: 2, events: 3, subscriptions: 1 },
      conflicts: [{ needId: n1, keptStage: 'contacted', mergedStage: 'meeting', stage: 'meeting' }],
    });
    // One committed write (its nested removal counts too, within the same transaction).
    expect(t.catalog.records.storedGeneration).toBeGreaterThan(generation);
    expect((await t.call('GET', '/companies/c-twin')).status).toBe(404);

    const decisions = (await (await t.call('GET', '/decisions?companyId=s-c13')).json()) as { items: { needId: string; status: string; note?: string }[] };
    expect(decisions.items.map((d) => [d.needId, d.status, d.note])).toEqual([
      [n1, 'contacted', 'met at the fair'],
      [n2, 'agreed', 'signed'],
      [n3, 'declined', undefined],
    ]);
    const history = (await (await t.call('GET', `/decisions/${n1}/s-c13/history`)).json()) as { items: { stage: string; note?: string }[] };
    expect(history.items.map((e) => e.stage)).toEqual(['contacted', 'contacted', 'meeting', 'meeting']);
    expect(history.items.at(-1)!.note).toBe('merged company c-twin into s-c13: kept stage meeting (s-c13: contacted, c-twin: meeting)');
    const moved = (await (await t.call('GET', `/decisions/${n2}/s-c13/history`)).json()) as { items: { stage: string }[] };
    expect(moved.items.map((e) => e.stage)).toEqual(['agreed']);
    const left = t.store.db.prepare("SELECT count(*) AS n FROM followup_events WHERE company_id = 'c-twin'").get() as { n: number };
    expect(left.n).toBe(0);
    const subscriptions = t.catalog.alerts.subscriptions.active();
    expect(subscriptions.map((s) => s.companyId)).toEqual(['s-c13']);
    // The merged record is gone from the index and the list.
    const ranked = (await (await t.call('GET', `/needs/${n1}/matches?limit=100`)).json()) as { matches: { company: { id: string } }[] };
    expect(ranked.matches.map((m) => m.company.id)).not.toContain('c-twin');
    expect(((await (await t.call('GET', '/duplicates')).json()) as { items: Pair[] }).items).toEqual([]);
    // What reopened from the file is what was answered.
    t.catalog.decisions.reload();
    expect(t.catalog.decisions.list({ companyId: 'c-twin' })).toEqual([]);
  });

  it('changes nothing when the merge fails, and refuses bad requests', async () => {
    await t.call('POST', '/companies', { json: twin });
    await t.call('POST', `/decisions/s-n01/c-twin/stages`, { json: { stage: 'contacted' } });
    const before = t.store.db.prepare('SELECT count(*) AS n FROM followup_events').get();
    expect((await t.call('POST', '/companies/c-twin/merge', { json: { keep: 'c-twin' } })).status).toBe(400);
    expect((await t.call('POST', '/companies/c-twin/merge', { json: { keep: 'c-nobody' } })).status).toBe(404);
    expect((await t.call('POST', '/companies/c-twin/merge', { json: {} })).status).toBe(400);
    expect((await t.call('POST', '/companies/c-twin/merge', { as: 'reader', json: { keep: 's-c13' } })).status).toBe(403);
    // A failure inside the transaction (the history table made to refuse inserts) rolls every step back.
    t.store.db.exec("CREATE TRIGGER refuse_merge BEFORE INSERT ON followup_events WHEN NEW.company_id = 's-c13' BEGIN SELECT RAISE(ABORT, 'refused'); END");
    const failed = await t.call('POST', '/companies/c-twin/merge', { json: { keep: 's-c13' } });
    expect(failed.status).toBe(500);
    t.store.db.exec('DROP TRIGGER refuse_merge');
    expect(t.store.db.prepare('SELECT count(*) AS n FROM followup_events').get()).toEqual(before);
    expect(t.catalog.records.has('company', 'c-twin')).toBe(true);
    expect(t.catalog.decisions.list({ companyId: 'c-twin' }).map((d) => d.needId)).toEqual(['s-n01']);
    const ranked = (await (await t.call('GET', '/needs/s-n01/matches?limit=100')).json()) as { matches: { company: { id: string } }[] };
    expect(ranked.matches.map((m) => m.company.id)).toContain('c-twin');
  });
});
