import type { ValidationIssue } from '../errors.js';
import type { Event, EventDirectory } from './schema.js';

/** The fields of a meeting a conflict check needs; a hand-moved meeting has them too. */
export interface MeetingPlacement {
  readonly slot: string;
  readonly table: number;
  readonly companyId: string;
  readonly needId: string;
  readonly organization: string;
  readonly interpreter: boolean;
}

/**
 * Every rule a programme breaks, each naming the meeting (`meetings[4].table: table 3 is
 * already taken in slot "s2" by meetings[1]`): the check behind the property tests, and
 * what a coordinator sees after moving a meeting by hand. An empty list means valid.
 */
export function findConflicts(event: Event, meetings: readonly MeetingPlacement[], directory?: EventDirectory, label = 'meetings'): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const add = (i: number, field: string, message: string) => issues.push({ path: `${label}[${i}].${field}`, message });
  const slotIds = new Set(event.slots.map((s) => s.id));
  const companies = new Map(event.companies.map((c) => [c.id, c]));
  const organizations = new Map(event.organizations.map((o) => [o.name, o]));
  const declined = new Set(event.requests.filter((r) => r.status === 'declined').map((r) => `${r.companyId}\u0000${r.needId}`));
  const forbidden = new Set(event.forbids.map((f) => `${f.companyId}\u0000${f.needId ?? ''}\u0000${f.organization ?? ''}`));
  const seen = new Map<string, number>();
  const firstAt = (key: string, i: number): number | undefined => {
    const first = seen.get(key);
    if (first === undefined) seen.set(key, i);
    return first;
  };
  const meetingsOf = new Map<string, number>();
  const interpreters = new Map<string, number>();
  meetings.forEach((m, i) => {
    if (!slotIds.has(m.slot)) add(i, 'slot', `unknown slot id ${JSON.stringify(m.slot)}`);
    if (!Number.isInteger(m.table) || m.table < 1 || m.table > event.tables) add(i, 'table', `must be a table from 1 to ${event.tables}`);
    const company = companies.get(m.companyId);
    const organization = organizations.get(m.organization);
    if (company === undefined) add(i, 'companyId', `company ${JSON.stringify(m.companyId)} is not a participant`);
    if (organization === undefined) add(i, 'organization', `organization ${JSON.stringify(m.organization)} is not a participant`);
    if (directory !== undefined) {
      const need = directory.need(m.needId);
      if (need === undefined) add(i, 'needId', `no need with id ${JSON.stringify(m.needId)}`);
      else if (need.organization !== m.organization) add(i, 'needId', `need ${JSON.stringify(m.needId)} belongs to ${JSON.stringify(need.organization)}`);
      else if (need.status !== 'open') add(i, 'needId', `need ${JSON.stringify(m.needId)} is closed`);
    }
    if (company?.unavailable.includes(m.slot)) add(i, 'slot', `company ${JSON.stringify(m.companyId)} is unavailable in slot ${JSON.stringify(m.slot)}`);
    if (organization?.unavailable.includes(m.slot)) add(i, 'slot', `organization ${JSON.stringify(m.organization)} is unavailable in slot ${JSON.stringify(m.slot)}`);
    if (declined.has(`${m.companyId}\u0000${m.needId}`)) add(i, 'needId', `the request of ${JSON.stringify(m.companyId)} about ${JSON.stringify(m.needId)} was declined`);
    if (forbidden.has(`${m.companyId}\u0000${m.needId}\u0000`) || forbidden.has(`${m.companyId}\u0000\u0000${m.organization}`)) {
      add(i, 'companyId', `a coordinator forbade ${JSON.stringify(m.companyId)} to meet ${JSON.stringify(m.organization)}${forbidden.has(`${m.companyId}\u0000${m.needId}\u0000`) ? ` about ${JSON.stringify(m.needId)}` : ''}`);
    }
    const busyCompany = firstAt(`c\u0000${m.companyId}\u0000${m.slot}`, i);
    if (busyCompany !== undefined) add(i, 'slot', `company ${JSON.stringify(m.companyId)} already meets in slot ${JSON.stringify(m.slot)} (${label}[${busyCompany}])`);
    const busyOrg = firstAt(`o\u0000${m.organization}\u0000${m.slot}`, i);
    if (busyOrg !== undefined) add(i, 'slot', `organization ${JSON.stringify(m.organization)} already meets in slot ${JSON.stringify(m.slot)} (${label}[${busyOrg}])`);
    const busyTable = firstAt(`t\u0000${m.table}\u0000${m.slot}`, i);
    if (busyTable !== undefined) add(i, 'table', `table ${m.table} is already taken in slot ${JSON.stringify(m.slot)} by ${label}[${busyTable}]`);
    const again = firstAt(`p\u0000${m.companyId}\u0000${m.needId}`, i);
    if (again !== undefined) add(i, 'needId', `${JSON.stringify(m.companyId)} already meets about ${JSON.stringify(m.needId)} (${label}[${again}])`);
    for (const key of [`c\u0000${m.companyId}`, `o\u0000${m.organization}`]) meetingsOf.set(key, (meetingsOf.get(key) ?? 0) + 1);
    if (company?.maxMeetings !== undefined && meetingsOf.get(`c\u0000${m.companyId}`)! > company.maxMeetings) {
      add(i, 'companyId', `company ${JSON.stringify(m.companyId)} has more than its ${company.maxMeetings} meetings`);
    }
    if (organization?.maxMeetings !== undefined && meetingsOf.get(`o\u0000${m.organization}`)! > organization.maxMeetings) {
      add(i, 'organization', `organization ${JSON.stringify(m.organization)} has more than its ${organization.maxMeetings} meetings`);
    }
    if (m.interpreter) {
      const used = (interpreters.get(m.slot) ?? 0) + 1;
      interpreters.set(m.slot, used);
      if (used > event.interpreters) add(i, 'interpreter', `slot ${JSON.stringify(m.slot)} needs more than its ${event.interpreters} interpreter(s)`);
    }
  });
  return issues;
}
