// The parts of Terraform's JSON plan (`terraform show -json PLANFILE`,
// format_version 1.x) that the plan summary reads, and helpers for the marker
// trees that flag unknown and sensitive values. The format is described in
// Terraform's "JSON Output Format" documentation.

import { z } from "zod";

const changeSchema = z.object({
  actions: z.array(z.string()),
  before: z.unknown().optional(),
  after: z.unknown().optional(),
  after_unknown: z.unknown().optional(),
  before_sensitive: z.unknown().optional(),
  after_sensitive: z.unknown().optional(),
  replace_paths: z.array(z.array(z.union([z.string(), z.number()]))).optional(),
});

const resourceChangeSchema = z.object({
  address: z.string(),
  mode: z.string(),
  type: z.string(),
  change: changeSchema,
});

const planSchema = z.object({
  format_version: z.string(),
  errored: z.boolean().optional(),
  complete: z.boolean().optional(),
  resource_changes: z.array(resourceChangeSchema).optional(),
  configuration: z.unknown().optional(),
});

export type ResourceChange = z.infer<typeof resourceChangeSchema>;
export type Plan = z.infer<typeof planSchema>;

/** Thrown when the input is not the JSON of a Terraform plan. */
export class InvalidPlanError extends Error {
  readonly code = "INVALID_PLAN";
}

const NOT_A_PLAN_ADVICE =
  "Pass the output of `terraform show -json PLANFILE` for a plan saved with `terraform plan -out=PLANFILE`.";

/** Parses and checks the text of a JSON plan. */
export function parsePlan(text: string): Plan {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new InvalidPlanError(
      `The input is not valid JSON (${(error as Error).message}). ${NOT_A_PLAN_ADVICE}`,
    );
  }

  const result = planSchema.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue.path.length > 0 ? ` at ${issue.path.join(".")}` : "";
    throw new InvalidPlanError(
      `The input is not a Terraform JSON plan: ${issue.message}${where}. ${NOT_A_PLAN_ADVICE}`,
    );
  }

  const plan = result.data;
  if (!plan.format_version.startsWith("1.")) {
    throw new InvalidPlanError(
      `The plan has format_version ${JSON.stringify(plan.format_version)}, but only 1.x is supported. Use Terraform 1.x to show the plan.`,
    );
  }
  const isPlan =
    plan.resource_changes !== undefined ||
    (json as Record<string, unknown>).planned_values !== undefined;
  if (!isPlan) {
    throw new InvalidPlanError(
      `The input has neither resource_changes nor planned_values, so it is not a plan (state from \`terraform show -json\` without a plan file looks like this). ${NOT_A_PLAN_ADVICE}`,
    );
  }
  // Terraform saves the plan file of a failed plan too (errored: true). Its
  // resource_changes leave out what failed to plan, so a summary of it would
  // hide changes, such as a replacement, from the reviewer.
  if (plan.errored === true) {
    throw new InvalidPlanError(
      "The plan failed (errored is true): Terraform saved it, but it leaves out the changes that failed to plan and cannot be applied. Fix the errors that `terraform plan` printed, and summarize the next plan.",
    );
  }
  return plan;
}

export type Path = ReadonlyArray<string | number>;

/** Returns whether a marker tree contains `true` anywhere inside it. */
function containsMark(tree: unknown): boolean {
  if (tree === true) return true;
  if (tree === null || typeof tree !== "object") return false;
  return Object.values(tree).some(containsMark);
}

/**
 * Returns whether the value at `path` is marked in a marker tree such as
 * after_unknown or after_sensitive: the value itself, a value containing it,
 * or any part of it. Terraform writes `true` for a marked value, an object or
 * array of markers for a partly marked one, and `false` or nothing otherwise.
 */
export function isMarked(tree: unknown, path: Path): boolean {
  let node = tree;
  for (const step of path) {
    if (node === true) return true;
    if (node === null || typeof node !== "object") return false;
    node = (node as Record<string | number, unknown>)[step];
  }
  return containsMark(node);
}

/** Returns the value at `path`, or undefined where the path does not lead. */
export function valueAt(value: unknown, path: Path): unknown {
  let node = value;
  for (const step of path) {
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Record<string | number, unknown>)[step];
  }
  return node;
}
