import type { Company, MatcherOptions, PartnerNeed } from '@partnermatch/core';

/** A built index: what the suites time. */
export interface SearchIndex {
  /** Ids of the best `k` companies for the need, best first. */
  search(need: PartnerNeed, k: number): readonly string[];
  /** The same ranking without the extras `search` builds (partnermatch: explanations). */
  searchIdsOnly?(need: PartnerNeed, k: number): readonly string[];
  /** Indexes one more company (absent when the engine cannot change in place). */
  add?(company: Company): void;
  /** Replaces a company with the same id. */
  update?(company: Company): void;
  /** Memory the engine holds outside V8's accounting (SQLite's pages), in bytes. */
  nativeBytes?(): number;
  /** Releases the index; resolves once background work that holds it (MiniSearch's vacuum) is done. */
  close?(): void | Promise<void>;
}

export interface BuildOptions {
  /**
   * Options for partnermatch where a data set calls for them (SciFact: text only, the
   * settings chosen on its train split); peers have nothing to set and ignore them.
   */
  readonly matcher?: MatcherOptions;
}

/** One engine, as a user would set it up. */
export interface Engine {
  readonly name: string;
  /** One line: library, version and the settings used. */
  readonly setup: string;
  /** partnermatch itself, a peer a user could pick instead, or an in-house reference. */
  readonly role: 'subject' | 'peer' | 'reference';
  build(companies: readonly Company[], options?: BuildOptions): SearchIndex;
}
