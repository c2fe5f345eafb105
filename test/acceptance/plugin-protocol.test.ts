// Runs the real Terraform CLI against the echo test provider, served by the
// plugin protocol layer alone, so a failure here points at the protocol
// layer rather than at DigiCert ONE resources or the emulator.
import { spawn } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { ECHO_PROVIDER_ENTRY, nodeCommand } from "../fixtures/plugin/plugin-process";

// Terraform starts a provider process for every phase, and each start runs
// TypeScript through tsx, so a full cycle takes several seconds.
jest.setTimeout(300_000);

interface RunResult {
  code: number;
  output: string;
}

function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** Lays out a filesystem mirror with a launcher for the echo provider and returns the CLI configuration file. */
function installEchoProvider(root: string): string {
  const mirror = path.join(root, "mirror");
  const packageDirectory = path.join(mirror, "registry.terraform.io/test/echo/0.0.1/linux_amd64");
  mkdirSync(packageDirectory, { recursive: true });

  const { command, args } = nodeCommand(ECHO_PROVIDER_ENTRY);
  const launcher = path.join(packageDirectory, "terraform-provider-echo");
  writeFileSync(launcher, `#!/bin/sh\nexec ${[command, ...args].map(shellQuote).join(" ")}\n`);
  chmodSync(launcher, 0o755);

  const configFile = path.join(root, "terraformrc");
  writeFileSync(
    configFile,
    [
      "disable_checkpoint = true",
      "provider_installation {",
      "  filesystem_mirror {",
      `    path    = ${JSON.stringify(mirror)}`,
      '    include = ["registry.terraform.io/test/echo"]',
      "  }",
      "}",
      "",
    ].join("\n"),
  );
  return configFile;
}

function configuration(name: string): string {
  return `
terraform {
  required_providers {
    echo = { source = "test/echo" }
  }
}

provider "echo" {
  greeting = "hi"
  token    = "t0ken-for-acceptance"
}

resource "echo_thing" "a" {
  name   = "${name}"
  secret = "s3cret-for-acceptance"
  tags   = ["x", "y"]
  size   = 12345678901234567890
  endpoints = {
    main = { url = "https://example.test", port = 443 }
  }
}

data "echo_message" "m" {
  input = echo_thing.a.id
}

output "message" {
  value = data.echo_message.m.output
}
`;
}

describe("plugin protocol with the Terraform CLI", () => {
  let root: string;
  let workingDirectory: string;
  let configFile: string;

  beforeAll(async () => {
    root = mkdtempSync(path.join(tmpdir(), "echo-provider-acc-"));
    configFile = installEchoProvider(root);
    workingDirectory = path.join(root, "work");
    mkdirSync(workingDirectory);
    writeFileSync(path.join(workingDirectory, "main.tf"), configuration("alpha"));

    const init = await succeed("init", "-input=false");
    expect(init).toContain("Terraform has been successfully initialized!");
  });

  afterAll(() => {
    rmSync(root, { recursive: true, force: true });
  });

  async function terraform(...args: string[]): Promise<RunResult> {
    const env: NodeJS.ProcessEnv = { ...process.env };
    for (const name of Object.keys(env)) {
      if (name.startsWith("TF_")) delete env[name];
    }
    env.TF_CLI_CONFIG_FILE = configFile;
    env.CHECKPOINT_DISABLE = "1";
    env.TF_IN_AUTOMATION = "1";

    const child = spawn("terraform", [...args, "-no-color"], {
      cwd: workingDirectory,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
    const code = await new Promise<number>((resolve, reject) => {
      child.on("error", reject);
      child.on("close", (exitCode) => resolve(exitCode ?? -1));
    });
    return { code, output };
  }

  async function succeed(...args: string[]): Promise<string> {
    const result = await terraform(...args);
    if (result.code !== 0) {
      throw new Error(`terraform ${args.join(" ")} exited ${result.code}:\n${result.output}`);
    }
    return result.output;
  }

  test("plan, apply, plan, replace and destroy", async () => {
    writeFileSync(path.join(workingDirectory, "main.tf"), configuration("alpha"));

    const plan = await succeed("plan", "-input=false");
    expect(plan).toContain("Plan: 1 to add, 0 to change, 0 to destroy.");
    expect(plan).toContain("secret    = (sensitive value)");
    expect(plan).not.toContain("s3cret-for-acceptance");

    const apply = await succeed("apply", "-input=false", "-auto-approve");
    expect(apply).toContain("Apply complete! Resources: 1 added, 0 changed, 0 destroyed.");
    expect(apply).toMatch(/message = "hi, echo-[0-9a-f]{12}"/);

    const state = JSON.parse(await succeed("show", "-json")) as {
      values: { root_module: { resources: Array<{ address: string; values: Record<string, unknown> }> } };
    };
    const thing = state.values.root_module.resources.find((resource) => resource.address === "echo_thing.a");
    expect(thing?.values.size).toBe(12345678901234567890);
    expect(thing?.values.tags).toEqual(["x", "y"]);
    expect(thing?.values.endpoints).toEqual({ main: { url: "https://example.test", port: 443 } });

    const secondPlan = await succeed("plan", "-input=false");
    expect(secondPlan).toContain("No changes.");

    writeFileSync(path.join(workingDirectory, "main.tf"), configuration("beta"));
    const replace = await succeed("apply", "-input=false", "-auto-approve");
    expect(replace).toContain("# forces replacement");
    expect(replace).toContain("Apply complete! Resources: 1 added, 0 changed, 1 destroyed.");

    const destroy = await succeed("destroy", "-input=false", "-auto-approve");
    expect(destroy).toContain("Destroy complete! Resources: 1 destroyed.");

    const output = [plan, apply, secondPlan, replace, destroy].join("\n");
    expect(output).not.toContain("plugin failed to exit gracefully");
    expect(output).not.toContain("t0ken-for-acceptance");
  });

  test("provider errors reach the user as diagnostics", async () => {
    writeFileSync(path.join(workingDirectory, "main.tf"), configuration("explode"));

    const result = await terraform("apply", "-input=false", "-auto-approve");

    expect(result.code).toBe(1);
    expect(result.output).toContain("Error: Unexpected provider error");
    expect(result.output).toContain("the echo thing exploded");
    expect(result.output).toContain('with echo_thing.a,');
  });
});
