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

// Each list with what it covers, the share first measured (before the mends it led to; each
// list after the earlier lists' mends), and the floor it is held to now.
const LISTS = [
  ['sv', 'sv-words.tsv', 'trade words of Blekinge firms', 0.866, 0.98],
  ['sv', 'sv-words-2.tsv', 'building, industry, energy, environment, food, services, people', 0.855, 0.92],
  ['sv', 'sv-words-3.tsv', 'trades outside energy: shops, food, beauty, crafts, media, care, tourism', 0.759, 0.9],
  ['sv', 'sv-words-4.tsv', 'how firms, associations and public bodies present themselves', 0.843, 0.91],
  ['sv', 'sv-words-5.tsv', 'the objects of technical trades: pumps, breakers, balers, loggers', 0.803, 0.93],
  ['sv', 'sv-words-6.tsv', 'farming, forestry, fishing, horticulture and food processing', 0.728, 0.87],
  ['sv', 'sv-words-7.tsv', 'health and care, pharmacy, schools, culture, tourism, sports', 0.786, 0.92],
  ['sv', 'sv-words-8.tsv', 'IT, media, marketing, printing, finance, law, consulting, staffing', 0.741, 0.88],
  ['sv', 'sv-words-10.tsv', 'energy and environmental technology as firms write it', 0.876, 0.95],
  ['sv', 'sv-words-11.tsv', 'shipping, ports, shipyards, defence, logistics, trucking, rail, roads', 0.751, 0.91],
  ['sv', 'sv-words-13.tsv', 'chemistry, pharma, medtech, labs, electronics, plastics, coatings, quality', 0.773, 0.93],
  // Held out through session 32 (measured once, after every mend above), mended in session 33.
  ['sv', 'sv-words-12.tsv', 'crafts and design: furniture, upholstery, textiles, ceramics, jewellery, art', 0.72, 0.88],
  ['sv', 'sv-words-14.tsv', 'telecom, radio, embedded electronics, the grid, electrical work, automation', 0.88, 0.92],
  ['sv', 'sv-words-15.tsv', 'property management, housing, municipal planning and permits, facility services', 0.735, 0.86],
  ['sv', 'sv-words-16.tsv', 'food service, hotels, shops, consumer products', 0.807, 0.92],
  ['sv', 'sv-words-17.tsv', 'furniture, bees and honey, workwear, games, medtech, commercial kitchens', 0.752, 0.9],
  ['zh', 'zh-words.tsv', 'requests of Yunnan bureaus, utilities, factories, farms, hotels', 0.95, 0.96],
  ['zh', 'zh-words-2.tsv', 'formal and colloquial requests (拟, 落实, 老是坏, 搞不定)', 0.915, 0.94],
  ['zh', 'zh-words-3.tsv', 'trades outside energy: retail, food, crafts, health, tourism', 0.954, 0.97],
  ['zh', 'zh-words-4.tsv', 'equipment, faults and measures (叶轮, 跳闸, 结垢, 扬程)', 0.896, 0.96],
  ['zh', 'zh-words-5.tsv', 'farming, forestry, food, health, schools, tourism (存栏, 水肥一体, 中职)', 0.938, 0.96],
  ['zh', 'zh-words-6.tsv', 'terms of business cooperation (引进, 贴牌, 信用证, 意向书, 整柜)', 0.949, 0.97],
  ['zh', 'zh-words-7.tsv', 'energy and environmental technology (弃光, 纳管, 二沉池, 复垦)', 0.909, 0.96],
  ['zh', 'zh-words-8.tsv', 'mining, nonferrous smelting, phosphorus chemicals, cement, hydropower (采场, 浸出渣, 拦污栅)', 0.851, 0.96],
  ['zh', 'zh-words-9.tsv', 'digital government, logistics, customs, housing, transport, clinics (运单, 零担, 综保区)', 0.89, 0.96],
  ['zh', 'zh-words-10.tsv', 'furniture, bee products, garments, games, medical devices, hotels and tea (贴面, 巢脾, 打版, 买量)', 0.904, 0.97],
] as const;

describe('lexicon-dev: trade words written apart', () => {
  // The carrier sentence of a Swedish word holds no concept of its own: else every word passed.
  it('counts a concept only where the word brings one', () => {
    expect(hasConcept('Vi arbetar med i Blekinge.')).toBe(false);
  });

  it.each(LISTS)('reads the %s words of %s (%s; first %s) as one of their English words', (language, file, _what, _first, floor) => {
    const { share, missed } = coverage(language, file);
    console.log(`lexicon-dev ${file} ${share.toFixed(3)}; missed: ${missed.join(' ')}`);
    expect(share).toBeGreaterThanOrEqual(floor);
  });
});
