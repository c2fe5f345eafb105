// The provider's `policy` block as configured: its validation at
// ValidateProviderConfig (unknown values skipped) and its conversion into a
// Policy at configure time (unknown values rejected).

import {
  isUnknown,
  path,
  type AttributePath,
  type CtyValue,
  type Diagnostic,
  type ObjectValue,
} from "../framework/types";
import { MANAGER_CODE_RULE, ROLE_CODE_RULE } from "../resources/service-user/validate";
import { knownStrings, validateStringSet } from "../validation/collections";
import {
  errorDiagnostic,
  formatValue,
  invalidValue,
  joinWithAnd,
  quote,
  warningDiagnostic,
} from "../validation/diagnostics";
import { numberValue, validateWholeNumber } from "../validation/numbers";
import { caseCorrection } from "../validation/strings";
import {
  DEFAULT_SEVERITY,
  MAX_LIFETIME_DAYS,
  MIN_LIFETIME_DAYS,
  POLICY_BLOCK_NAME,
  SEVERITIES,
  type PolicySeverity,
} from "./schema";

/** Roles of one manager that a role list rule names. */
export interface RoleList {
  readonly roles: ReadonlySet<string>;
  readonly severity: PolicySeverity;
}

/** The configured policy; a rule that is not configured is undefined. */
export interface Policy {
  readonly requireExpiration?: { readonly severity: PolicySeverity };
  readonly maxLifetime?: { readonly days: number; readonly severity: PolicySeverity };
  readonly namePattern?: {
    /** The regex as configured, for messages. */
    readonly source: string;
    /** The regex anchored to match a whole name. */
    readonly pattern: RegExp;
    readonly severity: PolicySeverity;
  };
  /** allowed_roles, keyed by manager code. */
  readonly allowedRoles: ReadonlyMap<string, RoleList>;
  /** forbidden_roles, keyed by manager code. */
  readonly forbiddenRoles: ReadonlyMap<string, RoleList>;
}

export const EMPTY_POLICY: Policy = { allowedRoles: new Map(), forbiddenRoles: new Map() };

type RoleListKind = "allowed_roles" | "forbidden_roles";
const ROLE_LIST_KINDS: readonly RoleListKind[] = ["allowed_roles", "forbidden_roles"];

/** Builds a path below the provider's policy block. */
function policyPath(...steps: Array<string | number>): AttributePath {
  return path(POLICY_BLOCK_NAME, ...steps);
}

/** Returns the object of a single nested block, or undefined when it is absent or unknown. */
function blockObject(value: CtyValue | undefined): ObjectValue | undefined {
  if (value === undefined) return undefined;
  return isPlainObject(value) ? value : undefined;
}

/** Returns the objects of a list of nested blocks, skipping unknown ones. */
function blockList(value: CtyValue | undefined): ObjectValue[] {
  if (!Array.isArray(value)) return [];
  return value
    .map((element) => blockObject(element))
    .filter((element): element is ObjectValue => element !== undefined);
}

// ---------------------------------------------------------------------------
// Regular expression of name_pattern
// ---------------------------------------------------------------------------

/**
 * Returns why `source` cannot be a name_pattern regex, or undefined when it
 * compiles. The reason quotes the JavaScript engine's own message.
 */
export function namePatternProblem(source: string): string | undefined {
  if (source === "") return "is empty, which only an empty name would match";
  try {
    new RegExp(source, "u");
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const hint = /^\(\?[a-zA-Z]+\)/.test(source)
      ? ". Inline flags such as Go's (?i) do not exist in JavaScript regular expressions: write both cases, such as [Cc][Ii]"
      : "";
    return `is not a valid JavaScript regular expression: ${message}${hint}`;
  }
  return undefined;
}

/** Compiles a valid name_pattern regex so that it matches whole names only. */
export function compileNamePattern(source: string): RegExp {
  // Wrapping in a group keeps an alternation such as "a|b" inside the anchors.
  return new RegExp(`^(?:${source})$`, "u");
}

// ---------------------------------------------------------------------------
// Validation (ValidateProviderConfig and configure)
// ---------------------------------------------------------------------------

/**
 * Validates the known values of the policy block, without any API call.
 * `policy` is the block's value: null when the block is absent.
 */
export function validatePolicyConfig(policy: CtyValue | undefined): Diagnostic[] {
  const block = blockObject(policy);
  if (block === undefined) return [];
  const diagnostics: Diagnostic[] = [];

  const requireExpiration = blockObject(block.require_expiration);
  if (requireExpiration !== undefined) {
    diagnostics.push(...validateSeverity(requireExpiration, policyPath("require_expiration")));
  }

  const maxLifetime = blockObject(block.max_lifetime);
  if (maxLifetime !== undefined) {
    diagnostics.push(
      ...validateWholeNumber(maxLifetime.days ?? null, {
        path: policyPath("max_lifetime", "days"),
        name: "max_lifetime.days",
        min: MIN_LIFETIME_DAYS,
        max: MAX_LIFETIME_DAYS,
        unit: "days",
        fix: "remove the max_lifetime block to allow any expiration_date",
      }),
    );
    diagnostics.push(...validateSeverity(maxLifetime, policyPath("max_lifetime")));
  }

  const namePattern = blockObject(block.name_pattern);
  if (namePattern !== undefined) {
    diagnostics.push(...validateNamePattern(namePattern.regex ?? null));
    diagnostics.push(...validateSeverity(namePattern, policyPath("name_pattern")));
  }

  for (const kind of ROLE_LIST_KINDS) {
    diagnostics.push(...validateRoleLists(kind, block[kind]));
  }
  diagnostics.push(...warnAboutRolesInBothLists(block));
  return diagnostics;
}

function validateSeverity(rule: ObjectValue, rulePath: AttributePath): Diagnostic[] {
  const severity = rule.severity ?? null;
  if (severity === null || isUnknown(severity)) return [];
  if ((SEVERITIES as readonly CtyValue[]).includes(severity)) return [];
  const name = formatPath(rulePath);
  const lowercase = typeof severity === "string" ? severity.toLowerCase() : undefined;
  return [
    invalidValue({
      path: [...rulePath, { attribute: "severity" }],
      summary: "Invalid policy severity",
      problem: `${name}.severity is ${formatValue(severity)}.`,
      allowed: `It must be "error", which fails the plan, or "warning", which lets the plan go on.`,
      fix:
        lowercase !== undefined && (SEVERITIES as readonly string[]).includes(lowercase)
          ? `Write it in lowercase: ${quote(lowercase)}.`
          : `Set one of them, or remove severity for the default of ${quote(DEFAULT_SEVERITY)}.`,
    }),
  ];
}

/** Formats a path the way HCL addresses it, such as `policy.allowed_roles[0]`. */
function formatPath(attributePath: AttributePath): string {
  return attributePath
    .map((step) => {
      if ("attribute" in step) return `.${step.attribute}`;
      if ("index" in step) return `[${step.index}]`;
      return `[${quote(step.key)}]`;
    })
    .join("")
    .slice(1);
}

function validateNamePattern(regex: CtyValue): Diagnostic[] {
  if (typeof regex !== "string") return [];
  const problem = namePatternProblem(regex);
  if (problem === undefined) return [];
  return [
    invalidValue({
      path: policyPath("name_pattern", "regex"),
      summary: "Invalid policy name_pattern",
      problem: `The regex ${quote(regex)} ${problem}.`,
      allowed:
        "It must be a JavaScript regular expression (compiled with the u flag) that the whole service user name must match, such as \"ci-[a-z0-9-]+\".",
      fix: "Correct the expression. In HCL, write a backslash twice, as in \"\\\\d+\".",
    }),
  ];
}

/**
 * Validates every block of allowed_roles or forbidden_roles: the manager
 * code, the role codes, the severity, and one block per manager.
 */
function validateRoleLists(kind: RoleListKind, value: CtyValue | undefined): Diagnostic[] {
  if (!Array.isArray(value)) return [];
  const diagnostics: Diagnostic[] = [];
  const firstIndexByManager = new Map<string, number>();

  value.forEach((element, index) => {
    const rule = blockObject(element);
    if (rule === undefined) return;
    const managerPath = policyPath(kind, index, "manager");
    const manager = rule.manager ?? null;

    if (typeof manager === "string") {
      diagnostics.push(...validateManagerCode(manager, managerPath, kind));
      const first = firstIndexByManager.get(manager);
      if (first === undefined) {
        firstIndexByManager.set(manager, index);
      } else {
        diagnostics.push(
          invalidValue({
            path: managerPath,
            summary: `Duplicate manager in policy ${kind}`,
            problem: `${kind} blocks ${first + 1} and ${index + 1} both name the manager ${quote(manager)}.`,
            allowed: `Each manager has at most one ${kind} block.`,
            fix: "Merge their roles into one block.",
          }),
        );
      }
    }

    diagnostics.push(
      ...validateStringSet(rule.roles ?? null, policyPath(kind, index, "roles"), {
        setName: `${kind}.roles`,
        elementNoun: "role code",
        emptyReason:
          kind === "allowed_roles"
            ? "To allow no role at all in a manager, forbid its roles instead."
            : "A forbidden_roles block without roles forbids nothing.",
        example: `roles = ["${ROLE_CODE_RULE.example}"]`,
        elementRule: ROLE_CODE_RULE,
      }),
    );
    diagnostics.push(...validateSeverity(rule, policyPath(kind, index)));
  });
  return diagnostics;
}

function validateManagerCode(
  manager: string,
  managerPath: AttributePath,
  kind: RoleListKind,
): Diagnostic[] {
  if (MANAGER_CODE_RULE.pattern.test(manager)) return [];
  const corrected = caseCorrection(manager, MANAGER_CODE_RULE);
  return [
    invalidValue({
      path: managerPath,
      summary: `Invalid manager code in policy ${kind}`,
      problem: `The manager ${quote(manager)} is not a manager code, so the rule would match nothing.`,
      allowed: `A manager code has ${MANAGER_CODE_RULE.description}, such as ${quote(MANAGER_CODE_RULE.example)}.`,
      fix: corrected === undefined ? undefined : `Write ${quote(corrected)}.`,
    }),
  ];
}

/** Warns about roles that a manager both allows and forbids: forbidden wins. */
function warnAboutRolesInBothLists(block: ObjectValue): Diagnostic[] {
  const allowed = new Map<string, Set<string>>();
  for (const rule of blockList(block.allowed_roles)) {
    if (typeof rule.manager !== "string" || !Array.isArray(rule.roles)) continue;
    const roles = allowed.get(rule.manager) ?? new Set<string>();
    knownStrings(rule.roles).forEach((role) => roles.add(role));
    allowed.set(rule.manager, roles);
  }

  const diagnostics: Diagnostic[] = [];
  const forbiddenRules = Array.isArray(block.forbidden_roles) ? block.forbidden_roles : [];
  forbiddenRules.forEach((element, index) => {
    const rule = blockObject(element);
    if (rule === undefined || typeof rule.manager !== "string") return;
    if (!Array.isArray(rule.roles)) return;
    const allowedRoles = allowed.get(rule.manager);
    const both = knownStrings(rule.roles).filter((role) => allowedRoles?.has(role));
    if (both.length === 0) return;
    diagnostics.push(
      warningDiagnostic(
        "Role both allowed and forbidden by policy",
        `The policy lists ${joinWithAnd(both.map(quote))} in both allowed_roles and forbidden_roles of the manager ${quote(rule.manager)}. Forbidden wins, so plans that grant ${both.length === 1 ? "it" : "them"} fail. Remove ${both.length === 1 ? "it" : "them"} from one of the two lists.`,
        policyPath("forbidden_roles", index, "roles"),
      ),
    );
  });
  return diagnostics;
}

// ---------------------------------------------------------------------------
// Conversion at configure time
// ---------------------------------------------------------------------------

/**
 * Converts the policy block into a Policy. Every value of the block must be
 * known: a rule that depends on a value known only after apply could not be
 * checked at plan time, so it is rejected here instead of skipped. Call it
 * after validatePolicyConfig found no errors.
 */
export function resolvePolicy(policy: CtyValue | undefined): {
  policy: Policy;
  diagnostics: Diagnostic[];
} {
  const unknownPaths = findUnknownPaths(policy ?? null, [{ attribute: POLICY_BLOCK_NAME }]);
  if (unknownPaths.length > 0) {
    return {
      policy: EMPTY_POLICY,
      diagnostics: unknownPaths.map((unknownPath) =>
        errorDiagnostic(
          "Provider policy value not known",
          "The provider's policy depends on a value that is known only after apply, but plans check the policy before anything is applied. Set it from a variable, a local value or a literal.",
          unknownPath,
        ),
      ),
    };
  }

  const block = blockObject(policy);
  if (block === undefined) return { policy: EMPTY_POLICY, diagnostics: [] };

  const requireExpiration = blockObject(block.require_expiration);
  const maxLifetime = blockObject(block.max_lifetime);
  const namePattern = blockObject(block.name_pattern);
  const days = maxLifetime === undefined ? undefined : numberValue(maxLifetime.days ?? null);
  const regex = namePattern?.regex;

  return {
    policy: {
      requireExpiration:
        requireExpiration === undefined ? undefined : { severity: severityOf(requireExpiration) },
      maxLifetime:
        maxLifetime === undefined || days === undefined
          ? undefined
          : { days, severity: severityOf(maxLifetime) },
      namePattern:
        namePattern === undefined || typeof regex !== "string"
          ? undefined
          : { source: regex, pattern: compileNamePattern(regex), severity: severityOf(namePattern) },
      allowedRoles: roleListsOf(block.allowed_roles),
      forbiddenRoles: roleListsOf(block.forbidden_roles),
    },
    diagnostics: [],
  };
}

function severityOf(rule: ObjectValue): PolicySeverity {
  return rule.severity === "warning" ? "warning" : DEFAULT_SEVERITY;
}

function roleListsOf(value: CtyValue | undefined): Map<string, RoleList> {
  const lists = new Map<string, RoleList>();
  for (const rule of blockList(value)) {
    if (typeof rule.manager !== "string" || !Array.isArray(rule.roles)) continue;
    lists.set(rule.manager, { roles: new Set(knownStrings(rule.roles)), severity: severityOf(rule) });
  }
  return lists;
}

/**
 * Returns the path of every unknown value in `value`. An array with an
 * unknown element reports its own path, because set elements have none.
 */
function findUnknownPaths(value: CtyValue, at: AttributePath): AttributePath[] {
  if (isUnknown(value)) return [at];
  if (Array.isArray(value)) {
    if (value.some((element) => isUnknown(element))) return [at];
    return value.flatMap((element, index) => findUnknownPaths(element, [...at, { index }]));
  }
  if (isPlainObject(value)) {
    return Object.entries(value).flatMap(([name, element]) =>
      findUnknownPaths(element, [...at, { attribute: name }]),
    );
  }
  return [];
}

function isPlainObject(value: CtyValue): value is ObjectValue {
  if (value === null || typeof value !== "object") return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}
