// Command-line parsing for `npm run release`, kept apart from the build so
// that invalid arguments exit with status 2 before anything is built.

import { parseArgs } from "node:util";
import { checkReleaseOptions, DEFAULT_PLATFORMS, type ReleaseOptions } from "./build-release";

export const USAGE = `Usage: npm run release -- [options]

Options:
  --version <semver>     provider version to release (default: the version in package.json)
  --platforms <list>     comma-separated <os>_<arch> targets (default: ${DEFAULT_PLATFORMS.join(",")})
  --out <dir>            output directory, created if missing (default: build/release)
  --help                 print this help

Exit status: 0 on success, 1 if the build fails, 2 for invalid arguments.
`;

/** An invalid command line: the caller prints the message and exits with status 2. */
export class UsageError extends Error {}

/** Values used when an option is omitted. */
export interface ReleaseDefaults {
  readonly version: string;
  readonly outDir: string;
}

/**
 * Parses the arguments after `npm run release --` and checks the version and
 * platforms. Returns "help" for `--help`, and throws UsageError for an
 * unknown option, a missing value, an invalid version or platform.
 */
export function parseReleaseArguments(
  argv: readonly string[],
  defaults: ReleaseDefaults,
): ReleaseOptions | "help" {
  let values: { version?: string; platforms?: string; out?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        version: { type: "string" },
        platforms: { type: "string" },
        out: { type: "string" },
        help: { type: "boolean" },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError((error as Error).message, { cause: error });
  }
  if (values.help) return "help";

  const options: ReleaseOptions = {
    version: values.version ?? defaults.version,
    platforms: values.platforms
      ? values.platforms.split(",").map((platform) => platform.trim()).filter(Boolean)
      : [...DEFAULT_PLATFORMS],
    outDir: values.out ?? defaults.outDir,
  };
  try {
    checkReleaseOptions(options);
  } catch (error) {
    throw new UsageError((error as Error).message, { cause: error });
  }
  return options;
}
