// Mapping between the DigiCert ONE service user (domain types) and the
// resource's Terraform state, and the check that apply stored what the plan
// promised.

import type {
  Access,
  ServiceUser,
  ServiceUserInput,
} from "../../digicert/types";
import {
  isUnknown,
  path,
  unknown,
  type CtyValue,
  type Diagnostic,
  type ObjectValue,
} from "../../framework/types";
import { containsUnknown, valuesEqual } from "../../framework/values";
import { ownedAccess } from "../user-access/merge";
import {
  errorDiagnostic,
  formatValue,
  quote,
} from "../../validation/diagnostics";
import {
  CONFIGURABLE_ATTRIBUTES,
  DEFAULT_TOKEN_OVERLAP_DAYS,
  SERVICE_USER_ATTRIBUTE_TYPES,
  serviceUserSchema,
} from "./schema";

/** The time of day at which a service user expires on its expiration date. */
const EXPIRY_TIME_OF_DAY = "T23:59:59Z";

/**
 * Returns `expires_at` for an `expiration_date`: the end of that UTC day as
 * RFC 3339, null when there is no expiration date, and unknown while the
 * date is unknown.
 */
export function expiresAtFor(expirationDate: CtyValue): CtyValue {
  if (isUnknown(expirationDate)) return unknown;
  if (typeof expirationDate !== "string") return null;
  return `${expirationDate}${EXPIRY_TIME_OF_DAY}`;
}

/**
 * Returns a state with every attribute null except `id` and the defaults of
 * settings that DigiCert ONE does not store, as import needs.
 */
export function emptyState(id: string): ObjectValue {
  const state: ObjectValue = {};
  for (const name of Object.keys(serviceUserSchema.block.attributes)) {
    state[name] = null;
  }
  state.id = id;
  state.token_overlap_days = DEFAULT_TOKEN_OVERLAP_DAYS;
  return state;
}

/**
 * Attributes that DigiCert ONE never returns: the token and when it was
 * issued, and the rotation settings, which only Terraform uses. State
 * carries them over from the plan or the prior state.
 */
export const CARRIED_ATTRIBUTES = [
  "token",
  "token_created_at",
  "rotation_triggers",
  "rotation_days",
  "token_overlap_days",
] as const;

/** Picks the carried attributes of a state or plan; unknown values become null. */
export function carriedValues(source: ObjectValue): ObjectValue {
  const carried: ObjectValue = {};
  for (const name of CARRIED_ATTRIBUTES) {
    const value = source[name] ?? null;
    carried[name] = containsUnknown(value) ? null : value;
  }
  return carried;
}

/**
 * Builds the state of a service user from the API's view of it, plus the
 * `carried` attributes (see CARRIED_ATTRIBUTES): the token comes from its
 * issue or from the prior state, because the API never returns it again.
 * `ownedManagers` are the managers the resource manages (see
 * `ownedManagerCodes`), and `access` shows only those; with undefined, it
 * shows every manager.
 */
export function stateFromServiceUser(
  user: ServiceUser,
  carried: ObjectValue,
  ownedManagers?: readonly string[],
): ObjectValue {
  const expirationDate = user.expirationDate ?? null;
  return {
    ...carriedValues(carried),
    id: user.id,
    name: user.name,
    // The schema defaults description to "", so an unset description is ""
    // in state whatever the API sends; null would plan a change to "".
    description: user.description ?? "",
    email: user.email,
    expiration_date: expirationDate,
    expires_at: expiresAtFor(expirationDate),
    account_ids: uniqueStrings(user.accountIds),
    primary_account_id: user.primaryAccountId,
    access: accessToState(ownedAccess(user.access, ownedManagers)),
    enabled: user.status !== "DISABLED",
    status: user.status,
    created_at: user.createdAt,
  };
}

/**
 * Returns the manager codes of an `access` value from state or plan: the
 * managers that the resource manages. Returns undefined when the value is
 * null or unknown, as after an import, when the resource takes on every
 * manager the service user has.
 */
export function ownedManagerCodes(access: CtyValue | undefined): string[] | undefined {
  if (access === undefined || access === null || isUnknown(access)) return undefined;
  if (typeof access !== "object" || Array.isArray(access)) return undefined;
  return Object.keys(access);
}

/** Converts `{ manager: ["ROLE"] }` to the state's `{ manager: { roles } }`. */
export function accessToState(access: Access): ObjectValue {
  // Object.fromEntries defines own properties, so a manager code such as
  // "__proto__" stays a map key.
  return Object.fromEntries(
    Object.entries(access).map(([managerCode, roles]) => [
      managerCode,
      { roles: uniqueStrings(roles) },
    ]),
  );
}

function uniqueStrings(values: readonly string[]): string[] {
  return [...new Set(values)];
}

/**
 * Builds the API input from a planned state. Returns a message naming the
 * attribute instead when a value that apply needs is unknown or has the
 * wrong shape, which Terraform's own checks should make impossible.
 */
export function inputFromPlanned(
  planned: ObjectValue,
): ServiceUserInput | string {
  const unknownAttribute = CONFIGURABLE_ATTRIBUTES.find((name) =>
    containsUnknown(planned[name] ?? null),
  );
  if (unknownAttribute !== undefined) {
    return `${unknownAttribute} is still unknown at apply time.`;
  }

  const { name, description, email, expiration_date, primary_account_id } =
    planned;
  if (typeof name !== "string") return "name is not a string.";
  if (typeof description !== "string") return "description is not a string.";
  if (typeof email !== "string") return "email is not a string.";
  if (expiration_date !== null && typeof expiration_date !== "string") {
    return "expiration_date is not a string.";
  }
  if (typeof primary_account_id !== "string") {
    return "primary_account_id is not a string.";
  }
  const accountIds = stringArray(planned.account_ids);
  if (accountIds === undefined) return "account_ids is not a set of strings.";
  const access = accessFromState(planned.access);
  if (access === undefined) return "access is not a map of role sets.";

  return {
    name,
    description,
    email,
    expirationDate: expiration_date,
    primaryAccountId: primary_account_id,
    accountIds,
    access,
  };
}

/** Builds the error for a plan that apply cannot send, which is a provider bug. */
export function incompletePlanDiagnostic(
  subject: string,
  problem: string,
): Diagnostic {
  return errorDiagnostic(
    `Failed to apply ${subject}`,
    `The planned state is incomplete: ${problem} This is a bug in the provider. Please report it with the configuration that caused it.`,
  );
}

function stringArray(value: CtyValue): string[] | undefined {
  if (!Array.isArray(value)) return undefined;
  if (!value.every((item) => typeof item === "string")) return undefined;
  return value as string[];
}

/** Converts the state's `{ manager: { roles } }` to `{ manager: ["ROLE"] }`. */
export function accessFromState(value: CtyValue): Access | undefined {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    return undefined;
  }
  const entries: Array<[string, string[]]> = [];
  for (const [managerCode, entry] of Object.entries(value)) {
    if (entry === null || typeof entry !== "object" || Array.isArray(entry)) {
      return undefined;
    }
    const roles = stringArray((entry as ObjectValue).roles ?? null);
    if (roles === undefined) return undefined;
    entries.push([managerCode, roles]);
  }
  return Object.fromEntries(entries);
}

/** Attributes that only DigiCert ONE sets. */
const COMPUTED_ONLY_ATTRIBUTES = ["id", "status", "created_at", "token", "token_created_at"];

/**
 * Reconciles the state built from the API's response with the plan.
 *
 * A computed-only attribute that the plan already knew (an update keeps id,
 * created_at, token and usually status) keeps the planned value, because
 * Terraform rejects any other: a change the API made on its own shows at the
 * next refresh. A configurable attribute whose stored value differs from
 * the plan keeps the API's value, with an error that names the difference.
 */
export function reconcileWithPlan(
  planned: ObjectValue,
  applied: ObjectValue,
  subject: string,
): { state: ObjectValue; diagnostics: Diagnostic[] } {
  const state: ObjectValue = { ...applied };
  for (const name of COMPUTED_ONLY_ATTRIBUTES) {
    const plannedValue = planned[name] ?? null;
    if (!containsUnknown(plannedValue)) state[name] = plannedValue;
  }

  const diagnostics: Diagnostic[] = [];
  for (const name of [...CONFIGURABLE_ATTRIBUTES, "expires_at"]) {
    const plannedValue = planned[name] ?? null;
    if (containsUnknown(plannedValue)) continue;
    const type = SERVICE_USER_ATTRIBUTE_TYPES[name];
    if (valuesEqual(plannedValue, state[name], type)) continue;
    diagnostics.push(
      errorDiagnostic(
        "DigiCert ONE stored a different value",
        `DigiCert ONE stored ${name} = ${formatValue(state[name])} for ${subject}, but the plan set ${formatValue(plannedValue)}. ` +
          "Terraform records the stored value, and the next plan shows the difference. " +
          "If the difference persists, DigiCert ONE changes the value on its own, so set it in the configuration the way DigiCert ONE stores it.",
        path(name),
      ),
    );
  }
  return { state, diagnostics };
}

/**
 * Names a service user for messages by its friendly name, or by its id when
 * the name is not known (such as right after import).
 */
export function describeServiceUser(state: ObjectValue): string {
  if (typeof state.name === "string") return `service user ${quote(state.name)}`;
  if (typeof state.id === "string") return `service user with id ${quote(state.id)}`;
  return "service user";
}
