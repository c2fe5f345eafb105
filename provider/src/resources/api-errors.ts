// Diagnostics for errors from the DigiCert ONE client during apply and read.
// Each names the object, the API's error code, message and request id, and
// what to do next. None contains the API key or a token, because the
// messages of the client's errors never contain them and this module reads
// no other property that could.

import {
  DigicertApiError,
  DigicertCatalogueError,
  DigicertNetworkError,
  DigicertResponseError,
  describeRetries,
} from "../digicert/errors";
import type { ServiceUserInput } from "../digicert/types";
import { API_BASE_PATH, inputFieldsNamedIn } from "../digicert/constants";
import { path, type AttributePath, type Diagnostic } from "../framework/types";
import {
  commandParagraph,
  errorDiagnostic,
  joinWithAnd,
  quote,
} from "../validation/diagnostics";

const IMPORT_COMMAND = importCommand(undefined);

/** Returns the import command, with the service user's id when it is known. */
function importCommand(userId: string | undefined): string {
  return `terraform import <resource address> ${userId ?? "<service user id>"}`;
}

/** The settings that give the base URL, for advice about a wrong server. */
const URL_SETTING =
  "url in the provider block (or the DIGICERT_ONE_URL environment variable)";

/** The Terraform attribute that sets each field of a create or update request. */
const ATTRIBUTE_OF_INPUT_FIELD: { [field in keyof ServiceUserInput]: string } = {
  name: "name",
  description: "description",
  email: "email",
  expirationDate: "expiration_date",
  primaryAccountId: "primary_account_id",
  accountIds: "account_ids",
  access: "access",
};

export type OperationAction = "create" | "read" | "update" | "delete";

/** The operation that failed, for the message. */
export interface FailedOperation {
  action: OperationAction;
  /** The object, such as 'service user "release bot"'. */
  subject: string;
  /** The service user's friendly name when known, for the duplicate-name and partial-create advice. */
  name?: string;
  /** The id of the service user that already has `name`, for the duplicate-name advice. */
  existingUserId?: string;
}

/** Returns whether `error` is the API's report that the object does not exist. */
export function isNotFound(error: unknown): boolean {
  return error instanceof DigicertApiError && error.code === "resource_not_found";
}

/**
 * Builds the diagnostic for an error thrown by a client call. Pass the
 * call's signal: when it is aborted, the error is the cancellation.
 */
export function apiErrorDiagnostic(
  error: unknown,
  operation: FailedOperation,
  signal?: AbortSignal,
): Diagnostic {
  if (signal?.aborted) {
    const summary = `Failed to ${operation.action} ${operation.subject}`;
    return errorDiagnostic(summary, cancelledDetail(operation));
  }

  const diagnostic = failureDiagnostic(error, operation);
  const retries = retriesParagraph(error);
  if (retries !== "") {
    diagnostic.detail += `\n\n${retries}`;
  }
  if (operation.action === "create" && mayHaveCreated(error)) {
    diagnostic.detail += `\n\n${partialCreateAdvice(operation)}`;
  }
  return diagnostic;
}

const RETRY_SETTINGS_ADVICE =
  "To retry for longer, raise max_retries or max_retry_duration in the provider block.";

/**
 * Describes the retries of a failed request, and the settings that allow
 * more when the client stopped at a limit. A network error's message
 * already describes its retries, so for it only the advice is added.
 */
function retriesParagraph(error: unknown): string {
  if (error instanceof DigicertApiError && error.retries !== undefined) {
    const advice = error.retries.stopReason === undefined ? "" : ` ${RETRY_SETTINGS_ADVICE}`;
    return describeRetries(error.retries) + advice;
  }
  if (error instanceof DigicertNetworkError && error.retries?.stopReason !== undefined) {
    return RETRY_SETTINGS_ADVICE;
  }
  return "";
}

function failureDiagnostic(error: unknown, operation: FailedOperation): Diagnostic {
  const summary = `Failed to ${operation.action} ${operation.subject}`;
  if (error instanceof DigicertApiError) {
    return errorDiagnostic(summary, apiErrorDetail(error, operation));
  }
  if (error instanceof DigicertCatalogueError) {
    return catalogueErrorDiagnostic(error, summary);
  }
  if (error instanceof DigicertNetworkError) {
    return errorDiagnostic(summary, `${error.message} ${networkAdvice(error)}`);
  }
  if (error instanceof DigicertResponseError) {
    return errorDiagnostic(
      summary,
      `${error.message} Check that ${URL_SETTING} points at a DigiCert ONE host.`,
    );
  }
  const message = error instanceof Error ? error.message : String(error);
  return errorDiagnostic(summary, `Unexpected error: ${message}`);
}

/** Returns what to check after a request that got no complete response. */
function networkAdvice(error: DigicertNetworkError): string {
  switch (error.code) {
    case "connect_timeout":
      return `Check the host and port in ${URL_SETTING}, and that no firewall or proxy stops this machine from reaching ${error.host}.`;
    case "headers_timeout":
      return `Check that ${URL_SETTING} points at DigiCert ONE and not at another service that accepts connections but never replies. If it does point at DigiCert ONE, the service may be overloaded, so try again later.`;
    case "body_timeout":
      return `The connection stalled in the middle of the response, or DigiCert ONE is overloaded. Check the network between this machine and ${error.host}, and try again later.`;
    default:
      return `Check ${URL_SETTING} and that this machine can reach the host.`;
  }
}

/** Network failures after which the request may have reached DigiCert ONE. */
const NETWORK_FAILURES_AFTER_SENDING = new Set([
  "headers_timeout",
  "body_timeout",
  "connection_reset",
  "network_error",
]);

/**
 * Returns whether the create POST may have succeeded although the client
 * saw a failure: a server error, a lost connection or an unreadable
 * response. Failures of the role lookups before the POST return false.
 */
export function mayHaveCreated(error: unknown): boolean {
  if (error instanceof DigicertApiError) {
    return error.method === "POST" && error.status >= 500;
  }
  if (error instanceof DigicertNetworkError) {
    return error.method === "POST" && NETWORK_FAILURES_AFTER_SENDING.has(error.code);
  }
  if (error instanceof DigicertResponseError) {
    return error.method === "POST";
  }
  return false;
}

function partialCreateAdvice(operation: FailedOperation): string {
  const named = operation.name === undefined ? "" : ` named ${quote(operation.name)}`;
  return (
    `DigiCert ONE may have created the service user before the failure, and its token is then lost. Before you apply again, look for a service user${named} in DigiCert ONE. If it exists, delete it, or import it and then add or change rotation_triggers, which issues a new token in place:` +
    commandParagraph(IMPORT_COMMAND)
  );
}

function cancelledDetail(operation: FailedOperation): string {
  const detail = `The ${operation.action} was cancelled because Terraform is stopping.`;
  if (operation.action !== "create") return detail;
  return (
    `${detail} DigiCert ONE may have created the service user before the cancellation. If it exists, delete it in DigiCert ONE or import it:` +
    commandParagraph(IMPORT_COMMAND)
  );
}

function apiErrorDetail(
  error: DigicertApiError,
  operation: FailedOperation,
): string {
  if (!error.hasApiCode) return notApiErrorDetail(error);

  let detail = `DigiCert ONE returned ${error.code} (HTTP ${error.status})`;
  detail += error.apiMessage ? `: ${error.apiMessage}` : ".";
  if (error.apiMessage && !/[.!?]$/.test(error.apiMessage)) detail += ".";
  if (error.requestId) detail += ` Request id: ${error.requestId}.`;
  // The advice starts a paragraph, so Terraform wraps it the same way
  // whatever the length of the API's message.
  return `${detail}\n\n${adviceFor(error, operation)}`;
}

/**
 * Describes an error response without a DigiCert ONE error code, such as a
 * 404 page from a server that is not DigiCert ONE or a gateway's 502 page.
 */
function notApiErrorDetail(error: DigicertApiError): string {
  const server = error.origin === undefined ? "The server" : `The server at ${error.origin}`;
  let detail =
    `${server} returned HTTP ${error.status} to ${error.method} ${error.path} without a DigiCert ONE error code, ` +
    `so it did not answer as the DigiCert ONE Account Manager API, which serves paths under ${API_BASE_PATH}/.`;
  if (error.requestId) detail += ` Request id: ${error.requestId}.`;
  // On a line of its own, because a sentence would end in `."`.
  if (error.apiMessage) detail += `\n\nResponse excerpt: ${quote(error.apiMessage)}`;

  const baseUrlRule = `the DigiCert ONE base URL, such as "https://one.digicert.com", with no path`;
  if (error.status === 429 || error.status >= 500) {
    return (
      `${detail}\n\nDigiCert ONE, or a proxy in front of it, may be overloaded or in maintenance. Try again later. ` +
      `If the error persists, check that ${URL_SETTING} is ${baseUrlRule}.`
    );
  }
  return `${detail}\n\nCheck that ${URL_SETTING} is ${baseUrlRule}.`;
}

/** Returns the advice to contact support, naming the request id only when there is one. */
function supportAdvice(error: DigicertApiError): string {
  return error.requestId
    ? "contact DigiCert support with the request id"
    : "contact DigiCert support";
}

function adviceFor(error: DigicertApiError, operation: FailedOperation): string {
  switch (error.code) {
    case "duplicate_error":
      return duplicateNameAdvice(operation);
    case "access_denied":
      return 'The user that owns the API key needs a role with the "Manage users" permission to create, update, disable, enable and delete service users and to issue or revoke their API tokens. Use the API key of such a user, or ask a DigiCert ONE administrator to grant that permission. If the key is a service user\'s API token, that service user needs an Account Manager role with "Manage users".';
    case "invalid_api_key":
      return "DigiCert ONE did not accept the API key. Check api_key in the provider block or the DIGICERT_ONE_API_KEY environment variable. The key must belong to this DigiCert ONE host (demo keys do not work in production). It must be neither revoked nor past its end date, and its user must be neither disabled nor expired. If the key was revoked or has expired, set a new API token of its user, which an administrator can issue. A failed refresh leaves the state unchanged, so run the command again once the key works.";
    case "invalid_request":
      return invalidRequestAdvice(error);
    case "resource_not_found":
      return operation.action === "create"
        ? "An id in the configuration does not exist, or this API key cannot see it. Check account_ids and primary_account_id."
        : "The service user no longer exists in DigiCert ONE, perhaps deleted outside Terraform. Run the command again: the refresh removes it from state, and the plan creates it anew.";
  }
  if (error.status === 429 || error.status === 503) {
    return "DigiCert ONE is rate limiting requests or is in maintenance. Try again later.";
  }
  if (error.status >= 500) {
    return `DigiCert ONE failed with a server error. Try again later, and if the error persists, ${supportAdvice(error)}.`;
  }
  return `The message above gives the cause. If it is unclear, ${supportAdvice(error)}.`;
}

/**
 * Names the Terraform attributes behind the request fields that the API's
 * message mentions, because the API uses its own field names, such as
 * end_date for expiration_date.
 */
function invalidRequestAdvice(error: DigicertApiError): string {
  const attributes = inputFieldsNamedIn(error.apiMessage ?? "").map(
    (field) => ATTRIBUTE_OF_INPUT_FIELD[field],
  );
  if (attributes.length === 0) {
    return "Correct the value that the message names in the configuration and apply again.";
  }
  return `Correct ${joinWithAnd(attributes)} in the configuration and apply again. The message uses the API's field names.`;
}

/**
 * Explains a name that another service user already has. Names are unique,
 * so a replacement with create_before_destroy fails too, because it creates
 * the new service user while the old one still has the name.
 */
function duplicateNameAdvice(operation: FailedOperation): string {
  const named = operation.name === undefined ? "that name" : `the name ${quote(operation.name)}`;
  const existing =
    operation.existingUserId === undefined ? "" : ` (id ${operation.existingUserId})`;
  const summary = `A service user with ${named}${existing} already exists. Service user names are unique in DigiCert ONE, which compares them without regard to case.`;
  const command = commandParagraph(importCommand(operation.existingUserId));
  // The provider receives one resource at a time, without its address, so
  // it cannot name the other resource or catch the clash at plan time.
  const sameConfigurationAdvice =
    `If another resource in this configuration sets ${named}, that resource has it now: Terraform plans each resource on its own, so the clash shows only when DigiCert ONE rejects the second request. Give each resource its own name.`;
  if (operation.action !== "create") {
    return `${summary}\n\nSet name to another value, or manage the existing service user with Terraform by importing it:${command}\n\n${sameConfigurationAdvice}`;
  }

  const replacementAdvice =
    "If this create replaces a service user whose lifecycle block sets create_before_destroy, the new service user cannot take the name while the old one still has it. " +
    "Remove create_before_destroy from the resource's lifecycle block, so that Terraform destroys the old service user first, or change name so that the two differ.";
  const importAdvice = `If the existing service user is not managed by this configuration, set name to another value, or manage it with Terraform by importing it:${command}`;
  const lostResponseAdvice =
    "If an earlier apply failed while it created this service user (its response was lost), the service user is this configuration's, but its token never arrived. Import it as above, then add or change rotation_triggers in its configuration: the next apply issues a new token in place and retires the lost one (see token_overlap_days).";
  return `${summary}\n\n${sameConfigurationAdvice}\n\n${replacementAdvice}\n\n${importAdvice}\n\n${lostResponseAdvice}`;
}

function catalogueErrorDiagnostic(
  error: DigicertCatalogueError,
  summary: string,
): Diagnostic {
  const managerPath: AttributePath = path("access", { key: error.managerCode });
  const valid =
    error.validCodes.length > 0
      ? joinWithAnd(error.validCodes.map(quote))
      : "none (the API key may not see any manager)";

  if (error.code === "unknown_manager") {
    return errorDiagnostic(
      summary,
      `DigiCert ONE has no manager with the code ${quote(error.managerCode)}. Valid manager codes for this API key: ${valid}. Use one of them as a key of access.`,
      managerPath,
    );
  }
  return errorDiagnostic(
    summary,
    `The manager ${quote(error.managerCode)} has no role with the code ${quote(error.roleCode ?? "")}. Valid role codes: ${valid}. Use them in access[${quote(error.managerCode)}].roles.`,
    // Terraform cannot point inside a map element of a nested attribute.
    managerPath,
  );
}
