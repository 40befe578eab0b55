import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Agent } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deepJson } from './arbitraries.js';
import { check, formatSummary, runFuzz } from './engine.js';
import { encodePathSegment, send, type RawRequest, type RawResponse } from './harness/http.js';
import { COORDINATOR_KEY, READER_KEY, startService, type Service } from './harness/service.js';
import { signIn } from './harness/web.js';

/**
 * Issue 14's checks against the real service process (127.0.0.1, ephemeral port): a short
 * seeded fuzz run, and one case per finding the service still fails, each an `it.fails`
 * naming the finding. Whoever fixes a finding flips its case to `it(...)` and deletes the
 * finding from findings.ts.
 */

const SHORT_RUN = { seed: 1414, count: Number(process.env['FUZZ_SHORT_COUNT'] ?? 300) };
const requestId = process.env['FUZZ_REQUEST_ID'] !== '0' ? { field: process.env['FUZZ_REQUEST_ID_FIELD'] ?? 'requestId' } : undefined;

const asCoordinator = { authorization: `Bearer ${COORDINATOR_KEY}` };
const asReader = { authorization: `Bearer ${READER_KEY}` };

function json(service: Service, method: string, path: string, body: unknown, headers: Record<string, string> = asCoordinator): Promise<RawResponse> {
  return send(service, { method, path, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
}

function expectProblem(answer: RawResponse, status?: number): Record<string, unknown> {
  if (status !== undefined) expect(answer.status, answer.text().slice(0, 300)).toBe(status);
  expect(answer.status).toBeLessThan(500);
  expect(answer.contentType().split(';')[0]).toBe('application/problem+json');
  return JSON.parse(answer.text()) as Record<string, unknown>;
}

const company = (id: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  id,
  name: 'Fuzz Avlopp AB',
  municipality: 'Karlskrona',
  description: 'Vi bygger avloppsreningsverk och levererar MBBR för kväverening.',
  sectors: ['environment.wastewater'],
  partnershipTypes: ['export'],
  ...extra,
});

describe('issue 14 against the running service', () => {
  let dataDir: string;
  let service: Service;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'partnermatch-fuzz-test-'));
    service = await startService({ dataDir });
  });

  afterAll(async () => {
    await service?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('F3: a merge patch nested 10,000 levels deep is a 400, not a 500', async () => {
    const answer = await send(service, {
      method: 'PATCH',
      path: '/companies/s-c02',
      headers: { ...asCoordinator, 'content-type': 'application/merge-patch+json' },
      body: `{"description":${deepJson(10_000, 'object')}}`,
    });
    expectProblem(answer, 400);
  });

  for (const path of ['/docs/assets/constructor', '/docs/assets/__proto__', '/docs/assets/toString', '/ui/static/__proto__', '/ui/static/constructor', '/ui/static/hasOwnProperty']) {
    it(`F4: GET ${path} without a key is a 404, not a 500`, async () => {
      const answer = await send(service, { method: 'GET', path });
      expect(answer.status, answer.text().slice(0, 200)).toBe(404);
    });
  }

  it("F6: a CSV export imports again unchanged, a leading ' that was data included", async () => {
    expect((await json(service, 'POST', '/companies', company('f6-c1', { name: "'=SUM(1)" }))).status).toBe(201);
    const csv = await send(service, { method: 'GET', path: '/export/companies?format=csv', headers: asCoordinator });
    expect(csv.status).toBe(200);
    const imported = await send(service, { method: 'POST', path: '/import/companies?mode=upsert', headers: { ...asCoordinator, 'content-type': 'text/csv' }, body: csv.body });
    expect(imported.status, imported.text().slice(0, 300)).toBe(200);
    const back = await send(service, { method: 'GET', path: '/companies/f6-c1', headers: asCoordinator });
    expect((JSON.parse(back.text()) as { name: string }).name).toBe("'=SUM(1)");
  });

  it('F7: a backslash in the path is answered with problem+json', async () => {
    expectProblem(await send(service, { method: 'GET', path: '/companies\\s-c01', headers: asReader }));
  });

  it('F7: more than 16 KB of headers is a 431 with problem+json', async () => {
    expectProblem(await send(service, { method: 'GET', path: '/health', headers: { 'x-padding': 'p'.repeat(20_000) } }), 431);
  });

  it('F7: a duplicate id is a 409 naming the field in errors[].path', async () => {
    const problem = expectProblem(await json(service, 'POST', '/companies', company('s-c01')), 409);
    const paths = ((problem['errors'] as { path: string }[] | undefined) ?? []).map((e) => e.path);
    expect(paths.some((p) => /(^|\.)id$/.test(p))).toBe(true);
  });

  it('F8: a request answered early without reading its large body leaves the connection usable', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const early = await send(service, { method: 'POST', path: '/companies', headers: { ...asCoordinator, 'content-type': 'text/plain' }, body: 'x'.repeat(700_000) }, { agent });
      expect(early.status).toBe(415);
      const next = await send(service, { method: 'GET', path: '/health' }, { agent });
      expect(next.status).toBe(200);
    } finally {
      agent.destroy();
    }
  });

  it('F9: includeDeclined=true shows a reader nothing a coordinator declined', async () => {
    const declined = await json(service, 'PUT', '/decisions/s-n01/s-c13', { status: 'declined', note: 'F9 check' });
    expect(declined.status).toBeLessThan(300);
    const ids = async (query: string): Promise<string[] | number> => {
      const answer = await send(service, { method: 'GET', path: `/needs/s-n01/matches?limit=100&explain=false${query}`, headers: asReader });
      if (answer.status >= 400) return answer.status;
      return (JSON.parse(answer.text()) as { matches: { company: { id: string } }[] }).matches.map((m) => m.company.id);
    };
    const plain = await ids('');
    expect(plain).not.toContain('s-c13');
    const withDeclined = await ids('&includeDeclined=true');
    // Either refused, or the same list a reader gets anyway.
    if (typeof withDeclined !== 'number') expect(withDeclined).toEqual(plain);
    else expect(withDeclined).toBeLessThan(500);
  });

  it('a problem carries its request id; a HEAD answer, having no body, carries it in X-Request-Id (and the check accepts that)', async () => {
    const sent = await send(service, { method: 'GET', path: '/needs/no-such-need', headers: { ...asReader, 'x-request-id': 'fuzz-rid-1' } });
    expect(expectProblem(sent, 404)['requestId']).toBe('fuzz-rid-1');
    expect(sent.headers['x-request-id']).toBe('fuzz-rid-1');
    const field = { field: 'requestId' };
    for (const path of ['/needs', '/needs/no-such-need', '/no-such-route']) {
      const head = await send(service, { method: 'HEAD', path });
      expect(head.status, path).toBeGreaterThanOrEqual(400);
      expect(head.bodyBytes).toBe(0);
      expect(String(head.headers['x-request-id'] ?? '')).not.toBe('');
      expect(check({ method: 'HEAD', path, headers: {}, auth: 'none', route: `HEAD ${path}`, tags: [] }, head, [], field)).toEqual([]);
    }
    const bodyless = await send(service, { method: 'GET', path: '/needs' });
    const stripped = { ...bodyless, body: Buffer.alloc(0), bodyBytes: 0, text: () => '' };
    expect(check({ method: 'GET', path: '/needs', headers: {}, auth: 'none', route: 'GET /needs', tags: [] }, stripped, [], field).map((v) => v.kind)).toEqual(['no-request-id']);
  });

  it(`a short seeded run (seed ${SHORT_RUN.seed}, ${SHORT_RUN.count} requests over every route) breaks no invariant beyond the known findings`, async () => {
    const summary = await runFuzz(service, { ...SHORT_RUN, requestId, shrinkGroups: 3, shrinkTimeMs: 10_000 });
    const report = formatSummary(summary);
    expect(summary.sent, report).toBe(SHORT_RUN.count);
    expect(summary.readerBodies, report).toBeGreaterThan(SHORT_RUN.count / 10);
    expect(summary.failures, report).toEqual([]);
    expect(service.alive()).toBe(true);
    expect((await send(service, { method: 'GET', path: '/health' })).status).toBe(200);
  }, 600_000);
});

describe('F1: ids no URL path can hold (a server of its own: a stored one breaks pages for everyone)', () => {
  let dataDir: string;
  let service: Service;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'partnermatch-fuzz-f1-'));
    service = await startService({ dataDir });
  });

  afterAll(async () => {
    await service?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const ids: [string, string][] = [
    ['a lone surrogate', 'x\ud800'],
    ['"."', '.'],
    ['".."', '..'],
    ['a control character', 'a\u0001b'],
  ];
  for (const [what, id] of ids) {
    it(`F1: POST /companies with an id holding ${what} is a 400`, async () => {
      expectProblem(await json(service, 'POST', '/companies', company(id)), 400);
    });
    it(`F1: a JSON import with an id holding ${what} is a 400`, async () => {
      expectProblem(await json(service, 'POST', '/import/companies?mode=upsert', [company(id)]), 400);
    });
    it(`F1: an NDJSON import with an id holding ${what} is a 400`, async () => {
      const body = JSON.stringify(company(id)) + '\n';
      expectProblem(await send(service, { method: 'POST', path: '/import/companies?mode=upsert', headers: { ...asCoordinator, 'content-type': 'application/x-ndjson' }, body }), 400);
    });
  }

  it('F1: once such an id was sent, the record pages and the company list still answer (no 500)', async () => {
    await json(service, 'POST', '/import/companies?mode=upsert', [company('x\ud800')]);
    const session = await signIn(service, COORDINATOR_KEY);
    const pages: RawRequest[] = [
      { method: 'GET', path: `/companies/${encodePathSegment('x\ud800')}`, headers: asCoordinator },
      { method: 'GET', path: '/ui/companies', headers: { cookie: session.cookie } },
      { method: 'GET', path: '/ui/needs/s-n01', headers: { cookie: session.cookie } },
    ];
    for (const page of pages) {
      const answer = await send(service, page);
      expect(answer.status, `${page.path}: ${answer.text().slice(0, 200)}`).toBeLessThan(500);
    }
  });
});

describe('F10: keys removed from the keys file', () => {
  let dataDir: string;
  let service: Service;
  const keysFile = (): string => join(dataDir, 'api-keys.json');
  const readerKey = 'f10-reader-key-0123456789abcdef';
  const write = (keys: { role: string; key: string }[]): void => writeFileSync(keysFile(), JSON.stringify({ keys }));

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'partnermatch-fuzz-f10-'));
    write([
      { role: 'coordinator', key: COORDINATOR_KEY },
      { role: 'reader', key: readerKey },
    ]);
    service = await startService({ dataDir, noEnvKeys: true });
  });

  afterAll(async () => {
    await service?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('F10: a key removed from the keys file stops working at once, for the API and its web sessions', async () => {
    const api = (): Promise<RawResponse> => send(service, { method: 'GET', path: '/needs', headers: { authorization: `Bearer ${readerKey}` } });
    expect((await api()).status).toBe(200);
    const session = await signIn(service, readerKey);
    write([{ role: 'coordinator', key: COORDINATOR_KEY }]);
    // "At once": a file watcher gets a moment, bounded by polls rather than by a timed assertion.
    let apiStatus = 0;
    let pageStatus = 0;
    for (let i = 0; i < 30; i += 1) {
      apiStatus = (await api()).status;
      pageStatus = (await send(service, { method: 'GET', path: '/ui/needs', headers: { cookie: session.cookie } })).status;
      if (apiStatus === 401 && pageStatus !== 200) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(apiStatus).toBe(401);
    expect(pageStatus).not.toBe(200);
    // The coordinator key that stayed still works.
    expect((await send(service, { method: 'GET', path: '/needs', headers: asCoordinator })).status).toBe(200);
  });
});
