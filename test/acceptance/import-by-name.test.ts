// terraform import of a digicertone_service_user by its friendly name, with
// the real CLI: the name is looked up without regard to letter case, and
// the imported user plans no change against a matching configuration.

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
  startTestEmulator,
} from "./emulator-fixture";

describe("service user import by name", () => {
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

  test("import by name plans no change", async () => {
    const [account] = await activeAccounts(emulator);
    const manager = await roleIds(emulator, "account_manager");
    const { id } = await createServiceUserDirectly(emulator, {
      user_type: "service",
      friendly_name: "Nightly Reporter",
      description: "Created outside Terraform",
      email: "reporting@example.com",
      end_date: "2099-12-31",
      accounts: [account.id],
      applications: [{ id: manager.applicationId, roles: [{ id: manager.roles.AM_VIEW_ONLY }] }],
    });
    workspace.writeConfig(`
resource "digicertone_service_user" "reporter" {
  name            = "Nightly Reporter"
  description     = "Created outside Terraform"
  email           = "reporting@example.com"
  expiration_date = "2099-12-31"
  account_ids     = [${hcl(account.id)}]
  access = {
    account_manager = { roles = ["AM_VIEW_ONLY"] }
  }
}
`);
    await workspace.init();

    const imported = await workspace.ok([
      "import",
      "-no-color",
      "-input=false",
      "digicertone_service_user.reporter",
      "nightly reporter",
    ]);
    expect(imported.output).toContain("Import successful!");
    expect(imported.output).toContain("Imported service user has no token");
    const [user] = await workspace.state();
    expect(user.values.id).toBe(id);
    expect(user.values.token).toBeNull();
    expect((await workspace.plan()).stdout).toContain("No changes.");
  });

  test("unknown name fails the import", async () => {
    const [account] = await activeAccounts(emulator);
    const missing = new Workspace({
      DIGICERT_ONE_URL: emulator.url,
      DIGICERT_ONE_API_KEY: emulator.adminApiKey,
    });
    missing.writeConfig(`
resource "digicertone_service_user" "missing" {
  name        = "no such reporter"
  email       = "reporting@example.com"
  account_ids = [${hcl(account.id)}]
  access = {
    account_manager = { roles = ["AM_VIEW_ONLY"] }
  }
}
`);
    await missing.init();
    const result = await missing.run([
      "import",
      "-no-color",
      "-input=false",
      "digicertone_service_user.missing",
      "no such reporter",
    ]);
    missing.remove();
    expect(result.code).not.toBe(0);
    expect(result.output).toContain("Service user not found");
    expect(result.output).toContain('"no such reporter"');
  });
});
