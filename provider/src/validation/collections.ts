// Validators for sets of strings, such as account ids and role codes.

import {
  isUnknown,
  type AttributePath,
  type CtyValue,
  type Diagnostic,
} from "../framework/types";
import { invalidValue, joinWithAnd, quote } from "./diagnostics";
import { findNonMatching, type CodeRule } from "./strings";

export interface StringSetRule {
  /** The set's name in messages, such as "account_ids". */
  setName: string;
  /** A noun for one element, such as "account id" or "role code". */
  elementNoun: string;
  /** The reason the set cannot be empty, such as "A service user belongs to at least one account." */
  emptyReason: string;
  /** A valid configuration for the fix, such as `account_ids = ["<account id>"]`. */
  example: string;
  /** When set, every element must follow it. */
  elementRule?: CodeRule;
}

/** Returns the known string elements of a set, skipping unknown ones. */
export function knownStrings(elements: readonly CtyValue[]): string[] {
  return elements.filter(
    (element): element is string => typeof element === "string",
  );
}

/**
 * Validates a set(string) attribute: at least one element, no empty
 * strings, and every element following `rule.elementRule` when it is set.
 * Unknown sets and unknown elements are skipped.
 */
export function validateStringSet(
  value: CtyValue,
  path: AttributePath,
  rule: StringSetRule,
): Diagnostic[] {
  if (value === null || isUnknown(value) || !Array.isArray(value)) return [];

  if (value.length === 0) {
    return [
      invalidValue({
        path,
        summary: `Empty ${rule.setName}`,
        problem: `${rule.setName} is empty. ${rule.emptyReason}`,
        allowed: `List at least one ${rule.elementNoun}, such as ${rule.example}.`,
      }),
    ];
  }

  const elements = knownStrings(value);
  const diagnostics: Diagnostic[] = [];
  if (elements.includes("")) {
    diagnostics.push(
      invalidValue({
        path,
        summary: `Empty ${rule.elementNoun} in ${rule.setName}`,
        problem: `${rule.setName} contains an empty string.`,
        allowed: `Each element must be a non-empty ${rule.elementNoun}, such as ${rule.example}.`,
        fix: "Remove the empty string or replace it with the intended value.",
      }),
    );
  }

  if (rule.elementRule) {
    const invalid = findNonMatching(
      elements.filter((element) => element !== ""),
      rule.elementRule,
    );
    if (invalid.length > 0) {
      const plural = invalid.length > 1;
      diagnostics.push(
        invalidValue({
          path,
          summary: `Invalid ${rule.elementNoun} in ${rule.setName}`,
          problem: `${rule.setName} contains ${plural ? "invalid values" : "an invalid value"}: ${joinWithAnd(invalid.map(quote))}.`,
          allowed: `A ${rule.elementNoun} has ${rule.elementRule.description}, such as ${quote(rule.elementRule.example)}.`,
        }),
      );
    }
  }
  return diagnostics;
}
