import { PartnermatchError } from '@partnermatch/core';
import { dateSchema } from './stages.js';

/** Days within which a need's deadline is shown as "expires soon". */
export const EXPIRES_SOON_DAYS = 14;

const DAY_MS = 86_400_000;

/** Today's date (UTC) as `YYYY-MM-DD`. */
export function today(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}

/**
 * An `asOf` value checked: a real `YYYY-MM-DD` date, or today when none is given. A bad one
 * is an INVALID_INPUT error naming `field`.
 */
export function parseAsOf(value: string | undefined, field = 'asOf', now: Date = new Date()): string {
  if (value === undefined) return today(now);
  const parsed = dateSchema.safeParse(value);
  if (!parsed.success) {
    const message = parsed.error.issues[0]?.message ?? 'must be a date (YYYY-MM-DD)';
    throw new PartnermatchError('INVALID_INPUT', `${field}: ${message}`, { issues: [{ path: field, message }] });
  }
  return parsed.data;
}

/** Whole days from `from` to `to` (both `YYYY-MM-DD`); negative when `to` is earlier. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

/** `YYYY-MM-DD` plus `days`. */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/**
 * The date part of a deadline. FORMAT.md allows any ISO 8601 date, so a full timestamp
 * (`2026-12-31T12:00:00Z`) counts by its calendar day; an unreadable one counts as none.
 */
export function deadlineDate(deadline: string | undefined): string | undefined {
  if (deadline === undefined) return undefined;
  const day = deadline.slice(0, 10);
  return dateSchema.safeParse(day).success ? day : undefined;
}

/** A need is expired once `asOf` is past its deadline; the deadline day itself still counts. */
export function isExpired(need: { readonly deadline?: string | undefined }, asOf: string): boolean {
  const day = deadlineDate(need.deadline);
  return day !== undefined && day < asOf;
}

/** A need that is not expired and whose deadline falls within `days` days of `asOf`. */
export function expiresWithin(need: { readonly deadline?: string | undefined }, asOf: string, days = EXPIRES_SOON_DAYS): boolean {
  const day = deadlineDate(need.deadline);
  return day !== undefined && day >= asOf && daysBetween(asOf, day) <= days;
}
