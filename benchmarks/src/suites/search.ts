import type { PartnerNeed } from '@partnermatch/core';
import type { Engine, SearchIndex } from '../engines/index.js';
import { timeQueries, type ResultRow } from '../measure.js';
import type { Corpus, Settings } from '../settings.js';

type Search = (need: PartnerNeed, k: number) => readonly string[];

async function timeSearch(suite: 'search' | 'search-sv-en', engine: string, search: Search, needs: readonly PartnerNeed[], corpus: Corpus, settings: Settings): Promise<ResultRow> {
  let returned = 0;
  // A copy each time: partnermatch keeps the analysis of the record objects it ranked last,
  // and a need it has not seen has its text analysed inside the sample, as a peer
  // tokenises its query.
  const timing = await timeQueries(`${suite} ${engine} @${corpus.size}`, needs, (need) => {
    returned += search({ ...need }, 10).length;
  }, settings.search);
  if (returned === 0) throw new Error(`${engine} returned no matches at all`);
  const { queries, stride, ...figures } = timing;
  return {
    suite,
    size: corpus.size,
    engine,
    buildMs: null,
    memoryMB: null,
    ...figures,
    ...(stride > 1 ? { note: `timed on one need in ${stride} (${queries} of ${needs.length}): a pass over all would not fit the time it may take` } : {}),
  };
}

/**
 * Single-need top 10: each sample ranks the next need against every company, the need's
 * text analysed inside the sample as a peer tokenises its query. Twice: over all 1,000
 * needs (62 % Chinese, which the peers cannot tokenise and so answer almost for free), and
 * over the English and Swedish needs only, where every engine does its full work (the
 * like-for-like comparison). An engine with extras (partnermatch's explanations) is also
 * timed without them.
 */
export async function runSearch(engine: Engine, index: SearchIndex, corpus: Corpus, settings: Settings): Promise<ResultRow[]> {
  const variants: [string, Search][] = [[engine.name, index.search]];
  if (index.searchIdsOnly !== undefined) variants.push([`${engine.name} (no explain)`, index.searchIdsOnly]);
  const rows: ResultRow[] = [];
  for (const [name, search] of variants) {
    rows.push(await timeSearch('search', name, search, corpus.needs, corpus, settings));
    rows.push(await timeSearch('search-sv-en', name, search, corpus.latinNeeds, corpus, settings));
  }
  return rows;
}
