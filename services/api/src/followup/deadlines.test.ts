import { PartnermatchError } from '@partnermatch/core';
import { describe, expect, it } from 'vitest';
import { addDays, daysBetween, expiresWithin, isExpired, parseAsOf } from './deadlines.js';

describe('deadlines', () => {
  it('counts the deadline day itself as open and the day after as expired', () => {
    expect(isExpired({ deadline: '2026-03-10' }, '2026-03-10')).toBe(false);
    expect(isExpired({ deadline: '2026-03-10' }, '2026-03-11')).toBe(true);
    expect(isExpired({ deadline: '2026-03-10T23:00:00+08:00' }, '2026-03-11')).toBe(true);
    expect(isExpired({}, '2999-01-01')).toBe(false);
  });

  it('says a need expires within 14 days only while it is not yet expired', () => {
    expect(expiresWithin({ deadline: '2026-03-15' }, '2026-03-01')).toBe(true);
    expect(expiresWithin({ deadline: '2026-03-16' }, '2026-03-01')).toBe(false);
    expect(expiresWithin({ deadline: '2026-02-28' }, '2026-03-01')).toBe(false);
  });

  it('does date arithmetic across months and leap days', () => {
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(daysBetween('2026-12-25', '2027-01-04')).toBe(10);
  });

  it('takes asOf as a real date, today when not given, and names the field otherwise', () => {
    expect(parseAsOf(undefined, 'asOf', new Date('2026-05-06T23:59:00Z'))).toBe('2026-05-06');
    expect(parseAsOf('2026-01-31')).toBe('2026-01-31');
    try {
      parseAsOf('31/01/2026', 'query.asOf');
      expect.unreachable();
    } catch (error) {
      expect((error as PartnermatchError).issues).toEqual([{ path: 'query.asOf', message: 'must be a date (YYYY-MM-DD), not "31/01/2026"' }]);
    }
  });
});
