// A reference to an existing DigiCert ONE service user that another stack
// or team owns, read with the digicertone_service_user data source, so that
// this stack can grant it the roles of its own managers.

import { TerraformStack, type TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import { z } from "zod";
import { quote } from "../../provider/src/validation/diagnostics";
import { DataDigicertoneServiceUser } from "./generated/data-digicertone-service-user";
import type { ServiceUserRoleBinding } from "./generated/service-user-role-binding";
import { grantRoles, type GrantOptions, type GrantTarget, type IServiceUser } from "./grant";
import { snakeCaseName, StackClaims, type Claim } from "./logical-ids";
import { lookupOptionsShape, mergeOptions, validateLookup } from "./lookup-options";
import { serviceUserIdentity } from "./ownership";
import { nameProblems } from "./service-user-validation";
import {
  addProblem,
  formatValue,
  InvalidPropsError,
  isToken,
  TERRAFORM_IDENTIFIER,
  TERRAFORM_IDENTIFIER_RULE,
  typeError,
} from "./validation";

/** Props of ServiceUser.fromName and ServiceUser.fromId. */
export interface ServiceUserReferenceProps {
  /**
   * The digicertone provider that reads the service user and creates its
   * role bindings, such as the `provider` property of an aliased
   * DigicertOneProvider.
   *
   * @default - the stack's digicertone provider without an alias
   */
  readonly provider?: TerraformProvider;

  /**
   * The start of the logical ids of this reference's role bindings, in
   * snake case, such as `release_signing_bot`. The binding of a manager is
   * `role_binding_<logicalIdBase>_<manager>`.
   *
   * @default - for fromName, the name in snake case (lowercase, with each
   * run of characters other than letters and digits turned into one
   * underscore), which matches the owning ServiceUser's bindings. For
   * fromId, or a name that is a token, the construct id in snake case.
   */
  readonly logicalIdBase?: string;
}

/** The lookup argument of the data source: the service user's name or id. */
type Lookup = { readonly name: string } | { readonly id: string };

/**
 * An existing DigiCert ONE service user, read at plan with the
 * `digicertone_service_user` data source, which fails the plan when no
 * service user matches. Create it with ServiceUser.fromName or
 * ServiceUser.fromId. Its grants create role bindings in this construct.
 */
export class ServiceUserReference extends Construct implements IServiceUser {
  /** The generated `digicertone_service_user` data source. */
  readonly dataSource: DataDigicertoneServiceUser;

  /** The service user's id (a UUID), as a token that resolves at plan. */
  readonly serviceUserId: string;

  /** The service user's name as DigiCert ONE stores it, as a token. */
  readonly name: string;

  private readonly target: GrantTarget;

  /** @internal Use ServiceUser.fromName or ServiceUser.fromId. */
  constructor(
    scope: Construct,
    id: string,
    lookup: Lookup,
    props: ServiceUserReferenceProps | undefined,
  ) {
    super(scope, id);

    const method = "name" in lookup ? "ServiceUser.fromName" : "ServiceUser.fromId";
    const stack = TerraformStack.of(this);
    const claims = StackClaims.of(stack);
    const merged = mergeOptions(this, method, lookup, props);
    validateLookup(this, method, referenceShape(lookup, id, claims), merged);
    const idBase = props?.logicalIdBase ?? defaultIdBase(lookup, id);
    if (idBase === "") {
      throw new InvalidPropsError(method, this.node.path, [
        {
          prop: "logicalIdBase",
          received: "nothing",
          message: `logicalIdBase is missing, and it cannot be derived because neither the name nor the construct id ${quote(id)} has a letter or digit. Set logicalIdBase to a Terraform identifier, such as "release_signing_bot".`,
        },
      ]);
    }

    this.dataSource = new DataDigicertoneServiceUser(this, "Default", {
      ...lookup,
      provider: props?.provider,
    });
    this.serviceUserId = this.dataSource.id;
    this.name = this.dataSource.name;

    if ("name" in lookup && !isToken(lookup.name)) {
      const claim: Claim = { path: this.node.path, name: lookup.name };
      claims.referencedNames.set(lookup.name.toLowerCase(), claim);
    }

    this.target = {
      construct: this,
      constructName: method,
      serviceUserId: this.serviceUserId,
      idBase,
      provider: props?.provider,
      accessManagers: new Set(),
      grants: new Map(),
      identity: serviceUserIdentity(lookup),
      label: describeLookup(lookup),
    };
  }

  grant(manager: string, roles: string[], options?: GrantOptions): ServiceUserRoleBinding {
    return grantRoles(this.target, manager, roles, options);
  }
}

/**
 * Returns the default logical id base: the literal name in snake case, else
 * the construct id in snake case, or "" when neither has a letter or digit.
 */
function defaultIdBase(lookup: Lookup, constructId: string): string {
  const fromName =
    "name" in lookup && typeof lookup.name === "string" && !isToken(lookup.name)
      ? snakeCaseName(lookup.name)
      : "";
  return fromName === "" ? snakeCaseName(constructId) : fromName;
}

function describeLookup(lookup: Lookup): string {
  if ("name" in lookup) return isToken(lookup.name) ? "referenced by name" : quote(lookup.name);
  return isToken(lookup.id) ? "referenced by id" : `with id ${quote(lookup.id)}`;
}

function referenceShape(lookup: Lookup, constructId: string, claims: StackClaims) {
  const lookupProp =
    "name" in lookup
      ? {
          name: z
            .string({ error: typeError("name", 'the service user\'s name, such as "release-signing bot"') })
            .superRefine((value, ctx) => checkReferencedName(value, ctx, claims)),
        }
      : {
          id: z
            .string({ error: typeError("id", "the service user's id, a UUID") })
            .superRefine(checkServiceUserId),
        };

  return {
    ...lookupOptionsShape,
    ...lookupProp,
    logicalIdBase: z
      .string({ error: typeError("logicalIdBase", 'a Terraform identifier, such as "release_signing_bot"') })
      .superRefine(checkLogicalIdBase)
      .optional(),
  };

  function checkLogicalIdBase(value: string, ctx: z.RefinementCtx): void {
    if (!isToken(value) && TERRAFORM_IDENTIFIER.test(value)) return;
    addProblem(ctx, {
      problem: isToken(value) ? "logicalIdBase is a token." : "logicalIdBase is not a valid Terraform identifier.",
      rule: `The ids of the role bindings start with it. ${TERRAFORM_IDENTIFIER_RULE}`,
      fix: `Use a literal such as ${quote(snakeCaseName(constructId) || "release_signing_bot")}.`,
    });
  }
}

function checkReferencedName(value: string, ctx: z.RefinementCtx, claims: StackClaims): void {
  if (isToken(value)) return;
  for (const problem of nameProblems(value)) addProblem(ctx, problem);

  const owner = claims.names.get(value.toLowerCase());
  if (owner === undefined) return;
  addProblem(ctx, {
    problem: `The ServiceUser at ${owner.path} in this stack creates the service user ${quote(owner.name ?? value)}.`,
    rule: "A reference reads a service user at plan, before this stack's apply creates it, so the first plan would fail.",
    fix: `Call grant on the ServiceUser at ${owner.path} instead.`,
  });
}

function checkServiceUserId(value: string, ctx: z.RefinementCtx): void {
  if (isToken(value)) return;
  if (value !== "" && !/[\s/]/.test(value)) return;
  addProblem(ctx, {
    problem: `The id ${formatValue(value)} is empty or contains whitespace or "/".`,
    rule: "A service user id is the UUID that DigiCert ONE assigned.",
    fix: "Set it to the service user's id, or reference the service user with ServiceUser.fromName.",
  });
}
