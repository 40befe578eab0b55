import englishStemmer from 'natural/lib/natural/stemmers/porter_stemmer.js';
import swedishStemmer from 'natural/lib/natural/stemmers/porter_stemmer_sv.js';
import { words as englishStopwords } from 'natural/lib/natural/util/stopwords.js';
import { words as swedishStopwords } from 'natural/lib/natural/util/stopwords_sv.js';
import { words as chineseStopwords } from 'natural/lib/natural/util/stopwords_zh.js';

export type LatinLanguage = 'sv' | 'en';

// Vocabulary is Zipfian, so a bounded memo removes almost all stemming work from indexing.
const STEM_CACHE_LIMIT = 200_000;
const stemCaches: Record<LatinLanguage, Map<string, string>> = { sv: new Map(), en: new Map() };
const stemmers: Record<LatinLanguage, { stem(token: string): string }> = {
  sv: swedishStemmer,
  en: englishStemmer,
};

export function stem(word: string, language: LatinLanguage): string {
  const cache = stemCaches[language];
  let stemmed = cache.get(word);
  if (stemmed === undefined) {
    stemmed = /\p{L}/u.test(word) ? stemmers[language].stem(word) : word;
    if (cache.size >= STEM_CACHE_LIMIT) cache.clear();
    cache.set(word, stemmed);
  }
  return stemmed;
}

/** Stop words of both Latin languages: texts mix them, and a union loses nothing useful. */
export const LATIN_STOPWORDS: ReadonlySet<string> = new Set([
  ...englishStopwords,
  ...swedishStopwords,
  // Words that say nothing about a capability in these profiles.
  'ab', 'ltd', 'co', 'inc', 'etc', 'eg', 'ie',
]);

export const CHINESE_STOPWORDS: ReadonlySet<string> = new Set(chineseStopwords);
