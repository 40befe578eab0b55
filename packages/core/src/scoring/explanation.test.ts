import { describe, expect, it } from 'vitest';
import { summarize, type TermEvidence } from './explanation.js';

const part = { score: 0, weight: 0, contribution: 0 };

function withTerms(terms: TermEvidence[]): string {
  return summarize({
    parts: { tags: part, text: part, cooperation: part },
    needTags: [],
    companyTags: [],
    tags: [],
    terms,
    cooperation: { known: false, shared: [], related: [] },
  });
}

const word = (term: string, need: string, company: string, bridge?: string): TermEvidence => ({
  kind: 'word',
  term,
  label: need,
  share: 0.1,
  needPhrases: [need],
  companyPhrases: [company],
  ...(bridge === undefined ? {} : { bridge: { source: 'lexicon' as const, word: bridge } }),
});

describe('summarize', () => {
  it('names each pair of phrases once, however many terms carried it', () => {
    const line = withTerms([word('heat', 'heating', 'heat'), word('warm', 'heating', 'heat'), word('honei', '蜂蜜', 'honung', 'honey')]);
    expect(line).toBe('text: heating ↔ heat, 蜂蜜 ↔ honung (lexicon: honey)');
  });

  it('still names four distinct pairs when repeats come first', () => {
    const terms = [word('a', 'x', 'y'), word('b', 'x', 'y'), word('c', 'p1', 'q1'), word('d', 'p2', 'q2'), word('e', 'p3', 'q3')];
    expect(withTerms(terms)).toBe('text: x ↔ y, p1 ↔ q1, p2 ↔ q2, p3 ↔ q3');
  });
});
