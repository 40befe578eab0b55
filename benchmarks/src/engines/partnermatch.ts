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
      // The generated needs' deadlines straddle today: without includeExpired half of them
      // would be answered with nothing, and the figures would not compare with earlier runs.
      search: (need, k) => matcher.rankCompanies(need, { limit: k, includeExpired: true }).map((match) => match.id),
      searchIdsOnly: (need, k) => matcher.rankCompanies(need, { limit: k, explain: false, includeExpired: true }).map((match) => match.id),
      add: (company) => void matcher.add('company', company),
      update: (company) => void matcher.update('company', company),
    };
  },
};
