import Database from 'better-sqlite3';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMatcher, taxonomy, type Company, type Matcher, type PartnerNeed } from '@partnermatch/core';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Alerts } from './alerts.js';
import { matchNeed, SubscriptionIndex } from './matching.js';
import { enqueueAlerts } from './outbox.js';
import { SubscriptionStore } from './store.js';

const sample = new URL('../../../../fixtures/sample/', import.meta.url);
const companies = JSON.parse(readFileSync(new URL('companies.json', sample), 'utf8')) as Company[];
const needs = JSON.parse(readFileSync(new URL('needs.json', sample), 'utf8')) as PartnerNeed[];
const needById = new Map(needs.map((n) => [n.id, n]));
const owner = { name: 'coord', role: 'coordinator' };
const context = { companyExists: (id: string) => companies.some((c) => c.id === id) };
const secret = 'a-secret-of-enough-length';
const asOf = '2026-12-01';

let matcher: Matcher;
let dir: string;
let db: Database.Database;
let store: SubscriptionStore;

beforeAll(() => {
  matcher = createMatcher({ companies, needs });
});
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'pm-alerts-match-'));
  db = new Database(join(dir, 'db.sqlite'));
  store = new SubscriptionStore(db, { allowPrivate: true });
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const webhook = (extra: object) => store.create({ url: 'http://127.0.0.1:9/hook', secret, ...extra }, owner, context);

describe('matchNeed', () => {
  it('fires a company subscription exactly when the need ranks the company at or above its minScore', async () => {
    for (const company of companies) await webhook({ companyId: company.id, minScore: 0.5 });
    const strict = await webhook({ companyId: 's-c13', minScore: 0.95 });
    const index = new SubscriptionIndex(store.active());
    for (const need of needs.filter((n) => n.status !== 'closed')) {
      const full = matcher.rankCompanies(need, { limit: companies.length, explain: false });
      const expected = full.filter((m) => m.score >= 0.5).map((m) => [m.id, m.score]);
      const fired = matchNeed(need, 'updated', matcher, index, { asOf });
      expect(fired.filter((a) => a.subscription.id !== strict.id).map((a) => [a.companyId, a.score]), need.id).toEqual(expected);
      const s13 = full.find((m) => m.id === 's-c13')?.score ?? 0;
      expect(fired.some((a) => a.subscription.id === strict.id)).toBe(s13 >= 0.95);
      for (const alert of fired) expect(alert.summary.length).toBeGreaterThan(0);
    }
  });

  it('fires sector subscriptions on new needs only, a parent tag including its children', async () => {
    const energy = await webhook({ sectors: ['energy'] });
    const solar = await webhook({ sectors: ['energy.solar'] });
    const wind = await webhook({ sectors: ['energy.wind'] });
    const index = new SubscriptionIndex(store.active());
    const fired = matchNeed(needById.get('s-n03')!, 'created', matcher, index, { asOf });
    expect(fired.map((a) => [a.subscription.id, a.companyId, a.score, a.summary])).toEqual([
      [energy.id, null, null, 'sectors: energy.solar, energy.storage'],
      [solar.id, null, null, 'sectors: energy.solar'],
    ]);
    expect(fired.map((a) => a.subscription.id)).not.toContain(wind.id);
    expect(matchNeed(needById.get('s-n03')!, 'updated', matcher, index, { asOf })).toEqual([]);

    // A need without given tags counts by the tags inferred from its text.
    const untagged = needById.get('s-n02')!;
    const inferred = matcher.profile('need', untagged.id)!.tags.map((t) => t.tag);
    const roots = new Set(inferred.map((t) => taxonomy.lineage(t as never).at(-1)));
    expect(matchNeed(untagged, 'created', matcher, index, { asOf }).some((a) => a.subscription.id === energy.id)).toBe(roots.has('energy'));
  });

  it('narrows a company subscription to its sectors when it names both', async () => {
    const both = await webhook({ companyId: 's-c04', sectors: ['environment'], minScore: 0 });
    const plain = await webhook({ companyId: 's-c04', minScore: 0 });
    const index = new SubscriptionIndex(store.active());
    const fired = matchNeed(needById.get('s-n03')!, 'created', matcher, index, { asOf }).map((a) => a.subscription.id);
    expect(fired).toEqual([plain.id]);
    expect(both.sectors).toEqual(['environment']);
  });

  it('fires nothing for a closed or expired need', async () => {
    await webhook({ companyId: 's-c13', minScore: 0 });
    await webhook({ sectors: ['environment', 'agrifood'] });
    const index = new SubscriptionIndex(store.active());
    const n01 = needById.get('s-n01')!;
    expect(matchNeed(n01, 'created', matcher, index, { asOf }).length).toBe(2);
    expect(matchNeed({ ...n01, status: 'closed' }, 'created', matcher, index, { asOf })).toEqual([]);
    expect(matchNeed(n01, 'created', matcher, index, { asOf: '2027-07-01' })).toEqual([]);
    expect(matchNeed(n01, 'created', matcher, index, { asOf: '2027-06-30' }).length).toBe(2);
  });
});

describe('enqueueAlerts', () => {
  it('writes with the need’s transaction: a rollback leaves no delivery, a commit leaves the exact body', async () => {
    const hook = await webhook({ companyId: 's-c13', minScore: 0 });
    const mail = await store.create({ email: 'anna@example.org', language: 'sv', sectors: ['environment'] }, owner, context);
    const n01 = needById.get('s-n01')!;
    const fired = matchNeed(n01, 'created', matcher, new SubscriptionIndex(store.active()), { asOf });
    db.exec('CREATE TABLE needs_written (id TEXT)');

    expect(() =>
      db.transaction(() => {
        db.prepare('INSERT INTO needs_written VALUES (?)').run(n01.id);
        enqueueAlerts(db, n01, fired);
        throw new Error('the need write failed');
      })(),
    ).toThrow('the need write failed');
    expect(db.prepare('SELECT count(*) AS n FROM alert_deliveries').get()).toEqual({ n: 0 });
    expect(db.prepare('SELECT count(*) AS n FROM alert_digest_items').get()).toEqual({ n: 0 });

    const enqueued = db.transaction(() => {
      db.prepare('INSERT INTO needs_written VALUES (?)').run(n01.id);
      return enqueueAlerts(db, n01, fired);
    })();
    expect(enqueued.deliveryIds).toHaveLength(1);
    expect(enqueued.digestItems).toBe(1);
    const row = db.prepare('SELECT body, status FROM alert_deliveries').get() as { body: string; status: string };
    const body = JSON.parse(row.body) as Record<string, unknown>;
    expect(Object.keys(body)).toEqual(['event', 'needId', 'companyId', 'score', 'explanation', 'subscriptionId', 'deliveryId']);
    expect(body).toMatchObject({ event: 'need.matched', needId: 's-n01', companyId: 's-c13', subscriptionId: hook.id, deliveryId: enqueued.deliveryIds[0] });
    expect(Object.keys(body.explanation as object)).toEqual(['summary']);
    expect(row.status).toBe('pending');
    expect(store.deliveries(hook.id)).toMatchObject([{ deliveryId: enqueued.deliveryIds[0], status: 'pending', attempts: [] }]);
    expect(store.deliveries(mail.id)).toEqual([]);
  });

  it('never puts contact details in a webhook body', async () => {
    for (const company of companies) await webhook({ companyId: company.id, minScore: 0 });
    const index = new SubscriptionIndex(store.active());
    for (const need of needs) enqueueAlerts(db, need, matchNeed(need, 'created', matcher, index, { asOf }));
    const bodies = (db.prepare('SELECT body FROM alert_deliveries').all() as { body: string }[]).map((r) => r.body).join('\n');
    expect(bodies.length).toBeGreaterThan(1000);
    const contacts = companies.flatMap((c) => [c.contact?.email, c.contact?.phone, c.contact?.name]).filter((v): v is string => v !== undefined);
    expect(contacts.length).toBeGreaterThan(10);
    for (const value of contacts) expect(bodies).not.toContain(value);
  });
});

describe('Alerts', () => {
  it('enqueues what a written need fires and follows changes of the subscriptions', async () => {
    const alerts = new Alerts(db, { allowPrivate: true });
    const n01 = needById.get('s-n01')!;
    expect(db.transaction(() => alerts.needWritten(n01, 'created', matcher, { asOf }))()).toEqual({ deliveryIds: [], digestItems: 0 });
    const sub = await alerts.subscriptions.create({ url: 'http://127.0.0.1:9/h', secret, sectors: ['environment'] }, owner, context);
    expect(db.transaction(() => alerts.needWritten(n01, 'created', matcher, { asOf }))().deliveryIds).toHaveLength(1);
    alerts.subscriptions.remove(sub.id);
    expect(db.transaction(() => alerts.needWritten(n01, 'created', matcher, { asOf }))().deliveryIds).toHaveLength(0);
    expect(alerts.subscriptions.deliveries(sub.id).map((d) => d.status)).toEqual(['cancelled']);
  });
});
