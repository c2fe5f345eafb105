// The schema document the provider builds for binding generation is the one
// Terraform itself prints for the installed provider.

import { providerSchemaDocument } from "../../provider/src/schema-json";
import { provider } from "../../provider/src/provider";
import {
  PROVIDER_BLOCK,
  requireBuiltProvider,
  requireTerraform,
  Workspace,
} from "./harness";

describe("provider schema JSON", () => {
  test("matches terraform providers schema", async () => {
    requireTerraform();
    requireBuiltProvider();
    const workspace = new Workspace();
    try {
      workspace.writeConfig("");
      expect(PROVIDER_BLOCK).toContain("digicert/digicertone");
      await workspace.init();
      const printed = await workspace.ok(["providers", "schema", "-json"]);

      expect(JSON.parse(printed.stdout)).toEqual(
        providerSchemaDocument(provider),
      );
    } finally {
      workspace.remove();
    }
  });
});
