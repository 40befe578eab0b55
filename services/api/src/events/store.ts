import type Database from 'better-sqlite3';
import type { Event, Programme } from '@partnermatch/core';

/**
 * The events' tables, in the service's SQLite file beside the records (created if missing,
 * as follow-up and alerts create theirs): the event itself, its participants with their
 * availability and limits, requests, pins, forbids, and every programme made for it (the
 * newest is the current one; older ones stay as the history of changes).
 */
export function migrate(db: Database.Database): void {
  db.exec(`
    CREATE TABLE IF NOT EXISTS events (
      id TEXT PRIMARY KEY,
      name TEXT NOT NULL,
      place TEXT,
      time_zone TEXT NOT NULL,
      slots TEXT NOT NULL CHECK (json_valid(slots)),
      tables INTEGER NOT NULL CHECK (tables >= 0),
      interpreters INTEGER NOT NULL CHECK (interpreters >= 0),
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL
    );
    CREATE TABLE IF NOT EXISTS event_participants (
      event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
      kind TEXT NOT NULL CHECK (kind IN ('company', 'organization')),
      ref TEXT NOT NULL,
      unavailable TEXT NOT NULL CHECK (json_valid(unavailable)),
      max_meetings INTEGER CHECK (max_meetings >= 0),
      languages TEXT CHECK (languages IS NULL OR json_valid(languages)),
      need_ids TEXT CHECK (need_ids IS NULL OR json_valid(need_ids)),
      PRIMARY KEY (event_id, kind, ref)
    );
    CREATE TABLE IF NOT EXISTS event_requests (
      event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
      company_id TEXT NOT NULL,
      need_id TEXT NOT NULL,
      status TEXT NOT NULL CHECK (status IN ('accepted', 'declined', 'pending')),
      from_side TEXT CHECK (from_side IS NULL OR from_side IN ('company', 'organization')),
      PRIMARY KEY (event_id, company_id, need_id)
    );
    CREATE TABLE IF NOT EXISTS event_pins (
      event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
      company_id TEXT NOT NULL,
      need_id TEXT NOT NULL,
      slot TEXT,
      PRIMARY KEY (event_id, company_id, need_id)
    );
    CREATE TABLE IF NOT EXISTS event_forbids (
      event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
      company_id TEXT NOT NULL,
      need_id TEXT,
      organization TEXT,
      CHECK ((need_id IS NULL) <> (organization IS NULL))
    );
    CREATE UNIQUE INDEX IF NOT EXISTS event_forbids_unique ON event_forbids(event_id, company_id, coalesce(need_id, ''), coalesce(organization, ''));
    CREATE TABLE IF NOT EXISTS event_programmes (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
      source TEXT NOT NULL CHECK (source IN ('schedule', 'repair', 'manual')),
      programme TEXT NOT NULL CHECK (json_valid(programme)),
      created_at TEXT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS event_programmes_by_event ON event_programmes(event_id, id);
  `);
}

export type ProgrammeSource = 'schedule' | 'repair' | 'manual';

/** A programme as stored: the scheduler's output (or a hand-edited copy), with where it came from. */
export interface StoredProgramme {
  readonly version: number;
  readonly source: ProgrammeSource;
  readonly createdAt: string;
  readonly programme: Programme;
}

export interface EventSummary {
  readonly id: string;
  readonly name: string;
  readonly place?: string;
  readonly timeZone: string;
  readonly slots: number;
  readonly tables: number;
  readonly companies: number;
  readonly organizations: number;
  readonly meetings?: number;
  readonly updatedAt: string;
}

interface EventRow {
  id: string;
  name: string;
  place: string | null;
  time_zone: string;
  slots: string;
  tables: number;
  interpreters: number;
  created_at: string;
  updated_at: string;
}

interface ParticipantRow {
  kind: 'company' | 'organization';
  ref: string;
  unavailable: string;
  max_meetings: number | null;
  languages: string | null;
  need_ids: string | null;
}

const json = (value: unknown): string => JSON.stringify(value);

/**
 * Events in SQLite, one statement per method; {@link EventStore.transaction} groups them.
 * Events are written whole (the domain validates the whole event before every write), so
 * what is stored always validates as it did when written.
 */
export class EventStore {
  readonly #db: Database.Database;

  constructor(db: Database.Database) {
    this.#db = db;
    migrate(db);
  }

  transaction<T>(fn: () => T): T {
    return this.#db.transaction(fn).immediate();
  }

  has(id: string): boolean {
    return this.#db.prepare('SELECT 1 FROM events WHERE id = ?').get(id) !== undefined;
  }

  /** The event as the event format writes it (defaults filled in), or undefined. */
  get(id: string): Event | undefined {
    const row = this.#db.prepare('SELECT * FROM events WHERE id = ?').get(id) as EventRow | undefined;
    if (row === undefined) return undefined;
    const participants = this.#db
      .prepare('SELECT kind, ref, unavailable, max_meetings, languages, need_ids FROM event_participants WHERE event_id = ? ORDER BY rowid')
      .all(id) as ParticipantRow[];
    const common = (p: ParticipantRow) => ({
      unavailable: JSON.parse(p.unavailable) as string[],
      ...(p.max_meetings === null ? {} : { maxMeetings: p.max_meetings }),
      ...(p.languages === null ? {} : { languages: JSON.parse(p.languages) as string[] }),
    });
    const requests = this.#db
      .prepare('SELECT company_id AS companyId, need_id AS needId, status, from_side AS "from" FROM event_requests WHERE event_id = ? ORDER BY rowid')
      .all(id) as { companyId: string; needId: string; status: Event['requests'][number]['status']; from: 'company' | 'organization' | null }[];
    const pins = this.#db.prepare('SELECT company_id AS companyId, need_id AS needId, slot FROM event_pins WHERE event_id = ? ORDER BY rowid').all(id) as {
      companyId: string;
      needId: string;
      slot: string | null;
    }[];
    const forbids = this.#db
      .prepare('SELECT company_id AS companyId, need_id AS needId, organization FROM event_forbids WHERE event_id = ? ORDER BY rowid')
      .all(id) as { companyId: string; needId: string | null; organization: string | null }[];
    return {
      id: row.id,
      name: row.name,
      ...(row.place === null ? {} : { place: row.place }),
      timeZone: row.time_zone,
      slots: JSON.parse(row.slots) as Event['slots'],
      tables: row.tables,
      interpreters: row.interpreters,
      companies: participants.filter((p) => p.kind === 'company').map((p) => ({ id: p.ref, ...common(p) })),
      organizations: participants
        .filter((p) => p.kind === 'organization')
        .map((p) => ({ name: p.ref, ...common(p), ...(p.need_ids === null ? {} : { needIds: JSON.parse(p.need_ids) as string[] }) })),
      requests: requests.map((r) => ({ companyId: r.companyId, needId: r.needId, status: r.status, ...(r.from === null ? {} : { from: r.from }) })),
      pins: pins.map((p) => ({ companyId: p.companyId, needId: p.needId, ...(p.slot === null ? {} : { slot: p.slot }) })),
      forbids: forbids.map((f) => ({ companyId: f.companyId, ...(f.needId === null ? {} : { needId: f.needId }), ...(f.organization === null ? {} : { organization: f.organization }) })),
    };
  }

  /** Every event, newest change first, with counts. */
  list(): EventSummary[] {
    const rows = this.#db
      .prepare(
        `SELECT e.*, 
           (SELECT count(*) FROM event_participants p WHERE p.event_id = e.id AND p.kind = 'company') AS companies,
           (SELECT count(*) FROM event_participants p WHERE p.event_id = e.id AND p.kind = 'organization') AS organizations,
           (SELECT json_array_length(programme, '$.meetings') FROM event_programmes g WHERE g.event_id = e.id ORDER BY g.id DESC LIMIT 1) AS meetings
         FROM events e ORDER BY e.updated_at DESC, e.id`,
      )
      .all() as (EventRow & { companies: number; organizations: number; meetings: number | null })[];
    return rows.map((row) => ({
      id: row.id,
      name: row.name,
      ...(row.place === null ? {} : { place: row.place }),
      timeZone: row.time_zone,
      slots: (JSON.parse(row.slots) as unknown[]).length,
      tables: row.tables,
      companies: row.companies,
      organizations: row.organizations,
      ...(row.meetings === null ? {} : { meetings: row.meetings }),
      updatedAt: row.updated_at,
    }));
  }

  /** Writes the whole event (inside a caller's transaction): the row, then every child row again. */
  put(event: Event): void {
    const now = new Date().toISOString();
    this.#db
      .prepare(
        `INSERT INTO events (id, name, place, time_zone, slots, tables, interpreters, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, place = excluded.place, time_zone = excluded.time_zone,
           slots = excluded.slots, tables = excluded.tables, interpreters = excluded.interpreters, updated_at = excluded.updated_at`,
      )
      .run(event.id, event.name, event.place ?? null, event.timeZone, json(event.slots), event.tables, event.interpreters, now, now);
    for (const table of ['event_participants', 'event_requests', 'event_pins', 'event_forbids']) {
      this.#db.prepare(`DELETE FROM ${table} WHERE event_id = ?`).run(event.id);
    }
    const participant = this.#db.prepare(
      'INSERT INTO event_participants (event_id, kind, ref, unavailable, max_meetings, languages, need_ids) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    for (const c of event.companies) {
      participant.run(event.id, 'company', c.id, json(c.unavailable), c.maxMeetings ?? null, c.languages === undefined ? null : json(c.languages), null);
    }
    for (const o of event.organizations) {
      participant.run(
        event.id, 'organization', o.name, json(o.unavailable), o.maxMeetings ?? null,
        o.languages === undefined ? null : json(o.languages), o.needIds === undefined ? null : json(o.needIds),
      );
    }
    const request = this.#db.prepare('INSERT INTO event_requests (event_id, company_id, need_id, status, from_side) VALUES (?, ?, ?, ?, ?)');
    for (const r of event.requests) request.run(event.id, r.companyId, r.needId, r.status, r.from ?? null);
    const pin = this.#db.prepare('INSERT INTO event_pins (event_id, company_id, need_id, slot) VALUES (?, ?, ?, ?)');
    for (const p of event.pins) pin.run(event.id, p.companyId, p.needId, p.slot ?? null);
    const forbid = this.#db.prepare('INSERT INTO event_forbids (event_id, company_id, need_id, organization) VALUES (?, ?, ?, ?)');
    for (const f of event.forbids) forbid.run(event.id, f.companyId, f.needId ?? null, f.organization ?? null);
  }

  /** Ids of the events a company takes part in (participant, request, pin or forbid), sorted. */
  eventsWithCompany(companyId: string): string[] {
    return this.#db
      .prepare(
        `SELECT event_id FROM event_participants WHERE kind = 'company' AND ref = @id
         UNION SELECT event_id FROM event_requests WHERE company_id = @id
         UNION SELECT event_id FROM event_pins WHERE company_id = @id
         UNION SELECT event_id FROM event_forbids WHERE company_id = @id
         ORDER BY 1`,
      )
      .pluck()
      .all({ id: companyId }) as string[];
  }

  /** Deletes an event with everything of it (foreign keys cascade). */
  delete(id: string): boolean {
    return this.#db.prepare('DELETE FROM events WHERE id = ?').run(id).changes > 0;
  }

  addProgramme(eventId: string, source: ProgrammeSource, programme: Programme): StoredProgramme {
    const createdAt = new Date().toISOString();
    const result = this.#db
      .prepare('INSERT INTO event_programmes (event_id, source, programme, created_at) VALUES (?, ?, ?, ?)')
      .run(eventId, source, json(programme), createdAt);
    return { version: Number(result.lastInsertRowid), source, createdAt, programme };
  }

  /** The event's newest programme, or undefined when none was made. */
  programme(eventId: string): StoredProgramme | undefined {
    const row = this.#db
      .prepare('SELECT id, source, programme, created_at FROM event_programmes WHERE event_id = ? ORDER BY id DESC LIMIT 1')
      .get(eventId) as { id: number; source: ProgrammeSource; programme: string; created_at: string } | undefined;
    return row === undefined ? undefined : { version: row.id, source: row.source, createdAt: row.created_at, programme: JSON.parse(row.programme) as Programme };
  }
}
