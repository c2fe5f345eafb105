// The digicertone_service_user lifecycle with the real Terraform CLI:
// create, no-op plan, in-place updates, replacement, and destroy.

import {
  hcl,
  requireBuiltProvider,
  requireTerraform,
  Workspace,
} from "./harness";
import {
  activeAccounts,
  AccountSummary,
  RunningEmulator,
  serviceUsers,
  startTestEmulator,
} from "./emulator-fixture";

interface UserConfig {
  name: string;
  description?: string;
  email: string;
  expirationDate?: string;
  accountIds: string[];
  primaryAccountId?: string;
  access: Record<string, string[]>;
}

function serviceUserHcl(config: UserConfig): string {
  const lines = [
    `resource "digicertone_service_user" "bot" {`,
    `  name  = ${hcl(config.name)}`,
    `  email = ${hcl(config.email)}`,
  ];
  if (config.description !== undefined) {
    lines.push(`  description = ${hcl(config.description)}`);
  }
  if (config.expirationDate !== undefined) {
    lines.push(`  expiration_date = ${hcl(config.expirationDate)}`);
  }
  if (config.primaryAccountId !== undefined) {
    lines.push(`  primary_account_id = ${hcl(config.primaryAccountId)}`);
  }
  lines.push(`  account_ids = [${config.accountIds.map(hcl).join(", ")}]`);
  lines.push(`  access = {`);
  for (const [manager, roles] of Object.entries(config.access)) {
    lines.push(`    ${manager} = { roles = [${roles.map(hcl).join(", ")}] }`);
  }
  lines.push(`  }`, `}`, ``);
  lines.push(`output "token" {`, `  value     = digicertone_service_user.bot.token`);
  lines.push(`  sensitive = true`, `}`, ``);
  return lines.join("\n");
}

/** Returns the UTC day `days` from today, as YYYY-MM-DD. */
function dayFromToday(days: number): string {
  const date = new Date(Date.now() + days * 86_400_000);
  return date.toISOString().slice(0, 10);
}

describe("digicertone_service_user", () => {
  let emulator: RunningEmulator;
  let accounts: AccountSummary[];
  let workspace: Workspace;

  beforeAll(async () => {
    requireTerraform();
    requireBuiltProvider();
    emulator = await startTestEmulator();
    accounts = await activeAccounts(emulator);
    expect(accounts.length).toBeGreaterThanOrEqual(2);
    workspace = new Workspace({
      DIGICERT_ONE_URL: emulator.url,
      DIGICERT_ONE_API_KEY: emulator.adminApiKey,
    });
  });

  afterAll(async () => {
    workspace?.remove();
    await emulator?.close();
  });

  test("create, update in place, replace and destroy", async () => {
    const base: UserConfig = {
      name: "release-signing bot",
      description: "Signs release builds",
      email: "platform-team@example.com",
      expirationDate: dayFromToday(90),
      accountIds: [accounts[0].id],
      access: { account_manager: ["AM_VIEW_ONLY"] },
    };

    // Create.
    workspace.writeConfig(serviceUserHcl(base));
    await workspace.init();
    const created = await workspace.apply();
    expect(created.stdout).toContain("1 added, 0 changed, 0 destroyed");

    let users = await serviceUsers(emulator);
    expect(users).toHaveLength(1);
    const userId = users[0].id;
    expect(users[0].friendly_name).toBe(base.name);
    expect(users[0].end_date).toBe(base.expirationDate);

    const [state] = await workspace.state();
    expect(state.values.id).toBe(userId);
    expect(state.values.expires_at).toBe(`${base.expirationDate}T23:59:59Z`);
    expect(state.values.primary_account_id).toBe(accounts[0].id);
    expect(state.values.status).toBe("ACTIVE");

    // A second plan changes nothing.
    const unchanged = await workspace.plan();
    expect(unchanged.stdout).toContain("No changes.");

    // Each of these is an in-place update that keeps the user and its token.
    const token = (await workspace.ok(["output", "-raw", "token"])).stdout;
    expect(token.length).toBeGreaterThan(10);
    // Each change builds on the one before, so the end state has them all.
    const updates: Array<[string, (config: UserConfig) => UserConfig]> = [
      ["description", (c) => ({ ...c, description: "Signs release and hotfix builds" })],
      ["email", (c) => ({ ...c, email: "release-team@example.com" })],
      ["expiration", (c) => ({ ...c, expirationDate: dayFromToday(180) })],
      ["accounts", (c) => ({ ...c, accountIds: [accounts[0].id, accounts[1].id] })],
      ["roles", (c) => ({ ...c, access: { account_manager: ["AM_VIEW_ONLY", "AM_USER_MANAGER"] } })],
      ["name", (c) => ({ ...c, name: "release-signing_bot-2" })],
    ];
    let current = base;
    for (const [what, change] of updates) {
      const next = change(current);
      workspace.writeConfig(serviceUserHcl(next));
      const plan = await workspace.plan();
      expect({ what, plan: plan.stdout }).toEqual({
        what,
        plan: expect.stringContaining("will be updated in-place"),
      });
      expect(plan.stdout).not.toContain("must be replaced");
      const applied = await workspace.apply();
      expect(applied.stdout).toContain("0 added, 1 changed, 0 destroyed");
      const again = await workspace.plan();
      expect({ what, plan: again.stdout }).toEqual({
        what,
        plan: expect.stringContaining("No changes."),
      });
      current = next;
    }

    users = await serviceUsers(emulator);
    expect(users).toHaveLength(1);
    expect(users[0].id).toBe(userId);
    expect(users[0].friendly_name).toBe(current.name);
    expect(users[0].accounts.sort()).toEqual(
      [accounts[0].id, accounts[1].id].sort(),
    );
    expect((await workspace.ok(["output", "-raw", "token"])).stdout).toBe(token);

    // Removing the description plans it back to "".
    const withoutDescription = { ...current, description: undefined };
    workspace.writeConfig(serviceUserHcl(withoutDescription));
    await workspace.apply();
    users = await serviceUsers(emulator);
    expect(users[0].description).toBe("");
    expect((await workspace.plan()).stdout).toContain("No changes.");

    // The primary account cannot change in place: the plan replaces the user.
    const newPrimary = {
      ...withoutDescription,
      primaryAccountId: accounts[1].id,
    };
    workspace.writeConfig(serviceUserHcl(newPrimary));
    const replacePlan = await workspace.plan();
    expect(replacePlan.stdout).toContain("must be replaced");
    expect(replacePlan.stdout).toContain("# forces replacement");
    const replaced = await workspace.apply();
    expect(replaced.stdout).toContain("1 added, 0 changed, 1 destroyed");
    users = await serviceUsers(emulator);
    expect(users).toHaveLength(1);
    expect(users[0].id).not.toBe(userId);
    expect(users[0].primary_account_id).toBe(accounts[1].id);
    const newToken = (await workspace.ok(["output", "-raw", "token"])).stdout;
    expect(newToken).not.toBe(token);
    expect((await workspace.plan()).stdout).toContain("No changes.");

    // Destroy.
    const destroyed = await workspace.ok([
      "destroy",
      "-no-color",
      "-input=false",
      "-auto-approve",
    ]);
    expect(destroyed.stdout).toContain("1 destroyed");
    expect(await serviceUsers(emulator)).toHaveLength(0);
  });
});
