// Acceptance-test harness: runs the real Terraform CLI, with the provider
// installed from the filesystem mirror that `npm run build` lays out, against
// an in-process DigiCert ONE emulator on a loopback port.

import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

export const ROOT = path.resolve(__dirname, "../..");
export const CLI_CONFIG_FILE = path.join(ROOT, "build/terraformrc");

export const PROVIDER_BLOCK = `
terraform {
  required_providers {
    digicertone = {
      source = "digicert/digicertone"
    }
  }
}
`;

/** Throws with install instructions unless `terraform` is on the PATH. */
export function requireTerraform(): string {
  try {
    return execFileSync("terraform", ["version"], {
      env: baseEnvironment(),
      encoding: "utf8",
    }).split("\n")[0];
  } catch {
    throw new Error(
      "The acceptance tests need the Terraform CLI (1.11 or later) on the PATH, " +
        "and `terraform version` failed. Install it from Debian or HashiCorp's " +
        "release archive (unzip the binary into /usr/local/bin), then run the tests again.",
    );
  }
}

/** Throws unless the provider package and CLI configuration are built. */
export function requireBuiltProvider(): void {
  if (!existsSync(CLI_CONFIG_FILE)) {
    throw new Error(
      `${CLI_CONFIG_FILE} is missing: run \`npm run build\` before the acceptance tests.`,
    );
  }
}

/**
 * Builds the environment of every Terraform run: the project's CLI
 * configuration, no checkpoint calls, and none of the ambient provider
 * settings.
 */
export function baseEnvironment(
  extra: Record<string, string | undefined> = {},
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of Object.keys(env)) {
    if (name.startsWith("TF_") || name.startsWith("DIGICERT_ONE_")) {
      delete env[name];
    }
  }
  env.TF_CLI_CONFIG_FILE = CLI_CONFIG_FILE;
  env.CHECKPOINT_DISABLE = "1";
  env.TF_IN_AUTOMATION = "1";
  for (const [name, value] of Object.entries(extra)) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  return env;
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout and stderr together, for messages and secret scans. */
  output: string;
}

/** A temporary Terraform working directory with its own environment. */
export class Workspace {
  readonly dir: string;

  constructor(private readonly env: Record<string, string | undefined> = {}) {
    this.dir = mkdtempSync(path.join(tmpdir(), "digicertone-acc-"));
  }

  /** Replaces main.tf with the provider requirement plus `body`. */
  writeConfig(body: string): void {
    writeFileSync(path.join(this.dir, "main.tf"), PROVIDER_BLOCK + body);
  }

  async run(
    args: string[],
    extraEnv: Record<string, string | undefined> = {},
  ): Promise<RunResult> {
    const child = spawn("terraform", args, {
      cwd: this.dir,
      env: baseEnvironment({ ...this.env, ...extraEnv }),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk) => (stderr += chunk));
    const code = await new Promise<number>((resolve, reject) => {
      child.on("error", reject);
      child.on("close", (exitCode) => resolve(exitCode ?? -1));
    });
    return { code, stdout, stderr, output: stdout + stderr };
  }

  /** Runs a command that must succeed, failing with its output otherwise. */
  async ok(
    args: string[],
    extraEnv: Record<string, string | undefined> = {},
  ): Promise<RunResult> {
    const result = await this.run(args, extraEnv);
    if (result.code !== 0) {
      throw new Error(
        `terraform ${args.join(" ")} exited ${result.code}:\n${result.output}`,
      );
    }
    return result;
  }

  async init(): Promise<RunResult> {
    return this.ok(["init", "-no-color", "-input=false"]);
  }

  async apply(): Promise<RunResult> {
    return this.ok(["apply", "-no-color", "-input=false", "-auto-approve"]);
  }

  async plan(): Promise<RunResult> {
    return this.ok(["plan", "-no-color", "-input=false"]);
  }

  async state(): Promise<StateResource[]> {
    const result = await this.ok(["show", "-json", "-no-color"]);
    const parsed = JSON.parse(result.stdout) as {
      values?: { root_module?: { resources?: StateResource[] } };
    };
    return parsed.values?.root_module?.resources ?? [];
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export interface StateResource {
  address: string;
  type: string;
  name: string;
  values: Record<string, unknown>;
}

/** Returns the HCL string literal of a value. */
export function hcl(value: string): string {
  return JSON.stringify(value);
}
