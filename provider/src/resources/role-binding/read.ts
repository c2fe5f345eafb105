// Refresh of a digicertone_service_user_role_binding (ReadResource).

import type { DigicertClient } from "../../digicert/types";
import type {
  CallContext,
  ReadRequest,
  ReadResponse,
} from "../../framework/types";
import type { Logger } from "../../log";
import { errorDiagnostic } from "../../validation/diagnostics";
import { sameRoles } from "../user-access/merge";
import { bindingErrorDiagnostic } from "./errors";
import {
  bindingState,
  bindingTarget,
  describeBinding,
  rolesFromState,
} from "./state";

/**
 * Reads the manager's roles from the service user. Returns null state when
 * the service user no longer exists or no longer has the manager, so that
 * the next plan creates the binding again.
 */
export async function readRoleBinding(
  request: ReadRequest,
  client: DigicertClient,
  context: CallContext,
  logger: Logger,
): Promise<ReadResponse> {
  const prior = request.state;
  const subject = describeBinding(prior);
  const target = bindingTarget(prior);
  if (target === undefined) {
    return {
      state: prior,
      diagnostics: [
        errorDiagnostic(
          `Failed to read ${subject}`,
          "The state has no service_user_id or manager. Remove the binding from state with `terraform state rm` and import it again with the id <service_user_id>/<manager>.",
        ),
      ],
    };
  }
  const bindingLogger = logger.with({ user_id: target.serviceUserId, manager: target.manager });

  let user;
  try {
    bindingLogger.debug("Reading role binding");
    user = await client.getServiceUser(target.serviceUserId, context.signal);
  } catch (error) {
    bindingLogger.debug("Reading role binding failed", { error });
    return {
      state: prior,
      diagnostics: [bindingErrorDiagnostic(error, "read", subject, context.signal)],
    };
  }

  if (user === null) {
    bindingLogger.debug("Service user of the role binding no longer exists");
    return { state: null };
  }
  if (!Object.hasOwn(user.access, target.manager)) {
    bindingLogger.debug("Service user no longer has the role binding's manager");
    return { state: null };
  }

  // Keep the stored order when the roles are the same set, so that state
  // does not churn.
  const roles = user.access[target.manager];
  const priorRoles = rolesFromState(prior.roles);
  const rolesInState =
    priorRoles !== undefined && sameRoles(priorRoles, roles) ? priorRoles : roles;
  return { state: bindingState(target, rolesInState) };
}
