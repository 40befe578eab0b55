import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDuplicateThread, type Company, type DuplicateThread, type DuplicateWarning } from '@partnermatch/core';
import { afterEach, describe, expect, it } from 'vitest';
import { Catalog, type CatalogOptions } from '../catalog.js';
import { Store } from '../store.js';
import { sampleCompanies } from '../test-helpers.js';

// The labelled duplicates set: an import of renamed, re-described and translated firms against the sample register.
const incoming = JSON.parse(readFileSync(fileURLToPath(new URL('../../../../fixtures/duplicates/incoming.json', import.meta.url)), 'utf8')) as Company[];

const opened: { catalog: Catalog; store: Store; dir: string }[] = [];
afterEach(async () => {
  for (const { catalog, store, dir } of opened.splice(0)) {
    await catalog.close();
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

function catalogOver(options: Omit<CatalogOptions, 'store'> = {}): Catalog {
  const dir = mkdtempSync(join(tmpdir(), 'partnermatch-dup-'));
  const store = Store.open(join(dir, 'test.db'));
  const catalog = new Catalog({ store, ...options });
  catalog.records.import('company', sampleCompanies, { mode: 'create' });
  opened.push({ catalog, store, dir });
  return catalog;
}

const importChecked = (catalog: Catalog, companies: readonly Company[]): DuplicateWarning[] =>
  catalog.duplicates.check('company', companies, () => catalog.records.import('company', companies, { mode: 'create' })).warnings;

describe('the duplicate check on its worker thread', () => {
  it('gives exactly the warnings of the check on this thread, for an import and for single creates after it', async () => {
    const threaded = catalogOver();
    const inline = catalogOver({ duplicateCheck: { worker: false } });
    const [first, second] = [incoming.slice(0, 40), incoming.slice(40)];
    const onWorker = importChecked(threaded, first);
    expect(threaded.duplicates.threaded).toBe(true);
    const onThisThread = importChecked(inline, first);
    expect(inline.duplicates.threaded).toBe(false);
    expect(onWorker.length).toBeGreaterThan(20);
    expect(onWorker).toEqual(onThisThread);
    for (const company of second) {
      const checkedAsync = await threaded.duplicates.checkAsync('company', [company], async () => threaded.records.import('company', [company], { mode: 'create' }));
      expect(checkedAsync.warnings).toEqual(importChecked(inline, [company]));
    }
    const listed = await threaded.duplicates.possibleAsync();
    expect(listed.length).toBeGreaterThan(20);
    expect(listed).toEqual(inline.duplicates.possible());
    expect(threaded.duplicates.possible()).toBe(listed);
  });

  it('follows updates and deletions made outside a check', () => {
    const threaded = catalogOver();
    const inline = catalogOver({ duplicateCheck: { worker: false } });
    for (const catalog of [threaded, inline]) {
      importChecked(catalog, incoming.slice(0, 10));
      catalog.records.remove('company', incoming[0]!.id);
      catalog.records.replace('company', incoming[1]!.id, { ...incoming[1]!, description: 'Konsthantverk i glas: munblåsta vaser och skålar.' });
    }
    const again = incoming.slice(10, 30);
    expect(importChecked(threaded, again)).toEqual(importChecked(inline, again));
  });

  it('checks an import written in turns as it goes, one turn at most in flight, with the same warnings', async () => {
    // Enough records for several turns: the labelled set three times over under new ids.
    const many = [0, 1, 2].flatMap((round) => incoming.map((company) => ({ ...company, id: `${company.id}-r${round}` })));
    let thread: DuplicateThread | undefined;
    let settles = 0;
    const threaded = catalogOver({
      duplicateCheck: {
        open: (existing, options, settings) => {
          const opened = openDuplicateThread(existing, options, settings);
          const settledAsync = opened.settledAsync.bind(opened);
          opened.settledAsync = () => {
            settles += 1;
            return settledAsync();
          };
          return (thread = opened);
        },
      },
    });
    const inline = catalogOver({ duplicateCheck: { worker: false } });
    const inTurns = async (catalog: Catalog): Promise<DuplicateWarning[]> => {
      const validated = await catalog.records.validateImportAsync('company', many, { mode: 'create' });
      return (await catalog.duplicates.checkAsync('company', validated.records, () => catalog.records.commitInTurns(validated))).warnings;
    };
    const onWorker = await inTurns(threaded);
    expect(thread?.threaded).toBe(true);
    expect(settles, 'the import waited for the worker between turns').toBeGreaterThan(0);
    expect(onWorker.length).toBeGreaterThan(3 * 20);
    expect(onWorker).toEqual(await inTurns(inline));
  });

  it('keeps writing and warning when its worker stopped between writes', async () => {
    let thread: DuplicateThread | undefined;
    const threaded = catalogOver({ duplicateCheck: { open: (existing, options, settings) => (thread = openDuplicateThread(existing, options, settings)) } });
    const inline = catalogOver({ duplicateCheck: { worker: false } });
    const [first, second, third] = [incoming.slice(0, 20), incoming.slice(20, 40), incoming.slice(40)];
    expect(importChecked(threaded, first)).toEqual(importChecked(inline, first));
    await thread!.close();
    // Written outside a check while the worker is gone: the write goes through.
    for (const catalog of [threaded, inline]) catalog.records.import('company', second, { mode: 'create' });
    expect(threaded.records.has('company', second[0]!.id)).toBe(true);
    expect(importChecked(threaded, third)).toEqual(importChecked(inline, third));
    expect(threaded.duplicates.threaded).toBe(false);
  });

  it('keeps every warning when its worker stops in the middle of an import: the check goes on on this thread', () => {
    let thread: DuplicateThread | undefined;
    const threaded = catalogOver({
      duplicateCheck: {
        open: (existing, options, settings) => (thread = openDuplicateThread(existing, options, settings)),
      },
    });
    const inline = catalogOver({ duplicateCheck: { worker: false } });
    const { warnings } = threaded.duplicates.check('company', incoming, () => {
      const result = threaded.records.import('company', incoming, { mode: 'create' });
      expect(thread?.threaded).toBe(true);
      void thread!.close();
      return result;
    });
    expect(threaded.duplicates.threaded).toBe(false);
    expect(warnings).toEqual(importChecked(inline, incoming));
  });
});
