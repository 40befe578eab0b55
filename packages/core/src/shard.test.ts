import { describe, expect, it } from 'vitest';
import { readDataset } from './test-data.js';
import { createMatcher, type Match } from './matcher.js';
import type { Company, PartnerNeed } from './schema/records.js';
import { collectionStatistics, mergeCollectionStatistics, mergeShardMatches, shardMatcher } from './shard.js';

const sample = readDataset('fixtures/sample')!;
const dev = readDataset('../shared/eval/dev');

/** Companies dealt to `count` shards by a hash of the id (as a router would), the needs to every shard. */
function split({ companies, needs }: { companies: Company[]; needs: PartnerNeed[] }, count: number): { companies: Company[]; needs: PartnerNeed[] }[] {
  const hash = (id: string) => [...id].reduce((h, c) => (Math.imul(h, 31) + c.charCodeAt(0)) >>> 0, 7);
  return Array.from({ length: count }, (_, shard) => ({ companies: companies.filter((c) => hash(c.id) % count === shard), needs }));
}

/** The sharded top `limit` for each need: phase 1 (best text per shard), phase 2 (rank with the largest), k-way merge. */
function shardedRankings(data: { companies: Company[]; needs: PartnerNeed[] }, count: number, limit: number, explain: boolean): Match[][] {
  const matchers = split(data, count).map((part) => createMatcher(part));
  const whole = mergeCollectionStatistics(matchers.map((matcher) => collectionStatistics(matcher)));
  const shards = matchers.map((matcher) => shardMatcher(matcher, whole));
  return data.needs.map((need) => {
    const options = { limit, includeExpired: true, explain } as const;
    const textDivisor = Math.max(...shards.map((shard) => shard.bestText(need.id, options)));
    return mergeShardMatches(
      shards.map((shard) => shard.rankCompanies(need.id, { ...options, textDivisor })),
      limit,
    );
  });
}

function singleRankings(data: { companies: Company[]; needs: PartnerNeed[] }, limit: number, explain: boolean): Match[][] {
  const matcher = createMatcher(data);
  return data.needs.map((need) => matcher.rankCompanies(need.id, { limit, includeExpired: true, explain }));
}

describe('exact sharded ranking', () => {
  for (const count of [1, 2, 4, 8]) {
    it(`merges ${count} shard(s) of the sample set into the single index's rankings, explanations included`, () => {
      expect(JSON.stringify(shardedRankings(sample, count, 10, true))).toBe(JSON.stringify(singleRankings(sample, 10, true)));
    });
  }

  it.skipIf(dev === undefined)('merges 1, 2, 4 and 8 shards of the dev set into the single index\'s top 10 and top 50', () => {
    for (const limit of [10, 50]) {
      const single = JSON.stringify(singleRankings(dev!, limit, false));
      for (const count of [1, 2, 4, 8]) expect(JSON.stringify(shardedRankings(dev!, count, limit, false)), `${count} shards, top ${limit}`).toBe(single);
    }
  });

  it.skipIf(dev === undefined)('differs from the single index when each shard scores with its own statistics (what the shared ones fix)', () => {
    const single = singleRankings(dev!, 10, false);
    const parts = split(dev!, 4).map((part) => createMatcher(part));
    const local = dev!.needs.map((need) =>
      mergeShardMatches(
        parts.map((matcher) => matcher.rankCompanies(need.id, { limit: 10, includeExpired: true, explain: false })),
        10,
      ),
    );
    expect(JSON.stringify(local)).not.toBe(JSON.stringify(single));
  });

  it('refuses a text divisor below the shard\'s own best text score', () => {
    const matcher = createMatcher(sample);
    const shard = shardMatcher(matcher, collectionStatistics(matcher));
    const need = sample.needs.find((n) => shard.bestText(n.id, { includeExpired: true }) > 0)!;
    const best = shard.bestText(need.id, { includeExpired: true });
    expect(() => shard.rankCompanies(need.id, { includeExpired: true, textDivisor: best / 2 })).toThrow(/below this shard's own best text score/);
    // With its own statistics and best text, a single shard ranks as the plain matcher does.
    expect(shard.rankCompanies(need.id, { includeExpired: true, textDivisor: best })).toEqual(matcher.rankCompanies(need.id, { includeExpired: true }));
  });

  it('merges by score, then company id, and renumbers ranks', () => {
    const match = (companyId: string, score: number, rank: number): Match => ({ id: companyId, needId: 'n', companyId, rank, score, parts: { tags: 0, text: 0, cooperation: 0 } });
    const merged = mergeShardMatches([[match('b', 0.9, 1), match('d', 0.5, 2)], [match('a', 0.9, 1), match('c', 0.7, 2)], []], 3);
    expect(merged.map((m) => [m.companyId, m.rank])).toEqual([
      ['a', 1],
      ['b', 2],
      ['c', 3],
    ]);
  });
});
