// `npm run release`: builds the provider's release zips, SHA256SUMS, registry
// manifest and mirror layouts. See scripts/release/build-release.ts for the
// files it writes.
//
//   npm run release -- [--version 0.1.0] [--platforms linux_amd64,darwin_arm64] [--out build/release]
//
// Exit status: 0 on success, 1 if the build fails, 2 for invalid arguments,
// as for the package's other commands.

import path from "node:path";
import { readVersion } from "./build-provider";
import { parseReleaseArguments, USAGE, UsageError } from "./release/arguments";
import { buildRelease } from "./release/build-release";

const root = path.resolve(__dirname, "..");

async function main(): Promise<void> {
  let options;
  try {
    options = parseReleaseArguments(process.argv.slice(2), {
      version: await readVersion(),
      outDir: path.join(root, "build/release"),
    });
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`error: ${error.message}\n\n${USAGE}`);
    process.exit(2);
  }
  if (options === "help") {
    process.stdout.write(USAGE);
    return;
  }

  const release = await buildRelease({ ...options, outDir: path.resolve(options.outDir) });

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
  process.stderr.write(`release failed: ${message}\n`);
  process.exit(1);
});
