import {
  canonicalJson,
  compileCompanyFilter,
  compileNeedFilter,
  resolveAsOf,
  type Company,
  type JsonMatch,
  type MatchFilter,
  type Match,
  type PartnerNeed,
  type PartnershipType,
} from '@partnermatch/core';
import { LRUCache } from 'lru-cache';
import type { RecordKind } from '../store.js';
import type { Decisions } from './decisions.js';
import type { RankingThread } from './ranking-thread.js';
import { KIND_LABEL, type Records } from './records.js';

/** How to rank; the same for stored, ad-hoc and batch queries. */
export interface MatchQuery {
  /** 1–100. */
  readonly limit: number;
  /** In [0, 1]. */
  readonly minScore: number;
  /** Keep only candidates naming one of these partnership types. */
  readonly partnershipTypes?: readonly PartnershipType[];
  readonly explain: boolean;
  /**
   * Which candidates may be returned (municipality, sector, employees, language). Sector
   * reads the matcher's tags, given or inferred. Company criteria cannot filter needs.
   */
  readonly filter?: MatchFilter;
  /** Keep pairs a coordinator declined (left out by default). */
  readonly includeDeclined: boolean;
  /** The day deadlines are judged against (`YYYY-MM-DD`); today (UTC) when left out. */
  readonly asOf?: string;
  /** Keep needs past their deadline (left out by default). */
  readonly includeExpired?: boolean;
}

declare const jsonOf: unique symbol;
/** JSON text that remembers the type of the value it was serialised from (so a route can type its answer). */
export type JsonText<T> = string & { readonly [jsonOf]?: T };

export interface CacheStats {
  readonly hits: number;
  readonly misses: number;
  readonly size: number;
}

export interface RankingsOptions {
  /** Most cached rankings (and most cached rendered answers). Defaults to 1000. */
  readonly cacheSize?: number;
  /** Where {@link Rankings.renderedMatches} ranks when it can (else on this thread). */
  readonly thread?: RankingThread;
}

/** Most matches held by the rankings cache, in all. */
export const MAX_CACHED_MATCHES = 20_000;
/** Most characters of serialised answers held by the rendered cache, in all (~16 MB of text). */
export const MAX_RENDERED_CHARS = 8 * 1024 * 1024;

/**
 * A canonical serialisation of a JSON-like value: object keys sorted, `undefined` members left
 * out (as JSON does), so equal values give equal keys whatever order their fields were set in.
 * Cache keys are built from the whole parsed query with it, so a field added to a query can
 * never be forgotten in the key (and serve a ranking made for another query). Core's
 * `canonicalJson`, the serialisation manifests hash.
 */
export const canonicalKey: (value: unknown) => string = canonicalJson;

/** The day is part of a ranking's key: a ranking cached yesterday must not be served today. */
function resolvedQuery(given: MatchQuery): MatchQuery {
  return { ...given, asOf: resolveAsOf(given.asOf) };
}

/** What core's ranking takes of a query, filters aside. */
function coreRankOptions(options: MatchQuery): { limit: number; minScore: number; explain: boolean; asOf?: string; includeExpired?: boolean } {
  return {
    limit: options.limit,
    minScore: options.minScore,
    explain: options.explain,
    ...(options.asOf === undefined ? {} : { asOf: options.asOf }),
    ...(options.includeExpired === undefined ? {} : { includeExpired: options.includeExpired }),
  };
}

/**
 * Ranked candidates for stored and ad-hoc records, with an LRU cache of rankings (and of
 * answers serialised from them) keyed by the records' generation and the whole query. Every
 * write bumps the generation and clears both caches, so a ranking is never served from
 * before a write.
 */
export class Rankings {
  readonly #records: Records;
  readonly #decisions: Decisions;
  readonly #cache: LRUCache<string, readonly Match[]>;
  /** Serialised answers built from cached rankings, keyed like them plus what shapes the answer. */
  readonly #rendered: LRUCache<string, string>;
  readonly #thread: RankingThread | undefined;
  #hits = 0;
  #misses = 0;

  constructor(records: Records, decisions: Decisions, options: RankingsOptions = {}) {
    this.#records = records;
    this.#decisions = decisions;
    this.#thread = options.thread;
    // Bounded by weight as well as count: a cache of 1000 explained rankings with 100 matches
    // each grew the heap by ~200 MB under the soak; the weights keep both caches to tens of MB.
    this.#cache = new LRUCache({ max: options.cacheSize ?? 1000, maxSize: MAX_CACHED_MATCHES, sizeCalculation: (matches) => Math.max(1, matches.length) });
    this.#rendered = new LRUCache({ max: options.cacheSize ?? 1000, maxSize: MAX_RENDERED_CHARS, sizeCalculation: (text) => Math.max(1, text.length) });
    records.listen({
      changed: () => {
        this.#cache.clear();
        this.#rendered.clear();
      },
    });
  }

  get cacheStats(): CacheStats {
    return { hits: this.#hits, misses: this.#misses, size: this.#cache.size };
  }

  /**
   * Ranked candidates for a stored record: companies for a need, open needs for a company.
   * Cached until the next write.
   */
  matches(kind: RecordKind, id: string, given: MatchQuery): readonly Match[] {
    this.#records.get(kind, id);
    const query = resolvedQuery(given);
    const key = canonicalKey([this.#records.generation, kind, id, query]);
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
  rendered<T>(key: readonly unknown[], build: () => T): JsonText<T> {
    return this.#renderedAt(canonicalKey([this.#records.generation, ...key]), build);
  }

  /** `rendered` under its whole key (the generation first). */
  #renderedAt<T>(fullKey: string, build: () => T): JsonText<T> {
    const cached = this.#rendered.get(fullKey);
    if (cached !== undefined) {
      this.#hits += 1;
      return cached;
    }
    const text = JSON.stringify(build());
    this.#rendered.set(fullKey, text);
    return text;
  }

  /**
   * `rendered(key, () => build(this.matches(kind, id, given)))`, ranked on the ranking thread
   * when there is one and the query needs nothing only this thread holds (no partnership
   * types, no filter, no declined pair to leave out). The thread's matches come as JSON text,
   * and `buildText` makes the answer's text from them, equal to `JSON.stringify(build(…))` of
   * the same matches (or undefined to make it that way). A write while the thread ranks
   * discards its ranking: the answer is then made from the index as it is after the write.
   */
  async renderedMatches<T>(
    key: readonly unknown[],
    kind: RecordKind,
    id: string,
    given: MatchQuery,
    build: (matches: readonly Match[]) => T,
    buildText: (matches: readonly JsonMatch[]) => string | undefined,
  ): Promise<JsonText<T>> {
    const generation = this.#records.generation;
    const fullKey = canonicalKey([generation, ...key]);
    if (this.#thread !== undefined && !this.#rendered.has(fullKey)) {
      this.#records.get(kind, id);
      const query = resolvedQuery(given);
      if (!this.#cache.has(canonicalKey([generation, kind, id, query])) && this.#unfiltered(kind, id, query)) {
        const ranked = await this.#thread.rank(kind, id, coreRankOptions(query));
        const text = ranked !== undefined && this.#records.generation === generation ? buildText(ranked) : undefined;
        if (text !== undefined) {
          this.#misses += 1;
          this.#rendered.set(fullKey, text);
          return text;
        }
      }
    }
    const made = () => build(this.matches(kind, id, given));
    // A write while the thread ranked moved the generation: the key is made again for it.
    return this.#records.generation === generation ? this.#renderedAt(fullKey, made) : this.rendered(key, made);
  }

  /** Ranked candidates for a record that is not stored (its `id` may be left out). Declined pairs do not apply. */
  matchAdHoc(kind: RecordKind, input: unknown, query: MatchQuery): readonly Match[] {
    const body = input !== null && typeof input === 'object' && !Array.isArray(input) ? { id: 'ad-hoc', ...input } : input;
    const record = this.#records.validate(kind, body, `body.${KIND_LABEL[kind]}`);
    return this.#rank(kind, record, query);
  }

  /**
   * Whether no filter would leave a candidate out: the ranking then never reads a candidate's
   * record to ask (most uncached requests name no types, no criteria, and meet no declined pair).
   */
  #unfiltered(kind: RecordKind, queryId: string | undefined, options: MatchQuery): boolean {
    return (
      options.partnershipTypes === undefined &&
      options.filter === undefined &&
      (options.includeDeclined || queryId === undefined || !this.#decisions.mayHaveDeclined(kind, queryId))
    );
  }

  #rank(kind: RecordKind, query: string | Company | PartnerNeed, options: MatchQuery): Match[] {
    const types = options.partnershipTypes;
    const fits = (candidate: Company | PartnerNeed): boolean =>
      types === undefined || candidate.partnershipTypes?.some((t) => types.includes(t)) === true;
    const queryId = typeof query === 'string' ? query : undefined;
    const declined = (needId: string, companyId: string): boolean =>
      !options.includeDeclined && queryId !== undefined && this.#decisions.declined(needId, companyId);
    const unfiltered = this.#unfiltered(kind, queryId, options);
    const base = coreRankOptions(options);
    const matcher = this.#records.matcher;
    const tagsOf = (side: 'company' | 'need') => (record: { id: string; sectors?: readonly string[] | undefined }) =>
      matcher.profile(side, record.id)?.tags.map((t) => t.tag) ?? record.sectors;
    if (kind === 'need') {
      const chosen = options.filter === undefined ? undefined : compileCompanyFilter(options.filter, tagsOf('company'));
      return matcher.rankCompanies(query as string | PartnerNeed, {
        ...base,
        ...(unfiltered ? {} : { filter: (company: Company) => fits(company) && (chosen === undefined || chosen(company)) && !declined(queryId ?? '', company.id) }),
      });
    }
    const chosen = options.filter === undefined ? undefined : compileNeedFilter(options.filter, tagsOf('need'));
    return matcher.rankNeeds(query as string | Company, {
      ...base,
      ...(unfiltered ? {} : { filter: (need: PartnerNeed) => fits(need) && (chosen === undefined || chosen(need)) && !declined(need.id, queryId ?? '') }),
    });
  }
}
