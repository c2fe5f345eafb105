// Role grants on a service user: the IServiceUser interface that the owned
// ServiceUser and a referenced service user share, and the creation of a
// digicertone_service_user_role_binding with a stable logical id.

import { TerraformStack, type TerraformProvider } from "cdktf";
import { type Construct, type IConstruct } from "constructs";
import { z } from "zod";
import { ROLE_CODE_RULE } from "../../provider/src/resources/service-user/validate";
import { quote } from "../../provider/src/validation/diagnostics";
import { ServiceUserRoleBinding } from "./generated/service-user-role-binding";
import {
  deriveRoleBindingLogicalId,
  ROLE_BINDING_LOGICAL_ID_PREFIX,
  StackClaims,
} from "./logical-ids";
import { mergeOptions } from "./lookup-options";
import { describeOwner, ManagerOwners } from "./ownership";
import { managerCodeProblem, roleCodeProblem } from "./service-user-validation";
import { addProblem, isToken, terraformIdentifier, typeError, validateProps } from "./validation";

/** Options of IServiceUser.grant. */
export interface GrantOptions {
  /**
   * The Terraform logical id of the role binding, a Terraform identifier.
   * Set it to keep the old id when the service user's name or logical id
   * changes, or when the manager is a token.
   *
   * @default - `role_binding_` plus the service user's id base and the
   * manager code, such as `role_binding_release_signing_bot_software_trust`
   */
  readonly logicalId?: string;
}

/**
 * A DigiCert ONE service user that roles can be granted on: a ServiceUser
 * that this stack owns, or an existing one that ServiceUser.fromName or
 * ServiceUser.fromId references.
 */
export interface IServiceUser extends IConstruct {
  /** The service user's id (a UUID), as a token. */
  readonly serviceUserId: string;

  /**
   * Grants the roles of one manager on the service user with a
   * `digicertone_service_user_role_binding`, which sets exactly these roles
   * in that manager and leaves the other managers alone. Each manager has
   * one owner: granting a manager that the ServiceUser's access lists, or
   * one already granted, throws an InvalidPropsError.
   *
   * @param manager the lowercase manager code, such as `software_trust`
   * @param roles the uppercase role codes, at least one, such as `["SM_SIGNER"]`
   */
  grant(manager: string, roles: string[], options?: GrantOptions): ServiceUserRoleBinding;
}

/** The service user that gets the roles, as grantRoles needs it. */
export interface GrantTarget {
  /** The construct that contains the role bindings and whose path errors name. */
  readonly construct: Construct;
  /** The class name for errors, such as `ServiceUser`. */
  readonly constructName: string;
  /** The service user's id, as a token. */
  readonly serviceUserId: string;
  /** The start of derived role binding ids, such as `release_signing_bot`. */
  readonly idBase: string;
  /** The digicertone provider of the bindings, the same as the service user's. */
  readonly provider?: TerraformProvider;
  /** Literal manager codes that the ServiceUser's access lists. Empty for a reference. */
  readonly accessManagers: ReadonlySet<string>;
  /** The managers granted on this target so far, mapped to the binding's path. */
  readonly grants: Map<string, string>;
  /** The key of the service user across stacks, or undefined when it is a token. */
  readonly identity: string | undefined;
  /** The service user for messages, such as `"release-signing bot"`. */
  readonly label: string;
}

const ONE_OWNER_RULE =
  "Each manager of a service user has one owner, the access of its ServiceUser or one role binding, because two owners undo each other's changes at every apply.";

const ROLE_CODE_EXAMPLE = `[${quote(ROLE_CODE_RULE.example)}]`;

/**
 * Validates a grant and creates its role binding inside the target
 * construct. Throws one InvalidPropsError for every problem, naming the
 * target's construct path.
 */
export function grantRoles(
  target: GrantTarget,
  manager: string,
  roles: string[],
  options: GrantOptions | undefined,
): ServiceUserRoleBinding {
  const stack = TerraformStack.of(target.construct);
  const claims = StackClaims.of(stack);
  const owners = ManagerOwners.of(target.construct);
  const methodName = `${target.constructName}.grant`;
  const props = mergeOptions(target.construct, methodName, { manager, roles }, options);
  validateProps(target.construct, grantSchema(target, claims, owners, stack), props, {
    constructName: methodName,
  });

  const logicalId = options?.logicalId ?? deriveRoleBindingLogicalId(target.idBase, manager);
  const binding = new ServiceUserRoleBinding(target.construct, logicalId, {
    serviceUserId: target.serviceUserId,
    manager,
    roles,
    provider: target.provider,
  });
  binding.overrideLogicalId(logicalId);

  claims.roleBindingIds.set(logicalId, binding.node.path);
  if (!isToken(manager)) {
    target.grants.set(manager, binding.node.path);
    if (target.identity !== undefined) {
      owners.add(target.identity, target.label, manager, {
        kind: "grant",
        path: binding.node.path,
        stack,
        binding,
      });
    }
  }
  return binding;
}

function grantSchema(
  target: GrantTarget,
  claims: StackClaims,
  owners: ManagerOwners,
  stack: TerraformStack,
) {
  return z
    .strictObject({
      manager: z
        .string({ error: typeError("manager", 'a lowercase manager code, such as "software_trust"') })
        .superRefine((value, ctx) => {
          const problem = managerCodeProblem(value);
          if (problem !== undefined) addProblem(ctx, problem);
        }),
      roles: z
        .array(z.string({ error: "A role code must be a string." }), {
          error: typeError("roles", `a list of uppercase role codes, such as ${ROLE_CODE_EXAMPLE}`),
        })
        .superRefine(checkRoles),
      logicalId: terraformIdentifier("logicalId", "role_binding_release_signing_bot_software_trust").optional(),
    })
    .superRefine(
      (props, ctx) => {
        const reportedOwners = checkOwner(props, ctx, target, owners, stack);
        checkLogicalId(props, ctx, target, claims, reportedOwners);
      },
      {
        // Run even when an argument failed its own check, so that every
        // problem is reported at once. The checks read the values defensively.
        when: () => true,
      },
    );
}

function checkRoles(roles: string[], ctx: z.RefinementCtx): void {
  if (isToken(roles)) return;
  if (roles.length === 0) {
    addProblem(ctx, {
      problem: "The list is empty.",
      rule: "A role binding grants at least one role.",
      fix: `List at least one role code, such as ${ROLE_CODE_EXAMPLE}.`,
    });
    return;
  }
  roles.forEach((role, index) => {
    const problem = roleCodeProblem(role);
    if (problem !== undefined) addProblem(ctx, { ...problem, path: [index] });
  });
}

/** The grant's values as the checks across them read them: any may have failed its own check. */
interface UncheckedGrant {
  readonly manager?: unknown;
  readonly logicalId?: unknown;
}

function literalManager(props: UncheckedGrant): string | undefined {
  const { manager } = props;
  if (typeof manager !== "string" || isToken(manager)) return undefined;
  return managerCodeProblem(manager) === undefined ? manager : undefined;
}

/**
 * Checks that the binding's logical id can be derived and is free in the
 * stack. A binding in `reportedOwners` (construct paths) already has a
 * problem about the same manager, so its id is not reported again.
 */
function checkLogicalId(
  props: UncheckedGrant,
  ctx: z.RefinementCtx,
  target: GrantTarget,
  claims: StackClaims,
  reportedOwners: ReadonlySet<string>,
): void {
  const pinned = props.logicalId !== undefined;
  let logicalId: string | undefined;
  if (pinned) {
    logicalId = typeof props.logicalId === "string" ? props.logicalId : undefined;
  } else if (typeof props.manager === "string" && isToken(props.manager)) {
    addProblem(ctx, {
      path: ["logicalId"],
      problem: "logicalId is missing, and it cannot be derived because manager is a token.",
      rule: "A role binding's logical id is derived from a literal manager code, or set with logicalId.",
      fix: `Set logicalId to a stable Terraform identifier, such as "${ROLE_BINDING_LOGICAL_ID_PREFIX}${target.idBase}_software_trust".`,
    });
    return;
  } else {
    const manager = literalManager(props);
    logicalId = manager === undefined ? undefined : deriveRoleBindingLogicalId(target.idBase, manager);
  }
  if (logicalId === undefined || isToken(logicalId)) return;

  const claimedBy = claims.roleBindingIds.get(logicalId);
  if (claimedBy !== undefined && reportedOwners.has(claimedBy)) return;
  if (claimedBy !== undefined) {
    addProblem(ctx, {
      path: [pinned ? "logicalId" : "manager"],
      problem: `The logical id ${quote(logicalId)}${pinned ? "" : ", derived from the service user and the manager,"} is already used by the role binding at ${claimedBy} in this stack.`,
      rule: "Each role binding in a stack needs its own logical id, because Terraform would treat the two as one resource.",
      fix: pinned
        ? "Set a different logicalId."
        : "Grant each manager of a service user once. If the two bindings are for different service users, set logicalId on one of them.",
    });
    return;
  }

  const child = target.construct.node.tryFindChild(logicalId);
  if (child !== undefined) {
    addProblem(ctx, {
      path: ["logicalId"],
      problem: `The logical id ${quote(logicalId)} is the id of the construct at ${child.node.path}.`,
      rule: "The role binding's construct id is its logical id, and construct ids are unique among siblings.",
      fix: "Set a different logicalId.",
    });
  }
}

/**
 * Checks that the manager has no other owner on this service user in this
 * stack, and returns the construct paths of the owners it reported.
 */
function checkOwner(
  props: UncheckedGrant,
  ctx: z.RefinementCtx,
  target: GrantTarget,
  owners: ManagerOwners,
  stack: TerraformStack,
): Set<string> {
  const reported = new Set<string>();
  const manager = literalManager(props);
  if (manager === undefined) return reported;

  if (target.accessManagers.has(manager)) {
    addProblem(ctx, {
      path: ["manager"],
      problem: `The manager ${quote(manager)} is already in the access of this ServiceUser.`,
      rule: ONE_OWNER_RULE,
      fix: `Add the roles to access.${manager} and drop this grant, or remove ${manager} from access and keep the grant.`,
    });
    reported.add(target.construct.node.path);
    return reported;
  }

  const grantedBy = target.grants.get(manager);
  if (grantedBy !== undefined) {
    addProblem(ctx, {
      path: ["manager"],
      problem: `The manager ${quote(manager)} is already granted on this service user by the role binding at ${grantedBy}.`,
      rule: ONE_OWNER_RULE,
      fix: `Grant every role of ${manager} in one call.`,
    });
    reported.add(grantedBy);
    return reported;
  }

  if (target.identity === undefined) return reported;
  const sameStack = owners
    .ownersOf(target.identity, manager)
    .filter((owner) => owner.stack === stack);
  for (const owner of sameStack) {
    reported.add(owner.path);
    addProblem(ctx, {
      path: ["manager"],
      problem: `The manager ${quote(manager)} of the service user ${target.label} is already managed by ${describeOwner(owner)} in this stack.`,
      rule: ONE_OWNER_RULE,
      fix: "Keep one of the two.",
    });
  }
  return reported;
}
