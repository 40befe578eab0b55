import { createMatcher } from '@partnermatch/core';
import type { Engine } from './engine.js';

/**
 * The product as shipped: tags, concepts, cooperation and an explanation for each of the
 * ten (`searchIdsOnly`: the same ranking without explanations).
 */
export const partnermatch: Engine = {
  name: 'partnermatch',
  setup: '@partnermatch/core, default options, top 10 with explanations',
  role: 'subject',
  build(companies, options) {
    const matcher = createMatcher({ companies, ...(options?.matcher === undefined ? {} : { options: options.matcher }) });
    return {
      search: (need, k) => matcher.rankCompanies(need, { limit: k }).map((match) => match.id),
      searchIdsOnly: (need, k) => matcher.rankCompanies(need, { limit: k, explain: false }).map((match) => match.id),
      add: (company) => void matcher.add('company', company),
      update: (company) => void matcher.update('company', company),
    };
  },
};
