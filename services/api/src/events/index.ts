import type { Catalog } from '../catalog.js';
import { Events } from './events.js';

export {
  Events,
  DEFAULT_SCHEDULE_TIME_LIMIT,
  MAX_SCHEDULE_TIME_LIMIT,
  type ParticipantKind,
  type ScheduleMode,
  type ScheduleRequest,
  type ScheduleJob,
  type MoveOutcome,
  type MeetingMove,
  type ProgrammeView,
} from './events.js';
export { EventStore, migrate, type EventSummary, type StoredProgramme, type ProgrammeSource } from './store.js';

const byCatalog = new WeakMap<Catalog, Events>();

/**
 * The events of a catalog's database: one {@link Events} (and one schedule queue) per
 * catalog, shared by the API routes and the web pages, made on first use.
 */
export function eventsOf(catalog: Catalog, options: { readonly onError?: (error: unknown) => void } = {}): Events {
  let events = byCatalog.get(catalog);
  if (events === undefined) {
    events = new Events(catalog.records, options);
    byCatalog.set(catalog, events);
  }
  return events;
}

/** Stops a catalog's queued and running schedule jobs and waits for them (at shutdown, before the store closes). */
export async function stopEvents(catalog: Catalog): Promise<void> {
  await byCatalog.get(catalog)?.stop();
}
