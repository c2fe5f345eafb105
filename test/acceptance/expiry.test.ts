// A service user whose expiration date has passed: refresh reports it
// EXPIRED, and it can still be changed in place without a new date.

import { startEmulator } from "../../emulator/src/server";
import {
  hcl,
  requireBuiltProvider,
  requireTerraform,
  Workspace,
} from "./harness";
import { activeAccounts, RunningEmulator, serviceUsers } from "./emulator-fixture";

const DAY_MS = 86_400_000;

function userConfig(accountId: string, expirationDate: string, description: string): string {
  return `
resource "digicertone_service_user" "bot" {
  name            = "expiring bot"
  description     = ${hcl(description)}
  email           = "platform-team@example.com"
  expiration_date = ${hcl(expirationDate)}
  account_ids     = [${hcl(accountId)}]
  access = {
    account_manager = { roles = ["AM_VIEW_ONLY"] }
  }
}
`;
}

describe("expired service user", () => {
  let emulator: RunningEmulator;
  let workspace: Workspace;
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
    workspace = new Workspace({
      DIGICERT_ONE_URL: emulator.url,
      DIGICERT_ONE_API_KEY: emulator.adminApiKey,
    });
  });

  afterAll(async () => {
    workspace?.remove();
    await emulator?.close();
  });

  test("expired user updates in place", async () => {
    const [account] = await activeAccounts(emulator);
    const today = new Date().toISOString().slice(0, 10);
    workspace.writeConfig(userConfig(account.id, today, "Signs builds"));
    await workspace.init();
    await workspace.apply();

    // Two days later in DigiCert ONE, the user has expired.
    clockOffsetMs = 2 * DAY_MS;
    expect((await workspace.plan()).stdout).toContain("No changes.");
    await workspace.ok(["apply", "-refresh-only", "-no-color", "-input=false", "-auto-approve"]);
    const [refreshed] = await workspace.state();
    expect(refreshed.values.status).toBe("EXPIRED");

    workspace.writeConfig(userConfig(account.id, today, "Signed builds until it expired"));
    const updated = await workspace.run(["apply", "-no-color", "-input=false", "-auto-approve"]);
    expect(updated.output).toContain("0 added, 1 changed, 0 destroyed");
    expect(updated.code).toBe(0);

    const [user] = await serviceUsers(emulator);
    expect(user.description).toBe("Signed builds until it expired");
    expect(user.end_date).toBe(today);
    expect(user.status).toBe("EXPIRED");
    expect((await workspace.plan()).stdout).toContain("No changes.");

    // A later date makes the user ACTIVE again, which only apply can tell.
    const later = new Date(Date.now() + 10 * DAY_MS).toISOString().slice(0, 10);
    workspace.writeConfig(userConfig(account.id, later, "Signs builds again"));
    const plan = await workspace.plan();
    expect(plan.stdout).toMatch(/status\s+= "EXPIRED" -> \(known after apply\)/);
    await workspace.apply();
    const [renewed] = await workspace.state();
    expect(renewed.values.status).toBe("ACTIVE");
    expect((await workspace.plan()).stdout).toContain("No changes.");
  });

  test("plan warns about a near expiry", async () => {
    clockOffsetMs = 0;
    const [account] = await activeAccounts(emulator);
    const soon = new Date(Date.now() + 10 * DAY_MS).toISOString().slice(0, 10);
    const soonWorkspace = new Workspace({
      DIGICERT_ONE_URL: emulator.url,
      DIGICERT_ONE_API_KEY: emulator.adminApiKey,
    });
    try {
      soonWorkspace.writeConfig(
        userConfig(account.id, soon, "Expires soon").replace('"expiring bot"', '"soon bot"'),
      );
      await soonWorkspace.init();
      const plan = await soonWorkspace.plan();
      expect(plan.output).toContain("Warning: Service user expires soon");
      expect(plan.output).toContain(`expires in 10 days, at the end of ${soon}`);
      expect(plan.output).toContain("expiration_date");

      // A window shorter than the time left turns the warning off.
      soonWorkspace.writeConfig(
        userConfig(account.id, soon, "Expires soon")
          .replace('"expiring bot"', '"soon bot"')
          .concat('\nprovider "digicertone" {\n  expiry_warning_days = 5\n}\n'),
      );
      const quiet = await soonWorkspace.plan();
      expect(quiet.stdout).toContain("1 to add");
      expect(quiet.output).not.toContain("expires soon");
    } finally {
      soonWorkspace.remove();
    }
  });
});
