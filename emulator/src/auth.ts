// Authentication by the `x-api-key` header and the permission check for
// user management. Keys are compared by their SHA-256 hash, so the store
// never needs a plain key of a service user.

import { IncomingHttpHeaders } from "node:http";

import {
  ADMINISTRATOR,
  MANAGE_USERS_PERMISSION,
  StandardUser,
  VIEWER,
  findRole,
} from "./catalogue";
import { sha256Hex } from "./credentials";
import { accessDenied, invalidApiKey } from "./errors";
import { EmulatorStore, StoredServiceUser } from "./store";
import { Clock } from "./time";
import { serviceUserStatus } from "./views";

/** The user a request acts as. */
export type Principal =
  | { kind: "standard"; user: StandardUser; permissions: ReadonlySet<string> }
  | { kind: "service"; user: StoredServiceUser; permissions: ReadonlySet<string> };

function permissionsOf(roleIds: readonly string[]): Set<string> {
  const permissions = new Set<string>();
  for (const roleId of roleIds) {
    for (const permission of findRole(roleId)?.permissions ?? []) {
      permissions.add(permission);
    }
  }
  return permissions;
}

/**
 * Resolves the caller from the `x-api-key` header: the administrator key,
 * the viewer key or a service user's token. Throws 401 `invalid_api_key`
 * when the header is missing or unknown, or when its service user is
 * disabled or expired.
 */
export function authenticate(
  headers: IncomingHttpHeaders,
  store: EmulatorStore,
  clock: Clock,
): Principal {
  // Node lowercases incoming header names, so this matches any spelling.
  const key = headers["x-api-key"];
  if (typeof key !== "string" || key === "") {
    throw invalidApiKey(
      "The x-api-key header is missing. Send the API key of a user or service user in x-api-key.",
    );
  }

  const hash = sha256Hex(key);
  if (hash === store.adminApiKeySha256) {
    return standardPrincipal(ADMINISTRATOR);
  }
  if (hash === store.viewerApiKeySha256) {
    return standardPrincipal(VIEWER);
  }

  const serviceUser = store.findServiceUserByTokenSha256(hash);
  if (serviceUser === undefined) {
    throw invalidApiKey(
      "The API key in x-api-key is not valid. It may be mistyped, or its " +
        "service user may have been deleted.",
    );
  }
  const status = serviceUserStatus(serviceUser, clock);
  if (status === "DISABLED") {
    throw invalidApiKey(
      `The API key in x-api-key belongs to service user ${serviceUser.id}, which ` +
        "is disabled. An administrator can enable it again.",
    );
  }
  if (status === "EXPIRED") {
    throw invalidApiKey(
      `The API key in x-api-key belongs to service user ${serviceUser.id}, which ` +
        `expired after ${serviceUser.endDate} UTC. An administrator can extend its end_date.`,
    );
  }
  return {
    kind: "service",
    user: serviceUser,
    permissions: permissionsOf(
      serviceUser.applications.flatMap((application) => application.roleIds),
    ),
  };
}

function standardPrincipal(user: StandardUser): Principal {
  return { kind: "standard", user, permissions: permissionsOf(user.roleIds) };
}

/** Throws 403 `access_denied` unless the caller may manage users. */
export function requireManageUsers(principal: Principal): void {
  if (principal.permissions.has(MANAGE_USERS_PERMISSION)) {
    return;
  }
  throw accessDenied(
    `User ${principal.user.id} lacks the Manage users permission ` +
      `(${MANAGE_USERS_PERMISSION}), which creating, updating, disabling, ` +
      "enabling and deleting service users requires.",
  );
}
