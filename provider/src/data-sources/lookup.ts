// Checks and helpers that the data sources share. They cover the rule that a
// single-object lookup sets exactly one of id and name, non-empty arguments,
// and the order of the lists that the data sources return.

import {
  isUnknown,
  path,
  type CtyValue,
  type Diagnostic,
  type ObjectValue,
} from "../framework/types";
import { errorDiagnostic, invalidValue, quote } from "../validation/diagnostics";

/**
 * Validates that exactly one of the two lookup arguments `id` and `name`
 * is set. `noun` names the object for messages, such as "account". While
 * either value is unknown the check is skipped, because an unknown value
 * may turn out null. Terraform validates again before the read.
 */
export function validateIdOrName(config: ObjectValue, noun: string): Diagnostic[] {
  const id = config.id ?? null;
  const name = config.name ?? null;
  if (isUnknown(id) || isUnknown(name)) return [];

  const allowed = `Set exactly one of them: id to look the ${noun} up by its id, or name to look it up by its name.`;
  if (id !== null && name !== null) {
    return [
      invalidValue({
        path: path("name"),
        summary: "Conflicting lookup arguments",
        problem: `Both id (${formatArgument(id)}) and name (${formatArgument(name)}) are set.`,
        allowed,
        fix: "Remove one of them.",
      }),
    ];
  }
  if (id === null && name === null) {
    return [
      invalidValue({
        path: path("id"),
        summary: "Missing lookup argument",
        problem: "Neither id nor name is set.",
        allowed,
      }),
    ];
  }
  return [];
}

/**
 * Builds the error for a read whose id and name are both unknown. Terraform
 * defers a read until its configuration is wholly known, so this is a bug.
 */
export function unknownLookupDiagnostic(typeName: string): Diagnostic {
  return errorDiagnostic(
    "Lookup arguments not known",
    `Terraform asked to read ${typeName} before id or name was known. This is a bug in the provider or in Terraform. Please report it to the provider developers, with the Terraform version.`,
  );
}

function formatArgument(value: CtyValue): string {
  return typeof value === "string" ? quote(value) : String(value);
}

/** Validates that a known string argument is not empty. */
export function validateNotEmpty(
  config: ObjectValue,
  attribute: string,
  rule: string,
): Diagnostic[] {
  if (config[attribute] !== "") return [];
  return [
    invalidValue({
      path: path(attribute),
      summary: `Empty ${attribute}`,
      problem: `${attribute} is an empty string.`,
      allowed: rule,
    }),
  ];
}

/**
 * Compares strings by Unicode code point, so that the order does not
 * depend on a locale and "Zeta" sorts before "alpha". Terraform's sort
 * function orders strings the same way, because go-cty sorts their UTF-8
 * bytes.
 */
export function compareCodePoints(a: string, b: string): number {
  const left = Array.from(a);
  const right = Array.from(b);
  const length = Math.min(left.length, right.length);
  for (let i = 0; i < length; i++) {
    const difference = left[i].codePointAt(0)! - right[i].codePointAt(0)!;
    if (difference !== 0) return difference;
  }
  return left.length - right.length;
}
