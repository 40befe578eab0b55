import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { recordFields } from './index/fields.js';
import { createMatcher } from './matcher.js';
import { resolveMatcherOptions } from './options.js';
import { analyseBatch } from './batch.js';
import { createMatcherInParallel } from './parallel.js';
import type { Company, PartnerNeed } from './schema/records.js';
import { createAnalyzer } from './text/analyzer.js';

const read = <T>(name: string): T => JSON.parse(readFileSync(fileURLToPath(new URL(`../../../fixtures/sample/${name}`, import.meta.url)), 'utf8')) as T;
const companies = read<Company[]>('companies.json');
const needs = read<PartnerNeed[]>('needs.json');

describe('parallel build', () => {
  it('analyses a batch as the matcher does: the same terms, lengths, languages and tags', () => {
    const options = resolveMatcherOptions();
    const batch = analyseBatch(
      companies.map((company) => ({ fields: recordFields('company', company, options.fieldWeights), sectors: company.sectors })),
      options,
    );
    const matcher = createMatcher({ companies });
    const analyzer = createAnalyzer(options.analyzer);
    companies.forEach((company, i) => {
      expect(batch.languages[i]).toBe(matcher.profile('company', company.id)!.language);
      expect(batch.tags[i]).toEqual(matcher.profile('company', company.id)!.tags);
      const terms = new Map<string, number>();
      for (let j = batch.offsets[i]!; j < batch.offsets[i + 1]!; j += 1) terms.set(batch.vocabulary[batch.termRefs[j]!]!, batch.tfs[j]!);
      const analysis = analyzer.analyze(recordFields('company', company, options.fieldWeights), { surfaces: false });
      expect(terms).toEqual(analysis.terms);
      expect(batch.lengths[i]).toBe(analysis.length);
    });
    expect(batch.offsets[companies.length]).toBe(batch.termRefs.length);
  });

  it('builds small inputs on this thread, equal to createMatcher', async () => {
    const parallel = await createMatcherInParallel({ companies, needs }, { threads: 2 });
    const sequential = createMatcher({ companies, needs });
    for (const need of needs) expect(parallel.rankCompanies(need.id)).toEqual(sequential.rankCompanies(need.id));
  });

  it('refuses a thread count that is not a whole number of at least 1', async () => {
    for (const threads of [Number.NaN, 0, 1.5, -2]) {
      await expect(createMatcherInParallel({ companies }, { threads })).rejects.toMatchObject({ code: 'INVALID_OPTIONS' });
    }
  });
});
