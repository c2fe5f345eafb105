// Date helpers. The emulator compares calendar dates as `YYYY-MM-DD` strings
// in UTC, which sort the same way as the dates they name.

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** Returns today's UTC calendar date as `YYYY-MM-DD`. */
export function todayUtc(clock: Clock): string {
  return clock.now().toISOString().slice(0, 10);
}

/** Formats `date` as RFC 3339 UTC without fractional seconds, e.g. `2021-06-23T08:55:19Z`. */
export function formatTimestamp(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** Returns true when `value` is a strict `YYYY-MM-DD` string naming a real calendar date. */
export function isCalendarDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (match === null) {
    return false;
  }
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  // setUTCFullYear, unlike Date.UTC, does not map years 0 to 99 to 1900 to 1999.
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  return (
    date.getUTCFullYear() === year &&
    date.getUTCMonth() === month - 1 &&
    date.getUTCDate() === day
  );
}
