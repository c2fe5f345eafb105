// Lookup of the service user that a request names, with the errors the API
// returns when the id names a standard user or no user.

import { STANDARD_USERS } from "./catalogue";
import { ApiError, invalidRequest, resourceNotFound } from "./errors";
import { EmulatorStore, StoredServiceUser } from "./store";

/** Builds the 404 for a user id that names no user. */
export function userNotFound(id: string): ApiError {
  return resourceNotFound(
    `No user with id ${JSON.stringify(id)} exists. It may have been deleted. ` +
      "Call GET /user?user_type=service for the current service users.",
  );
}

/**
 * Looks up the service user that a request names. Throws 400 for a standard
 * user's id and 404 for an id that names no user.
 */
export function requireServiceUser(store: EmulatorStore, id: string): StoredServiceUser {
  const user = store.getServiceUser(id);
  if (user !== undefined) {
    return user;
  }
  if (STANDARD_USERS.some((standardUser) => standardUser.id === id)) {
    throw invalidRequest(
      `User ${id} is a standard user. This endpoint accepts service users only.`,
    );
  }
  throw userNotFound(id);
}
