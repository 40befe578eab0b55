/** The labelled sets the quality suite scores every engine on; absent ones are skipped. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  beirPaths,
  parseBeir,
  validateCompanies,
  validateNeeds,
  validateQrels,
  type Company,
  type MatcherOptions,
  type PartnerNeed,
  type Qrels,
} from '@partnermatch/core';
import { exists, paths } from './paths.js';

export interface LabelledSet {
  readonly name: string;
  readonly companies: readonly Company[];
  /** Open needs only: closed needs get no matches and have no judgments. */
  readonly queries: readonly PartnerNeed[];
  readonly qrels: Qrels;
  /** Lowest grade that counts as relevant for MRR. */
  readonly relevantGrade: number;
  /** Settings partnermatch uses on this set (peers have none). */
  readonly matcherOptions?: MatcherOptions;
}

function json(path: string): unknown {
  return JSON.parse(readFileSync(path, 'utf8'));
}

function valid<T>(result: { ok: true; value: T } | { ok: false; issues: readonly { path: string; message: string }[] }, what: string): T {
  if (result.ok) return result.value;
  throw new Error(`${what}: ${result.issues.slice(0, 3).map((issue) => `${issue.path} ${issue.message}`).join('; ')}`);
}

/** A set in FORMAT.md's layout (companies.json, needs.json, qrels.json), or undefined when absent. */
export function loadFormatSet(name: string, dir: string): LabelledSet | undefined {
  if (!exists(join(dir, 'qrels.json'))) return undefined;
  const needs = valid(validateNeeds(json(join(dir, 'needs.json'))), `${name} needs`);
  return {
    name,
    companies: valid(validateCompanies(json(join(dir, 'companies.json'))), `${name} companies`),
    queries: needs.filter((need) => need.status !== 'closed'),
    qrels: valid(validateQrels(json(join(dir, 'qrels.json'))), `${name} qrels`),
    relevantGrade: 2,
  };
}

/**
 * SciFact as the CLI's `eval-beir` reads it (core's parseBeir, the one BEIR loader): each
 * abstract a company, each judged claim a need, text only, with the settings chosen on train.
 */
export function loadSciFact(split: 'train' | 'test'): LabelledSet | undefined {
  const files = beirPaths(paths.scifactDir, split);
  if (!exists(files.qrels) || !exists(files.corpus)) return undefined;
  const text = (path: string) => readFileSync(path, 'utf8');
  const { companies, needs, qrels } = parseBeir({ corpus: text(files.corpus), queries: text(files.queries), qrels: text(files.qrels) }, files);
  const options = exists(paths.scifactOptions) ? (json(paths.scifactOptions) as MatcherOptions) : {};
  return {
    name: `SciFact ${split}`,
    companies,
    queries: needs,
    qrels,
    relevantGrade: 1,
    matcherOptions: { ...options, weights: { tags: 0, text: 1, cooperation: 0 } },
  };
}

export function labelledSets(scifactSplits: readonly ('train' | 'test')[]): { sets: LabelledSet[]; missing: string[] } {
  const candidates: [string, () => LabelledSet | undefined][] = [
    ['sample', () => loadFormatSet('sample', paths.sampleDir)],
    // The dev set ships in fixtures/ (fixtures/dev/README.md); paths.devDir is its old place.
    ['dev', () => loadFormatSet('dev', join(paths.sampleDir, '..', 'dev'))],
    ...scifactSplits.map((split): [string, () => LabelledSet | undefined] => [`SciFact ${split}`, () => loadSciFact(split)]),
  ];
  const sets: LabelledSet[] = [];
  const missing: string[] = [];
  for (const [name, load] of candidates) {
    const set = load();
    if (set === undefined) missing.push(name);
    else sets.push(set);
  }
  return { sets, missing };
}
