// Token rotation across several runs of the real Terraform CLI: a change of
// rotation_triggers and the age-based rotation_days each issue a new token in
// place, the earlier token works until its overlap ends, edits of other
// attributes never rotate, and the age rotation fires once per period.

import { startEmulator } from "../../emulator/src/server";
import {
  hcl,
  requireBuiltProvider,
  requireTerraform,
  Workspace,
  type StateResource,
} from "./harness";
import { activeAccounts, RunningEmulator, tokenOwner } from "./emulator-fixture";

const DAY_MS = 86_400_000;

interface BotSettings {
  description?: string;
  triggers?: { [name: string]: string };
  rotationDays?: number;
  overlapDays?: number;
}

function botConfig(accountId: string, settings: BotSettings): string {
  const lines = [
    `  name        = "rotating bot"`,
    `  description = ${hcl(settings.description ?? "")}`,
    `  email       = "platform-team@example.com"`,
    `  account_ids = [${hcl(accountId)}]`,
  ];
  if (settings.triggers !== undefined) {
    const entries = Object.entries(settings.triggers).map(([key, value]) => `${key} = ${hcl(value)}`);
    lines.push(`  rotation_triggers = { ${entries.join(", ")} }`);
  }
  if (settings.rotationDays !== undefined) lines.push(`  rotation_days = ${settings.rotationDays}`);
  if (settings.overlapDays !== undefined) lines.push(`  token_overlap_days = ${settings.overlapDays}`);
  return `
resource "digicertone_service_user" "bot" {
${lines.join("\n")}
  access = {
    account_manager = { roles = ["AM_VIEW_ONLY"] }
  }
}
`;
}

describe("token rotation", () => {
  let emulator: RunningEmulator;
  let workspace: Workspace;
  let accountId: string;
  /** How far the emulator's clock runs ahead of the real one, in ms. */
  let clockOffsetMs = 0;

  beforeAll(async () => {
    requireTerraform();
    requireBuiltProvider();
    emulator = await startEmulator({
      host: "127.0.0.1",
      port: 0,
      quiet: true,
      clock: { now: () => new Date(Date.now() + clockOffsetMs) },
    });
    [{ id: accountId }] = await activeAccounts(emulator);
  });

  afterAll(async () => {
    await emulator?.close();
  });

  beforeEach(async () => {
    clockOffsetMs = 0;
    workspace = new Workspace({
      DIGICERT_ONE_URL: emulator.url,
      DIGICERT_ONE_API_KEY: emulator.adminApiKey,
    });
  });

  afterEach(async () => {
    await workspace.run(["destroy", "-no-color", "-input=false", "-auto-approve"]);
    workspace.remove();
  });

  async function bot(): Promise<StateResource> {
    const resources = await workspace.state();
    expect(resources).toHaveLength(1);
    return resources[0];
  }

  /** Returns whether DigiCert ONE accepts `token` now. */
  async function works(token: unknown): Promise<boolean> {
    expect(typeof token).toBe("string");
    return (await tokenOwner(emulator, token)) !== undefined;
  }

  async function expectNoChanges(): Promise<void> {
    expect((await workspace.plan()).stdout).toContain("No changes.");
  }

  test("changed triggers rotate; other edits never do", async () => {
    workspace.writeConfig(botConfig(accountId, { triggers: { version: "1" } }));
    await workspace.init();
    await workspace.apply();
    const first = await bot();
    await expectNoChanges();

    // Editing the description updates in place and keeps the token.
    workspace.writeConfig(botConfig(accountId, { triggers: { version: "1" }, description: "Edited" }));
    await workspace.apply();
    const edited = await bot();
    expect(edited.values.token).toBe(first.values.token);
    expect(edited.values.token_created_at).toBe(first.values.token_created_at);
    await expectNoChanges();

    workspace.writeConfig(botConfig(accountId, { triggers: { version: "2" }, description: "Edited" }));
    const plan = await workspace.plan();
    expect(plan.stdout).toContain("1 to change");
    expect(plan.stdout).toMatch(/token\s+= \(sensitive value\)/);
    const applied = await workspace.apply();
    expect(applied.output).toContain("0 added, 1 changed, 0 destroyed");
    const rotated = await bot();
    expect(rotated.values.id).toBe(first.values.id);
    expect(rotated.values.token).not.toBe(first.values.token);
    expect(applied.output).not.toContain(rotated.values.token as string);
    await expectNoChanges();

    // The earlier token works through the next UTC day, then expires.
    expect(await works(first.values.token)).toBe(true);
    expect(await works(rotated.values.token)).toBe(true);
    clockOffsetMs = 2 * DAY_MS;
    expect(await works(first.values.token)).toBe(false);
    expect(await works(rotated.values.token)).toBe(true);
    await expectNoChanges();
  });

  test("an overlap of 0 revokes the earlier token at once", async () => {
    workspace.writeConfig(botConfig(accountId, { triggers: { version: "1" }, overlapDays: 0 }));
    await workspace.init();
    await workspace.apply();
    const first = await bot();

    workspace.writeConfig(botConfig(accountId, { triggers: { version: "2" }, overlapDays: 0 }));
    await workspace.apply();
    const rotated = await bot();
    expect(await works(first.values.token)).toBe(false);
    expect(await works(rotated.values.token)).toBe(true);
    await expectNoChanges();
  });

  test("rotation_days rotates once per period", async () => {
    workspace.writeConfig(botConfig(accountId, { rotationDays: 30 }));
    await workspace.init();
    await workspace.apply();
    const first = await bot();

    clockOffsetMs = 10 * DAY_MS;
    await expectNoChanges();

    // 31 days later by DigiCert ONE's clock the token is due.
    clockOffsetMs = 31 * DAY_MS;
    const plan = await workspace.plan();
    expect(plan.stdout).toContain("1 to change");
    expect(plan.output.replace(/\s+/g, " ")).toContain("API token will be rotated");
    await workspace.apply();
    const second = await bot();
    expect(second.values.token).not.toBe(first.values.token);
    expect(Date.parse(second.values.token_created_at as string)).toBeGreaterThan(
      Date.now() + 30 * DAY_MS,
    );

    // The age now counts from the new token: later runs change nothing.
    await expectNoChanges();
    const again = await workspace.apply();
    expect(again.output).toContain("0 added, 0 changed, 0 destroyed");
    expect((await bot()).values.token).toBe(second.values.token);
    clockOffsetMs = 45 * DAY_MS;
    await expectNoChanges();

    // The next period rotates again.
    clockOffsetMs = 62 * DAY_MS;
    await workspace.apply();
    const third = await bot();
    expect(third.values.token).not.toBe(second.values.token);
    expect(await works(third.values.token)).toBe(true);
    await expectNoChanges();
  });
});
