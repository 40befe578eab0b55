import { describe, expect, it } from 'vitest';
import type { AssignedTag } from './inference.js';
import { DEFAULT_TAG_RELATION_WEIGHTS as W, scoreCooperation, scoreTags } from './scores.js';

const given = (tag: string): AssignedTag => ({ tag, source: 'given', confidence: 1 });
const flat = () => 1;

describe('scoreTags', () => {
  it('credits exact, parent, child and sibling tags in that order, unrelated not at all', () => {
    const score = (need: string, company: string) => scoreTags([given(need)], [given(company)], flat, W, 0, 0).score;
    expect(score('energy.solar', 'energy.solar')).toBe(1);
    expect(score('energy', 'energy.solar')).toBe(W.parent);
    expect(score('energy.solar', 'energy')).toBe(W.child);
    expect(score('energy.solar', 'energy.wind')).toBe(W.sibling);
    expect(score('energy.solar', 'health.medtech')).toBe(0);
  });

  it('weighs a rare need tag above a common one', () => {
    const rarity = (tag: string) => (tag === 'environment.remediation' ? 3 : 1);
    const needTags = [given('environment.remediation'), given('services.consulting')];
    const rareMet = scoreTags(needTags, [given('environment.remediation')], rarity, W, 0, 0).score;
    const commonMet = scoreTags(needTags, [given('services.consulting')], rarity, W, 0, 0).score;
    expect(rareMet).toBeGreaterThan(commonMet);
  });

  it('scales inferred tags by their confidence', () => {
    const inferred: AssignedTag = { tag: 'energy.solar', source: 'inferred', confidence: 0.6 };
    expect(scoreTags([given('energy.solar')], [inferred], flat, W, 0, 0).score).toBeCloseTo(0.6);
  });
});

describe('scoreCooperation', () => {
  it('is the share of wanted types offered, with part credit for related ones', () => {
    expect(scoreCooperation(['export', 'training'], ['export'], 0.5).score).toBe(0.5);
    expect(scoreCooperation(['technology-transfer'], ['training'], 0.5)).toMatchObject({ score: 0.5, shared: [], related: [{ need: 'technology-transfer', company: 'training' }] });
    expect(scoreCooperation(undefined, ['export'], 0.5)).toMatchObject({ score: 0.5, known: false });
  });
});

describe('compileTagScorer', () => {
  it('scores exactly as scoreTags (property over random tag sets)', async () => {
    const fc = (await import('fast-check')).default;
    const { compileTagScorer } = await import('./scores.js');
    const { taxonomy } = await import('../taxonomy/taxonomy.js');
    // A neutral score above 0, so the empty tag sets the arrays hold are checked as well.
    const scorer = compileTagScorer(W, 0.2, 0.15);
    const tagArb = fc.record({
      tag: fc.constantFrom(...taxonomy.tags.map((t) => t.id)),
      source: fc.constantFrom('given' as const, 'inferred' as const),
      confidence: fc.double({ min: 0.05, max: 1, noNaN: true }),
    });
    const rarities = taxonomy.tags.map((_, i) => 1 + (i % 7) / 3);
    const rarityOf = (tag: string) => rarities[scorer.tagIds.indexOf(tag)]!;
    fc.assert(
      fc.property(fc.array(tagArb, { maxLength: 4 }), fc.array(tagArb, { maxLength: 4 }), (need, company) => {
        const expected = scoreTags(need, company, rarityOf, W, 0.2, 0.15).score;
        const actual = scorer.score(scorer.vector(need), scorer.vector(company), Float64Array.from(rarities));
        expect(actual).toBeCloseTo(expected, 12);
      }),
    );
  });
});
