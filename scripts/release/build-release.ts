// Builds the release files of one provider version: a zip per platform, the
// SHA256SUMS file and registry manifest that a provider registry takes, and a
// mirror directory that serves both Terraform mirror kinds.
//
//   <out>/terraform-provider-digicertone_<version>_<os>_<arch>.zip
//   <out>/terraform-provider-digicertone_<version>_SHA256SUMS
//   <out>/terraform-provider-digicertone_<version>_manifest.json
//   <out>/mirror/registry.terraform.io/digicert/digicertone/
//     terraform-provider-digicertone_<version>_<os>_<arch>.zip
//     index.json  <version>.json          network mirror protocol documents
//
// The mirror directory has the layout `terraform providers mirror` writes:
// a filesystem_mirror reads its zips in the packed layout and ignores the
// JSON files, and a static HTTPS server over it is a network_mirror.

import {
  chmod,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rename,
  rm,
  stat,
  writeFile,
} from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { writeProviderPackage } from "../build-provider";
import { PROVIDER_SOURCE } from "../../provider/src/schema-json";
import { packageHashV1, sha256Hex, zipHash } from "./hashes";
import { writeZip, ZipEntry } from "./zip";

export const PROVIDER_TYPE = "digicertone";

/** The platforms a release targets unless the caller names others. */
export const DEFAULT_PLATFORMS = [
  "darwin_amd64",
  "darwin_arm64",
  "linux_amd64",
  "linux_arm64",
] as const;

/**
 * Operating systems and CPU architectures that Terraform and Node.js both
 * support. Windows is left out because the launcher is a `#!/usr/bin/env node`
 * script, which Windows cannot run as an executable.
 */
export const SUPPORTED_OPERATING_SYSTEMS = ["darwin", "freebsd", "linux", "openbsd"];
export const SUPPORTED_ARCHITECTURES = ["386", "amd64", "arm", "arm64"];

/** The registry manifest: the provider speaks plugin protocol 6.0 only. */
export const REGISTRY_MANIFEST = {
  version: 1,
  metadata: { protocol_versions: ["6.0"] },
};

export interface ReleaseOptions {
  /** Semantic version without a leading "v", such as "0.1.0". */
  readonly version: string;
  /** Terraform platform names such as "linux_amd64"; sorted and deduplicated. */
  readonly platforms: readonly string[];
  /** Directory to write into; created if missing. */
  readonly outDir: string;
}

export interface ReleaseArchive {
  readonly platform: string;
  /** Absolute path of the zip in the output directory. */
  readonly file: string;
  /** Hash of the package files, which `terraform init` records. */
  readonly h1: string;
  /** SHA-256 of the zip, which registries and network mirrors report. */
  readonly zh: string;
}

export interface Release {
  readonly version: string;
  readonly archives: readonly ReleaseArchive[];
  readonly sumsFile: string;
  readonly manifestFile: string;
  /** The directory to name in a filesystem_mirror block or to serve over HTTPS. */
  readonly mirrorDir: string;
}

/** Returns the file name of a provider zip, as registries and mirrors expect. */
export function archiveName(version: string, platform: string): string {
  return `terraform-provider-${PROVIDER_TYPE}_${version}_${platform}.zip`;
}

/** Throws with the allowed values unless the version and platforms are valid. */
export function checkReleaseOptions(options: ReleaseOptions): void {
  // Terraform parses provider versions as semantic versions and rejects
  // build metadata in a version constraint, so releases carry none.
  if (!/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/.test(options.version)) {
    throw new Error(
      `invalid version "${options.version}": use a semantic version such as 0.1.0 or 0.2.0-beta.1, without a leading "v"`,
    );
  }
  if (options.platforms.length === 0) {
    throw new Error("no platforms given: name at least one, such as linux_amd64");
  }
  for (const platform of options.platforms) {
    const [os, arch, ...rest] = platform.split("_");
    if (
      rest.length > 0 ||
      !SUPPORTED_OPERATING_SYSTEMS.includes(os) ||
      !SUPPORTED_ARCHITECTURES.includes(arch)
    ) {
      throw new Error(
        `invalid platform "${platform}": use <os>_<arch> with os one of ` +
          `${SUPPORTED_OPERATING_SYSTEMS.join(", ")} and arch one of ` +
          `${SUPPORTED_ARCHITECTURES.join(", ")}`,
      );
    }
  }
}

/**
 * Bundles the provider once and writes every release file. The bundle is
 * plain JavaScript, so all zips contain the same bytes and share one h1: and
 * one zh: hash.
 */
export async function buildRelease(options: ReleaseOptions): Promise<Release> {
  checkReleaseOptions(options);
  const { version } = options;
  const platforms = [...new Set(options.platforms)].sort();
  const outDir = path.resolve(options.outDir);
  const mirrorDir = path.join(outDir, "mirror", PROVIDER_SOURCE);
  await mkdir(mirrorDir, { recursive: true });

  const files = await bundlePackage(version);
  const archive = writeZip(files);
  const h1 = packageHashV1(files);
  const zh = zipHash(archive);

  const archives: ReleaseArchive[] = [];
  for (const platform of platforms) {
    const name = archiveName(version, platform);
    await writeFileAtomically(path.join(outDir, name), archive);
    await writeFileAtomically(path.join(mirrorDir, name), archive);
    archives.push({ platform, file: path.join(outDir, name), h1, zh });
  }

  const prefix = `terraform-provider-${PROVIDER_TYPE}_${version}`;
  const manifestFile = path.join(outDir, `${prefix}_manifest.json`);
  const manifest = Buffer.from(`${JSON.stringify(REGISTRY_MANIFEST)}\n`);
  await writeFileAtomically(manifestFile, manifest);

  // A registry's SHA256SUMS lists every zip and the manifest, in the
  // `sha256sum` format, sorted by file name.
  const sums = [
    ...platforms.map((platform) => ({
      name: archiveName(version, platform),
      digest: sha256Hex(archive),
    })),
    { name: path.basename(manifestFile), digest: sha256Hex(manifest) },
  ].sort((a, b) => Buffer.compare(Buffer.from(a.name), Buffer.from(b.name)));
  const sumsFile = path.join(outDir, `${prefix}_SHA256SUMS`);
  await writeFileAtomically(
    sumsFile,
    Buffer.from(sums.map((sum) => `${sum.digest}  ${sum.name}\n`).join("")),
  );

  await writeMirrorIndexes(mirrorDir, version, archives);
  return { version, archives, sumsFile, manifestFile, mirrorDir };
}

/** Bundles the provider into a temporary directory and reads its files. */
async function bundlePackage(version: string): Promise<ZipEntry[]> {
  const packageDir = await mkdtemp(path.join(tmpdir(), "digicertone-release-"));
  try {
    await writeProviderPackage(packageDir, version);
    const names = (await readdir(packageDir)).sort();
    const entries: ZipEntry[] = [];
    for (const name of names) {
      const file = path.join(packageDir, name);
      const info = await stat(file);
      if (!info.isFile()) {
        throw new Error(`the provider package contains ${name}, which is not a regular file`);
      }
      // Only the executable bit is kept, so the umask of the build machine
      // does not change the zip's bytes.
      const mode = info.mode & 0o100 ? 0o755 : 0o644;
      entries.push({ name, data: await readFile(file), mode });
    }
    return entries;
  } finally {
    await rm(packageDir, { recursive: true, force: true });
  }
}

/**
 * Writes the network mirror's index.json, keeping versions released earlier
 * into the same directory, and `<version>.json` with each zip's relative URL
 * and hashes.
 */
async function writeMirrorIndexes(
  mirrorDir: string,
  version: string,
  archives: readonly ReleaseArchive[],
): Promise<void> {
  const indexFile = path.join(mirrorDir, "index.json");
  const versions: Record<string, object> = {};
  try {
    const existing = JSON.parse(await readFile(indexFile, "utf8")) as {
      versions?: Record<string, object>;
    };
    Object.assign(versions, existing.versions ?? {});
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") {
      throw new Error(
        `cannot update ${indexFile}: ${String(error)}. Delete it and run the release again.`,
      );
    }
  }
  versions[version] = {};
  const sortedVersions = Object.fromEntries(
    Object.keys(versions)
      .sort()
      .map((name) => [name, {}]),
  );
  await writeJson(indexFile, { versions: sortedVersions });

  const entries = archives.map((archive) => [
    archive.platform,
    { url: path.basename(archive.file), hashes: [archive.h1, archive.zh] },
  ]);
  await writeJson(path.join(mirrorDir, `${version}.json`), {
    archives: Object.fromEntries(entries),
  });
}

async function writeJson(file: string, value: unknown): Promise<void> {
  await writeFileAtomically(file, Buffer.from(`${JSON.stringify(value, null, 2)}\n`));
}

/**
 * Writes through a temporary file and a rename, so a mirror that serves the
 * directory meanwhile never returns a half-written file.
 */
async function writeFileAtomically(file: string, data: Buffer): Promise<void> {
  const staging = `${file}.${process.pid}.tmp`;
  await writeFile(staging, data);
  await chmod(staging, 0o644);
  await rename(staging, file);
}
