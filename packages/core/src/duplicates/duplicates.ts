import { similarity as mlSimilarity } from 'ml-distance';
import { PartnermatchError } from '../errors.js';
import type { Company } from '../schema/records.js';
import { createAnalyzer, isConceptTerm, type AnalyzerOptions, type InternalAnalyzer } from '../text/analyzer.js';
import type { Language } from '../text/language.js';

/**
 * A likely duplicate, exactly in the service's contract: `id` is the record being checked,
 * `duplicateOf` the one it resembles (a record already known, or one checked earlier).
 */
export interface DuplicateWarning {
  readonly code: 'possible-duplicate';
  readonly id: string;
  readonly duplicateOf: string;
  /** `orgNumber`: the same organisation number; `similar-text`: name and description close. */
  readonly reason: 'orgNumber' | 'similar-text';
  /** In [0, 1], rounded to 2 decimals; 1 for an organisation number. */
  readonly similarity: number;
}

export interface DuplicateOptions {
  /**
   * Lowest similarity reported as `similar-text`, in (0, 1]. Defaults to
   * {@link DEFAULT_DUPLICATE_THRESHOLD}, chosen on `fixtures/duplicates` (see its README).
   */
  readonly threshold?: number;
  /** Most warnings per checked record, best first. Defaults to 3. */
  readonly maxPerRecord?: number;
  /**
   * How many candidates, found through the record's rarest terms, are compared in full.
   * Defaults to 24: a duplicate shares its rarest terms, so it ranks near the top.
   */
  readonly candidates?: number;
  /** Text pipeline switches, as for the matcher. Defaults to the matcher's defaults. */
  readonly analyzer?: AnalyzerOptions;
}

/**
 * Chosen on the labelled set `fixtures/duplicates`: the best F1 there (precision 0.97, recall
 * 0.93); every threshold from 0.50 to 0.75 keeps precision ≥ 0.9 and recall ≥ 0.8.
 */
export const DEFAULT_DUPLICATE_THRESHOLD = 0.55;
const DEFAULT_MAX_PER_RECORD = 3;
const DEFAULT_CANDIDATES = 24;
/** Rarest terms of a record used to find candidates. */
const PROBE_TERMS = 16;
/** A concept counts this much more than a word, as in the matcher's default `conceptWeight`. */
const CONCEPT_WEIGHT = 1.5;

// Words that say what kind of legal entity a firm is, not which firm: "AB" is in most names.
const LEGAL_FORMS =
  /(?<![\p{L}\p{N}])(?:ab|aktiebolag|publ|hb|kb|handelsbolag|ek\.?\s?för|ltd|limited|inc|incorporated|co|corp|corporation|company|gmbh|oy|as|a\/s|plc|llc)(?![\p{L}\p{N}])\.?|(?:股份)?有限(?:责任)?公司|公司/giu;

/** `556796-3896`, `5567963896` and the 12-digit `16556796-3896` are one number. */
export function normalizeOrgNumber(orgNumber: string): string | undefined {
  const digits = orgNumber.replace(/\D/g, '');
  if (digits.length === 12 && digits.startsWith('16')) return digits.slice(2);
  return digits.length === 10 ? digits : undefined;
}

/** What a record is compared on: its analysed name and its whole text, as term → frequency. */
interface Profile {
  readonly id: string;
  readonly org: string | undefined;
  readonly language: Language;
  readonly name: ReadonlyMap<string, number>;
  readonly text: ReadonlyMap<string, number>;
}

/**
 * Likely duplicate companies, kept up to date as the register changes. `check` asks about a
 * record without adding it; `add` makes it known (later checks may then name it).
 */
export interface DuplicateIndex {
  readonly size: number;
  readonly threshold: number;
  /** Warnings for `company` against the known records other than itself, best first. */
  check(company: Company): DuplicateWarning[];
  /** Adds (or replaces, by id) a known record. */
  add(company: Company): void;
  /** `check` then `add`, analysing the record once: what an import does for each new record. */
  checkAndAdd(company: Company): DuplicateWarning[];
  /** Forgets a record; false if it was not known. */
  remove(id: string): boolean;
}

function resolve(options: DuplicateOptions): { threshold: number; maxPerRecord: number; candidates: number } {
  const threshold = options.threshold ?? DEFAULT_DUPLICATE_THRESHOLD;
  const maxPerRecord = options.maxPerRecord ?? DEFAULT_MAX_PER_RECORD;
  const candidates = options.candidates ?? DEFAULT_CANDIDATES;
  const issues = [
    !(threshold > 0 && threshold <= 1) && { path: 'options.threshold', message: 'must be within (0, 1]' },
    !(Number.isInteger(maxPerRecord) && maxPerRecord >= 1) && { path: 'options.maxPerRecord', message: 'must be a whole number ≥ 1' },
    !(Number.isInteger(candidates) && candidates >= 1) && { path: 'options.candidates', message: 'must be a whole number ≥ 1' },
  ].filter((issue) => issue !== false);
  if (issues.length > 0) {
    throw new PartnermatchError('INVALID_OPTIONS', `invalid duplicate options: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, { issues });
  }
  return { threshold, maxPerRecord, candidates };
}

/**
 * Cosine similarity of two sparse weighted vectors, computed by ml-distance over dense arrays
 * laid out on the union of their terms. 0 when either is empty or all-zero (ml-distance
 * answers NaN there, which must never reach a score).
 */
export function cosineOf(a: ReadonlyMap<string, number>, b: ReadonlyMap<string, number>): number {
  if (a.size === 0 || b.size === 0) return 0;
  const slots = new Map<string, number>();
  for (const term of a.keys()) slots.set(term, slots.size);
  for (const term of b.keys()) if (!slots.has(term)) slots.set(term, slots.size);
  const left = new Array<number>(slots.size).fill(0);
  const right = new Array<number>(slots.size).fill(0);
  for (const [term, weight] of a) left[slots.get(term)!] = weight;
  for (const [term, weight] of b) right[slots.get(term)!] = weight;
  const value = mlSimilarity.cosine(left, right);
  return Number.isFinite(value) ? Math.min(1, Math.max(0, value)) : 0;
}

const round2 = (value: number): number => Math.round(value * 100) / 100;

/** Warnings best first; equal similarities by `duplicateOf`. */
function byStrength(a: DuplicateWarning, b: DuplicateWarning): number {
  if (a.reason !== b.reason) return a.reason === 'orgNumber' ? -1 : 1;
  if (a.similarity !== b.similarity) return b.similarity - a.similarity;
  return a.duplicateOf < b.duplicateOf ? -1 : a.duplicateOf > b.duplicateOf ? 1 : 0;
}

/**
 * A duplicate index over `existing` companies. Candidates for a check come from an inverted
 * index of terms (words and glossary concepts), probed with the checked record's rarest
 * terms, so a check costs about the same at 100 or 100,000 records; each candidate is then
 * compared in full: the cosine of TF-IDF vectors of name and whole text (words and concepts).
 * Across languages (a Swedish and an English text of one firm share no words) the text is
 * compared on its glossary concepts and on the words both scripts share (names, places,
 * product codes).
 */
export function createDuplicateIndex(existing: readonly Company[] = [], options: DuplicateOptions = {}): DuplicateIndex {
  const settings = resolve(options);
  const analyzer: InternalAnalyzer = createAnalyzer(options.analyzer);
  const profiles = new Map<string, Profile>();
  const byOrg = new Map<string, Set<string>>();
  // term → ids holding it; the df of a term is its set's size.
  const postings = new Map<string, Set<string>>();

  const profileOf = (company: Company): Profile => {
    const text = analyzer.analyze(
      [
        { text: company.name, weight: 1 },
        { text: company.description, weight: 1 },
        ...(company.offerings ?? []).map((offering) => ({ text: offering, weight: 1 })),
      ],
      { surfaces: false },
    );
    const bareName = company.name.replace(LEGAL_FORMS, ' ').trim();
    const name = bareName === '' ? new Map<string, number>() : analyzer.analyze(bareName, { surfaces: false }).terms;
    return { id: company.id, org: company.orgNumber === undefined ? undefined : normalizeOrgNumber(company.orgNumber), language: text.language, name, text: text.terms };
  };

  // The name's terms are indexed with the text's: a renamed firm is found by its text, a
  // re-described one by its name.
  const termsOf = (profile: Profile): Set<string> => new Set([...profile.text.keys(), ...profile.name.keys()]);

  const forget = (id: string): boolean => {
    const old = profiles.get(id);
    if (old === undefined) return false;
    profiles.delete(id);
    for (const term of termsOf(old)) {
      const ids = postings.get(term)!;
      ids.delete(id);
      if (ids.size === 0) postings.delete(term);
    }
    if (old.org !== undefined) {
      const ids = byOrg.get(old.org)!;
      ids.delete(id);
      if (ids.size === 0) byOrg.delete(old.org);
    }
    return true;
  };

  const remember = (profile: Profile): void => {
    forget(profile.id);
    profiles.set(profile.id, profile);
    for (const term of termsOf(profile)) {
      let ids = postings.get(term);
      if (ids === undefined) postings.set(term, (ids = new Set()));
      ids.add(profile.id);
    }
    if (profile.org !== undefined) {
      let ids = byOrg.get(profile.org);
      if (ids === undefined) byOrg.set(profile.org, (ids = new Set()));
      ids.add(profile.id);
    }
  };

  // Smoothed IDF over the known records plus the one checked, so a term only the two
  // compared records share weighs most.
  const idf = (term: string): number => Math.log(1 + (profiles.size + 1) / (1 + (postings.get(term)?.size ?? 0)));

  const weighted = (terms: ReadonlyMap<string, number>, keep: (term: string) => boolean = () => true): Map<string, number> => {
    const out = new Map<string, number>();
    for (const [term, tf] of terms) {
      if (!keep(term)) continue;
      out.set(term, (1 + Math.log(tf)) * idf(term) * (isConceptTerm(term) ? CONCEPT_WEIGHT : 1));
    }
    return out;
  };

  const similarityOf = (a: Profile, b: Profile, aText: Map<string, number>, aName: Map<string, number>): number => {
    const name = cosineOf(aName, weighted(b.name));
    if (a.language === b.language) {
      // A renamed firm keeps its text; a re-described one keeps its name.
      const text = cosineOf(aText, weighted(b.text));
      return Math.max(text, (name + text) / 2);
    }
    // Across languages only concepts and words written alike in both (names, places, codes)
    // can meet, and firms of one trade share most of their concepts: the name must agree too.
    const shared = (term: string): boolean => isConceptTerm(term) || (a.text.has(term) && b.text.has(term));
    const text = cosineOf(weighted(a.text, shared), weighted(b.text, shared));
    return (name + text) / 2;
  };

  const candidatesOf = (profile: Profile): string[] => {
    const probes = [...termsOf(profile)]
      .map((term) => ({ term, df: postings.get(term)?.size ?? 0 }))
      .filter((probe) => probe.df > 0)
      .sort((a, b) => a.df - b.df || (a.term < b.term ? -1 : 1))
      .slice(0, PROBE_TERMS);
    const votes = new Map<string, number>();
    for (const { term } of probes) {
      const weight = idf(term);
      for (const id of postings.get(term)!) if (id !== profile.id) votes.set(id, (votes.get(id) ?? 0) + weight);
    }
    return [...votes]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, settings.candidates)
      .map(([id]) => id);
  };

  const check = (profile: Profile): DuplicateWarning[] => {
    const warnings: DuplicateWarning[] = [];
    const seen = new Set<string>();
    if (profile.org !== undefined) {
      for (const other of byOrg.get(profile.org) ?? []) {
        if (other === profile.id) continue;
        seen.add(other);
        warnings.push({ code: 'possible-duplicate', id: profile.id, duplicateOf: other, reason: 'orgNumber', similarity: 1 });
      }
    }
    const aText = weighted(profile.text);
    const aName = weighted(profile.name);
    for (const other of candidatesOf(profile)) {
      if (seen.has(other)) continue;
      const value = round2(similarityOf(profile, profiles.get(other)!, aText, aName));
      if (value >= settings.threshold) {
        warnings.push({ code: 'possible-duplicate', id: profile.id, duplicateOf: other, reason: 'similar-text', similarity: value });
      }
    }
    return warnings.sort(byStrength).slice(0, Math.max(settings.maxPerRecord, warnings.filter((w) => w.reason === 'orgNumber').length));
  };

  for (const company of existing) remember(profileOf(company));

  return {
    get size() {
      return profiles.size;
    },
    threshold: settings.threshold,
    check: (company) => check(profileOf(company)),
    add: (company) => remember(profileOf(company)),
    checkAndAdd(company) {
      const profile = profileOf(company);
      forget(profile.id);
      const warnings = check(profile);
      remember(profile);
      return warnings;
    },
    remove: forget,
  };
}

/**
 * Likely duplicates among `incoming` companies (an import or a create), against `existing`
 * ones and against the incoming records before them: the second of two incoming records of one
 * firm names the first. Warnings follow the incoming order; each record's best first. An
 * incoming record with the id of an existing one (an update) is not compared with its old self.
 */
export function findDuplicates(existing: readonly Company[], incoming: readonly Company[], options: DuplicateOptions = {}): DuplicateWarning[] {
  const index = createDuplicateIndex(existing, options);
  const warnings: DuplicateWarning[] = [];
  for (const company of incoming) warnings.push(...index.checkAndAdd(company));
  return warnings;
}
