// Generates the documentation that is derived from code:
//
// - docs/: the provider's pages in the Terraform Registry layout, from the
//   live provider schema and the example files under examples/provider,
//   examples/resources and examples/data-sources;
// - constructs/API.md: the construct library's API reference, from the
//   TypeScript declarations that constructs/src/index.ts exports.
//
//   npm run generate:docs
//
// The output is deterministic: test/unit/generated-docs.test.ts regenerates
// it and fails when the committed files differ.

import { mkdir, readdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { provider } from "../provider/src/provider";
import { CONSTRUCTS_API_FILE, renderConstructsApi } from "./docs/constructs-api";
import { GENERATE_DOCS_COMMAND, renderRegistryDocs } from "./docs/registry";

export { GENERATE_DOCS_COMMAND };

const root = path.resolve(__dirname, "..");

/** Folder of the registry pages, relative to the repository root. */
export const DOCS_DIR = "docs";

/**
 * Renders every generated document, keyed by its path relative to the
 * repository root with "/" separators.
 */
export function generateDocs(): Map<string, string> {
  const files = renderRegistryDocs(provider, root);
  files.set(CONSTRUCTS_API_FILE, renderConstructsApi(root, GENERATE_DOCS_COMMAND));
  return files;
}

/** Lists the files under `dir` (relative to `root`), with "/" separators. */
export async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(path.join(root, dir), {
    withFileTypes: true,
    recursive: true,
  }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return [];
    throw error;
  });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) =>
      path
        .relative(root, path.join(entry.parentPath, entry.name))
        .split(path.sep)
        .join("/"),
    )
    .sort();
}

/** Replaces docs/ with the generated pages and writes constructs/API.md. */
async function main(): Promise<void> {
  const files = generateDocs();
  await rm(path.join(root, DOCS_DIR), { recursive: true, force: true });
  for (const [relativePath, text] of files) {
    const filePath = path.join(root, relativePath);
    await mkdir(path.dirname(filePath), { recursive: true });
    await writeFile(filePath, text);
    console.log(relativePath);
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
