import { describe, expect, it } from 'vitest';
import { formatIssue } from '../errors.js';
import { hasValidOrgNumberCheckDigit, idProblem } from './records.js';
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
      issues: [{ path: 'companies[1].id', message: 'duplicate id "c1" (first used by companies[0])', code: 'duplicate_id' }],
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
    expect(validateCompanies({ id: 'x' })).toEqual({ ok: false, issues: [{ path: 'companies', message: 'must be a list of records', code: 'not_a_list' }] });
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

describe('the id rule (one for every kind)', () => {
  const bad: [string, RegExp][] = [
    ['x\uD800', /lone surrogate/],
    ['\uDC00x', /lone surrogate/],
    ['a\u0000b', /control/],
    ['a\nb', /control/],
    ['a\u2028b', /control/],
    ['.', /must not be "."/],
    ['..', /must not be ".."/],
    ['a/b', /"\/"/],
    ['a\\b', /"\/"/],
    [' a', /white space/],
    ['a\t', /control|white space/],
    ['', /empty/],
    ['x'.repeat(201), /at most 200/],
  ];
  it.each(bad)('rejects %j for companies and needs, naming the record', (id, message) => {
    for (const [result, path] of [
      [validateCompanies([company(), company({ id: 'c9' }), company({ id: 'c8' }), company({ id })]), 'companies[3].id'],
      [validateNeeds([need({ id })]), 'needs[0].id'],
    ] as const) {
      expect(result.ok).toBe(false);
      if (result.ok) continue;
      const issue = result.issues.find((i) => i.path === path);
      expect(issue?.message).toMatch(message);
      expect(issue?.code).toBe('invalid_id');
    }
  });

  it('accepts ids in any script, well-formed surrogate pairs and inner spaces', () => {
    for (const id of ['s-c13', '需求-01', 'företag å', 'emoji-😀', '.hidden', 'a..b', 'x'.repeat(200)]) {
      expect(idProblem(id)).toBeUndefined();
      expect(validateCompanies([company({ id })]).ok).toBe(true);
    }
  });
});

describe('issue codes', () => {
  it('gives every issue a code: ours where we name one, zod’s otherwise', () => {
    const result = validateCompanies([
      company({ orgNumber: '556036-0794', sectors: ['energy.nuclear'], employees: 'many' }),
      company({ id: 'c0' }),
      { id: 'c2' },
      company({ id: 'c0' }),
    ]);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const codes = Object.fromEntries(result.issues.map((i) => [i.path, i.code]));
    expect(codes).toMatchObject({
      'companies[0].orgNumber': 'org_number_check_digit',
      'companies[0].sectors[0]': 'unknown_sector',
      'companies[0].employees': 'invalid_type',
      'companies[3].id': 'duplicate_id',
      'companies[2].name': 'invalid_type',
    });
    expect(validateNeeds([need({ deadline: '2026-02-30' })])).toMatchObject({ ok: false, issues: [{ code: 'invalid_date' }] });
    expect(validateNeeds({})).toMatchObject({ ok: false, issues: [{ code: 'not_a_list' }] });
  });

  it('reports at most 100 problems and says how many more there were', () => {
    const result = validateCompanies(Array.from({ length: 250 }, (_, i) => ({ id: `c${i}` })));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues).toHaveLength(101);
    // Each record misses name and description: the first 50 records give 100 problems.
    expect(result.issues.at(-1)).toEqual({
      path: 'companies',
      message: '200 more record(s) not checked (checking stops after the first 100 problems)',
      code: 'too_many_problems',
    });
    const odd = validateCompanies([company({ id: 'c0' }), ...Array.from({ length: 99 }, (_, i) => company({ id: `c${i + 1}`, name: 1, employees: 'x', sectors: ['x'] }))]);
    expect(odd.ok ? undefined : odd.issues.at(-1)?.message).toBe('2 more problem(s) not listed; 65 more record(s) not checked (checking stops after the first 100 problems)');
  });
});
