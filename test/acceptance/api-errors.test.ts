// API errors at apply name the resource, the API code and what to do, and
// leave nothing half-made behind.

import {
  hcl,
  requireBuiltProvider,
  requireTerraform,
  Workspace,
} from "./harness";
import {
  activeAccounts,
  createServiceUserDirectly,
  roleIds,
  RunningEmulator,
  serviceUsers,
  startTestEmulator,
} from "./emulator-fixture";

function userConfig(name: string, accountId: string): string {
  return `
resource "digicertone_service_user" "bot" {
  name        = ${hcl(name)}
  email       = "platform-team@example.com"
  account_ids = [${hcl(accountId)}]
  access = {
    account_manager = { roles = ["AM_VIEW_ONLY"] }
  }
}
`;
}

describe("API errors at apply", () => {
  let emulator: RunningEmulator;
  let accountId: string;

  beforeAll(async () => {
    requireTerraform();
    requireBuiltProvider();
    emulator = await startTestEmulator();
    [{ id: accountId }] = await activeAccounts(emulator);
  });

  afterAll(async () => {
    await emulator?.close();
  });

  test("duplicate name reports duplicate_error", async () => {
    const catalogue = await roleIds(emulator, "account_manager");
    await createServiceUserDirectly(emulator, {
      user_type: "service",
      friendly_name: "Existing Bot",
      email: "someone@example.com",
      accounts: [accountId],
      primary_account_id: accountId,
      applications: [
        {
          id: catalogue.applicationId,
          roles: [{ id: catalogue.roles.AM_VIEW_ONLY }],
        },
      ],
    });
    const workspace = new Workspace({
      DIGICERT_ONE_URL: emulator.url,
      DIGICERT_ONE_API_KEY: emulator.adminApiKey,
    });
    try {
      workspace.writeConfig(userConfig("existing bot", accountId));
      await workspace.init();
      const applied = await workspace.run([
        "apply",
        "-no-color",
        "-input=false",
        "-auto-approve",
      ]);
      expect(applied.code).toBe(1);
      expect(applied.stderr).toContain("duplicate_error");
      expect(applied.stderr).toContain("existing bot");
      expect(applied.stderr).toContain("terraform import");
      expect(await serviceUsers(emulator)).toHaveLength(1);
      expect(await workspace.state()).toHaveLength(0);
    } finally {
      workspace.remove();
    }
  });

  test("key without Manage users reports access_denied", async () => {
    const workspace = new Workspace({
      DIGICERT_ONE_URL: emulator.url,
      DIGICERT_ONE_API_KEY: emulator.viewerApiKey,
    });
    try {
      workspace.writeConfig(userConfig("viewer made bot", accountId));
      await workspace.init();
      const applied = await workspace.run([
        "apply",
        "-no-color",
        "-input=false",
        "-auto-approve",
      ]);
      expect(applied.code).toBe(1);
      expect(applied.stderr).toContain("access_denied");
      expect(applied.stderr).toContain("Manage users");
      expect(applied.output).not.toContain(emulator.viewerApiKey);
    } finally {
      workspace.remove();
    }
  });
});
