// Errors the API returns, in DigiCert's body shape
// `{"errors": [{"code": "...", "message": "..."}]}`.

export type ErrorCode =
  | "invalid_request"
  | "invalid_api_key"
  | "access_denied"
  | "resource_not_found"
  | "duplicate_error"
  // The contract names no code for these two, so the emulator uses
  // descriptive ones in the same style.
  | "method_not_allowed"
  | "internal_error";

export interface ErrorEntry {
  code: ErrorCode;
  message: string;
}

/** An error response: HTTP status, one or more entries, extra headers. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly errors: ErrorEntry[],
    readonly headers: Record<string, string> = {},
  ) {
    super(errors.map((entry) => entry.message).join(" "));
    this.name = "ApiError";
  }

  toBody(): { errors: ErrorEntry[] } {
    return { errors: this.errors };
  }
}

/** Builds a 400 `invalid_request` error with one entry per message. */
export function invalidRequest(...messages: string[]): ApiError {
  return new ApiError(
    400,
    messages.map((message) => ({ code: "invalid_request", message })),
  );
}

export function invalidApiKey(message: string): ApiError {
  return new ApiError(401, [{ code: "invalid_api_key", message }]);
}

export function accessDenied(message: string): ApiError {
  return new ApiError(403, [{ code: "access_denied", message }]);
}

export function resourceNotFound(message: string): ApiError {
  return new ApiError(404, [{ code: "resource_not_found", message }]);
}

export function duplicateError(message: string): ApiError {
  return new ApiError(409, [{ code: "duplicate_error", message }]);
}

export function methodNotAllowed(
  method: string,
  path: string,
  allowed: string[],
): ApiError {
  return new ApiError(
    405,
    [
      {
        code: "method_not_allowed",
        message: `${method} is not allowed on ${path}. Allowed methods: ${allowed.join(", ")}.`,
      },
    ],
    { allow: allowed.join(", ") },
  );
}

export function internalError(requestId: string): ApiError {
  return new ApiError(500, [
    {
      code: "internal_error",
      message: `The emulator failed to handle the request. Its log has the details under request id ${requestId}.`,
    },
  ]);
}

/** Describes the JSON type of `value` for messages, e.g. "a number". */
export function describeJsonType(value: unknown): string {
  if (value === null) {
    return "null";
  }
  if (Array.isArray(value)) {
    return "an array";
  }
  switch (typeof value) {
    case "string":
      return "a string";
    case "number":
      return "a number";
    case "boolean":
      return "a boolean";
    case "object":
      return "an object";
    default:
      return typeof value;
  }
}
