// Validation of the create (`POST /user`) and update (`PUT /user/{id}`)
// bodies. Every problem becomes one entry of a 400 `invalid_request`
// response, so a client sees all of them at once. Each message names the
// field, what is wrong with the value and what is allowed.

import { findAccount, findApplication, findRole } from "./catalogue";
import { describeJsonType, invalidRequest } from "./errors";
import { ServiceUserApplication } from "./store";
import { isCalendarDate } from "./time";

export const FRIENDLY_NAME_MAX_LENGTH = 64;
const FRIENDLY_NAME_ALLOWED = /^[A-Za-z0-9 _-]$/;
const FRIENDLY_NAME_RULE =
  `1 to ${FRIENDLY_NAME_MAX_LENGTH} characters, each a letter (A-Z, a-z), ` +
  'a digit, a space, "-" or "_"';

// WHATWG HTML's "valid e-mail address" pattern, tightened to require at
// least one dot in the domain. RFC 5321 limits a path to 254 characters.
const EMAIL_PATTERN =
  /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;
const EMAIL_MAX_LENGTH = 254;

/** The mutable fields of a service user, checked and normalised. */
export interface ServiceUserInput {
  friendlyName: string;
  description: string;
  email: string;
  endDate: string | null;
  /** As sent, or undefined when the body omits it or sends null. */
  primaryAccountId: string | undefined;
  accounts: string[];
  applications: ServiceUserApplication[];
}

/**
 * Checks a create or update body and returns its fields. Throws a 400
 * ApiError listing every problem. Unknown keys are ignored. `today` is the
 * current UTC date (`YYYY-MM-DD`), the earliest allowed `end_date`. An
 * update passes the user's `currentEndDate`, which is accepted even when it
 * has passed, because the update sends every field again.
 */
export function parseServiceUserBody(
  body: Record<string, unknown>,
  today: string,
  currentEndDate: string | null = null,
): ServiceUserInput {
  const problems: string[] = [];

  checkUserType(body.user_type, problems);
  const friendlyName = checkFriendlyName(body.friendly_name, problems);
  const description = checkDescription(body.description, problems);
  const email = checkEmail(body.email, problems);
  const endDate = checkEndDate(body.end_date, today, currentEndDate, problems);
  const accounts = checkAccounts(body.accounts, problems);
  const primaryAccountId = checkPrimaryAccountId(
    body.primary_account_id,
    accounts,
    problems,
  );
  const applications = checkApplications(body.applications, problems);

  if (problems.length > 0) {
    throw invalidRequest(...problems);
  }
  return {
    friendlyName: friendlyName!,
    description: description!,
    email: email!,
    endDate: endDate!,
    primaryAccountId,
    accounts: accounts!,
    applications: applications!,
  };
}

/** Rejects a body that is not a JSON object (an array, a string, null). */
export function requireJsonObject(body: unknown): Record<string, unknown> {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw invalidRequest(
      `The request body must be a JSON object, but it is ${describeJsonType(body)}.`,
    );
  }
  return body as Record<string, unknown>;
}

function isMissing(value: unknown): boolean {
  return value === undefined || value === null;
}

function checkUserType(value: unknown, problems: string[]): void {
  if (value === undefined || value === "service") {
    return;
  }
  problems.push(
    `user_type must be "service", but the request sent ${JSON.stringify(value)}. ` +
      "This endpoint creates and edits service users only.",
  );
}

function checkFriendlyName(value: unknown, problems: string[]): string | undefined {
  if (isMissing(value)) {
    problems.push(`friendly_name is required. Send ${FRIENDLY_NAME_RULE}.`);
    return undefined;
  }
  if (typeof value !== "string") {
    problems.push(
      `friendly_name must be a string, but the request sent ${describeJsonType(value)}.`,
    );
    return undefined;
  }

  const characters = [...value];
  const before = problems.length;
  if (characters.length === 0) {
    problems.push(`friendly_name must not be empty. Send ${FRIENDLY_NAME_RULE}.`);
  }
  if (characters.length > FRIENDLY_NAME_MAX_LENGTH) {
    problems.push(
      `friendly_name is ${characters.length} characters long, but at most ` +
        `${FRIENDLY_NAME_MAX_LENGTH} are allowed.`,
    );
  }
  const offending = [
    ...new Set(characters.filter((character) => !FRIENDLY_NAME_ALLOWED.test(character))),
  ];
  if (offending.length > 0) {
    const listed = offending.map((character) => JSON.stringify(character)).join(", ");
    problems.push(
      `friendly_name ${JSON.stringify(value)} contains characters that are not ` +
        `allowed: ${listed}. Use only letters (A-Z, a-z), digits, spaces, "-" and "_".`,
    );
  }
  return problems.length === before ? value : undefined;
}

function checkDescription(value: unknown, problems: string[]): string | undefined {
  if (isMissing(value)) {
    return "";
  }
  if (typeof value !== "string") {
    problems.push(
      `description must be a string, but the request sent ${describeJsonType(value)}. ` +
        'Send "" or omit it for no description.',
    );
    return undefined;
  }
  return value;
}

function checkEmail(value: unknown, problems: string[]): string | undefined {
  if (isMissing(value)) {
    problems.push("email is required. Send a contact address such as team@example.com.");
    return undefined;
  }
  if (typeof value !== "string") {
    problems.push(
      `email must be a string, but the request sent ${describeJsonType(value)}.`,
    );
    return undefined;
  }
  if (value.length > EMAIL_MAX_LENGTH || !EMAIL_PATTERN.test(value)) {
    problems.push(
      `email ${JSON.stringify(value)} is not a valid email address. Send an ` +
        `address such as team@example.com, at most ${EMAIL_MAX_LENGTH} characters long.`,
    );
    return undefined;
  }
  return value;
}

/**
 * Checks an `end_date` value: null or missing (no end date), or a real
 * `YYYY-MM-DD` date no earlier than `today` unless it equals
 * `currentEndDate`. Pushes a message per problem and returns undefined for
 * an invalid value.
 */
export function checkEndDate(
  value: unknown,
  today: string,
  currentEndDate: string | null,
  problems: string[],
): string | null | undefined {
  if (isMissing(value)) {
    return null;
  }
  if (typeof value !== "string") {
    problems.push(
      `end_date must be a string in the form YYYY-MM-DD or null, but the request ` +
        `sent ${describeJsonType(value)}.`,
    );
    return undefined;
  }
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    problems.push(
      `end_date ${JSON.stringify(value)} is not in the form YYYY-MM-DD. Send a ` +
        "UTC calendar date such as 2030-06-30, or null for no end date.",
    );
    return undefined;
  }
  if (!isCalendarDate(value)) {
    problems.push(
      `end_date ${JSON.stringify(value)} is not a real calendar date. Check the ` +
        "month and the day of the month.",
    );
    return undefined;
  }
  if (value < today && value !== currentEndDate) {
    problems.push(
      `end_date ${JSON.stringify(value)} is before today (${today} UTC). Send ` +
        "today or a later date, or null for no end date.",
    );
    return undefined;
  }
  return value;
}

function checkAccounts(value: unknown, problems: string[]): string[] | undefined {
  if (isMissing(value)) {
    problems.push(
      "accounts is required. Send an array with at least one account id from GET /account.",
    );
    return undefined;
  }
  if (!Array.isArray(value)) {
    problems.push(
      `accounts must be an array of account ids, but the request sent ${describeJsonType(value)}.`,
    );
    return undefined;
  }
  if (value.length === 0) {
    problems.push(
      "accounts must contain at least one account id. Send ids from GET /account.",
    );
    return undefined;
  }

  const before = problems.length;
  const seen = new Set<string>();
  value.forEach((accountId: unknown, index) => {
    const field = `accounts[${index}]`;
    if (typeof accountId !== "string") {
      problems.push(
        `${field} must be an account id string, but the request sent ${describeJsonType(accountId)}.`,
      );
      return;
    }
    if (findAccount(accountId) === undefined) {
      problems.push(
        `${field} ${JSON.stringify(accountId)} is not a known account. Send an id from GET /account.`,
      );
      return;
    }
    if (seen.has(accountId)) {
      problems.push(
        `${field} ${JSON.stringify(accountId)} is listed more than once. List each account once.`,
      );
      return;
    }
    seen.add(accountId);
  });
  return problems.length === before ? (value as string[]) : undefined;
}

function checkPrimaryAccountId(
  value: unknown,
  accounts: string[] | undefined,
  problems: string[],
): string | undefined {
  if (isMissing(value)) {
    return undefined;
  }
  if (typeof value !== "string") {
    problems.push(
      `primary_account_id must be an account id string, but the request sent ${describeJsonType(value)}.`,
    );
    return undefined;
  }
  if (accounts !== undefined && !accounts.includes(value)) {
    problems.push(
      `primary_account_id ${JSON.stringify(value)} is not one of accounts. Send ` +
        "an id that is also listed in accounts, or omit primary_account_id.",
    );
    return undefined;
  }
  return value;
}

function checkApplications(
  value: unknown,
  problems: string[],
): ServiceUserApplication[] | undefined {
  if (isMissing(value)) {
    problems.push(
      'applications is required. Send an array such as [{"id": "<application id>", ' +
        '"roles": [{"id": "<role id>"}]}] with role ids from GET /role.',
    );
    return undefined;
  }
  if (!Array.isArray(value)) {
    problems.push(
      `applications must be an array, but the request sent ${describeJsonType(value)}.`,
    );
    return undefined;
  }
  if (value.length === 0) {
    problems.push(
      "applications must contain at least one application with at least one role.",
    );
    return undefined;
  }

  const before = problems.length;
  const seen = new Set<string>();
  const result: ServiceUserApplication[] = [];
  value.forEach((entry: unknown, index) => {
    const assignment = checkApplication(entry, `applications[${index}]`, seen, problems);
    if (assignment !== undefined) {
      result.push(assignment);
    }
  });
  return problems.length === before ? result : undefined;
}

function checkApplication(
  entry: unknown,
  field: string,
  seen: Set<string>,
  problems: string[],
): ServiceUserApplication | undefined {
  if (typeof entry !== "object" || entry === null || Array.isArray(entry)) {
    problems.push(
      `${field} must be an object {"id": ..., "roles": [...]}, but the request ` +
        `sent ${describeJsonType(entry)}.`,
    );
    return undefined;
  }
  const { id, roles } = entry as Record<string, unknown>;

  if (typeof id !== "string") {
    problems.push(
      `${field}.id must be an application id string, but the request sent ${describeJsonType(id)}.`,
    );
    return undefined;
  }
  const application = findApplication(id);
  if (application === undefined) {
    problems.push(
      `${field}.id ${JSON.stringify(id)} is not a known application. Send the ` +
        "application_id of a role from GET /role.",
    );
    return undefined;
  }
  if (seen.has(id)) {
    problems.push(
      `${field}.id ${JSON.stringify(id)} (${application.code}) is listed more ` +
        "than once. List each application once with all of its roles.",
    );
    return undefined;
  }
  seen.add(id);

  if (!Array.isArray(roles) || roles.length === 0) {
    problems.push(
      `${field}.roles must be an array with at least one role of ` +
        `${application.code}, such as [{"id": "<role id>"}]. Call ` +
        `GET /role?application_code=${application.code} for its roles.`,
    );
    return undefined;
  }

  const before = problems.length;
  const roleIds: string[] = [];
  roles.forEach((roleEntry: unknown, roleIndex) => {
    const roleField = `${field}.roles[${roleIndex}]`;
    const roleId =
      typeof roleEntry === "object" && roleEntry !== null
        ? (roleEntry as Record<string, unknown>).id
        : undefined;
    if (typeof roleId !== "string") {
      problems.push(
        `${roleField} must be an object {"id": "<role id>"}, but the request ` +
          `sent ${describeRoleEntry(roleEntry)}.`,
      );
      return;
    }
    const role = findRole(roleId);
    if (role === undefined) {
      problems.push(
        `${roleField}.id ${JSON.stringify(roleId)} is not a known role. Call ` +
          `GET /role?application_code=${application.code} for the roles of ${application.name}.`,
      );
      return;
    }
    if (role.applicationId !== application.id) {
      const owner = findApplication(role.applicationId);
      problems.push(
        `${roleField}.id ${JSON.stringify(roleId)} is role ${role.code} of ` +
          `${owner?.code ?? role.applicationId}, not of ${application.code}. List ` +
          "each role under its own application.",
      );
      return;
    }
    if (roleIds.includes(roleId)) {
      problems.push(
        `${roleField}.id ${JSON.stringify(roleId)} (${role.code}) is listed more than once.`,
      );
      return;
    }
    roleIds.push(roleId);
  });
  return problems.length === before ? { id, roleIds } : undefined;
}

function describeRoleEntry(entry: unknown): string {
  if (typeof entry !== "object" || entry === null || Array.isArray(entry)) {
    return describeJsonType(entry);
  }
  const id = (entry as Record<string, unknown>).id;
  if (id === undefined) {
    return "an object without id";
  }
  return `an object whose id is ${describeJsonType(id)}`;
}

/**
 * Checks the update-only rules of `PUT /user/{id}`: the primary account
 * cannot change and cannot be removed from accounts. Throws a 400 ApiError.
 */
export function checkUpdateKeepsPrimaryAccount(
  input: ServiceUserInput,
  currentPrimaryAccountId: string,
): void {
  const problems: string[] = [];
  if (
    input.primaryAccountId !== undefined &&
    input.primaryAccountId !== currentPrimaryAccountId
  ) {
    problems.push(
      `primary_account_id cannot change. It is ${JSON.stringify(currentPrimaryAccountId)} ` +
        `for this user, but the request sent ${JSON.stringify(input.primaryAccountId)}. ` +
        "Omit it or send the current value, or create a new service user.",
    );
  }
  if (!input.accounts.includes(currentPrimaryAccountId)) {
    problems.push(
      `accounts must keep the primary account ${JSON.stringify(currentPrimaryAccountId)}, ` +
        "because the primary account cannot be removed. Add it back to accounts.",
    );
  }
  if (problems.length > 0) {
    throw invalidRequest(...problems);
  }
}
