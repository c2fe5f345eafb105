// Stable Terraform logical ids for service users and their token outputs.
//
// cdktf gives a resource inside nested constructs a logical id built from its
// construct path plus a hash, so moving a construct would change the address
// and make Terraform replace the service user, which means a new API token.
// Ids derived from the friendly name stay the same wherever the construct
// sits in the tree.

import { TerraformStack } from "cdktf";

/** Prefix of every derived service user logical id. */
export const SERVICE_USER_LOGICAL_ID_PREFIX = "service_user_";

/** Suffix of every derived token output id. */
export const TOKEN_OUTPUT_SUFFIX = "_token";

/**
 * Converts a friendly name to snake case: lowercase, with every run of
 * characters other than ASCII letters and digits turned into one underscore,
 * and no underscore at either end. Returns "" when the name has no letter or
 * digit. "Release Signing-Bot" becomes "release_signing_bot".
 */
export function snakeCaseName(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "");
}

/**
 * Derives the logical id of a service user from its friendly name, such as
 * `service_user_release_signing_bot` for "Release signing bot". Returns
 * undefined when the name has no letter or digit.
 */
export function deriveServiceUserLogicalId(name: string): string | undefined {
  const snakeCase = snakeCaseName(name);
  return snakeCase === "" ? undefined : SERVICE_USER_LOGICAL_ID_PREFIX + snakeCase;
}

/**
 * Derives the token output id from a service user's logical id: the logical
 * id without the `service_user_` prefix, plus `_token`. For example
 * `service_user_release_signing_bot` gives `release_signing_bot_token`, and
 * a pinned `ci` gives `ci_token`.
 */
export function deriveTokenOutputId(logicalId: string): string {
  return serviceUserIdBase(logicalId) + TOKEN_OUTPUT_SUFFIX;
}

/**
 * Returns a service user's logical id without the `service_user_` prefix,
 * or the whole id when nothing would remain. The ids of its token output
 * and role bindings start with it.
 */
export function serviceUserIdBase(logicalId: string): string {
  const base = logicalId.startsWith(SERVICE_USER_LOGICAL_ID_PREFIX)
    ? logicalId.slice(SERVICE_USER_LOGICAL_ID_PREFIX.length)
    : logicalId;
  return base === "" ? logicalId : base;
}

/** Prefix of every derived role binding logical id. */
export const ROLE_BINDING_LOGICAL_ID_PREFIX = "role_binding_";

/**
 * Derives the logical id of a role binding from the service user's id base
 * and the manager code, such as `role_binding_release_signing_bot_software_trust`.
 * A changed id makes Terraform destroy the old binding, which removes the
 * manager from the service user, and create the new one, in no fixed order,
 * so the manager can end up missing. Pin the old id to avoid that.
 */
export function deriveRoleBindingLogicalId(userIdBase: string, manager: string): string {
  return `${ROLE_BINDING_LOGICAL_ID_PREFIX}${userIdBase}_${manager}`;
}

/** The service user that claimed an id or a name in a stack. */
export interface Claim {
  /** Construct path of the ServiceUser. */
  readonly path: string;
  /** Its friendly name, or undefined when the name is a token. */
  readonly name: string | undefined;
}

/**
 * The logical ids, token output ids and friendly names that the service
 * users of one stack use. Terraform keys resources and outputs by id, and
 * cdktf merges two elements with the same id into one without an error, so
 * each id must be claimed once. DigiCert ONE compares friendly names
 * case-insensitively, so names are stored in lowercase.
 *
 * NOTE: Only ServiceUsers claim ids here. A resource or output created
 * another way with the same logical id is not detected and gets merged.
 */
export class StackClaims {
  private static readonly byStack = new WeakMap<TerraformStack, StackClaims>();

  /** Returns the claims of a stack, creating them on first use. */
  static of(stack: TerraformStack): StackClaims {
    let claims = StackClaims.byStack.get(stack);
    if (claims === undefined) {
      claims = new StackClaims();
      StackClaims.byStack.set(stack, claims);
    }
    return claims;
  }

  readonly logicalIds = new Map<string, Claim>();
  readonly outputIds = new Map<string, Claim>();
  readonly names = new Map<string, Claim>();

  /** Logical ids of role bindings, mapped to the binding's construct path. */
  readonly roleBindingIds = new Map<string, string>();

  /**
   * Names, in lowercase, of service users that ServiceUser.fromName
   * references in this stack, mapped to the reference.
   */
  readonly referencedNames = new Map<string, Claim>();

  /** Records the ids and name of a service user whose props are valid. */
  claim(claim: Claim, logicalId: string, outputId: string | undefined): void {
    this.logicalIds.set(logicalId, claim);
    if (outputId !== undefined) this.outputIds.set(outputId, claim);
    if (claim.name !== undefined) this.names.set(claim.name.toLowerCase(), claim);
  }
}
