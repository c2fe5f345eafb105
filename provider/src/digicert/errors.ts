// Errors thrown by the DigiCert ONE client. Each class carries a stable `code`
// that callers and tests branch on, and a message for people. Messages never
// contain the API key or a token. From a response body they quote only the
// API's error message or a short excerpt of a non-JSON error page.

/** Base class of every error the DigiCert ONE client throws. */
export class DigicertError extends Error {
  /** Stable, machine-readable error code, such as "duplicate_error". */
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** How often the client sent a request before it gave up, for a message. */
export interface RetrySummary {
  /** How many times the request was sent, the first attempt included. */
  attempts: number;
  /** Time from the start of the first attempt to the end of the last, in ms. */
  elapsedMs: number;
  /**
   * Why the client did not retry the last failure, as a clause such as "the
   * limit of 5 retries was reached". Undefined when that failure is not one
   * the client retries.
   */
  stopReason?: string;
}

/** Describes the retries of a request in one sentence, or "" for none. */
export function describeRetries(retries: RetrySummary | undefined): string {
  if (retries === undefined) return "";
  // Tenths of a second are precise enough for a person.
  const elapsed = formatSeconds(Math.round(retries.elapsedMs / 100) * 100);
  if (retries.attempts === 1) {
    return retries.stopReason === undefined
      ? ""
      : `The provider did not retry, because ${retries.stopReason}.`;
  }
  const sent = `The provider sent the request ${retries.attempts} times over ${elapsed}`;
  return retries.stopReason === undefined
    ? `${sent}.`
    : `${sent} and gave up, because ${retries.stopReason}.`;
}

export interface DigicertApiErrorDetails {
  /** HTTP status of the response. */
  status: number;
  /** The API's error code, or `http_<status>` when the body has none. */
  code: string;
  /** The API's error message, if the body carried one. */
  apiMessage?: string;
  /** Value of the `x-request-id` response header, if present. */
  requestId?: string;
  /** Milliseconds to wait before retrying, from a `Retry-After` header. */
  retryAfterMs?: number;
  method: string;
  /** Request path, including the API base path and the query string. */
  path: string;
  /** Scheme, host and port of the server that returned the status, such as "https://one.digicert.com". */
  origin?: string;
  /** The attempts before this response, when the client retried or chose not to. */
  retries?: RetrySummary;
}

/** An HTTP error status from the DigiCert ONE API. */
export class DigicertApiError extends DigicertError {
  readonly status: number;
  readonly apiMessage: string | undefined;
  readonly requestId: string | undefined;
  readonly retryAfterMs: number | undefined;
  readonly method: string;
  readonly path: string;
  readonly origin: string | undefined;
  readonly retries: RetrySummary | undefined;

  constructor(details: DigicertApiErrorDetails) {
    super(details.code, formatApiErrorMessage(details));
    this.status = details.status;
    this.apiMessage = details.apiMessage;
    this.requestId = details.requestId;
    this.retryAfterMs = details.retryAfterMs;
    this.method = details.method;
    this.path = details.path;
    this.origin = details.origin;
    this.retries = details.retries;
  }

  /**
   * Whether the response carried a DigiCert ONE error code. Without one,
   * `code` is `http_<status>` and the server may not be DigiCert ONE.
   */
  get hasApiCode(): boolean {
    return this.code !== `http_${this.status}`;
  }
}

const API_ERROR_HINTS: { [code: string]: string } = {
  invalid_api_key:
    "Check that the API key is valid, belongs to this DigiCert ONE host and that its user is neither disabled nor expired.",
  access_denied:
    "The API key's user needs a role with the Manage users permission to change service users.",
};

function formatApiErrorMessage(details: DigicertApiErrorDetails): string {
  const parts = [
    `DigiCert ONE API request ${details.method} ${details.path} failed with HTTP ${details.status} (${details.code})`,
  ];
  if (details.apiMessage) {
    parts[0] += `: ${details.apiMessage}`;
  }
  parts[0] += ".";
  const hint = API_ERROR_HINTS[details.code];
  if (hint !== undefined) {
    parts.push(hint);
  }
  if (details.retryAfterMs !== undefined) {
    parts.push(`The API asks to retry after ${Math.ceil(details.retryAfterMs / 1000)} s.`);
  }
  if (details.requestId !== undefined) {
    parts.push(`Request id: ${details.requestId}.`);
  }
  const retries = describeRetries(details.retries);
  if (retries !== "") {
    parts.push(retries);
  }
  return parts.join(" ");
}

export interface DigicertResponseErrorDetails {
  method: string;
  path: string;
  /** Path of the offending field, such as "applications[0].roles[1].code". */
  field: string;
  /** Expected type of the field, such as "string". */
  expected: string;
  /** JSON type received, such as "number" or "missing", never the value. */
  received: string;
}

/**
 * A 2xx response whose body does not have the expected shape. It names the
 * field and types only. It keeps no `cause`, because the response may contain
 * a one-time token and a parser error could quote it.
 */
export class DigicertResponseError extends DigicertError {
  readonly field: string;
  readonly expected: string;
  readonly received: string;
  readonly method: string;
  readonly path: string;

  constructor(details: DigicertResponseErrorDetails) {
    super(
      "invalid_response",
      `DigiCert ONE API returned an unexpected response to ${details.method} ${details.path}: ` +
        `field "${details.field}" should be ${details.expected} but is ${details.received}. ` +
        "The API may differ from the wire mapping this provider assumes. " +
        "Compare it with the tenant's OpenAPI document at /account/docs/swagger-ui/index.html.",
    );
    this.field = details.field;
    this.expected = details.expected;
    this.received = details.received;
    this.method = details.method;
    this.path = details.path;
  }
}

export interface DigicertIncompleteCreateErrorDetails {
  /** Id of the service user that DigiCert ONE created. */
  userId: string;
  /** The one-time token, when the response carried one. */
  token: string | undefined;
  /** The decoding error that kept the response from being read in full. */
  cause: DigicertResponseError;
}

/**
 * A create request that DigiCert ONE carried out, whose response gave the new
 * user's id but could not be read in full. The caller records the user with
 * `userId` and `token` instead of losing it. `token` is not enumerable, so
 * JSON and inspection of the error leave it out, and the message never
 * contains it.
 */
export class DigicertIncompleteCreateError extends DigicertError {
  readonly userId: string;
  declare readonly token: string | undefined;
  declare readonly cause: DigicertResponseError;

  constructor(details: DigicertIncompleteCreateErrorDetails) {
    super(
      "incomplete_create",
      `DigiCert ONE created the service user with id ${details.userId}, but the response could not be read in full: ${details.cause.message}`,
      { cause: details.cause },
    );
    this.userId = details.userId;
    Object.defineProperty(this, "token", {
      value: details.token,
      enumerable: false,
    });
  }
}

export type DigicertNetworkErrorCode =
  | "connect_timeout"
  | "headers_timeout"
  | "body_timeout"
  | "connection_refused"
  | "connection_reset"
  | "dns_lookup_failed"
  | "tls_error"
  | "network_error";

export interface DigicertNetworkErrorDetails {
  code: DigicertNetworkErrorCode;
  /** Host name and port that the client tried to reach. */
  host: string;
  method: string;
  path: string;
  /** The timeout that expired, in ms; only for the `*_timeout` codes. */
  timeoutMs?: number;
  cause: unknown;
  /** The attempts before this failure, when the client retried or chose not to. */
  retries?: RetrySummary;
}

const NETWORK_FAILURE_TEXT: { [code in DigicertNetworkErrorCode]: string } = {
  connect_timeout: "timed out while connecting",
  headers_timeout: "timed out waiting for the response headers",
  body_timeout: "timed out while reading the response body",
  connection_refused: "failed because the host refused the connection",
  connection_reset: "failed because the connection was closed unexpectedly",
  dns_lookup_failed: "failed because the host name could not be resolved",
  tls_error: "failed during the TLS handshake",
  network_error: "failed with a network error",
};

/** Says what did not happen within the timeout, for the `*_timeout` codes. */
function describeTimeout(
  code: DigicertNetworkErrorCode,
  host: string,
  duration: string,
): string | undefined {
  switch (code) {
    case "connect_timeout":
      return `No connection to ${host} was established within ${duration}.`;
    case "headers_timeout":
      return `The server at ${host} accepted the connection but sent no response within ${duration}.`;
    case "body_timeout":
      return `The server at ${host} sent the response headers, then no more data for ${duration}.`;
    default:
      return undefined;
  }
}

/** Formats milliseconds as seconds for a message, such as "30 seconds" or "0.1 seconds". */
function formatSeconds(milliseconds: number): string {
  const seconds = milliseconds / 1000;
  return `${seconds} ${seconds === 1 ? "second" : "seconds"}`;
}

/** A request that got no complete HTTP response: refused, reset or timed out. */
export class DigicertNetworkError extends DigicertError {
  readonly host: string;
  readonly timeoutMs: number | undefined;
  readonly method: string;
  readonly path: string;
  readonly retries: RetrySummary | undefined;
  declare readonly code: DigicertNetworkErrorCode;

  constructor(details: DigicertNetworkErrorDetails) {
    super(details.code, formatNetworkErrorMessage(details), { cause: details.cause });
    this.host = details.host;
    this.timeoutMs = details.timeoutMs;
    this.method = details.method;
    this.path = details.path;
    this.retries = details.retries;
  }
}

function formatNetworkErrorMessage(details: DigicertNetworkErrorDetails): string {
  let message =
    `DigiCert ONE API request ${details.method} ${details.path} to ${details.host} ` +
    `${NETWORK_FAILURE_TEXT[details.code]}.`;
  if (details.timeoutMs !== undefined) {
    const timeout = describeTimeout(
      details.code,
      details.host,
      formatSeconds(details.timeoutMs),
    );
    if (timeout !== undefined) message += ` ${timeout}`;
  }
  // Quote only the cause's code, because the messages of some undici errors
  // (MockAgent's, for one) quote the request headers with the API key.
  const causeCode = errorCodeOf(details.cause);
  if ((details.code === "network_error" || details.code === "tls_error") && causeCode !== undefined) {
    message += ` Cause: ${causeCode}.`;
  }
  if (details.code === "tls_error") {
    message +=
      " Check that the server certificate chains to a trusted CA (the provider's ca_bundle sets them for a private deployment) and that DigiCert ONE accepts the client certificate, if one is configured.";
  }
  const retries = describeRetries(details.retries);
  if (retries !== "") {
    message += ` ${retries}`;
  }
  return message;
}

function errorCodeOf(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null) {
    return undefined;
  }
  const code = (error as { code?: unknown }).code;
  return typeof code === "string" ? code : undefined;
}

export type DigicertCatalogueErrorCode = "unknown_manager" | "unknown_role";

export interface DigicertCatalogueErrorDetails {
  code: DigicertCatalogueErrorCode;
  managerCode: string;
  /** The role code that was not found, set only for `unknown_role`. */
  roleCode?: string;
  /** Manager codes (for `unknown_manager`) or role codes (for `unknown_role`) that exist. */
  validCodes: string[];
  cause?: unknown;
}

/** A manager or role code in the requested access that the tenant does not have. */
export class DigicertCatalogueError extends DigicertError {
  readonly managerCode: string;
  readonly roleCode: string | undefined;
  readonly validCodes: string[];
  declare readonly code: DigicertCatalogueErrorCode;

  constructor(details: DigicertCatalogueErrorDetails) {
    super(details.code, formatCatalogueErrorMessage(details), { cause: details.cause });
    this.managerCode = details.managerCode;
    this.roleCode = details.roleCode;
    this.validCodes = details.validCodes;
  }
}

function formatCatalogueErrorMessage(details: DigicertCatalogueErrorDetails): string {
  const valid =
    details.validCodes.length > 0 ? details.validCodes.join(", ") : "(none found)";
  if (details.code === "unknown_manager") {
    return (
      `Unknown manager code "${details.managerCode}": DigiCert ONE lists no roles for it. ` +
      `Valid manager codes for this API key: ${valid}.`
    );
  }
  return (
    `Unknown role code "${details.roleCode}" for manager "${details.managerCode}". ` +
    `Valid role codes: ${valid}.`
  );
}
