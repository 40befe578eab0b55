import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CONCEPT_PREFIX, createAnalyzer } from '../text/analyzer.js';
import { chineseWords, compoundStem, translateSwedish } from '../text/lexical.js';
import { stem } from '../text/stemming.js';
import { normalizeText, segmentWords } from '../text/tokens.js';
import { lexicon } from './lexicon.js';

// fixtures/lexicon-dev (its README): trade words written apart from the engine, each with
// the English words it should meet. A word is covered when a pivot it is read as is the
// stem of one of them, or when the glossary finds a concept in it.
const dir = fileURLToPath(new URL('../../../../fixtures/lexicon-dev/', import.meta.url));

function entries(file: string): { word: string; expected: Set<string> }[] {
  return readFileSync(dir + file, 'utf8')
    .split('\n')
    .filter((line) => line.includes('\t'))
    .map((line) => {
      const [word, glosses] = line.split('\t') as [string, string];
      const expected = glosses.split(';').flatMap((gloss) => gloss.trim().split(/[\s-]+/)).filter((w) => w.length > 2);
      return { word: normalizeText(word.trim()), expected: new Set(expected.map((w) => stem(w, 'en'))) };
    });
}

const analyzer = createAnalyzer();
const hasConcept = (text: string): boolean => [...analyzer.analyze(text).terms.keys()].some((term) => term.startsWith(CONCEPT_PREFIX));

function coverage(language: 'sv' | 'zh', file: string): { share: number; missed: string[] } {
  const list = entries(file);
  const missed: string[] = [];
  for (const { word, expected } of list) {
    let pivots: string[];
    if (language === 'sv') {
      const swedishStem = stem(word, 'sv');
      pivots = translateSwedish(swedishStem, lexicon(), compoundStem(swedishStem, word))?.pivots.map((p) => p.term) ?? [];
    } else {
      const ends = segmentWords(word).map((w) => w.start + w.text.length);
      pivots = chineseWords(word, ends).flatMap((w) => w.entry.pivots.slice(0, 4).map((p) => p.term));
    }
    const covered = pivots.some((pivot) => expected.has(pivot)) || hasConcept(language === 'sv' ? `Vi arbetar med ${word} i Blekinge.` : word);
    if (!covered) missed.push(word);
  }
  return { share: 1 - missed.length / list.length, missed };
}

describe('lexicon-dev: trade words written apart', () => {
  // First measured 0.866 (Swedish) and 0.950 (Chinese); the misses were mended then.
  it('reads nearly every Swedish trade word as one of its English words', () => {
    const { share, missed } = coverage('sv', 'sv-words.tsv');
    console.log(`lexicon-dev sv ${share.toFixed(3)}; missed: ${missed.join(' ')}`);
    expect(share).toBeGreaterThanOrEqual(0.98);
  });

  // The second list (building, industry, energy, environment, food, services, people; forms
  // as in running text) was first measured 0.855, after the first list's mends.
  it('reads most words of a second Swedish list, written after the first list\'s mends', () => {
    const { share, missed } = coverage('sv', 'sv-words-2.tsv');
    console.log(`lexicon-dev sv-2 ${share.toFixed(3)}; missed: ${missed.join(' ')}`);
    expect(share).toBeGreaterThanOrEqual(0.92);
  });

  // The third list (shops, food, beauty, crafts, media, care, sports, tourism, cars, funerals:
  // the economy outside energy) was first measured 0.759, after the first two lists' mends.
  it('reads most words of a third Swedish list, of trades outside energy', () => {
    const { share, missed } = coverage('sv', 'sv-words-3.tsv');
    console.log(`lexicon-dev sv-3 ${share.toFixed(3)}; missed: ${missed.join(' ')}`);
    expect(share).toBeGreaterThanOrEqual(0.9);
  });

  // The fourth list (how any firm, association or public body presents itself: owners,
  // boards, policies, grants, committees) was first measured 0.843.
  it('reads most words of a fourth Swedish list, of how organisations present themselves', () => {
    const { share, missed } = coverage('sv', 'sv-words-4.tsv');
    console.log(`lexicon-dev sv-4 ${share.toFixed(3)}; missed: ${missed.join(' ')}`);
    expect(share).toBeGreaterThanOrEqual(0.91);
  });

  // The fifth list (the objects of technical trades: pumps, breakers, balers, lathes,
  // loggers) was first measured 0.803.
  it('reads most words of a fifth Swedish list, of the objects of technical trades', () => {
    const { share, missed } = coverage('sv', 'sv-words-5.tsv');
    console.log(`lexicon-dev sv-5 ${share.toFixed(3)}; missed: ${missed.join(' ')}`);
    expect(share).toBeGreaterThanOrEqual(0.93);
  });

  it('reads nearly every Chinese trade word as one of its English words', () => {
    const { share, missed } = coverage('zh', 'zh-words.tsv');
    console.log(`lexicon-dev zh ${share.toFixed(3)}; missed: ${missed.join(' ')}`);
    expect(share).toBeGreaterThanOrEqual(0.96);
  });

  // The second list (formal and colloquial requests: 拟, 落实, 老是坏, 搞不定) was first
  // measured 0.915, after the first list's mends; its set phrases stay out of reach.
  it('reads most words of a second Chinese list, written after the first list\'s mends', () => {
    const { share, missed } = coverage('zh', 'zh-words-2.tsv');
    console.log(`lexicon-dev zh-2 ${share.toFixed(3)}; missed: ${missed.join(' ')}`);
    expect(share).toBeGreaterThanOrEqual(0.94);
  });

  // The third list (retail, food, crafts, health, tourism, culture, services) was first
  // measured 0.954, after the first two lists' mends.
  it('reads nearly every word of a third Chinese list, of trades outside energy', () => {
    const { share, missed } = coverage('zh', 'zh-words-3.tsv');
    console.log(`lexicon-dev zh-3 ${share.toFixed(3)}; missed: ${missed.join(' ')}`);
    expect(share).toBeGreaterThanOrEqual(0.97);
  });

  // The fourth list (equipment, faults and measures of technical requests: 叶轮, 跳闸, 结垢,
  // 扬程) was first measured 0.896.
  it('reads nearly every word of a fourth Chinese list, of equipment and faults', () => {
    const { share, missed } = coverage('zh', 'zh-words-4.tsv');
    console.log(`lexicon-dev zh-4 ${share.toFixed(3)}; missed: ${missed.join(' ')}`);
    expect(share).toBeGreaterThanOrEqual(0.96);
  });
});
