// `npm run release`: builds the provider's release zips, SHA256SUMS, registry
// manifest and mirror layouts. See scripts/release/build-release.ts for the
// files it writes.
//
//   npm run release -- [--version 0.1.0] [--platforms linux_amd64,darwin_arm64] [--out build/release]

import path from "node:path";
import { parseArgs } from "node:util";
import { readVersion } from "./build-provider";
import { buildRelease, DEFAULT_PLATFORMS } from "./release/build-release";

const root = path.resolve(__dirname, "..");

const USAGE = `Usage: npm run release -- [options]

Options:
  --version <semver>     provider version to release (default: the version in package.json)
  --platforms <list>     comma-separated <os>_<arch> targets (default: ${DEFAULT_PLATFORMS.join(",")})
  --out <dir>            output directory, created if missing (default: build/release)
  --help                 print this help
`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      version: { type: "string" },
      platforms: { type: "string" },
      out: { type: "string" },
      help: { type: "boolean" },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }

  const platforms = values.platforms
    ? values.platforms.split(",").map((platform) => platform.trim()).filter(Boolean)
    : [...DEFAULT_PLATFORMS];
  const release = await buildRelease({
    version: values.version ?? (await readVersion()),
    platforms,
    outDir: path.resolve(values.out ?? path.join(root, "build/release")),
  });

  const lines = [`released digicert/digicertone ${release.version}`];
  for (const archive of release.archives) {
    lines.push(`${archive.platform}  ${archive.h1}  ${archive.zh}  ${archive.file}`);
  }
  lines.push(`wrote ${release.sumsFile}`);
  lines.push(`wrote ${release.manifestFile}`);
  lines.push(`mirror ${path.dirname(path.dirname(path.dirname(release.mirrorDir)))}`);
  process.stdout.write(`${lines.join("\n")}\n`);
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`release failed: ${message}\n\n${USAGE}`);
  process.exit(1);
});
