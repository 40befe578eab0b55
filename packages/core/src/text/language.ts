/** The working languages of the pipeline. */
export type Language = 'sv' | 'en' | 'zh';

// Closed-class words are the most reliable sv/en signal in short business texts.
const SWEDISH_FUNCTION_WORDS = new Set([
  'och', 'att', 'för', 'med', 'som', 'är', 'på', 'av', 'till', 'vi', 'det', 'den', 'ett', 'inom',
  'från', 'har', 'vår', 'våra', 'samt', 'eller', 'även', 'också', 'kan', 'inte', 'om', 'efter',
  'mot', 'hos', 'sig', 'deras', 'vid', 'nya', 'andra', 'både', 'genom', 'än', 'ska', 'våren', 'oss',
  // Everyday sentences (pronouns, common verbs and adverbs), none of them an English word or
  // an abbreviation English texts use (`han`, `min`, `mig`, `dem`, `vad`, `hela` are; so are
  // `en`, as in EN 1090, `var` and `ner`):
  'jag', 'hon', 'honom', 'henne', 'hennes', 'mitt', 'mina', 'sitt', 'sina', 'ditt', 'dina',
  'hade', 'blev', 'blir', 'kommer', 'skulle', 'kunde', 'ville', 'vill', 'gick', 'fick', 'gjorde', 'visste',
  'mycket', 'varje', 'alla', 'allt', 'ingen', 'inget', 'eftersom', 'igen', 'idag', 'utan', 'mellan',
  'alltid', 'aldrig', 'ofta', 'detta', 'dessa', 'denna', 'hur', 'vilken', 'vilket', 'vilka', 'redan',
  'enligt', 'hemma', 'bara', 'inne', 'upp',
]);
// Not `in`, `is`, `by` and `be`: Swedish words too (the particle `in`, ice, village, to ask),
// which read `Min mormor bor i en liten by` (my grandmother lives in a small village) as
// English. Without them such a sentence is left to the words only one lexicon knows.
const ENGLISH_FUNCTION_WORDS = new Set([
  'the', 'and', 'of', 'to', 'for', 'with', 'are', 'we', 'our', 'an', 'on', 'from',
  'as', 'that', 'this', 'or', 'its', 'has', 'have', 'will', 'can', 'at', 'also', 'their',
  'which', 'into', 'would', 'should', 'was', 'were', 'been', 'such', 'both', 'through',
]);

/** What one Latin-script word says about sv versus en; constant per word, so memoisable. */
export interface WordSignal {
  readonly swedish: number;
  readonly english: number;
  readonly swedishLetters: number;
}

const NO_SIGNAL: WordSignal = Object.freeze({ swedish: 0, english: 0, swedishLetters: 0 });

export function wordSignal(word: string): WordSignal {
  let swedishLetters = 0;
  for (const ch of word) if (ch === 'å' || ch === 'ä' || ch === 'ö') swedishLetters += 1;
  const swedish = SWEDISH_FUNCTION_WORDS.has(word) ? 1 : 0;
  const english = swedish === 0 && ENGLISH_FUNCTION_WORDS.has(word) ? 1 : 0;
  // Most words carry no signal; they share one object.
  return swedish + english + swedishLetters === 0 ? NO_SIGNAL : { swedish, english, swedishLetters };
}

/**
 * Counts the evidence of a text word by word. Chinese when a third of the letters are
 * Han; otherwise Swedish versus English by closed-class words, with å/ä/ö (at most ten)
 * as a tie-breaker; where these tie (a short sentence with neither: `Barnen spelar
 * fotboll i parken`), by the words only one language's lexicon knows, when the lexicon is
 * on; text with no signal at all counts as English, the lingua franca.
 */
export class LanguageTally {
  private han = 0;
  private latinLetters = 0;
  private swedish = 0;
  private english = 0;
  private swedishLetters = 0;
  private known = 0;

  addHan(length: number): void {
    this.han += length;
  }

  addLatin(length: number, signal: WordSignal): void {
    this.latinLetters += length;
    this.swedish += signal.swedish;
    this.english += signal.english;
    this.swedishLetters += signal.swedishLetters;
  }

  /**
   * A word's lexicon evidence, counted only with the lexicon on: 1 when only the Swedish
   * lexicon knows it (by its Swedish stem), -1 when only the English one does (by its
   * English stem), else 0. It decides a text the other signals leave tied.
   */
  addKnown(known: number): void {
    this.known += known;
  }

  result(): { language: Language; latin: 'sv' | 'en' } {
    const swedish = this.swedish + Math.min(this.swedishLetters, 10) * 0.3;
    const latin = swedish > this.english || (swedish === this.english && this.known > 0) ? 'sv' : 'en';
    const total = this.han + this.latinLetters;
    return { language: total > 0 && this.han / total >= 1 / 3 ? 'zh' : latin, latin };
  }
}
