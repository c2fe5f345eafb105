// DigiCert ONE failing at one step of create, refresh, update, delete,
// import, token rotation or a data source read, through a proxy that breaks
// one response: the error reaches the user without a crash, the state keeps
// every service user that exists, and a created user's token is never lost.

import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { request } from "undici";
import {
  baseEnvironment,
  hcl,
  requireBuiltProvider,
  requireTerraform,
  Workspace,
  type StateResource,
} from "./harness";
import {
  activeAccounts,
  RunningEmulator,
  serviceUsers,
  startTestEmulator,
  tokenOwner,
} from "./emulator-fixture";
import {
  htmlPage,
  jsonResponse,
  startFaultProxy,
  type FaultProxy,
  type FaultResponse,
} from "./fault-proxy";

const USER_PATH = /^\/account\/api\/v1\/user$/;
const USER_ID_PATH = /^\/account\/api\/v1\/user\/[^/]+$/;
const ROLE_PATH = /^\/account\/api\/v1\/role$/;

function userConfig(name: string, accountId: string, description = ""): string {
  return `
resource "digicertone_service_user" "bot" {
  name        = ${hcl(name)}
  description = ${hcl(description)}
  email       = "platform-team@example.com"
  account_ids = [${hcl(accountId)}]
  access = {
    account_manager = { roles = ["AM_VIEW_ONLY"] }
  }
}
`;
}

/**
 * A provider block that retries once, so that a fault on a GET, which the
 * provider retries, needs `times: 2` to reach the user.
 */
const RETRY_ONCE = `
provider "digicertone" {
  max_retries = 1
}
`;

/** Service users in the emulator with this friendly name. */
async function usersNamed(emulator: RunningEmulator, name: string) {
  return (await serviceUsers(emulator)).filter((user) => user.friendly_name === name);
}

/** Counts the live API tokens of a service user, asked with the admin key. */
async function liveTokenCount(emulator: RunningEmulator, userId: string): Promise<number> {
  const response = await request(
    `${emulator.url}/account/api/v1/api-access-token?user_id=${encodeURIComponent(userId)}`,
    { headers: { "x-api-key": emulator.adminApiKey, "user-agent": "digicertone-acceptance-tests" } },
  );
  expect(response.statusCode).toBe(200);
  return ((await response.body.json()) as unknown[]).length;
}

/** Builds a fault response: the emulator's JSON object without `field`. */
function withoutField(field: string): (upstream: unknown) => FaultResponse {
  return (upstream) => {
    const copy = { ...(upstream as Record<string, unknown>) };
    delete copy[field];
    return jsonResponse(200, copy);
  };
}

/**
 * An HTML sign-in page with status 200, such as a captive portal or a
 * single sign-on proxy returns. The provider retries no 200, so one fault
 * reaches the user.
 */
const SIGN_IN_PAGE: FaultResponse = {
  status: 200,
  contentType: "text/html",
  body: "<html><head><title>Sign in</title></head><body><form></form></body></html>",
};

/** Output that a provider crash or a gRPC error would leave. */
const CRASH_SIGNS = ["Plugin did not respond", "rpc error", "panic", "TypeError", "Unexpected error"];

function expectNoCrash(output: string): void {
  for (const sign of CRASH_SIGNS) {
    expect({ sign, found: output.includes(sign) }).toEqual({ sign, found: false });
  }
}

describe("API faults", () => {
  let emulator: RunningEmulator;
  let proxy: FaultProxy;
  let accountId: string;
  let workspace: Workspace;

  beforeAll(async () => {
    requireTerraform();
    requireBuiltProvider();
    emulator = await startTestEmulator();
    proxy = await startFaultProxy(emulator.url);
    [{ id: accountId }] = await activeAccounts(emulator);
  });

  afterAll(async () => {
    await proxy?.close();
    await emulator?.close();
  });

  beforeEach(async () => {
    proxy.clear();
    workspace = new Workspace({
      DIGICERT_ONE_URL: proxy.url,
      DIGICERT_ONE_API_KEY: emulator.adminApiKey,
    });
  });

  afterEach(async () => {
    proxy.clear();
    await workspace.run(["destroy", "-no-color", "-input=false", "-auto-approve"]);
    workspace.remove();
  });

  async function applyResult() {
    return workspace.run(["apply", "-no-color", "-input=false", "-auto-approve"]);
  }

  async function onlyResource(): Promise<StateResource> {
    const resources = await workspace.state();
    expect(resources).toHaveLength(1);
    return resources[0];
  }

  test("malformed create response keeps the token", async () => {
    workspace.writeConfig(userConfig("malformed create bot", accountId));
    await workspace.init();
    proxy.add({
      method: "POST",
      path: USER_PATH,
      forward: true,
      respond: (created) =>
        jsonResponse(201, { ...(created as object), created_at: 20261204 }),
    });

    const logFile = path.join(workspace.dir, "trace.log");
    const applied = await workspace.run(
      ["apply", "-no-color", "-input=false", "-auto-approve"],
      { TF_LOG: "trace", TF_LOG_PATH: logFile },
    );
    expect(applied.code).toBe(1);
    expect(applied.stderr).toContain("created_at");

    const users = await usersNamed(emulator, "malformed create bot");
    expect(users).toHaveLength(1);
    const state = await onlyResource();
    expect(state.values.id).toBe(users[0].id);
    expect(typeof state.values.token).toBe("string");
    expect(applied.output).not.toContain(state.values.token as string);
    expect(readFileSync(logFile, "utf8")).not.toContain(state.values.token as string);
    expect(await tokenOwner(emulator, state.values.token as string)).toBe(users[0].id);
    expect((await workspace.plan()).stdout).toContain("is tainted, so must be replaced");
  });

  test("interrupted create keeps the token", async () => {
    workspace.writeConfig(userConfig("interrupted bot", accountId));
    await workspace.init();
    const child = spawn(
      "terraform",
      ["apply", "-no-color", "-input=false", "-auto-approve"],
      {
        cwd: workspace.dir,
        env: baseEnvironment({
          DIGICERT_ONE_URL: proxy.url,
          DIGICERT_ONE_API_KEY: emulator.adminApiKey,
        }),
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let output = "";
    child.stdout.setEncoding("utf8").on("data", (chunk) => (output += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk) => (output += chunk));
    const exited = new Promise<number>((resolve) => child.on("close", (code) => resolve(code ?? -1)));

    // Ctrl-C while DigiCert ONE handles the POST: Terraform sends
    // StopProvider to the provider and waits for the apply to return.
    proxy.add({
      method: "POST",
      path: USER_PATH,
      forward: true,
      delayMs: 1_500,
      onRequest: () => setTimeout(() => child.kill("SIGINT"), 200),
      respond: (created) => jsonResponse(201, created),
    });
    await exited;
    expect(output).toContain("Interrupt received");

    const users = await usersNamed(emulator, "interrupted bot");
    expect(users).toHaveLength(1);
    const state = await onlyResource();
    expect(state.values.id).toBe(users[0].id);
    expect(await tokenOwner(emulator, state.values.token as string)).toBe(users[0].id);
  });

  test("HTML create response names the status", async () => {
    workspace.writeConfig(userConfig("html create bot", accountId));
    await workspace.init();
    proxy.add({
      method: "POST",
      path: USER_PATH,
      forward: false,
      respond: htmlPage(502, "Bad Gateway"),
    });

    const applied = await applyResult();
    expect(applied.code).toBe(1);
    expect(applied.stderr).toContain("HTTP 502");
    expect(await usersNamed(emulator, "html create bot")).toHaveLength(0);
    expect(await workspace.state()).toHaveLength(0);
  });

  test("lost create response recovers the user with a new token", async () => {
    workspace.writeConfig(userConfig("lost reply bot", accountId));
    await workspace.init();
    proxy.add({
      method: "POST",
      path: USER_PATH,
      forward: true,
      respond: htmlPage(504, "Gateway Timeout"),
    });

    const applied = await applyResult();
    expect(applied.code).toBe(0);
    const message = applied.output.replace(/\s+/g, " ");
    expect(message).toContain("Recovered service user");
    expect(message).toContain("its API token never arrived");

    const users = await usersNamed(emulator, "lost reply bot");
    expect(users).toHaveLength(1);
    const state = await onlyResource();
    expect(state.values.id).toBe(users[0].id);
    expect(await tokenOwner(emulator, state.values.token as string)).toBe(users[0].id);
    // The token that was lost is revoked: the user has only the new one.
    expect(await liveTokenCount(emulator, users[0].id)).toBe(1);
    expect((await workspace.plan()).stdout).toContain("No changes.");
  });

  test("lost create response then retry never duplicates the user", async () => {
    workspace.writeConfig(RETRY_ONCE + userConfig("lost twice bot", accountId));
    await workspace.init();
    proxy.add({
      method: "POST",
      path: USER_PATH,
      forward: true,
      respond: htmlPage(504, "Gateway Timeout"),
    });
    // The lookup by name fails too, retry included, so the apply cannot
    // find the user.
    proxy.add({
      method: "GET",
      path: USER_PATH,
      forward: false,
      respond: htmlPage(502, "Bad Gateway"),
      times: 2,
    });

    const first = await applyResult();
    expect(first.code).toBe(1);
    expect(first.stderr.replace(/\s+/g, " ")).toContain("may have created the service user");
    expect(await workspace.state()).toHaveLength(0);

    // The retry finds the name taken and says how to recover the user.
    const retry = await applyResult();
    expect(retry.code).toBe(1);
    const message = retry.stderr.replace(/\s+/g, " ");
    const users = await usersNamed(emulator, "lost twice bot");
    expect(users).toHaveLength(1);
    expect(message).toContain(`terraform import <resource address> ${users[0].id}`);
    expect(message).toContain("its token never arrived");
    expect(message).toContain("rotation_triggers");

    // Following that advice gives the user a token in place.
    await workspace.ok(["import", "-no-color", "-input=false", "digicertone_service_user.bot", users[0].id]);
    workspace.writeConfig(
      userConfig("lost twice bot", accountId).replace(
        "  access = {",
        '  rotation_triggers = { recovered = "1" }\n  access = {',
      ),
    );
    await workspace.apply();
    const state = await onlyResource();
    expect(state.values.id).toBe(users[0].id);
    expect(await tokenOwner(emulator, state.values.token as string)).toBe(users[0].id);
    expect((await workspace.plan()).stdout).toContain("No changes.");
    expect(await usersNamed(emulator, "lost twice bot")).toHaveLength(1);
  });

  test("failed disable after create keeps the user and token", async () => {
    workspace.writeConfig(
      userConfig("disable fails bot", accountId).replace("  access = {", "  enabled = false\n  access = {"),
    );
    await workspace.init();
    proxy.add({
      method: "PUT",
      path: /^\/account\/api\/v1\/user\/[^/]+\/disable$/,
      forward: false,
      respond: jsonResponse(500, { errors: [{ code: "internal_error", message: "boom" }] }),
    });

    const applied = await applyResult();
    expect(applied.code).toBe(1);
    expect(applied.stderr).toContain("internal_error");
    const users = await usersNamed(emulator, "disable fails bot");
    expect(users).toHaveLength(1);
    const state = await onlyResource();
    expect(state.values.id).toBe(users[0].id);
    expect(await tokenOwner(emulator, state.values.token as string)).toBe(users[0].id);
    expect((await workspace.plan()).stdout).toContain("is tainted, so must be replaced");
  });

  test("role lookup failure creates nothing", async () => {
    workspace.writeConfig(userConfig("role lookup bot", accountId));
    await workspace.init();
    proxy.add({
      method: "GET",
      path: ROLE_PATH,
      forward: false,
      respond: jsonResponse(500, { errors: [{ code: "internal_error", message: "boom" }] }),
    });

    const applied = await applyResult();
    expect(applied.code).toBe(1);
    expect(applied.stderr).toContain("internal_error");
    expect(applied.stderr).not.toContain("may have created");
    expect(await usersNamed(emulator, "role lookup bot")).toHaveLength(0);
    expect(await workspace.state()).toHaveLength(0);
  });

  // The last column is how many requests the provider sends: it retries a
  // 503 once with RETRY_ONCE.
  test.each([
    ["500 JSON", jsonResponse(500, { errors: [{ code: "internal_error", message: "boom" }] }), "internal_error", 1],
    ["HTML page", htmlPage(503, "Service Unavailable"), "HTTP 503", 2],
    ["wrong JSON type", jsonResponse(200, { id: 7 }), '"id"', 1],
    ["JSON array", jsonResponse(200, []), "should be object but is array", 1],
  ])("refresh with %s keeps state", async (_title, response, message, attempts) => {
    workspace.writeConfig(RETRY_ONCE + userConfig("refresh fault bot", accountId));
    await workspace.init();
    await workspace.apply();
    const before = await onlyResource();

    proxy.add({
      method: "GET",
      path: USER_ID_PATH,
      forward: false,
      respond: response,
      times: attempts,
    });
    const planned = await workspace.run(["plan", "-no-color", "-input=false"]);
    expect(planned.code).toBe(1);
    // Terraform wraps the detail, so line breaks count as spaces.
    expect(planned.stderr.replace(/\s+/g, " ")).toContain(message);

    expect((await onlyResource()).values).toEqual(before.values);
    expect((await workspace.plan()).stdout).toContain("No changes.");
  });

  test("refresh retries a 503", async () => {
    workspace.writeConfig(userConfig("retried refresh bot", accountId));
    await workspace.init();
    await workspace.apply();

    proxy.add({
      method: "GET",
      path: USER_ID_PATH,
      forward: false,
      respond: htmlPage(503, "Service Unavailable"),
    });
    const sentBefore = proxy.requests.length;
    const planned = await workspace.plan();

    expect(planned.stdout).toContain("No changes.");
    const reads = proxy.requests
      .slice(sentBefore)
      .filter((line) => /^GET \/account\/api\/v1\/user\/[^/?]+$/.test(line));
    expect(reads).toHaveLength(2);
  });

  test("failed update keeps state and token", async () => {
    workspace.writeConfig(userConfig("update fault bot", accountId));
    await workspace.init();
    await workspace.apply();
    const before = await onlyResource();

    workspace.writeConfig(userConfig("update fault bot", accountId, "changed"));
    proxy.add({
      method: "PUT",
      path: USER_ID_PATH,
      forward: false,
      respond: htmlPage(500, "Internal Server Error"),
    });
    const applied = await applyResult();
    expect(applied.code).toBe(1);
    expect(applied.stderr).toContain("HTTP 500");

    const after = await onlyResource();
    expect(after.values.token).toBe(before.values.token);
    expect(after.values.description).toBe("");
    expect((await workspace.plan()).stdout).toContain("will be updated in-place");
  });

  test("malformed update response keeps token", async () => {
    workspace.writeConfig(userConfig("update reply bot", accountId));
    await workspace.init();
    await workspace.apply();
    const before = await onlyResource();

    workspace.writeConfig(userConfig("update reply bot", accountId, "changed"));
    proxy.add({
      method: "PUT",
      path: USER_ID_PATH,
      forward: true,
      respond: (updated) => jsonResponse(200, { ...(updated as object), status: null }),
    });
    const applied = await applyResult();
    expect(applied.code).toBe(1);
    expect(applied.stderr).toContain("status");

    expect((await onlyResource()).values.token).toBe(before.values.token);
    expect((await workspace.plan()).stdout).toContain("No changes.");
  });

  test("failed delete keeps the user in state", async () => {
    workspace.writeConfig(userConfig("delete fault bot", accountId));
    await workspace.init();
    await workspace.apply();
    const before = await onlyResource();

    proxy.add({
      method: "DELETE",
      path: USER_ID_PATH,
      forward: false,
      respond: jsonResponse(500, { errors: [{ code: "internal_error", message: "boom" }] }),
    });
    const destroyed = await workspace.run([
      "destroy",
      "-no-color",
      "-input=false",
      "-auto-approve",
    ]);
    expect(destroyed.code).toBe(1);
    expect(destroyed.stderr).toContain("internal_error");
    expect((await onlyResource()).values.token).toBe(before.values.token);
    expect(await usersNamed(emulator, "delete fault bot")).toHaveLength(1);
  });

  test("refresh with a missing field keeps state", async () => {
    workspace.writeConfig(userConfig("missing field bot", accountId));
    await workspace.init();
    await workspace.apply();
    const before = await onlyResource();

    proxy.add({ method: "GET", path: USER_ID_PATH, forward: true, respond: withoutField("friendly_name") });
    const planned = await workspace.run(["plan", "-no-color", "-input=false"]);
    expect(planned.code).toBe(1);
    expect(planned.stderr.replace(/\s+/g, " ")).toContain('field "friendly_name" should be string but is missing');
    expectNoCrash(planned.output);

    expect((await onlyResource()).values).toEqual(before.values);
    expect((await workspace.plan()).stdout).toContain("No changes.");
  });

  test("HTML delete response keeps the user", async () => {
    workspace.writeConfig(userConfig("html delete bot", accountId));
    await workspace.init();
    await workspace.apply();
    const before = await onlyResource();

    // 403 from a firewall: not retried, unlike a gateway's 502.
    proxy.add({ method: "DELETE", path: USER_ID_PATH, forward: false, respond: htmlPage(403, "Forbidden") });
    const destroyed = await workspace.run(["destroy", "-no-color", "-input=false", "-auto-approve"]);
    expect(destroyed.code).toBe(1);
    expect(destroyed.stderr).toContain("HTTP 403");
    expectNoCrash(destroyed.output);
    expect((await onlyResource()).values).toEqual(before.values);
    expect(await usersNamed(emulator, "html delete bot")).toHaveLength(1);
  });

  test("create response without id keeps one user", async () => {
    workspace.writeConfig(userConfig("no id bot", accountId));
    await workspace.init();
    proxy.add({ method: "POST", path: USER_PATH, forward: true, respond: withoutField("id") });

    const applied = await applyResult();
    const users = await usersNamed(emulator, "no id bot");
    const state = await workspace.state();

    expectNoCrash(applied.output);
    expect(users).toHaveLength(1);
    expect(state).toHaveLength(1);
    expect(state[0].values.id).toBe(users[0].id);
    expect(await tokenOwner(emulator, state[0].values.token as string)).toBe(users[0].id);
  });

  test.each([
    ["sign-in page", SIGN_IN_PAGE, "text that is not JSON"],
    ["wrong shape", jsonResponse(200, { users: [] }), "an array or an object with an items array"],
    ["wrong item type", jsonResponse(200, [{ id: 7 }]), 'field "[0].id" should be string but is number'],
  ])("import by name with list %s fails", async (_title, response, message) => {
    workspace.writeConfig(userConfig("import list bot", accountId));
    await workspace.init();
    await workspace.apply();
    await workspace.ok(["state", "rm", "-no-color", "digicertone_service_user.bot"]);

    proxy.add({ method: "GET", path: USER_PATH, forward: false, respond: response });
    const importArgs = ["import", "-no-color", "-input=false", "digicertone_service_user.bot", "import list bot"];
    const imported = await workspace.run(importArgs);
    expect(imported.code).toBe(1);
    expect(imported.stderr.replace(/\s+/g, " ")).toContain(message);
    expectNoCrash(imported.output);
    expect(await workspace.state()).toHaveLength(0);

    // Back into state, so that afterEach destroys it.
    await workspace.ok(importArgs);
  });

  test("import by id with a malformed read fails", async () => {
    workspace.writeConfig(userConfig("import read bot", accountId));
    await workspace.init();
    await workspace.apply();
    const id = (await onlyResource()).values.id as string;
    await workspace.ok(["state", "rm", "-no-color", "digicertone_service_user.bot"]);

    proxy.add({ method: "GET", path: USER_ID_PATH, forward: true, respond: withoutField("email") });
    const importArgs = ["import", "-no-color", "-input=false", "digicertone_service_user.bot", id];
    const imported = await workspace.run(importArgs);
    expect(imported.code).toBe(1);
    expect(imported.stderr.replace(/\s+/g, " ")).toContain('field "email" should be string but is missing');
    expectNoCrash(imported.output);
    expect(await workspace.state()).toHaveLength(0);

    await workspace.ok(importArgs);
  });

  test("failed token issue on rotation keeps the token", async () => {
    workspace.writeConfig(userConfig("rotation reply bot", accountId));
    await workspace.init();
    await workspace.apply();
    const before = await onlyResource();

    workspace.writeConfig(
      userConfig("rotation reply bot", accountId).replace(
        "  access = {",
        '  rotation_triggers = { rotated = "1" }\n  access = {',
      ),
    );
    proxy.add({
      method: "POST",
      path: /^\/account\/api\/v1\/api-access-token$/,
      forward: false,
      respond: htmlPage(500, "Internal Server Error"),
    });
    const applied = await applyResult();
    expect(applied.code).toBe(1);
    expect(applied.stderr).toContain("HTTP 500");
    expectNoCrash(applied.output);

    const after = await onlyResource();
    expect(after.values.token).toBe(before.values.token);
    expect(await tokenOwner(emulator, after.values.token as string)).toBe(before.values.id);
    expect((await workspace.plan()).stdout).toContain("will be updated in-place");
  });

  const ACCOUNT_PATH = /^\/account\/api\/v1\/account$/;
  test.each([
    ["service users", 'data "digicertone_service_users" "all" {}', USER_PATH, jsonResponse(200, [{ id: 7 }]), 'field "[0].id" should be string but is number'],
    ["service user by id", 'data "digicertone_service_user" "one" {\n  id = "00000000-0000-4000-8000-000000000001"\n}', USER_ID_PATH, SIGN_IN_PAGE, "text that is not JSON"],
    ["service user by name", 'data "digicertone_service_user" "one" {\n  name = "nobody"\n}', USER_PATH, jsonResponse(200, { items: "none" }), "an array or an object with an items array"],
    ["accounts", 'data "digicertone_accounts" "all" {}', ACCOUNT_PATH, jsonResponse(200, [{ id: "a" }]), 'field "[0].name" should be string but is missing'],
    ["roles", 'data "digicertone_roles" "viewers" {\n  manager = "account_manager"\n}', ROLE_PATH, SIGN_IN_PAGE, "text that is not JSON"],
  ])("data source %s with a bad response fails", async (_title, block, faultPath, response, message) => {
    workspace.writeConfig(block);
    await workspace.init();
    proxy.add({ method: "GET", path: faultPath, forward: false, respond: response });

    const planned = await workspace.run(["plan", "-no-color", "-input=false"]);
    expect(planned.code).toBe(1);
    expect(planned.stderr.replace(/\s+/g, " ")).toContain(message);
    expectNoCrash(planned.output);
  });
});
