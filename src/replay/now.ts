import { MalformedScenarioError } from '../errors';
import { quote } from '../quote';

/** What `now` must look like, for error messages. */
export const NOW_EXPECTED = 'an RFC 3339 date-time with a zone (Z or ±hh:mm), e.g. "2026-01-01T00:00:00Z"';

/**
 * The scenario clock: whole epoch seconds of an RFC 3339 date-time with a zone (`Z`/`z` or ±hh:mm; `T`
 * or `t`). Fractions are dropped from the written time (so a time before 1970 goes to the earlier
 * second). A leap second (`:60`) is accepted where RFC 3339 allows it (23:59 UTC) and counts as the next
 * minute's first second, as POSIX time does. Throws MalformedScenarioError at `now` otherwise.
 */
export function parseNow(now: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/.exec(now);
  const fail = (): never => {
    throw new MalformedScenarioError('now', `${quote(now)} is not ${NOW_EXPECTED}`);
  };
  if (!match) return fail();
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const sign = match[8] === '-' ? -1 : 1;
  const offsetHours = match[7] ? 0 : Number(match[9]);
  const offsetMinutes = match[7] ? 0 : Number(match[10]);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return fail();
  if (hour > 23 || minute > 59 || second > 60 || offsetHours > 23 || offsetMinutes > 59) return fail();
  const offset = sign * (offsetHours * 3600 + offsetMinutes * 60);
  const local = daysFromCivil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second;
  const utc = local - offset;
  if (second === 60 && ((utc - 1) % 86400 + 86400) % 86400 !== 86399) return fail();
  return utc;
}

// Calendar arithmetic (proleptic Gregorian, years 0000-9999 as RFC 3339 allows)

function isLeapYear(year: number): boolean {
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}

function daysInMonth(year: number, month: number): number {
  return month === 2 ? (isLeapYear(year) ? 29 : 28) : [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] as number;
}

/** Days from 1970-01-01 to year-month-day (H. Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}
