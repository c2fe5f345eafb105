// `npm run release` end to end. Its zips install through a filesystem mirror
// in the packed layout and through a network mirror served over HTTPS. The
// h1: and zh: hashes it prints are the ones Terraform computes and records,
// and the installed provider runs.

import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createServer, Server } from "node:https";
import { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { activeAccounts, RunningEmulator, startTestEmulator } from "./emulator-fixture";
import { hcl, requireTerraform, ROOT, Workspace } from "./harness";

const VERSION = "0.1.0";
const PLATFORMS = ["darwin_amd64", "darwin_arm64", "linux_amd64", "linux_arm64"];
const PROVIDER_ADDRESS = "registry.terraform.io/digicert/digicertone";

interface ArchiveHashes {
  url: string;
  hashes: string[];
}

/** Runs `npm run release` into `outDir` and returns its stdout. */
function runRelease(outDir: string): string {
  return execFileSync(
    "npm",
    [
      "run", "--silent", "release", "--",
      "--out", outDir,
      "--version", VERSION,
      "--platforms", PLATFORMS.join(","),
    ],
    { cwd: ROOT, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } },
  );
}

/** Returns the hashes in .terraform.lock.hcl for the provider, sorted. */
function lockedHashes(workspace: Workspace): string[] {
  const lock = readFileSync(path.join(workspace.dir, ".terraform.lock.hcl"), "utf8");
  const block = lock.slice(lock.indexOf(`provider "${PROVIDER_ADDRESS}"`));
  expect(block).toContain(`version = "${VERSION}"`);
  return [...block.matchAll(/"((?:h1|zh):[^"]+)"/g)].map((match) => match[1]).sort();
}

function writeLock(workspace: Workspace, hashes: string[]): void {
  const lines = [
    `provider "${PROVIDER_ADDRESS}" {`,
    `  version = "${VERSION}"`,
    "  hashes = [",
    ...hashes.map((hash) => `    ${hcl(hash)},`),
    "  ]",
    "}",
    "",
  ];
  writeFileSync(path.join(workspace.dir, ".terraform.lock.hcl"), lines.join("\n"));
}

function cliConfig(installation: string): string {
  return `disable_checkpoint = true\n\nprovider_installation {\n${installation}}\n`;
}

function sha256Hex(data: Buffer): string {
  return createHash("sha256").update(data).digest("hex");
}

describe("release packages", () => {
  let scratchDir: string;
  let outDir: string;
  let stdout: string;
  let mirrorDir: string;
  let archives: Record<string, ArchiveHashes>;
  let h1: string;
  let zh: string;
  /** CLI configuration that installs from the release's filesystem mirror. */
  let configFile: string;
  const workspaces: Workspace[] = [];

  function newWorkspace(configFile: string, env: Record<string, string> = {}): Workspace {
    const workspace = new Workspace({ TF_CLI_CONFIG_FILE: configFile, ...env });
    workspaces.push(workspace);
    workspace.writeConfig("");
    return workspace;
  }

  beforeAll(() => {
    requireTerraform();
    scratchDir = mkdtempSync(path.join(tmpdir(), "digicertone-release-"));
    outDir = path.join(scratchDir, "first");
    stdout = runRelease(outDir);
    mirrorDir = path.join(outDir, "mirror");
    const versionIndex = JSON.parse(
      readFileSync(path.join(mirrorDir, PROVIDER_ADDRESS, `${VERSION}.json`), "utf8"),
    ) as { archives: Record<string, ArchiveHashes> };
    archives = versionIndex.archives;
    h1 = archives.linux_amd64.hashes.find((hash) => hash.startsWith("h1:")) ?? "";
    zh = archives.linux_amd64.hashes.find((hash) => hash.startsWith("zh:")) ?? "";

    configFile = path.join(scratchDir, "filesystem-mirror.tfrc");
    writeFileSync(
      configFile,
      cliConfig(
        `  filesystem_mirror {\n    path    = ${hcl(mirrorDir)}\n` +
          `    include = [${hcl(PROVIDER_ADDRESS)}]\n  }\n`,
      ),
    );
  });

  afterAll(() => {
    for (const workspace of workspaces) workspace.remove();
    if (scratchDir) rmSync(scratchDir, { recursive: true, force: true });
  });

  test("writes zips, sums and manifest", () => {
    const prefix = `terraform-provider-digicertone_${VERSION}`;
    const zips = PLATFORMS.map((platform) => `${prefix}_${platform}.zip`);
    const manifestName = `${prefix}_manifest.json`;

    expect(readdirSync(outDir).sort()).toEqual(
      [...zips, `${prefix}_SHA256SUMS`, manifestName, "mirror"].sort(),
    );
    expect(JSON.parse(readFileSync(path.join(outDir, manifestName), "utf8"))).toEqual({
      version: 1,
      metadata: { protocol_versions: ["6.0"] },
    });

    const sums = readFileSync(path.join(outDir, `${prefix}_SHA256SUMS`), "utf8");
    const expectedSums = [...zips, manifestName]
      .sort()
      .map((name) => `${sha256Hex(readFileSync(path.join(outDir, name)))}  ${name}\n`)
      .join("");
    expect(sums).toBe(expectedSums);
  });

  test("prints the hashes it indexes", () => {
    expect(Object.keys(archives).sort()).toEqual(PLATFORMS);
    expect(h1).toMatch(/^h1:[A-Za-z0-9+/]{43}=$/);
    expect(zh).toMatch(/^zh:[0-9a-f]{64}$/);

    for (const platform of PLATFORMS) {
      const zipName = `terraform-provider-digicertone_${VERSION}_${platform}.zip`;
      const zip = readFileSync(path.join(mirrorDir, PROVIDER_ADDRESS, zipName));
      expect(archives[platform].url).toBe(zipName);
      expect(archives[platform].hashes).toEqual([h1, `zh:${sha256Hex(zip)}`]);
      expect(stdout).toContain(`${platform}  ${archives[platform].hashes.join("  ")}`);
    }
    const index = JSON.parse(
      readFileSync(path.join(mirrorDir, PROVIDER_ADDRESS, "index.json"), "utf8"),
    );
    expect(index).toEqual({ versions: { [VERSION]: {} } });
  });

  test("writes the same bytes twice", () => {
    const secondDir = path.join(scratchDir, "second");
    runRelease(secondDir);
    const files = [
      ...readdirSync(outDir).filter((name) => name !== "mirror"),
      ...readdirSync(path.join(mirrorDir, PROVIDER_ADDRESS)).map((name) =>
        path.join("mirror", PROVIDER_ADDRESS, name),
      ),
    ];

    expect(files).toHaveLength(PLATFORMS.length * 2 + 4);
    for (const name of files) {
      const first = readFileSync(path.join(outDir, name));
      const second = readFileSync(path.join(secondDir, name));
      expect({ name, equal: second.equals(first) }).toEqual({ name, equal: true });
    }
  });

  describe("filesystem mirror", () => {
    test("init records the printed h1", async () => {
      const workspace = newWorkspace(configFile);
      await workspace.init();

      expect(lockedHashes(workspace)).toEqual([h1]);
    });

    test("init accepts the printed zh", async () => {
      // Terraform records zh: hashes only from signed registry releases, so
      // the lock starts with the printed zh: and init must verify the zip
      // against it before it adds the h1: of the unpacked package.
      const workspace = newWorkspace(configFile);
      writeLock(workspace, [zh]);
      await workspace.init();

      expect(lockedHashes(workspace)).toEqual([h1, zh]);
    });

    test("init rejects a wrong zh", async () => {
      const workspace = newWorkspace(configFile);
      writeLock(workspace, [`zh:${"0".repeat(64)}`]);
      const result = await workspace.run(["init", "-no-color", "-input=false"]);

      expect(result.code).toBe(1);
      expect(result.output.replace(/\s+/g, " ")).toContain(
        "doesn't match any of the checksums previously recorded",
      );
    });

    test("providers lock covers every platform", async () => {
      const workspace = newWorkspace(configFile);
      const result = await workspace.ok([
        "providers",
        "lock",
        "-no-color",
        `-fs-mirror=${mirrorDir}`,
        ...PLATFORMS.map((platform) => `-platform=${platform}`),
      ]);

      for (const platform of PLATFORMS) {
        expect(result.stdout).toContain(`Retrieved digicert/digicertone ${VERSION} for ${platform}`);
      }
      // Every zip contains the same files, so all platforms share one h1:.
      expect(lockedHashes(workspace)).toEqual([h1]);
    });
  });

  describe("network mirror over HTTPS", () => {
    let certDir: string;
    let certificateFile: string;
    let server: Server;
    let baseUrl: string;
    const requests: string[] = [];

    /**
     * Serves the mirror directory under /<variant>/. The variant filters the
     * hashes that <version>.json reports: "all" serves the file unchanged,
     * "h1" and "zh" keep one scheme, and "wrong" replaces them with a hash
     * that matches nothing.
     */
    function handle(url: string): { status: number; type: string; body: Buffer } {
      const [, variant, ...rest] = url.split("?")[0].split("/");
      const relative = rest.join("/");
      const file = path.resolve(mirrorDir, relative);
      if (!file.startsWith(mirrorDir + path.sep) || relative.includes("..")) {
        return { status: 404, type: "text/plain", body: Buffer.from("not found\n") };
      }
      let body: Buffer;
      try {
        body = readFileSync(file);
      } catch {
        return { status: 404, type: "text/plain", body: Buffer.from("not found\n") };
      }
      if (!file.endsWith(".json")) {
        return { status: 200, type: "application/zip", body };
      }
      if (variant !== "all" && path.basename(file) === `${VERSION}.json`) {
        const parsed = JSON.parse(body.toString("utf8")) as {
          archives: Record<string, ArchiveHashes>;
        };
        for (const archive of Object.values(parsed.archives)) {
          archive.hashes =
            variant === "wrong"
              ? [`zh:${"0".repeat(64)}`]
              : archive.hashes.filter((hash) => hash.startsWith(`${variant}:`));
        }
        body = Buffer.from(JSON.stringify(parsed));
      }
      return { status: 200, type: "application/json", body };
    }

    function networkMirrorConfig(variant: string): string {
      const configFile = path.join(certDir, `network-mirror-${variant}.tfrc`);
      writeFileSync(
        configFile,
        cliConfig(
          `  network_mirror {\n    url     = ${hcl(`${baseUrl}${variant}/`)}\n` +
            `    include = [${hcl(PROVIDER_ADDRESS)}]\n  }\n`,
        ),
      );
      return configFile;
    }

    beforeAll(async () => {
      certDir = mkdtempSync(path.join(tmpdir(), "digicertone-mirror-tls-"));
      certificateFile = path.join(certDir, "certificate.pem");
      const keyFile = path.join(certDir, "key.pem");
      execFileSync(
        "openssl",
        [
          "req", "-x509", "-nodes", "-newkey", "ec",
          "-pkeyopt", "ec_paramgen_curve:prime256v1",
          "-keyout", keyFile, "-out", certificateFile,
          "-days", "1", "-subj", "/CN=127.0.0.1",
          "-addext", "subjectAltName=IP:127.0.0.1",
        ],
        { stdio: "ignore" },
      );
      server = createServer(
        { cert: readFileSync(certificateFile), key: readFileSync(keyFile) },
        (request, response) => {
          requests.push(request.url ?? "");
          const reply = handle(request.url ?? "/");
          response.writeHead(reply.status, {
            "content-type": reply.type,
            "content-length": reply.body.length,
          });
          response.end(reply.body);
        },
      );
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      baseUrl = `https://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    });

    afterAll(async () => {
      if (server) await new Promise((resolve) => server.close(resolve));
      if (certDir) rmSync(certDir, { recursive: true, force: true });
    });

    /** Creates a workspace whose Terraform trusts only the test certificate. */
    function mirrorWorkspace(variant: string): Workspace {
      return newWorkspace(networkMirrorConfig(variant), { SSL_CERT_FILE: certificateFile });
    }

    test("init downloads over HTTPS", async () => {
      const workspace = mirrorWorkspace("all");
      await workspace.init();

      expect(lockedHashes(workspace)).toEqual([h1]);
      expect(requests).toContain(`/all/${PROVIDER_ADDRESS}/index.json`);
      expect(requests).toContain(`/all/${PROVIDER_ADDRESS}/${VERSION}.json`);
      expect(requests).toContain(
        `/all/${PROVIDER_ADDRESS}/terraform-provider-digicertone_${VERSION}_linux_amd64.zip`,
      );
    });

    test.each(["h1", "zh"])("init accepts %s hashes alone", async (variant) => {
      const workspace = mirrorWorkspace(variant);
      await workspace.init();

      expect(lockedHashes(workspace)).toEqual([h1]);
    });

    test("init rejects a wrong hash", async () => {
      const workspace = mirrorWorkspace("wrong");
      const result = await workspace.run(["init", "-no-color", "-input=false"]);

      expect(result.code).toBe(1);
      expect(result.output).toContain("checksum");
    });

    test("providers lock covers two platforms", async () => {
      const workspace = mirrorWorkspace("all");
      const result = await workspace.ok([
        "providers",
        "lock",
        "-no-color",
        `-net-mirror=${baseUrl}all/`,
        "-platform=linux_amd64",
        "-platform=darwin_arm64",
      ]);

      expect(result.stdout).toContain(`Retrieved digicert/digicertone ${VERSION} for linux_amd64`);
      expect(result.stdout).toContain(`Retrieved digicert/digicertone ${VERSION} for darwin_arm64`);
      expect(lockedHashes(workspace)).toEqual([h1]);
      expect(requests).toContain(
        `/all/${PROVIDER_ADDRESS}/terraform-provider-digicertone_${VERSION}_darwin_arm64.zip`,
      );
    });
  });

  describe("installed provider", () => {
    let emulator: RunningEmulator;

    beforeAll(async () => {
      emulator = await startTestEmulator();
    });

    afterAll(async () => {
      if (emulator) await emulator.close();
    });

    test("validates and plans", async () => {
      const workspace = newWorkspace(configFile, {
        DIGICERT_ONE_URL: emulator.url,
        DIGICERT_ONE_API_KEY: emulator.adminApiKey,
      });
      const [account] = await activeAccounts(emulator);
      workspace.writeConfig(`
data "digicertone_account" "first" {
  name = ${hcl(account.name)}
}

output "account_id" {
  value = data.digicertone_account.first.id
}
`);
      await workspace.init();
      const validate = await workspace.ok(["validate", "-no-color"]);
      const plan = await workspace.plan();

      expect(validate.stdout).toContain("The configuration is valid.");
      expect(plan.stdout).toContain(`account_id = ${hcl(account.id)}`);
    });
  });
});
