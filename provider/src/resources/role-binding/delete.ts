// Deletion of a digicertone_service_user_role_binding (ApplyResourceChange
// with null planned state): the manager is removed from the service user.

import type { DigicertClient } from "../../digicert/types";
import type {
  ApplyResponse,
  CallContext,
  Diagnostic,
  ObjectValue,
} from "../../framework/types";
import type { Logger } from "../../log";
import {
  commandParagraph,
  errorDiagnostic,
  quote,
} from "../../validation/diagnostics";
import type { KeyedLock } from "../user-access/lock";
import { writeAccess } from "../user-access/modify";
import { bindingErrorDiagnostic } from "./errors";
import { bindingTarget, describeBinding, describeServiceUser, type BindingTarget } from "./state";

/**
 * Removes the binding's manager from the service user, leaving its other
 * managers as they are. A service user or manager that is already gone
 * counts as deleted. DigiCert ONE requires at least one manager per service
 * user, so removing the last one fails with an error that explains what to
 * do, and the binding stays in state.
 */
export async function deleteRoleBinding(
  prior: ObjectValue,
  client: DigicertClient,
  context: CallContext,
  logger: Logger,
  locks?: KeyedLock,
): Promise<ApplyResponse> {
  const target = bindingTarget(prior);
  // A state without a service user id or manager has nothing remote to delete.
  if (target === undefined) return { newState: null };
  const subject = describeBinding(prior);
  const bindingLogger = logger.with({ user_id: target.serviceUserId, manager: target.manager });

  let result;
  try {
    bindingLogger.debug("Removing role binding manager");
    result = await writeAccess(
      { userId: target.serviceUserId, change: { grant: {}, revoke: [target.manager] } },
      { client, signal: context.signal, logger: bindingLogger, locks },
    );
  } catch (error) {
    bindingLogger.debug("Removing role binding manager failed", { error });
    return {
      newState: prior,
      diagnostics: [bindingErrorDiagnostic(error, "delete", subject, context.signal)],
    };
  }

  switch (result.status) {
    case "user_not_found":
      bindingLogger.debug("Service user of the role binding no longer exists");
      return { newState: null };
    case "no_manager_left":
      bindingLogger.debug("Role binding manager is the service user's last manager");
      return {
        newState: prior,
        diagnostics: [lastManagerDiagnostic(target, subject, result.user.name)],
      };
    case "applied":
      bindingLogger.debug("Removed role binding manager");
      return { newState: null };
  }
}

/**
 * Builds the error for a binding whose manager is the service user's last.
 * Terraform sends no resource address in ApplyResourceChange, so the
 * `terraform state rm` command shows the address's usual form.
 */
function lastManagerDiagnostic(target: BindingTarget, subject: string, userName: string): Diagnostic {
  const manager = quote(target.manager);
  const user = describeServiceUser(target.serviceUserId, userName);
  return errorDiagnostic(
    `Failed to delete ${subject}`,
    `${manager} is the last manager of ${user}, and DigiCert ONE requires every service user to keep at least one manager, so the binding cannot remove it. The roles stay as they are, and Terraform keeps the binding in state.\n\n` +
      "Grant the service user another manager first (in the access of its digicertone_service_user or with another role binding), then destroy this binding. " +
      "To delete the service user itself, destroy its digicertone_service_user instead. " +
      "To stop managing the roles with Terraform but keep them on the service user, remove the binding from state, using the binding's address from `terraform state list`:" +
      commandParagraph("terraform state rm 'digicertone_service_user_role_binding.<name>'"),
  );
}
