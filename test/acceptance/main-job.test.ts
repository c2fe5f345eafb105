// The main job, `npm start`, end to end with the real Terraform CLI. The
// first run looks up the example's accounts by name and creates its service
// users and role binding in a local emulator. The second plans no changes,
// and neither prints a token or the API key. Bad input stops it with one
// line on stderr and a non-zero exit code.

import { spawn, spawnSync } from "node:child_process";
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { createServer, Server } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

import { request } from "undici";

import { ACCOUNTS, APPLICATIONS, ROLES } from "../../emulator/src/catalogue";
import { startEmulator, type ServiceUserRecord } from "../../emulator/src/server";
import { EMULATOR_ACCOUNT_NAMES } from "../../examples/app/platform-stack";
import { RunningEmulator, activeAccounts, startTestEmulator } from "./emulator-fixture";
import {
  baseEnvironment,
  requireBuiltProvider,
  requireTerraform,
  ROOT,
  RunResult,
  Workspace,
} from "./harness";

const TSX_CLI = path.join(ROOT, "node_modules/tsx/dist/cli.mjs");

const USER_NAMES = ["audit reader", "certificate-automation bot", "release-signing bot"];
const TOKEN_OUTPUTS = [
  "audit_reader_token",
  "certificate_automation_bot_token",
  "release_signing_bot_token",
];

/** `  TF_CLI_CONFIG_FILE=… terraform -chdir=… output -raw <name>` lines. */
const REVEAL_COMMAND = /^ {2}(TF_CLI_CONFIG_FILE=\S+ terraform -chdir=\S+ output -raw (\w+))$/gm;

/**
 * Runs the main job with `command` (npx or node) from the repository root,
 * in the harness's environment, which has no DIGICERT_ONE_* or TF_* variables.
 */
async function runStart(
  args: string[],
  extraEnv: Record<string, string | undefined>,
  command: { file: string; args: string[] } = { file: "npx", args: ["tsx"] },
): Promise<RunResult> {
  const child = spawn(command.file, [...command.args, "scripts/start.ts", ...args], {
    cwd: ROOT,
    env: baseEnvironment(extraEnv),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (chunk) => (stdout += chunk));
  child.stderr.setEncoding("utf8").on("data", (chunk) => (stderr += chunk));
  const code = await new Promise<number>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (exitCode) => resolve(exitCode ?? -1));
  });
  return { code, stdout, stderr, output: stdout + stderr };
}

/** Fails with the job's output unless it exited with 0. */
function expectSuccess(result: RunResult): void {
  expect({ code: result.code, output: result.output }).toEqual({
    code: 0,
    output: result.output,
  });
}

/** Splits stderr into lines, dropping the empty one after the last newline. */
function stderrLines(result: RunResult): string[] {
  return result.stderr.trimEnd().split("\n");
}

/** Runs one printed reveal command in a shell and returns what it printed. */
function reveal(command: string): string {
  const result = spawnSync("sh", ["-c", command], {
    cwd: ROOT,
    env: baseEnvironment(),
    encoding: "utf8",
  });
  if (result.status !== 0) {
    throw new Error(`${command} exited ${result.status}:\n${result.stderr}`);
  }
  return result.stdout;
}

function temporaryDir(prefix: string): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

/** Calls GET /account with a key and returns the HTTP status. */
async function accountStatus(emulator: RunningEmulator, apiKey: string): Promise<number> {
  const response = await request(`${emulator.apiUrl}/account`, {
    headers: { "x-api-key": apiKey, "user-agent": "digicertone-acceptance-tests" },
  });
  await response.body.dump();
  return response.statusCode;
}

/** Maps each manager code of a user to its sorted role codes. */
function managerRoles(user: ServiceUserRecord): { [manager: string]: string[] } {
  const result: { [manager: string]: string[] } = {};
  for (const application of user.applications) {
    const manager =
      APPLICATIONS.find((candidate) => candidate.id === application.id)?.code ?? application.id;
    result[manager] = application.roleIds
      .map((roleId) => ROLES.find((role) => role.id === roleId)?.code ?? roleId)
      .sort();
  }
  return result;
}

/** Returns the fields that the example sets, sorted so two emulators compare equal. */
function declaredFields(emulator: RunningEmulator): unknown[] {
  return emulator
    .serviceUsers()
    .map((user) => ({
      name: user.friendlyName,
      description: user.description,
      email: user.email,
      endDate: user.endDate,
      accounts: [...user.accounts].sort(),
      primaryAccountId: user.primaryAccountId,
      applications: user.applications
        .map((application) => ({ id: application.id, roleIds: [...application.roleIds].sort() }))
        .sort((a, b) => a.id.localeCompare(b.id)),
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

describe("npm start against the local emulator", () => {
  let workDir: string;
  let first: RunResult;
  let second: RunResult;
  let emulator: RunningEmulator | undefined;

  beforeAll(async () => {
    requireTerraform();
    workDir = temporaryDir("main-job-");
    first = await runStart([], { DIGICERT_ONE_WORK_DIR: workDir });
    second = await runStart([], { DIGICERT_ONE_WORK_DIR: workDir });
    // The job stops its emulator; this one serves the same data to check it.
    emulator = await startEmulator({
      host: "127.0.0.1",
      port: 0,
      dataDir: path.join(workDir, "emulator"),
      quiet: true,
    });
  });

  afterAll(async () => {
    await emulator?.close();
    rmSync(workDir, { recursive: true, force: true });
  });

  test("both runs exit 0", () => {
    expectSuccess(first);
    expectSuccess(second);
  });

  test("each run prints nine numbered steps", () => {
    for (const run of [first, second]) {
      const steps = run.stdout.match(/^\[\d\/9\] /gm) ?? [];
      expect(steps).toEqual(Array.from({ length: 9 }, (_, index) => `[${index + 1}/9] `));
    }
  });

  test("first run creates users and binding", () => {
    expect(first.stdout).toContain("Plan: 4 to add, 0 to change, 0 to destroy.");
    expect(first.stdout).toContain("Apply complete! Resources: 4 added, 0 changed, 0 destroyed.");
    const names = emulator!.serviceUsers().map((user) => user.friendlyName);
    expect(names.sort()).toEqual(USER_NAMES);
  });

  test("users get the accounts named", () => {
    const ids = ACCOUNTS.filter((account) => EMULATOR_ACCOUNT_NAMES.includes(account.name)).map(
      (account) => account.id,
    );
    for (const user of emulator!.serviceUsers()) {
      expect({ name: user.friendlyName, accounts: [...user.accounts].sort() }).toEqual({
        name: user.friendlyName,
        accounts: [...ids].sort(),
      });
    }
  });

  test("binding grants audit reader a manager", () => {
    const auditReader = emulator!.serviceUsers().find((user) => user.friendlyName === "audit reader");
    expect(auditReader).toBeDefined();
    expect(managerRoles(auditReader!)).toEqual({
      account_manager: ["AM_VIEW_ONLY"],
      trust_lifecycle: ["EM_VIEW_ONLY"],
    });
  });

  test("second run plans no changes", () => {
    expect(second.stdout).toContain("No changes.");
    expect(second.stdout).toContain("[8/9] Skipping terraform apply: the plan has no changes");
    expect(second.stdout).not.toContain("Apply complete!");
    expect(emulator!.serviceUsers()).toHaveLength(3);
  });

  test("outputs show tokens as sensitive", () => {
    for (const run of [first, second]) {
      for (const name of TOKEN_OUTPUTS) {
        expect(run.stdout).toContain(`${name} = <sensitive>`);
      }
    }
  });

  test("state and data stay in the work dir", () => {
    expect(existsSync(path.join(workDir, "local/terraform.platform.tfstate"))).toBe(true);
    expect(existsSync(path.join(workDir, "emulator/state.json"))).toBe(true);
    expect(existsSync(path.join(workDir, "local/cdktf.out/stacks/platform/platform.tfplan"))).toBe(
      false,
    );
  });

  test("reveal commands print working tokens", async () => {
    const commands = [...second.stdout.matchAll(REVEAL_COMMAND)];
    expect(commands.map((match) => match[2])).toEqual(TOKEN_OUTPUTS);

    for (const [, command, name] of commands) {
      const token = reveal(command);
      expect({ name, length: token.length > 16 }).toEqual({ name, length: true });
      expect({ name, inFirst: first.output.includes(token) }).toEqual({ name, inFirst: false });
      expect({ name, inSecond: second.output.includes(token) }).toEqual({
        name,
        inSecond: false,
      });
      expect({ name, status: await accountStatus(emulator!, token) }).toEqual({
        name,
        status: 200,
      });
    }
  });

  test("output never contains the admin key", () => {
    expect(first.output).not.toContain(emulator!.adminApiKey);
    expect(second.output).not.toContain(emulator!.adminApiKey);
  });

  test("hcl example declares the same users", async () => {
    requireBuiltProvider();
    const hclEmulator = await startTestEmulator();
    const workspace = new Workspace({
      DIGICERT_ONE_URL: hclEmulator.url,
      DIGICERT_ONE_API_KEY: hclEmulator.adminApiKey,
    });
    try {
      copyFileSync(path.join(ROOT, "examples/hcl/main.tf"), path.join(workspace.dir, "main.tf"));
      await workspace.init();
      const applied = await workspace.apply();
      for (const name of TOKEN_OUTPUTS) {
        expect(applied.stdout).toContain(`${name} = <sensitive>`);
      }
      expect(declaredFields(hclEmulator)).toEqual(declaredFields(emulator!));
    } finally {
      workspace.remove();
      await hclEmulator.close();
    }
  });
});

describe("npm start against a tenant", () => {
  let tenant: RunningEmulator;
  let workDir: string;
  let tenantEnv: Record<string, string>;

  beforeAll(async () => {
    requireTerraform();
    tenant = await startTestEmulator();
    workDir = temporaryDir("main-job-tenant-");
    const accounts = await activeAccounts(tenant);
    tenantEnv = {
      DIGICERT_ONE_WORK_DIR: workDir,
      DIGICERT_ONE_URL: tenant.url,
      DIGICERT_ONE_API_KEY: tenant.adminApiKey,
      TF_VAR_account_names: JSON.stringify(accounts.map((account) => account.name)),
    };
  });

  afterAll(async () => {
    await tenant?.close();
    rmSync(workDir, { recursive: true, force: true });
  });

  test("apply without a terminal needs --auto-approve", async () => {
    const result = await runStart([], tenantEnv);
    expect(result.code).toBe(1);
    expect(stderrLines(result)).toEqual([
      expect.stringContaining("run npm start -- --auto-approve"),
    ]);
    expect(tenant.serviceUsers()).toHaveLength(0);
  });

  test("--auto-approve creates users without an emulator", async () => {
    const result = await runStart(["--auto-approve"], tenantEnv);
    expectSuccess(result);
    expect(result.stdout).toContain(`[3/9] Using the DigiCert ONE tenant at ${tenant.url}`);
    expect(existsSync(path.join(workDir, "emulator"))).toBe(false);
    expect(tenant.serviceUsers().map((user) => user.friendlyName).sort()).toEqual(USER_NAMES);
    expect(result.output).not.toContain(tenant.adminApiKey);
  });

  test("missing account names is one line", async () => {
    const result = await runStart([], { ...tenantEnv, TF_VAR_account_names: undefined });
    expect(result.code).toBe(2);
    expect(stderrLines(result)).toEqual([expect.stringContaining("TF_VAR_account_names is not set")]);
  });

  test("URL without key is one line", async () => {
    const result = await runStart([], { ...tenantEnv, DIGICERT_ONE_API_KEY: undefined });
    expect(result.code).toBe(2);
    expect(stderrLines(result)).toEqual([
      expect.stringContaining("DIGICERT_ONE_URL is set but DIGICERT_ONE_API_KEY is not"),
    ]);
  });
});

describe("npm start with bad input", () => {
  let workDir: string;

  beforeEach(() => {
    workDir = temporaryDir("main-job-bad-");
  });

  afterEach(() => {
    rmSync(workDir, { recursive: true, force: true });
  });

  test("missing terraform is one line", async () => {
    // A PATH with node and nothing else, so `terraform` cannot be found.
    const binDir = path.join(workDir, "bin");
    mkdirSync(binDir);
    symlinkSync(process.execPath, path.join(binDir, "node"));

    const result = await runStart(
      [],
      { DIGICERT_ONE_WORK_DIR: workDir, PATH: binDir },
      { file: process.execPath, args: [TSX_CLI] },
    );

    expect(result.code).toBe(1);
    expect(stderrLines(result)).toEqual([
      expect.stringMatching(/^error: terraform was not found on the PATH\. Install Terraform 1\.11/),
    ]);
    expect(existsSync(path.join(workDir, "emulator"))).toBe(false);
  });

  test("busy port is one line", async () => {
    const server: Server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as { port: number };
    try {
      const result = await runStart(["--port", String(port)], { DIGICERT_ONE_WORK_DIR: workDir });
      expect(result.code).toBe(1);
      expect(stderrLines(result)).toEqual([
        expect.stringContaining(`port ${port} on 127.0.0.1 is in use`),
      ]);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  test("unreadable emulator data is one line", async () => {
    mkdirSync(path.join(workDir, "emulator"));
    writeFileSync(path.join(workDir, "emulator/state.json"), "{ not json");

    const result = await runStart([], { DIGICERT_ONE_WORK_DIR: workDir });

    expect(result.code).toBe(1);
    expect(stderrLines(result)).toEqual([
      expect.stringContaining("the local DigiCert ONE emulator failed to start"),
    ]);
  });

  test("invalid port is one line", async () => {
    const result = await runStart(["--port", "http"], { DIGICERT_ONE_WORK_DIR: workDir });
    expect(result.code).toBe(2);
    expect(stderrLines(result)).toEqual([expect.stringContaining('--port "http" is not valid')]);
  });
});
