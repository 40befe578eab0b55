import type { Company } from '@partnermatch/core';
import { describe, expect, it } from 'vitest';
import { companyFor, recordsFor, seesContacts } from './access.js';

const company: Company = {
  id: 'c1',
  name: 'Solkraft AB',
  description: 'Solpaneler',
  contact: { name: 'Anna', email: 'anna@example.se' },
} as Company;

describe('the contact-details rule', () => {
  it('shows contact details to coordinators only', () => {
    expect(seesContacts('coordinator')).toBe(true);
    expect(seesContacts('reader')).toBe(false);
    expect(seesContacts(undefined)).toBe(false);
    expect(companyFor(company, 'coordinator').contact?.email).toBe('anna@example.se');
    expect(companyFor(company, 'reader')).not.toHaveProperty('contact');
    expect(companyFor(company, undefined)).not.toHaveProperty('contact');
    expect(company.contact).toBeDefined(); // the stored record is not changed
  });

  it('applies to every company of a list and leaves needs as they are', () => {
    expect(recordsFor('company', [company, { ...company, id: 'c2' }], 'reader').some((c) => 'contact' in c)).toBe(false);
    const need = { id: 'n1', title: 't', organization: 'o', description: 'd', status: 'open' as const };
    expect(recordsFor('need', [need], 'reader')).toEqual([need]);
  });
});
