import { evaluateRankings } from '@partnermatch/core';
import type { LabelledSet } from '../datasets.js';
import type { Engine } from '../engines/index.js';

export interface QualityRow {
  readonly set: string;
  readonly engine: string;
  readonly ndcg10: number;
  readonly mrr: number;
  readonly queries: number;
}

/**
 * Match quality: nDCG@10 (and MRR) of each engine's top 10 on a labelled set, from the
 * same documents and queries as the speed suites, so speed never hides worse ranking.
 */
export async function runQuality(engine: Engine, set: LabelledSet): Promise<QualityRow> {
  const index = engine.build(set.companies, set.matcherOptions === undefined ? {} : { matcher: set.matcherOptions });
  try {
    const rankings = new Map(set.queries.map((need) => [need.id, index.search(need, 10)] as const));
    const report = evaluateRankings(rankings, set.qrels, { k: 10, relevantGrade: set.relevantGrade });
    return { set: set.name, engine: engine.name, ndcg10: report.ndcg, mrr: report.mrr, queries: report.queries };
  } finally {
    await index.close?.();
  }
}
