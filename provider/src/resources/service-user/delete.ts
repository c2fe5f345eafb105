// Deletion of a digicertone_service_user (ApplyResourceChange with null
// planned state).

import type { DigicertClient } from "../../digicert/types";
import type {
  ApplyResponse,
  CallContext,
  ObjectValue,
} from "../../framework/types";
import type { Logger } from "../../log";
import { apiErrorDiagnostic, isNotFound } from "../api-errors";
import { describeServiceUser } from "./state";

/**
 * Deletes the service user permanently. A user that is already gone counts
 * as deleted. On failure the prior state is returned, so Terraform keeps
 * tracking the user.
 */
export async function deleteServiceUser(
  prior: ObjectValue,
  client: DigicertClient,
  context: CallContext,
  logger: Logger,
): Promise<ApplyResponse> {
  const id = prior.id;
  // A state without an id has nothing remote to delete.
  if (typeof id !== "string" || id === "") return { newState: null };

  try {
    logger.debug("Deleting service user", { user_id: id });
    await client.deleteServiceUser(id, context.signal);
  } catch (error) {
    if (isNotFound(error) && !context.signal.aborted) {
      logger.debug("Service user was already deleted", { user_id: id });
      return { newState: null };
    }
    logger.debug("Deleting service user failed", { user_id: id, error });
    const subject = describeServiceUser(prior);
    return {
      newState: prior,
      diagnostics: [
        apiErrorDiagnostic(error, { action: "delete", subject }, context.signal),
      ],
    };
  }
  logger.debug("Deleted service user", { user_id: id });
  return { newState: null };
}
