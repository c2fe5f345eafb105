// Create and in-place update of a digicertone_service_user_role_binding
// (ApplyResourceChange with planned state): both set the manager's roles.

import type { DigicertClient } from "../../digicert/types";
import {
  path,
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
  warningDiagnostic,
} from "../../validation/diagnostics";
import type { KeyedLock } from "../user-access/lock";
import { writeAccess } from "../user-access/modify";
import { bindingErrorDiagnostic } from "./errors";
import {
  bindingState,
  bindingTarget,
  describeBinding,
  describeServiceUser,
  rolesFromState,
  type BindingTarget,
} from "./state";

/**
 * Sets the manager's roles on the service user to the planned roles, with
 * a read-modify-write that leaves the user's other managers as they are.
 * On create, a manager that already had roles gets a warning, because
 * something else may manage it too. On failure, an update returns the
 * prior state and a create returns null.
 */
export async function writeRoleBinding(
  prior: ObjectValue | null,
  planned: ObjectValue,
  client: DigicertClient,
  context: CallContext,
  logger: Logger,
  locks?: KeyedLock,
): Promise<ApplyResponse> {
  const action = prior === null ? "create" : "update";
  const subject = describeBinding(planned);
  const target = bindingTarget(planned);
  const roles = rolesFromState(planned.roles);
  if (target === undefined || roles === undefined) {
    return {
      newState: prior,
      diagnostics: [
        errorDiagnostic(
          `Failed to ${action} ${subject}`,
          "The planned state has an unknown or missing service_user_id, manager or roles. This is a bug in the provider. Please report it with the configuration that caused it.",
        ),
      ],
    };
  }
  const bindingLogger = logger.with({ user_id: target.serviceUserId, manager: target.manager });

  let result;
  try {
    bindingLogger.debug(`Setting role binding roles (${action})`);
    result = await writeAccess(
      { userId: target.serviceUserId, change: { grant: { [target.manager]: roles }, revoke: [] } },
      { client, signal: context.signal, logger: bindingLogger, locks },
    );
  } catch (error) {
    bindingLogger.debug("Setting role binding roles failed", { error });
    return {
      newState: prior,
      diagnostics: [bindingErrorDiagnostic(error, action, subject, context.signal)],
    };
  }

  if (result.status !== "applied") {
    return { newState: prior, diagnostics: [userNotFoundDiagnostic(target, action, subject)] };
  }
  bindingLogger.debug("Set role binding roles");

  // The read-modify-write already read the user before writing, so the
  // manager's earlier roles come at no extra request.
  const diagnostics: Diagnostic[] = [];
  const before = result.before;
  if (prior === null && Object.hasOwn(before.access, target.manager)) {
    diagnostics.push(takeOverWarning(target, before.name, before.access[target.manager], roles));
  }

  // writeAccess returns "applied" only once the user shows exactly these
  // roles in the manager.
  return { newState: bindingState(target, roles), diagnostics };
}

function userNotFoundDiagnostic(
  target: BindingTarget,
  action: string,
  subject: string,
): Diagnostic {
  return errorDiagnostic(
    `Failed to ${action} ${subject}`,
    `DigiCert ONE has no service user with id ${quote(target.serviceUserId)}. Check service_user_id: the service user may have been deleted, or the id may belong to a standard user.`,
    path("service_user_id"),
  );
}

function takeOverWarning(
  target: BindingTarget,
  userName: string,
  previousRoles: readonly string[],
  roles: readonly string[],
): Diagnostic {
  const manager = quote(target.manager);
  const user = describeServiceUser(target.serviceUserId, userName);
  return warningDiagnostic(
    "Role binding took over a manager",
    `The manager ${manager} was already present on ${user}, with the roles ${joinWithAnd(previousRoles.map(quote))}, and this binding has now set its roles to ${joinWithAnd(roles.map(quote))}. ` +
      `If the access of the service user's digicertone_service_user or another role binding grants ${manager}, both now manage the same manager and undo each other's changes on every apply. ` +
      `Remove ${manager} from one of them. If it was granted outside Terraform, the binding now owns it and no change is needed.`,
  );
}
