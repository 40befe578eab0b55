import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { contactEmails, makeTestApp, type TestApp } from './test-helpers.js';

interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  instance: string;
  errors?: { path: string; message: string }[];
}

interface MatchBody {
  rank: number;
  score: number;
  parts: { tags: number; text: number; cooperation: number };
  company?: { id: string; name: string };
  need?: { id: string; title: string };
  explanation?: { summary: string; terms: { kind: string; needPhrases: string[]; companyPhrases: string[]; bridge?: { source: string; word: string } }[] };
  decision?: string;
}

async function problemOf(response: Response, status: number): Promise<ProblemBody> {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toBe('application/problem+json');
  const body = (await response.json()) as ProblemBody;
  expect(body.status).toBe(status);
  return body;
}

const newCompany = {
  id: 'c-new',
  name: 'Ny Vattenteknik AB',
  municipality: 'Karlskrona',
  description: 'Vi bygger avloppsreningsverk och levererar MBBR-teknik för kväve- och fosforrening.',
  sectors: ['environment.wastewater'],
  partnershipTypes: ['technology-transfer'],
  contact: { name: 'Test Person', email: 'test.person@example.se' },
};

let t: TestApp;
beforeEach(() => {
  t = makeTestApp();
});
afterEach(() => {
  expect(t.internalErrors).toEqual([]);
  t.close();
});

describe('companies and needs: CRUD', () => {
  it('creates, reads, replaces, patches and deletes a company', async () => {
    const created = await t.call('POST', '/companies', { json: newCompany });
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe('/companies/c-new');
    expect(await created.json()).toMatchObject({ id: 'c-new', name: 'Ny Vattenteknik AB' });

    expect(await (await t.call('GET', '/companies/c-new')).json()).toMatchObject({ contact: { email: 'test.person@example.se' } });

    const { id: _id, ...withoutId } = newCompany;
    const replaced = await t.call('PUT', '/companies/c-new', { json: { ...withoutId, name: 'Renamed AB' } });
    expect(replaced.status).toBe(200);
    expect(await replaced.json()).toMatchObject({ id: 'c-new', name: 'Renamed AB' });

    const patched = await t.call('PATCH', '/companies/c-new', {
      body: JSON.stringify({ municipality: null, employees: 12 }),
      headers: { 'content-type': 'application/merge-patch+json' },
    });
    expect(patched.status).toBe(200);
    const patchedBody = (await patched.json()) as Record<string, unknown>;
    expect(patchedBody['employees']).toBe(12);
    expect(patchedBody).not.toHaveProperty('municipality');
    expect(patchedBody['name']).toBe('Renamed AB');

    expect((await t.call('DELETE', '/companies/c-new')).status).toBe(204);
    await problemOf(await t.call('GET', '/companies/c-new'), 404);
    await problemOf(await t.call('DELETE', '/companies/c-new'), 404);
  });

  it('creates a need with status open by default', async () => {
    const response = await t.call('POST', '/needs', {
      json: { id: 'n-new', title: 'Solar pumps', organization: 'Org', description: 'Solar water pumps for farms' },
    });
    expect(response.status).toBe(201);
    expect(await response.json()).toMatchObject({ id: 'n-new', status: 'open' });
  });

  it('lists with paging, ordered by id', async () => {
    const first = (await (await t.call('GET', '/companies?limit=5')).json()) as { items: { id: string }[]; total: number; limit: number; offset: number };
    expect(first.total).toBe(48);
    expect(first.items.map((c) => c.id)).toEqual(['s-c01', 's-c02', 's-c03', 's-c04', 's-c05']);
    const second = (await (await t.call('GET', '/companies?limit=5&offset=5')).json()) as { items: { id: string }[]; offset: number };
    expect(second.offset).toBe(5);
    expect(second.items[0]?.id).toBe('s-c06');
  });

  it('filters needs by status, city, partnership type and text', async () => {
    const closed = (await (await t.call('GET', '/needs?status=closed&limit=100')).json()) as { items: { id: string }[] };
    expect(closed.items.map((n) => n.id)).toEqual(['s-n13', 's-n19']);
    const kunming = (await (await t.call('GET', '/needs?city=kunming&limit=100')).json()) as { items: { city: string }[]; total: number };
    expect(kunming.total).toBe(8);
    expect(kunming.items.every((n) => n.city === 'Kunming')).toBe(true);
    const training = (await (await t.call('GET', '/needs?partnershipType=training&limit=100')).json()) as {
      items: { partnershipTypes: string[] }[];
    };
    expect(training.items.length).toBeGreaterThan(0);
    expect(training.items.every((n) => n.partnershipTypes.includes('training'))).toBe(true);
    const text = (await (await t.call('GET', `/needs?q=${encodeURIComponent('污水处理厂')}`)).json()) as { items: { id: string }[] };
    expect(text.items.map((n) => n.id)).toContain('s-n01');
  });

  it('filters companies by sector: a parent tag includes its children', async () => {
    const leaf = (await (await t.call('GET', '/companies?sector=energy.grid&limit=500')).json()) as { items: { id: string }[] };
    const root = (await (await t.call('GET', '/companies?sector=energy&limit=500')).json()) as { items: { id: string }[] };
    expect(leaf.items.map((c) => c.id)).toContain('s-c01');
    expect(root.items.map((c) => c.id)).toEqual(expect.arrayContaining(leaf.items.map((c) => c.id)));
    expect(root.items.length).toBeGreaterThan(leaf.items.length);
    const karlskrona = (await (await t.call('GET', '/companies?municipality=Karlskrona&limit=500')).json()) as { total: number };
    expect(karlskrona.total).toBe(17);
  });
});

describe('bad input never gets a 500', () => {
  it('400 names every field path of an invalid body', async () => {
    const problem = await problemOf(
      await t.call('POST', '/companies', { json: { name: 5, sectors: ['energy', 'nope'], partnershipTypes: ['barter'] } }),
      400,
    );
    expect(problem.code).toBe('VALIDATION_FAILED');
    expect(problem.errors?.map((e) => e.path)).toEqual(
      expect.arrayContaining(['body.id', 'body.name', 'body.description', 'body.sectors[1]', 'body.partnershipTypes[0]']),
    );
    expect(problem.errors?.find((e) => e.path === 'body.id')?.message).toBe('is required');
    expect(problem.errors?.find((e) => e.path === 'body.name')?.message).toBe('must be a string');
  });

  it('400 names every invalid query parameter', async () => {
    const problem = await problemOf(await t.call('GET', '/needs/s-n01/matches?limit=0&minScore=2&explain=maybe&partnershipType=export,x'), 400);
    expect(problem.errors?.map((e) => e.path).sort()).toEqual(['query.explain', 'query.limit', 'query.minScore', 'query.partnershipType[1]']);
  });

  it('400 for malformed JSON and for changing an id', async () => {
    const malformed = await problemOf(await t.call('POST', '/companies', { body: '{"id": ', headers: { 'content-type': 'application/json' } }), 400);
    expect(malformed).toMatchObject({ code: 'BAD_REQUEST', detail: 'the request body is not valid JSON' });
    expect(malformed.errors).toEqual([{ path: 'body', message: 'is not valid JSON' }]);
    const notObject = await problemOf(await t.call('POST', '/companies', { body: '[]', headers: { 'content-type': 'application/json' } }), 400);
    expect(notObject.errors).toEqual([{ path: 'body', message: 'must be an object' }]);
    const problem = await problemOf(await t.call('PUT', '/companies/s-c01', { json: { ...newCompany, id: 'other' } }), 400);
    expect(problem.errors).toEqual([{ path: 'body.id', message: expect.stringContaining('cannot be changed') }]);
  });

  it('404 for an unknown id and an unknown route', async () => {
    expect((await problemOf(await t.call('GET', '/needs/nope'), 404)).code).toBe('NOT_FOUND');
    await problemOf(await t.call('GET', '/needs/nope/matches'), 404);
    await problemOf(await t.call('PUT', '/companies/nope', { json: newCompany }), 404);
    await problemOf(await t.call('GET', '/no-such-route'), 404);
  });

  it('409 for a duplicate id', async () => {
    const problem = await problemOf(await t.call('POST', '/companies', { json: { ...newCompany, id: 's-c01' } }), 409);
    expect(problem.code).toBe('CONFLICT');
  });

  it('415 for a body that is not JSON', async () => {
    const problem = await problemOf(
      await t.call('POST', '/companies', { body: 'id=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } }),
      415,
    );
    expect(problem.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    await problemOf(await t.call('POST', '/import/needs', { body: '<needs/>', headers: { 'content-type': 'application/xml' } }), 415);
  });

  it('answers odd input of every kind with a 4xx problem, never a 500', async () => {
    const json = { 'content-type': 'application/json' };
    const cases: [string, string, { body?: string; headers?: Record<string, string> }][] = [
      ['POST', '/companies', { body: '[]', headers: json }],
      ['POST', '/companies', { body: 'null', headers: json }],
      ['POST', '/companies', { body: '42', headers: json }],
      ['POST', '/companies', { body: '', headers: json }],
      ['POST', '/companies', {}],
      ['PATCH', '/companies/s-c01', { body: '[1,2]', headers: json }],
      ['PATCH', '/companies/s-c01', { body: '{"name":null}', headers: json }],
      ['PUT', '/needs/s-n01', { body: '{"status":"maybe"}', headers: json }],
      ['GET', '/companies?limit=1&limit=2', {}],
      ['GET', '/companies?offset=-1', {}],
      ['GET', '/companies/%2F..%2F', {}],
      ['GET', '/needs/s-n01/matches?minScore=NaN', {}],
      ['POST', '/match', { body: '{"need":[]}', headers: json }],
      ['POST', '/match', { body: '{"need":{},"company":{}}', headers: json }],
      ['POST', '/batch', { body: '{"ids":[]}', headers: json }],
      ['POST', '/batch', { body: '{"direction":"sideways"}', headers: json }],
      ['PUT', '/decisions/s-n01/s-c01', { body: JSON.stringify({ status: 'agreed', note: 'x'.repeat(3000) }), headers: json }],
      ['POST', '/import/companies', { body: '{"id":"x"}', headers: json }],
      ['POST', '/import/companies', { body: '[1, "a", null]', headers: json }],
      ['POST', '/import/companies', { body: 'id,name\nx,y,z\n', headers: { 'content-type': 'text/csv' } }],
      ['POST', '/import/needs', { body: '[1]\n"x"\n', headers: { 'content-type': 'application/x-ndjson' } }],
      ['POST', '/import/needs?mode=merge', { body: '[]', headers: json }],
      ['GET', '/jobs/x/results?format=xml', {}],
    ];
    for (const [method, path, init] of cases) {
      const response = await t.call(method, path, init);
      expect(response.status, `${method} ${path} ${init.body ?? ''}`).toBeGreaterThanOrEqual(400);
      expect(response.status, `${method} ${path} ${init.body ?? ''}`).toBeLessThan(500);
      expect(response.headers.get('content-type')).toBe('application/problem+json');
    }
    expect(t.catalog.records.get('company', 's-c01').name).toBe('Vämö Kraftkabel AB');
    // An empty list parameter means the filter is not given.
    expect(((await (await t.call('GET', '/needs?sector=&partnershipType=')).json()) as { total: number }).total).toBe(24);
  });

  it('413 for a body over the limit, and nothing is written', async () => {
    const small = makeTestApp({ limits: { body: 2048, import: 4096 } });
    try {
      const big = { ...newCompany, description: 'x'.repeat(5000) };
      expect((await problemOf(await small.call('POST', '/companies', { json: big }), 413)).code).toBe('PAYLOAD_TOO_LARGE');
      await problemOf(await small.call('POST', '/import/companies', { json: [big] }), 413);
      expect(small.catalog.records.has('company', 'c-new')).toBe(false);
    } finally {
      small.close();
    }
  });
});

describe('roles', () => {
  it('401 without a key or with an unknown one, with a Bearer challenge', async () => {
    const none = await problemOf(await t.call('GET', '/needs', { as: 'anonymous' }), 401);
    expect(none.code).toBe('UNAUTHORIZED');
    const wrong = await t.app.request('/needs', { headers: { authorization: 'Bearer not-a-key-at-all-xxxx' } });
    await problemOf(wrong, 401);
    expect(wrong.headers.get('www-authenticate')).toContain('Bearer');
  });

  it('accepts X-API-Key as well as Authorization: Bearer', async () => {
    const { READER_KEY } = await import('./test-helpers.js');
    expect((await t.app.request('/needs', { headers: { 'x-api-key': READER_KEY } })).status).toBe(200);
  });

  it('403 when a reader writes or reads decisions', async () => {
    await problemOf(await t.call('POST', '/companies', { as: 'reader', json: newCompany }), 403);
    await problemOf(await t.call('DELETE', '/needs/s-n01', { as: 'reader' }), 403);
    await problemOf(await t.call('POST', '/import/needs', { as: 'reader', json: [] }), 403);
    await problemOf(await t.call('PUT', '/decisions/s-n01/s-c13', { as: 'reader', json: { status: 'agreed' } }), 403);
    await problemOf(await t.call('GET', '/decisions', { as: 'reader' }), 403);
    expect(t.catalog.records.has('company', 'c-new')).toBe(false);
  });

  it('never shows contact details to a reader, in any response', async () => {
    const paths = [
      '/companies?limit=500',
      '/companies/s-c01',
      '/export/companies',
      '/export/companies?format=csv',
      '/needs/s-n01/matches?limit=50',
      '/companies/s-c13/matches',
      '/companies?q=example.se',
      '/companies?q=henrik',
    ];
    const coordinator = await (await t.call('GET', '/export/companies?format=csv')).text();
    expect(coordinator).toContain('henrik.lindqvist@example.se');
    for (const path of paths) {
      const response = await t.call('GET', path, { as: 'reader' });
      expect(response.status, path).toBe(200);
      const text = await response.text();
      for (const email of contactEmails) expect(text, path).not.toContain(email);
      expect(text, path).not.toContain('"contact"');
      expect(text, path).not.toContain('contact.email');
    }
    // A text query never searches contact details, so it cannot probe them.
    expect((await (await t.call('GET', '/companies?q=henrik.lindqvist', { as: 'reader' })).json()) as { total: number }).toMatchObject({ total: 0 });
  });
});

describe('matching', () => {
  it('ranks a Swedish company first for a Chinese need, with an explanation', async () => {
    const response = await t.call('GET', '/needs/s-n01/matches?limit=5', { as: 'reader' });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { need: { id: string }; matches: MatchBody[] };
    expect(body.need.id).toBe('s-n01');
    // s-c13 is the sample's best partner for s-n01 (graded 3); the exact order is the core's business.
    expect(body.matches.map((m) => m.rank)).toEqual([1, 2, 3, 4, 5]);
    const best = body.matches.find((m) => m.company?.id === 's-c13');
    expect(best?.rank).toBeLessThanOrEqual(3);
    expect(best?.explanation?.summary).toMatch(/\S/);
    expect(best?.explanation?.terms.some((term) => term.kind === 'concept')).toBe(true);
  });

  it('names the lexicon’s English word where a term met across languages through it, as the OpenAPI document says', async () => {
    const bridged: { source: string; word: string }[] = [];
    for (const need of ['s-n01', 's-n02', 's-n03', 's-n04', 's-n05']) {
      const body = (await (await t.call('GET', `/needs/${need}/matches?limit=10`, { as: 'reader' })).json()) as { matches: MatchBody[] };
      for (const match of body.matches) for (const term of match.explanation?.terms ?? []) if (term.bridge !== undefined) bridged.push(term.bridge);
    }
    expect(bridged.length).toBeGreaterThan(0);
    for (const bridge of bridged) expect(bridge).toEqual({ source: 'lexicon', word: expect.stringMatching(/^[a-z]/) });
    const doc = JSON.stringify(await (await t.call('GET', '/openapi.json', { as: 'anonymous' })).json());
    expect(doc).toContain('"bridge"');
  });

  it('ranks open needs for a company, honours limit, minScore, partnershipType and explain', async () => {
    const body = (await (await t.call('GET', '/companies/s-c13/matches?limit=3&explain=false')).json()) as { matches: MatchBody[] };
    expect(body.matches.length).toBeLessThanOrEqual(3);
    expect(body.matches.map((m) => m.need?.id)).toContain('s-n01');
    expect(body.matches.every((m) => m.explanation === undefined)).toBe(true);

    const high = (await (await t.call('GET', '/needs/s-n01/matches?limit=50&minScore=0.5')).json()) as { matches: MatchBody[] };
    expect(high.matches.every((m) => m.score >= 0.5)).toBe(true);

    const sourcing = (await (await t.call('GET', '/needs/s-n11/matches?limit=50&partnershipType=sourcing')).json()) as { matches: MatchBody[] };
    expect(sourcing.matches.length).toBeGreaterThan(0);
    for (const match of sourcing.matches) {
      expect(t.catalog.records.get('company', match.company?.id ?? '').partnershipTypes).toContain('sourcing');
    }
  });

  it("shows how the matcher sees a record: language and given or inferred tags", async () => {
    const need = (await (await t.call('GET', '/needs/s-n01/profile', { as: 'reader' })).json()) as { language: string; tags: { tag: string; source: string }[] };
    expect(need).toEqual({ language: 'zh', tags: [{ tag: 'environment.wastewater', source: 'given', confidence: 1 }] });
    const untagged = (await (await t.call('GET', '/companies/s-c05/profile', { as: 'reader' })).json()) as { tags: { source: string }[] };
    expect(untagged.tags.length).toBeGreaterThan(0);
    expect(untagged.tags.every((tag) => tag.source === 'inferred')).toBe(true);
    await problemOf(await t.call('GET', '/needs/nope/profile'), 404);
  });

  it('gives a closed need no matches', async () => {
    const body = (await (await t.call('GET', '/needs/s-n13/matches')).json()) as { matches: MatchBody[] };
    expect(body.matches).toEqual([]);
  });

  it('matches an ad-hoc need without storing it', async () => {
    const response = await t.call('POST', '/match', {
      as: 'reader',
      json: { need: { title: '污水处理厂脱氮除磷', organization: 'Test', description: '城镇污水处理厂需要脱氮除磷技术' }, limit: 3 },
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { matches: MatchBody[] };
    expect(body.matches.map((m) => m.company?.id)).toContain('s-c13');
    expect(t.catalog.records.has('need', 'ad-hoc')).toBe(false);
    await problemOf(await t.call('POST', '/match', { json: { limit: 3 } }), 400);
    const invalid = await problemOf(await t.call('POST', '/match', { json: { company: { name: 'x' } } }), 400);
    expect(invalid.errors?.map((e) => e.path)).toContain('body.company.description');
  });

  it('serves a fresh ranking after an update (no stale cache)', async () => {
    const before = (await (await t.call('GET', '/needs/s-n01/matches?limit=3&explain=false')).json()) as { matches: MatchBody[] };
    expect(before.matches.map((m) => m.company?.id)).toContain('s-c13');
    await t.call('GET', '/needs/s-n01/matches?limit=3&explain=false');
    expect(t.catalog.rankings.cacheStats.hits).toBeGreaterThan(0);

    const replacement = {
      ...t.catalog.records.get('company', 's-c13'),
      description: 'Vi säljer kontorsmöbler och skrivbordsstolar.',
      offerings: ['Kontorsstolar'],
      sectors: ['services'],
    };
    expect((await t.call('PUT', '/companies/s-c13', { json: replacement })).status).toBe(200);
    const after = (await (await t.call('GET', '/needs/s-n01/matches?limit=3&explain=false')).json()) as { matches: MatchBody[] };
    expect(after.matches.map((m) => m.company?.id)).not.toContain('s-c13');
  });

  it('leaves declined pairs out of later rankings unless includeDeclined=true', async () => {
    const put = await t.call('PUT', '/decisions/s-n01/s-c13', { json: { status: 'declined', note: 'not now' } });
    expect(put.status).toBe(201);
    expect(await put.json()).toMatchObject({ needId: 's-n01', companyId: 's-c13', status: 'declined', note: 'not now' });

    const ids = async (path: string) =>
      ((await (await t.call('GET', path)).json()) as { matches: MatchBody[] }).matches.map((m) => m.company?.id ?? m.need?.id);
    expect(await ids('/needs/s-n01/matches?limit=10')).not.toContain('s-c13');
    expect(await ids('/companies/s-c13/matches?limit=10')).not.toContain('s-n01');
    expect(await ids('/needs/s-n01/matches?limit=10&includeDeclined=true')).toContain('s-c13');

    const withDecision = (await (await t.call('GET', '/needs/s-n01/matches?includeDeclined=true')).json()) as { matches: MatchBody[] };
    expect(withDecision.matches.find((m) => m.company?.id === 's-c13')?.decision).toBe('declined');

    expect((await t.call('PUT', '/decisions/s-n01/s-c13', { json: { status: 'agreed' } })).status).toBe(200);
    expect(await ids('/needs/s-n01/matches?limit=10')).toContain('s-c13');
    const list = (await (await t.call('GET', '/decisions?needId=s-n01')).json()) as { items: { status: string }[] };
    expect(list.items).toEqual([expect.objectContaining({ status: 'agreed' })]);
    expect((await t.call('DELETE', '/decisions/s-n01/s-c13')).status).toBe(204);
    await problemOf(await t.call('GET', '/decisions/s-n01/s-c13'), 404);
    await problemOf(await t.call('PUT', '/decisions/s-n01/nope', { json: { status: 'agreed' } }), 404);
    await problemOf(await t.call('PUT', '/decisions/s-n01/s-c13', { json: { status: 'maybe' } }), 400);
  });
});

describe('batch jobs', () => {
  it('runs a batch as a job with progress and JSON or CSV results', async () => {
    const started = await t.call('POST', '/batch', { as: 'reader', json: { ids: ['s-n01', 's-n02'], limit: 2 } });
    expect(started.status).toBe(202);
    const job = (await started.json()) as { id: string; total: number; status: string };
    expect(started.headers.get('location')).toBe(`/jobs/${job.id}`);
    expect(job.total).toBe(2);

    await t.jobs.settled(job.id);
    const status = (await (await t.call('GET', `/jobs/${job.id}`, { as: 'reader' })).json()) as { status: string; done: number };
    expect(status).toMatchObject({ status: 'succeeded', done: 2 });

    const json = (await (await t.call('GET', `/jobs/${job.id}/results`, { as: 'reader' })).json()) as {
      results: { needId: string; matches: MatchBody[] }[];
    };
    expect(json.results.map((r) => r.needId)).toEqual(['s-n01', 's-n02']);
    expect(json.results[0]?.matches.map((m) => m.company?.id)).toContain('s-c13');

    const csv = await (await t.call('GET', `/jobs/${job.id}/results?format=csv`, { as: 'reader' })).text();
    const lines = csv.trim().split('\n');
    expect(lines[0]).toBe('needId,needTitle,rank,companyId,companyName,municipality,score,tags,text,cooperation,why,asOf');
    expect(lines[1]).toMatch(/^s-n01,[^,]+,1,s-c\d+,/);
    expect(lines).toHaveLength(5);
  });

  it('judges deadlines as of the day the batch names, so a run can be repeated', async () => {
    const run = async (body: Record<string, unknown>) => {
      const job = (await (await t.call('POST', '/batch', { json: { ids: ['s-n01', 's-n02'], limit: 3, ...body } })).json()) as { id: string };
      await t.jobs.settled(job.id);
      const json = (await (await t.call('GET', `/jobs/${job.id}/results`)).json()) as { results: { needId: string; matches: MatchBody[] }[] };
      return Object.fromEntries(json.results.map((r) => [r.needId, r.matches.length]));
    };
    // s-n02's deadline is 2027-03-31: expired on 2027-05-01 unless includeExpired.
    expect(await run({ asOf: '2027-05-01' })).toEqual({ 's-n01': 3, 's-n02': 0 });
    expect(await run({ asOf: '2027-05-01', includeExpired: true })).toEqual({ 's-n01': 3, 's-n02': 3 });
    expect(await run({ asOf: '2027-01-01' })).toEqual({ 's-n01': 3, 's-n02': 3 });
    const bad = await t.call('POST', '/batch', { json: { asOf: '2027-02-30' } });
    expect(bad.status).toBe(400);
  });

  it('defaults to every open need', async () => {
    const job = (await (await t.call('POST', '/batch', { json: {} })).json()) as { id: string; total: number };
    expect(job.total).toBe(22);
    await t.jobs.settled(job.id);
    const json = (await (await t.call('GET', `/jobs/${job.id}/results`)).json()) as { results: { needId: string }[] };
    expect(json.results.map((r) => r.needId)).not.toContain('s-n13');
  });

  it("stores results without decisions and shows each caller what its role may see, whoever started the job", async () => {
    expect((await t.call('PUT', '/decisions/s-n01/s-c13', { json: { status: 'agreed', note: 'signed in March' } })).status).toBe(201);
    const started = (await (await t.call('POST', '/batch', { json: { ids: ['s-n01'], limit: 5 } })).json()) as { id: string };
    await t.jobs.settled(started.id);

    const asReader = await t.call('GET', `/jobs/${started.id}/results`, { as: 'reader' });
    const readerText = await asReader.text();
    expect(readerText).toContain('s-c13');
    expect(readerText).not.toContain('"decision"');
    expect(readerText).not.toContain('agreed');
    for (const email of contactEmails) expect(readerText).not.toContain(email);

    const asCoordinator = (await (await t.call('GET', `/jobs/${started.id}/results`)).json()) as { results: { matches: MatchBody[] }[] };
    expect(asCoordinator.results[0]?.matches.find((m) => m.company?.id === 's-c13')?.decision).toBe('agreed');

    // A job a reader started shows a coordinator the decisions too: the role is the reader's of the results.
    const byReader = (await (await t.call('POST', '/batch', { as: 'reader', json: { ids: ['s-n01'], limit: 5 } })).json()) as { id: string };
    await t.jobs.settled(byReader.id);
    const seen = (await (await t.call('GET', `/jobs/${byReader.id}/results`)).json()) as { results: { matches: MatchBody[] }[] };
    expect(seen.results[0]?.matches.find((m) => m.company?.id === 's-c13')?.decision).toBe('agreed');
  });

  it('answers 429 problem details with Retry-After beyond the jobs a key may have waiting, and takes other keys', async () => {
    const whole = { direction: 'needs', limit: 100, explain: true }; // every company: many event-loop turns
    const first = (await (await t.call('POST', '/batch', { as: 'reader', json: whole })).json()) as { id: string };
    const second = (await (await t.call('POST', '/batch', { as: 'reader', json: whole })).json()) as { id: string };
    const refused = await t.call('POST', '/batch', { as: 'reader', json: whole });
    const problem = await problemOf(refused, 429);
    expect(problem).toMatchObject({ code: 'TOO_MANY_REQUESTS', title: 'Too Many Requests' });
    expect(problem.detail).toContain('this key has 2 batch jobs queued or running');
    expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
    const other = await t.call('POST', '/batch', { as: 'coordinator', json: { ids: ['s-n01'] } });
    expect(other.status).toBe(202);
    const third = (await other.json()) as { id: string };
    for (const id of [first.id, second.id, third.id]) await t.jobs.settled(id);
    expect((await t.call('POST', '/batch', { as: 'reader', json: { ids: ['s-n01'] } })).status).toBe(202);
  });

  it('answers 429 when the service has as many jobs waiting as it takes, whoever asks', async () => {
    const small = makeTestApp({ jobs: { maxPending: 1 } });
    try {
      const first = (await (await small.call('POST', '/batch', { json: { direction: 'needs', limit: 100 } })).json()) as { id: string };
      const refused = await small.call('POST', '/batch', { as: 'reader', json: { ids: ['s-n01'] } });
      expect((await problemOf(refused, 429)).detail).toContain('1 batch jobs are queued or running');
      await small.jobs.settled(first.id);
    } finally {
      small.close();
    }
  });

  it('rejects unknown ids and unknown jobs', async () => {
    const problem = await problemOf(await t.call('POST', '/batch', { json: { ids: ['s-n01', 'nope'] } }), 400);
    expect(problem.errors).toEqual([{ path: 'body.ids[1]', message: 'no need with id "nope"' }]);
    await problemOf(await t.call('GET', '/jobs/00000000-0000-0000-0000-000000000000'), 404);
  });
});

describe('import and export', () => {
  const csv = [
    'id,name,municipality,description,sectors,partnershipTypes,contact.email',
    'imp-1,Import Ett AB,Ronneby,Solpaneler och batterilager,energy.solar;energy.storage,export;training,ett@example.se',
    'imp-2,Import Två AB,Olofström,Pressverktyg för bilindustrin,manufacturing.automotive,export,',
  ].join('\n');

  it('imports CSV with ;-separated lists', async () => {
    const response = await t.call('POST', '/import/companies', { body: csv, headers: { 'content-type': 'text/csv' } });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ created: 2, updated: 0 });
    expect(t.catalog.records.get('company', 'imp-1')).toMatchObject({
      sectors: ['energy.solar', 'energy.storage'],
      partnershipTypes: ['export', 'training'],
      contact: { email: 'ett@example.se' },
    });
  });

  it('imports NDJSON, and upserts when asked', async () => {
    const ndjson = `${JSON.stringify({ id: 'n-a', title: 'A', organization: 'O', description: 'D' })}\n\n${JSON.stringify({ ...t.catalog.records.get('need', 's-n01'), title: 'Changed' })}\n`;
    const conflict = await problemOf(
      await t.call('POST', '/import/needs', { body: ndjson, headers: { 'content-type': 'application/x-ndjson' } }),
      409,
    );
    expect(conflict.errors).toEqual([{ path: 'records[1].id', message: 'a need with id "s-n01" already exists' }]);
    expect(t.catalog.records.has('need', 'n-a')).toBe(false);

    const upsert = await t.call('POST', '/import/needs?mode=upsert', { body: ndjson, headers: { 'content-type': 'application/x-ndjson' } });
    expect(await upsert.json()).toEqual({ created: 1, updated: 1 });
    expect(t.catalog.records.get('need', 's-n01').title).toBe('Changed');
  });

  it('imports all rows or none, reporting every row', async () => {
    const rows = [
      { id: 'ok-1', name: 'Fine AB', description: 'Fine' },
      { id: 'bad-1', name: 'Bad AB', description: 'Bad', sectors: ['energy.nuclear'] },
      { id: 'ok-1', name: 'Dup AB', description: 'Dup' },
      { name: 'No id', description: 'x', employees: -1 },
    ];
    const before = t.catalog.generation;
    const problem = await problemOf(await t.call('POST', '/import/companies', { json: rows }), 400);
    expect(problem.errors?.map((e) => e.path)).toEqual(['records[1].sectors[0]', 'records[2].id', 'records[3].id', 'records[3].employees']);
    expect(t.catalog.records.has('company', 'ok-1')).toBe(false);
    expect(t.store.count('company')).toBe(48);
    expect(t.catalog.generation).toBe(before);

    const badNdjson = await problemOf(
      await t.call('POST', '/import/companies', { body: '{"id":"x"\n{oops}\n', headers: { 'content-type': 'application/x-ndjson' } }),
      400,
    );
    expect(badNdjson.errors?.map((e) => e.path)).toEqual(['records[0]', 'records[1]']);
  });

  it('rejects an import CSV with an unknown or a repeated column, naming it', async () => {
    const body = 'id,name,description,e-mail,name\nx,X AB,D,x@example.se,Y\n';
    const problem = await problemOf(await t.call('POST', '/import/companies', { body, headers: { 'content-type': 'text/csv' } }), 400);
    expect(problem.errors).toEqual([
      { path: 'header[3]', message: expect.stringContaining('unknown column "e-mail"'), code: 'unknown_column' },
      { path: 'header[4]', message: 'duplicate column "name" (first at header[1])', code: 'duplicate_column' },
    ]);
    expect(t.catalog.records.has('company', 'x')).toBe(false);
  });

  it('escapes spreadsheet formulas in every CSV download', async () => {
    const formula = '=HYPERLINK("https://evil.example","x")';
    const evil = { ...t.catalog.records.get('company', 's-c13'), id: 'evil', name: formula, contact: { name: '@Eva', phone: '+46 455 1' } };
    expect((await t.call('POST', '/companies', { json: evil })).status).toBe(201);
    const job = (await (await t.call('POST', '/batch', { json: { ids: ['s-n01'], limit: 3 } })).json()) as { id: string };
    await t.jobs.settled(job.id);
    const downloads = {
      export: await (await t.call('GET', '/export/companies?format=csv')).text(),
      readerExport: await (await t.call('GET', '/export/companies?format=csv', { as: 'reader' })).text(),
      batch: await (await t.call('GET', `/jobs/${job.id}/results?format=csv`)).text(),
    };
    for (const [name, csv] of Object.entries(downloads)) {
      expect(csv, name).toContain(`"'=HYPERLINK(""https://evil.example"",""x"")"`);
      expect(csv, name).not.toMatch(/(^|,)"?[=@+]/m);
    }
    expect(downloads.export).toContain(",'@Eva,");
    expect(downloads.export).toContain(",'+46 455 1");
  });

  it('marks keyed answers that may carry personal data or decisions no-store', async () => {
    const job = (await (await t.call('POST', '/batch', { json: { ids: ['s-n01'] } })).json()) as { id: string };
    await t.jobs.settled(job.id);
    const answers = [
      await t.call('GET', '/export/companies?format=csv'),
      await t.call('GET', '/export/companies'),
      await t.call('GET', '/companies/s-c13'),
      await t.call('GET', '/needs/s-n01/matches'),
      await t.call('GET', '/companies/s-c13/matches', { as: 'reader' }),
      await t.call('POST', '/match', { json: { need: { title: 'x', organization: 'o', description: '污水处理' } } }),
      await t.call('GET', `/jobs/${job.id}/results`),
      await t.call('GET', `/jobs/${job.id}/results?format=csv`),
      await t.call('GET', '/decisions'),
    ];
    for (const answer of answers) expect(answer.headers.get('cache-control'), answer.url).toBe('no-store');
  });

  it('exports JSON in the input format and CSV with the import columns', async () => {
    const json = (await (await t.call('GET', '/export/needs')).json()) as { id: string }[];
    expect(json).toHaveLength(24);
    const csvResponse = await t.call('GET', '/export/needs', { headers: { accept: 'text/csv' } });
    expect(csvResponse.headers.get('content-type')).toContain('text/csv');
    expect(csvResponse.headers.get('content-disposition')).toContain('needs.csv');
    const text = await csvResponse.text();
    expect(text.split('\n')[0]).toBe('id,title,organization,city,description,sectors,partnershipTypes,status,deadline');

    // What a coordinator exports imports again unchanged.
    const exported = await (await t.call('GET', '/export/companies?format=csv')).text();
    const fresh = makeTestApp({ seed: false });
    try {
      const response = await fresh.call('POST', '/import/companies', { body: exported, headers: { 'content-type': 'text/csv' } });
      expect(await response.json()).toEqual({ created: 48, updated: 0 });
      expect(fresh.catalog.records.get('company', 's-c01')).toEqual(t.catalog.records.get('company', 's-c01'));
    } finally {
      fresh.close();
    }
  });
});

describe('service endpoints', () => {
  it('serves health, taxonomy and docs without a key', async () => {
    const health = (await (await t.call('GET', '/health', { as: 'anonymous' })).json()) as Record<string, unknown>;
    expect(health).toMatchObject({ status: 'ok', companies: 48, needs: 24 });
    const taxonomy = (await (await t.call('GET', '/taxonomy', { as: 'anonymous' })).json()) as {
      tags: { id: string; labels: { sv: string; en: string; zh: string } }[];
    };
    expect(taxonomy.tags.find((tag) => tag.id === 'environment.wastewater')?.labels.zh).toMatch(/\S/);
    const docs = await t.call('GET', '/docs', { as: 'anonymous' });
    expect(await docs.text()).toContain('/docs/assets/swagger-ui-bundle.js');
    expect((await t.call('GET', '/docs/assets/swagger-ui-bundle.js', { as: 'anonymous' })).status).toBe(200);
    await problemOf(await t.call('GET', '/docs/assets/..%2Fpackage.json', { as: 'anonymous' }), 404);
  });

  it('publishes an OpenAPI 3.1 document generated from the route schemas', async () => {
    const doc = (await (await t.call('GET', '/openapi.json', { as: 'anonymous' })).json()) as {
      openapi: string;
      paths: Record<string, Record<string, unknown>>;
      components: { schemas: Record<string, unknown>; securitySchemes: Record<string, unknown> };
    };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/companies', '/companies/{id}', '/needs/{id}/matches', '/match', '/batch', '/jobs/{id}', '/import/companies', '/decisions/{needId}/{companyId}']),
    );
    expect(doc.components.schemas).toHaveProperty('Company');
    expect(doc.components.schemas).toHaveProperty('Problem');
    expect(doc.components.securitySchemes).toHaveProperty('bearerAuth');
    const tooMany = (doc.paths['/batch']?.['post'] as { responses: Record<string, { description: string; headers?: Record<string, unknown> }> }).responses['429'];
    expect(tooMany?.description).toContain('Retry-After');
    expect(tooMany?.headers).toHaveProperty('Retry-After');
  });

  it('names every operation, and its security requirement says whether a key is needed', async () => {
    const doc = (await (await t.call('GET', '/openapi.json', { as: 'anonymous' })).json()) as {
      servers?: { url: string }[];
      paths: Record<string, Record<string, { operationId?: string; security?: unknown[] }>>;
    };
    expect(doc.servers).toEqual([expect.objectContaining({ url: '/' })]);
    const operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, operation]) => ({ path, method: method.toUpperCase(), operation })),
    );
    expect(operations.length).toBeGreaterThan(30);
    const ids = operations.map(({ operation }) => operation.operationId);
    expect(ids.every((id) => typeof id === 'string' && /^[a-z][A-Za-z]+$/.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    for (const { path, method, operation } of operations) {
      const url = path.replace(/\{[^}]+\}/g, 's-n01');
      const status = (await t.call(method as 'GET', url, { as: 'anonymous' })).status;
      // Public routes (`security: []`) answer without a key; every other one asks for it.
      expect([path, method, operation.security?.length === 0 ? status !== 401 : status === 401]).toEqual([path, method, true]);
    }
  });

  it('exposes Prometheus metrics: requests, latency, index size and cache hit rate', async () => {
    await t.call('GET', '/needs/s-n01/matches');
    await t.call('GET', '/needs/s-n01/matches');
    await t.call('GET', '/needs', { as: 'anonymous' });
    const response = await t.call('GET', '/metrics', { as: 'anonymous' });
    expect(response.headers.get('content-type')).toContain('text/plain');
    const text = await response.text();
    expect(text).toContain('partnermatch_http_requests_total{method="GET",route="/needs/:id/matches",status="200"} 2');
    expect(text).toContain('partnermatch_http_requests_total{method="GET",route="/needs",status="401"} 1');
    expect(text).toContain('partnermatch_http_request_duration_seconds_count{method="GET",route="/needs/:id/matches"} 2');
    expect(text).toContain('partnermatch_index_records{kind="company"} 48');
    expect(text).toContain('partnermatch_cache_hit_ratio 0.5');
  });

  it('counts only the writes applied in the index generation', async () => {
    const before = t.catalog.generation;
    expect((await t.call('PUT', '/decisions/s-n01/s-c13', { json: { status: 'contacted' } })).status).toBe(201);
    await problemOf(await t.call('PUT', '/decisions/s-n01/nope', { json: { status: 'agreed' } }), 404);
    await problemOf(await t.call('POST', '/companies', { json: { ...newCompany, id: 's-c01' } }), 409);
    const metrics = await (await t.call('GET', '/metrics', { as: 'anonymous' })).text();
    expect(metrics).toContain(`partnermatch_index_generation ${before + 1}\n`);
  });
});
