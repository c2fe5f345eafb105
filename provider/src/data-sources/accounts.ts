// The digicertone_accounts data source: every account the API key can see.

import type { Account, DigicertClient } from "../digicert/types";
import type {
  AttributeSchema,
  DataSourceType,
  ObjectValue,
  Schema,
} from "../framework/types";
import type { Logger } from "../log";
import { joinWithAnd, quote } from "../validation/diagnostics";
import { compareCodePoints } from "./lookup";
import { readErrorDiagnostic } from "./read-errors";

export const ACCOUNTS_TYPE_NAME = "digicertone_accounts";

/** Descriptions of an account's attributes, shared with digicertone_account. */
export const ACCOUNT_DESCRIPTIONS = {
  id: "The account's id (a UUID), as `account_ids` and `primary_account_id` of a service user take it.",
  name: "The account's name as DigiCert ONE shows it.",
  active: "Whether the account is active.",
};

function computed(type: "string" | "bool", description: string): AttributeSchema {
  return { type, computed: true, description };
}

export const accountsSchema: Schema = {
  version: 0,
  block: {
    description:
      "Lists the DigiCert ONE accounts that the provider's API key can see. It takes no arguments.",
    attributes: {
      accounts: {
        computed: true,
        description:
          "The accounts, sorted by name and then by id. Names compare by Unicode code point, as Terraform's `sort` function compares strings, so uppercase letters sort before lowercase ones.",
        nested: {
          nesting: "list",
          attributes: {
            id: computed("string", ACCOUNT_DESCRIPTIONS.id),
            name: computed("string", ACCOUNT_DESCRIPTIONS.name),
            active: computed("bool", ACCOUNT_DESCRIPTIONS.active),
          },
        },
      },
    },
  },
};

/** Orders accounts by name, then by id. */
export function compareAccounts(a: Account, b: Account): number {
  return compareCodePoints(a.name, b.name) || compareCodePoints(a.id, b.id);
}

export function accountToState(account: Account): ObjectValue {
  return { id: account.id, name: account.name, active: account.active };
}

/**
 * Lists the accounts the API key can see, as a sentence for a message, such
 * as `The accounts it can see are "Acme" (id 510f…) and "Beta" (id 7743…).`
 */
export function visibleAccountsSentence(accounts: readonly Account[]): string {
  if (accounts.length === 0) return "It can see no accounts.";
  const sorted = [...accounts].sort(compareAccounts);
  const names = sorted.map((account) => `${quote(account.name)} (id ${account.id})`);
  return `The accounts it can see are ${joinWithAnd(names)}.`;
}

export function createAccountsDataSource(logger: Logger): DataSourceType<DigicertClient> {
  return {
    name: ACCOUNTS_TYPE_NAME,
    schema: accountsSchema,

    async read(_request, client, { signal }) {
      let accounts: Account[];
      try {
        logger.debug("Listing accounts");
        accounts = await client.listAccounts(signal);
      } catch (error) {
        logger.debug("Listing accounts failed", { error });
        return { state: null, diagnostics: [readErrorDiagnostic(error, "the accounts", signal)] };
      }
      const sorted = [...accounts].sort(compareAccounts);
      return { state: { accounts: sorted.map(accountToState) } };
    },
  };
}
