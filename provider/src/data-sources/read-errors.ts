// Diagnostics for client errors during a data source read. Most errors get
// the same diagnostic as a resource's read. The advice for access_denied and
// resource_not_found differs, because the resource's advice is about
// changing service users and about a managed object deleted outside
// Terraform.

import { DigicertApiError } from "../digicert/errors";
import type { Diagnostic } from "../framework/types";
import { errorDiagnostic } from "../validation/diagnostics";
import { apiErrorDiagnostic } from "../resources/api-errors";

/**
 * Builds the diagnostic for an error thrown by a client call of a data
 * source. `subject` names what was read, such as 'account "Acme"'. Pass the
 * call's signal, because once it is aborted the error is the cancellation.
 */
export function readErrorDiagnostic(
  error: unknown,
  subject: string,
  signal: AbortSignal,
): Diagnostic {
  if (!signal.aborted && error instanceof DigicertApiError) {
    const advice = readAdvice(error);
    if (advice !== undefined) {
      return errorDiagnostic(`Failed to read ${subject}`, `${describeApiError(error)}\n\n${advice}`);
    }
  }
  return apiErrorDiagnostic(error, { action: "read", subject }, signal);
}

/**
 * Describes the error response without the client's own hint, which for
 * access_denied is about changing service users.
 */
function describeApiError(error: DigicertApiError): string {
  let detail = `DigiCert ONE returned ${error.code} (HTTP ${error.status}) to ${error.method} ${error.path}`;
  detail += error.apiMessage ? `: ${error.apiMessage}` : ".";
  if (error.apiMessage && !/[.!?]$/.test(error.apiMessage)) detail += ".";
  if (error.requestId) detail += ` Request id: ${error.requestId}.`;
  return detail;
}

function readAdvice(error: DigicertApiError): string | undefined {
  switch (error.code) {
    case "access_denied":
      return "The user that owns the API key lacks a permission that this read needs. Reading accounts, roles and service users needs a role with the Account Manager's view permissions. Use the API key of such a user, or ask a DigiCert ONE administrator to grant such a role.";
    case "resource_not_found":
      return 'A list request returned not found, so url may not point at the DigiCert ONE Account Manager API. Check that url in the provider block (or the DIGICERT_ONE_URL environment variable) is the DigiCert ONE base URL, such as "https://one.digicert.com", with no path.';
    default:
      return undefined;
  }
}
