import { DateTime } from 'luxon';
import { z } from 'zod';
import type { ValidationIssue, ValidationResult } from '../errors.js';
import type { PartnerNeed } from '../schema/records.js';
import { zodIssues } from '../schema/validate.js';

const id = z.string().trim().min(1, { error: 'must not be empty' }).max(200, { error: 'must be at most 200 characters' });
const count = z.number().int({ error: 'must be a whole number' }).nonnegative({ error: 'must not be negative' });
const language = z.string().regex(/^[a-z]{2}$/, { error: 'must be an ISO 639-1 code such as "zh"' });

/** An IANA zone name Intl knows, e.g. `Asia/Shanghai` or `Europe/Stockholm`. */
const timeZone = z.string().refine((zone) => DateTime.now().setZone(zone).isValid, {
  error: (issue) => `unknown time zone ${JSON.stringify(issue.input)} (expected an IANA name such as "Asia/Shanghai")`,
});

/** ISO 8601 date and time; without an offset it is read in the event's time zone. */
const dateTime = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/, {
  error: 'must be an ISO 8601 date and time such as "2027-05-12T09:00"',
});

export const eventSlotSchema = z.object({ id, start: dateTime, end: dateTime });

const participantFields = {
  /** Slot ids the participant cannot meet in. */
  unavailable: z.array(id).default([]),
  /** Most meetings in the whole event; no limit when left out. */
  maxMeetings: count.optional(),
  /** Working languages; when left out, a company's `languages` or the language of its text, an organisation's needs' text. */
  languages: z.array(language).optional(),
};

export const eventCompanySchema = z.object({ id, ...participantFields });
export const eventOrganizationSchema = z.object({
  /** A need's `organization`, exactly as written in the needs file. */
  name: id,
  ...participantFields,
  /** Only these of its open needs are meeting topics; all of them when left out. */
  needIds: z.array(id).optional(),
});

export const REQUEST_STATUSES = ['accepted', 'declined', 'pending'] as const;
export const eventRequestSchema = z.object({
  companyId: id,
  needId: id,
  status: z.enum(REQUEST_STATUSES, {
    error: (issue) => `must be "accepted", "declined" or "pending", got ${JSON.stringify(issue.input)}`,
  }),
  /** Who asked; informational. */
  from: z.enum(['company', 'organization']).optional(),
});

/** A pair the coordinator wants to meet, optionally in a given slot. */
export const eventPinSchema = z.object({ companyId: id, needId: id, slot: id.optional() });
/** A pair the coordinator rules out: one need, or every need of an organisation. */
export const eventForbidSchema = z
  .object({ companyId: id, needId: id.optional(), organization: id.optional() })
  .refine((f) => (f.needId === undefined) !== (f.organization === undefined), {
    error: 'name exactly one of needId or organization',
  });

const eventObject = z.object({
  id,
  name: z.string().trim().min(1, { error: 'must not be empty' }).max(300, { error: 'must be at most 300 characters' }),
  place: z.string().trim().min(1).max(300).optional(),
  timeZone: timeZone.default('UTC'),
  slots: z.array(eventSlotSchema),
  /** Tables available in every slot. */
  tables: count,
  /** Interpreters available in every slot; a meeting without a shared language takes one. */
  interpreters: count.default(0),
  companies: z.array(eventCompanySchema),
  organizations: z.array(eventOrganizationSchema),
  requests: z.array(eventRequestSchema).default([]),
  pins: z.array(eventPinSchema).default([]),
  forbids: z.array(eventForbidSchema).default([]),
});

/** Milliseconds since the epoch of a slot time read in `zone`; NaN when it names no real time. */
export function slotInstant(value: string, zone: string): number {
  const parsed = DateTime.fromISO(value, { zone });
  return parsed.isValid ? parsed.toMillis() : Number.NaN;
}

/**
 * The event as the CLI contract's E.json writes it, extended with place, time zone,
 * languages, organisation need lists, pins and forbids. The checks that need only the
 * event itself (slot times, overlaps, duplicate ids, slot references) are here; ids of
 * companies and needs are checked against the data by {@link validateEvent}.
 */
export const eventSchema = eventObject.superRefine((event, ctx) => {
  const issue = (path: PropertyKey[], message: string) => ctx.addIssue({ code: 'custom', path, message, input: undefined });
  const slotIndex = new Map<string, number>();
  const times: { index: number; start: number; end: number }[] = [];
  // zod runs this refinement even when a field failed; times mean nothing without a zone.
  const zoneKnown = DateTime.now().setZone(event.timeZone).isValid;
  event.slots.forEach((slot, i) => {
    const first = slotIndex.get(slot.id);
    if (first !== undefined) issue(['slots', i, 'id'], `duplicate slot id ${JSON.stringify(slot.id)} (first used by slots[${first}])`);
    else slotIndex.set(slot.id, i);
    if (!zoneKnown) return;
    const start = slotInstant(slot.start, event.timeZone);
    const end = slotInstant(slot.end, event.timeZone);
    if (Number.isNaN(start)) issue(['slots', i, 'start'], `${JSON.stringify(slot.start)} is not a real date and time`);
    if (Number.isNaN(end)) issue(['slots', i, 'end'], `${JSON.stringify(slot.end)} is not a real date and time`);
    if (Number.isNaN(start) || Number.isNaN(end)) return;
    if (end <= start) issue(['slots', i, 'end'], `must be after the slot's start (${slot.start}), got ${slot.end}`);
    else times.push({ index: i, start, end });
  });
  times.sort((a, b) => a.start - b.start || a.index - b.index);
  for (let j = 1; j < times.length; j += 1) {
    const before = times[j - 1]!;
    const slot = times[j]!;
    if (slot.start < before.end) {
      const later = Math.max(before.index, slot.index);
      const other = Math.min(before.index, slot.index);
      issue(['slots', later, 'start'], `overlaps slot ${JSON.stringify(event.slots[other]!.id)} (slots[${other}])`);
    }
  }
  const checkSlots = (ids: readonly string[], path: PropertyKey[]) =>
    ids.forEach((slotId, j) => {
      if (!slotIndex.has(slotId)) issue([...path, j], `unknown slot id ${JSON.stringify(slotId)}`);
    });
  const companyIndex = new Map<string, number>();
  event.companies.forEach((company, i) => {
    const first = companyIndex.get(company.id);
    if (first !== undefined) issue(['companies', i, 'id'], `duplicate company ${JSON.stringify(company.id)} (first listed as companies[${first}])`);
    else companyIndex.set(company.id, i);
    checkSlots(company.unavailable, ['companies', i, 'unavailable']);
  });
  const organizationIndex = new Map<string, number>();
  event.organizations.forEach((organization, i) => {
    const first = organizationIndex.get(organization.name);
    if (first !== undefined) issue(['organizations', i, 'name'], `duplicate organization ${JSON.stringify(organization.name)} (first listed as organizations[${first}])`);
    else organizationIndex.set(organization.name, i);
    checkSlots(organization.unavailable, ['organizations', i, 'unavailable']);
  });
  const pinnedSlots = new Map<string, number>();
  event.pins.forEach((pin, i) => {
    if (pin.slot === undefined) return;
    if (!slotIndex.has(pin.slot)) {
      issue(['pins', i, 'slot'], `unknown slot id ${JSON.stringify(pin.slot)}`);
      return;
    }
    const key = `${pin.companyId}\u0000${pin.slot}`;
    const first = pinnedSlots.get(key);
    if (first !== undefined) issue(['pins', i, 'slot'], `company ${JSON.stringify(pin.companyId)} is already pinned to slot ${JSON.stringify(pin.slot)} by pins[${first}]`);
    else pinnedSlots.set(key, i);
    if (event.companies[companyIndex.get(pin.companyId) ?? -1]?.unavailable.includes(pin.slot)) {
      issue(['pins', i, 'slot'], `company ${JSON.stringify(pin.companyId)} is unavailable in slot ${JSON.stringify(pin.slot)}`);
    }
  });
});

export type EventInput = z.input<typeof eventSchema>;
export type Event = z.output<typeof eventSchema>;
export type EventSlot = Event['slots'][number];
export type EventCompany = Event['companies'][number];
export type EventOrganization = Event['organizations'][number];
export type EventRequest = Event['requests'][number];
export type EventPin = Event['pins'][number];
export type EventForbid = Event['forbids'][number];

/** What an event's ids are checked against: the companies and needs it is scheduled over. */
export interface EventDirectory {
  hasCompany(id: string): boolean;
  need(id: string): PartnerNeed | undefined;
  /** Open needs of an organisation, in a fixed order. */
  openNeedsOf(organization: string): readonly PartnerNeed[];
  /** Whether any need (open or closed) names this organisation. */
  hasOrganization(organization: string): boolean;
}

/** A directory over plain record lists, as the CLI reads them. */
export function eventDirectory(records: { companies: readonly { id: string }[]; needs: readonly PartnerNeed[] }): EventDirectory {
  const companies = new Set(records.companies.map((c) => c.id));
  const needs = new Map(records.needs.map((n) => [n.id, n]));
  const byOrganization = new Map<string, PartnerNeed[]>();
  const organizations = new Set<string>();
  for (const need of records.needs) {
    organizations.add(need.organization);
    if (need.status === 'open') {
      const list = byOrganization.get(need.organization) ?? [];
      list.push(need);
      byOrganization.set(need.organization, list);
    }
  }
  return {
    hasCompany: (companyId) => companies.has(companyId),
    need: (needId) => needs.get(needId),
    openNeedsOf: (organization) => byOrganization.get(organization) ?? [],
    hasOrganization: (organization) => organizations.has(organization),
  };
}

function crossReferenceIssues(event: Event, directory: EventDirectory, label: string): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const add = (path: string, message: string) => issues.push({ path: `${label}.${path}`, message });
  const companies = new Set(event.companies.map((c) => c.id));
  const organizations = new Set(event.organizations.map((o) => o.name));
  event.companies.forEach((company, i) => {
    if (!directory.hasCompany(company.id)) add(`companies[${i}].id`, `no company with id ${JSON.stringify(company.id)}`);
  });
  event.organizations.forEach((organization, i) => {
    if (!directory.hasOrganization(organization.name)) {
      add(`organizations[${i}].name`, `no need names the organization ${JSON.stringify(organization.name)}`);
      return;
    }
    organization.needIds?.forEach((needId, j) => {
      const need = directory.need(needId);
      if (need === undefined) add(`organizations[${i}].needIds[${j}]`, `no need with id ${JSON.stringify(needId)}`);
      else if (need.organization !== organization.name) add(`organizations[${i}].needIds[${j}]`, `need ${JSON.stringify(needId)} belongs to ${JSON.stringify(need.organization)}`);
    });
  });
  const pair = (kind: string, i: number, companyId: string, needId: string, requireOpen: boolean) => {
    if (!companies.has(companyId)) add(`${kind}[${i}].companyId`, `company ${JSON.stringify(companyId)} is not a participant of the event`);
    const need = directory.need(needId);
    if (need === undefined) add(`${kind}[${i}].needId`, `no need with id ${JSON.stringify(needId)}`);
    else if (!organizations.has(need.organization)) add(`${kind}[${i}].needId`, `the need's organization ${JSON.stringify(need.organization)} is not a participant of the event`);
    else if (requireOpen && need.status !== 'open') add(`${kind}[${i}].needId`, `need ${JSON.stringify(needId)} is closed`);
  };
  event.requests.forEach((request, i) => pair('requests', i, request.companyId, request.needId, false));
  event.pins.forEach((pin, i) => {
    pair('pins', i, pin.companyId, pin.needId, true);
    const declined = event.requests.findIndex((r) => r.status === 'declined' && r.companyId === pin.companyId && r.needId === pin.needId);
    if (declined !== -1) add(`pins[${i}]`, `the pair was declined (requests[${declined}]); remove the pin or the declined request`);
    const organization = directory.need(pin.needId)?.organization;
    const forbid = event.forbids.findIndex((f) => f.companyId === pin.companyId && (f.needId === pin.needId || (f.organization !== undefined && f.organization === organization)));
    if (forbid !== -1) add(`pins[${i}]`, `the pair is forbidden by forbids[${forbid}]`);
  });
  event.forbids.forEach((forbid, i) => {
    if (!companies.has(forbid.companyId)) add(`forbids[${i}].companyId`, `company ${JSON.stringify(forbid.companyId)} is not a participant of the event`);
    if (forbid.needId !== undefined && directory.need(forbid.needId) === undefined) add(`forbids[${i}].needId`, `no need with id ${JSON.stringify(forbid.needId)}`);
    if (forbid.organization !== undefined && !organizations.has(forbid.organization)) {
      add(`forbids[${i}].organization`, `organization ${JSON.stringify(forbid.organization)} is not a participant of the event`);
    }
  });
  return issues;
}

/**
 * Validates an event: every problem, each naming its field (`event.slots[2].end: …`).
 * With a directory, company ids, need ids and organisations are checked against the data too.
 */
export function validateEvent(input: unknown, directory?: EventDirectory, label = 'event'): ValidationResult<Event> {
  const parsed = eventSchema.safeParse(input, { reportInput: true });
  if (!parsed.success) return { ok: false, issues: zodIssues(label, parsed.error.issues) };
  if (directory === undefined) return { ok: true, value: parsed.data };
  const issues = crossReferenceIssues(parsed.data, directory, label);
  return issues.length > 0 ? { ok: false, issues } : { ok: true, value: parsed.data };
}
