// Calendar dates in the form YYYY-MM-DD, the way DigiCert ONE stores a
// service user's end date: a UTC day with no time and no time zone.

import type { AttributePath, CtyValue, Diagnostic } from "../framework/types";
import { invalidValue, quote } from "./diagnostics";

const CALENDAR_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

const MONTH_NAMES = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];

/** Returns the UTC calendar day of `instant` as YYYY-MM-DD. */
export function utcDay(instant: Date): string {
  return instant.toISOString().slice(0, 10);
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Returns the number of days in a month of the Gregorian calendar; `month` counts from 1. */
export function daysInMonth(year: number, month: number): number {
  // Computed rather than taken from Date.UTC, which maps years 0 to 99 to
  // 1900 to 1999.
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1];
}

/**
 * Returns why `value` is not a valid YYYY-MM-DD calendar date, or undefined
 * when it is one. Each reason is a clause that follows the value.
 */
export function calendarDateProblem(value: string): string | undefined {
  const match = CALENDAR_DATE.exec(value);
  if (!match) {
    if (/^\d{4}-\d{2}-\d{2}[T ]/.test(value)) {
      return "has a time or time zone after the day";
    }
    return "is not in the form YYYY-MM-DD";
  }
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (month < 1 || month > 12) {
    return `has month ${match[2]}, but months run from 01 to 12`;
  }
  const lastDay = daysInMonth(year, month);
  if (day < 1 || day > lastDay) {
    return `is not a calendar date: ${MONTH_NAMES[month - 1]} ${year} has days 01 to ${lastDay}`;
  }
  return undefined;
}

export interface CalendarDateOptions {
  /** The attribute's name for messages, such as "expiration_date". */
  attributeName: string;
  /** Today's UTC day as YYYY-MM-DD; when set, earlier dates are rejected. */
  notBefore?: string;
}

/** Validates a YYYY-MM-DD attribute such as `expiration_date`. */
export function validateCalendarDate(
  value: CtyValue,
  path: AttributePath,
  options: CalendarDateOptions,
): Diagnostic[] {
  if (typeof value !== "string") return [];
  const name = options.attributeName;

  const problem = calendarDateProblem(value);
  if (problem !== undefined) {
    return [
      invalidValue({
        path,
        summary: `Invalid ${name}`,
        problem: `The ${name} ${quote(value)} ${problem}.`,
        allowed:
          "It must be a UTC calendar day in the form YYYY-MM-DD, such as 2030-06-30, with no time or time zone.",
      }),
    ];
  }

  // YYYY-MM-DD strings compare in calendar order.
  if (options.notBefore !== undefined && value < options.notBefore) {
    return [
      invalidValue({
        path,
        summary: `Invalid ${name}`,
        problem: `The ${name} ${quote(value)} is in the past: today is ${options.notBefore} in UTC.`,
        allowed: `It must be today or a later day.`,
        fix: `Set a later date, or remove ${name} for no expiry.`,
      }),
    ];
  }
  return [];
}
