// The README links the generated docs, the constructs API reference, the
// GitOps example and the plan summary, and the relative links of these
// documents point at files that exist.

import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

const root = path.resolve(__dirname, "..", "..");

const DOCUMENTS = [
  "README.md",
  "constructs/API.md",
  "examples/gitops/README.md",
  "docs/index.md",
];

/** Returns the targets of the Markdown links in `text`, without their fragments. */
function relativeLinks(text: string): string[] {
  const targets = [...text.matchAll(/\]\(([^)\s]+)\)/g)].map((match) => match[1]);
  return targets
    .filter((target) => !/^[a-z]+:/.test(target) && !target.startsWith("#"))
    .map((target) => target.split("#")[0]);
}

describe("readme links", () => {
  test("README links every guide", () => {
    const readme = readFileSync(path.join(root, "README.md"), "utf8");
    const links = relativeLinks(readme);

    expect(links).toContain("docs/index.md");
    expect(links).toContain("docs/resources/service_user.md");
    expect(links).toContain("docs/resources/service_user_role_binding.md");
    expect(links).toContain("docs/data-sources");
    expect(links).toContain("constructs/API.md");
    expect(links).toContain("examples/gitops/README.md");
    expect(readme).toContain("](#review-a-plan-in-a-pull-request)");
    expect(readme).toContain("## Review a plan in a pull request\n");
  });

  test.each(DOCUMENTS)("%s links existing files", (document) => {
    const text = readFileSync(path.join(root, document), "utf8");
    const missing = relativeLinks(text).filter(
      (target) => !existsSync(path.join(root, path.dirname(document), target)),
    );
    expect(missing).toEqual([]);
  });
});
