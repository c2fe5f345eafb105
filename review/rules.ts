// The --fail-on-* rules: checks that make the command exit non-zero after it
// has written the summary, so that a pipeline can stop a risky plan.

import type { PlanSummary, ResourceSummary } from "./summarize";

export const FAIL_RULES = ["fail-on-delete", "fail-on-replace", "fail-on-privilege-gain"] as const;
export type FailRule = (typeof FAIL_RULES)[number];

interface RuleDefinition {
  /** The kind of change that the rule rejects, as a noun. */
  noun: string;
  matches(resource: ResourceSummary): boolean;
}

const DEFINITIONS: Record<FailRule, RuleDefinition> = {
  "fail-on-delete": {
    noun: "deletion or replacement",
    matches: (resource) => resource.flags.includes("delete"),
  },
  "fail-on-replace": {
    noun: "replacement",
    matches: (resource) => resource.action === "replace",
  },
  "fail-on-privilege-gain": {
    noun: "privilege gain",
    matches: (resource) => resource.flags.includes("privilege"),
  },
};

export interface RuleFailure {
  rule: FailRule;
  /** One line for stderr that names the rule and the resources. */
  message: string;
}

/** Checks the summary against the requested rules, in the order of FAIL_RULES. */
export function checkFailRules(summary: PlanSummary, rules: ReadonlySet<FailRule>): RuleFailure[] {
  const failures: RuleFailure[] = [];
  for (const rule of FAIL_RULES) {
    if (!rules.has(rule)) continue;

    const definition = DEFINITIONS[rule];
    const addresses = summary.resources
      .filter((resource) => definition.matches(resource))
      .map((resource) => resource.address);
    if (addresses.length === 0) continue;

    failures.push({
      rule,
      message: `--${rule} failed: ${definition.noun} in ${addresses.join(", ")}`,
    });
  }
  return failures;
}
