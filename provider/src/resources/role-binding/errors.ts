// Diagnostics for failures of a role binding's API calls.

import { DigicertCatalogueError } from "../../digicert/errors";
import { path, type Diagnostic } from "../../framework/types";
import { errorDiagnostic } from "../../validation/diagnostics";
import { apiErrorDiagnostic, type OperationAction } from "../api-errors";
import { accessChangeLostDiagnostic } from "../user-access/diagnostics";
import { AccessChangeLostError } from "../user-access/modify";

/** Builds the diagnostic for an error thrown while applying or reading a binding. */
export function bindingErrorDiagnostic(
  error: unknown,
  action: OperationAction,
  subject: string,
  signal: AbortSignal,
): Diagnostic {
  const summary = `Failed to ${action} ${subject}`;
  if (signal.aborted) {
    return errorDiagnostic(summary, `The ${action} was cancelled because Terraform is stopping.`);
  }
  if (error instanceof AccessChangeLostError) {
    return accessChangeLostDiagnostic(error, summary);
  }
  if (error instanceof DigicertCatalogueError) {
    // The plan checks the codes too, so this is a catalogue that changed
    // between plan and apply, or a manager another configuration granted.
    const attribute = error.code === "unknown_manager" ? "manager" : "roles";
    return errorDiagnostic(summary, error.message, path(attribute));
  }
  return apiErrorDiagnostic(error, { action, subject }, signal);
}
