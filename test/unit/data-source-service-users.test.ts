// The digicertone_service_user and digicertone_service_users data sources
// against a fake DigiCert ONE client.

import { createDataSources } from "../../provider/src/data-sources";
import { DigicertApiError } from "../../provider/src/digicert/errors";
import type { DigicertClient, ServiceUser } from "../../provider/src/digicert/types";
import {
  path,
  unknown,
  type CallContext,
  type DataSourceType,
  type Diagnostic,
  type ObjectValue,
} from "../../provider/src/framework/types";
import { createLogger } from "../../provider/src/log";
import { blockType, encodeMsgpack } from "../../provider/src/plugin/cty";
import { serviceUserSchema } from "../../provider/src/resources/service-user/schema";
import { CARRIED_ATTRIBUTES } from "../../provider/src/resources/service-user/state";

function user(overrides: Partial<ServiceUser> & Pick<ServiceUser, "id" | "name">): ServiceUser {
  return {
    description: "",
    email: "platform-team@example.com",
    status: "ACTIVE",
    primaryAccountId: "acc-a",
    accountIds: ["acc-a"],
    expirationDate: null,
    createdAt: "2026-12-01T10:00:00Z",
    access: { account_manager: ["AM_VIEW_ONLY"] },
    ...overrides,
  };
}

const USERS: ServiceUser[] = [
  user({
    id: "u-1",
    name: "release-signing bot",
    description: "Signs release builds",
    expirationDate: "2030-06-30",
    access: { software_trust: ["SM_SIGNER", "SM_LEAD"] },
  }),
  user({
    id: "u-2",
    name: "Audit reader",
    status: "DISABLED",
    primaryAccountId: "acc-b",
    accountIds: ["acc-b", "acc-a"],
  }),
  user({ id: "u-3", name: "release-notes bot", status: "EXPIRED", primaryAccountId: "acc-b", accountIds: ["acc-b"] }),
  user({ id: "u-4", name: "Zeta", accountIds: ["acc-a", "acc-c"] }),
];

/** The state attributes of USERS[0] ("release-signing bot"). */
const RELEASE_SIGNING_STATE = {
  id: "u-1",
  name: "release-signing bot",
  description: "Signs release builds",
  email: "platform-team@example.com",
  status: "ACTIVE",
  enabled: true,
  expiration_date: "2030-06-30",
  expires_at: "2030-06-30T23:59:59Z",
  account_ids: ["acc-a"],
  primary_account_id: "acc-a",
  access: { software_trust: { roles: ["SM_SIGNER", "SM_LEAD"] } },
  created_at: "2026-12-01T10:00:00Z",
};

function fakeClient(users: ServiceUser[] = USERS) {
  const calls: string[] = [];
  const signals: Array<AbortSignal | undefined> = [];
  const client = {
    async listServiceUsers(signal?: AbortSignal): Promise<ServiceUser[]> {
      calls.push("listServiceUsers");
      signals.push(signal);
      signal?.throwIfAborted();
      return structuredClone(users);
    },
    async getServiceUser(id: string, signal?: AbortSignal): Promise<ServiceUser | null> {
      calls.push(`getServiceUser ${id}`);
      signals.push(signal);
      signal?.throwIfAborted();
      return structuredClone(users.find((candidate) => candidate.id === id) ?? null);
    },
  };
  // The data sources call only the methods above.
  return { client: client as unknown as DigicertClient, calls, signals };
}

function failingClient(error: Error): DigicertClient {
  const fail = async () => {
    throw error;
  };
  return { listServiceUsers: fail, getServiceUser: fail } as unknown as DigicertClient;
}

function dataSource(name: string): DataSourceType<DigicertClient> {
  const logger = createLogger("test", {}, () => {});
  const found = createDataSources({ logger }).find((candidate) => candidate.name === name);
  if (found === undefined) throw new Error(`no data source ${name}`);
  return found;
}

function context(): CallContext {
  return { signal: new AbortController().signal };
}

function only(diagnostics: Diagnostic[] | undefined): Diagnostic {
  expect(diagnostics).toHaveLength(1);
  return diagnostics![0];
}

function expectConforms(source: DataSourceType<DigicertClient>, state: ObjectValue | null) {
  expect(state).not.toBeNull();
  expect(() => encodeMsgpack(state, blockType(source.schema.block))).not.toThrow();
}

/** Builds a digicertone_service_user configuration: `config`, with every other attribute null. */
function lookupConfig(config: ObjectValue): ObjectValue {
  const source = dataSource("digicertone_service_user");
  const full: ObjectValue = {};
  for (const name of Object.keys(source.schema.block.attributes)) full[name] = null;
  return { ...full, ...config };
}

describe("digicertone_service_user schema", () => {
  const source = dataSource("digicertone_service_user");

  test("has the resource's attributes except those DigiCert ONE does not return", () => {
    const resourceAttributes = Object.keys(serviceUserSchema.block.attributes)
      .filter((name) => !(CARRIED_ATTRIBUTES as readonly string[]).includes(name))
      .sort();
    expect(Object.keys(source.schema.block.attributes).sort()).toEqual(resourceAttributes);
  });

  test("id and name are optional arguments", () => {
    const { id, name } = source.schema.block.attributes;
    expect(id).toMatchObject({ optional: true, computed: true });
    expect(name).toMatchObject({ optional: true, computed: true });
  });

  test("every other attribute is computed only", () => {
    for (const [name, attribute] of Object.entries(source.schema.block.attributes)) {
      if (name === "id" || name === "name") continue;
      expect({ name, computed: attribute.computed, optional: attribute.optional ?? false }).toEqual({
        name,
        computed: true,
        optional: false,
      });
    }
    expect(source.schema.block.attributes.access.nested?.attributes.roles.computed).toBe(true);
  });

  test("no attribute is sensitive", () => {
    const users = dataSource("digicertone_service_users");
    const attributes = [
      ...Object.values(source.schema.block.attributes),
      ...Object.values(users.schema.block.attributes.users.nested!.attributes),
    ];
    expect(attributes.some((attribute) => attribute.sensitive)).toBe(false);
  });
});

describe("digicertone_service_user validation", () => {
  const source = dataSource("digicertone_service_user");
  const validate = (config: ObjectValue) => source.validate!({ config: lookupConfig(config) });

  test("id alone is valid", () => {
    expect(validate({ id: "u-1" })).toEqual([]);
  });

  test("name alone is valid", () => {
    expect(validate({ name: "release-signing bot" })).toEqual([]);
  });

  test("both id and name are rejected on name", () => {
    const diagnostic = only(validate({ id: "u-1", name: "release-signing bot" }));
    expect(diagnostic.summary).toBe("Conflicting lookup arguments");
    expect(diagnostic.path).toEqual(path("name"));
  });

  test("neither id nor name is rejected on id", () => {
    const diagnostic = only(validate({}));
    expect(diagnostic.summary).toBe("Missing lookup argument");
    expect(diagnostic.path).toEqual(path("id"));
    expect(diagnostic.detail).toContain("look the service user up by its id");
  });

  test("unknown id skips the check", () => {
    expect(validate({ id: unknown })).toEqual([]);
    expect(validate({ id: unknown, name: "release-signing bot" })).toEqual([]);
  });

  test("invalid name characters are rejected", () => {
    const diagnostic = only(validate({ name: "release/bot" }));
    expect(diagnostic.summary).toBe("Invalid service user name");
    expect(diagnostic.path).toEqual(path("name"));
  });

  test("empty id is rejected", () => {
    expect(only(validate({ id: "" })).path).toEqual(path("id"));
  });
});

describe("digicertone_service_user read", () => {
  const source = dataSource("digicertone_service_user");
  const read = (config: ObjectValue, client: DigicertClient, call = context()) =>
    source.read({ config: lookupConfig(config) }, client, call);

  test("finds a service user by id", async () => {
    const { client, calls } = fakeClient();
    const response = await read({ id: "u-1" }, client);

    expect(response.diagnostics ?? []).toEqual([]);
    expect(response.state).toEqual(RELEASE_SIGNING_STATE);
    expect(calls).toEqual(["getServiceUser u-1"]);
    expectConforms(source, response.state);
  });

  test("state has no token", async () => {
    const { client } = fakeClient();
    const response = await read({ id: "u-1" }, client);

    expect(Object.keys(response.state ?? {})).not.toContain("token");
  });

  test("finds a name in other letter case", async () => {
    const { client, calls } = fakeClient();
    const response = await read({ name: "RELEASE-Signing Bot" }, client);

    expect(response.diagnostics ?? []).toEqual([]);
    expect(response.state).toEqual(RELEASE_SIGNING_STATE);
    expect(calls).toEqual(["listServiceUsers"]);
  });

  test("user without expiry has null dates", async () => {
    const { client } = fakeClient();
    const response = await read({ name: "Audit reader" }, client);

    expect(response.state).toMatchObject({
      id: "u-2",
      expiration_date: null,
      expires_at: null,
      status: "DISABLED",
      enabled: false,
      primary_account_id: "acc-b",
    });
    expectConforms(source, response.state);
  });

  test("exact name beats a letter-case match", async () => {
    const { client } = fakeClient([
      user({ id: "x-1", name: "BOT" }),
      user({ id: "x-2", name: "bot" }),
    ]);
    const response = await read({ name: "bot" }, client);

    expect(response.state).toMatchObject({ id: "x-2", name: "bot" });
  });

  test("two letter-case matches are ambiguous", async () => {
    const { client } = fakeClient([
      user({ id: "x-1", name: "BOT" }),
      user({ id: "x-2", name: "bot" }),
    ]);
    const response = await read({ name: "Bot" }, client);

    const diagnostic = only(response.diagnostics);
    expect(diagnostic.summary).toBe("Ambiguous service user name");
    expect(diagnostic.path).toEqual(path("name"));
    expect(diagnostic.detail).toContain("x-1 and x-2");
  });

  test("unknown id is not found", async () => {
    const { client } = fakeClient();
    const response = await read({ id: "missing" }, client);

    const diagnostic = only(response.diagnostics);
    expect(diagnostic.summary).toBe("Service user not found");
    expect(diagnostic.path).toEqual(path("id"));
    expect(diagnostic.detail).toBe(
      'No service user with id "missing" exists, or the provider\'s API key cannot see it. Check id, or look the service user up by name.',
    );
    expect(response.state).toBeNull();
  });

  test("unknown name is not found", async () => {
    const { client } = fakeClient();
    const response = await read({ name: "release bot" }, client);

    const diagnostic = only(response.diagnostics);
    expect(diagnostic.summary).toBe("Service user not found");
    expect(diagnostic.path).toEqual(path("name"));
    expect(diagnostic.detail).toBe(
      'No service user is named "release bot", with letter case ignored, or the provider\'s API key cannot see it. Check name, or list the service users with the digicertone_service_users data source.',
    );
  });

  test("name prefix alone does not match", async () => {
    const { client } = fakeClient();
    const response = await read({ name: "release" }, client);

    expect(only(response.diagnostics).summary).toBe("Service user not found");
  });

  test("API error becomes a diagnostic", async () => {
    const client = failingClient(
      new DigicertApiError({
        status: 401,
        code: "invalid_api_key",
        apiMessage: "Unknown API key",
        method: "GET",
        path: "/account/api/v1/user/u-1",
      }),
    );
    const response = await read({ id: "u-1" }, client);

    const diagnostic = only(response.diagnostics);
    expect(diagnostic.summary).toBe('Failed to read service user with id "u-1"');
    expect(diagnostic.detail).toContain("invalid_api_key");
  });

  test("passes the call's signal", async () => {
    const { client, signals } = fakeClient();
    const call = context();
    await read({ name: "Zeta" }, client, call);
    await read({ id: "u-4" }, client, call);

    expect(signals).toEqual([call.signal, call.signal]);
  });

  test("aborted read reports the cancellation", async () => {
    const { client } = fakeClient();
    const controller = new AbortController();
    controller.abort(new Error("Terraform sent StopProvider"));
    const response = await read({ name: "Zeta" }, client, { signal: controller.signal });

    const diagnostic = only(response.diagnostics);
    expect(diagnostic.summary).toBe('Failed to read service user "Zeta"');
    expect(diagnostic.detail).toContain("cancelled");
  });
});

describe("digicertone_service_users validation", () => {
  const source = dataSource("digicertone_service_users");
  const validate = (config: ObjectValue) =>
    source.validate!({
      config: { name_prefix: null, status: null, account_id: null, users: null, ...config },
    });

  test("no filters are valid", () => {
    expect(validate({})).toEqual([]);
  });

  test("each status is valid", () => {
    for (const status of ["ACTIVE", "DISABLED", "EXPIRED"]) {
      expect({ status, diagnostics: validate({ status }) }).toEqual({ status, diagnostics: [] });
    }
  });

  test("lowercase status gets a fix", () => {
    const diagnostic = only(validate({ status: "active" }));
    expect(diagnostic.summary).toBe("Invalid status");
    expect(diagnostic.path).toEqual(path("status"));
    expect(diagnostic.detail).toBe(
      'The status "active" is not a service user status. Allowed values: "ACTIVE", "DISABLED" and "EXPIRED". Write it in uppercase: "ACTIVE".',
    );
  });

  test("unknown status value is rejected", () => {
    const diagnostic = only(validate({ status: "DELETED" }));
    expect(diagnostic.detail).not.toContain("uppercase");
  });

  test("empty account_id is rejected", () => {
    expect(only(validate({ account_id: "" })).path).toEqual(path("account_id"));
  });

  test("unknown filters are skipped", () => {
    expect(validate({ status: unknown, account_id: unknown, name_prefix: unknown })).toEqual([]);
  });
});

describe("digicertone_service_users read", () => {
  const source = dataSource("digicertone_service_users");
  const read = async (filters: ObjectValue, client = fakeClient().client) => {
    const config = { name_prefix: null, status: null, account_id: null, users: null, ...filters };
    return source.read({ config }, client, context());
  };
  const ids = (state: ObjectValue | null) =>
    (state?.users as ObjectValue[]).map((entry) => entry.id);

  test("lists every user sorted by name", async () => {
    const response = await read({});

    expect(response.diagnostics ?? []).toEqual([]);
    expect(ids(response.state)).toEqual(["u-2", "u-4", "u-3", "u-1"]);
    expect((response.state?.users as ObjectValue[])[3]).toEqual(RELEASE_SIGNING_STATE);
    expectConforms(source, response.state);
  });

  test("state echoes the filters", async () => {
    const response = await read({ name_prefix: "rel", status: "ACTIVE", account_id: "acc-a" });

    expect(response.state).toMatchObject({
      name_prefix: "rel",
      status: "ACTIVE",
      account_id: "acc-a",
    });
    expectConforms(source, response.state);
  });

  test("name_prefix ignores letter case", async () => {
    const response = await read({ name_prefix: "RELEASE-" });

    expect(ids(response.state)).toEqual(["u-3", "u-1"]);
  });

  test("status filter matches exactly", async () => {
    expect(ids((await read({ status: "DISABLED" })).state)).toEqual(["u-2"]);
    expect(ids((await read({ status: "EXPIRED" })).state)).toEqual(["u-3"]);
  });

  test("account_id filter matches any account", async () => {
    expect(ids((await read({ account_id: "acc-a" })).state)).toEqual(["u-2", "u-4", "u-1"]);
    expect(ids((await read({ account_id: "acc-c" })).state)).toEqual(["u-4"]);
  });

  test("account_id filter matches a primary account", async () => {
    const client = fakeClient([
      user({ id: "x-1", name: "bot", primaryAccountId: "acc-p", accountIds: ["acc-q"] }),
    ]).client;
    expect(ids((await read({ account_id: "acc-p" }, client)).state)).toEqual(["x-1"]);
  });

  test("filters combine", async () => {
    const response = await read({ name_prefix: "release", status: "ACTIVE", account_id: "acc-a" });

    expect(ids(response.state)).toEqual(["u-1"]);
  });

  test("no match gives an empty list", async () => {
    const response = await read({ name_prefix: "nobody" });

    expect(response.state?.users).toEqual([]);
    expectConforms(source, response.state);
  });

  test("invalid filter is rejected without an API call", async () => {
    const { client, calls } = fakeClient();
    const response = await read({ status: "active" }, client);

    expect(only(response.diagnostics).summary).toBe("Invalid status");
    expect(calls).toEqual([]);
  });

  test("API error becomes a diagnostic", async () => {
    const client = failingClient(
      new DigicertApiError({
        status: 503,
        code: "service_unavailable",
        method: "GET",
        path: "/account/api/v1/user?user_type=service",
      }),
    );
    const response = await read({}, client);

    const diagnostic = only(response.diagnostics);
    expect(diagnostic.summary).toBe("Failed to read the service users");
    expect(response.state).toBeNull();
  });
});
