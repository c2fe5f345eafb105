// Plan-time checks of the provider's policy against a planned service user
// or role binding (PlanResourceChange).
//
// A value that the plan creates or changes is checked at the rule's
// severity. A value that is already in state and that the plan keeps gets a
// warning at most, whatever the severity. So a new or stricter rule shows
// every existing violation, but does not block unrelated changes (such as a
// token rotation) to those resources. Roles count one by one: keeping a
// forbidden role warns, and granting it fails.
// A replacement is a create: Terraform plans it again with a null prior
// state, so every value is checked at the rule's severity before anything
// is destroyed. Unknown values are skipped, and the apply-time plan checks
// them once they are known.

import {
  isUnknown,
  path,
  type AttributePath,
  type CtyValue,
  type Diagnostic,
  type ObjectValue,
} from "../framework/types";
import { knownStrings } from "../validation/collections";
import { joinWithAnd, quote } from "../validation/diagnostics";
import type { Policy, RoleList } from "./config";
import type { PolicySeverity } from "./schema";

const DAY_MS = 86_400_000;

/** One rule broken by one value, before it becomes a diagnostic. */
interface Violation {
  severity: PolicySeverity;
  path: AttributePath;
  summary: string;
  /** The problem, naming the value received. */
  problem: string;
  /** The rule, naming the policy setting. */
  rule: string;
  fix: string;
  /** Whether the value is already in state and the plan keeps it. */
  kept: boolean;
}

function toDiagnostic(violation: Violation): Diagnostic {
  const sentences = [violation.problem, violation.rule, violation.fix];
  if (violation.kept) {
    sentences.push(
      "The value is already in state and this plan keeps it, so the policy reports it as a warning. A plan that changes it must follow the rule.",
    );
  }
  return {
    severity: violation.kept ? "warning" : violation.severity,
    summary: violation.summary,
    detail: sentences.join(" "),
    path: violation.path,
  };
}

/** Returns the UTC day `days` days after `day`, both YYYY-MM-DD. */
function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Returns the number of days from the UTC day `from` to `to`. */
function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

// ---------------------------------------------------------------------------
// digicertone_service_user
// ---------------------------------------------------------------------------

/**
 * Checks a planned service user against the policy. `config` is the
 * resource's configuration, already valid; `prior` is its state, or null on
 * a create; `today` is the current UTC day as YYYY-MM-DD.
 */
export function checkServiceUserPolicy(
  config: ObjectValue,
  prior: ObjectValue | null,
  policy: Policy | undefined,
  today: string,
): Diagnostic[] {
  if (policy === undefined) return [];
  const subject =
    typeof config.name === "string" ? `Service user ${quote(config.name)}` : "The service user";
  const violations: Violation[] = [
    ...checkExpiration(config, prior, policy, today, subject),
    ...checkName(config, prior, policy),
  ];

  const access = config.access;
  if (access !== null && !isUnknown(access) && typeof access === "object" && !Array.isArray(access)) {
    for (const [manager, grant] of Object.entries(access as ObjectValue)) {
      const roles = rolesOf(grant);
      if (roles === undefined) continue;
      const priorRoles = rolesOf(accessOf(prior)?.[manager] ?? null) ?? [];
      violations.push(
        ...checkRoles({
          manager,
          roles,
          priorRoles,
          policy,
          // Terraform cannot point inside a map element of a nested
          // attribute, so the path stops at the manager's entry.
          path: path("access", { key: manager }),
          attributeName: `access[${quote(manager)}].roles`,
        }),
      );
    }
  }
  return violations.map(toDiagnostic);
}

function checkExpiration(
  config: ObjectValue,
  prior: ObjectValue | null,
  policy: Policy,
  today: string,
  subject: string,
): Violation[] {
  const date = config.expiration_date;
  if (isUnknown(date)) return [];
  const kept = prior !== null && date === prior.expiration_date;
  const datePath = path("expiration_date");
  const { requireExpiration, maxLifetime } = policy;

  if (date === null) {
    if (requireExpiration === undefined) return [];
    const latest =
      maxLifetime === undefined ? "" : `, no later than ${addDays(today, maxLifetime.days)}`;
    return [
      {
        severity: requireExpiration.severity,
        path: datePath,
        summary: "Missing expiration_date required by policy",
        problem: `${subject} has no expiration_date (null), so it never expires.`,
        rule: "The provider's policy (require_expiration) requires an expiration date on every service user.",
        fix: `Set expiration_date to a UTC day as YYYY-MM-DD${latest}.`,
        kept,
      },
    ];
  }

  if (typeof date !== "string" || maxLifetime === undefined) return [];
  // "today" is the day of this plan. Terraform plans again at apply time,
  // possibly on a later day, which only moves the latest allowed date
  // later, so a date that passed at plan time passes at apply time too.
  // A kept date is checked against the same limit but only warns: its
  // remaining lifetime shrinks every day, while the rule was met or not
  // when the date was set.
  const latest = addDays(today, maxLifetime.days);
  if (date <= latest) return [];
  return [
    {
      severity: maxLifetime.severity,
      path: datePath,
      summary: "expiration_date beyond policy max_lifetime",
      problem: `The expiration_date ${quote(date)} is ${daysBetween(today, date)} days after today (${today}, UTC).`,
      rule: `The provider's policy (max_lifetime) allows at most ${maxLifetime.days} days, so the latest allowed date is ${latest}.`,
      fix:
        prior === null
          ? `Set expiration_date to ${latest} or earlier. Once the service user exists, moving the date later updates it in place.`
          : `Set expiration_date to ${latest} or earlier, and move it later when the service user is still needed, which updates it in place.`,
      kept,
    },
  ];
}

function checkName(config: ObjectValue, prior: ObjectValue | null, policy: Policy): Violation[] {
  const { namePattern } = policy;
  const name = config.name;
  if (namePattern === undefined || typeof name !== "string") return [];
  if (namePattern.pattern.test(name)) return [];
  return [
    {
      severity: namePattern.severity,
      path: path("name"),
      summary: "Name does not match policy name_pattern",
      problem: `The name ${quote(name)} does not match the regular expression ${quote(namePattern.source)}.`,
      rule: "The provider's policy (name_pattern) requires every service user name to match it as a whole.",
      // A create (or a replacement, which Terraform plans as a create) has
      // no id or token yet, so only an update can promise to keep them.
      fix:
        prior === null
          ? "Set name to a matching value before the service user is created."
          : "Rename the service user to a matching name. A rename updates it in place and keeps its id and token.",
      kept: prior !== null && name === prior.name,
    },
  ];
}

function accessOf(state: ObjectValue | null): ObjectValue | undefined {
  const access = state?.access;
  if (access === null || access === undefined || isUnknown(access)) return undefined;
  if (typeof access !== "object" || Array.isArray(access)) return undefined;
  return access as ObjectValue;
}

/** Returns the known role codes of an access entry `{ roles = [...] }`, or undefined when unknown. */
function rolesOf(grant: CtyValue): string[] | undefined {
  if (grant === null || isUnknown(grant) || typeof grant !== "object" || Array.isArray(grant)) {
    return undefined;
  }
  const roles = (grant as ObjectValue).roles;
  return Array.isArray(roles) ? knownStrings(roles) : undefined;
}

// ---------------------------------------------------------------------------
// digicertone_service_user_role_binding
// ---------------------------------------------------------------------------

/**
 * Checks a planned role binding against the policy's role rules. `config`
 * is the binding's configuration, already valid; `prior` is its state, or
 * null on a create.
 */
export function checkRoleBindingPolicy(
  config: ObjectValue,
  prior: ObjectValue | null,
  policy: Policy | undefined,
): Diagnostic[] {
  if (policy === undefined) return [];
  const { manager, roles } = config;
  if (typeof manager !== "string" || !Array.isArray(roles)) return [];
  const priorRoles =
    prior !== null && prior.manager === manager && Array.isArray(prior.roles)
      ? knownStrings(prior.roles)
      : [];
  return checkRoles({
    manager,
    roles: knownStrings(roles),
    priorRoles,
    policy,
    path: path("roles"),
    attributeName: "roles",
  }).map(toDiagnostic);
}

// ---------------------------------------------------------------------------
// Roles, for both resource types
// ---------------------------------------------------------------------------

interface RoleGrant {
  manager: string;
  /** The known planned roles in the manager. */
  roles: readonly string[];
  /** The roles in the manager in state; empty on a create. */
  priorRoles: readonly string[];
  policy: Policy;
  path: AttributePath;
  /** The attribute as the messages name it, such as `access["software_trust"].roles`. */
  attributeName: string;
}

/**
 * Checks roles against forbidden_roles, then allowed_roles: a role that is
 * forbidden is reported as forbidden only, even when it is also allowed.
 * Roles granted by this plan and roles kept from state are reported apart.
 */
function checkRoles(grant: RoleGrant): Violation[] {
  const forbidden = grant.policy.forbiddenRoles.get(grant.manager);
  const allowed = grant.policy.allowedRoles.get(grant.manager);
  const forbiddenRoles = grant.roles.filter((role) => forbidden?.roles.has(role));
  const notAllowed =
    allowed === undefined
      ? []
      : grant.roles.filter((role) => !allowed.roles.has(role) && !forbiddenRoles.includes(role));

  const violations: Violation[] = [];
  if (forbidden !== undefined) {
    violations.push(...roleViolations(grant, forbiddenRoles, forbidden, "forbidden_roles"));
  }
  if (allowed !== undefined) {
    violations.push(...roleViolations(grant, notAllowed, allowed, "allowed_roles"));
  }
  return violations;
}

/** Builds one violation for the new roles and one for the kept roles, when there are any. */
function roleViolations(
  grant: RoleGrant,
  offending: readonly string[],
  list: RoleList,
  kind: "forbidden_roles" | "allowed_roles",
): Violation[] {
  const added = offending.filter((role) => !grant.priorRoles.includes(role));
  const kept = offending.filter((role) => grant.priorRoles.includes(role));
  return [added, kept]
    .filter((roles) => roles.length > 0)
    .map((roles) => roleViolation(grant, roles, list, kind, roles === kept));
}

function roleViolation(
  grant: RoleGrant,
  roles: readonly string[],
  list: RoleList,
  kind: "forbidden_roles" | "allowed_roles",
  kept: boolean,
): Violation {
  const manager = quote(grant.manager);
  const received = joinWithAnd(roles.map(quote));
  const listed = joinWithAnd([...list.roles].sort().map(quote));
  const one = roles.length === 1;
  if (kind === "forbidden_roles") {
    return {
      severity: list.severity,
      path: grant.path,
      summary: "Role forbidden by policy",
      problem: `${grant.attributeName} contains ${received}, which the policy forbids in the manager ${manager}.`,
      rule: `The provider's policy (forbidden_roles) forbids ${listed} in ${manager}, and forbidden wins over allowed_roles.`,
      fix: `Remove ${one ? "it" : "them"} from ${grant.attributeName}.`,
      kept,
    };
  }
  return {
    severity: list.severity,
    path: grant.path,
    summary: "Role not allowed by policy",
    problem: `${grant.attributeName} contains ${received}, which ${one ? "is not an allowed role" : "are not allowed roles"} in the manager ${manager}.`,
    rule: `The provider's policy (allowed_roles) allows only ${listed} in ${manager}.`,
    fix: `Remove ${one ? "it" : "them"} from ${grant.attributeName}, or use allowed roles.`,
    kept,
  };
}
