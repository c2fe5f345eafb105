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
import {
  accessChangeLostDiagnostic,
  serviceUserGoneDiagnostic,
} from "../user-access/diagnostics";
import type { KeyedLock } from "../user-access/lock";
import type { AccessChange } from "../user-access/merge";
import { AccessChangeLostError, writeAccess } from "../user-access/modify";
import { findDuplicateNameOwner } from "./duplicate";
import { applyEnabled } from "./enabled";
import {
  describeServiceUser,
  incompletePlanDiagnostic,
  inputFromPlanned,
  ownedManagerCodes,
  reconcileWithPlan,
  stateFromServiceUser,
} from "./state";

/**
 * Sends every mutable field of the plan to DigiCert ONE and returns the new
 * state, keeping the token from the prior state. On failure the prior state
 * is returned, because the API rejected the whole change.
 *
 * Access is a read-modify-write under the user's lock (see writeAccess).
 * The planned managers get their planned roles, and managers of the prior
 * `access` that the plan drops are removed. Every other manager keeps the
 * roles DigiCert ONE has, because other configurations may grant them.
 * Then, when `enabled` differs from the status, the user is disabled or
 * enabled, because the PUT leaves the status alone.
 */
export async function updateServiceUser(
  prior: ObjectValue,
  planned: ObjectValue,
  client: DigicertClient,
  context: CallContext,
  logger: Logger,
  locks?: KeyedLock,
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

  const { access, ...fields } = input;
  const plannedManagers = Object.keys(access);
  const change: AccessChange = {
    grant: access,
    revoke: (ownedManagerCodes(prior.access) ?? []).filter(
      (managerCode) => !plannedManagers.includes(managerCode),
    ),
  };

  let result;
  try {
    logger.debug("Updating service user", { user_id: id });
    result = await writeAccess(
      { userId: id, change, fields: () => fields },
      { client, signal: context.signal, logger, locks },
    );
  } catch (error) {
    if (error instanceof AccessChangeLostError) {
      logger.error("Updating service user access failed", { user_id: id, error });
      return {
        newState: prior,
        diagnostics: [accessChangeLostDiagnostic(error, `Failed to update ${subject}`)],
      };
    }
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
  if (result.status !== "applied") {
    // The plan keeps at least one manager, so only a deleted user ends here.
    logger.debug("Service user not found on update", { user_id: id, status: result.status });
    return {
      newState: prior,
      diagnostics: [serviceUserGoneDiagnostic(id, `Failed to update ${subject}`)],
    };
  }
  logger.debug("Updated service user", { user_id: id });

  const token = typeof prior.token === "string" ? prior.token : null;
  let user = result.user;
  try {
    user = await applyEnabled(user, planned.enabled, client, context.signal, logger, locks);
  } catch (error) {
    logger.debug("Changing whether service user is enabled failed", { user_id: id, error });
    // The other fields are written, so record them with the status as read.
    return {
      newState: stateFromServiceUser(user, token, plannedManagers),
      diagnostics: [
        apiErrorDiagnostic(error, { action: "update", subject }, context.signal),
      ],
    };
  }
  const applied = stateFromServiceUser(user, token, plannedManagers);
  const { state, diagnostics } = reconcileWithPlan(planned, applied, subject);
  return { newState: state, diagnostics };
}
