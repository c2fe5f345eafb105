import {
  AttributePath,
  BigDecimal,
  DynamicValue,
  Unknown,
} from "../../framework/types";

/** Stable identifiers of codec failures, for callers and tests to branch on. */
export type CtyCodecErrorCode =
  /** The value or wire data has a different kind than the type requires. */
  | "TYPE_MISMATCH"
  /** An object lacks an attribute of its type. */
  | "MISSING_ATTRIBUTE"
  /** An object has an attribute its type does not declare. */
  | "UNEXPECTED_ATTRIBUTE"
  /** A tuple or a dynamic value's wire array has the wrong number of elements. */
  | "WRONG_LENGTH"
  /** A number is NaN, infinite, or text that is not a decimal number. */
  | "INVALID_NUMBER"
  /** Refinements of an unknown value that cannot be encoded. */
  | "INVALID_REFINEMENT"
  /** An unknown value where the format cannot carry one (JSON). */
  | "UNKNOWN_VALUE"
  /** A type, or a schema that implies one, is malformed. */
  | "INVALID_TYPE"
  /** The bytes are not one well-formed msgpack value. */
  | "INVALID_MSGPACK"
  /** The text is not one well-formed JSON value. */
  | "INVALID_JSON";

/**
 * A failure to encode or decode a cty value. `path` is where in the value
 * the failure happened (empty for the value itself) and `detail` states what
 * was expected and what was found. Neither ever contains a string value,
 * which could be a secret.
 */
export class CtyCodecError extends Error {
  override readonly name = "CtyCodecError";

  constructor(
    readonly code: CtyCodecErrorCode,
    readonly path: AttributePath,
    readonly detail: string,
    options?: { cause?: unknown },
  ) {
    super(path.length > 0 ? `${formatPath(path)}: ${detail}` : detail, options);
  }
}

/** Formats a path the way Terraform shows one: `users[0].tags["env"]`. */
export function formatPath(path: AttributePath): string {
  let text = "";
  for (const step of path) {
    if ("attribute" in step) {
      text += text === "" ? step.attribute : `.${step.attribute}`;
    } else if ("key" in step) {
      text += `[${JSON.stringify(step.key)}]`;
    } else {
      text += `[${step.index}]`;
    }
  }
  return text;
}

/** Describes what kind of JavaScript value was given, never its content. */
export function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (value === undefined) return "undefined";
  if (value instanceof Unknown) return "an unknown value";
  if (value instanceof DynamicValue) return "a DynamicValue";
  if (value instanceof BigDecimal) return "a BigDecimal";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") {
    const prototype = Object.getPrototypeOf(value);
    const isPlain = prototype === Object.prototype || prototype === null;
    return isPlain ? "an object" : `an instance of ${value.constructor.name}`;
  }
  if (typeof value === "bigint") return "a bigint";
  return `a ${typeof value}`;
}

/**
 * Runs `action` on a set element. Set elements have no address in an
 * attribute path, so a failure inside one is reported at the set itself,
 * with the rest of its path in the detail.
 */
export function atSetElement<T>(setPath: AttributePath, action: () => T): T {
  try {
    return action();
  } catch (error) {
    if (!(error instanceof CtyCodecError)) throw error;

    const innerPath = error.path.slice(setPath.length);
    const where =
      innerPath.length > 0 ? `in a set element at ${formatPath(innerPath)}` : "in a set element";
    throw new CtyCodecError(error.code, setPath, `${error.detail} (${where})`, {
      cause: error,
    });
  }
}
