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
}

const chineseSegmenter = new Intl.Segmenter('zh', { granularity: 'word' });
// Han runs go to ICU's dictionary segmenter; everything else is split on letters and
// digits directly, which is an order of magnitude faster than ICU for Latin text.
const WORD_OR_HAN_RUN = /\p{Script=Han}+|(?:(?!\p{Script=Han})[\p{L}\p{M}\p{N}])+/gu;
const HAN_START = /^\p{Script=Han}/u;

export function normalizeText(text: string): string {
  return text.normalize('NFKC').toLowerCase();
}

/** Words of already normalised text (punctuation and spaces dropped), Chinese segmented by ICU. */
export function segmentWords(normalized: string): WordToken[] {
  const out: WordToken[] = [];
  for (const match of normalized.matchAll(WORD_OR_HAN_RUN)) {
    const run = match[0];
    if (!HAN_START.test(run)) {
      out.push({ text: run, start: match.index, han: false });
      continue;
    }
    for (const segment of chineseSegmenter.segment(run)) {
      if (segment.isWordLike) out.push({ text: segment.segment, start: match.index + segment.index, han: true });
    }
  }
  return out;
}

export type { LatinLanguage };
