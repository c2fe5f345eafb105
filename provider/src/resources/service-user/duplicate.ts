// Lookup of the service user that already has a name, after DigiCert ONE
// rejected a create or rename with duplicate_error, so that the advice can
// show the import command with that service user's id.

import { DigicertApiError } from "../../digicert/errors";
import type { DigicertClient } from "../../digicert/types";
import type { Logger } from "../../log";

/**
 * Returns the id of the one service user whose name equals `name` without
 * regard to case, the way DigiCert ONE compares names. Returns undefined
 * when `error` is not a duplicate_error, when the signal is aborted, when
 * no single user matches, or when the lookup fails, which it logs.
 */
export async function findDuplicateNameOwner(
  error: unknown,
  name: string,
  client: DigicertClient,
  signal: AbortSignal,
  logger: Logger,
): Promise<string | undefined> {
  if (!(error instanceof DigicertApiError) || error.code !== "duplicate_error") {
    return undefined;
  }
  if (signal.aborted) return undefined;

  let users;
  try {
    users = await client.listServiceUsers(signal);
  } catch (lookupError) {
    logger.debug("Looking up the service user that has the name failed", {
      error: lookupError,
    });
    return undefined;
  }
  const matches = users.filter((user) => namesClash(user.name, name));
  return matches.length === 1 ? matches[0].id : undefined;
}

/**
 * Reports whether DigiCert ONE counts two friendly names as the same, which
 * it does without regard to letter case. Names are ASCII, so toLowerCase
 * compares them the way DigiCert ONE does.
 */
export function namesClash(left: string, right: string): boolean {
  return left.toLowerCase() === right.toLowerCase();
}
