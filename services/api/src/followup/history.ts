import type Database from 'better-sqlite3';
import { stringify } from 'csv-stringify/sync';
import { addDays, daysBetween, today } from './deadlines.js';
import { parseInput } from './input.js';
import {
  LEGACY_STATUSES,
  NextActionInputSchema,
  stageOfLegacyStatus,
  StageChangeInputSchema,
  type LegacyStatus,
  type Stage,
} from './stages.js';

/** Who made a change: the API key's name and role. */
export interface Actor {
  readonly name: string;
  readonly role: string;
}

/** One change on a pair, as stored: never updated, only appended. */
export interface FollowupEvent {
  readonly id: number;
  readonly needId: string;
  readonly companyId: string;
  readonly at: string;
  readonly stage: Stage;
  /** The stage before this change; absent on a pair's first event. */
  readonly previousStage?: Stage;
  readonly note?: string;
  /** The next-action date after this change (`YYYY-MM-DD`); absent when there is none. */
  readonly nextActionOn?: string;
  readonly actor: Actor;
}

/** Where a pair stands: its latest event. */
export interface PairState {
  readonly needId: string;
  readonly companyId: string;
  readonly stage: Stage;
  readonly nextActionOn?: string;
  readonly updatedAt: string;
  readonly updatedBy: Actor;
  readonly note?: string;
}

/** A pair whose next action falls due: `overdue` before `asOf`, `due` on it or within the window after it. */
export interface ActionItem extends PairState {
  readonly nextActionOn: string;
  readonly state: 'overdue' | 'due';
  /** Days from `asOf` to the action date; negative when overdue. */
  readonly inDays: number;
}

const EVENT_COLUMNS = 'id, need_id, company_id, at, stage, previous_stage, note, next_action_on, actor_name, actor_role';

interface EventRow {
  id: number;
  need_id: string;
  company_id: string;
  at: string;
  stage: Stage;
  previous_stage: Stage | null;
  note: string | null;
  next_action_on: string | null;
  actor_name: string;
  actor_role: string;
}

const STAGE_LIST = "'suggested', 'contacted', 'meeting', 'negotiating', 'agreed', 'declined', 'no-deal'";

/**
 * Creates the history table if it is missing. The trigger makes the history append-only at
 * the database itself: an UPDATE aborts; DELETE stays possible so a deleted record's history
 * can go with it.
 */
export function migrate(db: Database.Database): void {
  db.exec(`
    CREATE TABLE IF NOT EXISTS followup_events (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      need_id TEXT NOT NULL,
      company_id TEXT NOT NULL,
      at TEXT NOT NULL,
      stage TEXT NOT NULL CHECK (stage IN (${STAGE_LIST})),
      previous_stage TEXT CHECK (previous_stage IN (${STAGE_LIST})),
      note TEXT,
      next_action_on TEXT CHECK (next_action_on IS NULL OR date(next_action_on) = next_action_on),
      actor_name TEXT NOT NULL,
      actor_role TEXT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS followup_events_by_pair ON followup_events(need_id, company_id, id);
    CREATE INDEX IF NOT EXISTS followup_events_by_company ON followup_events(company_id);
    CREATE TRIGGER IF NOT EXISTS followup_events_append_only BEFORE UPDATE ON followup_events
    BEGIN SELECT RAISE(ABORT, 'followup_events is append-only'); END;
  `);
}

function toEvent(row: EventRow): FollowupEvent {
  return {
    id: row.id,
    needId: row.need_id,
    companyId: row.company_id,
    at: row.at,
    stage: row.stage,
    ...(row.previous_stage === null ? {} : { previousStage: row.previous_stage }),
    ...(row.note === null ? {} : { note: row.note }),
    ...(row.next_action_on === null ? {} : { nextActionOn: row.next_action_on }),
    actor: { name: row.actor_name, role: row.actor_role },
  };
}

function toState(row: EventRow): PairState {
  return {
    needId: row.need_id,
    companyId: row.company_id,
    stage: row.stage,
    ...(row.next_action_on === null ? {} : { nextActionOn: row.next_action_on }),
    updatedAt: row.at,
    updatedBy: { name: row.actor_name, role: row.actor_role },
    ...(row.note === null ? {} : { note: row.note }),
  };
}

/** The latest event of each pair. */
const LATEST = `SELECT ${EVENT_COLUMNS} FROM followup_events
  WHERE id IN (SELECT max(id) FROM followup_events GROUP BY need_id, company_id)`;

/**
 * The decision history of need–company pairs in SQLite. Every change appends one row (time,
 * stage, note, next-action date, who); a pair's current stage and next action are its latest
 * row's. Checking that the need and company exist is the caller's (the domain layer's) job.
 * Each write is one statement; callers that write more group them in a transaction.
 */
export class DecisionHistory {
  readonly #db: Database.Database;
  readonly #now: () => Date;

  constructor(db: Database.Database, options: { readonly now?: () => Date } = {}) {
    this.#db = db;
    this.#now = options.now ?? (() => new Date());
    migrate(db);
  }

  #latestRow(needId: string, companyId: string): EventRow | undefined {
    return this.#db
      .prepare(`SELECT ${EVENT_COLUMNS} FROM followup_events WHERE need_id = ? AND company_id = ? ORDER BY id DESC LIMIT 1`)
      .get(needId, companyId) as EventRow | undefined;
  }

  #append(row: Omit<EventRow, 'id'>): FollowupEvent {
    const result = this.#db
      .prepare(
        `INSERT INTO followup_events (need_id, company_id, at, stage, previous_stage, note, next_action_on, actor_name, actor_role)
         VALUES (@need_id, @company_id, @at, @stage, @previous_stage, @note, @next_action_on, @actor_name, @actor_role)`,
      )
      .run(row);
    return toEvent({ ...row, id: Number(result.lastInsertRowid) });
  }

  /**
   * Appends a stage change. `input` is checked against {@link StageChangeInputSchema} (bad
   * input → INVALID_INPUT naming `body.<field>`); `nextActionOn` left out keeps the pair's
   * current next action, `null` clears it.
   */
  recordStage(needId: string, companyId: string, input: unknown, actor: Actor): FollowupEvent {
    const change = parseInput(StageChangeInputSchema, input);
    const latest = this.#latestRow(needId, companyId);
    const nextActionOn = change.nextActionOn === undefined ? (latest?.next_action_on ?? null) : change.nextActionOn;
    return this.#append({
      need_id: needId,
      company_id: companyId,
      at: this.#now().toISOString(),
      stage: change.stage,
      previous_stage: latest?.stage ?? null,
      note: change.note === undefined || change.note === '' ? null : change.note,
      next_action_on: nextActionOn,
      actor_name: actor.name,
      actor_role: actor.role,
    });
  }

  /** Appends a change of the next-action date alone; a pair with no history yet starts at `suggested`. */
  setNextAction(needId: string, companyId: string, input: unknown, actor: Actor): FollowupEvent {
    const change = parseInput(NextActionInputSchema, input);
    const latest = this.#latestRow(needId, companyId);
    return this.#append({
      need_id: needId,
      company_id: companyId,
      at: this.#now().toISOString(),
      stage: latest?.stage ?? 'suggested',
      previous_stage: latest?.stage ?? null,
      note: change.note === undefined || change.note === '' ? null : change.note,
      next_action_on: change.nextActionOn,
      actor_name: actor.name,
      actor_role: actor.role,
    });
  }

  /** Where a pair stands, or undefined when it has no history. */
  current(needId: string, companyId: string): PairState | undefined {
    const row = this.#latestRow(needId, companyId);
    return row === undefined ? undefined : toState(row);
  }

  /** Every pair's current state, optionally of one need, company or stage; ordered by need and company. */
  currentAll(filter: { readonly needId?: string; readonly companyId?: string; readonly stage?: Stage } = {}): PairState[] {
    const where: string[] = [];
    const params: string[] = [];
    if (filter.needId !== undefined) (where.push('need_id = ?'), params.push(filter.needId));
    if (filter.companyId !== undefined) (where.push('company_id = ?'), params.push(filter.companyId));
    if (filter.stage !== undefined) (where.push('stage = ?'), params.push(filter.stage));
    const sql = `SELECT * FROM (${LATEST}) ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY need_id, company_id`;
    return (this.#db.prepare(sql).all(...params) as EventRow[]).map(toState);
  }

  /** A pair's events, oldest first. */
  history(needId: string, companyId: string): FollowupEvent[] {
    const rows = this.#db
      .prepare(`SELECT ${EVENT_COLUMNS} FROM followup_events WHERE need_id = ? AND company_id = ? ORDER BY id`)
      .all(needId, companyId) as EventRow[];
    return rows.map(toEvent);
  }

  /**
   * Pairs whose next action is overdue (before `asOf`) or due (from `asOf` to `withinDays`
   * days after it), most urgent first, ties by need and company. `asOf` defaults to today (UTC).
   */
  actions(options: { readonly asOf?: string; readonly withinDays?: number } = {}): ActionItem[] {
    const asOf = options.asOf ?? today(this.#now());
    const until = addDays(asOf, options.withinDays ?? 0);
    const rows = this.#db
      .prepare(`SELECT * FROM (${LATEST}) WHERE next_action_on IS NOT NULL AND next_action_on <= ? ORDER BY next_action_on, need_id, company_id`)
      .all(until) as EventRow[];
    return rows.map((row) => {
      const date = row.next_action_on!;
      return { ...toState(row), nextActionOn: date, state: date < asOf ? 'overdue' : 'due', inDays: daysBetween(asOf, date) };
    });
  }

  /**
   * The history as CSV (one row per event, oldest first), with a UTF-8 byte-order mark so
   * spreadsheets read Chinese and Swedish right, and text cells that a spreadsheet would run
   * as a formula (`=`, `+`, `-`, `@`, tab, CR, or their full-width forms) escaped with `'`.
   */
  exportCsv(filter: { readonly needId?: string; readonly companyId?: string } = {}): string {
    const where: string[] = [];
    const params: string[] = [];
    if (filter.needId !== undefined) (where.push('need_id = ?'), params.push(filter.needId));
    if (filter.companyId !== undefined) (where.push('company_id = ?'), params.push(filter.companyId));
    const rows = this.#db
      .prepare(`SELECT ${EVENT_COLUMNS} FROM followup_events ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id`)
      .all(...params) as EventRow[];
    const header = ['needId', 'companyId', 'at', 'stage', 'previousStage', 'nextActionOn', 'actorName', 'actorRole', 'note'];
    const body = rows.map((r) => [r.need_id, r.company_id, r.at, r.stage, r.previous_stage ?? '', r.next_action_on ?? '', r.actor_name, r.actor_role, r.note ?? '']);
    return `\uFEFF${stringify([header, ...body], { escape_formulas: true })}`;
  }

  /** Deletes every event of the pairs of a need or a company (when the record itself is deleted). */
  removeFor(kind: 'need' | 'company', id: string): number {
    return this.#db.prepare(`DELETE FROM followup_events WHERE ${kind === 'need' ? 'need_id' : 'company_id'} = ?`).run(id).changes;
  }

  /**
   * Brings the decisions of the three-status table (`decisions`: need_id, company_id, status,
   * note, updated_at) into the history: each pair with no history yet gets one event at its
   * stage, dated when it was decided, by `actor` (default `migration`/`system`). Pairs that
   * already have history are left alone, so running it twice adds nothing. Returns how many
   * events it appended. Runs in one transaction.
   */
  importLegacyDecisions(actor: Actor = { name: 'migration', role: 'system' }): number {
    const hasTable = this.#db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'decisions'").get() !== undefined;
    if (!hasTable) return 0;
    const rows = this.#db
      .prepare(
        `SELECT d.need_id, d.company_id, d.status, d.note, d.updated_at FROM decisions d
         WHERE NOT EXISTS (SELECT 1 FROM followup_events e WHERE e.need_id = d.need_id AND e.company_id = d.company_id)
         ORDER BY d.updated_at, d.need_id, d.company_id`,
      )
      .all() as { need_id: string; company_id: string; status: string; note: string | null; updated_at: string }[];
    const run = this.#db.transaction(() => {
      let added = 0;
      for (const row of rows) {
        if (!(LEGACY_STATUSES as readonly string[]).includes(row.status)) continue;
        this.#append({
          need_id: row.need_id,
          company_id: row.company_id,
          at: row.updated_at,
          stage: stageOfLegacyStatus(row.status as LegacyStatus),
          previous_stage: null,
          note: row.note,
          next_action_on: null,
          actor_name: actor.name,
          actor_role: actor.role,
        });
        added += 1;
      }
      return added;
    });
    return run();
  }
}
