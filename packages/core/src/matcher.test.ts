import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PartnermatchError } from './errors.js';
import { createMatcher, MAX_PRUNED_LIMIT, type Match } from './matcher.js';
import { DEFAULT_MATCHER_OPTIONS, DEFAULT_NEUTRAL_TAGS } from './options.js';
import type { Company, PartnerNeedInput } from './schema/records.js';

const sample = (file: string): unknown[] =>
  JSON.parse(readFileSync(fileURLToPath(new URL(`../../../fixtures/sample/${file}`, import.meta.url)), 'utf8'));
const sampleCompanies = sample('companies.json') as Company[];
const sampleNeeds = sample('needs.json') as PartnerNeedInput[];

const companies: Company[] = [
  {
    id: 'c-water',
    name: 'Lyckeby Reningsteknik AB',
    description: 'Vi projekterar och bygger avloppsreningsverk med kväverening och slamhantering för kommuner.',
    sectors: ['environment.wastewater'],
    partnershipTypes: ['technology-transfer', 'export'],
  },
  {
    id: 'c-solar',
    name: 'Sölvesborg Sol AB',
    description: 'Vi installerar solcellsparker och batterilager åt företag och kommuner.',
    partnershipTypes: ['export'],
  },
  {
    id: 'c-fibre',
    name: 'Fiberkabel Öst AB',
    description: 'We manufacture optical fibre cables for telecom operators.',
    sectors: ['ict.telecom'],
    partnershipTypes: ['export'],
  },
  {
    id: 'c-wood',
    name: 'Olofström Trähus AB',
    description: 'Vi bygger flerbostadshus i massivträ och KL-trä.',
  },
];

const needs: PartnerNeedInput[] = [
  {
    id: 'n-sewage',
    title: '污水处理厂提标改造',
    organization: '大理市排水有限公司',
    description: '我公司计划对污水处理厂进行提标改造，提高脱氮除磷能力，并改进污泥处置。寻求欧洲技术转让与培训。',
    partnershipTypes: ['technology-transfer', 'training'],
  },
  {
    id: 'n-solar',
    title: '分布式光伏与储能项目',
    organization: '玉溪市能源投资公司',
    description: '建设工业园区分布式光伏电站和储能系统。',
    status: 'open',
  },
  {
    id: 'n-closed',
    title: '污水处理设备采购',
    organization: '曲靖市水务局',
    description: '采购一体化污水处理设备。',
    status: 'closed',
  },
];

const ids = (matches: readonly Match[]) => matches.map((m) => m.id);

describe('createMatcher', () => {
  const matcher = createMatcher({ companies, needs });

  it('finds a Swedish company for a Chinese need through shared concepts, and explains it', () => {
    const [best] = matcher.rankCompanies('n-sewage');
    expect(best?.id).toBe('c-water');
    const explanation = best!.explanation!;
    const concept = explanation.terms.find((t) => t.kind === 'concept' && t.needPhrases.includes('污水处理厂'));
    expect(concept?.companyPhrases).toContain('avloppsreningsverk');
    expect(concept?.share).toBeGreaterThan(0);
    expect(explanation.summary).toContain('↔');
    expect(explanation.tags.some((t) => t.companyTag === 'environment.wastewater')).toBe(true);
    expect(explanation.cooperation.shared).toEqual(['technology-transfer']);
    const parts = explanation.parts;
    expect(parts.tags.contribution + parts.text.contribution + parts.cooperation.contribution).toBeCloseTo(best!.score, 3);
  });

  it('finds Chinese needs for a Swedish company (the reverse direction)', () => {
    expect(ids(matcher.rankNeeds('c-solar')).at(0)).toBe('n-solar');
    expect(ids(matcher.rankNeeds('c-water')).at(0)).toBe('n-sewage');
  });

  it('infers tags where none are given, and marks them inferred', () => {
    const profile = matcher.profile('company', 'c-solar')!;
    expect(profile.tags.map((t) => t.tag)).toContain('energy.solar');
    expect(profile.tags.every((t) => t.source === 'inferred' && t.confidence > 0 && t.confidence < 1)).toBe(true);
    expect(matcher.profile('company', 'c-water')!.tags).toEqual([{ tag: 'environment.wastewater', source: 'given', confidence: 1 }]);
  });

  it('scores a firm with no sector tag as of unknown sector (neutralTags), not as unrelated, and says so', () => {
    // A trade's own words (a charging-locker maker) from which no tag is inferred.
    const lockers: Company = {
      id: 'c-lockers',
      name: 'BattSafe Nordic AB',
      description: 'Låsbara skåp med fack, temperaturgivare och släckaerosol för cykelrum i bostadsrättsföreningar.',
      partnershipTypes: ['export'],
    };
    const need: PartnerNeedInput = {
      id: 'n-lockers',
      title: '电动车集中充电柜',
      organization: '官渡区出租楼',
      description: '骑手电动车电池集中充电柜，每个格子测温，电池冒烟自动灭火。',
      sectors: ['transport.electric-vehicles'],
      partnershipTypes: ['export'],
    };
    const rankedWith = (neutralTags?: number) => {
      const m = createMatcher({ companies: [...companies, lockers], needs: [need], ...(neutralTags === undefined ? {} : { options: { neutralTags } }) });
      expect(m.profile('company', 'c-lockers')!.tags).toEqual([]);
      return m.rankCompanies('n-lockers', { limit: 10 }).find((match) => match.id === 'c-lockers')!;
    };
    const neutral = rankedWith();
    expect(neutral.parts.tags).toBe(DEFAULT_NEUTRAL_TAGS);
    expect(neutral.explanation!.parts.tags.score).toBe(DEFAULT_NEUTRAL_TAGS);
    expect(neutral.explanation!.summary).toContain('tags: sector unknown (neutral)');
    const unrelated = rankedWith(0);
    expect(unrelated.parts.tags).toBe(0);
    expect(neutral.score - unrelated.score).toBeCloseTo(DEFAULT_NEUTRAL_TAGS * DEFAULT_MATCHER_OPTIONS.weights.tags, 3);
    // A need without tags (none given, none inferred from its words) moves the tag weight to
    // text: no neutral credit there.
    const untagged: PartnerNeedInput = { ...need, id: 'n-untagged', title: '带锁的柜子', description: '想买一些带锁的格子柜，放在自行车房。', sectors: [] };
    const m = createMatcher({ companies: [lockers], needs: [untagged] });
    expect(m.profile('need', 'n-untagged')!.tags).toEqual([]);
    expect(m.rankCompanies('n-untagged')[0]!.parts.tags).toBe(0);
  });

  it('never matches closed needs', () => {
    expect(matcher.rankCompanies('n-closed')).toEqual([]);
    for (const company of companies) expect(ids(matcher.rankNeeds(company.id, { limit: 50 }))).not.toContain('n-closed');
    expect(matcher.rankAll().map((r) => r.queryId)).toEqual(['n-sewage', 'n-solar']);
  });

  it('honours limit, minScore and filter', () => {
    const all = matcher.rankCompanies('n-sewage', { limit: 10 });
    expect(matcher.rankCompanies('n-sewage', { limit: 1 })).toHaveLength(1);
    const threshold = all[0]!.score;
    expect(matcher.rankCompanies('n-sewage', { minScore: threshold }).every((m) => m.score >= threshold)).toBe(true);
    const filtered = matcher.rankCompanies('n-sewage', { filter: (c) => c.id !== 'c-water' });
    expect(ids(filtered)).not.toContain('c-water');
  });

  it('throws NOT_FOUND for an unknown id and INVALID_INPUT listing every problem', () => {
    expect(() => matcher.rankCompanies('nope')).toThrowError(PartnermatchError);
    try {
      createMatcher({ companies: [{ id: 'x' }], needs: [{ id: 'n', title: 't', organization: 'o', description: 'd', sectors: ['energy.nuclear'] }] });
      expect.unreachable();
    } catch (error) {
      expect((error as PartnermatchError).code).toBe('INVALID_INPUT');
      const paths = (error as PartnermatchError).issues.map((i) => i.path);
      expect(paths).toEqual(['companies[0].name', 'companies[0].description', 'needs[0].sectors[0]']);
    }
  });

  it('adds, updates and removes without a rebuild', () => {
    const m = createMatcher({ companies, needs });
    m.add('company', { id: 'c-new', name: 'Ny Rening AB', description: 'Avloppsreningsverk och slamhantering, kväverening.' });
    expect(ids(m.rankCompanies('n-sewage'))).toContain('c-new');
    m.update('company', { id: 'c-new', name: 'Ny Café AB', description: 'Kaffe och bullar.' });
    expect(ids(m.rankCompanies('n-sewage'))).not.toContain('c-new');
    expect(m.remove('company', 'c-new')).toBe(true);
    expect(m.remove('company', 'c-new')).toBe(false);
    expect(() => m.add('company', companies[0])).toThrowError(/already exists/);
  });
});

describe('stored records', () => {
  it('share one frozen copy of each distinct tag, type and language list, and leave the caller\'s records alone', () => {
    const twin = (id: string): Company => ({
      id,
      name: `Twin ${id}`,
      description: 'Solar panels and battery storage.',
      sectors: ['energy.solar'],
      partnershipTypes: ['sourcing', 'joint-venture'],
      languages: ['sv', 'en'],
    });
    const given = [twin('c-a'), twin('c-b')];
    const matcher = createMatcher({ companies: given });
    const [a, b] = [matcher.getCompany('c-a')!, matcher.getCompany('c-b')!];
    expect(a.sectors).toBe(b.sectors);
    expect(a.partnershipTypes).toBe(b.partnershipTypes);
    expect(a.languages).toBe(b.languages);
    expect(Object.isFrozen(a.sectors)).toBe(true);
    expect(Object.isFrozen(given[0]!.sectors)).toBe(false);
    const added = matcher.add('company', twin('c-c'));
    expect(added.partnershipTypes).toBe(a.partnershipTypes);
    expect(matcher.update('company', { ...twin('c-a'), sectors: ['energy.wind'] }).sectors).toEqual(['energy.wind']);
    expect(matcher.getCompany('c-b')!.sectors).toEqual(['energy.solar']);
  });
});

describe('ranking invariants (properties over the sample fixtures)', () => {
  const base = createMatcher({ companies: sampleCompanies, needs: sampleNeeds });
  const openNeedIds = sampleNeeds.filter((n) => n.status !== 'closed').map((n) => n.id);
  const needArb = fc.constantFrom(...openNeedIds);

  it('is deterministic: the same input in another order gives the same rankings', () => {
    const shuffled = createMatcher({ companies: [...sampleCompanies].reverse(), needs: [...sampleNeeds].reverse() });
    for (const id of openNeedIds) {
      expect(shuffled.rankCompanies(id, { limit: 20 })).toEqual(base.rankCompanies(id, { limit: 20 }));
    }
  });

  it('returns matches sorted by score, ties broken by id', () => {
    for (const id of openNeedIds) {
      const matches = base.rankCompanies(id, { limit: 48, explain: false });
      for (let i = 1; i < matches.length; i += 1) {
        const [a, b] = [matches[i - 1]!, matches[i]!];
        expect(a.score > b.score || (a.score === b.score && a.id < b.id)).toBe(true);
        expect(b.rank).toBe(i + 1);
      }
    }
  });

  it('ranks after each change as a matcher built fresh with the same records, though queries are planned once', () => {
    fc.assert(
      fc.property(needArb, fc.constantFrom(...sampleCompanies), fc.constantFrom(...sampleCompanies), (needId, template, other) => {
        const m = createMatcher({ companies: sampleCompanies, needs: sampleNeeds });
        const rankBoth = (matcher: typeof m) => [matcher.rankCompanies(needId, { limit: 10, explain: true }), matcher.rankNeeds(template.id, { limit: 10, explain: true })];
        rankBoth(m);
        // A copy changes document frequencies and the average length: every factor and bound.
        const copy = { ...other, id: `${other.id}-copy` };
        m.add('company', copy);
        expect(rankBoth(m)).toEqual(rankBoth(createMatcher({ companies: [...sampleCompanies, copy], needs: sampleNeeds })));
        const updated = { ...copy, description: template.description };
        m.update('company', updated);
        expect(rankBoth(m)).toEqual(rankBoth(createMatcher({ companies: [...sampleCompanies, updated], needs: sampleNeeds })));
        m.remove('company', copy.id);
        expect(rankBoth(m)).toEqual(rankBoth(createMatcher({ companies: sampleCompanies, needs: sampleNeeds })));
      }),
      { numRuns: 10 },
    );
  });

  it('add then remove restores every result', () => {
    fc.assert(
      fc.property(needArb, fc.constantFrom(...sampleCompanies), (needId, template) => {
        const m = createMatcher({ companies: sampleCompanies, needs: sampleNeeds });
        const before = m.rankCompanies(needId, { limit: 15 });
        const beforeNeeds = m.rankNeeds(template.id, { limit: 15 });
        m.add('company', { ...template, id: `${template.id}-copy` });
        m.add('need', { ...sampleNeeds.find((n) => n.id === needId)!, id: `${needId}-copy` });
        m.remove('company', `${template.id}-copy`);
        m.remove('need', `${needId}-copy`);
        expect(m.rankCompanies(needId, { limit: 15 })).toEqual(before);
        expect(m.rankNeeds(template.id, { limit: 15 })).toEqual(beforeNeeds);
      }),
      { numRuns: 15 },
    );
  });

  it('a filter never adds a match nor changes a score', () => {
    fc.assert(
      fc.property(needArb, fc.func(fc.boolean()), (needId, keep) => {
        const all = base.rankCompanies(needId, { limit: 100, explain: false });
        const filtered = base.rankCompanies(needId, { limit: 100, explain: false, filter: (c) => keep(c.id) });
        const scores = new Map(all.map((m) => [m.id, m.score]));
        for (const match of filtered) expect(scores.get(match.id)).toBe(match.score);
        expect(filtered.length).toBeLessThanOrEqual(all.length);
      }),
      { numRuns: 40 },
    );
  });

  it('scores stay within [0, 1] and parts sum to the score', () => {
    for (const id of openNeedIds) {
      for (const match of base.rankCompanies(id, { limit: 48 })) {
        expect(match.score).toBeGreaterThan(0);
        expect(match.score).toBeLessThanOrEqual(1);
        const p = match.explanation!.parts;
        expect(p.tags.contribution + p.text.contribution + p.cooperation.contribution).toBeCloseTo(match.score, 3);
      }
    }
  });
});

describe('pruned top-k equals the exhaustive ranking', () => {
  // Variants of the sample companies, so that many records compete and the bounds prune.
  const variants: Company[] = sampleCompanies.flatMap((company, i) =>
    [0, 1, 2, 3].map((v) => ({
      ...company,
      id: `${company.id}-v${v}`,
      orgNumber: undefined,
      description: v === 0 ? company.description : `${company.description} ${sampleCompanies[(i + v) % sampleCompanies.length]!.name}`,
      ...(v === 3 ? { sectors: undefined } : {}),
      ...(v === 2 ? { partnershipTypes: undefined } : {}),
    })),
  );
  const matcher = createMatcher({ companies: variants, needs: sampleNeeds });
  const openNeedIds = sampleNeeds.filter((n) => n.status !== 'closed').map((n) => n.id);

  it('for every open need and several k, in both directions (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...openNeedIds),
        fc.integer({ min: 1, max: 25 }),
        fc.constantFrom(0, 0.2, 0.4),
        fc.option(fc.integer({ min: 2, max: 5 }), { nil: undefined }),
        (needId, k, minScore, keepEvery) => {
          // An optional filter keeps every n-th variant: pruning must not count the others.
          const filter = keepEvery === undefined ? undefined : (c: Company) => Number(c.id.slice(-1)) % keepEvery !== 0;
          // Above MAX_PRUNED_LIMIT every term is read in full: the exhaustive ranking.
          const exhaustive = matcher.rankCompanies(needId, { limit: MAX_PRUNED_LIMIT + 1, minScore, explain: false, filter });
          expect(matcher.rankCompanies(needId, { limit: k, minScore, explain: false, filter })).toEqual(
            exhaustive.slice(0, k).map((m, i) => ({ ...m, rank: i + 1 })),
          );
        },
      ),
      { numRuns: 120 },
    );
    for (const company of variants.slice(0, 40)) {
      const exhaustive = matcher.rankNeeds(company.id, { limit: MAX_PRUNED_LIMIT + 1, explain: false });
      expect(matcher.rankNeeds(company.id, { limit: 3, explain: false })).toEqual(exhaustive.slice(0, 3));
    }
  });
});

describe('a field weighted 0', () => {
  it('adds nothing and never reaches a record twice (pruned equals exhaustive)', () => {
    const company = (id: string, name: string, description: string): Company => ({ ...sampleCompanies[0]!, id, name, description, orgNumber: undefined, sectors: undefined, partnershipTypes: undefined, offerings: undefined });
    const companies = [
      company('a', 'Zyxwq AB', 'We build quorble machines for industry.'),
      company('c', 'Third AB', 'Fish and boats zyxwq.'),
      ...Array.from({ length: 20 }, (_, i) => company(`q${String(i).padStart(2, '0')}`, 'Q AB', 'We build quorble machines and fish.')),
    ];
    const need = { ...sampleNeeds[0]!, id: 'n', title: 'zyxwq quorble', description: 'Need zyxwq quorble machines', sectors: undefined };
    const matcher = createMatcher({ companies, needs: [need], options: { fieldWeights: { name: 0 } } });
    const exhaustive = matcher.rankCompanies('n', { limit: MAX_PRUNED_LIMIT + 1, explain: false });
    expect(new Set(exhaustive.map((m) => m.id)).size).toBe(exhaustive.length);
    for (const k of [1, 3, 5]) expect(matcher.rankCompanies('n', { limit: k, explain: false })).toEqual(exhaustive.slice(0, k));
  });
});

describe('ties', () => {
  it('rank equal scores by id whatever the insertion order, also when pruning', () => {
    // Identical records score identically; only their ids may order them.
    const twins = sampleCompanies.slice(0, 12).flatMap((company) =>
      ['b', 'a', 'c'].map((suffix) => ({ ...company, id: `${company.id}-${suffix}`, orgNumber: undefined })),
    );
    const forward = createMatcher({ companies: twins, needs: sampleNeeds });
    const backward = createMatcher({ companies: [...twins].reverse(), needs: sampleNeeds });
    for (const need of sampleNeeds.filter((n) => n.status !== 'closed')) {
      const full = forward.rankCompanies(need.id, { limit: twins.length, explain: false });
      for (const k of [1, 2, 4, 7]) {
        const expected = full.slice(0, k);
        expect(forward.rankCompanies(need.id, { limit: k, explain: false })).toEqual(expected);
        expect(backward.rankCompanies(need.id, { limit: k, explain: false })).toEqual(expected);
      }
      for (let i = 1; i < full.length; i += 1) {
        if (full[i]!.score === full[i - 1]!.score) expect(full[i - 1]!.id < full[i]!.id).toBe(true);
      }
    }
  });

  it('divides text by the best eligible record, so a closed need changes no score', () => {
    const base = createMatcher({ companies: sampleCompanies, needs: sampleNeeds.filter((n) => n.status !== 'closed') });
    const withClosed = createMatcher({ companies: sampleCompanies, needs: sampleNeeds });
    for (const company of sampleCompanies.slice(0, 10)) {
      expect(withClosed.rankNeeds(company.id, { explain: false }).map((m) => m.score)).toEqual(
        base.rankNeeds(company.id, { explain: false }).map((m) => m.score),
      );
    }
  });

  it('keeps insertion order in batch runs through updates', () => {
    const m = createMatcher({ companies: sampleCompanies.slice(0, 3), needs: sampleNeeds.slice(0, 3) });
    m.update('company', { ...sampleCompanies[0]!, description: `${sampleCompanies[0]!.description} Uppdaterad.` });
    m.update('need', { ...sampleNeeds[0]!, title: `${sampleNeeds[0]!.title}（更新）` });
    expect(m.rankAll({ direction: 'needs' }).map((r) => r.queryId)).toEqual(sampleCompanies.slice(0, 3).map((c) => c.id));
    expect(m.rankAll().map((r) => r.queryId)).toEqual(
      sampleNeeds.slice(0, 3).filter((n) => n.status !== 'closed').map((n) => n.id),
    );
  });
});

describe('the match shape', () => {
  it('names the need and the company whichever way was ranked; id is the ranked record', () => {
    const matcher = createMatcher({ companies: sampleCompanies, needs: sampleNeeds });
    const need = matcher.rankAll()[0]!;
    expect(need.matches.length).toBeGreaterThan(0);
    for (const match of need.matches) {
      expect(match.needId).toBe(need.queryId);
      expect(match.companyId).toBe(match.id);
      expect(matcher.getCompany(match.companyId)).toBeDefined();
    }
    const company = matcher.rankAll({ direction: 'needs' }).find((result) => result.matches.length > 0)!;
    for (const match of company.matches) {
      expect(match.companyId).toBe(company.queryId);
      expect(match.needId).toBe(match.id);
      expect(matcher.getNeed(match.needId)).toBeDefined();
    }
    // The same pair scores the same from either side.
    const pair = company.matches[0]!;
    const back = matcher.rankCompanies(pair.needId, { limit: matcher.companyCount, explain: false }).find((m) => m.companyId === pair.companyId);
    expect(back?.score).toBe(pair.score);
  });
});

describe('a lone Han character in a need', () => {
  it('is met by a company searching needs through its first sense', () => {
    const company: Company = { ...sampleCompanies[0]!, id: 'c-tin', name: 'Metallhandel Blekinge AB', description: 'Vi köper tenn från gruvor.', orgNumber: undefined, sectors: undefined, partnershipTypes: undefined, offerings: undefined };
    const need = (id: string, description: string): PartnerNeedInput => ({ ...sampleNeeds[0]!, id, title: '寻找欧洲买家', description, sectors: undefined, partnershipTypes: undefined, deadline: undefined, status: 'open' });
    const matcher = createMatcher({ companies: [company], needs: [need('n-tin', '我们生产锡，想卖到欧洲。'), need('n-car', '我们生产车，想卖到欧洲。')] });
    const [first, second] = matcher.rankNeeds('c-tin', { explain: true });
    expect(first!.needId).toBe('n-tin');
    expect(first!.explanation!.terms.map((t) => t.term)).toContain('tin');
    expect(second?.parts.text ?? 0).toBeLessThan(first!.parts.text);
  });
});
