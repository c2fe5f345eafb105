// The ServiceUser construct: one DigiCert ONE service user with a stable
// Terraform address and, by default, a sensitive output for its API token.

import { Annotations, TerraformOutput, TerraformStack, type TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import { utcDay } from "../../provider/src/validation/dates";
import { quote } from "../../provider/src/validation/diagnostics";
import { ServiceUser as ServiceUserResource } from "./generated/service-user";
import type { ServiceUserRoleBinding } from "./generated/service-user-role-binding";
import { grantRoles, type GrantOptions, type GrantTarget, type IServiceUser } from "./grant";
import { serviceUserIdBase, StackClaims } from "./logical-ids";
import { ManagerOwners, serviceUserIdentity } from "./ownership";
import { ServiceUserReference, type ServiceUserReferenceProps } from "./service-user-reference";
import {
  pastExpiryWarning,
  SERVICE_USER_PROP_SUGGESTIONS,
  serviceUserIds,
  serviceUserPropsSchema,
} from "./service-user-validation";
import { isToken, validateProps } from "./validation";

/** Props of a ServiceUser. */
export interface ServiceUserProps {
  /**
   * The service user's friendly name, unique in the DigiCert ONE tenant
   * (compared case-insensitively): 1 to 64 ASCII letters, digits, spaces,
   * hyphens and underscores, with no leading or trailing space.
   *
   * The Terraform logical id is derived from it unless `logicalId` is set,
   * so renaming the service user changes the derived id, and Terraform then
   * destroys the service user and creates a new one with a new API token.
   * Pin `logicalId` to the old id before renaming to rename in place.
   */
  readonly name: string;

  /**
   * A free-text description of the service user.
   *
   * @default - no description ("")
   */
  readonly description?: string;

  /**
   * The contact email address of the service user, such as the owning
   * team's address. DigiCert ONE stores it but sends no mail to it.
   */
  readonly email: string;

  /**
   * The UTC day on which the service user expires, as YYYY-MM-DD; it
   * expires at 23:59:59 UTC that day. A past day (by the synthesizing
   * machine's clock) is a synth warning: DigiCert ONE rejects it for a new
   * service user or a changed date, which the provider reports at plan.
   *
   * @default - the service user does not expire
   */
  readonly expiresOn?: string;

  /**
   * Ids of the accounts the service user belongs to: at least one, each a
   * non-empty string. Tokens, such as a list variable's value, are allowed
   * and checked by the provider at plan.
   */
  readonly accounts: string[];

  /**
   * Id of the service user's primary account, one of `accounts`. DigiCert
   * ONE cannot change a primary account, so changing it replaces the
   * service user, which gets a new API token.
   *
   * @default - the smallest id in `accounts` in lexicographic order, chosen
   * at creation and kept afterwards
   */
  readonly primaryAccount?: string;

  /**
   * The DigiCert ONE managers that this construct manages on the service
   * user and the roles in each: lowercase manager codes mapped to lists of
   * uppercase role codes, at least one manager with at least one role, such
   * as `{ software_trust: ["SM_SIGNER"] }`. Managers that it does not list,
   * such as those that `grant` or another stack's role binding manages,
   * keep their roles.
   */
  readonly access: { readonly [managerCode: string]: string[] };

  /**
   * Whether the service user may authenticate. False disables it in place:
   * it keeps its id, API token and access, and DigiCert ONE rejects the
   * token until the service user is enabled again. A service user disabled
   * outside Terraform shows in the next plan as a change back to true.
   *
   * @default true
   */
  readonly enabled?: boolean;

  /**
   * Names of your choice mapped to string values, such as
   * `{ rotated: "2027-01" }`. Changing, adding or removing any of them
   * issues a new API token in place: the service user keeps its id, name
   * and access, and the previous token keeps working for
   * `tokenOverlapDays`. Other props do not rotate the token, although a
   * change that replaces the service user, such as a new `primaryAccount`,
   * creates one with a new token.
   *
   * @default - no triggers: the token is rotated only by `rotationDays`
   */
  readonly rotationTriggers?: { readonly [key: string]: string };

  /**
   * Maximum age of the API token in days, a whole number from 1 to 3650.
   * When a refresh finds the token at least this old, by DigiCert ONE's
   * clock, the plan issues a new token in place, and the age counts from
   * the new token. A plan with `-refresh=false` does not check the age.
   *
   * @default - no age limit: the token is rotated only when
   * `rotationTriggers` changes
   */
  readonly rotationDays?: number;

  /**
   * Days that the previous API token keeps working after a rotation, a
   * whole number from 0 to 90. It expires at 23:59:59 UTC that many days
   * after the day of the rotation, or earlier if it would have expired
   * before then. 0 revokes it as soon as the new token is issued. A
   * rotation also retires every other token the service user has.
   *
   * @default 1
   */
  readonly tokenOverlapDays?: number;

  /**
   * The digicertone provider to create the service user with, such as the
   * `provider` property of an aliased DigicertOneProvider.
   *
   * @default - the stack's digicertone provider without an alias; synth
   * fails when the stack has none
   */
  readonly provider?: TerraformProvider;

  /**
   * Id of the sensitive Terraform output that exposes the API token, or
   * false for no output. The output is always `sensitive: true`, so plans
   * show it as `(sensitive value)` and only `terraform output -raw <id>`
   * prints it.
   *
   * @default - derived from the logical id without its `service_user_`
   * prefix, plus `_token`, such as `release_signing_bot_token`
   */
  readonly tokenOutput?: string | false;

  /**
   * The Terraform logical id of the service user resource, a Terraform
   * identifier. It stays the same wherever the construct sits in the tree,
   * so moving the construct keeps the service user and its token. Set it to
   * rename a service user without replacing it, or when `name` is a token.
   *
   * @default - `service_user_` plus the name in snake case: lowercase, with
   * each run of characters other than letters and digits turned into one
   * underscore, such as `service_user_release_signing_bot` for "Release
   * signing-bot"
   */
  readonly logicalId?: string;
}

/**
 * A DigiCert ONE service user (`digicertone_service_user`) whose Terraform
 * logical id is derived from its friendly name, with a sensitive output for
 * its API token. Props are validated at construction, and every problem is
 * reported in one InvalidPropsError.
 */
export class ServiceUser extends Construct implements IServiceUser {
  /**
   * References an existing service user by its name, which DigiCert ONE
   * compares without regard to letter case, such as one that another
   * stack's ServiceUser creates. Use it to grant the roles of this stack's
   * managers. The plan fails when no service user has the name.
   */
  static fromName(
    scope: Construct,
    id: string,
    name: string,
    props?: ServiceUserReferenceProps,
  ): ServiceUserReference {
    return new ServiceUserReference(scope, id, { name }, props);
  }

  /**
   * References an existing service user by its id (a UUID). Use it to
   * grant the roles of this stack's managers. The plan fails when no
   * service user has the id.
   */
  static fromId(
    scope: Construct,
    id: string,
    serviceUserId: string,
    props?: ServiceUserReferenceProps,
  ): ServiceUserReference {
    return new ServiceUserReference(scope, id, { id: serviceUserId }, props);
  }

  /** The generated `digicertone_service_user` resource. */
  readonly resource: ServiceUserResource;

  /** The service user's id (a UUID) as a token, known after apply. */
  readonly serviceUserId: string;

  /**
   * The service user's API token as a token. The attribute is sensitive:
   * an output that references it must be `sensitive: true`.
   */
  readonly token: string;

  /**
   * Time at which DigiCert ONE issued the current API token, as a token
   * that resolves after apply to an RFC 3339 timestamp in UTC.
   * `rotationDays` counts from it. It is null while `token` is null, as for
   * an imported service user until its first rotation.
   */
  readonly tokenCreatedAt: string;

  /** The sensitive output of the API token, unless `tokenOutput` is false. */
  readonly tokenOutput?: TerraformOutput;

  private readonly grantTarget: GrantTarget;

  constructor(scope: Construct, id: string, props: ServiceUserProps) {
    super(scope, id);

    const claims = StackClaims.of(TerraformStack.of(this));
    validateProps(this, serviceUserPropsSchema({ claims }), props, {
      constructName: "ServiceUser",
      propSuggestions: SERVICE_USER_PROP_SUGGESTIONS,
    });
    const expiryWarning = pastExpiryWarning(props.expiresOn, utcDay(new Date()));
    if (expiryWarning !== undefined) Annotations.of(this).addWarning(expiryWarning);

    // Valid props always give a logical id, and an output id unless
    // tokenOutput is false.
    const { logicalId, outputId } = serviceUserIds(props);
    if (logicalId === undefined) {
      throw new Error(`Internal error in ServiceUser at ${this.node.path}: valid props gave no logical id`);
    }
    const stack = TerraformStack.of(this);
    claims.claim({ path: this.node.path, name: literalName(props.name) }, logicalId, outputId);

    this.resource = new ServiceUserResource(this, "Resource", {
      name: props.name,
      description: props.description,
      email: props.email,
      expirationDate: props.expiresOn,
      accountIds: props.accounts,
      primaryAccountId: props.primaryAccount,
      access: Object.fromEntries(
        Object.entries(props.access).map(([managerCode, roles]) => [managerCode, { roles }]),
      ),
      enabled: props.enabled,
      rotationTriggers: props.rotationTriggers,
      rotationDays: props.rotationDays,
      tokenOverlapDays: props.tokenOverlapDays,
      provider: props.provider,
    });
    this.resource.overrideLogicalId(logicalId);

    this.serviceUserId = this.resource.id;
    this.token = this.resource.token;
    this.tokenCreatedAt = this.resource.tokenCreatedAt;

    if (outputId !== undefined) {
      this.tokenOutput = new TerraformOutput(this, "TokenOutput", {
        value: this.token,
        // Terraform rejects an output that references a sensitive
        // attribute unless the output is sensitive too.
        sensitive: true,
        description: `API token of the DigiCert ONE service user ${props.name}`,
      });
      this.tokenOutput.overrideLogicalId(outputId);
    }

    const accessManagers = new Set(Object.keys(props.access).filter((manager) => !isToken(manager)));
    const identity = isToken(props.name) ? undefined : serviceUserIdentity({ name: props.name });
    this.grantTarget = {
      construct: this,
      constructName: "ServiceUser",
      serviceUserId: this.serviceUserId,
      idBase: serviceUserIdBase(logicalId),
      provider: props.provider,
      accessManagers,
      grants: new Map(),
      identity,
      label: isToken(props.name) ? `at ${this.node.path}` : quote(props.name),
    };
    if (identity !== undefined) {
      const owners = ManagerOwners.of(this);
      for (const manager of accessManagers) {
        owners.add(identity, this.grantTarget.label, manager, { kind: "access", path: this.node.path, stack });
      }
    }
  }

  /**
   * Grants the roles of one more manager with a
   * `digicertone_service_user_role_binding`, such as the manager of another
   * team. The manager must not be in `access`, because each manager has one
   * owner. The binding's logical id is `role_binding_` plus this user's
   * logical id without `service_user_`, then the manager code, such as
   * `role_binding_audit_reader_trust_lifecycle`.
   */
  grant(manager: string, roles: string[], options?: GrantOptions): ServiceUserRoleBinding {
    return grantRoles(this.grantTarget, manager, roles, options);
  }
}

function literalName(name: string): string | undefined {
  return isToken(name) ? undefined : name;
}
