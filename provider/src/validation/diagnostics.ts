// Builders for the diagnostics that resources and the provider return, so
// that every message has the same parts: what is wrong, the value received,
// what is allowed and how to fix it.

import {
  isUnknown,
  type AttributePath,
  type Diagnostic,
} from "../framework/types";

/** The parts of an invalid-value diagnostic, each one or more sentences. */
export interface InvalidValueParts {
  path: AttributePath;
  /** A short title, such as "Invalid service user name". */
  summary: string;
  /**
   * The problem, naming the value received. Leave the value out for
   * sensitive attributes.
   */
  problem: string;
  /** The rule that a valid value follows. */
  allowed: string;
  /** The fix, when `allowed` does not already make it clear. */
  fix?: string;
}

/** Builds an error diagnostic for an attribute value that breaks a rule. */
export function invalidValue(parts: InvalidValueParts): Diagnostic {
  const sentences = [parts.problem, parts.allowed];
  if (parts.fix) sentences.push(parts.fix);
  return {
    severity: "error",
    summary: parts.summary,
    detail: sentences.join(" "),
    path: parts.path,
  };
}

export function errorDiagnostic(
  summary: string,
  detail: string,
  path?: AttributePath,
): Diagnostic {
  return path
    ? { severity: "error", summary, detail, path }
    : { severity: "error", summary, detail };
}

export function warningDiagnostic(
  summary: string,
  detail: string,
  path?: AttributePath,
): Diagnostic {
  return path
    ? { severity: "warning", summary, detail, path }
    : { severity: "warning", summary, detail };
}

/**
 * Quotes a string for a message the way Terraform shows strings: in double
 * quotes, with control characters escaped (a tab shows as "\t").
 */
export function quote(value: string): string {
  return JSON.stringify(value);
}

/** Joins items as English prose: "a", "a and b", "a, b and c". */
export function joinWithAnd(items: readonly string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

/**
 * Formats corrected values as a fix, such as `Write "em_user" as "EM_USER".`
 * Each pair is the value received and its corrected form.
 */
export function correctionFix(
  corrections: ReadonlyArray<readonly [string, string]>,
): string {
  const pairs = corrections.map(
    ([value, corrected]) => `${quote(value)} as ${quote(corrected)}`,
  );
  return `Write ${joinWithAnd(pairs)}.`;
}

/**
 * Formats a value for a message in Terraform-like notation: strings quoted,
 * sets and maps as JSON, and unknown values as "(known after apply)". Never
 * pass a sensitive value.
 */
export function formatValue(value: unknown): string {
  if (value === undefined) return "null";
  if (isUnknown(value)) return "(known after apply)";
  return JSON.stringify(value, (_key, item: unknown) => {
    if (isUnknown(item)) return "(known after apply)";
    if (typeof item === "bigint") return item.toString();
    return item;
  });
}

/**
 * Formats a command as an indented paragraph for a diagnostic detail.
 * Terraform word-wraps detail lines to the terminal width but prints lines
 * that start with a space unchanged, so the command stays whole.
 */
export function commandParagraph(command: string): string {
  return `\n\n  ${command}`;
}
