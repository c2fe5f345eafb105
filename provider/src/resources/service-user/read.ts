// Refresh of a digicertone_service_user (ReadResource).

import type { DigicertClient } from "../../digicert/types";
import type {
  CallContext,
  ReadRequest,
  ReadResponse,
} from "../../framework/types";
import type { Logger } from "../../log";
import { errorDiagnostic, quote, warningDiagnostic } from "../../validation/diagnostics";
import { apiErrorDiagnostic } from "../api-errors";
import { encodeObservedAt } from "./rotation";
import {
  describeServiceUser,
  ownedManagerCodes,
  stateFromServiceUser,
} from "./state";

/**
 * Reads the service user into state. Returns null state when it no longer
 * exists, so that the next plan creates it again. The token and the other
 * carried attributes come from the prior state, because the API never
 * returns them. The private state records DigiCert ONE's time of the read,
 * for the age check of rotation_days (see rotation.ts). `access`
 * keeps only the managers of the prior state's `access`, because managers
 * granted elsewhere (such as by role bindings) are not this resource's.
 * After an import, when the prior `access` is null, it keeps every manager.
 */
export async function readServiceUser(
  request: ReadRequest,
  client: DigicertClient,
  context: CallContext,
  logger: Logger,
): Promise<ReadResponse> {
  const prior = request.state;
  const subject = describeServiceUser(prior);
  const id = prior.id;
  if (typeof id !== "string" || id === "") {
    return {
      state: prior,
      diagnostics: [
        errorDiagnostic(
          `Failed to read ${subject}`,
          "The state has no service user id. Remove the resource from state with `terraform state rm` and import it again by id.",
        ),
      ],
    };
  }

  let user;
  try {
    logger.debug("Reading service user", { user_id: id });
    user = await client.getServiceUser(id, context.signal);
  } catch (error) {
    logger.debug("Reading service user failed", { user_id: id, error });
    return {
      state: prior,
      diagnostics: [
        apiErrorDiagnostic(error, { action: "read", subject }, context.signal),
      ],
    };
  }

  if (user === null) {
    logger.debug("Service user no longer exists", { user_id: id });
    return {
      state: null,
      diagnostics: [
        warningDiagnostic(
          "Service user deleted outside Terraform",
          `DigiCert ONE has no ${subject} with id ${quote(id)} any more, so Terraform removes it from state and plans to create it again. ` +
            "The new service user gets a new id and a new API token; clients that use the old token must switch to the new one.",
        ),
      ],
    };
  }
  const owned = ownedManagerCodes(prior.access);
  return {
    state: stateFromServiceUser(user, prior, owned),
    private: encodeObservedAt(user.readAt ?? new Date().toISOString()),
  };
}
