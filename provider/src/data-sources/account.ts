// The digicertone_account data source: one account, looked up by id or by
// its exact name.

import type { Account, DigicertClient } from "../digicert/types";
import {
  hasErrors,
  path,
  type CallContext,
  type DataSourceType,
  type Diagnostic,
  type ObjectValue,
  type Schema,
} from "../framework/types";
import type { Logger } from "../log";
import { errorDiagnostic, joinWithAnd, quote } from "../validation/diagnostics";
import {
  ACCOUNT_DESCRIPTIONS,
  accountToState,
  visibleAccountsSentence,
} from "./accounts";
import {
  unknownLookupDiagnostic,
  validateIdOrName,
  validateNotEmpty,
} from "./lookup";
import { readErrorDiagnostic } from "./read-errors";

export const ACCOUNT_TYPE_NAME = "digicertone_account";

export const accountSchema: Schema = {
  version: 0,
  block: {
    description:
      "Looks up one DigiCert ONE account that the provider's API key can see, by id or by name, for example to put its id in a service user's `account_ids`.",
    attributes: {
      id: {
        type: "string",
        optional: true,
        computed: true,
        description: `${ACCOUNT_DESCRIPTIONS.id} Set exactly one of \`id\` and \`name\`.`,
      },
      name: {
        type: "string",
        optional: true,
        computed: true,
        description: `${ACCOUNT_DESCRIPTIONS.name} Set exactly one of \`id\` and \`name\`. The name must match exactly, including letter case. When several accounts have the name, look the account up by \`id\`.`,
      },
      active: {
        type: "bool",
        computed: true,
        description: ACCOUNT_DESCRIPTIONS.active,
      },
    },
  },
};

/** Validates the known arguments, without an API call. */
export function validateAccountConfig(config: ObjectValue): Diagnostic[] {
  return [
    ...validateIdOrName(config, "account"),
    ...validateNotEmpty(config, "id", "An account id is a non-empty string, such as a UUID."),
    ...validateNotEmpty(config, "name", "An account name is a non-empty string."),
  ];
}

export function createAccountDataSource(logger: Logger): DataSourceType<DigicertClient> {
  return {
    name: ACCOUNT_TYPE_NAME,
    schema: accountSchema,

    validate({ config }) {
      return validateAccountConfig(config);
    },

    async read({ config }, client, context) {
      // Terraform validates again before every read, but the read must not
      // rely on it for the choice between id and name.
      const diagnostics = validateAccountConfig(config);
      if (hasErrors(diagnostics)) return { state: null, diagnostics };

      if (typeof config.id === "string") {
        return readAccountById(config.id, client, context, logger);
      }
      if (typeof config.name === "string") {
        return readAccountByName(config.name, client, context, logger);
      }
      return { state: null, diagnostics: [unknownLookupDiagnostic(ACCOUNT_TYPE_NAME)] };
    },
  };
}

type ReadResult = { state: ObjectValue | null; diagnostics?: Diagnostic[] };

async function readAccountById(
  id: string,
  client: DigicertClient,
  { signal }: CallContext,
  logger: Logger,
): Promise<ReadResult> {
  const subject = `account with id ${quote(id)}`;
  let account: Account | null;
  try {
    logger.debug("Reading account", { account_id: id });
    account = await client.getAccount(id, signal);
  } catch (error) {
    logger.debug("Reading account failed", { account_id: id, error });
    return { state: null, diagnostics: [readErrorDiagnostic(error, subject, signal)] };
  }
  if (account !== null) return { state: accountToState(account) };

  // The list is only for the message, so the read fails with "not found"
  // whether or not the list can be fetched.
  let visible = "";
  try {
    visible = ` ${visibleAccountsSentence(await client.listAccounts(signal))}`;
  } catch (error) {
    logger.debug("Listing accounts for a not-found message failed", { error });
  }
  return {
    state: null,
    diagnostics: [
      errorDiagnostic(
        "Account not found",
        `No account with id ${quote(id)} is visible to the provider's API key.${visible} Check id, or look the account up by name.`,
        path("id"),
      ),
    ],
  };
}

async function readAccountByName(
  name: string,
  client: DigicertClient,
  { signal }: CallContext,
  logger: Logger,
): Promise<ReadResult> {
  let accounts: Account[];
  try {
    logger.debug("Listing accounts to find one by name");
    accounts = await client.listAccounts(signal);
  } catch (error) {
    logger.debug("Listing accounts failed", { error });
    const subject = `account ${quote(name)}`;
    return { state: null, diagnostics: [readErrorDiagnostic(error, subject, signal)] };
  }

  const matches = accounts.filter((account) => account.name === name);
  if (matches.length === 1) return { state: accountToState(matches[0]) };
  return { state: null, diagnostics: [accountNameDiagnostic(name, matches, accounts)] };
}

/**
 * Builds the error for a name that matches no single account: no account,
 * several accounts, or accounts whose names differ only in letter case.
 */
function accountNameDiagnostic(
  name: string,
  matches: readonly Account[],
  accounts: readonly Account[],
): Diagnostic {
  if (matches.length > 1) {
    const ids = joinWithAnd(matches.map((account) => account.id));
    return errorDiagnostic(
      "Ambiguous account name",
      `${matches.length} accounts visible to the provider's API key are named ${quote(name)}, with the ids ${ids}. Look the account up by id instead.`,
      path("name"),
    );
  }

  const lowercase = name.toLowerCase();
  const caseMatches = accounts.filter((account) => account.name.toLowerCase() === lowercase);
  if (caseMatches.length > 0) {
    const names = joinWithAnd(caseMatches.map((account) => quote(account.name)));
    const similar =
      caseMatches.length === 1
        ? `the account ${names} differs from it only in letter case`
        : `the accounts ${names} differ from it only in letter case`;
    const fix =
      caseMatches.length === 1
        ? `Set name = ${quote(caseMatches[0].name)}.`
        : "Set name to one of these names exactly.";
    return errorDiagnostic(
      "Account not found",
      `No account is named ${quote(name)}, but ${similar}. Account names must match exactly, including letter case. ${fix}`,
      path("name"),
    );
  }

  return errorDiagnostic(
    "Account not found",
    `No account named ${quote(name)} is visible to the provider's API key. ${visibleAccountsSentence(accounts)} Check name, which must match exactly, including letter case, or look the account up by id.`,
    path("name"),
  );
}
