// In-place update of a digicertone_service_user (ApplyResourceChange with
// prior and planned state).

import type { DigicertClient } from "../../digicert/types";
import type {
  ApplyResponse,
  CallContext,
  ObjectValue,
} from "../../framework/types";
import type { Logger } from "../../log";
import { apiErrorDiagnostic } from "../api-errors";
import { findDuplicateNameOwner } from "./duplicate";
import {
  describeServiceUser,
  incompletePlanDiagnostic,
  inputFromPlanned,
  reconcileWithPlan,
  stateFromServiceUser,
} from "./state";

/**
 * Sends every mutable field of the plan to DigiCert ONE and returns the new
 * state, keeping the token from the prior state. On failure the prior state
 * is returned, because the API rejected the whole change.
 */
export async function updateServiceUser(
  prior: ObjectValue,
  planned: ObjectValue,
  client: DigicertClient,
  context: CallContext,
  logger: Logger,
): Promise<ApplyResponse> {
  const subject = describeServiceUser(planned);
  const id = prior.id;
  const input = inputFromPlanned(planned);
  if (typeof id !== "string") {
    return {
      newState: prior,
      diagnostics: [incompletePlanDiagnostic(subject, "the prior state has no id.")],
    };
  }
  if (typeof input === "string") {
    return {
      newState: prior,
      diagnostics: [incompletePlanDiagnostic(subject, input)],
    };
  }

  let user;
  try {
    logger.debug("Updating service user", { user_id: id });
    user = await client.updateServiceUser(id, input, context.signal);
  } catch (error) {
    logger.debug("Updating service user failed", { user_id: id, error });
    const owner = await findDuplicateNameOwner(
      error,
      input.name,
      client,
      context.signal,
      logger,
    );
    // A match on the renamed user itself says nothing about the conflict.
    const existingUserId = owner === id ? undefined : owner;
    const operation = {
      action: "update",
      subject,
      name: input.name,
      existingUserId,
    } as const;
    return {
      newState: prior,
      diagnostics: [apiErrorDiagnostic(error, operation, context.signal)],
    };
  }
  logger.debug("Updated service user", { user_id: id });

  const token = typeof prior.token === "string" ? prior.token : null;
  const applied = stateFromServiceUser(user, token);
  const { state, diagnostics } = reconcileWithPlan(planned, applied, subject);
  return { newState: state, diagnostics };
}
