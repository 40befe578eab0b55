import { join } from 'node:path';
import {
  MAX_REPORTED_ISSUES,
  createMatcher,
  openMatcherReplica,
  duplicateSeed,
  idProblem,
  PartnermatchError,
  taxonomy,
  validateCompany,
  validateNeed,
  type Company,
  type DuplicateSeed,
  type Matcher,
  type MatcherOptions,
  type MatcherReplica,
  type PartnerNeed,
  type PartnershipType,
  type RecordProfile,
  type ValidationIssue,
  type ValidationResult,
  type SnapshotPreload,
} from '@partnermatch/core';
import { buildMatcher, loadSnapshot, RecordMap, saveSnapshot, SNAPSHOT_FILE, StoredRecordReader, type IndexSource } from '../snapshot.js';
import { GENERATION, type RecordKind, type RecordOf, type Store } from '../store.js';

/** List filters; every one given must hold. */
export interface ListFilter {
  /** Sector tag ids; a record matches when one of its tags is one of them or a descendant. */
  readonly sectors?: readonly string[];
  /** Municipality (companies) or city (needs), compared case-insensitively. */
  readonly place?: string;
  /** A record matches when it names at least one of these. */
  readonly partnershipTypes?: readonly PartnershipType[];
  /** Needs only. */
  readonly status?: 'open' | 'closed';
  /** Words that must all occur (case-insensitively) in the record's text fields; never in contact details. */
  readonly q?: string;
}

export interface Page<T> {
  readonly items: T[];
  readonly total: number;
}

/** `create`: an id that exists already is a conflict (DUPLICATE_ID, 409). `upsert`: it replaces the stored record. */
export type ImportMode = 'create' | 'upsert';

export interface ImportResult {
  readonly created: number;
  readonly updated: number;
}

/** One set of records of one kind in {@link Records.importAll}. */
export interface ImportPart {
  readonly kind: RecordKind;
  readonly records: readonly unknown[];
  /** Problems found while parsing; `records[i]` is undefined where one was. */
  readonly issues?: readonly ValidationIssue[];
  /** What the issue paths call the list: `records` (`records[3].name`) by default. */
  readonly path?: string;
}

export interface RecordsOptions {
  readonly store: Store;
  readonly matcher?: MatcherOptions;
  /** Told about stored records that no longer validate (they are skipped). */
  readonly warn?: (message: string) => void;
  /** Where the index snapshot is kept (`DATA_DIR`); without it the index is built at every start. */
  readonly snapshotDir?: string;
  /** That snapshot, preloaded: used by the first load instead of reading the file. */
  readonly snapshotPreload?: SnapshotPreload;
}

/** Records written since an older snapshot that a start catches up with, whatever the register's size (else a tenth of it). */
const CATCH_UP_AT_MOST = 1_000;

/** Told about what other domain modules keep beside the records. */
export interface RecordsListener {
  /** Memory was rebuilt from the database (after a failed write): reload too. */
  reloaded?(): void;
  /** A write was committed or rolled back: anything derived from the records is stale. */
  changed?(): void;
  /** A record was removed, inside the write's transaction. */
  removed?(kind: RecordKind, id: string): void;
  /**
   * A record was created or changed, inside the write's transaction, after every record of
   * the write is in the index (so a need's ranking sees the companies imported with it).
   */
  written?(kind: RecordKind, record: Company | PartnerNeed, change: 'created' | 'updated', matcher: Matcher): void;
  /** A record was inserted or replaced, inside the write's transaction. */
  put?(kind: RecordKind, record: Company | PartnerNeed): void;
  /**
   * An import written in turns yields between two turns; it goes on once every promise
   * returned here has settled (what keeps work that follows the import's records, such as
   * the duplicate check's worker, from falling turns behind).
   */
  betweenTurns?(): Promise<void> | undefined;
}

interface WrittenRecord {
  readonly kind: RecordKind;
  readonly record: Company | PartnerNeed;
  readonly change: 'created' | 'updated';
}

/** A stored record whose id breaks the id rule (see {@link Records.unusable}). */
export interface UnusableRecord {
  readonly kind: RecordKind;
  readonly id: string;
  /** What is wrong with the id, as core's `idProblem` says. */
  readonly problem: string;
  readonly stored: unknown;
}

interface PreparedImport {
  readonly kind: RecordKind;
  readonly mode: ImportMode;
  readonly valid: (Company | PartnerNeed)[];
  readonly issues: ValidationIssue[];
  readonly conflicts: ValidationIssue[];
  readonly conflictCount: number;
}

const PREPARED = Symbol('prepared import');

/** An import that validated: its records, to write with {@link Records.commitValidated}. */
export interface ValidatedImport<K extends RecordKind> {
  readonly records: readonly RecordOf[K][];
  readonly [PREPARED]: PreparedImport;
}

/** Records validated between two yields to the event loop in {@link Records.importAsync}. */
const RECORDS_PER_TURN = 500;

/**
 * Imports of more records than this are written in turns ({@link Records.commitInTurns}); up to it,
 * in one transaction (indexing ~100 records takes tens of milliseconds).
 */
export const IMPORT_TURN_THRESHOLD = 100;

/** Milliseconds a turn of an import written in turns works before it yields to the event loop. */
const IMPORT_TURN_MS = 20;

/**
 * Where an import written in turns keeps its rows until they are moved into their table in one
 * transaction. Rows here are never read as records: a crash half-way leaves only these, and the
 * next such import clears them.
 */
const STAGING_TABLE = 'import_staging';

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export const KIND_LABEL: Readonly<Record<RecordKind, string>> = { company: 'company', need: 'need' };

const VALIDATE: { readonly [K in RecordKind]: (input: unknown, label: string) => ValidationResult<RecordOf[K]> } = {
  company: validateCompany,
  need: validateNeed,
};

/** The text fields a query `q` searches; contact details are never among them. */
const SEARCHED: { readonly [K in RecordKind]: (record: RecordOf[K]) => readonly (string | undefined)[] } = {
  company: (c) => [c.id, c.name, c.orgNumber, c.municipality, c.description, ...(c.offerings ?? []), c.website],
  need: (n) => [n.id, n.title, n.organization, n.city, n.description],
};

const PLACE: { readonly [K in RecordKind]: (record: RecordOf[K]) => string | undefined } = {
  company: (c) => c.municipality,
  need: (n) => n.city,
};

function normalize(text: string): string {
  return text.normalize('NFKC').toLowerCase();
}

export function invalidInput(issues: readonly ValidationIssue[]): PartnermatchError {
  return new PartnermatchError('INVALID_INPUT', `the input is invalid: ${issues.length} problem(s)`, { issues });
}

function idTaken(kind: RecordKind, id: string, path: string): PartnermatchError {
  const message = `a ${KIND_LABEL[kind]} with id ${JSON.stringify(id)} already exists`;
  return new PartnermatchError('DUPLICATE_ID', message, { issues: [{ path, message }] });
}

export function recordNotFound(kind: RecordKind, id: string): PartnermatchError {
  return new PartnermatchError('NOT_FOUND', `no ${KIND_LABEL[kind]} with id ${JSON.stringify(id)}`);
}

/** Deepest merge patch applied; records are 3 levels deep, and the HTTP layer refuses deeper bodies first. */
export const MAX_PATCH_DEPTH = 64;

/**
 * RFC 7396 JSON merge patch: `null` removes a field, objects merge, anything else replaces.
 * INVALID_INPUT for a patch whose objects nest deeper than {@link MAX_PATCH_DEPTH}, so the
 * recursion stays bounded whoever calls it.
 */
export function applyMergePatch(target: unknown, patch: unknown, depth = 0): unknown {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return patch;
  if (depth >= MAX_PATCH_DEPTH) throw invalidInput([{ path: 'body', message: `is nested more than ${MAX_PATCH_DEPTH} levels deep` }]);
  const out: Record<string, unknown> =
    target !== null && typeof target === 'object' && !Array.isArray(target) ? { ...(target as Record<string, unknown>) } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else {
      // defineProperty: a member named `__proto__` stays a member instead of replacing the prototype.
      const merged = applyMergePatch(Object.hasOwn(out, key) ? out[key] : undefined, value, depth + 1);
      Object.defineProperty(out, key, { value: merged, enumerable: true, writable: true, configurable: true });
    }
  }
  return out;
}

/**
 * Companies and needs: durable in the {@link Store}, served from memory, with the core
 * matcher's index beside them. Every write is one SQLite transaction that also changes the
 * index ({@link commit}); if anything fails half-way memory is rebuilt from the database, so
 * memory never holds what the database does not. Throws {@link PartnermatchError}s
 * (INVALID_INPUT, NOT_FOUND, DUPLICATE_ID); the HTTP layer maps their codes.
 */
export class Records {
  readonly #store: Store;
  readonly #options: RecordsOptions;
  /** The preloaded snapshot, until the first load takes it (a later load reads the file). */
  #preload: SnapshotPreload | undefined;
  readonly #listeners: RecordsListener[] = [];
  readonly #haystacks = new WeakMap<object, string>();
  #matcher!: Matcher;
  #byId!: { [K in RecordKind]: RecordMap<RecordOf[K]> };
  /** Reads the records a start from the snapshot has not read yet; undefined once all are read, or after a build. */
  #reader: StoredRecordReader | undefined;
  #sorted: { [K in RecordKind]?: readonly RecordOf[K][] } = {};
  /** Each kind's ids in id order, for pages of every record (`list` without a filter). */
  #sortedIds: { [K in RecordKind]?: readonly string[] } = {};
  #unusable: UnusableRecord[] = [];
  #generation = 0;
  /** Imports being written in turns (at most one runs; the next waits in {@link #importQueue}). */
  #importsInTurns = 0;
  #importQueue: Promise<unknown> = Promise.resolve();
  #indexSource: IndexSource = { from: 'build', reason: 'no snapshot directory' };
  /** The database generation the saved snapshot is at, if one was saved or loaded. */
  #snapshotGeneration: number | undefined;
  /** The generation of the snapshot file when it holds exactly the index in memory as loaded or saved (else undefined). */
  #snapshotFileGeneration: number | undefined;

  constructor(options: RecordsOptions) {
    this.#store = options.store;
    this.#options = options;
    this.#preload = options.snapshotPreload;
    // Rows an import in turns staged before a crash: nothing reads them, and they would
    // otherwise stay on disk until the next large import.
    const staging = this.#store.db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`).get(STAGING_TABLE);
    if (staging !== undefined) this.#store.db.exec(`DELETE FROM ${STAGING_TABLE}`);
    this.#load();
  }

  /** The database (decisions are written through it inside {@link commit}). */
  get store(): Store {
    return this.#store;
  }

  /** The index the rankings read; changed only by this class. */
  get matcher(): Pick<Matcher, 'rankCompanies' | 'rankNeeds' | 'profile'> {
    return this.#matcher;
  }

  /** Writes applied since start (a failed write does not count); part of every cache key. */
  get generation(): number {
    return this.#generation;
  }

  listen(listener: RecordsListener): void {
    this.#listeners.push(listener);
  }

  /**
   * Stored records whose id breaks the id rule (core's `idProblem`: a lone surrogate, a control
   * character, `.`, `..`, a slash…), stored before the rule: left out of the index and every page,
   * reported at start, until renamed ({@link rename}) or deleted ({@link removeAny}).
   */
  unusable(): readonly UnusableRecord[] {
    return this.#unusable;
  }

  /** (Re)builds the records and the index from the database. */
  #load(): void {
    this.#reader = undefined;
    this.#snapshotFileGeneration = undefined;
    this.#store.beforeRecordChange = undefined;
    if (this.#options.snapshotDir !== undefined && this.#loadSnapshot()) return;
    const unusable: UnusableRecord[] = [];
    const usable = <K extends RecordKind>(kind: K): unknown[] =>
      this.#store.all(kind).filter((stored) => {
        const id = (stored as { id?: unknown }).id;
        const problem = typeof id === 'string' ? idProblem(id) : undefined;
        if (typeof id === 'string' && problem !== undefined) {
          unusable.push({ kind, id, problem, stored });
          return false;
        }
        return true;
      });
    const valid = <K extends RecordKind>(kind: K, stored: readonly unknown[]): RecordOf[K][] =>
      stored.flatMap((record) => {
        const result = VALIDATE[kind](record, `stored ${KIND_LABEL[kind]}`);
        if (result.ok) return [result.value];
        const problems = result.issues.map((i) => `${i.path}: ${i.message}`).join('; ');
        this.#options.warn?.(`skipping a stored ${KIND_LABEL[kind]} that no longer validates: ${problems}`);
        return [];
      });
    const stored = { companies: usable('company'), needs: usable('need'), ...(this.#options.matcher ? { options: this.#options.matcher } : {}) };
    const validated = () => ({ companies: valid('company', stored.companies), needs: valid('need', stored.needs) });
    let companies: readonly Company[];
    let needs: readonly PartnerNeed[];
    if (this.#options.snapshotDir === undefined) {
      ({ companies, needs } = validated());
      this.#matcher = createMatcher({ companies, needs, ...(stored.options ? { options: stored.options } : {}) });
    } else {
      const generation = this.storedGeneration;
      let saved: boolean;
      ({ matcher: this.#matcher, companies, needs, saved } = buildMatcher(this.#snapshotSite(), stored, generation, validated));
      // An unsaved build leaves whatever snapshot is on disk (and the log to catch it up).
      if (saved) this.#saved(generation);
      else this.#snapshotGeneration = generation;
    }
    // The matcher's own copies, so each record is held once.
    const matcher = this.#matcher;
    this.#byId = {
      company: new RecordMap(companies.map((c) => [c.id, matcher.getCompany(c.id) ?? c] as const), (id) => matcher.getCompany(id)!),
      need: new RecordMap(needs.map((n) => [n.id, matcher.getNeed(n.id) ?? n] as const), (id) => matcher.getNeed(id)!),
    };
    this.#unsort();
    this.#unusable = unusable;
  }

  /**
   * Memory from the snapshot, when it is at the database's generation: the ids are read, not
   * the records (each is read when first used, and all of them in turns after the start: see
   * {@link readUnread}). False, with `#indexSource` saying why, when the index must be built.
   */
  #loadSnapshot(): boolean {
    const unusable: UnusableRecord[] = [];
    const usableIds = (kind: RecordKind): string[] =>
      this.#store.ids(kind).filter((id) => {
        const problem = idProblem(id);
        if (problem !== undefined) unusable.push({ kind, id, problem, stored: this.#store.read(kind, id) });
        return problem === undefined;
      });
    const companyIds = usableIds('company');
    const needIds = usableIds('need');
    const reader = new StoredRecordReader(this.#store);
    const generation = this.storedGeneration;
    const preload = this.#preload;
    this.#preload = undefined;
    // A snapshot older than the database (the process stopped before it saved again) is
    // caught up with the change log: the records written since are indexed as they are now.
    let caughtUp: { readonly generation: number; readonly records: number } | undefined;
    const changedSince = (since: string) => {
      // Only a snapshot older than the database: a newer one (the database restored from a
      // backup) holds writes the database does not, and no log says which.
      if (!(Number(since) < generation)) return undefined;
      const changes = this.#store.changesSince(Number(since));
      if (changes === undefined) return undefined;
      const records = changes.companies.size + changes.needs.size;
      // Each record caught up is analysed and added alone: past a tenth of the register a
      // bulk build is as quick (an import of 100k after the seed's snapshot, then a kill).
      if (records > Math.max(CATCH_UP_AT_MOST, (companyIds.length + needIds.length) / 10)) return undefined;
      caughtUp = { generation: Number(since), records };
      return changes;
    };
    const loaded = loadSnapshot(
      this.#snapshotSite(preload),
      {
        companyIds,
        needIds,
        loadCompany: (id) => reader.read('company', id),
        loadNeed: (id) => reader.read('need', id),
        changedSince,
        ...(this.#options.matcher ? { options: this.#options.matcher } : {}),
      },
      generation,
    );
    if (!('matcher' in loaded)) {
      this.#indexSource = { from: 'build', reason: loaded.reason };
      return false;
    }
    const matcher = loaded.matcher;
    this.#matcher = matcher;
    this.#indexSource = caughtUp === undefined ? { from: 'snapshot' } : { from: 'snapshot', caughtUp: caughtUp.records };
    // Caught up, the saved file is still the older one: the next save (or the shutdown) replaces it.
    this.#snapshotGeneration = caughtUp?.generation ?? generation;
    this.#snapshotFileGeneration = caughtUp === undefined ? generation : undefined;
    this.#byId = {
      company: RecordMap.unread(companyIds, (id) => matcher.getCompany(id)!),
      need: RecordMap.unread(needIds, (id) => matcher.getNeed(id)!),
    };
    // A record not read yet must be read before its row changes: until then the row is what the index was made from.
    this.#store.beforeRecordChange = (kind, id) => void this.#byId[kind].get(id);
    this.#reader = reader;
    this.#unsort();
    this.#unusable = unusable;
    return true;
  }

  /**
   * Reads the records a start from the snapshot left unread, a few hundred per turn of the
   * event loop, so that lists and pages find every record in memory as after a build.
   * Resolves at once after a build; stops when memory is rebuilt, the database closed or
   * `going()` says no more.
   */
  async readUnread(going: () => boolean = () => true): Promise<void> {
    const reader = this.#reader;
    if (reader === undefined) return;
    await reader.readAll(
      (kind, id) => void this.#byId[kind].get(id),
      () => this.#reader === reader && this.#store.db.open && going(),
    );
    if (this.#reader === reader) this.#reader = undefined;
  }

  /** Rebuilds memory from the database and tells the listeners (after a write that moved ids). */
  #reload(): void {
    this.#load();
    for (const listener of this.#listeners) listener.reloaded?.();
  }

  /**
   * Gives a stored record (one with an unusable id included) the id `to`; its decisions move
   * with it. INVALID_INPUT when `to` breaks the id rule or the record with it does not
   * validate, DUPLICATE_ID when `to` is taken, NOT_FOUND when there is no record `from`.
   */
  rename<K extends RecordKind>(kind: K, from: string, to: string): RecordOf[K] {
    const stored = this.#byId[kind].get(from) ?? this.#unusable.find((u) => u.kind === kind && u.id === from)?.stored;
    if (stored === undefined) throw recordNotFound(kind, from);
    const record = this.validate(kind, { ...(stored as object), id: to }, 'body');
    if (this.has(kind, to) || this.#unusable.some((u) => u.kind === kind && u.id === to)) {
      const message = `a ${KIND_LABEL[kind]} with id ${JSON.stringify(to)} already exists`;
      throw new PartnermatchError('DUPLICATE_ID', message, { issues: [{ path: 'body.to', message: `is taken: ${message}` }] });
    }
    this.commit(() => this.#store.rename(kind, from, record));
    this.#reload();
    return record;
  }

  /** Deletes a stored record by id, one with an unusable id included; NOT_FOUND if there is none. */
  removeAny(kind: RecordKind, id: string): void {
    if (this.has(kind, id)) {
      this.remove(kind, id);
      return;
    }
    if (!this.#unusable.some((u) => u.kind === kind && u.id === id)) throw recordNotFound(kind, id);
    this.commit(() => this.#store.delete(kind, id));
    this.#reload();
  }

  /** The database generation: every committed write adds one, in its own transaction. */
  get storedGeneration(): number {
    return Number(this.#store.meta(GENERATION) ?? '0');
  }

  /** Whether the index at start came from the snapshot or was built (and why). */
  get indexSource(): IndexSource {
    return this.#indexSource;
  }

  #snapshotSite(preload?: SnapshotPreload) {
    return { dataDir: this.#options.snapshotDir!, ...(this.#options.warn ? { warn: this.#options.warn } : {}), ...(preload ? { preload } : {}) };
  }

  /** Whether writes were committed since the index snapshot was saved or loaded. */
  get snapshotBehind(): boolean {
    return this.#options.snapshotDir !== undefined && this.storedGeneration !== this.#snapshotGeneration;
  }

  /**
   * A copy of the index on a worker thread (core's `openMatcherReplica`), as the index is now;
   * the caller mirrors each later write to it (the `put` and `removed` events). The worker
   * reads the snapshot file when it holds this very index, else the index is snapshotted here.
   */
  openReplica(): MatcherReplica {
    const fileHoldsMemory =
      this.#options.snapshotDir !== undefined &&
      this.#importsInTurns === 0 &&
      this.#snapshotFileGeneration !== undefined &&
      this.#snapshotFileGeneration === this.storedGeneration;
    return openMatcherReplica(
      this.#matcher,
      fileHoldsMemory ? { snapshotFile: { path: join(this.#options.snapshotDir!, SNAPSHOT_FILE), generation: String(this.#snapshotFileGeneration) } } : {},
    );
  }

  /** Saves the index snapshot if writes were committed since it was saved or loaded (at shutdown). */
  saveSnapshot(): boolean {
    // An import written in turns has records in the index that the database does not hold yet.
    if (this.#options.snapshotDir === undefined || this.#importsInTurns > 0) return false;
    const generation = this.storedGeneration;
    if (generation === this.#snapshotGeneration) return false;
    const saved = saveSnapshot(this.#snapshotSite(), this.#matcher as Matcher, generation);
    if (saved) this.#saved(generation);
    return saved;
  }

  /** A snapshot at `generation` is on disk: the change log before it is no longer needed. */
  #saved(generation: number): void {
    this.#snapshotGeneration = generation;
    this.#snapshotFileGeneration = generation;
    this.#store.pruneChanges(generation);
  }

  /**
   * Runs `write` as one transaction, in which it changes the database and memory together,
   * and counts it once applied; on any failure memory (records, index and the listeners')
   * is rebuilt from the database as it was before the write.
   */
  commit<T>(write: () => T): T {
    try {
      const result = this.#store.transaction(() => {
        const value = write();
        const generation = this.storedGeneration + 1;
        this.#store.setMeta(GENERATION, String(generation));
        // Without a snapshot nothing will catch up from the change log: it is kept empty.
        if (this.#options.snapshotDir === undefined) this.#store.pruneChanges(generation);
        return value;
      });
      this.#generation += 1;
      return result;
    } catch (error) {
      this.#load();
      for (const listener of this.#listeners) listener.reloaded?.();
      throw error;
    } finally {
      this.#unsort();
      for (const listener of this.#listeners) listener.changed?.();
    }
  }

  validate<K extends RecordKind>(kind: K, input: unknown, label: string): RecordOf[K] {
    const result = VALIDATE[kind](input, label);
    if (!result.ok) throw invalidInput(result.issues);
    return result.value;
  }

  /** Puts a validated record into the database, the index and the id map (insert or replace); inside {@link commit}. */
  #put<K extends RecordKind>(kind: K, record: RecordOf[K], replace: boolean): void {
    if (replace) this.#store.update(kind, record);
    else this.#store.insert(kind, record);
    this.#putInMemory(kind, record, replace);
  }

  /** The in-memory half of {@link #put}: the index, the id map and the listeners. */
  #putInMemory<K extends RecordKind>(kind: K, record: RecordOf[K], replace: boolean): void {
    const held = kind === 'company' ? this.#matcher[replace ? 'update' : 'add']('company', record) : this.#matcher[replace ? 'update' : 'add']('need', record);
    (this.#byId[kind] as RecordMap<RecordOf[K]>).set(record.id, held as RecordOf[K]);
    for (const listener of this.#listeners) listener.put?.(kind, held as RecordOf[K]);
  }

  /** Tells the listeners about records written in the current transaction. */
  #written(records: readonly WrittenRecord[]): void {
    for (const listener of this.#listeners) {
      if (listener.written === undefined) continue;
      for (const { kind, record, change } of records) listener.written(kind, record, change, this.#matcher);
    }
  }

  count(kind: RecordKind): number {
    return this.#byId[kind].size;
  }

  /** Every record of a kind in the order it was stored (loaded, then added). */
  stored<K extends RecordKind>(kind: K): IterableIterator<RecordOf[K]> {
    return (this.#byId[kind] as RecordMap<RecordOf[K]>).values();
  }

  /**
   * The stored companies (less `except`) as a duplicate index starts from them (core
   * `duplicateSeed`): in stored order, names and organisation numbers from the records read
   * or else from the database, texts from the index. No record is read or analysed: from the records, the worker
   * analysed every text again (~20 s at 100k companies, while the first write waited).
   */
  duplicateSeed(except: ReadonlySet<string> = new Set()): DuplicateSeed {
    const companies = this.#byId.company;
    // Records read already (all of them once the start's read-ahead is done) give their names;
    // the others are named from the database in one query, made only if one is needed.
    let named: ReturnType<Store['companyNames']> | undefined;
    const store = this.#store;
    function* known(): Generator<{ id: string; name: string; orgNumber?: string | undefined }> {
      for (const id of companies.ids()) {
        if (except.has(id)) continue;
        const held = companies.peek(id);
        if (held !== undefined) {
          yield held;
          continue;
        }
        const stored = (named ??= store.companyNames()).get(id);
        // A record stored as the index holds it has a name; one that is not is read whole.
        if (stored === undefined) yield companies.get(id)!;
        else yield { id, name: stored[0], orgNumber: stored[1] };
      }
    }
    return duplicateSeed(this.#matcher, known());
  }

  has(kind: RecordKind, id: string): boolean {
    return this.#byId[kind].has(id);
  }

  /** A stored record; NOT_FOUND if there is none. */
  get<K extends RecordKind>(kind: K, id: string): RecordOf[K] {
    const record = (this.#byId[kind] as RecordMap<RecordOf[K]>).get(id);
    if (record === undefined) throw recordNotFound(kind, id);
    return record;
  }

  /** Language and tags (given or inferred) as the engine sees the record. */
  profile(kind: RecordKind, id: string): RecordProfile {
    const profile = this.#matcher.profile(kind, id);
    if (profile === undefined) throw recordNotFound(kind, id);
    return profile;
  }

  /** Forgets the orders by id (a write changed the records). */
  #unsort(): void {
    this.#sorted = {};
    this.#sortedIds = {};
  }

  /** Every record of a kind, ordered by id. */
  all<K extends RecordKind>(kind: K): readonly RecordOf[K][] {
    let sorted = this.#sorted[kind] as readonly RecordOf[K][] | undefined;
    if (sorted === undefined) {
      sorted = this.#idsInOrder(kind).map((id) => this.get(kind, id));
      (this.#sorted as Record<K, readonly RecordOf[K][]>)[kind] = sorted;
    }
    return sorted;
  }

  /** Every id of a kind in id order, reading no record. */
  #idsInOrder(kind: RecordKind): readonly string[] {
    return (this.#sortedIds[kind] ??= [...this.#byId[kind].ids()].sort());
  }

  list<K extends RecordKind>(kind: K, filter: ListFilter, page: { limit: number; offset: number }): Page<RecordOf[K]> {
    const sectors = filter.sectors === undefined ? undefined : new Set(filter.sectors.flatMap((tag) => taxonomy.expand(tag)));
    const place = filter.place === undefined ? undefined : normalize(filter.place);
    const words = filter.q === undefined ? [] : normalize(filter.q).split(/\s+/).filter((w) => w !== '');
    if (sectors === undefined && place === undefined && filter.partnershipTypes === undefined && filter.status === undefined && words.length === 0) {
      // A page of every record reads only its own records: after a start from the snapshot
      // none is read yet, and reading all 100k for a first page took 1.8 s.
      const ids = this.#idsInOrder(kind);
      return { items: ids.slice(page.offset, page.offset + page.limit).map((id) => this.get(kind, id)), total: ids.length };
    }
    const matches = this.all(kind).filter((record) => {
      if (sectors !== undefined && !this.#matcher.profile(kind, record.id)?.tags.some(({ tag }) => sectors.has(tag))) return false;
      if (place !== undefined) {
        const value = (PLACE[kind] as (r: RecordOf[K]) => string | undefined)(record);
        if (value === undefined || normalize(value) !== place) return false;
      }
      const types = filter.partnershipTypes;
      if (types !== undefined && !record.partnershipTypes?.some((t) => types.includes(t))) return false;
      if (filter.status !== undefined && (record as PartnerNeed).status !== filter.status) return false;
      if (words.length > 0) {
        const haystack = this.#haystack(kind, record);
        if (!words.every((word) => haystack.includes(word))) return false;
      }
      return true;
    });
    return { items: matches.slice(page.offset, page.offset + page.limit), total: matches.length };
  }

  #haystack<K extends RecordKind>(kind: K, record: RecordOf[K]): string {
    let text = this.#haystacks.get(record);
    if (text === undefined) {
      const fields = (SEARCHED[kind] as (r: RecordOf[K]) => readonly (string | undefined)[])(record);
      text = normalize(fields.filter((f) => f !== undefined).join('\n'));
      this.#haystacks.set(record, text);
    }
    return text;
  }

  /** Adds a record; INVALID_INPUT naming every invalid field, DUPLICATE_ID if the id is taken. */
  create<K extends RecordKind>(kind: K, input: unknown): RecordOf[K] {
    const record = this.validate(kind, input, 'body');
    if (this.has(kind, record.id)) {
      const message = `a ${KIND_LABEL[kind]} with id ${JSON.stringify(record.id)} already exists`;
      throw new PartnermatchError('DUPLICATE_ID', message, { issues: [{ path: 'body.id', message: 'is taken: ' + message }] });
    }
    this.commit(() => {
      this.#put(kind, record, false);
      this.#written([{ kind, record, change: 'created' }]);
    });
    return record;
  }

  /** Replaces a stored record with `input` (its `id` may be left out, else must equal `id`). */
  replace<K extends RecordKind>(kind: K, id: string, input: unknown): RecordOf[K] {
    if (!this.has(kind, id)) throw recordNotFound(kind, id);
    const body = input !== null && typeof input === 'object' && !Array.isArray(input) ? (input as Record<string, unknown>) : undefined;
    if (body !== undefined && body['id'] !== undefined && body['id'] !== id) {
      throw invalidInput([{ path: 'body.id', message: `must be ${JSON.stringify(id)}, the id in the path (ids cannot be changed)` }]);
    }
    const record = this.validate(kind, body === undefined ? input : { ...body, id }, 'body');
    this.commit(() => {
      this.#put(kind, record, true);
      this.#written([{ kind, record, change: 'updated' }]);
    });
    return record;
  }

  /** Applies a JSON merge patch to a stored record. */
  patch<K extends RecordKind>(kind: K, id: string, patch: unknown): RecordOf[K] {
    return this.replace(kind, id, applyMergePatch(this.get(kind, id), patch));
  }

  /** Deletes a record (the database deletes its decisions; listeners are told); NOT_FOUND if there is none. */
  remove(kind: RecordKind, id: string): void {
    if (!this.has(kind, id)) throw recordNotFound(kind, id);
    this.commit(() => {
      this.#store.delete(kind, id);
      this.#matcher.remove(kind, id);
      this.#byId[kind].delete(id);
      for (const listener of this.#listeners) listener.removed?.(kind, id);
    });
  }

  /**
   * Imports records all-or-nothing. `records[i]` is `undefined` where the body could not be
   * parsed (its problem is among `issues`). Every row is validated; if any row has a problem,
   * nothing is written and the problems are reported (INVALID_INPUT, or DUPLICATE_ID when
   * ids taken are the only ones), at most {@link MAX_REPORTED_ISSUES} and then a count.
   */
  import<K extends RecordKind>(
    kind: K,
    records: readonly unknown[],
    options: { readonly mode: ImportMode; readonly issues?: readonly ValidationIssue[] },
  ): ImportResult {
    const [result] = this.importAll([{ kind, records, ...(options.issues === undefined ? {} : { issues: options.issues }) }], options.mode);
    return result!;
  }

  /** {@link import} validating in turns: it yields to the event loop every few hundred records, so a large import does not stall the server. */
  async importAsync<K extends RecordKind>(
    kind: K,
    records: readonly unknown[],
    options: { readonly mode: ImportMode; readonly issues?: readonly ValidationIssue[] },
  ): Promise<ImportResult> {
    return this.commitValidated(await this.validateImportAsync(kind, records, options));
  }

  /**
   * The validation half of {@link importAsync}, in turns: throws the import's problems
   * (INVALID_INPUT, DUPLICATE_ID) without writing, else returns the valid records for
   * {@link commitValidated}. Lets a caller run costly checks (duplicate warnings) only on an
   * import that will be written, never on each of a hostile body's million bad rows.
   */
  async validateImportAsync<K extends RecordKind>(
    kind: K,
    records: readonly unknown[],
    options: { readonly mode: ImportMode; readonly issues?: readonly ValidationIssue[] },
  ): Promise<ValidatedImport<K>> {
    const part: ImportPart = { kind, records, ...(options.issues === undefined ? {} : { issues: options.issues }) };
    for (const step = this.#prepareImport(part, options.mode); ; await turn()) {
      const next = step.next();
      if (next.done === true) {
        this.#throwProblems([next.value]);
        return { records: next.value.valid as RecordOf[K][], [PREPARED]: next.value };
      }
    }
  }

  /** Writes an import {@link validateImportAsync} accepted, in one transaction. */
  commitValidated(validated: ValidatedImport<RecordKind>): ImportResult {
    return this.#commitImport([validated[PREPARED]])[0]!;
  }

  /**
   * Writes an import {@link validateImportAsync} accepted, all or nothing, without holding the
   * event loop: indexing 20,000 records takes seconds, so above {@link IMPORT_TURN_THRESHOLD}
   * records the work is done in turns of ~{@link IMPORT_TURN_MS} ms. Each turn indexes its records
   * and writes their rows to a staging table (its own short transaction, so other writes go on
   * between turns and never share a transaction with the import); the last step moves every
   * staged row into its table and counts the write, in one transaction. A crash before that
   * leaves only staged rows, which no read sees; a failure rebuilds memory from the database.
   *
   * While an import is written, its records already show in lists and rankings; if it then fails
   * they are gone again. Imports written in turns run one at a time.
   */
  async commitInTurns(validated: ValidatedImport<RecordKind>): Promise<ImportResult> {
    const prepared = validated[PREPARED];
    if (prepared.valid.length <= IMPORT_TURN_THRESHOLD) return this.commitValidated(validated);
    this.#throwProblems([prepared]);
    const run = this.#importQueue.then(() => this.#importInTurns(prepared));
    this.#importQueue = run.catch(() => undefined);
    return run;
  }

  async #betweenTurns(): Promise<void> {
    await turn();
    await Promise.all(this.#listeners.map((listener) => listener.betweenTurns?.()));
  }

  async #importInTurns({ kind, mode, valid }: PreparedImport): Promise<ImportResult> {
    const db = this.#store.db;
    db.exec(`CREATE TABLE IF NOT EXISTS ${STAGING_TABLE} (seq INTEGER PRIMARY KEY, id TEXT NOT NULL, data TEXT NOT NULL)`);
    // Rows left by an import a crash interrupted (only one import in turns runs at a time).
    db.exec(`DELETE FROM ${STAGING_TABLE}`);
    const stage = db.prepare(`INSERT INTO ${STAGING_TABLE} (id, data) VALUES (?, ?)`);
    // Another write to one of these records while the import runs (or memory rebuilt after a
    // failed write) leaves memory unlike the database once the import lands: rebuild it then.
    const ids = new Set(valid.map((record) => record.id));
    let applying = false;
    let stale = false;
    const watcher: RecordsListener = {
      put: (k, record) => {
        if (!applying && k === kind && ids.has(record.id)) stale = true;
      },
      removed: (k, id) => {
        if (k === kind && ids.has(id)) stale = true;
      },
      reloaded: () => {
        stale = true;
      },
    };
    this.#listeners.push(watcher);
    this.#importsInTurns += 1;
    const written: WrittenRecord[] = [];
    let updated = 0;
    try {
      for (let next = 0; next < valid.length; await this.#betweenTurns()) {
        const until = performance.now() + IMPORT_TURN_MS;
        applying = true;
        try {
          this.#store.transaction(() => {
            do {
              const record = valid[next]!;
              next += 1;
              const exists = this.has(kind, record.id);
              // Taken since the import was checked (a create answered meanwhile).
              if (exists && mode === 'create') throw idTaken(kind, record.id, `records[${next - 1}].id`);
              if (exists) updated += 1;
              stage.run(record.id, JSON.stringify(record));
              this.#putInMemory(kind, record, exists);
              written.push({ kind, record, change: exists ? 'updated' : 'created' });
            } while (next < valid.length && performance.now() < until);
          });
        } finally {
          applying = false;
          this.#unsort();
        }
      }
    } catch (error) {
      // Nothing of the import is in a table; memory holds part of it.
      try {
        db.exec(`DELETE FROM ${STAGING_TABLE}`);
      } finally {
        this.#importsInTurns -= 1;
        this.#listeners.splice(this.#listeners.indexOf(watcher), 1);
        this.#reload();
      }
      throw error;
    }
    try {
      const now = new Date().toISOString();
      const table = kind === 'company' ? 'companies' : 'needs';
      // An upsert updates a stored row in place (its decisions stay), as `Store.update` does.
      const upsert = updated > 0 ? ' ON CONFLICT (id) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at' : '';
      const result = this.commit(() => {
        db.prepare(`INSERT INTO ${table} (id, data, created_at, updated_at) SELECT id, data, ?, ? FROM ${STAGING_TABLE} WHERE true ORDER BY seq${upsert}`).run(now, now);
        this.#written(written);
        return { created: valid.length - updated, updated };
      });
      this.#importsInTurns -= 1;
      this.#listeners.splice(this.#listeners.indexOf(watcher), 1);
      if (stale) this.#reload();
      // The staged rows are spent; cleared in a turn and a transaction of their own, so the
      // commit above stays as short as it can be.
      await turn();
      db.exec(`DELETE FROM ${STAGING_TABLE}`);
      return result;
    } catch (error) {
      // `commit` rebuilt memory from the database, which holds nothing of the import.
      this.#importsInTurns -= 1;
      this.#listeners.splice(this.#listeners.indexOf(watcher), 1);
      db.exec(`DELETE FROM ${STAGING_TABLE}`);
      throw error;
    }
  }

  /**
   * Imports several sets of records (of either kind) in one transaction, all or nothing: every
   * record of every part is validated first, and if any has a problem nothing is written and
   * the problems are reported. One result per part.
   */
  importAll(parts: readonly ImportPart[], mode: ImportMode): ImportResult[] {
    return this.#commitImport(
      parts.map((part) => {
        const steps = this.#prepareImport(part, mode);
        for (;;) {
          const next = steps.next();
          if (next.done === true) return next.value;
        }
      }),
    );
  }

  /** The problems of prepared imports as the error to throw, if there are any. */
  #throwProblems(prepared: readonly PreparedImport[]): void {
    const issues = prepared.flatMap((p) => p.issues);
    const conflicts = prepared.flatMap((p) => p.conflicts);
    if (issues.length > 0) throw invalidInput([...issues, ...conflicts]);
    if (conflicts.length > 0) {
      const count = prepared.reduce((sum, p) => sum + p.conflictCount, 0);
      throw new PartnermatchError('DUPLICATE_ID', `${count} record(s) have ids that already exist; nothing was imported`, {
        issues: conflicts,
      });
    }
  }

  #commitImport(prepared: readonly PreparedImport[]): ImportResult[] {
    this.#throwProblems(prepared);
    return this.commit(() => {
      const written: WrittenRecord[] = [];
      const results = prepared.map(({ kind, valid }) => {
        let updated = 0;
        for (const record of valid) {
          const exists = this.has(kind, record.id);
          if (exists) updated += 1;
          this.#put(kind, record, exists);
          written.push({ kind, record, change: exists ? 'updated' : 'created' });
        }
        return { created: valid.length - updated, updated };
      });
      this.#written(written);
      return results;
    });
  }

  /**
   * Validates one part of an import: its valid records, its problems, and the ids it would take
   * that exist (mode `create`). A generator that pauses every {@link RECORDS_PER_TURN} records.
   * After {@link MAX_REPORTED_ISSUES} problems it stops checking and only counts, so a hostile
   * body of millions of bad rows costs a counter, not millions of messages.
   */
  *#prepareImport(part: ImportPart, mode: ImportMode): Generator<void, PreparedImport, undefined> {
    const { kind } = part;
    const list = part.path ?? 'records';
    const issues: ValidationIssue[] = [...(part.issues ?? [])];
    const conflicts: ValidationIssue[] = [];
    let conflictCount = 0;
    let unchecked = 0;
    const valid: (Company | PartnerNeed)[] = [];
    const firstSeen = new Map<string, string>();
    for (const [i, input] of part.records.entries()) {
      if (i > 0 && i % RECORDS_PER_TURN === 0) yield;
      if (input === undefined) continue;
      if (issues.length >= MAX_REPORTED_ISSUES) {
        unchecked += 1;
        continue;
      }
      const label = `${list}[${i}]`;
      const result = VALIDATE[kind](input, label);
      if (!result.ok) {
        issues.push(...result.issues);
        continue;
      }
      const { id } = result.value;
      const first = firstSeen.get(id);
      if (first !== undefined) {
        issues.push({ path: `${label}.id`, message: `duplicate id ${JSON.stringify(id)} (first used by ${first})` });
        continue;
      }
      firstSeen.set(id, label);
      if (mode === 'create' && this.has(kind, id)) {
        conflictCount += 1;
        if (conflicts.length < MAX_REPORTED_ISSUES) {
          conflicts.push({ path: `${label}.id`, message: `a ${KIND_LABEL[kind]} with id ${JSON.stringify(id)} already exists` });
        }
      }
      valid.push(result.value);
    }
    if (unchecked > 0) {
      issues.push({ path: list, message: `${unchecked} more record(s) not checked (checking stops after the first ${MAX_REPORTED_ISSUES} problems)` });
    }
    if (conflictCount > conflicts.length) {
      conflicts.push({ path: list, message: `${conflictCount - conflicts.length} more id(s) already exist` });
    }
    return { kind, mode, valid, issues, conflicts, conflictCount };
  }
}
