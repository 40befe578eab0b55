import { Index } from 'flexsearch';
import { companyText, needText } from '../text.js';
import type { Engine } from './engine.js';

/**
 * FlexSearch's Index with its defaults; `suggest: true`, because a need of 50 words
 * matches no company on every word (FlexSearch otherwise intersects the query terms).
 */
export const flexsearch: Engine = {
  name: 'FlexSearch',
  setup: 'flexsearch 0.8 Index, default options, search with suggest: true',
  role: 'peer',
  build(companies) {
    const index = new Index();
    const ids: string[] = [];
    const slotOf = new Map<string, number>();
    const add = (company: (typeof companies)[number]) => {
      slotOf.set(company.id, ids.length);
      index.add(ids.length, companyText(company));
      ids.push(company.id);
    };
    companies.forEach(add);
    return {
      search: (need, k) => index.search(needText(need), { limit: k, suggest: true }).map((slot) => ids[Number(slot)]!),
      add,
      update(company) {
        const slot = slotOf.get(company.id);
        if (slot === undefined) throw new Error(`no company ${company.id}`);
        index.update(slot, companyText(company));
      },
    };
  },
};
