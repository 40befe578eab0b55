import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PartnermatchError } from '@partnermatch/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_MIN_SCORE, SubscriptionSchema } from './schemas.js';
import { SubscriptionStore } from './store.js';

const owner = { name: 'reader-1', role: 'reader' };
const companies = new Set(['s-c13', 's-c08']);
const context = { companyExists: (id: string) => companies.has(id) };
const secret = 'a-secret-of-enough-length';

let dir: string;
let db: Database.Database;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'pm-alerts-store-'));
  db = new Database(join(dir, 'db.sqlite'));
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

async function issuesOf(promise: Promise<unknown>): Promise<{ path: string; message: string }[]> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(PartnermatchError);
    return [...(error as PartnermatchError).issues];
  }
  throw new Error('expected INVALID_INPUT');
}

describe('SubscriptionStore', () => {
  it('stores a webhook subscription without ever showing its secret, and keeps it across a reopen', async () => {
    const store = new SubscriptionStore(db, { allowPrivate: true });
    const created = await store.create({ url: 'http://127.0.0.1:9/hook', secret, companyId: 's-c13' }, owner, context);
    expect(created).toMatchObject({ channel: 'webhook', url: 'http://127.0.0.1:9/hook', companyId: 's-c13', minScore: DEFAULT_MIN_SCORE, owner });
    expect(created.id).toMatch(/^sub_/);
    expect(JSON.stringify(created)).not.toContain(secret);
    expect(SubscriptionSchema.strict().parse(created)).toEqual(created);
    const sectors = await store.create({ email: 'anna@example.org', language: 'zh', sectors: ['energy', 'energy'] }, owner, context);
    expect(sectors).toMatchObject({ channel: 'email', language: 'zh', sectors: ['energy'] });
    expect(sectors.minScore).toBeUndefined();

    db.close();
    db = new Database(join(dir, 'db.sqlite'));
    const reopened = new SubscriptionStore(db, { allowPrivate: true });
    expect(reopened.list().map((s) => s.id)).toEqual([created.id, sectors.id]);
    expect(reopened.list({ ownerName: 'someone-else' })).toEqual([]);
    expect(reopened.remove(created.id)).toBe(true);
    expect(reopened.get(created.id)).toBeUndefined();
    expect(reopened.remove(created.id)).toBe(false);
  });

  it('names the field of every bad input and stores nothing', async () => {
    const store = new SubscriptionStore(db, { allowPrivate: false });
    const cases: [unknown, { path: string; message: string | RegExp }][] = [
      [{ url: 'not a url', secret, companyId: 's-c13' }, { path: 'body.url', message: 'must be an absolute http or https URL' }],
      [{ url: 'ftp://example.org/x', secret, companyId: 's-c13' }, { path: 'body.url', message: 'must use http or https, not ftp' }],
      [{ url: 'http://10.0.0.5/hook', secret, companyId: 's-c13' }, { path: 'body.url', message: /private address/ }],
      [{ url: 'http://localhost/hook', secret, companyId: 's-c13' }, { path: 'body.url', message: /loopback/ }],
      [{ url: 'https://93.184.215.14/hook', companyId: 's-c13' }, { path: 'body.secret', message: 'is required with url' }],
      [{ url: 'https://93.184.215.14/hook', secret: 'short', companyId: 's-c13' }, { path: 'body.secret', message: 'must be at least 16 characters' }],
      [{ url: 'https://93.184.215.14/hook', secret, companyId: 's-c99' }, { path: 'body.companyId', message: 'unknown company "s-c99"' }],
      [{ url: 'https://93.184.215.14/hook', secret, companyId: 's-c13', minScore: 1.5 }, { path: 'body.minScore', message: 'must be between 0 and 1' }],
      [{ url: 'https://93.184.215.14/hook', secret, sectors: ['energy.nuclear'] }, { path: 'body.sectors[0]', message: 'unknown sector tag "energy.nuclear"' }],
      [{ url: 'https://93.184.215.14/hook', secret }, { path: 'body.companyId', message: 'is required (or sectors, or both)' }],
      [{ url: 'https://93.184.215.14/hook', secret, sectors: ['energy'], minScore: 0.5 }, { path: 'body.minScore', message: 'applies only with companyId' }],
      [{ secret, companyId: 's-c13' }, { path: 'body.url', message: 'is required (or email, for a daily digest)' }],
      [{ email: 'nope', companyId: 's-c13' }, { path: 'body.email', message: 'must be an e-mail address' }],
      [{ email: 'a@example.org', language: 'de', companyId: 's-c13' }, { path: 'body.language', message: 'must be one of sv, en, zh' }],
    ];
    for (const [input, expected] of cases) {
      const issues = await issuesOf(store.create(input, owner, context));
      expect(issues, JSON.stringify(input)).toContainEqual({ path: expected.path, message: expected.message instanceof RegExp ? expect.stringMatching(expected.message) : expected.message });
    }
    expect(store.list()).toEqual([]);
    expect(db.prepare('SELECT count(*) AS n FROM alert_subscriptions').get()).toEqual({ n: 0 });
  });
});
