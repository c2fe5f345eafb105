import * as grpc from "@grpc/grpc-js";
import { existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { isUnknown, unknown } from "../../provider/src/framework/types";
import { blockType, decodeMsgpack, encodeMsgpack } from "../../provider/src/plugin/cty";
import {
  generateIssuedCertificate,
  generateSelfSignedCertificate,
} from "../../provider/src/plugin/certificate";
import { echoProvider } from "../fixtures/plugin/echo-definition";
import {
  call,
  connectClients,
  ECHO_PROVIDER_ENTRY,
  parseHandshakeLine,
  startPluginProcess,
  terraformEnvironment,
  type PluginClients,
  type PluginProcess,
} from "../fixtures/plugin/plugin-process";

jest.setTimeout(30_000);

const thingType = blockType(echoProvider.resources[0].schema.block);
const providerType = blockType(echoProvider.schema.block);

const thingConfig = {
  id: null,
  name: "alpha",
  secret: "s3cret-value",
  tags: ["x", "y"],
  size: 12345678901234567890n,
  endpoints: { main: { url: "https://example.test", port: 443 } },
  greeting: null,
};

describe("provider process with AutoMTLS", () => {
  const terraformIdentity = generateSelfSignedCertificate();
  let plugin: PluginProcess;
  let clients: PluginClients;
  let socketPath: string;

  beforeAll(async () => {
    plugin = startPluginProcess(ECHO_PROVIDER_ENTRY, terraformEnvironment(terraformIdentity.certificatePem));
    const handshake = parseHandshakeLine(await plugin.firstLine);
    socketPath = handshake.address;
    clients = connectClients(handshake, terraformIdentity);
  });

  afterAll(async () => {
    clients?.close();
    // SIGTERM lets the process remove its socket directory.
    if (plugin?.child.exitCode === null) {
      plugin.child.kill("SIGTERM");
      await plugin.exited;
    }
  });

  test("handshake line names a private unix socket", async () => {
    const handshake = parseHandshakeLine(await plugin.firstLine);

    expect(handshake.coreProtocolVersion).toBe(1);
    expect(handshake.protocolVersion).toBe(6);
    expect(handshake.network).toBe("unix");
    expect(handshake.protocol).toBe("grpc");
    expect(path.isAbsolute(handshake.address)).toBe(true);
    expect(existsSync(handshake.address)).toBe(true);
    expect(statSync(path.dirname(handshake.address)).mode & 0o777).toBe(0o700);
    expect(statSync(handshake.address).mode & 0o777).toBe(0o600);
    expect((await plugin.firstLine).endsWith("=")).toBe(false);
    expect(handshake.certificateDer?.length).toBeGreaterThan(50);
  });

  test("health check serves plugin", async () => {
    const pluginHealth = await call(clients.health, "Check", { service: "plugin" });
    const serverHealth = await call(clients.health, "Check", { service: "" });

    expect(pluginHealth.status).toBe(1);
    expect(serverHealth.status).toBe(1);
    await expect(call(clients.health, "Check", { service: "other" })).rejects.toMatchObject({
      code: grpc.status.NOT_FOUND,
    });
  });

  test("schema arrives over gRPC", async () => {
    const response = await call<{
      resource_schemas: Record<string, { block: { attributes: Array<{ name: string; type: Buffer }> } }>;
      server_capabilities: { get_provider_schema_optional: boolean };
    }>(clients.provider, "GetProviderSchema", {});
    const tags = response.resource_schemas.echo_thing.block.attributes.find((a) => a.name === "tags");

    expect(tags?.type.toString()).toBe('["set","string"]');
    expect(response.server_capabilities.get_provider_schema_optional).toBe(true);
  });

  test("plan and apply round trip", async () => {
    const configured = await call<{ diagnostics: unknown[] }>(clients.provider, "ConfigureProvider", {
      terraform_version: "1.11.4",
      config: { msgpack: encodeMsgpack({ greeting: "hi", token: "t0ken" }, providerType) },
    });
    expect(configured.diagnostics).toEqual([]);

    const config = { msgpack: encodeMsgpack(thingConfig, thingType) };
    const plan = await call<{ planned_state: { msgpack: Buffer }; diagnostics: unknown[] }>(
      clients.provider,
      "PlanResourceChange",
      {
        type_name: "echo_thing",
        prior_state: { msgpack: encodeMsgpack(null, thingType) },
        proposed_new_state: config,
        config,
      },
    );
    const planned = decodeMsgpack(plan.planned_state.msgpack, thingType) as Record<string, unknown>;
    expect(plan.diagnostics).toEqual([]);
    expect(isUnknown(planned.id)).toBe(true);

    const apply = await call<{ new_state: { msgpack: Buffer }; private: Buffer; diagnostics: unknown[] }>(
      clients.provider,
      "ApplyResourceChange",
      {
        type_name: "echo_thing",
        prior_state: { msgpack: encodeMsgpack(null, thingType) },
        planned_state: plan.planned_state,
        config,
      },
    );
    const state = decodeMsgpack(apply.new_state.msgpack, thingType) as Record<string, unknown>;

    expect(apply.diagnostics).toEqual([]);
    expect(state.id).toMatch(/^echo-/);
    expect(state.greeting).toBe("hi");
    expect(state.size).toBe(12345678901234567890n);
    expect(state.secret).toBe("s3cret-value");
    expect(apply.private.toString()).toBe("created");
  });

  test("thrown error arrives as diagnostic", async () => {
    const config = { msgpack: encodeMsgpack({ ...thingConfig, name: "explode" }, thingType) };
    const apply = await call<{ diagnostics: Array<{ severity: number; summary: string }> }>(
      clients.provider,
      "ApplyResourceChange",
      {
        type_name: "echo_thing",
        prior_state: { msgpack: encodeMsgpack(null, thingType) },
        planned_state: { msgpack: encodeMsgpack({ ...thingConfig, name: "explode", id: unknown }, thingType) },
        config,
      },
    );

    expect(apply.diagnostics).toHaveLength(1);
    expect(apply.diagnostics[0].severity).toBe(1);
    expect(apply.diagnostics[0].summary).toBe("Unexpected provider error");
  });

  test("unknown type name arrives as diagnostic", async () => {
    const response = await call<{ diagnostics: Array<{ summary: string }> }>(clients.provider, "ReadResource", {
      type_name: "echo_missing",
    });

    expect(response.diagnostics[0].summary).toBe("Unknown resource type");
  });

  test("unsupported RPCs are UNIMPLEMENTED", async () => {
    for (const method of ["MoveResourceState", "GetFunctions", "CallFunction", "OpenEphemeralResource"]) {
      await expect(call(clients.provider, method, {})).rejects.toMatchObject({ code: grpc.status.UNIMPLEMENTED });
    }
  });

  test("StopProvider cancels a running apply", async () => {
    const planned = { msgpack: encodeMsgpack({ ...thingConfig, name: "wait-for-stop", id: unknown }, thingType) };
    const pending = call<{ diagnostics: Array<{ summary: string }> }>(clients.provider, "ApplyResourceChange", {
      type_name: "echo_thing",
      prior_state: { msgpack: encodeMsgpack(null, thingType) },
      planned_state: planned,
      config: planned,
    });
    await new Promise((resolve) => setTimeout(resolve, 200));

    const stop = await call<{ Error: string }>(clients.provider, "StopProvider", {});
    expect(stop.Error).toBe("");
    expect((await pending).diagnostics[0].summary).toBe("Stopped");
  });

  test("client without certificate is rejected", async () => {
    const anonymous = connectClients(parseHandshakeLine(await plugin.firstLine));
    try {
      await expect(call(anonymous.health, "Check", { service: "plugin" }, 3000)).rejects.toMatchObject({
        code: grpc.status.UNAVAILABLE,
      });
    } finally {
      anonymous.close();
    }
  });

  test("client with another certificate is rejected", async () => {
    const stranger = connectClients(parseHandshakeLine(await plugin.firstLine), generateSelfSignedCertificate());
    try {
      await expect(call(stranger.health, "Check", { service: "plugin" }, 3000)).rejects.toMatchObject({
        code: grpc.status.UNAVAILABLE,
      });
    } finally {
      stranger.close();
    }
  });

  test("client with a certificate Terraform issued is rejected", async () => {
    // Terraform's certificate is a CA, so TLS verification alone accepts
    // this one. The server must still reject it.
    const issued = generateIssuedCertificate(
      { hostname: "localhost", privateKeyPem: terraformIdentity.privateKeyPem },
      { hostname: "intruder" },
    );
    const intruder = connectClients(parseHandshakeLine(await plugin.firstLine), issued);
    try {
      await expect(call(intruder.health, "Check", { service: "plugin" }, 3000)).rejects.toMatchObject({
        code: grpc.status.UNAUTHENTICATED,
      });
      await expect(call(intruder.provider, "GetProviderSchema", {}, 3000)).rejects.toMatchObject({
        code: grpc.status.UNAUTHENTICATED,
      });
    } finally {
      intruder.close();
    }
  });

  test("SIGINT is ignored", async () => {
    plugin.child.kill("SIGINT");
    await new Promise((resolve) => setTimeout(resolve, 200));
    const health = await call(clients.health, "Check", { service: "plugin" });

    expect(plugin.child.exitCode).toBeNull();
    expect(health.status).toBe(1);
  });

  // Runs last in this block: it ends the process.
  test("Shutdown exits promptly and cleans up", async () => {
    const requestedAt = performance.now();
    await call(clients.controller, "Shutdown", {});
    const code = await plugin.exited;
    const exitMs = performance.now() - requestedAt;

    expect(code).toBe(0);
    expect(exitMs).toBeLessThan(1500);
    expect(existsSync(path.dirname(socketPath))).toBe(false);
    expect(plugin.stdout().split("\n")).toEqual([await plugin.firstLine, ""]);
  });
});

describe("provider process lifetime", () => {
  test("SIGTERM exits and cleans up", async () => {
    const identity = generateSelfSignedCertificate();
    const plugin = startPluginProcess(ECHO_PROVIDER_ENTRY, terraformEnvironment(identity.certificatePem));
    const socketPath = parseHandshakeLine(await plugin.firstLine).address;

    plugin.child.kill("SIGTERM");

    expect(await plugin.exited).toBe(0);
    expect(existsSync(path.dirname(socketPath))).toBe(false);
  });

  test("SIGHUP exits and cleans up", async () => {
    const identity = generateSelfSignedCertificate();
    const plugin = startPluginProcess(ECHO_PROVIDER_ENTRY, terraformEnvironment(identity.certificatePem));
    const socketPath = parseHandshakeLine(await plugin.firstLine).address;

    plugin.child.kill("SIGHUP");

    expect(await plugin.exited).toBe(0);
    expect(existsSync(path.dirname(socketPath))).toBe(false);
  });

  test("socket directory follows PLUGIN_UNIX_SOCKET_DIR", async () => {
    const parent = mkdtempSync(path.join(tmpdir(), "socket-parent-"));
    const identity = generateSelfSignedCertificate();
    const env = { ...terraformEnvironment(identity.certificatePem), PLUGIN_UNIX_SOCKET_DIR: parent };
    const plugin = startPluginProcess(ECHO_PROVIDER_ENTRY, env);
    try {
      const socketPath = parseHandshakeLine(await plugin.firstLine).address;

      expect(path.dirname(path.dirname(socketPath))).toBe(parent);
      expect(statSync(path.dirname(socketPath)).mode & 0o777).toBe(0o700);

      plugin.child.kill("SIGTERM");
      expect(await plugin.exited).toBe(0);
      expect(existsSync(path.dirname(socketPath))).toBe(false);
    } finally {
      plugin.child.kill("SIGKILL");
      rmSync(parent, { recursive: true, force: true });
    }
  });
});

describe("provider process started by hand", () => {
  test("missing cookie exits 1 with help", async () => {
    const env = terraformEnvironment();
    delete env.TF_PLUGIN_MAGIC_COOKIE;
    const plugin = startPluginProcess(ECHO_PROVIDER_ENTRY, env);

    expect(await plugin.exited).toBe(1);
    expect(plugin.stdout()).toBe("");
    expect(plugin.stderr()).toContain(
      "This program is a Terraform provider plugin. It is meant to be started by Terraform, not run directly.",
    );
  });

  test("missing client certificate exits 1 with help", async () => {
    const plugin = startPluginProcess(ECHO_PROVIDER_ENTRY, terraformEnvironment());

    expect(await plugin.exited).toBe(1);
    expect(plugin.stdout()).toBe("");
    expect(plugin.stderr()).toContain(
      "This provider requires AutoMTLS, but PLUGIN_CLIENT_CERT is missing or empty.\n" +
        "The provider must be started by Terraform",
    );
  });
});
