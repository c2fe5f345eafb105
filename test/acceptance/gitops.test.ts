// The GitOps commands that examples/gitops/workflows run: gitops:plan writes
// the saved plan and its summary, gitops:apply applies exactly that plan,
// and a stale plan is rejected without changes.

import { spawn } from "node:child_process";
import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { PLAN_FILE, SOURCES_FILE, SUMMARY_FILE } from "../../scripts/gitops/terraform";
import { RunningEmulator, serviceUsers, startTestEmulator } from "./emulator-fixture";
import { baseEnvironment, requireBuiltProvider, requireTerraform, ROOT, Workspace } from "./harness";

interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

describe("gitops commands", () => {
  let emulator: RunningEmulator;
  let workspace: Workspace;
  let env: Record<string, string>;

  /** Runs `npm run --silent <script> -- <args>` from the repository root. */
  async function npmRun(script: string, args: string[]): Promise<CommandResult> {
    const child = spawn("npm", ["run", "--silent", script, "--", ...args], {
      cwd: ROOT,
      env: baseEnvironment(env),
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
    return { code, stdout, stderr };
  }

  function file(name: string): string {
    return path.join(workspace.dir, name);
  }

  beforeAll(async () => {
    requireTerraform();
    requireBuiltProvider();
    emulator = await startTestEmulator();
    env = { DIGICERT_ONE_URL: emulator.url, DIGICERT_ONE_API_KEY: emulator.adminApiKey };
    workspace = new Workspace(env);
    cpSync(path.join(ROOT, "examples/gitops/infra"), workspace.dir, { recursive: true });
  });

  afterAll(async () => {
    workspace?.remove();
    await emulator?.close();
  });

  test("apply without plan fails", async () => {
    const result = await npmRun("gitops:apply", [workspace.dir]);

    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`error: saved plan ${file(PLAN_FILE)} not found.`);
    expect(await serviceUsers(emulator)).toHaveLength(0);
  });

  test("plan writes summary and plan file", async () => {
    const result = await npmRun("gitops:plan", [workspace.dir]);

    expect(result.code).toBe(0);
    expect(existsSync(file(PLAN_FILE))).toBe(true);
    expect(JSON.parse(readFileSync(file(SOURCES_FILE), "utf8"))).toEqual({
      "main.tf": expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    const summary = readFileSync(file(SUMMARY_FILE), "utf8");
    expect(summary).toContain("`digicertone_service_user.deploy_bot`");
    expect(summary).toContain("create");
    expect(await serviceUsers(emulator)).toHaveLength(0);
  });

  test("apply applies saved plan", async () => {
    const result = await npmRun("gitops:apply", [workspace.dir]);

    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Applied ${file(PLAN_FILE)}.`);
    const users = await serviceUsers(emulator);
    expect(users.map((user) => user.friendly_name)).toEqual(["gitops deploy bot"]);
  });

  test("second plan shows no changes", async () => {
    const result = await npmRun("gitops:plan", [workspace.dir]);

    expect(result.code).toBe(0);
    expect(result.stderr).toContain("No changes.");
    expect(readFileSync(file(SUMMARY_FILE), "utf8")).not.toContain("`digicertone_service_user.deploy_bot`");
  });

  test("stale plan after state change fails", async () => {
    // Two plans from the same state: applying the second after the first
    // must fail, because the state moved on in between.
    const main = readFileSync(file("main.tf"), "utf8");
    writeFileSync(file("main.tf"), main.replace("Deploys the platform's services", "Deploys services"));
    expect((await npmRun("gitops:plan", [workspace.dir])).code).toBe(0);
    cpSync(file(PLAN_FILE), file("first.tfplan"));
    expect((await npmRun("gitops:apply", [workspace.dir])).code).toBe(0);

    cpSync(file("first.tfplan"), file(PLAN_FILE));
    rmSync(file("first.tfplan"));
    const result = await npmRun("gitops:apply", [workspace.dir]);

    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      "error: the saved plan is stale: the Terraform state changed since the plan was made, so nothing was applied.",
    );
    const [user] = await serviceUsers(emulator);
    expect(user.description).toBe("Deploys services");
  });

  test("stale plan after config change fails", async () => {
    writeFileSync(file("main.tf"), readFileSync(file("main.tf"), "utf8").replace("Deploys services", "Deploys all services"));
    expect((await npmRun("gitops:plan", [workspace.dir])).code).toBe(0);
    writeFileSync(file("extra.tf"), 'output "unplanned" {\n  value = "not in the plan"\n}\n');

    const result = await npmRun("gitops:apply", [workspace.dir]);

    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      "error: the saved plan is stale: extra.tf changed since the plan was made.",
    );
    const [user] = await serviceUsers(emulator);
    expect(user.description).toBe("Deploys services");
  });

  test("plan fail rule exits 1", async () => {
    rmSync(file("extra.tf"));
    writeFileSync(file("main.tf"), readFileSync(file("main.tf"), "utf8").replace(/resource "digicertone_service_user"[\s\S]*$/, ""));

    const result = await npmRun("gitops:plan", [workspace.dir, "--fail-on-delete"]);

    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^error: .*digicertone_service_user\.deploy_bot/m);
    expect(readFileSync(file(SUMMARY_FILE), "utf8")).toContain("**DELETE**");
    expect(existsSync(file(PLAN_FILE))).toBe(true);
  });
});
