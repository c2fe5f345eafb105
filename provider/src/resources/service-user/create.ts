// Creation of a digicertone_service_user (ApplyResourceChange with no prior
// state).

import { DigicertIncompleteCreateError } from "../../digicert/errors";
import type { DigicertClient } from "../../digicert/types";
import type {
  ApplyResponse,
  CallContext,
  Diagnostic,
  ObjectValue,
} from "../../framework/types";
import { containsUnknown } from "../../framework/values";
import type { Logger } from "../../log";
import { errorDiagnostic } from "../../validation/diagnostics";
import { apiErrorDiagnostic } from "../api-errors";
import { findDuplicateNameOwner } from "./duplicate";
import { applyEnabled } from "./enabled";
import {
  describeServiceUser,
  incompletePlanDiagnostic,
  inputFromPlanned,
  reconcileWithPlan,
  stateFromServiceUser,
} from "./state";

/**
 * Creates the service user and returns its state with the one-time token.
 * Once the user exists, the state is returned even together with errors, so
 * that Terraform records it (tainted) and the token is not lost.
 */
export async function createServiceUser(
  planned: ObjectValue,
  client: DigicertClient,
  context: CallContext,
  logger: Logger,
): Promise<ApplyResponse> {
  const subject = describeServiceUser(planned);
  const input = inputFromPlanned(planned);
  if (typeof input === "string") {
    return {
      newState: null,
      diagnostics: [incompletePlanDiagnostic(subject, input)],
    };
  }

  let created;
  try {
    logger.debug("Creating service user");
    created = await client.createServiceUser(input, context.signal);
  } catch (error) {
    if (error instanceof DigicertIncompleteCreateError) {
      logger.error("Created service user but could not read the response", {
        user_id: error.userId,
        error,
      });
      return {
        newState: fallbackState(planned, error.userId, error.token ?? null),
        diagnostics: [incompleteCreateDiagnostic(subject, error)],
      };
    }
    logger.debug("Creating service user failed", { error });
    const existingUserId = await findDuplicateNameOwner(
      error,
      input.name,
      client,
      context.signal,
      logger,
    );
    const operation = {
      action: "create",
      subject,
      name: input.name,
      existingUserId,
    } as const;
    return {
      newState: null,
      diagnostics: [apiErrorDiagnostic(error, operation, context.signal)],
    };
  }
  logger.debug("Created service user", { user_id: created.user.id });

  let user = created.user;
  try {
    user = await applyEnabled(user, planned.enabled, client, context.signal, logger);
  } catch (error) {
    logger.debug("Disabling created service user failed", { user_id: user.id, error });
    // The user exists, so record it, enabled, with its token.
    return {
      newState: stateFromServiceUser(user, created.token, Object.keys(input.access)),
      diagnostics: [
        apiErrorDiagnostic(error, { action: "update", subject }, context.signal),
      ],
    };
  }

  try {
    const applied = stateFromServiceUser(
      user,
      created.token,
      Object.keys(input.access),
    );
    const { state, diagnostics } = reconcileWithPlan(planned, applied, subject);
    return { newState: state, diagnostics };
  } catch (error) {
    // The user exists, so record what is known rather than lose the token.
    logger.error("Recording created service user failed", {
      user_id: created.user.id,
      error,
    });
    return {
      newState: fallbackState(planned, created.user.id, created.token),
      diagnostics: [
        errorDiagnostic(
          `Failed to record ${subject}`,
          `DigiCert ONE created the service user with id ${created.user.id}, but the provider could not build its state: ${error instanceof Error ? error.message : String(error)}. Terraform records it as tainted, so the next apply replaces it.`,
        ),
      ],
    };
  }
}

function incompleteCreateDiagnostic(
  subject: string,
  error: DigicertIncompleteCreateError,
): Diagnostic {
  const tokenNote =
    error.token === undefined
      ? " The response had no token, so the token attribute is null until the replacement creates a new service user."
      : " The state keeps the service user's token.";
  return errorDiagnostic(
    `Failed to create ${subject}`,
    `${error.message}\n\nTerraform records the service user as tainted, so the next apply replaces it.${tokenNote}`,
  );
}

/**
 * Returns a wholly known state from the plan: unknown values become null,
 * except id and token.
 */
function fallbackState(
  planned: ObjectValue,
  id: string,
  token: string | null,
): ObjectValue {
  const state: ObjectValue = {};
  for (const [name, value] of Object.entries(planned)) {
    state[name] = containsUnknown(value) ? null : value;
  }
  state.id = id;
  state.token = token;
  return state;
}
