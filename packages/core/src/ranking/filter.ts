import { z } from 'zod';
import { formatIssue, PartnermatchError, type ValidationResult } from '../errors.js';
import { MUNICIPALITIES, type Company, type Municipality, type PartnerNeed } from '../schema/records.js';
import { zodIssues } from '../schema/validate.js';
import { taxonomy } from '../taxonomy/taxonomy.js';

/**
 * Which candidates a ranking may return, declaratively (the API's query parameters, a
 * page's form). Every given criterion must hold; within a list, any value may. It is
 * compiled to a `RankOptions.filter`, so it never changes another candidate's score.
 */
export interface MatchFilter {
  /** The company's municipality is one of these. */
  readonly municipality?: readonly Municipality[];
  /** The record carries one of these sector tags or a descendant (a parent includes its children). */
  readonly sector?: readonly string[];
  /** The company has at least this many employees (a company that states none is left out). */
  readonly minEmployees?: number;
  /** The company has at most this many employees (a company that states none is left out). */
  readonly maxEmployees?: number;
  /** The company works in one of these languages (ISO 639-1: a shared working language). */
  readonly language?: readonly string[];
}

const employees = z.number({ error: 'must be a number' }).int({ error: 'must be a whole number' }).nonnegative({ error: 'must not be negative' });

/** A match filter as input may write it; strict, so a misspelt criterion is an error. */
export const matchFilterSchema = z
  .strictObject({
    municipality: z
      .array(z.enum(MUNICIPALITIES, { error: (issue) => `unknown municipality ${JSON.stringify(issue.input)} (expected one of ${MUNICIPALITIES.join(', ')})` }))
      .optional(),
    sector: z.array(z.string().refine((tag) => taxonomy.has(tag), { error: (issue) => `unknown sector tag ${JSON.stringify(issue.input)}` })).optional(),
    minEmployees: employees.optional(),
    maxEmployees: employees.optional(),
    language: z.array(z.string().regex(/^[a-z]{2}$/, { error: 'must be an ISO 639-1 code such as "sv"' })).optional(),
  })
  .refine((f) => f.minEmployees === undefined || f.maxEmployees === undefined || f.minEmployees <= f.maxEmployees, {
    error: 'minEmployees must not be above maxEmployees',
    path: ['maxEmployees'],
  });

/** Checks a match filter: every problem, with its path. */
export function validateMatchFilter(input: unknown, label = 'filter'): ValidationResult<MatchFilter> {
  const parsed = matchFilterSchema.safeParse(input, { reportInput: true });
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, issues: zodIssues(label, parsed.error.issues) };
}

/** The sector tags a record is filtered on: by default its given `sectors`; pass the matcher's (given or inferred) tags instead. */
export type TagsOf<T> = (record: T) => readonly string[] | undefined;

function checkedFilter(filter: MatchFilter): MatchFilter {
  const result = validateMatchFilter(filter);
  if (!result.ok) throw new PartnermatchError('INVALID_OPTIONS', `invalid match filter: ${result.issues.map(formatIssue).join('; ')}`, { issues: result.issues });
  return result.value;
}

function sectorTest<T extends { sectors?: readonly string[] | undefined }>(sectors: readonly string[] | undefined, tagsOf: TagsOf<T> | undefined) {
  if (sectors === undefined) return undefined;
  const wanted = new Set(sectors);
  return (record: T): boolean => (tagsOf?.(record) ?? record.sectors ?? []).some((tag) => taxonomy.lineage(tag).some((t) => wanted.has(t)));
}

/**
 * The `filter` for ranking companies. `tagsOf` gives the tags the sector criterion reads,
 * e.g. `(c) => matcher.profile('company', c.id)?.tags.map((t) => t.tag)` for inferred
 * tags too; by default a company's given `sectors`. Throws INVALID_OPTIONS for a bad filter.
 */
export function compileCompanyFilter(filter: MatchFilter, tagsOf?: TagsOf<Company>): (company: Company) => boolean {
  const { municipality, sector, minEmployees, maxEmployees, language } = checkedFilter(filter);
  const tests: ((company: Company) => boolean)[] = [];
  if (municipality !== undefined) {
    const wanted = new Set<string>(municipality);
    tests.push((c) => c.municipality !== undefined && wanted.has(c.municipality));
  }
  const sectorOk = sectorTest<Company>(sector, tagsOf);
  if (sectorOk !== undefined) tests.push(sectorOk);
  if (minEmployees !== undefined) tests.push((c) => c.employees !== undefined && c.employees >= minEmployees);
  if (maxEmployees !== undefined) tests.push((c) => c.employees !== undefined && c.employees <= maxEmployees);
  if (language !== undefined) {
    const wanted = new Set(language);
    tests.push((c) => (c.languages ?? []).some((code) => wanted.has(code)));
  }
  return (company) => tests.every((test) => test(company));
}

/**
 * The `filter` for ranking needs: only `sector` describes a need; the company criteria
 * are an INVALID_OPTIONS error here rather than a filter that silently keeps nothing.
 */
export function compileNeedFilter(filter: MatchFilter, tagsOf?: TagsOf<PartnerNeed>): (need: PartnerNeed) => boolean {
  const { sector, ...companyOnly } = checkedFilter(filter);
  const misplaced = Object.keys(companyOnly).filter((key) => companyOnly[key as keyof typeof companyOnly] !== undefined);
  if (misplaced.length > 0) {
    throw new PartnermatchError('INVALID_OPTIONS', `${misplaced.join(', ')} describe companies and cannot filter needs`);
  }
  return sectorTest<PartnerNeed>(sector, tagsOf) ?? (() => true);
}
