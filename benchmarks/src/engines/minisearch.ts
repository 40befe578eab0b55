import type { Company } from '@partnermatch/core';
import MiniSearch from 'minisearch';
import { companyText, needText } from '../text.js';
import type { Engine } from './engine.js';

interface Doc {
  readonly id: string;
  readonly text: string;
}

const doc = (company: Company): Doc => ({ id: company.id, text: companyText(company) });

/** MiniSearch's BM25+ with its defaults: OR of the query terms, no prefix or fuzzy. */
export const minisearch: Engine = {
  name: 'MiniSearch',
  setup: 'minisearch 7, one text field, default options (BM25+, OR)',
  role: 'peer',
  build(companies) {
    const index = new MiniSearch<Doc>({ fields: ['text'], idField: 'id' });
    index.addAll(companies.map(doc));
    return {
      search: (need, k) => index.search(needText(need)).slice(0, k).map((result) => String(result.id)),
      add: (company) => index.add(doc(company)),
      update: (company) => index.replace(doc(company)),
      // Discards (replace) schedule an automatic vacuum that holds the index until it has run.
      close: () => (index.isVacuuming || index.dirtCount > 0 ? index.vacuum() : undefined),
    };
  },
};
