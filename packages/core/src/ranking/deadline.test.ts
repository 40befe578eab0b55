import { describe, expect, it } from 'vitest';
import { PartnermatchError } from '../errors.js';
import { createMatcher } from '../matcher.js';
import type { PartnerNeed } from '../schema/records.js';
import { isExpired, resolveAsOf } from './deadline.js';

const companies = [
  { id: 'c1', name: 'Solkraft AB', description: 'Solar panels and solar parks for municipalities.', sectors: ['energy.solar'] },
  { id: 'c2', name: 'Vind AB', description: 'Wind turbines and solar panel service.', sectors: ['energy.wind'] },
];
const needs = [
  { id: 'n-past', title: 'Solar park', organization: 'A', description: 'We need solar panels for a solar park.', deadline: '2026-03-01' },
  { id: 'n-today', title: 'Solar roofs', organization: 'B', description: 'Solar panels on school roofs.', deadline: '2026-06-01' },
  { id: 'n-none', title: 'Solar service', organization: 'C', description: 'Service of solar panel parks.' },
];

describe('deadlines', () => {
  it('a need is expired only after its deadline day', () => {
    const need = { deadline: '2026-06-01' } as PartnerNeed;
    expect(isExpired(need, '2026-06-01')).toBe(false);
    expect(isExpired(need, '2026-06-02')).toBe(true);
    expect(isExpired({} as PartnerNeed, '2999-01-01')).toBe(false);
    expect(isExpired({ deadline: '2026-06-01T23:00:00Z' } as PartnerNeed, '2026-06-01')).toBe(false);
  });

  it('asOf defaults to today in UTC and must be a real date', () => {
    expect(resolveAsOf(undefined, new Date('2026-12-02T23:30:00-05:00'))).toBe('2026-12-03');
    expect(resolveAsOf('2026-06-01T10:00:00Z')).toBe('2026-06-01');
    for (const bad of ['2026-02-30', 'tomorrow', '06/01/2026']) expect(() => resolveAsOf(bad)).toThrowError(PartnermatchError);
  });

  it('an expired need gets no matches and is not ranked, unless includeExpired', () => {
    const matcher = createMatcher({ companies, needs });
    const asOf = '2026-06-01';
    expect(matcher.rankCompanies('n-past', { asOf })).toEqual([]);
    expect(matcher.rankCompanies('n-today', { asOf }).length).toBeGreaterThan(0);
    expect(matcher.rankCompanies('n-past', { asOf, includeExpired: true }).length).toBeGreaterThan(0);
    expect(matcher.rankAll({ asOf }).map((r) => r.queryId)).toEqual(['n-today', 'n-none']);
    expect(matcher.rankAll({ asOf, includeExpired: true }).map((r) => r.queryId)).toEqual(['n-past', 'n-today', 'n-none']);
    expect(matcher.rankNeeds('c1', { asOf }).map((m) => m.needId)).not.toContain('n-past');
    expect(matcher.rankNeeds('c1', { asOf, includeExpired: true }).map((m) => m.needId)).toContain('n-past');
    // With no date given, today counts: every deadline above is past by 2027.
    if (new Date().toISOString().slice(0, 10) > '2026-06-01') {
      expect(matcher.rankAll().map((r) => r.queryId)).toEqual(['n-none']);
    }
  });

  it('leaving expired needs out changes no other match’s score', () => {
    const matcher = createMatcher({ companies, needs });
    const all = matcher.rankNeeds('c1', { includeExpired: true, explain: false });
    const open = matcher.rankNeeds('c1', { asOf: '2026-06-01', explain: false });
    const scoreOf = (id: string, list: typeof all) => list.find((m) => m.needId === id)?.score;
    for (const id of ['n-today', 'n-none']) expect(scoreOf(id, open)).toBe(scoreOf(id, all));
  });
});
