// Props and checks that the data source helpers share: the provider option,
// non-empty lookup strings, and the merge of positional arguments with an
// options object for validation.

import { TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import { z } from "zod";
import { quote } from "../../provider/src/validation/diagnostics";
import {
  addProblem,
  digicertoneProvider,
  formatValue,
  InvalidPropsError,
  isToken,
  propsTypeError,
  typeError,
  validateProps,
} from "./validation";

/** Options of the data source helpers. */
export interface LookupOptions {
  /**
   * The digicertone provider that reads the data source, such as the
   * `provider` property of an aliased DigicertOneProvider.
   *
   * @default - the stack's digicertone provider without an alias
   */
  readonly provider?: TerraformProvider;
}

/** The zod shape of LookupOptions. */
export const lookupOptionsShape = {
  provider: digicertoneProvider("A data source").optional(),
};

/**
 * Merges positional arguments with an options object into one props object
 * for validation, where the arguments take precedence. Throws an
 * InvalidPropsError when the options are neither an object nor undefined,
 * which only a JavaScript caller can pass.
 */
export function mergeOptions(
  construct: Construct,
  methodName: string,
  args: object,
  options: unknown,
): object {
  if (options === undefined) return args;
  if (typeof options === "object" && options !== null && !Array.isArray(options)) {
    return { ...options, ...args };
  }
  throw new InvalidPropsError(methodName, construct.node.path, [
    {
      prop: "options",
      received: formatValue(options),
      message: "The options argument must be an object or left out.",
    },
  ]);
}

/**
 * Returns a zod schema for a lookup string, such as an account name: a
 * non-empty string or a token.
 */
export function lookupString(propName: string, expected: string, rule: string) {
  return z
    .string({ error: typeError(propName, expected) })
    .superRefine((value, ctx) => {
      if (isToken(value) || value !== "") return;
      addProblem(ctx, { problem: `${propName} is an empty string.`, rule, fix: `Set it to ${expected}.` });
    });
}

/** Validates the props of a data source helper and throws one InvalidPropsError for every problem. */
export function validateLookup(
  construct: Construct,
  constructName: string,
  shape: z.core.$ZodLooseShape,
  props: unknown,
): void {
  const schema = z.strictObject(shape, { error: propsTypeError(constructName) });
  validateProps(construct, schema, props, { constructName });
}

/** Reports duplicates in a literal list of strings, such as account names. */
export function checkNoDuplicates(values: readonly string[], ctx: z.RefinementCtx, noun: string): void {
  const seen = new Set<string>();
  values.forEach((value, index) => {
    if (isToken(value)) return;
    if (!seen.has(value)) {
      seen.add(value);
      return;
    }
    addProblem(ctx, {
      path: [index],
      problem: `The ${noun} ${quote(value)} is listed twice.`,
      rule: `Each ${noun} is looked up once.`,
      fix: "Remove the second one.",
    });
  });
}
