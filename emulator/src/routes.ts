// Endpoints under /account/api/v1 and their handlers. Handlers take parsed
// input (principal, path parameters, query, JSON body) and return a status
// and a JSON value. pipeline.ts and server.ts read and write HTTP.

import { randomUUID } from "node:crypto";

import {
  ACCOUNTS,
  STANDARD_USERS,
  findAccount,
  findApplicationByCode,
  rolesOfApplication,
  APPLICATIONS,
} from "./catalogue";
import { Principal, requireManageUsers } from "./auth";
import { generateApiKey, sha256Hex } from "./credentials";
import {
  duplicateError,
  invalidRequest,
  resourceNotFound,
} from "./errors";
import { EmulatorStore, StoredServiceUser } from "./store";
import { Clock, formatTimestamp, todayUtc } from "./time";
import {
  checkUpdateKeepsPrimaryAccount,
  parseServiceUserBody,
  requireJsonObject,
} from "./validation";
import {
  accountView,
  roleView,
  serviceUserView,
  standardUserView,
} from "./views";

export const API_PREFIX = "/account/api/v1";

// NOTE: DigiCert publishes no paging defaults or limits for these lists.
// These values are the emulator's own choice.
export const DEFAULT_PAGE_LIMIT = 20;
export const MAX_PAGE_LIMIT = 1000;

export interface RequestContext {
  store: EmulatorStore;
  clock: Clock;
  principal: Principal;
  /** Path parameters by name, e.g. `id`. */
  params: Record<string, string>;
  query: URLSearchParams;
  /** Parsed JSON body, or undefined when the request has none. */
  body: unknown;
}

export interface Reply {
  status: number;
  /** JSON value to send, or undefined for an empty body. */
  body?: unknown;
  headers?: Record<string, string>;
}

export interface Endpoint {
  handle(context: RequestContext): Reply | Promise<Reply>;
  /** Whether a JSON object body is required (create and update). */
  requiresBody?: boolean;
}

export interface Route {
  /** Path segments after API_PREFIX; `:name` matches one segment. */
  segments: string[];
  endpoints: Partial<Record<string, Endpoint>>;
}

export const ROUTES: Route[] = [
  { segments: ["account"], endpoints: { GET: { handle: listAccounts } } },
  { segments: ["account", ":id"], endpoints: { GET: { handle: getAccount } } },
  { segments: ["role"], endpoints: { GET: { handle: listRoles } } },
  {
    segments: ["user"],
    endpoints: {
      GET: { handle: listUsers },
      POST: { handle: createServiceUser, requiresBody: true },
    },
  },
  // Listed before ["user", ":id"] so that "me" is not taken for an id.
  { segments: ["user", "me"], endpoints: { GET: { handle: getCaller } } },
  {
    segments: ["user", ":id"],
    endpoints: {
      GET: { handle: getUser },
      PUT: { handle: updateServiceUser, requiresBody: true },
      DELETE: { handle: deleteServiceUser },
    },
  },
  {
    segments: ["user", ":id", "disable"],
    endpoints: { PUT: { handle: (context) => setDisabled(context, true) } },
  },
  {
    segments: ["user", ":id", "enable"],
    endpoints: { PUT: { handle: (context) => setDisabled(context, false) } },
  },
];

/** Contract endpoints the emulator leaves out. They respond 404 with a reason. */
export const UNIMPLEMENTED_PREFIXES = ["api-access-token", "audit-log"];

export interface RouteMatch {
  route: Route;
  params: Record<string, string>;
}

/** Finds the route for path segments after API_PREFIX, ignoring the method. */
export function matchRoute(segments: string[]): RouteMatch | undefined {
  for (const route of ROUTES) {
    if (route.segments.length !== segments.length) {
      continue;
    }
    const params: Record<string, string> = {};
    const matches = route.segments.every((pattern, index) => {
      if (pattern.startsWith(":")) {
        params[pattern.slice(1)] = segments[index];
        return true;
      }
      return pattern === segments[index];
    });
    if (matches) {
      return { route, params };
    }
  }
  return undefined;
}

/**
 * Returns `items` as a bare array, or as `{total, offset, limit, items}`
 * when the query has `offset` or `limit`, the shape sibling DigiCert ONE
 * APIs use for paged lists.
 */
function bareOrPaged<T>(items: T[], query: URLSearchParams): unknown {
  if (!query.has("offset") && !query.has("limit")) {
    return items;
  }
  const offset = parseIntegerParam(query, "offset", 0);
  const limit = parseIntegerParam(query, "limit", DEFAULT_PAGE_LIMIT);
  if (offset === undefined || limit === undefined || limit < 1 || limit > MAX_PAGE_LIMIT) {
    throw invalidRequest(
      `Query parameters offset ${JSON.stringify(query.get("offset"))} and limit ` +
        `${JSON.stringify(query.get("limit"))} are not valid. Send offset as a whole ` +
        `number of 0 or more and limit as a whole number from 1 to ${MAX_PAGE_LIMIT}.`,
    );
  }
  return {
    total: items.length,
    offset,
    limit,
    items: items.slice(offset, offset + limit),
  };
}

/** Parses a whole-number query parameter, or returns undefined when it is not one. */
function parseIntegerParam(
  query: URLSearchParams,
  name: string,
  defaultValue: number,
): number | undefined {
  const text = query.get(name);
  if (text === null) {
    return defaultValue;
  }
  const value = Number(text);
  return /^\d+$/.test(text) && Number.isSafeInteger(value) ? value : undefined;
}

function visibleAccountIds(principal: Principal): readonly string[] {
  return principal.user.accounts;
}

function listAccounts({ principal, query }: RequestContext): Reply {
  const visible = visibleAccountIds(principal);
  const accounts = ACCOUNTS.filter((account) => visible.includes(account.id));
  return { status: 200, body: bareOrPaged(accounts.map(accountView), query) };
}

function getAccount({ principal, params }: RequestContext): Reply {
  const account = findAccount(params.id);
  if (account === undefined || !visibleAccountIds(principal).includes(account.id)) {
    throw resourceNotFound(
      `No account with id ${JSON.stringify(params.id)} is visible to this API key. ` +
        "Call GET /account for the accounts it can see.",
    );
  }
  return { status: 200, body: accountView(account) };
}

function listRoles({ query }: RequestContext): Reply {
  const code = query.get("application_code");
  if (code === null || code === "") {
    const codes = APPLICATIONS.map((application) => application.code).join(", ");
    throw invalidRequest(
      `Query parameter application_code is required. Send one of: ${codes}.`,
    );
  }
  const application = findApplicationByCode(code);
  if (application === undefined) {
    return { status: 200, body: [] };
  }
  return { status: 200, body: rolesOfApplication(application.id).map(roleView) };
}

function listUsers({ store, clock, query }: RequestContext): Reply {
  const userType = query.get("user_type");
  if (userType !== null && userType !== "service" && userType !== "standard") {
    throw invalidRequest(
      `Query parameter user_type ${JSON.stringify(userType)} is not valid. Send ` +
        '"service" or "standard", or omit it to list both.',
    );
  }

  const users: unknown[] = [];
  if (userType !== "service") {
    users.push(...STANDARD_USERS.map(standardUserView));
  }
  if (userType !== "standard") {
    users.push(...store.listServiceUsers().map((user) => serviceUserView(user, clock)));
  }
  return { status: 200, body: bareOrPaged(users, query) };
}

function getCaller({ principal, clock }: RequestContext): Reply {
  const body =
    principal.kind === "service"
      ? serviceUserView(principal.user, clock)
      : standardUserView(principal.user);
  return { status: 200, body };
}

function getUser({ store, clock, params }: RequestContext): Reply {
  const serviceUser = store.getServiceUser(params.id);
  if (serviceUser !== undefined) {
    return { status: 200, body: serviceUserView(serviceUser, clock) };
  }
  const standardUser = STANDARD_USERS.find((user) => user.id === params.id);
  if (standardUser !== undefined) {
    return { status: 200, body: standardUserView(standardUser) };
  }
  throw userNotFound(params.id);
}

function userNotFound(id: string) {
  return resourceNotFound(
    `No user with id ${JSON.stringify(id)} exists. It may have been deleted. ` +
      "Call GET /user?user_type=service for the current service users.",
  );
}

/** Looks up the service user that a change targets, or throws 400 or 404. */
function requireServiceUser(store: EmulatorStore, id: string): StoredServiceUser {
  const user = store.getServiceUser(id);
  if (user !== undefined) {
    return user;
  }
  if (STANDARD_USERS.some((standardUser) => standardUser.id === id)) {
    throw invalidRequest(
      `User ${id} is a standard user. This endpoint changes service users only.`,
    );
  }
  throw userNotFound(id);
}

function rejectDuplicateName(
  store: EmulatorStore,
  friendlyName: string,
  exceptId?: string,
): void {
  const existing = store.findServiceUserByName(friendlyName);
  if (existing === undefined || existing.id === exceptId) {
    return;
  }
  throw duplicateError(
    `A service user named ${JSON.stringify(existing.friendlyName)} already exists ` +
      `(id ${existing.id}). Names are compared ignoring case. Choose another friendly_name.`,
  );
}

async function createServiceUser(context: RequestContext): Promise<Reply> {
  const { store, clock, principal } = context;
  requireManageUsers(principal);
  const input = parseServiceUserBody(requireJsonObject(context.body), todayUtc(clock));
  rejectDuplicateName(store, input.friendlyName);

  const token = generateApiKey();
  const user: StoredServiceUser = {
    id: randomUUID(),
    friendlyName: input.friendlyName,
    description: input.description,
    email: input.email,
    disabled: false,
    primaryAccountId: input.primaryAccountId ?? input.accounts[0],
    createdAt: formatTimestamp(clock.now()),
    createdBy: principal.user.id,
    endDate: input.endDate,
    accounts: input.accounts,
    applications: input.applications,
    tokenSha256: sha256Hex(token),
  };
  await store.putServiceUser(user);

  return {
    status: 201,
    body: { ...serviceUserView(user, clock), api_token: token },
    headers: { location: `${API_PREFIX}/user/${user.id}` },
  };
}

async function updateServiceUser(context: RequestContext): Promise<Reply> {
  const { store, clock, principal, params } = context;
  requireManageUsers(principal);
  const current = requireServiceUser(store, params.id);
  const input = parseServiceUserBody(
    requireJsonObject(context.body),
    todayUtc(clock),
    current.endDate,
  );
  checkUpdateKeepsPrimaryAccount(input, current.primaryAccountId);
  rejectDuplicateName(store, input.friendlyName, current.id);

  const updated: StoredServiceUser = {
    ...current,
    friendlyName: input.friendlyName,
    description: input.description,
    email: input.email,
    endDate: input.endDate,
    accounts: input.accounts,
    applications: input.applications,
  };
  await store.putServiceUser(updated);
  return { status: 200, body: serviceUserView(updated, clock) };
}

async function setDisabled(context: RequestContext, disabled: boolean): Promise<Reply> {
  const { store, clock, principal, params } = context;
  requireManageUsers(principal);
  const current = requireServiceUser(store, params.id);

  const updated: StoredServiceUser = { ...current, disabled };
  await store.putServiceUser(updated);
  return { status: 200, body: serviceUserView(updated, clock) };
}

async function deleteServiceUser(context: RequestContext): Promise<Reply> {
  const { store, principal, params } = context;
  requireManageUsers(principal);
  const current = requireServiceUser(store, params.id);

  await store.deleteServiceUser(current.id);
  return { status: 204 };
}
