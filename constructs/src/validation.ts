// Props validation shared by the constructs: zod schemas whose issues become
// one InvalidPropsError that lists every problem with the construct path,
// the prop, the value received, the rule and the fix.

import { TerraformProvider, Token } from "cdktf";
import { Construct } from "constructs";
import { z } from "zod";
import { joinWithAnd, quote } from "../../provider/src/validation/diagnostics";

/** The `code` of every InvalidPropsError. */
export const INVALID_PROPS = "DIGICERT_ONE_INVALID_PROPS";

/** One invalid prop of a construct. */
export interface PropProblem {
  /** The prop's path, such as `name` or `access.software_trust[0]`. */
  readonly prop: string;
  /** The value received, formatted for the message; secrets are not shown. */
  readonly received: string;
  /** The problem, the rule and the fix, as sentences. */
  readonly message: string;
}

/**
 * Error for construct props that break one or more rules, thrown by the
 * constructor before anything is added to the stack. The message lists
 * every problem, one per line.
 */
export class InvalidPropsError extends Error {
  /** Always `DIGICERT_ONE_INVALID_PROPS`, for callers that branch on the error. */
  readonly code = INVALID_PROPS;

  /** Path of the construct whose props are invalid, such as `stack/bots/release`. */
  readonly constructPath: string;

  /** Every problem found, in the order of the props. */
  readonly problems: readonly PropProblem[];

  constructor(constructName: string, constructPath: string, problems: readonly PropProblem[]) {
    const count = problems.length === 1 ? "1 problem" : `${problems.length} problems`;
    const lines = problems.map(
      (problem) => `- ${problem.prop}: received ${problem.received}. ${problem.message}`,
    );
    super(`Invalid props for ${constructName} at ${constructPath} (${count}):\n${lines.join("\n")}`);
    this.name = "InvalidPropsError";
    this.constructPath = constructPath;
    this.problems = problems;
  }
}

/** The parts of a problem message, each one or more sentences. */
export interface ProblemParts {
  /** The problem with the value, such as `The name is empty.` */
  readonly problem: string;
  /** The rule that a valid value follows. */
  readonly rule: string;
  /** How to fix it, when the rule does not already make that clear. */
  readonly fix?: string;
  /** Path below the value that the check runs on, such as `[0]` for a list element. */
  readonly path?: PropertyKey[];
}

/** Adds a problem to a zod refinement context as a custom issue. */
export function addProblem(ctx: z.RefinementCtx, parts: ProblemParts): void {
  const sentences = [parts.problem, parts.rule];
  if (parts.fix !== undefined) sentences.push(parts.fix);
  ctx.addIssue({ code: "custom", message: sentences.join(" "), path: parts.path ?? [] });
}

/**
 * Reports whether a value is an unresolved cdktf token, such as a
 * variable's value or another resource's attribute. Checks skip such
 * values, and the provider checks them again at plan.
 */
export function isToken(value: unknown): boolean {
  return Token.isUnresolved(value);
}

/** Options for validateProps. */
export interface ValidatePropsOptions {
  /** The construct class's name for the message, such as `ServiceUser`. */
  readonly constructName: string;
  /** Props whose values the message must not show, such as `apiKey`. */
  readonly secretProps?: readonly string[];
  /** Known mistakes for unknown props: a wrong prop name mapped to the right one. */
  readonly propSuggestions?: { readonly [wrongName: string]: string };
  /**
   * Formatters for the received value of props that need one, such as a
   * URL whose credentials must be redacted, keyed by the top-level prop.
   */
  readonly formatReceived?: { readonly [prop: string]: (value: unknown) => string };
}

/**
 * Validates props against a zod schema, and throws one InvalidPropsError
 * listing every problem when there is any.
 */
export function validateProps(
  construct: Construct,
  schema: z.ZodType,
  props: unknown,
  options: ValidatePropsOptions,
): void {
  const result = schema.safeParse(props);
  if (result.success) return;

  const problems = result.error.issues.flatMap((issue) =>
    toPropProblems(issue, props, schema, options),
  );
  throw new InvalidPropsError(options.constructName, construct.node.path, problems);
}

function toPropProblems(
  issue: z.core.$ZodIssue,
  props: unknown,
  schema: z.ZodType,
  options: ValidatePropsOptions,
): PropProblem[] {
  const secretProps = new Set(options.secretProps ?? []);

  if (issue.code === "unrecognized_keys") {
    // Secret props are known props, so an unknown prop's value is shown.
    const knownProps = schema instanceof z.ZodObject ? Object.keys(schema.shape) : [];
    return issue.keys.map((key) => ({
      prop: formatPropPath([...issue.path, key]),
      received: formatValue(valueAt(props, [...issue.path, key])),
      message: unknownPropMessage(options.constructName, key, knownProps, options.propSuggestions),
    }));
  }

  const topProp = typeof issue.path[0] === "string" ? issue.path[0] : "";
  const value = valueAt(props, issue.path);
  let received: string;
  if (secretProps.has(topProp)) {
    received = describeSecret(value);
  } else {
    const format = options.formatReceived?.[topProp] ?? formatValue;
    received = format(value);
  }
  return [
    {
      prop: issue.path.length === 0 ? "props" : formatPropPath(issue.path),
      received,
      message: issue.message,
    },
  ];
}

function unknownPropMessage(
  constructName: string,
  key: string,
  knownProps: readonly string[],
  suggestions: { readonly [wrongName: string]: string } | undefined,
): string {
  const suggestion =
    suggestions !== undefined && Object.hasOwn(suggestions, key)
      ? suggestions[key]
      : knownProps.find((prop) => prop.toLowerCase() === key.toLowerCase());
  const fix =
    suggestion !== undefined
      ? `Rename it to ${suggestion}.`
      : `Remove it, or use one of ${joinWithAnd(knownProps)}.`;
  return `${constructName} has no prop named ${key}. ${fix}`;
}

/** Describes a secret prop's value without showing it. */
function describeSecret(value: unknown): string {
  if (value === undefined) return "nothing";
  if (typeof value === "string") return "a string (not shown)";
  return `a value of type ${typeof value} (not shown)`;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let value = root;
  for (const key of path) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as { [key: PropertyKey]: unknown })[key];
  }
  return value;
}

/** Formats a prop path as TypeScript would write the access: `access.software_trust[0]`. */
export function formatPropPath(path: readonly PropertyKey[]): string {
  let text = "";
  for (const key of path) {
    if (typeof key === "number") {
      text += `[${key}]`;
    } else if (typeof key === "string" && /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key)) {
      text += text === "" ? key : `.${key}`;
    } else {
      text += `[${quote(String(key))}]`;
    }
  }
  return text;
}

const MAX_FORMATTED_LENGTH = 200;

/**
 * Formats a received value for a message: strings quoted with control
 * characters escaped, constructs by their path, and plain data as JSON
 * shortened to 200 characters.
 */
export function formatValue(value: unknown): string {
  if (value === undefined) return "nothing";
  // A token's text, such as "${TfToken[TOKEN.5]}", means nothing to a reader.
  if (isToken(value)) return "an unresolved token";
  if (typeof value === "string") return quote(value);
  if (typeof value === "function") return "a function";
  // JSON.stringify writes NaN and the infinities as null, and a Map or a
  // Set as {}.
  if (typeof value === "number" && !Number.isFinite(value)) return String(value);
  if (value instanceof Map || value instanceof Set) return `a ${value.constructor.name}`;
  if (Construct.isConstruct(value)) {
    return `the ${value.constructor.name} at ${value.node.path}`;
  }
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > MAX_FORMATTED_LENGTH ? `${text.slice(0, MAX_FORMATTED_LENGTH)}…` : text;
}

/** Terraform's rule for identifiers, such as logical ids, output names and provider aliases. */
export const TERRAFORM_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_-]*$/;

export const TERRAFORM_IDENTIFIER_RULE =
  "A Terraform identifier starts with a letter or underscore and contains only letters, digits, underscores and hyphens.";

/**
 * Returns a zod string schema for a prop that must be a Terraform
 * identifier written as a literal, because Terraform reads identifiers
 * before it evaluates any expression.
 */
export function terraformIdentifier(propName: string, example: string): z.ZodString {
  return z
    .string({ error: `${propName} must be a string, such as ${quote(example)}.` })
    .superRefine((value, ctx) => {
      if (isToken(value)) {
        addProblem(ctx, {
          problem: `${propName} is a token, but Terraform needs this identifier before it evaluates any expression.`,
          rule: TERRAFORM_IDENTIFIER_RULE,
          fix: `Write it as a literal string, such as ${quote(example)}.`,
        });
        return;
      }
      if (!TERRAFORM_IDENTIFIER.test(value)) {
        addProblem(ctx, {
          problem: `${propName} is not a valid Terraform identifier.`,
          rule: TERRAFORM_IDENTIFIER_RULE,
          fix: `Use a value such as ${quote(example)}.`,
        });
      }
    });
}

/** Returns the error message for props that are not an object at all. */
export function propsTypeError(constructName: string) {
  return (issue: { code?: string; input?: unknown }): string | undefined =>
    issue.code === "invalid_type"
      ? `The props of ${constructName} must be an object.`
      : undefined;
}

/** Returns the type error message for a prop: missing, or of the wrong type. */
export function typeError(propName: string, expected: string) {
  return (issue: { input?: unknown }): string =>
    issue.input === undefined
      ? `${propName} is missing. Set it to ${expected}.`
      : `${propName} must be ${expected}.`;
}

/** The allowed range of a whole-number prop, such as a number of days. */
export interface WholeNumberRange {
  readonly min: number;
  readonly max: number;
  /** The unit, plural, such as "days". */
  readonly unit: string;
  /** A note on the range's meaning, added after it, such as "where 0 turns the warning off". */
  readonly note?: string;
  /** The fix that omits the prop, with its effect, such as "omit it for the default of 30 days". */
  readonly omitFix: string;
}

/**
 * Returns a zod schema for an optional prop that must be a whole number in
 * a range. A token is skipped, because its value is known only at plan.
 */
export function wholeNumber(propName: string, range: WholeNumberRange) {
  const note = range.note === undefined ? "" : `, ${range.note}`;
  const rule = `${propName} must be a whole number of ${range.unit} from ${range.min} to ${range.max}${note}.`;
  const fix = `Set it to a number in that range, or ${range.omitFix}.`;

  return z
    .unknown()
    .superRefine((value, ctx) => {
      // cdktf encodes a number token as a large whole number, so the token
      // check comes before the range check.
      if (value === undefined || isToken(value)) return;

      let problem: string | undefined;
      if (typeof value !== "number") {
        problem = `${propName} is not a number.`;
      } else if (!Number.isInteger(value)) {
        problem = `${propName} is not a whole number.`;
      } else if (value < range.min) {
        problem = `${propName} is less than the minimum of ${range.min}.`;
      } else if (value > range.max) {
        problem = `${propName} is more than the maximum of ${range.max}.`;
      }
      if (problem !== undefined) addProblem(ctx, { problem, rule, fix });
    })
    .optional();
}

/**
 * Returns a zod schema for a `provider` prop: a TerraformProvider of type
 * digicertone. `subject` starts the rule, such as "A service user".
 */
export function digicertoneProvider(subject: string) {
  return z
    .custom<TerraformProvider>((value) => TerraformProvider.isTerraformProvider(value), {
      error: "provider must be a TerraformProvider, such as the provider property of a DigicertOneProvider.",
    })
    .superRefine((provider, ctx) => {
      if (provider.terraformResourceType === "digicertone") return;
      addProblem(ctx, {
        problem: `It is a ${quote(provider.terraformResourceType)} provider.`,
        rule: `${subject} needs a digicertone provider.`,
        fix: "Pass the provider property of a DigicertOneProvider.",
      });
    });
}
