// State upgrades of digicertone_service_user: each step on the JSON of the
// state, and UpgradeResourceState through the provider server on state that
// the schema-version-0 provider wrote.

import { readFileSync } from "node:fs";
import { join } from "node:path";

import type { ObjectValue } from "../../provider/src/framework/types";
import { createLogger } from "../../provider/src/log";
import { blockType, decodeMsgpack } from "../../provider/src/plugin/cty";
import { ProviderServer } from "../../provider/src/plugin/provider-server";
import { createProvider } from "../../provider/src/provider";
import { createServiceUserResource } from "../../provider/src/resources/service-user";
import {
  SERVICE_USER_SCHEMA_VERSION,
  SERVICE_USER_TYPE_NAME,
  serviceUserSchema,
} from "../../provider/src/resources/service-user/schema";
import { upgradeServiceUserState } from "../../provider/src/resources/service-user/upgrade";

type RawState = { [attribute: string]: unknown };

/** Attributes as the schema-version-0 provider stored them. */
function versionZero(overrides: RawState = {}): RawState {
  return {
    id: "a8a3b98d-68a6-4fca-b1f4-d1bc965e0f91",
    name: "release signer",
    description: "Signs release builds",
    email: "platform-team@example.com",
    expiration_date: "2036-06-30",
    expires_at: "2036-06-30T23:59:59Z",
    account_ids: ["510f00f0-90ee-4ee2-b52f-0152c01d18eb"],
    primary_account_id: "510f00f0-90ee-4ee2-b52f-0152c01d18eb",
    access: { software_trust: { roles: ["SM_SIGNER"] } },
    enabled: true,
    status: "ACTIVE",
    created_at: "2026-12-04T18:06:28Z",
    token: "da877b8ad9e90d97a23d688e33_0123456789abcdef",
    ...overrides,
  };
}

describe("upgradeServiceUserState", () => {
  test("current version is 1", () => {
    expect(SERVICE_USER_SCHEMA_VERSION).toBe(1);
    expect(serviceUserSchema.version).toBe(1);
  });

  test("version 0 adds the rotation attributes", () => {
    const stored = versionZero();
    const response = upgradeServiceUserState({ version: 0, rawState: stored });

    expect(response.diagnostics ?? []).toEqual([]);
    expect(response.rawState).toEqual({
      ...stored,
      token_created_at: "2026-12-04T18:06:28Z",
      rotation_triggers: null,
      rotation_days: null,
      token_overlap_days: 1,
    });
  });

  test("version 0 token dates from created_at", () => {
    const response = upgradeServiceUserState({
      version: 0,
      rawState: versionZero({ created_at: "2025-03-01T10:00:00Z" }),
    });

    expect(response.rawState!.token_created_at).toBe("2025-03-01T10:00:00Z");
  });

  test("version 0 null token has null token_created_at", () => {
    const response = upgradeServiceUserState({
      version: 0,
      rawState: versionZero({ token: null }),
    });

    expect(response.rawState!.token).toBeNull();
    expect(response.rawState!.token_created_at).toBeNull();
  });

  test("version 0 missing token has null token_created_at", () => {
    const { token: _token, ...withoutToken } = versionZero();
    const response = upgradeServiceUserState({ version: 0, rawState: withoutToken });

    expect(response.rawState!.token_created_at).toBeNull();
  });

  test("version 0 null created_at has null token_created_at", () => {
    const response = upgradeServiceUserState({
      version: 0,
      rawState: versionZero({ created_at: null }),
    });

    expect(response.rawState!.token_created_at).toBeNull();
  });

  test.each<[string, boolean]>([
    ["ACTIVE", true],
    ["EXPIRED", true],
    ["DISABLED", false],
  ])("missing enabled with status %s", (status, enabled) => {
    const { enabled: _enabled, ...withoutEnabled } = versionZero({ status });
    const response = upgradeServiceUserState({ version: 0, rawState: withoutEnabled });

    expect(response.rawState!.enabled).toBe(enabled);
  });

  test("stored enabled is kept", () => {
    // A user disabled outside Terraform has enabled true in state but status DISABLED.
    const response = upgradeServiceUserState({
      version: 0,
      rawState: versionZero({ enabled: true, status: "DISABLED" }),
    });

    expect(response.rawState!.enabled).toBe(true);
  });

  test("version 1 passes through", () => {
    const stored = {
      ...versionZero(),
      token_created_at: "2027-01-10T08:00:00Z",
      rotation_triggers: { rotated: "2027-01" },
      rotation_days: 90,
      token_overlap_days: 3,
    };
    const response = upgradeServiceUserState({ version: 1, rawState: stored });

    expect(response.diagnostics ?? []).toEqual([]);
    expect(response.rawState).toEqual(stored);
  });

  test("newer version is an error", () => {
    const response = upgradeServiceUserState({ version: 2, rawState: versionZero() });

    expect(response.rawState).toBeNull();
    expect(response.diagnostics).toEqual([
      {
        severity: "error",
        summary: "State from a newer provider",
        detail:
          "This digicertone_service_user state has schema version 2, written by a newer version of the provider, which knows version 1 at most. " +
          "Use the provider version that wrote the state, or a later one: change the version constraint in required_providers and run `terraform init -upgrade`.",
      },
    ]);
  });
});

describe("UpgradeResourceState of version-0 state", () => {
  interface StateFile {
    resources: Array<{
      type: string;
      name: string;
      instances: Array<{ schema_version: number; attributes: RawState }>;
    }>;
  }

  // State that the version-0 provider wrote; the acceptance test upgrades it
  // too. It is named .json because .gitignore excludes *.tfstate.
  const fixture = join(__dirname, "../acceptance/fixtures/schema-v0/terraform-state.json");
  const stateFile = JSON.parse(readFileSync(fixture, "utf8")) as StateFile;
  const instances = stateFile.resources
    .filter((resource) => resource.type === SERVICE_USER_TYPE_NAME)
    .map((resource) => ({ name: resource.name, instance: resource.instances[0] }));
  const type = blockType(serviceUserSchema.block);

  async function upgrade(version: number, attributes: RawState) {
    const logger = createLogger("provider.test", {}, () => undefined);
    const server = new ProviderServer(createProvider({ env: {}, logger }), logger);
    return server.upgradeResourceState({
      type_name: SERVICE_USER_TYPE_NAME,
      version,
      raw_state: { json: Buffer.from(JSON.stringify(attributes)), flatmap: {} },
    });
  }

  function decoded(message: { msgpack?: Uint8Array } | undefined): RawState {
    if (message?.msgpack === undefined) throw new Error("expected a msgpack DynamicValue");
    return decodeMsgpack(message.msgpack, type) as RawState;
  }

  test("fixture has two version-0 instances", () => {
    expect(instances.map(({ name }) => name)).toEqual(["paused", "release"]);
    expect(instances.map(({ instance }) => instance.schema_version)).toEqual([0, 0]);
  });

  test.each(["paused", "release"])("%s upgrades to version 1", async (name) => {
    const { instance } = instances.find((entry) => entry.name === name)!;
    const stored = instance.attributes;
    const response = await upgrade(instance.schema_version, stored);
    const state = decoded(response.upgraded_state);

    expect(response.diagnostics ?? []).toEqual([]);
    expect(state).toEqual({
      ...stored,
      token_created_at: stored.created_at,
      rotation_triggers: null,
      rotation_days: null,
      token_overlap_days: 1,
    });
    expect(Object.keys(state).sort()).toEqual(
      Object.keys(serviceUserSchema.block.attributes).sort(),
    );
  });

  test("paused keeps enabled false", async () => {
    const { instance } = instances.find((entry) => entry.name === "paused")!;
    const state = decoded((await upgrade(0, instance.attributes)).upgraded_state);

    expect(state.enabled).toBe(false);
    expect(state.status).toBe("DISABLED");
  });

  test("upgraded state plans no rotation", async () => {
    const { instance } = instances.find((entry) => entry.name === "release")!;
    const prior = decoded((await upgrade(0, instance.attributes)).upgraded_state) as ObjectValue;
    const config: ObjectValue = { ...prior };
    for (const [name, attribute] of Object.entries(serviceUserSchema.block.attributes)) {
      if (attribute.computed && !attribute.optional) config[name] = null;
    }
    config.token_overlap_days = null;
    const resource = createServiceUserResource({ now: () => new Date("2026-12-05T00:00:00Z") });
    const response = await resource.plan(
      { prior, proposed: prior, config, priorPrivate: new Uint8Array() },
      undefined,
      { signal: new AbortController().signal },
    );

    expect(response.diagnostics).toEqual([]);
    expect(response.planned!.token).toBe(prior.token);
    expect(response.planned!.token_created_at).toBe(prior.created_at);
    expect(response.planned!.token_overlap_days).toBe(1);
  });

  test("newer version is an error diagnostic", async () => {
    const { instance } = instances[0];
    const response = await upgrade(2, instance.attributes);

    expect(response.diagnostics).toHaveLength(1);
    expect(response.diagnostics![0].summary).toBe("State from a newer provider");
  });
});
