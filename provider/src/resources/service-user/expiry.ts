// Plan-time warnings about a service user that expires soon or has expired.

import {
  isUnknown,
  path,
  type Diagnostic,
  type ObjectValue,
} from "../../framework/types";
import { quote, warningDiagnostic } from "../../validation/diagnostics";

const DAY_MS = 86_400_000;

/** Returns the number of days from the UTC day `from` to `to`, both YYYY-MM-DD. */
function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

/**
 * Returns a warning on expiration_date when the planned service user has
 * expired or expires within `windowDays` days of `today` (YYYY-MM-DD, UTC).
 * A user counts as expired when the prior state reports EXPIRED and the plan
 * keeps its date, or when its date is before today. A date of today is in
 * any window of 1 day or more, and a window of 0 turns the warning off for
 * users that have not expired yet.
 */
export function expiryWarnings(
  planned: ObjectValue | null,
  prior: ObjectValue | null,
  today: string,
  windowDays: number,
): Diagnostic[] {
  if (planned === null) return [];
  const date = planned.expiration_date;
  if (typeof date !== "string" || isUnknown(date)) return [];
  const name = typeof planned.name === "string" ? quote(planned.name) : "The service user";
  const subject = typeof planned.name === "string" ? `Service user ${name}` : name;
  const daysLeft = daysBetween(today, date);
  if (Number.isNaN(daysLeft)) return [];

  const keepsExpiredDate =
    prior !== null && prior.status === "EXPIRED" && prior.expiration_date === date;
  if (keepsExpiredDate || daysLeft < 0) {
    return [
      warningDiagnostic(
        "Service user has expired",
        `${subject} expired at the end of ${date} (UTC), so DigiCert ONE rejects its API token. Set expiration_date to a later day to renew it in place, with the same id and token.`,
        path("expiration_date"),
      ),
    ];
  }
  if (daysLeft >= windowDays) return [];
  let when = `in ${daysLeft} days`;
  if (daysLeft === 0) when = "today";
  if (daysLeft === 1) when = "tomorrow";
  return [
    warningDiagnostic(
      "Service user expires soon",
      `${subject} expires ${when}, at the end of ${date} (UTC), after which DigiCert ONE rejects its API token. Set expiration_date to a later day to renew it in place, with the same id and token. The provider setting expiry_warning_days (${windowDays}) sets how many days ahead this warning starts.`,
      path("expiration_date"),
    ),
  ];
}
