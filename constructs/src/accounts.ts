// Lookups of DigiCert ONE accounts through the digicertone_account and
// digicertone_accounts data sources, for the accounts of a service user.

import {
  TerraformDataSource,
  TerraformIterator,
  Token,
  type IResolvable,
} from "cdktf";
import { Construct } from "constructs";
import { z } from "zod";
import { DataDigicertoneAccount } from "./generated/data-digicertone-account";
import { DataDigicertoneAccounts } from "./generated/data-digicertone-accounts";
import {
  checkNoDuplicates,
  lookupOptionsShape,
  lookupString,
  mergeOptions,
  validateLookup,
  type LookupOptions,
} from "./lookup-options";
import { addProblem, isToken, typeError } from "./validation";

const ACCOUNT_NAME_RULE =
  "An account name is the non-empty name that DigiCert ONE shows, matched exactly, including letter case.";

const ACCOUNT_ID_RULE = "An account id is a non-empty string, such as a UUID.";

/**
 * One DigiCert ONE account that the provider's API key can see, looked up
 * by name or by id with the `digicertone_account` data source. A lookup
 * that matches no account, or a name that several accounts share, fails
 * the plan.
 */
export class DigicertOneAccount extends Construct {
  /**
   * Looks up an account by its exact name, such as "Acme Platform
   * Engineering". The name may be a token, such as a variable's value.
   */
  static fromName(
    scope: Construct,
    id: string,
    name: string,
    options?: LookupOptions,
  ): DigicertOneAccount {
    return new DigicertOneAccount(scope, id, "fromName", { name }, options);
  }

  /** Looks up an account by its id, which checks at plan that it exists. */
  static fromId(
    scope: Construct,
    id: string,
    accountId: string,
    options?: LookupOptions,
  ): DigicertOneAccount {
    return new DigicertOneAccount(scope, id, "fromId", { accountId }, options);
  }

  /** The generated `digicertone_account` data source. */
  readonly dataSource: DataDigicertoneAccount;

  /** The account's id, as a token that resolves at plan. */
  readonly accountId: string;

  /** The account's name as DigiCert ONE shows it, as a token. */
  readonly name: string;

  /** Whether the account is active, as a token. */
  readonly active: IResolvable;

  private constructor(
    scope: Construct,
    id: string,
    method: "fromName" | "fromId",
    lookup: { readonly name?: string; readonly accountId?: string },
    options: LookupOptions | undefined,
  ) {
    super(scope, id);

    const shape =
      method === "fromName"
        ? { ...lookupOptionsShape, name: lookupString("name", 'the account\'s name, such as "Acme Platform Engineering"', ACCOUNT_NAME_RULE) }
        : { ...lookupOptionsShape, accountId: lookupString("accountId", "the account's id", ACCOUNT_ID_RULE) };
    validateLookup(this, `DigicertOneAccount.${method}`, shape, mergeOptions(this, `DigicertOneAccount.${method}`, lookup, options));

    // "Default" keeps the construct's own id as the data source's logical
    // id when the construct sits at the top of a stack.
    this.dataSource = new DataDigicertoneAccount(this, "Default", {
      name: lookup.name,
      id: lookup.accountId,
      provider: options?.provider,
    });
    this.accountId = this.dataSource.id;
    this.name = this.dataSource.name;
    this.active = this.dataSource.active;
  }
}

/** Props of DigicertOneAccounts. */
export interface DigicertOneAccountsProps extends LookupOptions {
  /**
   * Exact names of the accounts to look up, at least one. Each name must
   * match exactly one account the API key can see, or the plan fails. The
   * list may be a token, such as a list variable's value.
   *
   * @default - every account the provider's API key can see
   */
  readonly names?: string[];
}

/**
 * DigiCert ONE accounts that the provider's API key can see: every account
 * (the `digicertone_accounts` data source), or the accounts with the given
 * names (one `digicertone_account` data source with `for_each` over the
 * names).
 */
export class DigicertOneAccounts extends Construct {
  /**
   * The generated data source: `digicertone_accounts` without `names`, or
   * `digicertone_account` with `for_each` over `names`.
   */
  readonly dataSource: TerraformDataSource;

  /**
   * The ids of the accounts, as a token list: sorted by id when every
   * account is listed, and by name when `names` is set. A service user's
   * `accounts` is a set, so the order does not matter there.
   */
  readonly ids: string[];

  /** The ids of the active accounts, as a token list in the order of `ids`. */
  readonly activeIds: string[];

  /** The names of the accounts, as a token list in the order of `ids`. */
  readonly names: string[];

  constructor(scope: Construct, id: string, props: DigicertOneAccountsProps = {}) {
    super(scope, id);

    validateLookup(
      this,
      "DigicertOneAccounts",
      {
        ...lookupOptionsShape,
        names: z
          .array(z.string({ error: "An account name must be a string." }), {
            error: typeError("names", 'a list of account names, such as ["Acme Platform Engineering"]'),
          })
          .superRefine(checkAccountNames)
          .optional(),
      },
      props,
    );

    let accounts: TerraformIterator;
    if (props.names === undefined) {
      const dataSource = new DataDigicertoneAccounts(this, "Default", { provider: props.provider });
      this.dataSource = dataSource;
      // Keyed by id, because two accounts may share a name. Terraform
      // iterates a map in key order, so the lists below are in id order.
      accounts = TerraformIterator.fromComplexList(dataSource.accounts, "id");
    } else {
      const names = TerraformIterator.fromList(props.names);
      const dataSource = new DataDigicertoneAccount(this, "Default", {
        forEach: names,
        name: Token.asString(names.value),
        provider: props.provider,
      });
      this.dataSource = dataSource;
      // Terraform keys the instances by name and iterates them in that order.
      accounts = TerraformIterator.fromDataSources(dataSource);
    }

    this.ids = Token.asList(accounts.pluckProperty("id"));
    this.activeIds = Token.asList(accounts.forExpressionForList("val.id if val.active"));
    this.names = Token.asList(accounts.pluckProperty("name"));
  }
}

function checkAccountNames(names: string[], ctx: z.RefinementCtx): void {
  if (isToken(names)) return;
  if (names.length === 0) {
    addProblem(ctx, {
      problem: "The list is empty.",
      rule: "names lists at least one account name.",
      fix: "Add a name, or leave names out to list every account.",
    });
    return;
  }

  names.forEach((name, index) => {
    if (name !== "") return;
    addProblem(ctx, {
      path: [index],
      problem: "The account name is an empty string.",
      rule: ACCOUNT_NAME_RULE,
      fix: "Remove it, or replace it with the account's name.",
    });
  });
  checkNoDuplicates(names, ctx, "account name");
}
