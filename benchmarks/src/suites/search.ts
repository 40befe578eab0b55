import type { PartnerNeed } from '@partnermatch/core';
import type { Engine, SearchIndex } from '../engines/index.js';
import { cycle, time, type ResultRow } from '../measure.js';
import type { Corpus, Settings } from '../settings.js';

type Search = (need: PartnerNeed, k: number) => readonly string[];

async function timeSearch(suite: 'search' | 'search-sv-en', engine: string, search: Search, needs: readonly PartnerNeed[], corpus: Corpus, settings: Settings): Promise<ResultRow> {
  const next = cycle(needs);
  let returned = 0;
  const timing = await time(`${suite} ${engine} @${corpus.size}`, () => {
    returned += search(next(), 10).length;
  }, settings.search);
  if (returned === 0) throw new Error(`${engine} returned no matches at all`);
  return { suite, size: corpus.size, engine, buildMs: null, memoryMB: null, ...timing };
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
