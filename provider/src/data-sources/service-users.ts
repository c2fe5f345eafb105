// The digicertone_service_users data source: the service users that match
// optional filters, without their tokens.

import type { DigicertClient, ServiceUser } from "../digicert/types";
import {
  hasErrors,
  path,
  type DataSourceType,
  type Diagnostic,
  type ObjectValue,
  type Schema,
} from "../framework/types";
import type { Logger } from "../log";
import { invalidValue, joinWithAnd, quote } from "../validation/diagnostics";
import { validateNotEmpty } from "./lookup";
import { readErrorDiagnostic } from "./read-errors";
import {
  compareServiceUsers,
  SERVICE_USER_DESCRIPTIONS,
  serviceUserDetailAttributes,
  serviceUserToState,
} from "./service-user-attributes";

export const SERVICE_USERS_TYPE_NAME = "digicertone_service_users";

/** The values the `status` filter accepts, as DigiCert ONE reports them. */
export const SERVICE_USER_STATUSES = ["ACTIVE", "DISABLED", "EXPIRED"] as const;

const STATUS_LIST = joinWithAnd(SERVICE_USER_STATUSES.map(quote));

export const serviceUsersSchema: Schema = {
  version: 0,
  block: {
    description:
      "Lists the DigiCert ONE service users that the provider's API key can see, optionally filtered by name prefix, status and account. API tokens are not among their attributes, because DigiCert ONE returns a token only once, when it creates the service user.",
    attributes: {
      name_prefix: {
        type: "string",
        optional: true,
        description:
          "When set, only service users whose name starts with this prefix, compared without regard to letter case.",
      },
      status: {
        type: "string",
        optional: true,
        description:
          "When set, only service users with this status: `ACTIVE`, `DISABLED` or `EXPIRED`.",
      },
      account_id: {
        type: "string",
        optional: true,
        description:
          "When set, only service users that belong to the account with this id, whether it is their primary account or not.",
      },
      users: {
        computed: true,
        description:
          "The service users that match every filter that is set, sorted by name and then by id. Names compare by Unicode code point, as Terraform's `sort` function compares strings, so uppercase letters sort before lowercase ones.",
        nested: {
          nesting: "list",
          attributes: {
            id: { type: "string", computed: true, description: SERVICE_USER_DESCRIPTIONS.id },
            name: { type: "string", computed: true, description: SERVICE_USER_DESCRIPTIONS.name },
            ...serviceUserDetailAttributes(),
          },
        },
      },
    },
  },
};

/** Validates the known filters, without an API call. */
export function validateServiceUsersConfig(config: ObjectValue): Diagnostic[] {
  const diagnostics = validateNotEmpty(
    config,
    "account_id",
    "An account id is a non-empty string, such as a UUID. Remove account_id to list the service users of every account.",
  );

  const status = config.status;
  if (typeof status === "string" && !isServiceUserStatus(status)) {
    const uppercase = status.toUpperCase();
    diagnostics.push(
      invalidValue({
        path: path("status"),
        summary: "Invalid status",
        problem: `The status ${quote(status)} is not a service user status.`,
        allowed: `Allowed values: ${STATUS_LIST}.`,
        fix: isServiceUserStatus(uppercase) ? `Write it in uppercase: ${quote(uppercase)}.` : undefined,
      }),
    );
  }
  return diagnostics;
}

function isServiceUserStatus(value: string): boolean {
  return (SERVICE_USER_STATUSES as readonly string[]).includes(value);
}

/** Filters of a read. An undefined filter matches every user. */
interface ServiceUserFilters {
  namePrefix?: string;
  status?: string;
  accountId?: string;
}

function filtersFrom(config: ObjectValue): ServiceUserFilters {
  const text = (value: unknown) => (typeof value === "string" ? value : undefined);
  return {
    namePrefix: text(config.name_prefix),
    status: text(config.status),
    accountId: text(config.account_id),
  };
}

/** Returns whether a user passes every filter that is set. */
export function matchesFilters(user: ServiceUser, filters: ServiceUserFilters): boolean {
  const { namePrefix, status, accountId } = filters;
  if (namePrefix !== undefined && !user.name.toLowerCase().startsWith(namePrefix.toLowerCase())) {
    return false;
  }
  if (status !== undefined && user.status !== status) return false;
  if (accountId === undefined) return true;
  return user.accountIds.includes(accountId) || user.primaryAccountId === accountId;
}

export function createServiceUsersDataSource(logger: Logger): DataSourceType<DigicertClient> {
  return {
    name: SERVICE_USERS_TYPE_NAME,
    schema: serviceUsersSchema,

    validate({ config }) {
      return validateServiceUsersConfig(config);
    },

    async read({ config }, client, { signal }) {
      const diagnostics = validateServiceUsersConfig(config);
      if (hasErrors(diagnostics)) return { state: null, diagnostics };

      let users: ServiceUser[];
      try {
        logger.debug("Listing service users");
        users = await client.listServiceUsers(signal);
      } catch (error) {
        logger.debug("Listing service users failed", { error });
        return { state: null, diagnostics: [readErrorDiagnostic(error, "the service users", signal)] };
      }

      const filters = filtersFrom(config);
      const matching = users.filter((user) => matchesFilters(user, filters)).sort(compareServiceUsers);
      return {
        state: {
          name_prefix: config.name_prefix ?? null,
          status: config.status ?? null,
          account_id: config.account_id ?? null,
          users: matching.map(serviceUserToState),
        },
      };
    },
  };
}
