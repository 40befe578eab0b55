import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Store } from './store.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'partnermatch-store-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const company = { id: 'c1', name: 'One AB', description: 'One' };
const need = { id: 'n1', title: 'Need', organization: 'Org', description: 'Need one', status: 'open' };

describe('Store', () => {
  it('uses WAL and keeps every committed write across a reopen', () => {
    const path = join(dir, 'db.sqlite');
    const store = Store.open(path);
    expect(store.journalMode).toBe('wal');
    store.transaction(() => {
      store.insert('company', company);
      store.insert('need', need);
      store.putDecision({ needId: 'n1', companyId: 'c1', status: 'agreed', updatedAt: '2026-01-01T00:00:00.000Z' });
    });
    store.close();
    store.close();

    const reopened = Store.open(path);
    expect(reopened.all('company')).toEqual([company]);
    expect(reopened.all('need')).toEqual([need]);
    expect(reopened.decisions()).toEqual([{ needId: 'n1', companyId: 'c1', status: 'agreed', updatedAt: '2026-01-01T00:00:00.000Z' }]);
    reopened.close();
  });

  it('rolls a whole transaction back when it throws', () => {
    const store = Store.open(join(dir, 'db.sqlite'));
    expect(() =>
      store.transaction(() => {
        store.insert('company', company);
        store.insert('company', company); // primary key violation
      }),
    ).toThrow();
    expect(store.count('company')).toBe(0);
    store.close();
  });

  it('keeps decisions when a record is updated and drops them when it is deleted', () => {
    const store = Store.open(join(dir, 'db.sqlite'));
    store.insert('company', company);
    store.insert('need', need);
    store.putDecision({ needId: 'n1', companyId: 'c1', status: 'declined', note: 'no', updatedAt: 'now' });
    const renamed = { ...company, name: 'Renamed' };
    expect(store.update('company', renamed)).toBe(true);
    expect(store.decisions()).toHaveLength(1);
    expect(store.delete('company', 'c1')).toBe(true);
    expect(store.decisions()).toEqual([]);
    expect(store.update('company', company)).toBe(false);
    store.close();
  });

  it('refuses a decision on a pair that does not exist', () => {
    const store = Store.open(join(dir, 'db.sqlite'));
    expect(() => store.putDecision({ needId: 'x', companyId: 'y', status: 'agreed', updatedAt: 'now' })).toThrow(/FOREIGN KEY/);
    store.close();
  });
});
