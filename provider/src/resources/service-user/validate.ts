// Validation of a digicertone_service_user configuration. It runs in
// ValidateResourceConfig (no API call and no credentials, so `terraform
// validate` works offline) and again at plan time, when values that were
// unknown may be known. Unknown values are skipped.

import {
  isUnknown,
  path,
  type AttributePath,
  type CtyValue,
  type Diagnostic,
  type ObjectValue,
} from "../../framework/types";
import { validateStringSet } from "../../validation/collections";
import { validateCalendarDate } from "../../validation/dates";
import {
  correctionFix,
  invalidValue,
  quote,
} from "../../validation/diagnostics";
import {
  caseCorrection,
  characterCount,
  describeCharacters,
  findInvalidCharacters,
  validateEmail,
  type CodeRule,
} from "../../validation/strings";
import { validateRotationSettings } from "./rotation";
import { NAME_MAX_LENGTH } from "./schema";

const NAME_RULE = `A service user name has 1 to ${NAME_MAX_LENGTH} characters: ASCII letters, digits, spaces, hyphens (-) and underscores (_), and does not start or end with a space.`;

export const MANAGER_CODE_RULE: CodeRule = {
  pattern: /^[a-z][a-z0-9_]*$/,
  description:
    "lowercase letters, digits and underscores, starting with a letter",
  example: "software_trust",
  letterCase: "lowercase",
};

export const ROLE_CODE_RULE: CodeRule = {
  pattern: /^[A-Z][A-Z0-9_]*$/,
  description:
    "uppercase letters, digits and underscores, starting with a letter",
  example: "SM_SIGNER",
  letterCase: "uppercase",
};

/**
 * Validates every attribute of a service user configuration. `today` is the
 * current UTC day as YYYY-MM-DD, and an earlier expiration_date is rejected;
 * with null, dates in the past pass. The past-date check belongs only to
 * plans that set a new date: a date that was valid when applied and has
 * since passed must not break every later plan, refresh and destroy.
 */
export function validateServiceUserConfig(
  config: ObjectValue,
  today: string | null,
): Diagnostic[] {
  return [
    ...validateName(config.name, path("name")),
    ...validateDescription(config.description ?? null, path("description")),
    ...validateEmail(config.email, path("email"), "email"),
    ...validateCalendarDate(config.expiration_date, path("expiration_date"), {
      attributeName: "expiration_date",
      notBefore: today ?? undefined,
    }),
    ...validateStringSet(config.account_ids, path("account_ids"), {
      setName: "account_ids",
      elementNoun: "account id",
      emptyReason: "A service user belongs to at least one account.",
      example: 'account_ids = ["<account id>"]',
    }),
    ...validatePrimaryAccountId(
      config.primary_account_id,
      config.account_ids,
      path("primary_account_id"),
    ),
    ...validateAccess(config.access, path("access")),
    ...validateRotationSettings(config),
  ];
}

function isNameCharacter(character: string): boolean {
  return /^[A-Za-z0-9 _-]$/.test(character);
}

/** Validates the friendly name against the DigiCert ONE rules. */
export function validateName(
  value: CtyValue,
  namePath: AttributePath,
): Diagnostic[] {
  if (typeof value !== "string") return [];

  if (value === "") {
    return [
      invalidValue({
        path: namePath,
        summary: "Empty service user name",
        problem: "The name is empty.",
        allowed: NAME_RULE,
      }),
    ];
  }

  const diagnostics: Diagnostic[] = [];
  const invalid = findInvalidCharacters(value, isNameCharacter);
  if (invalid.length > 0) {
    const plural = invalid.length > 1;
    diagnostics.push(
      invalidValue({
        path: namePath,
        summary: "Invalid service user name",
        problem: `The name ${quote(value)} contains ${plural ? "characters" : "a character"} that DigiCert ONE does not allow: ${describeCharacters(invalid)}.`,
        allowed: NAME_RULE,
        fix: `Remove or replace ${plural ? "these characters" : "this character"}.`,
      }),
    );
  }

  const length = characterCount(value);
  if (length > NAME_MAX_LENGTH) {
    diagnostics.push(
      invalidValue({
        path: namePath,
        summary: "Service user name too long",
        problem: `The name ${quote(value)} has ${length} characters, more than the maximum of ${NAME_MAX_LENGTH}.`,
        allowed: NAME_RULE,
        fix: "Shorten it.",
      }),
    );
  }

  if (value.startsWith(" ") || value.endsWith(" ")) {
    diagnostics.push(
      invalidValue({
        path: namePath,
        summary: "Invalid service user name",
        problem: `The name ${quote(value)} starts or ends with a space.`,
        allowed: NAME_RULE,
        fix: "Remove the leading and trailing spaces.",
      }),
    );
  }
  return diagnostics;
}

/**
 * Rejects a description with a null byte. Any other text is accepted, with
 * no length limit, because DigiCert publishes no rules for descriptions.
 *
 * NOTE: the null-byte rule is assumed, not documented by DigiCert. Many
 * databases (PostgreSQL text, for one) cannot store U+0000, so the API
 * would reject such a description or cut it short.
 */
function validateDescription(
  value: CtyValue,
  descriptionPath: AttributePath,
): Diagnostic[] {
  if (typeof value !== "string" || !value.includes("\u0000")) return [];
  return [
    invalidValue({
      path: descriptionPath,
      summary: "Invalid service user description",
      problem: `The description contains a null byte ("\\u0000") at character ${characterCount(value.slice(0, value.indexOf("\u0000"))) + 1}.`,
      allowed:
        "A description is free text, line breaks and tabs included, without null bytes.",
      fix: "Remove the null byte.",
    }),
  ];
}

/**
 * Checks that a configured primary account id is non-empty and one of
 * `account_ids`, when both are known.
 */
function validatePrimaryAccountId(
  value: CtyValue,
  accountIds: CtyValue,
  primaryPath: AttributePath,
): Diagnostic[] {
  if (typeof value !== "string") return [];

  if (value === "") {
    return [
      invalidValue({
        path: primaryPath,
        summary: "Empty primary_account_id",
        problem: "primary_account_id is an empty string.",
        allowed: "It must be one of the ids in account_ids.",
        fix: "Set it to one of those ids, or remove it to use the smallest id in account_ids.",
      }),
    ];
  }

  const knownIds = Array.isArray(accountIds) ? accountIds : null;
  if (knownIds === null || knownIds.some((id) => isUnknown(id))) return [];
  if (knownIds.includes(value)) return [];
  return [
    invalidValue({
      path: primaryPath,
      summary: "Primary account not in account_ids",
      problem: `primary_account_id ${quote(value)} is not one of account_ids.`,
      allowed:
        "The primary account must be one of the service user's accounts, and DigiCert ONE cannot remove it from them.",
      fix: `Add ${quote(value)} to account_ids, or set primary_account_id to one of the ids already there. For an existing service user, a new primary account replaces the service user with a new one (new id and token).`,
    }),
  ];
}

/** Validates the `access` map: manager codes and a role set for each. */
export function validateAccess(
  value: CtyValue,
  accessPath: AttributePath,
): Diagnostic[] {
  if (value === null || isUnknown(value) || typeof value !== "object") {
    return [];
  }
  const managers = Object.entries(value as { [key: string]: CtyValue });

  if (managers.length === 0) {
    return [
      invalidValue({
        path: accessPath,
        summary: "Empty access",
        problem: "access is empty.",
        allowed:
          "A service user needs at least one manager, each with at least one role.",
        fix: 'Add a manager, such as access = { software_trust = { roles = ["SM_SIGNER"] } }.',
      }),
    ];
  }

  const diagnostics: Diagnostic[] = [];
  for (const [managerCode, entry] of managers) {
    const managerPath = [...accessPath, { key: managerCode }];
    if (!MANAGER_CODE_RULE.pattern.test(managerCode)) {
      const corrected = caseCorrection(managerCode, MANAGER_CODE_RULE);
      diagnostics.push(
        invalidValue({
          path: managerPath,
          summary: "Invalid manager code",
          problem: `The manager code ${quote(managerCode)} in access is invalid.`,
          allowed: `A manager code has ${MANAGER_CODE_RULE.description}, such as ${quote(MANAGER_CODE_RULE.example)} or "account_manager".`,
          fix:
            corrected === undefined
              ? "Use the manager's code in lowercase."
              : correctionFix([[managerCode, corrected]]),
        }),
      );
    }
    diagnostics.push(...validateManagerAccess(managerCode, entry, managerPath));
  }
  return diagnostics;
}

function validateManagerAccess(
  managerCode: string,
  entry: CtyValue,
  managerPath: AttributePath,
): Diagnostic[] {
  if (isUnknown(entry)) return [];
  const setName = `access[${quote(managerCode)}].roles`;
  if (entry === null || typeof entry !== "object" || Array.isArray(entry)) {
    return [
      invalidValue({
        path: managerPath,
        summary: "Missing roles",
        problem: `access[${quote(managerCode)}] is null.`,
        allowed: "Each manager in access needs at least one role.",
        fix: `Set it to an object with roles, such as { roles = ["${ROLE_CODE_RULE.example}"] }.`,
      }),
    ];
  }
  const roles = (entry as { [key: string]: CtyValue }).roles ?? null;
  // Terraform can point at a map element of a nested attribute, but not at
  // an attribute inside it, so problems with roles use the manager's path.
  return validateStringSet(roles, managerPath, {
    setName,
    elementNoun: "role code",
    emptyReason: `Each manager in access needs at least one role.`,
    example: `roles = ["${ROLE_CODE_RULE.example}"]`,
    elementRule: ROLE_CODE_RULE,
  });
}
