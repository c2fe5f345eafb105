// Endpoints under /account/api/v1 and their handlers. Handlers take parsed
// input (principal, path parameters, query, JSON body) and return a status
// and a JSON value. pipeline.ts and server.ts read and write HTTP.

import { randomUUID } from "node:crypto";

import { API_PREFIX } from "./api-prefix";
import {
  createApiToken,
  getApiToken,
  listApiTokens,
  newApiToken,
  revokeApiToken,
  updateApiToken,
} from "./api-tokens";
import {
  ACCOUNTS,
  STANDARD_USERS,
  findAccount,
  findApplicationByCode,
  rolesOfApplication,
  APPLICATIONS,
} from "./catalogue";
import { Principal, requireManageUsers } from "./auth";
import {
  duplicateError,
  invalidRequest,
  resourceNotFound,
} from "./errors";
import { requireServiceUser, userNotFound } from "./lookups";
import { bareOrPaged } from "./paging";
import { EmulatorStore, StoredServiceUser } from "./store";
import { INITIAL_TOKEN_NAME } from "./state-file";
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

export { API_PREFIX };

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
  /**
   * Description of the required JSON object body, such as "the service
   * user's fields", for the 400 when it is missing. Undefined when the
   * endpoint needs no body.
   */
  requiredBody?: string;
}

export interface Route {
  /** Path segments after API_PREFIX; `:name` matches one segment. */
  segments: string[];
  endpoints: Partial<Record<string, Endpoint>>;
}

const SERVICE_USER_BODY = "the service user's fields";

export const ROUTES: Route[] = [
  { segments: ["account"], endpoints: { GET: { handle: listAccounts } } },
  { segments: ["account", ":id"], endpoints: { GET: { handle: getAccount } } },
  { segments: ["role"], endpoints: { GET: { handle: listRoles } } },
  {
    segments: ["user"],
    endpoints: {
      GET: { handle: listUsers },
      POST: { handle: createServiceUser, requiredBody: SERVICE_USER_BODY },
    },
  },
  // Listed before ["user", ":id"] so that "me" is not taken for an id.
  { segments: ["user", "me"], endpoints: { GET: { handle: getCaller } } },
  {
    segments: ["user", ":id"],
    endpoints: {
      GET: { handle: getUser },
      PUT: { handle: updateServiceUser, requiredBody: SERVICE_USER_BODY },
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
  {
    segments: ["api-access-token"],
    endpoints: {
      GET: { handle: listApiTokens },
      POST: { handle: createApiToken, requiredBody: "user_id and the token's fields" },
    },
  },
  {
    segments: ["api-access-token", ":id"],
    endpoints: {
      GET: { handle: getApiToken },
      PUT: { handle: updateApiToken, requiredBody: "end_date" },
      DELETE: { handle: revokeApiToken },
    },
  },
];

/** Contract endpoints the emulator leaves out. They respond 404 with a reason. */
export const UNIMPLEMENTED_PREFIXES = ["audit-log"];

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
  requireManageUsers(principal, "creating a service user");
  const input = parseServiceUserBody(requireJsonObject(context.body), todayUtc(clock));
  rejectDuplicateName(store, input.friendlyName);

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
  };
  const { token, secret } = newApiToken(user.id, INITIAL_TOKEN_NAME, null, clock);
  await store.createServiceUser(user, token);

  return {
    status: 201,
    body: { ...serviceUserView(user, clock), api_token: secret },
    headers: { location: `${API_PREFIX}/user/${user.id}` },
  };
}

async function updateServiceUser(context: RequestContext): Promise<Reply> {
  const { store, clock, principal, params } = context;
  requireManageUsers(principal, "updating a service user");
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
  requireManageUsers(principal, disabled ? "disabling a service user" : "enabling a service user");
  const current = requireServiceUser(store, params.id);

  const updated: StoredServiceUser = { ...current, disabled };
  await store.putServiceUser(updated);
  return { status: 200, body: serviceUserView(updated, clock) };
}

/** Deletes a service user. Its API tokens are revoked and kept as tombstones. */
async function deleteServiceUser(context: RequestContext): Promise<Reply> {
  const { store, clock, principal, params } = context;
  requireManageUsers(principal, "deleting a service user");
  const current = requireServiceUser(store, params.id);

  await store.deleteServiceUser(current.id, formatTimestamp(clock.now()));
  return { status: 204 };
}
