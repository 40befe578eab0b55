import type { MatcherOptions } from '../options.js';
import type { Company, PartnerNeed, PartnershipType } from '../schema/records.js';
import type { Explanation } from '../scoring/explanation.js';
import type { AssignedTag } from '../scoring/inference.js';
import type { Analysis } from '../text/analyzer.js';
import type { Language } from '../text/language.js';

/**
 * A ranked candidate: one need–company pair, the same shape whichever way was ranked.
 */
export interface Match {
  /**
   * The ranked record's id: `companyId` from `rankCompanies`, `needId` from `rankNeeds`.
   * @deprecated Read `companyId` / `needId`, which say which record they name.
   */
  readonly id: string;
  readonly needId: string;
  readonly companyId: string;
  /** 1-based. */
  readonly rank: number;
  /** The blended score in [0, 1], rounded to 6 decimals; equal scores rank by id. */
  readonly score: number;
  readonly parts: { readonly tags: number; readonly text: number; readonly cooperation: number };
  readonly explanation?: Explanation;
}

export interface RankOptions<T> {
  /** Most matches returned, a whole number ≥ 0. Defaults to `RANK_LIMIT.default` (10). */
  readonly limit?: number;
  /** Leave out matches scoring below this, in [0, 1]. Defaults to 0. */
  readonly minScore?: number;
  /** Keep only candidates for which this returns true; never adds a match. */
  readonly filter?: (candidate: T) => boolean;
  /** Attach an explanation to each match. Defaults to true. */
  readonly explain?: boolean;
  /**
   * The day needs' deadlines are judged against, an ISO 8601 date. Defaults to today (UTC).
   * A need whose deadline is before it is expired: like a closed need it gets no matches
   * and is not ranked for a company (it is left out as a filter would leave it out, so it
   * changes no other match's score).
   */
  readonly asOf?: string;
  /** Rank expired needs too (evaluation on fixed labelled sets does). Defaults to false. */
  readonly includeExpired?: boolean;
}

export interface BatchResult {
  /** The need (for `companies`) or company (for `needs`) the matches were ranked for. */
  readonly queryId: string;
  readonly matches: readonly Match[];
}

export interface RankAllOptions extends RankOptions<Company | PartnerNeed> {
  /** What to rank: companies for every open need (default), or open needs for every company. */
  readonly direction?: 'companies' | 'needs';
  /** Called after each query, for progress bars. */
  readonly onProgress?: (done: number, total: number) => void;
}

/** The text and tags of one record as the engine sees them. */
export interface RecordProfile {
  readonly language: Language;
  readonly tags: readonly AssignedTag[];
}

export interface CreateMatcherInput {
  readonly companies?: readonly unknown[];
  readonly needs?: readonly unknown[];
  readonly options?: MatcherOptions;
}

/** The record a ranking is for, as the engine sees it. */
export interface Query {
  readonly id: string;
  /** True when the query is a need (companies are ranked), false for a company. */
  readonly isNeed: boolean;
  readonly analysis: Analysis;
  readonly tags: readonly AssignedTag[];
  readonly types: readonly PartnershipType[] | undefined;
}
