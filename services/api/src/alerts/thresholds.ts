import type { Matcher, PartnerNeed, Qrels } from '@partnermatch/core';

/** Pooled precision of the (need, company) pairs at or above one score threshold. */
export interface ThresholdPrecision {
  readonly threshold: number;
  /** Pairs scoring at or above the threshold, over every judged open need. */
  readonly pairs: number;
  /** Of those, the pairs judged grade 2 or more (an unjudged company is grade 0). */
  readonly relevant: number;
  /** relevant / pairs; undefined when no pair reaches the threshold. */
  readonly precision: number | undefined;
  /** Needs with at least one pair at or above the threshold. */
  readonly needs: number;
}

export interface ThresholdReport {
  readonly rows: readonly ThresholdPrecision[];
  /** The highest score at which a grade-0 company ranks first for a need (how high a wrong top match goes). */
  readonly worstTopScore: number | undefined;
  /** The highest score of any grade-0 pair. */
  readonly worstGradeZeroScore: number | undefined;
  readonly judgedNeeds: number;
}

/**
 * What a score threshold means on a labelled set: for every open need with judgments, every
 * company ranked at or above each threshold, pooled over the needs; precision is the share
 * graded 2 or more (FORMAT.md's "relevant" for MRR). A subscription's `minScore` is such a
 * threshold, so this is the share of alerts a coordinator would find worth a call.
 */
export function measureThresholds(matcher: Matcher, needs: readonly PartnerNeed[], qrels: Qrels, thresholds: readonly number[]): ThresholdReport {
  const lowest = Math.min(...thresholds);
  const counts = thresholds.map(() => ({ pairs: 0, relevant: 0, needs: 0 }));
  let worstTopScore: number | undefined;
  let worstGradeZeroScore: number | undefined;
  let judgedNeeds = 0;
  for (const need of needs) {
    const judged = qrels[need.id];
    if (need.status === 'closed' || judged === undefined || Object.keys(judged).length === 0) continue;
    judgedNeeds += 1;
    const ranked = matcher.rankCompanies(need.id, { limit: matcher.companyCount, minScore: Math.min(lowest, 0), explain: false });
    const top = ranked[0];
    if (top !== undefined && (judged[top.id] ?? 0) === 0) worstTopScore = Math.max(worstTopScore ?? 0, top.score);
    const zero = ranked.find((m) => (judged[m.id] ?? 0) === 0);
    if (zero !== undefined) worstGradeZeroScore = Math.max(worstGradeZeroScore ?? 0, zero.score);
    thresholds.forEach((threshold, i) => {
      const above = ranked.filter((m) => m.score >= threshold);
      counts[i]!.pairs += above.length;
      counts[i]!.relevant += above.filter((m) => (judged[m.id] ?? 0) >= 2).length;
      if (above.length > 0) counts[i]!.needs += 1;
    });
  }
  return {
    rows: thresholds.map((threshold, i) => ({
      threshold,
      ...counts[i]!,
      precision: counts[i]!.pairs === 0 ? undefined : counts[i]!.relevant / counts[i]!.pairs,
    })),
    worstTopScore,
    worstGradeZeroScore,
    judgedNeeds,
  };
}

/** The report as a Markdown table, for the docs. */
export function thresholdTable(name: string, report: ThresholdReport): string {
  const lines = [
    `${name} (${report.judgedNeeds} judged needs)`,
    '| minScore | pairs | grade ≥ 2 | precision | needs with a pair |',
    '|---:|---:|---:|---:|---:|',
    ...report.rows.map(
      (r) => `| ${r.threshold.toFixed(1)} | ${r.pairs} | ${r.relevant} | ${r.precision === undefined ? '–' : `${(r.precision * 100).toFixed(1)} %`} | ${r.needs} |`,
    ),
    `highest score of a grade-0 company ranked first: ${report.worstTopScore === undefined ? 'none' : report.worstTopScore.toFixed(3)}; of any grade-0 pair: ${report.worstGradeZeroScore === undefined ? 'none' : report.worstGradeZeroScore.toFixed(3)}`,
  ];
  return lines.join('\n');
}
