// Planning of digicertone_service_user_role_binding (PlanResourceChange).
// The roles change in place; a new service user or manager replaces the
// binding.

import type { DigicertClient } from "../../digicert/types";
import {
  hasErrors,
  isUnknown,
  path,
  type AttributePath,
  type Diagnostic,
  type ObjectValue,
  type PlanRequest,
  type PlanResponse,
} from "../../framework/types";
import { valuesEqual } from "../../framework/values";
import { checkRoleBindingPolicy, type Policy } from "../../policy";
import { knownStrings } from "../../validation/collections";
import { quote } from "../../validation/diagnostics";
import { MANAGER_CODE_RULE, ROLE_CODE_RULE } from "../service-user/validate";
import {
  checkGrantsAgainstCatalogue,
  type GrantWording,
} from "../user-access/catalogue-check";
import { ROLE_BINDING_ATTRIBUTE_TYPES } from "./schema";
import { bindingId } from "./state";
import { validateRoleBindingConfig } from "./validate";

/** Attributes whose change replaces the binding. */
const REPLACING_ATTRIBUTES = ["service_user_id", "manager"] as const;

const BINDING_WORDING: GrantWording = {
  useValidManager: "Set manager to one of them.",
  rolesAttribute: () => "roles",
  moveRole: (roleCode, ownerCode) =>
    `Grant ${quote(roleCode)} with a role binding whose manager is ${quote(ownerCode)}, or replace it with one of the valid codes.`,
};

/**
 * Plans a create, update or destroy. The manager and roles are checked
 * against the provider's `policy`, and then, with a client, against DigiCert
 * ONE's role catalogue, unless they are the ones already in state.
 */
export async function planRoleBinding(
  request: PlanRequest,
  client: DigicertClient | undefined,
  signal: AbortSignal,
  policy?: Policy,
): Promise<PlanResponse> {
  const { prior, proposed } = request;
  if (proposed === null) return { planned: null };
  const config = request.config ?? proposed;

  const diagnostics = validateRoleBindingConfig(config);
  if (hasErrors(diagnostics)) return { planned: proposed, diagnostics };
  diagnostics.push(...checkRoleBindingPolicy(config, prior, policy));
  if (hasErrors(diagnostics)) return { planned: proposed, diagnostics };

  const requiresReplace: AttributePath[] = [];
  if (prior !== null) {
    for (const name of REPLACING_ATTRIBUTES) {
      if (!valuesEqual(config[name], prior[name], ROLE_BINDING_ATTRIBUTE_TYPES[name])) {
        requiresReplace.push(path(name));
      }
    }
  }
  const planned: ObjectValue = {
    id:
      prior !== null && requiresReplace.length === 0
        ? prior.id
        : bindingId(config.service_user_id, config.manager),
    service_user_id: config.service_user_id,
    manager: config.manager,
    roles: config.roles,
  };

  if (client !== undefined && needsCatalogueCheck(config, prior)) {
    diagnostics.push(...(await checkCatalogue(config, client, signal)));
    if (hasErrors(diagnostics)) return { planned: proposed, diagnostics };
  }
  return { planned, requiresReplace, diagnostics };
}

/** Skips the check when the manager and roles are those already in state. */
function needsCatalogueCheck(config: ObjectValue, prior: ObjectValue | null): boolean {
  if (prior === null) return true;
  return !(
    valuesEqual(config.manager, prior.manager, "string") &&
    valuesEqual(config.roles, prior.roles, ROLE_BINDING_ATTRIBUTE_TYPES.roles)
  );
}

async function checkCatalogue(
  config: ObjectValue,
  client: DigicertClient,
  signal: AbortSignal,
): Promise<Diagnostic[]> {
  const { manager, roles } = config;
  if (typeof manager !== "string" || !MANAGER_CODE_RULE.pattern.test(manager)) return [];
  if (roles === null || isUnknown(roles) || !Array.isArray(roles)) return [];

  const roleCodes = knownStrings(roles).filter((code) => ROLE_CODE_RULE.pattern.test(code));
  const grant = {
    managerCode: manager,
    roleCodes,
    managerPath: path("manager"),
    rolesPath: path("roles"),
  };
  return checkGrantsAgainstCatalogue([grant], client, signal, BINDING_WORDING);
}
