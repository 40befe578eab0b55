import { describe, expect, it } from 'vitest';
import { formatIssue } from '../errors.js';
import { hasValidOrgNumberCheckDigit } from './records.js';
import { validateCompanies, validateNeeds } from './validate.js';

const company = (overrides: Record<string, unknown> = {}) => ({
  id: 'c1',
  name: 'Karlskrona Vatten AB',
  description: 'Vi bygger avloppsreningsverk.',
  ...overrides,
});
const need = (overrides: Record<string, unknown> = {}) => ({
  id: 'n1',
  title: '污水处理厂提标改造',
  organization: '昆明市排水公司',
  description: '寻求污水处理技术合作。',
  ...overrides,
});

describe('orgNumber check digit', () => {
  it('accepts numbers whose Luhn digit matches and rejects a changed digit', () => {
    expect(hasValidOrgNumberCheckDigit('556036-0793')).toBe(true);
    expect(hasValidOrgNumberCheckDigit('556036-0794')).toBe(false);
  });
});

describe('validateCompanies', () => {
  it('reports every problem with its record and field', () => {
    const result = validateCompanies([
      company(),
      company({ id: 'c2', orgNumber: '556036-0794', sectors: ['energy.solar', 'energy.nuclear'] }),
      company({ id: 'c3', partnershipTypes: ['export', 'barter'], municipality: 'Malmö', employees: -3 }),
      { id: 'c4' },
    ]);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const lines = result.issues.map(formatIssue);
    expect(lines).toContain('companies[1].orgNumber: check digit does not match');
    expect(lines).toContain('companies[1].sectors[1]: unknown sector tag "energy.nuclear"');
    expect(lines.some((l) => l.startsWith('companies[2].partnershipTypes[1]: unknown partnership type "barter"'))).toBe(true);
    expect(lines.some((l) => l.startsWith('companies[2].municipality: unknown municipality "Malmö"'))).toBe(true);
    expect(lines).toContain('companies[2].employees: must not be negative');
    expect(lines).toContain('companies[3].name: is required');
    expect(lines).toContain('companies[3].description: is required');
  });

  it('rejects duplicate ids, naming the first use', () => {
    const result = validateCompanies([company(), company({ name: 'Other' })]);
    expect(result).toEqual({
      ok: false,
      issues: [{ path: 'companies[1].id', message: 'duplicate id "c1" (first used by companies[0])' }],
    });
  });

  it('rejects a malformed orgNumber and a non-list input', () => {
    const malformed = validateCompanies([company({ orgNumber: '5560360793' }), company({ id: 'c2', orgNumber: 'abc' })]);
    expect(malformed.ok ? [] : malformed.issues.map(formatIssue)).toEqual([
      'companies[0].orgNumber: must be NNNNNN-NNNN',
      'companies[1].orgNumber: must be NNNNNN-NNNN',
    ]);
    const website = validateCompanies([company({ website: 'javascript:alert(1)' })]);
    expect(website.ok ? [] : website.issues.map(formatIssue)).toEqual(['companies[0].website: must be an http(s) URL']);
    expect(validateCompanies([company({ website: 'https://www.example.se/' })]).ok).toBe(true);
    expect(validateCompanies({ id: 'x' })).toEqual({ ok: false, issues: [{ path: 'companies', message: 'must be a list of records' }] });
  });
});

describe('validateNeeds', () => {
  it('defaults status to open and keeps closed needs', () => {
    const result = validateNeeds([need(), need({ id: 'n2', status: 'closed' })]);
    expect(result.ok && result.value.map((n) => n.status)).toEqual(['open', 'closed']);
    expect(validateNeeds([need({ deadline: '2024-02-30' })]).ok).toBe(false);
    expect(validateNeeds([need({ deadline: '2024-02-29' }), need({ id: 'n2', deadline: '2027-03-31T12:00:00Z' })]).ok).toBe(true);
  });

  it('names the need and field of each problem', () => {
    const result = validateNeeds([need(), need({ id: 'n2' }), need({ id: 'n3', sectors: ['energy.nuclear'], status: 'paused', deadline: 'soon' })]);
    expect(result.ok ? [] : result.issues.map(formatIssue)).toEqual([
      'needs[2].sectors[0]: unknown sector tag "energy.nuclear"',
      'needs[2].status: must be "open" or "closed", got "paused"',
      'needs[2].deadline: must be an ISO 8601 date',
    ]);
  });
});
