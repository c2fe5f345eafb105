// Creation of a digicertone_service_user (ApplyResourceChange with no prior
// state).

import { DigicertIncompleteCreateError } from "../../digicert/errors";
import type {
  DigicertClient,
  ServiceUser,
  ServiceUserInput,
} from "../../digicert/types";
import type {
  ApplyResponse,
  CallContext,
  Diagnostic,
  ObjectValue,
} from "../../framework/types";
import { containsUnknown } from "../../framework/values";
import type { Logger } from "../../log";
import { errorDiagnostic, warningDiagnostic } from "../../validation/diagnostics";
import { apiErrorDiagnostic, mayHaveCreated } from "../api-errors";
import { rotateToken, type RotationResult } from "./rotation";
import { findDuplicateNameOwner, namesClash } from "./duplicate";
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
  now: () => Date = () => new Date(),
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
  const sentAt = now().getTime();
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
    if (mayHaveCreated(error) && !context.signal.aborted) {
      const recovered = await recoverLostCreate(
        { planned, input, error, sentAt },
        client,
        context,
        logger,
      );
      if (recovered !== undefined) return recovered;
    }
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

  const issued: ObjectValue = {
    ...planned,
    token: created.token,
    // The first token is issued with the service user.
    token_created_at: created.user.createdAt,
  };
  try {
    return await finishCreate(
      { planned, user: created.user, carried: issued, owned: Object.keys(input.access) },
      client,
      context,
      logger,
    );
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

/** A create POST whose response was lost, and when it was sent (ms since the epoch). */
interface LostCreate {
  planned: ObjectValue;
  input: ServiceUserInput;
  error: unknown;
  sentAt: number;
}

/**
 * How far DigiCert ONE's clock may lag the provider's when a lost create is
 * matched by its created_at. An estimate: hosts synchronised with NTP
 * differ by far less.
 */
const CREATE_CLOCK_SKEW_MS = 10 * 60_000;

/**
 * After a create POST whose response was lost, looks for the service user by
 * name. DigiCert ONE names are unique, and a name taken before the POST
 * would have failed it with duplicate_error, so a user with this name, email
 * and primary account is the one the POST created. Its token never
 * arrived, so a new one is issued and every other token of the user is
 * revoked at once, because no client has received them. Returns undefined when no
 * such user exists or the lookup fails, and the caller reports the original
 * error.
 *
 * A user created more than CREATE_CLOCK_SKEW_MS before the POST was sent is
 * not taken, because the POST cannot have created it: it is a user that had
 * the name already, such as when the POST never reached DigiCert ONE or its
 * duplicate_error response was the one lost.
 *
 * NOTE: a same-named user with the same email and primary account created
 * by someone else within that window before the POST is still taken for
 * the created one, and its tokens are revoked.
 */
async function recoverLostCreate(
  lost: LostCreate,
  client: DigicertClient,
  context: CallContext,
  logger: Logger,
): Promise<ApplyResponse | undefined> {
  const { planned, input, error } = lost;
  const subject = describeServiceUser(planned);
  const earliest = lost.sentAt - CREATE_CLOCK_SKEW_MS;
  let found: ServiceUser | undefined;
  try {
    logger.debug("Looking for the service user of a lost create response");
    found = (await client.listServiceUsers(context.signal)).find(
      (user) =>
        namesClash(user.name, input.name) &&
        user.email === input.email &&
        user.primaryAccountId === input.primaryAccountId &&
        !(Date.parse(user.createdAt) < earliest),
    );
  } catch (lookupError) {
    logger.debug("Looking for the service user of a lost create response failed", {
      error: lookupError,
    });
    return undefined;
  }
  if (found === undefined) return undefined;
  logger.warn("Found the service user of a lost create response", { user_id: found.id });

  const cause = failureDetail(error, subject);
  const owned = Object.keys(input.access);
  let rotation: RotationResult;
  try {
    rotation = await issueRecoveryToken(found.id, client, context, logger);
  } catch (tokenError) {
    logger.debug("Issuing a token for the found service user failed", {
      user_id: found.id,
      error: tokenError,
    });
    const tokenCause = failureDetail(tokenError, subject);
    return {
      newState: stateFromServiceUser(found, { ...planned, token: null, token_created_at: null }, owned),
      diagnostics: [
        errorDiagnostic(
          `Failed to create ${subject}`,
          `The response to the create request was lost: ${cause}\n\n` +
            `DigiCert ONE did create the service user, with id ${found.id}, so its API token was never received. Listing its API tokens or issuing a new one failed too: ${tokenCause}\n\n` +
            "Terraform records the service user, with a null token, as tainted. Run `terraform apply` again to replace it with a new service user and token. " +
            "To keep this one instead, run `terraform untaint <resource address>` and add or change rotation_triggers, which issues a token in place.",
        ),
      ],
    };
  }

  const recovered: ObjectValue = {
    ...planned,
    token: rotation.issued.token,
    token_created_at: rotation.issued.apiToken.createdAt,
  };
  // The error below explains a revocation that failed.
  const revoked = rotation.failed.length === 0 ? ", and revoked the token that was lost" : "";
  const diagnostics: Diagnostic[] = [
    warningDiagnostic(
      `Recovered ${subject} after a lost response`,
      `The response to the create request was lost: ${cause}\n\n` +
        `DigiCert ONE did create the service user, with id ${found.id}, but its API token never arrived. ` +
        `The provider found the service user by name and issued it a new API token, which is in state${revoked}.`,
    ),
  ];
  if (rotation.failed.length > 0) {
    const ids = rotation.failed.map(({ token }) => token.id).join(", ");
    diagnostics.push(
      errorDiagnostic(
        `Lost API token of ${subject} still works`,
        `The provider could not revoke the API token that was lost (token ids ${ids}). No client has received it, but revoke it in DigiCert ONE, or change rotation_triggers with token_overlap_days = 0 to revoke it at the next apply.`,
      ),
    );
  }
  const finished = await finishCreate(
    { planned, user: found, carried: recovered, owned },
    client,
    context,
    logger,
  );
  return { ...finished, diagnostics: [...diagnostics, ...(finished.diagnostics ?? [])] };
}

/** A service user that exists after a create, and the values its state carries. */
interface CreatedUser {
  planned: ObjectValue;
  user: ServiceUser;
  /** The token and the other attributes the API does not return (see carriedValues). */
  carried: ObjectValue;
  owned: string[];
}

/**
 * Disables the created service user when the plan sets enabled to false, then returns its
 * state. A failed disable still returns the state, enabled, with an error, so
 * that Terraform records the user (tainted) with its token.
 */
async function finishCreate(
  created: CreatedUser,
  client: DigicertClient,
  context: CallContext,
  logger: Logger,
): Promise<ApplyResponse> {
  const { planned, carried, owned } = created;
  const subject = describeServiceUser(planned);
  let user = created.user;
  try {
    user = await applyEnabled(user, planned.enabled, client, context.signal, logger);
  } catch (error) {
    logger.debug("Disabling created service user failed", { user_id: user.id, error });
    return {
      newState: stateFromServiceUser(user, carried, owned),
      diagnostics: [apiErrorDiagnostic(error, { action: "update", subject }, context.signal)],
    };
  }
  const applied = stateFromServiceUser(user, carried, owned);
  const { state, diagnostics } = reconcileWithPlan(planned, applied, subject);
  return { newState: state, diagnostics };
}

/** Issues of a recovery token tried before giving up. */
const RECOVERY_TOKEN_ATTEMPTS = 3;

/**
 * Issues a token for a recovered user and revokes every other one. When the
 * issue's own response is lost too, the next attempt lists that token with
 * the others and revokes it, so a lost token never stays valid.
 */
async function issueRecoveryToken(
  userId: string,
  client: DigicertClient,
  context: CallContext,
  logger: Logger,
): Promise<RotationResult> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await rotateToken(userId, 0, client, context.signal, logger);
    } catch (error) {
      if (attempt >= RECOVERY_TOKEN_ATTEMPTS || context.signal.aborted || !mayHaveCreated(error)) {
        throw error;
      }
      logger.warn("Issuing a recovery token failed; trying again", { user_id: userId, attempt, error });
    }
  }
}

/** Returns the detail text of the diagnostic for a client error. */
function failureDetail(error: unknown, subject: string): string {
  return apiErrorDiagnostic(error, { action: "read", subject }).detail;
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
