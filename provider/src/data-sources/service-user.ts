// The digicertone_service_user data source: one service user, looked up by
// id or by name, without its token.

import type { DigicertClient, ServiceUser } from "../digicert/types";
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
import { validateName } from "../resources/service-user/validate";
import { errorDiagnostic, joinWithAnd, quote } from "../validation/diagnostics";
import {
  unknownLookupDiagnostic,
  validateIdOrName,
  validateNotEmpty,
} from "./lookup";
import { readErrorDiagnostic } from "./read-errors";
import { SERVICE_USERS_TYPE_NAME } from "./service-users";
import {
  SERVICE_USER_DESCRIPTIONS,
  serviceUserDetailAttributes,
  serviceUserToState,
} from "./service-user-attributes";

export const SERVICE_USER_DATA_TYPE_NAME = "digicertone_service_user";

export const serviceUserDataSchema: Schema = {
  version: 0,
  block: {
    description:
      "Looks up one DigiCert ONE service user by id or by name and exports its attributes. The API token is not among them, because DigiCert ONE returns it only once, when it creates the service user.",
    attributes: {
      id: {
        type: "string",
        optional: true,
        computed: true,
        description: `${SERVICE_USER_DESCRIPTIONS.id} Set exactly one of \`id\` and \`name\`.`,
      },
      name: {
        type: "string",
        optional: true,
        computed: true,
        description: `${SERVICE_USER_DESCRIPTIONS.name} Set exactly one of \`id\` and \`name\`. The lookup ignores letter case, and this attribute is then the name as DigiCert ONE stores it.`,
      },
      ...serviceUserDetailAttributes(),
    },
  },
};

/** Validates the known arguments, without an API call. */
export function validateServiceUserDataConfig(config: ObjectValue): Diagnostic[] {
  return [
    ...validateIdOrName(config, "service user"),
    ...validateNotEmpty(config, "id", "A service user id is a non-empty string, such as a UUID."),
    ...validateName(config.name, path("name")),
  ];
}

export function createServiceUserDataSource(logger: Logger): DataSourceType<DigicertClient> {
  return {
    name: SERVICE_USER_DATA_TYPE_NAME,
    schema: serviceUserDataSchema,

    validate({ config }) {
      return validateServiceUserDataConfig(config);
    },

    async read({ config }, client, context) {
      // Terraform validates again before every read, but the read must not
      // rely on it for the choice between id and name.
      const diagnostics = validateServiceUserDataConfig(config);
      if (hasErrors(diagnostics)) return { state: null, diagnostics };

      if (typeof config.id === "string") {
        return readServiceUserById(config.id, client, context, logger);
      }
      if (typeof config.name === "string") {
        return readServiceUserByName(config.name, client, context, logger);
      }
      return { state: null, diagnostics: [unknownLookupDiagnostic(SERVICE_USER_DATA_TYPE_NAME)] };
    },
  };
}

type ReadResult = { state: ObjectValue | null; diagnostics?: Diagnostic[] };

async function readServiceUserById(
  id: string,
  client: DigicertClient,
  { signal }: CallContext,
  logger: Logger,
): Promise<ReadResult> {
  let user: ServiceUser | null;
  try {
    logger.debug("Reading service user", { user_id: id });
    user = await client.getServiceUser(id, signal);
  } catch (error) {
    logger.debug("Reading service user failed", { user_id: id, error });
    const subject = `service user with id ${quote(id)}`;
    return { state: null, diagnostics: [readErrorDiagnostic(error, subject, signal)] };
  }
  if (user !== null) return { state: serviceUserToState(user) };

  return {
    state: null,
    diagnostics: [
      errorDiagnostic(
        "Service user not found",
        `No service user with id ${quote(id)} exists, or the provider's API key cannot see it. Check id, or look the service user up by name.`,
        path("id"),
      ),
    ],
  };
}

async function readServiceUserByName(
  name: string,
  client: DigicertClient,
  { signal }: CallContext,
  logger: Logger,
): Promise<ReadResult> {
  let users: ServiceUser[];
  try {
    logger.debug("Listing service users to find one by name");
    users = await client.listServiceUsers(signal);
  } catch (error) {
    logger.debug("Listing service users failed", { error });
    const subject = `service user ${quote(name)}`;
    return { state: null, diagnostics: [readErrorDiagnostic(error, subject, signal)] };
  }

  const matches = findByName(users, name);
  if (matches.length === 1) return { state: serviceUserToState(matches[0]) };

  if (matches.length > 1) {
    const ids = joinWithAnd(matches.map((user) => user.id));
    return {
      state: null,
      diagnostics: [
        errorDiagnostic(
          "Ambiguous service user name",
          `${matches.length} service users match the name ${quote(name)} without regard to letter case, with the ids ${ids}, although DigiCert ONE keeps names unique. Look the service user up by id instead.`,
          path("name"),
        ),
      ],
    };
  }
  return {
    state: null,
    diagnostics: [
      errorDiagnostic(
        "Service user not found",
        `No service user is named ${quote(name)}, with letter case ignored, or the provider's API key cannot see it. Check name, or list the service users with the ${SERVICE_USERS_TYPE_NAME} data source.`,
        path("name"),
      ),
    ],
  };
}

/**
 * Returns the users with exactly `name`, or else those whose name differs
 * from it only in letter case.
 */
export function findByName(users: readonly ServiceUser[], name: string): ServiceUser[] {
  const exact = users.filter((user) => user.name === name);
  if (exact.length > 0) return exact;
  const lowercase = name.toLowerCase();
  return users.filter((user) => user.name.toLowerCase() === lowercase);
}
