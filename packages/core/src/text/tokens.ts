import { FOLDED_EXCEPT_IN, TRADITIONAL_TO_SIMPLIFIED } from './han-variants-data.js';
import type { LatinLanguage } from './stemming.js';

/** One word of normalised text, as the segmenter found it. */
export interface WordToken {
  /** The word, NFKC-normalised and case-folded. */
  readonly text: string;
  /** Offset of the word in the normalised text. */
  readonly start: number;
  /** True for Chinese (Han) words, which are not stemmed. */
  readonly han: boolean;
}

/** What the glossary matcher needs of a Latin-script word; computed once per distinct word. */
export interface WordFacts {
  readonly sv: string;
  readonly en: string;
  /** Glossary phrases that can start at this word (its stem equals their first stem). */
  readonly phrases: readonly PhraseStart[];
}

/** A glossary phrase as stems in one language, to be matched word by word. */
export interface PhraseStart {
  readonly concept: string;
  readonly language: LatinLanguage;
  readonly stems: readonly string[];
  /**
   * The shortest written word that reaches a one-word phrase (0 for longer phrases). A
   * stemmer strips derivational suffixes too (`localization` → `local`, `training` →
   * `train`, `ozonation` → `ozon`): a word much shorter than the term is another word
   * sharing its root (`local`, `train`, `ozone`), not one of its inflections.
   */
  readonly minLength: number;
}

const chineseSegmenter = new Intl.Segmenter('zh', { granularity: 'word' });
const HAN = /\p{Script=Han}/u;
const WORD_CHAR = /[\p{L}\p{M}\p{N}]/u;

const SEPARATOR = 0;
const LATIN = 1;
const HAN_CHAR = 2;
type CharClass = typeof SEPARATOR | typeof LATIN | typeof HAN_CHAR;

// Classifying a non-ASCII code point needs a Unicode-property regex; texts reuse few such
// characters, so each is classified once.
const nonAsciiClass = new Map<number, CharClass>();

function classify(code: number): CharClass {
  if (code < 128) {
    return (code >= 97 && code <= 122) || (code >= 48 && code <= 57) || (code >= 65 && code <= 90) ? LATIN : SEPARATOR;
  }
  let cls = nonAsciiClass.get(code);
  if (cls === undefined) {
    const ch = String.fromCodePoint(code);
    cls = HAN.test(ch) ? HAN_CHAR : WORD_CHAR.test(ch) ? LATIN : SEPARATOR;
    nonAsciiClass.set(code, cls);
  }
  return cls;
}

/**
 * Swedish time adverbs written as two words (`i dag`, `i morgon`, `i går`, `i kväll`): as words
 * apart, `i går` (yesterday) read as `går` (goes), `i morgon` (tomorrow) as morning and `i dag`
 * (today) as day. Joined as the one-word spelling Swedish also has (`idag`, `imorgon`), which the
 * lexicon translates.
 */
const SWEDISH_TIME_ADVERBS = /(?<![\p{L}\p{N}])i (dag|morgon|går|kväll|natt|morse|fjol|övermorgon|förrgår)(?![\p{L}\p{N}])/gu;

/**
 * Traditional characters written as the simplified ones every Chinese word list here uses
 * (`們` → `们`, `機場` → `机场`): one UTF-16 unit for one, so offsets into the text hold.
 * Characters simplified text also uses in their own right (`著`) are not in it
 * (scripts/build-han-variants.mjs).
 */
const SIMPLIFIED_OF = new Map<string, string>();
for (let i = 0; i + 1 < TRADITIONAL_TO_SIMPLIFIED.length; i += 2) {
  SIMPLIFIED_OF.set(TRADITIONAL_TO_SIMPLIFIED[i]!, TRADITIONAL_TO_SIMPLIFIED[i + 1]!);
}
const TRADITIONAL_CLASS = `[${[...SIMPLIFIED_OF.keys()].join('')}]`;
const TRADITIONAL = new RegExp(TRADITIONAL_CLASS, 'g');
/**
 * Characters folded like those above except inside the few words written with them as they
 * are (`乾` is `干` in `乾淨`, dry and clean, `餅乾`, biscuits, but stays in `乾隆` and `乾坤`):
 * the simplified form and those words, each with the offsets of the character in it.
 */
const FOLDED_IN_CONTEXT = new Map(
  FOLDED_EXCEPT_IN.map(([from, to, words]) => [from, { to, keptIn: words.flatMap((word) => [...word].flatMap((ch, at) => (ch === from ? [{ word, at }] : []))) }]),
);
const IN_CONTEXT_CLASS = `[${[...FOLDED_IN_CONTEXT.keys()].join('')}]`;
const IN_CONTEXT = new RegExp(IN_CONTEXT_CLASS, 'g');
const HAS_IN_CONTEXT = new RegExp(IN_CONTEXT_CLASS);
const HAS_TRADITIONAL = new RegExp(`${TRADITIONAL_CLASS}|${IN_CONTEXT_CLASS}`);
// Every folded character is in this block: a text without one (most) is scanned for one range only.
const CJK_IDEOGRAPHS = /[\u3400-\u9fff]/;

/** A text holding traditional characters, as normalised and as written (NFKC, lower case) at the same offsets. */
export interface WrittenText {
  readonly normalized: string;
  readonly written: string;
}

/**
 * The texts, when one of them holds a traditional character normalisation folds, each
 * normalised once: what `asWritten` needs to quote a Chinese phrase as the text writes it.
 * Undefined otherwise (most). A text whose normalisation changed its length (the Swedish
 * adverbs joined) has no offsets in common with its written form and is left out.
 */
export function textsWithTraditional(texts: readonly string[]): readonly WrittenText[] | undefined {
  if (!texts.some((text) => CJK_IDEOGRAPHS.test(text) && HAS_TRADITIONAL.test(text))) return undefined;
  return texts
    .map((text) => ({ normalized: normalizeText(text), written: text.normalize('NFKC').toLowerCase() }))
    .filter(({ normalized, written }) => normalized.length === written.length);
}

/**
 * A Chinese phrase of normalised text (`养蜂`) as one of `texts` writes it (`養蜂`): the
 * normalised phrase when no text holds it, or `texts` is undefined. Folding writes one
 * character for one, so the phrase's place in the normalised text is its place in the written one.
 */
export function asWritten(phrase: string, texts: readonly WrittenText[] | undefined): string {
  if (texts === undefined || !CJK_IDEOGRAPHS.test(phrase)) return phrase;
  for (const { normalized, written } of texts) {
    const at = normalized.indexOf(phrase);
    if (at >= 0) return written.slice(at, at + phrase.length);
  }
  return phrase;
}

/**
 * NFKC, lower case, traditional Chinese characters as simplified ones, and the Swedish
 * two-word time adverbs joined.
 */
export function normalizeText(text: string): string {
  let folded = text.normalize('NFKC').toLowerCase();
  if (CJK_IDEOGRAPHS.test(folded)) {
    folded = folded.replace(TRADITIONAL, (ch) => SIMPLIFIED_OF.get(ch)!);
    if (HAS_IN_CONTEXT.test(folded)) folded = folded.replace(IN_CONTEXT, foldInContext);
  }
  return folded.includes('i ') ? folded.replace(SWEDISH_TIME_ADVERBS, 'i$1') : folded;
}

function foldInContext(ch: string, offset: number, text: string): string {
  const { to, keptIn } = FOLDED_IN_CONTEXT.get(ch)!;
  return keptIn.some(({ word, at }) => offset >= at && text.startsWith(word, offset - at)) ? ch : to;
}

/**
 * Words of already normalised text: runs of letters, marks and digits, with Han runs
 * handed to ICU's dictionary segmenter (ICU is ~20× slower on the rest and adds nothing
 * there), or left out with `han: false`. A hand-rolled scan over char codes, because this is the innermost loop of
 * indexing and a Unicode-property regex over the whole text costs several times more.
 */
export function segmentWords(normalized: string, options: { readonly han?: boolean } = {}): WordToken[] {
  const hanWords = options.han ?? true;
  const out: WordToken[] = [];
  const length = normalized.length;
  // Han runs close enough to be segmented together, as flat start/end pairs, and the Latin
  // words between them (held back so every word comes out in text order).
  const hanRuns: number[] = [];
  const latinBetween: WordToken[] = [];
  let runStart = 0;
  let runClass: CharClass = SEPARATOR;
  const flushHan = (): void => {
    if (hanRuns.length === 0) return;
    const hanFrom = out.length;
    segmentHanRuns(normalized, hanRuns, out);
    if (latinBetween.length > 0) mergeByStart(out, hanFrom, latinBetween);
    hanRuns.length = 0;
    latinBetween.length = 0;
  };
  const flush = (end: number): void => {
    if (runClass === LATIN) {
      const word = { text: normalized.slice(runStart, end), start: runStart, han: false };
      if (hanRuns.length === 0) out.push(word);
      else latinBetween.push(word);
    } else if (runClass === HAN_CHAR && hanWords) {
      if (hanRuns.length > 0 && runStart - hanRuns[hanRuns.length - 1]! > MAX_HAN_GAP) flushHan();
      hanRuns.push(runStart, end);
    }
  };
  for (let i = 0; i < length; ) {
    const code = normalized.codePointAt(i)!;
    const width = code > 0xffff ? 2 : 1;
    const cls = classify(code);
    if (cls !== runClass) {
      flush(i);
      runStart = i;
      runClass = cls;
    }
    i += width;
  }
  flush(length);
  flushHan();
  return out;
}

/** Puts `latin` (ascending by start) among the Han words from `from` on (ascending too), in text order. */
function mergeByStart(out: WordToken[], from: number, latin: readonly WordToken[]): void {
  const han = out.splice(from);
  let h = 0;
  for (const word of latin) {
    while (h < han.length && han[h]!.start < word.start) out.push(han[h++]!);
    out.push(word);
  }
  while (h < han.length) out.push(han[h++]!);
}

/**
 * Han runs parted by at most this many characters are segmented as one span. Each call to
 * ICU has a fixed cost (~4 µs), and Chinese text breaks into a run at every comma and
 * number. A longer gap is cut, so Latin text is not handed to ICU (which is ~20× slower
 * on it than the scan here).
 */
const MAX_HAN_GAP = 16;

/**
 * The ICU words of Han runs (flat start/end pairs, ascending), segmented as one span from
 * the first run's start to the last run's end. ICU breaks wherever Han meets anything
 * else, so the words inside each run are those of the run alone (checked over every text
 * of the fixtures and shared sets: 1.1M Han characters, no difference); should a word
 * ever reach over a run's end, the runs are segmented one by one, as each alone would be.
 */
function segmentHanRuns(normalized: string, runs: readonly number[], out: WordToken[]): void {
  const first = runs[0]!;
  if (runs.length > 2) {
    const found: WordToken[] = [];
    let r = 0;
    let whole = true;
    for (const segment of chineseSegmenter.segment(normalized.slice(first, runs[runs.length - 1]!))) {
      const start = first + segment.index;
      const end = start + segment.segment.length;
      while (r < runs.length && runs[r + 1]! <= start) r += 2;
      if (r >= runs.length || end <= runs[r]!) continue;
      if (start < runs[r]! || end > runs[r + 1]!) {
        whole = false;
        break;
      }
      if (segment.isWordLike) found.push({ text: segment.segment, start, han: true });
    }
    if (whole) {
      for (const word of found) out.push(word);
      return;
    }
  }
  for (let r = 0; r < runs.length; r += 2) {
    const start = runs[r]!;
    for (const segment of chineseSegmenter.segment(normalized.slice(start, runs[r + 1]!))) {
      if (segment.isWordLike) out.push({ text: segment.segment, start: start + segment.index, han: true });
    }
  }
}
