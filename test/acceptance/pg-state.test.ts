// Team state in PostgreSQL: two `terraform apply` runs of one configuration,
// from two working directories that share a pg backend, start at the same
// time. The backend's lock must let only one of them change DigiCert ONE at
// a time, so the emulator ends with one service user per name and both
// directories see the same state. The example app's main job also keeps its
// state in PostgreSQL when PG_CONN_STR is set.

import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { startEmulator } from "../../emulator/src/server";
import { activeAccounts, serviceUsers, type RunningEmulator } from "./emulator-fixture";
import {
  baseEnvironment,
  hcl,
  requireBuiltProvider,
  requireTerraform,
  ROOT,
  RunResult,
  Workspace,
} from "./harness";
import { startPostgres, type RunningPostgres } from "./postgres-fixture";

const USER_COUNT = 4;

/**
 * Delay of every API response, so that an apply holds the state lock for
 * seconds and the second apply always finds it taken.
 */
const LATENCY = { minMs: 200, maxMs: 400 };

const LOCK_ERROR = "Error acquiring the state lock";

function config(schemaName: string, prefix: string, accountId: string): string {
  return `
terraform {
  backend "pg" {
    schema_name = ${hcl(schemaName)}
  }
}

resource "digicertone_service_user" "team" {
  count       = ${USER_COUNT}
  name        = "${prefix} \${count.index}"
  email       = "platform-team@example.com"
  account_ids = [${hcl(accountId)}]
  access = {
    account_manager = { roles = ["AM_VIEW_ONLY"] }
  }
}
`;
}

const ADDRESSES = Array.from(
  { length: USER_COUNT },
  (_, index) => `digicertone_service_user.team[${index}]`,
);

describe("pg backend with two concurrent applies", () => {
  let postgres: RunningPostgres;
  let emulator: RunningEmulator;
  let accountId: string;
  const workspaces: Workspace[] = [];

  beforeAll(async () => {
    requireTerraform();
    requireBuiltProvider();
    postgres = await startPostgres();
    emulator = await startEmulator({
      host: "127.0.0.1",
      port: 0,
      quiet: true,
    });
    [{ id: accountId }] = await activeAccounts(emulator);
  });

  afterAll(async () => {
    for (const workspace of workspaces) workspace.remove();
    await emulator?.close();
    await postgres?.stop();
  });

  /**
   * Initializes two working directories with the same configuration. The
   * first init creates the schema, its table and the default workspace,
   * which two inits at once could both try to create, so they run in turn.
   */
  async function twoWorkspaces(schemaName: string, prefix: string): Promise<Workspace[]> {
    const pair: Workspace[] = [];
    for (let index = 0; index < 2; index++) {
      const workspace = new Workspace({
        DIGICERT_ONE_URL: emulator.url,
        DIGICERT_ONE_API_KEY: emulator.adminApiKey,
        PG_CONN_STR: postgres.connectionString,
      });
      workspaces.push(workspace);
      workspace.writeConfig(config(schemaName, prefix, accountId));
      await workspace.init();
      pair.push(workspace);
    }
    return pair;
  }

  /**
   * Starts `apply` in both directories at once and waits for both. The
   * emulator delays its responses meanwhile, and only then, so that the
   * checks afterwards run at full speed.
   */
  async function applyTogether(pair: Workspace[], lockTimeout: string): Promise<RunResult[]> {
    const args = [
      "apply",
      "-no-color",
      "-input=false",
      "-auto-approve",
      `-lock-timeout=${lockTimeout}`,
    ];
    emulator.setFaults({ seed: 11, latency: LATENCY });
    try {
      return await Promise.all(pair.map((workspace) => workspace.run(args)));
    } finally {
      emulator.setFaults({});
    }
  }

  /** Names of the emulator's service users that start with `prefix`, sorted. */
  async function userNames(prefix: string): Promise<string[]> {
    const users = await serviceUsers(emulator);
    return users
      .map((user) => user.friendly_name)
      .filter((name) => name.startsWith(`${prefix} `))
      .sort();
  }

  function expectedNames(prefix: string): string[] {
    return Array.from({ length: USER_COUNT }, (_, index) => `${prefix} ${index}`).sort();
  }

  /** Checks that both directories read the same state, with every user once. */
  async function expectConsistentState(pair: Workspace[], schemaName: string): Promise<void> {
    for (const workspace of pair) {
      const plan = await workspace.plan();
      expect(plan.stdout).toContain("No changes.");

      const list = await workspace.ok(["state", "list", "-no-color"]);
      const addresses = list.stdout.split("\n").filter((line) => line !== "");
      expect(addresses.sort()).toEqual([...ADDRESSES].sort());
    }
    // One row per Terraform workspace, and only the default one is used.
    const rows = await postgres.query(`SELECT name FROM ${schemaName}.states ORDER BY name`);
    expect(rows).toEqual(["default"]);
  }

  function expectNoPassword(results: RunResult[], pair: Workspace[]): void {
    for (const result of results) {
      expect(result.output).not.toContain(postgres.password);
    }
    // Terraform saves the backend's settings here, and conn_str is not one of them.
    for (const workspace of pair) {
      const saved = readFileSync(path.join(workspace.dir, ".terraform/terraform.tfstate"), "utf8");
      expect(saved).not.toContain(postgres.password);
    }
  }

  test("second apply fails on the lock without waiting", async () => {
    const pair = await twoWorkspaces("lock_no_wait", "pg no-wait bot");

    const results = await applyTogether(pair, "0s");

    const codes = results.map((result) => result.code).sort();
    const outputs = results.map((result) => result.output);
    expect({ codes, outputs }).toEqual({ codes: [0, 1], outputs });
    const applied = results.find((result) => result.code === 0)!;
    const locked = results.find((result) => result.code !== 0)!;
    expect(applied.stdout).toContain(
      `Apply complete! Resources: ${USER_COUNT} added, 0 changed, 0 destroyed.`,
    );
    expect(locked.stderr).toContain(LOCK_ERROR);
    expect(locked.output).not.toContain("Apply complete!");

    expect(await userNames("pg no-wait bot")).toEqual(expectedNames("pg no-wait bot"));
    await expectConsistentState(pair, "lock_no_wait");
    expectNoPassword(results, pair);
  });

  test("second apply waits for the lock", async () => {
    const pair = await twoWorkspaces("lock_wait", "pg waiting bot");

    const results = await applyTogether(pair, "120s");

    for (const result of results) {
      expect({ code: result.code, output: result.output }).toEqual({
        code: 0,
        output: result.output,
      });
    }
    // The apply that got the lock second planned against the first one's
    // state, so it had nothing left to create.
    const summaries = results
      .map((result) => /Apply complete! Resources: (\d+) added/.exec(result.stdout)?.[1])
      .sort();
    expect(summaries).toEqual(["0", String(USER_COUNT)]);

    expect(await userNames("pg waiting bot")).toEqual(expectedNames("pg waiting bot"));
    await expectConsistentState(pair, "lock_wait");
    expectNoPassword(results, pair);
  });
});

/** Runs the main job from the repository root, as main-job.test.ts does. */
async function runStart(extraEnv: Record<string, string | undefined>): Promise<RunResult> {
  const child = spawn("npx", ["tsx", "scripts/start.ts"], {
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

describe("npm start with PG_CONN_STR", () => {
  let postgres: RunningPostgres;
  let workDir: string;
  let first: RunResult;
  let second: RunResult;

  beforeAll(async () => {
    requireTerraform();
    postgres = await startPostgres();
    workDir = mkdtempSync(path.join(tmpdir(), "main-job-pg-"));
    const env = { DIGICERT_ONE_WORK_DIR: workDir, PG_CONN_STR: postgres.connectionString };
    first = await runStart(env);
    second = await runStart(env);
  });

  afterAll(async () => {
    rmSync(workDir, { recursive: true, force: true });
    await postgres?.stop();
  });

  test("both runs exit 0", () => {
    for (const run of [first, second]) {
      expect({ code: run.code, output: run.output }).toEqual({ code: 0, output: run.output });
    }
  });

  test("first run applies, second plans no changes", () => {
    expect(first.stdout).toContain("Apply complete! Resources: 4 added, 0 changed, 0 destroyed.");
    expect(second.stdout).toContain("No changes.");
    expect(second.stdout).not.toContain("Apply complete!");
  });

  test("state is in the emulator's own schema", async () => {
    for (const run of [first, second]) {
      expect(run.stdout).toContain(
        "The state is in PostgreSQL (PG_CONN_STR), schema digicertone_platform_emulator",
      );
    }
    const rows = await postgres.query("SELECT name FROM digicertone_platform_emulator.states");
    expect(rows).toEqual(["default"]);
    expect(existsSync(path.join(workDir, "local/terraform.platform.tfstate"))).toBe(false);
  });

  test("password stays out of output and files", () => {
    expect(first.output).not.toContain(postgres.password);
    expect(second.output).not.toContain(postgres.password);
    const stackDir = path.join(workDir, "local/cdktf.out/stacks/platform");
    for (const file of ["cdk.tf.json", ".terraform/terraform.tfstate"]) {
      const text = readFileSync(path.join(stackDir, file), "utf8");
      expect({ file, containsPassword: text.includes(postgres.password) }).toEqual({
        file,
        containsPassword: false,
      });
    }
  });
});
