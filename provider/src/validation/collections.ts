// Validators for sets of strings, such as account ids and role codes.

import {
  isUnknown,
  type AttributePath,
  type CtyValue,
  type Diagnostic,
} from "../framework/types";
import {
  correctionFix,
  invalidValue,
  joinWithAnd,
  quote,
} from "./diagnostics";
import { caseCorrection, findNonMatching, type CodeRule } from "./strings";

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
 * strings, and every element following `rule.elementRule` when it is set,
 * or else containing no control characters.
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

  // An element rule already rejects control characters. Without one (ids),
  // an element with a control character cannot be a valid id, and a null
  // byte would reach the API inside a URL path or request body.
  const elementsWithControlCharacters = rule.elementRule
    ? []
    : elements.filter((element) => /\p{Cc}/u.test(element));
  if (elementsWithControlCharacters.length > 0) {
    const values = joinWithAnd(elementsWithControlCharacters.map(quote));
    diagnostics.push(
      invalidValue({
        path,
        summary: `Invalid ${rule.elementNoun} in ${rule.setName}`,
        problem: `${rule.setName} contains ${values}, with a control character such as a null byte, tab or line break.`,
        allowed: `Each element must be a ${rule.elementNoun} without control characters.`,
        fix: "Remove the control characters.",
      }),
    );
  }

  if (rule.elementRule) {
    const invalid = findNonMatching(
      elements.filter((element) => element !== ""),
      rule.elementRule,
    );
    if (invalid.length > 0) {
      diagnostics.push(
        invalidElementsDiagnostic(invalid, path, rule, rule.elementRule),
      );
    }
  }
  return diagnostics;
}

/**
 * Builds the error for elements that break the set's element rule. When a
 * letter-case conversion makes an element valid, the fix names the
 * converted value. When that holds for every element, the message leaves
 * out the rule's example, because the example may not fit: "SM_SIGNER" is a
 * software_trust role.
 */
function invalidElementsDiagnostic(
  invalid: readonly string[],
  path: AttributePath,
  rule: StringSetRule,
  codeRule: CodeRule,
): Diagnostic {
  const corrections: Array<[string, string]> = [];
  for (const value of invalid) {
    const corrected = caseCorrection(value, codeRule);
    if (corrected !== undefined) corrections.push([value, corrected]);
  }
  const plural = invalid.length > 1;
  const values = joinWithAnd(invalid.map(quote));
  const summary = `Invalid ${rule.elementNoun} in ${rule.setName}`;

  if (corrections.length === invalid.length) {
    return invalidValue({
      path,
      summary,
      problem: `${rule.setName} contains ${values}, but a ${rule.elementNoun} must be ${codeRule.letterCase}.`,
      allowed: `A ${rule.elementNoun} has ${codeRule.description}.`,
      fix: correctionFix(corrections),
    });
  }
  return invalidValue({
    path,
    summary,
    problem: `${rule.setName} contains ${plural ? "invalid values" : "an invalid value"}: ${values}.`,
    allowed: `A ${rule.elementNoun} has ${codeRule.description}, such as ${quote(codeRule.example)}.`,
    fix:
      corrections.length > 0
        ? `A ${rule.elementNoun} must be ${codeRule.letterCase}. ${correctionFix(corrections)}`
        : undefined,
  });
}
