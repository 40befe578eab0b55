import { describe, expect, it } from 'vitest';
import { createMatcher } from '../matcher.js';
import { readDataset } from '../test-data.js';
import { createAnalyzer, detectLanguage } from '../text/analyzer.js';
import { lexiconLoaded } from './lexicon.js';

// A file of its own: vitest gives each test file fresh modules, so nothing else here has
// read the lexicon. LICENSE-DATA promises that an application that must not ship the
// lexicon can turn it off, and the file is then never read.
describe('the lexicon switched off', () => {
  it('is never read: not to analyse, to detect a language, to index or to rank', () => {
    const off = createAnalyzer({ lexicon: false });
    // A short Swedish sentence with no function word: with the lexicon on, its words decide.
    expect(off.analyze('Barnen spelar fotboll i parken.').language).toBe('en');
    expect(detectLanguage('Barnen spelar fotboll i parken.', { lexicon: false })).toBe('en');
    const sample = readDataset('fixtures/sample')!;
    const matcher = createMatcher({ ...sample, options: { analyzer: { lexicon: false } } });
    expect(matcher.rankCompanies(sample.needs[0]!.id, { includeExpired: true }).length).toBeGreaterThan(0);
    expect(lexiconLoaded()).toBe(false);
    expect(detectLanguage('Barnen spelar fotboll i parken.')).toBe('sv');
    expect(lexiconLoaded()).toBe(true);
  });
});
