import type { SubscriptionStoreOptions } from './alerts/index.js';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Company, PartnerNeed } from '@partnermatch/core';
import { createApp } from './app.js';
import { KeyRing } from './auth.js';
import { Catalog } from './catalog.js';
import { DEFAULT_SEED_DIR } from './config.js';
import { batchQueue } from './batch.js';
import { Store } from './store.js';
import type { SessionStore } from './web/session.js';

/** Waits until `condition` holds, looking every 10 ms; past `ms`, fails naming `what` it waited for. */
export async function until(condition: () => boolean, what: string, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export const READER_KEY = 'reader-key-for-route-tests';
export const COORDINATOR_KEY = 'coordinator-key-for-route-tests';

export const sampleCompanies = JSON.parse(readFileSync(join(DEFAULT_SEED_DIR, 'companies.json'), 'utf8')) as Company[];
export const sampleNeeds = JSON.parse(readFileSync(join(DEFAULT_SEED_DIR, 'needs.json'), 'utf8')) as PartnerNeed[];

/** Every contact e-mail in the sample data: none may ever reach a reader. */
export const contactEmails = sampleCompanies.flatMap((c) => (c.contact?.email === undefined ? [] : [c.contact.email]));

export type Caller = 'reader' | 'coordinator' | 'anonymous';

export interface TestAppOptions {
  readonly seed?: boolean;
  readonly limits?: { body?: number; import?: number };
  /** Options of the batch job queue (its caps). */
  readonly jobs?: Parameters<typeof batchQueue>[0];
  readonly sessions?: SessionStore;
  readonly trustProxy?: boolean;
  /** Options of the alert subscriptions (e.g. `allowPrivate` for a loopback webhook receiver). */
  readonly alerts?: SubscriptionStoreOptions;
  /** Open this SQLite file instead of a new one. */
  readonly storePath?: string;
  /** Rank the matches routes on a ranking thread (started after the seed); see `Catalog`. */
  readonly rankingThread?: ConstructorParameters<typeof Catalog>[0]['rankingThread'];
}

/** An app over a real SQLite file in a fresh temp dir, seeded with the sample data unless `seed: false`. */
export function makeTestApp(options: TestAppOptions = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'partnermatch-api-'));
  const store = Store.open(options.storePath ?? join(dir, 'test.db'));
  const catalog = new Catalog({
    store,
    ...(options.alerts === undefined ? {} : { alerts: options.alerts }),
    ...(options.rankingThread === undefined ? {} : { rankingThread: options.rankingThread }),
  });
  if (options.seed !== false) {
    catalog.records.import('company', sampleCompanies, { mode: 'create' });
    catalog.records.import('need', sampleNeeds, { mode: 'create' });
  }
  catalog.rankingThread?.start();
  const keys = KeyRing.fromSpecs([
    { key: READER_KEY, role: 'reader' },
    { key: COORDINATOR_KEY, role: 'coordinator' },
  ]);
  const jobs = batchQueue(options.jobs);
  const internalErrors: unknown[] = [];
  const app = createApp({
    catalog,
    keys,
    jobs,
    ...(options.limits ? { limits: options.limits } : {}),
    ...(options.sessions ? { sessions: options.sessions } : {}),
    ...(options.trustProxy === undefined ? {} : { trustProxy: options.trustProxy }),
    onInternalError: (error) => internalErrors.push(error),
  });

  /** `app.request` as `as` with a JSON body when `json` is given. */
  async function call(
    method: string,
    path: string,
    init: { as?: Caller; json?: unknown; body?: string; headers?: Record<string, string> } = {},
  ): Promise<Response> {
    const headers: Record<string, string> = { ...init.headers };
    const as = init.as ?? 'coordinator';
    if (as !== 'anonymous') headers['authorization'] = `Bearer ${as === 'reader' ? READER_KEY : COORDINATOR_KEY}`;
    let body = init.body;
    if (init.json !== undefined) {
      body = JSON.stringify(init.json);
      headers['content-type'] ??= 'application/json';
    }
    return app.request(path, { method, headers, ...(body === undefined ? {} : { body }) });
  }

  return {
    app,
    catalog,
    store,
    jobs,
    dir,
    internalErrors,
    call,
    close(): void {
      void catalog.close();
      store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export type TestApp = ReturnType<typeof makeTestApp>;
