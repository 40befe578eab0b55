/** The working languages of the pipeline. */
export type Language = 'sv' | 'en' | 'zh';

const HAN = /\p{Script=Han}/u;
const HAN_GLOBAL = /\p{Script=Han}/gu;
const LETTER_GLOBAL = /\p{L}/gu;
const SWEDISH_LETTERS = /[åäö]/gu;

// Closed-class words are the most reliable sv/en signal in short business texts.
const SWEDISH_FUNCTION_WORDS = new Set([
  'och', 'att', 'för', 'med', 'som', 'är', 'på', 'av', 'till', 'vi', 'det', 'den', 'ett', 'inom',
  'från', 'har', 'vår', 'våra', 'samt', 'eller', 'även', 'också', 'kan', 'inte', 'om', 'efter',
  'mot', 'hos', 'sig', 'deras', 'vid', 'nya', 'andra', 'både', 'genom', 'än', 'ska', 'våren', 'oss',
]);
const ENGLISH_FUNCTION_WORDS = new Set([
  'the', 'and', 'of', 'to', 'in', 'for', 'with', 'is', 'are', 'we', 'our', 'an', 'on', 'by', 'from',
  'as', 'that', 'this', 'be', 'or', 'it', 'its', 'has', 'have', 'will', 'can', 'at', 'also', 'their',
  'which', 'into', 'would', 'should', 'us', 'was', 'were', 'been', 'such', 'both', 'through',
]);

export function containsHan(text: string): boolean {
  return HAN.test(text);
}

/**
 * Detects the language of `text`: Chinese by script (a third of the letters Han), else
 * Swedish versus English by function words, with å/ä/ö as a tie-breaker. Text with no
 * signal at all counts as English, the project's lingua franca.
 */
export function detectLanguage(text: string): Language {
  const letters = text.match(LETTER_GLOBAL)?.length ?? 0;
  if (letters === 0) return 'en';
  const han = text.match(HAN_GLOBAL)?.length ?? 0;
  if (han / letters >= 1 / 3) return 'zh';
  return detectLatinLanguage(text);
}

/**
 * The same decision as `detectLanguage`, made from already segmented words so that
 * indexing does not scan the text again.
 */
export function detectLanguageOfWords(words: readonly { readonly text: string; readonly han: boolean }[]): {
  language: Language;
  latin: 'sv' | 'en';
} {
  let han = 0;
  let latinLetters = 0;
  let sv = 0;
  let en = 0;
  let swedishLetters = 0;
  for (const word of words) {
    if (word.han) {
      han += word.text.length;
      continue;
    }
    latinLetters += word.text.length;
    if (SWEDISH_FUNCTION_WORDS.has(word.text)) sv += 1;
    else if (ENGLISH_FUNCTION_WORDS.has(word.text)) en += 1;
    if (swedishLetters < 10) for (const ch of word.text) if (ch === 'å' || ch === 'ä' || ch === 'ö') swedishLetters += 1;
  }
  const latin = sv + Math.min(swedishLetters, 10) * 0.3 > en ? 'sv' : 'en';
  const total = han + latinLetters;
  return { language: total > 0 && han / total >= 1 / 3 ? 'zh' : latin, latin };
}

/** sv or en for the non-Chinese part of a text. */
export function detectLatinLanguage(text: string): 'sv' | 'en' {
  let sv = 0;
  let en = 0;
  for (const word of text.toLowerCase().split(/[^\p{L}]+/u)) {
    if (SWEDISH_FUNCTION_WORDS.has(word)) sv += 1;
    else if (ENGLISH_FUNCTION_WORDS.has(word)) en += 1;
  }
  const swedishLetters = text.match(SWEDISH_LETTERS)?.length ?? 0;
  sv += Math.min(swedishLetters, 10) * 0.3;
  return sv > en ? 'sv' : 'en';
}
