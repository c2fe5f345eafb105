// Rotation of a service user's API token, in place: a change of
// rotation_triggers, or a token older than rotation_days.
//
// Friendly names are unique, so a rotation cannot create a second service
// user beside the first (create_before_destroy) and must not delete the user,
// which would break every client at once. Instead it issues a new API token
// for the same user, and only then shortens the life of the tokens the user
// had: they keep working until 23:59:59 UTC token_overlap_days after the
// day of the rotation, time enough for the new token, now in state, to
// reach its clients. The overlap is a time, not "until the next run",
// because revoking at the next refresh would make `terraform plan` change
// DigiCert ONE.
//
// The age check needs "now". Terraform plans twice (at plan and at apply)
// and the two plans must agree, so the plan never reads a clock. Instead, the
// refresh records DigiCert ONE's time (the Date header of the read) in the
// resource's private state, and the plan compares token_created_at with it.

import type { ApiToken, DigicertClient, IssuedApiToken } from "../../digicert/types";
import {
  isUnknown,
  path,
  type CtyValue,
  type Diagnostic,
  type ObjectValue,
} from "../../framework/types";
import { containsUnknown, valuesEqual } from "../../framework/values";
import type { Logger } from "../../log";
import { utcDay } from "../../validation/dates";
import { quote, warningDiagnostic } from "../../validation/diagnostics";
import { numberValue, validateWholeNumber } from "../../validation/numbers";
import {
  DEFAULT_TOKEN_OVERLAP_DAYS,
  MAX_ROTATION_DAYS,
  MAX_TOKEN_OVERLAP_DAYS,
} from "./schema";

const DAY_MS = 86_400_000;

// ---------------------------------------------------------------------------
// Private state
// ---------------------------------------------------------------------------

/** The resource's private state, as JSON. */
interface PrivateState {
  /** DigiCert ONE's time at the last refresh, RFC 3339. */
  observed_at?: string;
}

/** Encodes the private state that a refresh returns. */
export function encodeObservedAt(observedAt: string): Uint8Array {
  const state: PrivateState = { observed_at: observedAt };
  return new TextEncoder().encode(JSON.stringify(state));
}

/**
 * Returns DigiCert ONE's time at the last refresh from the private state, or
 * undefined when the private state has none (no refresh since the last
 * apply, or state written by an earlier version).
 */
export function decodeObservedAt(data: Uint8Array | undefined): string | undefined {
  if (data === undefined || data.length === 0) return undefined;
  try {
    const state = JSON.parse(new TextDecoder().decode(data)) as PrivateState;
    return typeof state.observed_at === "string" ? state.observed_at : undefined;
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------
// Validation
// ---------------------------------------------------------------------------

/** Validates rotation_days and token_overlap_days. */
export function validateRotationSettings(config: ObjectValue): Diagnostic[] {
  return [
    ...validateWholeNumber(config.rotation_days ?? null, {
      path: path("rotation_days"),
      name: "rotation_days",
      min: 1,
      max: MAX_ROTATION_DAYS,
      unit: "days",
      fix: "remove it to rotate the token only through rotation_triggers",
    }),
    ...validateWholeNumber(config.token_overlap_days ?? null, {
      path: path("token_overlap_days"),
      name: "token_overlap_days",
      min: 0,
      max: MAX_TOKEN_OVERLAP_DAYS,
      unit: "days",
      note: "where 0 revokes the previous token as soon as the new one is issued",
      fix: `remove it for the default of ${DEFAULT_TOKEN_OVERLAP_DAYS}`,
    }),
  ];
}

/** Returns the overlap in days from a planned state, or the default. */
export function overlapDaysOf(value: CtyValue): number {
  const days = numberValue(value);
  return days !== undefined && Number.isInteger(days) && days >= 0 ? days : DEFAULT_TOKEN_OVERLAP_DAYS;
}

// ---------------------------------------------------------------------------
// Planning
// ---------------------------------------------------------------------------

/** The decision whether a plan rotates the token, and the reason. */
export type RotationDecision =
  | { rotate: false }
  | { rotate: true; reason: "triggers" | "age" | "unknown"; diagnostics: Diagnostic[] };

/**
 * Decides whether an update rotates the token. `observedAt` is DigiCert
 * ONE's time at the last refresh (see decodeObservedAt).
 *
 * - rotation_triggers: any difference from the prior value rotates, null and
 *   an empty map counting as equal. While the value is unknown, the token is
 *   planned unknown too, because apply may find it changed.
 * - rotation_days: rotates when the token in state is at least that many
 *   days old at `observedAt`. A token whose creation time is not known
 *   (imported, or a null token) is never rotated by age.
 */
export function decideRotation(
  config: ObjectValue,
  prior: ObjectValue,
  observedAt: string | undefined,
): RotationDecision {
  const triggers = config.rotation_triggers ?? null;
  if (containsUnknown(triggers)) {
    return { rotate: true, reason: "unknown", diagnostics: [] };
  }
  if (!triggersEqual(triggers, prior.rotation_triggers ?? null)) {
    return { rotate: true, reason: "triggers", diagnostics: [] };
  }

  const rotationDays = numberValue(config.rotation_days ?? null);
  const createdAt = prior.token_created_at;
  if (rotationDays === undefined || typeof createdAt !== "string" || observedAt === undefined) {
    return { rotate: false };
  }
  const ageMs = Date.parse(observedAt) - Date.parse(createdAt);
  if (Number.isNaN(ageMs) || ageMs < rotationDays * DAY_MS) return { rotate: false };

  const ageDays = Math.floor(ageMs / DAY_MS);
  const name = typeof config.name === "string" ? ` of service user ${quote(config.name)}` : "";
  return {
    rotate: true,
    reason: "age",
    diagnostics: [
      warningDiagnostic(
        "API token will be rotated",
        `The API token${name} was issued at ${createdAt} and was ${ageDays} days old at the last refresh (${observedAt}, DigiCert ONE's time), and rotation_days is ${rotationDays}, so this apply issues a new token in place. ` +
          describeOverlap(config.token_overlap_days ?? null),
        path("rotation_days"),
      ),
    ],
  };
}

/** Returns the sentence about how long the previous token keeps working. */
function describeOverlap(value: CtyValue): string {
  if (isUnknown(value)) {
    return "The previous token keeps working until 23:59:59 UTC token_overlap_days days after the day of the rotation.";
  }
  const days = overlapDaysOf(value);
  if (days === 0) {
    return "The previous token is revoked as soon as the new token is issued, because token_overlap_days is 0.";
  }
  const unit = days === 1 ? "day" : "days";
  return `The previous token keeps working until 23:59:59 UTC ${days} ${unit} after the day of the rotation.`;
}

function triggersEqual(planned: CtyValue, prior: CtyValue): boolean {
  const left = isEmptyMap(planned) ? null : planned;
  const right = isEmptyMap(prior) ? null : prior;
  return valuesEqual(left, right, ["map", "string"]);
}

function isEmptyMap(value: CtyValue): boolean {
  return (
    value !== null &&
    typeof value === "object" &&
    !Array.isArray(value) &&
    !isUnknown(value) &&
    Object.keys(value).length === 0
  );
}

// ---------------------------------------------------------------------------
// Apply
// ---------------------------------------------------------------------------

/** The outcome of a rotation. */
export interface RotationResult {
  issued: IssuedApiToken;
  /** Earlier tokens now ending on `endDate`, or revoked when it is null. */
  retired: ApiToken[];
  /** The last day the earlier tokens work, or null when they were revoked. */
  endDate: string | null;
  /** Earlier tokens that could not be retired, and why. */
  failed: Array<{ token: ApiToken; error: unknown }>;
}

/**
 * Issues a new API token for the user, then retires the tokens it had
 * before: each ends `overlapDays` days after the day DigiCert ONE issued the
 * new token (one that ends sooner is left alone), or is revoked when
 * `overlapDays` is 0. Throws when listing the tokens or issuing the new one
 * fails, when nothing has changed that state must record. A failure to
 * retire a token is returned in `failed`, because the new token must reach
 * state whatever happens next.
 */
export async function rotateToken(
  userId: string,
  overlapDays: number,
  client: DigicertClient,
  signal: AbortSignal | undefined,
  logger: Logger,
): Promise<RotationResult> {
  logger.debug("Listing API tokens before rotation", { user_id: userId });
  const earlier = await client.listApiTokens(userId, signal);
  logger.debug("Issuing API token", { user_id: userId });
  const issued = await client.createApiToken(userId, `terraform rotation ${new Date().toISOString()}`, signal);
  logger.info("Issued API token", { user_id: userId, token_id: issued.apiToken.id });

  const issuedDay = Date.parse(issued.apiToken.createdAt);
  const base = Number.isNaN(issuedDay) ? Date.now() : issuedDay;
  const endDate = overlapDays === 0 ? null : utcDay(new Date(base + overlapDays * DAY_MS));
  const result: RotationResult = { issued, retired: [], endDate, failed: [] };

  for (const token of earlier) {
    if (token.id === issued.apiToken.id) continue;
    const endsSooner = endDate !== null && token.endDate !== null && token.endDate <= endDate;
    if (endsSooner) continue;
    try {
      if (endDate === null) {
        await client.deleteApiToken(token.id, signal);
      } else {
        await client.setApiTokenEndDate(token.id, endDate, signal);
      }
      result.retired.push(token);
    } catch (error) {
      logger.warn("Retiring API token failed", { user_id: userId, token_id: token.id, error });
      result.failed.push({ token, error });
    }
  }
  return result;
}
