// The release zip writer: archives that unzip reads back with the same bytes
// and modes, identical output for identical input, and the CRC-32 fallback.

import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import { crc32, crc32ByTable, writeZip, ZipEntry } from "../../scripts/release/zip";

const launcher = Buffer.from('#!/usr/bin/env node\nrequire("./provider.js");\n');
const bundle = Buffer.from("// bundle\n" + "module.exports = 1;\n".repeat(500));

const entries: ZipEntry[] = [
  { name: "terraform-provider-digicertone_v0.1.0", data: launcher, mode: 0o755 },
  { name: "provider.js", data: bundle, mode: 0o644 },
  { name: "lib/empty.js", data: Buffer.alloc(0), mode: 0o644 },
];

function hasUnzip(): boolean {
  try {
    execFileSync("unzip", ["-v"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/** Reads the central directory back: name, Unix mode and local header offset. */
function readCentralDirectory(archive: Buffer) {
  const end = archive.length - 22;
  expect(archive.readUInt32LE(end)).toBe(0x06054b50);
  const count = archive.readUInt16LE(end + 10);
  let offset = archive.readUInt32LE(end + 16);
  const result = [];
  for (let index = 0; index < count; index++) {
    expect(archive.readUInt32LE(offset)).toBe(0x02014b50);
    const method = archive.readUInt16LE(offset + 10);
    const crc = archive.readUInt32LE(offset + 16);
    const compressedSize = archive.readUInt32LE(offset + 20);
    const nameLength = archive.readUInt16LE(offset + 28);
    const mode = archive.readUInt32LE(offset + 38) >>> 16;
    const localOffset = archive.readUInt32LE(offset + 42);
    const name = archive.toString("utf8", offset + 46, offset + 46 + nameLength);
    const dataStart = localOffset + 30 + archive.readUInt16LE(localOffset + 26);
    const body = archive.subarray(dataStart, dataStart + compressedSize);
    const data = method === 8 ? zlib.inflateRawSync(body) : body;
    result.push({ name, mode, crc, method, data });
    offset += 46 + nameLength;
  }
  return result;
}

describe("release zip writer", () => {
  test("parses back with sorted entries", () => {
    const parsed = readCentralDirectory(writeZip(entries));

    expect(parsed.map((entry) => entry.name)).toEqual([
      "lib/empty.js",
      "provider.js",
      "terraform-provider-digicertone_v0.1.0",
    ]);
    expect(parsed[1].data.equals(bundle)).toBe(true);
    expect(parsed[1].method).toBe(8);
    expect(parsed[1].crc).toBe(crc32ByTable(bundle));
    expect(parsed[2].data.equals(launcher)).toBe(true);
    expect(parsed[2].mode).toBe(0o100755);
    expect(parsed[0].data.length).toBe(0);
    expect(parsed[0].mode).toBe(0o100644);
  });

  test("writes identical bytes for identical input", () => {
    const first = writeZip(entries);
    const second = writeZip([...entries].reverse());

    expect(second.equals(first)).toBe(true);
  });

  test("round-trips through unzip", () => {
    if (!hasUnzip()) {
      // NOTE: without unzip on the PATH only the parse-back test above runs.
      return;
    }
    const dir = mkdtempSync(path.join(tmpdir(), "release-zip-"));
    try {
      const file = path.join(dir, "package.zip");
      writeFileSync(file, writeZip(entries));

      const integrity = execFileSync("unzip", ["-t", file], { encoding: "utf8" });
      expect(integrity).toContain("No errors detected");
      const listing = execFileSync("unzip", ["-Z", file], { encoding: "utf8" });
      expect(listing).toMatch(/-rwxr-xr-x .* 80-Jan-01 00:00 terraform-provider-digicertone_v0\.1\.0/);
      expect(listing).toMatch(/-rw-r--r-- .* 80-Jan-01 00:00 provider\.js/);
      const extracted = execFileSync("unzip", ["-p", file, "provider.js"]);
      expect(extracted.equals(bundle)).toBe(true);
      const extractedLauncher = execFileSync("unzip", [
        "-p",
        file,
        "terraform-provider-digicertone_v0.1.0",
      ]);
      expect(extractedLauncher.equals(launcher)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("rejects duplicate and absolute names", () => {
    const duplicate = { name: "provider.js", data: launcher, mode: 0o644 };

    expect(() => writeZip([...entries, duplicate])).toThrow(
      'duplicate zip entry name "provider.js"',
    );
    expect(() => writeZip([{ ...duplicate, name: "/etc/passwd" }])).toThrow(
      'invalid zip entry name "/etc/passwd"',
    );
  });

  test("table CRC-32 matches zlib", () => {
    // 0xcbf43926 is the standard check value of CRC-32 for "123456789".
    expect(crc32ByTable(Buffer.from("123456789"))).toBe(0xcbf43926);
    expect(crc32(Buffer.from("123456789"))).toBe(0xcbf43926);
    expect(crc32ByTable(bundle)).toBe(crc32(bundle));
    expect(crc32ByTable(Buffer.alloc(0))).toBe(0);
  });
});
