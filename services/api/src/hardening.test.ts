import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PartnermatchError } from '@partnermatch/core';
import { applyMergePatch } from './domain/records.js';
import { makeTestApp, sampleCompanies, type TestApp } from './test-helpers.js';

/** Issue 14's findings, checked through `app.request` over a real SQLite file. */

interface ProblemBody {
  status: number;
  code: string;
  detail: string;
  errors?: { path: string; message: string }[];
}

async function problemOf(response: Response, status: number): Promise<ProblemBody> {
  const text = await response.text();
  expect(response.status, text.slice(0, 300)).toBe(status);
  expect(response.headers.get('content-type')).toBe('application/problem+json');
  return JSON.parse(text) as ProblemBody;
}

/** `{"a":{"a":…}}` nested `depth` levels, built as text (building it as a value would recurse). */
function deepObject(depth: number): string {
  return `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
}

function deepArray(depth: number): string {
  return `${'['.repeat(depth)}${']'.repeat(depth)}`;
}

const company = (id: string) => ({ ...sampleCompanies[0]!, id });

let t: TestApp;
beforeEach(() => {
  t = makeTestApp();
});
afterEach(() => t.close());

describe('F4: names from the URL never find inherited members', () => {
  for (const path of [
    '/docs/assets/constructor',
    '/docs/assets/__proto__',
    '/docs/assets/toString',
    '/docs/assets/hasOwnProperty',
    '/ui/static/__proto__',
    '/ui/static/constructor',
    '/ui/static/toString',
  ]) {
    it(`GET ${path} is a 404`, async () => {
      const response = await t.app.request(path);
      expect(response.status).toBe(404);
      expect(t.internalErrors).toEqual([]);
    });
  }

  it('a form field named __proto__ is only a field', async () => {
    const response = await t.app.request('/ui/sign-in', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://localhost' },
      body: '__proto__=x&__proto__=y&constructor=z&key=k',
    });
    expect(response.status).toBeLessThan(500);
    expect(t.internalErrors).toEqual([]);
  });
});

describe('F3: JSON bodies nested too deeply are refused before they are walked', () => {
  it('a merge patch nested 10,000 levels deep is a 400 naming the body', async () => {
    const problem = await problemOf(
      await t.call('PATCH', '/companies/s-c02', { body: `{"description":${deepObject(10_000)}}`, headers: { 'content-type': 'application/merge-patch+json' } }),
      400,
    );
    expect(problem.errors?.[0]?.path).toBe('body');
    expect(problem.errors?.[0]?.message).toMatch(/nested more than \d+ levels/);
    expect(t.internalErrors).toEqual([]);
  });

  it('deep arrays in a create and an ad-hoc match are 400s too', async () => {
    await problemOf(await t.call('POST', '/companies', { body: `{"id":"x","offerings":${deepArray(5000)}}`, headers: { 'content-type': 'application/json' } }), 400);
    await problemOf(await t.call('POST', '/match', { as: 'reader', body: `{"need":${deepObject(3000)}}`, headers: { 'content-type': 'application/json' } }), 400);
  });

  it('the merge patch itself refuses to recurse without bound', () => {
    let patch: Record<string, unknown> = { a: 1 };
    for (let i = 0; i < 10_000; i += 1) patch = { a: patch };
    expect(() => applyMergePatch({}, patch)).toThrow(PartnermatchError);
    expect(applyMergePatch({ a: { b: 1, c: 2 } }, { a: { b: null, d: 3 } })).toEqual({ a: { c: 2, d: 3 } });
    expect(Object.getPrototypeOf(applyMergePatch({}, JSON.parse('{"__proto__":{"x":1}}')))).toBe(Object.prototype);
  });

  it('a body nested as deep as a record can be still goes through', async () => {
    const response = await t.call('PATCH', '/companies/s-c02', {
      body: JSON.stringify({ contact: { name: 'Ny Person' }, description: 'Vi bygger avloppsreningsverk i [hakparenteser] och {klamrar}.' }),
      headers: { 'content-type': 'application/merge-patch+json' },
    });
    expect(response.status).toBe(200);
  });
});

describe('F7: conflicts name the field', () => {
  it('a duplicate id on create is a 409 with errors[].path body.id', async () => {
    const problem = await problemOf(await t.call('POST', '/companies', { json: company('s-c01') }), 409);
    expect(problem.errors).toEqual([{ path: 'body.id', message: expect.stringContaining('s-c01') }]);
  });
});

describe('F9: decision data only for coordinators', () => {
  async function matchIds(as: 'reader' | 'coordinator', query: string): Promise<string[]> {
    const response = await t.call('GET', `/needs/s-n01/matches?limit=100&explain=false${query}`, { as });
    expect(response.status).toBe(200);
    return ((await response.json()) as { matches: { company: { id: string } }[] }).matches.map((m) => m.company.id);
  }

  it('includeDeclined=true is ignored for a reader, honoured for a coordinator', async () => {
    const before = await matchIds('coordinator', '');
    const declined = before[0]!;
    expect((await t.call('PUT', `/decisions/s-n01/${declined}`, { json: { status: 'declined' } })).status).toBe(201);
    expect(await matchIds('reader', '')).not.toContain(declined);
    expect(await matchIds('reader', '&includeDeclined=true')).toEqual(await matchIds('reader', ''));
    expect(await matchIds('coordinator', '&includeDeclined=true')).toContain(declined);
  });

  it("a coordinator's batch with includeDeclined shows a reader no declined pair, ranks renumbered", async () => {
    const first = (await matchIds('coordinator', ''))[0]!;
    expect((await t.call('PUT', `/decisions/s-n01/${first}`, { json: { status: 'declined' } })).status).toBe(201);
    const started = await t.call('POST', '/batch', { json: { direction: 'companies', ids: ['s-n01'], limit: 5, includeDeclined: true } });
    expect(started.status).toBe(202);
    const location = started.headers.get('location')!;
    for (let i = 0; i < 100 && ((await (await t.call('GET', location)).json()) as { status: string }).status !== 'succeeded'; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    type Results = { results: { matches: { rank: number; company: { id: string }; decision?: string }[] }[] };
    const asCoordinator = (await (await t.call('GET', `${location}/results`)).json()) as Results;
    expect(asCoordinator.results[0]!.matches.map((m) => m.company.id)).toContain(first);
    const asReader = (await (await t.call('GET', `${location}/results`, { as: 'reader' })).json()) as Results;
    const matches = asReader.results[0]!.matches;
    expect(matches.map((m) => m.company.id)).not.toContain(first);
    expect(matches.map((m) => m.rank)).toEqual(matches.map((_, i) => i + 1));
    expect(matches.some((m) => m.decision !== undefined)).toBe(false);
  });
});

describe('F2: hostile imports are answered quickly, with a bounded list of problems, without stalling other requests', () => {
  const hostile: [string, string, () => string][] = [
    ['NDJSON of 2M lines of "{"', 'application/x-ndjson', () => '{\n'.repeat(2_000_000)],
    ['a JSON array of 2M numbers', 'application/json', () => `[${'1,'.repeat(2_000_000)}1]`],
    ['CSV of 300k bad rows', 'text/csv', () => `id,name,employees\n${'x,,many\n'.repeat(300_000)}`],
  ];
  for (const [what, contentType, body] of hostile) {
    it(`${what}: a 400 of at most ~100 problems, and /health answers meanwhile`, async () => {
      const importing = t.call('POST', '/import/companies', { body: body(), headers: { 'content-type': contentType } });
      // While the import runs the event loop keeps turning (timers fire): the import yields.
      // (How long each turn may take is a speed target, shown by the soak and hostile-import
      // scripts, not asserted here.)
      let ticks = 0;
      const ticker = setInterval(() => (ticks += 1), 1);
      const response = await importing;
      clearInterval(ticker);
      const text = await response.text();
      expect(response.status, text.slice(0, 300)).toBe(400);
      expect(text.length).toBeLessThan(64 * 1024);
      const problem = JSON.parse(text) as ProblemBody;
      expect(problem.errors!.length).toBeLessThanOrEqual(120);
      expect(problem.errors!.at(-1)!.message).toMatch(/more (problem|record)/);
      // More than one turn: the reader yielded mid-import (a fast machine answers the CSV case in ~150 ms).
      expect(ticks).toBeGreaterThanOrEqual(2);
      expect(t.catalog.records.count('company')).toBe(sampleCompanies.length);
    }, 60_000);
  }

  it('a JSON import parsed in turns reads exactly what JSON.parse reads', async () => {
    const { parseJsonArrayInTurns } = await import('./json-import.js');
    const values = [{ a: '[,]{"x"}\\"', b: [1, { c: [] }] }, {}, { d: 'e,f' }];
    expect(await parseJsonArrayInTurns(` \uFEFF${JSON.stringify(values)} `.trim())).toEqual({ records: values, issues: [] });
    expect((await parseJsonArrayInTurns('[{}, 3, "x"]')).issues.map((i) => i.message)).toEqual(['must be an object (a record)', 'must be an object (a record)']);
    expect(await parseJsonArrayInTurns('[]')).toEqual({ records: [], issues: [] });
    expect((await parseJsonArrayInTurns('[{},,{}]')).issues).toEqual([{ path: 'records[1]', message: 'is missing (not valid JSON)' }]);
    expect((await parseJsonArrayInTurns('{"a":1}')).issues[0]?.message).toMatch(/JSON array/);
    expect((await parseJsonArrayInTurns('[1,2')).issues[0]?.path).toBe('body');
    expect((await parseJsonArrayInTurns(`[${deepArray(40)}]`)).issues[0]?.message).toMatch(/nested/);
  });

  it('a create-mode re-import of every stored record names at most ~100 conflicts', async () => {
    const many = Array.from({ length: 300 }, (_, i) => company(`bulk-${i}`));
    expect((await t.call('POST', '/import/companies', { json: many })).status).toBe(200);
    const problem = await problemOf(await t.call('POST', '/import/companies', { json: many }), 409);
    expect(problem.errors!.length).toBeLessThanOrEqual(101);
  });
});

describe('F1: records stored with an id no URL can hold', () => {
  const bad = ['x\ud800', '.', '..', 'a\u0001b'];

  /** An app over a database that already holds records with such ids (written before the id rule). */
  function withStoredBadIds(): TestApp {
    const first = makeTestApp();
    const path = first.store.path;
    for (const id of bad) first.store.insert('company', company(id));
    first.store.putDecision({ needId: 's-n01', companyId: 'x\ud800', status: 'declined', updatedAt: new Date().toISOString() });
    first.store.close();
    return reopen(first, path);
  }

  function reopen(old: TestApp, path: string): TestApp {
    const next = makeTestApp({ seed: false, storePath: path });
    const close = next.close;
    return { ...next, close: () => (close(), old.close()) };
  }

  it('are left out of lists, rankings and pages, listed for coordinators, and can be renamed (decisions move) or deleted', async () => {
    t.close();
    t = withStoredBadIds();
    expect(t.catalog.records.unusable().map((u) => u.id).sort()).toEqual([...bad].sort());
    const list = (await (await t.call('GET', '/companies?limit=500')).json()) as { items: { id: string }[] };
    expect(list.items.some((c) => bad.includes(c.id))).toBe(false);
    for (const path of ['/needs/s-n01/matches', '/companies', '/ui/companies', '/ui/needs/s-n01']) {
      expect((await t.call('GET', path)).status, path).toBeLessThan(500);
    }
    const listed = (await (await t.call('GET', '/maintenance/unusable-ids')).json()) as { items: { kind: string; id: string; problem: string }[] };
    expect(listed.items).toContainEqual({ kind: 'company', id: 'x\ud800', problem: expect.stringContaining('surrogate') });
    expect((await t.call('GET', '/maintenance/unusable-ids', { as: 'reader' })).status).toBe(403);

    const refused = await problemOf(await t.call('POST', '/maintenance/rename', { json: { kind: 'company', from: 'x\ud800', to: '..' } }), 400);
    expect(refused.errors?.[0]?.path).toBe('body.id');
    await problemOf(await t.call('POST', '/maintenance/rename', { json: { kind: 'company', from: 'x\ud800', to: 's-c01' } }), 409);
    const renamed = await t.call('POST', '/maintenance/rename', { json: { kind: 'company', from: 'x\ud800', to: 'x-renamed' } });
    expect(renamed.status).toBe(200);
    expect((await t.call('GET', '/companies/x-renamed')).status).toBe(200);
    expect(((await (await t.call('GET', '/decisions/s-n01/x-renamed')).json()) as { status: string }).status).toBe('declined');

    expect((await t.call('POST', '/maintenance/delete', { json: { kind: 'company', id: '..' } })).status).toBe(204);
    await problemOf(await t.call('POST', '/maintenance/delete', { json: { kind: 'company', id: '..' } }), 404);
    expect(t.catalog.records.unusable().map((u) => u.id).sort()).toEqual(['.', 'a\u0001b']);
    expect(t.store.all('company').some((c) => c.id === '..' || c.id === 'x\ud800')).toBe(false);
    expect(t.internalErrors).toEqual([]);
  });

  it('new ones are refused on create and in every import format', async () => {
    for (const id of bad) {
      await problemOf(await t.call('POST', '/companies', { json: company(id) }), 400);
      await problemOf(await t.call('POST', '/import/companies?mode=upsert', { json: [company(id)] }), 400);
      await problemOf(await t.call('POST', '/import/companies?mode=upsert', { body: `${JSON.stringify(company(id))}\n`, headers: { 'content-type': 'application/x-ndjson' } }), 400);
    }
  });

  it('links never throw on an id with a lone surrogate', async () => {
    const { encodePathSegment } = await import('./url.js');
    expect(encodePathSegment('x\ud800')).toBe('x%EF%BF%BD');
    expect(encodePathSegment('a b/é')).toBe('a%20b%2F%C3%A9');
  });
});
