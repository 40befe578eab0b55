import type { Company, PartnerNeed } from '@partnermatch/core';
import { companyText, needText, STOP_WORDS, words } from '../text.js';
import { TopK } from '../top-k.js';
import type { Engine, SearchIndex } from './engine.js';

const K1 = 1.2;
const B = 0.75;

function terms(text: string): string[] {
  return words(text).filter((word) => !STOP_WORDS.has(word));
}

/** Postings in compressed sparse rows: term t's documents and frequencies are start[t] … start[t + 1]. */
interface Postings {
  readonly termIds: ReadonlyMap<string, number>;
  readonly start: Uint32Array;
  readonly docs: Uint32Array;
  readonly tfs: Uint16Array;
  /** k1 · (1 − b + b · length / average length), per document. */
  readonly norm: Float32Array;
  readonly ids: readonly string[];
}

function buildPostings(companies: readonly Company[]): Postings {
  const termIds = new Map<string, number>();
  const df: number[] = [];
  // Pass 1: each document's (term, tf) pairs, flattened into growable arrays.
  let pairTerms = new Uint32Array(1 << 16);
  let pairTfs = new Uint16Array(1 << 16);
  const pairStart = new Uint32Array(companies.length + 1);
  const lengths = new Float32Array(companies.length);
  let pairs = 0;
  const counts = new Map<number, number>();
  companies.forEach((company, doc) => {
    counts.clear();
    const tokens = terms(companyText(company));
    for (const token of tokens) {
      let id = termIds.get(token);
      if (id === undefined) {
        id = df.length;
        // A copy, not a slice: V8 would keep the whole document text alive behind a long word.
        termIds.set(Buffer.from(token).toString(), id);
        df.push(0);
      }
      counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    if (pairs + counts.size > pairTerms.length) {
      const grownTerms = new Uint32Array(pairTerms.length * 2);
      grownTerms.set(pairTerms);
      pairTerms = grownTerms;
      const grownTfs = new Uint16Array(pairTfs.length * 2);
      grownTfs.set(pairTfs);
      pairTfs = grownTfs;
    }
    for (const [id, tf] of counts) {
      df[id]! += 1;
      pairTerms[pairs] = id;
      pairTfs[pairs] = tf;
      pairs += 1;
    }
    pairStart[doc + 1] = pairs;
    lengths[doc] = tokens.length;
  });
  // Pass 2: scatter the pairs into per-term rows (documents stay in order).
  const start = new Uint32Array(df.length + 1);
  for (let t = 0; t < df.length; t += 1) start[t + 1] = start[t]! + df[t]!;
  const docs = new Uint32Array(pairs);
  const tfs = new Uint16Array(pairs);
  const fill = start.slice(0, df.length);
  for (let doc = 0; doc < companies.length; doc += 1) {
    for (let p = pairStart[doc]!; p < pairStart[doc + 1]!; p += 1) {
      const at = fill[pairTerms[p]!]!++;
      docs[at] = doc;
      tfs[at] = pairTfs[p]!;
    }
  }
  const average = lengths.reduce((sum, length) => sum + length, 0) / Math.max(1, companies.length);
  return { termIds, start, docs, tfs, norm: lengths.map((length) => K1 * (1 - B + (B * length) / average)), ids: companies.map((c) => c.id) };
}

/** A searcher that closes over the postings only (V8 keeps a scope's every captured variable alive). */
function searcher({ termIds, start, docs, tfs, norm, ids }: Postings): SearchIndex {
  const n = ids.length;
  const scores = new Float32Array(n);
  const touched = new Uint32Array(n);
  return {
    search(need: PartnerNeed, k: number) {
      let count = 0;
      for (const token of new Set(terms(needText(need)))) {
        const t = termIds.get(token);
        if (t === undefined) continue;
        const from = start[t]!;
        const to = start[t + 1]!;
        const idf = Math.log(1 + (n - (to - from) + 0.5) / (to - from + 0.5));
        for (let p = from; p < to; p += 1) {
          const doc = docs[p]!;
          const tf = tfs[p]!;
          if (scores[doc] === 0) touched[count++] = doc;
          scores[doc]! += (idf * tf * (K1 + 1)) / (tf + norm[doc]!);
        }
      }
      const heap = new TopK(k);
      for (let i = 0; i < count; i += 1) {
        const doc = touched[i]!;
        heap.offer(doc, scores[doc]!);
        scores[doc] = 0;
      }
      return heap.sorted().map((doc) => ids[doc]!);
    },
  };
}

/**
 * The yardstick, a tight hand-written BM25: lower-cased words without stop words
 * (natural's sv + en lists, as partnermatch), k1 1.2, b 0.75, Lucene's IDF, postings in
 * typed arrays, every posting of every query term scored. No stemming, concepts, tags or
 * explanations, and no changes after the build.
 */
export const bm25Typed: Engine = {
  name: 'BM25 typed arrays (ref)',
  setup: 'in-house: CSR postings in typed arrays, sv+en stop words, exhaustive scoring',
  role: 'reference',
  build: (companies) => searcher(buildPostings(companies)),
};
