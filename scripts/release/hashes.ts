// The two package hashes that Terraform records in .terraform.lock.hcl, as
// Terraform 1.11 computes them in internal/getproviders/hash.go:
//
//   zh:  hex SHA-256 of the zip archive itself ("ziphash", legacy scheme).
//   h1:  Go's golang.org/x/mod/sumdb/dirhash Hash1 over the package's files,
//        the same value for the zip and for its unpacked directory.

import { createHash } from "node:crypto";

export interface PackageFile {
  /** Path inside the package, with forward slashes. */
  readonly name: string;
  readonly data: Buffer;
}

export function sha256Hex(data: Buffer | string): string {
  return createHash("sha256").update(data).digest("hex");
}

/** Returns the `zh:` hash of a zip archive's bytes. */
export function zipHash(archive: Buffer): string {
  return `zh:${sha256Hex(archive)}`;
}

/**
 * Returns the `h1:` hash of a package: one line "<sha256 hex>  <name>\n" per
 * file, in byte order of the names, then the SHA-256 of those lines in
 * standard base64. Directories carry no line, and file modes do not count.
 */
export function packageHashV1(files: readonly PackageFile[]): string {
  const sorted = [...files].sort((a, b) =>
    Buffer.compare(Buffer.from(a.name, "utf8"), Buffer.from(b.name, "utf8")),
  );
  const summary = createHash("sha256");
  for (const file of sorted) {
    // dirhash rejects such names too, since they would forge extra lines.
    if (file.name.includes("\n")) {
      throw new Error(`invalid package file name ${JSON.stringify(file.name)}: it contains a newline`);
    }
    summary.update(`${sha256Hex(file.data)}  ${file.name}\n`);
  }
  return `h1:${summary.digest("base64")}`;
}
