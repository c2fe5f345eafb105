// Checks of whole-number settings, such as a number of days.

import { BigDecimal } from "../framework/types";
import {
  isUnknown,
  type AttributePath,
  type CtyValue,
  type Diagnostic,
} from "../framework/types";
import { formatValue, invalidValue } from "./diagnostics";

/** Returns a cty number as a JS number, or undefined for any other value. */
export function numberValue(value: CtyValue): number | undefined {
  if (typeof value === "number") return value;
  if (typeof value === "bigint" || value instanceof BigDecimal) return Number(value.toString());
  return undefined;
}

/** A whole-number setting and its allowed range. */
export interface WholeNumberRule {
  path: AttributePath;
  /** The attribute name, such as "rotation_days". */
  name: string;
  min: number;
  max: number;
  /** The unit, plural, such as "days". */
  unit: string;
  /** Said after the range, such as "where 0 turns the warning off". */
  note?: string;
  /** How to fix it, such as "remove it for the default of 30". */
  fix: string;
}

/**
 * Returns an error when `value` is neither null, unknown nor a whole number
 * in the rule's range.
 */
export function validateWholeNumber(value: CtyValue, rule: WholeNumberRule): Diagnostic[] {
  if (value === null || isUnknown(value)) return [];
  const number = numberValue(value);
  if (number !== undefined && Number.isInteger(number) && number >= rule.min && number <= rule.max) {
    return [];
  }
  const note = rule.note === undefined ? "" : `, ${rule.note}`;
  return [
    invalidValue({
      path: rule.path,
      summary: `Invalid ${rule.name}`,
      problem: `${rule.name} is ${formatValue(value)}.`,
      allowed: `It must be a whole number of ${rule.unit} from ${rule.min} to ${rule.max}${note}.`,
      fix: `Set it to a number in that range, or ${rule.fix}.`,
    }),
  ];
}
