// Validation of a digicertone_service_user_role_binding configuration. It
// runs in ValidateResourceConfig, with no API call, and again at plan time.
// Unknown values are skipped.

import {
  path,
  type CtyValue,
  type Diagnostic,
  type ObjectValue,
} from "../../framework/types";
import { validateStringSet } from "../../validation/collections";
import {
  correctionFix,
  invalidValue,
  quote,
} from "../../validation/diagnostics";
import { caseCorrection } from "../../validation/strings";
import { MANAGER_CODE_RULE, ROLE_CODE_RULE } from "../service-user/validate";

/** Validates every attribute of a role binding configuration. */
export function validateRoleBindingConfig(config: ObjectValue): Diagnostic[] {
  return [
    ...validateServiceUserId(config.service_user_id),
    ...validateManager(config.manager),
    ...validateStringSet(config.roles, path("roles"), {
      setName: "roles",
      elementNoun: "role code",
      emptyReason: "A role binding grants at least one role.",
      example: `roles = ["${ROLE_CODE_RULE.example}"]`,
      elementRule: ROLE_CODE_RULE,
    }),
  ];
}

function validateServiceUserId(value: CtyValue): Diagnostic[] {
  if (typeof value !== "string") return [];
  if (value !== "" && !/[\s/]/.test(value)) return [];
  return [
    invalidValue({
      path: path("service_user_id"),
      summary: "Invalid service_user_id",
      problem: `The service_user_id ${quote(value)} is empty or contains whitespace or "/".`,
      allowed: "It must be the id (a UUID) of a DigiCert ONE service user.",
      fix: "Set it to the service user's id, such as digicertone_service_user.bot.id.",
    }),
  ];
}

function validateManager(value: CtyValue): Diagnostic[] {
  if (typeof value !== "string") return [];
  if (MANAGER_CODE_RULE.pattern.test(value)) return [];
  const corrected = caseCorrection(value, MANAGER_CODE_RULE);
  return [
    invalidValue({
      path: path("manager"),
      summary: "Invalid manager code",
      problem: `The manager code ${quote(value)} is invalid.`,
      allowed: `A manager code has ${MANAGER_CODE_RULE.description}, such as ${quote(MANAGER_CODE_RULE.example)} or "account_manager".`,
      fix:
        corrected === undefined
          ? "Use the manager's code in lowercase."
          : correctionFix([[value, corrected]]),
    }),
  ];
}
