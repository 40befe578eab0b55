import Database from 'better-sqlite3';
import type { Company, PartnerNeed } from '@partnermatch/core';

export type RecordKind = 'company' | 'need';

/** The record type of each kind. */
export interface RecordOf {
  company: Company;
  need: PartnerNeed;
}

export const DECISION_STATUSES = ['contacted', 'agreed', 'declined'] as const;
export type DecisionStatus = (typeof DECISION_STATUSES)[number];

/** A coordinator's decision on one need–company pair. */
export interface Decision {
  readonly needId: string;
  readonly companyId: string;
  readonly status: DecisionStatus;
  readonly note?: string;
  readonly updatedAt: string;
}

const TABLE: Readonly<Record<RecordKind, string>> = { company: 'companies', need: 'needs' };

/** The meta key of the database generation: bumped in the transaction of every write (`Records.commit`). */
export const GENERATION = 'generation';

/** Meta key: the generation the change log is complete after (writes after it are all logged). */
const CHANGES_FROM_KEY = 'changes_from';

/** The generation a write being made will have: the stored one plus one. */
const NEXT_GENERATION = `COALESCE((SELECT CAST(value AS INTEGER) FROM meta WHERE key = '${GENERATION}'), 0) + 1`;

function changeTriggers(kind: RecordKind): string {
  const table = TABLE[kind];
  const log = (id: string) => `INSERT INTO record_changes (generation, kind, id) VALUES (${NEXT_GENERATION}, '${kind}', ${id});`;
  return `CREATE TRIGGER ${table}_inserted AFTER INSERT ON ${table} BEGIN ${log('NEW.id')} END;
   CREATE TRIGGER ${table}_updated AFTER UPDATE OF id, data ON ${table} BEGIN ${log('OLD.id')} END;
   CREATE TRIGGER ${table}_renamed AFTER UPDATE OF id ON ${table} WHEN NEW.id IS NOT OLD.id BEGIN ${log('NEW.id')} END;
   CREATE TRIGGER ${table}_deleted AFTER DELETE ON ${table} BEGIN ${log('OLD.id')} END;`;
}

/** Schema versions, applied in order inside one transaction each; `user_version` says how far a file is. */
const MIGRATIONS: readonly string[] = [
  `CREATE TABLE companies (
     id TEXT PRIMARY KEY,
     data TEXT NOT NULL CHECK (json_valid(data)),
     created_at TEXT NOT NULL,
     updated_at TEXT NOT NULL
   );
   CREATE TABLE needs (
     id TEXT PRIMARY KEY,
     data TEXT NOT NULL CHECK (json_valid(data)),
     created_at TEXT NOT NULL,
     updated_at TEXT NOT NULL
   );
   CREATE TABLE decisions (
     need_id TEXT NOT NULL REFERENCES needs(id) ON DELETE CASCADE,
     company_id TEXT NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
     status TEXT NOT NULL CHECK (status IN ('contacted', 'agreed', 'declined')),
     note TEXT,
     updated_at TEXT NOT NULL,
     PRIMARY KEY (need_id, company_id)
   );
   CREATE INDEX decisions_by_company ON decisions(company_id);
   CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);`,
  // The change log: each record written (created, changed, removed or renamed), under the
  // generation its transaction makes (the writes come before the bump, in one transaction).
  // A start whose index snapshot is older than the database catches up with these instead of
  // rebuilding (core `RecordsById.changedSince`). Triggers, so that no write path can miss it.
  `CREATE TABLE record_changes (generation INTEGER NOT NULL, kind TEXT NOT NULL, id TEXT NOT NULL);
   CREATE INDEX record_changes_by_generation ON record_changes(generation);
   INSERT INTO meta (key, value) VALUES ('${CHANGES_FROM_KEY}', COALESCE((SELECT value FROM meta WHERE key = '${GENERATION}'), '0'))
     ON CONFLICT (key) DO UPDATE SET value = excluded.value;
   ${(['company', 'need'] as const).map((kind) => changeTriggers(kind)).join('\n')}`,
];

interface DecisionRow {
  need_id: string;
  company_id: string;
  status: DecisionStatus;
  note: string | null;
  updated_at: string;
}

/**
 * The durable side: companies, needs and decisions in one SQLite file (WAL, `synchronous=FULL`,
 * foreign keys on). Records are stored as their validated JSON. Every method is one statement;
 * callers group them with {@link Store.transaction}.
 */
export class Store {
  readonly path: string;
  readonly #db: Database.Database;
  readonly #statements = new Map<string, Database.Statement>();

  private constructor(path: string) {
    this.path = path;
    this.#db = new Database(path);
    this.#db.pragma('journal_mode = WAL');
    // FULL: a transaction acknowledged to a client survives a power cut, not only a crash.
    this.#db.pragma('synchronous = FULL');
    this.#db.pragma('foreign_keys = ON');
    this.#db.pragma('busy_timeout = 5000');
    this.#migrate();
  }

  /** Opens (creating if needed) the database file and brings its schema up to date. */
  static open(path: string): Store {
    return new Store(path);
  }

  #migrate(): void {
    const version = this.#db.pragma('user_version', { simple: true }) as number;
    MIGRATIONS.slice(version).forEach((sql, i) => {
      this.transaction(() => {
        this.#db.exec(sql);
        this.#db.pragma(`user_version = ${version + i + 1}`);
      });
    });
  }

  /** A prepared statement, prepared once per SQL text. */
  #sql(sql: string): Database.Statement {
    let statement = this.#statements.get(sql);
    if (statement === undefined) {
      statement = this.#db.prepare(sql);
      this.#statements.set(sql, statement);
    }
    return statement;
  }

  /** The connection itself, for modules that keep their own tables in this file (follow-up history, alerts). */
  get db(): Database.Database {
    return this.#db;
  }

  get journalMode(): string {
    return this.#db.pragma('journal_mode', { simple: true }) as string;
  }

  /** Runs `fn` in one transaction: all its writes or none (a throw rolls back). */
  transaction<T>(fn: () => T): T {
    return this.#db.transaction(fn).immediate();
  }

  /** Every record of a kind as stored, oldest first. */
  all<K extends RecordKind>(kind: K): RecordOf[K][] {
    // The column alone (pluck): a start reads every record, so no row object per record. Row
    // by row (iterate), so each row's text dies young instead of 100k texts (~90 MB at 100k
    // companies) being copied by the young-generation collector until the last is parsed:
    // 1.31 → 1.10 s to read 100k companies.
    const records: RecordOf[K][] = [];
    for (const data of this.#sql(`SELECT data FROM ${TABLE[kind]} ORDER BY rowid`).pluck().iterate() as IterableIterator<string>) {
      records.push(JSON.parse(data) as RecordOf[K]);
    }
    return records;
  }

  /** The ids of a kind's records, oldest first: what a start from the snapshot reads instead of every record. */
  ids(kind: RecordKind): string[] {
    // One string from the id index, split here: a JS value per row costs ~2 µs, five times
    // the rest of the read. An id holding the separator (an unusable id, stored before the
    // id rule) splits into more parts than there are rows: then the ids are read row by row.
    const [count, joined] = this.#sql(`SELECT count(*), group_concat(id, char(10) ORDER BY rowid) FROM ${TABLE[kind]}`).raw().get() as [number, string | null];
    const ids = joined === null ? [] : joined.split('\n');
    if (ids.length === count) return ids;
    return this.#sql(`SELECT id FROM ${TABLE[kind]} ORDER BY rowid`).pluck().all() as string[];
  }

  /**
   * Each stored company's name and organisation number by id, read by SQLite from the stored
   * JSON (no record parsed here): what a duplicate check needs beside the index. A record whose
   * name is not text is left out (it does not validate).
   */
  companyNames(): Map<string, readonly [name: string, orgNumber: string | undefined]> {
    const names = new Map<string, readonly [string, string | undefined]>();
    const rows = this.#sql(`SELECT id, json_extract(data, '$.name'), json_extract(data, '$.orgNumber') FROM companies`).raw().iterate() as IterableIterator<[string, unknown, unknown]>;
    for (const [id, name, orgNumber] of rows) {
      if (typeof name === 'string') names.set(id, [name, typeof orgNumber === 'string' ? orgNumber : undefined]);
    }
    return names;
  }

  /** One stored record as stored, or undefined when none has the id. */
  read<K extends RecordKind>(kind: K, id: string): RecordOf[K] | undefined {
    const data = this.#sql(`SELECT data FROM ${TABLE[kind]} WHERE id = ?`).pluck().get(id) as string | undefined;
    return data === undefined ? undefined : (JSON.parse(data) as RecordOf[K]);
  }

  /** Up to `limit` stored rows of a kind after row `afterRow`, oldest first, as [row, id, JSON] (to read every record in turns). */
  rowsAfter(kind: RecordKind, afterRow: number, limit: number): [number, string, string][] {
    return this.#sql(`SELECT rowid, id, data FROM ${TABLE[kind]} WHERE rowid > ? ORDER BY rowid LIMIT ?`).raw().all(afterRow, limit) as [number, string, string][];
  }

  /**
   * Told of a stored record about to be replaced or deleted, before the statement runs
   * (memory that reads records on first use reads the old one while it is still there).
   */
  beforeRecordChange: ((kind: RecordKind, id: string) => void) | undefined;

  count(kind: RecordKind): number {
    return (this.#sql(`SELECT count(*) AS n FROM ${TABLE[kind]}`).get() as { n: number }).n;
  }

  /** When each stored record of a kind was first stored (ISO 8601), by id. */
  createdAt(kind: RecordKind): Map<string, string> {
    const rows = this.#sql(`SELECT id, created_at FROM ${TABLE[kind]}`).all() as { id: string; created_at: string }[];
    return new Map(rows.map((row) => [row.id, row.created_at]));
  }

  /**
   * Every stage change of the follow-up history (table `followup_events`, issue 12), oldest
   * first; undefined while the database has no such table.
   */
  stageChanges(): { needId: string; companyId: string; stage: string; at: string }[] | undefined {
    const exists = this.#db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'followup_events'").get();
    if (exists === undefined) return undefined;
    return this.#db
      .prepare('SELECT need_id AS needId, company_id AS companyId, stage, at FROM followup_events ORDER BY id')
      .all() as { needId: string; companyId: string; stage: string; at: string }[];
  }

  insert(kind: RecordKind, record: { id: string }): void {
    const now = new Date().toISOString();
    this.#sql(`INSERT INTO ${TABLE[kind]} (id, data, created_at, updated_at) VALUES (?, ?, ?, ?)`)
      .run(record.id, JSON.stringify(record), now, now);
  }

  /** Replaces a stored record in place (an UPDATE, so its decisions stay). Returns false if none had the id. */
  update(kind: RecordKind, record: { id: string }): boolean {
    this.beforeRecordChange?.(kind, record.id);
    const result = this.#sql(`UPDATE ${TABLE[kind]} SET data = ?, updated_at = ? WHERE id = ?`)
      .run(JSON.stringify(record), new Date().toISOString(), record.id);
    return result.changes > 0;
  }

  /**
   * Gives a stored record a new id (`record` carries it): the new row is written, the decisions
   * on the old id are moved to it, and the old row is deleted. Inside a caller's transaction.
   */
  rename(kind: RecordKind, fromId: string, record: { id: string }): void {
    const old = this.#sql(`SELECT created_at FROM ${TABLE[kind]} WHERE id = ?`).get(fromId) as { created_at: string } | undefined;
    this.insert(kind, record);
    if (old !== undefined) this.#sql(`UPDATE ${TABLE[kind]} SET created_at = ? WHERE id = ?`).run(old.created_at, record.id);
    const column = kind === 'need' ? 'need_id' : 'company_id';
    this.#sql(`UPDATE decisions SET ${column} = ? WHERE ${column} = ?`).run(record.id, fromId);
    this.delete(kind, fromId);
  }

  /** Deletes a record and, through the foreign keys, its decisions. */
  delete(kind: RecordKind, id: string): boolean {
    this.beforeRecordChange?.(kind, id);
    return this.#sql(`DELETE FROM ${TABLE[kind]} WHERE id = ?`).run(id).changes > 0;
  }

  decisions(): Decision[] {
    const rows = this.#sql('SELECT need_id, company_id, status, note, updated_at FROM decisions ORDER BY need_id, company_id')
      .all() as DecisionRow[];
    return rows.map((row) => ({
      needId: row.need_id,
      companyId: row.company_id,
      status: row.status,
      ...(row.note === null ? {} : { note: row.note }),
      updatedAt: row.updated_at,
    }));
  }

  putDecision(decision: Decision): void {
    this.#sql(
        `INSERT INTO decisions (need_id, company_id, status, note, updated_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (need_id, company_id) DO UPDATE SET status = excluded.status, note = excluded.note, updated_at = excluded.updated_at`,
      )
      .run(decision.needId, decision.companyId, decision.status, decision.note ?? null, decision.updatedAt);
  }

  deleteDecision(needId: string, companyId: string): boolean {
    return this.#sql('DELETE FROM decisions WHERE need_id = ? AND company_id = ?').run(needId, companyId).changes > 0;
  }

  /**
   * The ids of each kind written after `generation` (the change log), or undefined when the
   * log does not reach back that far (it was pruned past it, or begun after it).
   */
  changesSince(generation: number): { companies: Set<string>; needs: Set<string> } | undefined {
    const from = Number(this.meta(CHANGES_FROM_KEY));
    if (!Number.isInteger(generation) || !(generation >= from)) return undefined;
    const changes = { companies: new Set<string>(), needs: new Set<string>() };
    const rows = this.#sql('SELECT DISTINCT kind, id FROM record_changes WHERE generation > ?').raw().iterate(generation) as IterableIterator<[RecordKind, string]>;
    for (const [kind, id] of rows) (kind === 'company' ? changes.companies : changes.needs).add(id);
    return changes;
  }

  /** Forgets the change log up to `generation`: an index snapshot at it holds those writes. */
  pruneChanges(generation: number): void {
    this.transaction(() => {
      if (!(generation > Number(this.meta(CHANGES_FROM_KEY)))) return;
      this.#sql('DELETE FROM record_changes WHERE generation <= ?').run(generation);
      this.setMeta(CHANGES_FROM_KEY, String(generation));
    });
  }

  meta(key: string): string | undefined {
    return (this.#sql('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined)?.value;
  }

  setMeta(key: string, value: string): void {
    this.#sql('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, value);
  }

  /** Checkpoints the WAL into the main file and closes the database. Safe to call twice. */
  close(): void {
    if (!this.#db.open) return;
    this.#db.pragma('wal_checkpoint(TRUNCATE)');
    this.#db.close();
  }
}
