// Apply (create, update, delete), read and import of digicertone_service_user
// against an in-memory DigiCert ONE client (see
// support/fake-service-user-client.ts).

import {
  DigicertApiError,
  DigicertCatalogueError,
  DigicertIncompleteCreateError,
  DigicertNetworkError,
  DigicertResponseError,
} from "../../provider/src/digicert/errors";
import {
  isUnknown,
  path,
  unknown,
  type Diagnostic,
  type ObjectValue,
} from "../../provider/src/framework/types";
import { containsUnknown, valuesEqual } from "../../provider/src/framework/values";
import { createLogger } from "../../provider/src/log";
import { createServiceUserResource } from "../../provider/src/resources/service-user";
import {
  SERVICE_USER_ATTRIBUTE_TYPES,
  serviceUserSchema,
} from "../../provider/src/resources/service-user/schema";
import {
  accessFromState,
  accessToState,
} from "../../provider/src/resources/service-user/state";
import {
  apiError,
  CREATED_AT,
  FakeDigicertClient,
  TOKEN,
} from "./support/fake-service-user-client";

const NOW = new Date("2026-12-04T12:00:00Z");
let logLines: string[];
let client: FakeDigicertClient;
let resource: ReturnType<typeof createServiceUserResource>;
const context = { signal: new AbortController().signal };

beforeEach(() => {
  logLines = [];
  client = new FakeDigicertClient();
  resource = createServiceUserResource({
    now: () => NOW,
    logger: createLogger("test", {}, (line) => logLines.push(line)),
  });
});

function config(overrides: ObjectValue = {}): ObjectValue {
  return {
    id: null,
    name: "release bot",
    description: null,
    email: "platform-team@example.com",
    expiration_date: "2027-06-30",
    expires_at: null,
    account_ids: ["acc-b", "acc-a"],
    primary_account_id: null,
    access: { software_trust: { roles: ["SM_SIGNER", "SM_VIEWER"] } },
    status: null,
    created_at: null,
    token: null,
    ...overrides,
  };
}

async function planFor(cfg: ObjectValue, prior: ObjectValue | null): Promise<ObjectValue> {
  const proposed: ObjectValue = { ...cfg };
  for (const [name, attribute] of Object.entries(serviceUserSchema.block.attributes)) {
    if (attribute.computed && cfg[name] === null) {
      proposed[name] = prior === null ? null : prior[name];
    }
  }
  const response = await resource.plan(
    { prior, proposed, config: cfg, priorPrivate: new Uint8Array() },
    undefined,
    context,
  );
  expect(response.diagnostics).toEqual([]);
  return response.planned!;
}

async function apply(
  prior: ObjectValue | null,
  planned: ObjectValue | null,
  signal = context.signal,
) {
  return resource.apply(
    { prior, planned, config: planned, plannedPrivate: new Uint8Array() },
    client,
    { signal },
  );
}

async function create(cfg = config()): Promise<ObjectValue> {
  const planned = await planFor(cfg, null);
  const response = await apply(null, planned);
  expect(response.diagnostics).toEqual([]);
  return response.newState!;
}

/** Asserts that every known planned value came back unchanged (sets as sets). */
function expectKeepsPlannedValues(planned: ObjectValue, state: ObjectValue): void {
  for (const name of Object.keys(serviceUserSchema.block.attributes)) {
    if (containsUnknown(planned[name])) continue;
    const equal = valuesEqual(planned[name], state[name], SERVICE_USER_ATTRIBUTE_TYPES[name]);
    expect({ name, equal }).toEqual({ name, equal: true });
  }
}

function expectWhollyKnown(state: ObjectValue): void {
  for (const name of Object.keys(serviceUserSchema.block.attributes)) {
    expect({ name, known: !containsUnknown(state[name] === undefined ? unknown : state[name]) }).toEqual({
      name,
      known: true,
    });
  }
}

function allText(diagnostics: Diagnostic[] | undefined): string {
  return JSON.stringify(diagnostics ?? []) + logLines.join("\n");
}

describe("service user create", () => {
  test("state keeps planned values", async () => {
    const planned = await planFor(config(), null);
    const { newState, diagnostics } = await apply(null, planned);

    expect(diagnostics).toEqual([]);
    expectKeepsPlannedValues(planned, newState!);
    expectWhollyKnown(newState!);
  });

  test("state holds computed values and token", async () => {
    const state = await create();

    expect(state.id).toBe("user-1");
    expect(state.status).toBe("ACTIVE");
    expect(state.created_at).toBe(CREATED_AT);
    expect(state.token).toBe(TOKEN);
    expect(state.primary_account_id).toBe("acc-a");
    expect(state.expires_at).toBe("2027-06-30T23:59:59Z");
    expect(state.description).toBe("");
  });

  test("input carries every planned field", async () => {
    await create(config({ description: "Signs builds" }));

    expect(client.calls[0]).toEqual({
      method: "create",
      input: {
        name: "release bot",
        description: "Signs builds",
        email: "platform-team@example.com",
        expirationDate: "2027-06-30",
        primaryAccountId: "acc-a",
        accountIds: ["acc-b", "acc-a"],
        access: { software_trust: ["SM_SIGNER", "SM_VIEWER"] },
      },
    });
  });

  test("no expiration date creates null expires_at", async () => {
    const state = await create(config({ expiration_date: null }));

    expect(state.expiration_date).toBeNull();
    expect(state.expires_at).toBeNull();
  });

  test("duplicate name reports duplicate_error", async () => {
    client.failNext = apiError("duplicate_error", 409, "A user with this name already exists");
    const planned = await planFor(config(), null);
    const { newState, diagnostics } = await apply(null, planned);
    const [diagnostic] = diagnostics!;

    expect(newState).toBeNull();
    expect(diagnostics).toHaveLength(1);
    expect(diagnostic.severity).toBe("error");
    expect(diagnostic.summary).toBe('Failed to create service user "release bot"');
    expect(diagnostic.detail).toContain("duplicate_error");
    expect(diagnostic.detail).toContain("A user with this name already exists");
    expect(diagnostic.detail).toContain("req-42");
    expect(diagnostic.detail).toContain("terraform import <resource address> <service user id>");
  });

  test("duplicate name advises on create_before_destroy", async () => {
    client.failNext = apiError("duplicate_error", 409);
    const planned = await planFor(config(), null);
    const { diagnostics } = await apply(null, planned);
    const detail = diagnostics![0].detail;

    expect(detail).toContain("Service user names are unique in DigiCert ONE");
    expect(detail).toContain(
      "Remove create_before_destroy from the resource's lifecycle block, so that Terraform destroys the old service user first, or change name",
    );
    expect(detail).toContain("set name to another value");
    expect(detail).not.toContain("friendly_name");
  });

  test("duplicate name fills in the existing id", async () => {
    const existing = await create(config({ name: "Release Bot" }));
    client.failNext = apiError("duplicate_error", 409);
    const planned = await planFor(config(), null);
    const { diagnostics } = await apply(null, planned);
    const detail = diagnostics![0].detail;

    expect(existing.id).toBe("user-1");
    expect(detail).toContain('A service user with the name "release bot" (id user-1) already exists.');
    expect(detail).toContain("\n\n  terraform import <resource address> user-1");
    expect(detail).not.toContain("<service user id>");
  });

  test("failed duplicate lookup keeps the placeholder", async () => {
    await create(config({ name: "Release Bot" }));
    client.listServiceUsers = async () => {
      throw apiError("access_denied", 403);
    };
    client.failNext = apiError("duplicate_error", 409);
    const planned = await planFor(config(), null);
    const { diagnostics } = await apply(null, planned);

    expect(diagnostics).toHaveLength(1);
    expect(diagnostics![0].detail).toContain("terraform import <resource address> <service user id>");
    expect(logLines.join("\n")).toContain("Looking up the service user that has the name failed");
  });

  test("duplicate rename has no replacement advice", async () => {
    const prior = await create();
    await create(config({ name: "other bot" }));
    client.failNext = apiError("duplicate_error", 409);
    const planned = await planFor(config({ name: "Other Bot" }), prior);
    const { diagnostics } = await apply(prior, planned);
    const detail = diagnostics![0].detail;

    expect(detail).not.toContain("create_before_destroy");
    expect(detail).toContain("Set name to another value");
    expect(detail).toContain("terraform import <resource address> user-2");
  });

  test("invalid_request names the Terraform attribute", async () => {
    client.failNext = apiError(
      "invalid_request",
      400,
      'end_date "2026-12-01" is before today (2026-12-04 UTC). accounts[0] "x" is not a known account.',
    );
    const planned = await planFor(config(), null);
    const { diagnostics } = await apply(null, planned);

    expect(diagnostics![0].detail).toContain(
      "Correct expiration_date and account_ids in the configuration and apply again.",
    );
  });

  test("response without API code names the server", async () => {
    client.failNext = new DigicertApiError({
      status: 404,
      code: "http_404",
      apiMessage: "Error response Error code: 404 Message: File not found.",
      method: "GET",
      path: "/account/api/v1/role?application_code=software_trust&offset=0&limit=100",
      origin: "http://127.0.0.1:8000",
    });
    const planned = await planFor(config(), null);
    const { diagnostics } = await apply(null, planned);
    const detail = diagnostics![0].detail;

    expect(detail).toContain(
      "The server at http://127.0.0.1:8000 returned HTTP 404 to GET /account/api/v1/role?application_code=software_trust&offset=0&limit=100 without a DigiCert ONE error code",
    );
    expect(detail).toContain("did not answer as the DigiCert ONE Account Manager API, which serves paths under /account/api/v1/.");
    expect(detail).toContain("url in the provider block (or the DIGICERT_ONE_URL environment variable)");
    expect(detail.split("File not found").length).toBe(2);
    expect(detail).not.toContain("request id");
    expect(detail).not.toContain("Request id");
    expect(detail).not.toContain("http_404");
  });

  test("gateway error without request id", async () => {
    client.failNext = new DigicertApiError({
      status: 502,
      code: "http_502",
      apiMessage: "502 Bad Gateway nginx",
      method: "GET",
      path: "/account/api/v1/user/u1",
      origin: "https://one.digicert.com",
    });
    const planned = await planFor(config(), null);
    const { diagnostics } = await apply(null, planned);
    const detail = diagnostics![0].detail;

    expect(detail).toContain("The server at https://one.digicert.com returned HTTP 502");
    expect(detail).toContain("Try again later.");
    expect(detail).toContain("If the error persists, check that url");
    expect(detail).not.toContain("request id");
  });

  test.each([
    [undefined, "contact DigiCert support."],
    ["req-9", "contact DigiCert support with the request id."],
  ])("server error with request id %s", async (requestId, advice) => {
    client.failNext = new DigicertApiError({
      status: 500,
      code: "internal_error",
      apiMessage: "boom",
      requestId,
      method: "POST",
      path: "/account/api/v1/user",
    });
    const planned = await planFor(config(), null);
    const { diagnostics } = await apply(null, planned);

    expect(diagnostics![0].detail).toContain(advice);
  });

  test.each([
    ["access_denied", 403, "Manage users"],
    ["invalid_api_key", 401, "DIGICERT_ONE_API_KEY"],
    ["invalid_request", 400, "Correct the value that the message names"],
    ["http_503", 503, "Try again later"],
  ])("%s gives its advice", async (code, status, advice) => {
    client.failNext = apiError(code, status);
    const planned = await planFor(config(), null);
    const { newState, diagnostics } = await apply(null, planned);

    expect(newState).toBeNull();
    expect(diagnostics![0].detail).toContain(code);
    expect(diagnostics![0].detail).toContain(advice);
  });

  test.each([
    ["a 502 page", () => apiError("http_502", 502, "")],
    [
      "a reset connection",
      () =>
        new DigicertNetworkError({
          code: "connection_reset",
          host: "127.0.0.1:1",
          method: "POST",
          path: "/account/api/v1/user",
          cause: new Error("ECONNRESET"),
        }),
    ],
    [
      "a response that is not JSON",
      () =>
        new DigicertResponseError({
          method: "POST",
          path: "/account/api/v1/user",
          field: "(response body)",
          expected: "JSON",
          received: "text that is not JSON",
        }),
    ],
  ])("create failing with %s warns of a partial create", async (_title, makeError) => {
    client.failNext = makeError();
    const planned = await planFor(config(), null);
    const { newState, diagnostics } = await apply(null, planned);

    expect(newState).toBeNull();
    expect(diagnostics![0].detail).toContain("may have created the service user");
    expect(diagnostics![0].detail).toContain('"release bot"');
    expect(diagnostics![0].detail).toContain("terraform import");
  });

  test("refused connection has no partial create warning", async () => {
    client.failNext = new DigicertNetworkError({
      code: "connection_refused",
      host: "127.0.0.1:1",
      method: "POST",
      path: "/account/api/v1/user",
      cause: new Error("ECONNREFUSED"),
    });
    const planned = await planFor(config(), null);
    const { diagnostics } = await apply(null, planned);

    expect(diagnostics![0].detail).not.toContain("may have created");
  });

  test.each([
    ["connect_timeout", 10_000, "No connection to one.digicert.com was established within 10 seconds.", "no firewall or proxy"],
    ["headers_timeout", 30_000, "accepted the connection but sent no response within 30 seconds.", "never replies"],
    ["body_timeout", 30_000, "then no more data for 30 seconds.", "Check the network between this machine and one.digicert.com"],
  ] as const)("%s says what to check", async (code, timeoutMs, wait, advice) => {
    client.failNext = new DigicertNetworkError({
      code,
      host: "one.digicert.com",
      method: "GET",
      path: "/account/api/v1/role",
      timeoutMs,
      cause: new Error(code),
    });
    const planned = await planFor(config(), null);
    const { diagnostics } = await apply(null, planned);
    const detail = diagnostics![0].detail;

    expect(detail).toContain(wait);
    expect(detail).toContain(advice);
    expect(detail).not.toContain(" ms");
    expect(detail).not.toContain("timeouts.");
  });

  test("network error names the url", async () => {
    client.failNext = new DigicertNetworkError({
      code: "connection_refused",
      host: "127.0.0.1:1",
      method: "POST",
      path: "/account/api/v1/user",
      cause: new Error("ECONNREFUSED"),
    });
    const planned = await planFor(config(), null);
    const { diagnostics } = await apply(null, planned);

    expect(diagnostics![0].detail).toContain("refused the connection");
    expect(diagnostics![0].detail).toContain("DIGICERT_ONE_URL");
  });

  test("unknown role lists valid codes", async () => {
    client.failNext = new DigicertCatalogueError({
      code: "unknown_role",
      managerCode: "software_trust",
      roleCode: "SM_VIEWER",
      validCodes: ["SM_SIGNER", "SM_ADMIN"],
    });
    const planned = await planFor(config(), null);
    const { diagnostics } = await apply(null, planned);
    const [diagnostic] = diagnostics!;

    expect(diagnostic.path).toEqual(path("access", { key: "software_trust" }));
    expect(diagnostic.detail).toContain('"SM_VIEWER"');
    expect(diagnostic.detail).toContain('"SM_SIGNER" and "SM_ADMIN"');
  });

  test("unknown manager lists valid codes", async () => {
    client.failNext = new DigicertCatalogueError({
      code: "unknown_manager",
      managerCode: "software_trust",
      validCodes: ["account_manager"],
    });
    const planned = await planFor(config(), null);
    const { diagnostics } = await apply(null, planned);
    const [diagnostic] = diagnostics!;

    expect(diagnostic.path).toEqual(path("access", { key: "software_trust" }));
    expect(diagnostic.detail).toContain('"account_manager"');
  });

  test("changed value keeps state and token", async () => {
    client.transform = (user) => ({ ...user, email: user.email.toUpperCase() });
    const planned = await planFor(config(), null);
    const { newState, diagnostics } = await apply(null, planned);
    const [diagnostic] = diagnostics!;

    expect(newState!.token).toBe(TOKEN);
    expect(newState!.id).toBe("user-1");
    expect(newState!.email).toBe("PLATFORM-TEAM@EXAMPLE.COM");
    expect(diagnostics).toHaveLength(1);
    expect(diagnostic.severity).toBe("error");
    expect(diagnostic.path).toEqual(path("email"));
    expect(diagnostic.detail).toContain('"PLATFORM-TEAM@EXAMPLE.COM"');
  });

  test("unreadable create response keeps id and token", async () => {
    client.failNext = new DigicertIncompleteCreateError({
      userId: "user-9",
      token: TOKEN,
      cause: new DigicertResponseError({
        method: "POST",
        path: "/account/api/v1/user",
        field: "created_at",
        expected: "string",
        received: "number",
      }),
    });
    const planned = await planFor(config(), null);
    const { newState, diagnostics } = await apply(null, planned);

    expect(newState!.id).toBe("user-9");
    expect(newState!.token).toBe(TOKEN);
    expect(newState!.name).toBe("release bot");
    expect(newState!.status).toBeNull();
    expect(containsUnknown(newState!)).toBe(false);
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics![0].severity).toBe("error");
    expect(diagnostics![0].detail).toContain("user-9");
    expect(diagnostics![0].detail).toContain('"created_at"');
    expect(diagnostics![0].detail).toContain("tainted");
    expect(allText(diagnostics)).not.toContain(TOKEN);
  });

  test("create response without token keeps the id", async () => {
    client.failNext = new DigicertIncompleteCreateError({
      userId: "user-9",
      token: undefined,
      cause: new DigicertResponseError({
        method: "POST",
        path: "/account/api/v1/user",
        field: "api_token | token | api_key",
        expected: "a non-empty string (the one-time API token)",
        received: "missing",
      }),
    });
    const planned = await planFor(config(), null);
    const { newState, diagnostics } = await apply(null, planned);

    expect(newState!.id).toBe("user-9");
    expect(newState!.token).toBeNull();
    expect(containsUnknown(newState!)).toBe(false);
    expect(diagnostics![0].detail).toContain("no token");
  });

  test("cancelled create warns about a partial create", async () => {
    const controller = new AbortController();
    controller.abort();
    const planned = await planFor(config(), null);
    const { newState, diagnostics } = await apply(null, planned, controller.signal);

    expect(newState).toBeNull();
    expect(diagnostics![0].detail).toContain("cancelled");
    expect(diagnostics![0].detail).toContain("terraform import");
  });

  test("unknown planned value is rejected", async () => {
    const planned = await planFor(config(), null);
    const { newState, diagnostics } = await apply(null, { ...planned, name: unknown });

    expect(newState).toBeNull();
    expect(diagnostics![0].detail).toContain("name is still unknown");
    expect(client.calls).toEqual([]);
  });

  test("token and values stay out of logs", async () => {
    await create();

    expect(logLines.length).toBeGreaterThan(0);
    expect(logLines.join("\n")).not.toContain(TOKEN);
    expect(logLines.join("\n")).not.toContain("platform-team@example.com");
    expect(logLines.join("\n")).toContain("user-1");
  });
});

describe("service user update", () => {
  test("state keeps planned values and token", async () => {
    const prior = await create();
    const planned = await planFor(
      config({ name: "release bot 2", account_ids: ["acc-a", "acc-c"] }),
      prior,
    );
    const { newState, diagnostics } = await apply(prior, planned);

    expect(diagnostics).toEqual([]);
    expectKeepsPlannedValues(planned, newState!);
    expect(newState!.token).toBe(TOKEN);
    expect(newState!.name).toBe("release bot 2");
  });

  test("input carries every mutable field", async () => {
    const prior = await create();
    const planned = await planFor(
      config({ description: "New", email: "ops@example.com", expiration_date: null }),
      prior,
    );
    await apply(prior, planned);

    expect(client.calls.find((call) => call.method === "update")).toEqual({
      method: "update",
      id: "user-1",
      input: {
        name: "release bot",
        description: "New",
        email: "ops@example.com",
        expirationDate: null,
        primaryAccountId: "acc-a",
        accountIds: ["acc-b", "acc-a"],
        access: { software_trust: ["SM_SIGNER", "SM_VIEWER"] },
      },
    });
  });

  test("new expiration date reads status", async () => {
    const prior = await create();
    client.users.get("user-1")!.status = "EXPIRED";
    const planned = await planFor(config({ expiration_date: "2028-01-31" }), prior);
    const { newState } = await apply(prior, planned);

    expect(newState!.status).toBe("ACTIVE");
    expect(newState!.expires_at).toBe("2028-01-31T23:59:59Z");
  });

  test("update error keeps prior state", async () => {
    const prior = await create();
    client.failNext = apiError("invalid_request", 400, "email is invalid");
    const planned = await planFor(config({ email: "ops@example.com" }), prior);
    const { newState, diagnostics } = await apply(prior, planned);

    expect(newState).toBe(prior);
    expect(diagnostics![0].summary).toBe('Failed to update service user "release bot"');
    expect(diagnostics![0].detail).toContain("email is invalid");
  });

  test("user gone during update says so", async () => {
    const prior = await create();
    client.users.clear();
    const planned = await planFor(config({ email: "ops@example.com" }), prior);
    const { diagnostics } = await apply(prior, planned);

    expect(diagnostics![0].detail).toContain("no longer exists");
  });
});

describe("service user delete", () => {
  test("delete returns null state", async () => {
    const prior = await create();
    const { newState, diagnostics } = await apply(prior, null);

    expect(newState).toBeNull();
    expect(diagnostics ?? []).toEqual([]);
    expect(client.users.size).toBe(0);
  });

  test("already deleted user is fine", async () => {
    const prior = await create();
    client.users.clear();
    const { newState, diagnostics } = await apply(prior, null);

    expect(newState).toBeNull();
    expect(diagnostics ?? []).toEqual([]);
  });

  test("delete error keeps prior state", async () => {
    const prior = await create();
    client.failNext = apiError("access_denied", 403);
    const { newState, diagnostics } = await apply(prior, null);

    expect(newState).toBe(prior);
    expect(diagnostics![0].summary).toBe('Failed to delete service user "release bot"');
    expect(diagnostics![0].detail).toContain("Manage users");
  });
});

describe("service user read", () => {
  test("read keeps the token", async () => {
    const prior = await create();
    const { state, diagnostics } = await resource.read(
      { state: prior, private: new Uint8Array() },
      client,
      context,
    );

    expect(diagnostics ?? []).toEqual([]);
    expect(state!.token).toBe(TOKEN);
    expectKeepsPlannedValues(prior, state!);
  });

  test("read reports changes made outside Terraform", async () => {
    const prior = await create();
    const stored = client.users.get("user-1")!;
    stored.name = "renamed bot";
    stored.status = "DISABLED";
    stored.expirationDate = null;
    const { state } = await resource.read(
      { state: prior, private: new Uint8Array() },
      client,
      context,
    );

    expect(state!.name).toBe("renamed bot");
    expect(state!.status).toBe("DISABLED");
    expect(state!.expires_at).toBeNull();
  });

  test("deleted user reads as null", async () => {
    const prior = await create();
    client.users.clear();
    const { state, diagnostics } = await resource.read(
      { state: prior, private: new Uint8Array() },
      client,
      context,
    );

    expect(state).toBeNull();
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics![0].severity).toBe("warning");
    expect(diagnostics![0].detail).toContain("a new API token");
  });

  test("read error keeps state", async () => {
    const prior = await create();
    client.failNext = apiError("invalid_api_key", 401);
    const { state, diagnostics } = await resource.read(
      { state: prior, private: new Uint8Array() },
      client,
      context,
    );

    expect(state).toBe(prior);
    expect(diagnostics![0].summary).toBe('Failed to read service user "release bot"');
    expect(allText(diagnostics)).not.toContain(TOKEN);
  });
});

describe("service user import", () => {
  const IMPORT_UUID = "7e6d1c52-5f0f-4c8e-9a51-2d2b8e1f3a10";

  test("import sets only the id", async () => {
    const response = await resource.import!({ id: IMPORT_UUID }, client, context);
    const [{ state }] = response.imported;

    expect(state.id).toBe(IMPORT_UUID);
    // The overlap is a setting DigiCert ONE does not store: it gets its default.
    expect(state.token_overlap_days).toBe(1);
    for (const [name, value] of Object.entries(state)) {
      if (name !== "id" && name !== "token_overlap_days") {
        expect({ name, value }).toEqual({ name, value: null });
      }
    }
    expect(Object.keys(state).sort()).toEqual(
      Object.keys(serviceUserSchema.block.attributes).sort(),
    );
  });

  test("import warns that the token is lost", async () => {
    const response = await resource.import!({ id: IMPORT_UUID }, client, context);
    const [diagnostic] = response.diagnostics!;

    expect(diagnostic.severity).toBe("warning");
    expect(diagnostic.detail).toContain("rotation_triggers");
  });

  test("read after import fills the state", async () => {
    await create(config({ description: "Signs builds" }));
    const { imported } = await resource.import!({ id: "release bot" }, client, context);
    const { state } = await resource.read(
      { state: imported[0].state, private: new Uint8Array() },
      client,
      context,
    );

    expect(state!.name).toBe("release bot");
    expect(state!.description).toBe("Signs builds");
    expect(state!.primary_account_id).toBe("acc-a");
    expect(state!.access).toEqual({
      software_trust: { roles: ["SM_SIGNER", "SM_VIEWER"] },
    });
    expect(state!.token).toBeNull();
    expect(isUnknown(state!.status)).toBe(false);
  });

  test("imported state plans no change", async () => {
    await create();
    const { imported } = await resource.import!({ id: "release bot" }, client, context);
    const { state } = await resource.read(
      { state: imported[0].state, private: new Uint8Array() },
      client,
      context,
    );
    const planned = await planFor(config(), state!);

    expectKeepsPlannedValues(state!, planned);
  });

  test("empty import id is rejected", async () => {
    const response = await resource.import!({ id: "" }, client, context);

    expect(response.imported).toEqual([]);
    expect(response.diagnostics![0].severity).toBe("error");
  });

  test("import by name ignores letter case", async () => {
    await create();
    const response = await resource.import!({ id: "Release BOT" }, client, context);

    expect(response.imported[0].state.id).toBe("user-1");
    expect(response.diagnostics![0].severity).toBe("warning");
    expect(response.diagnostics![0].summary).toBe("Imported service user has no token");
  });

  test("import by UUID skips the lookup", async () => {
    client.listServiceUsers = async () => {
      throw new Error("listServiceUsers must not be called");
    };
    const response = await resource.import!({ id: IMPORT_UUID.toUpperCase() }, client, context);

    expect(response.imported[0].state.id).toBe(IMPORT_UUID.toUpperCase());
  });

  test("unknown name is not found", async () => {
    await create();
    const response = await resource.import!({ id: "no such bot" }, client, context);

    expect(response.imported).toEqual([]);
    const [diagnostic] = response.diagnostics!;
    expect(diagnostic.severity).toBe("error");
    expect(diagnostic.summary).toBe("Service user not found");
    expect(diagnostic.detail).toContain('"no such bot"');
  });

  test("list failure fails the import", async () => {
    client.listServiceUsers = async () => {
      throw apiError("server_error", 500);
    };
    const response = await resource.import!({ id: "release bot" }, client, context);

    expect(response.imported).toEqual([]);
    expect(response.diagnostics![0].severity).toBe("error");
  });
});

describe("service user access mapping", () => {
  test("manager code __proto__ stays a key", () => {
    const state = accessToState(Object.fromEntries([["__proto__", ["ROLE_A"]]]));

    expect(Object.keys(state)).toEqual(["__proto__"]);
    expect(Object.getPrototypeOf(state)).toBe(Object.prototype);
    expect(accessFromState(state)).toEqual(Object.fromEntries([["__proto__", ["ROLE_A"]]]));
    expect(Object.keys(accessFromState(state)!)).toEqual(["__proto__"]);
  });
});
