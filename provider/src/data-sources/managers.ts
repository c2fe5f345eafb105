// The digicertone_managers data source: the managers that have roles for the
// API key, among the manager codes built into the provider.

import type { DigicertClient, Role } from "../digicert/types";
import type { DataSourceType, Schema } from "../framework/types";
import type { Logger } from "../log";
import { joinWithAnd } from "../validation/diagnostics";
import { compareCodePoints } from "./lookup";
import { readErrorDiagnostic } from "./read-errors";

export const MANAGERS_TYPE_NAME = "digicertone_managers";

/** A manager with its roles. */
export interface ManagerRoles {
  code: string;
  roles: Role[];
}

/**
 * Fetches the roles of each manager code and returns the managers that have
 * roles, sorted by code. The API has no list of managers, so only the given
 * codes can be found. Throws the first client error.
 */
export async function listManagersWithRoles(
  client: DigicertClient,
  managerCodes: readonly string[],
  signal: AbortSignal,
): Promise<ManagerRoles[]> {
  const managers = await Promise.all(
    managerCodes.map(async (code) => ({ code, roles: await client.listRoles(code, signal) })),
  );
  return managers
    .filter((manager) => manager.roles.length > 0)
    .sort((a, b) => compareCodePoints(a.code, b.code));
}

export function managersSchema(managerCodes: readonly string[]): Schema {
  const codes = joinWithAnd([...managerCodes].sort(compareCodePoints).map((code) => `\`${code}\``));
  return {
    version: 0,
    block: {
      description: `Lists the DigiCert ONE managers (the API calls them applications) that have roles for the provider's API key. The API offers no list of managers, so the provider requests the roles of each manager code built into it (${codes}) and lists those with at least one role. It takes no arguments.`,
      attributes: {
        managers: {
          computed: true,
          description: "The managers, sorted by code.",
          nested: {
            nesting: "list",
            attributes: {
              code: {
                type: "string",
                computed: true,
                description:
                  "The manager's lowercase code, such as `software_trust`, as a key of a service user's `access` and as `manager` of the `digicertone_roles` data source.",
              },
              id: {
                type: "string",
                computed: true,
                description: "The manager's id, which the API calls the application id.",
              },
              role_codes: {
                type: ["set", "string"],
                computed: true,
                description: "The codes of the manager's roles, in uppercase, such as `SM_SIGNER`.",
              },
            },
          },
        },
      },
    },
  };
}

export function createManagersDataSource(
  logger: Logger,
  managerCodes: readonly string[],
): DataSourceType<DigicertClient> {
  return {
    name: MANAGERS_TYPE_NAME,
    schema: managersSchema(managerCodes),

    async read(_request, client, { signal }) {
      let managers: ManagerRoles[];
      try {
        logger.debug("Listing the roles of every known manager", { manager_codes: managerCodes });
        managers = await listManagersWithRoles(client, managerCodes, signal);
      } catch (error) {
        logger.debug("Listing manager roles failed", { error });
        return { state: null, diagnostics: [readErrorDiagnostic(error, "the managers", signal)] };
      }

      return {
        state: {
          managers: managers.map((manager) => ({
            code: manager.code,
            // A manager's roles share its id, so the first role's is the manager's.
            id: manager.roles[0].managerId,
            role_codes: [...new Set(manager.roles.map((role) => role.code))],
          })),
        },
      };
    },
  };
}
