// Plan-time check of manager and role codes against DigiCert ONE's role
// catalogue, shared by the service user's access and the role bindings.
// It runs only in PlanResourceChange, with a configured client: validation
// must work offline, so it makes no API call.

import type { DigicertClient, Role } from "../../digicert/types";
import type { AttributePath, Diagnostic } from "../../framework/types";
import { errorDiagnostic, joinWithAnd, quote } from "../../validation/diagnostics";

/** The roles requested for one manager, and where the configuration sets them. */
export interface RequestedGrant {
  managerCode: string;
  /** The role codes; unknown values are left out by the caller. */
  roleCodes: readonly string[];
  /** The attribute path for an unknown manager code. */
  managerPath: AttributePath;
  /** The attribute path for a role code that the manager does not have. */
  rolesPath: AttributePath;
}

/** The resource-specific parts of the messages. */
export interface GrantWording {
  /** The fix for an unknown manager code, such as "Use one of them as a key of access." */
  useValidManager: string;
  /** The attribute that lists a manager's roles, such as `access["software_trust"].roles`. */
  rolesAttribute(managerCode: string): string;
  /** The fix for a role that belongs to `ownerCode`, not to the manager it is listed under. */
  moveRole(roleCode: string, ownerCode: string): string;
}

/**
 * Checks each grant against the client's role catalogue: the manager must
 * exist and have every role. Returns one error per unknown manager, unknown
 * role and role of another manager, each listing the valid codes. When the
 * catalogue cannot be read, returns a single error with the API's error,
 * because apply would need the same lookups and fail.
 */
export async function checkGrantsAgainstCatalogue(
  grants: readonly RequestedGrant[],
  client: DigicertClient,
  signal: AbortSignal,
  wording: GrantWording,
): Promise<Diagnostic[]> {
  const diagnostics: Diagnostic[] = [];
  try {
    for (const grant of grants) {
      diagnostics.push(...(await checkGrant(grant, client, signal, wording)));
    }
  } catch (error) {
    // Terraform is stopping, so the plan is abandoned anyway.
    if (signal.aborted) return diagnostics;
    const message = error instanceof Error ? error.message : String(error);
    diagnostics.push(
      errorDiagnostic(
        "Failed to check manager and role codes",
        `The provider reads the roles of each manager from DigiCert ONE to check the codes in the plan, and that failed: ${message}\n\nCheck that DigiCert ONE is reachable and try again.`,
      ),
    );
  }
  return diagnostics;
}

async function checkGrant(
  grant: RequestedGrant,
  client: DigicertClient,
  signal: AbortSignal,
  wording: GrantWording,
): Promise<Diagnostic[]> {
  const roles = await client.catalogueRoles(grant.managerCode, signal);
  if (roles.length === 0) {
    return [await unknownManagerDiagnostic(grant, client, signal, wording)];
  }

  const diagnostics: Diagnostic[] = [];
  const validCodes = roles.map((role) => role.code);
  for (const roleCode of grant.roleCodes) {
    if (validCodes.includes(roleCode)) continue;
    diagnostics.push(
      await invalidRoleDiagnostic(grant, roleCode, validCodes, client, signal, wording),
    );
  }
  return diagnostics;
}

async function unknownManagerDiagnostic(
  grant: RequestedGrant,
  client: DigicertClient,
  signal: AbortSignal,
  wording: GrantWording,
): Promise<Diagnostic> {
  const validCodes = await client.listManagerCodes(signal);
  const problem = `DigiCert ONE has no manager with the code ${quote(grant.managerCode)} for this API key.`;
  const valid = `Valid manager codes: ${listCodes(validCodes)}.`;
  const spelling = caseOnlyMatch(grant.managerCode, validCodes);
  const fix =
    spelling === undefined
      ? wording.useValidManager
      : `Write ${quote(grant.managerCode)} as ${quote(spelling)}.`;
  return errorDiagnostic("Unknown manager code", `${problem} ${valid} ${fix}`, grant.managerPath);
}

async function invalidRoleDiagnostic(
  grant: RequestedGrant,
  roleCode: string,
  validCodes: readonly string[],
  client: DigicertClient,
  signal: AbortSignal,
  wording: GrantWording,
): Promise<Diagnostic> {
  const manager = quote(grant.managerCode);
  const valid = `Valid role codes for ${manager}: ${listCodes(validCodes)}.`;

  const spelling = caseOnlyMatch(roleCode, validCodes);
  if (spelling !== undefined) {
    return errorDiagnostic(
      "Unknown role code",
      `The manager ${manager} has no role ${quote(roleCode)}. ${valid} Write ${quote(roleCode)} as ${quote(spelling)}.`,
      grant.rolesPath,
    );
  }

  const owner = await findRoleOwner(roleCode, grant.managerCode, client, signal);
  if (owner !== undefined) {
    return errorDiagnostic(
      "Role of another manager",
      `${quote(roleCode)} is a role of the manager ${quote(owner.managerCode)}, not of ${manager}. ${valid} ${wording.moveRole(roleCode, owner.managerCode)}`,
      grant.rolesPath,
    );
  }
  return errorDiagnostic(
    "Unknown role code",
    `The manager ${manager} has no role ${quote(roleCode)}. ${valid} Use only these codes in ${wording.rolesAttribute(grant.managerCode)}.`,
    grant.rolesPath,
  );
}

/** Finds the role with this code in the other managers, which fetches their roles once. */
async function findRoleOwner(
  roleCode: string,
  managerCode: string,
  client: DigicertClient,
  signal: AbortSignal,
): Promise<Role | undefined> {
  for (const candidate of await client.listManagerCodes(signal)) {
    if (candidate === managerCode) continue;
    const roles = await client.catalogueRoles(candidate, signal);
    const role = roles.find((item) => item.code === roleCode);
    if (role !== undefined) return role;
  }
  return undefined;
}

/** Returns the valid code that differs from `code` only in letter case, if any. */
function caseOnlyMatch(code: string, validCodes: readonly string[]): string | undefined {
  const lowercase = code.toLowerCase();
  return validCodes.find((valid) => valid !== code && valid.toLowerCase() === lowercase);
}

function listCodes(codes: readonly string[]): string {
  return codes.length === 0
    ? "none (the API key sees no manager)"
    : joinWithAnd(codes.map(quote));
}
