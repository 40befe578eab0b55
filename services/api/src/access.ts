import type { Company } from '@partnermatch/core';
import type { Role } from './auth.js';
import type { RecordKind, RecordOf } from './store.js';

/**
 * The one rule for personal data: a company's `contact` is shown to coordinators only; readers
 * (and anyone without a role) never see it. JSON answers, CSV exports and the web pages all
 * ask here, so the rule cannot differ between them.
 */
export function seesContacts(role: Role | undefined): boolean {
  return role === 'coordinator';
}

/** A company as a caller with `role` may see it. */
export function companyFor(company: Company, role: Role | undefined): Company {
  if (seesContacts(role) || company.contact === undefined) return company;
  const { contact: _contact, ...rest } = company;
  return rest;
}

/** A record of any kind as a caller with `role` may see it (needs hold no personal data). */
export function recordFor<K extends RecordKind>(kind: K, record: RecordOf[K], role: Role | undefined): RecordOf[K] {
  return kind === 'company' ? (companyFor(record as Company, role) as RecordOf[K]) : record;
}

/** Records as a caller with `role` may see them. */
export function recordsFor<K extends RecordKind>(kind: K, records: readonly RecordOf[K][], role: Role | undefined): RecordOf[K][] {
  return records.map((record) => recordFor(kind, record, role));
}
