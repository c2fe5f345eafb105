// The `policy` prop of DigicertOneProvider: the provider's plan-time rules
// for service users and role bindings, its validation at construction, and
// its conversion into the generated provider's policy block.

import { z } from "zod";
import {
  MAX_LIFETIME_DAYS,
  MIN_LIFETIME_DAYS,
  namePatternProblem,
} from "../../provider/src/policy";
import { MANAGER_CODE_RULE, ROLE_CODE_RULE } from "../../provider/src/resources/service-user/validate";
import { quote } from "../../provider/src/validation/diagnostics";
import { caseCorrection } from "../../provider/src/validation/strings";
import type {
  DigicertoneProviderPolicy,
  DigicertoneProviderPolicyAllowedRoles,
} from "./generated/provider";
import { addProblem, isToken } from "./validation";

/**
 * The effect of a rule's violation: "error" fails the plan, and "warning"
 * shows a warning and lets the plan go on.
 */
export type PolicySeverity = "error" | "warning";

/** A rule with no setting but its severity. */
export interface PolicyRule {
  /**
   * The effect of a violation: "error" fails the plan, and "warning" shows
   * a warning and lets the plan go on.
   *
   * @default "error"
   */
  readonly severity?: PolicySeverity;
}

/** The maximum lifetime of a service user. */
export interface MaxLifetimeRule extends PolicyRule {
  /**
   * Maximum number of days from the current UTC day to a service user's
   * expiration date: a whole number from 1 to 3650.
   */
  readonly days: number;
}

/** The pattern of service user names. */
export interface NamePatternRule extends PolicyRule {
  /**
   * A JavaScript regular expression, compiled with the `u` flag, that the
   * whole name must match: `ci-[a-z]+` matches "ci-release" but not
   * "old ci-release".
   */
  readonly regex: string;
}

/** Roles of one manager that a policy allows or forbids. */
export interface RoleListRule extends PolicyRule {
  /** Uppercase role codes, such as `SM_SIGNER`; at least one. */
  readonly roles: string[];
}

/**
 * Rules that Terraform plans of service users and role bindings must
 * follow, checked by the provider at plan time. A value that is already in
 * state and that a plan keeps only warns, whatever the severity.
 */
export interface DigicertOnePolicy {
  /**
   * Requires an expiration date on every service user; `{}` turns it on.
   *
   * @default - no expiration date required
   */
  readonly requireExpiration?: PolicyRule;

  /**
   * Limits a service user's expiration date to the current UTC day plus
   * `days`, checked when a plan sets the date.
   *
   * @default - any expiration date
   */
  readonly maxLifetime?: MaxLifetimeRule;

  /**
   * Requires every service user name to match a regular expression.
   *
   * @default - any valid name
   */
  readonly namePattern?: NamePatternRule;

  /**
   * The only roles allowed in each listed manager, keyed by lowercase
   * manager code, such as `{ software_trust: { roles: ["SM_SIGNER"] } }`.
   * Managers not listed are not restricted.
   *
   * @default - every role allowed
   */
  readonly allowedRoles?: { readonly [managerCode: string]: RoleListRule };

  /**
   * Roles forbidden in each listed manager, keyed by lowercase manager
   * code. Forbidden wins over allowed: a role in both counts as forbidden.
   *
   * @default - no role forbidden
   */
  readonly forbiddenRoles?: { readonly [managerCode: string]: RoleListRule };
}

const SEVERITY_RULE = 'severity must be "error", which fails the plan, or "warning", which lets the plan go on.';

function severity() {
  return z
    .unknown()
    .superRefine((value, ctx) => {
      if (value === undefined || value === "error" || value === "warning" || isToken(value)) return;
      addProblem(ctx, {
        problem: "severity is not a valid severity.",
        rule: SEVERITY_RULE,
        fix: 'Set one of them, or omit severity for the default of "error".',
      });
    })
    .optional();
}

function lifetimeDays() {
  const rule = `maxLifetime.days must be a whole number of days from ${MIN_LIFETIME_DAYS} to ${MAX_LIFETIME_DAYS}.`;
  return z.unknown().superRefine((value, ctx) => {
    if (isToken(value)) return;
    let problem: string | undefined;
    if (value === undefined) problem = "maxLifetime.days is missing.";
    else if (typeof value !== "number") problem = "maxLifetime.days is not a number.";
    else if (!Number.isInteger(value)) problem = "maxLifetime.days is not a whole number.";
    else if (value < MIN_LIFETIME_DAYS || value > MAX_LIFETIME_DAYS) {
      problem = "maxLifetime.days is out of range.";
    }
    if (problem !== undefined) {
      addProblem(ctx, { problem, rule, fix: "Set it to a number in that range, or omit maxLifetime." });
    }
  });
}

function namePatternRegex() {
  return z
    .string({ error: "namePattern.regex must be a string, such as \"ci-[a-z0-9-]+\"." })
    .superRefine((value, ctx) => {
      if (isToken(value)) return;
      const problem = namePatternProblem(value);
      if (problem === undefined) return;
      addProblem(ctx, {
        problem: `The regex ${problem}.`,
        rule: "namePattern.regex must be a JavaScript regular expression (compiled with the u flag) that the whole service user name must match.",
        fix: 'Correct the expression, such as "ci-[a-z0-9-]+".',
      });
    });
}

function roleCodes() {
  return z
    .array(z.string(), { error: 'roles must be an array of role codes, such as ["SM_SIGNER"].' })
    .superRefine((roles, ctx) => {
      if (roles.length === 0) {
        addProblem(ctx, {
          problem: "roles is empty.",
          rule: "A role list names at least one role code.",
          fix: "List the roles, or remove the manager from the list.",
        });
      }
      roles.forEach((role, index) => {
        if (isToken(role) || ROLE_CODE_RULE.pattern.test(role)) return;
        const corrected = caseCorrection(role, ROLE_CODE_RULE);
        addProblem(ctx, {
          path: [index],
          problem: `${quote(role)} is not a role code.`,
          rule: `A role code has ${ROLE_CODE_RULE.description}, such as ${quote(ROLE_CODE_RULE.example)}.`,
          fix: corrected === undefined ? undefined : `Write ${quote(corrected)}.`,
        });
      });
    });
}

function roleLists(propName: string) {
  return z
    .record(
      z.string(),
      z.strictObject(
        { roles: roleCodes(), severity: severity() },
        { error: `Each entry of ${propName} must be an object such as { roles: ["SM_SIGNER"] }.` },
      ),
      { error: `${propName} must be an object keyed by manager code.` },
    )
    .superRefine((lists, ctx) => {
      for (const managerCode of Object.keys(lists)) {
        if (MANAGER_CODE_RULE.pattern.test(managerCode)) continue;
        const corrected = caseCorrection(managerCode, MANAGER_CODE_RULE);
        addProblem(ctx, {
          path: [managerCode],
          problem: `${quote(managerCode)} is not a manager code, so the rule would match nothing.`,
          rule: `A manager code has ${MANAGER_CODE_RULE.description}, such as ${quote(MANAGER_CODE_RULE.example)}.`,
          fix: corrected === undefined ? undefined : `Write ${quote(corrected)}.`,
        });
      }
    })
    .optional();
}

/** Returns the zod schema of the `policy` prop. */
export function policySchema() {
  return z
    .strictObject(
      {
        requireExpiration: z
          .strictObject(
            { severity: severity() },
            { error: "requireExpiration must be an object, such as {} or { severity: \"warning\" }." },
          )
          .optional(),
        maxLifetime: z
          .strictObject(
            { days: lifetimeDays(), severity: severity() },
            { error: "maxLifetime must be an object, such as { days: 365 }." },
          )
          .optional(),
        namePattern: z
          .strictObject(
            { regex: namePatternRegex(), severity: severity() },
            { error: 'namePattern must be an object, such as { regex: "ci-[a-z0-9-]+" }.' },
          )
          .optional(),
        allowedRoles: roleLists("allowedRoles"),
        forbiddenRoles: roleLists("forbiddenRoles"),
      },
      { error: "policy must be an object of rules, such as { requireExpiration: {} }." },
    )
    .optional();
}

/** Converts role lists keyed by manager into the provider's blocks, ordered by manager code. */
function roleListBlocks(
  lists: { readonly [managerCode: string]: RoleListRule } | undefined,
): DigicertoneProviderPolicyAllowedRoles[] | undefined {
  if (lists === undefined) return undefined;
  return Object.keys(lists)
    .sort()
    .map((manager) => ({ manager, roles: lists[manager].roles, severity: lists[manager].severity }));
}

/** Converts the validated `policy` prop into the generated provider's policy block. */
export function toProviderPolicy(policy: DigicertOnePolicy | undefined): DigicertoneProviderPolicy | undefined {
  if (policy === undefined) return undefined;
  return {
    requireExpiration: policy.requireExpiration,
    maxLifetime: policy.maxLifetime,
    namePattern: policy.namePattern,
    allowedRoles: roleListBlocks(policy.allowedRoles),
    forbiddenRoles: roleListBlocks(policy.forbiddenRoles),
  };
}
