// Request shapes and response mapping of the DigiCert ONE client, against
// undici's MockAgent with network connections disabled.

import { MockAgent } from "undici";

import { createDigicertClient } from "../../provider/src/digicert/client";
import {
  DigicertApiError,
  DigicertCatalogueError,
  DigicertResponseError,
} from "../../provider/src/digicert/errors";
import type {
  DigicertClient,
  ServiceUserInput,
} from "../../provider/src/digicert/types";
import { createLogger } from "../../provider/src/log";

const ORIGIN = "https://digicert.test";
const API_KEY = "0123456789abcdef0123456789_api-key-under-test";
const USER_AGENT = "terraform-provider-digicertone/test";
const BASE = "/account/api/v1";

const ACCOUNT_ID = "6a0c5c4e-2f0a-4b8e-9d57-1c5d8e2b7a10";
const OTHER_ACCOUNT_ID = "0d3e4f5a-6b7c-4d8e-9f00-112233445566";
const USER_ID = "3f2b8a1e-5c4d-4e6f-8a9b-0c1d2e3f4a5b";
const SM_APP_ID = "5b6c7d8e-0000-4000-8000-00000000a001";
const AM_APP_ID = "5b6c7d8e-0000-4000-8000-00000000a002";
const TOKEN = "26aa8c8b0f1e4d2c9b7a6e5f4d_" + "c".repeat(64);

interface RecordedRequest {
  method: string;
  path: string;
  headers: { [name: string]: string };
  body: unknown;
}

interface Harness {
  agent: MockAgent;
  client: DigicertClient;
  requests: RecordedRequest[];
  logLines: string[];
  /**
   * Registers one reply for a request with this method and exact path. A
   * string `data` is sent as it is, anything else as JSON.
   */
  reply(
    method: string,
    path: string,
    status: number,
    data?: unknown,
    headers?: { [name: string]: string },
    delayMs?: number,
  ): void;
}

let harness: Harness;

beforeEach(() => {
  const agent = new MockAgent();
  agent.disableNetConnect();
  const pool = agent.get(ORIGIN);
  const requests: RecordedRequest[] = [];
  const logLines: string[] = [];
  const client = createDigicertClient({
    baseUrl: ORIGIN,
    apiKey: API_KEY,
    userAgent: USER_AGENT,
    dispatcher: agent,
    logger: createLogger("test", {}, (line) => logLines.push(line)),
  });
  const reply: Harness["reply"] = (method, path, status, data, headers = {}, delayMs = 0) => {
    const scope = pool.intercept({ method, path }).reply((options) => {
      requests.push({
        method: options.method,
        path: options.path,
        headers: { ...(options.headers as { [name: string]: string }) },
        body: typeof options.body === "string" ? JSON.parse(options.body) : undefined,
      });
      let text = "";
      if (typeof data === "string") text = data;
      else if (data !== undefined) text = JSON.stringify(data);
      return { statusCode: status, data: text, responseOptions: { headers } };
    });
    if (delayMs > 0) scope.delay(delayMs);
  };
  harness = { agent, client, requests, logLines, reply };
});

afterEach(async () => {
  harness.agent.assertNoPendingInterceptors();
  await harness.client.close();
  await harness.agent.close();
});

function page(offset: number): string {
  return `offset=${offset}&limit=100`;
}

function wireUser(overrides: object = {}): Record<string, unknown> {
  return {
    id: USER_ID,
    friendly_name: "release-signing_bot",
    description: "Signs release builds",
    email: "platform-team@example.com",
    status: "ACTIVE",
    user_type: "service",
    access_scope: "account",
    primary_account_id: ACCOUNT_ID,
    created_at: "2021-06-23T08:55:19Z",
    created_by: "9e8d7c6b-5a49-4837-8261-504f3e2d1c0b",
    locale: "en_US",
    end_date: "2027-06-30",
    accounts: [ACCOUNT_ID, OTHER_ACCOUNT_ID],
    applications: [
      {
        id: SM_APP_ID,
        name: "Software Trust",
        code: "software_trust",
        permissions: ["SIGN_SM_HASH"],
        roles: [{ id: "role-sm-signer", code: "SM_SIGNER", name: "Signer" }],
      },
    ],
    ...overrides,
  };
}

const softwareTrustRoles = [
  {
    id: "role-sm-signer",
    code: "SM_SIGNER",
    name: "Signer",
    application_id: SM_APP_ID,
    application_code: "software_trust",
    permissions: ["SIGN_SM_HASH"],
  },
  {
    id: "role-sm-viewer",
    code: "SM_VIEWER",
    name: "Viewer",
    application_id: SM_APP_ID,
    application_code: "software_trust",
    permissions: [{ code: "VIEW_SM_CERTIFICATE" }],
  },
];

const accountManagerRoles = [
  {
    id: "role-am-view",
    code: "AM_VIEW_ONLY",
    name: "View only",
    application_id: AM_APP_ID,
    application_code: "account_manager",
    permissions: ["VIEW_AM_AUDIT_LOG"],
  },
];

const input: ServiceUserInput = {
  name: "release-signing_bot",
  description: "Signs release builds",
  email: "platform-team@example.com",
  expirationDate: "2027-06-30",
  primaryAccountId: ACCOUNT_ID,
  accountIds: [ACCOUNT_ID, OTHER_ACCOUNT_ID],
  access: { software_trust: ["SM_SIGNER"], account_manager: ["AM_VIEW_ONLY"] },
};

const expectedBody = {
  user_type: "service",
  friendly_name: "release-signing_bot",
  description: "Signs release builds",
  email: "platform-team@example.com",
  end_date: "2027-06-30",
  primary_account_id: ACCOUNT_ID,
  accounts: [ACCOUNT_ID, OTHER_ACCOUNT_ID],
  applications: [
    { id: SM_APP_ID, roles: [{ id: "role-sm-signer" }] },
    { id: AM_APP_ID, roles: [{ id: "role-am-view" }] },
  ],
};

function replyWithCatalogue(): void {
  harness.reply("GET", `${BASE}/role?application_code=software_trust&${page(0)}`, 200, softwareTrustRoles);
  harness.reply("GET", `${BASE}/role?application_code=account_manager&${page(0)}`, 200, accountManagerRoles);
}

function expectCommonHeaders(request: RecordedRequest): void {
  expect(request.headers["x-api-key"]).toBe(API_KEY);
  expect(request.headers["user-agent"]).toBe(USER_AGENT);
  expect(request.headers["accept"]).toBe("application/json");
}

function expectJsonBodyHeaders(request: RecordedRequest): void {
  expect(request.headers["content-type"]).toBe("application/json");
  const length = Buffer.byteLength(JSON.stringify(request.body));
  expect(request.headers["content-length"]).toBe(String(length));
}

describe("listAccounts", () => {
  test("sends GET with the API key", async () => {
    harness.reply("GET", `${BASE}/account?${page(0)}`, 200, []);
    await harness.client.listAccounts();
    expect(harness.requests).toHaveLength(1);
    const request = harness.requests[0];
    expect(request.method).toBe("GET");
    expect(request.path).toBe(`${BASE}/account?${page(0)}`);
    expectCommonHeaders(request);
    expect(request.headers["content-type"]).toBeUndefined();
    expect(request.body).toBeUndefined();
  });

  test("maps accounts and tolerates extra keys", async () => {
    harness.reply("GET", `${BASE}/account?${page(0)}`, 200, [
      {
        id: ACCOUNT_ID,
        name: "Main",
        active: true,
        service_period: { from: "2021-01-01", to: "2030-01-01" },
        friendly_identifier: "1234567",
        admins: [{ id: "a1" }],
        sign_in_methods: [
          {
            signInMethod: "standard",
            status: "enabled",
            mfaStatus: "disabled",
            clientAuthCertLoginEnabled: false,
            futureKey: 1,
          },
        ],
        locale: "en_US",
        brand_new_field: "ignored",
      },
      { id: OTHER_ACCOUNT_ID, name: "Old", active: false },
    ]);
    const accounts = await harness.client.listAccounts();
    expect(accounts).toEqual([
      { id: ACCOUNT_ID, name: "Main", active: true },
      { id: OTHER_ACCOUNT_ID, name: "Old", active: false },
    ]);
  });
});

describe("getAccount", () => {
  test("maps one account", async () => {
    harness.reply("GET", `${BASE}/account/${ACCOUNT_ID}`, 200, {
      id: ACCOUNT_ID,
      name: "Main",
      active: true,
    });
    const account = await harness.client.getAccount(ACCOUNT_ID);
    expect(account).toEqual({ id: ACCOUNT_ID, name: "Main", active: true });
    expectCommonHeaders(harness.requests[0]);
  });

  test("returns null on resource_not_found", async () => {
    harness.reply("GET", `${BASE}/account/missing`, 404, {
      errors: [{ code: "resource_not_found", message: "Account not found" }],
    });
    await expect(harness.client.getAccount("missing")).resolves.toBeNull();
  });

  test("throws on a 404 without the API code", async () => {
    harness.reply("GET", `${BASE}/account/missing`, 404, undefined);
    const error = await harness.client.getAccount("missing").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DigicertApiError);
    expect((error as DigicertApiError).code).toBe("http_404");
  });
});

describe("listRoles", () => {
  test("queries by application code", async () => {
    harness.reply("GET", `${BASE}/role?application_code=software_trust&${page(0)}`, 200, softwareTrustRoles);
    const roles = await harness.client.listRoles("software_trust");
    expect(harness.requests[0].path).toBe(`${BASE}/role?application_code=software_trust&${page(0)}`);
    expectCommonHeaders(harness.requests[0]);
    expect(roles).toEqual([
      {
        id: "role-sm-signer",
        code: "SM_SIGNER",
        name: "Signer",
        managerId: SM_APP_ID,
        managerCode: "software_trust",
        permissions: ["SIGN_SM_HASH"],
      },
      {
        id: "role-sm-viewer",
        code: "SM_VIEWER",
        name: "Viewer",
        managerId: SM_APP_ID,
        managerCode: "software_trust",
        permissions: ["VIEW_SM_CERTIFICATE"],
      },
    ]);
  });

  test("fills missing optional role fields", async () => {
    harness.reply("GET", `${BASE}/role?application_code=keylocker&${page(0)}`, 200, [
      { id: "r1", code: "KL_USER", application_id: "app-kl" },
    ]);
    const roles = await harness.client.listRoles("keylocker");
    expect(roles).toEqual([
      {
        id: "r1",
        code: "KL_USER",
        name: "KL_USER",
        managerId: "app-kl",
        managerCode: "keylocker",
        permissions: [],
      },
    ]);
  });

  test("returns empty for an unknown manager", async () => {
    harness.reply("GET", `${BASE}/role?application_code=nope&${page(0)}`, 404, {
      error: { code: "resource_not_found", message: "Unknown application" },
    });
    await expect(harness.client.listRoles("nope")).resolves.toEqual([]);
  });
});

describe("listServiceUsers", () => {
  test("filters by user type", async () => {
    harness.reply("GET", `${BASE}/user?user_type=service&${page(0)}`, 200, [wireUser()]);
    const users = await harness.client.listServiceUsers();
    expect(harness.requests[0].path).toBe(`${BASE}/user?user_type=service&${page(0)}`);
    expect(users).toHaveLength(1);
    expect(users[0].name).toBe("release-signing_bot");
  });

  test("skips users of another type", async () => {
    harness.reply("GET", `${BASE}/user?user_type=service&${page(0)}`, 200, [
      wireUser(),
      { id: "standard-1", user_type: "standard", first_name: "Ada" },
    ]);
    const users = await harness.client.listServiceUsers();
    expect(users.map((user) => user.id)).toEqual([USER_ID]);
  });
});

describe("list paging", () => {
  function users(from: number, count: number): Record<string, unknown>[] {
    return Array.from({ length: count }, (_, index) =>
      wireUser({ id: `user-${from + index}`, friendly_name: `bot-${from + index}` }),
    );
  }

  const usersPath = (offset: number) => `${BASE}/user?user_type=service&${page(offset)}`;

  test("pages a bare array until a short page", async () => {
    harness.reply("GET", usersPath(0), 200, users(0, 100));
    harness.reply("GET", usersPath(100), 200, users(100, 20));
    const result = await harness.client.listServiceUsers();
    expect(harness.requests.map((request) => request.path)).toEqual([usersPath(0), usersPath(100)]);
    expect(result).toHaveLength(120);
    expect(result[119].id).toBe("user-119");
  });

  test("pages the paged shape until total", async () => {
    harness.reply("GET", usersPath(0), 200, { total: 200, offset: 0, limit: 100, items: users(0, 100) });
    harness.reply("GET", usersPath(100), 200, { total: 200, offset: 100, limit: 100, items: users(100, 100) });
    const result = await harness.client.listServiceUsers();
    expect(harness.requests).toHaveLength(2);
    expect(result).toHaveLength(200);
  });

  test("stops at an empty page", async () => {
    harness.reply("GET", usersPath(0), 200, { items: users(0, 100) });
    harness.reply("GET", usersPath(100), 200, { items: [] });
    const result = await harness.client.listServiceUsers();
    expect(harness.requests).toHaveLength(2);
    expect(result).toHaveLength(100);
  });

  test("stops when paging is ignored", async () => {
    // An API that ignores offset returns the same full page again.
    harness.reply("GET", usersPath(0), 200, users(0, 100));
    harness.reply("GET", usersPath(100), 200, users(0, 100));
    const result = await harness.client.listServiceUsers();
    expect(harness.requests).toHaveLength(2);
    expect(result).toHaveLength(100);
    expect(harness.logLines.some((line) => line.includes("same page twice"))).toBe(true);
  });

  test("takes an oversized page as the whole list", async () => {
    harness.reply("GET", usersPath(0), 200, users(0, 150));
    const result = await harness.client.listServiceUsers();
    expect(harness.requests).toHaveLength(1);
    expect(result).toHaveLength(150);
  });
});

describe("getServiceUser", () => {
  test("maps the user", async () => {
    harness.reply("GET", `${BASE}/user/${USER_ID}`, 200, wireUser());
    const user = await harness.client.getServiceUser(USER_ID);
    expect(harness.requests[0].method).toBe("GET");
    expectCommonHeaders(harness.requests[0]);
    expect(user).toEqual({
      id: USER_ID,
      name: "release-signing_bot",
      description: "Signs release builds",
      email: "platform-team@example.com",
      status: "ACTIVE",
      primaryAccountId: ACCOUNT_ID,
      accountIds: [ACCOUNT_ID, OTHER_ACCOUNT_ID],
      expirationDate: "2027-06-30",
      createdAt: "2021-06-23T08:55:19Z",
      access: { software_trust: ["SM_SIGNER"] },
    });
  });

  test("returns null on resource_not_found", async () => {
    harness.reply("GET", `${BASE}/user/${USER_ID}`, 404, {
      errors: [{ code: "resource_not_found", message: "User not found" }],
    });
    await expect(harness.client.getServiceUser(USER_ID)).resolves.toBeNull();
  });

  test("returns null for a standard user", async () => {
    harness.reply("GET", `${BASE}/user/${USER_ID}`, 200, wireUser({ user_type: "standard" }));
    await expect(harness.client.getServiceUser(USER_ID)).resolves.toBeNull();
  });

  test("returns null for a standard user without service fields", async () => {
    const standardUser = {
      id: USER_ID,
      username: "jane.admin",
      first_name: "Jane",
      last_name: "Admin",
      email: "jane@example.com",
      status: "ACTIVE",
      user_type: "standard",
      primary_account_id: "acc-1",
      created_at: "2021-06-23T08:55:19Z",
    };
    harness.reply("GET", `${BASE}/user/${USER_ID}`, 200, standardUser);
    await expect(harness.client.getServiceUser(USER_ID)).resolves.toBeNull();
  });

  test("fills a missing manager code from the catalogue", async () => {
    harness.reply("GET", `${BASE}/role?application_code=software_trust&${page(0)}`, 200, softwareTrustRoles);
    harness.reply(
      "GET",
      `${BASE}/user/${USER_ID}`,
      200,
      wireUser({ applications: [{ id: SM_APP_ID, name: "Code signing", roles: [{ code: "SM_SIGNER" }] }] }),
    );
    await harness.client.listRoles("software_trust");
    const user = await harness.client.getServiceUser(USER_ID);
    expect(user?.access).toEqual({ software_trust: ["SM_SIGNER"] });
  });
});

describe("createServiceUser", () => {
  test("resolves codes and posts the body", async () => {
    replyWithCatalogue();
    harness.reply("POST", `${BASE}/user`, 201, { ...wireUser(), api_token: TOKEN });
    const created = await harness.client.createServiceUser(input);

    expect(harness.requests.map((request) => `${request.method} ${request.path}`)).toEqual([
      `GET ${BASE}/role?application_code=software_trust&${page(0)}`,
      `GET ${BASE}/role?application_code=account_manager&${page(0)}`,
      `POST ${BASE}/user`,
    ]);
    const post = harness.requests[2];
    expectCommonHeaders(post);
    expectJsonBodyHeaders(post);
    expect(post.body).toEqual(expectedBody);
    expect(created.token).toBe(TOKEN);
    expect(created.user.id).toBe(USER_ID);
    expect(created.user.access).toEqual({ software_trust: ["SM_SIGNER"] });
  });

  test.each(["api_token", "token", "api_key"])("reads the token from %s", async (field) => {
    replyWithCatalogue();
    harness.reply("POST", `${BASE}/user`, 201, { ...wireUser(), [field]: TOKEN });
    const created = await harness.client.createServiceUser(input);
    expect(created.token).toBe(TOKEN);
  });

  test("caches the role catalogue", async () => {
    replyWithCatalogue();
    harness.reply("POST", `${BASE}/user`, 201, { ...wireUser(), api_token: TOKEN });
    harness.reply("POST", `${BASE}/user`, 201, { ...wireUser({ id: "second" }), api_token: TOKEN });
    await harness.client.createServiceUser(input);
    await harness.client.createServiceUser({ ...input, name: "second" });
    const roleRequests = harness.requests.filter((request) => request.path.includes("/role?"));
    expect(roleRequests).toHaveLength(2);
    expect(harness.requests).toHaveLength(4);
  });

  test("rejects an unknown role code", async () => {
    harness.reply("GET", `${BASE}/role?application_code=software_trust&${page(0)}`, 200, softwareTrustRoles);
    const error = await harness.client
      .createServiceUser({ ...input, access: { software_trust: ["SM_ADMIN"] } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DigicertCatalogueError);
    const catalogueError = error as DigicertCatalogueError;
    expect(catalogueError.code).toBe("unknown_role");
    expect(catalogueError.managerCode).toBe("software_trust");
    expect(catalogueError.roleCode).toBe("SM_ADMIN");
    expect(catalogueError.validCodes).toEqual(["SM_SIGNER", "SM_VIEWER"]);
    expect(catalogueError.message).toBe(
      'Unknown role code "SM_ADMIN" for manager "software_trust". Valid role codes: SM_SIGNER, SM_VIEWER.',
    );
    expect(harness.requests.some((request) => request.method === "POST")).toBe(false);
  });

  test("rejects an unknown manager code", async () => {
    const notFound = { errors: [{ code: "resource_not_found", message: "Unknown application" }] };
    harness.reply("GET", `${BASE}/role?application_code=code_signing&${page(0)}`, 200, []);
    for (const code of ["account_manager", "software_trust"]) {
      const roles = code === "account_manager" ? accountManagerRoles : softwareTrustRoles;
      harness.reply("GET", `${BASE}/role?application_code=${code}&${page(0)}`, 200, roles);
    }
    for (const code of [
      "trust_lifecycle",
      "iot_trust",
      "document_trust",
      "device_trust",
      "ca_manager",
      "keylocker",
      "dns_trust",
      "content_trust",
    ]) {
      harness.reply("GET", `${BASE}/role?application_code=${code}&${page(0)}`, 404, notFound);
    }
    const error = await harness.client
      .createServiceUser({ ...input, access: { code_signing: ["SM_SIGNER"] } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DigicertCatalogueError);
    const catalogueError = error as DigicertCatalogueError;
    expect(catalogueError.code).toBe("unknown_manager");
    expect(catalogueError.managerCode).toBe("code_signing");
    expect(catalogueError.validCodes).toEqual(["account_manager", "software_trust"]);
    expect(catalogueError.message).toContain("Valid manager codes for this API key: account_manager, software_trust.");
  });
});

describe("updateServiceUser", () => {
  test("puts the full body", async () => {
    replyWithCatalogue();
    harness.reply("PUT", `${BASE}/user/${USER_ID}`, 200, wireUser({ end_date: null }));
    const user = await harness.client.updateServiceUser(USER_ID, { ...input, expirationDate: null });
    const put = harness.requests[2];
    expect(put.method).toBe("PUT");
    expect(put.path).toBe(`${BASE}/user/${USER_ID}`);
    expectCommonHeaders(put);
    expectJsonBodyHeaders(put);
    expect(put.body).toEqual({ ...expectedBody, end_date: null });
    expect(user.expirationDate).toBeNull();
  });

  test("reads the user after an empty response", async () => {
    replyWithCatalogue();
    harness.reply("PUT", `${BASE}/user/${USER_ID}`, 204);
    harness.reply("GET", `${BASE}/user/${USER_ID}`, 200, wireUser({ description: "new" }));
    const user = await harness.client.updateServiceUser(USER_ID, input);
    expect(harness.requests.map((request) => request.method)).toEqual(["GET", "GET", "PUT", "GET"]);
    expect(user.description).toBe("new");
  });
});

describe("disable and enable", () => {
  test("disable puts to the disable path", async () => {
    harness.reply("PUT", `${BASE}/user/${USER_ID}/disable`, 200, wireUser({ status: "DISABLED" }));
    const user = await harness.client.disableServiceUser(USER_ID);
    const request = harness.requests[0];
    expect(request.method).toBe("PUT");
    expectCommonHeaders(request);
    expect(request.body).toBeUndefined();
    expect(user.status).toBe("DISABLED");
  });

  test("enable puts to the enable path", async () => {
    harness.reply("PUT", `${BASE}/user/${USER_ID}/enable`, 200, wireUser({ status: "ACTIVE" }));
    const user = await harness.client.enableServiceUser(USER_ID);
    expect(harness.requests[0].path).toBe(`${BASE}/user/${USER_ID}/enable`);
    expect(user.status).toBe("ACTIVE");
  });

  test("disable reads the user after 204", async () => {
    harness.reply("PUT", `${BASE}/user/${USER_ID}/disable`, 204);
    harness.reply("GET", `${BASE}/user/${USER_ID}`, 200, wireUser({ status: "DISABLED" }));
    const user = await harness.client.disableServiceUser(USER_ID);
    expect(user.status).toBe("DISABLED");
  });
});

describe("deleteServiceUser", () => {
  test("sends DELETE", async () => {
    harness.reply("DELETE", `${BASE}/user/${USER_ID}`, 204);
    await harness.client.deleteServiceUser(USER_ID);
    expect(harness.requests[0].method).toBe("DELETE");
    expect(harness.requests[0].path).toBe(`${BASE}/user/${USER_ID}`);
    expectCommonHeaders(harness.requests[0]);
  });

  test("treats resource_not_found as done", async () => {
    harness.reply("DELETE", `${BASE}/user/${USER_ID}`, 404, {
      errors: [{ code: "resource_not_found", message: "User not found" }],
    });
    await expect(harness.client.deleteServiceUser(USER_ID)).resolves.toBeUndefined();
  });

  test("throws access_denied", async () => {
    harness.reply("DELETE", `${BASE}/user/${USER_ID}`, 403, {
      errors: [{ code: "access_denied", message: "Not allowed" }],
    });
    const error = await harness.client.deleteServiceUser(USER_ID).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DigicertApiError);
    expect((error as DigicertApiError).code).toBe("access_denied");
    expect((error as DigicertApiError).status).toBe(403);
  });
});

describe("request log", () => {
  test("logs method, path, status, duration and request id", async () => {
    harness.reply("GET", `${BASE}/user/${USER_ID}`, 200, wireUser(), { "x-request-id": "req-42" });
    await harness.client.getServiceUser(USER_ID);
    expect(harness.logLines).toHaveLength(1);
    const line = JSON.parse(harness.logLines[0]);
    expect(line["@level"]).toBe("debug");
    expect(line.method).toBe("GET");
    expect(line.path).toBe(`${BASE}/user/${USER_ID}`);
    expect(line.status).toBe(200);
    expect(typeof line.durationMs).toBe("number");
    expect(line.requestId).toBe("req-42");
    expect(line.host).toBe("digicert.test");
  });
});

describe("getServiceUser readAt", () => {
  test("parses the Date header", async () => {
    harness.reply("GET", `${BASE}/user/${USER_ID}`, 200, wireUser(), {
      date: "Fri, 04 Dec 2026 18:14:04 GMT",
    });
    const user = await harness.client.getServiceUser(USER_ID);

    expect(user?.readAt).toBe("2026-12-04T18:14:04Z");
  });

  test("is undefined without a Date header", async () => {
    harness.reply("GET", `${BASE}/user/${USER_ID}`, 200, wireUser());
    const user = await harness.client.getServiceUser(USER_ID);

    expect(user).not.toBeNull();
    expect(user?.readAt).toBeUndefined();
  });

  test("is undefined for an invalid Date header", async () => {
    harness.reply("GET", `${BASE}/user/${USER_ID}`, 200, wireUser(), { date: "yesterday" });
    const user = await harness.client.getServiceUser(USER_ID);

    expect(user?.readAt).toBeUndefined();
  });
});

describe("API tokens", () => {
  const TOKEN_ID = "8c1d2e3f-4a5b-4c6d-8e7f-901a2b3c4d5e";
  const tokensPath = (offset: number) =>
    `${BASE}/api-access-token?user_id=${USER_ID}&${page(offset)}`;

  function wireToken(overrides: object = {}): Record<string, unknown> {
    return {
      id: TOKEN_ID,
      user_id: USER_ID,
      name: "terraform rotation",
      created_at: "2027-01-10T08:00:00Z",
      end_date: "2027-01-11",
      status: "ACTIVE",
      ...overrides,
    };
  }

  /** Asserts that neither the log nor `error` quotes the token value. */
  function expectNoTokenIn(error?: unknown): void {
    expect(harness.logLines.join("\n")).not.toContain(TOKEN);
    if (error === undefined) return;
    expect(String(error)).not.toContain(TOKEN);
    expect(JSON.stringify(error)).not.toContain(TOKEN);
    if (error instanceof DigicertApiError) {
      expect(error.apiMessage ?? "").not.toContain(TOKEN);
    }
  }

  describe("listApiTokens", () => {
    test("queries by user id", async () => {
      harness.reply("GET", tokensPath(0), 200, [wireToken()]);
      const tokens = await harness.client.listApiTokens(USER_ID);
      const request = harness.requests[0];

      expect(request.method).toBe("GET");
      expect(request.path).toBe(tokensPath(0));
      expectCommonHeaders(request);
      expect(request.body).toBeUndefined();
      expect(tokens).toEqual([
        {
          id: TOKEN_ID,
          userId: USER_ID,
          name: "terraform rotation",
          createdAt: "2027-01-10T08:00:00Z",
          endDate: "2027-01-11",
        },
      ]);
    });

    test("fills missing optional fields", async () => {
      harness.reply("GET", tokensPath(0), 200, {
        items: [
          { id: "t1", created_at: "2027-01-10T08:00:00Z" },
          { id: "t2", created_at: "2027-01-10T08:00:00Z", end_date: "2027-01-11T23:59:59Z" },
        ],
      });
      const tokens = await harness.client.listApiTokens(USER_ID);

      expect(tokens).toEqual([
        { id: "t1", userId: USER_ID, name: "", createdAt: "2027-01-10T08:00:00Z", endDate: null },
        { id: "t2", userId: USER_ID, name: "", createdAt: "2027-01-10T08:00:00Z", endDate: "2027-01-11" },
      ]);
    });

    test("pages until a short page", async () => {
      const tokens = (from: number, count: number) =>
        Array.from({ length: count }, (_, index) => wireToken({ id: `t${from + index}` }));
      harness.reply("GET", tokensPath(0), 200, tokens(0, 100));
      harness.reply("GET", tokensPath(100), 200, tokens(100, 3));
      const result = await harness.client.listApiTokens(USER_ID);

      expect(harness.requests.map((request) => request.path)).toEqual([
        tokensPath(0),
        tokensPath(100),
      ]);
      expect(result).toHaveLength(103);
    });

    test("encodes the user id", async () => {
      harness.reply("GET", `${BASE}/api-access-token?user_id=a%26b&${page(0)}`, 200, []);

      await expect(harness.client.listApiTokens("a&b")).resolves.toEqual([]);
    });

    test("throws on a token without id", async () => {
      harness.reply("GET", tokensPath(0), 200, [{ created_at: "2027-01-10T08:00:00Z" }]);
      const error = await harness.client.listApiTokens(USER_ID).catch((e: unknown) => e);

      expect(error).toBeInstanceOf(DigicertResponseError);
      expect((error as Error).message).toContain("[0].id");
    });
  });

  describe("createApiToken", () => {
    const createPath = `${BASE}/api-access-token`;

    test("posts user id and name", async () => {
      harness.reply("POST", createPath, 201, { ...wireToken({ end_date: null }), api_token: TOKEN });
      const issued = await harness.client.createApiToken(USER_ID, "terraform rotation");
      const post = harness.requests[0];

      expect(post.method).toBe("POST");
      expect(post.path).toBe(createPath);
      expectCommonHeaders(post);
      expectJsonBodyHeaders(post);
      expect(post.body).toEqual({ user_id: USER_ID, name: "terraform rotation" });
      expect(issued).toEqual({
        token: TOKEN,
        apiToken: {
          id: TOKEN_ID,
          userId: USER_ID,
          name: "terraform rotation",
          createdAt: "2027-01-10T08:00:00Z",
          endDate: null,
        },
      });
      expectNoTokenIn();
    });

    test.each(["api_token", "token", "api_key"])("reads the token from %s", async (field) => {
      harness.reply("POST", createPath, 201, { ...wireToken(), [field]: TOKEN });
      const issued = await harness.client.createApiToken(USER_ID, "rotation");

      expect(issued.token).toBe(TOKEN);
    });

    test("keeps a token without details", async () => {
      harness.reply(
        "POST",
        createPath,
        201,
        { id: TOKEN_ID, api_token: TOKEN, created_at: 1767139200 },
        { date: "Sun, 10 Jan 2027 08:00:05 GMT" },
      );
      const issued = await harness.client.createApiToken(USER_ID, "rotation");
      const warnings = harness.logLines.filter((line) => line.includes('"@level":"warn"'));

      expect(issued).toEqual({
        token: TOKEN,
        apiToken: {
          id: TOKEN_ID,
          userId: USER_ID,
          name: "rotation",
          createdAt: "2027-01-10T08:00:05Z",
          endDate: null,
        },
      });
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toContain("API token response lacks token details");
      expect(warnings[0]).toContain("created_at");
      expectNoTokenIn();
    });

    test("missing token value is an error", async () => {
      harness.reply("POST", createPath, 201, wireToken());
      const error = await harness.client
        .createApiToken(USER_ID, "rotation")
        .catch((e: unknown) => e);

      expect(error).toBeInstanceOf(DigicertResponseError);
      expect((error as Error).message).toContain("api_token | token | api_key");
    });

    test("token of the wrong type is not quoted", async () => {
      const numericToken = 98765432109876543210;
      harness.reply("POST", createPath, 201, { ...wireToken(), api_token: numericToken });
      const error = await harness.client
        .createApiToken(USER_ID, "rotation")
        .catch((e: unknown) => e);

      expect(error).toBeInstanceOf(DigicertResponseError);
      expect((error as Error).message).not.toContain("987654321");
    });

    test("error message redacts the token", async () => {
      harness.reply("POST", createPath, 500, {
        errors: [{ code: "internal_error", message: `Could not store token ${TOKEN} for user.` }],
      });
      const error = await harness.client
        .createApiToken(USER_ID, "rotation")
        .catch((e: unknown) => e);

      expect(error).toBeInstanceOf(DigicertApiError);
      expect((error as DigicertApiError).code).toBe("internal_error");
      expect((error as DigicertApiError).apiMessage).toBe(
        "Could not store token <redacted> for user.",
      );
      expectNoTokenIn(error);
    });

    test("text error body is not quoted", async () => {
      harness.reply("POST", createPath, 502, `<html><body>Bad gateway ${TOKEN}</body></html>`);
      const error = await harness.client
        .createApiToken(USER_ID, "rotation")
        .catch((e: unknown) => e);

      expect(error).toBeInstanceOf(DigicertApiError);
      expect((error as DigicertApiError).code).toBe("http_502");
      expect((error as DigicertApiError).apiMessage).toBeUndefined();
      expectNoTokenIn(error);
    });

    test("aborted signal sends nothing", async () => {
      const controller = new AbortController();
      controller.abort();
      // No reply is registered, so a request sent anyway fails as not matched.
      const error = await harness.client
        .createApiToken(USER_ID, "rotation", controller.signal)
        .catch((e: unknown) => e);

      expect(error).toBe(controller.signal.reason);
      expect(harness.requests).toEqual([]);
    });

    test("abort after sending keeps the token", async () => {
      const controller = new AbortController();
      harness.reply("POST", createPath, 201, { ...wireToken(), api_token: TOKEN }, {}, 50);
      const pending = harness.client.createApiToken(USER_ID, "rotation", controller.signal);
      setTimeout(() => controller.abort(), 10);

      await expect(pending).resolves.toMatchObject({ token: TOKEN });
    });
  });

  describe("setApiTokenEndDate", () => {
    test("puts the end date", async () => {
      harness.reply("PUT", `${BASE}/api-access-token/${TOKEN_ID}`, 200, wireToken());
      await harness.client.setApiTokenEndDate(TOKEN_ID, "2027-01-11");
      const put = harness.requests[0];

      expect(put.method).toBe("PUT");
      expect(put.path).toBe(`${BASE}/api-access-token/${TOKEN_ID}`);
      expectCommonHeaders(put);
      expectJsonBodyHeaders(put);
      expect(put.body).toEqual({ end_date: "2027-01-11" });
    });

    test("accepts an empty response", async () => {
      harness.reply("PUT", `${BASE}/api-access-token/${TOKEN_ID}`, 204);

      await expect(
        harness.client.setApiTokenEndDate(TOKEN_ID, "2027-01-11"),
      ).resolves.toBeUndefined();
    });

    test("encodes the token id", async () => {
      harness.reply("PUT", `${BASE}/api-access-token/a%2Fb`, 200, wireToken());
      await harness.client.setApiTokenEndDate("a/b", "2027-01-11");

      expect(harness.requests[0].path).toBe(`${BASE}/api-access-token/a%2Fb`);
    });

    test("throws resource_not_found", async () => {
      harness.reply("PUT", `${BASE}/api-access-token/${TOKEN_ID}`, 404, {
        errors: [{ code: "resource_not_found", message: "No API token with this id exists." }],
      });
      const error = await harness.client
        .setApiTokenEndDate(TOKEN_ID, "2027-01-11")
        .catch((e: unknown) => e);

      expect(error).toBeInstanceOf(DigicertApiError);
      expect((error as DigicertApiError).code).toBe("resource_not_found");
      expect((error as DigicertApiError).method).toBe("PUT");
    });
  });

  describe("deleteApiToken", () => {
    test("sends DELETE", async () => {
      harness.reply("DELETE", `${BASE}/api-access-token/${TOKEN_ID}`, 204);
      await harness.client.deleteApiToken(TOKEN_ID);
      const request = harness.requests[0];

      expect(request.method).toBe("DELETE");
      expect(request.path).toBe(`${BASE}/api-access-token/${TOKEN_ID}`);
      expectCommonHeaders(request);
      expect(request.body).toBeUndefined();
    });

    test("treats resource_not_found as done", async () => {
      harness.reply("DELETE", `${BASE}/api-access-token/${TOKEN_ID}`, 404, {
        errors: [{ code: "resource_not_found", message: "No API token with this id exists." }],
      });

      await expect(harness.client.deleteApiToken(TOKEN_ID)).resolves.toBeUndefined();
      expect(harness.logLines.join("\n")).toContain(
        "API token not found on delete; treating it as revoked",
      );
    });

    test("throws on a 404 without the API code", async () => {
      harness.reply("DELETE", `${BASE}/api-access-token/${TOKEN_ID}`, 404, "Not Found");
      const error = await harness.client.deleteApiToken(TOKEN_ID).catch((e: unknown) => e);

      expect(error).toBeInstanceOf(DigicertApiError);
      expect((error as DigicertApiError).code).toBe("http_404");
    });

    test("throws access_denied", async () => {
      harness.reply("DELETE", `${BASE}/api-access-token/${TOKEN_ID}`, 403, {
        errors: [{ code: "access_denied", message: "Not allowed" }],
      });
      const error = await harness.client.deleteApiToken(TOKEN_ID).catch((e: unknown) => e);

      expect(error).toBeInstanceOf(DigicertApiError);
      expect((error as DigicertApiError).code).toBe("access_denied");
      expect((error as DigicertApiError).status).toBe(403);
    });
  });
});
