// Schema of the provider's `policy` block: rules that plans of service
// users and role bindings must follow, each with its own severity. The
// descriptions become the provider's documentation.

import type { AttributeSchema, NestedBlockSchema } from "../framework/types";

export const POLICY_BLOCK_NAME = "policy";

export const SEVERITIES = ["error", "warning"] as const;
export type PolicySeverity = (typeof SEVERITIES)[number];
export const DEFAULT_SEVERITY: PolicySeverity = "error";

/** Limits of `max_lifetime.days`: from one day to ten years. */
export const MIN_LIFETIME_DAYS = 1;
export const MAX_LIFETIME_DAYS = 3650;

const EXISTING_VALUES =
  "A value that is already in state and that the plan does not change is reported as a warning whatever the severity, so that adding a rule never blocks unrelated changes to existing service users.";

function severityAttribute(): AttributeSchema {
  return {
    type: "string",
    optional: true,
    description:
      'What a violation of this rule does: `"error"` fails the plan, and `"warning"` shows a warning and lets the plan go on. Defaults to `"error"`.',
  };
}

function roleListBlock(kind: "allowed" | "forbidden"): NestedBlockSchema {
  const description =
    kind === "allowed"
      ? "Restricts the roles of one manager to a list: a plan fails (or warns) when a service user's `access` or a role binding grants any other role in that manager. Managers without an `allowed_roles` block are not restricted. A role that is also in `forbidden_roles` of the same manager counts as forbidden. Write one block per manager."
      : "Forbids roles of one manager: a plan fails (or warns) when a service user's `access` or a role binding grants any of them. Forbidden wins over allowed: a role in both lists counts as forbidden. Write one block per manager.";
  return {
    nesting: "list",
    block: {
      description,
      attributes: {
        manager: {
          type: "string",
          required: true,
          description:
            "The lowercase code of the manager that the roles belong to, such as `software_trust`.",
        },
        roles: {
          type: ["set", "string"],
          required: true,
          description: `The uppercase role codes ${kind} in \`manager\`, such as \`SM_SIGNER\`; at least one.`,
        },
        severity: severityAttribute(),
      },
    },
  };
}

export const policyBlock: NestedBlockSchema = {
  nesting: "single",
  block: {
    description:
      "Rules that every planned create or change of a `digicertone_service_user` or `digicertone_service_user_role_binding` must follow, checked at plan time. Each rule is a nested block, and each violation is a diagnostic on the attribute at fault with the value received, the rule and the fix. " +
      EXISTING_VALUES +
      " Destroying a resource is never checked.",
    attributes: {},
    blocks: {
      require_expiration: {
        nesting: "single",
        block: {
          description:
            "Requires `expiration_date` on every service user. Write `require_expiration {}` to turn it on with the default severity.",
          attributes: { severity: severityAttribute() },
        },
      },
      max_lifetime: {
        nesting: "single",
        block: {
          description:
            "Limits how far ahead a service user's `expiration_date` may be: no later than the current UTC day plus `days`. The current day is that of each plan. Terraform plans again at apply time, possibly on a later day, which only moves the limit later, so a plan that passed still passes at apply.",
          attributes: {
            days: {
              type: "number",
              required: true,
              description: `The maximum number of days from the current UTC day to \`expiration_date\`: a whole number from ${MIN_LIFETIME_DAYS} to ${MAX_LIFETIME_DAYS}.`,
            },
            severity: severityAttribute(),
          },
        },
      },
      name_pattern: {
        nesting: "single",
        block: {
          description:
            "Requires every service user's `name` to match a regular expression.",
          attributes: {
            regex: {
              type: "string",
              required: true,
              description:
                'A JavaScript (ECMAScript) regular expression, compiled with the `u` flag, that the whole name must match: `ci-[a-z]+` matches "ci-release" but not "old ci-release". Inline flags such as Go\'s `(?i)` are not supported; write `[Cc][Ii]` instead.',
            },
            severity: severityAttribute(),
          },
        },
      },
      allowed_roles: roleListBlock("allowed"),
      forbidden_roles: roleListBlock("forbidden"),
    },
  },
};
