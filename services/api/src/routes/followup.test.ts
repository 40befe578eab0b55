import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../test-helpers.js';

interface Problem {
  status: number;
  errors?: { path: string; message: string }[];
}

let t: TestApp;
beforeEach(() => {
  t = makeTestApp();
});
afterEach(() => t.close());

const companiesFor = async (path: string): Promise<string[]> => {
  const response = await t.call('GET', path);
  expect(response.status).toBe(200);
  return ((await response.json()) as { matches: { company: { id: string } }[] }).matches.map((m) => m.company.id);
};

describe('decision history through the API', () => {
  it('PUT /decisions still works and appends a stage; stages, notes and next actions build the history', async () => {
    const put = await t.call('PUT', '/decisions/s-n01/s-c13', { json: { status: 'contacted', note: 'called' } });
    expect(put.status).toBe(201);
    const stage = await t.call('POST', '/decisions/s-n01/s-c13/stages', { json: { stage: 'meeting', note: 'met in Kunming', nextActionOn: '2027-01-10' } });
    expect(stage.status).toBe(201);
    const change = (await stage.json()) as { event: { stage: string; previousStage: string; actor: { role: string } }; state: { nextActionOn: string } };
    expect(change.event).toMatchObject({ stage: 'meeting', previousStage: 'contacted', actor: { role: 'coordinator' } });
    expect(change.state.nextActionOn).toBe('2027-01-10');
    // The three-status decision follows the stage.
    expect(((await (await t.call('GET', '/decisions/s-n01/s-c13')).json()) as { status: string }).status).toBe('contacted');

    const history = (await (await t.call('GET', '/decisions/s-n01/s-c13/history')).json()) as { items: { stage: string; note?: string }[] };
    expect(history.items.map((e) => [e.stage, e.note])).toEqual([
      ['contacted', 'called'],
      ['meeting', 'met in Kunming'],
    ]);

    const csv = await t.call('GET', '/decisions/history.csv?needId=s-n01');
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const bytes = Buffer.from(await csv.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8');
    expect(text.slice(1).startsWith('needId,companyId,at,stage')).toBe(true);
    expect(text).toContain('met in Kunming');
  });

  it('no-deal leaves the rankings like declined; suggested brings the pair back', async () => {
    expect(await companiesFor('/needs/s-n01/matches?limit=5')).toContain('s-c13');
    expect((await t.call('POST', '/decisions/s-n01/s-c13/stages', { json: { stage: 'no-deal' } })).status).toBe(201);
    expect(await companiesFor('/needs/s-n01/matches?limit=5')).not.toContain('s-c13');
    expect((await t.call('POST', '/decisions/s-n01/s-c13/stages', { json: { stage: 'suggested' } })).status).toBe(201);
    expect(await companiesFor('/needs/s-n01/matches?limit=5')).toContain('s-c13');
    expect((await t.call('GET', '/decisions/s-n01/s-c13')).status).toBe(404);
  });

  it('lists actions due and overdue as of a day', async () => {
    await t.call('POST', '/decisions/s-n01/s-c13/stages', { json: { stage: 'contacted', nextActionOn: '2027-01-05' } });
    await t.call('POST', '/decisions/s-n02/s-c01/stages', { json: { stage: 'meeting', nextActionOn: '2027-01-12' } });
    await t.call('POST', '/decisions/s-n03/s-c02/stages', { json: { stage: 'meeting', nextActionOn: '2027-03-01' } });
    const response = await t.call('GET', '/actions?asOf=2027-01-10&withinDays=7');
    expect(response.status).toBe(200);
    const body = (await response.json()) as { asOf: string; items: { needId: string; state: string; inDays: number }[] };
    expect(body.asOf).toBe('2027-01-10');
    expect(body.items.map((i) => [i.needId, i.state, i.inDays])).toEqual([
      ['s-n01', 'overdue', -5],
      ['s-n02', 'due', 2],
    ]);
    expect((await t.call('GET', '/actions', { as: 'reader' })).status).toBe(403);
  });

  it('bad input is a 400 naming the field, and nothing is stored', async () => {
    const bad = await t.call('POST', '/decisions/s-n01/s-c13/stages', { json: { stage: 'meeting', nextActionOn: '2027-02-30' } });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toBe('application/problem+json');
    expect(((await bad.json()) as Problem).errors?.map((e) => e.path)).toEqual(['body.nextActionOn']);
    const unknownStage = await t.call('POST', '/decisions/s-n01/s-c13/stages', { json: { stage: 'married' } });
    expect(((await unknownStage.json()) as Problem).errors?.map((e) => e.path)).toEqual(['body.stage']);
    expect((await t.call('GET', '/actions?asOf=tomorrow')).status).toBe(400);
    expect((await t.call('POST', '/decisions/s-n01/nope/stages', { json: { stage: 'meeting' } })).status).toBe(404);
    const history = (await (await t.call('GET', '/decisions/s-n01/s-c13/history')).json()) as { items: unknown[] };
    expect(history.items).toEqual([]);
  });

  it('deleting a need deletes its history', async () => {
    await t.call('POST', '/decisions/s-n01/s-c13/stages', { json: { stage: 'meeting' } });
    expect((await t.call('DELETE', '/needs/s-n01')).status).toBe(204);
    expect(t.catalog.decisions.history.exportCsv().trim().split('\n')).toHaveLength(1);
  });
});

describe('deadlines on the match routes', () => {
  it('a need past its deadline is not matched unless includeExpired; asOf decides; closing is one call', async () => {
    // s-n16's deadline is 2027-01-31.
    const [best] = await companiesFor('/needs/s-n16/matches?asOf=2027-01-31');
    expect(best).toBeDefined();
    expect(await companiesFor('/needs/s-n16/matches?asOf=2027-02-01')).toEqual([]);
    expect(await companiesFor('/needs/s-n16/matches?asOf=2027-02-01&includeExpired=true')).not.toEqual([]);

    const needsFor = async (asOf: string): Promise<string[]> =>
      ((await (await t.call('GET', `/companies/${best}/matches?limit=100&asOf=${asOf}`)).json()) as { matches: { need: { id: string } }[] }).matches.map((m) => m.need.id);
    expect(await needsFor('2027-01-31')).toContain('s-n16');
    expect(await needsFor('2027-02-01')).not.toContain('s-n16');

    const bad = await t.call('GET', '/needs/s-n16/matches?asOf=2027-13-01');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as Problem).errors?.[0]?.path).toBe('query.asOf');

    expect((await t.call('POST', '/needs/s-n16/close', { as: 'reader' })).status).toBe(403);
    const closed = await t.call('POST', '/needs/s-n16/close');
    expect(closed.status).toBe(200);
    expect(((await closed.json()) as { status: string }).status).toBe('closed');
  });
});
