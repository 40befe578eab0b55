import { PartnermatchError } from '../errors.js';
import type { PartnerNeed } from '../schema/records.js';

const DATE = /^(\d{4})-(\d{2})-(\d{2})/;

/**
 * The day deadlines are judged against, `YYYY-MM-DD`: `asOf` (an ISO 8601 date or
 * date-time; its date part counts) or today in UTC. Throws INVALID_OPTIONS for anything else.
 */
export function resolveAsOf(asOf: string | undefined, now: Date = new Date()): string {
  if (asOf === undefined) return now.toISOString().slice(0, 10);
  const match = DATE.exec(asOf);
  const day = match === null ? Number.NaN : Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  if (match === null || Number.isNaN(day) || new Date(day).toISOString().slice(0, 10) !== match[0]) {
    throw new PartnermatchError('INVALID_OPTIONS', `asOf must be an ISO 8601 date (YYYY-MM-DD), got ${JSON.stringify(asOf)}`);
  }
  return match[0];
}

/** True when the need's deadline is a day before `asOf` (a need is still open on its deadline day). */
export function isExpired(need: PartnerNeed, asOf: string): boolean {
  return need.deadline !== undefined && need.deadline.slice(0, 10) < asOf;
}
