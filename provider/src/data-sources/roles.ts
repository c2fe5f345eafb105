// The digicertone_roles data source: the roles of one manager.

import type { DigicertClient, Role } from "../digicert/types";
import {
  path,
  type CallContext,
  type DataSourceType,
  type Diagnostic,
  type ObjectValue,
  type Schema,
} from "../framework/types";
import type { Logger } from "../log";
import { MANAGER_CODE_RULE } from "../resources/service-user/validate";
import {
  correctionFix,
  errorDiagnostic,
  invalidValue,
  joinWithAnd,
  quote,
} from "../validation/diagnostics";
import { caseCorrection } from "../validation/strings";
import { compareCodePoints } from "./lookup";
import { listManagersWithRoles, MANAGERS_TYPE_NAME } from "./managers";
import { readErrorDiagnostic } from "./read-errors";

export const ROLES_TYPE_NAME = "digicertone_roles";

export const rolesSchema: Schema = {
  version: 0,
  block: {
    description:
      "Lists the roles of one DigiCert ONE manager, with the permissions each role grants, for choosing the role codes of a service user's `access`.",
    attributes: {
      manager: {
        type: "string",
        required: true,
        description: `The lowercase code of the manager whose roles to list, such as \`software_trust\` or \`account_manager\`. The \`${MANAGERS_TYPE_NAME}\` data source lists the codes.`,
      },
      manager_id: {
        type: "string",
        computed: true,
        description: "The manager's id, which the API calls the application id.",
      },
      roles: {
        computed: true,
        description: "The manager's roles, sorted by code.",
        nested: {
          nesting: "list",
          attributes: {
            id: {
              type: "string",
              computed: true,
              description: "The role's id.",
            },
            code: {
              type: "string",
              computed: true,
              description:
                "The role's code, in uppercase, such as `SM_SIGNER`, as a service user's `access` takes it.",
            },
            name: {
              type: "string",
              computed: true,
              description: "The role's display name, or its code when DigiCert ONE returns no name.",
            },
            permissions: {
              type: ["list", "string"],
              computed: true,
              description:
                "The codes of the permissions that the role grants, such as `SIGN_SM_HASH`, sorted by code.",
            },
          },
        },
      },
    },
  },
};

/** Validates a known `manager` code, without an API call. */
export function validateRolesConfig(config: ObjectValue): Diagnostic[] {
  const manager = config.manager;
  if (typeof manager !== "string" || MANAGER_CODE_RULE.pattern.test(manager)) return [];

  const corrected = caseCorrection(manager, MANAGER_CODE_RULE);
  return [
    invalidValue({
      path: path("manager"),
      summary: "Invalid manager code",
      problem: `The manager code ${quote(manager)} is invalid.`,
      allowed: `A manager code has ${MANAGER_CODE_RULE.description}, such as ${quote(MANAGER_CODE_RULE.example)} or "account_manager".`,
      fix:
        corrected === undefined
          ? "Use the manager's code in lowercase."
          : correctionFix([[manager, corrected]]),
    }),
  ];
}

function compareRoles(a: Role, b: Role): number {
  return compareCodePoints(a.code, b.code) || compareCodePoints(a.id, b.id);
}

function roleToState(role: Role): ObjectValue {
  return {
    id: role.id,
    code: role.code,
    name: role.name,
    permissions: [...new Set(role.permissions)].sort(compareCodePoints),
  };
}

export function createRolesDataSource(
  logger: Logger,
  managerCodes: readonly string[],
): DataSourceType<DigicertClient> {
  return {
    name: ROLES_TYPE_NAME,
    schema: rolesSchema,

    validate({ config }) {
      return validateRolesConfig(config);
    },

    async read({ config }, client, context) {
      const diagnostics = validateRolesConfig(config);
      if (diagnostics.length > 0) return { state: null, diagnostics };
      const manager = config.manager;
      if (typeof manager !== "string") {
        return {
          state: null,
          diagnostics: [
            errorDiagnostic(
              "Missing manager",
              `Terraform asked to read ${ROLES_TYPE_NAME} without a known manager. This is a bug in the provider or in Terraform. Please report it to the provider developers, with the Terraform version.`,
              path("manager"),
            ),
          ],
        };
      }

      const { signal } = context;
      let roles: Role[];
      try {
        logger.debug("Listing roles", { manager_code: manager });
        roles = await client.listRoles(manager, signal);
      } catch (error) {
        logger.debug("Listing roles failed", { manager_code: manager, error });
        const subject = `the roles of manager ${quote(manager)}`;
        return { state: null, diagnostics: [readErrorDiagnostic(error, subject, signal)] };
      }
      if (roles.length === 0) {
        return {
          state: null,
          diagnostics: [await unknownManagerDiagnostic(manager, client, managerCodes, context, logger)],
        };
      }

      const sorted = [...roles].sort(compareRoles);
      return {
        state: {
          manager,
          // A manager's roles share its id, so the first role's is the manager's.
          manager_id: sorted[0].managerId,
          roles: sorted.map(roleToState),
        },
      };
    },
  };
}

/**
 * Builds the error for a manager code without roles, listing the codes that
 * have roles for this API key. When those cannot be fetched, it lists every
 * manager code built into the provider.
 */
async function unknownManagerDiagnostic(
  manager: string,
  client: DigicertClient,
  managerCodes: readonly string[],
  { signal }: CallContext,
  logger: Logger,
): Promise<Diagnostic> {
  let valid: string;
  try {
    const managers = await listManagersWithRoles(client, managerCodes, signal);
    const codes = managers.map((known) => quote(known.code));
    valid =
      codes.length > 0
        ? `The manager codes with roles for this API key are ${joinWithAnd(codes)}. Set manager to one of them.`
        : "No manager has roles for this API key.";
  } catch (error) {
    logger.debug("Listing manager codes for an unknown-manager message failed", { error });
    const codes = [...managerCodes].sort(compareCodePoints).map(quote);
    valid = `The manager codes built into this provider are ${joinWithAnd(codes)}. Set manager to one of them.`;
  }

  return errorDiagnostic(
    "Unknown manager",
    `DigiCert ONE returned no roles for the manager code ${quote(manager)}, so no such manager exists or the provider's API key cannot see it. ${valid}`,
    path("manager"),
  );
}
