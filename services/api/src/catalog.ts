import {
  createMatcher,
  taxonomy,
  validateCompany,
  validateNeed,
  type Company,
  type Match,
  type Matcher,
  type MatcherOptions,
  type PartnerNeed,
  type PartnershipType,
  type RecordProfile,
  type ValidationIssue,
  type ValidationResult,
} from '@partnermatch/core';
import { LRUCache } from 'lru-cache';
import { ApiError } from './errors.js';
import type { Decision, DecisionStatus, RecordKind, RecordOf, Store } from './store.js';

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

/** How to rank; the same for stored, ad-hoc and batch queries. */
export interface MatchQuery {
  /** 1–100. */
  readonly limit: number;
  /** In [0, 1]. */
  readonly minScore: number;
  /** Keep only candidates naming one of these partnership types. */
  readonly partnershipTypes?: readonly PartnershipType[];
  readonly explain: boolean;
  /** Keep pairs a coordinator declined (left out by default). */
  readonly includeDeclined: boolean;
}

/** `create`: an id that exists already is a conflict (409). `upsert`: it replaces the stored record. */
export type ImportMode = 'create' | 'upsert';

export interface ImportResult {
  readonly created: number;
  readonly updated: number;
}

/** One set of records of one kind in {@link Catalog.importAll}. */
export interface ImportPart {
  readonly kind: RecordKind;
  readonly records: readonly unknown[];
  /** Problems found while parsing; `records[i]` is undefined where one was. */
  readonly issues?: readonly ValidationIssue[];
  /** What the issue paths call the list: `records` (`records[3].name`) by default. */
  readonly path?: string;
}

export interface CatalogOptions {
  readonly store: Store;
  readonly matcher?: MatcherOptions;
  /** Most cached rankings. Defaults to 1000. */
  readonly cacheSize?: number;
  /** Told about stored records that no longer validate (they are skipped). */
  readonly warn?: (message: string) => void;
}

export interface CacheStats {
  readonly hits: number;
  readonly misses: number;
  readonly size: number;
}

const LABEL: Readonly<Record<RecordKind, string>> = { company: 'company', need: 'need' };

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

/** The map key of a need–company pair: unambiguous whatever characters the ids hold. */
function pairKey(needId: string, companyId: string): string {
  return JSON.stringify([needId, companyId]);
}

function issuesError(issues: readonly ValidationIssue[]): ApiError {
  return new ApiError('VALIDATION_FAILED', `the input is invalid: ${issues.length} problem(s)`, { issues });
}

function notFound(kind: RecordKind, id: string): ApiError {
  return new ApiError('NOT_FOUND', `no ${LABEL[kind]} with id ${JSON.stringify(id)}`);
}

/** RFC 7396 JSON merge patch: `null` removes a field, objects merge, anything else replaces. */
export function applyMergePatch(target: unknown, patch: unknown): unknown {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return patch;
  const out: Record<string, unknown> =
    target !== null && typeof target === 'object' && !Array.isArray(target) ? { ...(target as Record<string, unknown>) } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else out[key] = applyMergePatch(out[key], value);
  }
  return out;
}

/**
 * Companies, needs and decisions: durable in the {@link Store}, served from memory. The core
 * matcher is built from the database once and changed incrementally by every write; each
 * write is one SQLite transaction, and if anything fails half-way the in-memory state is
 * rebuilt from the database, so memory never holds what the database does not. Rankings
 * are cached in an LRU keyed by a generation number that every applied write bumps; the
 * cache is also cleared after every write, applied or failed, so a ranking is never served
 * from before a write.
 */
export class Catalog {
  readonly #store: Store;
  readonly #options: CatalogOptions;
  readonly #cache: LRUCache<string, readonly Match[]>;
  /** Serialised answers built from cached rankings, keyed like them plus what shapes the answer. */
  readonly #rendered: LRUCache<string, string>;
  readonly #haystacks = new WeakMap<object, string>();
  #matcher!: Matcher;
  #records!: { [K in RecordKind]: Map<string, RecordOf[K]> };
  #sorted: { [K in RecordKind]?: readonly RecordOf[K][] } = {};
  #decisions!: Map<string, Decision>;
  #generation = 0;
  #hits = 0;
  #misses = 0;

  constructor(options: CatalogOptions) {
    this.#store = options.store;
    this.#options = options;
    this.#cache = new LRUCache({ max: options.cacheSize ?? 1000 });
    this.#rendered = new LRUCache({ max: options.cacheSize ?? 1000 });
    this.#load();
  }

  /** Writes applied since the catalog was built (a failed write does not count); part of every cache key. */
  get generation(): number {
    return this.#generation;
  }

  get cacheStats(): CacheStats {
    return { hits: this.#hits, misses: this.#misses, size: this.#cache.size };
  }

  count(kind: RecordKind): number {
    return this.#records[kind].size;
  }

  get decisionCount(): number {
    return this.#decisions.size;
  }

  /** (Re)builds everything in memory from the database. */
  #load(): void {
    const valid = <K extends RecordKind>(kind: K): RecordOf[K][] =>
      this.#store.all(kind).flatMap((stored) => {
        const result = VALIDATE[kind](stored, `stored ${LABEL[kind]}`);
        if (result.ok) return [result.value];
        const problems = result.issues.map((i) => `${i.path}: ${i.message}`).join('; ');
        this.#options.warn?.(`skipping a stored ${LABEL[kind]} that no longer validates: ${problems}`);
        return [];
      });
    const companies = valid('company');
    const needs = valid('need');
    this.#matcher = createMatcher({ companies, needs, ...(this.#options.matcher ? { options: this.#options.matcher } : {}) });
    this.#records = {
      company: new Map(companies.map((c) => [c.id, c])),
      need: new Map(needs.map((n) => [n.id, n])),
    };
    this.#decisions = new Map(this.#store.decisions().map((d) => [pairKey(d.needId, d.companyId), d]));
    this.#forget();
  }

  /** Drops everything derived from the records: cached rankings and sorted lists. */
  #forget(): void {
    this.#cache.clear();
    this.#rendered.clear();
    this.#sorted = {};
  }

  /**
   * Runs a write as one transaction that also updates memory, and counts it once applied; on
   * any failure memory is rebuilt from disk (as it was before the write).
   */
  #commit<T>(write: () => T): T {
    try {
      const result = this.#store.transaction(write);
      this.#generation += 1;
      return result;
    } catch (error) {
      this.#load();
      throw error;
    } finally {
      this.#forget();
    }
  }

  #validate<K extends RecordKind>(kind: K, input: unknown, label: string): RecordOf[K] {
    const result = VALIDATE[kind](input, label);
    if (!result.ok) throw issuesError(result.issues);
    return result.value;
  }

  /** Puts a validated record into the matcher and the id map (insert or replace). */
  #index<K extends RecordKind>(kind: K, record: RecordOf[K], replace: boolean): void {
    const matcher = this.#matcher as unknown as Record<'add' | 'update', (kind: RecordKind, record: unknown) => unknown>;
    matcher[replace ? 'update' : 'add'](kind, record);
    (this.#records[kind] as Map<string, RecordOf[K]>).set(record.id, record);
  }

  has(kind: RecordKind, id: string): boolean {
    return this.#records[kind].has(id);
  }

  /** A stored record; 404 if there is none. */
  get<K extends RecordKind>(kind: K, id: string): RecordOf[K] {
    const record = (this.#records[kind] as Map<string, RecordOf[K]>).get(id);
    if (record === undefined) throw notFound(kind, id);
    return record;
  }

  /** Language and tags (given or inferred) as the engine sees the record. */
  profile(kind: RecordKind, id: string): RecordProfile {
    const profile = this.#matcher.profile(kind, id);
    if (profile === undefined) throw notFound(kind, id);
    return profile;
  }

  /** Every record of a kind, ordered by id. */
  all<K extends RecordKind>(kind: K): readonly RecordOf[K][] {
    let sorted = this.#sorted[kind] as readonly RecordOf[K][] | undefined;
    if (sorted === undefined) {
      sorted = [...(this.#records[kind] as Map<string, RecordOf[K]>).values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      (this.#sorted as Record<K, readonly RecordOf[K][]>)[kind] = sorted;
    }
    return sorted;
  }

  list<K extends RecordKind>(kind: K, filter: ListFilter, page: { limit: number; offset: number }): Page<RecordOf[K]> {
    const sectors = filter.sectors === undefined ? undefined : new Set(filter.sectors.flatMap((tag) => taxonomy.expand(tag)));
    const place = filter.place === undefined ? undefined : normalize(filter.place);
    const words = filter.q === undefined ? [] : normalize(filter.q).split(/\s+/).filter((w) => w !== '');
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

  /** Adds a record; 400 naming every invalid field, 409 if the id is taken. */
  create<K extends RecordKind>(kind: K, input: unknown): RecordOf[K] {
    const record = this.#validate(kind, input, 'body');
    if (this.has(kind, record.id)) {
      throw new ApiError('CONFLICT', `a ${LABEL[kind]} with id ${JSON.stringify(record.id)} already exists`);
    }
    this.#commit(() => {
      this.#store.insert(kind, record);
      this.#index(kind, record, false);
    });
    return record;
  }

  /** Replaces a stored record with `input` (its `id` may be left out, else must equal `id`). */
  replace<K extends RecordKind>(kind: K, id: string, input: unknown): RecordOf[K] {
    if (!this.has(kind, id)) throw notFound(kind, id);
    const body = input !== null && typeof input === 'object' && !Array.isArray(input) ? (input as Record<string, unknown>) : undefined;
    if (body !== undefined && body['id'] !== undefined && body['id'] !== id) {
      throw issuesError([{ path: 'body.id', message: `must be ${JSON.stringify(id)}, the id in the path (ids cannot be changed)` }]);
    }
    const record = this.#validate(kind, body === undefined ? input : { ...body, id }, 'body');
    this.#commit(() => {
      this.#store.update(kind, record);
      this.#index(kind, record, true);
    });
    return record;
  }

  /** Applies a JSON merge patch to a stored record. */
  patch<K extends RecordKind>(kind: K, id: string, patch: unknown): RecordOf[K] {
    return this.replace(kind, id, applyMergePatch(this.get(kind, id), patch));
  }

  /** Deletes a record and its decisions; 404 if there is none. */
  remove(kind: RecordKind, id: string): void {
    if (!this.has(kind, id)) throw notFound(kind, id);
    this.#commit(() => {
      this.#store.delete(kind, id);
      this.#matcher.remove(kind, id);
      this.#records[kind].delete(id);
      for (const [key, decision] of this.#decisions) {
        if ((kind === 'need' ? decision.needId : decision.companyId) === id) this.#decisions.delete(key);
      }
    });
  }

  /**
   * Imports records all-or-nothing. `records[i]` is `undefined` where the body could not be
   * parsed (its problem is among `issues`). Every row is validated; if any row has a problem,
   * nothing is written and every problem is reported (400, or 409 when ids taken are the only ones).
   */
  import<K extends RecordKind>(
    kind: K,
    records: readonly unknown[],
    options: { readonly mode: ImportMode; readonly issues?: readonly ValidationIssue[] },
  ): ImportResult {
    const [result] = this.importAll([{ kind, records, ...(options.issues === undefined ? {} : { issues: options.issues }) }], options.mode);
    return result!;
  }

  /**
   * Imports several sets of records (of either kind) in one transaction, all or nothing: every
   * record of every part is validated first, and if any has a problem nothing is written and
   * every problem is reported. One result per part.
   */
  importAll(parts: readonly ImportPart[], mode: ImportMode): ImportResult[] {
    const prepared = parts.map((part) => this.#prepareImport(part, mode));
    const issues = prepared.flatMap((p) => p.issues);
    const conflicts = prepared.flatMap((p) => p.conflicts);
    if (issues.length > 0) throw issuesError([...issues, ...conflicts]);
    if (conflicts.length > 0) {
      throw new ApiError('CONFLICT', `${conflicts.length} record(s) have ids that already exist; nothing was imported`, {
        issues: conflicts,
      });
    }
    return this.#commit(() =>
      prepared.map(({ kind, valid }) => {
        let updated = 0;
        for (const record of valid) {
          const exists = this.has(kind, record.id);
          if (exists) {
            this.#store.update(kind, record);
            updated += 1;
          } else {
            this.#store.insert(kind, record);
          }
          this.#index(kind, record, exists);
        }
        return { created: valid.length - updated, updated };
      }),
    );
  }

  /** Validates one part of an import: its valid records, its problems, and the ids it would take that exist (mode `create`). */
  #prepareImport(part: ImportPart, mode: ImportMode): { kind: RecordKind; valid: (Company | PartnerNeed)[]; issues: ValidationIssue[]; conflicts: ValidationIssue[] } {
    const { kind } = part;
    const issues: ValidationIssue[] = [...(part.issues ?? [])];
    const conflicts: ValidationIssue[] = [];
    const valid: (Company | PartnerNeed)[] = [];
    const firstSeen = new Map<string, string>();
    part.records.forEach((input, i) => {
      if (input === undefined) return;
      const label = `${part.path ?? 'records'}[${i}]`;
      const result = VALIDATE[kind](input, label);
      if (!result.ok) {
        issues.push(...result.issues);
        return;
      }
      const { id } = result.value;
      const first = firstSeen.get(id);
      if (first !== undefined) {
        issues.push({ path: `${label}.id`, message: `duplicate id ${JSON.stringify(id)} (first used by ${first})` });
        return;
      }
      firstSeen.set(id, label);
      if (mode === 'create' && this.has(kind, id)) {
        conflicts.push({ path: `${label}.id`, message: `a ${LABEL[kind]} with id ${JSON.stringify(id)} already exists` });
      }
      valid.push(result.value);
    });
    return { kind, valid, issues, conflicts };
  }

  // ── decisions ───────────────────────────────────────────────────────────

  decisions(filter: { needId?: string; companyId?: string; status?: DecisionStatus } = {}): Decision[] {
    return [...this.#decisions.values()]
      .filter(
        (d) =>
          (filter.needId === undefined || d.needId === filter.needId) &&
          (filter.companyId === undefined || d.companyId === filter.companyId) &&
          (filter.status === undefined || d.status === filter.status),
      )
      .sort((a, b) => (a.needId === b.needId ? (a.companyId < b.companyId ? -1 : 1) : a.needId < b.needId ? -1 : 1));
  }

  /** The decision on a pair, if any. */
  findDecision(needId: string, companyId: string): Decision | undefined {
    return this.#decisions.get(pairKey(needId, companyId));
  }

  /** The decision on a pair; 404 if there is none. */
  decision(needId: string, companyId: string): Decision {
    const decision = this.findDecision(needId, companyId);
    if (decision === undefined) {
      throw new ApiError('NOT_FOUND', `no decision for need ${JSON.stringify(needId)} and company ${JSON.stringify(companyId)}`);
    }
    return decision;
  }

  /** Records (or changes) the decision on a pair; 404 if the need or the company does not exist. */
  setDecision(needId: string, companyId: string, status: DecisionStatus, note?: string): { decision: Decision; created: boolean } {
    this.get('need', needId);
    this.get('company', companyId);
    const created = !this.#decisions.has(pairKey(needId, companyId));
    const decision: Decision = { needId, companyId, status, ...(note === undefined ? {} : { note }), updatedAt: new Date().toISOString() };
    this.#commit(() => {
      this.#store.putDecision(decision);
      this.#decisions.set(pairKey(needId, companyId), decision);
    });
    return { decision, created };
  }

  removeDecision(needId: string, companyId: string): void {
    this.decision(needId, companyId);
    this.#commit(() => {
      this.#store.deleteDecision(needId, companyId);
      this.#decisions.delete(pairKey(needId, companyId));
    });
  }

  // ── matching ────────────────────────────────────────────────────────────

  /**
   * Ranked candidates for a stored record: companies for a need, open needs for a company.
   * Cached until the next write.
   */
  matches(kind: RecordKind, id: string, query: MatchQuery): readonly Match[] {
    this.get(kind, id);
    const key = JSON.stringify([
      this.#generation,
      kind,
      id,
      query.limit,
      query.minScore,
      query.partnershipTypes ?? null,
      query.explain,
      query.includeDeclined,
    ]);
    const cached = this.#cache.get(key);
    if (cached !== undefined) {
      this.#hits += 1;
      return cached;
    }
    this.#misses += 1;
    const matches = this.#rank(kind, id, query);
    this.#cache.set(key, matches);
    return matches;
  }

  /**
   * An answer derived only from records, rankings and decisions, serialised once and kept
   * until the next write (serialising a ranking with explanations costs more than ranking
   * it again from the cache). `key` must hold everything else that shapes the answer.
   */
  rendered(key: readonly unknown[], build: () => unknown): string {
    const fullKey = JSON.stringify([this.#generation, ...key]);
    const cached = this.#rendered.get(fullKey);
    if (cached !== undefined) {
      this.#hits += 1;
      return cached;
    }
    const text = JSON.stringify(build());
    this.#rendered.set(fullKey, text);
    return text;
  }

  /** Ranked candidates for a record that is not stored (its `id` may be left out). */
  matchAdHoc(kind: RecordKind, input: unknown, query: MatchQuery): readonly Match[] {
    const body = input !== null && typeof input === 'object' && !Array.isArray(input) ? { id: 'ad-hoc', ...input } : input;
    const record = this.#validate(kind, body, `body.${LABEL[kind]}`);
    return this.#rank(kind, record, query);
  }

  #rank(kind: RecordKind, query: string | Company | PartnerNeed, options: MatchQuery): Match[] {
    const types = options.partnershipTypes;
    const fits = (candidate: Company | PartnerNeed): boolean =>
      types === undefined || candidate.partnershipTypes?.some((t) => types.includes(t)) === true;
    const queryId = typeof query === 'string' ? query : undefined;
    const declined = (needId: string, companyId: string): boolean =>
      !options.includeDeclined && queryId !== undefined && this.#decisions.get(pairKey(needId, companyId))?.status === 'declined';
    const base = { limit: options.limit, minScore: options.minScore, explain: options.explain };
    return kind === 'need'
      ? this.#matcher.rankCompanies(query as string | PartnerNeed, {
          ...base,
          filter: (company) => fits(company) && !declined(queryId ?? '', company.id),
        })
      : this.#matcher.rankNeeds(query as string | Company, {
          ...base,
          filter: (need) => fits(need) && !declined(need.id, queryId ?? ''),
        });
  }

  /** The records a batch ranks for: the given ids (each must exist), else every open need or every company. */
  batchQueries(kind: RecordKind, ids?: readonly string[]): string[] {
    if (ids === undefined) {
      const records = [...this.#records[kind].values()] as (Company | PartnerNeed)[];
      return records.filter((r) => kind === 'company' || (r as PartnerNeed).status !== 'closed').map((r) => r.id);
    }
    const missing = ids.flatMap((id, i) =>
      this.has(kind, id) ? [] : [{ path: `body.ids[${i}]`, message: `no ${LABEL[kind]} with id ${JSON.stringify(id)}` }],
    );
    if (missing.length > 0) throw issuesError(missing);
    return [...new Set(ids)];
  }
}
