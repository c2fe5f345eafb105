// Builds the provider as a Terraform filesystem-mirror package and writes a
// CLI configuration that installs it from that mirror only.
//
//   build/mirror/registry.terraform.io/digicert/digicertone/<version>/<os>_<arch>/
//     terraform-provider-digicertone_v<version>   the launcher (runs node)
//     provider.mjs                                what every start loads
//     client.mjs, chunk.mjs                       loaded on ConfigureProvider
//   build/terraformrc                             the CLI configuration
//
// Terraform hashes every file of the package directory on every command, so
// the package contains these few files and no node_modules.

import { build } from "esbuild";
import { chmod, mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { PROVIDER_SOURCE } from "../provider/src/schema-json";

const root = path.resolve(__dirname, "..");
const buildDir = path.join(root, "build");

/** Terraform's platform name for this machine, such as "linux_amd64". */
export function terraformPlatform(
  platform: string = process.platform,
  arch: string = process.arch,
): string {
  const archNames: Record<string, string> = {
    x64: "amd64",
    arm64: "arm64",
    ia32: "386",
    arm: "arm",
  };
  const terraformArch = archNames[arch];
  if (!terraformArch) {
    throw new Error(`unsupported CPU architecture "${arch}"`);
  }
  return `${platform}_${terraformArch}`;
}

/** Returns the version in package.json, which is the provider's version. */
export async function readVersion(): Promise<string> {
  const manifest = JSON.parse(
    await readFile(path.join(root, "package.json"), "utf8"),
  ) as { version: string };
  return manifest.version;
}

function cliConfig(mirrorDir: string): string {
  // No direct {} block: this configuration installs providers from the
  // mirror only, so nothing reaches the network.
  return [
    "disable_checkpoint = true",
    "",
    "provider_installation {",
    "  filesystem_mirror {",
    `    path    = ${JSON.stringify(mirrorDir)}`,
    `    include = [${JSON.stringify(PROVIDER_SOURCE)}]`,
    "  }",
    "}",
    "",
  ].join("\n");
}

export interface ProviderBuild {
  /** The mirror's package directory of this platform, an absolute path. */
  readonly packageDir: string;
  /** The Terraform CLI configuration that installs from the mirror. */
  readonly configFile: string;
}

/**
 * Writes the files of one provider package into `packageDir`: the launcher
 * `terraform-provider-digicertone_v<version>` (mode 0755), `provider.mjs`
 * and the chunks it imports. All are platform-independent, so
 * `npm run release` zips the same files for every target.
 *
 * Terraform starts a provider process for every phase of a command, and most
 * of a start was V8 reading and compiling the bundle. The bundle is
 * therefore split at the dynamic import of the DigiCert ONE client (undici
 * and zod are about half of the code), which needs ES module output, and
 * whitespace is stripped. Identifiers keep their names, so stack traces in
 * the provider's log stay readable.
 */
export async function writeProviderPackage(
  packageDir: string,
  version: string,
): Promise<void> {
  await build({
    entryPoints: { provider: path.join(root, "provider/src/main.ts") },
    outdir: packageDir,
    bundle: true,
    splitting: true,
    platform: "node",
    target: "node20",
    format: "esm",
    outExtension: { ".js": ".mjs" },
    // Names without content hashes, so an unchanged build has the same files.
    chunkNames: "[name]",
    minifyWhitespace: true,
    minifySyntax: true,
    // grpc-js requires proto-loader (and with it protobufjs) only to load
    // the .proto files of its channelz admin service and ORCA load reports,
    // which the provider never uses and whose .proto files the bundle lacks
    // anyway. Left out, they cost no parsing at start-up.
    external: ["@grpc/proto-loader"],
    // Bundled CommonJS packages (grpc-js, undici) call require for Node's
    // built-in modules, which ES modules lack.
    banner: {
      js: 'import { createRequire as __createRequire } from "node:module"; const require = __createRequire(import.meta.url);',
    },
    define: { "process.env.PROVIDER_VERSION": JSON.stringify(version) },
    logLevel: "warning",
  });

  const launcher = path.join(
    packageDir,
    `terraform-provider-digicertone_v${version}`,
  );
  await writeFile(
    launcher,
    "#!/usr/bin/env node\n" +
      'import("./provider.mjs").catch((error) => {\n' +
      "  process.stderr.write(`terraform-provider-digicertone failed to load: ${error.stack}\\n`);\n" +
      "  process.exit(1);\n" +
      "});\n",
  );
  await chmod(launcher, 0o755);
}

/**
 * Bundles the provider into build/mirror and writes build/terraformrc. The
 * mirror is built in a staging directory and swapped in only when its files
 * changed, so a Terraform run that reads the mirror meanwhile never sees a
 * half-written package.
 */
export async function buildProvider(): Promise<ProviderBuild> {
  const version = await readVersion();
  const mirrorDir = path.join(buildDir, "mirror");
  const packagePath = path.join(PROVIDER_SOURCE, version, terraformPlatform());
  const stagingDir = path.join(buildDir, `.mirror-${process.pid}`);
  const stagingPackageDir = path.join(stagingDir, packagePath);

  await rm(stagingDir, { recursive: true, force: true });
  await mkdir(stagingPackageDir, { recursive: true });

  await writeProviderPackage(stagingPackageDir, version);

  const packageDir = path.join(mirrorDir, packagePath);
  if (await sameFiles(stagingPackageDir, packageDir, await readdir(stagingPackageDir))) {
    await rm(stagingDir, { recursive: true, force: true });
  } else {
    const retiredDir = path.join(buildDir, `.mirror-old-${process.pid}`);
    await rm(retiredDir, { recursive: true, force: true });
    await rename(mirrorDir, retiredDir).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== "ENOENT") throw error;
    });
    await rename(stagingDir, mirrorDir);
    await rm(retiredDir, { recursive: true, force: true });
  }

  const configFile = path.join(buildDir, "terraformrc");
  const stagingConfig = `${configFile}.${process.pid}`;
  await writeFile(stagingConfig, cliConfig(mirrorDir));
  await rename(stagingConfig, configFile);
  return { packageDir, configFile };
}

/**
 * Returns whether both directories contain the named files with equal bytes
 * and `right` contains no other files.
 */
async function sameFiles(
  left: string,
  right: string,
  names: string[],
): Promise<boolean> {
  const rightNames = await readdir(right).catch((): string[] => []);
  if (rightNames.length !== names.length) return false;
  for (const name of names) {
    try {
      const [a, b] = await Promise.all([
        readFile(path.join(left, name)),
        readFile(path.join(right, name)),
      ]);
      if (!a.equals(b)) return false;
    } catch {
      return false;
    }
  }
  return true;
}

async function main(): Promise<void> {
  const { packageDir, configFile } = await buildProvider();
  process.stdout.write(
    `built ${path.relative(root, packageDir)}\n` +
      `wrote ${path.relative(root, configFile)}: ` +
      `export TF_CLI_CONFIG_FILE=${configFile}\n`,
  );
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`build failed: ${String(error)}\n`);
    process.exit(1);
  });
}
