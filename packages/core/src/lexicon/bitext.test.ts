import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { TermIndex } from '../index/term-index.js';
import { DEFAULT_BM25 } from '../matcher.js';
import { weightedTerms } from '../ranking/rank.js';
import { seededRandom } from '../test-data.js';
import { createAnalyzer, type AnalyzerOptions } from '../text/analyzer.js';

// The everyday-sentence dev check of the lexicon layer (fixtures/bitext-dev): each Swedish
// or Chinese sentence is a query, every English sentence a candidate, ranked with the
// engine's text similarity (the pipeline, BM25 and its query weights); accuracy@1 is the
// share whose translation ranks first. The sentences were written for this check, and the
// lexicon's weights were chosen on it; a kept-back public bitext decides.
const FILE = fileURLToPath(new URL('../../../../fixtures/bitext-dev/triples.tsv', import.meta.url));
// Short sentences of the kind public bitexts hold (a past tense, a plural, no function
// word a language detector knows), written after the weights were chosen; the Swedish
// irregular forms, the language tie-break and the core vocabulary were made looking at
// their failures, so they are dev data now, not a held-out check.
const SHORT_FILE = fileURLToPath(new URL('../../../../fixtures/bitext-dev/short.tsv', import.meta.url));
// Forty everyday sentences written after session 23's Swedish changes and measured once
// before any other change (sv→en 0.975, 0.950 without those changes; zh→en 1.000, both
// among the 1,077 of all files and the spliced distractors): dev data from then on.
const EVERYDAY_FILE = fileURLToPath(new URL('../../../../fixtures/bitext-dev/everyday.tsv', import.meta.url));
// Forty sentences of news and daily life written in session 24, measured once before any
// change (sv→en 0.900, zh→en 0.975 among 1,077 candidates); English adverbs of translated
// adjectives were added looking at their failures (sv→en 0.925), so they are dev data now.
const NEWS_FILE = fileURLToPath(new URL('../../../../fixtures/bitext-dev/news.tsv', import.meta.url));
// Fifty short conversational sentences (questions, negations, pronouns; few content words)
// written in session 24 and measured once first (sv→en 0.840, zh→en 0.860 among 1,167
// candidates); Swedish verbs and adverbs were kept with the lexicon looking at their failures.
const CONVERSATION_FILE = fileURLToPath(new URL('../../../../fixtures/bitext-dev/conversation.tsv', import.meta.url));
// Thirty sentences with people's and places' names, as public bitexts hold them (`Tom gav
// Mary en bok`), written in session 27 with the change they check: a Swedish word no source
// translates (a name, a loan) is read as English too, so `Mary` meets `mari`. Measured
// before it (sv→en 0.733, zh→en 0.933 among the 391 English sentences of every file) and
// after (0.967, 0.933): dev data, written knowing what it was for.
const NAMES_FILE = fileURLToPath(new URL('../../../../fixtures/bitext-dev/names.tsv', import.meta.url));
// Fifty daily-life sentences (errands, weather, health, family) written in session 28 and
// measured once first, among the 436 English sentences of every file: sv→en 0.920, zh→en
// 0.880; zh→en 0.900 after British spellings met CC-CEDICT's American ones (`neighbours`).
const DAILY_FILE = fileURLToPath(new URL('../../../../fixtures/bitext-dev/daily.tsv', import.meta.url));
// Two hundred phrasebook and subtitle lines (questions, tenses, idioms, names; many topics)
// written in session 39 by a helper who saw no code and no other file, and measured once first
// (among their own 200 English sentences: sv→en 0.905, zh→en 0.880; among the 647 of every
// file: 0.825 / 0.800); English adjectives' comparison, the Swedish time adverbs and `公交车`
// were mended looking at their failures (0.925 / 0.885; 0.855 / 0.815), so they are dev data now.
const PHRASEBOOK_FILE = fileURLToPath(new URL('../../../../fixtures/bitext-dev/phrasebook.tsv', import.meta.url));
// 150 sentences of varied length (a third of 3–6 words, a third of 13–25) written by a helper that saw
// no code and no other file, measured once in session 46 (README): dev data from then on.
const VARIED_FILE = fileURLToPath(new URL('../../../../fixtures/bitext-dev/varied.tsv', import.meta.url));
// 150 sentences with the Chinese in traditional characters and Taiwan's words (捷運, 軟體, 機車),
// written by a helper that saw no code and no other file, in session 49, for the change it
// checks: traditional characters are read as simplified (text/tokens.ts). Measured once
// before and after it among 926 English sentences (README): dev data, written knowing what it was for.
const TRADITIONAL_FILE = fileURLToPath(new URL('../../../../fixtures/bitext-dev/traditional.tsv', import.meta.url));
// 200 sentences of the kind language learners' public collections hold (names, tenses,
// idioms; 59 of the Chinese in traditional characters), written in session 53 by a helper
// that saw no code and no other file, and measured once first (README): dev data from then on.
const LEARNER_FILE = fileURLToPath(new URL('../../../../fixtures/bitext-dev/learner.tsv', import.meta.url));
// 240 short learner's sentences (40 of the Chinese in traditional characters), written in session
// 54 by a helper that saw no code and no other file, and measured once first (README): dev data from then on.
const LEARNER_SHORT_FILE = fileURLToPath(new URL('../../../../fixtures/bitext-dev/learner-short.tsv', import.meta.url));
const CONCEPT_WEIGHT = 1.5;

interface Triple {
  readonly en: string;
  readonly sv: string;
  readonly zh: string;
}

function readTriples(file: string): Triple[] {
  const [, ...rows] = readFileSync(file, 'utf8').trim().split('\n');
  return rows.map((row) => {
    const [en, sv, zh] = row.split('\t');
    return { en: en!, sv: sv!, zh: zh! };
  });
}

/**
 * Accuracy@1 of finding each query's English translation among all English sentences (and
 * `distractors`, English sentences that translate none of the queries).
 */
export function bitextAccuracy(triples: readonly Triple[], from: 'sv' | 'zh', options: AnalyzerOptions, distractors: readonly string[] = []): number {
  const analyzer = createAnalyzer(options);
  const index = new TermIndex(DEFAULT_BM25);
  [...triples.map((t) => t.en), ...distractors].forEach((en, i) => {
    const analysis = analyzer.analyze(en, { surfaces: false });
    index.add(String(i), analysis.terms, analysis.length);
  });
  let correct = 0;
  triples.forEach((t, i) => {
    const query = analyzer.analyze(t[from]);
    const terms = weightedTerms({ analysis: query }, CONCEPT_WEIGHT);
    const { scores, touched, touchedCount } = index.score(terms, DEFAULT_BM25);
    let best = -1;
    let bestScore = 0;
    for (let k = 0; k < touchedCount; k += 1) {
      const slot = touched[k]!;
      // Ties go to the lower slot, as the engine breaks ties by id.
      if (scores[slot]! > bestScore || (scores[slot] === bestScore && slot < best)) {
        best = slot;
        bestScore = scores[slot]!;
      }
    }
    if (best >= 0 && index.idAt(best) === String(i)) correct += 1;
  });
  return correct / triples.length;
}

// Floors a few points under the figures measured when each was last changed (bitext-dev
// 0.969 / 0.992, short.tsv 0.972 / 1.000), so a loss of everyday coverage shows.
describe.each([
  ['fixtures/bitext-dev', FILE, { sv: 0.92, zh: 0.93 }],
  ['fixtures/bitext-dev/short.tsv', SHORT_FILE, { sv: 0.93, zh: 0.95 }],
  ['fixtures/bitext-dev/everyday.tsv', EVERYDAY_FILE, { sv: 0.95, zh: 0.95 }],
  ['fixtures/bitext-dev/news.tsv', NEWS_FILE, { sv: 0.95, zh: 0.95 }],
  ['fixtures/bitext-dev/conversation.tsv', CONVERSATION_FILE, { sv: 0.85, zh: 0.85 }],
  ['fixtures/bitext-dev/names.tsv', NAMES_FILE, { sv: 0.93, zh: 0.85 }],
  ['fixtures/bitext-dev/daily.tsv', DAILY_FILE, { sv: 0.92, zh: 0.92 }],
  ['fixtures/bitext-dev/phrasebook.tsv', PHRASEBOOK_FILE, { sv: 0.9, zh: 0.85 }],
  ['fixtures/bitext-dev/varied.tsv', VARIED_FILE, { sv: 0.89, zh: 0.82 }],
  ['fixtures/bitext-dev/traditional.tsv', TRADITIONAL_FILE, { sv: 0.89, zh: 0.86 }],
  ['fixtures/bitext-dev/learner.tsv', LEARNER_FILE, { sv: 0.87, zh: 0.84 }],
  ['fixtures/bitext-dev/learner-short.tsv', LEARNER_SHORT_FILE, { sv: 0.77, zh: 0.75 }],
])('everyday bitext (%s)', (name, file, floor) => {
  it.skipIf(!existsSync(file))('finds the English translation of Swedish and Chinese sentences far more often with the lexicon', () => {
    const triples = readTriples(file);
    const figures = {
      svWith: bitextAccuracy(triples, 'sv', {}),
      svWithout: bitextAccuracy(triples, 'sv', { lexicon: false }),
      zhWith: bitextAccuracy(triples, 'zh', {}),
      zhWithout: bitextAccuracy(triples, 'zh', { lexicon: false }),
    };
    console.log(`${name} acc@1 (${triples.length} pairs each): ${JSON.stringify(figures)}`);
    expect(figures.svWith).toBeGreaterThan(figures.svWithout + 0.3);
    expect(figures.zhWith).toBeGreaterThan(figures.zhWithout + 0.3);
    expect(figures.svWith).toBeGreaterThanOrEqual(floor.sv);
    expect(figures.zhWith).toBeGreaterThanOrEqual(floor.zh);
  }, 60_000);
});

/**
 * English sentences spliced from the first half of one translation and the second half of
 * another (seeded): each shares words with two true translations, so it is a harder
 * distractor than an unrelated sentence. With them the pool is as large as a public bitext's.
 */
function splicedDistractors(triples: readonly Triple[], count: number, seed: number): string[] {
  const next = seededRandom(seed);
  return Array.from({ length: count }, () => {
    const first = triples[Math.floor(next() * triples.length)]!.en.split(' ');
    const second = triples[Math.floor(next() * triples.length)]!.en.split(' ');
    return [...first.slice(0, Math.ceil(first.length / 2)), ...second.slice(Math.ceil(second.length / 2))].join(' ');
  });
}

describe('everyday bitext, both files against 1,037 English sentences', () => {
  it.skipIf(!existsSync(FILE) || !existsSync(SHORT_FILE))('still finds most translations among 800 spliced distractors', () => {
    const triples = [...readTriples(FILE), ...readTriples(SHORT_FILE)];
    const distractors = splicedDistractors(triples, 800, 12345);
    const figures = { sv: bitextAccuracy(triples, 'sv', {}, distractors), zh: bitextAccuracy(triples, 'zh', {}, distractors) };
    console.log(`pooled bitext acc@1 (${triples.length} queries, ${triples.length + distractors.length} candidates): ${JSON.stringify(figures)}`);
    // Measured 0.924 / 0.924 (sv→en 0.869 before the Swedish inflection and stop-word mends,
    // zh→en 0.920 before English adverbs).
    expect(figures.sv).toBeGreaterThanOrEqual(0.89);
    expect(figures.zh).toBeGreaterThanOrEqual(0.89);
  }, 60_000);
});
