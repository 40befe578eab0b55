import { serve, type ServerType } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COORDINATOR_KEY, makeTestApp, sampleCompanies, type TestApp } from '../test-helpers.js';

interface Ranked {
  matches: { rank: number; score: number; company?: { id: string }; need?: { id: string } }[];
}
interface Problem {
  code: string;
  errors?: { path: string; message: string }[];
}

let t: TestApp;
let server: ServerType;
let base: string;

beforeAll(async () => {
  t = makeTestApp();
  await new Promise<void>((resolve) => {
    server = serve({ fetch: t.app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve());
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  t.close();
});

const get = (path: string) => fetch(`${base}${path}`, { headers: { authorization: `Bearer ${COORDINATOR_KEY}` } });
const companyById = new Map(sampleCompanies.map((c) => [c.id, c]));

describe('match filters over HTTP', () => {
  it('leave candidates out and never change the scores of the rest', async () => {
    const all = (await (await get('/needs/s-n01/matches?limit=100&explain=false')).json()) as Ranked;
    const scoreOf = new Map(all.matches.map((m) => [m.company!.id, m.score]));
    const cases: [string, (id: string) => boolean][] = [
      ['municipality=Karlskrona&municipality=Ronneby', (id) => ['Karlskrona', 'Ronneby'].includes(companyById.get(id)!.municipality ?? '')],
      ['minEmployees=20&maxEmployees=200', (id) => {
        const n = companyById.get(id)!.employees;
        return n !== undefined && n >= 20 && n <= 200;
      }],
      ['language=zh,en', (id) => (companyById.get(id)!.languages ?? []).some((l) => l === 'zh' || l === 'en')],
    ];
    for (const [query, keeps] of cases) {
      const response = await get(`/needs/s-n01/matches?limit=100&explain=false&${query}`);
      expect(response.status, query).toBe(200);
      const filtered = (await response.json()) as Ranked;
      const expected = all.matches.filter((m) => keeps(m.company!.id));
      expect(filtered.matches.map((m) => m.company!.id), query).toEqual(expected.map((m) => m.company!.id));
      for (const match of filtered.matches) expect(match.score).toBe(scoreOf.get(match.company!.id));
      expect(filtered.matches.map((m) => m.rank)).toEqual(filtered.matches.map((_, i) => i + 1));
      expect(filtered.matches.length).toBeLessThan(all.matches.length);
    }
  });

  it('filter needs ranked for a company by sector, a parent taking in its children', async () => {
    const all = (await (await get('/companies/s-c13/matches?limit=100&explain=false')).json()) as Ranked;
    const filtered = (await (await get('/companies/s-c13/matches?limit=100&explain=false&sector=environment')).json()) as Ranked;
    expect(filtered.matches.length).toBeGreaterThan(0);
    const scoreOf = new Map(all.matches.map((m) => [m.need!.id, m.score]));
    for (const match of filtered.matches) expect(match.score).toBe(scoreOf.get(match.need!.id));
    expect(filtered.matches.length).toBeLessThan(all.matches.length);
    const energy = (await (await get('/companies/s-c13/matches?limit=100&explain=false&sector=energy')).json()) as Ranked;
    const either = (await (await get('/companies/s-c13/matches?limit=100&explain=false&sector=energy&sector=environment')).json()) as Ranked;
    const ids = (r: Ranked) => r.matches.map((m) => m.need!.id);
    expect(new Set(ids(either))).toEqual(new Set([...ids(filtered), ...ids(energy)]));
  });

  it('answer a bad filter with a 400 naming the parameter', async () => {
    const cases: [string, string][] = [
      ['/needs/s-n01/matches?municipality=Lund', 'query.municipality[0]'],
      ['/needs/s-n01/matches?sector=energy.nuclear', 'query.sector[0]'],
      ['/needs/s-n01/matches?minEmployees=-3', 'query.minEmployees'],
      ['/needs/s-n01/matches?minEmployees=50&maxEmployees=10', 'query.maxEmployees'],
      ['/needs/s-n01/matches?language=swedish', 'query.language[0]'],
      ['/companies/s-c13/matches?municipality=Karlskrona', 'query.municipality'],
    ];
    for (const [path, field] of cases) {
      const response = await get(path);
      expect(response.status, path).toBe(400);
      const problem = (await response.json()) as Problem;
      expect(problem.errors?.map((e) => e.path), path).toContain(field);
    }
  });

  it('are part of the ranking cache key', async () => {
    const plain = (await (await get('/needs/s-n01/matches?limit=100')).json()) as Ranked;
    const filtered = (await (await get('/needs/s-n01/matches?limit=100&municipality=Olofström')).json()) as Ranked;
    const again = (await (await get('/needs/s-n01/matches?limit=100')).json()) as Ranked;
    expect(filtered.matches.length).toBeLessThan(plain.matches.length);
    expect(again).toEqual(plain);
  });

  it('are in the OpenAPI document', async () => {
    const doc = (await (await fetch(`${base}/openapi.json`)).json()) as { paths: Record<string, { get: { parameters: { name: string }[] } }> };
    const names = doc.paths['/needs/{id}/matches']!.get.parameters.map((p) => p.name);
    expect(names).toEqual(expect.arrayContaining(['municipality', 'sector', 'minEmployees', 'maxEmployees', 'language']));
  });
});
