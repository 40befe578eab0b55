import type { Company, PartnerNeed } from '@partnermatch/core';
import { words as englishStopWords } from 'natural/lib/natural/util/stopwords.js';
import { words as swedishStopWords } from 'natural/lib/natural/util/stopwords_sv.js';

/** natural's English and Swedish stop words as one set, as partnermatch's analyzer uses them. */
export const STOP_WORDS: ReadonlySet<string> = new Set([...englishStopWords, ...swedishStopWords]);

/** What a peer engine indexes for a company: the same fields partnermatch reads. */
export function companyText(company: Company): string {
  return [company.name, company.description, ...(company.offerings ?? [])].join('\n');
}

/** What a peer engine is asked for a need: its title and description. */
export function needText(need: PartnerNeed): string {
  return `${need.title}\n${need.description}`;
}

const WORD = /[\p{L}\p{N}]+/gu;

/** Lower-cased runs of letters and digits: SQLite's unicode61 tokenizer, near enough. */
export function words(text: string): string[] {
  return text.toLowerCase().match(WORD) ?? [];
}
