// Handlers of /api-access-token, which lists, creates, reads, changes and
// revokes the API tokens of service users. Every request needs the Manage
// users permission. A token's secret is returned once, by POST, and stored
// only as its SHA-256 hash. A revoked token is kept as a tombstone, but a
// request for it gets 404, like a request for a token that never existed.

import { randomUUID } from "node:crypto";

import { API_PREFIX } from "./api-prefix";
import { requireManageUsers } from "./auth";
import { generateApiKey, sha256Hex } from "./credentials";
import { describeJsonType, invalidRequest, resourceNotFound } from "./errors";
import { requireServiceUser } from "./lookups";
import { bareOrPaged } from "./paging";
import type { Reply, RequestContext } from "./routes";
import { EmulatorStore, StoredApiToken } from "./store";
import { Clock, formatTimestamp, todayUtc } from "./time";
import { checkEndDate, requireJsonObject } from "./validation";
import { apiTokenView } from "./views";

// NOTE: DigiCert publishes no rules for token names. The length limit and
// the default name are the emulator's own choice.
export const TOKEN_NAME_MAX_LENGTH = 64;
/** Name of a token whose create request sends no name. */
export const DEFAULT_TOKEN_NAME = "api-token";

/** Builds a live token record and its secret, which only the create response may return. */
export function newApiToken(
  userId: string,
  name: string,
  endDate: string | null,
  clock: Clock,
): { token: StoredApiToken; secret: string } {
  const secret = generateApiKey();
  const token: StoredApiToken = {
    id: randomUUID(),
    userId,
    name,
    createdAt: formatTimestamp(clock.now()),
    endDate,
    sha256: sha256Hex(secret),
    revokedAt: null,
  };
  return { token, secret };
}

/** `GET /api-access-token?user_id=`: the live tokens of one service user. */
export function listApiTokens({ store, clock, principal, query }: RequestContext): Reply {
  requireManageUsers(principal, "listing API tokens");
  const userId = query.get("user_id");
  if (userId === null || userId === "") {
    throw invalidRequest(
      "Query parameter user_id is required. Send the id of a service user, as " +
        "GET /user?user_type=service returns it.",
    );
  }
  const user = requireServiceUser(store, userId);

  const live = store
    .listApiTokensOfUser(user.id)
    .filter((token) => token.revokedAt === null);
  return { status: 200, body: bareOrPaged(live.map((token) => apiTokenView(token, clock)), query) };
}

/** `POST /api-access-token`: a new token, with its secret in `api_token`. */
export async function createApiToken(context: RequestContext): Promise<Reply> {
  const { store, clock, principal } = context;
  requireManageUsers(principal, "creating an API token");
  const body = requireJsonObject(context.body);

  const problems: string[] = [];
  const userId = checkUserId(body.user_id, problems);
  const name = checkTokenName(body.name, DEFAULT_TOKEN_NAME, problems);
  const endDate = checkEndDate(body.end_date, todayUtc(clock), null, problems);
  if (problems.length > 0) {
    throw invalidRequest(...problems);
  }
  const user = requireServiceUser(store, userId!);

  const { token, secret } = newApiToken(user.id, name!, endDate!, clock);
  await store.putApiToken(token);
  return {
    status: 201,
    body: { ...apiTokenView(token, clock), api_token: secret },
    headers: { location: `${API_PREFIX}/api-access-token/${token.id}` },
  };
}

/** `GET /api-access-token/{id}`: one live token. */
export function getApiToken({ store, clock, principal, params }: RequestContext): Reply {
  requireManageUsers(principal, "reading an API token");
  const token = requireLiveToken(store, params.id);
  return { status: 200, body: apiTokenView(token, clock) };
}

/**
 * `PUT /api-access-token/{id}`: sets `end_date` (required, null for none)
 * and, when sent, `name`. Unlike `PUT /user/{id}`, a past `end_date` is
 * rejected even when it is the token's current one.
 */
export async function updateApiToken(context: RequestContext): Promise<Reply> {
  const { store, clock, principal, params } = context;
  requireManageUsers(principal, "changing an API token");
  const current = requireLiveToken(store, params.id);
  const body = requireJsonObject(context.body);

  const problems: string[] = [];
  let endDate: string | null | undefined;
  if ("end_date" in body) {
    endDate = checkEndDate(body.end_date, todayUtc(clock), null, problems);
  } else {
    problems.push(
      "end_date is required. Send a UTC calendar date such as 2030-06-30, or " +
        "null for no end date.",
    );
  }
  const name = checkTokenName(body.name, current.name, problems);
  if (problems.length > 0) {
    throw invalidRequest(...problems);
  }

  const updated: StoredApiToken = { ...current, name: name!, endDate: endDate! };
  await store.putApiToken(updated);
  return { status: 200, body: apiTokenView(updated, clock) };
}

/** `DELETE /api-access-token/{id}`: revokes a live token and keeps its tombstone. */
export async function revokeApiToken(context: RequestContext): Promise<Reply> {
  const { store, clock, principal, params } = context;
  requireManageUsers(principal, "revoking an API token");
  const current = requireLiveToken(store, params.id);

  await store.putApiToken({ ...current, revokedAt: formatTimestamp(clock.now()) });
  return { status: 204 };
}

/** Looks up a token that is not revoked, or throws 404. */
function requireLiveToken(store: EmulatorStore, id: string): StoredApiToken {
  const token = store.getApiToken(id);
  if (token === undefined) {
    throw resourceNotFound(
      `No API token with id ${JSON.stringify(id)} exists. Call ` +
        "GET /api-access-token?user_id=<service user id> for a service user's live tokens.",
    );
  }
  if (token.revokedAt !== null) {
    throw resourceNotFound(
      `API token ${token.id} was revoked at ${token.revokedAt}, so it no longer exists.`,
    );
  }
  return token;
}

function checkUserId(value: unknown, problems: string[]): string | undefined {
  if (value === undefined || value === null || value === "") {
    problems.push(
      "user_id is required. Send the id of the service user that the token " +
        "authenticates as.",
    );
    return undefined;
  }
  if (typeof value !== "string") {
    problems.push(`user_id must be a string, but the request sent ${describeJsonType(value)}.`);
    return undefined;
  }
  return value;
}

/**
 * Checks a token name. Returns `fallback` when the body omits it or sends
 * null, and undefined after pushing a problem.
 */
function checkTokenName(
  value: unknown,
  fallback: string,
  problems: string[],
): string | undefined {
  if (value === undefined || value === null) {
    return fallback;
  }
  if (typeof value !== "string") {
    problems.push(`name must be a string, but the request sent ${describeJsonType(value)}.`);
    return undefined;
  }
  const length = [...value].length;
  if (value.trim() === "") {
    problems.push(
      `name must not be empty or only spaces. Send 1 to ${TOKEN_NAME_MAX_LENGTH} ` +
        "characters, or omit name.",
    );
    return undefined;
  }
  if (length > TOKEN_NAME_MAX_LENGTH) {
    problems.push(
      `name is ${length} characters long, but at most ${TOKEN_NAME_MAX_LENGTH} are allowed.`,
    );
    return undefined;
  }
  return value;
}
