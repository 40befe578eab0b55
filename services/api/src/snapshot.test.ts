import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { findDuplicates, preloadSnapshot, readSnapshotHeader, type Company, type Matcher, type SnapshotPreload } from '@partnermatch/core';
import { Catalog } from './catalog.js';
import { loadConfig } from './config.js';
import { DATABASE_FILE, startServer } from './server.js';
import { SNAPSHOT_FILE, SnapshotKeeper } from './snapshot.js';
import { Store } from './store.js';
import { sampleCompanies, sampleNeeds } from './test-helpers.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'partnermatch-snapshot-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const database = (): string => join(dir, DATABASE_FILE);

/** Counts the store's single-record reads from now on. */
function countReads(store: Store): () => number {
  let reads = 0;
  const read = store.read.bind(store);
  store.read = ((kind, id) => {
    reads += 1;
    return read(kind, id);
  }) as Store['read'];
  return () => reads;
}
const snapshotPath = (): string => join(dir, SNAPSHOT_FILE);

/** Opens the catalog over the temp database, with the snapshot in the same directory; `use` gets it, then it is closed. */
function withCatalog<T>(use: (catalog: Catalog, warnings: string[]) => T, snapshot = true, snapshotPreload?: SnapshotPreload): T {
  const store = Store.open(database());
  const warnings: string[] = [];
  try {
    const preload = snapshotPreload === undefined ? {} : { snapshotPreload };
    return use(new Catalog({ store, warn: (message) => warnings.push(message), ...(snapshot ? { snapshotDir: dir, ...preload } : {}) }), warnings);
  } finally {
    store.close();
  }
}

/** Every ranking the service gives both ways, with explanations, as one string. */
function rankings(catalog: Catalog): string {
  const { matcher } = catalog.records;
  const options = { limit: 20, includeExpired: true, explain: true } as const;
  return JSON.stringify([
    catalog.records.all('need').map((need) => matcher.rankCompanies(need.id, options)),
    catalog.records.all('company').map((company) => matcher.rankNeeds(company.id, options)),
  ]);
}

function seed(): void {
  withCatalog((catalog) => {
    catalog.records.import('company', sampleCompanies, { mode: 'create' });
    catalog.records.import('need', sampleNeeds, { mode: 'create' });
    catalog.records.saveSnapshot();
  });
}

/** The rankings of a build that never sees a snapshot. */
const built = (): string => withCatalog((catalog) => rankings(catalog), false);

/** A start that loads the snapshot without a warning and ranks as a build over the same records. */
function expectLoadedAsBuilt(): void {
  withCatalog((catalog, warnings) => {
    expect(catalog.records.indexSource).toEqual({ from: 'snapshot' });
    expect(warnings).toEqual([]);
    expect(rankings(catalog)).toBe(built());
  });
}

// Each test builds the sample index several times over: slow on a busy machine.
describe('the index snapshot in DATA_DIR', { timeout: 60_000 }, () => {
  it('counts every committed write in the database generation, in the write’s own transaction', () => {
    withCatalog((catalog) => {
      expect(catalog.records.storedGeneration).toBe(0);
      catalog.records.import('company', sampleCompanies.slice(0, 3), { mode: 'create' });
      catalog.records.create('need', sampleNeeds[0]);
      expect(catalog.records.storedGeneration).toBe(2);
      // A failed write (a duplicate inside one import) leaves the generation as it was.
      expect(() => catalog.records.import('company', [sampleCompanies[5], sampleCompanies[5]], { mode: 'create' })).toThrow();
      expect(catalog.records.storedGeneration).toBe(2);
    });
    withCatalog((catalog) => expect(catalog.records.storedGeneration).toBe(2));
  });

  it('is loaded at start and gives the rankings a build gives, bit for bit', () => {
    seed();
    expect(existsSync(snapshotPath())).toBe(true);
    expectLoadedAsBuilt();
  });

  it('leaves records unread until used, and a write to one not read yet unindexes what the index was made from', () => {
    seed();
    const [patched, deleted, renamed] = [sampleCompanies[0]!.id, sampleCompanies[1]!.id, sampleNeeds[2]!.id];
    const after = withCatalog((catalog, warnings) => {
      expect(catalog.records.indexSource).toEqual({ from: 'snapshot' });
      expect(warnings).toEqual([]);
      const reads = countReads(catalog.records.store);
      expect(reads()).toBe(0);
      // A page of every record reads the page's records alone; the total counts them all.
      const page = catalog.records.list('company', {}, { limit: 3, offset: 2 });
      expect(page.items.map((c) => c.id)).toEqual(sampleCompanies.map((c) => c.id).sort().slice(2, 5));
      expect(page.total).toBe(sampleCompanies.length);
      expect(reads()).toBe(3);
      catalog.records.patch('company', patched, { description: 'Solcellsparker och batterilager.' });
      catalog.records.remove('company', deleted);
      catalog.records.rename('need', renamed, 'renamed-need');
      // Each write read the record it changed first, while its row was still the one indexed.
      expect(reads()).toBeGreaterThan(0);
      return rankings(catalog);
    });
    // A build over the database as the writes left it ranks the same, bit for bit.
    expect(after).toBe(built());
  });

  it('starts the duplicate check from the index and the stored names, reading no record, with the warnings of a build', () => {
    seed();
    const twin = { ...sampleCompanies[4]!, id: 'twin-of-4', name: `${sampleCompanies[4]!.name} AB` };
    const checked = (catalog: Catalog) => catalog.duplicates.check('company', [twin], () => catalog.records.create('company', twin)).warnings;
    // What the library's check over the stored records, each analysed, reports.
    const expected = findDuplicates(sampleCompanies as Company[], [twin as Company]);
    expect(expected.map((w) => w.duplicateOf)).toContain(sampleCompanies[4]!.id);
    withCatalog((catalog) => {
      expect(catalog.records.indexSource).toEqual({ from: 'snapshot' });
      const reads = countReads(catalog.records.store);
      expect(checked(catalog)).toEqual(expected);
      // The seed read no stored record (the create reads none either: it is new).
      expect(reads()).toBe(0);
      void catalog.close();
    });
  });

  it('reads every record ahead in turns once started, and its lists hold them all', async () => {
    seed();
    const store = Store.open(database());
    try {
      const catalog = new Catalog({ store, snapshotDir: dir });
      expect(catalog.records.indexSource).toEqual({ from: 'snapshot' });
      const reads = countReads(store);
      await catalog.records.readUnread();
      // Read from the rows in turns, not one query per record.
      expect(reads()).toBe(0);
      expect(catalog.records.all('company').map((c) => c.id)).toEqual([...sampleCompanies].map((c) => c.id).sort());
      expect(catalog.records.get('company', sampleCompanies[3]!.id)).toEqual(sampleCompanies[3]);
      expect(reads()).toBe(0);
      expect(rankings(catalog)).toBe(built());
    } finally {
      store.close();
    }
  });

  it('is caught up with the writes committed after it (a crash before shutdown), to the rankings a build gives', () => {
    seed();
    const older = readFileSync(snapshotPath());
    const [patched, removed, renamed, closed] = [sampleCompanies[0]!.id, sampleCompanies[1]!.id, sampleNeeds[2]!.id, sampleNeeds[3]!.id];
    withCatalog((catalog) => {
      catalog.records.patch('company', patched, { description: 'Solcellsparker och batterilager.' });
      catalog.records.remove('company', removed);
      catalog.records.create('company', { id: 'new-honey', name: 'Karlshamn Honung AB', description: 'Biodling och honung, export till Kina.' });
      catalog.records.rename('need', renamed, 'renamed-need');
      catalog.records.patch('need', closed, { status: 'closed' });
      catalog.records.create('need', { ...sampleNeeds[4]!, id: 'new-need', title: '普洱茶园的污水处理' });
      // Not saved: the process stops here.
    });
    const expected = built();
    withCatalog((catalog, warnings) => {
      // The three companies and four needs named by the writes (a rename names both ids).
      expect(catalog.records.indexSource).toEqual({ from: 'snapshot', caughtUp: 7 });
      expect(warnings).toEqual([]);
      expect(rankings(catalog)).toBe(expected);
      expect(catalog.records.has('company', removed)).toBe(false);
      expect(catalog.records.get('company', patched).description).toBe('Solcellsparker och batterilager.');
      // Still behind the database until saved; the save prunes the log it no longer needs.
      expect(catalog.records.snapshotBehind).toBe(true);
      expect(catalog.records.store.changesSince(2)).toBeDefined();
      expect(catalog.records.saveSnapshot()).toBe(true);
      expect(catalog.records.store.changesSince(2)).toBeUndefined();
      expect(catalog.records.store.changesSince(catalog.records.storedGeneration)).toEqual({ companies: new Set(), needs: new Set() });
    });
    withCatalog((catalog) => expect(catalog.records.indexSource).toEqual({ from: 'snapshot' }));
    // An older snapshot than the log reaches back to is rebuilt, never trusted.
    writeFileSync(snapshotPath(), older);
    withCatalog((catalog, warnings) => {
      expect(catalog.records.indexSource.from).toBe('build');
      expect(warnings.join('\n')).toMatch(/stale.*generation 2/);
      expect(rankings(catalog)).toBe(expected);
    });
  });

  it('is rebuilt, never caught up, when it is newer than the database (a database restored from a backup)', () => {
    seed();
    const backup = readFileSync(database());
    withCatalog((catalog) => {
      catalog.records.patch('company', sampleCompanies[0]!.id, { description: 'Vindkraft till havs.' });
      expect(catalog.records.saveSnapshot()).toBe(true);
    });
    writeFileSync(database(), backup);
    withCatalog((catalog, warnings) => {
      expect(catalog.records.indexSource.from).toBe('build');
      expect(warnings.join('\n')).toMatch(/stale.*generation 3.*at 2/);
      expect(rankings(catalog)).toBe(built());
    });
  });

  it('puts a record removed and made again since in its stored place, so the next start loads the saved catch-up', () => {
    seed();
    const need = sampleNeeds[0]!;
    withCatalog((catalog) => {
      catalog.records.remove('need', need.id);
      catalog.records.create('need', need);
    });
    withCatalog((catalog) => {
      expect(catalog.records.indexSource).toEqual({ from: 'snapshot', caughtUp: 1 });
      const batchOrder = (catalog.records.matcher as Matcher).rankAll({ limit: 1, includeExpired: true }).map((result) => result.queryId);
      expect(batchOrder.at(-1)).toBe(need.id);
      expect(catalog.records.saveSnapshot()).toBe(true);
    });
    expectLoadedAsBuilt();
  });

  it('is rebuilt rather than caught up when more than 1,000 records (or a tenth of the register) were written since', () => {
    seed();
    const many = Array.from({ length: 1_001 }, (_, i) => ({ id: `bulk-${i}`, name: `Firma ${i} AB`, description: 'Solceller.' }));
    withCatalog((catalog) => catalog.records.import('company', many, { mode: 'create' }));
    withCatalog((catalog) => {
      expect(catalog.records.indexSource.from).toBe('build');
      expect(catalog.records.count('company')).toBe(sampleCompanies.length + many.length);
    });
  });

  it('is caught up when only decisions were written after it, and rebuilt when the log misses a record write', () => {
    seed();
    withCatalog((catalog) => catalog.decisions.set(sampleNeeds[0]!.id, sampleCompanies[0]!.id, 'contacted'));
    withCatalog((catalog) => {
      expect(catalog.records.indexSource).toEqual({ from: 'snapshot', caughtUp: 0 });
      expect(rankings(catalog)).toBe(built());
    });
    // A removal the log does not name (its rows deleted by hand) leaves the ids unlike the snapshot's.
    withCatalog((catalog) => {
      catalog.records.remove('company', sampleCompanies[2]!.id);
      catalog.records.store.db.exec("DELETE FROM record_changes WHERE kind = 'company'");
    }, false);
    withCatalog((catalog, warnings) => {
      expect(catalog.records.indexSource.from).toBe('build');
      expect(warnings.join('\n')).toMatch(/stale/);
    });
  });

  it('is loaded from a preload on a worker thread, and a torn preloaded file is rebuilt', () => {
    seed();
    const expected = built();
    const preload = preloadSnapshot(snapshotPath());
    // Read into shared memory: by the preload thread, not this one.
    expect(preload.wait().shared).toBe(true);
    withCatalog(
      (catalog, warnings) => {
        expect(catalog.records.indexSource).toEqual({ from: 'snapshot' });
        expect(warnings).toEqual([]);
        expect(rankings(catalog)).toBe(expected);
      },
      true,
      preload,
    );
    const whole = readFileSync(snapshotPath());
    writeFileSync(snapshotPath(), whole.subarray(0, whole.byteLength - 7));
    withCatalog(
      (catalog, warnings) => {
        expect(catalog.records.indexSource.from).toBe('build');
        expect(warnings.join('\n')).toMatch(/snapshot rejected \((torn|checksum)\)/);
        expect(rankings(catalog)).toBe(expected);
      },
      true,
      preloadSnapshot(snapshotPath()),
    );
    rmSync(snapshotPath());
    withCatalog((catalog) => expect(catalog.records.indexSource).toEqual({ from: 'build', reason: 'no snapshot' }), true, preloadSnapshot(snapshotPath()));
  });

  it('is rebuilt when the file is truncated or a byte in it is changed', () => {
    seed();
    const whole = readFileSync(snapshotPath());
    const expected = built();
    const flipped = Buffer.from(whole);
    const middle = flipped.byteLength >> 1;
    flipped[middle] = flipped[middle]! ^ 0x01;
    const damaged = [whole.subarray(0, whole.byteLength >> 1), flipped];
    for (const bytes of damaged) {
      writeFileSync(snapshotPath(), bytes);
      withCatalog((catalog, warnings) => {
        expect(catalog.records.indexSource.from).toBe('build');
        expect(warnings.join('\n')).toMatch(/snapshot rejected \((torn|checksum)\)/);
        expect(rankings(catalog)).toBe(expected);
      });
      // The rebuild saved a whole snapshot again.
      expect(readFileSync(snapshotPath()).equals(whole)).toBe(true);
    }
  });

  it('is saved at the seeded generation by the first start, so a start after a kill loads it', async () => {
    const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dir, PARTNERMATCH_API_KEYS: 'snapshot-test-key:coordinator' });
    const first: string[] = [];
    const running = await startServer(config, { log: (line) => first.push(line) });
    let written: Buffer;
    try {
      expect(first.join('\n')).toMatch(/seed: loaded [1-9]\d* companies/);
      // What a kill -9 now would leave on disk: the snapshot of the seeded records, not of the empty database.
      written = readFileSync(snapshotPath());
      expect(readSnapshotHeader(written)).toMatchObject({ generation: String(running.catalog.records.storedGeneration), companies: running.catalog.records.count('company') });
      expect(running.catalog.records.storedGeneration).toBeGreaterThan(0);
    } finally {
      await running.close();
    }
    // The shutdown had nothing newer to save.
    expect(readFileSync(snapshotPath()).equals(written)).toBe(true);
    const second: string[] = [];
    const again = await startServer(config, { log: (line) => second.push(line) });
    try {
      expect(second.join('\n')).toMatch(/index: loaded from the snapshot/);
      expect(second.join('\n')).not.toMatch(/snapshot rejected/);
    } finally {
      await again.close();
    }
  });

  it('is saved by the server at shutdown after writes, and loaded by the next start', async () => {
    const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dir, PARTNERMATCH_API_KEYS: 'snapshot-test-key:coordinator' });
    const first: string[] = [];
    const running = await startServer(config, { log: (line) => first.push(line) });
    expect(first.join('\n')).toMatch(/index: built/);
    await running.close();
    const second: string[] = [];
    const again = await startServer(config, { log: (line) => second.push(line) });
    try {
      expect(second.join('\n')).toMatch(/index: loaded from the snapshot/);
      const response = await fetch(`${again.url.replace('localhost', '127.0.0.1')}/needs/${sampleNeeds[0]!.id}/matches?limit=5`, {
        headers: { authorization: 'Bearer snapshot-test-key' },
      });
      expect(response.status).toBe(200);
      expect(rankings(again.catalog)).not.toBe('[[],[]]');
    } finally {
      await again.close();
    }
    const expected = built();
    withCatalog((catalog) => {
      expect(catalog.records.indexSource).toEqual({ from: 'snapshot' });
      expect(rankings(catalog)).toBe(expected);
    });
  });
});

describe('SnapshotKeeper', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('saves a delay after the last write, at most ten delays after the first, and retries a save that cannot be made yet', () => {
    const outcomes: ('saved' | 'current' | 'not-now')[] = [];
    let next: 'saved' | 'not-now' = 'saved';
    const keeper = new SnapshotKeeper(() => {
      outcomes.push(next);
      return next;
    }, 1_000);
    keeper.changed();
    vi.advanceTimersByTime(999);
    expect(outcomes).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(outcomes).toEqual(['saved']);
    // Writes every half delay never pause: saved ten delays after the first of them.
    for (let t = 0; t < 9_500; t += 500) {
      keeper.changed();
      vi.advanceTimersByTime(500);
    }
    expect(outcomes).toEqual(['saved']);
    keeper.changed();
    vi.advanceTimersByTime(500);
    expect(outcomes).toEqual(['saved', 'saved']);
    next = 'not-now';
    keeper.changed();
    vi.advanceTimersByTime(1_000);
    expect(outcomes).toEqual(['saved', 'saved', 'not-now']);
    next = 'saved';
    vi.advanceTimersByTime(1_000);
    expect(outcomes).toEqual(['saved', 'saved', 'not-now', 'saved']);
    keeper.changed();
    keeper.stop();
    vi.advanceTimersByTime(20_000);
    expect(outcomes).toHaveLength(4);
  });

  it('does nothing with a delay of 0 (saved at shutdown only)', () => {
    let saves = 0;
    const keeper = new SnapshotKeeper(() => {
      saves += 1;
      return 'saved';
    }, 0);
    keeper.changed();
    vi.advanceTimersByTime(60_000);
    expect(saves).toBe(0);
  });
});
