// Validation of the ServiceUser props that control its API token: enabled,
// rotationTriggers, rotationDays and tokenOverlapDays. The ranges are the
// provider's, so a mistake fails at synth instead of at plan. Values that
// are cdktf tokens are skipped.

import { z } from "zod";
import {
  DEFAULT_TOKEN_OVERLAP_DAYS,
  MAX_ROTATION_DAYS,
  MAX_TOKEN_OVERLAP_DAYS,
} from "../../provider/src/resources/service-user/schema";
import { quote } from "../../provider/src/validation/diagnostics";
import { addProblem, isToken, wholeNumber } from "./validation";

const ROTATION_TRIGGERS_EXAMPLE = 'rotationTriggers: { rotated: "2027-01" }';

/** zod schemas of the token props, to spread into the ServiceUser props schema. */
export const tokenPropsShape = {
  enabled: z.unknown().superRefine(checkEnabled).optional(),
  rotationTriggers: z.unknown().superRefine(checkRotationTriggers).optional(),
  rotationDays: wholeNumber("rotationDays", {
    min: 1,
    max: MAX_ROTATION_DAYS,
    unit: "days",
    omitFix: "omit it to rotate the token only when rotationTriggers changes",
  }),
  tokenOverlapDays: wholeNumber("tokenOverlapDays", {
    min: 0,
    max: MAX_TOKEN_OVERLAP_DAYS,
    unit: "days",
    note: "where 0 revokes the previous token as soon as the new one is issued",
    omitFix: `omit it for the default of ${days(DEFAULT_TOKEN_OVERLAP_DAYS)}`,
  }),
};

function checkEnabled(value: unknown, ctx: z.RefinementCtx): void {
  if (value === undefined || typeof value === "boolean" || isToken(value)) return;
  addProblem(ctx, {
    problem: "enabled is not a boolean.",
    rule: "enabled is true for a service user that may authenticate, or false to disable it.",
  });
}

/**
 * Checks that rotationTriggers is a plain object of strings. A Map or a
 * class instance is rejected, because cdktf would write it as an empty map
 * or as the instance's fields.
 */
function checkRotationTriggers(value: unknown, ctx: z.RefinementCtx): void {
  if (value === undefined || isToken(value)) return;

  if (!isPlainObject(value)) {
    addProblem(ctx, {
      problem: "rotationTriggers is not a map of strings.",
      rule: "rotationTriggers maps names of your choice to string values, and changing any of them issues a new API token.",
      fix: `Write it as an object literal, such as ${ROTATION_TRIGGERS_EXAMPLE}.`,
    });
    return;
  }

  for (const [key, trigger] of Object.entries(value)) {
    if (typeof trigger === "string" || isToken(trigger)) continue;
    const asString =
      typeof trigger === "number" || typeof trigger === "boolean" ? quote(String(trigger)) : undefined;
    addProblem(ctx, {
      path: [key],
      problem: `The value of ${quote(key)} is not a string.`,
      rule: "Each value in rotationTriggers is a string, because the provider's rotation_triggers attribute is a map of strings.",
      fix:
        asString === undefined
          ? `Convert it to a string, such as ${ROTATION_TRIGGERS_EXAMPLE}.`
          : `Write it as a string: ${asString}.`,
    });
  }
}

function days(count: number): string {
  return count === 1 ? "1 day" : `${count} days`;
}

function isPlainObject(value: unknown): value is { [key: string]: unknown } {
  if (typeof value !== "object" || value === null) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}
