import { describe, expect, it } from 'vitest';
import { readDataset } from '../test-data.js';
import { createMatcher, type Matcher } from '../matcher.js';
import type { Company, PartnerNeed } from '../schema/records.js';
import { SnapshotRejectedError } from './format.js';
import { readSnapshotHeader, restoreMatcher, restoreMatcherById, snapshotMatcher, snapshotVersions } from './snapshot.js';
import { resolveMatcherOptions } from '../options.js';
import { engineOf } from '../ranking/engine.js';
import { lexicon } from '../lexicon/lexicon.js';
import { validateCompanies, validateNeeds } from '../schema/validate.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { preloadSnapshot } from './preload.js';

const sample = readDataset('fixtures/sample')!;
const dev = readDataset('../shared/eval/dev');

/** Every ranking both ways, with explanations, as one string: equal strings mean equal rankings bit for bit. */
function everything(matcher: Matcher, companies: readonly { id: string }[], needs: readonly { id: string }[]): string {
  const options = { limit: 20, includeExpired: true, explain: true } as const;
  return JSON.stringify([
    needs.map((need) => matcher.rankCompanies(need.id, options)),
    companies.map((company) => matcher.rankNeeds(company.id, options)),
    companies.map((company) => matcher.profile('company', company.id)),
    needs.map((need) => matcher.profile('need', need.id)),
  ]);
}

function rejection(run: () => unknown): SnapshotRejectedError {
  try {
    run();
  } catch (error) {
    if (error instanceof SnapshotRejectedError) return error;
    throw error;
  }
  throw new Error('the snapshot was accepted');
}

describe('index snapshots', () => {
  it('restore the sample set to the same rankings, bit for bit', () => {
    const built = createMatcher(sample);
    const snapshot = snapshotMatcher(built, { generation: 7 });
    expect(readSnapshotHeader(snapshot)).toMatchObject({ generation: '7', companies: sample.companies.length, needs: sample.needs.length });
    const restored = restoreMatcher(snapshot, sample, { generation: 7 });
    expect(everything(restored, sample.companies, sample.needs)).toBe(everything(built, sample.companies, sample.needs));
    // A restored matcher snapshots to the same bytes.
    expect(Buffer.from(snapshotMatcher(restored, { generation: 7 })).equals(Buffer.from(snapshot))).toBe(true);
  });

  it.skipIf(dev === undefined)('restore the dev set to the same rankings, bit for bit', () => {
    const { companies, needs } = dev!;
    const built = createMatcher({ companies, needs });
    const restored = restoreMatcher(snapshotMatcher(built, { generation: 1 }), { companies, needs }, { generation: 1 });
    expect(everything(restored, companies, needs)).toBe(everything(built, companies, needs));
  });

  it('restore from the ids alone, reading each record only when it is first used, to the same rankings', () => {
    const companies = validateCompanies(sample.companies);
    const needs = validateNeeds(sample.needs.map((need, i) => (i === 0 ? { ...need, status: 'closed' } : need)));
    if (!companies.ok || !needs.ok) throw new Error('the sample set does not validate');
    const input = { companies: companies.value, needs: needs.value };
    const built = createMatcher(input);
    const read: string[] = [];
    const byId = new Map<string, Company | PartnerNeed>([...input.companies, ...input.needs].map((record) => [record.id, record]));
    const load = <T>(id: string): T => {
      read.push(id);
      return byId.get(id) as T;
    };
    const ids = { companyIds: input.companies.map((c) => c.id), needIds: input.needs.map((n) => n.id) };
    const restored = restoreMatcherById(snapshotMatcher(built, { generation: 5 }), { ...ids, loadCompany: load, loadNeed: load }, { generation: 5 });
    expect(read).toEqual([]);
    // One ranking reads its query and the records it returns (and explains), not every record.
    restored.rankCompanies(input.needs[1]!.id, { limit: 3, includeExpired: true });
    expect(read.length).toBeGreaterThan(0);
    expect(read.length).toBeLessThan(input.companies.length);
    expect(everything(restored, input.companies, input.needs)).toBe(everything(built, input.companies, input.needs));
    // Each record is read once, and the matcher holds what was read.
    expect(new Set(read).size).toBe(read.length);
    expect(restored.getCompany(ids.companyIds[0]!)).toBe(input.companies[0]);
    // The closed need stays unranked without being read to find out.
    expect(restored.rankCompanies(input.needs[0]!.id)).toEqual([]);
    expect(Buffer.from(snapshotMatcher(restored, { generation: 5 })).equals(Buffer.from(snapshotMatcher(built, { generation: 5 })))).toBe(true);
    // Ids that are not the snapshot's are refused.
    const swapped = [...ids.companyIds];
    [swapped[0], swapped[1]] = [swapped[1]!, swapped[0]!];
    expect(rejection(() => restoreMatcherById(snapshotMatcher(built, { generation: 5 }), { ...ids, companyIds: swapped, loadCompany: load, loadNeed: load }, { generation: 5 })).reason).toBe('stale');
  });

  it('catch up from an older snapshot with the writes made since, to the rankings a build gives', () => {
    const companies = validateCompanies(sample.companies);
    const needs = validateNeeds(sample.needs);
    if (!companies.ok || !needs.ok) throw new Error('the sample set does not validate');
    const before = { companies: companies.value, needs: needs.value };
    const snapshot = snapshotMatcher(createMatcher(before), { generation: 3 });
    // Since generation 3: a company rewritten, one removed, two new; a need closed, one rewritten, one removed, one new.
    const [rewritten, removed] = [before.companies[2]!, before.companies[5]!];
    const newCompanies: Company[] = [
      { id: 'new-solar', name: 'Ronneby Solpark AB', description: 'Solcellsparker och batterilager för kommuner.', sectors: ['energy.solar'] },
      { id: 'aaa-first-by-id', name: 'Karlshamn Honung', description: 'Biodling och honung, export till Kina.' },
    ];
    const nowCompanies = [
      ...before.companies.filter((c) => c.id !== removed.id).map((c) => (c.id === rewritten.id ? { ...c, description: 'Vindkraft till havs och underhåll av turbiner.' } : c)),
      ...newCompanies,
    ];
    const [closed, changedNeed, removedNeed, madeAgain] = [before.needs[0]!, before.needs[1]!, before.needs[2]!, before.needs[4]!];
    const nowNeeds = [
      ...before.needs
        .filter((n) => n.id !== removedNeed.id && n.id !== madeAgain.id)
        .map((n) => (n.id === closed.id ? { ...n, status: 'closed' as const } : n.id === changedNeed.id ? { ...n, description: '我们需要储能系统和光伏组件。' } : n)),
      { ...before.needs[3]!, id: 'need-new', title: 'Wastewater treatment for a tea plantation' },
      // Removed and made again since: last in the store now.
      madeAgain,
    ];
    const changes = {
      companies: new Set([rewritten.id, removed.id, ...newCompanies.map((c) => c.id)]),
      needs: new Set([closed.id, changedNeed.id, removedNeed.id, 'need-new', madeAgain.id]),
    };
    const byId = new Map<string, Company | PartnerNeed>([...nowCompanies, ...nowNeeds].map((record) => [record.id, record]));
    const loaded: string[] = [];
    const load = <T>(id: string): T => {
      loaded.push(id);
      const record = byId.get(id);
      if (record === undefined) throw new Error(`no record ${id} now`);
      return record as T;
    };
    const now = { companyIds: nowCompanies.map((c) => c.id), needIds: nowNeeds.map((n) => n.id), loadCompany: load, loadNeed: load };
    const restored = restoreMatcherById(snapshot, { ...now, changedSince: (generation) => (generation === '3' ? changes : undefined) }, { generation: 9 });
    // Only the records written since were read (to index them as they are now).
    expect(new Set(loaded)).toEqual(new Set([rewritten.id, closed.id, changedNeed.id, 'need-new', madeAgain.id, ...newCompanies.map((c) => c.id)]));
    const built = createMatcher({ companies: nowCompanies, needs: nowNeeds });
    expect(everything(restored, nowCompanies, nowNeeds)).toBe(everything(built, nowCompanies, nowNeeds));
    expect(restored.companyCount).toBe(nowCompanies.length);
    expect(restored.getCompany(removed.id)).toBeUndefined();
    expect(restored.rankCompanies(closed.id)).toEqual([]);
    // Batches go in stored order, as after a build.
    for (const direction of ['companies', 'needs'] as const) {
      const order = (matcher: Matcher) => matcher.rankAll({ limit: 1, direction, includeExpired: true }).map((result) => result.queryId);
      expect(order(restored)).toEqual(order(built));
      expect(order(restored).length).toBeGreaterThan(10);
    }

    // A log that cannot tell, or that misses a write, leaves the snapshot stale.
    expect(rejection(() => restoreMatcherById(snapshot, { ...now, changedSince: () => undefined }, { generation: 9 })).reason).toBe('stale');
    const missing = { companies: new Set([rewritten.id, removed.id]), needs: changes.needs };
    expect(rejection(() => restoreMatcherById(snapshot, { ...now, changedSince: () => missing }, { generation: 9 })).reason).toBe('stale');
  });

  it('restore records validated already as given, and ids in any script, to the same rankings', () => {
    // Ids of one, two, three and four UTF-8 bytes per character: strings are cut out of one decoded blob.
    const renamed = ['c-ascii', 'c-åäö-Ω', 'c-污水处理', 'c-𠀀𝔘-😀'];
    const companies = validateCompanies(sample.companies.map((company, i) => (i < renamed.length ? { ...company, id: renamed[i] } : company)));
    const needs = validateNeeds(sample.needs);
    if (!companies.ok || !needs.ok) throw new Error('the sample set does not validate');
    const input = { companies: companies.value, needs: needs.value };
    const built = createMatcher(input);
    const restored = restoreMatcher(snapshotMatcher(built, { generation: 2 }), input, { generation: 2 }, { validated: true });
    expect(everything(restored, input.companies, input.needs)).toBe(everything(built, input.companies, input.needs));
    expect(restored.getCompany('c-𠀀𝔘-😀')).toBe(input.companies[3]);
  });

  it('of a matcher changed in place give what a fresh build of its records gives', () => {
    const live = createMatcher(sample);
    const companies = [...sample.companies];
    const needs = [...sample.needs];
    // Update, remove and add on both sides, as the service does between starts.
    const changed = { ...companies[2]!, description: `${companies[2]!.description} Vi bygger även solcellsparker och batterilager.` };
    live.update('company', changed);
    companies[2] = changed;
    live.remove('company', companies[5]!.id);
    companies.splice(5, 1);
    const added: Company = { id: 'c-new-snapshot', name: 'Ronneby Vattenrening AB', description: 'Avloppsreningsverk och slamhantering.' };
    live.add('company', added);
    companies.push(added);
    const closed = { ...needs[1]!, status: 'closed' as const };
    live.update('need', closed);
    needs[1] = closed;
    live.remove('need', needs[3]!.id);
    needs.splice(3, 1);

    const fresh = createMatcher({ companies, needs });
    const restored = restoreMatcher(snapshotMatcher(live, { generation: 12 }), { companies, needs }, { generation: 12 });
    expect(everything(restored, companies, needs)).toBe(everything(fresh, companies, needs));
  });

  it('give a matcher that takes changes as a built one does', () => {
    const built = createMatcher(sample);
    const restored = restoreMatcher(snapshotMatcher(built, { generation: 5 }), sample, { generation: 5 });
    const companies = [...sample.companies];
    const needs = [...sample.needs];
    // Into an existing group (same tags and types as a sample firm), into a new one, and out of one.
    const twin: Company = { ...companies[0]!, id: 'c-twin-restored', name: 'Tvilling AB' };
    const fresh: Company = { id: 'c-new-restored', name: 'Karlskrona Biogas AB', description: 'Biogasanläggningar och rötning av matavfall.', sectors: ['energy.bioenergy'] };
    for (const matcher of [built, restored]) {
      matcher.add('company', twin);
      matcher.add('company', fresh);
      matcher.remove('company', companies[4]!.id);
      matcher.update('need', { ...needs[0]!, status: 'closed' as const });
    }
    companies.push(twin, fresh);
    companies.splice(4, 1);
    needs[0] = { ...needs[0]!, status: 'closed' as const };
    expect(everything(restored, companies, needs)).toBe(everything(built, companies, needs));
    expect(everything(restored, companies, needs)).toBe(everything(createMatcher({ companies, needs }), companies, needs));
    // The twin joined its sample firm's restored group rather than a second group of the same key.
    const groupsOf = (matcher: Matcher) => engineOf(matcher)!.companies.groups.filter((group) => group.ids.length > 0).length;
    expect(groupsOf(restored)).toBe(groupsOf(built));
    // And the built one's, whose keys a bulk build also left to the first add, as a build of the records.
    expect(groupsOf(built)).toBe(groupsOf(createMatcher({ companies, needs })));
  });

  it('restore from a preloaded file as from its bytes, and a preload reports a missing or torn file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pm-preload-'));
    try {
      const built = createMatcher(sample);
      const snapshot = snapshotMatcher(built, { generation: 9 });
      const path = join(dir, 'index.snapshot');
      writeFileSync(path, snapshot);
      const preloaded = preloadSnapshot(path).wait();
      // From sources there is no worker script: read on this thread, when first waited for.
      expect(preloaded.shared).toBe(false);
      const expected = everything(built, sample.companies, sample.needs);
      expect(everything(restoreMatcher(preloaded, sample, { generation: 9 }), sample.companies, sample.needs)).toBe(expected);
      // The restore took the file and its decoded postings over.
      expect(() => restoreMatcher(preloaded, sample, { generation: 9 })).toThrow(/restores one matcher/);
      // A preload checks the file, not whether it fits the records: that is the restore's.
      expect(rejection(() => restoreMatcher(preloadSnapshot(path).wait(), sample, { generation: 10 })).reason).toBe('stale');

      const missing = preloadSnapshot(join(dir, 'none.snapshot'));
      expect(() => missing.wait()).toThrow(expect.objectContaining({ code: 'ENOENT' }));
      writeFileSync(path, snapshot.subarray(0, snapshot.byteLength - 100));
      expect(rejection(() => preloadSnapshot(path).wait()).reason).toMatch(/torn|checksum/);
      const flipped = snapshot.slice();
      flipped[flipped.byteLength >> 1]! ^= 0x04;
      writeFileSync(path, flipped);
      expect(rejection(() => preloadSnapshot(path).wait()).reason).toBe('checksum');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  describe('are rebuilt, never trusted, when', () => {
    const built = createMatcher(sample);
    const snapshot = snapshotMatcher(built, { generation: 3 });

    it('the file is truncated anywhere', () => {
      for (const length of [0, 10, 40, snapshot.byteLength >> 1, snapshot.byteLength - 33, snapshot.byteLength - 1]) {
        const reason = rejection(() => restoreMatcher(snapshot.slice(0, length), sample, { generation: 3 })).reason;
        expect(['torn', 'checksum']).toContain(reason);
      }
    });

    it('a byte is flipped in the header, the payload or the checksum', () => {
      for (const at of [2, 9, 20, snapshot.byteLength >> 1, snapshot.byteLength - 40, snapshot.byteLength - 1]) {
        const altered = snapshot.slice();
        altered[at] = altered[at]! ^ 0x10;
        const reason = rejection(() => restoreMatcher(altered, sample, { generation: 3 })).reason;
        expect(['format', 'checksum']).toContain(reason);
      }
    });

    it('the generation is not the database’s', () => {
      const error = rejection(() => restoreMatcher(snapshot, sample, { generation: 4 }));
      expect(error.reason).toBe('stale');
      expect(error.message).toMatch(/generation 3/);
    });

    it('a version or an option differs', () => {
      const options = resolveMatcherOptions();
      expect(rejection(() => restoreMatcher(snapshot, sample, { generation: 3, versions: { ...snapshotVersions(options), lexicon: '2' } })).reason).toBe('stale');
      // The versions carry the lexicon's content, not only what the canary texts reach of it.
      expect(snapshotVersions(options)['lexicon']).toBe(lexicon().digest);
      expect(snapshotVersions(resolveMatcherOptions({ analyzer: { lexicon: false } }))['lexicon']).toBe('off');
      expect(snapshotVersions(options, { lexicon: 'the caller’s', store: '7' })).toMatchObject({ lexicon: lexicon().digest, store: '7' });
      expect(rejection(() => restoreMatcher(snapshot, { ...sample, options: { weights: { tags: 0.5, text: 0.4, cooperation: 0.1 } } }, { generation: 3 })).reason).toBe('stale');
    });

    it('the records are not the ones it was written from', () => {
      expect(rejection(() => restoreMatcher(snapshot, { ...sample, companies: sample.companies.slice(1) }, { generation: 3 })).reason).toBe('stale');
      const swapped = [sample.companies[1]!, sample.companies[0]!, ...sample.companies.slice(2)];
      expect(rejection(() => restoreMatcher(snapshot, { ...sample, companies: swapped }, { generation: 3 })).reason).toBe('stale');
    });
  });
});
