import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createMatcher, createMatcherInParallel, PartnermatchError, type Company, type PartnerNeed } from '@partnermatch/core';
import { describe, expect, it } from 'vitest';
import { repoRoot, sampleDir } from './helpers.js';

const sampleCompanies = JSON.parse(readFileSync(join(sampleDir, 'companies.json'), 'utf8')) as Company[];
const sampleNeeds = JSON.parse(readFileSync(join(sampleDir, 'needs.json'), 'utf8')) as PartnerNeed[];

// Enough records for the build to go to worker threads, varied so that records differ
// in text, tags and types, and in both languages' vocabularies.
const companies: Company[] = Array.from({ length: 4_400 }, (_, i) => {
  const base = sampleCompanies[i % sampleCompanies.length]!;
  const other = sampleCompanies[(i * 7 + 3) % sampleCompanies.length]!;
  return {
    ...base,
    id: `${base.id}-${String(i).padStart(5, '0')}`,
    orgNumber: undefined,
    description: i % 3 === 0 ? base.description : `${base.description} ${other.offerings?.join('. ') ?? other.name}`,
    ...(i % 5 === 0 ? { sectors: undefined } : {}),
    ...(i % 4 === 0 ? { partnershipTypes: other.partnershipTypes } : {}),
  };
});

describe('createMatcherInParallel', () => {
  it('builds in worker threads the same matcher, match for match and explanation for explanation', async () => {
    // Without the built worker script the build would quietly stay on this thread.
    expect(existsSync(join(repoRoot, 'packages', 'core', 'dist', 'build-worker.js'))).toBe(true);
    const parallel = await createMatcherInParallel({ companies, needs: sampleNeeds }, { threads: 2 });
    const sequential = createMatcher({ companies, needs: sampleNeeds });
    expect(parallel.companyCount).toBe(companies.length);
    expect(parallel.needCount).toBe(sampleNeeds.length);
    for (const need of sampleNeeds) {
      expect(parallel.rankCompanies(need.id, { limit: 10 })).toEqual(sequential.rankCompanies(need.id, { limit: 10 }));
      expect(parallel.profile('need', need.id)).toEqual(sequential.profile('need', need.id));
    }
    for (const company of companies.filter((_, i) => i % 97 === 0)) {
      expect(parallel.rankNeeds(company.id, { limit: 5 })).toEqual(sequential.rankNeeds(company.id, { limit: 5 }));
      expect(parallel.profile('company', company.id)).toEqual(sequential.profile('company', company.id));
    }
    expect(parallel.rankAll({ limit: 3, explain: false })).toEqual(sequential.rankAll({ limit: 3, explain: false }));
    // And it changes in place like any other matcher.
    const changed = { ...companies[0]!, description: 'Solceller och batterilager för hamnar.' };
    parallel.update('company', changed);
    sequential.update('company', changed);
    for (const need of sampleNeeds.slice(0, 5)) {
      expect(parallel.rankCompanies(need.id, { limit: 5 })).toEqual(sequential.rankCompanies(need.id, { limit: 5 }));
    }
  });

  it('rejects invalid records before starting a thread, naming each problem', async () => {
    const broken = [...companies.slice(0, 4_100), { ...companies[0]!, id: 'x-1', sectors: ['energy.nuclear'] }];
    const error = await createMatcherInParallel({ companies: broken }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PartnermatchError);
    expect((error as PartnermatchError).code).toBe('INVALID_INPUT');
    expect((error as PartnermatchError).issues.map((issue) => issue.path)).toContain('companies[4100].sectors[0]');
  });
});
