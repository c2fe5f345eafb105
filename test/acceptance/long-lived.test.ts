// The long-lived provider (--serve) with the real Terraform CLI: commands
// reattach to one process through TF_REATTACH_PROVIDERS, each provider alias
// keeps its own configuration, and stopping removes the socket directory.

import { existsSync, statSync } from "node:fs";
import path from "node:path";
import {
  hcl,
  requireBuiltProvider,
  requireTerraform,
  startLongLivedProvider,
  Workspace,
  type LongLivedProvider,
} from "./harness";
import {
  activeAccounts,
  serviceUsers,
  startTestEmulator,
  type RunningEmulator,
} from "./emulator-fixture";

/** Returns a service user resource named `name` that `provider` (such as `digicertone.b`) manages. */
function serviceUserHcl(resource: string, provider: string, name: string, accountId: string): string {
  return [
    `resource "digicertone_service_user" ${hcl(resource)} {`,
    `  provider    = ${provider}`,
    `  name        = ${hcl(name)}`,
    `  email       = "platform-team@example.com"`,
    `  account_ids = [${hcl(accountId)}]`,
    `  access = {`,
    `    account_manager = { roles = ["AM_VIEW_ONLY"] }`,
    `  }`,
    `}`,
    ``,
  ].join("\n");
}

function providerHcl(emulator: RunningEmulator, alias?: string): string {
  return [
    `provider "digicertone" {`,
    ...(alias === undefined ? [] : [`  alias   = ${hcl(alias)}`]),
    `  url     = ${hcl(emulator.url)}`,
    `  api_key = ${hcl(emulator.adminApiKey)}`,
    `}`,
    ``,
  ].join("\n");
}

/** Counts the connections the provider has accepted, from its debug log. */
function connectionCount(provider: LongLivedProvider): number {
  return provider.stderr().split("\n").filter((line) => line.includes('"Connection opened"')).length;
}

describe("long-lived provider", () => {
  let first: RunningEmulator;
  let second: RunningEmulator;
  let provider: LongLivedProvider;
  let workspace: Workspace;

  beforeAll(async () => {
    requireTerraform();
    requireBuiltProvider();
    [first, second] = await Promise.all([startTestEmulator(), startTestEmulator()]);
    provider = await startLongLivedProvider();
    workspace = new Workspace({ TF_REATTACH_PROVIDERS: provider.reattachValue });
  });

  afterAll(async () => {
    await provider?.stop();
    workspace?.remove();
    await Promise.all([first?.close(), second?.close()]);
  });

  test("serves a private unix socket", () => {
    const directory = path.dirname(provider.socketPath);

    expect(statSync(directory).mode & 0o777).toBe(0o700);
    expect(statSync(provider.socketPath).isSocket()).toBe(true);
    expect(statSync(provider.socketPath).mode & 0o777).toBe(0o600);
    expect(JSON.parse(provider.reattachValue)).toEqual({
      "registry.terraform.io/digicert/digicertone": {
        Protocol: "grpc",
        ProtocolVersion: 6,
        Pid: provider.pid,
        Test: true,
        Addr: { Network: "unix", String: provider.socketPath },
      },
    });
  });

  test("aliases keep their own configuration across runs", async () => {
    const [firstAccount] = await activeAccounts(first);
    const [secondAccount] = await activeAccounts(second);
    workspace.writeConfig(
      providerHcl(first) +
        providerHcl(second, "b") +
        serviceUserHcl("default", "digicertone", "default-alias bot", firstAccount.id) +
        serviceUserHcl("aliased", "digicertone.b", "b-alias bot", secondAccount.id),
    );

    await workspace.init();
    await workspace.plan();
    const applied = await workspace.apply();
    const connectionsAfterApply = connectionCount(provider);

    expect(applied.stdout).toContain("2 added, 0 changed, 0 destroyed");
    expect((await serviceUsers(first)).map((user) => user.friendly_name)).toEqual(["default-alias bot"]);
    expect((await serviceUsers(second)).map((user) => user.friendly_name)).toEqual(["b-alias bot"]);

    // A second command reattaches to the same process, which reads each
    // user back through its own alias's emulator.
    const replanned = await workspace.plan();

    expect(replanned.stdout).toContain("No changes.");
    expect(connectionCount(provider)).toBeGreaterThan(connectionsAfterApply);
    expect(provider.stderr()).not.toContain('"Provider stopping"');
    expect(() => process.kill(provider.pid, 0)).not.toThrow();
  });

  test("SIGTERM stops it and removes the socket directory", async () => {
    const own = await startLongLivedProvider();
    const directory = path.dirname(own.socketPath);

    expect(existsSync(directory)).toBe(true);
    expect(await own.stop("SIGTERM")).toBe(0);
    expect(existsSync(directory)).toBe(false);
  });

  test("stop on stdin stops it", async () => {
    const own = await startLongLivedProvider();
    const directory = path.dirname(own.socketPath);
    own.writeStdin("stop\n");

    expect(await own.exited).toBe(0);
    expect(existsSync(directory)).toBe(false);
  });
});
