import { describe, expect, it } from 'vitest';
import { formatIssue, PartnermatchError } from '../errors.js';
import { createMatcher } from '../matcher.js';
import type { Company } from '../schema/records.js';
import { compileCompanyFilter, compileNeedFilter, validateMatchFilter } from './filter.js';

const companies: Company[] = [
  { id: 'c1', name: 'Solkraft AB', description: 'Solar panels and solar parks.', municipality: 'Karlskrona', sectors: ['energy.solar'], employees: 12, languages: ['sv', 'en'] },
  { id: 'c2', name: 'Sol och Vind AB', description: 'Solar panels and wind turbines.', municipality: 'Ronneby', sectors: ['energy.wind'], employees: 250, languages: ['sv', 'zh'] },
  { id: 'c3', name: 'Solvatten AB', description: 'Solar water heaters and solar panels.', municipality: 'Karlskrona', sectors: ['environment.water'] },
  { id: 'c4', name: 'Energi AB', description: 'Solar panel installation for farms.', sectors: ['energy'], employees: 40, languages: ['en'] },
];
const need = { id: 'n1', title: 'Solar panels', organization: 'Kunming', description: 'We want solar panels for a solar park.', status: 'open' as const };

const ids = (filter: Parameters<typeof compileCompanyFilter>[0]) => companies.filter(compileCompanyFilter(filter)).map((c) => c.id);

describe('match filters', () => {
  it('each criterion, and all of them together', () => {
    expect(ids({})).toEqual(['c1', 'c2', 'c3', 'c4']);
    expect(ids({ municipality: ['Karlskrona'] })).toEqual(['c1', 'c3']);
    // A parent includes its children; a child does not include its parent.
    expect(ids({ sector: ['energy'] })).toEqual(['c1', 'c2', 'c4']);
    expect(ids({ sector: ['energy.solar'] })).toEqual(['c1']);
    expect(ids({ minEmployees: 12, maxEmployees: 100 })).toEqual(['c1', 'c4']);
    expect(ids({ language: ['zh', 'en'] })).toEqual(['c1', 'c2', 'c4']);
    expect(ids({ municipality: ['Karlskrona', 'Ronneby'], sector: ['energy'], language: ['zh'] })).toEqual(['c2']);
  });

  it('reads inferred tags when given the matcher’s', () => {
    const matcher = createMatcher({ companies: [{ id: 'x', name: 'Solparker AB', description: 'Vi bygger solcellsparker och solpaneler.' }] });
    const tagsOf = (c: Company) => matcher.profile('company', c.id)?.tags.map((t) => t.tag);
    const inferred = matcher.profile('company', 'x')!.tags.map((t) => t.tag);
    expect(inferred.length).toBeGreaterThan(0);
    const root = inferred[0]!.split('.')[0]!;
    expect(compileCompanyFilter({ sector: [root] }, tagsOf)(matcher.getCompany('x')!)).toBe(true);
    expect(compileCompanyFilter({ sector: [root] })(matcher.getCompany('x')!)).toBe(false);
  });

  it('never changes another candidate’s score', () => {
    const matcher = createMatcher({ companies });
    const all = matcher.rankCompanies(need, { limit: 10 });
    expect(all.length).toBe(4);
    for (const filter of [{ municipality: ['Karlskrona' as const] }, { sector: ['energy'] }, { minEmployees: 20 }, { language: ['sv'] }]) {
      const kept = matcher.rankCompanies(need, { limit: 10, filter: compileCompanyFilter(filter) });
      const allowed = new Set(ids(filter));
      expect(kept).toEqual(all.filter((m) => allowed.has(m.companyId)).map((m, i) => ({ ...m, rank: i + 1 })));
    }
  });

  it('rejects a bad filter, naming the field', () => {
    const result = validateMatchFilter({ municipality: ['Lund'], sector: ['energy.nuclear'], minEmployees: 10, maxEmployees: 5, colour: 'red' });
    expect(result.ok ? [] : result.issues.map(formatIssue)).toEqual([
      'filter.municipality[0]: unknown municipality "Lund" (expected one of Karlskrona, Ronneby, Karlshamn, Sölvesborg, Olofström)',
      'filter.sector[0]: unknown sector tag "energy.nuclear"',
      'filter: unknown field(s) colour',
    ]);
    expect(validateMatchFilter({ minEmployees: 10, maxEmployees: 5 }).ok).toBe(false);
    expect(() => compileCompanyFilter({ minEmployees: -1 })).toThrowError(PartnermatchError);
    expect(() => compileNeedFilter({ municipality: ['Ronneby'] })).toThrowError(/describe companies/);
  });

  it('filters needs by sector', () => {
    const needs = [
      { ...need, id: 'a', sectors: ['energy.solar'] },
      { ...need, id: 'b', sectors: ['environment.water'] },
    ];
    expect(needs.filter(compileNeedFilter({ sector: ['energy'] })).map((n) => n.id)).toEqual(['a']);
  });
});
