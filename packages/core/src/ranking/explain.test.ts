import { describe, expect, it } from 'vitest';
import { recordFields } from '../index/fields.js';
import { createMatcher } from '../matcher.js';
import { DEFAULT_MATCHER_OPTIONS } from '../options.js';
import { budgetKeptEvidence } from './explain.js';
import type { Company, PartnerNeed } from '../schema/records.js';
import { readDataset, seededRandom } from '../test-data.js';
import { CONCEPT_PREFIX, createAnalyzer, isConceptTerm, type Evidence } from '../text/analyzer.js';

// Explanations keep each candidate's evidence for the terms asked of it so far and answer
// later, smaller questions from it. These tests hold that to the analyzer: evidence found
// for more terms must answer for fewer exactly as if only those had been asked.

const sample = readDataset('fixtures/sample')!;
const dev = readDataset('../shared/eval/dev');

/** What an explanation reads of evidence for `term` (see `termEvidence`). */
function readFor(evidence: Evidence, term: string): unknown {
  if (isConceptTerm(term)) {
    const id = term.slice(CONCEPT_PREFIX.length);
    return [evidence.concepts.filter((hit) => hit.concept === id).map((hit) => hit.phrase), evidence.surfaces.get(term), evidence.bridges.get(term)];
  }
  return [evidence.surfaces.get(term), evidence.bridges.get(term)];
}

function records(set: { companies: Company[]; needs: PartnerNeed[] }): { kind: 'company' | 'need'; record: Company | PartnerNeed }[] {
  return [...set.companies.map((record) => ({ kind: 'company' as const, record })), ...set.needs.map((record) => ({ kind: 'need' as const, record }))];
}

describe('candidate evidence', () => {
  const analyzer = createAnalyzer(DEFAULT_MATCHER_OPTIONS.analyzer);

  it.each([
    ['the sample set', sample],
    ['the dev set', dev],
  ])('found for all of a record’s terms answers for any few of them as if asked alone (%s)', (_name, set) => {
    if (set === undefined) return;
    const next = seededRandom(15);
    let compared = 0;
    for (const { kind, record } of records(set)) {
      const fields = recordFields(kind, record, DEFAULT_MATCHER_OPTIONS.fieldWeights);
      const all = [...analyzer.analyze(fields, { surfaces: false }).terms.keys()];
      const everything = analyzer.evidence(fields, new Set(all));
      for (let round = 0; round < 4; round += 1) {
        // What an explanation asks: up to 8 terms, words and concepts mixed.
        const few = all.filter(() => next() < 8 / all.length);
        const alone = analyzer.evidence(fields, new Set(few));
        const some = analyzer.evidence(fields, new Set([...few, ...all.filter(() => next() < 0.3)]));
        for (const term of few) {
          expect(readFor(everything, term), `${record.id}: ${term}`).toEqual(readFor(alone, term));
          expect(readFor(some, term), `${record.id}: ${term}`).toEqual(readFor(alone, term));
          compared += 1;
        }
      }
    }
    expect(compared).toBeGreaterThan(100);
  });
});

describe('explanations', () => {
  it.each([
    ['the sample set', sample],
    ['the dev set', dev],
  ])('are the same whatever was explained before (%s)', (_name, set) => {
    if (set === undefined) return;
    const rankAll = (matcher: ReturnType<typeof createMatcher>, limit: number, order: 1 | -1) => {
      const needs = order === 1 ? set.needs : [...set.needs].reverse();
      const companies = order === 1 ? set.companies : [...set.companies].reverse();
      return JSON.stringify([
        ...needs.map((need) => matcher.rankCompanies(need.id, { limit, includeExpired: true })),
        ...companies.map((company) => matcher.rankNeeds(company.id, { limit, includeExpired: true })),
      ]);
    };
    const first = createMatcher(set);
    const expected = rankAll(first, 10, 1);
    expect(expected).toContain('"explanation"');
    // Again on the same matcher, every candidate's evidence now kept.
    expect(rankAll(first, 10, 1)).toBe(expected);
    // A matcher that first explained deeper rankings in the other order, so its candidates
    // were asked other terms first.
    const other = createMatcher(set);
    rankAll(other, 40, -1);
    expect(rankAll(other, 10, 1)).toBe(expected);
  });

  it.each([
    ['the sample set', sample],
    ['the dev set', dev],
  ])('are the same when the kept evidence has room for a few candidates only (%s)', (_name, set) => {
    if (set === undefined) return;
    const rankAll = (matcher: ReturnType<typeof createMatcher>) =>
      JSON.stringify(set.needs.map((need) => matcher.rankCompanies(need.id, { limit: 10, includeExpired: true })));
    const expected = rankAll(createMatcher(set));
    // ~2 KB a candidate: every explanation evicts, and candidates asked again are read again.
    const previous = budgetKeptEvidence(8 * 1024);
    try {
      const small = createMatcher(set);
      expect(rankAll(small)).toBe(expected);
      expect(rankAll(small)).toBe(expected);
    } finally {
      budgetKeptEvidence(previous);
    }
  });
});

describe('explained terms', () => {
  const economy = readDataset('fixtures/economy-dev')!;

  it('name each document term once, with all it carried, when two query words reach it through the lexicon', () => {
    const matcher = createMatcher(economy);
    let explained = 0;
    let bridged = 0;
    for (const need of economy.needs) {
      for (const match of matcher.rankCompanies(need.id, { limit: 10, includeExpired: true })) {
        const terms = match.explanation!.terms;
        explained += 1;
        bridged += terms.filter((term) => term.kind === 'word' && term.bridge !== undefined).length;
        expect(new Set(terms.map((term) => `${term.kind}:${term.term}`)).size).toBe(terms.length);
        // Shares are each term's part of the text score; merged, they still add up to at most 1.
        expect(terms.reduce((sum, term) => sum + term.share, 0)).toBeLessThanOrEqual(1.0001 + terms.length * 0.0005);
      }
    }
    expect(explained).toBeGreaterThan(40);
    expect(bridged).toBeGreaterThan(20);
  });

  it('show a concept a Chinese word’s translation named with that word and the lexicon’s English word', () => {
    const company = (id: string, description: string): Company => ({ id, name: id, municipality: 'Karlskrona', description });
    const matcher = createMatcher({
      companies: [
        company('c-acoustics', 'Vi mäter lågfrekvent buller från fläktar och transformatorer och föreslår åtgärder.'),
        company('c-speakers', 'Vi hyr ut högtalare och ljudanläggningar till konserter.'),
      ],
      needs: [{ id: 'n-fans', title: '风机太响', description: '工厂风机很响，晚上居民睡不着，想找人测一测，想想办法。', organization: '玉溪某厂', city: 'Yuxi' }],
    });
    const [best] = matcher.rankCompanies('n-fans', { limit: 2, includeExpired: true });
    expect(best!.id).toBe('c-acoustics');
    const concept = best!.explanation!.terms.find((term) => term.kind === 'concept' && term.bridge !== undefined);
    expect(concept).toMatchObject({ needPhrases: ['响'], bridge: { source: 'lexicon', word: 'noise' } });
    expect(concept!.companyPhrases.join(' ')).toContain('buller');
    // Needs ranked for the company: indexed, the need holds no such concept, so none is shown.
    const [need] = matcher.rankNeeds('c-acoustics', { limit: 1, includeExpired: true });
    expect(need!.explanation!.terms.find((term) => term.term === concept!.term)).toBeUndefined();
  });
});

describe('explanations of a traditional Chinese text', () => {
  it('rank it as the simplified text and quote its phrases as it writes them', () => {
    const matcher = createMatcher({ companies: sample.companies });
    const need = (title: string, description: string): PartnerNeed => ({ ...sample.needs[0]!, id: 'n-tw', title, description, sectors: undefined });
    const simplified = matcher.rankCompanies(need('城镇污水处理厂提标改造技术合作', '本公司负责滇池流域内城镇污水处理厂的运营，我们希望养蜂。'), { limit: 5, includeExpired: true });
    const traditionalNeed = need('城鎮污水處理廠提標改造技術合作', '本公司負責滇池流域內城鎮污水處理廠的運營，我們希望養蜂。');
    const traditional = matcher.rankCompanies(traditionalNeed, { limit: 5, includeExpired: true });
    expect(traditional.map((m) => [m.id, m.score])).toEqual(simplified.map((m) => [m.id, m.score]));
    const written = traditionalNeed.title + traditionalNeed.description;
    const phrases = traditional.flatMap((m) => m.explanation!.terms.flatMap((t) => t.needPhrases));
    expect(phrases).toContain('污水處理廠');
    for (const phrase of phrases) expect(written).toContain(phrase);
  });
});
