// Applying `enabled` of a digicertone_service_user with the disable and
// enable endpoints, which the full PUT of the other fields does not touch.

import type { DigicertClient, ServiceUser } from "../../digicert/types";
import type { CtyValue } from "../../framework/types";
import type { Logger } from "../../log";
import { serviceUserLocks, type KeyedLock } from "../user-access/lock";

/**
 * Disables or enables the user so that its status matches the planned
 * `enabled`, under the user's lock, and returns the user as the API
 * returned it. Returns `user` unchanged when its status already matches.
 * Client errors propagate.
 */
export async function applyEnabled(
  user: ServiceUser,
  enabled: CtyValue,
  client: DigicertClient,
  signal: AbortSignal,
  logger: Logger,
  locks: KeyedLock = serviceUserLocks,
): Promise<ServiceUser> {
  const disabled = user.status === "DISABLED";
  if (enabled === false && !disabled) {
    logger.debug("Disabling service user", { user_id: user.id });
    return locks.run(user.id, () => client.disableServiceUser(user.id, signal));
  }
  if (enabled === true && disabled) {
    logger.debug("Enabling service user", { user_id: user.id });
    return locks.run(user.id, () => client.enableServiceUser(user.id, signal));
  }
  return user;
}
