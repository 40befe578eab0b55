import { PartnermatchError } from './errors.js';
import { resolveMatcherOptions, type ResolvedMatcherOptions } from './options.js';
import { Engine, registerEngine, type PreparedRecord } from './ranking/engine.js';
import type { BatchResult, CreateMatcherInput, Match, RankAllOptions, RankOptions, RecordProfile } from './ranking/types.js';
import type { Company, PartnerNeed } from './schema/records.js';
import { shareRecordLists } from './schema/shared-lists.js';
import { validateCompanies, validateCompany, validateNeed, validateNeeds } from './schema/validate.js';

// The public face of the engine: validation, duplicate and missing-id errors, and the
// `Matcher` object. Options live in options.ts, the index in index/, the score formula
// in scoring/score.ts, the ranking steps in ranking/rank.ts, explanations in
// ranking/explain.ts.

export type { BatchResult, CreateMatcherInput, Match, RankAllOptions, RankOptions, RecordProfile } from './ranking/types.js';
export type { PreparedRecord } from './ranking/engine.js';
export { MAX_PRUNED_LIMIT } from './ranking/rank.js';
export {
  DEFAULT_BM25,
  DEFAULT_FIELD_WEIGHTS,
  DEFAULT_WEIGHTS,
  resolveMatcherOptions,
  type FieldWeights,
  type MatcherOptions,
  type ResolvedMatcherOptions,
  type ScoreWeights,
} from './options.js';

export interface Matcher {
  readonly options: ResolvedMatcherOptions;
  readonly companyCount: number;
  readonly needCount: number;
  /** Companies for a need (a stored need's id, or any need record); closed needs get none. */
  rankCompanies(need: PartnerNeed | string, options?: RankOptions<Company>): Match[];
  /** Open needs for a company (a stored company's id, or any company record). */
  rankNeeds(company: Company | string, options?: RankOptions<PartnerNeed>): Match[];
  /** Every open need in insertion order (or every company), each with its ranked matches. */
  rankAll(options?: RankAllOptions): BatchResult[];
  /** As `rankAll`, one query at a time, so a large batch can be written as it is ranked. */
  rankEach(options?: RankAllOptions): Generator<BatchResult, void, undefined>;
  add(kind: 'company', record: unknown): Company;
  add(kind: 'need', record: unknown): PartnerNeed;
  update(kind: 'company', record: unknown): Company;
  update(kind: 'need', record: unknown): PartnerNeed;
  /** Returns false when no record had that id. */
  remove(kind: 'company' | 'need', id: string): boolean;
  getCompany(id: string): Company | undefined;
  getNeed(id: string): PartnerNeed | undefined;
  /** Language and tags (given or inferred) of a stored record. */
  profile(kind: 'company' | 'need', id: string): RecordProfile | undefined;
}

/**
 * Builds the matcher: validates the records (throwing one INVALID_INPUT error listing
 * every problem), analyses each once and indexes companies and needs in two inverted
 * indexes that later `add` / `update` / `remove` calls change in place.
 */
export function createMatcher(input: CreateMatcherInput = {}): Matcher {
  const options = resolveMatcherOptions(input.options);
  const { companies, needs } = validateInput(input);
  return assembleMatcher(options, companies, needs);
}

/** The records of a matcher's input, validated; throws one INVALID_INPUT error listing every problem. */
export function validateInput(input: CreateMatcherInput): { companies: Company[]; needs: PartnerNeed[] } {
  const companyResult = validateCompanies(input.companies ?? []);
  const needResult = validateNeeds(input.needs ?? []);
  if (!companyResult.ok || !needResult.ok) {
    const issues = [...(companyResult.ok ? [] : companyResult.issues), ...(needResult.ok ? [] : needResult.issues)];
    throw new PartnermatchError('INVALID_INPUT', `invalid input: ${issues.length} problem(s)`, { issues });
  }
  // The validated records are new objects, the matcher's own from here on.
  return { companies: companyResult.value.map(shareRecordLists), needs: needResult.value.map(shareRecordLists) };
}

/** A bulk build in progress: records go in once, in order, then `finish()` gives the matcher. */
export interface MatcherBuild {
  /** `ready` is the record's analysis when it was done elsewhere. */
  addCompany(company: Company, ready?: PreparedRecord): void;
  addNeed(need: PartnerNeed, ready?: PreparedRecord): void;
  finish(): Matcher;
}

/** The matcher over validated records (ids already known to be unique per kind). */
export function assembleMatcher(options: ResolvedMatcherOptions, companyRecords: readonly Company[], needRecords: readonly PartnerNeed[]): Matcher {
  const build = startBuild(options);
  for (const company of companyRecords) build.addCompany(company);
  for (const need of needRecords) build.addNeed(need);
  return build.finish();
}

export function startBuild(options: ResolvedMatcherOptions): MatcherBuild {
  const engine = new Engine(options);
  return {
    addCompany: (company, ready) => engine.append('company', shareRecordLists(company), ready),
    addNeed: (need, ready) => engine.append('need', shareRecordLists(need), ready),
    finish: () => finishEngine(engine),
  };
}

function checked<T>(result: { ok: true; value: T } | { ok: false; issues: readonly { path: string; message: string }[] }): T {
  if (result.ok) return result.value;
  throw new PartnermatchError('INVALID_INPUT', `invalid input: ${result.issues.length} problem(s)`, { issues: result.issues });
}

/** The matcher over an engine whose records were put in some other way (a snapshot restore); ends its bulk mode. */
export function finishEngine(engine: Engine): Matcher {
  engine.endBulk();
  return facade(engine);
}

function facade(engine: Engine): Matcher {
  const { companies, needs } = engine;

  function add(kind: 'company' | 'need', record: unknown): Company | PartnerNeed {
    const valid = shareRecordLists(kind === 'company' ? checked(validateCompany(record)) : checked(validateNeed(record)));
    if ((kind === 'company' ? companies : needs).has(valid.id)) {
      throw new PartnermatchError('DUPLICATE_ID', `a ${kind} with id ${JSON.stringify(valid.id)} already exists`);
    }
    if (kind === 'company') engine.append('company', valid as Company);
    else engine.append('need', valid as PartnerNeed);
    return valid;
  }

  function update(kind: 'company' | 'need', record: unknown): Company | PartnerNeed {
    const valid = shareRecordLists(kind === 'company' ? checked(validateCompany(record)) : checked(validateNeed(record)));
    if (!engine.unindex(kind, valid.id)) throw new PartnermatchError('NOT_FOUND', `no ${kind} with id ${JSON.stringify(valid.id)}`);
    if (kind === 'company') engine.indexCompany(valid as Company);
    else engine.indexNeed(valid as PartnerNeed);
    return valid;
  }

  const matcher: Matcher = {
    options: engine.options,
    get companyCount() {
      return companies.size;
    },
    get needCount() {
      return needs.size;
    },
    rankCompanies: (need, rankOptions) => engine.rankCompanies(need, rankOptions),
    rankNeeds: (company, rankOptions) => engine.rankNeeds(company, rankOptions),
    rankAll: (batchOptions) => [...engine.rankEach(batchOptions)],
    rankEach: (batchOptions) => engine.rankEach(batchOptions),
    add: add as Matcher['add'],
    update: update as Matcher['update'],
    remove: (kind, id) => engine.remove(kind, id),
    getCompany: (id) => companies.entry(id)?.record,
    getNeed: (id) => needs.entry(id)?.record,
    profile: (kind, id) => engine.profile(kind, id),
  };
  registerEngine(matcher, engine);
  return matcher;
}
