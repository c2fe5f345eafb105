// The attributes that digicertone_service_user and each element of
// digicertone_service_users share: those of the digicertone_service_user
// resource without the token, all computed, and their values.

import type { ServiceUser } from "../digicert/types";
import type { AttributeSchema, ObjectValue } from "../framework/types";
import { accessToState, expiresAtFor } from "../resources/service-user/state";
import { compareCodePoints } from "./lookup";

function computedString(description: string): AttributeSchema {
  return { type: "string", computed: true, description };
}

export const SERVICE_USER_DESCRIPTIONS = {
  id: "The service user's id (a UUID).",
  name: "The service user's friendly name, unique in the tenant without regard to letter case.",
};

/**
 * Builds the attributes of a service user. `id` and `name` are left to the
 * caller, because digicertone_service_user also takes them as arguments.
 */
export function serviceUserDetailAttributes(): { [name: string]: AttributeSchema } {
  return {
    description: computedString('The service user\'s description, or "" when it has none.'),
    email: computedString("The service user's contact email address."),
    status: computedString(
      "The service user's status as DigiCert ONE reports it: `ACTIVE`, `DISABLED` or `EXPIRED`.",
    ),
    enabled: {
      type: "bool",
      computed: true,
      description: "Whether the service user may authenticate: false when its status is `DISABLED`.",
    },
    expiration_date: computedString(
      "The UTC day on which the service user expires, as YYYY-MM-DD, or null when it does not expire.",
    ),
    expires_at: computedString(
      "When the service user expires, as an RFC 3339 timestamp (`<expiration_date>T23:59:59Z`), or null when it does not expire.",
    ),
    account_ids: {
      type: ["set", "string"],
      computed: true,
      description: "The ids of the accounts the service user belongs to.",
    },
    primary_account_id: computedString(
      "The id of the service user's primary account, which is one of `account_ids`.",
    ),
    access: {
      computed: true,
      description:
        "The managers the service user can access and its roles in each, keyed by the lowercase manager code, such as `software_trust`. It has the form of the `access` argument of the `digicertone_service_user` resource.",
      nested: {
        nesting: "map",
        attributes: {
          roles: {
            type: ["set", "string"],
            computed: true,
            description:
              "The role codes granted in this manager, in uppercase, such as `SM_SIGNER`.",
          },
        },
      },
    },
    created_at: computedString(
      "When the service user was created, as an RFC 3339 timestamp in UTC.",
    ),
  };
}

/**
 * Maps a service user to the data sources' attributes, with every manager
 * the user can access. It never has a token.
 */
export function serviceUserToState(user: ServiceUser): ObjectValue {
  const expirationDate = user.expirationDate ?? null;
  return {
    id: user.id,
    name: user.name,
    description: user.description ?? "",
    email: user.email,
    status: user.status,
    enabled: user.status !== "DISABLED",
    expiration_date: expirationDate,
    expires_at: expiresAtFor(expirationDate),
    account_ids: [...new Set(user.accountIds)],
    primary_account_id: user.primaryAccountId,
    access: accessToState(user.access),
    created_at: user.createdAt,
  };
}

/** Orders service users by name, then by id. */
export function compareServiceUsers(a: ServiceUser, b: ServiceUser): number {
  return compareCodePoints(a.name, b.name) || compareCodePoints(a.id, b.id);
}
