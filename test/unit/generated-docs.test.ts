// The committed registry docs (docs/) and the construct library's API
// reference (constructs/API.md) must be exactly what scripts/generate-docs.ts
// renders from the current provider schema, examples and declarations.

import { readFile } from "node:fs/promises";
import path from "node:path";
import { DOCS_DIR, GENERATE_DOCS_COMMAND, generateDocs, listFiles } from "../../scripts/generate-docs";
import { provider } from "../../provider/src/provider";
import { CONSTRUCTS_API_FILE } from "../../scripts/docs/constructs-api";

const root = path.resolve(__dirname, "..", "..");

async function readCommitted(relativePath: string): Promise<string | undefined> {
  try {
    return await readFile(path.join(root, relativePath), "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

describe("generated docs", () => {
  let generated: Map<string, string>;

  beforeAll(() => {
    generated = generateDocs();
  });

  test("match committed files", async () => {
    const differences: string[] = [];
    for (const [relativePath, text] of generated) {
      const committed = await readCommitted(relativePath);
      if (committed === undefined) differences.push(`${relativePath} is missing`);
      else if (committed !== text) differences.push(`${relativePath} differs`);
    }
    for (const relativePath of await listFiles(DOCS_DIR)) {
      if (!generated.has(relativePath)) {
        differences.push(`${relativePath} is no longer generated`);
      }
    }

    const message =
      differences.length === 0
        ? ""
        : `The committed docs are stale: run \`${GENERATE_DOCS_COMMAND}\` and commit the result.\n` +
          differences.map((difference) => `- ${difference}`).join("\n");
    expect(message).toBe("");
  });

  test("cover every provider type", () => {
    expect([...generated.keys()]).toEqual(
      expect.arrayContaining([
        "docs/index.md",
        "docs/resources/service_user.md",
        "docs/resources/service_user_role_binding.md",
        "docs/data-sources/account.md",
        "docs/data-sources/accounts.md",
        "docs/data-sources/managers.md",
        "docs/data-sources/roles.md",
        "docs/data-sources/service_user.md",
        "docs/data-sources/service_users.md",
        CONSTRUCTS_API_FILE,
      ]),
    );
  });

  test("resource page marks token sensitive", () => {
    const page = generated.get("docs/resources/service_user.md") ?? "";
    expect(page).toMatch(/^page_title: "digicertone_service_user Resource - digicertone"$/m);
    expect(page).toMatch(/^- `token` \(String, Sensitive\) /m);
    expect(page).toContain("## Example Usage\n\n```terraform\n");
    expect(page).toContain("## Import");
    expect(page).toContain('<a id="nested-schema--access"></a>');
  });

  test("provider page lists every argument", () => {
    const page = generated.get("docs/index.md") ?? "";
    for (const name of Object.keys(provider.schema.block.attributes)) {
      expect(page).toContain(`- \`${name}\` (`);
    }
    expect(page).toMatch(/^- `api_key` \(String, Sensitive\) /m);
  });

  test("API reference documents ServiceUser", () => {
    const api = generated.get(CONSTRUCTS_API_FILE) ?? "";
    expect(api).toContain("### ServiceUser\n");
    expect(api).toContain("new ServiceUser(scope: Construct, id: string, props: ServiceUserProps)");
    expect(api).toContain("##### `grant(manager, roles, options?)`");
    expect(api).toContain("- **`name`** `string` (read-only)");
    expect(api).toContain("Default: true");
  });
});
