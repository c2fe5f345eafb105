// The example files that the registry docs show (examples/provider,
// examples/resources, examples/data-sources) are valid configurations for
// the built provider, and each import.sh imports a resource of its example.

import { cpSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { PROVIDER_BLOCK, requireBuiltProvider, requireTerraform, ROOT, Workspace } from "./harness";

/** Lists every folder of example files, relative to the repository root. */
function exampleDirs(): string[] {
  const dirs = ["examples/provider"];
  for (const parent of ["examples/resources", "examples/data-sources"]) {
    for (const name of readdirSync(path.join(ROOT, parent)).sort()) {
      dirs.push(`${parent}/${name}`);
    }
  }
  return dirs;
}

/** Removes the previous example's configuration files but keeps `.terraform`. */
function clearConfiguration(dir: string): void {
  for (const name of readdirSync(dir)) {
    if (name.endsWith(".tf") || name.endsWith(".sh")) rmSync(path.join(dir, name));
  }
}

describe("registry examples", () => {
  let workspace: Workspace;

  beforeAll(async () => {
    requireTerraform();
    requireBuiltProvider();
    workspace = new Workspace({});
    // One `terraform init` installs the provider for every example.
    workspace.writeConfig("");
    await workspace.init();
  });

  afterAll(() => {
    workspace?.remove();
  });

  test("every type has an example", () => {
    const dirs = exampleDirs();
    expect(dirs).toEqual(
      expect.arrayContaining([
        "examples/resources/digicertone_service_user",
        "examples/resources/digicertone_service_user_role_binding",
        "examples/data-sources/digicertone_service_users",
      ]),
    );
  });

  test.each(exampleDirs())("%s validates", async (exampleDir) => {
    clearConfiguration(workspace.dir);
    cpSync(path.join(ROOT, exampleDir), workspace.dir, { recursive: true });
    const combined = readdirSync(workspace.dir)
      .filter((name) => name.endsWith(".tf"))
      .map((name) => readFileSync(path.join(workspace.dir, name), "utf8"))
      .join("\n");
    // Registry examples of a single type leave out required_providers.
    if (!combined.includes("required_providers")) {
      writeFileSync(path.join(workspace.dir, "versions.tf"), PROVIDER_BLOCK);
    }

    const result = await workspace.run(["validate", "-no-color"]);

    expect(result.output).toContain("Success! The configuration is valid.");
    expect(result.code).toBe(0);
  });

  test.each(exampleDirs().filter((dir) => dir.startsWith("examples/resources/")))(
    "%s import.sh names its resource",
    (exampleDir) => {
      const script = readFileSync(path.join(ROOT, exampleDir, "import.sh"), "utf8");
      const resource = readFileSync(path.join(ROOT, exampleDir, "resource.tf"), "utf8");
      const addresses = [...script.matchAll(/^terraform import (\S+)\.(\S+) /gm)];

      expect(addresses.length).toBeGreaterThan(0);
      for (const [, type, name] of addresses) {
        expect(type).toBe(path.basename(exampleDir));
        expect(resource).toContain(`resource "${type}" "${name}"`);
      }
    },
  );
});
