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

/** A Latin-script word with what the pipeline needs of it, computed once per distinct word. */
export interface StemmedWord extends WordToken {
  readonly sv: string;
  readonly en: string;
  /** Glossary concepts whose Swedish term is a part of this compound. */
  readonly compound: readonly string[];
  /** Glossary phrases that can start at this word (its stem equals their first stem). */
  readonly phrases: readonly PhraseStart[];
}

/** A glossary phrase as stems in one language, to be matched word by word. */
export interface PhraseStart {
  readonly concept: string;
  readonly language: LatinLanguage;
  readonly stems: readonly string[];
}

const chineseSegmenter = new Intl.Segmenter('zh', { granularity: 'word' });
// Han runs go to ICU's dictionary segmenter; everything else is split on letters and
// digits directly, which is an order of magnitude faster than ICU for Latin text.
const NON_WORD = /[^\p{L}\p{M}\p{N}]+/u;
const HAN = /\p{Script=Han}/u;
const HAN_OR_OTHER_RUN = /\p{Script=Han}+|(?:(?!\p{Script=Han})[\p{L}\p{M}\p{N}])+/gu;
const HAN_START = /^\p{Script=Han}/u;

export function normalizeText(text: string): string {
  return text.normalize('NFKC').toLowerCase();
}

/** Words of already normalised text (punctuation and spaces dropped), Chinese segmented by ICU. */
export function segmentWords(normalized: string): WordToken[] {
  const out: WordToken[] = [];
  // split() makes no match objects, which is most of the cost of matchAll on long texts;
  // offsets are recovered by scanning forward.
  let from = 0;
  for (const run of normalized.split(NON_WORD)) {
    if (run === '') continue;
    const start = normalized.indexOf(run, from);
    from = start + run.length;
    if (!HAN.test(run)) out.push({ text: run, start, han: false });
    else splitMixedRun(run, start, out);
  }
  return out;
}

// Mixed runs (漢字 next to letters or digits) are rare, so the slower pattern that tells
// Han from the rest runs only on them.
function splitMixedRun(run: string, offset: number, out: WordToken[]): void {
  for (const part of run.matchAll(HAN_OR_OTHER_RUN)) {
    const text = part[0];
    const start = offset + part.index;
    if (!HAN_START.test(text)) {
      out.push({ text, start, han: false });
      continue;
    }
    for (const segment of chineseSegmenter.segment(text)) {
      if (segment.isWordLike) out.push({ text: segment.segment, start: start + segment.index, han: true });
    }
  }
}

export type { LatinLanguage };
