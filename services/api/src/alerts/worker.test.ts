import Database from 'better-sqlite3';
import { createHmac } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PartnerNeed } from '@partnermatch/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AlertMatch } from './matching.js';
import { enqueueAlerts } from './outbox.js';
import { DeliverySchema, type Subscription } from './schemas.js';
import { SubscriptionStore } from './store.js';
import { backoffDelay, WebhookWorker } from './worker.js';
import { until } from '../test-helpers.js';

const secret = 'receiver-shared-secret';

/** A name other than localhost that /etc/hosts maps to 127.x (no DNS query leaves the machine), if there is one. */
const loopbackAlias = (() => {
  if (!existsSync('/etc/hosts')) return undefined;
  for (const line of readFileSync('/etc/hosts', 'utf8').split('\n')) {
    const [address, ...names] = line.replace(/#.*/, '').trim().split(/\s+/);
    if (address?.startsWith('127.') !== true) continue;
    const alias = names.find((n) => n !== '' && n !== 'localhost' && !n.endsWith('.localhost'));
    if (alias !== undefined) return alias;
  }
  return undefined;
})();
const need = { id: 's-n01', title: '城镇污水处理厂提标改造技术合作' } as PartnerNeed;

interface Received {
  readonly raw: string;
  readonly headers: IncomingHttpHeaders;
  readonly at: number;
}

let dir: string;
let db: Database.Database;
let server: Server;
let received: Received[];
let answers: number[];
let url: string;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pm-alerts-worker-'));
  db = new Database(join(dir, 'db.sqlite'));
  received = [];
  answers = [];
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ raw: Buffer.concat(chunks).toString('utf8'), headers: req.headers, at: Date.now() });
      res.writeHead(answers.shift() ?? 204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
});
afterEach(async () => {
  await new Promise((resolve) => server.close(resolve));
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

async function subscribe(target = url): Promise<Subscription> {
  const store = new SubscriptionStore(db, { allowPrivate: true });
  return store.create({ url: target, secret, companyId: 's-c13', minScore: 0.5 }, { name: 'k', role: 'coordinator' }, { companyExists: () => true });
}

function enqueue(subscription: Subscription, count: number, now?: Date): readonly string[] {
  const matches: AlertMatch[] = Array.from({ length: count }, (_, i) => ({
    subscription,
    needId: need.id,
    companyId: `s-c${10 + i}`,
    score: 0.9,
    summary: 'tags: environment.wastewater (exact)',
  }));
  return enqueueAlerts(db, need, matches, now).deliveryIds;
}

const statusOf = (id: string) => (db.prepare('SELECT status FROM alert_deliveries WHERE id = ?').get(id) as { status: string }).status;

describe('WebhookWorker', () => {
  it('POSTs the stored body signed with HMAC-SHA256 of the raw bytes under the secret', async () => {
    const subscription = await subscribe();
    const [id] = enqueue(subscription, 1);
    await new WebhookWorker(db, { allowPrivate: true }).drain();

    expect(received).toHaveLength(1);
    const { raw, headers } = received[0]!;
    expect(headers['content-type']).toBe('application/json');
    expect(headers['x-partnermatch-signature']).toBe(`sha256=${createHmac('sha256', secret).update(raw).digest('hex')}`);
    expect(JSON.parse(raw)).toEqual({
      event: 'need.matched',
      needId: 's-n01',
      companyId: 's-c10',
      score: 0.9,
      explanation: { summary: 'tags: environment.wastewater (exact)' },
      subscriptionId: subscription.id,
      deliveryId: id,
    });
    const [delivery] = new SubscriptionStore(db).deliveries(subscription.id);
    expect(delivery).toMatchObject({ deliveryId: id, status: 'delivered', attempts: [{ attempt: 1, outcome: 'delivered', httpStatus: 204 }] });
  });

  it('retries non-2xx answers with growing delays until one is accepted, recording every attempt', async () => {
    const subscription = await subscribe();
    const [id] = enqueue(subscription, 1);
    answers = [500, 503, 200];
    const worker = new WebhookWorker(db, { allowPrivate: true, pollMs: 5, backoff: { initialMs: 60, maxMs: 1000 } });
    worker.start();
    await until(() => statusOf(id!) === 'delivered', 'the delivery', 10_000);
    await worker.stop();

    expect(received.map((r) => JSON.parse(r.raw).deliveryId)).toEqual([id, id, id]);
    // Same bytes every time, so the receiver can deduplicate and verify alike.
    expect(new Set(received.map((r) => r.raw)).size).toBe(1);
    const gaps = [received[1]!.at - received[0]!.at, received[2]!.at - received[1]!.at];
    expect(gaps[0]).toBeGreaterThanOrEqual(60 * 0.8 - 5);
    expect(gaps[1]).toBeGreaterThanOrEqual(120 * 0.8 - 5);
    expect(new SubscriptionStore(db).deliveries(subscription.id)[0]?.attempts.map((a) => [a.attempt, a.outcome, a.httpStatus])).toEqual([
      [1, 'failed', 500],
      [2, 'failed', 503],
      [3, 'delivered', 200],
    ]);
    for (const delivery of new SubscriptionStore(db).deliveries(subscription.id)) expect(DeliverySchema.strict().parse(delivery)).toEqual(delivery);
  });

  it('gives up once 24 h have passed since the delivery was enqueued', async () => {
    const subscription = await subscribe();
    const [id] = enqueue(subscription, 1, new Date(Date.now() - 24 * 3600_000 - 1000));
    answers = [500];
    await new WebhookWorker(db, { allowPrivate: true }).drain();
    expect(received).toHaveLength(1);
    expect(statusOf(id!)).toBe('failed');
  });

  it('never calls a loopback target unless private targets are allowed', async () => {
    const subscription = await subscribe();
    const [id] = enqueue(subscription, 1);
    await new WebhookWorker(db, { allowPrivate: false }).drain();
    expect(received).toEqual([]);
    expect(statusOf(id!)).toBe('failed');
    expect(new SubscriptionStore(db).deliveries(subscription.id)[0]?.attempts).toMatchObject([
      { attempt: 1, outcome: 'refused', error: expect.stringMatching(/loopback/) },
    ]);
  });

  it.skipIf(loopbackAlias === undefined)('judges the addresses a name resolves to at delivery time, and connects to them', async () => {
    const subscription = await subscribe(url.replace('127.0.0.1', loopbackAlias!));
    const [refused] = enqueue(subscription, 1);
    await new WebhookWorker(db, { allowPrivate: false }).drain();
    expect(received).toEqual([]);
    expect(new SubscriptionStore(db).deliveries(subscription.id)[0]?.attempts).toMatchObject([
      { outcome: 'refused', error: `${loopbackAlias} resolves to a loopback address (127.0.0.1); refused` },
    ]);
    expect(statusOf(refused!)).toBe('failed');

    const [allowed] = enqueue(subscription, 1);
    await new WebhookWorker(db, { allowPrivate: true }).drain();
    expect(statusOf(allowed!)).toBe('delivered');
    expect(received.map((r) => r.headers.host)).toEqual([new URL(subscription.url!).host]);
  });

  it('doubles the delay per attempt up to the cap, within ±20 %', () => {
    const options = { initialMs: 1000, maxMs: 8000 };
    expect([1, 2, 3, 4, 5, 9].map((n) => backoffDelay(n, options, () => 0.5))).toEqual([1000, 2000, 4000, 8000, 8000, 8000]);
    expect(backoffDelay(2, options, () => 0)).toBe(1600);
    expect(backoffDelay(2, options, () => 0.999_999)).toBe(2400);
  });
});
