// The one-time token reaches `terraform output -raw` and nowhere else: not
// the plan, not the apply output, not a TF_LOG=trace log.

import { readFileSync } from "node:fs";
import path from "node:path";
import {
  hcl,
  requireBuiltProvider,
  requireTerraform,
  Workspace,
} from "./harness";
import {
  activeAccounts,
  RunningEmulator,
  startTestEmulator,
} from "./emulator-fixture";

describe("token secrecy", () => {
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

  test("token is only in output -raw and state", async () => {
    const [account] = await activeAccounts(emulator);
    workspace.writeConfig(`
resource "digicertone_service_user" "audit" {
  name        = "audit reader"
  email       = "security@example.com"
  account_ids = [${hcl(account.id)}]
  access = {
    account_manager = { roles = ["AM_VIEW_ONLY"] }
  }
}

output "audit_token" {
  value     = digicertone_service_user.audit.token
  sensitive = true
}
`);
    const logFile = path.join(workspace.dir, "trace.log");
    const traced = { TF_LOG: "trace", TF_LOG_PATH: logFile };

    await workspace.init();
    const plan = await workspace.ok(
      ["plan", "-no-color", "-input=false", "-out=tfplan"],
      traced,
    );
    const apply = await workspace.ok(
      ["apply", "-no-color", "-input=false", "tfplan"],
      traced,
    );
    const refresh = await workspace.ok(
      ["plan", "-no-color", "-input=false"],
      traced,
    );
    const shown = await workspace.ok(["output", "-no-color"]);
    const token = (await workspace.ok(["output", "-raw", "audit_token"]))
      .stdout;
    const log = readFileSync(logFile, "utf8");

    expect(token).toMatch(/\S{16,}/);
    expect(apply.stdout).toContain("audit_token = <sensitive>");
    expect(shown.stdout).toContain("<sensitive>");
    expect(log.length).toBeGreaterThan(1000);
    expect(log).toContain("provider.digicertone");

    const places: Array<[string, string]> = [
      ["plan", plan.output],
      ["apply", apply.output],
      ["refresh plan", refresh.output],
      ["terraform output", shown.output],
      ["TF_LOG=trace log", log],
    ];
    for (const [place, text] of places) {
      // Report only where it leaked, never the token itself.
      expect({ place, tokenFound: text.includes(token) }).toEqual({
        place,
        tokenFound: false,
      });
      expect({ place, apiKeyFound: text.includes(emulator.adminApiKey) }).toEqual({
        place,
        apiKeyFound: false,
      });
    }
  });
});
