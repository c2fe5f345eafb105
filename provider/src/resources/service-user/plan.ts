// Planning of digicertone_service_user (PlanResourceChange). The plan must
// be deterministic, because Terraform plans again at apply time and compares
// the two, and every non-computed attribute is planned as configured.

import {
  hasErrors,
  isUnknown,
  path,
  unknown,
  type AttributePath,
  type CtyValue,
  type Diagnostic,
  type ObjectValue,
  type PlanRequest,
  type PlanResponse,
} from "../../framework/types";
import { containsUnknown } from "../../framework/values";
import { invalidValue, quote } from "../../validation/diagnostics";
import { decideRotation, decodeObservedAt } from "./rotation";
import { DEFAULT_TOKEN_OVERLAP_DAYS } from "./schema";
import { expiresAtFor } from "./state";
import { validateServiceUserConfig } from "./validate";

/**
 * Plans a create, update or destroy. `today` is the current UTC day as
 * YYYY-MM-DD, for the expiration_date check.
 */
export function planServiceUser(
  request: PlanRequest,
  today: string,
): PlanResponse {
  const { prior, proposed } = request;
  if (proposed === null) return { planned: null };
  const config = request.config ?? proposed;

  // A date already in state may have passed since; only a new one must not.
  const dateIsNew =
    prior === null || config.expiration_date !== prior.expiration_date;
  const diagnostics = validateServiceUserConfig(
    config,
    dateIsNew ? today : null,
  );
  let planned: ObjectValue;
  if (prior === null) {
    planned = planCreate(config);
  } else {
    planned = planUpdate(config, prior);
    diagnostics.push(...checkPrimaryKept(config, prior));
    const rotation = decideRotation(config, prior, decodeObservedAt(request.priorPrivate));
    if (rotation.rotate) {
      planned.token = unknown;
      planned.token_created_at = unknown;
      diagnostics.push(...rotation.diagnostics);
    }
  }
  if (hasErrors(diagnostics)) return { planned: proposed, diagnostics };

  // Apply decides a rotation again from the same private state.
  const response: PlanResponse = { planned, diagnostics, plannedPrivate: request.priorPrivate };
  if (prior !== null && planned.primary_account_id !== prior.primary_account_id) {
    // An unknown planned value never equals the prior value, so an unknown
    // primary account plans a replacement too.
    response.requiresReplace = [path("primary_account_id")];
  }
  return response;
}

/** Attributes planned as configured, on create and update alike. */
function configuredValues(config: ObjectValue): ObjectValue {
  return {
    name: config.name,
    // Optional with a default: a null config plans "", so removing the
    // description from the configuration plans a change back to "".
    description: config.description === null ? "" : config.description,
    email: config.email,
    expiration_date: config.expiration_date,
    expires_at: expiresAtFor(config.expiration_date),
    account_ids: config.account_ids,
    access: config.access,
    // Optional with a default, like description: a null config plans true.
    enabled: config.enabled ?? true,
    rotation_triggers: config.rotation_triggers ?? null,
    rotation_days: config.rotation_days ?? null,
    token_overlap_days: config.token_overlap_days ?? DEFAULT_TOKEN_OVERLAP_DAYS,
  };
}

function planCreate(config: ObjectValue): ObjectValue {
  const primary =
    config.primary_account_id !== null
      ? config.primary_account_id
      : defaultPrimaryAccountId(config.account_ids);
  const configured = configuredValues(config);
  return {
    ...configured,
    primary_account_id: primary,
    id: unknown,
    // Apply disables a user created with enabled = false.
    status: configured.enabled === false ? "DISABLED" : unknown,
    created_at: unknown,
    token: unknown,
    token_created_at: unknown,
  };
}

/**
 * Returns the primary account used when the configuration sets none: the
 * smallest account id in lexicographic (UTF-16 code unit) order, because a
 * set has no first element. Unknown until every account id is known.
 */
export function defaultPrimaryAccountId(accountIds: CtyValue): CtyValue {
  if (!Array.isArray(accountIds) || containsUnknown(accountIds)) {
    return unknown;
  }
  const sorted = (accountIds as string[]).slice().sort();
  return sorted.length > 0 ? sorted[0] : null;
}

function planUpdate(config: ObjectValue, prior: ObjectValue): ObjectValue {
  const planned: ObjectValue = {
    ...configuredValues(config),
    id: prior.id,
    created_at: prior.created_at,
    token: prior.token,
    token_created_at: prior.token_created_at ?? null,
  };

  if (config.primary_account_id !== null) {
    planned.primary_account_id = config.primary_account_id;
  } else if (prior.primary_account_id !== null) {
    // Not configured: keep the account chosen at creation.
    planned.primary_account_id = prior.primary_account_id;
  } else {
    planned.primary_account_id = defaultPrimaryAccountId(config.account_ids);
  }

  planned.status = planStatus(prior, planned.expiration_date, planned.enabled);
  return planned;
}

/** Statuses of an enabled user that a new expiration date leaves as they are. */
const STATUSES_KEPT_BY_NEW_DATE: readonly CtyValue[] = ["ACTIVE"];

/**
 * Plans the status after an update. A disabled user (`enabled` false) is
 * DISABLED. Enabling a DISABLED user plans an unknown status, because it
 * becomes ACTIVE or EXPIRED depending on its date. Otherwise an unchanged
 * expiration date keeps the prior status. A new date keeps an ACTIVE
 * status, because a new date is never in the past (validation rejects
 * that). An EXPIRED or other status is unknown, because
 * a new date can turn EXPIRED back to ACTIVE. The plan does not compare the
 * date with today: a saved plan applied on a later UTC day must plan the
 * same status again. Apply stores the planned status whenever it is known
 * (see reconcileWithPlan), so a date of today that passes during the apply
 * shows as EXPIRED at the next refresh.
 */
export function planStatus(
  prior: ObjectValue,
  expirationDate: CtyValue,
  enabled: CtyValue,
): CtyValue {
  if (isUnknown(enabled)) return unknown;
  if (enabled === false) return "DISABLED";
  if (prior.status === "DISABLED") return unknown;
  if (expirationDate === prior.expiration_date) return prior.status;
  if (isUnknown(expirationDate)) return unknown;
  if (STATUSES_KEPT_BY_NEW_DATE.includes(prior.status)) return prior.status;
  return unknown;
}

/**
 * Returns an error on account_ids when primary_account_id is not configured
 * and account_ids no longer contain the prior primary account, which
 * DigiCert ONE cannot remove. A configured primary account is checked by
 * validation instead.
 */
function checkPrimaryKept(
  config: ObjectValue,
  prior: ObjectValue,
): Diagnostic[] {
  const primary = prior.primary_account_id;
  const accountIds = config.account_ids;
  if (config.primary_account_id !== null) return [];
  if (typeof primary !== "string" || !Array.isArray(accountIds)) return [];
  if (accountIds.some((id) => isUnknown(id))) return [];
  if (accountIds.includes(primary)) return [];

  const accountIdsPath: AttributePath = path("account_ids");
  return [
    invalidValue({
      path: accountIdsPath,
      summary: "Primary account removed from account_ids",
      problem: `account_ids no longer contains ${quote(primary)}, the service user's primary account.`,
      allowed:
        "DigiCert ONE cannot remove or change a service user's primary account.",
      fix: `Keep ${quote(primary)} in account_ids, or set primary_account_id to one of the other accounts, which replaces the service user with a new one (new id and token).`,
    }),
  ];
}
