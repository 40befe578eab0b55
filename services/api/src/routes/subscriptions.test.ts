import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebhookWorker } from '../alerts/index.js';
import { makeTestApp, sampleNeeds, type TestApp } from '../test-helpers.js';

interface Problem {
  status: number;
  errors?: { path: string; message: string }[];
}
interface Sub {
  id: string;
  owner: { role: string };
}

const secret = 'receiver-shared-secret';
let t: TestApp;
let server: Server;
let received: { raw: string; headers: IncomingHttpHeaders }[];
let url: string;

beforeEach(async () => {
  received = [];
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ raw: Buffer.concat(chunks).toString('utf8'), headers: req.headers });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
});
afterEach(async () => {
  await new Promise((resolve) => server.close(resolve));
  t.close();
});

const count = (): number => (t.store.db.prepare('SELECT count(*) AS n FROM alert_subscriptions').get() as { n: number }).n;

describe('POST /subscriptions', () => {
  it('refuses bad input with a 400 naming the field, storing nothing; private targets need the opt-in', async () => {
    t = makeTestApp();
    const cases: [unknown, string][] = [
      [{ url: 'ftp://example.org/x', secret, companyId: 's-c13' }, 'body.url'],
      [{ url: 'https://example.org/x', companyId: 's-c13' }, 'body.secret'],
      [{ url: 'https://example.org/x', secret, companyId: 'no-such-company' }, 'body.companyId'],
      [{ url: 'https://example.org/x', secret, companyId: 's-c13', minScore: 1.5 }, 'body.minScore'],
      [{ url: 'https://example.org/x', secret, sectors: ['energy.nuclear'] }, 'body.sectors[0]'],
      [{ url, secret, companyId: 's-c13' }, 'body.url'],
    ];
    for (const [body, path] of cases) {
      const response = await t.call('POST', '/subscriptions', { json: body });
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(response.headers.get('content-type')).toBe('application/problem+json');
      const problem = (await response.json()) as Problem;
      expect(problem.errors?.map((e) => e.path), JSON.stringify(problem)).toContain(path);
    }
    expect(count()).toBe(0);
  });

  it('a new need that ranks the company fires a signed webhook without contact details; deliveries are listed', async () => {
    t = makeTestApp({ alerts: { allowPrivate: true } });
    const created = await t.call('POST', '/subscriptions', { json: { url, secret, companyId: 's-c13', minScore: 0.5 } });
    expect(created.status).toBe(201);
    const subscription = (await created.json()) as Sub & { secret?: string };
    expect(subscription.secret).toBeUndefined();

    const base = sampleNeeds.find((n) => n.id === 's-n01')!;
    const need = { ...base, id: 'n-alert', deadline: '2099-12-31', status: 'open' };
    expect((await t.call('POST', '/needs', { json: need })).status).toBe(201);

    const worker = new WebhookWorker(t.store.db, { allowPrivate: true });
    worker.poll();
    await worker.drain();
    expect(received).toHaveLength(1);
    const [hit] = received;
    const signature = `sha256=${createHmac('sha256', secret).update(hit!.raw).digest('hex')}`;
    expect(hit!.headers['x-partnermatch-signature']).toBe(signature);
    const body = JSON.parse(hit!.raw) as Record<string, unknown>;
    expect(body).toMatchObject({ event: 'need.matched', needId: 'n-alert', companyId: 's-c13', subscriptionId: subscription.id });
    expect(hit!.raw).not.toMatch(/@|contact/i);

    const deliveries = await t.call('GET', `/subscriptions/${subscription.id}/deliveries`);
    const items = ((await deliveries.json()) as { items: { status: string; attempts: unknown[] }[] }).items;
    expect(items.map((d) => d.status)).toEqual(['delivered']);
    expect(items[0]!.attempts).toHaveLength(1);
  });

  it('a reader sees and deletes only its own subscriptions', async () => {
    t = makeTestApp({ alerts: { allowPrivate: true } });
    const mine = (await (await t.call('POST', '/subscriptions', { as: 'reader', json: { url, secret, sectors: ['environment.wastewater'] } })).json()) as Sub;
    const theirs = (await (await t.call('POST', '/subscriptions', { json: { url, secret, companyId: 's-c13' } })).json()) as Sub;
    expect(mine.owner.role).toBe('reader');
    const listed = (await (await t.call('GET', '/subscriptions', { as: 'reader' })).json()) as { items: Sub[] };
    expect(listed.items.map((s) => s.id)).toEqual([mine.id]);
    expect(((await (await t.call('GET', '/subscriptions')).json()) as { items: Sub[] }).items).toHaveLength(2);
    expect((await t.call('GET', `/subscriptions/${theirs.id}`, { as: 'reader' })).status).toBe(404);
    expect((await t.call('DELETE', `/subscriptions/${theirs.id}`, { as: 'reader' })).status).toBe(404);
    expect((await t.call('DELETE', `/subscriptions/${mine.id}`, { as: 'reader' })).status).toBe(204);
    expect((await t.call('GET', `/subscriptions/${mine.id}`, { as: 'reader' })).status).toBe(404);
  });
});
