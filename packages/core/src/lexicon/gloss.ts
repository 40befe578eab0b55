import { taxonomy } from '../taxonomy/taxonomy.js';
import { acronymsOf, createAnalyzer, detectLanguage, endsInsideSpan, forEachChineseWord } from '../text/analyzer.js';
import { compoundStem, translateSwedish } from '../text/lexical.js';
import { stem, SWEDISH_LEXICON_STOPWORDS } from '../text/stemming.js';
import { asWritten, normalizeText, segmentWords, textsWithTraditional } from '../text/tokens.js';
import { isAcronymEntry, LIGHT_PIVOTS, lexicon, type Lexicon, type LexiconEntry } from './lexicon.js';

/** One key term of a text with its meaning in the reader's language: a word gloss, not a translation. */
export interface WordGloss {
  /**
   * The term as it stands in the normalised text, e.g. `养蜂` or `biodling`; a Chinese term as
   * written, in traditional characters where the text has them (`養蜂`).
   */
  readonly term: string;
  /**
   * Its meaning in the reader's language, e.g. `raise bee`; senses separated by `; `. For
   * Swedish readers each sense has its English pivot beside it: `bi (raise bee)`.
   */
  readonly gloss: string;
  /** `glossary`: a curated domain concept; `lexicon`: the open everyday-word lexicon. */
  readonly source: 'glossary' | 'lexicon';
}

export interface GlossOptions {
  /** The reader's language. */
  readonly to: 'sv' | 'en';
  /** At most this many terms, in text order. Defaults to 20. */
  readonly limit?: number;
  /** Senses shown per lexicon word. Defaults to 2. */
  readonly senses?: number;
}

// Made on the first gloss, not when the module loads: making it compiles the glossary
// (~135 ms), which every import of the package paid, glossing or not.
let glossAnalyzer: ReturnType<typeof createAnalyzer> | undefined;

/**
 * A key-term gloss of a Chinese or Swedish text in the reader's language, for
 * coordinators who do not read the text's language: each glossary concept and each
 * lexicon word, once, in text order, with its meaning. A word gloss, to be labelled as
 * such: it shows what the words mean, not what the text says. The glossary's domain
 * terms come first wherever both apply. A text already in the reader's language gets
 * an empty gloss.
 *
 * @example glossText('养蜂合作社', { to: 'en' }) → [{ term: '养蜂', gloss: 'raise bee', source: 'lexicon' }, …]
 */
export function glossText(text: string, options: GlossOptions): WordGloss[] {
  const { to } = options;
  const limit = options.limit ?? 20;
  const senseCount = options.senses ?? 2;
  const language = detectLanguage(text);
  if (language === to) return [];
  const lex = lexicon();
  const normalized = normalizeText(text);
  const found: { at: number; gloss: WordGloss }[] = [];
  const seen = new Set<string>();
  // A reader who compares the gloss with the text finds a Chinese term as the text writes it
  // (traditional characters are read as simplified ones).
  const written = textsWithTraditional([text]);
  const push = (at: number, gloss: WordGloss): void => {
    if (gloss.gloss === '' || seen.has(gloss.term)) return;
    seen.add(gloss.term);
    found.push({ at, gloss: written === undefined ? gloss : { ...gloss, term: asWritten(gloss.term, written) } });
  };

  // Glossary concepts, with the phrase that expressed each: they claim their words.
  const phrases: string[] = [];
  for (const hit of (glossAnalyzer ??= createAnalyzer({ lexicon: false })).analyze(text).concepts) {
    const concept = taxonomy.concept(hit.concept);
    const meaning = concept?.[to][0];
    if (meaning === undefined) continue;
    phrases.push(hit.phrase);
    push(normalized.indexOf(hit.phrase), { term: hit.phrase, gloss: meaning, source: 'glossary' });
  }
  const claimed = (word: string): boolean => phrases.some((phrase) => phrase.includes(word));
  // Where each phrase stands in the text: a Chinese word the segmenter ended inside one (低能 of
  // 低能耗, slow-witted beside energy consumption) is glossed as the term alone.
  const spans: number[] = [];
  for (const phrase of phrases) {
    for (let at = normalized.indexOf(phrase); at >= 0; at = normalized.indexOf(phrase, at + 1)) spans.push(at, at + phrase.length);
  }
  const meaningOf = (entry: LexiconEntry | undefined, fallback: readonly string[]): string =>
    glossOf(lex, entry?.senses ?? fallback.map((term) => [term]), to, senseCount);

  const words = segmentWords(normalized);
  if (language === 'zh') {
    forEachChineseWord(normalized, words, (word, start, end, _pivots, entry) => {
      // A lone character is mostly a measure word or particle (座, 约, 万) whose dictionary
      // senses mislead a reader more than they help; the glossary still glosses domain ones.
      if ([...word].length < 2 || claimed(word) || endsInsideSpan(spans, start, end)) return;
      push(start, { term: word, gloss: meaningOf(entry, []), source: 'lexicon' });
    });
  } else if (language === 'sv' && to === 'en') {
    const acronyms = acronymsOf(text, normalized);
    for (const word of words) {
      const acronym = acronyms?.has(word) === true;
      if (word.han || (word.text.length < 3 && !acronym) || (SWEDISH_LEXICON_STOPWORDS.has(word.text) && !acronym) || claimed(word.text)) continue;
      const stemmed = stem(word.text, 'sv');
      const entry = lex.swedish(stemmed);
      // An acronym is glossed only by the lexicon's own entry for it (`VVS`), never as the word it folds to (`UV`, eagle owl).
      if (acronym && (entry === undefined || !isAcronymEntry(entry))) continue;
      const translation = entry === undefined ? translateSwedish(stemmed, lex, compoundStem(stemmed, word.text)) : undefined;
      if (entry === undefined && translation === undefined) continue;
      push(word.start, { term: word.text, gloss: meaningOf(entry, translation?.pivots.map((p) => p.term) ?? []), source: 'lexicon' });
    }
  }
  return found
    .sort((a, b) => a.at - b.at)
    .slice(0, limit)
    .map((f) => f.gloss);
}

/**
 * The first `count` senses as the reader reads them. For Swedish readers each sense is the
 * Swedish word for it with the English pivot beside it (`biodling (beekeeping)`): the
 * lexicon reaches Swedish only through English, and the English shows which sense was meant.
 */
function glossOf(lex: Lexicon, senses: readonly (readonly string[])[], to: 'sv' | 'en', count: number): string {
  const out: string[] = [];
  for (const sense of senses) {
    const english = sense.map((term) => lex.englishWord(term)).join(' ');
    let text = english;
    if (to === 'sv') {
      const swedish = swedishFor(lex, sense);
      if (swedish === undefined) continue;
      text = swedish === english ? swedish : `${swedish} (${english})`;
    }
    if (!out.includes(text)) out.push(text);
    if (out.length >= count) break;
  }
  return out.join('; ');
}

/**
 * A Swedish word for a sense: a lemma with that very sense, else the lemma of its one
 * content word (`raise bee` → `bi`). Word by word would misread longer glosses
 * (`offer sales`, `no contact`), so those go without.
 */
function swedishFor(lex: Lexicon, sense: readonly string[]): string | undefined {
  const whole = lex.swedishPhrase(sense);
  if (whole !== undefined) return whole;
  const content = sense.filter((term) => !LIGHT_PIVOTS.has(term));
  return content.length === 1 ? lex.swedishWord(content[0]!) : undefined;
}
