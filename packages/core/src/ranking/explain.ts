import { recordFields } from '../index/fields.js';
import type { Entry } from '../index/side.js';
import type { TextQuery } from '../index/term-index.js';
import type { ResolvedMatcherOptions, ScoreWeights } from '../options.js';
import type { Company, PartnerNeed } from '../schema/records.js';
import { summarize, type Explanation, type ScorePart, type TermEvidence } from '../scoring/explanation.js';
import type { AssignedTag } from '../scoring/inference.js';
import { normalisedText, roundPart } from '../scoring/score.js';
import { scoreCooperation, scoreTags } from '../scoring/scores.js';
import { taxonomy } from '../taxonomy/taxonomy.js';
import { CONCEPT_PREFIX, isConceptTerm, writtenForm, type Evidence, type InternalAnalyzer } from '../text/analyzer.js';
import type { ConceptHit } from '../text/concepts.js';
import { detached, SizedMemo } from '../text/memo.js';
import { asWritten } from '../text/tokens.js';
import type { Query } from './types.js';

/** Terms shown in an explanation, the largest contributions first. */
export const EXPLAINED_TERMS = 8;

/** What an explanation reads besides the match itself. */
export interface ExplainContext {
  readonly options: ResolvedMatcherOptions;
  readonly analyzer: InternalAnalyzer;
  /** Rarity of a tag among companies. */
  readonly companyRarity: (tag: string) => number;
}

/** The text score of the record in `slot`, term by term in scoring order, largest first. */
export function termContributions(textQuery: TextQuery, slot: number): { terms: { term: string; value: number }[]; total: number } {
  // Straight from the index, summed in the scoring order, so the explained text score is
  // the ranked one to the bit.
  // Two query words can reach one document term (养蜂 and 蜂蜜 both meet `bee` through the
  // lexicon): the term is shown once, with what it carried in all.
  const terms: { term: string; value: number }[] = [];
  const at = new Map<string, number>();
  let total = 0;
  for (let t = 0; t < textQuery.termCount; t += 1) {
    const { term, value } = textQuery.explainedContribution(t, slot);
    if (value === 0) continue;
    const known = at.get(term);
    if (known === undefined) {
      at.set(term, terms.length);
      terms.push({ term, value });
    } else terms[known]!.value += value;
    total += value;
  }
  terms.sort((a, b) => b.value - a.value || (a.term < b.term ? -1 : 1));
  return { terms, total };
}

function termEvidence(term: string, share: number, needEvidence: Evidence, companyEvidence: Evidence): TermEvidence {
  if (isConceptTerm(term)) {
    const id = term.slice(CONCEPT_PREFIX.length);
    const concept = taxonomy.concept(id);
    // A concept no glossary phrase names came from a word's translation: the word, and the lexicon's bridge.
    const phrasesOf = (evidence: Evidence) => {
      const phrases = [...new Set(evidence.concepts.filter((hit) => hit.concept === id).map((hit) => hit.phrase))];
      const word = phrases.length === 0 ? evidence.surfaces.get(term) : undefined;
      return word === undefined ? phrases : [word];
    };
    const needPhrases = phrasesOf(needEvidence).map((phrase) => asWritten(phrase, needEvidence.written));
    const companyPhrases = phrasesOf(companyEvidence).map((phrase) => asWritten(phrase, companyEvidence.written));
    const bridge = needEvidence.bridges.get(term) ?? companyEvidence.bridges.get(term);
    return {
      kind: 'concept',
      term: id,
      label: concept?.en[0] ?? id,
      ...(concept?.tag === undefined ? {} : { tag: concept.tag }),
      share,
      needPhrases,
      companyPhrases,
      ...(bridge === undefined ? {} : { bridge: { source: 'lexicon' as const, word: bridge } }),
    };
  }
  const needSurface = asWritten(needEvidence.surfaces.get(term) ?? writtenForm(term), needEvidence.written);
  const companySurface = asWritten(companyEvidence.surfaces.get(term) ?? writtenForm(term), companyEvidence.written);
  const bridge = needEvidence.bridges.get(term) ?? companyEvidence.bridges.get(term);
  return {
    kind: 'word',
    term,
    label: needSurface,
    share,
    needPhrases: [needSurface],
    companyPhrases: [companySurface],
    ...(bridge === undefined ? {} : { bridge: { source: 'lexicon' as const, word: bridge } }),
  };
}

/** Evidence of a candidate for every term asked of it so far. */
interface KnownEvidence {
  readonly terms: readonly string[];
  readonly evidence: Evidence;
}

// Most candidates have no lexicon bridge: they share one empty map (never written to).
const NO_BRIDGES: Map<string, string> = new Map();

/**
 * What the kept evidence of candidates may hold, per explaining context, in bytes (as
 * `evidenceBytes` counts them). The best matches recur from query to query, and reading a
 * candidate's text again (normalising, segmenting, glossary matching) was a third of an
 * uncached explained ranking at 10k companies. Kept by count (4,096), the top 10s of 1,000
 * needs over 10k synthetic companies (between 4,096 and 8,192 distinct companies, ~1.8 KB
 * each) went round the cache and read 43 % of their candidates again on every pass; this
 * holds up to about 9k such candidates (past it, `SizedMemo` drops the least recent to half),
 * and a long text takes the room of several short ones.
 */
export const KEPT_EVIDENCE_BYTES = 16 * 2 ** 20;

let keptEvidenceBudget = KEPT_EVIDENCE_BYTES;

/**
 * @internal Sets what the kept evidence of each explaining context made from now on may
 * hold (tests lower it to make every explanation evict); returns the budget it replaces.
 */
export function budgetKeptEvidence(bytes: number): number {
  const previous = keptEvidenceBudget;
  keptEvidenceBudget = bytes;
  return previous;
}

/** An estimate of what a kept entry holds: its strings (2 bytes a unit), map entries and objects. */
function evidenceBytes({ terms, evidence }: KnownEvidence): number {
  let bytes = 160 + 8 * terms.length;
  for (const [term, surface] of evidence.surfaces) bytes += 2 * (term.length + surface.length) + 72;
  // A hit's concept id is the taxonomy's string, held anyway.
  for (const { phrase } of evidence.concepts) bytes += 2 * phrase.length + 56;
  if (evidence.bridges !== NO_BRIDGES) for (const [term, word] of evidence.bridges) bytes += 2 * (term.length + word.length) + 72;
  return bytes;
}

// Keyed by the context (one analyzer and field weights) and then by the record object
// itself, so an update (a new object) is never answered from the old text.
const keptEvidence = new WeakMap<ExplainContext, SizedMemo<object, KnownEvidence>>();

/**
 * Each concept's phrases once, in text order: what `termEvidence` reads of the hits (a
 * company naming its field ten times kept ten hits), copied out of the normalised text.
 */
function distinctHits(hits: readonly ConceptHit[]): ConceptHit[] {
  const seen = new Set<string>();
  const kept: ConceptHit[] = [];
  for (const { concept, phrase } of hits) {
    const key = `${concept}\u0000${phrase}`;
    if (seen.has(key)) continue;
    seen.add(key);
    kept.push({ concept, phrase: detached(phrase) });
  }
  return kept;
}

/**
 * Evidence found for a set of terms answers for any subset of them as it would have been
 * found for the subset alone: each term's written form, bridge and concept hits depend on
 * that term only (the first form noted wins, and a concept's hits ignore other concepts),
 * and readers look terms up one by one (`termEvidence`). The explain tests check this
 * against the analyzer. A candidate is read again only for terms not asked of it before,
 * then for all of them, so its entry keeps answering its earlier queries too.
 */
function candidateEvidence(context: ExplainContext, kind: 'company' | 'need', record: Company | PartnerNeed, wanted: readonly string[]): Evidence {
  let kept = keptEvidence.get(context);
  if (kept === undefined) {
    kept = new SizedMemo(keptEvidenceBudget, (_record, known) => evidenceBytes(known));
    keptEvidence.set(context, kept);
  }
  // A hit is the most recently used, so eviction drops the ones not asked for lately.
  const known = kept.get(record);
  if (known !== undefined && wanted.every((term) => known.terms.includes(term))) return known.evidence;
  const terms = [...new Set([...(known?.terms ?? []), ...wanted])];
  const found = context.analyzer.evidence(recordFields(kind, record, context.options.fieldWeights), new Set(terms));
  // Written forms are slices of the normalised text: copies keep only themselves alive.
  const copied: Evidence = {
    surfaces: new Map([...found.surfaces].map(([term, surface]) => [term, detached(surface)])),
    concepts: distinctHits(found.concepts),
    bridges: found.bridges.size === 0 ? NO_BRIDGES : found.bridges,
  };
  const evidence = found.written === undefined ? copied : { ...copied, written: found.written };
  kept.set(record, { terms, evidence });
  return evidence;
}

/** The tag score of a pair with its evidence, whichever side the query is on. */
export function tagScoreOf(context: ExplainContext, queryTags: readonly AssignedTag[], candidateTags: readonly AssignedTag[], queryIsNeed: boolean) {
  const [needTags, companyTags] = queryIsNeed ? [queryTags, candidateTags] : [candidateTags, queryTags];
  return scoreTags(needTags, companyTags, context.companyRarity, context.options.tagRelations, context.options.tagCompanySideShare, context.options.neutralTags);
}

/**
 * Why the candidate in `slot` scored what it did: the three parts, the tags that met,
 * the terms that carried the text score with the phrases on each side, and the
 * partnership types. Only the shown terms are looked up in the candidate's text.
 */
export function explainMatch<T extends { id: string }>(
  context: ExplainContext,
  textQuery: TextQuery,
  slot: number,
  entry: Entry<T>,
  query: Query,
  bestText: number,
  weights: ScoreWeights,
): Explanation {
  const queryIsNeed = query.isNeed;
  const { options } = context;
  const candidateTypes = entry.group.types;
  const { terms: contributions, total } = termContributions(textQuery, slot);
  const shown = contributions.slice(0, EXPLAINED_TERMS);
  const candidate = candidateEvidence(
    context,
    queryIsNeed ? 'company' : 'need',
    entry.record as unknown as Company | PartnerNeed,
    shown.map((c) => c.term),
  );
  const [needEvidence, companyEvidence] = queryIsNeed ? [query.analysis, candidate] : [candidate, query.analysis];
  const terms = shown.map(({ term, value }) => termEvidence(term, total > 0 ? roundPart(value / total) : 0, needEvidence, companyEvidence));

  const tagResult = weights.tags > 0 ? tagScoreOf(context, query.tags, entry.tags, queryIsNeed) : { score: 0, pairs: [] };
  const [needTypes, companyTypes] = queryIsNeed ? [query.types, candidateTypes] : [candidateTypes, query.types];
  const cooperation = scoreCooperation(needTypes, companyTypes, options.neutralCooperation);
  const text = normalisedText(total, bestText);
  const part = (score: number, weight: number): ScorePart => ({
    score: roundPart(score),
    weight: roundPart(weight),
    contribution: roundPart(score * weight),
  });
  const body = {
    parts: {
      tags: part(tagResult.score, weights.tags),
      text: part(text, weights.text),
      cooperation: part(cooperation.score, weights.cooperation),
    },
    needTags: queryIsNeed ? query.tags : entry.tags,
    companyTags: queryIsNeed ? entry.tags : query.tags,
    tags: tagResult.pairs.map((pair) => ({
      needTag: pair.needTag.tag,
      companyTag: pair.companyTag.tag,
      relation: pair.relation,
      needTagSource: pair.needTag.source,
      companyTagSource: pair.companyTag.source,
      credit: roundPart(pair.credit * pair.needTag.confidence),
    })),
    terms,
    cooperation: { known: cooperation.known, shared: cooperation.shared, related: cooperation.related },
  };
  return { summary: summarize(body), ...body };
}
