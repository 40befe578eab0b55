import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PartnermatchError, type Company } from '@partnermatch/core';
import { afterEach, describe, expect, it } from 'vitest';
import { Catalog } from './catalog.js';
import { IMPORT_TURN_THRESHOLD } from './domain/records.js';
import { Store } from './store.js';
import { sampleCompanies, sampleNeeds } from './test-helpers.js';

/** Large imports are written in turns (issue 14): all or nothing, other writes go on meanwhile. */

const company = (id: string): Company => ({
  id,
  name: `Turn ${id} AB`,
  municipality: 'Karlskrona',
  description: 'Vi bygger solcellsparker och batterilager för mikronät.',
  sectors: ['energy.solar'],
  partnershipTypes: ['export'],
});

const opened: { store: Store; dir: string }[] = [];
afterEach(() => {
  for (const { store, dir } of opened.splice(0)) {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

function seeded(): { catalog: Catalog; store: Store; path: string } {
  const dir = mkdtempSync(join(tmpdir(), 'partnermatch-turns-'));
  const path = join(dir, 'db.sqlite');
  const store = Store.open(path);
  opened.push({ store, dir });
  const catalog = new Catalog({ store });
  catalog.records.importAll([{ kind: 'company', records: sampleCompanies }, { kind: 'need', records: sampleNeeds }], 'create');
  return { catalog, store, path };
}

async function importInTurns(catalog: Catalog, records: readonly unknown[], mode: 'create' | 'upsert' = 'create') {
  return catalog.records.commitInTurns(await catalog.records.validateImportAsync('company', records, { mode }));
}

const stagedRows = (store: Store): number => (store.db.prepare('SELECT count(*) AS n FROM import_staging').get() as { n: number }).n;
const base = sampleCompanies.length;

describe('an import written in turns', { timeout: 120_000 }, () => {
  const size = IMPORT_TURN_THRESHOLD * 8;
  const batch = Array.from({ length: size }, (_, i) => company(`turn-${i}`));

  it('lets the event loop turn while it is written, then holds every record once, in memory and on disk', async () => {
    const { catalog, store, path } = seeded();
    const generation = catalog.records.storedGeneration;
    let ticks = 0;
    const ticker = setInterval(() => (ticks += 1), 0);
    const result = await importInTurns(catalog, batch);
    clearInterval(ticker);
    expect(result).toEqual({ created: size, updated: 0 });
    expect(ticks).toBeGreaterThanOrEqual(2);
    expect(catalog.records.count('company')).toBe(base + size);
    expect(store.count('company')).toBe(base + size);
    expect(catalog.records.storedGeneration).toBe(generation + 1);
    expect(stagedRows(store)).toBe(0);
    // Stored in import order, exactly as one transaction would have stored them.
    expect(store.all('company').slice(base).map((c) => c.id)).toEqual(batch.map((c) => c.id));
    // A new process over the file sees the same records and rankings.
    const need = sampleNeeds[0]!.id;
    const before = catalog.records.matcher.rankCompanies(need, { limit: 20 });
    const reopened = Store.open(path);
    try {
      const again = new Catalog({ store: reopened });
      expect(again.records.count('company')).toBe(base + size);
      expect(again.records.matcher.rankCompanies(need, { limit: 20 })).toEqual(before);
    } finally {
      reopened.close();
    }
  });

  it('updates stored records in place in upsert mode', async () => {
    const { catalog, store } = seeded();
    await importInTurns(catalog, batch);
    const changed = batch.map((c) => ({ ...c, employees: 7 }));
    expect(await importInTurns(catalog, [...changed, company('turn-new')], 'upsert')).toEqual({ created: 1, updated: size });
    expect(store.count('company')).toBe(base + size + 1);
    expect(catalog.records.get('company', 'turn-5').employees).toBe(7);
    expect(store.all('company').find((c) => c.id === 'turn-5')?.employees).toBe(7);
  });

  it('leaves nothing behind, on disk or in memory, when it fails half-way', async () => {
    const { catalog, store } = seeded();
    let seen = 0;
    catalog.records.listen({
      put: () => {
        seen += 1;
        if (seen === Math.floor(size / 2)) throw new Error('disk on fire');
      },
    });
    await expect(importInTurns(catalog, batch)).rejects.toThrow('disk on fire');
    expect(store.count('company')).toBe(base);
    expect(catalog.records.count('company')).toBe(base);
    expect(catalog.records.has('company', 'turn-0')).toBe(false);
    expect(catalog.records.matcher.rankCompanies(sampleNeeds[0]!.id, { limit: 100 }).some((m) => m.companyId.startsWith('turn-'))).toBe(false);
    expect(stagedRows(store)).toBe(0);
    // The next import goes through.
    expect(await importInTurns(catalog, batch.slice(0, IMPORT_TURN_THRESHOLD + 1))).toEqual({ created: IMPORT_TURN_THRESHOLD + 1, updated: 0 });
  });

  it('keeps writes answered while it runs, and refuses itself (409) when one of them took an id it imports', async () => {
    const { catalog, store } = seeded();
    const importing = importInTurns(catalog, batch);
    await new Promise((resolve) => setImmediate(resolve));
    // A create between two turns: it is its own transaction, never part of the import's.
    catalog.records.create('company', company('between-turns'));
    await importing;
    expect(store.count('company')).toBe(base + size + 1);
    expect(catalog.records.has('company', 'between-turns')).toBe(true);

    // Large enough that its first turn (~20 ms) cannot reach its last record even on a fast,
    // idle machine: with 800 records it sometimes did, and the create below was refused instead.
    const lateSize = size * 10;
    const last = `late-${lateSize - 1}`;
    const next = Array.from({ length: lateSize }, (_, i) => company(`late-${i}`));
    const second = importInTurns(catalog, next);
    await new Promise((resolve) => setImmediate(resolve));
    expect(catalog.records.has('company', last)).toBe(false);
    catalog.records.create('company', company(last));
    const error = await second.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(PartnermatchError);
    expect((error as PartnermatchError).code).toBe('DUPLICATE_ID');
    // The create stays; nothing of the refused import does.
    expect(store.count('company')).toBe(base + size + 2);
    expect(catalog.records.count('company')).toBe(base + size + 2);
    expect(catalog.records.has('company', 'late-0')).toBe(false);
  });

  it('clears rows a crash left in the staging table at start and never reads them as records', async () => {
    const { catalog, store, path } = seeded();
    await importInTurns(catalog, batch.slice(0, IMPORT_TURN_THRESHOLD + 1));
    store.db.prepare('INSERT INTO import_staging (id, data) VALUES (?, ?)').run('ghost', JSON.stringify(company('ghost')));
    const reopened = Store.open(path);
    try {
      expect(new Catalog({ store: reopened }).records.has('company', 'ghost')).toBe(false);
      // Cleared at start, not left for the next large import.
      expect(stagedRows(reopened)).toBe(0);
    } finally {
      reopened.close();
    }
    await importInTurns(catalog, batch.slice(IMPORT_TURN_THRESHOLD + 1));
    expect(stagedRows(store)).toBe(0);
    expect(store.count('company')).toBe(base + size);
  });
});
