// Validators for string attributes. Each takes the attribute's value and
// path and returns the diagnostics. Null values are skipped because
// Terraform checks required attributes itself. Unknown values are skipped
// because plan runs the validators again once the values are known.

import type { AttributePath, CtyValue, Diagnostic } from "../framework/types";
import { invalidValue, joinWithAnd, quote } from "./diagnostics";

/**
 * Returns the distinct characters of `value` that `isAllowed` rejects, in
 * order of first appearance. Characters are whole code points, so an emoji
 * counts as one character.
 */
export function findInvalidCharacters(
  value: string,
  isAllowed: (character: string) => boolean,
): string[] {
  const invalid: string[] = [];
  for (const character of value) {
    if (!isAllowed(character) && !invalid.includes(character)) {
      invalid.push(character);
    }
  }
  return invalid;
}

/** Lists characters for a message: `"é" and "!"`, with control characters escaped. */
export function describeCharacters(characters: readonly string[]): string {
  return joinWithAnd(characters.map(quote));
}

/** Length in code points, the way a person counts characters. */
export function characterCount(value: string): number {
  return [...value].length;
}

// Pragmatic address check rather than RFC 5322: it catches typos (no "@",
// no domain, spaces) and leaves the final word to the DigiCert ONE API.
const MAX_EMAIL_LENGTH = 254;
const MAX_EMAIL_LOCAL_PART_LENGTH = 64;

/** Returns why `value` is not a valid email address, or undefined when it is. */
export function emailProblem(value: string): string | undefined {
  if (value === "") return "is empty";
  if (/[\s\p{Cc}]/u.test(value)) {
    return "contains a space or control character";
  }
  if (characterCount(value) > MAX_EMAIL_LENGTH) {
    return `is longer than ${MAX_EMAIL_LENGTH} characters`;
  }
  const parts = value.split("@");
  if (parts.length === 1) return 'has no "@"';
  if (parts.length > 2) return 'has more than one "@"';
  const [localPart, domain] = parts;
  if (localPart === "") return 'has nothing before the "@"';
  if (characterCount(localPart) > MAX_EMAIL_LOCAL_PART_LENGTH) {
    return `has more than ${MAX_EMAIL_LOCAL_PART_LENGTH} characters before the "@"`;
  }
  if (domain === "") return 'has no domain after the "@"';
  if (!domain.includes(".")) {
    return `has a domain (${quote(domain)}) without a dot`;
  }
  if (domain.split(".").some((label) => label === "")) {
    return `has a domain (${quote(domain)}) with an empty label: it starts or ends with a dot, or has two dots in a row`;
  }
  return undefined;
}

/** Validates an email address attribute such as `email`. */
export function validateEmail(
  value: CtyValue,
  path: AttributePath,
  attributeName: string,
): Diagnostic[] {
  if (typeof value !== "string") return [];
  const problem = emailProblem(value);
  if (problem === undefined) return [];
  return [
    invalidValue({
      path,
      summary: "Invalid email address",
      problem: `The ${attributeName} ${quote(value)} is not a valid email address: it ${problem}.`,
      allowed:
        'A valid address has one "@", a name before it and a domain with a dot after it, and no spaces, such as "platform-team@example.com".',
    }),
  ];
}

/** A rule for code-like strings, such as role codes. */
export interface CodeRule {
  pattern: RegExp;
  /** The rule in words, such as "uppercase letters, digits and underscores, starting with a letter". */
  description: string;
  /** A valid example, such as "SM_SIGNER". */
  example: string;
  /**
   * The only letter case that the pattern allows, if it allows one. Then an
   * invalid value that is valid in this case gets the converted value as
   * its fix.
   */
  letterCase?: "uppercase" | "lowercase";
}

/**
 * Returns `value` with its ASCII letters converted to the rule's letter
 * case when that makes it valid, or undefined when the rule has no letter
 * case or the converted value is still invalid. Only ASCII letters are
 * converted, because `toUpperCase` turns some other letters (such as the
 * dotless "ı") into ASCII ones and would suggest a different code.
 */
export function caseCorrection(
  value: string,
  rule: CodeRule,
): string | undefined {
  if (rule.letterCase === undefined) return undefined;
  const converted =
    rule.letterCase === "uppercase"
      ? value.replace(/[a-z]/g, (letter) => letter.toUpperCase())
      : value.replace(/[A-Z]/g, (letter) => letter.toLowerCase());
  return rule.pattern.test(converted) ? converted : undefined;
}

/** Returns the values that do not match the rule's pattern, in order. */
export function findNonMatching(
  values: readonly string[],
  rule: CodeRule,
): string[] {
  return values.filter((value) => !rule.pattern.test(value));
}
