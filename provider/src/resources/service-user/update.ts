// In-place update of a digicertone_service_user (ApplyResourceChange with
// prior and planned state).

import type { DigicertClient } from "../../digicert/types";
import {
  isUnknown,
  type ApplyResponse,
  type CallContext,
  type Diagnostic,
  type ObjectValue,
} from "../../framework/types";
import type { Logger } from "../../log";
import {
  errorDiagnostic,
  joinWithAnd,
  quote,
} from "../../validation/diagnostics";
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
  decideRotation,
  decodeObservedAt,
  overlapDaysOf,
  rotateToken,
  type RotationResult,
} from "./rotation";
import {
  carriedValues,
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
 * enabled, because the PUT leaves the status alone. Last, when the plan
 * rotates the token, a new token is issued (see rotation.ts).
 */
export async function updateServiceUser(
  prior: ObjectValue,
  planned: ObjectValue,
  client: DigicertClient,
  context: CallContext,
  logger: Logger,
  plannedPrivate: Uint8Array | undefined,
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

  // The token and its time come from the prior state unless a rotation
  // replaces them. Until the rotation succeeds, state keeps the prior
  // rotation_triggers, so that the next plan tries the rotation again.
  const rotate =
    isUnknown(planned.token) &&
    decideRotation(planned, prior, decodeObservedAt(plannedPrivate)).rotate;
  const kept: ObjectValue = {
    ...carriedValues(planned),
    token: prior.token ?? null,
    token_created_at: prior.token_created_at ?? null,
  };
  const unrotated: ObjectValue = rotate
    ? { ...kept, rotation_triggers: prior.rotation_triggers ?? null }
    : kept;

  let user = result.user;
  try {
    user = await applyEnabled(user, planned.enabled, client, context.signal, logger, locks);
  } catch (error) {
    logger.debug("Changing whether service user is enabled failed", { user_id: id, error });
    // The other fields are written, so record them with the status as read.
    return {
      newState: stateFromServiceUser(user, unrotated, plannedManagers),
      diagnostics: [
        apiErrorDiagnostic(error, { action: "update", subject }, context.signal),
      ],
    };
  }
  if (!rotate) {
    const applied = stateFromServiceUser(user, kept, plannedManagers);
    const { state, diagnostics } = reconcileWithPlan(planned, applied, subject);
    return { newState: state, diagnostics };
  }

  let rotation: RotationResult;
  try {
    rotation = await rotateToken(
      id,
      overlapDaysOf(planned.token_overlap_days),
      client,
      context.signal,
      logger,
    );
  } catch (error) {
    logger.debug("Rotating API token failed", { user_id: id, error });
    return {
      newState: stateFromServiceUser(user, unrotated, plannedManagers),
      diagnostics: [rotationFailedDiagnostic(subject, error, context.signal)],
    };
  }
  const rotated: ObjectValue = {
    ...kept,
    token: rotation.issued.token,
    token_created_at: rotation.issued.apiToken.createdAt,
  };
  const applied = stateFromServiceUser(user, rotated, plannedManagers);
  const { state, diagnostics } = reconcileWithPlan(planned, applied, subject);
  if (rotation.failed.length > 0) {
    diagnostics.push(retireFailedDiagnostic(subject, rotation));
  }
  return { newState: state, diagnostics };
}

/** Builds the error of a rotation that issued no token, when only the other fields changed. */
function rotationFailedDiagnostic(
  subject: string,
  error: unknown,
  signal: AbortSignal | undefined,
): Diagnostic {
  const cause = apiErrorDiagnostic(error, { action: "update", subject }, signal);
  return errorDiagnostic(
    `Failed to rotate the API token of ${subject}`,
    `${cause.detail}\n\nThe other changes were applied. The service user keeps its previous token, which still works, and the next apply tries the rotation again.`,
  );
}

/** Builds the error of a rotation that issued a token but could not retire every earlier one. */
function retireFailedDiagnostic(subject: string, rotation: RotationResult): Diagnostic {
  const ids = joinWithAnd(rotation.failed.map(({ token }) => quote(token.id)));
  const causes = rotation.failed
    .map(({ error }) => (error instanceof Error ? error.message : String(error)))
    .filter((message, index, all) => all.indexOf(message) === index)
    .join(" ");
  const plan =
    rotation.endDate === null
      ? "revoke them"
      : `set their end_date to ${rotation.endDate}`;
  return errorDiagnostic(
    `Earlier API tokens of ${subject} still work`,
    `The new API token is in state, but the provider could not retire the earlier tokens with the ids ${ids}: ${causes} ` +
      `They keep working until their own end dates. To retire them, ${plan} in DigiCert ONE (Account Manager, API tokens of the service user), or change rotation_triggers to rotate again.`,
  );
}
