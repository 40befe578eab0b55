import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PartnermatchError } from '@partnermatch/core';
import { parse } from 'csv-parse/sync';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DecisionHistory } from './history.js';
import { ActionItemSchema, FollowupEventSchema, legacyStatusOfStage, PairStateSchema, STAGES } from './stages.js';

const coordinator = { name: 'anna', role: 'coordinator' };

let dir: string;
let db: Database.Database;
let clock: Date;
let history: DecisionHistory;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'pm-followup-'));
  db = new Database(join(dir, 'db.sqlite'));
  clock = new Date('2026-03-01T09:00:00Z');
  history = new DecisionHistory(db, { now: () => clock });
});

afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

function issuesOf(fn: () => unknown): { path: string; message: string }[] {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(PartnermatchError);
    expect((error as PartnermatchError).code).toBe('INVALID_INPUT');
    return [...(error as PartnermatchError).issues];
  }
  throw new Error('expected INVALID_INPUT');
}

describe('DecisionHistory', () => {
  it('appends every change with time, who and note, and reads the latest as the current stage', () => {
    history.recordStage('n1', 'c1', { stage: 'contacted', note: 'mailed the CEO', nextActionOn: '2026-03-05' }, coordinator);
    clock = new Date('2026-03-04T10:00:00Z');
    history.recordStage('n1', 'c1', { stage: 'meeting' }, { name: 'bo', role: 'coordinator' });

    const events = history.history('n1', 'c1');
    expect(events.map((e) => [e.stage, e.previousStage, e.at, e.actor.name, e.note, e.nextActionOn])).toEqual([
      ['contacted', undefined, '2026-03-01T09:00:00.000Z', 'anna', 'mailed the CEO', '2026-03-05'],
      // Leaving nextActionOn out keeps the pair's next action.
      ['meeting', 'contacted', '2026-03-04T10:00:00.000Z', 'bo', undefined, '2026-03-05'],
    ]);
    expect(history.current('n1', 'c1')).toMatchObject({ stage: 'meeting', nextActionOn: '2026-03-05', updatedBy: { name: 'bo' } });
    expect(history.current('n1', 'c2')).toBeUndefined();
    // What the routes answer is what their OpenAPI schemas say.
    for (const event of events) expect(FollowupEventSchema.strict().parse(event)).toEqual(event);
    expect(PairStateSchema.strict().parse(history.current('n1', 'c1'))).toEqual(history.current('n1', 'c1'));
    for (const item of history.actions({ asOf: '2026-03-09' })) expect(ActionItemSchema.strict().parse(item)).toEqual(item);
  });

  it('refuses to update a stored event at the database itself', () => {
    history.recordStage('n1', 'c1', { stage: 'contacted' }, coordinator);
    expect(() => db.prepare("UPDATE followup_events SET stage = 'agreed'").run()).toThrow(/append-only/);
    expect(history.current('n1', 'c1')?.stage).toBe('contacted');
  });

  it('names the field of bad input and stores nothing', () => {
    expect(issuesOf(() => history.recordStage('n1', 'c1', { stage: 'won', nextActionOn: '2026-02-30' }, coordinator))).toEqual([
      { path: 'body.stage', message: expect.stringContaining('unknown stage "won"') },
      { path: 'body.nextActionOn', message: 'must be a date (YYYY-MM-DD), not "2026-02-30"' },
    ]);
    expect(issuesOf(() => history.setNextAction('n1', 'c1', { nextActionOn: 'tomorrow' }, coordinator))).toEqual([
      { path: 'body.nextActionOn', message: 'must be a date (YYYY-MM-DD), not "tomorrow"' },
    ]);
    expect(issuesOf(() => history.recordStage('n1', 'c1', { stage: 'agreed', extra: 1 }, coordinator))[0]?.path).toBe('body');
    expect(history.history('n1', 'c1')).toEqual([]);
  });

  it('lists actions overdue and due as of a date, most urgent first; a cleared action leaves', () => {
    history.recordStage('n1', 'c1', { stage: 'contacted', nextActionOn: '2026-03-10' }, coordinator);
    history.recordStage('n2', 'c1', { stage: 'meeting', nextActionOn: '2026-03-01' }, coordinator);
    history.recordStage('n1', 'c2', { stage: 'negotiating', nextActionOn: '2026-03-20' }, coordinator);
    history.setNextAction('n3', 'c3', { nextActionOn: '2026-03-10' }, coordinator);

    const asOf10 = history.actions({ asOf: '2026-03-10' });
    expect(asOf10.map((a) => [a.needId, a.companyId, a.state, a.inDays])).toEqual([
      ['n2', 'c1', 'overdue', -9],
      ['n1', 'c1', 'due', 0],
      ['n3', 'c3', 'due', 0],
    ]);
    expect(asOf10[2]?.stage).toBe('suggested');
    expect(history.actions({ asOf: '2026-03-10', withinDays: 10 }).map((a) => a.companyId)).toEqual(['c1', 'c1', 'c3', 'c2']);

    history.setNextAction('n2', 'c1', { nextActionOn: null, note: 'met them' }, coordinator);
    expect(history.actions({ asOf: '2026-03-10' }).map((a) => a.needId)).toEqual(['n1', 'n3']);
    // Default asOf is today by the clock.
    expect(history.actions().map((a) => a.needId)).toEqual([]);
  });

  it('exports the history as CSV with a BOM, formulas escaped and every language intact', () => {
    history.recordStage('n1', 'c1', { stage: 'contacted', note: '=HYPERLINK("http://x")' }, coordinator);
    history.recordStage('n1', 'c1', { stage: 'agreed', note: '签约 — avtal klart' }, { name: '+li', role: 'coordinator' });
    const csv = history.exportCsv();
    expect(csv.startsWith('\uFEFF')).toBe(true);
    const rows = parse(csv.slice(1)) as string[][];
    expect(rows[0]).toEqual(['needId', 'companyId', 'at', 'stage', 'previousStage', 'nextActionOn', 'actorName', 'actorRole', 'note']);
    expect(rows[1]?.[8]).toBe(`'=HYPERLINK("http://x")`);
    expect(rows[2]?.slice(3, 9)).toEqual(['agreed', 'contacted', '', "'+li", 'coordinator', '签约 — avtal klart']);
    expect(parse(history.exportCsv({ needId: 'n9' }).slice(1))).toHaveLength(1);
  });

  it('migrates the three-status decisions once, each as its stage dated when decided', () => {
    db.exec(`CREATE TABLE decisions (need_id TEXT, company_id TEXT, status TEXT, note TEXT, updated_at TEXT);
      INSERT INTO decisions VALUES ('n1', 'c1', 'contacted', NULL, '2025-01-02T00:00:00.000Z'),
        ('n1', 'c2', 'agreed', 'signed', '2025-02-03T00:00:00.000Z'), ('n2', 'c1', 'declined', NULL, '2025-03-04T00:00:00.000Z');`);
    history.recordStage('n2', 'c1', { stage: 'meeting' }, coordinator);

    expect(history.importLegacyDecisions()).toBe(2);
    expect(history.importLegacyDecisions()).toBe(0);
    expect(history.currentAll().map((s) => [s.needId, s.companyId, s.stage, s.updatedAt.slice(0, 10), s.updatedBy.name])).toEqual([
      ['n1', 'c1', 'contacted', '2025-01-02', 'migration'],
      ['n1', 'c2', 'agreed', '2025-02-03', 'migration'],
      ['n2', 'c1', 'meeting', '2026-03-01', 'anna'],
    ]);
    expect(history.current('n1', 'c2')?.note).toBe('signed');
  });

  it('reads every stage as one of the legacy statuses, declined and no-deal leaving rankings alike', () => {
    expect(STAGES.map((s) => legacyStatusOfStage(s))).toEqual([undefined, 'contacted', 'contacted', 'contacted', 'agreed', 'declined', 'declined']);
  });

  it('forgets a deleted record’s pairs and survives a reopen of the file', () => {
    history.recordStage('n1', 'c1', { stage: 'contacted' }, coordinator);
    history.recordStage('n2', 'c2', { stage: 'contacted' }, coordinator);
    expect(history.removeFor('company', 'c1')).toBe(1);
    db.close();
    db = new Database(join(dir, 'db.sqlite'));
    history = new DecisionHistory(db);
    expect(history.currentAll().map((s) => s.needId)).toEqual(['n2']);
  });
});
