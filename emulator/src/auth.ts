// Authentication by the `x-api-key` header and the permission check for
// user management. Keys are compared by their SHA-256 hash, so the store
// never needs the plain secret of an API token.

import { IncomingHttpHeaders } from "node:http";

import {
  ADMINISTRATOR,
  MANAGE_USERS_PERMISSION,
  ROLES,
  StandardUser,
  VIEWER,
  findRole,
} from "./catalogue";
import { sha256Hex } from "./credentials";
import { accessDenied, invalidApiKey } from "./errors";
import { EmulatorStore, StoredServiceUser } from "./store";
import { Clock } from "./time";
import { apiTokenStatus, serviceUserStatus } from "./views";

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
 * the viewer key or a service user's API token. Throws 401
 * `invalid_api_key` when the header is missing or unknown, when the token
 * is revoked or past its end date, or when its service user is disabled or
 * expired. Each message names the problem but never quotes the key.
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

  const token = store.findApiTokenBySha256(hash);
  if (token === undefined) {
    throw invalidApiKey(
      "The API key in x-api-key is not valid. It may be mistyped, or it may " +
        "belong to another DigiCert ONE host.",
    );
  }
  const serviceUser = store.getServiceUser(token.userId);
  const tokenName = `API token ${token.id} of service user ${token.userId}`;
  if (token.revokedAt !== null) {
    const afterwards =
      serviceUser === undefined
        ? "The service user has been deleted."
        : "Use another live API token of the service user, or create one with POST /api-access-token.";
    throw invalidApiKey(
      `The API key in x-api-key was revoked at ${token.revokedAt} (${tokenName}). ${afterwards}`,
    );
  }
  if (token.endDate !== null && apiTokenStatus(token, clock) === "EXPIRED") {
    throw invalidApiKey(
      `The API key in x-api-key expired at the end of ${token.endDate} (UTC) ` +
        `(${tokenName}). An administrator can extend its end_date with ` +
        `PUT /api-access-token/${token.id}, or create a new API token.`,
    );
  }
  if (serviceUser === undefined) {
    // Deleting a user revokes its tokens, so only a damaged state file
    // leads here.
    throw invalidApiKey(
      `The API key in x-api-key belongs to service user ${token.userId}, which no longer exists.`,
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
        `expired at the end of ${serviceUser.endDate} (UTC). An administrator can ` +
        "extend the service user's end_date.",
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

/** Codes of the roles that grant Manage users, for the 403 message. */
const ROLES_WITH_MANAGE_USERS = ROLES.filter((role) =>
  role.permissions.includes(MANAGE_USERS_PERMISSION),
).map((role) => role.code);

/**
 * Throws 403 `access_denied` unless the caller may manage users.
 * `operation` names what the request does, such as "creating a service user".
 */
export function requireManageUsers(principal: Principal, operation: string): void {
  if (principal.permissions.has(MANAGE_USERS_PERMISSION)) {
    return;
  }
  const caller = principal.kind === "service" ? "Service user" : "User";
  throw accessDenied(
    `${caller} ${principal.user.id} lacks the Manage users permission ` +
      `(${MANAGE_USERS_PERMISSION}), which ${operation} requires. Use the API key ` +
      `of a user with a role that grants it: ${ROLES_WITH_MANAGE_USERS.join(" or ")}.`,
  );
}
