import { describe, expect, it } from 'vitest';
import { companySchema, contactSchema, partnerNeedSchema } from '@partnermatch/core';
import { fieldErrors, FIELDS, formRecord, formValues, recordValues } from './forms.js';
import { messages } from './i18n.js';

const t = messages('en');

describe('record forms', () => {
  it('turns form text into a record: blanks left out, lines and codes as lists, contact nested', () => {
    const values = formValues('company', {
      id: 'c-1',
      name: ' Solkraft AB ',
      description: 'Solceller',
      offerings: 'Solparker\r\n\r\n  Batterilager ',
      languages: 'sv, en;zh',
      employees: '12',
      website: '',
      sectors: ['energy.solar', 'energy.storage'],
      partnershipTypes: 'export',
      'contact.email': 'a@b.se',
      'contact.phone': '',
      unrelated: 'ignored',
    });
    expect(formRecord('company', values, { taken: () => false })).toEqual({
      id: 'c-1',
      name: 'Solkraft AB',
      description: 'Solceller',
      offerings: ['Solparker', 'Batterilager'],
      languages: ['sv', 'en', 'zh'],
      employees: 12,
      sectors: ['energy.solar', 'energy.storage'],
      partnershipTypes: ['export'],
      contact: { email: 'a@b.se' },
    });
  });

  it('passes a number that does not parse on as text, for the validation to name', () => {
    const record = formRecord('company', formValues('company', { employees: '12 st' }), { taken: () => false });
    expect(record['employees']).toBe('12 st');
  });

  it('makes an id that is not taken when the create form leaves it blank, and keeps the edited one', () => {
    const taken = new Set<string>();
    const made = formRecord('need', formValues('need', { id: '  ' }), { taken: (id) => taken.has(id) })['id'];
    expect(made).toMatch(/^n-[0-9a-f]{8}$/);
    expect(formRecord('need', formValues('need', { id: 'other' }), { id: 's-n01', taken: () => true })['id']).toBe('s-n01');
  });

  it('shows a stored record in the form it was saved from', () => {
    const company = {
      id: 'c-1',
      name: 'A',
      description: 'B',
      offerings: ['x', 'y'],
      languages: ['sv', 'en'],
      employees: 3,
      sectors: ['energy'],
      contact: { name: 'N' },
    };
    const values = recordValues('company', company);
    expect(values).toMatchObject({ offerings: 'x\ny', languages: 'sv, en', employees: '3', sectors: ['energy'], 'contact.name': 'N', website: '' });
    expect(formRecord('company', values, { id: 'c-1', taken: () => true })).toEqual(company);
  });

  it('puts each validation issue beside its field, in the interface language', () => {
    const issues = [
      { path: 'body.sectors[0]', message: 'unknown sector tag "x"' },
      { path: 'body.sectors[1]', message: 'unknown sector tag "y"' },
      { path: 'body.contact.email', message: 'must be an e-mail address' },
      { path: 'body.title', message: 'is required' },
      { path: 'body', message: 'something about the whole record' },
    ];
    expect(fieldErrors(t, issues)).toEqual({
      sectors: ['Unknown sector.'],
      'contact.email': ['Enter an e-mail address.'],
      title: ['Required.'],
      '': ['something about the whole record'],
    });
    expect(fieldErrors(messages('zh'), issues)['title']).toEqual(['必填。']);
  });
});

describe('the form fields', () => {
  it('are the fields of the core record schemas, no more and no fewer', () => {
    const fieldsOf = (shape: Record<string, unknown>): string[] =>
      Object.keys(shape).flatMap((name) => (name === 'contact' ? Object.keys(contactSchema.shape).map((sub) => `contact.${sub}`) : [name]));
    expect(FIELDS.company.map((f) => f.name).sort()).toEqual(fieldsOf(companySchema.shape).sort());
    expect(FIELDS.need.map((f) => f.name).sort()).toEqual(fieldsOf(partnerNeedSchema.shape).sort());
  });
});
