import { getVtimezoneComponent } from '@touch4it/ical-timezones';
import { ICalCalendar } from 'ical-generator';
import { DateTime } from 'luxon';
import type { Agenda } from './agenda.js';

export interface CalendarOptions {
  /** DTSTAMP of every event; defaults to now. Fix it for byte-identical files. */
  readonly stamp?: Date;
}

/**
 * A participant's agenda as an iCalendar file (RFC 5545), written by ical-generator: one
 * VEVENT per meeting in the event's time zone (with its VTIMEZONE), localised summary and
 * description, the table in LOCATION, and a UID stable across reschedules of the same pair.
 */
export function agendaCalendar(agenda: Agenda, options: CalendarOptions = {}): string {
  const labels = agenda.labels;
  const colon = agenda.language === 'zh' ? '：' : ': ';
  const calendar = new ICalCalendar({
    name: `${agenda.eventName} — ${agenda.participant.name}`,
    prodId: { company: 'partnermatch', product: 'partnermatch-events', language: agenda.language.toUpperCase() },
  });
  const zoned = agenda.timeZone !== 'UTC';
  if (zoned) calendar.timezone({ name: agenda.timeZone, generator: getVtimezoneComponent });
  const at = (iso: string) => (zoned ? DateTime.fromISO(iso, { zone: 'utc' }).setZone(agenda.timeZone) : new Date(iso));
  for (const meeting of agenda.meetings) {
    const lines = [
      `${labels.about}${colon}${meeting.need.title} (${meeting.need.id})`,
      ...(meeting.explanation === '' ? [] : [`${labels.why}${colon}${meeting.explanation}`]),
      `${labels.score}${colon}${meeting.score.toFixed(2)}`,
      ...(meeting.interpreter ? [labels.interpreterNote] : []),
    ];
    const companyId = agenda.participant.kind === 'company' ? agenda.participant.id : meeting.counterpart.id;
    calendar.createEvent({
      id: `${agenda.eventId}/${companyId}/${meeting.need.id}@partnermatch`,
      start: at(meeting.startUtc),
      end: at(meeting.endUtc),
      ...(zoned ? { timezone: agenda.timeZone } : {}),
      stamp: options.stamp ?? new Date(),
      summary: `${labels.meeting}${colon}${meeting.counterpart.name}${meeting.interpreter ? ` (${labels.interpreter})` : ''}`,
      description: lines.join('\n'),
      location: `${agenda.place === undefined ? '' : `${agenda.place}, `}${labels.table} ${meeting.table}`,
    });
  }
  return calendar.toString();
}
