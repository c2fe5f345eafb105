// State written by the provider with schema version 0 (before token
// rotation), together with the emulator data of that run, upgraded by the
// current provider: the plan shows no changes, the state gets the new
// attributes, and the upgraded user's token can be rotated.

import { cpSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { startEmulator } from "../../emulator/src/server";
import { requireBuiltProvider, requireTerraform, Workspace } from "./harness";
import { tokenOwner, type RunningEmulator } from "./emulator-fixture";

const FIXTURE = path.join(__dirname, "fixtures/schema-v0");
/** The administrator key saved in the fixture's emulator data. */
const FIXTURE_ADMIN_KEY = "schema-v0-fixture-admin-key";

interface StateFile {
  resources: Array<{
    name: string;
    instances: Array<{ schema_version: number; attributes: { [name: string]: unknown } }>;
  }>;
}

describe("state upgrade from schema version 0", () => {
  let emulator: RunningEmulator;
  let workspace: Workspace;
  let dataDir: string;

  beforeAll(async () => {
    requireTerraform();
    requireBuiltProvider();
    dataDir = mkdtempSync(path.join(tmpdir(), "digicertone-v0-data-"));
    cpSync(path.join(FIXTURE, "emulator"), dataDir, { recursive: true });
    emulator = await startEmulator({ host: "127.0.0.1", port: 0, quiet: true, dataDir });
    expect(emulator.adminApiKey).toBe(FIXTURE_ADMIN_KEY);
    workspace = new Workspace({
      DIGICERT_ONE_URL: emulator.url,
      DIGICERT_ONE_API_KEY: emulator.adminApiKey,
    });
    cpSync(path.join(FIXTURE, "main.tf"), path.join(workspace.dir, "main.tf"));
    // Stored as .json, because .gitignore excludes *.tfstate.
    cpSync(path.join(FIXTURE, "terraform-state.json"), path.join(workspace.dir, "terraform.tfstate"));
    await workspace.init();
  });

  afterAll(async () => {
    await emulator?.close();
    workspace?.remove();
    if (dataDir !== undefined) rmSync(dataDir, { recursive: true, force: true });
  });

  function stateFile(): StateFile {
    return JSON.parse(readFileSync(path.join(workspace.dir, "terraform.tfstate"), "utf8")) as StateFile;
  }

  function instance(name: string) {
    const resource = stateFile().resources.find((candidate) => candidate.name === name);
    expect(resource).toBeDefined();
    return resource!.instances[0];
  }

  test("plan of the upgraded state shows no changes", async () => {
    expect(instance("release").schema_version).toBe(0);
    expect((await workspace.plan()).stdout).toContain("No changes.");
  });

  test("refresh writes version 1 with the new attributes", async () => {
    const before = instance("release").attributes;
    await workspace.ok(["apply", "-refresh-only", "-no-color", "-input=false", "-auto-approve"]);

    const release = instance("release");
    expect(release.schema_version).toBe(1);
    expect(release.attributes.token).toBe(before.token);
    expect(release.attributes.token_created_at).toBe(before.created_at);
    expect(release.attributes.token_overlap_days).toBe(1);
    expect(release.attributes.rotation_triggers).toBeNull();
    expect(release.attributes.rotation_days).toBeNull();
    const paused = instance("paused");
    expect(paused.schema_version).toBe(1);
    expect(paused.attributes.enabled).toBe(false);
    expect((await workspace.plan()).stdout).toContain("No changes.");
  });

  test("the upgraded user's token rotates in place", async () => {
    const before = instance("release").attributes;
    const config = readFileSync(path.join(workspace.dir, "main.tf"), "utf8").replace(
      '  expiration_date = "2036-06-30"',
      '  expiration_date = "2036-06-30"\n  rotation_triggers = { upgraded = "1" }',
    );
    workspace.writeConfig(config.slice(config.indexOf('resource "digicertone_service_user"')));
    await workspace.apply();

    const after = instance("release").attributes;
    expect(after.id).toBe(before.id);
    expect(after.token).not.toBe(before.token);
    expect(await tokenOwner(emulator, after.token)).toBe(before.id);
    expect((await workspace.plan()).stdout).toContain("No changes.");
  });
});
