// Plan-time check of the manager and role codes in a service user's access
// against DigiCert ONE's role catalogue.

import type { DigicertClient } from "../../digicert/types";
import {
  isUnknown,
  path,
  type CtyValue,
  type Diagnostic,
  type ObjectValue,
} from "../../framework/types";
import { quote } from "../../validation/diagnostics";
import { knownStrings } from "../../validation/collections";
import {
  checkGrantsAgainstCatalogue,
  type GrantWording,
  type RequestedGrant,
} from "../user-access/catalogue-check";
import { sameRoles } from "../user-access/merge";
import { MANAGER_CODE_RULE, ROLE_CODE_RULE } from "./validate";

const ACCESS_WORDING: GrantWording = {
  useValidManager: "Use one of them as a key of access.",
  rolesAttribute: (managerCode) => `access[${quote(managerCode)}].roles`,
  moveRole: (roleCode, ownerCode) =>
    `Move ${quote(roleCode)} to access[${quote(ownerCode)}].roles, or replace it with one of the valid codes.`,
};

/**
 * Checks the known manager and role codes of `access` against the role
 * catalogue. A manager whose roles equal the prior state's is skipped,
 * because DigiCert ONE already granted them. Codes that break the letter
 * case rule are skipped too, because validation already reports them.
 */
export async function checkAccessCatalogue(
  config: ObjectValue,
  prior: ObjectValue | null,
  client: DigicertClient,
  signal: AbortSignal,
): Promise<Diagnostic[]> {
  const grants = requestedGrants(config.access ?? null, prior?.access ?? null);
  if (grants.length === 0) return [];
  return checkGrantsAgainstCatalogue(grants, client, signal, ACCESS_WORDING);
}

function requestedGrants(access: CtyValue, priorAccess: CtyValue): RequestedGrant[] {
  if (!isMap(access)) return [];
  const priorEntries = isMap(priorAccess) ? priorAccess : {};

  const grants: RequestedGrant[] = [];
  for (const [managerCode, entry] of Object.entries(access)) {
    if (!MANAGER_CODE_RULE.pattern.test(managerCode)) continue;
    const roles = rolesOf(entry);
    if (roles === undefined) continue;
    const knownRoles = knownStrings(roles);
    const priorRoles = Object.hasOwn(priorEntries, managerCode)
      ? rolesOf(priorEntries[managerCode])
      : undefined;
    const unchanged =
      priorRoles !== undefined &&
      knownRoles.length === roles.length &&
      sameRoles(knownStrings(priorRoles), knownRoles);
    if (unchanged) continue;

    const roleCodes = knownRoles.filter((code) => ROLE_CODE_RULE.pattern.test(code));
    const managerPath = path("access", { key: managerCode });
    // Terraform cannot point inside a map element of a nested attribute.
    grants.push({ managerCode, roleCodes, managerPath, rolesPath: managerPath });
  }
  return grants;
}

function isMap(value: CtyValue): value is { [key: string]: CtyValue } {
  return (
    value !== null &&
    !isUnknown(value) &&
    typeof value === "object" &&
    !Array.isArray(value)
  );
}

/** Returns the roles set of an access entry, or undefined when it is null or unknown. */
function rolesOf(entry: CtyValue): CtyValue[] | undefined {
  if (!isMap(entry)) return undefined;
  const roles = entry.roles ?? null;
  return Array.isArray(roles) ? roles : undefined;
}
