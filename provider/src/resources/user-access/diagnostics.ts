// Diagnostics for the outcomes of a read-modify-write of a service user's
// access that are not API errors.

import type { Diagnostic } from "../../framework/types";
import { errorDiagnostic, joinWithAnd, quote } from "../../validation/diagnostics";
import type { AccessChangeLostError } from "./modify";

/** Builds the error for a change that another writer undid on every attempt. */
export function accessChangeLostDiagnostic(
  error: AccessChangeLostError,
  summary: string,
): Diagnostic {
  const managers = joinWithAnd(error.managerCodes.map(quote));
  return errorDiagnostic(
    summary,
    `${error.message} Something else changes the same service user at the same time, such as another Terraform run or a person in DigiCert ONE.\n\n` +
      `If two configurations manage ${managers} on this service user (the access of a digicertone_service_user and a digicertone_service_user_role_binding, or two role bindings), keep only one of them. Otherwise wait for the other change to finish and apply again.`,
  );
}

/** Builds the error for a service user that no longer exists when apply reads it. */
export function serviceUserGoneDiagnostic(userId: string, summary: string): Diagnostic {
  return errorDiagnostic(
    summary,
    `The service user with id ${quote(userId)} no longer exists in DigiCert ONE, perhaps deleted outside Terraform. Run the command again: the refresh removes it from state, and the plan shows what to create anew.`,
  );
}
