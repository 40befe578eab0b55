/**
 * The precision behind the documented subscription thresholds, measured on the labelled sets
 * (../shared/eval/dev, skipped when absent, and fixtures/sample). Prints the table the docs
 * quote: `npx vitest run src/alerts/thresholds.test.ts` in services/api.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createMatcher, validateQrels, type Company, type PartnerNeed, type Qrels } from '@partnermatch/core';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MIN_SCORE } from './schemas.js';
import { measureThresholds, thresholdTable } from './thresholds.js';

const THRESHOLDS = [0.5, 0.6, 0.7, 0.8, 0.9];
const SETS = {
  'fixtures/sample': fileURLToPath(new URL('../../../../fixtures/sample/', import.meta.url)),
  '../shared/eval/dev': fileURLToPath(new URL('../../../../../shared/eval/dev/', import.meta.url)),
};

function load(dir: string): { companies: Company[]; needs: PartnerNeed[]; qrels: Qrels } {
  const read = (file: string): unknown => JSON.parse(readFileSync(`${dir}${file}`, 'utf8'));
  return { companies: read('companies.json') as Company[], needs: read('needs.json') as PartnerNeed[], qrels: read('qrels.json') as Qrels };
}

describe('score thresholds: pooled precision of pairs at or above each', () => {
  for (const [name, dir] of Object.entries(SETS)) {
    it.skipIf(!existsSync(`${dir}qrels.json`))(name, () => {
      const { companies, needs, qrels } = load(dir);
      expect(validateQrels(qrels).ok).toBe(true);
      const report = measureThresholds(createMatcher({ companies, needs }), needs, qrels, THRESHOLDS);
      console.log(thresholdTable(name, report));
      const at = (t: number) => report.rows.find((r) => r.threshold === t)!;
      // The bar from the kept-back sets: ≥ 0.7 mostly grade 2+, ≥ 0.9 all of them.
      expect(at(DEFAULT_MIN_SCORE).precision!).toBeGreaterThanOrEqual(0.82);
      expect(at(0.9).precision ?? 1).toBe(1);
      // A higher threshold keeps a subset of the pairs.
      for (let i = 1; i < report.rows.length; i += 1) expect(report.rows[i]!.pairs).toBeLessThanOrEqual(report.rows[i - 1]!.pairs);
    });
  }
});
