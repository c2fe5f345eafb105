// Validation of `npm run release` options before anything is built.

import { parseReleaseArguments, UsageError } from "../../scripts/release/arguments";
import { archiveName, checkReleaseOptions, DEFAULT_PLATFORMS } from "../../scripts/release/build-release";

const valid = { version: "0.1.0", platforms: ["linux_amd64"], outDir: "/tmp/out" };

describe("release options", () => {
  test("accepts versions and platforms", () => {
    expect(() => checkReleaseOptions(valid)).not.toThrow();
    const prerelease = {
      ...valid,
      version: "1.2.3-beta.1",
      platforms: ["darwin_arm64", "freebsd_386"],
    };

    expect(() => checkReleaseOptions(prerelease)).not.toThrow();
  });

  test.each(["v0.1.0", "0.1", "0.1.0+build.5", ""])("rejects version %p", (version) => {
    expect(() => checkReleaseOptions({ ...valid, version })).toThrow(`invalid version "${version}"`);
  });

  test.each(["windows_amd64", "linux", "linux_amd64_v2", "linux_riscv64"])(
    "rejects platform %p",
    (platform) => {
      expect(() => checkReleaseOptions({ ...valid, platforms: [platform] })).toThrow(
        `invalid platform "${platform}"`,
      );
    },
  );

  test("rejects no platforms", () => {
    expect(() => checkReleaseOptions({ ...valid, platforms: [] })).toThrow("no platforms given");
  });

  test("names archives as registries do", () => {
    expect(archiveName("0.1.0", "darwin_arm64")).toBe(
      "terraform-provider-digicertone_0.1.0_darwin_arm64.zip",
    );
  });

  describe("command line", () => {
    const defaults = { version: "0.1.0", outDir: "build/release" };

    test("uses defaults without options", () => {
      expect(parseReleaseArguments([], defaults)).toEqual({
        version: "0.1.0",
        platforms: [...DEFAULT_PLATFORMS],
        outDir: "build/release",
      });
    });

    test("returns help for --help", () => {
      expect(parseReleaseArguments(["--help"], defaults)).toBe("help");
    });

    test.each([
      [["--bogus"], "Unknown option '--bogus'"],
      [["--version"], "--version"],
      [["extra"], "Unexpected argument 'extra'"],
      [["--version", "v0.2"], 'invalid version "v0.2"'],
      [["--platforms", "windows_amd64"], 'invalid platform "windows_amd64"'],
      [["--platforms", ","], "no platforms given"],
    ])("rejects %p as a usage error", (argv, message) => {
      const parse = () => parseReleaseArguments(argv, defaults);

      expect(parse).toThrow(UsageError);
      expect(parse).toThrow(message);
    });
  });
});
