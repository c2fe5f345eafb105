// The README's quickstart works as written: the example applies against the
// emulator, plans no changes afterwards, and its output reveals the token.

import { cpSync, readFileSync } from "node:fs";
import path from "node:path";
import {
  PROVIDER_BLOCK,
  requireBuiltProvider,
  requireTerraform,
  ROOT,
  Workspace,
} from "./harness";
import { RunningEmulator, serviceUsers, startTestEmulator } from "./emulator-fixture";

describe("examples/quickstart", () => {
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

  test("quickstart applies and reveals token", async () => {
    const example = path.join(ROOT, "examples/quickstart");
    cpSync(example, workspace.dir, { recursive: true });
    // The example declares its own required_providers block.
    expect(readFileSync(path.join(workspace.dir, "main.tf"), "utf8")).toContain(
      PROVIDER_BLOCK.trim().split("\n")[0],
    );

    await workspace.init();
    await workspace.ok(["validate", "-no-color"]);
    const applied = await workspace.apply();
    expect(applied.stdout).toContain("release_signing_token = <sensitive>");
    expect((await workspace.plan()).stdout).toContain("No changes.");

    const token = await workspace.ok([
      "output",
      "-raw",
      "release_signing_token",
    ]);
    expect(token.stdout.length).toBeGreaterThan(16);
    const [user] = await serviceUsers(emulator);
    expect(user.friendly_name).toBe("release-signing bot");

    await workspace.ok(["destroy", "-no-color", "-input=false", "-auto-approve"]);
    expect(await serviceUsers(emulator)).toHaveLength(0);
  });
});
