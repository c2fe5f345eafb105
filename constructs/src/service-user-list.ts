// A list of existing DigiCert ONE service users through the
// digicertone_service_users data source, filtered by name prefix, status
// and account.

import { TerraformIterator, Token } from "cdktf";
import { Construct } from "constructs";
import { z } from "zod";
import { joinWithAnd, quote } from "../../provider/src/validation/diagnostics";
import { SERVICE_USER_STATUSES } from "../../provider/src/data-sources/service-users";
import { DataDigicertoneServiceUsers } from "./generated/data-digicertone-service-users";
import { lookupOptionsShape, lookupString, validateLookup, type LookupOptions } from "./lookup-options";
import { addProblem, isToken, typeError } from "./validation";

const STATUS_LIST = joinWithAnd(SERVICE_USER_STATUSES.map(quote));

/** Props of DigicertOneServiceUsers. Every filter that is set must match. */
export interface DigicertOneServiceUsersProps extends LookupOptions {
  /**
   * Only service users whose name starts with this prefix, compared
   * without regard to letter case.
   *
   * @default - any name
   */
  readonly namePrefix?: string;

  /**
   * Only service users with this status: `ACTIVE`, `DISABLED` or `EXPIRED`.
   *
   * @default - any status
   */
  readonly status?: "ACTIVE" | "DISABLED" | "EXPIRED";

  /**
   * Only service users that belong to the account with this id.
   *
   * @default - any account
   */
  readonly accountId?: string;
}

/**
 * The existing DigiCert ONE service users that the provider's API key can
 * see (the `digicertone_service_users` data source), without their API
 * tokens, which DigiCert ONE shows only once.
 */
export class DigicertOneServiceUsers extends Construct {
  /** The generated `digicertone_service_users` data source. */
  readonly dataSource: DataDigicertoneServiceUsers;

  /** The ids of the matching service users, sorted by id, as a token list. */
  readonly ids: string[];

  /** The names of the matching service users, in the order of `ids`, as a token list. */
  readonly names: string[];

  constructor(scope: Construct, id: string, props: DigicertOneServiceUsersProps = {}) {
    super(scope, id);

    validateLookup(
      this,
      "DigicertOneServiceUsers",
      {
        ...lookupOptionsShape,
        namePrefix: z.string({ error: typeError("namePrefix", "a string") }).optional(),
        status: z
          .string({ error: typeError("status", `one of ${STATUS_LIST}`) })
          .superRefine(checkStatus)
          .optional(),
        accountId: lookupString(
          "accountId",
          "an account's id",
          "An account id is a non-empty string, such as a UUID. Leave accountId out to list the service users of every account.",
        ).optional(),
      },
      props,
    );

    this.dataSource = new DataDigicertoneServiceUsers(this, "Default", {
      namePrefix: props.namePrefix,
      status: props.status,
      accountId: props.accountId,
      provider: props.provider,
    });
    const users = TerraformIterator.fromComplexList(this.dataSource.users, "id");
    this.ids = Token.asList(users.pluckProperty("id"));
    this.names = Token.asList(users.pluckProperty("name"));
  }
}

function checkStatus(value: string, ctx: z.RefinementCtx): void {
  if (isToken(value) || (SERVICE_USER_STATUSES as readonly string[]).includes(value)) return;
  const uppercase = value.toUpperCase();
  addProblem(ctx, {
    problem: "It is not a service user status.",
    rule: `status must be one of ${STATUS_LIST}.`,
    fix: (SERVICE_USER_STATUSES as readonly string[]).includes(uppercase)
      ? `Write it in uppercase: ${quote(uppercase)}.`
      : "Leave status out to list service users with any status.",
  });
}
