// The h1: and zh: hashes of a release package against values that
// Terraform 1.11.4 recorded in .terraform.lock.hcl.

import { createHash } from "node:crypto";
import { packageHashV1, zipHash } from "../../scripts/release/hashes";

// `terraform providers lock -fs-mirror=... -platform=linux_amd64` over an
// unpacked package directory with exactly these four files recorded
// h1:IE9IZg9HYkupgipaKrT3RdpOqS7s09yxq2j8vDpExtA= (Terraform 1.11.4).
const TERRAFORM_FIXTURE = [
  {
    name: "terraform-provider-digicertone_v9.9.9",
    data: Buffer.from('#!/usr/bin/env node\nrequire("./provider.js");\n'),
  },
  { name: "provider.js", data: Buffer.from('process.stdout.write("fixture\\n");\n') },
  { name: "LICENSE", data: Buffer.from("MPL-2.0\n") },
  { name: "lib/util.js", data: Buffer.from("module.exports = 1;\n") },
];

describe("release package hashes", () => {
  test("h1 matches Terraform's lock file", () => {
    expect(packageHashV1(TERRAFORM_FIXTURE)).toBe(
      "h1:IE9IZg9HYkupgipaKrT3RdpOqS7s09yxq2j8vDpExtA=",
    );
  });

  test("h1 ignores input order", () => {
    expect(packageHashV1([...TERRAFORM_FIXTURE].reverse())).toBe(
      packageHashV1(TERRAFORM_FIXTURE),
    );
  });

  test("h1 changes with content", () => {
    const changed = TERRAFORM_FIXTURE.map((file) =>
      file.name === "LICENSE" ? { ...file, data: Buffer.from("MIT\n") } : file,
    );

    expect(packageHashV1(changed)).not.toBe(packageHashV1(TERRAFORM_FIXTURE));
  });

  test("h1 rejects newline in name", () => {
    expect(() =>
      packageHashV1([{ name: "a\nb", data: Buffer.alloc(0) }]),
    ).toThrow("contains a newline");
  });

  test("zh is hex SHA-256 of archive", () => {
    const archive = Buffer.from("PK\x05\x06" + "\0".repeat(18), "binary");
    const expected = createHash("sha256").update(archive).digest("hex");

    expect(zipHash(archive)).toBe(`zh:${expected}`);
    expect(zipHash(archive)).toMatch(/^zh:[0-9a-f]{64}$/);
  });
});
