// Wire mapping of the DigiCert ONE Account Manager API: hosts, paths, request
// bodies, response schemas and error bodies, and their mapping to the domain
// types in types.ts.
//
// DigiCert does not publish every detail of this API. Each item below is
// marked "Confirmed" (public DigiCert documentation or public code that calls
// the API shows it) or "Assumed" (no public source shows it). Every assumed
// detail lives in this file or in constants.ts and nowhere else, so a user with a real tenant can
// check it against the tenant's OpenAPI document, served at
// /account/docs/swagger-ui/index.html, and correct it here.
//
// Response schemas are lenient: unknown keys are dropped, and missing
// optional fields get a documented default.

import { z } from "zod";

import { DigicertResponseError } from "./errors";
import type {
  Access,
  Account,
  ApiToken,
  Role,
  ServiceUser,
  ServiceUserInput,
} from "./types";
import { SERVICE_USER_BODY_FIELDS } from "./constants";

// Moved to constants.ts, which loads without zod, and re-exported here.
export {
  API_BASE_PATH,
  inputFieldsNamedIn,
  knownManagerCodes,
  regionHosts,
  type DigicertEnvironment,
  type DigicertRegion,
} from "./constants";

// ---------------------------------------------------------------------------
// Hosts and paths
// ---------------------------------------------------------------------------


/** Query parameters of a request; values are URL-encoded when sent. */
export type Query = { [name: string]: string | number };

/** A request path relative to `API_BASE_PATH`, with its query parameters. */
export interface Endpoint {
  path: string;
  query?: Query;
}

function segment(id: string): string {
  return encodeURIComponent(id);
}

/** Endpoint paths, relative to `API_BASE_PATH`. */
export const endpoints = {
  /** Confirmed: a bare JSON array of the accounts the caller can see. */
  listAccounts: (): Endpoint => ({ path: "/account" }),
  /** Confirmed. */
  getAccount: (id: string): Endpoint => ({ path: `/account/${segment(id)}` }),
  /** Path and query confirmed; the role object is assumed (see roleSchema). */
  listRoles: (managerCode: string): Endpoint => ({
    path: "/role",
    query: { application_code: managerCode },
  }),
  /** Confirmed, including the `user_type` filter. */
  listServiceUsers: (): Endpoint => ({
    path: "/user",
    query: { user_type: "service" },
  }),
  /** Confirmed. */
  getUser: (id: string): Endpoint => ({ path: `/user/${segment(id)}` }),
  /** Path confirmed; the request body and the token field are assumed. */
  createUser: (): Endpoint => ({ path: "/user" }),
  /** Assumed: PUT replaces every mutable field. */
  updateUser: (id: string): Endpoint => ({ path: `/user/${segment(id)}` }),
  /** Assumed path; disabling is confirmed as an action in the web UI. */
  disableUser: (id: string): Endpoint => ({
    path: `/user/${segment(id)}/disable`,
  }),
  /** Assumed path; enabling is confirmed as an action in the web UI. */
  enableUser: (id: string): Endpoint => ({
    path: `/user/${segment(id)}/enable`,
  }),
  /** Assumed path; permanent deletion is confirmed; the response is 204. */
  deleteUser: (id: string): Endpoint => ({ path: `/user/${segment(id)}` }),
  /**
   * Path and the `user_id` filter confirmed; that service users' tokens are
   * listed here is assumed, as is the token object (see apiTokenSchema).
   */
  listApiTokens: (userId: string): Endpoint => ({
    path: "/api-access-token",
    query: { user_id: userId },
  }),
  /** Path confirmed; the body and the token field are assumed. */
  createApiToken: (): Endpoint => ({ path: "/api-access-token" }),
  /** Path confirmed; that PUT changes `end_date` is assumed. */
  updateApiToken: (id: string): Endpoint => ({
    path: `/api-access-token/${segment(id)}`,
  }),
  /** Path confirmed; the 204 response is assumed. */
  deleteApiToken: (id: string): Endpoint => ({
    path: `/api-access-token/${segment(id)}`,
  }),
};


// ---------------------------------------------------------------------------
// Lists and paging
// ---------------------------------------------------------------------------

/**
 * Page size sent as `limit`. Assumed: DigiCert publishes no maximum, and
 * sibling DigiCert ONE APIs accept 100.
 */
export const PAGE_SIZE = 100;

/**
 * Query parameters that request one page. Assumed names, taken from the
 * Trust Lifecycle API; an API that ignores them returns the whole list.
 */
export function pageQuery(offset: number, limit: number): Query {
  return { offset, limit };
}

/** One page of a list response, in either of the two shapes the API uses. */
export interface ListPage {
  /** Raw items, not yet decoded. */
  items: unknown[];
  /** Prefix of an item's field path in errors: "" for a bare array, "items". */
  itemsField: string;
  /** Total item count, when the response is the paged object shape. */
  total?: number;
}

const pagedListSchema = z.object({
  items: z.array(z.unknown()),
  total: z.number().int().nonnegative().optional(),
  offset: z.number().optional(),
  limit: z.number().optional(),
});

/**
 * Splits a list response into its items. Bare arrays are confirmed for users
 * and accounts. The `{total, offset, limit, items}` shape is confirmed on
 * Trust Lifecycle and assumed possible here when `offset` and `limit` are sent.
 */
export function readListPage(body: unknown, context: ResponseContext): ListPage {
  if (Array.isArray(body)) {
    return { items: body, itemsField: "" };
  }
  const page = pagedListSchema.safeParse(body);
  if (!page.success) {
    throw new DigicertResponseError({
      ...context,
      field: "(response body)",
      expected: "an array or an object with an items array",
      received: jsonTypeOf(body),
    });
  }
  return { items: page.data.items, itemsField: "items", total: page.data.total };
}

// ---------------------------------------------------------------------------
// Decoding with field-level errors
// ---------------------------------------------------------------------------

/** The request whose response is decoded, for error messages. */
export interface ResponseContext {
  method: string;
  path: string;
}

/**
 * Parses `value` with `schema`, or throws `DigicertResponseError` naming the
 * first wrong field, the expected type and the JSON type received. The error
 * never contains a value from the body, because a body may contain a token.
 */
export function decode<T>(
  schema: z.ZodType<T>,
  value: unknown,
  context: ResponseContext,
  fieldPrefix = "",
): T {
  const result = schema.safeParse(value);
  if (result.success) {
    return result.data;
  }
  const issue = result.error.issues[0];
  throw new DigicertResponseError({
    ...context,
    field: formatFieldPath(fieldPrefix, issue.path) || "(response body)",
    expected: describeExpected(issue),
    received: jsonTypeOf(valueAtPath(value, issue.path)),
  });
}

function formatFieldPath(prefix: string, path: readonly PropertyKey[]): string {
  let text = prefix;
  for (const key of path) {
    if (typeof key === "number") {
      text += `[${key}]`;
    } else {
      text += text === "" ? String(key) : `.${String(key)}`;
    }
  }
  return text;
}

function describeExpected(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case "invalid_type":
      return issue.expected;
    case "too_small":
      return issue.origin === "string" && issue.minimum === 1
        ? "a non-empty string"
        : `${issue.origin} of at least ${String(issue.minimum)}`;
    case "invalid_union":
      return "one of the accepted shapes";
    case "invalid_value":
      return `one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`;
    default:
      return `a valid value (${issue.code})`;
  }
}

function valueAtPath(value: unknown, path: readonly PropertyKey[]): unknown {
  let current = value;
  for (const key of path) {
    if (typeof current !== "object" || current === null) {
      return undefined;
    }
    current = (current as { [key: PropertyKey]: unknown })[key];
  }
  return current;
}

/** Returns the JSON type name of a value: "string", "array", "null", "missing", … */
export function jsonTypeOf(value: unknown): string {
  if (value === undefined) {
    return "missing";
  }
  if (value === null) {
    return "null";
  }
  if (Array.isArray(value)) {
    return "array";
  }
  return typeof value;
}

// ---------------------------------------------------------------------------
// Accounts
// ---------------------------------------------------------------------------

/**
 * Account object. The fields are confirmed. `sign_in_methods` entries use
 * camelCase keys while the rest is snake_case; the client reads none of them
 * but tolerates any shape there.
 */
export const accountSchema = z.object({
  id: z.string(),
  name: z.string(),
  active: z.boolean(),
  friendly_identifier: z.string().nullish(),
  locale: z.string().nullish(),
  service_period: z
    .object({ from: z.string().nullish(), to: z.string().nullish() })
    .nullish(),
  sign_in_methods: z
    .array(
      z.looseObject({
        signInMethod: z.string().optional(),
        status: z.string().optional(),
        mfaStatus: z.string().optional(),
        clientAuthCertLoginEnabled: z.boolean().optional(),
      }),
    )
    .nullish(),
});

export type WireAccount = z.infer<typeof accountSchema>;

export function toAccount(wire: WireAccount): Account {
  return { id: wire.id, name: wire.name, active: wire.active };
}

// ---------------------------------------------------------------------------
// Roles
// ---------------------------------------------------------------------------

/**
 * Role object of `GET /role`. Assumed: `{id, code, name, application_id,
 * application_code, permissions[]}`. Permissions are accepted as codes or as
 * objects with a `code`.
 */
export const roleSchema = z.object({
  id: z.string(),
  code: z.string(),
  name: z.string().nullish(),
  application_id: z.string(),
  application_code: z.string().nullish(),
  permissions: z
    .array(z.union([z.string(), z.object({ code: z.string() })]))
    .nullish(),
});

export type WireRole = z.infer<typeof roleSchema>;

/** Maps a role; `requestedManagerCode` fills a missing `application_code`. */
export function toRole(wire: WireRole, requestedManagerCode: string): Role {
  return {
    id: wire.id,
    code: wire.code,
    name: wire.name ?? wire.code,
    managerId: wire.application_id,
    managerCode: wire.application_code ?? requestedManagerCode,
    permissions: (wire.permissions ?? []).map((permission) =>
      typeof permission === "string" ? permission : permission.code,
    ),
  };
}

// ---------------------------------------------------------------------------
// Service users
// ---------------------------------------------------------------------------

/** Role inside a user's application entry. Assumed: `{id, code, name}`. */
const userRoleSchema = z.object({
  id: z.string().nullish(),
  code: z.string(),
  name: z.string().nullish(),
});

/**
 * A user's access to one manager. `id`, `name` and `permissions` are
 * confirmed; `code` and `roles` are assumed and may be missing.
 */
const userApplicationSchema = z.object({
  id: z.string(),
  name: z.string().nullish(),
  code: z.string().nullish(),
  roles: z.array(userRoleSchema).nullish(),
});

/**
 * Service-user object. Fields from DigiCert's list example are confirmed.
 * These additions are assumed:
 * - `end_date`: "YYYY-MM-DD" or null, and may be missing.
 * - `accounts`: account ids or objects with an `id`. When it is missing, the
 *   user has only the primary account.
 * - `applications[].code` and `applications[].roles`.
 */
export const serviceUserSchema = z.object({
  id: z.string(),
  friendly_name: z.string(),
  description: z.string().nullish(),
  email: z.string(),
  status: z.string(),
  user_type: z.string().nullish(),
  primary_account_id: z.string(),
  created_at: z.string(),
  end_date: z.string().nullish(),
  accounts: z
    .array(z.union([z.string(), z.object({ id: z.string() })]))
    .nullish(),
  applications: z.array(userApplicationSchema).nullish(),
});

export type WireServiceUser = z.infer<typeof serviceUserSchema>;

/** `user_type` of service users. Confirmed. */
export const SERVICE_USER_TYPE = "service";

/**
 * Reports whether a raw or decoded user object is a service user. A missing
 * `user_type` counts as one, because the list request already filters on it.
 */
export function isServiceUserType(raw: unknown): boolean {
  if (typeof raw !== "object" || raw === null) {
    return true;
  }
  const userType = (raw as { user_type?: unknown }).user_type;
  return (
    userType === undefined ||
    userType === null ||
    (typeof userType === "string" && userType.toLowerCase() === SERVICE_USER_TYPE)
  );
}

/**
 * Finds the manager code of an application id, for application entries that
 * lack `code`; returns undefined when the id is unknown.
 */
export type ManagerCodeLookup = (applicationId: string) => string | undefined;

/**
 * Maps a service user to the domain type. An application entry without
 * `code` gets its code from `lookupManagerCode`, else from its display name in
 * snake case, else its id. The snake-case rule is assumed. It turns every
 * manager name DigiCert shows into its code ("Software Trust" becomes
 * "software_trust").
 */
export function toServiceUser(
  wire: WireServiceUser,
  lookupManagerCode: ManagerCodeLookup = () => undefined,
): ServiceUser {
  // A Map, because a code such as "constructor" or "__proto__" would hit
  // an Object member in a plain object. Object.fromEntries defines own
  // properties, whatever the key.
  const rolesByManager = new Map<string, string[]>();
  for (const application of wire.applications ?? []) {
    const managerCode =
      application.code ??
      lookupManagerCode(application.id) ??
      managerCodeFromName(application.name) ??
      application.id;
    // NOTE: an entry without `roles` maps to no roles, because only
    // permissions are confirmed on user objects and they do not name a role.
    const roleCodes = (application.roles ?? []).map((role) => role.code);
    rolesByManager.set(managerCode, [...(rolesByManager.get(managerCode) ?? []), ...roleCodes]);
  }
  const access: Access = Object.fromEntries(rolesByManager);

  const accountIds = (wire.accounts ?? []).map((account) =>
    typeof account === "string" ? account : account.id,
  );

  return {
    id: wire.id,
    name: wire.friendly_name,
    description: wire.description ?? "",
    email: wire.email,
    status: wire.status,
    primaryAccountId: wire.primary_account_id,
    accountIds: accountIds.length > 0 ? accountIds : [wire.primary_account_id],
    expirationDate: toCalendarDay(wire.end_date),
    createdAt: wire.created_at,
    access,
  };
}

function managerCodeFromName(name: string | null | undefined): string | undefined {
  if (!name) {
    return undefined;
  }
  return name.trim().toLowerCase().replace(/\s+/g, "_");
}

/** Keeps the "YYYY-MM-DD" part of `end_date`, which may carry a time. */
function toCalendarDay(endDate: string | null | undefined): string | null {
  if (!endDate) {
    return null;
  }
  const day = /^\d{4}-\d{2}-\d{2}/.exec(endDate);
  return day ? day[0] : endDate;
}

/**
 * Fields that may hold the one-time token in the create response, in order of
 * preference. Assumed: the real field name is not public.
 */
export const TOKEN_FIELDS = ["api_token", "token", "api_key"] as const;

const tokenFieldsSchema = z.object({
  api_token: z.string().nullish(),
  token: z.string().nullish(),
  api_key: z.string().nullish(),
});

/**
 * Reads the one-time token from a create response. Throws
 * `DigicertResponseError`, which never quotes the value, when no token field
 * contains a non-empty string.
 */
export function readToken(body: unknown, context: ResponseContext): string {
  const fields = decode(tokenFieldsSchema, body, context);
  for (const name of TOKEN_FIELDS) {
    const value = fields[name];
    if (typeof value === "string" && value !== "") {
      return value;
    }
  }
  throw new DigicertResponseError({
    ...context,
    field: TOKEN_FIELDS.join(" | "),
    expected: "a non-empty string (the one-time API token)",
    received: "missing",
  });
}

/**
 * Reads the id of the created user from a create response whose user object
 * may not decode, so that the user can be recorded anyway. Returns undefined
 * when `id` is not a non-empty string.
 */
export function readCreatedUserId(body: unknown): string | undefined {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    return undefined;
  }
  const id = (body as { id?: unknown }).id;
  return typeof id === "string" && id !== "" ? id : undefined;
}

// ---------------------------------------------------------------------------
// API tokens
// ---------------------------------------------------------------------------

/**
 * API-token object of `/api-access-token`. Assumed: `{id, user_id, name,
 * created_at, end_date}`, where `end_date` is "YYYY-MM-DD" or null. The
 * value itself comes only in the create response, in one of TOKEN_FIELDS.
 */
export const apiTokenSchema = z.object({
  id: z.string(),
  user_id: z.string().nullish(),
  name: z.string().nullish(),
  created_at: z.string(),
  end_date: z.string().nullish(),
});

export type WireApiToken = z.infer<typeof apiTokenSchema>;

/** Maps a token; `userId` fills a missing `user_id`. */
export function toApiToken(wire: WireApiToken, userId: string): ApiToken {
  return {
    id: wire.id,
    userId: wire.user_id ?? userId,
    name: wire.name ?? "",
    createdAt: wire.created_at,
    endDate: toCalendarDay(wire.end_date),
  };
}

/** Request body of `POST /api-access-token`. Assumed. */
export function toApiTokenBody(userId: string, name: string): {
  user_id: string;
  name: string;
} {
  return { user_id: userId, name };
}

/** Request body of `PUT /api-access-token/{id}` that sets its last day. Assumed. */
export function toApiTokenEndDateBody(endDate: string): { end_date: string } {
  return { end_date: endDate };
}

/** A manager and the roles to grant in it, as ids. */
export interface ManagerGrant {
  managerId: string;
  roleIds: string[];
}

/**
 * Request body of `POST /user` and `PUT /user/{id}`. Assumed. The update
 * sends every field again, and `end_date: null` removes the expiry.
 */
export interface ServiceUserBody {
  user_type: string;
  friendly_name: string;
  description: string;
  email: string;
  end_date: string | null;
  primary_account_id: string;
  accounts: string[];
  applications: { id: string; roles: { id: string }[] }[];
}

/**
 * Builds the create or update body. The primary account is put first in
 * `accounts` when the input omits it, because a user always has access to
 * its primary account.
 */
export function toServiceUserBody(
  input: ServiceUserInput,
  grants: ManagerGrant[],
): ServiceUserBody {
  const accounts = input.accountIds.includes(input.primaryAccountId)
    ? [...input.accountIds]
    : [input.primaryAccountId, ...input.accountIds];
  return {
    user_type: SERVICE_USER_TYPE,
    friendly_name: input.name,
    description: input.description,
    email: input.email,
    end_date: input.expirationDate,
    primary_account_id: input.primaryAccountId,
    accounts,
    applications: grants.map((grant) => ({
      id: grant.managerId,
      roles: grant.roleIds.map((id) => ({ id })),
    })),
  };
}


// ---------------------------------------------------------------------------
// Error bodies
// ---------------------------------------------------------------------------

const errorEntrySchema = z.object({
  code: z.string().nullish(),
  message: z.string().nullish(),
});

/**
 * Error bodies, both confirmed. DigiCert's own client code reads
 * `{"errors": [{code, message}]}`, and DigiCert's docs show
 * `{"error": {code, message}}`. Only the first entry of `errors` is read.
 */
const errorBodySchema = z.union([
  z.object({ errors: z.array(errorEntrySchema).min(1) }),
  z.object({ error: errorEntrySchema }),
]);

/** The code and message of an error response. */
export interface ErrorBody {
  /** The API's code, or `http_<status>` when the body has none. */
  code: string;
  message?: string;
}

/** Maximum length of the text excerpt quoted from a non-JSON error body. */
const EXCERPT_MAX_CHARS = 120;

/**
 * Reads the code and message of an error response body. A non-JSON body (an
 * HTML page from a gateway, say) gets the code `http_<status>` and, when
 * `allowExcerpt` is set, a short plain-text excerpt as the message. Words
 * that look like a token or key are left out of the excerpt. Callers must
 * unset `allowExcerpt` for responses that could contain a token. The JSON
 * error message of such a response is kept, with token-like runs replaced.
 */
export function readErrorBody(
  status: number,
  text: string,
  allowExcerpt: boolean,
): ErrorBody {
  const fallbackCode = `http_${status}`;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    const excerpt = allowExcerpt ? safeExcerpt(text) : "";
    return excerpt === ""
      ? { code: fallbackCode }
      : { code: fallbackCode, message: excerpt };
  }

  const parsed = errorBodySchema.safeParse(json);
  if (!parsed.success) {
    return { code: fallbackCode };
  }
  const entry = "errors" in parsed.data ? parsed.data.errors[0] : parsed.data.error;
  const result: ErrorBody = { code: entry.code || fallbackCode };
  if (entry.message) {
    result.message = allowExcerpt ? entry.message : redactTokenLikeRuns(entry.message);
  }
  return result;
}

/**
 * A run of 20 or more letters, digits, `_`, `+`, `/` or `=`: the shape of a
 * token or key in hex, base64 or the sampled `<hex>_<hex>` form. A UUID has
 * no such run, because its hyphens split it into groups of at most 12.
 */
const TOKEN_LIKE_RUN = /[A-Za-z0-9_+/=]{20,}/g;

/** Replaces every token-like run in an API message with "<redacted>". */
function redactTokenLikeRuns(message: string): string {
  return message.replace(TOKEN_LIKE_RUN, "<redacted>");
}

/**
 * Reduces a text or HTML body to a short single line without tags, scripts
 * and styles. Every word with a run of 20 or more letters, digits, `_` or `-`
 * is removed too, because such a word could be a token or key. The page's
 * head is left out unless the body has no text, because error pages
 * (nginx's, Python's http.server's) repeat their title as the first heading.
 */
function safeExcerpt(text: string): string {
  const withoutHead = text.replace(/<head\b[\s\S]*?<\/head\s*>/gi, " ");
  return plainExcerpt(withoutHead) || plainExcerpt(text);
}

function plainExcerpt(text: string): string {
  const plain = text
    .replace(/<(script|style)\b[\s\S]*?<\/\1\s*>/gi, " ")
    .replace(/<[^>]*>/g, " ")
    .replace(/&nbsp;/g, " ")
    .replace(/[^\x20-\x7e]+/g, " ")
    .split(/\s+/)
    .filter((word) => word !== "" && !/[A-Za-z0-9_-]{20,}/.test(word))
    .join(" ");
  if (plain.length <= EXCERPT_MAX_CHARS) {
    return plain;
  }
  return plain.slice(0, EXCERPT_MAX_CHARS - 1).trimEnd() + "…";
}

/**
 * Parses a `Retry-After` header, given in seconds or as an HTTP date
 * (confirmed for 429 and 503), into milliseconds from `now`.
 */
export function parseRetryAfter(
  header: string | undefined,
  now: number = Date.now(),
): number | undefined {
  if (header === undefined || header.trim() === "") {
    return undefined;
  }
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) {
    return Number(trimmed) * 1000;
  }
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) {
    return undefined;
  }
  return Math.max(0, date - now);
}

/** Name of the response header that carries the request id. Assumed. */
export const REQUEST_ID_HEADER = "x-request-id";
