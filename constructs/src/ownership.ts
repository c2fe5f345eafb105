// The owners of each manager of a service user across the stacks of one
// cdktf app. A manager is owned by the access of a ServiceUser or by one
// role binding, never by both and never by two bindings, because the two
// owners would undo each other's changes at every apply.
//
// Within a stack a second owner is an error (see grant.ts). Across stacks
// it is a synth warning, because two stacks of one app may manage different
// DigiCert ONE tenants, whose service users may share a name.

import { Annotations, TerraformStack } from "cdktf";
import { type IConstruct } from "constructs";
import { quote } from "../../provider/src/validation/diagnostics";
import { isToken } from "./validation";

/** One owner of a manager of a service user. */
export interface ManagerOwner {
  /** Whether a ServiceUser's access or a role binding manages the manager. */
  readonly kind: "access" | "grant";
  /** Construct path of the ServiceUser or of the role binding. */
  readonly path: string;
  /** The stack the owner is in. */
  readonly stack: TerraformStack;
  /** The role binding, for kind "grant", which gets the warnings. */
  readonly binding?: IConstruct;
}

/**
 * Returns the key that identifies a service user across stacks: its name in
 * lowercase, because DigiCert ONE compares names case-insensitively, or its
 * id. Returns undefined for a token, which cannot be compared at synth.
 */
export function serviceUserIdentity(
  lookup: { readonly name: string } | { readonly id: string },
): string | undefined {
  if ("name" in lookup) {
    return isToken(lookup.name) ? undefined : `name:${lookup.name.toLowerCase()}`;
  }
  return isToken(lookup.id) ? undefined : `id:${lookup.id}`;
}

/** The owners of the managers of every service user in one cdktf app. */
export class ManagerOwners {
  private static readonly byRoot = new WeakMap<IConstruct, ManagerOwners>();

  /** Returns the owners of the app that contains `construct`. */
  static of(construct: IConstruct): ManagerOwners {
    const root = construct.node.root;
    let owners = ManagerOwners.byRoot.get(root);
    if (owners === undefined) {
      owners = new ManagerOwners();
      ManagerOwners.byRoot.set(root, owners);
    }
    return owners;
  }

  /** Owners by service user identity, then by manager code. */
  private readonly owners = new Map<string, Map<string, ManagerOwner[]>>();

  /** Returns the owners of a manager of a service user recorded so far. */
  ownersOf(identity: string, manager: string): readonly ManagerOwner[] {
    return this.owners.get(identity)?.get(manager) ?? [];
  }

  /**
   * Records an owner and adds a warning to each role binding in another
   * stack that now shares the manager with it. Two ServiceUsers' access in
   * different stacks is not a conflict, because DigiCert ONE names are
   * unique in a tenant, so those stacks manage different tenants.
   */
  add(identity: string, userLabel: string, manager: string, owner: ManagerOwner): void {
    let byManager = this.owners.get(identity);
    if (byManager === undefined) {
      byManager = new Map();
      this.owners.set(identity, byManager);
    }
    const existing = byManager.get(manager) ?? [];

    for (const other of existing) {
      if (other.stack === owner.stack) continue;
      if (other.kind === "access" && owner.kind === "access") continue;
      warnOnBinding(owner, other, userLabel, manager);
      warnOnBinding(other, owner, userLabel, manager);
    }
    byManager.set(manager, [...existing, owner]);
  }
}

/** Describes an owner for a message, such as `the role binding at product/bot/role_binding_bot_software_trust`. */
export function describeOwner(owner: ManagerOwner): string {
  return owner.kind === "access"
    ? `the access of the ServiceUser at ${owner.path}`
    : `the role binding at ${owner.path}`;
}

/**
 * Warns on `owner`, when it is a role binding, that `other` manages the same
 * manager. `userLabel` names the service user, such as `"release-signing bot"`.
 */
function warnOnBinding(owner: ManagerOwner, other: ManagerOwner, userLabel: string, manager: string): void {
  if (owner.binding === undefined) return;
  Annotations.of(owner.binding).addWarning(
    `The manager ${quote(manager)} of the service user ${userLabel} is also managed by ${describeOwner(other)}, in the stack ${quote(other.stack.node.id)}. ` +
      "If both stacks manage the same DigiCert ONE tenant, each apply undoes the other's change, because each manager of a service user has one owner: the access of its ServiceUser or one role binding. " +
      "Keep one of the two.",
  );
}
