import { createMatcher, type MatcherOptions } from '@partnermatch/core';
import type { BuildOptions, Engine } from './engine.js';

function buildWith(extra: MatcherOptions | undefined): Engine['build'] {
  return (companies, options?: BuildOptions) => {
    const given = options?.matcher;
    const merged: MatcherOptions | undefined =
      extra === undefined ? given : { ...given, ...extra, analyzer: { ...given?.analyzer, ...extra.analyzer } };
    const matcher = createMatcher({ companies, ...(merged === undefined ? {} : { options: merged }) });
    return {
      // The generated needs' deadlines straddle today: without includeExpired half of them
      // would be answered with nothing, and the figures would not compare with earlier runs.
      search: (need, k) => matcher.rankCompanies(need, { limit: k, includeExpired: true }).map((match) => match.id),
      searchIdsOnly: (need, k) => matcher.rankCompanies(need, { limit: k, explain: false, includeExpired: true }).map((match) => match.id),
      add: (company) => void matcher.add('company', company),
      update: (company) => void matcher.update('company', company),
    };
  };
}

/**
 * The product as shipped: tags, concepts, the everyday-word lexicon, cooperation and an
 * explanation for each of the ten (`searchIdsOnly`: the same ranking without explanations).
 */
export const partnermatch: Engine = {
  name: 'partnermatch',
  setup: '@partnermatch/core, default options, top 10 with explanations',
  role: 'subject',
  build: buildWith(undefined),
};

/** The same without the lexicon layer (glossary only): what the lexicon costs and brings, in one run. */
export const partnermatchWithoutLexicon: Engine = {
  name: 'pm-no-lexicon',
  setup: '@partnermatch/core, analyzer.lexicon false, top 10 with explanations',
  role: 'peer',
  build: buildWith({ analyzer: { lexicon: false } }),
};
