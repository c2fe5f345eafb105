// The `enabled` attribute of digicertone_service_user with the real CLI: a
// user disabled outside Terraform plans the change back, and enabled = false
// disables the user in place.

import {
  hcl,
  requireBuiltProvider,
  requireTerraform,
  Workspace,
} from "./harness";
import {
  activeAccounts,
  disableServiceUserDirectly,
  RunningEmulator,
  serviceUsers,
  startTestEmulator,
} from "./emulator-fixture";

function userConfig(accountId: string, enabledLine: string): string {
  return `
resource "digicertone_service_user" "bot" {
  name        = "switchable bot"
  email       = "platform-team@example.com"
  account_ids = [${hcl(accountId)}]
  access = {
    account_manager = { roles = ["AM_VIEW_ONLY"] }
  }
  ${enabledLine}
}
`;
}

describe("service user enabled", () => {
  let emulator: RunningEmulator;
  let workspace: Workspace;

  beforeAll(async () => {
    requireTerraform();
    requireBuiltProvider();
    emulator = await startTestEmulator();
    workspace = new Workspace({
      DIGICERT_ONE_URL: emulator.url,
      DIGICERT_ONE_API_KEY: emulator.adminApiKey,
    });
  });

  afterAll(async () => {
    workspace?.remove();
    await emulator?.close();
  });

  test("disable outside Terraform and in config", async () => {
    const [account] = await activeAccounts(emulator);
    workspace.writeConfig(userConfig(account.id, ""));
    await workspace.init();
    await workspace.apply();
    const [created] = await workspace.state();
    expect(created.values.enabled).toBe(true);
    expect(created.values.status).toBe("ACTIVE");

    // Disabled in DigiCert ONE: the plan changes it back.
    await disableServiceUserDirectly(emulator, created.values.id as string);
    const drift = await workspace.plan();
    expect(drift.stdout).toMatch(/enabled\s+= false -> true/);
    expect(drift.stdout).toMatch(/status\s+= "DISABLED" -> \(known after apply\)/);
    expect(drift.stdout).toContain("0 to add, 1 to change, 0 to destroy");
    await workspace.apply();
    const [reenabled] = await serviceUsers(emulator);
    expect(reenabled.status).toBe("ACTIVE");
    expect((await workspace.plan()).stdout).toContain("No changes.");

    // enabled = false disables it, together with another change.
    workspace.writeConfig(
      userConfig(account.id, 'enabled = false\n  description = "Paused"'),
    );
    const disabling = await workspace.plan();
    expect(disabling.stdout).toMatch(/enabled\s+= true -> false/);
    expect(disabling.stdout).toMatch(/status\s+= "ACTIVE" -> "DISABLED"/);
    await workspace.apply();
    const [disabled] = await serviceUsers(emulator);
    expect(disabled.status).toBe("DISABLED");
    expect(disabled.description).toBe("Paused");
    const [stored] = await workspace.state();
    expect(stored.values.enabled).toBe(false);
    expect(stored.values.status).toBe("DISABLED");
    expect((await workspace.plan()).stdout).toContain("No changes.");
  });
});
