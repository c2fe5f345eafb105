import {
  unknown,
  isUnknown,
  type CtyType,
  type ObjectValue,
  type ProviderDefinition,
  type ResourceType,
} from "../../provider/src/framework/types";
import { createLogger } from "../../provider/src/log";
import { blockType, decodeMsgpack, encodeMsgpack } from "../../provider/src/plugin/cty";
import { ProviderServer } from "../../provider/src/plugin/provider-server";
import type { DiagnosticMessage, DynamicValueMessage } from "../../provider/src/plugin/proto/messages";
import { echoProvider, type EchoClient } from "../fixtures/plugin/echo-definition";

const thingSchema = echoProvider.resources[0].schema;
const thingType = blockType(thingSchema.block);
const providerType = blockType(echoProvider.schema.block);

function msgpack(value: Parameters<typeof encodeMsgpack>[0], type: CtyType = thingType): DynamicValueMessage {
  return { msgpack: Buffer.from(encodeMsgpack(value, type)) };
}

function decoded(message: DynamicValueMessage | undefined, type: CtyType = thingType) {
  if (message?.msgpack === undefined) throw new Error("expected a msgpack DynamicValue");
  return decodeMsgpack(message.msgpack, type);
}

const thingConfig: ObjectValue = {
  id: null,
  name: "alpha",
  secret: "s3cret-value",
  tags: ["b", "a"],
  size: 3,
  endpoints: { main: { url: "https://example.test", port: 443 } },
  greeting: null,
};

/** Creates a server for `definition` that collects its log lines in `lines`. */
function createServer<Client>(definition: ProviderDefinition<Client>) {
  const lines: string[] = [];
  const logger = createLogger("provider.test", {}, (line) => lines.push(line));
  return { server: new ProviderServer(definition, logger), lines };
}

async function configure(server: ProviderServer<EchoClient>, greeting: string | null = "hi") {
  return server.configureProvider({
    terraform_version: "1.11.4",
    config: msgpack({ greeting, token: "t0ken-value" }, providerType),
  });
}

function planRequest(prior: ObjectValue | null, config: ObjectValue) {
  return {
    type_name: "echo_thing",
    prior_state: msgpack(prior),
    proposed_new_state: msgpack(config),
    config: msgpack(config),
    prior_private: Buffer.alloc(0),
  };
}

function applyRequest(planned: object, prior: object | null = null) {
  return {
    type_name: "echo_thing",
    prior_state: msgpack(prior as never),
    planned_state: msgpack(planned as never),
    config: msgpack(thingConfig),
    planned_private: Buffer.alloc(0),
  };
}

/** Copies the echo provider, replacing members of its echo_thing resource with `overrides`. */
function echoWith(overrides: Partial<ResourceType<EchoClient>>): ProviderDefinition<EchoClient> {
  return { ...echoProvider, resources: [{ ...echoProvider.resources[0], ...overrides }] };
}

function only(diagnostics: DiagnosticMessage[] | undefined): DiagnosticMessage {
  expect(diagnostics).toHaveLength(1);
  return (diagnostics as DiagnosticMessage[])[0];
}

describe("GetProviderSchema", () => {
  test("converts attributes", async () => {
    const { server } = createServer(echoProvider);
    const response = await server.getProviderSchema();
    const thing = response.resource_schemas?.echo_thing;
    const attributes = new Map(thing?.block.attributes.map((attribute) => [attribute.name, attribute]));

    expect(response.diagnostics ?? []).toEqual([]);
    expect(thing?.version).toBe(1);
    expect(Buffer.from(attributes.get("tags")?.type ?? []).toString()).toBe('["set","string"]');
    expect(attributes.get("secret")?.sensitive).toBe(true);
    expect(attributes.get("secret")?.optional).toBe(true);
    expect(attributes.get("name")?.required).toBe(true);
    expect(attributes.get("id")?.computed).toBe(true);
    expect(attributes.get("id")?.description).toBe("Derived from name.");
    expect(attributes.get("id")?.description_kind).toBe(0);
  });

  test("converts nested attributes", async () => {
    const { server } = createServer(echoProvider);
    const response = await server.getProviderSchema();
    const endpoints = response.resource_schemas?.echo_thing.block.attributes.find((a) => a.name === "endpoints");

    expect(endpoints?.type).toBeUndefined();
    expect(endpoints?.nested_type?.nesting).toBe(4);
    expect(endpoints?.nested_type?.attributes.map((a) => a.name)).toEqual(["url", "port"]);
  });

  test("converts blocks", async () => {
    const withBlock = echoWith({
      schema: {
        version: 0,
        block: {
          description: "",
          attributes: {},
          blocks: {
            rule: {
              nesting: "list",
              minItems: 1,
              maxItems: 3,
              block: { description: "A rule.", attributes: { x: { type: "string", description: "", optional: true } }, deprecated: true },
            },
          },
        },
      },
    });
    const { server } = createServer(withBlock);
    const response = await server.getProviderSchema();
    const rule = response.resource_schemas?.echo_thing.block.block_types[0];

    expect(rule?.type_name).toBe("rule");
    expect(rule?.nesting).toBe(2);
    expect(rule?.min_items).toBe(1);
    expect(rule?.max_items).toBe(3);
    expect(rule?.block.deprecated).toBe(true);
    expect(rule?.block.attributes[0].name).toBe("x");
  });

  test("includes provider, data sources and capabilities", async () => {
    const { server } = createServer(echoProvider);
    const response = await server.getProviderSchema();

    expect(response.provider?.block.attributes.map((a) => a.name)).toEqual(["greeting", "token"]);
    expect(Object.keys(response.data_source_schemas ?? {})).toEqual(["echo_message"]);
    expect(response.server_capabilities?.get_provider_schema_optional).toBe(true);
  });

  test("malformed attribute becomes a diagnostic", async () => {
    const broken = echoWith({
      schema: { version: 0, block: { description: "", attributes: { bad: { description: "" } } } },
    });
    const { server } = createServer(broken);
    const response = await server.getProviderSchema();
    const diagnostic = only(response.diagnostics);

    expect(response.resource_schemas).toBeUndefined();
    expect(diagnostic.severity).toBe(1);
    expect(diagnostic.summary).toBe("Unexpected provider error");
    expect(diagnostic.detail).toContain('invalid schema attribute "bad": set exactly one of "type" and "nested"');
  });
});

describe("GetMetadata", () => {
  test("lists resource and data source types", async () => {
    const { server } = createServer(echoProvider);
    const response = await server.getMetadata();

    expect(response.resources).toEqual([{ type_name: "echo_thing" }]);
    expect(response.data_sources).toEqual([{ type_name: "echo_message" }]);
    expect(response.server_capabilities?.get_provider_schema_optional).toBe(true);
  });
});

describe("validation", () => {
  test("diagnostic keeps its attribute path", async () => {
    const { server } = createServer(echoProvider);
    const response = await server.validateResourceConfig({
      type_name: "echo_thing",
      config: msgpack({ ...thingConfig, size: -1 }),
    });
    const diagnostic = only(response.diagnostics);

    expect(diagnostic.severity).toBe(1);
    expect(diagnostic.summary).toBe("Invalid size");
    expect(diagnostic.attribute).toEqual({ steps: [{ attribute_name: "size" }] });
  });

  test("unknown values reach validate", async () => {
    const { server } = createServer(echoProvider);
    const response = await server.validateResourceConfig({
      type_name: "echo_thing",
      config: msgpack({ ...thingConfig, size: unknown }),
    });

    expect(response.diagnostics).toEqual([]);
  });

  test("unknown resource type is a diagnostic", async () => {
    const { server } = createServer(echoProvider);
    const response = await server.validateResourceConfig({ type_name: "echo_nothing", config: null });
    const diagnostic = only(response.diagnostics);

    expect(diagnostic.summary).toBe("Unknown resource type");
    expect(diagnostic.detail).toBe(
      'This provider has no resource type "echo_nothing". The resource types it provides are: echo_thing. ' +
        "Check the type name in the configuration, or upgrade the provider if the type is newer.",
    );
  });

  test("unknown data source type is a diagnostic", async () => {
    const { server } = createServer(echoProvider);
    const response = await server.validateDataResourceConfig({ type_name: "echo_nothing", config: null });

    expect(only(response.diagnostics).summary).toBe("Unknown data source type");
  });

  test("provider config without validate passes", async () => {
    const { server } = createServer(echoProvider);
    const response = await server.validateProviderConfig({
      config: msgpack({ greeting: "hi", token: null }, providerType),
    });

    expect(response.diagnostics).toEqual([]);
  });

  test("JSON DynamicValue is decoded", async () => {
    const { server } = createServer(echoProvider);
    const response = await server.validateResourceConfig({
      type_name: "echo_thing",
      config: { json: Buffer.from(JSON.stringify({ ...thingConfig, size: -2 })) },
    });

    expect(only(response.diagnostics).summary).toBe("Invalid size");
  });

  test("undecodable value names the field and path", async () => {
    const { server } = createServer(echoProvider);
    const numberNameType: CtyType = ["object", { ...(thingType[1] as object), name: "number" }];
    const wrong = encodeMsgpack({ ...thingConfig, name: 5 }, numberNameType);
    const response = await server.validateResourceConfig({ type_name: "echo_thing", config: { msgpack: Buffer.from(wrong) } });
    const diagnostic = only(response.diagnostics);

    expect(diagnostic.summary).toBe("Invalid value from Terraform");
    expect(diagnostic.detail).toMatch(/^The provider could not decode the configuration that Terraform sent: name: /);
    expect(diagnostic.attribute).toEqual({ steps: [{ attribute_name: "name" }] });
  });
});

describe("ConfigureProvider", () => {
  test("configure errors keep their path", async () => {
    const { server } = createServer(echoProvider);
    const response = await configure(server, "fail");
    const diagnostic = only(response.diagnostics);

    expect(diagnostic.summary).toBe("Invalid greeting");
    expect(diagnostic.attribute).toEqual({ steps: [{ attribute_name: "greeting" }] });
  });

  test("calls before configure need a client", async () => {
    const { server } = createServer(echoProvider);
    const response = await server.applyResourceChange(applyRequest({ ...thingConfig, id: unknown, greeting: unknown }));
    const diagnostic = only(response.diagnostics);

    expect(diagnostic.severity).toBe(1);
    expect(diagnostic.summary).toBe("Provider not configured");
    expect(diagnostic.detail).toContain("Terraform called ApplyResourceChange for echo_thing before the provider was configured");
  });

  test("failed configure leaves no client", async () => {
    const { server } = createServer(echoProvider);
    await configure(server, "hi");
    await configure(server, "fail");
    const response = await server.readDataSource({
      type_name: "echo_message",
      config: msgpack({ input: "x", output: null }, blockType(echoProvider.dataSources[0].schema.block)),
    });

    expect(only(response.diagnostics).summary).toBe("Provider not configured");
  });

  test("latest configuration wins", async () => {
    const { server } = createServer(echoProvider);
    const messageType = blockType(echoProvider.dataSources[0].schema.block);
    await configure(server, "hi");
    await configure(server, "hello again");
    const response = await server.readDataSource({
      type_name: "echo_message",
      config: msgpack({ input: "x", output: null }, messageType),
    });

    expect(response.diagnostics).toEqual([]);
    expect(decoded(response.state, messageType)).toEqual({ input: "x", output: "hello again, x" });
  });
});

describe("connections", () => {
  const messageType = blockType(echoProvider.dataSources[0].schema.block);
  const messageRequest = {
    type_name: "echo_message",
    config: msgpack({ input: "x", output: null }, messageType),
  };

  test("each connection keeps its own client", async () => {
    const { server } = createServer(echoProvider);
    const config = (greeting: string) => ({
      terraform_version: "1.11.4",
      config: msgpack({ greeting, token: null }, providerType),
    });
    await server.configureProvider(config("from a"), "a");
    await server.configureProvider(config("from b"), "b");
    const fromA = await server.readDataSource(messageRequest, "a");
    const fromB = await server.readDataSource(messageRequest, "b");

    expect(decoded(fromA.state, messageType)).toEqual({ input: "x", output: "from a, x" });
    expect(decoded(fromB.state, messageType)).toEqual({ input: "x", output: "from b, x" });
  });

  test("unconfigured connection has no client", async () => {
    const { server } = createServer(echoProvider);
    await configure(server);
    const response = await server.readDataSource(messageRequest, "other");

    expect(only(response.diagnostics).summary).toBe("Provider not configured");
  });

  test("closed connection forgets its client", async () => {
    const { server } = createServer(echoProvider);
    await server.configureProvider(
      { terraform_version: "1.11.4", config: msgpack({ greeting: "hi", token: null }, providerType) },
      "a",
    );
    server.closeConnection("a");
    const response = await server.readDataSource(messageRequest, "a");

    expect(only(response.diagnostics).summary).toBe("Provider not configured");
  });

  test("StopProvider aborts only its connection", async () => {
    const signals = new Map<string, AbortSignal>();
    const recording = echoWith({
      async read({ state }, _client, context) {
        signals.set(String(state.name), context.signal);
        return { state };
      },
    });
    const { server } = createServer(recording);
    const config = { terraform_version: "1.11.4", config: msgpack({ greeting: null, token: null }, providerType) };
    await server.configureProvider(config, "a");
    await server.configureProvider(config, "b");
    const read = (name: string, connection: string) =>
      server.readResource(
        {
          type_name: "echo_thing",
          current_state: msgpack({ ...thingConfig, name, id: "echo-1", greeting: "hi" }),
          private: Buffer.alloc(0),
        },
        connection,
      );

    await read("on-a", "a");
    await read("on-b", "b");
    server.stopProvider("a");

    expect(signals.get("on-a")?.aborted).toBe(true);
    expect(signals.get("on-b")?.aborted).toBe(false);
  });
});

describe("plan and apply", () => {
  test("create plans computed values unknown", async () => {
    const { server } = createServer(echoProvider);
    const response = await server.planResourceChange(planRequest(null, thingConfig));
    const planned = decoded(response.planned_state) as Record<string, unknown>;

    expect(response.diagnostics).toEqual([]);
    expect(isUnknown(planned.id)).toBe(true);
    expect(planned.name).toBe("alpha");
    expect(planned.secret).toBe("s3cret-value");
    expect(response.requires_replace).toEqual([]);
  });

  test("changed name requires replace", async () => {
    const { server } = createServer(echoProvider);
    const prior = { ...thingConfig, id: "echo-1", greeting: "hi" };
    const response = await server.planResourceChange(planRequest(prior, { ...thingConfig, name: "beta" }));

    expect(response.requires_replace).toEqual([{ steps: [{ attribute_name: "name" }] }]);
  });

  test("apply returns known state and private", async () => {
    const { server } = createServer(echoProvider);
    await configure(server);
    const response = await server.applyResourceChange(applyRequest({ ...thingConfig, id: unknown, greeting: unknown }));
    const state = decoded(response.new_state) as Record<string, unknown>;

    expect(response.diagnostics).toEqual([]);
    expect(state.id).toMatch(/^echo-[0-9a-f]{12}$/);
    expect(state.greeting).toBe("hi");
    expect(state.endpoints).toEqual({ main: { url: "https://example.test", port: 443 } });
    expect(Buffer.from(response.private ?? []).toString()).toBe("created");
  });

  test("delete returns null state", async () => {
    const { server } = createServer(echoProvider);
    await configure(server);
    const prior = { ...thingConfig, id: "echo-1", greeting: "hi" };
    const response = await server.applyResourceChange({ ...applyRequest(prior, prior), planned_state: msgpack(null) });

    expect(response.diagnostics).toEqual([]);
    expect(decoded(response.new_state)).toBeNull();
  });

  test("thrown error becomes a diagnostic", async () => {
    const { server, lines } = createServer(echoProvider);
    await configure(server);
    const response = await server.applyResourceChange(
      applyRequest({ ...thingConfig, name: "explode", id: unknown, greeting: unknown }),
    );
    const diagnostic = only(response.diagnostics);
    const errorLine = lines.map((line) => JSON.parse(line)).find((record) => record["@level"] === "error");

    expect(diagnostic.severity).toBe(1);
    expect(diagnostic.summary).toBe("Unexpected provider error");
    expect(diagnostic.detail).toBe(
      "the echo thing exploded\n\nThe provider did not expect this error. Its stack trace is in the provider log (set TF_LOG_PROVIDER=error to see it).",
    );
    expect(diagnostic.detail).not.toContain("    at ");
    expect(errorLine?.tf_rpc).toBe("ApplyResourceChange");
    expect(errorLine?.tf_resource_type).toBe("echo_thing");
    expect(errorLine?.stack).toContain("echo-definition");
  });

  const circular: { self?: unknown } = {};
  circular.self = circular;
  test.each([
    ["a bigint", () => 12345678901234567890n],
    ["a circular object", () => circular],
    ["an object without prototype", () => Object.create(null)],
  ])("thrown %s becomes a diagnostic", async (_title, makeThrown) => {
    const throwing = echoWith({
      async apply() {
        throw makeThrown();
      },
    });
    const { server, lines } = createServer(throwing);
    await configure(server as ProviderServer<EchoClient>);
    const response = await server.applyResourceChange(
      applyRequest({ ...thingConfig, id: unknown, greeting: unknown }),
    );
    const diagnostic = only(response.diagnostics);

    expect(diagnostic.severity).toBe(1);
    expect(diagnostic.summary).toBe("Unexpected provider error");
    expect(lines.some((line) => JSON.parse(line)["@level"] === "error")).toBe(true);
  });

  test("value outside the schema is a diagnostic", async () => {
    const broken = echoWith({
      async apply() {
        return { newState: { ...thingConfig, id: "x", greeting: "hi", size: "not a number" } };
      },
    });
    const { server } = createServer(broken);
    await server.configureProvider({ terraform_version: "1.11.4", config: msgpack({ greeting: null, token: null }, providerType) });
    const response = await server.applyResourceChange(applyRequest({ ...thingConfig, id: unknown, greeting: unknown }));
    const diagnostic = only(response.diagnostics);

    expect(diagnostic.summary).toBe("Invalid value from provider");
    expect(diagnostic.detail).toMatch(/^The provider produced a new state that does not match its own schema: size: /);
    expect(diagnostic.attribute).toEqual({ steps: [{ attribute_name: "size" }] });
  });

  test("state and errors are returned together", async () => {
    const partial = echoWith({
      async apply({ planned }) {
        return {
          newState: { ...(planned as object), id: "echo-partial", greeting: "hi" },
          diagnostics: [{ severity: "error", summary: "Token not saved", detail: "The second step failed." }],
        };
      },
    });
    const { server } = createServer(partial);
    await server.configureProvider({ terraform_version: "1.11.4", config: msgpack({ greeting: null, token: null }, providerType) });
    const response = await server.applyResourceChange(applyRequest({ ...thingConfig, id: unknown, greeting: unknown }));

    expect(only(response.diagnostics).summary).toBe("Token not saved");
    expect((decoded(response.new_state) as Record<string, unknown>).id).toBe("echo-partial");
  });
});

describe("ReadResource and ImportResourceState", () => {
  test("read passes state and private through", async () => {
    const { server } = createServer(echoProvider);
    await configure(server);
    const state = { ...thingConfig, id: "echo-1", greeting: "hi" };
    const response = await server.readResource({
      type_name: "echo_thing",
      current_state: msgpack(state),
      private: Buffer.from("p"),
    });

    expect(response.diagnostics).toEqual([]);
    expect(decoded(response.new_state)).toEqual(state);
  });

  test("import returns encoded state", async () => {
    const { server } = createServer(echoProvider);
    await configure(server);
    const response = await server.importResourceState({ type_name: "echo_thing", id: "alpha" });
    const imported = response.imported_resources ?? [];

    expect(response.diagnostics).toEqual([]);
    expect(imported).toHaveLength(1);
    expect(imported[0].type_name).toBe("echo_thing");
    expect((decoded(imported[0].state) as Record<string, unknown>).name).toBe("alpha");
  });

  test("import without support is a diagnostic", async () => {
    const { server } = createServer(echoWith({ import: undefined }));
    const response = await server.importResourceState({ type_name: "echo_thing", id: "alpha" });
    const diagnostic = only(response.diagnostics);

    expect(diagnostic.summary).toBe("Import not supported");
    expect(diagnostic.detail).toBe(
      "The resource type echo_thing does not support terraform import. Create the resource with Terraform instead.",
    );
  });
});

describe("UpgradeResourceState", () => {
  const stored = { ...thingConfig, id: "echo-1", greeting: "hi", removed_attribute: true };

  test("decodes JSON against the current schema", async () => {
    const { server } = createServer(echoProvider);
    const response = await server.upgradeResourceState({
      type_name: "echo_thing",
      version: 1,
      raw_state: { json: Buffer.from(JSON.stringify(stored)), flatmap: {} },
    });
    const { removed_attribute: _removed, ...expected } = stored;

    expect(response.diagnostics ?? []).toEqual([]);
    expect(decoded(response.upgraded_state)).toEqual(expected);
  });

  test("fills missing attributes with null", async () => {
    const { server } = createServer(echoProvider);
    const sparse = {
      id: "echo-3",
      name: "ünïcode ☃ 𝔘",
      size: 123456789012345678901234567890,
      endpoints: { main: { url: "https://example.test", weight: 5 } },
    };
    const json = JSON.stringify(sparse).replace(
      '"size":1.2345678901234568e+29',
      '"size":123456789012345678901234567890',
    );
    const response = await server.upgradeResourceState({
      type_name: "echo_thing",
      version: 1,
      raw_state: { json: Buffer.from(json), flatmap: {} },
    });

    expect(response.diagnostics ?? []).toEqual([]);
    expect(decoded(response.upgraded_state)).toEqual({
      id: "echo-3",
      name: "ünïcode ☃ 𝔘",
      secret: null,
      tags: null,
      size: 123456789012345678901234567890n,
      endpoints: { main: { url: "https://example.test", port: null } },
      greeting: null,
    });
  });

  test("passes parsed JSON to upgrade and decodes its JSON", async () => {
    const calls: unknown[] = [];
    const upgrading = echoWith({
      upgrade(request) {
        calls.push(request);
        return { rawState: { ...request.rawState, id: "echo-2", greeting: "upgraded" } };
      },
    });
    const { server } = createServer(upgrading);
    const response = await server.upgradeResourceState({
      type_name: "echo_thing",
      version: 0,
      raw_state: { json: Buffer.from(JSON.stringify(stored)), flatmap: {} },
    });

    expect(calls).toEqual([{ version: 0, rawState: stored }]);
    expect((decoded(response.upgraded_state) as Record<string, unknown>).greeting).toBe("upgraded");
  });

  test("rejects flatmap state", async () => {
    const { server } = createServer(echoProvider);
    const response = await server.upgradeResourceState({
      type_name: "echo_thing",
      version: 0,
      raw_state: { json: Buffer.alloc(0), flatmap: { id: "x" } },
    });

    expect(only(response.diagnostics).summary).toBe("Unsupported state format");
  });

  test("invalid stored JSON is a diagnostic", async () => {
    const { server } = createServer(echoProvider);
    const response = await server.upgradeResourceState({
      type_name: "echo_thing",
      version: 1,
      raw_state: { json: Buffer.from('{"size": "many"}'), flatmap: {} },
    });
    const diagnostic = only(response.diagnostics);

    expect(diagnostic.summary).toBe("Invalid stored state");
    expect(diagnostic.attribute).toEqual({ steps: [{ attribute_name: "size" }] });
  });
});

describe("StopProvider", () => {
  test("aborts calls in flight", async () => {
    const { server } = createServer(echoProvider);
    await configure(server);
    const pending = server.applyResourceChange(
      applyRequest({ ...thingConfig, name: "wait-for-stop", id: unknown, greeting: unknown }),
    );
    await new Promise((resolve) => setImmediate(resolve));

    expect(server.stopProvider()).toEqual({ Error: "" });
    expect(only((await pending).diagnostics).summary).toBe("Stopped");
  });

  test("later calls get a fresh signal", async () => {
    const signals: AbortSignal[] = [];
    const recording = echoWith({
      async read({ state }, _client, context) {
        signals.push(context.signal);
        return { state };
      },
    });
    const { server } = createServer(recording);
    await server.configureProvider({ terraform_version: "1.11.4", config: msgpack({ greeting: null, token: null }, providerType) });
    const request = {
      type_name: "echo_thing",
      current_state: msgpack({ ...thingConfig, id: "echo-1", greeting: "hi" }),
      private: Buffer.alloc(0),
    };

    await server.readResource(request);
    server.stopProvider();
    await server.readResource(request);

    expect(signals[0].aborted).toBe(true);
    expect(signals[1].aborted).toBe(false);
  });
});

describe("logging", () => {
  test("never logs values", async () => {
    const { server, lines } = createServer(echoProvider);
    await server.validateProviderConfig({ config: msgpack({ greeting: "hi", token: "t0ken-value" }, providerType) });
    await configure(server);
    await server.planResourceChange(planRequest(null, thingConfig));
    await server.applyResourceChange(applyRequest({ ...thingConfig, id: unknown, greeting: unknown }));
    const output = lines.join("\n");

    expect(lines.length).toBeGreaterThan(0);
    expect(output).not.toContain("t0ken-value");
    expect(output).not.toContain("s3cret-value");
  });

  test("traces each RPC with its type name", async () => {
    const { server, lines } = createServer(echoProvider);
    await server.planResourceChange(planRequest(null, thingConfig));
    const records = lines.map((line) => JSON.parse(line));

    expect(records[0]).toMatchObject({
      "@level": "trace",
      "@message": "Handling RPC",
      tf_rpc: "PlanResourceChange",
      tf_resource_type: "echo_thing",
    });
  });
});

describe("logger", () => {
  test("bigint and circular fields serialise", () => {
    const lines: string[] = [];
    const logger = createLogger("provider.test", {}, (line) => lines.push(line));
    const node: { name: string; self?: unknown; child?: unknown } = { name: "root" };
    node.self = node;
    node.child = { parent: node, size: 2n };

    logger.error("Odd fields", { value: 12345678901234567890n, node, twice: [node.child, node.child] });
    const record = JSON.parse(lines[0]);

    expect(record["@message"]).toBe("Odd fields");
    expect(record.value).toBe("12345678901234567890");
    expect(record.node.self).toBe("[Circular]");
    expect(record.node.child).toEqual({ parent: "[Circular]", size: "2" });
    expect(record.twice).toEqual([
      { parent: { name: "root", self: "[Circular]", child: "[Circular]" }, size: "2" },
      { parent: { name: "root", self: "[Circular]", child: "[Circular]" }, size: "2" },
    ]);
  });

  test("field that cannot serialise keeps the line", () => {
    const lines: string[] = [];
    const logger = createLogger("provider.test", {}, (line) => lines.push(line));
    const hostile = {
      toJSON() {
        throw new Error("no JSON here");
      },
    };

    logger.warn("Hostile field", { hostile });
    const record = JSON.parse(lines[0]);

    expect(record["@level"]).toBe("warn");
    expect(record["@message"]).toBe("Hostile field");
    expect(record.log_error).toContain("no JSON here");
  });
});
