// The plan-summary command on real plans: Terraform applies service users and
// a role binding to the emulator, then plans a change that grants roles,
// rotates a token, deletes a user, shortens an expiry and creates a user. The
// command's output, with run-specific values replaced by placeholders, must
// match the golden files in fixtures/plan-summary. Run with UPDATE_GOLDEN=1 to
// rewrite them after an intended change of the summary.

import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

import { hcl, requireBuiltProvider, requireTerraform, ROOT, Workspace } from "./harness";
import { activeAccounts, type RunningEmulator, startTestEmulator } from "./emulator-fixture";

const GOLDEN_DIR = path.join(__dirname, "fixtures/plan-summary");
const UPDATE_GOLDEN = process.env.UPDATE_GOLDEN === "1";
const DAY_MS = 86_400_000;

const UUID_PATTERN = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
const DAY_PATTERN = /\b\d{4}-\d{2}-\d{2}\b/g;

/** Today's UTC day plus `days`, as YYYY-MM-DD. */
function utcDay(today: number, days: number): string {
  return new Date(today + days * DAY_MS).toISOString().slice(0, 10);
}

/**
 * Replaces UUIDs with `<uuid-N>`, numbered by first appearance, and days
 * with `<today+Nd>`, so that the text is the same on every run.
 */
function withPlaceholders(text: string, today: number): string {
  const uuids = new Map<string, string>();
  return text
    .replace(UUID_PATTERN, (uuid) => {
      const key = uuid.toLowerCase();
      if (!uuids.has(key)) uuids.set(key, `<uuid-${uuids.size + 1}>`);
      return uuids.get(key)!;
    })
    .replace(DAY_PATTERN, (day) => {
      const offset = Math.round((Date.parse(`${day}T00:00:00Z`) - today) / DAY_MS);
      return offset >= 0 ? `<today+${offset}d>` : `<today${offset}d>`;
    });
}

/** Compares text with a golden file, or rewrites the file when UPDATE_GOLDEN=1. */
function expectGolden(name: string, actual: string): void {
  const file = path.join(GOLDEN_DIR, name);
  if (UPDATE_GOLDEN) {
    mkdirSync(GOLDEN_DIR, { recursive: true });
    writeFileSync(file, actual);
    return;
  }
  if (!existsSync(file)) {
    throw new Error(`${file} is missing: run the test with UPDATE_GOLDEN=1 to write it.`);
  }
  expect(actual).toBe(readFileSync(file, "utf8"));
}

interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the plan-summary command as a child process, as a pipeline would. */
async function planSummary(args: string[], stdin?: string): Promise<CommandResult> {
  const child = spawn("npx", ["--no-install", "tsx", "review/cli.ts", ...args], {
    cwd: ROOT,
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (chunk) => (stdout += chunk));
  child.stderr.setEncoding("utf8").on("data", (chunk) => (stderr += chunk));
  child.stdin.end(stdin ?? "");
  const code = await new Promise<number>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (exitCode) => resolve(exitCode ?? -1));
  });
  return { code, stdout, stderr };
}

interface UserSettings {
  name: string;
  accountId: string;
  access: Record<string, string[]>;
  expirationDate?: string;
  triggers?: string;
}

function userHcl(resourceName: string, settings: UserSettings): string {
  const access = Object.entries(settings.access).map(
    ([manager, roles]) => `    ${manager} = { roles = [${roles.map(hcl).join(", ")}] }`,
  );
  const optional: string[] = [];
  if (settings.expirationDate !== undefined) {
    optional.push(`  expiration_date = ${hcl(settings.expirationDate)}`);
  }
  if (settings.triggers !== undefined) {
    optional.push(`  rotation_triggers = { version = ${hcl(settings.triggers)} }`);
  }
  return `
resource "digicertone_service_user" ${hcl(resourceName)} {
  name        = ${hcl(settings.name)}
  email       = "platform-team@example.com"
  account_ids = [${hcl(settings.accountId)}]
${optional.join("\n")}
  access = {
${access.join("\n")}
  }
}
`;
}

function bindingHcl(roles: string[]): string {
  return `
resource "digicertone_service_user_role_binding" "gamma_signing" {
  service_user_id = digicertone_service_user.gamma.id
  manager         = "software_trust"
  roles           = [${roles.map(hcl).join(", ")}]
}
`;
}

describe("plan-summary on real plans", () => {
  let emulator: RunningEmulator;
  let workspace: Workspace;
  let firstAccountId: string;
  let secondAccountId: string;
  const today = Date.parse(`${new Date().toISOString().slice(0, 10)}T00:00:00Z`);

  beforeAll(async () => {
    requireTerraform();
    requireBuiltProvider();
    emulator = await startTestEmulator();
    [{ id: firstAccountId }, { id: secondAccountId }] = await activeAccounts(emulator);
    workspace = new Workspace({
      DIGICERT_ONE_URL: emulator.url,
      DIGICERT_ONE_API_KEY: emulator.adminApiKey,
    });
  });

  afterAll(async () => {
    await workspace?.run(["destroy", "-no-color", "-input=false", "-auto-approve"]);
    workspace?.remove();
    await emulator?.close();
  });

  function firstConfig(): string {
    return (
      userHcl("alpha", {
        name: "alpha bot",
        accountId: firstAccountId,
        access: { account_manager: ["AM_VIEW_ONLY"] },
        triggers: "1",
      }) +
      userHcl("beta", {
        name: "beta bot",
        accountId: firstAccountId,
        access: { software_trust: ["SM_VIEW_ONLY"] },
      }) +
      userHcl("gamma", {
        name: "gamma bot",
        accountId: firstAccountId,
        access: { account_manager: ["AM_VIEW_ONLY"] },
        expirationDate: utcDay(today, 300),
      }) +
      bindingHcl(["SM_SIGNER"])
    );
  }

  /** Grants roles, rotates alpha's token, deletes beta, shortens gamma's expiry and creates delta. */
  function secondConfig(): string {
    return (
      userHcl("alpha", {
        name: "alpha bot",
        accountId: firstAccountId,
        access: { account_manager: ["AM_VIEW_ONLY"], software_trust: ["SM_SIGNER"] },
        triggers: "2",
      }) +
      userHcl("gamma", {
        name: "gamma bot",
        accountId: firstAccountId,
        access: { account_manager: ["AM_VIEW_ONLY"] },
        expirationDate: utcDay(today, 100),
      }) +
      userHcl("delta", {
        name: "delta bot",
        accountId: secondAccountId,
        access: { trust_lifecycle: ["EM_USER"] },
      }) +
      bindingHcl(["SM_LEAD", "SM_SIGNER"])
    );
  }

  /** Saves a plan and returns the JSON that `terraform show -json` prints for it. */
  async function planJson(): Promise<string> {
    await workspace.ok(["plan", "-no-color", "-input=false", "-out=tfplan"]);
    const shown = await workspace.ok(["show", "-json", "-no-color", "tfplan"]);
    return shown.stdout;
  }

  test("summarizes no changes and a risky change", async () => {
    workspace.writeConfig(firstConfig());
    await workspace.init();
    await workspace.apply();
    const tokens = (await workspace.state())
      .map((resource) => resource.values.token)
      .filter((token): token is string => typeof token === "string");
    expect(tokens).toHaveLength(3);

    const unchangedPath = path.join(workspace.dir, "unchanged.json");
    writeFileSync(unchangedPath, await planJson());
    const unchanged = await planSummary([unchangedPath, "--fail-on-delete"]);
    expect(unchanged.stderr).toBe("");
    expect(unchanged.code).toBe(0);
    expectGolden("no-changes.md", withPlaceholders(unchanged.stdout, today));

    workspace.writeConfig(secondConfig());
    const changedJson = await planJson();
    const changedPath = path.join(workspace.dir, "changed.json");
    writeFileSync(changedPath, changedJson);
    // The plan contains the tokens in plain text, so the checks below can fail.
    for (const token of tokens) expect(changedJson).toContain(token);

    const summary = await planSummary([changedPath]);
    expect(summary.stderr).toBe("");
    expect(summary.code).toBe(0);
    expectGolden("changes.md", withPlaceholders(summary.stdout, today));
    for (const token of tokens) expect(summary.stdout).not.toContain(token);

    const fromStdin = await planSummary(["-"], changedJson);
    expect(fromStdin.code).toBe(0);
    expect(fromStdin.stdout).toBe(summary.stdout);

    const strict = await planSummary([
      changedPath,
      "--fail-on-delete",
      "--fail-on-replace",
      "--fail-on-privilege-gain",
    ]);
    expect(strict.code).toBe(1);
    expect(strict.stdout).toBe(summary.stdout);
    expectGolden("fail-rules.stderr.txt", withPlaceholders(strict.stderr, today));
    for (const token of tokens) expect(strict.stderr).not.toContain(token);
  });
});
