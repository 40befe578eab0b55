import { describe, expect, it } from 'vitest';
import { createAnalyzer } from '../text/analyzer.js';
import { assignTags, inferTags } from './inference.js';

const analyzer = createAnalyzer();
const infer = (text: string) => inferTags(analyzer.analyze(text).concepts);

describe('inferTags', () => {
  it('infers the sector of a clear text with a confidence below 1', () => {
    const tags = infer('我们建设污水处理厂，负责污泥处置和脱氮除磷工艺。');
    expect(tags[0]?.tag).toBe('environment.wastewater');
    expect(tags[0]!.confidence).toBeGreaterThan(0.5);
    expect(tags[0]!.confidence).toBeLessThan(1);
    expect(tags.every((t) => t.source === 'inferred')).toBe(true);
  });

  it('infers the tag of one concept of middling weight alone, at its confidence', () => {
    // `elproduktion` is power generation, weight 0.6: 1 − e^−0.6 ≈ 0.45, above the default cut.
    const tags = infer('Vi arbetar med elproduktion.');
    expect(tags).toEqual([{ tag: 'energy', source: 'inferred', confidence: 0.45 }]);
    expect(inferTags(analyzer.analyze('Vi arbetar med elproduktion.').concepts, { minConfidence: 0.5, maxTags: 3, evidenceScale: 1 })).toEqual([]);
  });

  it('infers nothing from text without domain evidence', () => {
    expect(infer('Vi är ett litet familjeföretag med lång erfarenhet.')).toEqual([]);
  });

  it('never drops given tags and infers only when none are given', () => {
    const hits = analyzer.analyze('solcellsparker och solceller').concepts;
    expect(assignTags(['health.medtech'], hits)).toEqual([{ tag: 'health.medtech', source: 'given', confidence: 1 }]);
    expect(assignTags([], hits).map((t) => t.tag)).toContain('energy.solar');
    expect(assignTags(undefined, hits).map((t) => t.tag)).toContain('energy.solar');
  });
});
