import { z } from 'zod';
import type { ValidationResult } from './errors.js';
import { DEFAULT_EVALUATION_OPTIONS } from './options.js';
import { zodIssues } from './schema/validate.js';

/** Graded judgments: need id → company id → grade (0–3). */
export type Qrels = Readonly<Record<string, Readonly<Record<string, number>>>>;

export const qrelsSchema = z.record(
  z.string(),
  z.record(z.string(), z.number().int({ error: 'grade must be 0, 1, 2 or 3' }).min(0).max(3, { error: 'grade must be 0, 1, 2 or 3' })),
);

export function validateQrels(input: unknown, label = 'qrels'): ValidationResult<Qrels> {
  const parsed = qrelsSchema.safeParse(input, { reportInput: true });
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, issues: zodIssues(label, parsed.error.issues) };
}

export interface QueryEvaluation {
  readonly queryId: string;
  readonly ndcg: number;
  /** Reciprocal rank of the first result graded `relevantGrade` or more; 0 if none is ranked. */
  readonly reciprocalRank: number;
  /** The ids ranked in the first `k`, with their grades. */
  readonly top: readonly { readonly id: string; readonly grade: number }[];
}

export interface EvaluationReport {
  /** Mean nDCG@k. */
  readonly ndcg: number;
  readonly mrr: number;
  /** Queries averaged over: those with at least one judged document. */
  readonly queries: number;
  readonly k: number;
  readonly perQuery: readonly QueryEvaluation[];
}

export interface EvaluationOptions {
  /** Cut-off of nDCG. Defaults to 10. */
  readonly k?: number;
  /** Lowest grade that counts as relevant for MRR. Defaults to 2 (FORMAT.md). */
  readonly relevantGrade?: number;
}

/** DCG with graded gains `2^grade − 1` and a log2 discount, over the first `k` grades. */
export function dcg(grades: readonly number[], k: number): number {
  let sum = 0;
  for (let i = 0; i < Math.min(k, grades.length); i += 1) {
    sum += (2 ** grades[i]! - 1) / Math.log2(i + 2);
  }
  return sum;
}

/**
 * nDCG@k and MRR exactly as FORMAT.md defines them, averaged over the queries that have
 * at least one judged document. `rankings` maps each query id to its ranked ids, best
 * first; MRR looks down the whole ranking given, nDCG at the first `k`. Labelled sets are
 * fixed, so rank them with `includeExpired: true`: a deadline passing must not change a figure.
 */
export function evaluateRankings(
  rankings: ReadonlyMap<string, readonly string[]>,
  qrels: Qrels,
  options: EvaluationOptions = {},
): EvaluationReport {
  const k = options.k ?? DEFAULT_EVALUATION_OPTIONS.k;
  const relevantGrade = options.relevantGrade ?? DEFAULT_EVALUATION_OPTIONS.relevantGrade;
  const perQuery: QueryEvaluation[] = [];
  for (const queryId of Object.keys(qrels).sort()) {
    const judged = qrels[queryId]!;
    if (Object.keys(judged).length === 0) continue;
    const ranked = rankings.get(queryId) ?? [];
    const grades = ranked.map((id) => judged[id] ?? 0);
    const ideal = Object.values(judged).sort((a, b) => b - a);
    const idealDcg = dcg(ideal, k);
    const firstRelevant = grades.findIndex((g) => g >= relevantGrade);
    perQuery.push({
      queryId,
      ndcg: idealDcg > 0 ? dcg(grades, k) / idealDcg : 0,
      reciprocalRank: firstRelevant < 0 ? 0 : 1 / (firstRelevant + 1),
      top: ranked.slice(0, k).map((id, i) => ({ id, grade: grades[i]! })),
    });
  }
  const mean = (values: readonly number[]) => (values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length);
  return {
    ndcg: mean(perQuery.map((q) => q.ndcg)),
    mrr: mean(perQuery.map((q) => q.reciprocalRank)),
    queries: perQuery.length,
    k,
    perQuery,
  };
}
